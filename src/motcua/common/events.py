"""What happened, for whoever listens downstream. A service publishes an event inside its
transaction; each subscriber is called once that transaction commits, so it reads committed
rows and a rolled-back change tells nobody anything.

An explicit registry, not Django signals: subscribers register by name from their
AppConfig.ready(), `subscribers(kind)` says who listens, and no service imports a subscriber
(the notifications are one). A subscriber that fails is logged and never undoes the change or
stops the others.

Recorders are the other kind of listener: called at once, inside the publishing transaction,
for what must change together with the event or not at all (counts kept per day, an outbox
row). A recorder that fails rolls the whole change back."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

logger = logging.getLogger("motcua.events")

DOSSIER_CHANGED = "dossier.changed"
PETITION_CHANGED = "petition.changed"
# A rating given or changed (subject_id: the Rating's pk); nobody is told, the facts count it.
RATING_RECORDED = "rating.recorded"
# The national portal acknowledged one of a dossier's outbox messages (subject_id: the
# Dossier's pk; details: the message's "event_id" and "action"); the facts count it.
DOSSIER_SYNCHRONISED = "dossier.synchronised"
KINDS = (DOSSIER_CHANGED, PETITION_CHANGED, RATING_RECORDED, DOSSIER_SYNCHRONISED)


@dataclass(frozen=True)
class Event:
    kind: str
    subject_id: int
    action: str
    # False when nobody is to be told: replayed history, made-up demo data. The event still
    # happened, so subscribers that count (rather than tell) still receive it.
    notify: bool = True
    # What a listener may need beyond the subject and the action, so it need not read the
    # rows again (the audit event's id and hash, the moment, the states). Optional and
    # open-ended: publishers add keys, listeners read the keys they know and ignore the rest.
    details: Mapping[str, Any] = field(default_factory=dict, hash=False)


Subscriber = Callable[[Event], None]
_SUBSCRIBERS: dict[str, list[Subscriber]] = {kind: [] for kind in KINDS}
_RECORDERS: dict[str, list[Subscriber]] = {kind: [] for kind in KINDS}


def record_with(kind: str, recorder: Subscriber) -> None:
    """Call `recorder(event)` inside the transaction of every `kind` event, before it commits;
    registering twice is a no-op."""
    if kind not in _RECORDERS:
        raise ValueError(f"No event kind {kind!r}; one of {', '.join(KINDS)}")
    if recorder not in _RECORDERS[kind]:
        _RECORDERS[kind].append(recorder)


def recorders(kind: str) -> tuple[Subscriber, ...]:
    return tuple(_RECORDERS[kind])


def subscribe(kind: str, subscriber: Subscriber) -> None:
    """Call `subscriber(event)` after the commit of every `kind` event; subscribing twice is a
    no-op (ready() may run more than once in tests)."""
    if kind not in _SUBSCRIBERS:
        raise ValueError(f"No event kind {kind!r}; one of {', '.join(KINDS)}")
    if subscriber not in _SUBSCRIBERS[kind]:
        _SUBSCRIBERS[kind].append(subscriber)


def subscribers(kind: str) -> tuple[Subscriber, ...]:
    return tuple(_SUBSCRIBERS[kind])


def publish(event: Event) -> None:
    """Hand `event` to its recorders now and to its subscribers once the current transaction
    commits (at once outside a transaction)."""
    if event.kind not in _SUBSCRIBERS:
        raise ValueError(f"No event kind {event.kind!r}")
    for recorder in recorders(event.kind):
        recorder(event)
    transaction.on_commit(lambda: _deliver(event))


def _deliver(event: Event) -> None:
    for subscriber in subscribers(event.kind):
        try:
            subscriber(event)
        except Exception:  # one listener must not silence the others
            logger.exception("subscriber %r failed on %s", subscriber, event)
