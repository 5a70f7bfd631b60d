"""Paying a dossier's fee online, as the citizen, the bank and the audit would notice it: the
test gateway's whole round trip, and every way a gateway's message can be wrong or repeated."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from motcua.audit.models import Event
from motcua.common.errors import Conflict
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.online import OnlineApplication, dossier_submit_online
from motcua.dossiers.services import ApplicantData
from motcua.org.models import Agency, User
from motcua.payments.gateways.test import TestGateway
from motcua.payments.gateways.vnpay_signing import signed, vnpay_time
from motcua.payments.models import Outcome, Payment, PaymentNotification, PaymentStatus
from motcua.payments.services import ERR_NOT_PAYING, payment_notify, payment_start

pytestmark = pytest.mark.django_db

PASSWORD = "motcua-demo"
# Cấp mới chứng chỉ hành nghề môi giới bất động sản: 300.000 đồng, provincial level.
PROCEDURE = "1.012906"
NOTIFY_URL = "/api/v1/payments/notify/test"
RETURN_URL = "http://testserver/thanh-toan/ket-qua/test/"


def paying_dossier(world, username: str = "demo-citizen") -> Dossier:
    """An online application with a fee by `username`, waiting for payment."""
    procedure = world.procedure(PROCEDURE)
    procedure.online_level = "full"
    procedure.save(update_fields=["online_level"])
    if procedure.level_province or procedure.level_central:
        desk = "TTPVHCC"
    else:
        desk = Agency.objects.filter(kind="commune_committee").order_by("code")[0].code
    dossier = dossier_submit_online(
        applicant_user=world.user(username),
        application=OnlineApplication(
            procedure_code=PROCEDURE,
            applicant=ApplicantData(
                kind="person",
                name="Vũ Đức Anh",
                id_number="031092004517",
                phone="0904123456",
                email="vuducanh@example.vn",
                address="Số 8 Điện Biên Phủ, phường Hồng Bàng, Hải Phòng",
            ),
            form_data={"chung_chi": "Môi giới bất động sản", "noi_thi_sat_hach": "Hải Phòng"},
            receiving_agency_code=desk,
        ),
    )
    assert dossier.status == Status.PAYING
    assert dossier.fee_vnd == 300_000
    return dossier


def another_citizen() -> User:
    return User.objects.create_user(
        username="tranthilan", password=PASSWORD, full_name="Trần Thị Lan", role="citizen"
    )


def start(world, dossier: Dossier, gateway: str = "test") -> Payment:
    payment, _url = payment_start(
        dossier_code=dossier.code,
        user=world.user("demo-citizen"),
        gateway=gateway,
        return_url=RETURN_URL,
    )
    return payment


def bank_says(payment: Payment, *, amount_vnd: int | None = None, code: str = "00") -> dict:
    """A result signed with the test gateway's secret, as the bank would send it."""
    gateway = TestGateway()
    return signed(
        gateway.secret,
        {
            "vnp_Amount": str((amount_vnd or payment.amount_vnd) * 100),
            "vnp_BankCode": "NCB",
            "vnp_OrderInfo": f"Thanh toan le phi ho so {payment.dossier.code}",
            "vnp_PayDate": vnpay_time(timezone.now()),
            "vnp_ResponseCode": code,
            "vnp_TmnCode": gateway.tmn_code,
            "vnp_TransactionNo": "14422574" if code == "00" else "0",
            "vnp_TransactionStatus": code if code == "00" else "02",
            "vnp_TxnRef": payment.txn_ref,
        },
    )


def shown_amount(html: str, element_id: str) -> int:
    """The amount in đồng shown in the element, whatever the language's digit grouping."""
    match = re.search(rf'id="{element_id}">(?:<strong>)?([0-9.,]+) đ', html)
    assert match, html
    return int(re.sub(r"[.,]", "", match.group(1)))


def pay_events(dossier: Dossier) -> int:
    return Event.objects.filter(
        subject_type="dossier", subject_id=dossier.code, action="pay"
    ).count()


def test_citizen_pays_through_the_simulated_bank(world, client):
    """Pay → the bank page shows 300.000 đ → "Pay" → the result page: the dossier is
    submitted to the desk, counted as paid online, with one "pay" event in its history."""
    # given
    dossier = paying_dossier(world)
    assert client.login(username="demo-citizen", password=PASSWORD)
    # when
    started = client.post(f"/thanh-toan/{dossier.code}/bat-dau/")
    bank = client.get(started["Location"])
    paid = client.post(
        "/thanh-toan/cong-thu-nghiem/", {**dict(bank.context["params"]), "decision": "pay"}
    )
    result = client.get(paid["Location"])
    # then
    assert started.status_code == 302
    assert started["Location"].startswith("/thanh-toan/cong-thu-nghiem/?vnp_")
    assert bank.status_code == 200
    assert shown_amount(bank.text, "bank-amount") == 300_000
    assert paid.status_code == 302
    assert paid["Location"].startswith(RETURN_URL + "?")
    assert result.status_code == 200
    assert 'data-state="paid"' in result.text
    assert shown_amount(result.text, "payment-amount") == 300_000
    assert f'href="/ca-nhan/ho-so/{dossier.code}/"' in result.text
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert dossier.paid_online is True
    assert pay_events(dossier) == 1
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == PaymentStatus.PAID
    assert payment.bank_code == "NCB"
    assert payment.gateway_txn_id.isdigit()
    assert payment.paid_at is not None
    assert payment.txn_ref.startswith(dossier.code + "-")
    assert list(payment.notifications.values_list("outcome", "signature_ok")) == [
        (Outcome.CONFIRMED, True)
    ]


def test_repeated_notification_is_already_confirmed(world):
    """The bank retries its notification (form, JSON, or VNPay's query string): "02" each time,
    the dossier is paid once and its history still has one "pay" event. The bank's server has
    no session and no CSRF token, and needs none."""
    # given
    client = Client(enforce_csrf_checks=True)
    dossier = paying_dossier(world)
    payment = start(world, dossier)
    result = bank_says(payment)
    first = client.post(NOTIFY_URL, result)
    # when
    again_form = client.post(NOTIFY_URL, result)
    again_json = client.post(NOTIFY_URL, result, content_type="application/json")
    again_query = client.get(NOTIFY_URL, result)
    # then
    assert first.json() == {"RspCode": "00", "Message": "Confirm Success"}
    for again in (again_form, again_json, again_query):
        assert again.status_code == 200
        assert again.json() == {"RspCode": "02", "Message": "Order already confirmed"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.notified_count == 4
    assert pay_events(dossier) == 1
    assert list(payment.notifications.values_list("outcome", flat=True)) == [
        Outcome.CONFIRMED,
        Outcome.ALREADY_CONFIRMED,
        Outcome.ALREADY_CONFIRMED,
        Outcome.ALREADY_CONFIRMED,
    ]


def test_wrong_signature_is_refused_and_changes_nothing(world, client):
    """A notification whose signature does not match (here: a forged transaction number) gets
    "97"; the payment stays pending, the dossier waits, and only the log remembers it."""
    # given
    dossier = paying_dossier(world)
    payment = start(world, dossier)
    forged = {**bank_says(payment), "vnp_TransactionNo": "99999999"}
    # when
    response = client.post(NOTIFY_URL, forged)
    # then
    assert response.status_code == 200
    assert response.json() == {"RspCode": "97", "Message": "Invalid signature"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert payment.notified_count == 0
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYING
    assert dossier.paid_online is False
    assert pay_events(dossier) == 0
    logged = PaymentNotification.objects.get(txn_ref=payment.txn_ref)
    assert (logged.signature_ok, logged.outcome, logged.payment_id) == (
        False,
        Outcome.BAD_SIGNATURE,
        None,
    )


def test_wrong_amount_is_refused_and_nothing_is_paid(world, client):
    """A correctly signed notification for 30.000 đồng of a 300.000 đồng fee gets "04"."""
    # given
    dossier = paying_dossier(world)
    payment = start(world, dossier)
    # when
    response = client.post(NOTIFY_URL, bank_says(payment, amount_vnd=30_000))
    # then
    assert response.json() == {"RspCode": "04", "Message": "Invalid amount"}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    dossier.refresh_from_db()
    assert (dossier.status, dossier.paid_online) == (Status.PAYING, False)
    assert pay_events(dossier) == 0
    assert payment.notifications.get().outcome == Outcome.WRONG_AMOUNT


def test_unknown_transaction_is_order_not_found(world, client):
    # given
    dossier = paying_dossier(world)
    payment = start(world, dossier)
    payment.txn_ref = f"{dossier.code}-000000"  # unsaved: a reference we never issued
    # when
    response = client.post(NOTIFY_URL, bank_says(payment))
    # then
    assert response.json() == {"RspCode": "01", "Message": "Order not found"}
    assert Payment.objects.get(dossier=dossier).status == PaymentStatus.PENDING


def test_another_citizen_cannot_pay_for_the_dossier(world, client):
    """Trần Thị Lan cannot start paying Vũ Đức Anh's dossier, nor see its payment: 404s."""
    # given
    dossier = paying_dossier(world)
    payment = start(world, dossier)
    client.force_login(another_citizen())
    # when
    started = client.post(f"/thanh-toan/{dossier.code}/bat-dau/")
    seen = client.get(f"/api/v1/payments/{payment.txn_ref}")
    # then
    assert started.status_code == 404
    assert seen.status_code == 404
    assert Payment.objects.filter(dossier=dossier).count() == 1


def test_owner_reads_the_payment_through_the_api(world, client):
    # given
    dossier = paying_dossier(world)
    payment = start(world, dossier)
    payment_notify(gateway="test", params=bank_says(payment))
    client.force_login(world.user("demo-citizen"))
    # when
    response = client.get(f"/api/v1/payments/{payment.txn_ref}")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "paid"
    assert body["dossier"] == dossier.code
    assert body["dossier_status"] == "submitted"
    assert body["amount_vnd"] == 300_000
    assert body["paid_at"].endswith("+07:00")


def test_a_dossier_not_waiting_for_payment_cannot_start_one(world, client):
    """Once paid, the dossier is `submitted`: "Pay" again is a 409 with the service's message."""
    # given
    dossier = paying_dossier(world)
    payment_notify(gateway="test", params=bank_says(start(world, dossier)))
    assert client.login(username="demo-citizen", password=PASSWORD)
    # when
    response = client.post(f"/thanh-toan/{dossier.code}/bat-dau/")
    # then
    assert response.status_code == 409
    assert Conflict(*ERR_NOT_PAYING, code=dossier.code).message in response.text
    assert Payment.objects.filter(dossier=dossier).count() == 1


def test_a_second_click_on_pay_reuses_the_pending_payment(world):
    # given
    dossier = paying_dossier(world)
    # when
    first, second = start(world, dossier), start(world, dossier)
    # then
    assert first.pk == second.pk
    assert Payment.objects.filter(dossier=dossier).count() == 1


def test_cancelling_at_the_bank_leaves_the_dossier_waiting(world, client):
    """Cancelling at the bank: the payment is cancelled, the page says so and offers another try,
    which opens a new payment."""
    # given
    dossier = paying_dossier(world)
    assert client.login(username="demo-citizen", password=PASSWORD)
    started = client.post(f"/thanh-toan/{dossier.code}/bat-dau/")
    params = dict(client.get(started["Location"]).context["params"])
    # when
    cancelled = client.post("/thanh-toan/cong-thu-nghiem/", {**params, "decision": "cancel"})
    page = client.get(cancelled["Location"])
    retried = client.post(f"/thanh-toan/{dossier.code}/bat-dau/")
    # then
    assert 'data-state="cancelled"' in page.text
    assert f'action="/thanh-toan/{dossier.code}/bat-dau/"' in page.text
    dossier.refresh_from_db()
    assert dossier.status == Status.PAYING
    statuses = sorted(Payment.objects.filter(dossier=dossier).values_list("status", flat=True))
    assert statuses == [PaymentStatus.CANCELLED, PaymentStatus.PENDING]
    assert retried.status_code == 302


def test_return_page_with_a_forged_result_shows_nothing_and_changes_nothing(world, client):
    # given
    dossier = paying_dossier(world)
    payment = start(world, dossier)
    forged = {**bank_says(payment), "vnp_ResponseCode": "00", "vnp_SecureHash": "0" * 128}
    # when
    page = client.get("/thanh-toan/ket-qua/test/", forged)
    # then
    assert page.status_code == 400
    assert 'data-state="invalid"' in page.text
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_bank_page_refuses_a_tampered_request(world, client):
    """Lowering the amount in the link to the bank breaks its signature."""
    # given
    dossier = paying_dossier(world)
    assert client.login(username="demo-citizen", password=PASSWORD)
    url = client.post(f"/thanh-toan/{dossier.code}/bat-dau/")["Location"]
    params = dict(parse_qsl(urlsplit(url).query))
    # when
    page = client.get("/thanh-toan/cong-thu-nghiem/", {**params, "vnp_Amount": "100000"})
    paid = client.post(
        "/thanh-toan/cong-thu-nghiem/", {**params, "vnp_Amount": "100000", "decision": "pay"}
    )
    # then
    assert page.status_code == 400
    assert 'data-problem="bad_signature"' in page.text
    assert paid.status_code == 400
    assert Payment.objects.get(dossier=dossier).status == PaymentStatus.PENDING


@override_settings(
    MOTCUA_PAYMENT_GATEWAYS={
        "test": "motcua.payments.gateways.test.TestGateway",
        "test-2": {"class": "motcua.payments.gateways.test.TestGateway", "tmn_code": "MOTCUA02"},
    }
)
def test_money_for_a_dossier_already_paid_is_recorded_for_a_refund(world):
    """Paid through two gateways: the second payment is recorded as paid (money moved), the
    dossier is paid once, and the outcome flags the payment for a refund."""
    # given
    dossier = paying_dossier(world)
    first, second = start(world, dossier, "test"), start(world, dossier, "test-2")
    second_result = {**bank_says(second), "vnp_TmnCode": "MOTCUA02"}
    second_result = signed(TestGateway().secret, second_result)
    payment_notify(gateway="test", params=bank_says(first))
    # when
    payment, outcome = payment_notify(gateway="test-2", params=second_result)
    # then
    assert outcome == Outcome.CONFIRMED_NOT_APPLIED
    assert payment.status == PaymentStatus.PAID
    assert pay_events(dossier) == 1


def test_notification_to_an_unconfigured_gateway_is_a_404(world, client):
    # when
    response = client.post("/api/v1/payments/notify/momo", {"orderId": "X", "resultCode": "0"})
    # then
    assert response.status_code == 404
    assert response.json()["RspCode"] == "99"
    assert not PaymentNotification.objects.exists()


def test_the_payment_endpoints_are_in_the_api_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/payments/notify/{gateway}" in paths
    assert "/api/v1/payments/{txn_ref}" in paths
