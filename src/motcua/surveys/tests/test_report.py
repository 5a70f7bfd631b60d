"""The ratings report per agency and period, checked against numbers worked out by hand, and
who may read it.

The set: three return ratings of Sở Tư pháp (SO-TP, the lead agency) in March 2026 with overall
5, 4, 2; one receipt rating of the service centre (TTPVHCC) with overall 3; one SO-TP rating in
April, outside the period.
SO-TP: average (5 + 4 + 2) / 3 = 3.6667; satisfied (4–5) 2 of 3 = 0.6667;
Decision 766 points min(6, 6 × (2/3) / 0.9) = 4.4444.
  on time: answers 5, 3 → average 4.0, satisfied 1 of 2 = 0.5;
  officer attitude: 4, 4, 1 → average 3.0, satisfied 2 of 3 = 0.6667.
TTPVHCC: one rating of 3 → average 3.0, satisfied 0 → points 0.0.
All: four ratings 5, 4, 2, 3 → average 3.5, satisfied 0.5 → points min(6, 6 × 0.5/0.9) = 3.3333.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from motcua.common.rules import DOSSIER_SATISFACTION_766, rule_get
from motcua.surveys.selectors import (
    dossier_satisfaction_points,
    points_rule_load,
    ratings_report,
)
from motcua.surveys.services import rating_submit

from .conftest import at

pytestmark = pytest.mark.django_db

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def rated(citizen, make_dossier):
    def rate(day: str, stage: str, overall: int, answers: dict[str, int]) -> None:
        dossier = make_dossier(day)
        rating_submit(
            dossier_code=dossier.code,
            stage=stage,
            channel="portal",
            overall=overall,
            answers=answers,
            user=citizen,
            at=at(day, "15:00"),
        )

    rate("2026-03-02", "return", 5, {"on_time": 5, "officer_attitude": 4})
    rate("2026-03-10", "return", 4, {"officer_attitude": 4})
    rate("2026-03-31", "return", 2, {"on_time": 3, "officer_attitude": 1})
    rate("2026-03-05", "receipt", 3, {"desk_handling": 5})
    rate("2026-04-01", "return", 1, {"on_time": 1})  # outside March


def _by_code(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row.get("agency") or row["code"]: row for row in rows}


def test_766_points_formula():
    assert dossier_satisfaction_points(None) == 0.0  # no data
    assert dossier_satisfaction_points(0.0) == 0.0
    assert dossier_satisfaction_points(0.45) == pytest.approx(3.0)
    assert dossier_satisfaction_points(0.9) == pytest.approx(6.0)
    assert dossier_satisfaction_points(1.0) == 6.0  # capped


def test_report_numbers_by_hand(world, api_client, rated):
    # when
    response = api_client.get(
        "/api/v1/ratings/report",
        MARCH,
        headers={"Authorization": f"Bearer {world.token('demo-reform')}"},
    )
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["from"], body["to"]) == ("2026-03-01", "2026-03-31")
    agencies = _by_code(body["agencies"])
    assert set(agencies) == {"SO-TP", "TTPVHCC"}
    so_tp = agencies["SO-TP"]
    assert (so_tp["count"], so_tp["satisfied"]) == (3, 2)
    assert so_tp["average_overall"] == 3.6667
    assert so_tp["satisfied_share"] == 0.6667
    assert so_tp["dossier_satisfaction_points"] == 4.4444
    criteria = _by_code(so_tp["criteria"])
    assert list(criteria) == ["on_time", "officer_attitude"]  # the file's order
    assert (criteria["on_time"]["count"], criteria["on_time"]["average"]) == (2, 4.0)
    assert criteria["on_time"]["satisfied_share"] == 0.5
    assert criteria["on_time"]["label_vi"] == "Trả kết quả đúng hẹn"
    assert (criteria["officer_attitude"]["count"], criteria["officer_attitude"]["average"]) == (
        3,
        3.0,
    )
    assert criteria["officer_attitude"]["satisfied_share"] == 0.6667
    centre = agencies["TTPVHCC"]
    assert (centre["count"], centre["average_overall"], centre["satisfied_share"]) == (1, 3.0, 0.0)
    assert centre["dossier_satisfaction_points"] == 0.0
    assert _by_code(centre["criteria"])["desk_handling"]["average"] == 5.0
    total = body["total"]
    assert (total["count"], total["average_overall"], total["satisfied_share"]) == (4, 3.5, 0.5)
    assert total["dossier_satisfaction_points"] == 3.3333
    assert _by_code(total["criteria"])["officer_attitude"]["count"] == 3


def test_the_766_points_follow_the_methodology_data(rated):
    """The formula's numbers live in the service index's methodology file (leaf MDHL.3 of
    indices/methodologies/service-766.yaml, given to surveys through common.rules): another
    version of the leaf, and the same ratings earn other points."""
    # given the rule in force (6 points, full marks at 90%) and a revision: 5 points at 80%
    shipped = rule_get(DOSSIER_SATISFACTION_766, dt.date(2026, 3, 31))
    assert shipped["max_points"] == 6 and shipped["rule"]["full_marks_at"] == 0.9
    revised = {**shipped, "max_points": 5, "rule": {**shipped["rule"], "full_marks_at": 0.8}}
    # when
    before = ratings_report(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
    after = ratings_report(
        start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), points_rule=points_rule_load(revised)
    )
    # then half the ratings satisfied: 6 × 0.5 / 0.9 before, 5 × 0.5 / 0.8 after
    assert before["total"]["dossier_satisfaction_points"] == 3.3333
    assert after["total"]["dossier_satisfaction_points"] == 3.125


def test_a_rule_that_is_not_linear_or_out_of_range_is_refused():
    shipped = rule_get(DOSSIER_SATISFACTION_766, dt.date(2026, 3, 31))
    for wrong in (
        {**shipped["rule"], "formula": "bands"},
        {**shipped["rule"], "full_marks_at": 0},
        {**shipped["rule"], "no_data_points": 7},
    ):
        with pytest.raises(ValueError):
            points_rule_load({**shipped, "rule": wrong})


def test_report_filters_and_empty_period(rated):
    only_return = ratings_report(
        start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), stage="return"
    )
    assert [a["agency"] for a in only_return["agencies"]] == ["SO-TP"]
    empty = ratings_report(start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31))
    assert empty["agencies"] == []
    assert empty["total"]["count"] == 0 and empty["total"]["average_overall"] is None
    assert empty["total"]["dossier_satisfaction_points"] == 0.0


def test_report_is_a_fixed_number_of_aggregate_queries(rated, django_assert_num_queries):
    """Four aggregates and the criteria labels, however many ratings there are."""
    with django_assert_num_queries(5):
        ratings_report(start=dt.date(2026, 3, 1), end=dt.date(2026, 4, 30))


def test_report_access(world, api_client, rated):
    def get(username: str, **params: str):
        return api_client.get(
            "/api/v1/ratings/report",
            {**MARCH, **params},
            headers={"Authorization": f"Bearer {world.token(username)}"},
        )

    own = get("demo-specialist")  # Sở Tư pháp staff: their agency only
    assert own.status_code == 200
    assert [a["agency"] for a in own.json()["agencies"]] == ["SO-TP"]
    assert get("demo-specialist", agency="TTPVHCC").status_code == 403
    assert get("demo-citizen").status_code == 403
    assert get("demo-reform", agency="TTPVHCC").json()["total"]["count"] == 1
    assert get("demo-reform", bogus="1").status_code == 400
    assert api_client.get("/api/v1/ratings/report", MARCH).status_code == 401
    backwards = get("demo-reform", **{"from": "2026-03-31", "to": "2026-03-01"})
    assert backwards.status_code == 400
