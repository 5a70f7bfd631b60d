"""The service index API (Decision 766) for a quarter and a year against an in-process DuckDB
scan computing the same counts from the same raw dossier rows, in the same invocation.

    bench/bench_service_index.py [--dossiers N] [--repeat R]

The history is loaded by `demo.bulk` (rows in batches, facts by the facts' own cells) unless the
database already holds N dossiers (set MOTCUA_VAR_DIR, or MOTCUA_DATABASE_URL for PostgreSQL, to
reuse one). The raw rows are copied into DuckDB once, untimed; DuckDB runs on 2 threads. Printed:
load time, API p50/p99, DuckDB p50/p99, the ratio API/DuckDB (p50 and p99; under 1 is the
target), the drill-down's first page against 50 ms, whether DuckDB's numbers equal the API's for
every metric it can compute, and the process's peak RSS."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import percentile, setup_django, timings

TZ_HOURS = 7  # Asia/Ho_Chi_Minh, no daylight saving: the facts' local day is UTC + 7 h
MOMENTS = ("received_at", "due_at", "finished_at", "closed_at")
RAW = (
    "d.id, d.lead_agency_id, d.channel, p.online_level, {moments}, d.fee_vnd, d.paid_online, "
    "d.digitised, d.reused_documents, d.verdict, d.result_kind, d.status, "
    "(a.id IS NOT NULL) AS apologised"
)
RAW_FROM = (
    "FROM dossiers_dossier d JOIN catalog_procedure p ON p.id = d.procedure_id "
    "LEFT JOIN dossiers_apology a ON a.dossier_id = d.id"
)
DUCK_COLUMNS = (
    "id BIGINT, lead INTEGER, channel VARCHAR, online_level VARCHAR, received_at TIMESTAMP, "
    "due_at TIMESTAMP, finished_at TIMESTAMP, closed_at TIMESTAMP, fee BIGINT, "
    "paid_online BOOLEAN, digitised BOOLEAN, reused INTEGER, verdict VARCHAR, "
    "result_kind VARCHAR, status VARCHAR, apologised BOOLEAN"
)
# The facts' columns (facts/models.py, facts.cells), as DuckDB aggregates over the rows whose
# moment falls in the period.
ON_RECEIVED = {
    "received": "count(*)",
    "online_full": "count(*) FILTER (channel = 'online' AND online_level = 'full')",
    "online_partial": "count(*) FILTER (channel = 'online' AND online_level = 'partial')",
    "eligible_full": "count(*) FILTER (online_level = 'full')",
    "with_fee": "count(*) FILTER (fee > 0)",
    "paid_online": "count(*) FILTER (fee > 0 AND paid_online)",
    "digitised": "count(*) FILTER (digitised)",
    "reused": "count(*) FILTER (reused > 0)",
}
CLOSED_UNFINISHED = "status IN ('refused', 'stopped', 'withdrawn') AND closed_at IS NOT NULL"
ON_DUE = {
    "due": "count(*)",
    "due_in_time": "count(*) FILTER (finished_at IS NOT NULL AND verdict IN ('early', 'on_time'))",
    "due_late": "count(*) FILTER (finished_at IS NOT NULL AND verdict = 'late')",
    "due_open": f"count(*) FILTER (finished_at IS NULL AND NOT ({CLOSED_UNFINISHED}))",
}
ON_FINISHED = {
    "finished": "count(*)",
    "finished_early": "count(*) FILTER (verdict = 'early')",
    "finished_on_time": "count(*) FILTER (verdict = 'on_time')",
    "finished_late": "count(*) FILTER (verdict = 'late')",
    "late_apologised": "count(*) FILTER (verdict = 'late' AND apologised)",
    "electronic_result": "count(*) FILTER (result_kind IN ('electronic', 'both'))",
}
ON_CLOSED = {"closed_unfinished": f"count(*) FILTER (finished_at IS NULL AND {CLOSED_UNFINISHED})"}
SCANS = (
    ("received_at", ON_RECEIVED),
    ("due_at", ON_DUE),
    ("finished_at", ON_FINISHED),
    ("closed_at", ON_CLOSED),
)


DASHBOARD_TARGET_MS = 300


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def load(count: int, seed: int) -> float:
    """Bulk-load the history unless it is there; the seconds it took (0 when reused)."""
    from django.core.management import call_command

    from motcua.demo.bulk import bulk_history, dossier_facts_build
    from motcua.dossiers.models import Dossier
    from motcua.org.models import Agency

    have = Dossier.objects.count()
    if have >= count:
        return 0.0
    started = time.perf_counter()
    if not Agency.objects.exists():
        call_command("demo", verbosity=0)
    bulk_history(count - Dossier.objects.count(), seed=seed)
    dossier_facts_build()
    return time.perf_counter() - started


def duck_load() -> Any:
    """The raw rows, copied into an in-memory DuckDB through a CSV file (untimed)."""
    import duckdb
    from django.db import connection

    handle, path = tempfile.mkstemp(suffix=".csv", prefix="motcua-bench-")
    os.close(handle)
    utc = " AT TIME ZONE 'UTC'" if connection.vendor == "postgresql" else ""
    raw = RAW.format(moments=", ".join(f"d.{m}{utc}" for m in MOMENTS))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query = f"COPY (SELECT {raw} {RAW_FROM}) TO STDOUT WITH CSV"
            with open(path, "wb") as out, cursor.cursor.copy(query) as copy:
                for block in copy:
                    out.write(block)
        else:
            cursor.execute(f"SELECT {raw} {RAW_FROM}")
            with open(path, "w", newline="") as out:
                writer = csv.writer(out)
                while rows := cursor.fetchmany(50_000):
                    writer.writerows(rows)
    duck = duckdb.connect(config={"threads": 2})
    columns = ", ".join(
        f"'{name}': '{kind}'"
        for name, kind in (c.strip().split(" ", 1) for c in DUCK_COLUMNS.split(","))
    )
    duck.execute(
        f"CREATE TABLE d AS SELECT * FROM read_csv('{path}', header = false, "  # noqa: S608 - a temp file
        f"columns = {{{columns}}})"
    )
    os.remove(path)
    return duck


def utc_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(first, dt.time.min) - dt.timedelta(hours=TZ_HOURS)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min)
    return start, end - dt.timedelta(hours=TZ_HOURS)


def duck_counts(duck: Any, first: dt.date, last: dt.date) -> dict[int, dict[str, int]]:
    """Per lead agency, every facts column summed over the period, from the raw rows."""
    start, end = utc_bounds(first, last)
    out: dict[int, dict[str, int]] = {}
    for moment, aggregates in SCANS:
        select = ", ".join(f"{sql} AS {name}" for name, sql in aggregates.items())
        rows = duck.execute(
            f"SELECT lead, {select} FROM d WHERE {moment} >= ? AND {moment} < ? GROUP BY lead",  # noqa: S608 - constants
            [start, end],
        ).fetchall()
        for lead, *values in rows:
            out.setdefault(lead, {}).update(zip(aggregates, values, strict=True))
    return out


def compare(payload: dict[str, Any], duck: dict[int, dict[str, int]], last: dt.date) -> str:
    """Each province metric whose inputs DuckDB computes: its numerator and denominator from
    DuckDB's sums against the API's."""
    from motcua.indices import service

    known = {n for agg in SCANS for n in agg[1]}
    province: dict[str, int] = {}
    for sums in duck.values():
        for name, n in sums.items():
            province[name] = province.get(name, 0) + n
    api = {m["code"]: m for g in payload["province"]["groups"] for m in g["metrics"]}
    checked: list[str] = []
    wrong: list[str] = []
    for node in service.leaves(service.methodology_in_force(last)):
        rule = node["rule"]
        inputs = [*rule["numerator"], *rule["denominator"]]
        if not all(i.startswith("dossier.") and i[8:] in known for i in inputs):
            continue
        mine = tuple(
            sum(province.get(i[8:], 0) for i in rule[p]) for p in ("numerator", "denominator")
        )
        theirs = (api[node["code"]]["numerator"], api[node["code"]]["denominator"])
        (checked if mine == theirs else wrong).append(f"{node['code']} {theirs[0]}/{theirs[1]}")
        if mine != theirs:
            wrong[-1] += f" (DuckDB {mine[0]}/{mine[1]})"
    verdict = "EQUAL" if checked and not wrong else "DIFFERENT"
    return f"{verdict}: equal {', '.join(checked) or '-'}; different {', '.join(wrong) or '-'}"


def compare_facts(duck: dict[int, dict[str, int]], first: dt.date, last: dt.date) -> str:
    """DuckDB's per-agency sums against the dossier facts' (every column both have)."""
    from django.db.models import Sum

    from motcua.facts.models import DossierDay
    from motcua.facts.services import count_columns

    names = [n for n in count_columns(DossierDay) if any(n in agg for _m, agg in SCANS)]
    rows = (
        DossierDay.objects.filter(day__gte=first, day__lte=last)
        .values("agency_id")
        .annotate(**{f"sum__{n}": Sum(n) for n in names})
    )
    facts: dict[int, dict[str, int]] = {
        r["agency_id"]: {n: r[f"sum__{n}"] or 0 for n in names}  # type: ignore[literal-required]  # annotated keys
        for r in rows
    }
    zero = dict.fromkeys(names, 0)
    wrong = [
        f"{agency}.{n}"
        for agency in set(facts) | set(duck)
        for n in names
        if facts.get(agency, zero)[n] != duck.get(agency, {}).get(n, 0)
    ]
    received = sum(f["received"] for f in facts.values())
    verdict = "EQUAL" if not wrong else f"DIFFERENT in {len(wrong)}: {', '.join(wrong[:8])}"
    return f"{verdict} ({len(facts)} agencies x {len(names)} columns, {received:,} received)"


def ratio_line(name: str, api: list[float], duck: list[float]) -> str:
    a50, a99, d50, d99 = (percentile(s, p) for s in (api, duck) for p in (50, 99))
    verdict = "OK" if a99 / d99 < 1 else "API SLOWER"
    return (
        f"{name}: API p50 {a50:.1f} ms p99 {a99:.1f} ms | DuckDB p50 {d50:.1f} ms p99 {d99:.1f} ms"
        f" | ratio API/DuckDB p50 {a50 / d50:.2f} p99 {a99 / d99:.2f} (target < 1): {verdict}"
    )


def main() -> None:
    args = arguments()
    setup_django("service-index")
    from django.db import connection
    from django.db.models import Sum
    from django.test import Client
    from django.utils import timezone

    from motcua.dossiers.models import Dossier
    from motcua.facts.models import DossierDay
    from motcua.org.models import User
    from motcua.org.services import api_token_create

    seconds = load(args.dossiers, args.seed)
    total = Dossier.objects.count()
    print(
        f"database: {connection.vendor}; {total:,} dossiers, {DossierDay.objects.count():,} "
        f"dossier fact rows; load {'reused' if not seconds else f'{seconds:.0f} s'}"
    )
    started = time.perf_counter()
    duck = duck_load()
    copied = duck.execute("SELECT count(*) FROM d").fetchone()[0]
    took = time.perf_counter() - started
    print(f"DuckDB: {copied:,} rows copied in {took:.0f} s (untimed), threads=2")

    today = timezone.localdate()
    quarter = (today.month - 1) // 3  # the last full quarter
    year, q = (today.year, quarter) if quarter else (today.year - 1, 4)
    periods = {
        "quarter": (f"{year}-Q{q}", dt.date(year, 3 * q - 2, 1), _quarter_end(year, q)),
        "year": (
            str(today.year - 1),
            dt.date(today.year - 1, 1, 1),
            dt.date(today.year - 1, 12, 31),
        ),
    }
    client = Client(HTTP_HOST="127.0.0.1")
    for name, (label, first, last) in periods.items():
        same = compare_facts(duck_counts(duck, first, last), first, last)
        print(f"  DuckDB = facts tables, {name}: {same}")
        url = f"/api/v1/indices/service?period={label}"
        response = client.get(url)
        if response.status_code != 200:
            print(f"{name}: GET {url} → {response.status_code}: {response.content[:200]!r}")
            continue
        api = timings(partial(client.get, url), args.repeat)
        scan = timings(partial(duck_counts, duck, first, last), args.repeat)
        print(ratio_line(f"service index, {name} {label}", api, scan))
        print(
            f"  numbers, {name}: {compare(response.json(), duck_counts(duck, first, last), last)}"
        )

    label, first, last = periods["quarter"]
    busiest = (
        DossierDay.objects.filter(day__gte=first, day__lte=last)
        .values("agency__code")
        .annotate(n=Sum("received"))
        .order_by("-n")
        .values_list("agency__code", flat=True)
        .first()
    )
    reform = User.objects.filter(role=User.Role.REFORM_OFFICE).order_by("id").first()
    if reform is not None and busiest:
        headers = {"Authorization": f"Bearer {api_token_create(user=reform)}"}
        url = (
            f"/api/v1/indices/service/records?period={label}&agency={busiest}"
            "&metric=TTTT.A&part=denominator"
        )
        response = client.get(url, headers=headers)
        if response.status_code == 200:
            pages = timings(lambda: client.get(url, headers=headers), args.repeat)
            p50, p99 = percentile(pages, 50), percentile(pages, 99)
            print(
                f"drill-down first page ({busiest}, TTTT.A denominator, total "
                f"{response.json()['total']:,}): p50 {p50:.1f} ms p99 {p99:.1f} ms "
                f"(target < 50 ms): {'OK' if p99 < 50 else 'OVER TARGET'}"
            )
        else:
            print(f"drill-down: GET {url} → {response.status_code}: {response.content[:200]!r}")
    if reform is not None and busiest:
        dashboards(client, reform, busiest, periods, args.repeat)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (Django + DuckDB): {rss:,.0f} MB")


def dashboards(client: Any, reform: Any, agency: str, periods: dict, repeat: int) -> None:
    """The province and agency dashboards' server time (the whole page: the index of the period
    and of the one before, figures, rankings, trend, warnings), target < 300 ms."""
    client.force_login(reform)
    for name, (label, _first, _last) in periods.items():
        for page, url in (
            ("province dashboard", f"/dieu-hanh/?period={label}"),
            (f"agency dashboard ({agency})", f"/dieu-hanh/{agency}/?period={label}"),
        ):
            response = client.get(url)
            if response.status_code != 200:
                print(f"{page}: GET {url} → {response.status_code}")
                continue
            samples = timings(partial(client.get, url), repeat)
            p50, p99 = percentile(samples, 50), percentile(samples, 99)
            print(
                f"{page}, {name} {label}: p50 {p50:.1f} ms p99 {p99:.1f} ms "
                f"(target < {DASHBOARD_TARGET_MS} ms): "
                f"{'OK' if p99 < DASHBOARD_TARGET_MS else 'OVER TARGET'}"
            )


def _quarter_end(year: int, q: int) -> dt.date:
    month = 3 * q
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


if __name__ == "__main__":
    main()
