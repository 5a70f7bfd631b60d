"""A gateway that behaves like VNPay but whose "bank" is a page of this site
(/thanh-toan/cong-thu-nghiem/): for demos, tests and training, never for real money."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from . import Gateway, GatewayResult
from .vnpay_signing import (
    amount_from_vnpay,
    parse_vnpay_time,
    signature_ok,
    signed,
    vnpay_time,
)

if TYPE_CHECKING:
    from motcua.payments.models import Payment

TMN_CODE = "MOTCUA01"
VERSION = "2.1.0"
BANK_CODE = "NCB"  # VNPay's sandbox bank
EXPIRES_AFTER = dt.timedelta(minutes=15)
RESPONSE_SUCCESS = "00"
RESPONSE_CANCELLED = "24"  # VNPay: the customer cancelled the transaction
REQUEST_FIELDS = (
    "vnp_Amount",
    "vnp_TxnRef",
    "vnp_OrderInfo",
    "vnp_ReturnUrl",
    "vnp_CreateDate",
    "vnp_TmnCode",
)

# Why the simulated bank refuses a payment request.
REQUEST_INCOMPLETE = "incomplete"
REQUEST_BAD_SIGNATURE = "bad_signature"
REQUEST_EXPIRED = "expired"


def default_secret() -> str:
    """A secret of its own for each installation, derived from SECRET_KEY unless one is set."""
    configured = settings.MOTCUA_TEST_GATEWAY_SECRET
    if configured:
        return configured
    return salted_hmac("motcua.payments.gateways.test", "secret", algorithm="sha256").hexdigest()


class TestGateway(Gateway):
    __test__ = False  # not a pytest test class, despite the name

    name = _("Test gateway (simulated bank)")

    def __init__(self, *, secret: str | None = None, tmn_code: str = TMN_CODE) -> None:
        self.code = "test"
        self.secret = secret or default_secret()
        self.tmn_code = tmn_code

    # -- the merchant side: what motcua does ------------------------------------------------

    def payment_url(self, payment: Payment, return_url: str) -> str:
        now = timezone.now()
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(payment.amount_vnd * 100),
            "vnp_CurrCode": payment.currency,
            "vnp_TxnRef": payment.txn_ref,
            # VNPay wants order information in ASCII, without Vietnamese diacritics.
            "vnp_OrderInfo": f"Thanh toan le phi ho so {payment.dossier.code}",
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_CreateDate": vnpay_time(now),
            "vnp_ExpireDate": vnpay_time(now + EXPIRES_AFTER),
        }
        return f"{reverse('payments:test_bank')}?{urlencode(signed(self.secret, params))}"

    def verify(self, params: Mapping[str, str]) -> GatewayResult:
        values = {key: str(value) for key, value in params.items()}
        ok = signature_ok(self.secret, values) and values.get("vnp_TmnCode") == self.tmn_code
        response = values.get("vnp_ResponseCode", "")
        status = values.get("vnp_TransactionStatus", response)
        return GatewayResult(
            txn_ref=values.get("vnp_TxnRef", "")[:100],
            amount_vnd=amount_from_vnpay(values.get("vnp_Amount")),
            success=ok and response == RESPONSE_SUCCESS and status == RESPONSE_SUCCESS,
            cancelled=response == RESPONSE_CANCELLED,
            gateway_txn_id=values.get("vnp_TransactionNo", "")[:64],
            bank_code=values.get("vnp_BankCode", "")[:32],
            response_code=response[:8],
            signature_ok=ok,
        )

    # -- the bank side: what the simulated bank page does -----------------------------------

    def check_request(self, params: Mapping[str, str], *, now: dt.datetime) -> str:
        """Why the bank would refuse this payment request; "" when it is acceptable."""
        if any(not params.get(name) for name in REQUEST_FIELDS):
            return REQUEST_INCOMPLETE
        if not signature_ok(self.secret, params) or params["vnp_TmnCode"] != self.tmn_code:
            return REQUEST_BAD_SIGNATURE
        if amount_from_vnpay(params["vnp_Amount"]) is None:
            return REQUEST_INCOMPLETE
        expires = parse_vnpay_time(params.get("vnp_ExpireDate", ""))
        if expires is not None and now > expires:
            return REQUEST_EXPIRED
        return ""

    def bank_result(
        self, request_params: Mapping[str, str], *, paid: bool, now: dt.datetime
    ) -> dict[str, str]:
        """The signed result the bank sends to the merchant's IPN and return URL."""
        result = {
            "vnp_Amount": request_params["vnp_Amount"],
            "vnp_BankCode": BANK_CODE,
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": request_params["vnp_OrderInfo"],
            "vnp_PayDate": vnpay_time(now),
            "vnp_ResponseCode": RESPONSE_SUCCESS if paid else RESPONSE_CANCELLED,
            "vnp_TmnCode": request_params["vnp_TmnCode"],
            "vnp_TransactionNo": str(secrets.randbelow(90_000_000) + 10_000_000) if paid else "0",
            "vnp_TransactionStatus": RESPONSE_SUCCESS if paid else "02",
            "vnp_TxnRef": request_params["vnp_TxnRef"],
        }
        if paid:
            result["vnp_BankTranNo"] = f"{BANK_CODE}{vnpay_time(now)}"
        return signed(self.secret, result)
