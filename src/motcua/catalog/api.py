"""Catalog endpoints: search, a procedure, fields, Excel export/import, the history report and
the content completeness report."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from motcua.common.errors import ApiError, PermissionDenied, reject_unknown_params
from motcua.org.apiauth import PUBLIC
from motcua.org.permissions import Capability, can
from motcua.org.signed_in import signed_in_user

from . import selectors
from .completeness import PAGE_SIZE_MAX as COMPLETENESS_PAGE_SIZE_MAX
from .completeness import CompletenessFilters, ProcedureGaps, completeness_report
from .excel import read_workbook, write_workbook
from .models import Procedure
from .selectors import PAGE_SIZE_MAX, ProcedureFilters
from .services import catalog_import

router = Router(tags=["catalog"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_BYTES = 20 * 1024 * 1024


class ProcedureItem(Schema):
    code: str
    name: str
    field: str
    levels: str
    processing_days: int | None
    fee_vnd: int | None
    online_level: str
    legacy_level: int | None
    status: str
    url: str


class DocumentOut(Schema):
    name: str
    form: str
    quantity: int
    required: bool


class FeeOut(Schema):
    name: str
    amount_vnd: int
    note: str


class ProcedureDetail(ProcedureItem):
    competent_agency: str
    legal_basis: str
    effective_from: dt.date | None
    abolished_on: dt.date | None
    announced_by: str
    version: int
    documents: list[DocumentOut]
    fees: list[FeeOut]


class ProcedurePageOut(Schema):
    total: int
    page: int
    page_size: int
    pages: int
    items: list[ProcedureItem]


class FieldOut(Schema):
    code: str
    name: str
    active_count: int


class HistoryRowOut(Schema):
    field: str
    level: str
    announced: int
    amended: int
    abolished: int
    net: int


class HistoryOut(Schema):
    start: dt.date
    end: dt.date
    in_force_at_start: int
    in_force_at_end: int
    net_change: int
    announced: int
    amended: int
    abolished: int
    rows: list[HistoryRowOut]


class ImportOut(Schema):
    created: int
    amended: int
    abolished: int
    unchanged: int


def _item(procedure: Procedure) -> dict:
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.name,
        "levels": procedure.levels,
        "processing_days": procedure.processing_days,
        "fee_vnd": procedure.fee_vnd,
        "online_level": procedure.online_level,
        "legacy_level": procedure.legacy_level,
        "status": procedure.status,
        "url": reverse("catalog:procedure", args=[procedure.code]),
    }


SEARCH_PARAMS = {"q", "page", "page_size", "field", "level", "online_level", "status"}


@router.get("", response=ProcedurePageOut, auth=PUBLIC, summary="Search the catalog")
def procedure_list(
    request: HttpRequest,
    q: str = Query("", max_length=200, description="Words to find; diacritics and case ignored"),
    page: int = Query(1, ge=1, le=10_000),
    page_size: int = Query(20, ge=1, le=PAGE_SIZE_MAX),
    field: str | None = Query(None, max_length=32, description="Field code"),
    level: Literal["province", "commune", "central"] | None = None,
    online_level: Literal["full", "partial", "none"] | None = None,
    status: Literal["active", "abolished", "draft"] = "active",
) -> dict:
    reject_unknown_params(request.GET, SEARCH_PARAMS)
    result = selectors.procedure_search(
        query=q,
        filters=ProcedureFilters(
            field_code=field, level=level, online_level=online_level, status=status
        ),
        page=page,
        page_size=page_size,
    )
    return {
        "total": result.total,
        "page": result.page,
        "page_size": result.page_size,
        "pages": result.pages,
        "items": [_item(p) for p in result.items],
    }


@router.get("/fields", response=list[FieldOut], auth=PUBLIC, summary="Fields of administration")
def field_list(request: HttpRequest) -> list:
    reject_unknown_params(request.GET, set())
    return list(selectors.field_list())


@router.get(
    "/export.xlsx", auth=PUBLIC, summary="The catalog as an Excel workbook", response={200: None}
)
def procedure_export(
    request: HttpRequest, status: Literal["active", "abolished", "draft", "all"] = "active"
) -> HttpResponse:
    reject_unknown_params(request.GET, {"status"})
    procedures = Procedure.objects.all()
    if status != "all":
        procedures = procedures.filter(status=status)
    response = HttpResponse(write_workbook(procedures), content_type=XLSX)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="thu-tuc-hanh-chinh-{stamp}.xlsx"'
    return response


@router.post("/import", response=ImportOut, summary="Import procedures from Excel (administrators)")
def procedure_import(
    request: HttpRequest, file: File[UploadedFile], as_of: dt.date | None = None
) -> dict:
    user = signed_in_user(request)
    if not can(user, Capability.MANAGE_CATALOG):
        raise PermissionDenied(
            "forbidden",
            _("Only administrators may import the catalog."),
        )
    if file.size and file.size > MAX_IMPORT_BYTES:
        raise ApiError(
            "file_too_large",
            pgettext_lazy("catalog import API", "The file is larger than 20 MB."),
            status=413,
        )
    result = catalog_import(rows=read_workbook(file), as_of=as_of)
    return result.__dict__


@router.get(
    "/history",
    response=HistoryOut,
    auth=PUBLIC,
    summary="Procedures announced, amended and abolished between two dates",
)
def catalog_history(
    request: HttpRequest,
    start: dt.date = Query(..., alias="from"),
    end: dt.date = Query(..., alias="to"),
) -> dict:
    reject_unknown_params(request.GET, {"from", "to"})
    history = selectors.catalog_history(start=start, end=end)
    totals = history.totals
    return {
        "start": history.start,
        "end": history.end,
        "in_force_at_start": history.in_force_at_start,
        "in_force_at_end": history.in_force_at_end,
        "net_change": history.net_change,
        "announced": totals.announced,
        "amended": totals.amended,
        "abolished": totals.abolished,
        "rows": [{**row.__dict__, "net": row.net} for row in history.rows],
    }


class PartOut(Schema):
    code: str
    name: str


class PartCountOut(PartOut):
    missing: int


class CompletenessSummaryOut(Schema):
    procedures: int
    complete: int
    incomplete: int
    complete_percent: float
    parts: list[PartCountOut]


class CompletenessItemOut(Schema):
    code: str
    name: str
    field: str
    competent_agency: str
    online_level: str
    complete: bool
    missing: list[PartOut]
    url: str


class CompletenessPageOut(Schema):
    total: int
    page: int
    page_size: int
    pages: int
    summary: CompletenessSummaryOut
    items: list[CompletenessItemOut]


COMPLETENESS_PARAMS = {
    "page",
    "page_size",
    "field",
    "agency",
    "level",
    "online",
    "missing",
    "state",
}


@router.get(
    "/completeness",
    response=CompletenessPageOut,
    auth=PUBLIC,
    summary="Content completeness of the procedures in force",
    description=(
        "Decision 766/QĐ-TTg “content complete”: each procedure in force with the required "
        "parts it does not publish yet (`missing`), and counts over every procedure the "
        "filters select (`summary`). `total` counts the procedures matching `missing` and "
        "`state`, over all pages. Part names follow Accept-Language (vi, en)."
    ),
)
def procedure_completeness(
    request: HttpRequest,
    page: int = Query(1, ge=1, le=10_000),
    page_size: int = Query(50, ge=1, le=COMPLETENESS_PAGE_SIZE_MAX),
    field: str | None = Query(None, max_length=32, description="Field code"),
    agency: str | None = Query(None, max_length=32, description="Competent agency's code"),
    level: Literal["province", "commune", "central"] | None = None,
    online: bool = Query(False, description="Only procedures offered online"),
    missing: str | None = Query(
        None, max_length=32, description="A part code: only procedures lacking it"
    ),
    state: Literal["complete", "incomplete"] | None = None,
) -> dict:
    reject_unknown_params(request.GET, COMPLETENESS_PARAMS)
    report = completeness_report(
        filters=CompletenessFilters(
            field_code=field,
            agency_code=agency,
            level=level,
            online_only=online,
            missing=missing,
            state=state,
        ),
        page=page,
        page_size=page_size,
    )
    return {
        "total": report.matching,
        "page": report.page,
        "page_size": report.page_size,
        "pages": report.pages,
        "summary": {
            "procedures": report.total,
            "complete": report.complete,
            "incomplete": report.incomplete,
            "complete_percent": round(report.complete_ratio * 100, 1),
            "parts": [
                {"code": c.part.code, "name": c.part.label, "missing": c.missing}
                for c in report.parts
            ],
        },
        "items": [_gaps_item(item) for item in report.items],
    }


def _gaps_item(item: ProcedureGaps) -> dict:
    procedure = item.procedure
    agency = procedure.competent_agency
    return {
        "code": procedure.code,
        "name": procedure.name,
        "field": procedure.field.name,
        "competent_agency": agency.name if agency else procedure.competent_agency_text,
        "online_level": procedure.online_level,
        "complete": item.complete,
        "missing": [{"code": p.code, "name": p.label} for p in item.missing],
        "url": reverse("catalog:procedure", args=[procedure.code]),
    }


@router.get("/{code}", response=ProcedureDetail, auth=PUBLIC, summary="One procedure")
def procedure_detail(request: HttpRequest, code: str) -> dict:
    reject_unknown_params(request.GET, set())
    procedure = selectors.procedure_get(code=code)
    return {
        **_item(procedure),
        "competent_agency": procedure.competent_agency_text,
        "legal_basis": procedure.legal_basis,
        "effective_from": procedure.effective_from,
        "abolished_on": procedure.abolished_on,
        "announced_by": procedure.announced_by,
        "version": procedure.version,
        "documents": list(procedure.documents.all()),
        "fees": list(procedure.fees.all()),
    }
