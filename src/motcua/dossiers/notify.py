"""Telling the applicant that their dossier changed: email, and SMS through an adapter."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger("motcua.notify")

MESSAGES = {
    "submit": "Hồ sơ {code} đã được nộp trực tuyến; bộ phận một cửa sẽ kiểm tra và tiếp nhận.",
    "pay": "Hồ sơ {code}: đã nhận thanh toán phí, lệ phí. Cảm ơn ông/bà.",
    "accept": "Hồ sơ {code} đã được tiếp nhận. Hẹn trả: {due}.",
    "receive": "Hồ sơ {code} đã được tiếp nhận. Hẹn trả: {due}.",
    "request_supplement": "Hồ sơ {code} cần bổ sung giấy tờ. Vui lòng xem hướng dẫn.",
    "supplement": "Hồ sơ {code} đã nhận đủ giấy tờ bổ sung. Hẹn trả: {due}.",
    "refuse": "Hồ sơ {code} không được tiếp nhận/giải quyết. Xem lý do trên phiếu.",
    "forward": "Hồ sơ {code} đang được giải quyết.",
    "apologize": "Hồ sơ {code} chậm so với hẹn; xin lỗi ông/bà. Hẹn trả mới: {due}.",
    "finish": "Hồ sơ {code} đã có kết quả.",
    "return": "Hồ sơ {code} đã trả kết quả. Cảm ơn ông/bà.",
    "stop": "Hồ sơ {code} đã dừng giải quyết theo đề nghị của ông/bà.",
}
SILENT_ACTIONS = {"forward"}


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LogSmsGateway:
    """The default: writes the SMS to the log. A province plugs in its carrier's gateway by
    setting MOTCUA_SMS_GATEWAY to a class with the same `send` method."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def sms_gateway() -> SmsGateway:
    path = getattr(settings, "MOTCUA_SMS_GATEWAY", "motcua.dossiers.notify.LogSmsGateway")
    return import_string(path)()


def dossier_changed(dossier_id: int, action: str) -> None:
    """Runs after commit; a failed email or SMS is logged and never undoes the change."""
    from django.utils import timezone

    from .models import Dossier

    if action in SILENT_ACTIONS:
        return
    dossier = Dossier.objects.filter(pk=dossier_id).first()
    if dossier is None:
        return
    due = dossier.appointment_at
    text = MESSAGES[action].format(
        code=dossier.code,
        due=timezone.localtime(due).strftime("%H:%M %d/%m/%Y") if due else "—",
    )
    if action == "return":  # invite a rating through a signed link (valid 30 days)
        from motcua.surveys.access import link_url

        text += f" Mời ông/bà đánh giá mức độ hài lòng: {link_url(dossier.code, 'return')}"
    try:
        if dossier.applicant_email:
            send_mail(f"[Một cửa] Hồ sơ {dossier.code}", text, None, [dossier.applicant_email])
        if dossier.applicant_phone:
            sms_gateway().send(dossier.applicant_phone, text)
    except Exception:  # noqa: BLE001 - notification must never break the dossier
        logger.exception("notification failed for %s", dossier.code)
