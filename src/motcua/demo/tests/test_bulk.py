"""The bulk path's counts are the services' counts: the dossier facts `demo.bulk` builds from
the rows equal those the recorders kept while a history was replayed through the services, and
on bulk-inserted dossiers they equal what `motcua facts-rebuild` makes of the same rows."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from motcua.demo.bulk import bulk_history, dossier_facts_build
from motcua.demo.generate import Mix, apply_plan, months_before, plan_history
from motcua.dossiers.models import Dossier, Status
from motcua.facts.models import DossierDay
from motcua.facts.rebuild import facts_clear, facts_rebuild, facts_table, history_span
from motcua.facts.services import ROLLUPS

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UNTIL = dt.datetime(2026, 3, 20, 16, 0, tzinfo=VN)
LIVELY = Mix(receipt_refuse=0.08, processing_supplement=0.15, stop=0.08, late_rate=(0.3, 0.5))


def test_bulk_facts_equal_the_facts_kept_while_replaying_through_the_services(world):
    # given a month replayed through the services, and the dossier counts the recorders kept
    since = dt.datetime.combine(months_before(UNTIL.date(), 1), dt.time(), tzinfo=VN)
    apply_plan(plan_history(seed=3, since=since, until=UNTIL, per_day=8, mix=LIVELY))
    maintained = facts_table(DossierDay)
    rollups = {m: facts_table(m) for m in ROLLUPS.values()}
    assert len(maintained) > 50
    # when the bulk path builds the dossier facts from those same rows
    written = dossier_facts_build()
    # then they are the recorders' counts, row for row, and so are their rollups
    assert written == DossierDay.objects.count()
    assert facts_table(DossierDay) == maintained
    assert {m: facts_table(m) for m in rollups} == rollups


def test_bulk_inserted_dossiers_count_as_the_rebuild_counts_them(world):
    # given 2,000 bulk-inserted dossiers over two years, and their bulk-built facts
    assert bulk_history(2000, seed=5, until=UNTIL, years=2) == 2000
    dossier_facts_build()
    bulk = facts_table(DossierDay)
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert {Status.RETURNED, Status.PROCESSING, Status.REFUSED} <= statuses
    assert {"early", "on_time", "late"} <= set(Dossier.objects.values_list("verdict", flat=True))
    assert sum(row[4] for row in bulk) == 2000  # received, each dossier once
    # when the facts are rebuilt day by day from the rows
    facts_clear()
    span = history_span()
    assert span is not None
    facts_rebuild(*span)
    # then the rebuild finds the bulk path's counts
    assert facts_table(DossierDay) == bulk


def test_the_command_inserts_and_counts(world):
    out = StringIO()
    call_command("bulk_history", dossiers=300, seed=2, stdout=out)
    assert Dossier.objects.filter(code__startswith="B").count() == 300
    assert "300 hồ sơ / dossiers" in out.getvalue()
    assert DossierDay.objects.exists()
