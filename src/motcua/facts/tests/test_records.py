"""The drill-down lists exactly what the counts count: over a generated month (conftest.py), for
every column of every table, several sets of agencies and several spans, the rows
`records_for` returns are as many as the facts' sum; the classes judged as of a moment too, at
two moments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from motcua.dossiers.models import Dossier
from motcua.facts.models import DossierDay, PetitionDay, RatingDay
from motcua.facts.records import COLUMNS, records_for
from motcua.facts.selectors import TIMED, timed_among, totals
from motcua.facts.services import count_columns
from motcua.feedback.models import Petition
from motcua.surveys.models import Rating

from .conftest import SINCE, UNTIL

pytestmark = pytest.mark.django_db

MODELS: dict[str, type[DossierDay | PetitionDay | RatingDay]] = {
    "dossier": DossierDay,
    "petition": PetitionDay,
    "rating": RatingDay,
}
FIRST, LAST = SINCE.date() - dt.timedelta(days=5), UNTIL.date() + dt.timedelta(days=40)
SPANS = [
    (FIRST, LAST),  # the whole history, due days after the last receipt included
    (dt.date(2026, 3, 2), dt.date(2026, 3, 8)),  # a week
    (dt.date(2026, 3, 10), dt.date(2026, 3, 10)),  # a day
]


def agency_sets() -> list[list[int] | None]:
    """Every agency; the busiest lead agency alone; the two busiest with a petition's agency."""
    leads = list(
        Dossier.objects.values_list("lead_agency_id", flat=True).order_by("lead_agency_id")
    )
    busiest = sorted(set(leads), key=leads.count, reverse=True)
    some_petition = Petition.objects.values_list("agency_id", flat=True).first()
    some_rating = Rating.objects.values_list("agency_id", flat=True).first()
    assert some_petition is not None and some_rating is not None
    return [None, busiest[:1], [*busiest[:2], some_petition, some_rating]]


def facts_sum(table: str, column: str, agencies, first, last, now) -> int:
    model = MODELS[table]
    where = Q() if agencies is None else Q(agency_id__in=agencies)
    if column in TIMED:
        return totals(model, where, first, last, among=timed_among(now, column))[column]
    return totals(model, where, first, last, column)[column]


def test_every_table_names_its_columns_and_timed_classes():
    for table, model in MODELS.items():
        timed = {name for name, (m, _c, _t) in TIMED.items() if m is model}
        assert set(COLUMNS[table]) == {*count_columns(model), *timed}


@pytest.mark.parametrize(
    ("now", "empty"),
    [
        (UNTIL, []),
        # Every dossier still open at the end of the month is due after 11 March.
        (UNTIL - dt.timedelta(days=9, hours=6), [("dossier", "due_open_overdue")]),
    ],
    ids=["at-the-end", "ten-days-before"],
)
def test_records_for_every_column_are_as_many_as_the_facts_count(month, now, empty):
    # given the maintained facts of the month
    mismatches, whole = [], {}
    for table, columns in COLUMNS.items():
        for column in columns:
            for agencies in agency_sets():
                for first, last in SPANS:
                    # when the rows behind the count are listed
                    listed = records_for(
                        column, table=table, agency_ids=agencies, first=first, last=last, now=now
                    ).count()
                    counted = facts_sum(table, column, agencies, first, last, now)
                    if listed != counted:
                        mismatches.append((table, column, agencies, first, last, listed, counted))
                    if agencies is None and (first, last) == (FIRST, LAST):
                        whole[(table, column)] = counted
    # then each is exactly what the facts count, and the month makes every column count
    assert mismatches == []
    assert [key for key, n in whole.items() if n == 0] == empty


def test_an_unknown_column_is_refused(world):
    with pytest.raises(KeyError, match="No column 'finished' in petition"):
        records_for(
            "finished", table="petition", agency_ids=None, first=FIRST, last=LAST, now=UNTIL
        )
