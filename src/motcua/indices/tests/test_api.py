"""The indices REST API: the contracts dashboards and other systems rely on."""

import pytest

pytestmark = pytest.mark.django_db


def _auth(world, username):
    return {"Authorization": f"Bearer {world.token(username)}"}


def _post(api_client, world, username, path, **body):
    return api_client.post(
        f"/api/v1/indices/{path}",
        body,
        content_type="application/json",
        headers=_auth(world, username),
    )


def test_methodology_list_is_public(world, api_client):
    response = api_client.get("/api/v1/indices/methodologies")
    assert response.status_code == 200
    rows = {m["code"]: m for m in response.json()}
    assert {"par-province-2017", "par-province-2022", "hp-departments"} <= set(rows)
    assert set(rows["par-province-2017"]) >= {"code", "name", "version"}


def test_methodology_tree(world, api_client):
    body = api_client.get("/api/v1/indices/methodologies/par-province-2017").json()
    assert body["version"] == "2017.1" and body["official"] is True
    assert [d["max_points"] for d in body["nodes"]] == [10, 10, 14.5, 11, 16, 7, 16, 15.5]
    first = body["nodes"][0]
    assert set(first) >= {"code", "name", "max_points", "children"}
    assert sum(c["max_points"] for c in first["children"]) == 10
    assert first["children"][0]["children"][0]["children"] == []


def test_unknown_methodology_is_404_with_both_languages(world, api_client):
    response = api_client.get("/api/v1/indices/methodologies/nope")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_methodology"
    assert response.json()["message_en"] == "There is no methodology “nope”."


def test_score_appraise_and_rank_through_the_api(world, api_client):
    # given the department self-assesses a leaf
    common = {"methodology": "hp-departments", "year": 2025, "agency": "SO-TP", "node": "1.1.1"}
    response = _post(api_client, world, "demo-leader", "scores/self", points="2.5", **common)
    assert response.status_code == 200, response.content
    assert response.json() == {
        "node": "1.1.1",
        "self_points": 2.5,
        "appraised_points": None,
        "reason": "",
    }
    # when the reform office cuts it without a reason, then with one
    refused = _post(api_client, world, "demo-reform", "scores/appraise", points="2", **common)
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    accepted = _post(
        api_client,
        world,
        "demo-reform",
        "scores/appraise",
        points="2",
        reason="Trễ 5 ngày",
        **common,
    )
    assert accepted.json()["appraised_points"] == 2
    # then the public ranking and the staff's lost-points table show it
    ranks = api_client.get("/api/v1/indices/rankings?methodology=hp-departments&year=2025")
    assert ranks.status_code == 200
    row = next(r for r in ranks.json() if r["subject"] == "SO-TP")
    assert row["points"] == 2 and row["rank"] == 1 and row["kind"] == "department"
    lost = api_client.get(
        "/api/v1/indices/lost-points?methodology=hp-departments&year=2025&subject=SO-TP",
        headers=_auth(world, "demo-leader"),
    )
    leaf = next(r for r in lost.json() if r["code"] == "1.1.1")
    assert (leaf["lost_self"], leaf["lost_appraisal"], leaf["lost_total"]) == (0, 0.5, 0.5)


def test_points_over_max_are_a_400(world, api_client):
    body = {"methodology": "hp-departments", "year": 2025, "agency": "SO-TP", "node": "1.1.1"}
    response = _post(api_client, world, "demo-leader", "scores/self", points="9", **body)
    assert response.status_code == 400
    assert response.json()["code"] == "points_out_of_range"


def test_lost_points_need_a_login_and_known_parameters(world, api_client):
    url = "/api/v1/indices/lost-points?methodology=hp-departments&year=2025&subject=SO-TP"
    assert api_client.get(url).status_code == 401
    bad = api_client.get("/api/v1/indices/rankings?methodology=hp-departments&year=2025&x=1")
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_parameter"


def test_what_if_returns_both_sides(world, api_client):
    common = {"methodology": "hp-departments", "year": 2025, "node": "1.1.1"}
    _post(api_client, world, "demo-reform", "scores/self", agency="SO-TP", points=2, **common)
    _post(api_client, world, "demo-reform", "scores/self", agency="SO-TC", points=1, **common)
    response = _post(
        api_client,
        world,
        "demo-reform",
        "what-if",
        methodology="hp-departments",
        year=2025,
        scores={"SO-TC": {"1.1.1": 2.5}},
    )
    assert response.status_code == 200, response.content
    rows = {r["subject"]: r for r in response.json()}
    assert rows["SO-TC"]["before"]["rank"] == 2 and rows["SO-TC"]["after"]["rank"] == 1


def test_only_staff_see_lost_points_and_only_the_reform_office_appraises(world, api_client):
    url = "/api/v1/indices/lost-points?methodology=hp-departments&year=2025&subject=SO-TP"
    response = api_client.get(url, headers=_auth(world, "demo-citizen"))
    assert response.status_code == 403 and response.json()["code"] == "staff_only"
    body = {"methodology": "hp-departments", "year": 2025, "agency": "SO-TP", "node": "1.1.1"}
    refused = _post(api_client, world, "demo-leader", "scores/appraise", points=1, **body)
    assert refused.status_code == 403 and refused.json()["code"] == "not_reform_office"


def test_rankings_query_count_does_not_grow_with_subjects(
    world, api_client, django_assert_max_num_queries
):
    """Scores are read with one query per table, not one per department."""
    from motcua.demo.indices import load_index_demo

    load_index_demo()
    with django_assert_max_num_queries(8):
        response = api_client.get("/api/v1/indices/rankings?methodology=hp-departments&year=2025")
    assert len(response.json()) == 14 + 114  # departments, wards and communes
