"""What goes into the outbox: the recorder called inside every dossier change's transaction,
and the message the national portal receives.

The payload follows the national portal's dossier synchronisation (DongBoHoSoMC) as provinces'
one-stop systems are known to send it: field names, status codes 1–10, channel codes 1–3 and
dates as yyyyMMddHHmmss in Vietnam time. The official specification was not available here;
the mapping is an assumption to check against the portal's integration document. Personal data
of the applicant is left out until that contract says which fields the portal requires."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from motcua.common.events import Event
from motcua.common.gmt7 import gmt7_stamp
from motcua.dossiers.models import Dossier

from .models import OutboxMessage

# TrangThaiHoSo as the portal numbers it.
PORTAL_STATUS = {
    "paying": 6,  # Yêu cầu thực hiện nghĩa vụ tài chính
    "submitted": 1,  # Mới đăng ký
    "received": 2,  # Được tiếp nhận
    "processing": 4,  # Đang xử lý
    "waiting_supplement": 5,  # Yêu cầu bổ sung giấy tờ
    "supplement_submitted": 5,
    "result_ready": 9,  # Đã xử lý xong
    "returned": 10,  # Đã trả kết quả
    "refused": 3,  # Không được tiếp nhận
    "stopped": 8,  # Dừng xử lý
    "withdrawn": 7,  # Công dân yêu cầu rút hồ sơ
}
# KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 qua bưu chính.
PORTAL_CHANNEL = {"counter": 1, "online": 2, "post": 3}


def event_id_for(event: Event) -> uuid.UUID:
    """The audit event's hash as a UUID: stable for the change, and traceable to the
    tamper-evident log by its first 32 hex digits. A publisher without an audit event gets a
    fresh random id."""
    audit_hash = event.details.get("audit_hash")
    return uuid.UUID(hex=audit_hash[:32]) if audit_hash else uuid.uuid4()


def portal_time(moment: dt.datetime | None) -> str:
    """The portal reads its dates as yyyyMMddHHmmss at GMT+7 (common/gmt7.py)."""
    return gmt7_stamp(moment) if moment else ""


def portal_payload(dossier: Dossier, *, event_id: uuid.UUID, action: str, at: dt.datetime):
    """The body the portal receives for one change of `dossier` (its state after the change)."""
    lead = dossier.lead_agency
    return {
        "event_id": str(event_id),
        "action": action,
        "occurred_at": at.isoformat(),
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure.code,
        "TenTTHC": dossier.procedure.name,
        "MaDonVi": lead.electronic_id,
        "DonViXuLy": lead.name,
        "KenhThucHien": PORTAL_CHANNEL.get(dossier.channel, 1),
        "TrangThaiHoSo": PORTAL_STATUS.get(dossier.status, 4),
        "NgayTiepNhan": portal_time(dossier.received_at),
        "NgayHenTra": portal_time(dossier.extended_due_at or dossier.due_at),
        "NgayKetThucXuLy": portal_time(dossier.finished_at),
        "NgayTra": portal_time(dossier.returned_at),
        "DuocThanhToanTrucTuyen": 1 if dossier.paid_online else 0,
        "HoSoCoThanhPhanSoHoa": 1 if dossier.digitised else 0,
    }


def outbox_record(event: Event) -> None:
    """The recorder: one outbox row for the change, in the change's transaction."""
    dossier = Dossier.objects.select_related("procedure", "lead_agency").get(pk=event.subject_id)
    at: dt.datetime = event.details.get("at") or timezone.now()
    event_id = event_id_for(event)
    payload: dict[str, Any] = portal_payload(dossier, event_id=event_id, action=event.action, at=at)
    OutboxMessage.objects.create(
        event_id=event_id,
        kind=event.kind,
        action=event.action,
        dossier_code=dossier.code,
        agency_id=dossier.lead_agency_id,
        procedure_id=dossier.procedure_id,
        channel=dossier.channel,
        occurred_at=at,
        payload=payload,
        next_attempt_at=timezone.now(),
    )
