"""Reading the counts: sums over a span of days, for whoever scores or reports."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, Sum

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
    sums = model.objects.filter(where, day__gte=first, day__lte=last).aggregate(  # type: ignore[attr-defined]
        # Aliases apart from the column names: an alias named like a column hides the column.
        **{f"sum__{name}": Sum(name) for name in columns},
        **{
            f"sum__{alias}": Sum(column, filter=condition)
            for alias, (column, condition) in among.items()
        },
    )
    return {name: sums[f"sum__{name}"] or 0 for name in [*columns, *among]}
