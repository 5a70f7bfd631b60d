"""A computed leaf whose metric has no data for the year stays "no data": computing a year
without dossiers never turns it into 0 points unnoticed, and the staff's pages and the
public ranking say which leaves have no data and why."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command

from motcua.indices.selectors import methodology_latest
from motcua.indices.services import assessment_open, score_appraise, score_self

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed_without_data(world):
    """SO-TP on hp-departments 2025: one manual leaf scored, then `indices-compute` run on a
    year with no dossiers, petitions or ratings at all."""
    reform = world.user("demo-reform")
    assessment = assessment_open(
        methodology=methodology_latest("hp-departments"), year=2025, agency=world.agency("SO-TP")
    )
    score_self(actor=reform, assessment=assessment, node_code="1.1.1", points=2)
    score_appraise(actor=reform, assessment=assessment, node_code="1.1.1", points=2)
    call_command("indices_compute", year=2025, stdout=open("/dev/null", "w"))  # noqa: SIM115
    return assessment


def _leaf_line(html: str, code: str) -> str:
    match = re.search(rf'<li data-node="{re.escape(code)}"[^>]*>(.*?)</li>', html, re.S)
    assert match, code
    return match.group(1)


def test_score_tree_says_no_data_and_why(computed_without_data, client, world):
    # when
    client.force_login(world.user("demo-leader"))
    html = client.get(
        f"/chi-so/{computed_without_data.pk}/cay-diem/", HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    # then the on-time leaf says "no data" and names the metric and the year, not 0,00
    line = _leaf_line(html, "3.1.1")
    assert "Không có dữ liệu" in line and "0,00" not in line.split("max")[-1]
    assert "Hồ sơ giải quyết sớm, đúng hạn" in line and "2025" in line
    assert "no data" not in html  # the Vietnamese page says it in Vietnamese only
    # and the manual leaf keeps its points
    assert "2,00" in _leaf_line(html, "1.1.1")


def test_subject_page_lists_leaves_without_data(computed_without_data, client, world):
    client.force_login(world.user("demo-leader"))
    html = client.get(
        "/chi-so/mat-diem/SO-TP/?m=hp-departments&y=2025", HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    section = html.split('id="idx-no-data"', 1)[1].split("</table>", 1)[0]
    assert section.count("<tr data-node=") == 7  # the seven computed leaves
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn" in section
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/chi-so/mat-diem/SO-TP/?m=hp-departments&y=2025").content.decode()
    assert "No data" in english.split('id="idx-no-data"', 1)[1]


def test_public_ranking_marks_a_total_with_leaves_without_data(computed_without_data, client):
    html = client.get("/chi-so/?m=hp-departments&y=2025", HTTP_ACCEPT_LANGUAGE="vi").content
    row = html.decode().split('data-subject="SO-TP"', 1)[1].split("</tr>", 1)[0]
    assert "7 tiêu chí chưa có dữ liệu" in row


def test_lost_points_excel_says_no_data_instead_of_zero(computed_without_data, client, world):
    import io

    from openpyxl import load_workbook

    client.force_login(world.user("demo-leader"))
    response = client.get("/chi-so/mat-diem/SO-TP.xlsx?m=hp-departments&y=2025")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    on_time = rows["3.1.1"]
    assert on_time[3] == 6 and on_time[4:9] == (None,) * 5
    note = on_time[9]
    assert isinstance(note, str) and note.startswith("Không có dữ liệu: ") and "2025" in note
    assert rows["1.1.1"][4] == 2 and rows["1.1.1"][9] is None
