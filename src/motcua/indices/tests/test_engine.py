"""The engine on a small hand-computed example: three agencies X, Y, Z on a two-domain
methodology (D1 max 6 = a 4 + b 2; D2 max 4 = one leaf), groups A ≥ 90, B ≥ 80, C ≥ 0.

Appraised points:   D1.a D1.b D2.a  total  %   group rank
    X                 4    2    3     9    90   A    1
    Y                 3    2    3     8    80   B    2
    Z                 4    1    3     8    80   B    2   (tie: "1 2 2")
"""

from decimal import Decimal as D
from typing import Any

import pytest

from motcua.indices import engine

NODES: list[dict[str, Any]] = [
    {"code": "D1", "parent": None, "max_points": 6, "name": "Domain 1"},
    {"code": "D1.a", "parent": "D1", "max_points": 4},
    {"code": "D1.b", "parent": "D1", "max_points": 2},
    {"code": "D2", "parent": None, "max_points": 4, "name": "Domain 2"},
    {"code": "D2.a", "parent": "D2", "max_points": 4},
]
GROUPS: list[dict[str, Any]] = [
    {"code": "A", "min_percent": 90},
    {"code": "B", "min_percent": 80},
    {"code": "C", "min_percent": 0},
]
APPRAISED: dict[str, dict[str, Any]] = {
    "X": {"D1.a": 4, "D1.b": 2, "D2.a": 3},
    "Y": {"D1.a": 3, "D1.b": 2, "D2.a": 3},
    "Z": {"D1.a": 4, "D1.b": 1, "D2.a": 3},
}


def test_totals_percent_and_groups():
    # when
    result = engine.totals(NODES, APPRAISED, GROUPS)
    # then
    assert result["X"]["points"] == D(9) and result["X"]["percent"] == D("90.00")
    assert result["X"]["group"] == "A"
    assert result["Y"]["group"] == "B" and result["Z"]["percent"] == D("80.00")
    assert result["Z"]["domains"] == {"D1": D(5), "D2": D(3)}
    assert result["X"]["max_points"] == D(10)


def test_group_boundaries_come_from_the_data():
    assert engine.group_for(D("89.99"), GROUPS) == "B"
    assert engine.group_for(D("90"), GROUPS) == "A"
    assert engine.group_for(D("79.99"), GROUPS) == "C"


def test_ranks_with_ties_share_the_best_rank():
    # given
    rows = [
        {"subject": s, "kind": "department", "year": 2025, "percent": t["percent"]}
        for s, t in engine.totals(NODES, APPRAISED, GROUPS).items()
    ]
    # when
    ranked = {r["subject"]: r["rank"] for r in engine.rankings(rows)}
    # then
    assert ranked == {"X": 1, "Y": 2, "Z": 2}
    assert engine.competition_ranks({"a": 5, "b": 4, "c": 4, "d": 3}) == {
        "a": 1,
        "b": 2,
        "c": 2,
        "d": 4,
    }


def test_rankings_are_within_kind_and_year():
    rows = [
        {"subject": "s1", "kind": "department", "year": 2025, "percent": 90},
        {"subject": "c1", "kind": "commune_committee", "year": 2025, "percent": 95},
        {"subject": "s2", "kind": "department", "year": 2025, "percent": 85},
        {"subject": "s1", "kind": "department", "year": 2024, "percent": 70},
    ]
    ranked = {(r["subject"], r["year"]): r["rank"] for r in engine.rankings(rows)}
    assert ranked == {("s1", 2025): 1, ("c1", 2025): 1, ("s2", 2025): 2, ("s1", 2024): 1}


def test_lost_points_split_self_and_appraisal_and_sort_largest_first():
    # given X claimed 4 on D2.a; the office accepted 3
    self_points = {"D1.a": 4, "D1.b": 2, "D2.a": 4}
    # when
    rows = engine.lost_points(NODES, self_points, APPRAISED["X"])
    # then
    assert [r["code"] for r in rows[:2]] == ["D2", "D2.a"]
    d2 = rows[0]
    assert (d2["lost_self"], d2["lost_appraisal"], d2["lost_total"]) == (D(0), D(1), D(1))
    assert d2["level"] == 1 and rows[1]["level"] == 2
    assert all(r["lost_total"] == 0 for r in rows[2:])


def test_yoy_contributions_add_up_to_the_change():
    # given X went from 6 (D1 4, D2 2) to 9 (D1 6, D2 3)
    before = {"nodes": NODES, "leaves": {"D1.a": 3, "D1.b": 1, "D2.a": 2}}
    after = {"nodes": NODES, "leaves": APPRAISED["X"]}
    # when
    result = engine.yoy_decomposition(before, after)
    # then
    assert result["before"] == D("60.00") and result["after"] == D("90.00")
    assert result["contributions"] == {"D1": D("20.00"), "D2": D("10.00")}
    assert sum(result["contributions"].values()) == result["change"] == D("30.00")


def test_yoy_rounding_still_adds_up_exactly():
    """Thirds: 33.333… + 33.333… must become 66.67, so one domain carries the extra cent."""
    nodes = [{"code": c, "parent": None, "max_points": 1} for c in ("A", "B", "C")]
    result = engine.yoy_decomposition(
        {"nodes": nodes, "leaves": {}}, {"nodes": nodes, "leaves": {"A": 1, "B": 1}}
    )
    assert result["change"] == D("66.67")
    assert sum(result["contributions"].values()) == D("66.67")
    assert sorted(result["contributions"].values()) == [D("0.00"), D("33.33"), D("33.34")]


def test_yoy_across_methodologies_counts_a_missing_domain_as_zero():
    old = [{"code": "D1", "parent": None, "max_points": 10}]
    result = engine.yoy_decomposition(
        {"nodes": old, "leaves": {"D1": 8}}, {"nodes": NODES, "leaves": APPRAISED["Y"]}
    )
    assert result["contributions"] == {"D1": D("-30.00"), "D2": D("30.00")}
    assert sum(result["contributions"].values()) == result["change"] == D(0)


def test_what_if_changes_a_rank():
    # when Z raises D1.b from 1 to 2
    rows = {r["subject"]: r for r in engine.what_if(NODES, APPRAISED, scores={"Z": {"D1.b": 2}})}
    # then Z ties X for first and Y falls to third
    assert rows["Z"]["before"]["rank"] == 2 and rows["Z"]["after"]["rank"] == 1
    assert rows["Z"]["after"]["percent"] == D("90.00") and rows["Z"]["after"]["group"] == ""
    assert rows["Y"]["after"]["rank"] == 3 and rows["Y"]["rank_change"] == -1


def test_what_if_with_new_weights():
    # when D2 weighs 8 instead of 4 (total 14): X 6 + 6 = 12, Y 5 + 6 = 11
    rows = {r["subject"]: r for r in engine.what_if(NODES, APPRAISED, weights={"D2": 8})}
    assert rows["X"]["after"]["points"] == D(12) and rows["X"]["after"]["max_points"] == D(14)
    assert rows["Y"]["after"]["percent"] == D("78.57")


def test_best_moves_reach_the_next_rank_with_least_effort():
    # when Y (8) looks for the cheapest way to X's 9
    plan = engine.best_moves(NODES, APPRAISED, "Y")
    # then one point on D1.a (largest room first among equal effort) gets there
    assert plan["goal_points"] == D(9) and plan["reached"] and plan["new_rank"] == 1
    assert [(s["leaf"], s["gain"]) for s in plan["steps"]] == [("D1.a", D(1))]
    # when D1.a is three times harder, D2.a is chosen
    plan = engine.best_moves(NODES, APPRAISED, "Y", effort={"D1.a": 3})
    assert [s["leaf"] for s in plan["steps"]] == ["D2.a"] and plan["effort"] == D(1)


def test_best_moves_for_the_leader_has_nothing_to_chase():
    plan = engine.best_moves(NODES, APPRAISED, "X")
    assert plan["goal_points"] is None and plan["steps"] == [] and plan["rank"] == 1


def test_monte_carlo_is_seeded_and_brackets_ranks():
    first = engine.monte_carlo_ranks(NODES, APPRAISED, runs=200, seed=7)
    again = engine.monte_carlo_ranks(NODES, APPRAISED, runs=200, seed=7)
    assert first == again
    # X beats Y and Z on every domain share, so no weighting can move it
    assert first["X"] == {"median": 1, "p5": 1, "p95": 1}
    assert first["Y"]["median"] == 2


def test_monte_carlo_shows_uncertainty_when_domains_disagree():
    nodes: list[dict[str, Any]] = [
        {"code": "A", "parent": None, "max_points": 5},
        {"code": "B", "parent": None, "max_points": 5},
    ]
    points: dict[str, dict[str, Any]] = {"p": {"A": 5, "B": 3}, "q": {"A": 3, "B": 5.1}}
    result = engine.monte_carlo_ranks(nodes, points, runs=500, spread=0.3, seed=1)
    assert result["p"]["p5"] == 1 and result["p"]["p95"] == 2


@pytest.mark.parametrize(("ratio", "points"), [(0, 0), (0.5, 3), (0.94, 3), (0.95, 6), (1, 6)])
def test_band_points(ratio, points):
    bands = [
        {"from": 0, "to": 0.5, "points": 0},
        {"from": 0.5, "to": 0.95, "points": 3},
        {"from": 0.95, "to": 1, "points": 6},
    ]
    assert engine.band_points(bands, ratio) == D(points)
