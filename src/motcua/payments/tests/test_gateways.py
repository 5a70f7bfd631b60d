"""The gateway registry and the VNPay-style signature the test gateway uses, pinned byte for byte
(a real VNPay plug-in relies on the same text being signed)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest
from django.test import override_settings

from motcua.common.errors import NotFound
from motcua.payments.gateways import Gateway, gateway_codes, gateway_get
from motcua.payments.gateways.test import TestGateway
from motcua.payments.gateways.vnpay_signing import (
    VIETNAM,
    amount_from_vnpay,
    hash_data,
    secure_hash,
    signature_ok,
    signed,
    vnpay_time,
)

PARAMS = {
    "vnp_TxnRef": "H24.005.00-261125-0007-A1B2C3",
    "vnp_Amount": "30000000",
    "vnp_OrderInfo": "Thanh toan le phi ho so H24.005.00-261125-0007",
    "vnp_ReturnUrl": "https://dichvucong.haiphong.gov.vn/thanh-toan/ket-qua/test/",
    "vnp_SecureHashType": "HmacSHA512",
    "other": "not signed",
}
SIGNED_TEXT = (
    "vnp_Amount=30000000"
    "&vnp_OrderInfo=Thanh+toan+le+phi+ho+so+H24.005.00-261125-0007"
    "&vnp_ReturnUrl=https%3A%2F%2Fdichvucong.haiphong.gov.vn%2Fthanh-toan%2Fket-qua%2Ftest%2F"
    "&vnp_TxnRef=H24.005.00-261125-0007-A1B2C3"
)


def test_signed_text_is_sorted_quote_plus_encoded_vnp_params():
    assert hash_data(PARAMS) == SIGNED_TEXT


def test_signature_is_hmac_sha512_hex_of_the_signed_text():
    expected = hmac.new(b"SECRET", SIGNED_TEXT.encode(), hashlib.sha512).hexdigest()
    assert secure_hash("SECRET", PARAMS) == expected
    assert signature_ok("SECRET", {**PARAMS, "vnp_SecureHash": expected.upper()})
    assert not signature_ok("OTHER", {**PARAMS, "vnp_SecureHash": expected})
    assert not signature_ok(
        "SECRET", {**PARAMS, "vnp_Amount": "3000000", "vnp_SecureHash": expected}
    )


def test_vnpay_dates_are_in_vietnam_time():
    moment = dt.datetime(2026, 11, 25, 2, 30, 5, tzinfo=dt.UTC)
    assert vnpay_time(moment) == "20261125093005"
    assert VIETNAM.utcoffset(None) == dt.timedelta(hours=7)  # the gateway's GMT+7, not TIME_ZONE


@pytest.mark.parametrize(
    ("text", "vnd"), [("30000000", 300_000), ("30000050", None), ("-100", None), ("", None)]
)
def test_amount_is_dong_times_one_hundred(text, vnd):
    assert amount_from_vnpay(text) == vnd


def test_default_registry_has_the_test_gateway():
    gateway = gateway_get("test")
    assert isinstance(gateway, TestGateway)
    assert isinstance(gateway, Gateway)
    assert gateway.code == "test"
    assert gateway_codes() == ["test"]


@override_settings(MOTCUA_TEST_GATEWAY_SECRET="province-secret")
def test_test_gateway_secret_comes_from_the_setting():
    result = signed(
        "province-secret",
        {
            "vnp_TxnRef": "X",
            "vnp_Amount": "100",
            "vnp_ResponseCode": "00",
            "vnp_TmnCode": "MOTCUA01",
        },
    )
    verdict = gateway_get("test").verify(result)
    assert verdict.signature_ok
    assert verdict.success
    assert verdict.amount_vnd == 1


@override_settings(MOTCUA_PAYMENT_GATEWAYS={"vnpay": "motcua.payments.gateways.test.TestGateway"})
def test_unknown_gateway_is_a_404():
    with pytest.raises(NotFound) as caught:
        gateway_get("test")
    assert caught.value.code == "unknown_gateway"
    assert gateway_get("vnpay").code == "vnpay"


@override_settings(MOTCUA_DEMO_MODE=False, DEBUG=False)
def test_without_configuration_a_real_installation_has_no_simulated_bank(client):
    """Outside demo mode nothing is configured by default: the simulated bank, which "pays"
    anything, must be listed explicitly to exist."""
    assert gateway_codes() == []
    assert client.get("/thanh-toan/cong-thu-nghiem/").status_code == 404
