"""Petitions on time counted over the facts per day agree with the feedback app's one
definition (feedback.selectors.petitions_on_time over the rows) whatever the moment judged at:
an open petition is in time until the closing time (17:00) of its due day, late after it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from motcua.dossiers.tests.test_lifecycle import at
from motcua.facts.selectors import petitions_on_time
from motcua.facts.tests.rows import petition_row
from motcua.feedback.models import Petition
from motcua.feedback.selectors import petitions_on_time as petitions_on_time_from_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "now",
    [
        "2026-03-09T12:00",
        "2026-03-10T16:59",
        "2026-03-10T17:00",
        "2026-03-10T18:30",
        "2026-03-11T08:00",
    ],
)
def test_facts_and_rows_agree_on_petitions_on_time(world, now):
    # given Sở Tư pháp's petitions due Tuesday 10 March 2026 at 17:00: answered before, answered
    # after, two still open; and one due on the 12th still open
    justice = world.agency("SO-TP")
    petition_row(justice, "2026-03-10", answered="2026-03-09")
    petition_row(justice, "2026-03-10", answered="2026-03-11")
    petition_row(justice, "2026-03-10")
    petition_row(justice, "2026-03-10")
    petition_row(justice, "2026-03-12")
    moment = dt.datetime.fromisoformat(now).replace(tzinfo=at("2026-03-10", "00:00").tzinfo)
    # when both count the first half of March as of `now`
    facts = petitions_on_time(
        Q(agency=justice), dt.date(2026, 3, 1), dt.date(2026, 3, 15), now=moment
    )
    rows = petitions_on_time_from_rows(
        Petition.objects.filter(agency=justice),
        start=at("2026-03-01", "00:00"),
        end=at("2026-03-16", "00:00"),
        now=moment,
    )
    # then they agree
    assert (facts.on_time, facts.late) == (rows.on_time, rows.late)
    assert facts.on_time + facts.late == 5
