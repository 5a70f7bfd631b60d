"""The counts change in the transaction of the event that changes them: a dossier walked through
the desk's services, a petition answered and forwarded, a rating given and changed.

Procedure 1.003179 (Sở Tư pháp, 5 working days); calendar facts as in the dossier lifecycle
tests (office hours 07:30–17:00)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Q

from motcua.common.errors import Conflict
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_receive
from motcua.dossiers.tests.test_lifecycle import act, at, receipt
from motcua.facts.models import Contribution, DossierDay, PetitionDay, RatingDay
from motcua.facts.selectors import totals
from motcua.facts.tests.rows import dossier_row, petition_row

pytestmark = pytest.mark.django_db

DOSSIER_COLUMNS = ("received", "due", "finished", "finished_late", "late_apologised")


def dossier_counts(agency, day: str) -> dict[str, int]:
    on = dt.date.fromisoformat(day)
    return totals(DossierDay, Q(agency=agency), on, on, *DOSSIER_COLUMNS)


def test_a_received_dossier_counts_on_its_received_and_due_days(world):
    # when the desk receives a complete dossier on Monday 2 March (due Monday 9 March 17:00)
    dossier = dossier_receive(
        actor=world.user("demo-desk"), data=receipt(), at=at("2026-03-02", "09:00")
    )
    # then Sở Tư pháp, the lead agency, counts it received on the 2nd and due on the 9th
    justice = world.agency("SO-TP")
    assert dossier_counts(justice, "2026-03-02")["received"] == 1
    assert dossier_counts(justice, "2026-03-09")["due"] == 1
    row = DossierDay.objects.get(day=dt.date(2026, 3, 2), agency=justice)
    assert (row.procedure_id, row.channel) == (dossier.procedure_id, "counter")
    # and the receiving desk, which does not lead it, counts nothing
    assert dossier_counts(world.agency("TTPVHCC"), "2026-03-02")["received"] == 0


def test_a_supplement_moves_the_due_count_to_the_new_due_day(world):
    # given a dossier due Friday 27 February, forwarded to Sở Tư pháp
    justice = world.agency("SO-TP")
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
    assert dossier_counts(justice, "2026-02-27")["due"] == 1
    # when it waits 11.5 working hours for a supplement (due moves to Tuesday 3 March 09:30)
    act(
        world,
        "demo-specialist",
        dossier.code,
        "request_supplement",
        at("2026-02-25", "09:00"),
        reason="Thiếu bản sao quyết định nuôi con nuôi",
        items=["Bản sao quyết định nuôi con nuôi"],
    )
    act(world, "demo-desk", dossier.code, "supplement", at("2026-02-26", "11:00"))
    # then the due count left the 27th for the 3rd, and it was received once
    assert dossier_counts(justice, "2026-02-27")["due"] == 0
    assert dossier_counts(justice, "2026-03-03")["due"] == 1
    assert dossier_counts(justice, "2026-02-13")["received"] == 1


def test_a_late_result_with_an_apology_counts_on_its_finished_day(world):
    # given a dossier due Monday 9 March, with an apology and a new date of Friday 13 March
    justice = world.agency("SO-TP")
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
    act(
        world,
        "demo-specialist",
        dossier.code,
        "apologize",
        at("2026-03-05", "09:00"),
        reason="Chờ kết quả xác minh của cơ quan công an",
        new_due_at=at("2026-03-13", "17:00"),
    )
    # when the result is ready on Wednesday 11 March (late against the 9th)
    act(
        world,
        "demo-specialist",
        dossier.code,
        "finish",
        at("2026-03-11", "15:00"),
        result_kind="paper",
    )
    # then it is finished late, apologised, on the 11th; still due on the 9th
    assert dossier_counts(justice, "2026-03-11") == {
        "received": 0,
        "due": 0,
        "finished": 1,
        "finished_late": 1,
        "late_apologised": 1,
    }
    assert dossier_counts(justice, "2026-03-09")["due"] == 1
    assert Dossier.objects.get(pk=dossier.pk).verdict == "late"


def test_a_refused_action_changes_no_count(world):
    # given a dossier whose supplement was already requested once
    justice = world.agency("SO-TP")
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
    before = list(DossierDay.objects.filter(agency=justice).values())
    # when a second request is refused
    with pytest.raises(Conflict), transaction.atomic():
        act(
            world,
            "demo-desk",
            dossier.code,
            "request_supplement",
            at("2026-03-03", "10:00"),
            reason="Lần hai",
        )
    # then the counts are as they were
    assert list(DossierDay.objects.filter(agency=justice).values()) == before


def test_petitions_count_on_their_due_day_and_follow_the_agency(world):
    from motcua.feedback.services import petition_forward

    # given two petitions of Sở Tư pháp due 10 May 2025: one answered the day before, one open
    justice, centre = world.agency("SO-TP"), world.agency("TTPVHCC")
    petition_row(justice, "2025-05-10", answered="2025-05-09")
    open_one = petition_row(justice, "2025-05-10")
    may_10 = dt.date(2025, 5, 10)
    columns = ("due", "answered_on_time", "answered_late", "still_open")
    assert totals(PetitionDay, Q(agency=justice), may_10, may_10, *columns) == {
        "due": 2,
        "answered_on_time": 1,
        "answered_late": 0,
        "still_open": 1,
    }
    # when the open one is forwarded to the service centre
    forwarded = petition_forward(
        petition_id=open_one.pk,
        user=world.user("admin"),
        agency_code="TTPVHCC",
        reason="Thuộc thẩm quyền của Trung tâm Phục vụ hành chính công",
        notify=False,
    )
    # then it counts for the centre on its (new) due day, and no longer for Sở Tư pháp
    due_day = forwarded.due_at.astimezone(dt.timezone(dt.timedelta(hours=7))).date()
    assert totals(PetitionDay, Q(agency=justice), may_10, may_10, "due")["due"] == 1
    assert totals(PetitionDay, Q(agency=centre), due_day, due_day, "still_open") == {
        "still_open": 1
    }


def test_a_changed_rating_moves_from_one_level_to_the_other(world):
    from motcua.surveys.services import rating_submit

    # given a returned dossier of Sở Tư pháp, rated 2 at the kiosk on 10 March 2026
    justice = world.agency("SO-TP")
    dossier = dossier_row(justice, "2026-03-02", status="returned")

    def rate(overall: int, when: dt.datetime):
        return rating_submit(
            dossier_code=dossier.code,
            stage="return",
            channel="kiosk",
            overall=overall,
            lookup_key=dossier.lookup_key,
            at=when,
        )

    rating = rate(2, at("2026-03-10", "09:00"))
    march_10 = dt.date(2026, 3, 10)
    levels = ("level_2", "level_4")
    assert totals(RatingDay, Q(agency=justice), march_10, march_10, *levels) == {
        "level_2": 1,
        "level_4": 0,
    }
    # when the applicant changes it to 4 the next day
    rate(4, at("2026-03-11", "10:00"))
    # then it counts once, at level 4, on the day it was first given
    assert totals(RatingDay, Q(agency=justice), march_10, march_10, *levels) == {
        "level_2": 0,
        "level_4": 1,
    }
    assert Contribution.objects.get(kind="rating", subject_id=rating.pk).cells == [
        ["r", "2026-03-10", justice.pk, None, "", "level_4"]
    ]
