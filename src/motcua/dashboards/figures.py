"""The dashboards' headline figures: which facts each one counts, and how it is read (a count,
or a share of another count), so the page, the reports and the drill-down agree on one
definition per figure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FigureDef:
    code: str
    label: Promise
    numerator: tuple[str, ...]
    denominator: tuple[str, ...] = ()
    # A share that is better lower (the late share): its rise is shown as a fall.
    lower_is_better: bool = False

    @property
    def is_share(self) -> bool:
        return bool(self.denominator)


FIGURES: tuple[FigureDef, ...] = (
    FigureDef("received", _("Dossiers received"), ("dossier.received",)),
    FigureDef("finished", _("Dossiers finished"), ("dossier.finished",)),
    FigureDef("early", _("Finished early"), ("dossier.finished_early",), ("dossier.finished",)),
    FigureDef(
        "on_time", _("Finished on time"), ("dossier.finished_on_time",), ("dossier.finished",)
    ),
    FigureDef(
        "late",
        _("Finished late"),
        ("dossier.finished_late",),
        ("dossier.finished",),
        lower_is_better=True,
    ),
    FigureDef(
        "online",
        _("Received online (fully online procedures)"),
        ("dossier.online_full",),
        ("dossier.eligible_full",),
    ),
    FigureDef(
        "paid_online", _("Fees paid online"), ("dossier.paid_online",), ("dossier.with_fee",)
    ),
    FigureDef("digitised", _("Dossiers digitised"), ("dossier.digitised",), ("dossier.received",)),
    FigureDef(
        "electronic_result",
        _("Electronic results"),
        ("dossier.electronic_result",),
        ("dossier.finished",),
    ),
    FigureDef("satisfied", _("Satisfaction"), ("dossier.satisfied",), ("dossier.finished",)),
    FigureDef("petitions", _("Petitions due for an answer"), ("petition.due",)),
    FigureDef(
        "petitions_on_time",
        _("Petitions answered on time"),
        ("petition.answered_on_time",),
        ("petition.due",),
    ),
)
BY_CODE = {f.code: f for f in FIGURES}
INPUTS = frozenset(n for f in FIGURES for n in (*f.numerator, *f.denominator))
PERCENT = Decimal("0.1")


def share(numerator: int, denominator: int) -> float | None:
    """numerator / denominator in per cent, to 0.1 (None: nothing to divide by)."""
    if not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return float(value.quantize(PERCENT, ROUND_HALF_UP))


def _value(figure: FigureDef, counts: Mapping[str, int]) -> tuple[int, int, float | int | None]:
    numerator = sum(counts.get(n, 0) for n in figure.numerator)
    if not figure.is_share:
        return numerator, 0, numerator
    denominator = sum(counts.get(n, 0) for n in figure.denominator)
    return numerator, denominator, share(numerator, denominator)


def figures(counts: Mapping[str, int], before: Mapping[str, int]) -> list[dict[str, Any]]:
    """Every headline figure of `counts` beside its value in `before` (the previous period):
    its value (a count, or a share in per cent), numerator, denominator, change and whether
    the change is an improvement."""
    rows = []
    for figure in FIGURES:
        numerator, denominator, value = _value(figure, counts)
        _n, _d, previous = _value(figure, before)
        change = None if value is None or previous is None else round(value - previous, 1)
        better = None
        if change:
            better = (change < 0) if figure.lower_is_better else (change > 0)
        rows.append(
            {
                "code": figure.code,
                "label": str(figure.label),
                "is_share": figure.is_share,
                "value": value,
                "numerator": numerator,
                "denominator": denominator,
                "previous": previous,
                "change": change,
                "better": better,
            }
        )
    return rows
