"""The bank's notification and its retry arriving at the same instant."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from motcua.payments.models import Outcome, PaymentStatus
from motcua.payments.services import payment_notify

from .test_payments import bank_says, pay_events, paying_dossier, start


@pytest.mark.django_db(transaction=True)
def test_two_notifications_at_once_pay_the_dossier_once(world):
    """Both pass the signature and amount checks together; the row lock lets one confirm and
    the other see it confirmed: one "pay" event, one paid payment."""
    # given
    dossier = paying_dossier(world)
    payment = start(world, dossier)
    result = bank_says(payment)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def notify() -> None:
        try:
            barrier.wait()
            outcomes.append(payment_notify(gateway="test", params=result)[1])
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=notify) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then
    assert sorted(outcomes) == [Outcome.ALREADY_CONFIRMED, Outcome.CONFIRMED]
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert payment.notified_count == 2
    assert pay_events(dossier) == 1
