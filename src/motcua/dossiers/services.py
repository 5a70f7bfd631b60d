"""Every change to a dossier: one function per action. Each checks permission and the
transition, writes the rows and the audit event in one transaction, and schedules the
applicant's notification for after the commit."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from motcua.audit.services import event_record
from motcua.catalog.models import Procedure
from motcua.common.errors import ApiError, Conflict
from motcua.common.text import fold
from motcua.org.models import Agency, User
from motcua.workdays.calendar import WorkCalendar
from motcua.workdays.selectors import get_calendar, office_hours

from . import notify
from .access import dossier_get_for_user, require_staff_of
from .documents import store_document
from .identity import validate_id_number, validate_tax_code
from .models import (
    OPEN_STATUSES,
    Apology,
    ApplicantKind,
    Channel,
    Document,
    Dossier,
    DossierCounter,
    Handover,
    Participant,
    ResultKind,
    Status,
    SupplementRequest,
    Verdict,
)
from .process import Step, next_step, resolve_steps

LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at the desk
LOOKUP_LENGTH = 6
SEQUENCE_DIGITS = 4

ERR_STATUS = (
    "invalid_transition",
    "Không thể “{action}” khi hồ sơ đang ở trạng thái “{status}”.",
    "Cannot {action_en} a dossier whose status is {status_en}.",
)
ACTION_LABELS_VI = {
    "accept": "tiếp nhận hồ sơ trực tuyến",
    "request_supplement": "yêu cầu bổ sung",
    "supplement": "nhận bổ sung",
    "refuse": "từ chối",
    "forward": "chuyển xử lý",
    "apologize": "xin lỗi và hẹn lại",
    "finish": "ghi nhận kết quả",
    "return": "trả kết quả",
    "stop": "dừng xử lý",
}
STATUS_LABELS_VI = {
    "paying": "chờ thanh toán",
    "submitted": "đã nộp trực tuyến, chờ tiếp nhận",
    "waiting_supplement": "chờ bổ sung",
    "received": "đã tiếp nhận",
    "processing": "đang xử lý",
    "result_ready": "đã có kết quả",
    "returned": "đã trả kết quả",
    "refused": "từ chối",
    "stopped": "dừng xử lý",
}
ERR_SUPPLEMENT_ONCE = (
    "supplement_already_requested",
    "Hồ sơ đã được yêu cầu bổ sung một lần; không được yêu cầu lần nữa.",
    "A supplement was already requested once for this dossier.",
)
ERR_APOLOGY_ONCE = (
    "apology_already_issued",
    "Hồ sơ đã có phiếu xin lỗi và hẹn lại; ngày hẹn mới chỉ được đặt một lần.",
    "An apology with a new date was already issued for this dossier.",
)
ERR_NEW_DATE = (
    "new_date_not_later",
    "Ngày hẹn mới phải sau ngày hẹn hiện tại ({due}).",
    "The new date must be later than the current appointment ({due}).",
)
ERR_VERSION = (
    "stale_version",
    "Hồ sơ vừa được người khác cập nhật (phiên bản {current}); hãy tải lại.",
    "Someone else changed this dossier (now version {current}); reload it.",
)
ERR_AGENCY_NOT_IN_PROCESS = (
    "agency_not_in_process",
    "Cơ quan {agency} không tham gia quy trình của thủ tục này.",
    "Agency {agency} is not part of this procedure's process.",
)
ERR_REASON = ("reason_required", "Cần nêu lý do.", "A reason is required.")


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


def _error(spec: tuple[str, str, str], status: int = 400, **values: Any) -> ApiError:
    code, vi, en = spec
    return ApiError(code, vi.format(**values), en.format(**values), status=status)


def _conflict(spec: tuple[str, str, str], **values: Any) -> Conflict:
    code, vi, en = spec
    return Conflict(code, vi.format(**values), en.format(**values))


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


# --- receipt -------------------------------------------------------------------------------


def _check_applicant(applicant: ApplicantData) -> ApplicantData:
    if applicant.kind not in ApplicantKind.values:
        raise ApiError(
            "invalid_applicant_kind",
            "Loại người nộp phải là cá nhân hoặc tổ chức.",
            "Applicant kind must be person or organisation.",
        )
    if not applicant.name.strip():
        raise ApiError(
            "applicant_name_required",
            "Thiếu tên người nộp hồ sơ.",
            "The applicant's name is missing.",
        )
    if applicant.kind == ApplicantKind.PERSON:
        applicant.id_number = validate_id_number(applicant.id_number)
    else:
        applicant.tax_code = validate_tax_code(applicant.tax_code)
    applicant.name = " ".join(applicant.name.split())
    return applicant


def _missing_required(procedure: Procedure, documents: list[SubmittedDocument]) -> list[str]:
    given = {fold(d.name) for d in documents}
    return [r.name for r in procedure.documents.all() if r.required and fold(r.name) not in given]


def _lead_agency(procedure: Procedure, receiving: Agency, code: str | None) -> Agency:
    if code:
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise ApiError("unknown_agency", f"Không có cơ quan mã {code}.", f"No agency {code}.")
        return agency
    if procedure.competent_agency_id and not procedure.level_commune:
        return procedure.competent_agency
    if receiving.kind == Agency.Kind.COMMUNE_COMMITTEE:
        return receiving
    if procedure.competent_agency_id:
        return procedure.competent_agency
    raise ApiError(
        "lead_agency_required",
        "Cần chỉ định cơ quan giải quyết (lead_agency) cho thủ tục này.",
        "Name the agency that will handle this procedure (lead_agency).",
    )


def _next_code(agency: Agency, day: dt.date) -> str:
    counter, _ = DossierCounter.objects.get_or_create(agency=agency, day=day)
    DossierCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"{agency.electronic_id}-{day:%y%m%d}-{counter.last:0{SEQUENCE_DIGITS}d}"


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
    _take_part(dossier, to_agency_id)
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


def _take_part(dossier: Dossier, *agency_ids: int) -> None:
    for agency_id in set(agency_ids):
        Participant.objects.get_or_create(dossier=dossier, agency_id=agency_id)


def _close_handover(dossier: Dossier, at: dt.datetime) -> Handover | None:
    handover = dossier.handovers.filter(completed_at__isnull=True).order_by("-position").first()
    if handover is not None:
        handover.completed_at = at
        handover.verdict = judge(at, handover.due_at)
        handover.save(update_fields=["completed_at", "verdict"])
    return handover


def _event(
    dossier: Dossier,
    *,
    actor: User | None,
    action: str,
    from_state: str,
    at: dt.datetime,
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> None:
    event_record(
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
    transaction.on_commit(lambda: notify.dossier_changed(dossier.pk, action))


@transaction.atomic
def dossier_receive(
    *,
    actor: User,
    data: ReceiptData,
    at: dt.datetime | None = None,
    receiving_agency: Agency | None = None,
    applicant_user: User | None = None,
) -> Dossier:
    """Receive a dossier at a one-stop desk: accept it with an appointment, ask once for a
    supplement, or refuse it. Every outcome gets a code, so every slip can be traced."""
    at = at or timezone.now()
    receiving = receiving_agency or actor.agency
    if receiving is None or not receiving.has_one_stop_desk:
        raise ApiError(
            "not_a_desk",
            "Chỉ bộ phận một cửa được tiếp nhận hồ sơ.",
            "Only a one-stop desk may receive dossiers.",
            status=403,
        )
    require_staff_of(actor, receiving.pk)
    if data.channel not in Channel.values:
        raise ApiError(
            "invalid_channel",
            "Kênh nộp phải là counter, post hoặc online.",
            "Channel must be counter, post or online.",
        )
    if data.outcome not in {"accept", "supplement", "refuse"}:
        raise ApiError(
            "invalid_outcome",
            "Kết quả tiếp nhận không hợp lệ.",
            "Outcome must be accept, supplement or refuse.",
        )
    procedure = (
        Procedure.objects.filter(code=data.procedure_code, status=Procedure.Status.ACTIVE)
        .prefetch_related("documents")
        .first()
    )
    if procedure is None:
        raise ApiError(
            "unknown_procedure",
            f"Không có thủ tục đang hiệu lực mã “{data.procedure_code}”.",
            f"No procedure in force with code “{data.procedure_code}”.",
        )
    applicant = _check_applicant(data.applicant)
    days = data.processing_days if data.processing_days is not None else procedure.processing_days
    if days is None:
        raise ApiError(
            "processing_days_required",
            "Thủ tục chưa công bố thời hạn giải quyết; nhập số ngày làm việc.",
            "The procedure states no processing time; give processing_days.",
        )
    if data.outcome in {"supplement", "refuse"} and not data.reason.strip():
        raise _error(ERR_REASON)
    if data.outcome == "accept":
        missing = _missing_required(procedure, data.documents)
        if missing:
            raise ApiError(
                "documents_missing",
                "Thiếu giấy tờ bắt buộc: " + "; ".join(missing) + ". Hãy yêu cầu bổ sung.",
                "Required documents are missing: " + "; ".join(missing) + ". Ask for a supplement.",
                errors=[{"field": "documents", "message": name} for name in missing],
            )
    lead = _lead_agency(procedure, receiving, data.lead_agency_code)
    calendar = get_calendar()
    status = {
        "accept": Status.RECEIVED,
        "supplement": Status.WAITING_SUPPLEMENT,
        "refuse": Status.REFUSED,
    }[data.outcome]
    dossier = Dossier(
        code=_next_code(lead, timezone.localdate(at)),
        lookup_key="".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(LOOKUP_LENGTH)),
        procedure=procedure,
        procedure_version=procedure.version,
        channel=data.channel,
        status=status,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name,
        applicant_id_number=applicant.id_number,
        applicant_tax_code=applicant.tax_code,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        applicant_user=applicant_user,
        receiving_agency=receiving,
        lead_agency=lead,
        current_agency=receiving,
        received_by=actor,
        processing_days=days,
        received_at=at,
        documents_submitted=[d.__dict__ for d in data.documents],
        sets_count=data.sets_count,
        fee_vnd=procedure.fee_vnd or 0,
        digitised=bool(data.documents) and all(d.digitised for d in data.documents),
        reused_documents=sum(1 for d in data.documents if d.reused),
    )
    if status == Status.RECEIVED:
        dossier.clock_started_at = at
        dossier.due_at = dossier.original_due_at = calendar.due_at(at, days)
    if status == Status.REFUSED:
        dossier.refusal_reason = data.reason
        dossier.closed_at = at
    dossier.full_clean(exclude=["result_file"])
    dossier.save()
    _take_part(dossier, receiving.pk, lead.pk)
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
        steps = _steps(dossier)
        _open_handover(
            dossier,
            calendar=calendar,
            to_agency_id=receiving.pk,
            from_agency_id=None,
            actor=actor,
            at=at,
            step=steps[0] if steps[0].agency_id == receiving.pk else None,
        )
    _event(
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
    )
    return dossier


def _steps(dossier: Dossier) -> list[Step]:
    return resolve_steps(
        procedure=dossier.procedure,
        processing_days=dossier.processing_days,
        receiving=dossier.receiving_agency,
        lead=dossier.lead_agency,
    )


# --- actions on a received dossier -----------------------------------------------------------


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


ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "accept": (Status.SUBMITTED,),
    "request_supplement": (Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING),
    "supplement": (Status.WAITING_SUPPLEMENT,),
    "refuse": (Status.SUBMITTED, Status.WAITING_SUPPLEMENT, Status.RECEIVED, Status.PROCESSING),
    "forward": (Status.RECEIVED, Status.PROCESSING),
    "apologize": (Status.RECEIVED, Status.PROCESSING, Status.WAITING_SUPPLEMENT),
    "finish": (Status.RECEIVED, Status.PROCESSING),
    "return": (Status.RESULT_READY,),
    "stop": (
        Status.PAYING,
        Status.SUBMITTED,
        Status.WAITING_SUPPLEMENT,
        Status.RECEIVED,
        Status.PROCESSING,
    ),
}
ACTIONS = tuple(ALLOWED_FROM)


def dossier_act(
    *, actor: User, code: str, data: ActionData, at: dt.datetime | None = None
) -> Dossier:
    """Apply one action to a dossier under a row lock; a stale `version` or a transition the
    status no longer allows is a 409, and nothing is written."""
    if data.action not in ALLOWED_FROM:
        raise ApiError(
            "unknown_action",
            f"Thao tác “{data.action}” không tồn tại.",
            f"Unknown action “{data.action}”; one of: {', '.join(ACTIONS)}.",
        )
    with transaction.atomic():
        dossier = dossier_get_for_user(code=code, user=actor, for_update=True)
        if data.version is not None and data.version != dossier.version:
            raise _conflict(ERR_VERSION, current=dossier.version)
        if dossier.status not in ALLOWED_FROM[data.action]:
            raise _conflict(
                ERR_STATUS,
                action=ACTION_LABELS_VI[data.action],
                status=STATUS_LABELS_VI[dossier.status],
                action_en=data.action,
                status_en=dossier.status,
            )
        at = at or timezone.now()
        before = dossier.status
        payload = HANDLERS[data.action](dossier, actor, data, at)
        dossier.version += 1
        dossier.save()
        _event(
            dossier,
            actor=actor,
            action=data.action,
            from_state=before,
            at=at,
            reason=data.reason,
            payload=payload,
        )
    return dossier


def _request_supplement(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    require_staff_of(actor, dossier.current_agency_id)
    if SupplementRequest.objects.filter(dossier=dossier).exists():
        raise _conflict(ERR_SUPPLEMENT_ONCE)
    if not data.reason.strip():
        raise _error(ERR_REASON)
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
        raise _conflict(ERR_SUPPLEMENT_ONCE) from exc
    dossier.status = Status.WAITING_SUPPLEMENT
    return {"items": data.items}


def _is_applicant(actor: User, dossier: Dossier) -> bool:
    return dossier.applicant_user_id is not None and actor.pk == dossier.applicant_user_id


def _supplement(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    if not _is_applicant(actor, dossier):  # online applicants supply their own documents
        require_staff_of(actor, dossier.receiving_agency_id, dossier.current_agency_id)
    request = dossier.supplement
    calendar = get_calendar()
    request.supplied_at = at
    dossier.documents_submitted = [
        *dossier.documents_submitted,
        *[d.__dict__ for d in data.documents],
    ]
    dossier.status = request.resume_status
    if request.at_receipt:
        # The dossier is complete only now: the legal time starts here.
        dossier.clock_started_at = at
        dossier.due_at = dossier.original_due_at = calendar.due_at(at, dossier.processing_days)
        steps = _steps(dossier)
        _open_handover(
            dossier,
            calendar=calendar,
            to_agency_id=dossier.receiving_agency_id,
            from_agency_id=None,
            actor=actor,
            at=at,
            step=steps[0] if steps[0].agency_id == dossier.receiving_agency_id else None,
        )
    else:
        paused = calendar.working_seconds_between(request.requested_at, at)
        request.paused_seconds = paused
        dossier.paused_seconds += paused
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


def _refuse(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    require_staff_of(actor, dossier.current_agency_id, dossier.receiving_agency_id)
    if not data.reason.strip():
        raise _error(ERR_REASON)
    _close_handover(dossier, at)
    dossier.status = Status.REFUSED
    dossier.refusal_reason = data.reason
    dossier.closed_at = at
    return {}


def _forward(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    require_staff_of(actor, dossier.current_agency_id)
    target = Agency.objects.filter(code=data.to_agency_code or "").first()
    if target is None:
        raise ApiError(
            "unknown_agency",
            f"Không có cơ quan mã “{data.to_agency_code}”.",
            f"No agency with code “{data.to_agency_code}”.",
        )
    if target.pk == dossier.current_agency_id:
        raise ApiError(
            "same_agency",
            "Hồ sơ đang ở chính cơ quan này.",
            "The dossier is already at this agency.",
        )
    steps = _steps(dossier)
    if target.pk not in {s.agency_id for s in steps}:
        raise _error(ERR_AGENCY_NOT_IN_PROCESS, agency=target.code)
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
    require_staff_of(actor, dossier.current_agency_id)
    if Apology.objects.filter(dossier=dossier).exists():
        raise _conflict(ERR_APOLOGY_ONCE)
    if not data.reason.strip():
        raise _error(ERR_REASON)
    if data.new_due_at is None:
        raise ApiError(
            "new_due_at_required", "Cần ngày hẹn trả mới (new_due_at).", "new_due_at is required."
        )
    if timezone.is_naive(data.new_due_at):
        raise ApiError(
            "naive_datetime", "Ngày hẹn mới phải có múi giờ.", "new_due_at must carry a time zone."
        )
    current = dossier.appointment_at
    if current is not None and data.new_due_at <= current:
        raise _error(ERR_NEW_DATE, due=timezone.localtime(current).strftime("%d/%m/%Y %H:%M"))
    Apology.objects.create(
        dossier=dossier,
        agency=dossier.current_agency,
        issued_by=actor,
        issued_at=at,
        reason=data.reason,
        old_due_at=current or at,
        new_due_at=data.new_due_at,
    )
    dossier.extended_due_at = data.new_due_at
    return {
        "old_due_at": current.isoformat() if current else None,
        "new_due_at": data.new_due_at.isoformat(),
    }


def _finish(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    require_staff_of(actor, dossier.current_agency_id)
    if data.result_kind not in ResultKind.values:
        raise ApiError(
            "result_kind_required",
            "Cần hình thức kết quả: paper, electronic, both.",
            "result_kind must be paper, electronic or both.",
        )
    electronic = data.result_kind in {ResultKind.ELECTRONIC, ResultKind.BOTH}
    if electronic and not data.result_file_content:
        raise ApiError(
            "result_file_required",
            "Kết quả điện tử cần tệp PDF.",
            "An electronic result needs its PDF file.",
        )
    if data.result_file_content is not None:
        if not data.result_file_content.startswith(b"%PDF-"):
            raise ApiError(
                "result_not_pdf", "Tệp kết quả phải là PDF.", "The result file must be a PDF."
            )
        name = f"{dossier.code}.pdf"
        dossier.result_file.save(name, ContentFile(data.result_file_content), save=False)
        # The result also lands in the applicant's personal store, for reuse later.
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
        _open_handover(
            dossier,
            calendar=get_calendar(),
            to_agency_id=dossier.receiving_agency_id,
            from_agency_id=dossier.current_agency_id,
            actor=actor,
            at=at,
            step=step,
        )
        dossier.current_agency_id = dossier.receiving_agency_id
    return {"result_kind": data.result_kind, "verdict": dossier.verdict}


def _return(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    require_staff_of(actor, dossier.receiving_agency_id)
    _close_handover(dossier, at)
    dossier.status = Status.RETURNED
    dossier.returned_at = dossier.closed_at = at
    dossier.returned_how = data.returned_how or "in_person"
    return {"returned_how": dossier.returned_how}


def _stop(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    if not _is_applicant(actor, dossier):  # an applicant may withdraw online
        require_staff_of(actor, dossier.receiving_agency_id, dossier.current_agency_id)
    if not data.reason.strip():
        raise _error(ERR_REASON)
    _close_handover(dossier, at)
    dossier.status = Status.STOPPED
    dossier.stop_reason = data.reason
    dossier.closed_at = at
    return {}


def _accept(dossier: Dossier, actor: User, data: ActionData, at: dt.datetime) -> dict:
    """The desk accepts an online dossier as complete: the legal time starts now."""
    require_staff_of(actor, dossier.receiving_agency_id)
    calendar = get_calendar()
    dossier.status = Status.RECEIVED
    dossier.received_by = actor
    dossier.clock_started_at = at
    dossier.due_at = dossier.original_due_at = calendar.due_at(at, dossier.processing_days)
    steps = _steps(dossier)
    _open_handover(
        dossier,
        calendar=calendar,
        to_agency_id=dossier.receiving_agency_id,
        from_agency_id=None,
        actor=actor,
        at=at,
        step=steps[0] if steps[0].agency_id == dossier.receiving_agency_id else None,
    )
    return {"due_at": dossier.due_at.isoformat()}


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
}
assert set(HANDLERS) == set(ALLOWED_FROM)  # noqa: S101 - a wiring check at import time
_ = OPEN_STATUSES
