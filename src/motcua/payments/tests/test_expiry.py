"""A dossier left waiting for payment expires after MOTCUA_PAYING_EXPIRY_HOURS (48 by default):
closed as withdrawn (unpaid), its pending payment cancelled, an event written, and the applicant
free to apply again. By the command, repeatedly, or lazily when someone looks at it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from motcua.audit.models import Event
from motcua.common.errors import Conflict
from motcua.dossiers.models import Dossier, Status
from motcua.payments.models import Outcome, PaymentStatus
from motcua.payments.services import payment_notify, payment_start

from .test_payments import RETURN_URL, bank_says, paying_dossier, start

pytestmark = pytest.mark.django_db


def submitted_hours_ago(dossier: Dossier, hours: float) -> Dossier:
    Dossier.objects.filter(pk=dossier.pk).update(
        received_at=timezone.now() - dt.timedelta(hours=hours)
    )
    dossier.refresh_from_db()
    return dossier


def events(subject_id: str, action: str) -> int:
    return Event.objects.filter(subject_id=subject_id, action=action).count()


def test_the_command_closes_unpaid_dossiers_once_and_cancels_their_payment(world):
    # given: a dossier with a payment started, left unpaid for 49 hours, and a fresh one
    dossier = paying_dossier(world)
    payment = start(world, dossier)
    submitted_hours_ago(dossier, 49)
    fresh = submitted_hours_ago(paying_dossier(world), 47)
    # when
    out = io.StringIO()
    call_command("dossiers_expire", stdout=out)
    # then
    dossier.refresh_from_db()
    payment.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN and dossier.closed_at is not None
    assert "chưa thanh toán" in dossier.stop_reason
    assert payment.status == PaymentStatus.CANCELLED
    assert events(dossier.code, "expire") == 1
    assert events(payment.txn_ref, "payment_cancelled") == 1
    assert f"expired {dossier.code}" in out.getvalue() and "1 dossier(s)" in out.getvalue()
    fresh.refresh_from_db()
    assert fresh.status == Status.PAYING
    # when: it runs again, nothing more happens
    version = dossier.version
    call_command("dossiers_expire", stdout=io.StringIO())
    dossier.refresh_from_db()
    assert dossier.version == version and events(dossier.code, "expire") == 1


@override_settings(MOTCUA_PAYING_EXPIRY_HOURS=2)
def test_the_expiry_time_is_a_setting(world):
    dossier = submitted_hours_ago(paying_dossier(world), 3)
    call_command("dossiers_expire", stdout=io.StringIO())
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN


def test_paying_after_the_deadline_is_refused_and_the_applicant_can_apply_again(world):
    dossier = submitted_hours_ago(paying_dossier(world), 50)
    with pytest.raises(Conflict) as refused:
        payment_start(
            dossier_code=dossier.code,
            user=world.user("demo-citizen"),
            gateway="test",
            return_url=RETURN_URL,
        )
    assert refused.value.code == "not_waiting_for_payment"
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN  # closed for good, not rolled back with the refusal
    again = paying_dossier(world)
    assert again.pk != dossier.pk and again.status == Status.PAYING


def test_the_desk_looking_at_it_expires_it(world, api_client):
    dossier = submitted_hours_ago(paying_dossier(world), 49)
    token = world.token("demo-desk")
    body = api_client.get(
        f"/api/v1/dossiers/{dossier.code}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert body["status"] == "withdrawn"
    assert body["history"][-1]["action"] == "expire"
    assert Dossier.objects.get(pk=dossier.pk).status == Status.WITHDRAWN


def test_money_arriving_after_the_expiry_is_recorded_for_a_refund(world):
    # given: the dossier expired while its payment was open at the bank
    dossier = paying_dossier(world)
    payment = start(world, dossier)
    submitted_hours_ago(dossier, 49)
    call_command("dossiers_expire", stdout=io.StringIO())
    # when: the bank confirms the payment after all
    paid, outcome = payment_notify(gateway="test", params=bank_says(payment))
    # then: the money is on record as paid but not applied; the dossier stays closed
    assert outcome == Outcome.CONFIRMED_NOT_APPLIED
    assert paid.status == PaymentStatus.PAID
    assert Dossier.objects.get(pk=dossier.pk).status == Status.WITHDRAWN
