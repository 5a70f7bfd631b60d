"""The index demo: departments' appraised totals equal the demo targets (published 2025
figures where known), self-assessed totals are higher, and a second run changes nothing."""

import io
import random
from decimal import Decimal

import pytest
from django.core.management import call_command

from motcua.demo.indices import allocate_losses, load_index_demo
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
    assert "142 assessments created" in out.getvalue()  # 14 departments × 2 years + 114 communes
    assert second == {"created": 0, "existing": 142} and Score.objects.count() == scores
    table = {r["subject"]: r for r in ranking_table(methodology_latest("hp-departments"), 2025)}
    assert table["THANH-TRA"]["percent"] == Decimal("94.71") and table["THANH-TRA"]["rank"] == 1
    assert table["VP-UBND"]["percent"] == Decimal("94.40") and table["VP-UBND"]["group"] == "A"
    assert table["SO-TC"]["percent"] == Decimal("92.99")
    assert table["BQL-KKT"]["percent"] == Decimal("88.99") and table["BQL-KKT"]["rank"] == 14
    assert table["BQL-KKT"]["group"] == "B"


PUBLISHED_2025_ORDER = ["THANH-TRA", "VP-UBND", "SO-TC", "SO-NGV", "SO-NV"]


def test_invented_department_figures_keep_the_published_order(world):
    """Published 2025: Thanh tra, VP UBND, Sở Tài chính, then Sở Ngoại vụ 4th and Sở Nội vụ
    5th; BQL KKT last. The invented figures must not reorder them."""
    # when
    load_index_demo()
    # then
    rows = [
        r
        for r in ranking_table(methodology_latest("hp-departments"), 2025)
        if r["kind"] == "department"
    ]
    order = [r["subject"] for r in sorted(rows, key=lambda r: r["rank"])]
    assert order[:5] == PUBLISHED_2025_ORDER and order[-1] == "BQL-KKT"
    assert [r["rank"] for r in rows if r["subject"] in ("SO-NGV", "SO-NV")] == [4, 5]


def test_communes_and_wards_are_ranked_on_their_published_figures(world):
    # when
    load_index_demo()
    # then wards and communes are ranked apart, on the published 2025 figures
    table = ranking_table(methodology_latest("hp-departments"), 2025)
    wards = sorted((r for r in table if r["kind"] == "ward_committee"), key=lambda r: r["rank"])
    communes = sorted(
        (r for r in table if r["kind"] == "commune_committee"), key=lambda r: r["rank"]
    )
    assert len(wards) == 45 and len(communes) == 69
    assert [(r["name"], r["percent"]) for r in wards[:3]] == [
        ("UBND Phường Hồng Bàng", Decimal("95.80")),
        ("UBND Phường Hải An", Decimal("95.77")),
        ("UBND Phường Hồng An", Decimal("95.57")),
    ]
    assert (wards[-1]["name"], wards[-1]["percent"]) == ("UBND Phường Bắc An Phụ", Decimal("76.26"))
    assert [(r["name"], r["percent"]) for r in communes[:3]] == [
        ("UBND Đặc khu Cát Hải", Decimal("94.15")),
        ("UBND Xã Quyết Thắng", Decimal("93.40")),
        ("UBND Xã An Lão", Decimal("92.94")),
    ]
    assert communes[-1]["percent"] == Decimal("73.37") and "Vĩnh Am" in communes[-1]["name"]
    assert ranking_table(methodology_latest("hp-departments"), 2024)[0]["kind"] == "department"
    assert {r["kind"] for r in ranking_table(methodology_latest("hp-departments"), 2024)} == {
        "department"
    }
