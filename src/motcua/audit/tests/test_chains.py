"""One chain per agency: a writer locks only its agency's head, verify checks every chain and
every anchor, and names the chain that was tampered with."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from motcua.audit.models import Anchor, ChainHead, Event
from motcua.audit.selectors import audit_verify
from motcua.audit.services import (
    PROVINCE_CHAIN,
    anchor_write,
    chain_for,
    chain_genesis,
    event_record,
)

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _receive(agency, n: int, *, minute: int = 0) -> list[Event]:
    with transaction.atomic():
        return [
            event_record(
                at=dt.datetime(2026, 3, 2, 8, minute + i, tzinfo=VN),
                actor_id=None,
                agency_id=None if agency is None else agency.pk,
                subject_type="dossier",
                subject_id=f"H24.005.00-260302-{minute + i:04d}",
                action="receive",
                to_state="received",
                reason="Tiếp nhận tại quầy",
                payload={"channel": "counter"},
            )
            for i in range(n)
        ]


def test_each_agency_appends_to_its_own_chain_from_its_own_start(world):
    # given two desks in different agencies and a system event with no agency
    centre, justice = world.agency("TTPVHCC"), world.agency("SO-TP")
    # when each writes
    at_centre = _receive(centre, 2)
    at_justice = _receive(justice, 1, minute=10)
    system = _receive(None, 1, minute=20)
    # then each chain starts at its own genesis and counts its own positions
    assert [e.chain for e in at_centre] == [f"agency:{centre.pk}"] * 2
    assert [e.seq for e in at_centre] == [1, 2]
    assert at_centre[0].prev_hash == chain_genesis(f"agency:{centre.pk}")
    assert at_centre[1].prev_hash == at_centre[0].hash
    assert at_justice[0].chain == chain_for(justice.pk) and at_justice[0].seq == 1
    assert at_justice[0].prev_hash == chain_genesis(chain_for(justice.pk))
    assert system[0].chain == PROVINCE_CHAIN
    # and each chain has its own head row: the only row a writer of that agency locks
    heads = {h.chain: h.count for h in ChainHead.objects.all()}
    assert heads == {chain_for(centre.pk): 2, chain_for(justice.pk): 1, PROVINCE_CHAIN: 1}
    report = audit_verify()
    assert report.intact and report.checked == 4 and len(report.chains) == 3


def test_an_edited_reason_breaks_only_its_chain_and_verify_names_it(world):
    # given events at two agencies, and someone edits one reason at Sở Tư pháp
    centre, justice = world.agency("TTPVHCC"), world.agency("SO-TP")
    _receive(centre, 3)
    edited = _receive(justice, 3, minute=10)[1]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET reason = %s WHERE id = %s", ["Sửa lén", edited.id])
    # when
    report = audit_verify()
    # then only that chain is broken, at that event; the centre's chain still verifies
    assert not report.intact
    assert [(c.chain, c.first_bad_id) for c in report.broken] == [
        (chain_for(justice.pk), edited.id)
    ]
    centre_check = next(c for c in report.chains if c.chain == chain_for(centre.pk))
    assert centre_check.intact and centre_check.checked == 3
    assert report.first_bad_id == edited.id
    with pytest.raises(
        CommandError, match=f"chain agency:{justice.pk} TAMPERED at event {edited.id}"
    ):
        call_command("audit", "verify", stdout=io.StringIO())


def test_anchor_is_written_once_per_change_and_chained(world):
    # given
    centre = world.agency("TTPVHCC")
    _receive(centre, 2)
    # when cron anchors three times, with one receipt between the second and the third
    first, written_first = anchor_write()
    again, written_again = anchor_write()
    _receive(centre, 1, minute=30)
    third, written_third = anchor_write()
    # then nothing new means no new anchor, and each anchor hashes the one before it
    assert (written_first, written_again, written_third) == (True, False, True)
    assert again.pk == first.pk
    assert first.heads[chain_for(centre.pk)][0] == 2
    assert third.seq == 2 and third.prev_hash == first.hash
    assert third.heads[chain_for(centre.pk)][0] == 3
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact: 3 events in 1 chains, 2 anchors" in out.getvalue()


def test_cutting_the_end_of_a_chain_is_caught_by_the_anchor(world):
    # given an anchored chain whose last event is deleted and whose head is rewound to match
    centre = world.agency("TTPVHCC")
    events = _receive(centre, 3)
    anchor_write()
    chain = chain_for(centre.pk)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE id = %s", [events[2].id])
        cursor.execute(
            "UPDATE audit_chainhead SET count = 2, last_hash = %s WHERE chain = %s",
            [events[1].hash, chain],
        )
    # when
    report = audit_verify()
    # then the chain alone looks whole, but the anchor remembers its third event
    assert all(c.intact for c in report.chains)
    assert not report.intact
    assert report.anchor_problem == f"anchor #1: chain {chain} lost event 3"
    out = io.StringIO()
    with pytest.raises(CommandError, match="anchors TAMPERED"):
        call_command("audit", "verify", stdout=out)


def test_the_anchor_command_prints_the_hash_for_cron_to_keep(world):
    _receive(world.agency("TTPVHCC"), 1)
    out = io.StringIO()
    call_command("audit", "anchor", stdout=out)
    call_command("audit", "anchor", stdout=out)
    anchor = Anchor.objects.get()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("mốc mới / new anchor #1") and anchor.hash in lines[0]
    assert lines[1].startswith("không đổi / unchanged since anchor #1")


def test_the_legacy_chain_is_closed(world):
    with transaction.atomic(), pytest.raises(ValueError, match="legacy chain is closed"):
        event_record(
            at=dt.datetime(2026, 3, 2, 8, 0, tzinfo=VN),
            actor_id=None,
            agency_id=None,
            subject_type="dossier",
            subject_id="H24.005.00-260302-0001",
            action="receive",
            chain="legacy",
        )
