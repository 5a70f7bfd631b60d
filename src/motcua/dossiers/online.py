"""Online submission (channel `online`): a citizen or business applies through the portal, pays
if there is a fee, and the desk then accepts the dossier, asks once for a supplement or refuses
it — the same lifecycle as the counter, from `submitted` on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.common.errors import ApiError, Conflict, NotFound
from motcua.common.locking import lock_rows
from motcua.common.templatetags.motcua import vnd
from motcua.org.models import Agency, User

from .documents import store_document
from .models import Channel, Document, Dossier, Status
from .services.base import (
    ApplicantData,
    dossier_event_record,
    dossier_new,
    participants_add,
)
from .services.receipt import applicant_check, lead_agency_resolve

PROVINCE_DESK_CODE = "TTPVHCC"

ERR_NOT_ONLINE = ("procedure_not_online", _("Procedure {code} is not offered online."))
ERR_NOT_PAYING = ("not_waiting_for_payment", _("Dossier {code} is not waiting for payment."))
# Vietnamese amounts are written 1.000.000 (`vnd`), English ones 1,000,000.
ERR_AMOUNT = ("wrong_amount", _("Amount {paid_en} VND does not match the fee {fee_en} VND."))


@dataclass
class UploadedDocument:
    """A file already checked by `motcua.common.uploads.validate_upload`."""

    title: str
    content: bytes
    original_name: str
    content_type: str


@dataclass
class OnlineApplication:
    procedure_code: str
    applicant: ApplicantData
    form_data: dict[str, Any] = field(default_factory=dict)
    uploads: list[UploadedDocument] = field(default_factory=list)
    reused_document_ids: list[int] = field(default_factory=list)
    receiving_agency_code: str | None = None
    idempotency_key: str | None = None
    # The applicant's identity came from the national population database (VNeID login).
    population_data: bool = False


def _receiving_desk(procedure: Procedure, code: str | None) -> Agency:
    """The province's centre for provincial procedures; the chosen commune otherwise."""
    if code:
        desk = Agency.objects.filter(code=code, has_one_stop_desk=True).first()
        if desk is None:
            raise ApiError(
                "unknown_desk",
                _("No one-stop desk with code {code}."),
                code=code,
            )
        return desk
    if procedure.level_province or procedure.level_central:
        return Agency.objects.get(code=PROVINCE_DESK_CODE)
    raise ApiError(
        "commune_required",
        _("Choose the commune where the dossier is filed."),
    )


def _reuse(document_ids: list[int], owner: User, dossier: Dossier) -> int:
    """Copy references to documents from the owner's store into the dossier (no new upload)."""
    stored = {d.pk: d for d in Document.objects.filter(pk__in=document_ids, owner=owner)}
    missing = sorted(set(document_ids) - set(stored))
    if missing:
        raise ApiError(
            "document_not_yours",
            _("A chosen document is not in your store."),
            errors=[{"field": "reused_document_ids", "message": str(i)} for i in missing],
        )
    for source in stored.values():
        Document.objects.create(
            owner=owner,
            dossier=dossier,
            kind=Document.Kind.SUBMITTED,
            title=source.title,
            file=source.file.name,
            original_name=source.original_name,
            content_type=source.content_type,
            size=source.size,
            sha256=source.sha256,
            reused_from=source,
        )
    return len(stored)


def dossier_submit_online(
    *,
    applicant_user: User,
    application: OnlineApplication,
    at: dt.datetime | None = None,
    notify: bool = True,
) -> Dossier:
    """Create an online dossier; the same idempotency key returns the same dossier.
    `notify=False` tells the applicant nothing (demo data)."""
    key = application.idempotency_key
    if key:
        existing = Dossier.objects.filter(
            applicant_user=applicant_user, idempotency_key=key
        ).first()
        if existing is not None:
            return existing
    try:
        return _submit(applicant_user, application, at or timezone.now(), notify=notify)
    except IntegrityError:
        # A concurrent retry with the same key won the race: answer with its dossier.
        if key:
            existing = Dossier.objects.filter(
                applicant_user=applicant_user, idempotency_key=key
            ).first()
            if existing is not None:
                return existing
        raise


@transaction.atomic
def _submit(
    user: User, application: OnlineApplication, at: dt.datetime, *, notify: bool
) -> Dossier:
    procedure = (
        Procedure.objects.filter(code=application.procedure_code, status=Procedure.Status.ACTIVE)
        .select_related("competent_agency")
        .first()
    )
    if procedure is None:
        raise ApiError("unknown_procedure", _("No such procedure."))
    if procedure.online_level == "none":
        raise ApiError(*ERR_NOT_ONLINE, code=procedure.code)
    if procedure.processing_days is None:
        raise ApiError(
            "processing_days_required",
            _("The procedure states no processing time; file it at a desk."),
        )
    applicant = applicant_check(application.applicant)
    desk = _receiving_desk(procedure, application.receiving_agency_code)
    lead = lead_agency_resolve(procedure, desk, None)
    fee = procedure.fee_vnd or 0
    dossier = dossier_new(
        procedure=procedure,
        applicant=applicant,
        receiving=desk,
        lead=lead,
        at=at,
        channel=Channel.ONLINE,
        status=Status.PAYING if fee else Status.SUBMITTED,
        applicant_user=user,
        processing_days=procedure.processing_days,
        fee_vnd=fee,
        population_data=application.population_data,
        form_data=application.form_data,
        idempotency_key=application.idempotency_key,
    )
    dossier.full_clean(exclude=["result_file"], validate_constraints=False)
    dossier.save()
    participants_add(dossier, desk.pk, lead.pk)
    for upload in application.uploads:
        store_document(
            owner=user,
            dossier=dossier,
            kind=Document.Kind.SUBMITTED,
            title=upload.title,
            content=upload.content,
            original_name=upload.original_name,
            content_type=upload.content_type,
        )
    reused = _reuse(application.reused_document_ids, user, dossier)
    titles = [u.title for u in application.uploads]
    titles += list(
        dossier.documents.filter(reused_from__isnull=False).values_list("title", flat=True)
    )
    dossier.documents_submitted = [
        {"name": t, "quantity": 1, "form": "original", "digitised": True, "reused": False}
        for t in titles
    ]
    dossier.reused_documents = reused
    dossier.digitised = bool(titles)
    dossier.save(update_fields=["documents_submitted", "reused_documents", "digitised"])
    dossier_event_record(
        dossier,
        actor=user,
        action="submit",
        from_state="",
        at=at,
        payload={"fee_vnd": fee, "uploads": len(application.uploads), "reused": reused},
        notify=notify,
    )
    return dossier


@transaction.atomic
def dossier_mark_paid(
    *,
    dossier_id: int,
    amount_vnd: int,
    method: str,
    at: dt.datetime | None = None,
    notify: bool = True,
) -> Dossier:
    """Called by the payments app once a payment is confirmed: `paying` → `submitted`.
    Idempotent: a dossier already past `paying` is returned unchanged."""
    if not lock_rows(Dossier.objects.filter(pk=dossier_id), field="version"):
        raise NotFound("dossier_not_found", _("Dossier not found."))
    dossier = Dossier.objects.get(pk=dossier_id)
    if dossier.status != Status.PAYING:
        if dossier.paid_online or method != "online":
            return dossier
        raise Conflict(*ERR_NOT_PAYING, code=dossier.code)
    if amount_vnd != dossier.fee_vnd:
        raise ApiError(
            *ERR_AMOUNT,
            paid=vnd(amount_vnd),
            fee=vnd(dossier.fee_vnd),
            paid_en=f"{amount_vnd:,}",
            fee_en=f"{dossier.fee_vnd:,}",
        )
    at = at or timezone.now()
    dossier.status = Status.SUBMITTED
    dossier.paid_online = method == "online"
    dossier.version += 1
    dossier.save()
    dossier_event_record(
        dossier,
        actor=None,
        action="pay",
        from_state=Status.PAYING,
        at=at,
        payload={"amount_vnd": amount_vnd, "method": method},
        notify=notify,
    )
    return dossier
