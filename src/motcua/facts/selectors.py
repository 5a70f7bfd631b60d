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


def petitions_on_time(where: Q, first: dt.date, last: dt.date, *, now: dt.datetime) -> OnTimeCounts:
    """Petitions due on the days first…last handled on time and late, judged as of `now`, as
    feedback.selectors.petition_on_time_filters judges them: answered by / after the due time,
    or still open before / after it. A petition is due at the closing time of its day, so one
    still open is in time on the days after today, and today until closing time. One query."""
    closes = office_hours()[1]
    local_now = timezone.localtime(now, timezone.get_default_timezone())
    today, local_time = local_now.date(), local_now.time()
    in_time_from = today if local_time < closes else today + dt.timedelta(days=1)
    sums = totals(
        PetitionDay,
        where,
        first,
        last,
        "answered_on_time",
        "answered_late",
        among={
            "open_in_time": ("still_open", Q(day__gte=in_time_from)),
            "open_overdue": ("still_open", Q(day__lt=in_time_from)),
        },
    )
    return OnTimeCounts(
        on_time=sums["answered_on_time"] + sums["open_in_time"],
        late=sums["answered_late"] + sums["open_overdue"],
    )
