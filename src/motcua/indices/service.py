"""The real-time service index of Decision 766 (methodologies/service-766.yaml) for a period and
a level of agencies, from the facts tables in a few grouped queries (docs/service-index.md)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, reduce
from operator import add
from pathlib import Path
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Procedure
from motcua.common.errors import ApiError
from motcua.facts.models import (
    DossierAgencyDay,
    DossierAgencyMonth,
    DossierDay,
    DossierProcedureYear,
    PetitionDay,
    month_column,
)
from motcua.facts.selectors import TIMED, in_time_from, timed_among
from motcua.org.models import Agency
from motcua.workdays.selectors import get_calendar

from . import engine
from .localize import local_name
from .methodology import METHODOLOGY_DIR, read_file

CODE = "service-766"
LEVELS = {
    "department": (Agency.Kind.DEPARTMENT,),
    "commune": (Agency.Kind.COMMUNE_COMMITTEE,),
}
LEVEL_OF_KIND: dict[str, str] = {kind: level for level, kinds in LEVELS.items() for kind in kinds}
ALL = "all"
RATIO_PLACES = Decimal("0.0001")

ERR_PERIOD = (
    "bad_period",
    _("Period “{period}” is not YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD."),
)
ERR_PERIOD_REVERSED = ("period_reversed", _("Period “{period}” ends before it starts."))
ERR_PERIOD_FUTURE = ("period_in_future", _("Period “{period}” starts after today."))
ERR_LEVEL = ("bad_level", _("Level “{level}” is not department, commune or all."))
ERR_NO_METHODOLOGY = (
    "no_methodology_in_force",
    _("No version of the service index is in force on {day}."),
)


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    label: str


_YEAR = re.compile(r"(\d{4})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def parse_period(text: str, *, today: dt.date) -> Period:
    """A year, quarter, month or inclusive day range; a period that starts after `today`, ends
    before it starts or is malformed is a 400. One that runs past today ends today (the year so
    far), so nothing is judged before it happens."""
    text = (text or "").strip()
    try:
        if m := _YEAR.fullmatch(text):
            first, last = dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
        elif m := _QUARTER.fullmatch(text):
            year, quarter = int(m[1]), int(m[2])
            first = dt.date(year, 3 * quarter - 2, 1)
            last = _month_end(year, 3 * quarter)
        elif m := _MONTH.fullmatch(text):
            first = dt.date(int(m[1]), int(m[2]), 1)
            last = _month_end(first.year, first.month)
        elif m := _RANGE.fullmatch(text):
            first, last = dt.date.fromisoformat(m[1]), dt.date.fromisoformat(m[2])
        else:
            raise ValueError(text)
    except ValueError:
        raise ApiError(*ERR_PERIOD, period=text) from None
    if last < first:
        raise ApiError(*ERR_PERIOD_REVERSED, period=text)
    if first > today:
        raise ApiError(*ERR_PERIOD_FUTURE, period=text)
    return Period(first=first, last=min(last, today), label=text)


def level_check(level: str) -> str:
    if level not in (*LEVELS, ALL):
        raise ApiError(*ERR_LEVEL, level=level)
    return level


# --- the methodology -------------------------------------------------------------------------


@cache
def _versions(directory: Path) -> tuple[dict[str, Any], ...]:
    documents = [
        read_file(p) for p in sorted(directory.iterdir()) if p.suffix in {".yaml", ".yml", ".json"}
    ]
    return tuple(d for d in documents if d.get("code") == CODE)


def methodology_in_force(on: dt.date, directory: Path = METHODOLOGY_DIR) -> dict[str, Any]:
    """The version of the service index whose effective_from is the latest on or before `on`."""
    in_force = [d for d in _versions(directory) if dt.date.fromisoformat(d["effective_from"]) <= on]
    if not in_force:
        raise ApiError(*ERR_NO_METHODOLOGY, day=on.isoformat())
    return max(in_force, key=lambda d: d["effective_from"])


def leaves(methodology: Mapping[str, Any]) -> list[dict[str, Any]]:
    codes = set(engine.leaf_codes(methodology["nodes"]))
    return [n for n in methodology["nodes"] if n["code"] in codes]


def inputs_of(methodology: Mapping[str, Any]) -> set[str]:
    return {
        name
        for node in leaves(methodology)
        for part in ("numerator", "denominator")
        for name in node["rule"][part]
    }


# --- the inputs: {agency id: {input name: count}} ---------------------------------------------


@dataclass(frozen=True)
class _Split:
    """A period as the rollups read it: its whole months (first days start…end, end excluded;
    `skip`: one month read by its days instead) and its other days (`days`)."""

    start: dt.date | None
    end: dt.date | None
    skip: dt.date | None
    days: Q | None


def _split(period: Period, pivot: dt.date | None = None) -> _Split:
    """The whole months of the period but the one holding `pivot` (a day a sum is judged by,
    which month rows cannot tell apart), and the days at the edges and of that month."""
    months = _whole_months(period)
    if months is None:
        return _Split(None, None, None, Q(day__gte=period.first, day__lte=period.last))
    start, end = months
    days = []
    if period.first < start:
        days.append(Q(day__gte=period.first, day__lt=start))
    if end <= period.last:
        days.append(Q(day__gte=end, day__lte=period.last))
    skip = None
    if pivot is not None and start <= pivot < end:
        skip = pivot.replace(day=1)
        days.append(Q(day__gte=skip, day__lt=_month_after(skip)))
    where = None
    for q in days:
        where = q if where is None else where | q
    return _Split(start, end, skip, where)


def _month_after(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _table_sums(
    table: str,
    names: Collection[str],
    period: Period,
    now: dt.datetime,
    agency_ids: Collection[int] | None = None,
) -> dict[int, dict[str, int]]:
    """Per agency, each named column and each class judged as of `now` (facts.selectors.TIMED:
    still open and in time or overdue), summed over the period. Dossiers are read from their
    per-agency month sums for the whole months and day sums for the rest (a dozen rows per
    agency a year, plus the edges); petitions from their day rows."""
    timed = [n for n in names if n in TIMED]
    columns = [n for n in names if n not in TIMED]
    ordered = [*columns, *timed]

    def sums(model: type[Any], rows: Q, field: str) -> list[tuple[Any, ...]]:
        aggregates = [Sum(c) for c in columns] + [
            Sum(column, filter=condition)
            for column, condition in timed_among(now, *timed, field=field).values()
        ]
        if agency_ids is not None:
            rows &= Q(agency_id__in=list(agency_ids))
        return list(
            model.objects.filter(rows)
            .values("agency_id")
            .annotate(**{f"sum__{i}": s for i, s in enumerate(aggregates)})
            .values_list("agency_id", *(f"sum__{i}" for i in range(len(aggregates))))
        )

    if table == "dossier":
        split = _split(period, in_time_from(now) if timed else None)
        parts = []
        if split.start is not None:
            months = Q(month__gte=split.start, month__lt=split.end)
            if split.skip is not None:
                months &= ~Q(month=split.skip)
            parts += sums(DossierAgencyMonth, months, "month")
        if split.days is not None:
            parts += sums(DossierAgencyDay, split.days, "day")
    else:
        parts = sums(PetitionDay, Q(day__gte=period.first, day__lte=period.last), "day")
    result: dict[int, dict[str, int]] = {}
    for agency_id, *values in parts:
        into = result.setdefault(agency_id, dict.fromkeys(ordered, 0))
        for n, v in zip(ordered, values, strict=True):
            into[n] += v or 0
    return result


def fee_procedures() -> dict[int | None, set[int]]:
    """Procedures in force with a fee, by competent agency; key None: the commune-level ones
    no single agency is competent for (every commune committee's)."""
    result: dict[int | None, set[int]] = defaultdict(set)
    rows = Procedure.objects.filter(fee_vnd__gt=0, abolished_on__isnull=True).values_list(
        "pk", "competent_agency_id", "level_commune"
    )
    for pk, agency_id, commune in rows:
        if agency_id is not None:
            result[agency_id].add(pk)
        elif commune:
            result[None].add(pk)
    return result


def fee_procedures_of(agency_id: int, kind: str, fees: Mapping[int | None, set[int]]) -> set[int]:
    own = set(fees.get(agency_id, set()))
    if kind == Agency.Kind.COMMUNE_COMMITTEE:
        own |= fees.get(None, set())
    return own


def _whole_months(period: Period) -> tuple[dt.date, dt.date] | None:
    """The first days of the first and the month after the last whole month in the period."""
    start = (
        period.first
        if period.first.day == 1
        else _month_end(period.first.year, period.first.month) + dt.timedelta(days=1)
    )
    after_last = period.last + dt.timedelta(days=1)
    end = after_last.replace(day=1)
    return (start, end) if start < end else None


def _months_by_year(start: dt.date, end: dt.date) -> dict[int, list[int]]:
    """The months first days start…end (excluded) hold, by year."""
    result: dict[int, list[int]] = defaultdict(list)
    month = start
    while month < end:
        result[month.year].append(month.month)
        month = _month_after(month)
    return result


# The procedure-year columns that tell whether a procedure was used (the 766 procedure counts).
USED_COLUMNS = ("received", "with_fee", "paid_online", "population_data")


def procedure_sets(period: Period) -> dict[int, dict[str, set[int]]]:
    """Per agency, the procedures that received dossiers, received one with a fee, had one
    paid online, or used national population data in the period: the whole months from the
    per-procedure year rows (one query per year touched, a row per procedure used), the days
    before and after them from the day rows."""
    columns = USED_COLUMNS
    split = _split(period)
    queries: list[QuerySet[Any]] = []
    if split.start is not None and split.end is not None:
        for year, months in _months_by_year(split.start, split.end).items():
            used = {
                f"used__{c}": reduce(add, (F(month_column(c, m)) for m in months)) for c in columns
            }
            nonzero = Q()
            for name in used:
                nonzero |= Q(**{f"{name}__gt": 0})
            queries.append(
                DossierProcedureYear.objects.filter(year=dt.date(year, 1, 1))
                .annotate(**used)
                .filter(nonzero)
                .values_list("agency_id", "procedure_id", *used)
            )
    if split.days is not None:
        queries.append(
            DossierDay.objects.filter(split.days)
            .values("agency_id", "procedure_id")
            .annotate(**{f"sum__{c}": Sum(c) for c in columns})
            .values_list("agency_id", "procedure_id", *(f"sum__{c}" for c in columns))
        )
    result: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for query in queries:
        for agency_id, procedure_id, *sums in _driver_rows(query):
            for column, n in zip(columns, sums, strict=True):
                if n:
                    result[agency_id][column].add(procedure_id)
    return result


def _driver_rows(query: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """A values_list query's rows as the database driver returns them: here plain integers, on
    which Django's per-value converters cost as much as the query itself (a row per procedure
    an agency used, thousands a year)."""
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _procedure_counts(
    agencies: Iterable[tuple[int, str]], period: Period
) -> dict[int, dict[str, int]]:
    fees = fee_procedures()
    sets = procedure_sets(period)
    result = {}
    for agency_id, kind in agencies:
        fee = fee_procedures_of(agency_id, kind, fees)
        used = sets.get(agency_id, {})
        result[agency_id] = {
            "procedures.fee": len(fee),
            "procedures.fee_paid_online": len(fee & used.get("paid_online", set())),
            "procedures.fee_received": len(fee & used.get("with_fee", set())),
            "procedures.received": len(used.get("received", set())),
            "procedures.population_data": len(used.get("population_data", set())),
        }
    return result


def _catalog_counts(period: Period) -> dict[int | None, dict[str, int]]:
    """catalog.selectors.publication_counts by competent agency, "on time" in the province's
    working days (the workdays calendar with its holidays and make-up days)."""
    counts = catalog_selectors.publication_counts(
        period.first, period.last, is_working_day=get_calendar().is_working_day
    )
    fields = (
        "announced",
        "announced_on_time",
        "amended",
        "amended_on_time",
        "in_force",
        "complete",
    )
    return {
        agency_id: {f"catalog.{f}": int(getattr(c, f)) for f in fields}
        for agency_id, c in counts.items()
    }


def _by_table(names: Collection[str]) -> dict[str, set[str]]:
    """Input names ("dossier.received") grouped by their table: {"dossier": {"received"}}."""
    by_table: dict[str, set[str]] = defaultdict(set)
    for name in names:
        table, _dot, column = name.partition(".")
        by_table[table].add(column)
    return by_table


def _fact_inputs(
    by_table: Mapping[str, Collection[str]],
    period: Period,
    now: dt.datetime,
    agency_ids: Collection[int] | None = None,
) -> Iterator[tuple[int, dict[str, int]]]:
    """(agency id, {input name: count}) of the dossier and petition facts, agency by agency."""
    for table in ("dossier", "petition"):
        if by_table.get(table):
            for agency_id, sums in _table_sums(
                table, by_table[table], period, now, agency_ids
            ).items():
                yield agency_id, {f"{table}.{c}": v for c, v in sums.items()}


def agency_sums(
    names: Collection[str], period: Period, agency_id: int | None, now: dt.datetime
) -> dict[str, int]:
    """The dossier and petition inputs among `names` of one agency (None: of every agency
    together), as `inputs` counts them."""
    by_table = _by_table(names)
    result = {n: 0 for n in names if n.partition(".")[0] in ("dossier", "petition")}
    agency_ids = None if agency_id is None else [agency_id]
    for _agency_id, sums in _fact_inputs(by_table, period, now, agency_ids):
        for name, value in sums.items():
            result[name] += value
    return result


def inputs(
    names: Collection[str], period: Period, agencies: Iterable[tuple[int, str]], now: dt.datetime
) -> dict[int, dict[str, int]]:
    """{agency id: {input name: count}} for every agency given (id, kind), zeros included."""
    agencies = list(agencies)
    by_table = _by_table(names)
    result: dict[int, dict[str, int]] = {a: dict.fromkeys(names, 0) for a, _k in agencies}
    for agency_id, sums in _fact_inputs(by_table, period, now):
        if agency_id in result:
            result[agency_id].update(sums)
    if by_table.get("procedures"):
        for agency_id, counts in _procedure_counts(agencies, period).items():
            result[agency_id].update({k: v for k, v in counts.items() if k in names})
    if by_table.get("catalog"):
        for competent, counts in _catalog_counts(period).items():
            if competent in result:
                result[competent].update({k: v for k, v in counts.items() if k in names})
    return result


# --- points ------------------------------------------------------------------------------------


def _number(value: Decimal, places: Decimal = engine.CENT) -> float:
    return float(value.quantize(places))


@dataclass(frozen=True)
class _Plan:
    """What scoring needs of a methodology, worked out once per request instead of once per
    agency: the leaves with their names and maxima, the groups and their leaves."""

    nodes: list[dict[str, Any]]
    leaves: list[tuple[dict[str, Any], str, Decimal]]
    groups: list[tuple[str, str, Decimal, list[str]]]


def plan_of(methodology: Mapping[str, Any]) -> _Plan:
    nodes = methodology["nodes"]
    kids = engine.children_of(nodes)
    return _Plan(
        nodes=nodes,
        leaves=[
            (n, local_name(n["name_vi"], n["name_en"]), engine.dec(n["max_points"]))
            for n in leaves(methodology)
        ],
        groups=[
            (
                n["code"],
                local_name(n["name_vi"], n["name_en"]),
                engine.dec(n["max_points"]),
                kids.get(n["code"], []),
            )
            for n in nodes
            if n.get("parent") is None
        ],
    )


def score(
    methodology: Mapping[str, Any], counts: Mapping[str, int], plan: _Plan | None = None
) -> dict[str, Any]:
    """Groups and total of one subject from its input counts (the API's item without agency);
    `plan`: plan_of(methodology), when many subjects are scored by it."""
    plan = plan or plan_of(methodology)
    leaf_points: dict[str, Decimal] = {}
    metrics: dict[str, dict[str, Any]] = {}
    for node, name, max_points in plan.leaves:
        rule = node["rule"]
        numerator = sum(counts.get(n, 0) for n in rule["numerator"])
        denominator = sum(counts.get(n, 0) for n in rule["denominator"])
        ratio = Decimal(numerator) / Decimal(denominator) if denominator else None
        points = engine.rule_points(rule, max_points, ratio) or engine.ZERO
        leaf_points[node["code"]] = points
        metrics[node["code"]] = {
            "code": node["code"],
            "name": name,
            "numerator": numerator,
            "denominator": denominator,
            "ratio": None if ratio is None else _number(ratio, RATIO_PLACES),
            "points": _number(points),
            "max_points": float(max_points),
        }
    rolled = engine.rollup(plan.nodes, leaf_points)
    groups = [
        {
            "code": code,
            "name": name,
            "max_points": float(max_points),
            "score": _number(rolled[code]),
            "metrics": [metrics[c] for c in kids if c in metrics],
        }
        for code, name, max_points, kids in plan.groups
    ]
    return {"total": _number(rolled[""]), "groups": groups}


def agencies_of(level: str) -> list[Agency]:
    kinds = [k for lv, ks in LEVELS.items() if level in (lv, ALL) for k in ks]
    return list(Agency.objects.filter(kind__in=kinds).order_by("code"))


@dataclass(frozen=True)
class Evaluation:
    """The service index of every agency for a period, with the counts it was computed from
    (every agency's inputs, and any extra inputs asked for), for the pages that show both."""

    period: Period
    methodology: dict[str, Any]
    counts: dict[int, dict[str, int]]
    items: list[dict[str, Any]]
    province: dict[str, Any]
    province_counts: dict[str, int]


def evaluate(
    period: Period, *, now: dt.datetime | None = None, extra: Collection[str] = ()
) -> Evaluation:
    """Every department and commune committee scored and ranked within its level (ties share
    the best rank), and the province: the same formulas over the sums of every agency's
    numerators and denominators. `extra`: more dossier or petition inputs to count alongside."""
    now = now or timezone.now()
    methodology = methodology_in_force(period.last)
    names = inputs_of(methodology) | set(extra)
    everyone = list(Agency.objects.values_list("pk", "kind"))
    counts = inputs(names, period, everyone, now)
    plan = plan_of(methodology)
    items = [
        {
            "agency": agency.code,
            "agency_name": agency.name,
            "agency_id": agency.pk,
            "level": LEVEL_OF_KIND[agency.kind],
            **score(methodology, counts[agency.pk], plan),
        }
        for agency in agencies_of(ALL)
    ]
    for lv in LEVELS:
        ranks = engine.competition_ranks(
            {i["agency"]: Decimal(str(i["total"])) for i in items if i["level"] == lv}
        )
        for item in items:
            if item["level"] == lv:
                item["rank"] = ranks[item["agency"]]
    items.sort(key=lambda i: (i["level"], i["rank"], i["agency"]))
    province_counts = {name: sum(c[name] for c in counts.values()) for name in names}
    province = {
        "agency": None,
        "agency_name": str(_("Whole province")),
        "level": "province",
        **score(methodology, province_counts, plan),
    }
    return Evaluation(period, methodology, counts, items, province, province_counts)


ITEM_FIELDS = ("agency", "agency_name", "level", "total", "rank", "groups")


def service_index(period: Period, level: str = ALL, *, now: dt.datetime | None = None) -> dict:
    """The API payload: the agencies of the level from `evaluate`, and the province."""
    level_check(level)
    evaluation = evaluate(period, now=now)
    return {
        "period": period.label,
        "items": [
            {k: item[k] for k in ITEM_FIELDS}
            for item in evaluation.items
            if level in (item["level"], ALL)
        ],
        "province": evaluation.province,
    }


def metric_node(methodology: Mapping[str, Any], code: str) -> dict[str, Any] | None:
    return next((n for n in leaves(methodology) if n["code"] == code), None)


DOSSIER_SATISFACTION = "MDHL.3"


def dossier_satisfaction_node(on: dt.date) -> dict[str, Any]:
    """The dossier-satisfaction leaf of the version in force on `on` (for the ratings report)."""
    node = metric_node(methodology_in_force(on), DOSSIER_SATISFACTION)
    if node is None:
        raise LookupError(f"{CODE} in force on {on} has no {DOSSIER_SATISFACTION}")
    return node
