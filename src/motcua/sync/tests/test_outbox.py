"""Every dossier change queues one outbox message in the change's own transaction."""

import uuid

import pytest
from django.db import transaction

from motcua.audit.models import Event as AuditEvent
from motcua.common.errors import ApiError
from motcua.dossiers.models import Dossier
from motcua.sync.models import OutboxMessage
from motcua.sync.outbox import PORTAL_CHANNEL, PORTAL_STATUS

from .helpers import PROCEDURE, VN, at, dossier_forwarded, dossier_received

pytestmark = pytest.mark.django_db


def test_a_received_dossier_queues_what_the_portal_needs(world):
    # given / when
    dossier = dossier_received(world, when=at("2026-03-02", "08:15"))
    # then
    assert dossier.due_at is not None
    message = OutboxMessage.objects.get()
    audit = AuditEvent.objects.get(subject_type="dossier", subject_id=dossier.code)
    assert message.event_id == uuid.UUID(hex=audit.hash[:32])
    assert message.action == "receive"
    assert message.agency == dossier.lead_agency
    assert message.procedure.code == PROCEDURE
    assert message.acknowledged_at is None
    assert message.payload == {
        "event_id": str(message.event_id),
        "action": "receive",
        "occurred_at": "2026-03-02T08:15:00+07:00",
        "MaHoSo": dossier.code,
        "MaTTHC": PROCEDURE,
        "TenTTHC": dossier.procedure.name,
        "MaDonVi": dossier.lead_agency.electronic_id,
        "DonViXuLy": dossier.lead_agency.name,
        "KenhThucHien": PORTAL_CHANNEL["counter"],
        "TrangThaiHoSo": PORTAL_STATUS["received"],
        "NgayTiepNhan": "20260302081500",
        "NgayHenTra": dossier.due_at.astimezone(VN).strftime("%Y%m%d%H%M%S"),
        "NgayKetThucXuLy": "",
        "NgayTra": "",
        "DuocThanhToanTrucTuyen": 0,
        "HoSoCoThanhPhanSoHoa": 0,
    }


def test_each_change_of_a_dossier_queues_its_own_message_in_order(world):
    # given
    dossier = dossier_received(world)
    # when
    dossier_forwarded(world, dossier)
    # then
    messages = list(OutboxMessage.objects.filter(dossier_code=dossier.code))
    assert [m.action for m in messages] == ["receive", "forward"]
    assert messages[1].payload["TrangThaiHoSo"] == PORTAL_STATUS["processing"]
    assert len({m.event_id for m in messages}) == 2


def test_a_rolled_back_change_leaves_no_message(world):
    """The message is written inside the change's transaction: seen there, gone with it."""
    # given
    seen_inside: list[int] = []

    # when
    with pytest.raises(RuntimeError), transaction.atomic():
        dossier_received(world)
        seen_inside.append(OutboxMessage.objects.count())
        raise RuntimeError("the officer's session failed before the commit")
    # then
    assert seen_inside == [1]
    assert not Dossier.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_refused_transition_queues_nothing(world):
    # given
    dossier = dossier_received(world)
    dossier_forwarded(world, dossier)
    # when: the desk tries to hand it over again, though Sở Tư pháp holds it now
    with pytest.raises(ApiError):
        dossier_forwarded(world, Dossier.objects.get(pk=dossier.pk))
    # then
    assert OutboxMessage.objects.count() == 2
