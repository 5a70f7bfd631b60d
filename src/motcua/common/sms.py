"""The SMS port: every app that texts a citizen sends through `sms_gateway()`, the class named by
MOTCUA_SMS_GATEWAY. The default only writes the message to the log."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("motcua.notify")


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class LogSmsGateway:
    """The default: writes the SMS to the log. A province plugs in its carrier's gateway by
    setting MOTCUA_SMS_GATEWAY to a class with the same `send` method."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def sms_gateway() -> SmsGateway:
    return import_string(settings.MOTCUA_SMS_GATEWAY)()
