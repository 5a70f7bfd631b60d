"""Every action on a received dossier, one handler each, applied under a lock by `dossier_act`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import ApiError, Conflict, PermissionDenied
from motcua.org.models import Agency, User
from motcua.workdays.selectors import get_calendar

from ..access import (
    ACTING_AGENCIES,
    dossier_get_for_user,
    require_acting_role,
    require_may_act,
)
from ..documents import store_document
from ..hooks import dossier_closed
from ..models import (
    Action,
    Apology,
    Channel,
    Document,
    Dossier,
    ResultKind,
    Status,
    SupplementRequest,
)
from ..process import next_step
from .base import (
    ERR_AGENCY_NOT_IN_PROCESS,
    ERR_APOLOGY_ONCE,
    ERR_NEW_DATE,
    ERR_REASON,
    ERR_STATUS,
    ERR_SUPPLEMENT_ONCE,
    ERR_VERSION,
    SubmittedDocument,
    _close_handover,
    _open_handover,
    _start_clock,
    _steps,
    dossier_event_record,
    judge,
)


@dataclass
class ActionData:
    action: str
    reason: str = ""
    to_agency_code: str | None = None
    new_due_at: dt.datetime | None = None
    items: list[str] = field(default_factory=list)
    version: int | None = None
    result_kind: str | None = None
    result_file_name: str | None = None
    result_file_content: bytes | None = None
    result_note: str = ""
    returned_how: str = "in_person"
    documents: list[SubmittedDocument] = field(default_factory=list)
    # On finish of a certification procedure: an electronic certified copy was issued.
    certified_copy: bool = False


ERR_NOT_CERTIFICATION = (
    "not_a_certification",
    _("Procedure {procedure} is not a certification procedure: it issues no certified copy."),
)

STOPPABLE = (
    Status.PAYING,
    Status.SUBMITTED,
    Status.WAITING_SUPPLEMENT,
    Status.SUPPLEMENT_SUBMITTED,
    Status.RECEIVED,
    Status.PROCESSING,
)
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "accept": (Status.SUBMITTED,),
    "request_supplement": (Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING),
    "supplement": (Status.WAITING_SUPPLEMENT,),
    # The supplement once requested cannot be asked for again: the desk accepts what the
    # applicant sent online, or refuses the dossier.
    "accept_supplement": (Status.SUPPLEMENT_SUBMITTED,),
    "refuse": (
        Status.SUBMITTED,
        Status.WAITING_SUPPLEMENT,
        Status.SUPPLEMENT_SUBMITTED,
        Status.RECEIVED,
        Status.PROCESSING,
    ),
    "forward": (Status.RECEIVED, Status.PROCESSING),
    "apologize": (Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT),
    "finish": (Status.RECEIVED, Status.PROCESSING),
    "return": (Status.RESULT_READY,),
    "stop": STOPPABLE,
    "withdraw": STOPPABLE,
}
ACTIONS = tuple(ALLOWED_FROM)

ERR_VERSION_REQUIRED = (
    "version_required",
    _("version is required: send the dossier version you last saw (reload the dossier)."),
)
ERR_ONLY_APPLICANT_WITHDRAWS = (
    "only_applicant_withdraws",
    _("Only the applicant withdraws a dossier; the desk stops it at the applicant's request."),
)


def dossier_act(
    *,
    actor: User,
    code: str,
    data: ActionData,
    at: dt.datetime | None = None,
    notify: bool = True,
) -> Dossier:
    """Apply one action to a dossier under a row lock; a stale `version` or a transition the
    status no longer allows is a 409, and nothing is written. `notify=False` tells the
    applicant nothing (replayed history, demo data)."""
    if data.action not in ALLOWED_FROM:
        raise ApiError(
            "unknown_action",
            _("Unknown action “{action}”; one of: {actions}."),
            action=data.action,
            actions=", ".join(ACTIONS),
        )
    with transaction.atomic():
        dossier = dossier_get_for_user(code=code, user=actor, for_update=True)
        if data.action == "stop" and _is_applicant(actor, dossier):
            # The applicant's own "stop" is a withdrawal, recorded and labelled as one.
            data = dataclasses.replace(data, action="withdraw")
        staff_action = data.action in ACTING_AGENCIES and not (
            data.action == "supplement" and _is_applicant(actor, dossier)
        )  # online applicants supply their own documents; every other action is staff's
        if staff_action:
            require_acting_role(actor)  # a role that may never act learns nothing more
        if data.version is not None and data.version != dossier.version:
            raise Conflict(*ERR_VERSION, current=dossier.version)
        if dossier.status not in ALLOWED_FROM[data.action]:
            raise Conflict(
                *ERR_STATUS,
                action=Action(data.action).label,
                state=Status(dossier.status).label,
                action_code=data.action,
                status_code=dossier.status,
            )
        if staff_action:  # after the 409s: a stale page must reload before being judged
            require_may_act(actor, dossier, data.action)
        at = at or timezone.now()
        before = dossier.status
        payload = HANDLERS[data.action](dossier, actor, data, at)
        dossier.version += 1
        dossier.save()
        dossier_event_record(
            dossier,
            actor=actor,
            action=data.action,
            from_state=before,
            at=at,
            reason=data.reason,
            payload=payload,
            notify=notify,
        )
    return dossier


def _request_supplement(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    if SupplementRequest.objects.filter(dossier=dossier).exists():
        raise Conflict(*ERR_SUPPLEMENT_ONCE)
    if not data.reason.strip():
        raise ApiError(*ERR_REASON)
    # An online dossier the desk has not accepted yet is incomplete: its clock starts at the
    # supplement, as for one found incomplete at the counter.
    at_receipt = dossier.status == Status.SUBMITTED
    try:
        with transaction.atomic():
            SupplementRequest.objects.create(
                dossier=dossier,
                agency=dossier.current_agency,
                requested_by=actor,
                requested_at=at,
                at_receipt=at_receipt,
                items=data.items,
                reason=data.reason,
                resume_status=Status.RECEIVED if at_receipt else dossier.status,
            )
    except IntegrityError as exc:  # a concurrent request won the unique constraint
        raise Conflict(*ERR_SUPPLEMENT_ONCE) from exc
    dossier.status = Status.WAITING_SUPPLEMENT
    return {"items": data.items}


def _is_applicant(actor: User, dossier: Dossier) -> bool:
    return dossier.applicant_user_id is not None and actor.pk == dossier.applicant_user_id


def _supplement(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    request = dossier.supplement
    request.supplied_at = at
    dossier.documents_submitted = [
        *dossier.documents_submitted,
        *[d.__dict__ for d in data.documents],
    ]
    if _is_applicant(actor, dossier):
        # Sent online: the desk checks it first; the clock stays paused until it accepts.
        request.save(update_fields=["supplied_at"])
        dossier.status = Status.SUPPLEMENT_SUBMITTED
        return {"documents": [d.name for d in data.documents]}
    return _resume(dossier, request, actor, at)


def _accept_supplement(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    """The desk found the supplement sent online complete: the clock resumes (or starts) now."""
    return _resume(dossier, dossier.supplement, actor, at)


def _resume(dossier: Dossier, request: SupplementRequest, actor: User, at: dt.datetime) -> dict:
    """The dossier is complete again at `at`: the waiting time pushes the deadlines back, or,
    for a dossier found incomplete at receipt, the legal time starts only now."""
    calendar = get_calendar()
    dossier.status = request.resume_status
    if request.at_receipt:
        # The dossier is complete only now: the legal time starts here.
        _start_clock(dossier, calendar=calendar, actor=actor, at=at)
    else:
        paused = calendar.working_seconds_between(request.requested_at, at)
        request.paused_seconds = paused
        dossier.paused_seconds += paused
        if dossier.due_at:
            dossier.due_at = calendar.add_working_seconds(dossier.due_at, paused)
        if dossier.extended_due_at:
            dossier.extended_due_at = calendar.add_working_seconds(dossier.extended_due_at, paused)
        open_handover = dossier.handovers.filter(completed_at__isnull=True).last()
        if open_handover is not None and open_handover.due_at is not None:
            open_handover.due_at = calendar.add_working_seconds(open_handover.due_at, paused)
            open_handover.save(update_fields=["due_at"])
    request.save()
    return {
        "paused_seconds": request.paused_seconds,
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
    }


def _close(dossier: Dossier, status: str, at: dt.datetime) -> None:
    """The dossier leaves the one-stop flow: its open hand-over is judged, the clock stops."""
    _close_handover(dossier, at)
    left = dossier.status
    dossier.status = status
    dossier.closed_at = at
    dossier_closed(dossier, left, at)


def _refuse(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    if not data.reason.strip():
        raise ApiError(*ERR_REASON)
    _close(dossier, Status.REFUSED, at)
    dossier.refusal_reason = data.reason
    return {}


def _forward(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    target = Agency.objects.filter(code=data.to_agency_code or "").first()
    if target is None:
        raise ApiError(
            "unknown_agency",
            _("No agency with code “{to_agency_code}”."),
            to_agency_code=data.to_agency_code,
        )
    if target.pk == dossier.current_agency_id:
        raise ApiError(
            "same_agency",
            _("The dossier is already at this agency."),
        )
    steps = _steps(dossier)
    if target.pk not in {s.agency_id for s in steps}:
        raise ApiError(*ERR_AGENCY_NOT_IN_PROCESS, agency=target.code)
    closed = _close_handover(dossier, at)
    step = next_step(steps, after=closed.step_position if closed else 0, agency_id=target.pk)
    calendar = get_calendar()
    arrives = at
    if (
        dossier.channel == Channel.ONLINE
        and dossier.current_agency_id == dossier.receiving_agency_id
    ):
        arrives = max(at, calendar.electronic_handover_at(at))
    handover = _open_handover(
        dossier,
        calendar=calendar,
        to_agency_id=target.pk,
        from_agency_id=dossier.current_agency_id,
        actor=actor,
        at=at,
        step=step,
        arrives_at=arrives,
    )
    handover.note = data.reason
    handover.save(update_fields=["note"])
    dossier.current_agency = target
    dossier.status = Status.PROCESSING
    return {
        "to_agency": target.code,
        "arrives_at": arrives.isoformat(),
        "previous_verdict": closed.verdict if closed else "",
    }


def _apologize(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    if Apology.objects.filter(dossier=dossier).exists():
        raise Conflict(*ERR_APOLOGY_ONCE)
    if not data.reason.strip():
        raise ApiError(*ERR_REASON)
    if data.new_due_at is None:
        raise ApiError("new_due_at_required", _("new_due_at is required."))
    if timezone.is_naive(data.new_due_at):
        raise ApiError("naive_datetime", _("new_due_at must carry a time zone."))
    new_due_at = _working_day_close(data.new_due_at)
    current = dossier.appointment_at
    if current is not None and new_due_at <= current:
        raise ApiError(*ERR_NEW_DATE, due=timezone.localtime(current).strftime("%d/%m/%Y %H:%M"))
    Apology.objects.create(
        dossier=dossier,
        agency=dossier.current_agency,
        issued_by=actor,
        issued_at=at,
        reason=data.reason,
        old_due_at=current or at,
        new_due_at=new_due_at,
    )
    dossier.extended_due_at = new_due_at
    return {
        "old_due_at": current.isoformat() if current else None,
        "new_due_at": new_due_at.isoformat(),
    }


def _working_day_close(moment: dt.datetime) -> dt.datetime:
    """A new appointment is a working day's closing time: the closing time of the day asked
    for, or of the next working day when that day is a day off."""
    calendar = get_calendar()
    day = timezone.localtime(moment, calendar.tz).date()
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
    return calendar.closing_on(day)


def _finish(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    if data.result_kind not in ResultKind.values:
        raise ApiError(
            "result_kind_required",
            _("result_kind must be paper, electronic or both."),
        )
    if data.certified_copy and not dossier.procedure.certification:
        raise ApiError(*ERR_NOT_CERTIFICATION, procedure=dossier.procedure.code)
    electronic = data.result_kind in {ResultKind.ELECTRONIC, ResultKind.BOTH}
    if electronic and not data.result_file_content:
        raise ApiError(
            "result_file_required",
            _("An electronic result needs its PDF file."),
        )
    if data.result_file_content is not None:
        if not data.result_file_content.startswith(b"%PDF-"):
            raise ApiError("result_not_pdf", _("The result file must be a PDF."))
        name = f"{dossier.code}.pdf"
        dossier.result_file.save(name, ContentFile(data.result_file_content), save=False)
        # The result also lands in the applicant's personal store, for reuse later.
        if dossier.applicant_user_id is not None:
            dossier.result_stored_at = at
        store_document(
            owner=dossier.applicant_user,
            dossier=dossier,
            kind=Document.Kind.RESULT,
            title=f"Kết quả: {dossier.procedure.name}"[:500],
            content=data.result_file_content,
            original_name=name,
            content_type="application/pdf",
        )
    closed = _close_handover(dossier, at)
    dossier.result_kind = data.result_kind
    dossier.result_note = data.result_note
    dossier.certified_copy = data.certified_copy
    dossier.finished_at = at
    dossier.verdict = judge(at, dossier.due_at)
    dossier.status = Status.RESULT_READY
    if dossier.current_agency_id != dossier.receiving_agency_id:
        steps = _steps(dossier)
        step = next_step(
            steps,
            after=closed.step_position if closed else 0,
            agency_id=dossier.receiving_agency_id,
        )
        handover = _open_handover(
            dossier,
            calendar=get_calendar(),
            to_agency_id=dossier.receiving_agency_id,
            from_agency_id=dossier.current_agency_id,
            actor=actor,
            at=at,
            step=step,
        )
        # The desk's part ends when the result is ready for collection (or sent), which is now;
        # when the applicant comes to collect it does not count against the desk.
        handover.completed_at = at
        handover.verdict = judge(at, handover.due_at)
        handover.save(update_fields=["completed_at", "verdict"])
        dossier.current_agency_id = dossier.receiving_agency_id
    return {
        "result_kind": data.result_kind,
        "verdict": dossier.verdict,
        "result_stored": dossier.result_stored_at is not None,
        "certified_copy": dossier.certified_copy,
    }


def _return(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    _close(dossier, Status.RETURNED, at)
    dossier.returned_at = at
    dossier.returned_how = data.returned_how or "in_person"
    return {"returned_how": dossier.returned_how}


def _stop(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    """The desk stops processing at the applicant's request (made at the counter or in writing)."""
    if not data.reason.strip():
        raise ApiError(*ERR_REASON)
    _close(dossier, Status.STOPPED, at)
    dossier.stop_reason = data.reason
    return {}


def _withdraw(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    """The applicant withdraws their own dossier online."""
    if not _is_applicant(actor, dossier):
        raise PermissionDenied(*ERR_ONLY_APPLICANT_WITHDRAWS)
    if not data.reason.strip():
        raise ApiError(*ERR_REASON)
    _close(dossier, Status.WITHDRAWN, at)
    dossier.stop_reason = data.reason
    return {}


def _accept(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    """The desk accepts an online dossier as complete: the legal time starts now."""
    dossier.status = Status.RECEIVED
    dossier.received_by = actor
    due = _start_clock(dossier, calendar=get_calendar(), actor=actor, at=at)
    return {"due_at": due.isoformat()}


HANDLERS = {
    "accept": _accept,
    "request_supplement": _request_supplement,
    "supplement": _supplement,
    "refuse": _refuse,
    "forward": _forward,
    "apologize": _apologize,
    "finish": _finish,
    "return": _return,
    "stop": _stop,
    "withdraw": _withdraw,
    "accept_supplement": _accept_supplement,
}
assert set(HANDLERS) == set(ALLOWED_FROM)  # noqa: S101 - a wiring check at import time
