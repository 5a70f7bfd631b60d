"""Keeping the counts: recorders called inside the transaction of every dossier, petition and
rating event (`common.events.record_with`, registered in apps.py), so a count changes with the
event or not at all.

Each recorder reads the subject's row as it is now, works out the cells it counts in
(`cells.py`), and adds the difference from the cells it counted in before (its
`Contribution`): whatever the action was, the tables end up as if rebuilt from the rows, and an
event published twice adds nothing the second time. The subject's own row is locked by the
publishing service, so its contribution has one writer at a time.

A count changes by an upsert that adds to the stored value in the database
(`INSERT … ON CONFLICT … DO UPDATE SET n = n + excluded.n`, on SQLite and PostgreSQL), never a
read-modify-write in Python: two desks of one agency counting on one row the same day both
count, and two agencies never touch the same row. Rows are touched in key order, so two
transactions cannot wait for each other in a circle.

Every dossier cell also adds to the rollups (`ROLLUPS`: per agency and day, per agency and
month, per procedure and year by month), in the same upserts' transaction, so the sums read by
the service index are never behind the rows they sum."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection
from django.db.models import Model, Q

from motcua.common.events import Event

from . import cells as c
from .models import (
    PROCEDURE_MONTH_COLUMNS,
    Contribution,
    DossierAgencyDay,
    DossierAgencyMonth,
    DossierDay,
    DossierProcedureYear,
    PetitionDay,
    RatingDay,
    month_column,
)

TABLES: dict[str, type[Model]] = {
    c.DOSSIER: DossierDay,
    c.PETITION: PetitionDay,
    c.RATING: RatingDay,
}
KEYS = {
    c.DOSSIER: ("day", "agency_id", "procedure_id", "channel"),
    c.PETITION: ("day", "agency_id"),
    c.RATING: ("day", "agency_id"),
}
# The sums of the dossier table kept beside it (models.DossierAgencyDay, DossierAgencyMonth,
# DossierProcedureYear): no cell names them, every dossier cell adds to them too.
AGENCY_DAY, AGENCY_MONTH, PROCEDURE_YEAR = "da", "am", "py"
ROLLUPS: dict[str, type[Model]] = {
    AGENCY_DAY: DossierAgencyDay,
    AGENCY_MONTH: DossierAgencyMonth,
    PROCEDURE_YEAR: DossierProcedureYear,
}
ROLLUP_KEYS = {
    AGENCY_DAY: ("day", "agency_id"),
    AGENCY_MONTH: ("month", "agency_id"),
    PROCEDURE_YEAR: ("year", "agency_id", "procedure_id"),
}


def count_columns(model: type[Model]) -> list[str]:
    keys = {"id", "day", "month", "year", "agency", "procedure", "channel"}
    return [str(f.column) for f in model._meta.concrete_fields if f.name not in keys]


def month_of(day: str) -> str:
    """The first day of an ISO day's month, as the month tables key it."""
    return f"{day[:8]}01"


def year_of(day: str) -> str:
    """The first day of an ISO day's year, as the year table keys it."""
    return f"{day[:5]}01-01"


def _rows_of(cell: c.Cell) -> Iterator[tuple[tuple[Any, ...], str]]:
    """The rows (table and key) a cell adds to, with the column: its own table's, and for a
    dossier cell the rollups'."""
    table, day, agency, procedure, channel, column = cell
    if table != c.DOSSIER:
        yield (table, day, agency), column
        return
    yield (table, day, agency, procedure, channel), column
    yield (AGENCY_DAY, day, agency), column
    yield (AGENCY_MONTH, month_of(day), agency), column
    if column in PROCEDURE_MONTH_COLUMNS:
        yield (PROCEDURE_YEAR, year_of(day), agency, procedure), month_column(column, int(day[5:7]))


def cells_add(delta: Counter[c.Cell]) -> None:
    """Add `delta` (cell → +n or −n) to the tables and the rollups, one upsert per row
    touched."""
    rows: dict[tuple[Any, ...], Counter[str]] = {}
    for cell, n in delta.items():
        if n:
            for key, column in _rows_of(cell):
                rows.setdefault(key, Counter())[column] += n
    models = TABLES | ROLLUPS
    keys = KEYS | ROLLUP_KEYS
    with connection.cursor() as cursor:
        for key in sorted(rows, key=repr):
            columns = {name: n for name, n in rows[key].items() if n}
            if not columns:
                continue
            table, day, *rest = key
            values = [dt.date.fromisoformat(day), *rest]
            all_counts = count_columns(models[table])
            sql = _upsert_sql(models[table], keys[table], all_counts, list(columns))
            cursor.execute(sql, [*values, *(columns.get(n, 0) for n in all_counts)])


def _upsert_sql(
    model: type[Model], keys: tuple[str, ...], counts: list[str], changed: list[str]
) -> str:
    """Insert a row of the key and counts, or add the changed counts to the row there."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(n) for n in [*keys, *counts])
    places = ", ".join(["%s"] * (len(keys) + len(counts)))
    adds = ", ".join(f"{quote(n)} = {table}.{quote(n)} + excluded.{quote(n)}" for n in changed)
    conflict = ", ".join(quote(k) for k in keys)
    # Identifiers come from the models' metadata, quoted; every value is a parameter.
    return f"INSERT INTO {table} ({names}) VALUES ({places}) ON CONFLICT ({conflict}) DO UPDATE SET {adds}"  # noqa: E501, S608


def _as_cells(stored: Iterable[list[Any]]) -> Counter[c.Cell]:
    return Counter(tuple(cell) for cell in stored)


def contribution_set(kind: str, subject_id: int, new: list[c.Cell]) -> None:
    """Make the subject count in `new` and nowhere else, adding only the difference."""
    current = Contribution.objects.filter(kind=kind, subject_id=subject_id).first()
    before = _as_cells(current.cells) if current else Counter()
    after = Counter(new)
    delta = Counter(after)
    delta.subtract(before)
    cells_add(delta)
    if current is None:
        if new:
            Contribution.objects.create(kind=kind, subject_id=subject_id, cells=sorted(new))
    elif before != after:
        current.cells = sorted(new)
        current.save(update_fields=["cells"])


def _record(
    kind: str,
    rows: Callable[[Q], Any],
    cells_of: Callable[[dict[str, Any]], list[c.Cell]],
    subject_id: int,
) -> dict[str, Any] | None:
    row = rows(Q(pk=subject_id)).first()
    contribution_set(kind, subject_id, cells_of(row) if row is not None else [])
    return row


def record_dossier(event: Event) -> None:
    """A dossier changed, or the portal acknowledged one of its messages (`synchronised`)."""
    _record(Contribution.Kind.DOSSIER, c.dossier_rows, c.dossier_cells, event.subject_id)


def record_petition(event: Event) -> None:
    _record(Contribution.Kind.PETITION, c.petition_rows, c.petition_cells, event.subject_id)


def record_rating(event: Event) -> None:
    """The rating's level, and the rated dossier's `satisfied`, which its ratings decide."""
    row = _record(Contribution.Kind.RATING, c.rating_rows, c.rating_cells, event.subject_id)
    if row is not None:
        _record(Contribution.Kind.DOSSIER, c.dossier_rows, c.dossier_cells, row["dossier_id"])
