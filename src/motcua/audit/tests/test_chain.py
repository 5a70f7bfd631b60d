"""The event log is append-only and tamper-evident: `motcua audit verify` finds any edit."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from motcua.audit.models import AppendOnlyError, Event
from motcua.audit.selectors import audit_verify
from motcua.audit.services import event_record

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _record(n: int) -> list[Event]:
    events = []
    with transaction.atomic():
        for i in range(n):
            events.append(
                event_record(
                    at=dt.datetime(2026, 3, 2, 8, i, tzinfo=VN),
                    actor_id=None,
                    agency_id=None,
                    subject_type="dossier",
                    subject_id=f"H24.005.00-260302-{i:04d}",
                    action="receive",
                    to_state="received",
                    reason="Tiếp nhận tại quầy",
                    payload={"channel": "counter"},
                )
            )
    return events


def test_intact_chain_verifies(world):
    events = _record(5)
    assert events[1].prev_hash == events[0].hash
    report = audit_verify()
    assert report.intact and report.checked >= 5
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "intact" in out.getvalue()


def test_an_edited_reason_is_detected_and_named(world):
    # given: someone edits an event's reason directly in the database
    events = _record(3)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_event SET reason = %s WHERE id = %s", ["Sửa lén", events[1].id]
        )
    # when
    report = audit_verify()
    # then
    assert not report.intact
    assert report.first_bad_id == events[1].id
    with pytest.raises(CommandError, match="TAMPERED"):
        call_command("audit", "verify", stdout=io.StringIO())


def test_a_deleted_event_is_detected(world):
    events = _record(3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE id = %s", [events[1].id])
    report = audit_verify()
    assert not report.intact and report.first_bad_id == events[2].id


def test_events_cannot_be_changed_through_the_orm(world):
    event = _record(1)[0]
    event.reason = "khác"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
