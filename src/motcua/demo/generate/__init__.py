"""A lived-in history for demos and benchmarks: dossiers planned from a seed, then replayed
through the real services at past times, so every row and event obeys the same rules as live work.

`plan_history` is pure: from the seed, the catalog, the agencies and the calendar it decides every
dossier and every action with its time. `apply_plan` replays those actions in chronological order
through `dossier_receive` / `dossier_act` with `at=`; nothing is written behind their back.
"""

from .apply import apply_plan, result_pdf
from .plan import (
    ApplyReport,
    GenerationError,
    HistoryPlan,
    Mix,
    PlannedAction,
    PlannedDossier,
    StaffMember,
    months_before,
    plan_history,
)

__all__ = [
    "ApplyReport",
    "GenerationError",
    "HistoryPlan",
    "Mix",
    "PlannedAction",
    "PlannedDossier",
    "StaffMember",
    "apply_plan",
    "months_before",
    "plan_history",
    "result_pdf",
]
