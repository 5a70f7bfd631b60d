"""Reads of the catalog: search, listing, a procedure with its documents, the history report."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.common.errors import ApiError, NotFound

from .completeness import in_force_and_complete
from .models import CatalogEvent, Field, OnlineLevel, Procedure
from .search import search_procedure_ids

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

PAGE_SIZE_MAX = 100


@dataclass(frozen=True)
class ProcedureFilters:
    field_code: str | None = None
    level: str | None = None  # "province" | "commune" | "central"
    online_level: str | None = None
    status: str | None = Procedure.Status.ACTIVE


@dataclass(frozen=True)
class ProcedurePage:
    total: int
    page: int
    page_size: int
    items: list[Procedure]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _filter_columns(filters: ProcedureFilters) -> dict[str, object]:
    columns: dict[str, object] = {"status": filters.status}
    if filters.field_code:
        field_id = (
            Field.objects.filter(code=filters.field_code).values_list("id", flat=True).first()
        )
        columns["field_id"] = field_id if field_id is not None else -1
    if filters.level:
        columns[f"level_{filters.level}"] = True
    if filters.online_level:
        columns["online_level"] = filters.online_level
    return columns


def procedure_search(
    *, query: str, filters: ProcedureFilters, page: int, page_size: int
) -> ProcedurePage:
    """Procedures matching `query` (diacritics and case ignored), ranked; all when empty."""
    offset = (page - 1) * page_size
    if query.strip():
        found = search_procedure_ids(
            query, filters=_filter_columns(filters), limit=page_size, offset=offset
        )
        by_id = Procedure.objects.select_related("field").in_bulk(found.ids)
        items = [by_id[pk] for pk in found.ids]
        return ProcedurePage(total=found.total, page=page, page_size=page_size, items=items)
    queryset = Procedure.objects.select_related("field").filter(
        **{k: v for k, v in _filter_columns(filters).items() if v is not None}
    )
    total = queryset.count()
    items = list(queryset.order_by("field__name", "name_key")[offset : offset + page_size])
    return ProcedurePage(total=total, page=page, page_size=page_size, items=items)


def procedure_get(*, code: str) -> Procedure:
    procedure = (
        Procedure.objects.select_related("field", "competent_agency")
        .prefetch_related("documents", "fees")
        .filter(code=code)
        .first()
    )
    if procedure is None:
        raise NotFound(
            "procedure_not_found",
            _("No procedure with code {code}."),
            code=code,
        )
    return procedure


class _FieldCounts(TypedDict):
    active_count: int


def field_list() -> QuerySet[WithAnnotations[Field, _FieldCounts]]:
    return Field.objects.annotate(
        active_count=Count("procedures", filter=Q(procedures__status=Procedure.Status.ACTIVE))
    ).order_by("name")


def catalog_stats() -> dict[str, int]:
    active = Procedure.objects.filter(status=Procedure.Status.ACTIVE)
    return {
        "active": active.count(),
        "fields": active.values("field").distinct().count(),
        "online_full": active.filter(online_level=OnlineLevel.FULL).count(),
        "online_partial": active.filter(online_level=OnlineLevel.PARTIAL).count(),
    }


@dataclass
class HistoryRow:
    field: str
    level: str
    announced: int = 0
    amended: int = 0
    abolished: int = 0

    @property
    def net(self) -> int:
        return self.announced - self.abolished


@dataclass
class CatalogHistory:
    start: dt.date
    end: dt.date
    in_force_at_start: int
    in_force_at_end: int
    rows: list[HistoryRow] = field(default_factory=list)

    @property
    def totals(self) -> HistoryRow:
        total = HistoryRow(field="", level="")
        for row in self.rows:
            total.announced += row.announced
            total.amended += row.amended
            total.abolished += row.abolished
        return total

    @property
    def net_change(self) -> int:
        return self.in_force_at_end - self.in_force_at_start


def _in_force_on(day: dt.date) -> int:
    """Procedures announced on or before `day` and not abolished by then, from the event log."""
    announced = set(
        CatalogEvent.objects.filter(kind=CatalogEvent.Kind.ANNOUNCED, date__lte=day).values_list(
            "procedure_id", flat=True
        )
    )
    abolished = set(
        CatalogEvent.objects.filter(kind=CatalogEvent.Kind.ABOLISHED, date__lte=day).values_list(
            "procedure_id", flat=True
        )
    )
    return len(announced - abolished)


def catalog_history(*, start: dt.date, end: dt.date) -> CatalogHistory:
    """How many procedures were announced, amended and abolished in [start, end], per field and
    level, and how many were in force at each end (the article's "47 fewer than in 2009")."""
    if end < start:
        raise ApiError(
            "invalid_period",
            pgettext_lazy("catalog history API", "The end date must not be before the start date."),
        )
    counts = (
        CatalogEvent.objects.filter(date__gte=start, date__lte=end)
        .values("field__name", "levels", "kind")
        .annotate(n=Count("id"))
    )
    rows: dict[tuple[str, str], HistoryRow] = defaultdict(lambda: HistoryRow("", ""))
    for entry in counts:
        key = (entry["field__name"], entry["levels"])
        row = rows[key]
        row.field, row.level = key
        setattr(row, entry["kind"], getattr(row, entry["kind"]) + entry["n"])
    ordered = sorted(rows.values(), key=lambda r: (r.field, r.level))
    return CatalogHistory(
        start=start,
        end=end,
        in_force_at_start=_in_force_on(start - dt.timedelta(days=1)),
        in_force_at_end=_in_force_on(end),
        rows=ordered,
    )


# Thông tư 02/2017/TT-VPCP has a procedure's data put on the national database within five working
# days of the announcing decision; the catalog knows no holiday calendar (it and workdays are
# independent), so by default a working day is Monday to Friday and callers may pass the calendar.
PUBLICATION_WORKING_DAYS = 5


@dataclass
class PublicationCounts:
    """One competent agency's transparency inputs for the service index (Decision 766)."""

    announced: int = 0
    announced_on_time: int = 0
    amended: int = 0
    amended_on_time: int = 0
    in_force: int = 0
    complete: int = 0


def _weekday(day: dt.date) -> bool:
    return day.weekday() < 5


def published_on_time(
    decided: dt.date,
    published: dt.date | None,
    is_working_day: Callable[[dt.date], bool] = _weekday,
) -> bool:
    """Published at most PUBLICATION_WORKING_DAYS working days after the decision's date."""
    if published is None:
        return False
    deadline, left = decided, PUBLICATION_WORKING_DAYS
    while left:
        deadline += dt.timedelta(days=1)
        left -= is_working_day(deadline)
    return published <= deadline


PUBLICATION_KINDS = (CatalogEvent.Kind.ANNOUNCED, CatalogEvent.Kind.AMENDED)


def _publications(first: dt.date, last: dt.date) -> QuerySet[CatalogEvent]:
    return CatalogEvent.objects.filter(date__gte=first, date__lte=last, kind__in=PUBLICATION_KINDS)


def publication_records(
    first: dt.date,
    last: dt.date,
    *,
    competent_agency_id: int | None,
    kind: str,
    on_time_only: bool = False,
    is_working_day: Callable[[dt.date], bool] = _weekday,
) -> list[CatalogEvent]:
    """The announcements or amendments (`kind`) publication_counts counts for one competent
    agency, by decision date: all of them, or only those published on time."""
    events = (
        _publications(first, last)
        .filter(kind=kind, procedure__competent_agency_id=competent_agency_id)
        .select_related("procedure")
        .order_by("date", "pk")
    )
    return [
        e
        for e in events
        if not on_time_only or published_on_time(e.date, e.published_on, is_working_day)
    ]


def publication_counts(
    first: dt.date,
    last: dt.date,
    *,
    is_working_day: Callable[[dt.date], bool] = _weekday,
) -> dict[int | None, PublicationCounts]:
    """Per competent agency (None: none set): announcements and amendments whose decision date
    is in [first, last] and how many were published on time, and the procedures in force at
    `last` with how many of them have complete content. Two grouped queries."""
    counts: dict[int | None, PublicationCounts] = defaultdict(PublicationCounts)
    events = (
        _publications(first, last)
        .values("procedure__competent_agency_id", "kind", "date", "published_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in events:
        entry = counts[row["procedure__competent_agency_id"]]
        kind = row["kind"]
        setattr(entry, kind, getattr(entry, kind) + row["n"])
        if published_on_time(row["date"], row["published_on"], is_working_day):
            setattr(entry, f"{kind}_on_time", getattr(entry, f"{kind}_on_time") + row["n"])
    for agency_id, (total, complete) in in_force_and_complete(last).items():
        counts[agency_id].in_force = total
        counts[agency_id].complete = complete
    return dict(counts)
