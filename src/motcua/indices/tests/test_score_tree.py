"""One assessment's scores as a tree with reasons and evidence links, and uploading evidence
for a score through the API (checked by content; the agency's own staff or the reform office)."""

import pytest

from motcua.indices.models import Assessment, Evidence, Score
from motcua.indices.selectors import methodology_latest
from motcua.indices.services import (
    assessment_open,
    score_appraise,
    score_evidence_add,
    score_self,
)

pytestmark = pytest.mark.django_db

# a one-page PDF that a parser opens (uploads are parsed, not grepped)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
)


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 128, 0)).save(out, "PNG")
    return out.getvalue()


PNG = _png()  # a picture that decodes: photos are re-encoded, not just sniffed


@pytest.fixture
def score(world):
    """SO-TP 2025 on hp-departments: leaf 3.1.1 (max 6) self 4, appraised 3 with a reason."""
    m = methodology_latest("hp-departments")
    a = assessment_open(methodology=m, year=2025, agency=world.agency("SO-TP"))
    reform = world.user("demo-reform")
    score_self(actor=reform, assessment=a, node_code="3.1.1", points=4, note="Báo cáo quý")
    return score_appraise(
        actor=reform, assessment=a, node_code="3.1.1", points=3, reason="Thiếu biên bản"
    )


def test_tree_page_shows_points_reasons_and_evidence(score, client, world):
    [evidence] = score_evidence_add(
        actor=world.user("demo-leader"), score=score, files=[("bien-ban.pdf", PDF)]
    )
    url = f"/chi-so/{score.assessment_id}/cay-diem/"
    assert client.get(url).status_code == 302
    client.force_login(world.user("demo-citizen"))
    assert client.get(url).status_code == 403
    assert client.get(f"/chi-so/bang-chung/{evidence.pk}/").status_code == 403
    client.force_login(world.user("demo-leader"))
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'id="idx-tree"' in html and "<script" not in html
    assert "Lý do thẩm định: Thiếu biên bản" in html
    leaf = html.split('data-node="3.1.1"')[1].split("</li>")[0]
    assert "6,00" in leaf and "4,00" in leaf and "Thiếu biên bản" in leaf
    assert f'href="/chi-so/bang-chung/{evidence.pk}/"' in leaf and "bien-ban.pdf" in leaf
    domain = html.split('data-node="3"')[1].split("<ul")[0]
    # domain 3: max 20, self 4, appraised 3, lost 17
    assert [p in domain for p in ("20,00", "4,00", "3,00", "17,00")] == [True] * 4
    download = client.get(f"/chi-so/bang-chung/{evidence.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF


def test_upload_evidence_api(score, client, world):
    url = f"/api/v1/indices/scores/{score.pk}/evidence"
    client.force_login(world.user("demo-leader"))  # SO-TP's own leader
    response = client.post(url, {"file": [_file("anh.png", PNG), _file("bb.pdf", PDF)]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert [(e["name"], e["content_type"]) for e in body] == [
        ("anh.png", "image/png"),
        ("bb.pdf", "application/pdf"),
    ]
    assert Evidence.objects.filter(score=score).count() == 2
    # a file whose content is not what its name says is refused, nothing stored
    bad = client.post(url, {"file": [_file("ok.pdf", PDF), _file("fake.pdf", b"MZ\x90\x00")]})
    assert bad.status_code == 400 and Evidence.objects.filter(score=score).count() == 2
    assert client.post(url, {}).status_code in (400, 422)
    missing = client.post("/api/v1/indices/scores/999999/evidence", {"file": _file("a.pdf", PDF)})
    assert missing.status_code == 404


def test_upload_evidence_is_for_the_agency_or_the_reform_office(score, client, world):
    other = Assessment.objects.create(
        methodology=score.assessment.methodology, year=2025, agency=world.agency("SO-TC")
    )
    foreign = Score.objects.create(assessment=other, node=score.node, self_points=1)
    client.force_login(world.user("demo-leader"))  # SO-TP, not SO-TC
    url = f"/api/v1/indices/scores/{foreign.pk}/evidence"
    assert client.post(url, {"file": _file("a.pdf", PDF)}).status_code == 403
    client.force_login(world.user("demo-reform"))
    assert client.post(url, {"file": _file("a.pdf", PDF)}).status_code == 201
    client.force_login(world.user("demo-citizen"))
    assert client.post(url, {"file": _file("a.pdf", PDF)}).status_code in (401, 403)


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
