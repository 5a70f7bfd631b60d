"""The index demo: departments' appraised totals equal the demo targets (published 2025
figures where known), self-assessed totals are higher, and a second run changes nothing."""

import io
import random
from decimal import Decimal

import pytest
from django.core.management import call_command

from motcua.indices.demo import allocate_losses, load_index_demo
from motcua.indices.models import Score
from motcua.indices.selectors import methodology_latest, ranking_table

pytestmark = pytest.mark.django_db


def test_losses_add_up_exactly_and_respect_maxima():
    maxima = {f"L{i}": Decimal(m) for i, m in enumerate(["1", "2.5", "0.5", "6", "3"])}
    losses = allocate_losses(maxima, Decimal("7.37"), random.Random(3))
    assert sum(losses.values()) == Decimal("7.37")
    assert all(Decimal(0) <= losses[k] <= maxima[k] for k in maxima)


def test_demo_lands_on_the_published_figures_and_is_idempotent(world):
    # when
    out = io.StringIO()
    call_command("indices_demo", stdout=out)
    scores = Score.objects.count()
    second = load_index_demo()
    # then
    assert "28 assessments created" in out.getvalue()
    assert second == {"created": 0, "existing": 28} and Score.objects.count() == scores
    table = {r["subject"]: r for r in ranking_table(methodology_latest("hp-departments"), 2025)}
    assert table["THANH-TRA"]["percent"] == Decimal("94.71") and table["THANH-TRA"]["rank"] == 1
    assert table["VP-UBND"]["percent"] == Decimal("94.40") and table["VP-UBND"]["group"] == "A"
    assert table["SO-TC"]["percent"] == Decimal("92.99")
    assert table["BQL-KKT"]["percent"] == Decimal("88.99") and table["BQL-KKT"]["rank"] == 14
    assert table["BQL-KKT"]["group"] == "B"
