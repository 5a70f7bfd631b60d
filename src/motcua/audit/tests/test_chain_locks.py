"""Appending locks only the writer's own chain: two agencies append at the same time, while two
writers of one agency still take turns (or they would fork its chain)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from motcua.audit.selectors import audit_verify
from motcua.audit.services import chain_for, event_record
from motcua.common.tests.threads import Writer, held_open, postgresql_only

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _append(agency_id: int, minute: int) -> None:
    with transaction.atomic():
        event_record(
            at=dt.datetime(2026, 3, 2, 8, minute, tzinfo=VN),
            actor_id=None,
            agency_id=agency_id,
            subject_type="dossier",
            subject_id=f"H24.001.00-260302-{minute:04d}",
            action="receive",
            to_state="received",
        )


def test_an_agency_appends_while_another_holds_its_chain(world):
    # given both chains exist already (a first writer creates its chain's head)
    centre, justice = world.agency("TTPVHCC").pk, world.agency("SO-TP").pk
    _append(centre, 0)
    _append(justice, 1)
    # when the centre's transaction appends and stays open
    with held_open(
        lambda: event_record(
            at=dt.datetime(2026, 3, 2, 8, 2, tzinfo=VN),
            actor_id=None,
            agency_id=centre,
            subject_type="dossier",
            subject_id="H24.001.00-260302-0002",
            action="receive",
        )
    ):
        other = Writer(lambda: _append(justice, 3)).start()
        # then Sở Tư pháp's append commits before the centre's transaction ends
        assert other.done.wait(timeout=10), "the second agency waited for the first"
    other.join()
    report = audit_verify()
    assert report.intact
    assert {c.chain: c.checked for c in report.chains} == {
        chain_for(centre): 2,
        chain_for(justice): 2,
    }


def test_two_writers_of_one_agency_take_turns_on_its_chain(world):
    # given
    centre = world.agency("TTPVHCC").pk
    _append(centre, 0)
    # when one writer of the centre holds its chain
    with held_open(lambda: _append(centre, 1)):
        second = Writer(lambda: _append(centre, 2)).start()
        # then a second writer of the centre waits for it
        assert not second.done.wait(timeout=1.5), "two writers appended to one chain at once"
    # and goes on once it commits, after it in the chain
    second.join()
    assert second.done.is_set()
    report = audit_verify()
    assert report.intact and report.chains[0].checked == 3
