"""Telling the applicant that their dossier changed: email, and SMS through the kernel's port.

A subscriber of the lifecycle's events (`on_dossier_event`, registered in apps.py): the services
publish what happened and never import this module.

Apps above the lifecycle add their own lines to a notice (the ratings app its rating link) by
registering a notice part from their AppConfig.ready(): this module imports none of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.mail import send_mail

# LogSmsGateway stays importable here: it was MOTCUA_SMS_GATEWAY's default path.
from motcua.common.events import Event
from motcua.common.sms import LogSmsGateway, sms_gateway  # noqa: F401

if TYPE_CHECKING:
    from .models import Dossier

logger = logging.getLogger("motcua.notify")

NoticePart = Callable[["Dossier"], str]
# action → functions that each return a sentence to append to that action's notice ("" for none).
_NOTICE_PARTS: dict[str, list[NoticePart]] = {}

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
    "supplement_sent": "Hồ sơ {code}: đã nhận giấy tờ bổ sung trực tuyến; bộ phận một cửa sẽ "
    "kiểm tra.",
    "accept_supplement": "Hồ sơ {code}: giấy tờ bổ sung đã được chấp nhận. Hẹn trả: {due}.",
    "withdraw": "Hồ sơ {code} đã được rút theo yêu cầu của ông/bà.",
    "expire": "Hồ sơ {code} đã hết thời hạn thanh toán phí, lệ phí nên không được giải quyết; "
    "ông/bà có thể nộp lại hồ sơ mới.",
}
SILENT_ACTIONS = {"forward"}


def register_notice_part(action: str, part: NoticePart) -> None:
    """Append `part(dossier)` to every `action` notice; registering the same part twice is a
    no-op (ready() may run more than once in tests)."""
    if action not in MESSAGES:
        raise ValueError(f"No notice for action {action!r}")
    parts = _NOTICE_PARTS.setdefault(action, [])
    if part not in parts:
        parts.append(part)


def notice_text(dossier: Dossier, action: str) -> str:
    """The text of `action`'s notice for `dossier`, with the parts other apps registered."""
    from django.utils import timezone

    due = dossier.appointment_at
    text = MESSAGES[action].format(
        code=dossier.code,
        due=timezone.localtime(due).strftime("%H:%M %d/%m/%Y") if due else "—",
    )
    extra = [part(dossier) for part in _NOTICE_PARTS.get(action, ())]
    return " ".join([text, *[e for e in extra if e]])


def on_dossier_event(event: Event) -> None:
    """The subscriber: an event published with `notify=False` tells nobody."""
    if event.notify:
        dossier_changed(event.subject_id, event.action)


def dossier_changed(dossier_id: int, action: str) -> None:
    """Runs after commit; a failed email or SMS is logged and never undoes the change."""
    from .models import Dossier, Status

    if action in SILENT_ACTIONS or action not in MESSAGES:
        return
    dossier = Dossier.objects.filter(pk=dossier_id).first()
    if dossier is None:
        return
    if action == "supplement" and dossier.status == Status.SUPPLEMENT_SUBMITTED:
        action = "supplement_sent"  # sent online, not yet accepted by the desk
    try:
        text = notice_text(dossier, action)
        if dossier.applicant_email:
            send_mail(f"[Một cửa] Hồ sơ {dossier.code}", text, None, [dossier.applicant_email])
        if dossier.applicant_phone:
            sms_gateway().send(dossier.applicant_phone, text)
    except Exception:  # notification must never break the dossier
        logger.exception("notification failed for %s", dossier.code)
