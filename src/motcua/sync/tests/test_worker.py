"""The worker delivers signed messages, backs off on a refusal, and stops at the first 2xx."""

import datetime as dt
import json
import random

import pytest
from django.utils import timezone

from motcua.sync.models import OutboxMessage
from motcua.sync.selectors import outbox_state, synchronised_counts
from motcua.sync.services import backoff_seconds, outbox_deliver_batch
from motcua.sync.signing import EVENT_ID_HEADER, SIGNATURE_HEADER, signature

from .helpers import SECRET, VN, PortalStub, dossier_forwarded, dossier_received

pytestmark = pytest.mark.django_db


@pytest.fixture
def portal_settings(settings):
    settings.MOTCUA_NATIONAL_PORTAL_SECRET = SECRET
    settings.MOTCUA_NATIONAL_PORTAL_BACKOFF_SECONDS = 30
    settings.MOTCUA_NATIONAL_PORTAL_BACKOFF_MAX_SECONDS = 3600
    return settings


def test_without_a_portal_address_messages_wait(world, settings):
    # given
    settings.MOTCUA_NATIONAL_PORTAL_URL = ""
    dossier_received(world)
    # when
    result = outbox_deliver_batch()
    # then
    assert result.claimed == 0
    assert outbox_state().waiting == 1


def test_a_delivery_is_signed_names_its_event_and_is_acknowledged_on_200(world, portal_settings):
    # given
    dossier = dossier_received(world)
    with PortalStub([200]).running() as portal:
        portal_settings.MOTCUA_NATIONAL_PORTAL_URL = portal.url
        # when
        result = outbox_deliver_batch()
    # then
    message = OutboxMessage.objects.get()
    assert (result.claimed, result.acknowledged) == (1, 1)
    assert message.acknowledged_at is not None
    assert (message.attempts, message.last_status) == (1, 200)
    [request] = portal.requests
    assert request["headers"][EVENT_ID_HEADER] == str(message.event_id)
    body = json.dumps(request["body"], ensure_ascii=False, sort_keys=True).encode()
    assert request["headers"][SIGNATURE_HEADER] == signature(body, SECRET)
    assert request["body"]["MaHoSo"] == dossier.code


def test_a_refused_delivery_is_retried_with_backoff_until_acknowledged(world, portal_settings):
    """500, then the portal unreachable, then 201: three attempts, the waits doubling, and
    nothing sent again once acknowledged."""
    # given
    dossier_received(world)
    start = timezone.now()
    with PortalStub([500, 503, 201]).running() as portal:
        portal_settings.MOTCUA_NATIONAL_PORTAL_URL = portal.url
        # when: the first attempt is refused
        first = outbox_deliver_batch(now=start)
        message = OutboxMessage.objects.get()
        first_wait = message.next_attempt_at - start
        # then: nothing is claimed again before the wait is over
        too_early = outbox_deliver_batch(now=start + dt.timedelta(seconds=14))
        # when: the second is refused too, after the first wait
        second_at = start + dt.timedelta(seconds=31)
        second = outbox_deliver_batch(now=second_at)
        message.refresh_from_db()
        second_wait = message.next_attempt_at - second_at
        # when: the third is acknowledged
        third = outbox_deliver_batch(now=second_at + dt.timedelta(seconds=61))
        after = outbox_deliver_batch(now=second_at + dt.timedelta(days=1))
    # then
    assert [first.failed, too_early.claimed, second.failed, third.acknowledged] == [1, 0, 1, 1]
    assert dt.timedelta(seconds=15) <= first_wait <= dt.timedelta(seconds=30)
    assert dt.timedelta(seconds=30) <= second_wait <= dt.timedelta(seconds=60)
    message.refresh_from_db()
    assert (message.attempts, message.last_status) == (3, 201)
    assert after.claimed == 0
    assert len(portal.requests) == 3


def test_the_portal_unreachable_is_a_failed_attempt(world, portal_settings):
    # given: nothing listens on the port any more
    dossier_received(world)
    with PortalStub([200]).running() as portal:
        url = portal.url
    portal_settings.MOTCUA_NATIONAL_PORTAL_URL = url
    # when
    result = outbox_deliver_batch()
    # then
    message = OutboxMessage.objects.get()
    assert result.failed == 1
    assert message.acknowledged_at is None
    assert message.last_status is None
    assert "Connection" in message.last_error or "refused" in message.last_error


def test_backoff_doubles_up_to_the_ceiling_with_jitter(portal_settings):
    # given
    rng = random.Random(766)
    # when
    waits = [backoff_seconds(n, rng=rng) for n in (1, 2, 3, 10, 20)]
    # then
    assert 15 <= waits[0] <= 30
    assert 30 <= waits[1] <= 60
    assert 60 <= waits[2] <= 120
    assert 1800 <= waits[3] <= 3600
    assert 1800 <= waits[4] <= 3600


def test_a_dossiers_later_change_waits_for_its_earlier_one(world, portal_settings):
    """The portal sees each dossier's changes in order, even when the first is refused."""
    # given
    dossier = dossier_received(world)
    dossier_forwarded(world, dossier)
    other = dossier_received(world, n=1)
    start = timezone.now()
    with PortalStub([500, 200]).running() as portal:
        portal_settings.MOTCUA_NATIONAL_PORTAL_URL = portal.url
        # when
        first = outbox_deliver_batch(now=start)
        later = outbox_deliver_batch(now=start + dt.timedelta(hours=1))
        last = outbox_deliver_batch(now=start + dt.timedelta(hours=1))
    # then: the forward was not sent before its receive, the other dossier did not wait
    assert (first.claimed, first.failed, first.acknowledged) == (2, 1, 1)
    sent = [(r["body"]["MaHoSo"], r["body"]["action"]) for r in portal.requests]
    assert sent == [
        (dossier.code, "receive"),
        (other.code, "receive"),
        (dossier.code, "receive"),
        (dossier.code, "forward"),
    ]
    assert (later.acknowledged, last.acknowledged) == (1, 1)


def test_synchronised_counts_are_acknowledged_deliveries_per_day_agency_procedure(
    world, portal_settings
):
    # given: three changes of two dossiers on 2 March; the two receipts are acknowledged
    # late in the evening of a later day, the forward still waits for its receipt's answer
    first = dossier_received(world)
    dossier_forwarded(world, first)
    dossier_received(world, n=1)
    day = timezone.localdate(timezone.now(), VN) + dt.timedelta(days=1)
    acknowledged_on = dt.datetime.combine(day, dt.time(23, 30), tzinfo=VN)  # 16:30 UTC
    with PortalStub([200]).running() as portal:
        portal_settings.MOTCUA_NATIONAL_PORTAL_URL = portal.url
        outbox_deliver_batch(now=acknowledged_on)
    # when
    counts = synchronised_counts(start=day - dt.timedelta(days=3), end=day)
    by_occurrence = synchronised_counts(
        start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 2), by="occurred"
    )
    # then
    [row] = counts
    assert row.day == day
    assert (row.agency_id, row.procedure_id) == (first.lead_agency_id, first.procedure_id)
    assert (row.channel, row.acknowledged) == ("counter", 2)
    assert [(r.day, r.acknowledged) for r in by_occurrence] == [(dt.date(2026, 3, 2), 2)]
    assert synchronised_counts(start=day + dt.timedelta(days=1), end=day + dt.timedelta(2)) == []
