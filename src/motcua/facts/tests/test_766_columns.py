"""The columns the service index (Decision 766) reads: the due day split by outcome, what the
received and finished days add, `satisfied` following the dossier's ratings, `handled_well`
following the answer's rating and duplicates, and `synchronised` following the portal's
acknowledgement, each changed in the transaction of its event.

Sở Tư pháp, procedure 1.003179; dates in March 2026 (office hours 07:30–17:00)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from motcua.catalog.models import Procedure
from motcua.dossiers.tests.test_lifecycle import at
from motcua.facts.models import DossierDay, PetitionDay
from motcua.facts.selectors import totals
from motcua.facts.tests.rows import dossier_row, petition_row
from motcua.feedback.links import rating_key
from motcua.feedback.services import answer_rate, petition_mark_duplicate
from motcua.sync.models import OutboxMessage
from motcua.sync.services import Answer, outbox_answer_record

pytestmark = pytest.mark.django_db


def day_counts(agency, day: str, *columns: str) -> dict[str, int]:
    on = dt.date.fromisoformat(day)
    return totals(DossierDay, Q(agency=agency), on, on, *columns)


def test_the_due_day_splits_into_in_time_late_and_open(world):
    # given four dossiers of Sở Tư pháp due Monday 9 March 2026 17:00
    justice = world.agency("SO-TP")
    due = at("2026-03-09", "17:00")
    common = {"due_at": due, "original_due_at": due}
    dossier_row(
        justice,
        "2026-03-02",
        **common,
        status="returned",
        finished_at=at("2026-03-06", "10:00"),
        verdict="early",
    )
    dossier_row(
        justice,
        "2026-03-02",
        **common,
        status="returned",
        finished_at=at("2026-03-11", "10:00"),
        verdict="late",
    )
    dossier_row(justice, "2026-03-02", **common, status="processing")
    dossier_row(
        justice, "2026-03-02", **common, status="withdrawn", closed_at=at("2026-03-04", "08:00")
    )
    # then the due day counts all four, and splits three of them
    columns = ("due", "due_in_time", "due_late", "due_open")
    assert day_counts(justice, "2026-03-09", *columns) == {
        "due": 4,
        "due_in_time": 1,
        "due_late": 1,
        "due_open": 1,
    }
    assert day_counts(justice, "2026-03-04", "closed_unfinished") == {"closed_unfinished": 1}


def test_received_and_finished_days_count_population_data_store_and_certified_copy(world):
    # given a certification procedure, fully online
    justice = world.agency("SO-TP")
    procedure = Procedure.objects.order_by("id").first()
    assert procedure is not None
    Procedure.objects.filter(pk=procedure.pk).update(certification=True, online_level="full")
    # when a counter dossier with population data is finished on time, stored and certified
    dossier_row(
        justice,
        "2026-03-02",
        procedure=procedure,
        population_data=True,
        due_at=at("2026-03-09", "17:00"),
        status="returned",
        finished_at=at("2026-03-05", "15:00"),
        verdict="on_time",
        result_kind="electronic",
        result_stored_at=at("2026-03-05", "15:01"),
        certified_copy=True,
    )
    # then
    assert day_counts(
        justice, "2026-03-02", "received", "eligible_full", "online_full", "population_data"
    ) == {"received": 1, "eligible_full": 1, "online_full": 0, "population_data": 1}
    finished = ("finished", "result_stored", "certification", "certified_copy", "satisfied")
    assert day_counts(justice, "2026-03-05", *finished) == dict.fromkeys(finished, 1)


def test_a_dissatisfied_rating_takes_the_dossier_out_of_satisfied_until_changed(world):
    from motcua.surveys.services import rating_submit

    # given a dossier finished on time on 5 March (unrated: it counts as satisfied)
    justice = world.agency("SO-TP")
    dossier = dossier_row(
        justice,
        "2026-03-02",
        due_at=at("2026-03-09", "17:00"),
        status="returned",
        finished_at=at("2026-03-05", "15:00"),
        verdict="on_time",
    )
    assert day_counts(justice, "2026-03-05", "satisfied") == {"satisfied": 1}

    def rate(overall: int, when: dt.datetime) -> None:
        rating_submit(
            dossier_code=dossier.code,
            stage="return",
            channel="kiosk",
            overall=overall,
            lookup_key=dossier.lookup_key,
            at=when,
        )

    # when the applicant rates it 2 ("dissatisfied") at the kiosk
    rate(2, at("2026-03-06", "09:00"))
    # then it leaves `satisfied`, and comes back when the rating is changed to 4
    assert day_counts(justice, "2026-03-05", "satisfied", "finished") == {
        "satisfied": 0,
        "finished": 1,
    }
    rate(4, at("2026-03-07", "09:00"))
    assert day_counts(justice, "2026-03-05", "satisfied") == {"satisfied": 1}


def test_a_late_dossier_is_never_satisfied(world):
    justice = world.agency("SO-TP")
    dossier_row(
        justice,
        "2026-03-02",
        due_at=at("2026-03-09", "17:00"),
        status="returned",
        finished_at=at("2026-03-10", "15:00"),
        verdict="late",
    )
    assert day_counts(justice, "2026-03-10", "finished", "satisfied") == {
        "finished": 1,
        "satisfied": 0,
    }


def petition_counts(agency, day: str) -> dict[str, int]:
    on = dt.date.fromisoformat(day)
    return totals(PetitionDay, Q(agency=agency), on, on, "answered_on_time", "handled_well")


def test_a_petition_answered_on_time_is_handled_well_until_disliked(world):
    # given a petition of Sở Tư pháp due 10 March, answered on the 9th, and one answered late
    justice = world.agency("SO-TP")
    petition = petition_row(justice, "2026-03-10", answered="2026-03-09")
    petition_row(justice, "2026-03-10", answered="2026-03-11")
    assert petition_counts(justice, "2026-03-10") == {"answered_on_time": 1, "handled_well": 1}
    # when the sender rates the answer 1 ("very dissatisfied")
    answer_rate(
        petition_id=petition.pk, score=1, key=rating_key(petition.pk), now=at("2026-03-12", "08:00")
    )
    # then it is on time, but not handled well
    assert petition_counts(justice, "2026-03-10") == {"answered_on_time": 1, "handled_well": 0}


def test_a_neutral_rating_keeps_the_petition_handled_well(world):
    justice = world.agency("SO-TP")
    petition = petition_row(justice, "2026-03-10", answered="2026-03-09")
    answer_rate(
        petition_id=petition.pk, score=3, key=rating_key(petition.pk), now=at("2026-03-12", "08:00")
    )
    assert petition_counts(justice, "2026-03-10") == {"answered_on_time": 1, "handled_well": 1}


def test_a_petition_sent_again_is_no_longer_handled_well(world):
    # given an answered petition, and a later one about the same lamp, still open
    justice = world.agency("SO-TP")
    original = petition_row(justice, "2026-03-10", answered="2026-03-09")
    again = petition_row(justice, "2026-03-20")
    # when the later one is closed as its duplicate
    petition_mark_duplicate(
        petition_id=again.pk,
        user=world.user("admin"),
        original_id=original.pk,
        now=at("2026-03-13", "08:00"),
        notify=False,
    )
    # then the original is repeated: on time, not handled well; the duplicate counts nowhere
    assert petition_counts(justice, "2026-03-10") == {"answered_on_time": 1, "handled_well": 0}
    on = dt.date(2026, 3, 20)
    assert totals(PetitionDay, Q(agency=justice), on, on, "due") == {"due": 0}


def test_the_portal_acknowledging_the_receipt_counts_the_dossier_synchronised(world):
    # given a dossier received on 2 March, its receipt message queued for the portal
    justice = world.agency("SO-TP")
    dossier = dossier_row(justice, "2026-03-02")
    message = OutboxMessage.objects.get(dossier_code=dossier.code)
    assert day_counts(justice, "2026-03-02", "synchronised") == {"synchronised": 0}
    # when the portal refuses it once, then acknowledges it (twice: a replayed answer)
    outbox_answer_record(message, Answer(503, "busy"), now=at("2026-03-02", "09:00"))
    assert day_counts(justice, "2026-03-02", "synchronised") == {"synchronised": 0}
    outbox_answer_record(message, Answer(200), now=at("2026-03-02", "09:05"))
    outbox_answer_record(message, Answer(200), now=at("2026-03-02", "09:06"))
    # then it counts once, on the day it was received
    assert day_counts(justice, "2026-03-02", "received", "synchronised") == {
        "received": 1,
        "synchronised": 1,
    }


def test_a_later_message_acknowledged_does_not_count_as_the_receipt(world):
    justice = world.agency("SO-TP")
    dossier = dossier_row(justice, "2026-03-02")
    from motcua.common.events import DOSSIER_CHANGED, Event, publish

    publish(Event(DOSSIER_CHANGED, dossier.pk, "forward", notify=False))
    later = OutboxMessage.objects.get(dossier_code=dossier.code, action="forward")
    outbox_answer_record(later, Answer(200), now=at("2026-03-02", "10:00"))
    assert day_counts(justice, "2026-03-02", "synchronised") == {"synchronised": 0}
