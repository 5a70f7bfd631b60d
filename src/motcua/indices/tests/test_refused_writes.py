"""A refused request changes nothing: every indices write endpoint answering 403 or 400 leaves
every indices table (and the audit log) as it was, and the public ranking never offers a year
that only refused requests touched."""

import pytest
from django.apps import apps

from motcua.audit.models import Event
from motcua.indices.selectors import methodology_latest
from motcua.indices.services import assessment_open, score_self

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _counts() -> dict[str, int]:
    counts = {
        m.__name__: m._default_manager.count() for m in apps.get_app_config("indices").get_models()
    }
    counts["Event"] = Event.objects.count()
    return counts


def _auth(world, username):
    return {"Authorization": f"Bearer {world.token(username)}"}


def _post(client, world, username, path, body):
    return client.post(
        f"/api/v1/indices/{path}",
        body,
        content_type="application/json",
        headers=_auth(world, username),
    )


SCORE = {"methodology": "par-province-2017", "year": 2099, "agency": "SO-XD", "node": "1"}
GOOD_YEAR = {"methodology": "hp-departments", "year": 2025, "agency": "SO-TP", "node": "1.1.1"}

REFUSED = [
    # (who, path, body, status, code)
    (
        "demo-specialist",
        "scores/self",
        {**SCORE, "points": 0},
        403,
        "not_your_assessment",
    ),
    ("demo-specialist", "scores/self", {**GOOD_YEAR, "points": 99}, 400, "points_out_of_range"),
    ("demo-specialist", "scores/self", {**GOOD_YEAR, "year": 2099, "points": 1}, 400, "bad_year"),
    (
        "demo-specialist",
        "scores/self",
        {**GOOD_YEAR, "node": "1.1", "points": 1},
        400,
        "not_a_leaf",
    ),
    ("demo-reform", "scores/self", {**GOOD_YEAR, "year": 2010, "points": 1}, 400, "bad_year"),
    ("demo-leader", "scores/appraise", {**SCORE, "points": 0}, 403, "not_reform_office"),
    ("demo-leader", "scores/appraise", {**GOOD_YEAR, "points": 1}, 403, "not_reform_office"),
    ("demo-reform", "scores/appraise", {**SCORE, "points": 0}, 400, "bad_year"),
    ("demo-reform", "scores/appraise", {**GOOD_YEAR, "points": -1}, 400, "points_out_of_range"),
    (
        "demo-reform",
        "scores/appraise",
        {**GOOD_YEAR, "points": 1},
        400,
        "reason_required",
    ),
    (
        "demo-citizen",
        "scenarios",
        {"methodology": "hp-departments", "year": 2025, "name": "Thử", "weights": {"1": 20}},
        403,
        "staff_only",
    ),
    (
        "demo-reform",
        "scenarios",
        {"methodology": "hp-departments", "year": 2099, "name": "Thử", "weights": {"1": 20}},
        400,
        "bad_year",
    ),
    (
        "demo-reform",
        "scenarios",
        {"methodology": "hp-departments", "year": 2025, "name": "Thử", "weights": {"9": 1}},
        400,
        "unknown_node",
    ),
]


@pytest.mark.parametrize(("who", "path", "body", "status", "code"), REFUSED)
def test_a_refused_score_or_scenario_changes_nothing(
    world, api_client, who, path, body, status, code
):
    # given
    before = _counts()
    # when
    response = _post(api_client, world, who, path, body)
    # then
    assert response.status_code == status, response.content
    assert response.json()["code"] == code
    assert response.json()["message"] and response.json()["message_en"]
    assert _counts() == before


@pytest.fixture
def tp_assessment(world):
    assessment = assessment_open(
        methodology=methodology_latest("hp-departments"), year=2025, agency=world.agency("SO-TP")
    )
    score_self(actor=world.user("demo-leader"), assessment=assessment, node_code="1.1.1", points=1)
    return assessment


def test_refused_compute_and_evidence_change_nothing(world, api_client, tp_assessment):
    # given
    score = tp_assessment.scores.get()
    before = _counts()
    # when a department computes, another agency's staff uploads, a bad file is sent
    compute = api_client.post(
        f"/api/v1/indices/assessments/{tp_assessment.pk}/compute",
        headers=_auth(world, "demo-leader"),
    )
    desk = api_client.post(
        f"/api/v1/indices/scores/{score.pk}/evidence",
        {"file": _file("bien-ban.pdf", PDF)},
        headers=_auth(world, "demo-desk"),
    )
    bad = api_client.post(
        f"/api/v1/indices/scores/{score.pk}/evidence",
        {"file": _file("bien-ban.pdf", b"MZ not a pdf")},
        headers=_auth(world, "demo-leader"),
    )
    # then
    assert compute.status_code == 403 and compute.json()["code"] == "not_reform_office"
    assert desk.status_code == 403 and desk.json()["code"] == "not_your_assessment"
    assert bad.status_code == 400
    assert _counts() == before


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_what_if_outside_the_methodology_years_is_a_400(world, api_client):
    response = _post(
        api_client,
        world,
        "demo-reform",
        "what-if",
        {"methodology": "par-province-2017", "year": 2099},
    )
    assert response.status_code == 400 and response.json()["code"] == "bad_year"
    assert "2017" in response.json()["message"] and "2017" in response.json()["message_en"]


def test_ranking_never_offers_a_year_without_real_scores(world, client):
    # given an assessment opened for 2099 that never got a score (what the fuzz run left)
    m = methodology_latest("hp-departments")
    assessment_open(methodology=m, year=2099, agency=world.agency("UBND-11311"))
    real = assessment_open(methodology=m, year=2025, agency=world.agency("SO-TP"))
    score_self(actor=world.user("demo-reform"), assessment=real, node_code="1.1.1", points=2)
    # when
    html = client.get("/chi-so/?m=hp-departments", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    # then the page opens on 2025 and offers no 2099
    assert "2099" not in html and 'data-subject="SO-TP"' in html
    assert 'data-subject="UBND-11311"' not in html
    assert client.get("/chi-so/?m=hp-departments&y=2099").status_code == 200
    assert "UBND-11311" not in client.get("/chi-so/?m=hp-departments&y=2099").content.decode()


def test_a_framework_ends_when_a_newer_one_of_its_scope_takes_effect(world, api_client):
    """PAR 2017 (Decision 2948) applies to 2017–2021: Decision 876 took effect in 2022."""
    before = _counts()
    response = _post(
        api_client,
        world,
        "demo-reform",
        "scores/self",
        {**SCORE, "agency": "SO-NV", "year": 2023, "points": 0},
    )
    assert response.status_code == 400 and response.json()["code"] == "bad_year"
    assert "2017–2021" in response.json()["message"]
    assert _counts() == before
