"""What every dossier service shares: error texts, input shapes, deadlines, hand-overs, events."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy

from motcua.audit.services import event_record
from motcua.catalog.models import Procedure
from motcua.common.events import DOSSIER_CHANGED, Event, publish
from motcua.org.models import Agency, User
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.selectors import office_hours

from ..models import (
    Dossier,
    DossierCounter,
    Handover,
    Participant,
    Verdict,
)
from ..process import Step, resolve_steps

LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the desk
LOOKUP_LENGTH = 6
SEQUENCE_DIGITS = 4

# {action} and {state} are the labels (Vietnamese page), {action_code} and {status_code} the
# API's codes (what an English client reads elsewhere in the body).
ERR_STATUS = (
    "invalid_transition",
    gettext_lazy("Cannot {action_code} a dossier whose status is {status_code}."),
)
ERR_SUPPLEMENT_ONCE = (
    "supplement_already_requested",
    gettext_lazy("A supplement was already requested once for this dossier."),
)
ERR_APOLOGY_ONCE = (
    "apology_already_issued",
    gettext_lazy("An apology with a new date was already issued for this dossier."),
)
ERR_NEW_DATE = (
    "new_date_not_later",
    gettext_lazy("The new date must be later than the current appointment ({due})."),
)
ERR_VERSION = (
    "stale_version",
    gettext_lazy("Someone else changed this dossier (now version {current}); reload it."),
)
ERR_AGENCY_NOT_IN_PROCESS = (
    "agency_not_in_process",
    gettext_lazy("Agency {agency} is not part of this procedure's process."),
)
ERR_REASON = ("reason_required", gettext_lazy("A reason is required."))


@dataclass
class ApplicantData:
    kind: str
    name: str
    id_number: str = ""
    tax_code: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass
class SubmittedDocument:
    name: str
    quantity: int = 1
    form: str = "original"
    digitised: bool = False
    reused: bool = False


@dataclass
class ReceiptData:
    procedure_code: str
    channel: str
    applicant: ApplicantData
    documents: list[SubmittedDocument] = field(default_factory=list)
    outcome: str = "accept"  # accept | supplement | refuse
    reason: str = ""
    missing_items: list[str] = field(default_factory=list)
    processing_days: int | None = None
    lead_agency_code: str | None = None
    sets_count: int = 1
    # The applicant's data was taken from the national population database (VNeID).
    population_data: bool = False


def day_seconds() -> int:
    opens, closes = office_hours()
    return (closes.hour * 3600 + closes.minute * 60) - (opens.hour * 3600 + opens.minute * 60)


def judge(done_at: dt.datetime, due_at: dt.datetime | None) -> str:
    """Early: done on an earlier day than due; on time: by the due moment; late: after it."""
    if due_at is None:
        return ""
    if done_at > due_at:
        return Verdict.LATE
    if timezone.localdate(done_at) < timezone.localdate(due_at):
        return Verdict.EARLY
    return Verdict.ON_TIME


def _next_code(agency: Agency, day: dt.date) -> str:
    counter, _ = DossierCounter.objects.get_or_create(agency=agency, day=day)
    DossierCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{agency.electronic_id}-{day:%y%m%d}-{counter.last:0{SEQUENCE_DIGITS}d}"


def dossier_new(
    *,
    procedure: Procedure,
    applicant: ApplicantData,
    receiving: Agency,
    lead: Agency,
    at: dt.datetime,
    **facts: Any,
) -> Dossier:
    """An unsaved dossier as every channel starts it: a code from the lead agency's daily
    sequence, a fresh lookup key, the procedure version in force, the applicant, held by the
    receiving desk. `facts` are the channel's own fields (channel, status, fee, …)."""
    return Dossier(
        code=_next_code(lead, timezone.localdate(at)),
        lookup_key="".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(LOOKUP_LENGTH)),
        procedure=procedure,
        procedure_version=procedure.version,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name,
        applicant_id_number=applicant.id_number,
        applicant_tax_code=applicant.tax_code,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        receiving_agency=receiving,
        lead_agency=lead,
        current_agency=receiving,
        received_at=at,
        **facts,
    )


def _open_handover(
    dossier: Dossier,
    *,
    calendar: WorkCalendar,
    to_agency_id: int,
    from_agency_id: int | None,
    actor: User | None,
    at: dt.datetime,
    step: Step | None,
    arrives_at: dt.datetime | None = None,
) -> Handover:
    position = dossier.handovers.count() + 1
    participants_add(dossier, to_agency_id)
    arrives = arrives_at or at
    allowance = int(step.allowance_days * day_seconds()) if step else 0
    start = calendar.effective_start(arrives)
    return Handover.objects.create(
        dossier=dossier,
        position=position,
        from_agency_id=from_agency_id,
        to_agency_id=to_agency_id,
        sent_by=actor,
        sent_at=at,
        received_at=arrives,
        allowance_seconds=allowance,
        due_at=calendar.add_working_seconds(start, allowance) if step else None,
        step_position=step.position if step else 0,
    )


def participants_add(dossier: Dossier, *agency_ids: int) -> None:
    """Give these agencies a part in the dossier (what `access` reads to let them see it)."""
    for agency_id in set(agency_ids):
        Participant.objects.get_or_create(dossier=dossier, agency_id=agency_id)


def _close_handover(dossier: Dossier, at: dt.datetime) -> Handover | None:
    handover = dossier.handovers.filter(completed_at__isnull=True).order_by("-position").first()
    if handover is not None:
        handover.completed_at = at
        handover.verdict = judge(at, handover.due_at)
        handover.save(update_fields=["completed_at", "verdict"])
    return handover


def dossier_event_record(
    dossier: Dossier,
    *,
    actor: User | None,
    action: str,
    from_state: str,
    at: dt.datetime,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    notify: bool = True,
) -> None:
    """The audit event of a step, in the caller's transaction, and the published event the
    notifications subscribe to (`notify=False`: nobody is told)."""
    audit_event = event_record(
        at=at,
        actor_id=actor.pk if actor else None,
        agency_id=actor.agency_id if actor else dossier.current_agency_id,
        subject_type="dossier",
        subject_id=dossier.code,
        action=action,
        from_state=from_state,
        to_state=dossier.status,
        reason=reason,
        payload=payload or {},
    )
    # The applicant's notice is a subscriber (dossiers.notify, registered in apps.py).
    # Recorders (an outbox, counts) get the audit event's identity: one stable id per change.
    details = {
        "audit_event_id": audit_event.pk,
        "audit_hash": audit_event.hash,
        "at": at,
        "from_state": from_state,
        "to_state": dossier.status,
    }
    publish(Event(DOSSIER_CHANGED, dossier.pk, action, notify=notify, details=details))


def _steps(dossier: Dossier) -> list[Step]:
    return resolve_steps(
        procedure=dossier.procedure,
        processing_days=dossier.processing_days,
        receiving=dossier.receiving_agency,
        lead=dossier.lead_agency,
    )


def _start_clock(
    dossier: Dossier, *, calendar: WorkCalendar, actor: User | None, at: dt.datetime
) -> dt.datetime:
    """The dossier is complete and accepted now: the legal time starts, the first appointment is
    set (and returned), and the desk holds it for its first step. The caller saves the dossier."""
    dossier.clock_started_at = at
    due = calendar.due_at(at, dossier.processing_days)
    dossier.due_at = dossier.original_due_at = due
    first = _steps(dossier)[0]
    _open_handover(
        dossier,
        calendar=calendar,
        to_agency_id=dossier.receiving_agency_id,
        from_agency_id=None,
        actor=actor,
        at=at,
        step=first if first.agency_id == dossier.receiving_agency_id else None,
    )
    return due
