"""Early warnings: what will go wrong unless someone acts. Dossiers and petitions due within
the next working hours (settings.MOTCUA_WARNING_WORKING_HOURS), agencies whose service index
fell by more than settings.MOTCUA_WARNING_SCORE_DROP points since the previous period, and
procedures whose late share rose three months running."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.dossiers.models import CLOCK_RUNNING, Dossier
from motcua.feedback.models import OPEN_STATES, Petition
from motcua.indices.service import Evaluation
from motcua.org.models import Agency
from motcua.workdays.selectors import get_calendar

from .periods import trend_months
from .selectors import procedure_lateness

LISTED = 50
RISES = 3
# A month with fewer finished dossiers says nothing about a trend.
MIN_FINISHED = 3


@dataclass
class Warnings:
    dossiers: list[dict[str, Any]] = field(default_factory=list)
    dossiers_total: int = 0
    petitions: list[dict[str, Any]] = field(default_factory=list)
    petitions_total: int = 0
    scores: list[dict[str, Any]] = field(default_factory=list)
    procedures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.dossiers_total + self.petitions_total + len(self.scores) + len(self.procedures)


def horizon(now: dt.datetime) -> dt.datetime:
    """The moment the configured working hours from `now` end."""
    hours = settings.MOTCUA_WARNING_WORKING_HOURS
    return get_calendar().add_working_seconds(now, hours * 3600)


def _working_hours_left(now: dt.datetime, due: dt.datetime) -> float:
    return round(get_calendar().working_seconds_between(now, due) / 3600, 1)


def dossiers_due_soon(
    now: dt.datetime, agency_ids: Collection[int] | None
) -> tuple[list[dict[str, Any]], int]:
    """Dossiers in process, not late yet, due before the horizon, held by those agencies."""
    rows = Dossier.objects.filter(
        status__in=CLOCK_RUNNING, due_at__gte=now, due_at__lte=horizon(now)
    )
    if agency_ids is not None:
        rows = rows.filter(current_agency_id__in=list(agency_ids))
    total = rows.count()
    listed = rows.select_related("procedure", "current_agency").order_by("due_at", "pk")[:LISTED]
    return [
        {
            "code": d.code,
            "procedure": d.procedure.code,
            "procedure_name": d.procedure.name,
            "agency": d.current_agency.code,
            "agency_name": d.current_agency.name,
            "due_at": d.due_at,
            "hours_left": _working_hours_left(now, d.due_at) if d.due_at else None,
        }
        for d in listed
    ], total


def petitions_due_soon(
    now: dt.datetime, agency_ids: Collection[int] | None
) -> tuple[list[dict[str, Any]], int]:
    rows = Petition.objects.filter(state__in=OPEN_STATES, due_at__gte=now, due_at__lte=horizon(now))
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    total = rows.count()
    listed = rows.select_related("agency").order_by("due_at", "pk")[:LISTED]
    return [
        {
            "id": p.pk,
            "title": p.description[:80],
            "agency": p.agency.code,
            "agency_name": p.agency.name,
            "due_at": p.due_at,
            "hours_left": _working_hours_left(now, p.due_at),
        }
        for p in listed
    ], total


def score_drops(
    current: Evaluation, before: Evaluation, agency_ids: Collection[int] | None = None
) -> list[dict[str, Any]]:
    """Agencies whose total fell by more than the threshold, the largest fall first."""
    threshold = settings.MOTCUA_WARNING_SCORE_DROP
    earlier = {i["agency"]: i["total"] for i in before.items}
    rows = []
    for item in current.items:
        if agency_ids is not None and item["agency_id"] not in agency_ids:
            continue
        was = earlier.get(item["agency"])
        if was is not None and was - item["total"] > threshold:
            rows.append(
                {
                    "agency": item["agency"],
                    "agency_name": item["agency_name"],
                    "total": item["total"],
                    "previous": was,
                    "fall": round(was - item["total"], 2),
                }
            )
    rows.sort(key=lambda r: (-r["fall"], r["agency"]))
    return rows


def last_complete_months(now: dt.datetime, count: int) -> list[dt.date]:
    today = timezone.localdate(now)
    last = today.replace(day=1) - dt.timedelta(days=1)
    return trend_months(last, count)


def rising_lateness(
    now: dt.datetime, agency_ids: Collection[int] | None = None
) -> list[dict[str, Any]]:
    """Procedures (of an agency) whose late share rose in each of the last three complete
    months over the month before, each of those months with enough dossiers finished."""
    months = last_complete_months(now, RISES + 1)
    lateness = procedure_lateness(months)
    found = []
    for (agency_id, procedure_id), by_month in lateness.items():
        if agency_ids is not None and agency_id not in agency_ids:
            continue
        counts = [by_month.get(m, (0, 0)) for m in months]
        if any(finished < MIN_FINISHED for finished, _late in counts):
            continue
        shares = [late / finished for finished, late in counts]
        if all(later > earlier for earlier, later in zip(shares, shares[1:], strict=False)):
            found.append((agency_id, procedure_id, shares))
    procedures = Procedure.objects.in_bulk([p for _a, p, _s in found])
    agencies = Agency.objects.in_bulk([a for a, _p, _s in found])
    rows: list[dict[str, Any]] = [
        {
            "agency": agencies[a].code,
            "agency_name": agencies[a].name,
            "procedure": procedures[p].code,
            "procedure_name": procedures[p].name,
            "months": [m.strftime("%m/%Y") for m in months],
            "shares": [round(s * 100, 1) for s in shares],
        }
        for a, p, shares in found
    ]
    rows.sort(key=lambda r: (-r["shares"][-1], r["agency"], r["procedure"]))
    return rows


def early_warnings(
    *,
    now: dt.datetime | None = None,
    agency_ids: Collection[int] | None = None,
    evaluations: tuple[Evaluation, Evaluation] | None = None,
) -> Warnings:
    """Every early warning of those agencies (None: the whole province); the score drops
    between the two evaluations given (current, previous), if any."""
    now = now or timezone.now()
    dossiers, dossiers_total = dossiers_due_soon(now, agency_ids)
    petitions, petitions_total = petitions_due_soon(now, agency_ids)
    return Warnings(
        dossiers=dossiers,
        dossiers_total=dossiers_total,
        petitions=petitions,
        petitions_total=petitions_total,
        scores=score_drops(*evaluations, agency_ids) if evaluations else [],
        procedures=rising_lateness(now, agency_ids),
    )
