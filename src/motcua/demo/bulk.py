"""Millions of dossiers for benchmarks, written straight into the dossier table, and their counts
built by the facts' own definition (`facts.cells`).

Replaying through the services (`demo.generate`) is the truth but runs at a few hundred dossiers a
second; a benchmark at ten million needs rows in minutes. So `bulk_history` draws closed and open
dossiers of the demo's procedures, agencies and channels over a few years and inserts them in
batches (executemany on SQLite, COPY on PostgreSQL), and `dossier_facts_build` streams every
dossier through `facts.cells.dossier_rows` / `dossier_cells` — the functions the recorders and
the rebuild apply — a week of receipt at a time, and bulk-inserts each day's counts once no
later dossier can reach that day. The counts are
therefore the services' counts of the same rows (`demo/tests/test_bulk.py` checks it against a
replayed history); what the bulk path does not write is the per-dossier `Contribution`, so a bulk
history is for reading: run `motcua facts-rebuild` over the days before acting on its dossiers.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from motcua.catalog.models import OnlineLevel, Procedure
from motcua.dossiers.models import Channel, Dossier, ResultKind, Status, Verdict
from motcua.facts import cells as c
from motcua.facts.models import DossierDay
from motcua.facts.rebuild import rollups_rebuild
from motcua.facts.services import ROLLUPS, count_columns
from motcua.org.models import Agency

from .generate.plan import CENTRE, DEFAULT_PROCESSING_DAYS

BATCH = 20_000
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
GIVEN = ("Văn An", "Thị Bình", "Minh Châu", "Đức Dũng", "Thị Hoa", "Quang Huy", "Thu Trang")


@dataclass(frozen=True)
class _Route:
    procedure_id: int
    version: int
    days: int
    online_level: str
    receiving_id: int
    lead_id: int


def _routes(rng: random.Random) -> tuple[list[_Route], list[float]]:
    """Every (procedure, receiving desk, lead agency) the demo's services would choose, with a
    weight: the centre's procedures led by the competent agency, a commune's by itself. As in
    real catalogues a few procedures take most dossiers (Pareto popularity, like
    demo.generate), and communes differ in size."""
    communes = list(
        Agency.objects.filter(
            kind=Agency.Kind.COMMUNE_COMMITTEE, has_one_stop_desk=True, valid_to__isnull=True
        )
        .order_by("code")
        .values_list("pk", flat=True)
    )
    sizes = [rng.lognormvariate(0, 0.5) for _ in communes]
    share = [size / (sum(sizes) or 1.0) for size in sizes]
    centre = Agency.objects.filter(code=CENTRE).values_list("pk", flat=True).first()
    routes: list[_Route] = []
    weights: list[float] = []
    procedures = Procedure.objects.filter(status=Procedure.Status.ACTIVE).order_by("code")
    for p in procedures:
        days = p.processing_days or DEFAULT_PROCESSING_DAYS.get(p.code)
        if not days:
            continue
        popularity = rng.paretovariate(1.2)
        version = getattr(p, "version", 1) or 1
        at_centre = bool(p.level_province and p.competent_agency_id and centre is not None)
        if at_centre:
            lead = p.competent_agency_id
            routes.append(_Route(p.pk, version, days, p.online_level, centre, lead))  # type: ignore[arg-type]
            weights.append(popularity * (0.4 if p.level_commune else 1.0))
        if p.level_commune:
            for commune, part in zip(communes, share, strict=True):
                routes.append(_Route(p.pk, version, days, p.online_level, commune, commune))
                weights.append(popularity * (0.6 if at_centre else 1.0) * part)
    if not routes:
        raise ValueError("no procedure with a processing time: load the demo first (motcua demo)")
    return routes, weights


def _columns() -> list[Any]:
    return [f for f in Dossier._meta.concrete_fields if not f.primary_key]


class _Drawer:
    """One dossier's row at a time, deterministic for a seed."""

    def __init__(self, seed: int, since: dt.datetime, until: dt.datetime, count: int) -> None:
        self.count = count
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.routes, weights = _routes(self.rng)
        self.cumulative = []
        total = 0.0
        for w in weights:
            total += w
            self.cumulative.append(total)
        self.since = since
        self.span = (until - since).total_seconds()
        self.until = until
        # Each lead agency is late at its own rate, so the ranks differ.
        self.late = {r.lead_id: self.rng.uniform(0.03, 0.25) for r in self.routes}
        self.defaults = {f.attname: f.get_default() for f in _columns()}

    def draw(self, index: int, number: int) -> dict[str, Any]:
        rng = self.rng
        route = self.routes[_bisect(self.cumulative, rng.random() * self.cumulative[-1])]
        # In order of arrival, as live work inserts them: the time indexes grow at their end
        # instead of being rewritten all over at every batch.
        received = self.since + dt.timedelta(
            seconds=(index + rng.random()) / self.count * self.span
        )
        if route.online_level != OnlineLevel.NONE and rng.random() < 0.55:
            channel = Channel.ONLINE
        else:
            channel = Channel.POST if rng.random() < 0.03 else Channel.COUNTER
        due = received + dt.timedelta(days=route.days * 1.4)
        row = dict(self.defaults)
        fee = rng.choice((0, 0, 0, 15_000, 50_000, 100_000, 500_000))
        row.update(
            code=f"B{number:010d}",
            lookup_key=f"{rng.getrandbits(40):010x}",
            procedure_id=route.procedure_id,
            procedure_version=route.version,
            channel=channel,
            applicant_kind="person",
            applicant_name=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}",
            applicant_id_number=f"031{rng.randrange(10**9):09d}",
            applicant_address="Hải Phòng",
            receiving_agency_id=route.receiving_id,
            lead_agency_id=route.lead_id,
            current_agency_id=route.lead_id,
            processing_days=route.days,
            received_at=received,
            clock_started_at=received,
            original_due_at=due,
            due_at=due,
            fee_vnd=fee,
            paid_online=fee > 0 and channel == Channel.ONLINE and rng.random() < 0.7,
            digitised=rng.random() < 0.6,
            reused_documents=rng.choice((0, 0, 0, 1, 2)),
            documents_submitted=[],
            form_data={},
            created_at=received,
            updated_at=received,
        )
        fate = rng.random()
        if fate < 0.04:
            status = rng.choice((Status.REFUSED, Status.STOPPED, Status.WITHDRAWN))
            closed = received + dt.timedelta(days=rng.uniform(0.1, route.days))
            if closed < self.until:
                row.update(status=status, closed_at=closed, updated_at=closed)
                return row
        late = rng.random() < self.late[route.lead_id]
        share = rng.uniform(1.02, 1.6) if late else rng.uniform(0.2, 1.0)
        finished = received + (due - received) * share
        if finished >= self.until:
            row.update(status=Status.PROCESSING)
            return row
        verdict = Verdict.LATE if late else (Verdict.EARLY if share < 0.9 else Verdict.ON_TIME)
        kind = rng.choice((ResultKind.PAPER, ResultKind.ELECTRONIC, ResultKind.BOTH))
        returned = finished + dt.timedelta(hours=rng.uniform(1, 72))
        row.update(
            finished_at=finished,
            verdict=verdict,
            result_kind=kind,
            updated_at=finished,
        )
        if returned < self.until:
            row.update(
                status=Status.RETURNED,
                returned_at=returned,
                closed_at=returned,
                returned_how="desk",
            )
        else:
            row.update(status=Status.RESULT_READY)
        return row


def _bisect(cumulative: list[float], x: float) -> int:
    lo, hi = 0, len(cumulative) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cumulative[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def bulk_history(
    count: int,
    *,
    seed: int = 1,
    until: dt.datetime | None = None,
    years: int = 3,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Insert `count` drawn dossiers received over the `years` before `until`; their number."""
    until = until or timezone.now()
    since = until - dt.timedelta(days=365 * years)
    drawer = _Drawer(seed, since, until, count)
    columns = _columns()
    start = Dossier.objects.count()
    written = 0
    while written < count:
        size = min(BATCH, count - written)
        rows = [drawer.draw(written + i, start + written + i + 1) for i in range(size)]
        _insert(columns, rows)
        written += size
        if progress is not None:
            progress(size)
    return written


def _utc_text(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")


def _converter(field: Any, sqlite: bool) -> Callable[[Any], Any]:
    """How a drawn value of `field` goes to the database driver (chosen once per field: a
    per-value check cost as much as the insert itself)."""
    if field.get_internal_type() == "JSONField":
        return json.dumps
    if sqlite and field.get_internal_type() == "DateTimeField":
        return _utc_text
    return lambda value: value


def _insert(columns: list[Any], rows: list[dict[str, Any]]) -> None:
    sqlite = connection.vendor == "sqlite"
    convert = [(f.attname, _converter(f, sqlite)) for f in columns]
    values = ([to_db(row[name]) for name, to_db in convert] for row in rows)
    _rows_copy(Dossier, [f.column for f in columns], values)


@transaction.atomic
def _rows_copy(model: type[Any], names: list[str], values: Iterable[list[Any]]) -> None:
    """Rows straight into the model's table: COPY on PostgreSQL, executemany on SQLite (the
    ORM's bulk_create spends most of its time preparing values already prepared here)."""
    table = connection.ops.quote_name(model._meta.db_table)
    quoted = ", ".join(connection.ops.quote_name(n) for n in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for line in values:
                    copy.write_row(line)
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", list(values))  # noqa: S608 - names are the model's


WINDOW_DAYS = 7


def _windows(first: dt.date, last: dt.date) -> Iterator[tuple[dt.date, Q]]:
    """The days first…last in weeks: each week's last day and the dossiers received in it."""
    day = first
    while day <= last:
        end = min(day + dt.timedelta(days=WINDOW_DAYS - 1), last)
        start_at, _ = c.day_bounds(day)
        _, end_at = c.day_bounds(end)
        yield end, Q(received_at__gte=start_at, received_at__lt=end_at)
        day = end + dt.timedelta(days=1)


_Key = tuple[str, int, int | None, str]


@transaction.atomic
def dossier_facts_build(*, progress: Callable[[int], object] | None = None) -> int:
    """Replace the dossier facts (and their rollups) by the counts of every dossier; the number
    of rows written.

    The dossiers are read a week of receipt at a time. A dossier counts only on the day it was
    received and later (due, finished, closed), so once the weeks up to a day are read, that
    day's counts are complete: they are written and dropped, and memory holds only the days
    that open dossiers may still reach, however long the history."""
    DossierDay.objects.all().delete()
    for rollup in ROLLUPS.values():
        rollup.objects.all().delete()  # type: ignore[attr-defined]
    span = Dossier.objects.aggregate(first=Min("received_at"), last=Max("received_at"))
    if span["first"] is None:
        return 0
    columns = count_columns(DossierDay)
    position = {name: i for i, name in enumerate(columns)}
    open_days: dict[_Key, list[int]] = {}
    written = 0
    first, last = c.local_day(span["first"]), c.local_day(span["last"])
    closed = ""
    for window_end, received_in in _windows(first, last):
        read = 0
        for row in c.dossier_rows(received_in).iterator(chunk_size=BATCH):
            for _table, day, agency, procedure, channel, column in c.dossier_cells(row):
                if day <= closed:
                    raise ValueError(f"dossier {row['pk']} counts on {day}, before it was received")
                key = (day, agency, procedure, channel)
                counts = open_days.get(key)
                if counts is None:
                    counts = open_days[key] = [0] * len(columns)
                counts[position[column]] += 1
            read += 1
        closed = window_end.isoformat()
        done = sorted(k for k in open_days if k[0] <= closed)
        written += _rows_insert(columns, [(k, open_days.pop(k)) for k in done])
        if progress is not None:
            progress(read)
    written += _rows_insert(columns, sorted(open_days.items()))
    last_day = DossierDay.objects.aggregate(last=Max("day"))["last"] or last
    rollups_rebuild(first, last_day)
    planner_statistics_refresh()
    return written


def planner_statistics_refresh() -> None:
    """Tell the query planner how many rows the bulk load wrote. Until autovacuum gets round to
    it, PostgreSQL plans a busy agency's ten thousand dossiers as 7 rows (a hash of them all
    where an index walk of one page was wanted); SQLite keeps no statistics until asked."""
    tables = [Dossier._meta.db_table, DossierDay._meta.db_table]
    tables += [rollup._meta.db_table for rollup in ROLLUPS.values()]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        else:
            # Sampled, so a few seconds at ten million rows rather than a scan of every index.
            cursor.execute("PRAGMA analysis_limit = 1000")
            for table in tables:
                cursor.execute(f"ANALYZE {table}")


def _rows_insert(columns: list[str], counted: list[tuple[_Key, list[int]]]) -> int:
    names = ["day", "agency_id", "procedure_id", "channel", *columns]
    _rows_copy(DossierDay, names, ([*key, *values] for key, values in counted))
    return len(counted)
