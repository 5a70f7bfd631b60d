"""Scoring: the agency self-assesses (with evidence), the reform office appraises; out-of-range
points, an unexplained adjustment or the wrong person are refused and nothing is saved."""

import copy
from decimal import Decimal

import pytest

from motcua.audit.models import Event
from motcua.common.errors import ApiError
from motcua.indices.methodology import methodology_store
from motcua.indices.models import Evidence, Score
from motcua.indices.selectors import leaf_points, ranking_table
from motcua.indices.services import assessment_open, score_appraise, score_self
from motcua.indices.tests.test_methodology import SMALL

pytestmark = pytest.mark.django_db

# a one-page PDF that a parser opens (uploads are parsed, not grepped)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
)


@pytest.fixture
def tiny(world):
    doc = copy.deepcopy(SMALL)
    methodology, _ = methodology_store(doc)
    return methodology


@pytest.fixture
def assessment(world, tiny):
    return assessment_open(methodology=tiny, year=2025, agency=world.agency("SO-TP"))


def test_self_score_with_evidence_and_audit_event(world, assessment):
    # when the department's leader claims 4 of 4 with a PDF
    score = score_self(
        actor=world.user("demo-leader"),
        assessment=assessment,
        node_code="D1.a",
        points="4",
        note="Kế hoạch số 12/KH",
        evidence=[("ke-hoach.pdf", PDF)],
    )
    # then
    assert score.self_points == Decimal("4.00") and score.self_by is not None
    assert score.self_by.username == "demo-leader"
    assert Evidence.objects.get(score=score).content_type == "application/pdf"
    event = Event.objects.filter(subject_type="index_score").latest("id")
    assert event.action == "score_self" and event.to_state == "4.00"


def test_appraisal_accepts_or_adjusts_with_a_reason(world, assessment):
    score_self(actor=world.user("demo-leader"), assessment=assessment, node_code="D1.a", points=4)
    reform = world.user("demo-reform")
    # accepting needs no reason
    assert score_appraise(
        actor=reform, assessment=assessment, node_code="D1.a", points=4
    ).appraised_points == Decimal(4)
    # adjusting does
    score = score_appraise(
        actor=reform, assessment=assessment, node_code="D1.a", points=3, reason="Thiếu minh chứng"
    )
    assert score.appraised_points == Decimal(3) and score.reason == "Thiếu minh chứng"
    event = Event.objects.filter(action="score_appraise").latest("id")
    assert (event.from_state, event.to_state, event.reason) == ("4.00", "3.00", "Thiếu minh chứng")


@pytest.mark.parametrize("points", ["-1", "4.01", "abc", "NaN"])
def test_points_outside_zero_to_max_are_refused(world, assessment, points):
    with pytest.raises(ApiError) as caught:
        score_self(
            actor=world.user("demo-leader"), assessment=assessment, node_code="D1.a", points=points
        )
    assert caught.value.code == "points_out_of_range"
    assert "0 and 4.00" in caught.value.message_en
    assert not Score.objects.filter(assessment=assessment).exists()


def test_appraisal_without_reason_saves_nothing(world, assessment):
    score_self(actor=world.user("demo-leader"), assessment=assessment, node_code="D1.a", points=4)
    events = Event.objects.count()
    with pytest.raises(ApiError) as caught:
        score_appraise(
            actor=world.user("demo-reform"), assessment=assessment, node_code="D1.a", points=2
        )
    assert caught.value.code == "reason_required"
    score = Score.objects.get(assessment=assessment, node__code="D1.a")
    assert score.appraised_points is None and Event.objects.count() == events


def test_appraisal_of_a_never_scored_leaf_without_reason_saves_nothing(world, assessment):
    with pytest.raises(ApiError):
        score_appraise(
            actor=world.user("demo-reform"), assessment=assessment, node_code="D1.b", points=1
        )
    assert not Score.objects.filter(assessment=assessment).exists()


def test_only_the_reform_office_appraises(world, assessment):
    with pytest.raises(ApiError) as caught:
        score_appraise(
            actor=world.user("demo-leader"),
            assessment=assessment,
            node_code="D1.a",
            points=4,
            reason="x",
        )
    assert caught.value.code == "not_reform_office" and caught.value.status == 403


def test_another_agency_cannot_self_assess(world, tiny):
    other = assessment_open(methodology=tiny, year=2025, agency=world.agency("SO-TC"))
    with pytest.raises(ApiError) as caught:
        score_self(actor=world.user("demo-leader"), assessment=other, node_code="D1.a", points=1)
    assert caught.value.code == "not_your_assessment"


def test_only_leaves_are_scored_and_bad_evidence_is_refused(world, assessment):
    leader = world.user("demo-leader")
    with pytest.raises(ApiError) as caught:
        score_self(actor=leader, assessment=assessment, node_code="D1", points=1)
    assert caught.value.code == "not_a_leaf"
    with pytest.raises(ApiError) as caught:
        score_self(
            actor=leader,
            assessment=assessment,
            node_code="D1.a",
            points=1,
            evidence=[("virus.pdf", b"MZ\x90\x00")],
        )
    assert caught.value.code == "file_type_mismatch"
    assert not Score.objects.filter(assessment=assessment).exists()


def test_rankings_from_stored_scores(world, tiny):
    """X = SO-TP 9, Y = SO-TC 8, Z = SO-XD 8 (the engine's example, stored and appraised)."""
    reform = world.user("demo-reform")
    plan = {
        "SO-TP": {"D1.a": 4, "D1.b": 2, "D2": 3},
        "SO-TC": {"D1.a": 3, "D1.b": 2, "D2": 3},
        "SO-XD": {"D1.a": 4, "D1.b": 1, "D2": 3},
    }
    for code, leaves in plan.items():
        a = assessment_open(methodology=tiny, year=2025, agency=world.agency(code))
        for leaf, points in leaves.items():
            score_self(actor=reform, assessment=a, node_code=leaf, points=points)
    # when
    table = {r["subject"]: r for r in ranking_table(tiny, 2025)}
    # then
    assert {s: r["rank"] for s, r in table.items()} == {"SO-TP": 1, "SO-TC": 2, "SO-XD": 2}
    assert table["SO-TP"]["percent"] == Decimal("90.00") and table["SO-TP"]["group"] == "A"
    assert table["SO-TC"]["group"] == "C"
    assert leaf_points(tiny, 2025)["SO-TP"]["D2"] == Decimal(3)
