"""An installation upgraded from the single chain keeps verifying: its events become the closed
`legacy` chain, and new events start the per-agency chains."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from motcua.audit.selectors import audit_verify
from motcua.audit.services import GENESIS, chain_for, event_hash, event_record, hashed_fields

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BEFORE = [("audit", "0001_initial")]
AFTER = [("audit", "0002_chains_per_agency")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_the_single_chain_of_an_existing_installation_verifies_after_the_upgrade(world):
    # given the log as the single-chain version wrote it: three receipts at the centre
    old = _migrate(BEFORE)
    try:
        Event, ChainHead = old.get_model("audit", "Event"), old.get_model("audit", "ChainHead")
        centre = world.agency("TTPVHCC")
        prev = GENESIS
        for i in range(3):
            event = Event(
                at=dt.datetime(2026, 3, 2, 8, i, tzinfo=VN),
                agency_id=centre.pk,
                subject_type="dossier",
                subject_id=f"H24.001.00-260302-{i + 1:04d}",
                action="receive",
                to_state="received",
                reason="Tiếp nhận tại quầy",
                payload={"channel": "counter"},
            )
            event.prev_hash, event.hash = prev, event_hash(prev, hashed_fields(event))
            event.save()
            prev = event.hash
        ChainHead.objects.create(pk=1, last_hash=prev, count=3)
    finally:
        # when the upgrade runs (also if the set-up failed: the next tests need the schema)
        _migrate(AFTER)
    # then the old events form the legacy chain, in their order, and verify
    report = audit_verify()
    assert report.intact, report.problem
    assert [(c.chain, c.checked) for c in report.chains] == [("legacy", 3)]
    # and the next receipt starts the centre's own chain, leaving the legacy one closed
    with transaction.atomic():
        new = event_record(
            at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN),
            actor_id=None,
            agency_id=centre.pk,
            subject_type="dossier",
            subject_id="H24.001.00-260302-0004",
            action="receive",
        )
    assert (new.chain, new.seq) == (chain_for(centre.pk), 1)
    report = audit_verify()
    assert report.intact
    assert sorted((c.chain, c.checked) for c in report.chains) == [
        (chain_for(centre.pk), 1),
        ("legacy", 3),
    ]
