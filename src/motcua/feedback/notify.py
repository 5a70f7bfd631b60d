"""Telling a petition's sender what happened: email, and SMS through the kernel's port
(MOTCUA_SMS_GATEWAY). A subscriber of the petitions' events (`on_petition_event`, registered
in apps.py): the services publish what happened and never import this module; it reads the
committed rows. A failure is logged and never undoes the change."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from motcua.common.events import Event
from motcua.common.sms import sms_gateway
from motcua.common.urls import absolute_url

from .links import rating_key

logger = logging.getLogger("motcua.notify")

MESSAGES = {
    "receive": "Phản ánh số {id} đã được tiếp nhận, chuyển {agency} giải quyết. "
    "Hạn trả lời: {due}. Theo dõi: {url}",
    "forward": "Phản ánh số {id} đã được chuyển {agency} giải quyết. Theo dõi: {url}",
    "answer": "Phản ánh số {id} đã có trả lời của {agency}. Xem và đánh giá: {rate_url}",
    "duplicate": "Phản ánh số {id} trùng với phản ánh số {original}; "
    "kết quả được trả lời tại: {original_url}",
    "original_answered": "Phản ánh số {original} (mà phản ánh số {id} của ông/bà trùng với) "
    "đã có trả lời: {original_url}",
}


absolute = absolute_url


def rating_url(petition_id: int) -> str:
    path = reverse("feedback:rate", args=[petition_id])
    return absolute(f"{path}?k={rating_key(petition_id)}")


def _send(petition, text: str) -> None:  # a Petition
    if petition.sender_email:
        send_mail(f"[Phản ánh] Số {petition.pk}", text, None, [petition.sender_email])
    if petition.sender_phone:
        sms_gateway().send(petition.sender_phone, text)


def on_petition_event(event: Event) -> None:
    """The subscriber: an event published with `notify=False` tells nobody."""
    if event.notify:
        petition_changed(event.subject_id, event.action)


def petition_changed(petition_id: int, action: str) -> None:
    from .models import Petition, State

    petition = Petition.objects.select_related("agency").filter(pk=petition_id).first()
    if petition is None or action not in MESSAGES:
        return
    values = {
        "id": petition.pk,
        "agency": petition.agency.name,
        "due": timezone.localtime(petition.due_at).strftime("%H:%M %d/%m/%Y"),
        "url": absolute(reverse("feedback:detail", args=[petition.pk])),
        "rate_url": rating_url(petition.pk),
        "original": petition.duplicate_of_id or "",
        "original_url": absolute(reverse("feedback:detail", args=[petition.duplicate_of_id]))
        if petition.duplicate_of_id
        else "",
    }
    try:
        _send(petition, MESSAGES[action].format(**values))
        if action == "answer":
            # Senders of duplicates wait for this answer too.
            for duplicate in petition.duplicates.filter(state=State.DUPLICATE, hidden=False):
                _send(
                    duplicate,
                    MESSAGES["original_answered"].format(
                        id=duplicate.pk, original=petition.pk, original_url=values["url"]
                    ),
                )
    except Exception:  # notification must never break the petition
        logger.exception("notification failed for petition %s", petition_id)
