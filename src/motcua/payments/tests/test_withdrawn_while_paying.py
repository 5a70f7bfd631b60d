"""A dossier its applicant withdraws while it waits for payment takes its pending payment with
it: cancelled at the moment of the withdrawal, with the payment's own event."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.audit.models import Event
from motcua.dossiers.models import Status
from motcua.dossiers.services import ActionData, dossier_act
from motcua.payments.models import Payment, PaymentStatus

from .test_payments import paying_dossier, start

pytestmark = pytest.mark.django_db

WITHDRAWN_AT = dt.datetime(2026, 3, 4, 14, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_withdrawing_a_paying_dossier_cancels_its_payment_then(world):
    # given: an online application waiting for its fee, with a payment opened at the bank
    dossier = paying_dossier(world)
    payment = start(world, dossier)
    # when: the applicant withdraws it
    dossier_act(
        actor=world.user("demo-citizen"),
        code=dossier.code,
        data=ActionData(action="stop", reason="Nộp nhầm thủ tục"),
        at=WITHDRAWN_AT,
    )
    # then
    dossier.refresh_from_db()
    assert (dossier.status, dossier.closed_at) == (Status.WITHDRAWN, WITHDRAWN_AT)
    payment = Payment.objects.get(pk=payment.pk)
    assert (payment.status, payment.finished_at) == (PaymentStatus.CANCELLED, WITHDRAWN_AT)
    event = Event.objects.get(action="payment_cancelled")
    assert event.payload["reason"] == "dossier_closed"
    assert (event.payload["dossier"], event.payload["dossier_status"]) == (
        dossier.code,
        "withdrawn",
    )
