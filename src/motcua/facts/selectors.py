"""Reading the counts: sums over a span of days, for whoever scores or reports."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, Sum
from django.utils import timezone

from motcua.feedback.selectors import OnTimeCounts
from motcua.workdays.selectors import office_hours

from .models import DossierDay, PetitionDay, RatingDay


def totals(
    model: type[DossierDay | PetitionDay | RatingDay],
    where: Q,
    first: dt.date,
    last: dt.date,
    *columns: str,
    among: dict[str, tuple[str, Q]] | None = None,
) -> dict[str, int]:
    """Each column summed over the rows matching `where` on the days first…last (inclusive),
    and each `among` alias: (column, condition) summed over the rows that also match the
    condition (e.g. online only); 0 with no row. One query."""
    among = among or {}
    sums = model.objects.filter(where, day__gte=first, day__lte=last).aggregate(
        # Aliases apart from the column names: an alias named like a column hides the column.
        **{f"sum__{name}": Sum(name) for name in columns},
        **{
            f"sum__{alias}": Sum(column, filter=condition)
            for alias, (column, condition) in among.items()
        },
    )
    return {name: sums[f"sum__{name}"] or 0 for name in [*columns, *among]}


def in_time_from(now: dt.datetime) -> dt.date:
    """The first due day on which what is still open at `now` is in time: a dossier or petition
    is taken as due at the closing time of its due day, so today counts until closing time."""
    closes = office_hours()[1]
    local_now = timezone.localtime(now, timezone.get_default_timezone())
    today = local_now.date()
    return today if local_now.time() < closes else today + dt.timedelta(days=1)


# The classes judged as of a moment, not kept as columns: (table, column, in time or not).
TIMED: dict[str, tuple[type[DossierDay | PetitionDay], str, bool]] = {
    "due_open_in_time": (DossierDay, "due_open", True),
    "due_open_overdue": (DossierDay, "due_open", False),
    "open_in_time": (PetitionDay, "still_open", True),
    "open_overdue": (PetitionDay, "still_open", False),
}


def timed_among(now: dt.datetime, *names: str, field: str = "day") -> dict[str, tuple[str, Q]]:
    """`totals(among=…)` for the timed classes `names` (keys of TIMED), as of `now`; `field`:
    the row's day (a month table's `month` is exact for months that do not hold
    in_time_from(now))."""
    start = in_time_from(now)
    return {
        name: (
            TIMED[name][1],
            Q(**{f"{field}__gte": start}) if TIMED[name][2] else Q(**{f"{field}__lt": start}),
        )
        for name in names
    }


def petitions_on_time(where: Q, first: dt.date, last: dt.date, *, now: dt.datetime) -> OnTimeCounts:
    """Petitions due on the days first…last handled on time and late, judged as of `now`, as
    feedback.selectors.petition_on_time_filters judges them: answered by / after the due time,
    or still open before / after it. A petition is due at the closing time of its day, so one
    still open is in time on the days after today, and today until closing time. One query."""
    sums = totals(
        PetitionDay,
        where,
        first,
        last,
        "answered_on_time",
        "answered_late",
        among=timed_among(now, "open_in_time", "open_overdue"),
    )
    return OnTimeCounts(
        on_time=sums["answered_on_time"] + sums["open_in_time"],
        late=sums["answered_late"] + sums["open_overdue"],
    )
