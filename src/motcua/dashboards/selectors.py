"""What the province and agency dashboards show, read from the facts and the service index
(maintained counts: a handful of grouped queries, whatever the number of dossiers), never from
the dossiers themselves, except the work still open (early warnings) and the staff's steps."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier, Handover
from motcua.facts.models import DossierAgencyMonth, DossierProcedureYear, month_column
from motcua.indices import engine
from motcua.indices.service import LEVEL_OF_KIND, Evaluation, Period, evaluate
from motcua.org.models import Agency, User

from . import figures as fig
from .periods import months_of, previous, trend_months

# The agencies the service index ranks are those with a dashboard.
DASHBOARD_KINDS = tuple(LEVEL_OF_KIND)
TREND_COLUMNS = ("received", "finished", "finished_late", "due_in_time", "due_late")
BAND_LABELS = {
    "excellent": _("excellent"),
    "good": _("good"),
    "average": _("average"),
    "weak": _("weak"),
}


def band_of(methodology: Mapping[str, Any], total: float) -> str | None:
    """The service index's grade of a total (the methodology's groups), None without groups."""
    percent = engine.index_percent(engine.dec(total), engine.dec(methodology["total_points"]))
    return engine.group_for(percent, methodology.get("groups", [])) or None


def _evaluations(period: Period, now: dt.datetime) -> tuple[Evaluation, Evaluation]:
    before = previous(period, timezone.localdate(now))
    return evaluate(period, now=now, extra=fig.INPUTS), evaluate(before, now=now, extra=fig.INPUTS)


def _ranking(current: Evaluation, before: Evaluation, level: str) -> list[dict[str, Any]]:
    earlier = {i["agency"]: i for i in before.items if i["level"] == level}
    rows = []
    for item in current.items:
        if item["level"] != level:
            continue
        was = earlier.get(item["agency"])
        rows.append(
            {
                "agency": item["agency"],
                "agency_name": item["agency_name"],
                "total": item["total"],
                "rank": item["rank"],
                "band": (band := band_of(current.methodology, item["total"])),
                "band_label": str(BAND_LABELS.get(band or "", "")),
                "previous_total": was["total"] if was else None,
                "previous_rank": was["rank"] if was else None,
                # Up is better: a rank 5 → 2 is +3.
                "rank_change": was["rank"] - item["rank"] if was else None,
                "groups": {g["code"]: g["score"] for g in item["groups"]},
            }
        )
    return rows


def monthly_trend(period: Period, agency_id: int | None = None) -> list[dict[str, Any]]:
    """The months ending with the period's: received, finished, finished late, and the on-time
    share of the dossiers due (TDGQ's ratio), from the agency-month rows in one query."""
    months = trend_months(period.last)
    rows = DossierAgencyMonth.objects.filter(month__gte=months[0], month__lte=months[-1])
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    sums: dict[dt.date, dict[str, Any]] = {
        r["month"]: dict(r)
        for r in rows.values("month").annotate(**{c: Sum(c) for c in TREND_COLUMNS})
    }
    result = []
    for month in months:
        r: dict[str, Any] = sums.get(month, {})
        due_in_time, due_late = r.get("due_in_time") or 0, r.get("due_late") or 0
        result.append(
            {
                "month": month.strftime("%m/%Y"),
                "received": r.get("received") or 0,
                "finished": r.get("finished") or 0,
                "finished_late": r.get("finished_late") or 0,
                "on_time_share": fig.share(due_in_time, due_in_time + due_late),
            }
        )
    return result


def procedure_lateness(
    months: list[dt.date], agency_id: int | None = None
) -> dict[tuple[int, int], dict[dt.date, tuple[int, int]]]:
    """{(agency id, procedure id): {month: (finished, finished late)}} over `months` (their
    first days), from the per-procedure year rows: one row per procedure and year, however
    many dossiers."""
    by_year: dict[int, list[dt.date]] = defaultdict(list)
    for month in months:
        by_year[month.year].append(month)
    result: dict[tuple[int, int], dict[dt.date, tuple[int, int]]] = defaultdict(dict)
    for year, in_year in by_year.items():
        rows = DossierProcedureYear.objects.filter(year=dt.date(year, 1, 1))
        if agency_id is not None:
            rows = rows.filter(agency_id=agency_id)
        finished = [month_column("finished", m.month) for m in in_year]
        rows = rows.filter(reduce(lambda q, c: q | Q(**{f"{c}__gt": 0}), finished, Q()))
        late = [month_column("finished_late", m.month) for m in in_year]
        for values in rows.values_list("agency_id", "procedure_id", *finished, *late):
            agency, procedure = values[0], values[1]
            counts = values[2:]
            for i, month in enumerate(in_year):
                result[(agency, procedure)][month] = (counts[i], counts[len(in_year) + i])
    return result


def procedures_by_late_share(period: Period, agency_id: int) -> list[dict[str, Any]]:
    """The agency's procedures with dossiers finished in the period, the latest share first."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (_agency, procedure), by_month in procedure_lateness(months_of(period), agency_id).items():
        for finished, late in by_month.values():
            totals[procedure][0] += finished
            totals[procedure][1] += late
    named = {
        pk: (code, name)
        for pk, code, name in Procedure.objects.filter(pk__in=list(totals)).values_list(
            "pk", "code", "name"
        )
    }
    rows: list[dict[str, Any]] = [
        {
            "procedure": named.get(pk, ("", ""))[0],
            "name": named.get(pk, ("", ""))[1],
            "finished": finished,
            "late": late,
            "late_share": fig.share(late, finished),
        }
        for pk, (finished, late) in totals.items()
        if finished
    ]
    rows.sort(key=lambda r: (-(r["late_share"] or 0), -r["late"], r["procedure"]))
    return rows


def staff_workload(period: Period, agency_id: int) -> list[dict[str, Any]]:
    """The agency's staff by the work they did in the period: dossiers received at the desk,
    steps handed on to the next agency or back to the desk, the busiest first."""
    start = timezone.make_aware(dt.datetime.combine(period.first, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(period.last + dt.timedelta(days=1), dt.time.min))
    received = dict(
        Dossier.objects.filter(
            receiving_agency_id=agency_id,
            received_at__gte=start,
            received_at__lt=end,
            received_by__isnull=False,
        )
        .values("received_by")
        .annotate(n=Count("pk"))
        .values_list("received_by", "n")
    )
    handed = dict(
        Handover.objects.filter(
            from_agency_id=agency_id, sent_at__gte=start, sent_at__lt=end, sent_by__isnull=False
        )
        .values("sent_by")
        .annotate(n=Count("pk"))
        .values_list("sent_by", "n")
    )
    people = User.objects.filter(pk__in={*received, *handed}).only("full_name", "username", "role")
    rows: list[dict[str, Any]] = [
        {
            "name": u.full_name or u.username,
            "role": u.get_role_display(),
            "received": received.get(u.pk, 0),
            "handed_on": handed.get(u.pk, 0),
            "total": received.get(u.pk, 0) + handed.get(u.pk, 0),
        }
        for u in people
    ]
    rows.sort(key=lambda r: (-r["total"], r["name"]))
    return rows


def _records_needed(rule: Mapping[str, Any], max_points: Decimal, n: int, d: int) -> int | None:
    """The fewest records moved into the numerator (of the same denominator) that win back
    every point lost; None when no record would (no denominator)."""
    if not d:
        return None
    low, high = 0, d - n
    if high <= 0:
        return 0
    while low < high:
        middle = (low + high) // 2
        points = engine.rule_points(rule, max_points, Decimal(n + middle) / Decimal(d))
        if points is not None and points >= max_points:
            high = middle
        else:
            low = middle + 1
    return low


def metrics_to_recover(evaluation: Evaluation, item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each 766 metric of the agency with the points it lost and the records that would win
    them back, the largest loss first."""
    nodes = {n["code"]: n for n in evaluation.methodology["nodes"]}
    rows = []
    for group in item["groups"]:
        for metric in group["metrics"]:
            lost = round(metric["max_points"] - metric["points"], 2)
            node = nodes[metric["code"]]
            needed = _records_needed(
                node["rule"],
                engine.dec(node["max_points"]),
                metric["numerator"],
                metric["denominator"],
            )
            rows.append(
                {
                    **metric,
                    "group": group["code"],
                    "group_name": group["name"],
                    "lost": lost,
                    "needed": needed if lost > 0 else 0,
                }
            )
    rows.sort(key=lambda r: (-r["lost"], r["code"]))
    return rows


def _scope_counts(evaluation: Evaluation, agency_id: int | None) -> Mapping[str, int]:
    if agency_id is None:
        return evaluation.province_counts
    return evaluation.counts.get(agency_id, {})


def province_dashboard(period: Period, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The province: headline figures against the previous period, the 766 total and groups,
    departments and communes ranked with their change in rank, and the monthly trend."""
    now = now or timezone.now()
    current, before = _evaluations(period, now)
    return {
        "period": period,
        "previous": before.period,
        "methodology": current.methodology,
        "figures": fig.figures(current.province_counts, before.province_counts),
        "index": current.province,
        "index_previous": before.province["total"],
        "band": (band := band_of(current.methodology, current.province["total"])),
        "band_label": str(BAND_LABELS.get(band or "", "")),
        "departments": _ranking(current, before, "department"),
        "communes": _ranking(current, before, "commune"),
        "trend": monthly_trend(period),
        "evaluation": current,
        "evaluation_previous": before,
    }


def agency_dashboard(
    agency: Agency, period: Period, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """One agency: the same figures and index, its rank in its level, its procedures by late
    share, its staff by workload and its 766 metrics with the points to recover."""
    now = now or timezone.now()
    current, before = _evaluations(period, now)
    item = next((i for i in current.items if i["agency"] == agency.code), None)
    was = next((i for i in before.items if i["agency"] == agency.code), None)
    level_size = sum(1 for i in current.items if item and i["level"] == item["level"])
    return {
        "period": period,
        "previous": before.period,
        "agency": agency,
        "methodology": current.methodology,
        "figures": fig.figures(_scope_counts(current, agency.pk), _scope_counts(before, agency.pk)),
        "index": item,
        "index_previous": was["total"] if was else None,
        "rank_previous": was["rank"] if was else None,
        "level_size": level_size,
        "band": (band := band_of(current.methodology, item["total"]) if item else None),
        "band_label": str(BAND_LABELS.get(band or "", "")),
        "metrics": metrics_to_recover(current, item) if item else [],
        "procedures": procedures_by_late_share(period, agency.pk),
        "staff": staff_workload(period, agency.pk),
        "trend": monthly_trend(period, agency.pk),
        "evaluation": current,
        "evaluation_previous": before,
    }


def scores_for_map(evaluation: Evaluation) -> dict[str, dict[str, Any]]:
    """The commune committees' totals, ranks and grades by agency code, to colour the map."""
    return {
        i["agency"]: {
            "score": i["total"],
            "rank": i["rank"],
            "band": band_of(evaluation.methodology, i["total"]),
        }
        for i in evaluation.items
        if i["level"] == "commune"
    }
