"""The records behind one number of the service index: the dossiers, petitions, ratings or
procedures that one agency's numerator or denominator counts, a page at a time, for staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.completeness import in_force_procedures
from motcua.catalog.models import Procedure
from motcua.common.errors import ApiError, PermissionDenied
from motcua.dossiers.models import Participant
from motcua.dossiers.services.base import day_seconds
from motcua.org.models import Agency, User
from motcua.org.permissions import Capability, can
from motcua.workdays.selectors import get_calendar

from . import service
from .service import Period

PARTS = ("numerator", "denominator")
TABLES = {"dossier": "dossier", "petition": "petition", "rating": "rating"}

ERR_AGENCY = ("unknown_agency", _("No agency “{code}” in the service index."))
ERR_METRIC = ("unknown_metric", _("No metric “{metric}” in the service index."))
ERR_PART = ("bad_part", _("Part “{part}” is not numerator or denominator."))
ERR_OTHER_AGENCY = (
    "records_other_agency",
    _("You may only see the records of your own agency."),
)
ERR_NOT_LISTED = (
    "records_not_listed",
    _("The records behind “{metric}” are not kept one by one yet."),
)


def _agency_for(user: User, code: str) -> Agency:
    agency = Agency.objects.filter(code=code, kind__in=list(service.LEVEL_OF_KIND)).first()
    if agency is None:
        raise ApiError(*ERR_AGENCY, code=code)
    if not can(user, Capability.SEE_EVERY_AGENCY) and user.agency_id != agency.pk:
        raise PermissionDenied(*ERR_OTHER_AGENCY)
    return agency


def mask_name(name: str) -> str:
    """Initials only ("Nguyễn Văn An" → "N. V. A."): enough to tell rows apart, not to identify."""
    return " ".join(f"{word[0]}." for word in name.split() if word)


def _delay_days(due: dt.datetime | None, end: dt.datetime | None) -> float | None:
    """Working days (office hours on working days, as the calendar counts them) past `due`."""
    if due is None or end is None or end <= due:
        return 0.0 if due is not None and end is not None else None
    seconds = get_calendar().working_seconds_between(due, end)
    return float(
        (Decimal(seconds) / Decimal(day_seconds())).quantize(Decimal("0.01"), ROUND_HALF_UP)
    )


def _agencies_of(dossier: Any) -> set[int]:
    return {dossier.receiving_agency_id, dossier.lead_agency_id, dossier.current_agency_id}


def _dossier_rows(rows: Sequence[Any], user: User, now: dt.datetime) -> list[dict[str, Any]]:
    handled = (
        set(
            Participant.objects.filter(
                dossier_id__in=[d.pk for d in rows], agency_id=user.agency_id
            ).values_list("dossier_id", flat=True)
        )
        if user.agency_id is not None
        else set()
    )
    result = []
    for d in rows:
        apology = getattr(d, "apology", None)
        result.append(
            {
                "code": d.code,
                "procedure": d.procedure.code,
                "procedure_name": d.procedure.name,
                "applicant": d.applicant_name
                if d.pk in handled
                or (user.agency_id is not None and user.agency_id in _agencies_of(d))
                else mask_name(d.applicant_name),
                "received_at": d.received_at,
                "due_at": d.due_at,
                "finished_at": d.finished_at,
                "verdict": d.verdict,
                "delay_working_days": _delay_days(d.due_at, d.finished_at or now),
                "apology": None
                if apology is None
                else {"issued_at": apology.issued_at, "new_due_at": apology.new_due_at},
            }
        )
    return result


def _petition_rows(rows: Sequence[Any], user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": p.pk,
            "received_at": p.received_at,
            "due_at": p.due_at,
            "closed_at": p.closed_at,
            "state": p.state,
            "sender": p.sender_name if p.agency_id == user.agency_id else mask_name(p.sender_name),
        }
        for p in rows
    ]


def _rating_rows(rows: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": r.pk,
            "dossier": r.dossier.code if r.dossier_id else None,
            "stage": r.stage,
            "overall": r.overall,
            "created_at": r.created_at,
        }
        for r in rows
    ]


def _querysets(
    names: Sequence[str], agency: Agency | None, period: Period, now: dt.datetime
) -> list[tuple[str, QuerySet]]:
    from motcua.facts.records import records_for

    result = []
    for name in names:
        table, _dot, column = name.partition(".")
        queryset = records_for(
            column,
            table=TABLES[table],
            agency_ids=None if agency is None else [agency.pk],
            first=period.first,
            last=period.last,
            now=now,
        )
        if table == "dossier":
            queryset = queryset.select_related("procedure", "apology")
        elif table == "rating":
            queryset = queryset.select_related("dossier")
        result.append((table, queryset))
    return result


def _counts(
    names: Sequence[str],
    querysets: Sequence[tuple[str, QuerySet]],
    agency: Agency | None,
    period: Period,
    now: dt.datetime,
) -> list[int]:
    """How many records each input holds: the facts' sums, the very numbers the index shows
    (a count over a busy agency's rows would scan tens of thousands), ratings by counting."""
    sums = service.agency_sums(names, period, None if agency is None else agency.pk, now)
    return [
        sums[name] if name in sums else queryset.count()
        for name, (_table, queryset) in zip(names, querysets, strict=True)
    ]


def _procedures(name: str, agency: Agency, period: Period) -> set[int]:
    sets = service.procedure_sets(period).get(agency.pk, {})
    fee = service.fee_procedures_of(agency.pk, agency.kind, service.fee_procedures())
    return {
        "procedures.fee": fee,
        "procedures.fee_paid_online": fee & sets.get("paid_online", set()),
        "procedures.fee_received": fee & sets.get("with_fee", set()),
        "procedures.received": sets.get("received", set()),
        "procedures.population_data": sets.get("population_data", set()),
    }[name]


def _catalog_records(names: Sequence[str], agency: Agency, period: Period) -> list[dict[str, Any]]:
    """The catalog's records behind catalog.* inputs (service._catalog_counts): announcements
    and amendments decided in the period, by the procedure's competent agency, or the
    procedures in force (complete) at its end."""
    is_working_day = get_calendar().is_working_day
    rows: list[dict[str, Any]] = []
    for name in names:
        column = name.partition(".")[2]
        if column in ("in_force", "complete"):
            procedures = in_force_procedures(
                period.last, competent_agency_id=agency.pk, complete_only=column == "complete"
            )
            rows += [{"procedure": p.code, "name": p.name} for p in procedures]
            continue
        kind = column.removesuffix("_on_time")
        events = catalog_selectors.publication_records(
            period.first,
            period.last,
            competent_agency_id=agency.pk,
            kind=kind,
            on_time_only=column.endswith("_on_time"),
            is_working_day=is_working_day,
        )
        rows += [
            {
                "procedure": e.procedure.code,
                "name": e.procedure.name,
                "event": e.kind,
                "decided": e.date.isoformat(),
                "decision": e.decision,
                "published": e.published_on.isoformat() if e.published_on else None,
                "on_time": catalog_selectors.published_on_time(
                    e.date, e.published_on, is_working_day
                ),
            }
            for e in events
        ]
    return rows


def service_records(
    *,
    user: User,
    period: Period,
    agency_code: str,
    metric: str,
    part: str,
    page: int = 1,
    page_size: int = 20,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """One page of the records `part` of `metric` counts for the agency; `total` is the number
    the index shows. The inputs of a sum (on time + still in time) are disjoint, so the pages
    run through them one after the other."""
    now = now or timezone.now()
    if part not in PARTS:
        raise ApiError(*ERR_PART, part=part)
    node = service.metric_node(service.methodology_in_force(period.last), metric)
    if node is None:
        raise ApiError(*ERR_METRIC, metric=metric)
    agency = _agency_for(user, agency_code)
    names: list[str] = list(node["rule"][part])
    tables = {n.partition(".")[0] for n in names}
    start = (page - 1) * page_size
    head = {"period": period.label, "agency": agency.code, "metric": metric, "part": part}
    if tables == {"procedures"}:
        ids = sorted(set().union(*(_procedures(n, agency, period) for n in names)))
        chosen = Procedure.objects.filter(pk__in=ids[start : start + page_size]).order_by("code")
        rows: list[dict[str, Any]] = [{"code": p.code, "name": p.name} for p in chosen]
        return {**head, "kind": "procedure", "total": len(ids), "page": page,
                "page_size": page_size, "rows": rows}  # fmt: skip
    if tables == {"catalog"}:
        listed = _catalog_records(names, agency, period)
        return {**head, "kind": "catalog", "total": len(listed), "page": page,
                "page_size": page_size, "rows": listed[start : start + page_size]}  # fmt: skip
    if not tables <= set(TABLES):
        raise ApiError(*ERR_NOT_LISTED, metric=metric)
    rows, total, kind = _pages(names, user, agency, period, now, start, page_size)
    return {**head, "kind": kind, "total": total, "page": page,
            "page_size": page_size, "rows": rows}  # fmt: skip


def _pages(
    names: Sequence[str],
    user: User,
    agency: Agency | None,
    period: Period,
    now: dt.datetime,
    start: int,
    page_size: int,
) -> tuple[list[dict[str, Any]], int, str]:
    """The rows start…start+page_size of the inputs `names` one after the other, their total
    and the kind of record."""
    querysets = _querysets(names, agency, period, now)
    counts = _counts(names, querysets, agency, period, now)
    rows, skip, wanted = [], start, page_size
    for (table, queryset), count in zip(querysets, counts, strict=True):
        if skip >= count:
            skip -= count
            continue
        chunk = list(queryset[skip : skip + wanted])
        skip = 0
        if table == "dossier":
            rows += _dossier_rows(chunk, user, now)
        elif table == "petition":
            rows += _petition_rows(chunk, user)
        else:
            rows += _rating_rows(chunk)
        wanted -= len(chunk)
        if wanted <= 0:
            break
    return rows, sum(counts), querysets[0][0] if querysets else "dossier"


def column_records(
    *,
    user: User,
    period: Period,
    agency_code: str | None,
    names: Sequence[str],
    page: int = 1,
    page_size: int = 20,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """One page of the records counted in the dossier, petition or rating inputs `names`
    ("dossier.finished_late") for one agency, or (agency None, for those who see every agency)
    the whole province; `total` is the facts' sum, the number the dashboards show."""
    now = now or timezone.now()
    if agency_code is None:
        if not can(user, Capability.SEE_EVERY_AGENCY):
            raise PermissionDenied(*ERR_OTHER_AGENCY)
        agency = None
    else:
        agency = _agency_for(user, agency_code)
    if not names or not {n.partition(".")[0] for n in names} <= set(TABLES):
        raise ApiError(*ERR_NOT_LISTED, metric=", ".join(names))
    rows, total, kind = _pages(names, user, agency, period, now, (page - 1) * page_size, page_size)
    return {"period": period.label, "agency": agency_code, "kind": kind, "total": total,
            "page": page, "page_size": page_size, "rows": rows}  # fmt: skip
