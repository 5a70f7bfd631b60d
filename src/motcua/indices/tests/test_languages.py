"""Index pages and exports are Vietnamese unless the reader chose English (the language
switch's cookie), and then English: no English names on Vietnamese pages, Excel headers in
one language, never "Mã / Code"."""

import io

import pytest
from django.conf import settings
from openpyxl import load_workbook

from motcua.indices.selectors import methodology_latest
from motcua.indices.services import assessment_open, score_appraise, score_self

pytestmark = pytest.mark.django_db

NAME_VI = "Chỉ số CCHC các sở, ban, ngành và UBND cấp xã thành phố Hải Phòng (mẫu)"
NAME_EN = "PAR Index of its departments and communes (sample)"
LEAF_VI = "Tỷ lệ hồ sơ giải quyết đúng hạn"


@pytest.fixture
def scored(world):
    m = methodology_latest("hp-departments")
    reform = world.user("demo-reform")
    for code, points in (("SO-TP", 3), ("SO-TC", 2)):
        a = assessment_open(methodology=m, year=2025, agency=world.agency(code))
        score_self(actor=reform, assessment=a, node_code="3.1.1", points=points + 1)
        score_appraise(actor=reform, assessment=a, node_code="3.1.1", points=points, reason="Thiếu")
    return m


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_ranking_page_in_vietnamese_then_english(scored, client):
    vi = client.get("/chi-so/?m=hp-departments&y=2025").content.decode()
    assert NAME_VI in vi and NAME_EN not in vi and "Sở, ban, ngành" in vi
    _english(client)
    en = client.get("/chi-so/?m=hp-departments&y=2025").content.decode()
    assert NAME_EN in en and "Administrative reform index" in en and "Departments" in en


def test_lost_points_page_names_in_the_readers_language(scored, client, world):
    client.force_login(world.user("demo-leader"))
    url = "/chi-so/mat-diem/SO-TP/?m=hp-departments&y=2025"
    vi = client.get(url).content.decode()
    lost_vi = vi.split('id="idx-lost"', 1)[1].split("</table>", 1)[0]
    assert LEAF_VI in lost_vi and "Dossiers finished on time" not in vi
    _english(client)
    en = client.get(url).content.decode()
    lost_en = en.split('id="idx-lost"', 1)[1].split("</table>", 1)[0]
    assert LEAF_VI not in lost_en and "Total lost" in en


def _headers(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return list(sheet.iter_rows(min_row=2, max_row=2, values_only=True))[0]


def test_excel_headers_follow_the_request_language(scored, client, world):
    client.force_login(world.user("demo-leader"))
    lost_url = "/chi-so/mat-diem/SO-TP.xlsx?m=hp-departments&y=2025"
    rank_url = "/chi-so/xep-hang.xlsx?methodology=hp-departments&year=2025"
    vi_lost, vi_rank = _headers(client.get(lost_url)), _headers(client.get(rank_url))
    assert vi_lost[:3] == ("Mã", "Tên", "Cấp") and vi_lost[8:] == ("Tổng điểm mất", "Ghi chú")
    assert not any("/" in h for h in vi_lost)
    assert vi_rank[:2] == ("Hạng", "Đơn vị")
    _english(client)
    en_lost, en_rank = _headers(client.get(lost_url)), _headers(client.get(rank_url))
    assert en_lost[:3] == ("Code", "Name", "Level") and en_lost[8:] == ("Total lost", "Note")
    assert en_rank[:2] == ("Rank", "Unit")
    sheet = load_workbook(io.BytesIO(client.get(lost_url).content)).active
    assert sheet is not None
    assert NAME_EN in str(sheet["A1"].value)


def test_external_page_has_no_english_name_in_vietnamese(world, client):
    from motcua.indices.external_import import EXTERNAL_DIR, external_import

    external_import((EXTERNAL_DIR / "haiphong.csv").read_text(encoding="utf-8"), source="t")
    vi = client.get("/chi-so/ben-ngoai/pci/").content.decode()
    assert "Provincial Competitiveness Index" not in vi
    _english(client)
    assert (
        "Provincial Competitiveness Index" in client.get("/chi-so/ben-ngoai/pci/").content.decode()
    )
