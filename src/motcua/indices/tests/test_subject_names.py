"""Staff read a unit's name, never its internal code (`SO-NNMT`), in a page's title, its
crumbs and the files it offers."""

import re

import pytest

from motcua.indices.selectors import methodology_latest
from motcua.indices.services import assessment_open, score_appraise, score_self

pytestmark = pytest.mark.django_db


@pytest.fixture
def agriculture_scored(world):
    # given: the Department of Agriculture and Environment self-assessed and appraised
    methodology = methodology_latest("hp-departments")
    reform = world.user("demo-reform")
    assessment = assessment_open(methodology=methodology, year=2025, agency=world.agency("SO-NNMT"))
    score_self(actor=reform, assessment=assessment, node_code="3.1.1", points=3)
    score_appraise(actor=reform, assessment=assessment, node_code="3.1.1", points=2, reason="Thiếu")
    return assessment


def _title_and_crumbs(html: str) -> str:
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    crumbs = html.split('<nav class="crumbs">', 1)[1].split("</nav>", 1)[0]
    heading = html.split("<h1>", 1)[1].split("</h1>", 1)[0]
    # what a reader sees: the text, not the links' addresses (those keep the code)
    return re.sub(r"<[^>]+>", "", f"{title} | {crumbs} | {heading}")


def test_lost_points_page_is_titled_with_the_departments_name(agriculture_scored, client, world):
    # given
    client.force_login(world.user("demo-leader"))
    name = world.agency("SO-NNMT").name
    # when
    html = client.get("/chi-so/mat-diem/SO-NNMT/?m=hp-departments&y=2025").content.decode()
    # then
    shown = _title_and_crumbs(html)
    assert name in shown and "SO-NNMT" not in shown
    assert "Sở Nông nghiệp và Môi trường" in name


def test_score_tree_crumbs_name_the_department(agriculture_scored, client, world):
    # given
    client.force_login(world.user("demo-reform"))
    # when
    html = client.get(f"/chi-so/{agriculture_scored.pk}/cay-diem/").content.decode()
    # then
    shown = _title_and_crumbs(html)
    assert world.agency("SO-NNMT").name in shown and "SO-NNMT" not in shown


def test_lost_points_workbook_is_titled_with_the_name(agriculture_scored, client, world):
    import io

    from openpyxl import load_workbook

    client.force_login(world.user("demo-leader"))
    response = client.get("/chi-so/mat-diem/SO-NNMT.xlsx?m=hp-departments&y=2025")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    title = str(sheet["A1"].value)
    assert world.agency("SO-NNMT").name in title and "SO-NNMT" not in title
