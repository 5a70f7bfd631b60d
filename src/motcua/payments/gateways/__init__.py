"""The gateway interface and the registry of configured gateways.

A gateway is a plug-in: a class named in the `MOTCUA_PAYMENT_GATEWAYS` setting, which maps a
gateway code to a dotted path, or to `{"class": path, **options}` (options become keyword
arguments of the constructor: merchant code, secret, endpoint). Unset, it is the test gateway
in demo mode and DEBUG, and nothing otherwise. See docs/payments.md.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import NotFound

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from motcua.payments.models import Payment

DEFAULT_GATEWAYS: dict[str, Any] = {"test": "motcua.payments.gateways.test.TestGateway"}

# The answers a VNPay-style gateway expects from the merchant's IPN URL, by outcome or refusal
# code (always HTTP 200: another status, or no answer, makes the gateway retry).
VNPAY_CONFIRMED = ("00", "Confirm Success")
VNPAY_REPLIES: dict[str, tuple[str, str]] = {
    "confirmed": VNPAY_CONFIRMED,
    "confirmed_not_applied": VNPAY_CONFIRMED,
    "failed": VNPAY_CONFIRMED,
    "cancelled": VNPAY_CONFIRMED,
    "already_confirmed": ("02", "Order already confirmed"),
    "payment_not_found": ("01", "Order not found"),
    "wrong_amount": ("04", "Invalid amount"),
    "bad_signature": ("97", "Invalid signature"),
}
VNPAY_UNKNOWN = ("99", "Unknown error")

ERR_UNKNOWN_GATEWAY = ("unknown_gateway", _("No payment gateway “{gateway}”."))


@dataclass(frozen=True)
class GatewayResult:
    """A gateway's signed word about one transaction, as `Gateway.verify` read it.

    `amount_vnd` is None when the message carries no whole number of đồng. Only
    `signature_ok` may be trusted before it is checked; the other fields are claims."""

    txn_ref: str
    amount_vnd: int | None
    success: bool
    gateway_txn_id: str
    signature_ok: bool
    cancelled: bool = False
    bank_code: str = ""
    response_code: str = ""


class Gateway(abc.ABC):
    """What the payments app needs from a payment gateway (VNPay, MoMo, the national payment
    platform, …). Instances are cheap and stateless; one is made per use."""

    code: str = ""
    name: StrOrPromise = ""

    @abc.abstractmethod
    def payment_url(self, payment: Payment, return_url: str) -> str:
        """Where to send the citizen's browser to pay `payment`; the gateway sends it back
        to `return_url` with a signed result."""

    @abc.abstractmethod
    def verify(self, params: Mapping[str, str]) -> GatewayResult:
        """Check the signature of a result (server notification or browser return) and read
        it. Never raises for bad input: an unreadable message is `signature_ok=False`."""

    def notification_reply(self, outcome: str) -> tuple[int, dict[str, str] | None]:
        """The HTTP status and JSON body to answer the gateway's server notification with,
        for an `Outcome` value or a refusal's error code (a None body: an empty answer).
        VNPay's convention by default; a gateway with another convention overrides this."""
        code, message = VNPAY_REPLIES.get(outcome, VNPAY_UNKNOWN)
        return 200, {"RspCode": code, "Message": message}


def _configured() -> dict[str, Any]:
    configured = settings.MOTCUA_PAYMENT_GATEWAYS
    if configured is not None:
        return configured
    # The simulated bank "pays" anything, so unless a province lists it explicitly it exists
    # only where nothing is real: demo mode and DEBUG.
    real = not (settings.MOTCUA_DEMO_MODE or settings.DEBUG)
    return {} if real else DEFAULT_GATEWAYS


def gateway_codes() -> list[str]:
    """Configured gateway codes, in the order the province listed them (first = default)."""
    return list(_configured())


def gateway_get(code: str) -> Gateway:
    """The configured gateway `code`; a 404 ApiError when there is none."""
    spec = _configured().get(code)
    if spec is None:
        raise NotFound(*ERR_UNKNOWN_GATEWAY, gateway=code)
    if isinstance(spec, str):
        path, options = spec, {}
    else:
        options = dict(spec)
        path = options.pop("class")
    gateway = import_string(path)(**options)
    gateway.code = code
    return gateway
