"""Officers acting at the same moment, and what reaches the applicant after a commit."""

import threading

import pytest
from django.core import mail
from django.db import connection

from motcua.audit.selectors import audit_verify
from motcua.common.errors import Conflict
from motcua.common.tests.threads import Writer, held_open, postgresql_only
from motcua.demo.organisation import load_demo_staff, staff_username
from motcua.dossiers.models import Dossier, Handover
from motcua.dossiers.services import ActionData, ApplicantData, dossier_act, dossier_receive
from motcua.org.models import Agency

from .test_lifecycle import at, receipt


@pytest.mark.django_db(transaction=True)
def test_two_officers_at_once_one_wins_the_other_gets_a_conflict(world):
    """Both read version 1 and forward at the same instant: exactly one hand-over is written."""
    # given
    code = dossier_receive(
        actor=world.user("demo-desk"), data=receipt(), at=at("2026-03-02", "08:00")
    ).code
    desk = world.user("demo-desk")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def forward() -> None:
        try:
            barrier.wait()
            dossier_act(
                actor=desk,
                code=code,
                data=ActionData(action="forward", to_agency_code="SO-TP", version=1),
            )
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=forward) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then
    assert sorted(outcomes) == ["conflict", "ok"]
    dossier = Dossier.objects.get(code=code)
    assert dossier.version == 2
    assert Handover.objects.filter(dossier=dossier, to_agency__code="SO-TP").count() == 1


def _birth_registration(minute: int):
    """Thủ tục đăng ký khai sinh, a commune's own procedure: the commune receives and handles it,
    so two communes share no dossier counter either."""
    return receipt(
        procedure_code="1.001193",
        outcome="supplement",
        reason="Thiếu giấy chứng sinh",
        missing_items=["Giấy chứng sinh"],
        applicant=ApplicantData(
            kind="person",
            name="Đỗ Thị Lan",
            id_number=f"03119001{minute:04d}",
            phone="0987654321",
            address="Thôn Đông, Hải Phòng",
        ),
    )


@pytest.mark.django_db(transaction=True)
@postgresql_only
def test_desks_of_two_communes_receive_without_waiting_for_each_other(world):
    # given the desks of two communes, each having received once before
    first, second = Agency.objects.filter(kind=Agency.Kind.COMMUNE_COMMITTEE).order_by("code")[:2]
    load_demo_staff(agency_codes=[first.code, second.code])
    desk_one = world.user(staff_username(first.code, "desk"))
    desk_two = world.user(staff_username(second.code, "desk"))
    dossier_receive(actor=desk_one, data=_birth_registration(1), at=at("2026-03-02", "08:00"))
    dossier_receive(actor=desk_two, data=_birth_registration(2), at=at("2026-03-02", "08:00"))
    # when the first commune's receipt is in a transaction that stays open
    with held_open(
        lambda: dossier_receive(
            actor=desk_one, data=_birth_registration(3), at=at("2026-03-02", "08:10")
        )
    ):
        other = Writer(
            lambda: dossier_receive(
                actor=desk_two, data=_birth_registration(4), at=at("2026-03-02", "08:10")
            )
        ).start()
        # then the second commune's receipt commits before the first one's does
        assert other.done.wait(timeout=10), "one commune's desk waited for another's"
    other.join()
    assert Dossier.objects.filter(receiving_agency__in=[first, second]).count() == 4
    assert audit_verify().intact


@pytest.mark.django_db
def test_online_dossier_after_three_pm_reaches_the_agency_next_morning(world):
    """Sent on from the desk at 15:30 on Monday 2 Mar, it arrives Tuesday 3 Mar at 07:30."""
    # An online dossier as the history replay records it (a desk cannot create one itself).
    code = dossier_receive(
        actor=world.user("demo-desk"),
        data=receipt(channel="online"),
        at=at("2026-03-02", "15:20"),
        replaying_history=True,
    ).code
    dossier_act(
        actor=world.user("demo-desk"),
        code=code,
        data=ActionData(action="forward", to_agency_code="SO-TP"),
        at=at("2026-03-02", "15:30"),
    )
    handover = Handover.objects.get(dossier__code=code, to_agency__code="SO-TP")
    assert handover.sent_at == at("2026-03-02", "15:30")
    assert handover.received_at == at("2026-03-03", "07:30")


@pytest.mark.django_db
def test_applicant_is_told_by_email_after_the_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_receive(
            actor=world.user("demo-desk"), data=receipt(), at=at("2026-03-02", "08:00")
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ngu.nguyen@example.vn"]
    assert dossier.code in message.subject
    assert "09/03/2026" in message.body  # the appointment: 5 working days → Mon 9 Mar 17:00
