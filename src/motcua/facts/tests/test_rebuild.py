"""`motcua facts-rebuild`: the counts rebuilt from the rows equal the counts the recorders kept
while a month of history was replayed through the services (conftest.py: dossiers, then the
ratings and petitions the demo makes through theirs, then the 766 facts), table for table;
rebuilding again, or only a few days, changes nothing."""

from __future__ import annotations

from collections import Counter, defaultdict
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from motcua.dossiers.models import Dossier
from motcua.facts.models import (
    PROCEDURE_MONTH_COLUMNS,
    Contribution,
    DossierAgencyDay,
    DossierAgencyMonth,
    DossierDay,
    DossierProcedureYear,
    PetitionDay,
    RatingDay,
    month_column,
)
from motcua.facts.rebuild import facts_table
from motcua.facts.services import count_columns

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, Any]:
    models = (
        DossierDay,
        PetitionDay,
        RatingDay,
        DossierAgencyDay,
        DossierAgencyMonth,
        DossierProcedureYear,
    )
    tables = {m.__name__: facts_table(m) for m in models}
    contributions = {
        (c.kind, c.subject_id, tuple(map(tuple, c.cells)))
        for c in Contribution.objects.all()
        if c.cells
    }
    return {**tables, "contributions": contributions}


def rebuild(*args: str) -> str:
    out = StringIO()
    call_command("facts_rebuild", *args, stdout=out)
    return out.getvalue()


def test_rebuilt_facts_equal_the_maintained_ones_after_a_generated_month(month):
    # given the counts the recorders kept during the month
    maintained = snapshot()
    assert len(maintained["DossierDay"]) > 50
    assert maintained["PetitionDay"] and maintained["RatingDay"]
    verdicts = {v for v in Dossier.objects.values_list("verdict", flat=True) if v}
    assert verdicts == {"early", "on_time", "late"}
    # and every column, the Decision 766 ones too, counts something
    for model in (DossierDay, PetitionDay, RatingDay):
        sums = model.objects.aggregate(**{name: Sum(name) for name in count_columns(model)})
        assert [name for name, n in sums.items() if not n] == [], model.__name__
    # when every count is rebuilt from the rows
    output = rebuild()
    # then every table is what the recorders kept, row for row
    assert "Xong / done" in output
    assert snapshot() == maintained


def _summed(model, keys, columns, column_of=lambda row, column: column):
    """DossierDay's rows added up in Python by `keys(row)`, each column into `model`'s column
    `column_of(row, column)`, as facts_table(model) lists them (rows of zeros left out)."""
    sums: dict[tuple, Counter] = defaultdict(Counter)
    for row in DossierDay.objects.all():
        for column in columns:
            sums[keys(row)][column_of(row, column)] += getattr(row, column)
    names = count_columns(model)
    return {(*key, *(c[n] for n in names)) for key, c in sums.items() if any(c.values())}


def test_the_rollups_kept_are_the_sums_of_the_dossier_rows(month):
    # given the rollups the recorders kept beside the dossier counts during the month
    agency_days = facts_table(DossierAgencyDay)
    months = facts_table(DossierAgencyMonth)
    years = facts_table(DossierProcedureYear)
    assert len(agency_days) > 20
    assert {day.month for day, *_rest in months} == {2, 3, 4}  # received, then due or finished
    assert {year.year for year, *_rest in years} == {2026}
    # then they are DossierDay summed over procedures and channels, over the month's days, and
    # per procedure into the year's month columns
    columns = count_columns(DossierDay)
    assert agency_days == _summed(DossierAgencyDay, lambda r: (r.day, r.agency_id), columns)
    assert months == _summed(
        DossierAgencyMonth, lambda r: (r.day.replace(day=1), r.agency_id), columns
    )
    assert years == _summed(
        DossierProcedureYear,
        lambda r: (r.day.replace(month=1, day=1), r.agency_id, r.procedure_id),
        PROCEDURE_MONTH_COLUMNS,
        lambda r, n: month_column(n, r.day.month),
    )


def test_rebuilding_again_or_a_week_only_changes_nothing(month):
    # given
    maintained = snapshot()
    # when the history is rebuilt twice, then one week of it once more
    rebuild()
    rebuild()
    rebuild("--from", "2026-03-09", "--to", "2026-03-15")
    # then
    assert snapshot() == maintained


def test_a_rebuild_corrects_a_day_that_drifted(month):
    # given a day whose received count was lost (written behind the recorders' back)
    maintained = snapshot()
    row = DossierDay.objects.filter(received__gt=0).order_by("day", "id")[0]
    DossierDay.objects.filter(pk=row.pk).update(received=0)
    DossierAgencyDay.objects.filter(day=row.day, agency_id=row.agency_id).update(received=0)
    DossierAgencyMonth.objects.filter(month=row.day.replace(day=1), agency_id=row.agency_id).update(
        received=0
    )
    DossierProcedureYear.objects.filter(
        year=row.day.replace(month=1, day=1), agency_id=row.agency_id
    ).update(**{month_column("received", row.day.month): 0})
    assert snapshot() != maintained
    # when that day alone is rebuilt
    rebuild("--from", row.day.isoformat(), "--to", row.day.isoformat())
    # then the counts are the maintained ones again
    assert snapshot() == maintained


def test_a_range_that_ends_before_it_starts_is_refused(world):
    with pytest.raises(CommandError, match="may not be before"):
        rebuild("--from", "2026-03-20", "--to", "2026-03-01")
    with pytest.raises(CommandError, match="must be an ISO date"):
        rebuild("--from", "20/03/2026")
