"""Evidence uploaded from the score tree page: the same checks (content, not the name) and
permission (the assessed agency's own staff or the reform office) as the API upload; a
refused upload stores nothing and says why on the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.audit.models import Event
from motcua.common.tests.files import one_page_pdf, small_png
from motcua.indices.models import Evidence
from motcua.indices.selectors import methodology_latest
from motcua.indices.services import assessment_open, score_self

pytestmark = pytest.mark.django_db

PDF = one_page_pdf()


PNG = small_png()


@pytest.fixture
def score(world):
    assessment = assessment_open(
        methodology=methodology_latest("hp-departments"), year=2025, agency=world.agency("SO-TP")
    )
    return score_self(
        actor=world.user("demo-leader"), assessment=assessment, node_code="1.1.1", points=2
    )


def _tree(client, score):
    return client.get(f"/chi-so/{score.assessment_id}/cay-diem/").content.decode()


def test_the_agencys_staff_upload_evidence_on_the_score_tree(world, client, score):
    # given
    client.force_login(world.user("demo-specialist"))
    html = _tree(client, score)
    assert f'action="/chi-so/diem/{score.pk}/bang-chung/"' in html
    # when two files are sent through the page's form
    response = client.post(
        f"/chi-so/diem/{score.pk}/bang-chung/",
        {
            "file": [
                SimpleUploadedFile("bien-ban-hop.pdf", PDF),
                SimpleUploadedFile("anh-niem-yet.png", PNG),
            ]
        },
        follow=True,
    )
    # then both are stored, audited and listed on the leaf
    html = response.content.decode()
    assert response.status_code == 200 and 'id="idx-evidence-uploaded"' in html
    assert "Đã đính kèm 2 tệp minh chứng vào 1.1.1" in html
    assert set(Evidence.objects.values_list("name", flat=True)) == {
        "bien-ban-hop.pdf",
        "anh-niem-yet.png",
    }
    assert Event.objects.filter(action="score_evidence").count() == 1
    assert "bien-ban-hop.pdf" in html.split('data-node="1.1.1"', 1)[1]


def test_a_file_that_is_not_what_its_name_says_is_refused(world, client, score):
    client.force_login(world.user("demo-leader"))
    response = client.post(
        f"/chi-so/diem/{score.pk}/bang-chung/",
        {"file": SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf")},
    )
    html = response.content.decode()
    assert response.status_code == 400 and 'id="idx-evidence-error"' in html
    assert "không phải PDF, JPEG hoặc PNG" in html
    assert not Evidence.objects.exists()
    empty = client.post(f"/chi-so/diem/{score.pk}/bang-chung/", {})
    assert empty.status_code == 400 and "Chưa chọn tệp minh chứng" in empty.content.decode()


def test_other_agencies_see_no_form_and_cannot_upload(world, client, score):
    client.force_login(world.user("demo-desk"))
    assert 'class="reason idx-evidence-form"' not in _tree(client, score)
    refused = client.post(
        f"/chi-so/diem/{score.pk}/bang-chung/", {"file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert refused.status_code == 403 and not Evidence.objects.exists()
    client.force_login(world.user("demo-citizen"))
    assert client.post(f"/chi-so/diem/{score.pk}/bang-chung/").status_code == 403
    client.logout()
    assert client.post(f"/chi-so/diem/{score.pk}/bang-chung/").status_code == 302
    assert client.get(f"/chi-so/diem/{score.pk}/bang-chung/").status_code in (302, 405)
