"""The event registry: subscribers hear of a change only once it is committed, in the order
they subscribed, and one failing subscriber neither undoes the change nor silences the rest."""

from __future__ import annotations

import pytest
from django.db import transaction

from motcua.common import events
from motcua.common.events import DOSSIER_CHANGED, Event, publish, subscribe, subscribers


@pytest.fixture
def heard(monkeypatch):
    # A fresh list of subscribers for the kind, restored afterwards: the apps' own stay intact.
    # The apps' recorders (an outbox) are set aside too: these events name no real dossier.
    monkeypatch.setitem(events._SUBSCRIBERS, DOSSIER_CHANGED, [])
    monkeypatch.setitem(events._RECORDERS, DOSSIER_CHANGED, [])
    received: list[tuple[str, Event]] = []
    subscribe(DOSSIER_CHANGED, lambda event: received.append(("first", event)))
    subscribe(DOSSIER_CHANGED, lambda event: received.append(("second", event)))
    return received


@pytest.mark.django_db
def test_subscribers_hear_an_event_after_the_commit_in_order(
    heard, django_capture_on_commit_callbacks
):
    # given
    event = Event(DOSSIER_CHANGED, 42, "receive")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        publish(event)
        # then: nothing before the commit
        assert heard == []
    assert heard == [("first", event), ("second", event)]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_tells_nobody(heard):
    # given / when
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(Event(DOSSIER_CHANGED, 42, "refuse"))
        raise RuntimeError("the service failed after publishing")
    # then
    assert heard == []


@pytest.mark.django_db
def test_a_failing_subscriber_does_not_silence_the_others(
    monkeypatch, django_capture_on_commit_callbacks
):
    # given
    monkeypatch.setitem(events._SUBSCRIBERS, DOSSIER_CHANGED, [])
    monkeypatch.setitem(events._RECORDERS, DOSSIER_CHANGED, [])
    received: list[Event] = []

    def broken(event: Event) -> None:
        raise ConnectionError("SMS carrier down")

    subscribe(DOSSIER_CHANGED, broken)
    subscribe(DOSSIER_CHANGED, received.append)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        publish(Event(DOSSIER_CHANGED, 7, "finish", notify=False))
    # then
    assert [(e.subject_id, e.action, e.notify) for e in received] == [(7, "finish", False)]


def test_subscribing_twice_is_once_and_unknown_kinds_are_refused(heard):
    # given
    def listener(event: Event) -> None:
        return None

    # when
    subscribe(DOSSIER_CHANGED, listener)
    subscribe(DOSSIER_CHANGED, listener)
    # then
    assert subscribers(DOSSIER_CHANGED).count(listener) == 1
    with pytest.raises(ValueError, match="No event kind"):
        subscribe("dossier.renamed", listener)


@pytest.mark.django_db(transaction=True)
def test_a_recorder_runs_inside_the_transaction_and_its_failure_undoes_the_change(monkeypatch):
    """Recorders keep what must change with the event (counts, an outbox): they run before the
    commit, and when one fails the change itself is rolled back."""
    from django.contrib.auth.models import Group

    # given
    monkeypatch.setitem(events._RECORDERS, DOSSIER_CHANGED, [])
    seen_inside: list[bool] = []

    def counting(event: Event) -> None:
        seen_inside.append(transaction.get_connection().in_atomic_block)

    def failing(event: Event) -> None:
        raise RuntimeError("the count could not be kept")

    events.record_with(DOSSIER_CHANGED, counting)
    # when
    with transaction.atomic():
        publish(Event(DOSSIER_CHANGED, 7, "receive"))
    events.record_with(DOSSIER_CHANGED, failing)
    with pytest.raises(RuntimeError), transaction.atomic():
        Group.objects.create(name="test:recorder")
        publish(Event(DOSSIER_CHANGED, 8, "receive"))
    # then
    assert seen_inside == [True, True]
    assert not Group.objects.filter(name="test:recorder").exists()
