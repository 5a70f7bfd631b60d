"""Receiving a dossier at a one-stop desk: accepted, asked once to complete it, or refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import DocumentRequirement, Procedure
from motcua.common.errors import ApiError
from motcua.common.identity import validate_id_number, validate_tax_code
from motcua.common.text import fold
from motcua.org.models import Agency, User
from motcua.workdays.selectors import get_calendar

from ..access import require_staff_of
from ..models import (
    ApplicantKind,
    Channel,
    Dossier,
    Status,
    SupplementRequest,
)
from .base import (
    ERR_REASON,
    ApplicantData,
    ReceiptData,
    _start_clock,
    dossier_event_record,
    dossier_new,
    participants_add,
)

ERR_DESK_ONLINE = (
    "online_only_from_portal",
    _(
        "A desk cannot create an online dossier: online dossiers come only from the "
        "applicant's submission in the portal. Use channel counter or post."
    ),
)


def applicant_check(applicant: ApplicantData) -> ApplicantData:
    """The applicant as every channel records them: kind known, name given and tidied, the
    citizen ID or the tax code valid. Shared by the desk's receipt and online submission."""
    if applicant.kind not in ApplicantKind.values:
        raise ApiError(
            "invalid_applicant_kind",
            _("Applicant kind must be person or organisation."),
        )
    if not applicant.name.strip():
        raise ApiError(
            "applicant_name_required",
            _("The applicant's name is missing."),
        )
    if applicant.kind == ApplicantKind.PERSON:
        applicant.id_number = validate_id_number(applicant.id_number)
    else:
        applicant.tax_code = validate_tax_code(applicant.tax_code)
    applicant.name = " ".join(applicant.name.split())
    return applicant


ERR_DOCUMENTS_MISSING = ("documents_missing", _("Required documents are missing: {names}."))
ERR_DOCUMENTS_MISSING_AT_DESK = (
    "documents_missing",
    _("Required documents are missing: {names}. Ask for a supplement."),
)


def required_documents_missing(
    procedure: Procedure, given: Iterable[str], *, channel: str
) -> list[str]:
    """The required papers of `procedure` that `given` (paper names; case and accents do not
    matter) lacks, in the procedure's order. The one rule for the desk and the portal: online,
    a paper only shown at a counter (an ID card) is proven by the applicant's account instead."""
    names = {fold(name) for name in given}
    return [
        r.name
        for r in procedure.documents.all()
        if r.required
        and not (channel == Channel.ONLINE and r.form == DocumentRequirement.Form.SHOWN)
        and fold(r.name) not in names
    ]


def required_documents_check(procedure: Procedure, given: Iterable[str], *, channel: str) -> None:
    """Refuse (400 `documents_missing`, one error per paper) unless every required paper is
    given; a desk is told to ask for a supplement instead."""
    missing = required_documents_missing(procedure, given, channel=channel)
    if missing:
        spec = ERR_DOCUMENTS_MISSING if channel == Channel.ONLINE else ERR_DOCUMENTS_MISSING_AT_DESK
        raise ApiError(
            *spec,
            names="; ".join(missing),
            errors=[{"field": "documents", "message": name} for name in missing],
        )


def lead_agency_resolve(procedure: Procedure, receiving: Agency, code: str | None) -> Agency:
    """The agency that will handle the dossier: the one named by `code`, else the procedure's
    competent agency, else the receiving commune for a commune-level procedure."""
    if code:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise ApiError("unknown_agency", _("No agency {code}."), code=code)
        return agency
    if not procedure.level_commune and (competent := procedure.competent_agency) is not None:
        return competent
    if receiving.kind == Agency.Kind.COMMUNE_COMMITTEE:
        return receiving
    if procedure.competent_agency is not None:
        return procedure.competent_agency
    raise ApiError(
        "lead_agency_required",
        _("Name the agency that will handle this procedure (lead_agency)."),
    )


@transaction.atomic
def dossier_receive(
    *,
    actor: User,
    data: ReceiptData,
    at: dt.datetime | None = None,
    receiving_agency: Agency | None = None,
    applicant_user: User | None = None,
    replaying_history: bool = False,
    notify: bool = True,
) -> Dossier:
    """Receive a dossier at a one-stop desk: accept it with an appointment, ask once for a
    supplement, or refuse it. Every outcome gets a code, so every slip can be traced.

    A desk receives counter and postal dossiers only: online dossiers come from the portal's
    submission (`online.dossier_submit_online`). `replaying_history` is for the history
    generator alone, which replays online dossiers the desk already accepted; `notify=False`
    tells the applicant nothing."""
    at = at or timezone.now()
    receiving = receiving_agency or actor.agency
    if receiving is None or not receiving.has_one_stop_desk:
        raise ApiError(
            "not_a_desk",
            _("Only a one-stop desk may receive dossiers."),
            status=403,
        )
    require_staff_of(actor, receiving.pk)
    if data.channel not in Channel.values:
        raise ApiError(
            "invalid_channel",
            _("Channel must be counter, post or online."),
        )
    if data.channel == Channel.ONLINE and not replaying_history:
        raise ApiError(*ERR_DESK_ONLINE)
    if data.outcome not in {"accept", "supplement", "refuse"}:
        raise ApiError(
            "invalid_outcome",
            _("Outcome must be accept, supplement or refuse."),
        )
    procedure = (
        Procedure.objects.filter(code=data.procedure_code, status=Procedure.Status.ACTIVE)
        .prefetch_related("documents")
        .first()
    )
    if procedure is None:
        raise ApiError(
            "unknown_procedure",
            _("No procedure in force with code “{procedure_code}”."),
            procedure_code=data.procedure_code,
        )
    applicant = applicant_check(data.applicant)
    days = data.processing_days if data.processing_days is not None else procedure.processing_days
    if days is None:
        raise ApiError(
            "processing_days_required",
            _("The procedure states no processing time; give processing_days."),
        )
    if data.outcome in {"supplement", "refuse"} and not data.reason.strip():
        raise ApiError(*ERR_REASON)
    if data.outcome == "accept":
        required_documents_check(procedure, [d.name for d in data.documents], channel=data.channel)
    lead = lead_agency_resolve(procedure, receiving, data.lead_agency_code)
    calendar = get_calendar()
    status = {
        "accept": Status.RECEIVED,
        "supplement": Status.WAITING_SUPPLEMENT,
        "refuse": Status.REFUSED,
    }[data.outcome]
    dossier = dossier_new(
        procedure=procedure,
        applicant=applicant,
        receiving=receiving,
        lead=lead,
        at=at,
        channel=data.channel,
        status=status,
        applicant_user=applicant_user,
        received_by=actor,
        processing_days=days,
        documents_submitted=[d.__dict__ for d in data.documents],
        sets_count=data.sets_count,
        fee_vnd=procedure.fee_vnd or 0,
        digitised=bool(data.documents) and all(d.digitised for d in data.documents),
        reused_documents=sum(1 for d in data.documents if d.reused),
        population_data=data.population_data,
    )
    if status == Status.REFUSED:
        dossier.refusal_reason = data.reason
        dossier.closed_at = at
    dossier.full_clean(exclude=["result_file"])
    dossier.save()
    participants_add(dossier, receiving.pk, lead.pk)
    if status == Status.WAITING_SUPPLEMENT:
        SupplementRequest.objects.create(
            dossier=dossier,
            agency=receiving,
            requested_by=actor,
            requested_at=at,
            at_receipt=True,
            items=data.missing_items,
            reason=data.reason,
            resume_status=Status.RECEIVED,
        )
    if status == Status.RECEIVED:
        _start_clock(dossier, calendar=calendar, actor=actor, at=at)
        dossier.save(update_fields=["clock_started_at", "due_at", "original_due_at"])
    dossier_event_record(
        dossier,
        actor=actor,
        action="receive",
        from_state="",
        at=at,
        reason=data.reason,
        payload={
            "outcome": data.outcome,
            "channel": data.channel,
            "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
            "lead_agency": lead.code,
            "missing_items": data.missing_items,
        },
        notify=notify,
    )
    return dossier
