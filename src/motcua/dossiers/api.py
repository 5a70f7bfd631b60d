"""Dossier endpoints: receipt, actions, a dossier with its history, its printed forms, queues."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Literal

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja import Status as HttpStatus
from pydantic import Field

from motcua.audit.selectors import events_for
from motcua.common.errors import ApiError, NotFound, reject_unknown_params
from motcua.org.models import User
from motcua.org.signed_in import signed_in_user

from . import services
from .access import dossier_get_for_user, dossiers_visible_to
from .form_data import ERR_FORM_NOT_ISSUED, FormNotIssued, form_data, letterhead
from .labels import label
from .models import OPEN_STATUSES, Action, Dossier, Status

RUNNING_STATUSES = (Status.RECEIVED, Status.PROCESSING)

router = Router(tags=["dossiers"])

FORM_CACHE_SECONDS = 3600
FORMS = ("receipt", "supplement", "refusal", "apology", "stop", "control-sheet")


class ApplicantIn(Schema):
    kind: Literal["person", "organisation"]
    name: str = Field(..., min_length=1, max_length=255)
    id_number: str = Field("", max_length=20)
    tax_code: str = Field("", max_length=20)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)


class DocumentIn(Schema):
    name: str = Field(..., min_length=1, max_length=1000)
    quantity: int = Field(1, ge=1, le=100)
    form: Literal["original", "copy", "certified_copy", "shown"] = "original"
    digitised: bool = False
    reused: bool = False


class ReceiptIn(Schema):
    procedure: str = Field(..., max_length=32, description="Catalog code of the procedure")
    channel: Literal["counter", "post", "online"]
    applicant: ApplicantIn
    documents: list[DocumentIn] = Field(default_factory=list, max_length=100)
    outcome: Literal["accept", "supplement", "refuse"] = "accept"
    reason: str = Field("", max_length=4000)
    missing_items: list[str] = Field(default_factory=list, max_length=50)
    processing_days: int | None = Field(None, ge=0, le=365)
    lead_agency: str | None = Field(None, max_length=32)
    sets_count: int = Field(1, ge=1, le=20)
    population_data: bool = Field(
        False, description="The applicant's data was taken from the national population database"
    )


class ActionIn(Schema):
    action: Literal[
        "accept",
        "request_supplement",
        "supplement",
        "refuse",
        "forward",
        "apologize",
        "finish",
        "return",
        "stop",
        "withdraw",
        "accept_supplement",
    ]
    reason: str = Field("", max_length=4000)
    to_agency: str | None = Field(None, max_length=32)
    new_due_at: dt.datetime | None = None
    items: list[str] = Field(default_factory=list, max_length=50)
    version: int | None = Field(None, ge=1)
    result_kind: Literal["paper", "electronic", "both"] | None = None
    result_file_base64: str | None = Field(None, max_length=30_000_000)
    result_note: str = Field("", max_length=4000)
    returned_how: Literal["in_person", "post", "electronic"] = "in_person"
    documents: list[DocumentIn] = Field(default_factory=list, max_length=100)
    certified_copy: bool = Field(
        False, description="On finish of a certification procedure: a certified copy was issued"
    )


class HandoverOut(Schema):
    position: int
    from_agency: str | None
    to_agency: str
    sent_at: dt.datetime
    received_at: dt.datetime
    due_at: dt.datetime | None
    completed_at: dt.datetime | None
    verdict: str
    note: str


class EventOut(Schema):
    at: dt.datetime
    action: str
    action_label: str
    from_state: str
    to_state: str
    actor: str | None
    agency: str | None
    reason: str
    payload: dict


class DossierOut(Schema):
    code: str
    lookup_key: str
    status: str
    status_label: str
    version: int
    procedure: str
    procedure_name: str
    channel: str
    applicant_name: str
    receiving_agency: str
    lead_agency: str
    current_agency: str
    received_at: dt.datetime
    processing_days: int
    due_at: dt.datetime | None
    original_due_at: dt.datetime | None
    new_due_at: dt.datetime | None
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    verdict: str
    paused_seconds: int
    result_kind: str
    population_data: bool
    result_stored_at: dt.datetime | None
    certified_copy: bool


class DossierDetailOut(DossierOut):
    handovers: list[HandoverOut]
    history: list[EventOut]


class DossierPageOut(Schema):
    total: int
    page: int
    page_size: int
    items: list[DossierOut]


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    """API datetimes carry the province's offset (+07:00), as the desk and citizens read them."""
    return timezone.localtime(moment) if moment else None


def _summary(d: Dossier) -> dict:
    return {
        "code": d.code,
        "lookup_key": d.lookup_key,
        "status": d.status,
        "status_label": label(Status, d.status),
        "version": d.version,
        "procedure": d.procedure.code,
        "procedure_name": d.procedure.name,
        "channel": d.channel,
        "applicant_name": d.applicant_name,
        "receiving_agency": d.receiving_agency.code,
        "lead_agency": d.lead_agency.code,
        "current_agency": d.current_agency.code,
        "received_at": _local(d.received_at),
        "processing_days": d.processing_days,
        "due_at": _local(d.due_at),
        "original_due_at": _local(d.original_due_at),
        "new_due_at": _local(d.extended_due_at),
        "finished_at": _local(d.finished_at),
        "returned_at": _local(d.returned_at),
        "verdict": d.verdict,
        "paused_seconds": d.paused_seconds,
        "result_kind": d.result_kind,
        "population_data": d.population_data,
        "result_stored_at": _local(d.result_stored_at),
        "certified_copy": d.certified_copy,
    }


def _detail(d: Dossier) -> dict:
    handovers = [
        {
            "position": h.position,
            "from_agency": h.from_agency.code if h.from_agency else None,
            "to_agency": h.to_agency.code,
            "sent_at": _local(h.sent_at),
            "received_at": _local(h.received_at),
            "due_at": _local(h.due_at),
            "completed_at": _local(h.completed_at),
            "verdict": h.verdict,
            "note": h.note,
        }
        for h in d.handovers.select_related("from_agency", "to_agency")
    ]
    history = [
        {
            "at": _local(e.at),
            "action": e.action,
            "action_label": label(Action, e.action),
            "from_state": e.from_state,
            "to_state": e.to_state,
            "actor": e.actor.username if e.actor else None,
            "agency": e.agency.code if e.agency else None,
            "reason": e.reason,
            "payload": e.payload,
        }
        for e in events_for("dossier", d.code)
    ]
    return {**_summary(d), "handovers": handovers, "history": history}


def _user(request: HttpRequest) -> User:
    return signed_in_user(request)


@router.post("", response={201: DossierDetailOut}, summary="Receive a dossier at a desk")
def dossier_receive(request: HttpRequest, body: ReceiptIn) -> HttpStatus:
    data = services.ReceiptData(
        procedure_code=body.procedure,
        channel=body.channel,
        applicant=services.ApplicantData(**body.applicant.dict()),
        documents=[services.SubmittedDocument(**d.dict()) for d in body.documents],
        outcome=body.outcome,
        reason=body.reason,
        missing_items=body.missing_items,
        processing_days=body.processing_days,
        lead_agency_code=body.lead_agency,
        sets_count=body.sets_count,
        population_data=body.population_data,
    )
    dossier = services.dossier_receive(actor=_user(request), data=data)
    return HttpStatus(
        201,
        _detail(
            Dossier.objects.select_related(
                "procedure", "receiving_agency", "lead_agency", "current_agency"
            ).get(pk=dossier.pk)
        ),
    )


@router.get("", response=DossierPageOut, summary="Dossiers you may see (work queue)")
def dossier_list(
    request: HttpRequest,
    status: Literal[
        "waiting_supplement",
        "supplement_submitted",
        "received",
        "processing",
        "result_ready",
        "returned",
        "refused",
        "stopped",
        "withdrawn",
        "open",
    ]
    | None = None,
    late: bool | None = None,
    agency: str | None = Query(None, max_length=32, description="Current agency code"),
    q: str = Query("", max_length=100),
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(20, ge=1, le=100),
) -> dict:
    reject_unknown_params(request.GET, {"status", "late", "agency", "q", "page", "page_size"})
    dossiers = dossiers_visible_to(_user(request)).select_related(
        "procedure", "receiving_agency", "lead_agency", "current_agency"
    )
    if status == "open":
        dossiers = dossiers.filter(status__in=OPEN_STATUSES)
    elif status:
        dossiers = dossiers.filter(status=status)
    if late is not None:
        now = timezone.now()
        # Only a running clock can be late: a dossier waiting for a supplement is paused.
        late_q = dossiers.filter(status__in=RUNNING_STATUSES, due_at__lt=now)
        dossiers = late_q if late else dossiers.exclude(pk__in=late_q.values("pk"))
    if agency:
        dossiers = dossiers.filter(current_agency__code=agency)
    if q.strip():
        dossiers = dossiers.filter(code__icontains=q.strip()) | dossiers.filter(
            applicant_name__icontains=q.strip()
        )
    total = dossiers.count()
    items = dossiers.order_by("due_at", "id")[(page - 1) * page_size : page * page_size]
    return {
        "total": total,
        "page": page,
        "page_size": page_size,
        "items": [_summary(d) for d in items],
    }


REGISTER_MAX_DAYS = 366


@router.get(
    "/register.pdf", summary="The dossier register (form 07) of an agency", response={200: None}
)
def dossier_register(
    request: HttpRequest,
    start: dt.date = Query(..., alias="from"),
    end: dt.date = Query(..., alias="to"),
    agency: str | None = Query(None, max_length=32, description="Receiving agency code"),
) -> HttpResponse:
    from .pdf import render_form

    reject_unknown_params(request.GET, {"from", "to", "agency"})
    if end < start or (end - start).days > REGISTER_MAX_DAYS:
        raise ApiError(
            "invalid_period",
            _("The period is not valid (at most one year)."),
        )
    user = _user(request)
    agency_code = agency or (user.agency.code if user.agency else None)
    if agency_code is None:
        raise ApiError("agency_required", _("Give an agency code."))
    dossiers = (
        dossiers_visible_to(user)
        .filter(
            receiving_agency__code=agency_code,
            received_at__date__gte=start,
            received_at__date__lte=end,
        )
        .select_related("procedure", "lead_agency", "receiving_agency")
        .order_by("received_at")
    )
    first = dossiers.first()
    if first is None:
        raise NotFound(
            "register_empty",
            _("No dossier in this period."),
        )
    rows = [
        {
            "number": i,
            "dossier_code": d.code,
            "procedure_name": d.procedure.name,
            "applicant_name": d.applicant_name,
            "contact": " ".join(x for x in (d.applicant_address, d.applicant_phone) if x),
            "lead_agency": d.lead_agency.name,
            "received_at": d.received_at,
            "due_at": d.appointment_at,
            "returned_at": d.returned_at,
            "how_collected": d.returned_how,
        }
        for i, d in enumerate(dossiers.iterator(chunk_size=500), start=1)
    ]
    data = {
        **letterhead(first.receiving_agency.name),
        "period": f"{start:%d/%m/%Y} – {end:%d/%m/%Y}",
        "rows": rows,
    }
    response = HttpResponse(render_form("register", data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-theo-doi-{agency_code}.pdf"'
    return response


@router.get("/{code}", response=DossierDetailOut, summary="A dossier with its history")
def dossier_detail(request: HttpRequest, code: str) -> dict:
    reject_unknown_params(request.GET, set())
    return _detail(dossier_get_for_user(code=code, user=_user(request)))


@router.post("/{code}/actions", response=DossierDetailOut, summary="Act on a dossier")
def dossier_action(request: HttpRequest, code: str, body: ActionIn) -> dict:
    if body.version is None:  # as on the web: every action says which version it acts on
        raise ApiError(*services.ERR_VERSION_REQUIRED)
    content = None
    if body.result_file_base64:
        try:
            content = base64.b64decode(body.result_file_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ApiError(
                "invalid_base64",
                _("result_file_base64 is not valid base64."),
            ) from exc
    data = services.ActionData(
        action=body.action,
        reason=body.reason,
        to_agency_code=body.to_agency,
        new_due_at=body.new_due_at,
        items=body.items,
        version=body.version,
        result_kind=body.result_kind,
        result_file_content=content,
        result_note=body.result_note,
        returned_how=body.returned_how,
        documents=[services.SubmittedDocument(**d.dict()) for d in body.documents],
        certified_copy=body.certified_copy,
    )
    dossier = services.dossier_act(actor=_user(request), code=code, data=data)
    return _detail(
        Dossier.objects.select_related(
            "procedure", "receiving_agency", "lead_agency", "current_agency"
        ).get(pk=dossier.pk)
    )


@router.get("/{code}/forms/{form}.pdf", summary="A printed form (PDF)", response={200: None})
def dossier_form(request: HttpRequest, code: str, form: str) -> HttpResponse:
    from .pdf import render_form

    if form not in FORMS:
        raise NotFound(
            "unknown_form",
            _("No form “{form}”; one of {forms}."),
            form=form,
            forms=", ".join(FORMS),
        )
    dossier = dossier_get_for_user(code=code, user=_user(request))
    try:
        data = form_data(dossier, form)
    except FormNotIssued as exc:
        raise NotFound("form_not_issued", ERR_FORM_NOT_ISSUED) from exc
    # A slip only changes with the dossier (its version) or the template in force (the day):
    # render once, serve the bytes again — fonts make a first render cost a few hundred ms.
    key = (
        f"motcua:form:{form}:{code}:{dossier.version}:{dossier.updated_at.timestamp()}"
        f":{timezone.localdate():%Y%m%d}"
    )
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_form(form, data)
        cache.set(key, pdf, timeout=FORM_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{code}-{form}.pdf"'
    return response
