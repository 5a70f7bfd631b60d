"""Counting never loses a count and never makes two agencies wait for each other: each agency's
counts are rows of their own, and a count is added in the database (an upsert adding to the
stored value), so two writers of one row take turns and both count."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction

from motcua.common.tests.threads import Writer, held_open, postgresql_only
from motcua.facts.models import DossierDay
from motcua.facts.services import cells_add

pytestmark = [pytest.mark.django_db(transaction=True), postgresql_only]

DAY = "2026-03-02"


def _received(agency_id: int, procedure_id: int) -> None:
    cell = ("d", DAY, agency_id, procedure_id, "counter", "received")
    with transaction.atomic():
        cells_add(Counter({cell: 1}))


def _count(agency_id: int) -> int:
    return sum(DossierDay.objects.filter(agency_id=agency_id).values_list("received", flat=True))


def test_an_agency_counts_while_another_holds_its_row(world):
    # given Sở Tư pháp and the service centre each have a row for the day
    justice, centre = world.agency("SO-TP").pk, world.agency("TTPVHCC").pk
    procedure = world.procedure("1.003179").pk
    _received(justice, procedure)
    _received(centre, procedure)
    # when Sở Tư pháp's transaction counts on its row and stays open
    with held_open(
        lambda: cells_add(Counter({("d", DAY, justice, procedure, "counter", "received"): 1}))
    ):
        other = Writer(lambda: _received(centre, procedure)).start()
        # then the centre's count commits before Sở Tư pháp's transaction ends
        assert other.done.wait(timeout=10), "the second agency waited for the first"
    other.join()
    assert (_count(justice), _count(centre)) == (2, 2)


def test_two_writers_of_one_row_take_turns_and_both_count(world):
    # given
    justice = world.agency("SO-TP").pk
    procedure = world.procedure("1.003179").pk
    _received(justice, procedure)
    # when one writer holds Sở Tư pháp's row
    with held_open(lambda: _received(justice, procedure)):
        second = Writer(lambda: _received(justice, procedure)).start()
        # then a second writer of that row waits for it
        assert not second.done.wait(timeout=1.5), "two writers changed one row at once"
    second.join()
    # and neither count is lost
    assert _count(justice) == 3


def test_many_writers_at_once_lose_no_count(world):
    # given a row nobody has written yet (the first insert races too)
    justice = world.agency("SO-TP").pk
    procedure = world.procedure("1.003179").pk

    def twenty() -> None:
        for _ in range(20):
            _received(justice, procedure)

    # when eight writers count twenty dossiers each at the same time
    writers = [Writer(twenty).start() for _ in range(8)]
    for writer in writers:
        writer.join()
    # then all 160 are counted, on one row
    assert _count(justice) == 160
    assert DossierDay.objects.filter(agency_id=justice).count() == 1
