"""Rebuilding the counts from the rows, a day at a time.

Every count is a fact the rows carry (received, due and finished times, verdict, channel,
fee, online payment, digitisation, reuse, population data, result kind and store, certified
copy, apology, the dossier's ratings and its receipt message's acknowledgement in the outbox;
the petition's due time, state, answer, answer rating and duplicates; the rating's level), so
the rows are enough: the event log is the proof of how they came to be, not a second source.
Each is read by the day's few queries (subqueries, no query per row), so a day costs the same
whatever the columns.

Each day is one transaction: its rows in the three tables are replaced by the counts of the
subjects that count on it, and those subjects' contributions are corrected for that day only,
so a rebuild stopped half-way leaves every finished day exact and can be run again (running it
twice changes nothing). Run it while nobody writes to the days rebuilt, or an event counted
between the read and the write of a day is lost until the next rebuild of that day."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncYear

from motcua.dossiers.models import Dossier
from motcua.feedback.models import Petition
from motcua.surveys.models import Rating

from . import cells as c
from .models import (
    MONTHS,
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
from .services import KEYS, ROLLUP_KEYS, ROLLUPS, TABLES, count_columns

BATCH = 2000
DOSSIER_MOMENTS = ("received_at", "due_at", "finished_at", "closed_at")
KINDS = {
    c.DOSSIER: Contribution.Kind.DOSSIER,
    c.PETITION: Contribution.Kind.PETITION,
    c.RATING: Contribution.Kind.RATING,
}


@dataclass(frozen=True)
class RebuildReport:
    days: int
    rows: int  # fact rows written


def history_span() -> tuple[dt.date, dt.date] | None:
    """The first and last day any count can fall on; None with nothing recorded."""
    moments: list[dt.datetime] = []
    for model, fields in (
        (Dossier, DOSSIER_MOMENTS),
        (Petition, ("due_at",)),
        (Rating, ("created_at",)),
    ):
        for name in fields:
            span = model.objects.aggregate(first=Min(name), last=Max(name))
            moments += [m for m in span.values() if m is not None]
    if not moments:
        return None
    return c.local_day(min(moments)), c.local_day(max(moments))


def days(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def facts_rebuild(
    first: dt.date, last: dt.date, *, progress: Callable[[int], None] | None = None
) -> RebuildReport:
    """Rebuild every day from `first` to `last` (inclusive), one transaction per day."""
    written = count = 0
    for day in days(first, last):
        written += day_rebuild(day)
        count += 1
        if progress is not None:
            progress(1)
    return RebuildReport(days=count, rows=written)


def _on(day: dt.date, *fields: str) -> Q:
    start, end = c.day_bounds(day)
    where = Q(pk__in=[])
    for name in fields:
        where |= Q(**{f"{name}__gte": start, f"{name}__lt": end})
    return where


@transaction.atomic
def facts_clear() -> None:
    """Forget every count and contribution, before rebuilding the whole history: what is left
    of a day not rebuilt yet is nothing, never a stale count."""
    for model in (*TABLES.values(), *ROLLUPS.values()):
        model.objects.all().delete()  # type: ignore[attr-defined]
    Contribution.objects.all().delete()


@transaction.atomic
def day_rebuild(day: dt.date) -> int:
    """Replace `day`'s rows by the counts of the subjects counted on it; the number written."""
    iso = day.isoformat()
    fresh: dict[tuple[str, int], list[c.Cell]] = {}
    sources: list[tuple[str, Any, Callable[[dict[str, Any]], list[c.Cell]]]] = [
        (c.DOSSIER, c.dossier_rows(_on(day, *DOSSIER_MOMENTS)), c.dossier_cells),
        (c.PETITION, c.petition_rows(_on(day, "due_at")), c.petition_cells),
        (c.RATING, c.rating_rows(_on(day, "created_at")), c.rating_cells),
    ]
    for table, rows, cells_of in sources:
        for row in rows.iterator(chunk_size=BATCH):
            fresh[(table, row["pk"])] = [cell for cell in cells_of(row) if cell[1] == iso]
    _contributions_correct(iso, fresh)
    written = _rows_replace(day, Counter(cell for cells in fresh.values() for cell in cells))
    rollups_rebuild(day, day)
    return written


def _month_after(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


@transaction.atomic
def rollups_rebuild(first: dt.date, last: dt.date) -> int:
    """Replace the rollups of the days first…last by the sums of their `DossierDay` rows (and
    of the months and years they fall in, whole); the number of rows written. The bulk loader
    calls it once after writing the dossier facts; the day-by-day rebuild for its day. The sums
    are written by the database itself (INSERT … SELECT … GROUP BY): no row passes through
    Python, which at millions of rows is the difference between seconds and minutes."""
    columns = count_columns(DossierAgencyDay)
    sums = {n: Sum(n) for n in columns}
    DossierAgencyDay.objects.filter(day__gte=first, day__lte=last).delete()
    written = _insert_grouped(
        DossierAgencyDay,
        ("day", "agency"),
        sums,
        DossierDay.objects.filter(day__gte=first, day__lte=last),
    )
    start, end = first.replace(day=1), _month_after(last)
    DossierAgencyMonth.objects.filter(month__gte=start, month__lt=end).delete()
    written += _insert_grouped(
        DossierAgencyMonth,
        ("month", "agency"),
        sums,
        DossierDay.objects.filter(day__gte=start, day__lt=end).annotate(month=TruncMonth("day")),
    )
    start, end = first.replace(month=1, day=1), last.replace(year=last.year + 1, month=1, day=1)
    DossierProcedureYear.objects.filter(year__gte=start, year__lt=end).delete()
    by_month = {
        month_column(n, m): Sum(n, filter=Q(day__month=m), default=0)
        for n in PROCEDURE_MONTH_COLUMNS
        for m in MONTHS
    }
    return written + _insert_grouped(
        DossierProcedureYear,
        ("year", "agency", "procedure"),
        by_month,
        DossierDay.objects.filter(day__gte=start, day__lt=end).annotate(year=TruncYear("day")),
    )


def _insert_grouped(
    model: type[DossierAgencyDay | DossierAgencyMonth | DossierProcedureYear],
    keys: tuple[str, ...],
    sums: dict[str, Sum],
    rows: QuerySet[DossierDay],
) -> int:
    """Insert into `model` one row per group of `rows` by `keys`, holding each of `sums` (column
    → aggregate); a group whose sums are all zero is no row. The number inserted."""
    nonzero = Q()
    for n in sums:
        nonzero |= Q(**{f"sum__{n}__gt": 0})
    grouped = (
        rows.values(*keys)
        .annotate(**{f"sum__{n}": aggregate for n, aggregate in sums.items()})
        .filter(nonzero)
        .order_by()
        .values_list(*keys, *(f"sum__{n}" for n in sums))
    )
    select, params = grouped.query.sql_with_params()
    quote = connection.ops.quote_name
    fields = {f.name: str(f.column) for f in model._meta.concrete_fields}
    names = ", ".join(quote(fields[f]) for f in (*keys, *sums))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {select}", params)
        return cursor.rowcount


def _contributions_correct(iso: str, fresh: dict[tuple[str, int], list[c.Cell]]) -> None:
    """Each subject counted on the day keeps its cells of other days and gets today's fresh."""
    by_table: dict[str, list[int]] = {}
    for table, pk in fresh:
        by_table.setdefault(table, []).append(pk)
    for table, ids in by_table.items():
        kind = KINDS[table]
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            stored = dict(
                Contribution.objects.filter(kind=kind, subject_id__in=batch).values_list(
                    "subject_id", "cells"
                )
            )
            rows = []
            for pk in batch:
                kept = [tuple(cell) for cell in stored.get(pk, []) if cell[1] != iso]
                rows.append(
                    Contribution(
                        kind=kind, subject_id=pk, cells=sorted([*kept, *fresh[(table, pk)]])
                    )
                )
            Contribution.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["kind", "subject_id"],
                update_fields=["cells"],
            )


def _rows_replace(day: dt.date, counts: Counter[c.Cell]) -> int:
    rows: dict[tuple[str, tuple[Any, ...]], dict[str, int]] = {}
    for cell, n in counts.items():
        table, _day, agency, procedure, channel, column = cell
        key = (agency, procedure, channel) if table == c.DOSSIER else (agency,)
        rows.setdefault((table, key), {})[column] = n
    written = 0
    for table, model in TABLES.items():
        model.objects.filter(day=day).delete()  # type: ignore[attr-defined]
        columns = set(count_columns(model))
        objects = []
        for (row_table, key), values in sorted(rows.items(), key=repr):
            if row_table != table:
                continue
            fields = dict(zip(KEYS[table][1:], key, strict=True))
            assert set(values) <= columns  # noqa: S101 - a cell names a column of its table
            objects.append(model(day=day, **fields, **values))
        model.objects.bulk_create(objects, batch_size=BATCH)  # type: ignore[attr-defined]
        written += len(objects)
    return written


def facts_table(
    model: type[Any],
) -> set[tuple[Any, ...]]:
    """A table's rows as comparable tuples (keys, then counts), rows of zeros left out."""
    keys = KEYS_OF[model]
    counts = count_columns(model)
    return {row for row in model.objects.values_list(*keys, *counts) if any(row[len(keys) :])}


KEYS_OF: dict[type[Any], tuple[str, ...]] = {
    DossierDay: KEYS[c.DOSSIER],
    PetitionDay: KEYS[c.PETITION],
    RatingDay: KEYS[c.RATING],
    **{model: ROLLUP_KEYS[code] for code, model in ROLLUPS.items()},
}
