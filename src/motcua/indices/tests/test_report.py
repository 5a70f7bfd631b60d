"""The PDF report of a subject's year: read back with pdftotext, the Vietnamese text, totals,
rank, domain table and year-over-year change are what a leader would check."""

import subprocess

import pytest

from motcua.indices.selectors import methodology_latest
from motcua.indices.services import assessment_open, score_appraise, score_self

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(world):
    """SO-TP: 2024 3.1.1 = 1; 2025 3.1.1 self 5 → appraised 4, 1.1.1 = 2.5. SO-TC 2025: 2."""
    m = methodology_latest("hp-departments")
    reform = world.user("demo-reform")
    plan: dict[tuple[int, str], dict[str, tuple[float, float]]] = {
        (2024, "SO-TP"): {"3.1.1": (1, 1)},
        (2025, "SO-TP"): {"3.1.1": (5, 4), "1.1.1": (2.5, 2.5)},
        (2025, "SO-TC"): {"3.1.1": (2, 2)},
    }
    found = {}
    for (year, code), leaves in plan.items():
        a = assessment_open(methodology=m, year=year, agency=world.agency(code))
        for leaf, (claimed, accepted) in leaves.items():
            score_self(actor=reform, assessment=a, node_code=leaf, points=claimed)
            score_appraise(
                actor=reform, assessment=a, node_code=leaf, points=accepted, reason="Thiếu"
            )
        found[(year, code)] = a
    return found


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(  # fixed argv, our own file
        ["pdftotext", "-layout", str(path), "-"],  # poppler on PATH
        capture_output=True,
        check=True,
        text=True,
    )
    return " ".join(result.stdout.split())


def test_pdf_report_of_a_year(scored, client, world, tmp_path):
    # given a civil servant
    client.force_login(world.user("demo-leader"))
    # when they download SO-TP's 2025 report
    response = client.get(f"/chi-so/{scored[(2025, 'SO-TP')].pk}/bao-cao.pdf")
    # then it is a PDF whose text reads in Vietnamese
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _text(response.content, tmp_path)
    assert "BÁO CÁO KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025" in text
    assert "Tổng điểm: 6,5/100" in text
    assert "Chỉ số: 6,5%" in text
    assert "Xếp loại: nhóm D" in text
    assert "Xếp hạng: 1/2" in text
    # the domain table: procedure reform, max 20, self 5, appraised 4, lost 16
    assert "Cải cách thủ tục hành chính 20 5 4 16" in text
    assert "Tổng cộng 100 7,5 6,5 93,5" in text
    assert "Các tiêu chí mất nhiều điểm nhất" in text
    # year over year: 1 % → 6.5 %, domain 3 gave +3 and domain 1 +2.5
    assert "Chỉ số năm 2024: 1% → năm 2025: 6,5% (thay đổi +5,5 điểm phần trăm)" in text
    assert "+3" in text and "+2,5" in text


def test_pdf_report_without_a_previous_year(scored, client, world, tmp_path):
    client.force_login(world.user("demo-reform"))
    response = client.get(f"/chi-so/{scored[(2025, 'SO-TC')].pk}/bao-cao.pdf")
    text = _text(response.content, tmp_path)
    assert "Xếp hạng: 2/2" in text
    assert "Chưa có kết quả năm 2024 để so sánh." in text


def test_pdf_report_is_for_civil_servants(scored, client, world):
    url = f"/chi-so/{scored[(2025, 'SO-TP')].pk}/bao-cao.pdf"
    assert client.get(url).status_code == 302
    client.force_login(world.user("demo-citizen"))
    assert client.get(url).status_code == 403
    client.force_login(world.user("demo-reform"))
    assert client.get("/chi-so/999999/bao-cao.pdf").status_code == 404


def test_pdf_report_of_a_ward_ranks_it_among_wards_in_vietnamese(world, client, tmp_path):
    # given the demo (wards ranked apart from communes) and an English-reading civil servant
    from django.conf import settings

    from motcua.demo.indices import load_index_demo
    from motcua.indices.models import Assessment

    load_index_demo()
    ward = Assessment.objects.get(year=2025, agency__code="UBND-11311")  # Phường Hồng Bàng
    client.force_login(world.user("demo-reform"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # when
    text = _text(client.get(f"/chi-so/{ward.pk}/bao-cao.pdf").content, tmp_path)
    # then the printed report stays Vietnamese and ranks the ward among the 45 wards
    assert "Xếp hạng: 1/45 (phường)" in text and "Chỉ số: 95,8%" in text
    assert "Directing and managing reform" not in text
