"""The one-stop lifecycle through the services, at fixed times, with hand-computed deadlines.

Calendar facts used (holidays package, checked by the workdays tests): Tết 2026 is
Mon 16 – Fri 20 Feb; office hours 07:30–17:00 (9.5 working hours a day)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from motcua.audit.models import Event
from motcua.catalog.models import ProcessStep
from motcua.common.errors import ApiError, Conflict, NotFound
from motcua.dossiers.models import Dossier, Handover, Status
from motcua.dossiers.services import (
    ActionData,
    ApplicantData,
    ReceiptData,
    dossier_act,
    dossier_receive,
)

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PROCEDURE = "1.003179"  # Đăng ký lại việc nuôi con nuôi có yếu tố nước ngoài: 5 days, Sở Tư pháp


def at(day: str, hhmm: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=VN)


def receipt(**changes) -> ReceiptData:
    data = ReceiptData(
        procedure_code=PROCEDURE,
        channel="counter",
        applicant=ApplicantData(
            kind="person",
            name="Nguyễn Thị Ngữ",
            id_number="031190012345",
            phone="0912345678",
            email="ngu.nguyen@example.vn",
            address="Số 12 Lạch Tray, phường Ngô Quyền, Hải Phòng",
        ),
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def act(world, username, code, action, when, **fields):
    return dossier_act(
        actor=world.user(username), code=code, data=ActionData(action=action, **fields), at=when
    )


@pytest.fixture
def liaison(world):
    """A liên thông process: desk → Sở Tư pháp → the City People's Committee → desk."""
    procedure = world.procedure(PROCEDURE)
    steps = [
        ("Tiếp nhận", "desk", None, "0.5"),
        ("Thẩm định", "lead", None, "3"),
        ("Phê duyệt", "fixed", world.agency("UBND-TP"), "1"),
        ("Trả kết quả", "desk", None, "0.5"),
    ]
    for position, (name, role, agency, days) in enumerate(steps, start=1):
        ProcessStep.objects.create(
            procedure=procedure,
            position=position,
            name=name,
            agency_role=role,
            agency=agency,
            allowance_days=Decimal(days),
        )
    from motcua.org.models import User

    User.objects.create(
        username="ubnd-approver",
        full_name="Đỗ Văn Quyết",
        role=User.Role.AGENCY_LEADER,
        agency=world.agency("UBND-TP"),
    )
    return procedure


def test_receipt_gives_code_key_and_appointment_across_tet(world):
    """Received Friday before Tết with 5 working days: the appointment skips the Tết week."""
    # when
    dossier = dossier_receive(
        actor=world.user("demo-desk"), data=receipt(), at=at("2026-02-13", "10:00")
    )
    # then
    assert dossier.code == "H24.005.00-260213-0001"
    assert len(dossier.lookup_key) == 6
    assert dossier.status == Status.RECEIVED
    assert dossier.due_at == dossier.original_due_at == at("2026-02-27", "17:00")
    assert dossier.lead_agency.code == "SO-TP" and dossier.current_agency.code == "TTPVHCC"
    second = dossier_receive(
        actor=world.user("demo-desk"), data=receipt(), at=at("2026-02-13", "10:05")
    )
    assert second.code == "H24.005.00-260213-0002"
    event = Event.objects.get(subject_id=dossier.code)
    assert event.actor is not None
    assert (event.action, event.to_state, event.actor.username) == (
        "receive",
        "received",
        "demo-desk",
    )
    assert mail.outbox == []  # notifications go out on commit, not inside the test transaction


def test_receipt_after_closing_counts_from_next_working_day(world):
    """17:30 on Thursday 12 Feb counts as Friday 13 Feb: 5 days → Friday 27 Feb."""
    dossier = dossier_receive(
        actor=world.user("demo-desk"), data=receipt(), at=at("2026-02-12", "17:30")
    )
    assert dossier.due_at == at("2026-02-27", "17:00")


def test_supplement_pause_moves_the_due_time_back_by_working_time_waited(world):
    """Waiting Wed 09:00 → Thu 11:00 is 11.5 working hours; due Fri 27 Feb 17:00 moves to
    Tue 3 Mar 09:30 (Mon 2 Mar gives 9.5 h, Tue 07:30 + 2 h)."""
    # given
    dossier = dossier_receive(
        actor=world.user("demo-desk"), data=receipt(), at=at("2026-02-13", "10:00")
    )
    act(
        world,
        "demo-desk",
        dossier.code,
        "forward",
        at("2026-02-23", "08:00"),
        to_agency_code="SO-TP",
    )
    # when
    act(
        world,
        "demo-specialist",
        dossier.code,
        "request_supplement",
        at("2026-02-25", "09:00"),
        reason="Thiếu bản sao giấy chứng nhận nuôi con nuôi",
        items=["Bản sao quyết định nuôi con nuôi"],
    )
    waiting = Dossier.objects.get(pk=dossier.pk)
    assert waiting.status == Status.WAITING_SUPPLEMENT
    act(world, "demo-desk", dossier.code, "supplement", at("2026-02-26", "11:00"))
    # then
    resumed = Dossier.objects.get(pk=dossier.pk)
    assert resumed.status == Status.PROCESSING
    assert resumed.paused_seconds == 41_400
    assert resumed.due_at == at("2026-03-03", "09:30")
    assert resumed.original_due_at == at("2026-02-27", "17:00")


def test_supplement_may_be_requested_only_once(world):
    dossier = dossier_receive(
        actor=world.user("demo-desk"), data=receipt(), at=at("2026-03-02", "09:00")
    )
    act(
        world,
        "demo-desk",
        dossier.code,
        "request_supplement",
        at("2026-03-02", "09:10"),
        reason="Thiếu tờ khai",
    )
    act(world, "demo-desk", dossier.code, "supplement", at("2026-03-03", "09:00"))
    with pytest.raises(Conflict, match="already requested once"):
        act(
            world,
            "demo-desk",
            dossier.code,
            "request_supplement",
            at("2026-03-03", "10:00"),
            reason="Lần hai",
        )
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED


def test_supplement_at_receipt_starts_the_clock_when_complete(world):
    """An incomplete dossier gets a code and a supplement slip; the legal time starts at the
    supplement (Tue 3 Mar 16:00 + 5 days → Tue 10 Mar 17:00)."""
    dossier = dossier_receive(
        actor=world.user("demo-desk"),
        at=at("2026-03-02", "09:00"),
        data=receipt(
            outcome="supplement", reason="Thiếu giấy tờ", missing_items=["Tờ khai theo mẫu"]
        ),
    )
    assert dossier.status == Status.WAITING_SUPPLEMENT and dossier.due_at is None
    act(world, "demo-desk", dossier.code, "supplement", at("2026-03-03", "16:00"))
    complete = Dossier.objects.get(pk=dossier.pk)
    assert complete.status == Status.RECEIVED
    assert complete.due_at == at("2026-03-10", "17:00")


def test_apology_sets_one_later_date_and_keeps_both(world):
    dossier = dossier_receive(
        actor=world.user("demo-desk"), data=receipt(), at=at("2026-03-02", "09:00")
    )
    act(
        world,
        "demo-desk",
        dossier.code,
        "forward",
        at("2026-03-02", "10:00"),
        to_agency_code="SO-TP",
    )
    with pytest.raises(ApiError, match="later than the current appointment"):
        act(
            world,
            "demo-specialist",
            dossier.code,
            "apologize",
            at("2026-03-05", "09:00"),
            reason="Chờ xác minh",
            new_due_at=at("2026-03-06", "17:00"),
        )
    act(
        world,
        "demo-specialist",
        dossier.code,
        "apologize",
        at("2026-03-05", "09:00"),
        reason="Chờ kết quả xác minh của cơ quan công an",
        new_due_at=at("2026-03-13", "17:00"),
    )
    with pytest.raises(Conflict, match="already issued"):
        act(
            world,
            "demo-specialist",
            dossier.code,
            "apologize",
            at("2026-03-06", "09:00"),
            reason="Lần hai",
            new_due_at=at("2026-03-20", "17:00"),
        )
    dossier.refresh_from_db()
    assert dossier.due_at == at("2026-03-09", "17:00")
    assert dossier.extended_due_at == at("2026-03-13", "17:00")
    assert dossier.apology.agency.code == "SO-TP"


def test_walk_through_two_agencies_with_verdicts(world, liaison):
    """desk → Sở Tư pháp → UBND TP → desk; each hand-over judged against its own allowance."""
    code = dossier_receive(
        actor=world.user("demo-desk"), data=receipt(), at=at("2026-03-02", "08:00")
    ).code
    act(world, "demo-desk", code, "forward", at("2026-03-02", "10:00"), to_agency_code="SO-TP")
    with pytest.raises(ApiError, match="not part of this procedure"):
        act(
            world,
            "demo-specialist",
            code,
            "forward",
            at("2026-03-03", "09:00"),
            to_agency_code="SO-XD",
        )
    act(
        world,
        "demo-specialist",
        code,
        "forward",
        at("2026-03-06", "16:00"),
        to_agency_code="UBND-TP",
    )
    act(world, "ubnd-approver", code, "finish", at("2026-03-09", "09:00"), result_kind="paper")
    act(world, "demo-desk", code, "return", at("2026-03-09", "11:00"), returned_how="in_person")
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.RETURNED
    assert dossier.verdict == "on_time"  # due Mon 9 Mar 17:00, finished that morning
    sheet = list(Handover.objects.filter(dossier=dossier).values_list("to_agency__code", "verdict"))
    # desk 0.5 day (done by 10:00 same day: early? no: same day → on time);
    # Sở Tư pháp 3 days from Mon 10:00 → Thu 5 Mar 10:00, done Fri 16:00 → late;
    # UBND 1 day from Fri 16:00 → Mon 15:30, done Mon 09:00 → on time; the desk has half a
    # day (4.75 h) from 09:00 → 13:45 and returns at 11:00 → on time.
    assert sheet == [
        ("TTPVHCC", "on_time"),
        ("SO-TP", "late"),
        ("UBND-TP", "on_time"),
        ("TTPVHCC", "on_time"),
    ]


def test_closed_dossier_refuses_further_actions_and_stays_unchanged(world):
    code = dossier_receive(
        actor=world.user("demo-desk"), data=receipt(), at=at("2026-03-02", "08:00")
    ).code
    act(
        world,
        "demo-desk",
        code,
        "stop",
        at("2026-03-02", "09:00"),
        reason="Công dân đề nghị dừng để bổ sung hồ sơ khác",
    )
    before = Dossier.objects.get(code=code)
    with pytest.raises(Conflict, match="status is stopped"):
        act(world, "demo-desk", code, "supplement", at("2026-03-02", "10:00"))
    after = Dossier.objects.get(code=code)
    assert (after.status, after.version, after.updated_at) == (
        before.status,
        before.version,
        before.updated_at,
    )


def test_stale_version_is_a_conflict(world):
    """Two officers read version 1; the first forward wins, the second gets a 409."""
    code = dossier_receive(
        actor=world.user("demo-desk"), data=receipt(), at=at("2026-03-02", "08:00")
    ).code
    act(
        world,
        "demo-desk",
        code,
        "forward",
        at("2026-03-02", "09:00"),
        to_agency_code="SO-TP",
        version=1,
    )
    with pytest.raises(Conflict, match="version 2"):
        act(world, "demo-desk", code, "refuse", at("2026-03-02", "09:00"), reason="x", version=1)


def test_other_agencies_cannot_see_the_dossier(world):
    from motcua.org.models import User

    code = dossier_receive(
        actor=world.user("demo-desk"), data=receipt(), at=at("2026-03-02", "08:00")
    ).code
    outsider = User.objects.create(
        username="xd-officer", role=User.Role.SPECIALIST, agency=world.agency("SO-XD")
    )
    with pytest.raises(NotFound):
        dossier_act(actor=outsider, code=code, data=ActionData(action="refuse", reason="x"))


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"procedure_code": "9.999999"}, "unknown_procedure"),
        (
            {"applicant": ApplicantData(kind="person", name="Trần Văn B", id_number="12345")},
            "invalid_id_number",
        ),
        (
            {
                "applicant": ApplicantData(
                    kind="organisation", name="Công ty TNHH Hải Âu", tax_code="02012"
                )
            },
            "invalid_tax_code",
        ),
        ({"outcome": "refuse"}, "reason_required"),
    ],
)
def test_bad_receipts_create_nothing(world, changes, code):
    count = Dossier.objects.count()
    with pytest.raises(ApiError) as error:
        dossier_receive(
            actor=world.user("demo-desk"), data=receipt(**changes), at=at("2026-03-02", "08:00")
        )
    assert error.value.code == code
    assert Dossier.objects.count() == count


def test_citizens_cannot_receive(world):
    with pytest.raises(ApiError):
        dossier_receive(actor=world.user("demo-citizen"), data=receipt())
