"""What each lifecycle action leaves behind: the refusals of an apology, the rows an apology, a
supplement and a return write, who they name, and what the history records of them. Each test
was written against a mutant of `dossiers/services/actions.py` that survived the lifecycle
tests (docs/mutation.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from motcua.audit.models import Event
from motcua.common.errors import ApiError
from motcua.common.tests.files import one_page_pdf
from motcua.dossiers.models import (
    Apology,
    Document,
    Dossier,
    Handover,
    Status,
    SupplementRequest,
)
from motcua.dossiers.services import SubmittedDocument

from .test_rules import act, at, online_dossier, receive

pytestmark = pytest.mark.django_db


def _last_event(code: str, action: str) -> Event:
    return Event.objects.filter(subject_id=code, action=action).order_by("-id")[0]


def _forwarded(world) -> Dossier:
    """Received on Monday 2 March 2026 (5 working days: due Monday 9 March 08:00), with Sở Tư
    pháp since 09:00."""
    code = receive(world, at("2026-03-02", "08:00")).code
    return act(
        world, "demo-desk", code, "forward", at("2026-03-02", "09:00"), to_agency_code="SO-TP"
    )


def test_an_apology_is_refused_without_a_new_date_with_a_naive_one_or_an_earlier_one(world):
    dossier = _forwarded(world)
    due = dossier.due_at
    assert due is not None
    # when / then: no new date
    with pytest.raises(ApiError) as missing:
        act(world, "demo-specialist", dossier.code, "apologize", reason="Chờ xác minh")
    assert (missing.value.code, missing.value.message_en) == (
        "new_due_at_required",
        "new_due_at is required.",
    )
    # a date without a zone
    with pytest.raises(ApiError) as naive:
        act(
            world,
            "demo-specialist",
            dossier.code,
            "apologize",
            reason="Chờ xác minh",
            new_due_at=dt.datetime(2026, 3, 20, 17, 0),
        )
    assert (naive.value.code, naive.value.message_en) == (
        "naive_datetime",
        "new_due_at must carry a time zone.",
    )
    # a date that is not later than the appointment, named in the refusal as the desk reads it
    with pytest.raises(ApiError) as earlier:
        act(
            world,
            "demo-specialist",
            dossier.code,
            "apologize",
            reason="Chờ xác minh",
            new_due_at=at("2026-03-03", "10:00"),
        )
    assert earlier.value.code == "new_date_not_later"
    shown = due.astimezone(at("2026-03-02", "00:00").tzinfo).strftime("%d/%m/%Y %H:%M")
    assert earlier.value.message_en == (
        f"The new date must be later than the current appointment ({shown})."
    )
    assert not Apology.objects.filter(dossier=dossier).exists()


def test_an_apology_records_who_why_and_both_dates(world):
    # given
    dossier = _forwarded(world)
    old = dossier.appointment_at
    assert old is not None
    # when: the specialist apologises on Thursday for a new date on Friday 20 March
    act(
        world,
        "demo-specialist",
        dossier.code,
        "apologize",
        at("2026-03-05", "10:00"),
        reason="Chờ kết quả xác minh của Sở Ngoại vụ",
        new_due_at=at("2026-03-20", "09:00"),
    )
    # then: the letter's row, and the history's record of the two dates
    apology = Apology.objects.get(dossier=dossier)
    new = at("2026-03-20", "17:00")  # the closing time of the day asked for
    assert apology.issued_by == world.user("demo-specialist")
    assert apology.reason == "Chờ kết quả xác minh của Sở Ngoại vụ"
    assert (apology.old_due_at, apology.new_due_at) == (old, new)
    event = _last_event(dossier.code, "apologize")
    assert dt.datetime.fromisoformat(event.payload["old_due_at"]) == old
    assert dt.datetime.fromisoformat(event.payload["new_due_at"]) == new


def test_a_supplement_at_the_counter_pushes_back_every_deadline_by_the_wait(world):
    # given: a dossier with Sở Tư pháp, an apology's new date, then a supplement asked for
    dossier = _forwarded(world)
    act(
        world,
        "demo-specialist",
        dossier.code,
        "apologize",
        at("2026-03-03", "08:00"),
        reason="Chờ xác minh",
        new_due_at=at("2026-03-20", "09:00"),
    )
    step_due = Handover.objects.filter(dossier=dossier).order_by("-position")[0].due_at
    assert step_due is not None
    act(
        world,
        "demo-specialist",
        dossier.code,
        "request_supplement",
        at("2026-03-03", "09:00"),
        reason="Thiếu bản sao hộ chiếu",
        items=["Hộ chiếu của cha mẹ nuôi"],
    )
    request = SupplementRequest.objects.get(dossier=dossier)
    assert request.requested_by == world.user("demo-specialist")
    assert (request.at_receipt, request.reason) == (False, "Thiếu bản sao hộ chiếu")
    assert request.items == ["Hộ chiếu của cha mẹ nuôi"]
    assert _last_event(dossier.code, "request_supplement").payload["items"] == request.items
    # when: the applicant brings it to the counter a working day later
    passport = SubmittedDocument(name="Hộ chiếu của cha mẹ nuôi", form="certified_copy")
    act(
        world,
        "demo-desk",
        dossier.code,
        "supplement",
        at("2026-03-04", "09:00"),
        documents=[passport],
    )
    # then: each deadline moves by the wait, one working day (07:30-17:00) of office time
    wait = 9 * 3600 + 1800
    dossier.refresh_from_db()
    request.refresh_from_db()
    assert request.supplied_at == at("2026-03-04", "09:00")
    assert (request.paused_seconds, dossier.paused_seconds) == (wait, wait)
    assert dossier.extended_due_at == at("2026-03-23", "17:00")
    handover = Handover.objects.filter(dossier=dossier).order_by("-position")[0]
    # Sở Tư pháp's step was due Friday 09:00; a working day later is Monday 09:00
    assert step_due == at("2026-03-06", "09:00")
    assert handover.completed_at is None and handover.due_at == at("2026-03-09", "09:00")
    event = _last_event(dossier.code, "supplement")
    assert event.payload["paused_seconds"] == wait
    assert dt.datetime.fromisoformat(event.payload["due_at"]) == dossier.due_at


def test_an_online_dossier_incomplete_at_receipt_starts_its_clock_when_the_desk_accepts(world):
    # given: an online application the desk finds incomplete before accepting it
    dossier = online_dossier(world)
    act(
        world,
        "demo-desk",
        dossier.code,
        "request_supplement",
        at("2026-03-02", "09:00"),
        reason="Thiếu bản sao chứng chỉ",
        items=["Bản sao Giấy chứng nhận hoàn thành khóa học"],
    )
    assert SupplementRequest.objects.get(dossier=dossier).at_receipt is True
    certificate = SubmittedDocument(name="Bản sao Giấy chứng nhận hoàn thành khóa học")
    act(
        world,
        "demo-citizen",
        dossier.code,
        "supplement",
        at("2026-03-03", "08:00"),
        documents=[certificate],
    )
    assert SupplementRequest.objects.get(dossier=dossier).supplied_at == at("2026-03-03", "08:00")
    sent = _last_event(dossier.code, "supplement").payload
    assert sent["documents"] == ["Bản sao Giấy chứng nhận hoàn thành khóa học"]
    # when: the desk finds it complete
    act(world, "demo-desk", dossier.code, "accept_supplement", at("2026-03-03", "10:00"))
    # then: it is received now, by the desk, and its first hand-over names the desk
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.clock_started_at == at("2026-03-03", "10:00")
    first = Handover.objects.filter(dossier=dossier).order_by("position")[0]
    assert first.sent_by == world.user("demo-desk")


def test_a_supplement_brought_to_the_counter_for_an_online_dossier_needs_no_second_check(world):
    # given: an online application found incomplete before it was accepted
    dossier = online_dossier(world)
    act(
        world,
        "demo-desk",
        dossier.code,
        "request_supplement",
        at("2026-03-02", "09:00"),
        reason="Thiếu bản sao chứng chỉ",
    )
    # when: the applicant brings the paper to the desk, which records it
    act(world, "demo-desk", dossier.code, "supplement", at("2026-03-03", "08:00"), documents=[])
    # then: the officer saw it, so the clock starts at once, with the desk as its first holder
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.clock_started_at == at("2026-03-03", "08:00")
    first = Handover.objects.filter(dossier=dossier).order_by("position")[0]
    assert first.sent_by == world.user("demo-desk")


def test_accepting_an_online_dossier_names_the_desk_officer(world):
    dossier = online_dossier(world)
    act(world, "demo-desk", dossier.code, "accept", at("2026-03-02", "08:00"))
    dossier.refresh_from_db()
    assert dossier.received_by == world.user("demo-desk")
    first = Handover.objects.filter(dossier=dossier).order_by("position")[0]
    assert first.sent_by == world.user("demo-desk")


def test_a_return_and_a_withdrawal_close_the_dossier_at_their_moment(world):
    # given: a finished dossier, and an online one its applicant withdraws
    dossier = _forwarded(world)
    act(
        world,
        "demo-specialist",
        dossier.code,
        "finish",
        at("2026-03-05", "10:00"),
        result_kind="paper",
    )
    online = online_dossier(world)
    # when: the result goes back, with no way of handing it over given
    act(world, "demo-desk", dossier.code, "return", at("2026-03-06", "15:00"), returned_how="")
    act(world, "demo-citizen", online.code, "stop", at("2026-03-06", "16:00"), reason="Nộp nhầm")
    # then
    dossier.refresh_from_db()
    online.refresh_from_db()
    assert (dossier.closed_at, dossier.returned_how) == (at("2026-03-06", "15:00"), "in_person")
    assert _last_event(dossier.code, "return").payload["returned_how"] == "in_person"
    assert (online.status, online.closed_at) == (Status.WITHDRAWN, at("2026-03-06", "16:00"))


def test_a_result_is_refused_without_its_kind_its_file_or_a_pdf(world):
    dossier = _forwarded(world)
    tries: list[tuple[dict[str, Any], str, str]] = [
        ({}, "result_kind_required", "result_kind must be paper, electronic or both."),
        (
            {"result_kind": "electronic"},
            "result_file_required",
            "An electronic result needs its PDF file.",
        ),
        (
            {"result_kind": "both", "result_file_content": b"GIF89a not a pdf"},
            "result_not_pdf",
            "The result file must be a PDF.",
        ),
    ]
    for fields, code, message in tries:
        with pytest.raises(ApiError) as refused:
            act(world, "demo-specialist", dossier.code, "finish", **fields)
        assert (refused.value.code, refused.value.message_en) == (code, message), fields
    dossier.refresh_from_db()
    assert dossier.status != Status.RESULT_READY and not dossier.result_file


def test_an_electronic_result_lands_in_the_applicants_store(world):
    # given: an online application the desk has accepted
    dossier = online_dossier(world)
    act(world, "demo-desk", dossier.code, "accept", at("2026-03-02", "08:00"))
    accepted = _last_event(dossier.code, "accept").payload
    dossier.refresh_from_db()
    assert dt.datetime.fromisoformat(accepted["due_at"]) == dossier.due_at
    # when: the result is issued as a PDF
    pdf = one_page_pdf(b"chung chi moi gioi")
    act(
        world,
        "demo-desk",
        dossier.code,
        "finish",
        at("2026-03-03", "10:00"),
        result_kind="electronic",
        result_file_content=pdf,
    )
    # then
    dossier.refresh_from_db()
    assert str(dossier.result_file.name).endswith(f"{dossier.code}.pdf")
    result = Document.objects.get(dossier=dossier, kind=Document.Kind.RESULT)
    assert result.owner == world.user("demo-citizen")
