"""Two workers at once take different messages, and neither waits for the other's claim."""

import pytest

from motcua.common.tests.threads import Writer, held_open, postgresql_only
from motcua.sync.models import OutboxMessage
from motcua.sync.services import outbox_claim

from .helpers import at, dossier_received


@pytest.mark.django_db
def test_a_claimed_message_is_not_claimed_again_while_its_lease_runs(world):
    # given
    for i in range(3):
        dossier_received(world, n=i, when=at("2026-03-02", f"08:{i:02d}"))
    # when
    first = outbox_claim(limit=2)
    second = outbox_claim(limit=10)
    # then
    assert len(first) == 2
    assert [m.pk for m in second] == [OutboxMessage.objects.order_by("-id")[0].pk]
    assert outbox_claim(limit=10) == []


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_second_worker_skips_the_rows_another_is_claiming(world):
    # given: four receipts queued
    for i in range(4):
        dossier_received(world, n=i, when=at("2026-03-02", f"08:{i:02d}"))
    held: list[OutboxMessage] = []
    taken: list[OutboxMessage] = []
    # when: one worker's claim is still open (its row locks held) while another claims
    with held_open(lambda: held.extend(outbox_claim(limit=2))):
        other = Writer(lambda: taken.extend(outbox_claim(limit=10))).start()
        # then: the second did not wait for the first one's locks
        assert other.done.wait(timeout=10), "the second worker waited for the first one's claim"
    other.join()
    assert len(held) == 2
    assert len(taken) == 2
    assert {m.pk for m in held}.isdisjoint({m.pk for m in taken})
