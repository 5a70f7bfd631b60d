"""The drill-down: the dossiers, petitions and ratings a count is made of.

For every column of the fact tables (and the classes judged as of a moment, `selectors.TIMED`),
the rows whose contribution counts in it on the days first…last, as a query on the rows
themselves. The conditions are `cells.DOSSIER_WHEN` / `PETITION_WHEN` / `RATING_WHEN`, written
beside the cells they mirror; a property test holds `records_for(…).count()` equal to the sum
of the facts for every column."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.db.models import Model, Q, QuerySet

from motcua.dossiers.models import Dossier
from motcua.feedback.models import Petition
from motcua.surveys.models import Rating

from . import cells as c
from .selectors import TIMED, in_time_from

_TABLES: dict[str, tuple[type[Model], str, dict[str, tuple[str, Q]]]] = {
    "dossier": (Dossier, "lead_agency_id", c.DOSSIER_WHEN),
    "petition": (Petition, "agency_id", c.PETITION_WHEN),
    "rating": (Rating, "agency_id", c.RATING_WHEN),
}
_TIMED_TABLE = {"due_open": "dossier", "still_open": "petition"}

# table → the columns one can drill into (the timed classes included).
COLUMNS: dict[str, tuple[str, ...]] = {
    table: (
        *when,
        *(name for name, (_m, column, _t) in TIMED.items() if _TIMED_TABLE[column] == table),
    )
    for table, (_model, _agency, when) in _TABLES.items()
}


def _between(field: str, first: dt.date, last: dt.date) -> Q:
    return Q(**{f"{field}__gte": c.day_bounds(first)[0], f"{field}__lt": c.day_bounds(last)[1]})


def records_for(
    column: str,
    *,
    table: str,
    agency_ids: Collection[int] | None,
    first: dt.date,
    last: dt.date,
    now: dt.datetime,
) -> QuerySet[Any]:
    """The rows of `table` ("dossier", "petition", "rating") counted in `column` on the days
    first…last for those agencies (None: every agency); `now` judges the timed classes.
    Ordered by the moment that counts them (then id), which the (agency, moment) indexes
    serve, so a first page reads a page of rows, not every row counted. A KeyError for a
    column the table does not have."""
    model, agency_field, when = _TABLES[table]
    if column not in COLUMNS[table]:
        raise KeyError(f"No column {column!r} in {table}; one of {', '.join(COLUMNS[table])}")
    if column in TIMED:
        _model, base, in_time = TIMED[column]
        moment, condition = when[base]
        start = c.day_bounds(in_time_from(now))[0]
        condition &= Q(**{f"{moment}__gte" if in_time else f"{moment}__lt": start})
    else:
        moment, condition = when[column]
    where = condition & _between(moment, first, last)
    if agency_ids is not None:
        where &= Q(**{f"{agency_field}__in": list(agency_ids)})
    return model._default_manager.filter(where).order_by(moment, "pk")
