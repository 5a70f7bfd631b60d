"""Petition reports per agency and period: received, closed on time or late, still open past
their deadline, and the senders' satisfaction with the answers (Decision 766's satisfaction
group). One SQL aggregate, never a walk over petitions in Python."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from motcua.common.errors import ApiError
from motcua.common.ratings import SATISFIED_FROM
from motcua.org.models import Agency

from .models import Petition, State
from .selectors import OnTimeCounts, petition_on_time_filters

MAX_DAYS = 366

ERR_PERIOD = (
    "invalid_period",
    "Kỳ báo cáo không hợp lệ: ngày kết thúc phải không trước ngày bắt đầu và kỳ không quá "
    f"{MAX_DAYS} ngày.",
    f"The period is not valid: the end may not be before the start, at most {MAX_DAYS} days.",
)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass(frozen=True)
class AgencyFigures:
    agency_code: str
    agency_name: str
    received: int
    answered_on_time: int
    answered_late: int
    open_in_time: int
    open_overdue: int
    rated: int
    satisfied: int
    score_sum: int

    @property
    def on_time(self) -> int:
        return self.answered_on_time + self.open_in_time

    @property
    def late(self) -> int:
        return self.answered_late + self.open_overdue

    @property
    def on_time_rate(self) -> float | None:
        """On time / petitions due in the period (`selectors.petition_on_time_filters`, the
        definition the index's metric counts too)."""
        rate = OnTimeCounts(on_time=self.on_time, late=self.late).rate
        return None if rate is None else float(rate)

    @property
    def satisfaction_rate(self) -> float | None:
        """Ratings of 4 or 5 / ratings, for answers published in the period."""
        return _ratio(self.satisfied, self.rated)

    @property
    def average_score(self) -> float | None:
        return round(self.score_sum / self.rated, 2) if self.rated else None

    def as_dict(self) -> dict[str, object]:
        return {
            "agency": self.agency_code,
            "agency_name": self.agency_name,
            "received": self.received,
            "answered_on_time": self.answered_on_time,
            "answered_late": self.answered_late,
            "open_in_time": self.open_in_time,
            "open_overdue": self.open_overdue,
            "late": self.late,
            "on_time_rate": self.on_time_rate,
            "rated": self.rated,
            "satisfied": self.satisfied,
            "satisfaction_rate": self.satisfaction_rate,
            "average_score": self.average_score,
        }


@dataclass(frozen=True)
class PetitionReport:
    start: dt.date
    end: dt.date
    as_of: dt.datetime
    rows: list[AgencyFigures]
    total: AgencyFigures


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the province's time zone."""
    zone = timezone.get_default_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def petition_report(
    *,
    start: dt.date,
    end: dt.date,
    agency_code: str | None = None,
    now: dt.datetime | None = None,
) -> PetitionReport:
    """Figures per agency holding the petition, for the days start…end (inclusive).

    - received: petitions sent in the period;
    - answered on time / late, open in time / overdue: petitions due in the period, answered by
      / after their deadline, or still open now before / past it (the one definition in
      `selectors.petition_on_time_filters`, which the index's metric counts too);
    - satisfaction: the senders' ratings of answers published in the period.
    Petitions closed as abusive are left out of every figure; duplicates count as received
    only.
    """
    if end < start or (end - start).days >= MAX_DAYS:
        code, vi, en = ERR_PERIOD
        raise ApiError(code, vi, en)
    now = now or timezone.now()
    start_at, end_at = _bounds(start, end)

    received = Q(received_at__gte=start_at, received_at__lt=end_at)
    deadlines = petition_on_time_filters(start=start_at, end=end_at, now=now)
    answered = Q(answer__published_at__gte=start_at, answer__published_at__lt=end_at)
    rated = answered & Q(answer__rating__isnull=False)

    petitions = Petition.objects.exclude(state=State.HIDDEN).filter(
        received | deadlines.counted | answered
    )
    if agency_code:
        petitions = petitions.filter(agency__code=agency_code)
    aggregates = (
        petitions.values("agency_id")
        .annotate(
            received=Count("pk", filter=received),
            on_time=Count("pk", filter=deadlines.answered_on_time),
            late=Count("pk", filter=deadlines.answered_late),
            in_time=Count("pk", filter=deadlines.open_in_time),
            overdue=Count("pk", filter=deadlines.open_overdue),
            rated=Count("pk", filter=rated),
            satisfied=Count("pk", filter=rated & Q(answer__rating__score__gte=SATISFIED_FROM)),
            score_sum=Sum("answer__rating__score", filter=rated),
        )
        .order_by("agency_id")
    )
    rows_data = list(aggregates)
    agencies = Agency.objects.in_bulk([r["agency_id"] for r in rows_data])
    rows = [
        AgencyFigures(
            agency_code=agencies[r["agency_id"]].code,
            agency_name=agencies[r["agency_id"]].name,
            received=r["received"],
            answered_on_time=r["on_time"],
            answered_late=r["late"],
            open_in_time=r["in_time"],
            open_overdue=r["overdue"],
            rated=r["rated"],
            satisfied=r["satisfied"],
            score_sum=r["score_sum"] or 0,
        )
        for r in rows_data
    ]
    rows.sort(key=lambda row: row.agency_code)
    total = AgencyFigures(
        agency_code="",
        agency_name="",
        received=sum(r.received for r in rows),
        answered_on_time=sum(r.answered_on_time for r in rows),
        answered_late=sum(r.answered_late for r in rows),
        open_in_time=sum(r.open_in_time for r in rows),
        open_overdue=sum(r.open_overdue for r in rows),
        rated=sum(r.rated for r in rows),
        satisfied=sum(r.satisfied for r in rows),
        score_sum=sum(r.score_sum for r in rows),
    )
    return PetitionReport(start=start, end=end, as_of=now, rows=rows, total=total)
