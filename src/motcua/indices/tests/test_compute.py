"""Computed leaves: assessment_compute turns each metric's ratio into points through the
leaf's bands, keeps the ratio and its source, audits it, and leaves manual leaves alone."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from motcua.audit.models import Event
from motcua.common.errors import PermissionDenied
from motcua.dossiers.services import (
    ActionData,
    ApplicantData,
    ReceiptData,
    dossier_act,
    dossier_receive,
)
from motcua.indices.models import Node, Score
from motcua.indices.selectors import methodology_latest
from motcua.indices.services import assessment_compute, assessment_open, score_self
from motcua.indices.tests.factories import at, dossier_row, petition_row

pytestmark = pytest.mark.django_db

# a one-page PDF that a parser opens (uploads are parsed, not grepped)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
)


@pytest.fixture
def assessment(world):
    return assessment_open(
        methodology=methodology_latest("hp-departments"), year=2025, agency=world.agency("SO-TP")
    )


def _score(assessment, code):
    return Score.objects.get(assessment=assessment, node__code=code)


def test_hp_departments_computed_leaves_have_registered_metrics(world):
    from motcua.indices.metrics import metric_get

    leaves = Node.objects.filter(
        methodology=methodology_latest("hp-departments"), rule_kind="computed"
    )
    assert leaves.count() >= 7
    assert all(metric_get(node.rule["metric"]) is not None for node in leaves)


def test_compute_fills_computed_leaves_through_bands(world, assessment):
    # given SO-TP finished 3 of 4 dossiers on time in 2025 (band 0.5–0.8 → 3 of 6 points),
    # received 4 online of 4 (≥ 0.95 → 5 of 5) and answered 1 petition of 1 on time
    tp = world.agency("SO-TP")
    for verdict in ("early", "on_time", "on_time", "late"):
        dossier_row(tp, channel="online", finished="2025-04-01", verdict=verdict)
    petition_row(tp, "2025-05-10", answered="2025-05-09")
    # and a manual leaf self-assessed beforehand
    score_self(actor=world.user("demo-leader"), assessment=assessment, node_code="1.1.1", points=2)
    # when the reform office computes
    result = assessment_compute(assessment=assessment, actor=world.user("demo-reform"))
    # then the ratios went through the bands
    on_time = _score(assessment, "3.1.1")
    assert on_time.computed_ratio == Decimal("0.75")
    assert on_time.self_points == on_time.appraised_points == Decimal("3")
    assert on_time.computed_source == "metric:dossiers_on_time"
    assert on_time.computed_at is not None
    assert _score(assessment, "6.1.1").appraised_points == Decimal("5")
    assert _score(assessment, "3.2.2").appraised_points == Decimal("6")
    assert result["3.1.1"]["points"] == Decimal("3")
    # a metric without data (no fees charged) leaves the leaf empty, with a note
    paid = _score(assessment, "6.1.2")
    assert paid.appraised_points is None and paid.computed_ratio is None
    assert "Không có dữ liệu" in paid.note
    # the manual leaf is untouched and survey leaves are not created
    assert _score(assessment, "1.1.1").self_points == Decimal("2")
    assert not Score.objects.filter(assessment=assessment, node__code="7.1.1").exists()
    # and every computed leaf has an audit event
    events = Event.objects.filter(
        action="score_compute", subject_id__startswith=f"{assessment.pk}:"
    )
    assert events.count() == len(result)
    assert events.get(subject_id=f"{assessment.pk}:3.1.1").payload["ratio"] == "0.7500"


def test_compute_again_follows_the_data(world, assessment):
    tp = world.agency("SO-TP")
    dossier_row(tp, finished="2025-04-01", verdict="late")
    assessment_compute(assessment=assessment, actor=None)
    assert _score(assessment, "3.1.1").appraised_points == Decimal("0")
    dossier_row(tp, finished="2025-04-02", verdict="early")
    assessment_compute(assessment=assessment, actor=None)
    score = _score(assessment, "3.1.1")
    assert score.computed_ratio == Decimal("0.5") and score.appraised_points == Decimal("3")


def test_only_the_reform_office_computes(world, assessment):
    with pytest.raises(PermissionDenied):
        assessment_compute(assessment=assessment, actor=world.user("demo-leader"))
    assert not Score.objects.filter(assessment=assessment).exists()


def test_compute_from_dossiers_walked_through_the_lifecycle(world, assessment):
    """The on-time ratio from real receipts and finishes (the lifecycle sets the verdict)."""
    desk = world.user("demo-desk")
    dossier = dossier_receive(
        actor=desk,
        data=ReceiptData(
            procedure_code="1.003179",
            channel="counter",
            applicant=ApplicantData(
                kind="person",
                name="Vũ Đức Anh",
                id_number="031190012345",
                phone="0912345678",
                email="citizen@example.vn",
                address="Số 12 Lạch Tray, Ngô Quyền, Hải Phòng",
            ),
        ),
        at=at("2025-03-03", "08:00"),
    )
    dossier_act(
        actor=desk,
        code=dossier.code,
        data=ActionData(
            action="finish",
            result_kind="electronic",
            result_file_name="ket-qua.pdf",
            result_file_content=PDF,
        ),
        at=at("2025-03-03", "10:00"),
    )
    assessment_compute(assessment=assessment, actor=world.user("demo-reform"))
    assert _score(assessment, "3.1.1").computed_ratio == Decimal("1")
    assert _score(assessment, "3.1.1").appraised_points == Decimal("6")
    assert _score(assessment, "6.2.2").appraised_points == Decimal("4")


def test_compute_api_is_for_the_reform_office(world, assessment, api_client):
    dossier_row(world.agency("SO-TP"), finished="2025-04-01", verdict="early")
    url = f"/api/v1/indices/assessments/{assessment.pk}/compute"

    def post(username):
        token = world.token(username)
        return api_client.post(url, headers={"Authorization": f"Bearer {token}"})

    assert post("demo-leader").status_code == 403
    response = post("demo-reform")
    assert response.status_code == 200, response.content
    rows = {row["node"]: row for row in response.json()}
    assert rows["3.1.1"] == {
        "node": "3.1.1",
        "ratio": 1.0,
        "points": 6.0,
        "note": rows["3.1.1"]["note"],
    }
    assert rows["6.1.2"]["points"] is None
    missing = api_client.post(
        "/api/v1/indices/assessments/999999/compute",
        headers={"Authorization": f"Bearer {world.token('demo-reform')}"},
    )
    assert missing.status_code == 404


def test_compute_command(world, assessment, capsys):
    dossier_row(world.agency("SO-TP"), finished="2025-04-01", verdict="early")
    call_command("indices_compute", year=2025)
    assert "1 assessments of 2025" in capsys.readouterr().out
    assert _score(assessment, "3.1.1").appraised_points == Decimal("6")
