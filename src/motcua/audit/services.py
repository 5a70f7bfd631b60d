"""Appending to the event log; call it inside the transaction that changes the state.

The log is a set of hash chains, one per agency (`agency:<id>`), one for events without an
agency (`province`), one for the index engine (`indices`, so a recompute never holds a lock a
desk needs) and the closed `legacy` chain of events written before chains were split. A writer
locks only its chain's head. Per agency rather than per agency × month: writes that happen at
the same time fall in the same month, so a monthly split would not take one writer off
another's lock; it would only multiply heads. `anchor_write` ties all heads together."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from motcua.common.locking import lock_rows

from .models import Anchor, ChainHead, Event

GENESIS = "0" * 64
LEGACY_CHAIN = "legacy"
PROVINCE_CHAIN = "province"
INDICES_CHAIN = "indices"


def chain_for(agency_id: int | None) -> str:
    return PROVINCE_CHAIN if agency_id is None else f"agency:{agency_id}"


def chain_genesis(chain: str) -> str:
    """The hash before a chain's first event. It names the chain, so the first event of one
    chain cannot be relabelled into another, empty one; the legacy chain began at zeros."""
    if chain == LEGACY_CHAIN:
        return GENESIS
    return hashlib.sha256(f"genesis|{chain}".encode()).hexdigest()


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    canonical = json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(f"{prev_hash}|{canonical}".encode()).hexdigest()


def hashed_fields(event: Event) -> dict[str, Any]:
    return {
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "agency": event.agency_id,
        "subject": f"{event.subject_type}:{event.subject_id}",
        "action": event.action,
        "from": event.from_state,
        "to": event.to_state,
        "reason": event.reason,
        "payload": event.payload,
    }


def _lock_head(chain: str) -> ChainHead:
    """Lock the chain's head before reading it, or two writers could read the same last hash
    and fork the chain. A new chain's head is created by its first writer; a second writer
    racing it waits on the unique chain name and then locks the row the first one made."""
    heads = ChainHead.objects.filter(chain=chain)
    if not lock_rows(heads, field="count"):
        ChainHead.objects.get_or_create(chain=chain, defaults={"last_hash": chain_genesis(chain)})
        lock_rows(heads, field="count")
    return heads.get()


def events_append(events: list[Event]) -> list[Event]:
    """Chain and store `events` (unsaved, in order) after their chains' heads. An event whose
    `chain` is empty goes to its agency's chain."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events_append must run inside the state change's transaction")
    by_chain: dict[str, list[Event]] = {}
    for event in events:
        event.chain = event.chain or chain_for(event.agency_id)
        if event.chain == LEGACY_CHAIN:
            raise ValueError("the legacy chain is closed")
        by_chain.setdefault(event.chain, []).append(event)
    # Heads are locked in name order so two writers spanning the same chains cannot deadlock.
    for chain in sorted(by_chain):
        head = _lock_head(chain)
        prev, count = head.last_hash, head.count
        for event in by_chain[chain]:
            count += 1
            event.seq = count
            event.prev_hash = prev
            event.hash = event_hash(prev, hashed_fields(event))
            prev = event.hash
        ChainHead.objects.filter(pk=head.pk).update(last_hash=prev, count=count)
    Event.objects.bulk_create(events, batch_size=500)
    return events


def anchor_hash(prev_hash: str, seq: int, at: dt.datetime, heads: dict[str, Any]) -> str:
    return event_hash(
        prev_hash,
        {
            "seq": seq,
            "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "heads": heads,
        },
    )


def anchor_write(*, at: dt.datetime | None = None) -> tuple[Anchor, bool]:
    """Record every chain's head in a new anchor, unless nothing was appended since the last
    one (then that one is returned, so cron may run it as often as it likes). Reads only the
    head rows and locks none: each head is read as last committed, together with its events.
    Two anchor writers at once cannot fork the anchors: the second one's `seq` is taken and
    its insert fails. Returns ``(anchor, written)``."""
    heads = {h.chain: [h.count, h.last_hash] for h in ChainHead.objects.order_by("chain")}
    last = Anchor.objects.order_by("-seq").first()
    if last is not None and last.heads == heads:
        return last, False
    at = at or timezone.now()
    seq = 1 if last is None else last.seq + 1
    prev = GENESIS if last is None else last.hash
    anchor = Anchor(
        seq=seq, at=at, heads=heads, prev_hash=prev, hash=anchor_hash(prev, seq, at, heads)
    )
    anchor.save()
    return anchor, True


def event_record(
    *,
    at: dt.datetime,
    actor_id: int | None,
    agency_id: int | None,
    subject_type: str,
    subject_id: str,
    action: str,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    payload: dict[str, Any] | None = None,
    chain: str = "",
) -> Event:
    """Append one event; `chain` defaults to the agency's (or the province's) chain."""
    event = Event(
        chain=chain,
        at=at,
        actor_id=actor_id,
        agency_id=agency_id,
        subject_type=subject_type,
        subject_id=subject_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        payload=payload or {},
    )
    return events_append([event])[0]
