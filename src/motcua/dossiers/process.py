"""A procedure's internal process resolved for one dossier: which agency handles each step
and its allowance in working seconds. Procedures without steps get the default three."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from motcua.catalog.models import Procedure, ProcessStep
from motcua.org.models import Agency

# Default when a procedure defines no process: the desk receives and later returns, each with
# a tenth of the time (at most half a day); the lead agency has the rest.
DESK_SHARE = Decimal("0.1")
DESK_MAX_DAYS = Decimal("0.5")


@dataclass(frozen=True)
class Step:
    position: int
    name: str
    agency_id: int
    allowance_days: Decimal


def _merge_same_agency(steps: list[Step]) -> list[Step]:
    """Consecutive steps of one agency are one hand-over: a commune that receives and decides
    holds the dossier once, with both allowances, instead of being late on the desk's share."""
    merged: list[Step] = []
    for step in steps:
        if merged and merged[-1].agency_id == step.agency_id:
            last = merged[-1]
            merged[-1] = Step(
                last.position, last.name, last.agency_id, last.allowance_days + step.allowance_days
            )
        else:
            merged.append(step)
    return merged


def _fixed_agency(step: ProcessStep) -> int:
    if step.agency_id is None:  # the fixed_step_has_agency constraint forbids it
        raise ValueError(f"fixed process step {step.pk} names no agency")
    return step.agency_id


def resolve_steps(
    *, procedure: Procedure, processing_days: int, receiving: Agency, lead: Agency
) -> list[Step]:
    steps = list(ProcessStep.objects.filter(procedure=procedure).order_by("position"))
    if steps:
        by_role: dict[str, int] = {
            ProcessStep.AgencyRole.DESK: receiving.pk,
            ProcessStep.AgencyRole.LEAD: lead.pk,
        }
        return _merge_same_agency(
            [
                Step(
                    s.position,
                    s.name,
                    _fixed_agency(s) if s.agency_role == "fixed" else by_role[s.agency_role],
                    s.allowance_days,
                )
                for s in steps
            ]
        )
    desk = min(DESK_MAX_DAYS, Decimal(processing_days) * DESK_SHARE)
    return _merge_same_agency(
        [
            Step(1, "Tiếp nhận, chuyển hồ sơ", receiving.pk, desk),
            Step(2, "Thẩm định, giải quyết", lead.pk, Decimal(processing_days) - 2 * desk),
            Step(3, "Trả kết quả", receiving.pk, desk),
        ]
    )


def next_step(steps: list[Step], *, after: int, agency_id: int) -> Step | None:
    """The first step after position `after` handled by `agency_id`."""
    return next((s for s in steps if s.position > after and s.agency_id == agency_id), None)
