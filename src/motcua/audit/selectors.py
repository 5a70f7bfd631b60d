"""Reading and verifying the event log: every chain, then every anchor."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db.models import QuerySet

from .models import Anchor, ChainHead, Event
from .services import anchor_hash, chain_genesis, event_hash, hashed_fields


@dataclass(frozen=True)
class ChainCheck:
    chain: str
    intact: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""


@dataclass(frozen=True)
class ChainReport:
    """The whole log. `first_bad_id` and `problem` are the first broken chain's (or the
    anchors'), so a caller that only asks "intact?" and "where?" need not know about chains."""

    intact: bool
    checked: int
    first_bad_id: int | None = None
    problem: str = ""
    chains: list[ChainCheck] = field(default_factory=list)
    anchors: int = 0
    anchor_problem: str = ""

    @property
    def broken(self) -> list[ChainCheck]:
        return [c for c in self.chains if not c.intact]


def events_for(subject_type: str, subject_id: str) -> QuerySet[Event]:
    return Event.objects.filter(subject_type=subject_type, subject_id=subject_id).select_related(
        "actor", "agency"
    )


def _iter_chain(chain: str, chunk: int = 5000) -> Iterator[Event]:
    last_seq = -1
    while True:
        batch = list(Event.objects.filter(chain=chain, seq__gt=last_seq).order_by("seq")[:chunk])
        if not batch:
            return
        yield from batch
        last_seq = batch[-1].seq


def chain_verify(chain: str, progress: Callable[[int], object] | None = None) -> ChainCheck:
    """Recompute every hash of one chain in order; the first mismatch names the event that was
    altered (or the first one after a gap)."""
    prev = chain_genesis(chain)
    checked = 0
    pending = 0
    try:
        for event in _iter_chain(chain):
            if event.prev_hash != prev:
                return ChainCheck(chain, False, checked, event.id, "previous hash does not match")
            if event_hash(prev, hashed_fields(event)) != event.hash:
                return ChainCheck(
                    chain, False, checked, event.id, "content does not match its hash"
                )
            if event.seq != checked + 1:
                return ChainCheck(chain, False, checked, event.id, "position out of order")
            prev = event.hash
            checked += 1
            pending += 1
            if progress and pending == 1000:
                progress(pending)
                pending = 0
    finally:
        if progress and pending:
            progress(pending)
    head = ChainHead.objects.filter(chain=chain).first()
    if head is None:
        if checked:
            return ChainCheck(chain, False, checked, None, "the chain has no head")
    elif head.last_hash != prev or head.count != checked:
        return ChainCheck(chain, False, checked, None, "events missing at the end of the chain")
    return ChainCheck(chain, True, checked)


def anchors_verify() -> tuple[int, str]:
    """Each anchor hashes the one before it, and every head it recorded is still in its chain
    (the event at that position has that hash). Returns ``(checked, problem)``."""
    prev = None
    checked = 0
    for anchor in Anchor.objects.order_by("seq").iterator():
        expected_prev = prev.hash if prev else "0" * 64
        if anchor.seq != checked + 1 or anchor.prev_hash != expected_prev:
            return checked, f"anchor #{anchor.seq} does not follow the one before it"
        if anchor_hash(anchor.prev_hash, anchor.seq, anchor.at, anchor.heads) != anchor.hash:
            return checked, f"anchor #{anchor.seq} does not match its hash"
        recorded = {
            (e.chain, e.seq): e.hash
            for e in Event.objects.filter(
                chain__in=list(anchor.heads), seq__in={c for c, _ in anchor.heads.values()}
            ).only("chain", "seq", "hash")
        }
        for chain, (count, last_hash) in sorted(anchor.heads.items()):
            if count and recorded.get((chain, count)) != last_hash:
                return checked, f"anchor #{anchor.seq}: chain {chain} lost event {count}"
        prev = anchor
        checked += 1
    return checked, ""


def chains_known() -> list[str]:
    names = set(ChainHead.objects.values_list("chain", flat=True))
    names |= set(Event.objects.order_by().values_list("chain", flat=True).distinct())
    return sorted(names)


def audit_verify(progress: Callable[[int], object] | None = None) -> ChainReport:
    """Every chain, each to its end (a broken chain does not stop the others being checked),
    then every anchor."""
    checks = [chain_verify(chain, progress) for chain in chains_known()]
    anchors, anchor_problem = anchors_verify()
    checked = sum(c.checked for c in checks)
    broken = [c for c in checks if not c.intact]
    if broken:
        first = broken[0]
        problem = f"{first.problem} (chain {first.chain})"
        return ChainReport(
            False, checked, first.first_bad_id, problem, checks, anchors, anchor_problem
        )
    if anchor_problem:
        return ChainReport(False, checked, None, anchor_problem, checks, anchors, anchor_problem)
    return ChainReport(True, checked, chains=checks, anchors=anchors)
