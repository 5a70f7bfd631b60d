"""Which procedures in force have complete published content, and what each one lacks (the
Decision 766 "content complete" metric). The required parts are data
(`data/completeness.json`); each part's test is one database condition, so counting, filtering
and paging all happen in one query, whatever the size of the catalog."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import ApiError
from motcua.common.language import in_language
from motcua.org.models import Agency

from .models import DocumentRequirement, Fee, Field, Procedure, ProcessStep

PARTS_FILE = Path(__file__).parent / "data" / "completeness.json"
PAGE_SIZE_MAX = 200

# How each part is found stated, as a condition on a procedure annotated by `_annotated`.
PART_CONDITIONS: dict[str, Q] = {
    "documents": Q(has_documents=True),
    "steps": Q(has_steps=True),
    "processing_time": Q(processing_days__isnull=False),
    "competent_agency": Q(competent_agency__isnull=False) | ~Q(competent_agency_text=""),
    # 0 is stated ("free of charge"); NULL is "not stated".
    "fee": Q(fee_vnd__isnull=False) | Q(has_fees=True) | ~Q(fee_note=""),
    "conditions": ~Q(conditions=""),
    "legal_basis": ~Q(legal_basis=""),
    "forms": Q(has_forms=True),
    "result": ~Q(result_description=""),
}

ERR_PART = ("unknown_part", _("No part “{part}”; one of: {parts}."))
ERR_STATE = ("unknown_state", _("The state must be complete or incomplete."))


@dataclass(frozen=True)
class Part:
    code: str
    vi: str
    en: str

    @property
    def label(self) -> str:
        return in_language(self.vi, self.en)


@dataclass(frozen=True)
class CompletenessFilters:
    field_code: str | None = None
    agency_code: str | None = None  # the competent agency's code
    level: str | None = None  # "province" | "commune" | "central"
    online_only: bool = False
    missing: str | None = None  # a part code: only procedures lacking it
    state: str | None = None  # "complete" | "incomplete"


@dataclass(frozen=True)
class ProcedureGaps:
    procedure: Procedure
    missing: list[Part]

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class PartCount:
    part: Part
    missing: int


@dataclass(frozen=True)
class CompletenessReport:
    """Counts over every procedure the filters select, and one page of them."""

    total: int
    complete: int
    parts: list[PartCount]
    page: int
    page_size: int
    items: list[ProcedureGaps]
    matching: int  # procedures on all pages, after `missing` and `state`

    @property
    def incomplete(self) -> int:
        return self.total - self.complete

    @property
    def complete_ratio(self) -> float:
        return self.complete / self.total if self.total else 0.0

    @property
    def pages(self) -> int:
        return max(1, -(-self.matching // self.page_size))


@cache
def required_parts() -> tuple[Part, ...]:
    """The parts a procedure must state, in order, from the data file."""
    data = json.loads(PARTS_FILE.read_text(encoding="utf-8"))
    parts = tuple(Part(p["code"], p["vi"], p["en"]) for p in data["parts"])
    unknown = [p.code for p in parts if p.code not in PART_CONDITIONS]
    if unknown:
        raise ValueError(f"{PARTS_FILE.name}: no check for part(s) {', '.join(unknown)}")
    return parts


def _annotated(queryset: QuerySet[Procedure]) -> QuerySet[Procedure]:
    documents = DocumentRequirement.objects.filter(procedure=OuterRef("pk"))
    queryset = queryset.annotate(
        has_documents=Exists(documents),
        has_forms=Exists(documents.exclude(template="")),
        has_steps=Exists(ProcessStep.objects.filter(procedure=OuterRef("pk"))),
        has_fees=Exists(Fee.objects.filter(procedure=OuterRef("pk"))),
    )
    return queryset.annotate(
        **{
            f"ok_{part.code}": Case(
                When(PART_CONDITIONS[part.code], then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
            for part in required_parts()
        }
    )


def _complete_condition() -> Q:
    condition = Q()
    for part in required_parts():
        condition &= Q(**{f"ok_{part.code}": True})
    return condition


def _selected(filters: CompletenessFilters) -> QuerySet[Procedure]:
    queryset = Procedure.objects.filter(status=Procedure.Status.ACTIVE)
    if filters.field_code:
        field_id = (
            Field.objects.filter(code=filters.field_code).values_list("id", flat=True).first()
        )
        queryset = queryset.filter(field_id=field_id if field_id is not None else -1)
    if filters.agency_code:
        queryset = queryset.filter(competent_agency__code=filters.agency_code)
    if filters.level:
        queryset = queryset.filter(**{f"level_{filters.level}": True})
    if filters.online_only:
        queryset = queryset.exclude(online_level="none")
    return _annotated(queryset)


def _check(filters: CompletenessFilters) -> None:
    codes = [p.code for p in required_parts()]
    if filters.missing and filters.missing not in codes:
        raise ApiError(*ERR_PART, part=filters.missing, parts=", ".join(codes))
    if filters.state and filters.state not in {"complete", "incomplete"}:
        raise ApiError(*ERR_STATE)


def completeness_report(
    *, filters: CompletenessFilters, page: int = 1, page_size: int = 50
) -> CompletenessReport:
    """Counts per part over the selected procedures, and the page of those matching
    `missing`/`state`, each with the parts it lacks."""
    _check(filters)
    parts = required_parts()
    selected = _selected(filters)
    complete = _complete_condition()
    counts = selected.aggregate(
        total=Count("pk"),
        complete=Count("pk", filter=complete),
        **{f"missing_{p.code}": Count("pk", filter=Q(**{f"ok_{p.code}": False})) for p in parts},
    )
    matching = _matching(selected, filters)
    page_size = max(1, min(page_size, PAGE_SIZE_MAX))
    page = max(1, page)
    rows = list(
        matching.select_related("field", "competent_agency").order_by(
            "field__name", "name_key", "pk"
        )[(page - 1) * page_size : page * page_size]
    )
    return CompletenessReport(
        total=counts["total"],
        complete=counts["complete"],
        parts=[PartCount(p, counts[f"missing_{p.code}"]) for p in parts],
        page=page,
        page_size=page_size,
        items=[_gaps(procedure) for procedure in rows],
        matching=matching.count(),
    )


def _gaps(procedure: Procedure) -> ProcedureGaps:
    return ProcedureGaps(
        procedure=procedure,
        missing=[p for p in required_parts() if not getattr(procedure, f"ok_{p.code}")],
    )


def _matching(selected: QuerySet[Procedure], filters: CompletenessFilters) -> QuerySet:
    if filters.missing:
        selected = selected.filter(**{f"ok_{filters.missing}": False})
    if filters.state == "complete":
        selected = selected.filter(_complete_condition())
    elif filters.state == "incomplete":
        selected = selected.exclude(_complete_condition())
    return selected


def completeness_rows(*, filters: CompletenessFilters, limit: int = 50_000) -> list[ProcedureGaps]:
    """Every matching procedure with its gaps (for the Excel export)."""
    _check(filters)
    queryset = _matching(_selected(filters), filters).select_related("field", "competent_agency")
    return [_gaps(p) for p in queryset.order_by("field__name", "name_key", "pk")[:limit]]


def completeness_agencies() -> QuerySet[Agency]:
    """Agencies competent for at least one procedure in force: the report's agency choices."""
    return (
        Agency.objects.filter(procedures__status=Procedure.Status.ACTIVE)
        .distinct()
        .order_by("name")
    )


def procedure_missing_parts(procedure: Procedure) -> list[Part]:
    """The required parts this one procedure does not publish yet (its row of the report)."""
    annotated = _annotated(Procedure.objects.filter(pk=procedure.pk)).first()
    return _gaps(annotated).missing if annotated else list(required_parts())


def _in_force(day: dt.date) -> QuerySet[Procedure]:
    return Procedure.objects.filter(
        Q(effective_from__isnull=True, status=Procedure.Status.ACTIVE) | Q(effective_from__lte=day),
        Q(abolished_on__isnull=True) | Q(abolished_on__gt=day),
    )


def in_force_procedures(
    day: dt.date, *, competent_agency_id: int | None, complete_only: bool = False
) -> QuerySet[Procedure]:
    """The procedures in_force_and_complete counts for one competent agency on `day` (all in
    force, or only the complete ones), by code."""
    procedures = _in_force(day).filter(competent_agency_id=competent_agency_id)
    if complete_only:
        procedures = _annotated(procedures).filter(_complete_condition())
    return procedures.order_by("code")


def in_force_and_complete(day: dt.date) -> dict[int | None, tuple[int, int]]:
    """Per competent agency (None: none set), procedures in force on `day` and how many of them
    publish every required part: one grouped query."""
    rows = (
        _annotated(_in_force(day))
        .values("competent_agency_id")
        .annotate(total=Count("pk"), complete=Count("pk", filter=_complete_condition()))
        .order_by()
    )
    return {row["competent_agency_id"]: (row["total"], row["complete"]) for row in rows}
