"""Saved what-if scenarios: validated against the methodology when saved, listed per year, and
two compared side by side with the actual (baseline) ranking."""

import pytest

from motcua.audit.models import Event
from motcua.common.errors import ApiError, PermissionDenied
from motcua.indices.models import Scenario
from motcua.indices.scenarios import scenario_compare, scenario_save
from motcua.indices.selectors import methodology_latest
from motcua.indices.services import assessment_open, score_self

pytestmark = pytest.mark.django_db


@pytest.fixture
def baseline(world):
    """SO-TP has 2 points on 1.1.1, SO-TC 1 point: SO-TP ranks 1st, SO-TC 2nd."""
    m = methodology_latest("hp-departments")
    reform = world.user("demo-reform")
    for code, points in (("SO-TP", 2), ("SO-TC", 1)):
        a = assessment_open(methodology=m, year=2025, agency=world.agency(code))
        score_self(actor=reform, assessment=a, node_code="1.1.1", points=points)
    return m


def _post(api_client, world, username, path, body):
    return api_client.post(
        f"/api/v1/indices/{path}",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {world.token(username)}"},
    )


def test_save_validates_and_audits(world, baseline):
    leader = world.user("demo-leader")
    common = {"actor": leader, "methodology": baseline, "year": 2025, "name": "A"}
    with pytest.raises(ApiError) as too_many:
        scenario_save(**common, scores={"SO-TC": {"1.1.1": 3}})  # max 2.5
    assert too_many.value.code == "points_out_of_range"
    with pytest.raises(ApiError) as not_leaf:
        scenario_save(**common, scores={"SO-TC": {"1.1": 1}})
    assert not_leaf.value.code == "not_a_leaf"
    with pytest.raises(ApiError) as empty:
        scenario_save(**common)
    assert empty.value.code == "empty_scenario"
    with pytest.raises(PermissionDenied):
        scenario_save(**{**common, "actor": world.user("demo-citizen")}, weights={"1": 20})
    assert not Scenario.objects.exists()
    scenario = scenario_save(**common, scores={"SO-TC": {"1.1.1": "2.5"}})
    assert scenario.overlay == {"scores": {"SO-TC": {"1.1.1": "2.5"}}, "weights": {}}
    assert Event.objects.filter(action="scenario_save", subject_id=str(scenario.pk)).exists()


def test_compare_two_scenarios_side_by_side(world, baseline):
    leader = world.user("demo-leader")
    # given A lifts SO-TC to 2.5 on 1.1.1 and B raises domain 1 to 24 points (×2)
    a = scenario_save(
        actor=leader,
        methodology=baseline,
        year=2025,
        name="SO-TC full plan",
        scores={"SO-TC": {"1.1.1": 2.5}},
    )
    b = scenario_save(
        actor=leader, methodology=baseline, year=2025, name="Domain 1 ×2", weights={"1": 24}
    )
    # when compared
    rows = {r["subject"]: r for r in scenario_compare(a, b)}
    # then A swaps the ranks, B keeps them with doubled points of 112
    assert rows["SO-TP"]["baseline"]["rank"] == 1 and rows["SO-TC"]["baseline"]["rank"] == 2
    assert rows["SO-TC"]["a"]["rank"] == 1 and rows["SO-TC"]["a"]["points"] == 2.5
    assert rows["SO-TC"]["b"]["rank"] == 2 and rows["SO-TC"]["b"]["points"] == 2
    assert rows["SO-TC"]["b"]["max_points"] == 112
    assert rows["SO-TP"]["rank_a_minus_b"] == 1  # 2nd in A, 1st in B


def test_scenarios_through_the_api(world, baseline, api_client):
    body = {"methodology": "hp-departments", "year": 2025}
    first = _post(
        api_client,
        world,
        "demo-reform",
        "scenarios",
        {**body, "name": "A", "scores": {"SO-TC": {"1.1.1": 2.5}}},
    )
    assert first.status_code == 201, first.content
    second = _post(
        api_client, world, "demo-reform", "scenarios", {**body, "name": "B", "weights": {"1": 24}}
    )
    refused = _post(
        api_client,
        world,
        "demo-reform",
        "scenarios",
        {**body, "name": "C", "scores": {"SO-TC": {"9.9": 1}}},
    )
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_node"
    auth = {"Authorization": f"Bearer {world.token('demo-leader')}"}
    listed = api_client.get(
        "/api/v1/indices/scenarios?methodology=hp-departments&year=2025", headers=auth
    )
    assert [s["name"] for s in listed.json()] == ["B", "A"]
    a, b = first.json()["id"], second.json()["id"]
    compared = api_client.get(f"/api/v1/indices/scenarios/compare?a={a}&b={b}", headers=auth)
    assert compared.status_code == 200, compared.content
    data = compared.json()
    assert data["a"]["name"] == "A" and data["b"]["name"] == "B"
    so_tc = next(r for r in data["rows"] if r["subject"] == "SO-TC")
    assert (so_tc["baseline"]["rank"], so_tc["a"]["rank"], so_tc["b"]["rank"]) == (2, 1, 2)
    citizen = {"Authorization": f"Bearer {world.token('demo-citizen')}"}
    forbidden = api_client.get(f"/api/v1/indices/scenarios/compare?a={a}&b={b}", headers=citizen)
    assert forbidden.status_code == 403
    missing = api_client.get(f"/api/v1/indices/scenarios/compare?a={a}&b=999999", headers=auth)
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_scenario"
