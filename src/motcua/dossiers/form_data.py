"""The data each printed form needs, read from a dossier (the layout lives in pdf/templates)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from motcua.audit.models import Event
from motcua.catalog.models import DocumentRequirement
from motcua.common.urls import absolute_url
from motcua.org.selectors import province_served

from .models import Action, Dossier, Status

FORM_LABELS = dict(DocumentRequirement.Form.choices)
VERDICT_BY_NAME = {"early": "early", "on_time": "on_time", "late": "late"}

ERR_FORM_NOT_ISSUED = "This form was not issued for this dossier."


class FormNotIssued(LookupError):
    pass


def tracking_url(code: str) -> str:
    """The public tracking page of a dossier, absolute: printed on the slip and in its QR code."""
    return absolute_url(f"{reverse('portal:track')}?{urlencode({'code': code})}")


def letterhead(issuer_name: str) -> dict[str, Any]:
    """The heading every form shares (slips, notices and the register): the province's People's
    Committee above the issuing agency, and the place and time of issue. The province is the
    one MOTCUA_PROVINCE_CODE names."""
    province = province_served()
    return {
        "parent_agency_name": province.committee_name.upper(),
        "agency_name": issuer_name.upper(),
        "place_name": province.short_name,
        "issued_at": timezone.localtime(),
    }


def _common(dossier: Dossier, issuer_name: str) -> dict[str, Any]:
    return {
        **letterhead(issuer_name),
        "dossier_code": dossier.code,
        "procedure_name": dossier.procedure.name,
        "applicant_name": dossier.applicant_name,
        "applicant_id_number": dossier.applicant_id_number or dossier.applicant_tax_code,
        "applicant_address": dossier.applicant_address,
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
    }


def _actor_name(dossier: Dossier, action: str) -> str:
    event = (
        Event.objects.filter(subject_type="dossier", subject_id=dossier.code, action=action)
        .select_related("actor")
        .order_by("-id")
        .first()
    )
    return event.actor.display_name if event and event.actor else ""


def form_data(dossier: Dossier, form: str) -> dict[str, Any]:
    """The render context of `form` for `dossier`; FormNotIssued when it has no such form."""
    desk = dossier.receiving_agency
    data = _common(dossier, desk.name)
    if form == "receipt":
        if dossier.due_at is None:
            raise FormNotIssued(ERR_FORM_NOT_ISSUED)
        sequence = dossier.code.rsplit("-", 1)[-1]
        data.update(
            lookup_key=dossier.lookup_key,
            documents=[
                {
                    "name": d["name"],
                    "form_label": FORM_LABELS.get(d.get("form", ""), ""),
                    "quantity": d.get("quantity", 1),
                }
                for d in dossier.documents_submitted
            ],
            sets_count=dossier.sets_count,
            processing_days=dossier.processing_days,
            received_at=dossier.clock_started_at or dossier.received_at,
            due_at=dossier.original_due_at,
            return_place=desk.name,
            receiver_name=dossier.received_by.display_name if dossier.received_by else "",
            register_ref=f"Quyển số {timezone.localtime(dossier.received_at):%Y}, "
            f"Số thứ tự {int(sequence)}",
            issued_at=timezone.localtime(dossier.clock_started_at or dossier.received_at),
            tracking_url=tracking_url(dossier.code),
        )
    elif form == "supplement":
        request = getattr(dossier, "supplement", None)
        if request is None:
            raise FormNotIssued(ERR_FORM_NOT_ISSUED)
        data.update(
            issued_at=timezone.localtime(request.requested_at),
            agency_name=request.agency.name.upper(),
            items=request.items or ["—"],
            reason=request.reason,
            guide_name=request.requested_by.display_name if request.requested_by else "",
            contact=f"{request.agency.name}",
        )
    elif form == "refusal":
        if dossier.status != Status.REFUSED:
            raise FormNotIssued(ERR_FORM_NOT_ISSUED)
        data.update(
            issued_at=timezone.localtime(dossier.closed_at or dossier.received_at),
            reasons=[dossier.refusal_reason],
            receiver_name=_actor_name(dossier, "refuse") or _actor_name(dossier, "receive"),
        )
    elif form == "apology":
        apology = getattr(dossier, "apology", None)
        if apology is None:
            raise FormNotIssued(ERR_FORM_NOT_ISSUED)
        data.update(
            issued_at=timezone.localtime(apology.issued_at),
            agency_name=apology.agency.name.upper(),
            addressee=dossier.applicant_name,
            received_at=dossier.received_at,
            original_due_at=apology.old_due_at,
            reason=apology.reason,
            new_due_at=apology.new_due_at,
            head_name=apology.issued_by.display_name if apology.issued_by else "",
            head_title="THỦ TRƯỞNG CƠ QUAN",
        )
    elif form == "stop":
        # Stopped at the desk or withdrawn online (Art. 21: answered through the portal); a
        # dossier closed unpaid was never received, so it gets no notice.
        expired = (
            dossier.status == Status.WITHDRAWN
            and dossier.clock_started_at is None
            and (
                Event.objects.filter(
                    subject_type="dossier", subject_id=dossier.code, action=Action.EXPIRE
                ).exists()
            )
        )
        if dossier.status not in (Status.STOPPED, Status.WITHDRAWN) or expired:
            raise FormNotIssued(ERR_FORM_NOT_ISSUED)
        data.update(
            issued_at=timezone.localtime(dossier.closed_at),
            requested_at=dossier.closed_at,
            reason=dossier.stop_reason,
            officer_name=_actor_name(dossier, "stop"),
        )
    elif form == "control-sheet":
        if dossier.due_at is None:
            raise FormNotIssued(ERR_FORM_NOT_ISSUED)
        handovers = list(dossier.handovers.select_related("from_agency", "to_agency"))
        others = sorted(
            {h.to_agency.name for h in handovers} - {dossier.lead_agency.name, desk.name}
        )
        data.update(
            lead_agency_name=dossier.lead_agency.name,
            coordinating_agencies=", ".join(others),
            received_at=dossier.clock_started_at or dossier.received_at,
            due_at=dossier.appointment_at,
            handovers=[
                {
                    "at": h.received_at,
                    "giver": h.from_agency.name if h.from_agency else dossier.applicant_name,
                    "receiver": h.to_agency.name,
                    "verdict": h.verdict,
                    "note": h.note,
                }
                for h in handovers
            ],
        )
    else:
        raise FormNotIssued(f"Unknown form {form}")
    return data
