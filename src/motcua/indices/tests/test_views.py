"""The /chi-so/ pages: the public ranking with its SVG chart, and a civil servant's lost-points
page and Excel export."""

import io

import pytest
from openpyxl import load_workbook

from motcua.indices.selectors import methodology_latest
from motcua.indices.services import assessment_open, score_appraise, score_self

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(world):
    """Two departments on hp-departments in 2024 and 2025 (one leaf each, the rest zero)."""
    m = methodology_latest("hp-departments")
    reform = world.user("demo-reform")
    for year, plan in ((2024, {"SO-TP": 1, "SO-TC": 2}), (2025, {"SO-TP": 3, "SO-TC": 2})):
        for code, points in plan.items():
            a = assessment_open(methodology=m, year=year, agency=world.agency(code))
            score_self(actor=reform, assessment=a, node_code="3.1.1", points=points + 1)
            score_appraise(
                actor=reform, assessment=a, node_code="3.1.1", points=points, reason="Thiếu"
            )
    return m


def test_ranking_page_is_public_with_table_and_svg_chart(scored, client):
    response = client.get("/chi-so/?m=hp-departments&y=2025", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chỉ số cải cách hành chính" in html
    assert "<svg" in html and "<rect" in html and "<script" not in html
    assert (
        'data-subject="SO-TP"' in html and "+2,00" in html
    )  # 1 → 3 points of 100, Vietnamese decimal comma
    assert "Chi tiết" not in html  # the lost-points link is for civil servants


def test_ranking_page_without_results(world, client):
    response = client.get("/chi-so/?m=par-province-2017")
    assert response.status_code == 200 and 'id="idx-empty"' in response.content.decode()
    assert client.get("/chi-so/?m=nope").status_code == 404


def test_subject_page_for_staff_only(scored, client, world):
    url = "/chi-so/mat-diem/SO-TP/?m=hp-departments&y=2025"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(world.user("demo-citizen"))
    assert client.get(url).status_code == 403
    client.force_login(world.user("demo-leader"))
    html = client.get(url).content.decode()
    assert 'id="idx-lost"' in html and 'id="idx-yoy"' in html and 'id="idx-moves"' not in html
    assert 'id="idx-pdf"' in html and "/bao-cao.pdf" in html and "Báo cáo năm (PDF)" in html


def test_lost_points_excel_export(scored, client, world):
    client.force_login(world.user("demo-reform"))
    response = client.get("/chi-so/mat-diem/SO-TC.xlsx?m=hp-departments&y=2025")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    leaf = next(r for r in rows if r[0] == "3.1.1")
    assert leaf[3:9] == (6, 3, 2, 3, 1, 4)  # max, self, appraised, lost self/appraisal/total


def test_subject_page_radar_against_the_kinds_average(scored, client, world):
    client.force_login(world.user("demo-leader"))
    html = client.get(
        "/chi-so/mat-diem/SO-TP/?m=hp-departments&y=2025", HTTP_ACCEPT_LANGUAGE="vi"
    ).content.decode()
    assert 'id="idx-radar"' in html and html.count('class="spoke"') == 7
    assert 'aria-describedby="idx-profile"' in html and "<script" not in html
    # domain 3 (max 20): SO-TP 3 points = 15 %, SO-TC 2 = 10 %, departments' average 12.5 %
    row = html.split('data-domain="3"')[1].split("</tr>")[0]
    assert "<td>20,00</td><td>3,00</td><td>15,00</td><td>12,50</td>" in row
    row = html.split('data-domain="1"')[1].split("</tr>")[0]
    assert "<td>0,00</td><td>0,00</td>" in row


@pytest.fixture
def spread_out(world):
    """Three departments in 2025, each with points in a different domain (close totals), so
    their ranks move when the domain weights vary."""
    m = methodology_latest("hp-departments")
    reform = world.user("demo-reform")
    for code, leaf, points in (
        ("SO-TP", "1.1.1", 2.5),
        ("SO-TC", "2.1.1", 3),
        ("SO-XD", "3.1.1", 2.75),
    ):
        a = assessment_open(methodology=m, year=2025, agency=world.agency(code))
        score_self(actor=reform, assessment=a, node_code=leaf, points=points)
    return m


def _uncertainty_rows(html: str) -> dict[str, list[str]]:
    table = html.split('id="idx-uncertainty-table-department"')[1].split("</table>")[0]
    rows = {}
    for chunk in table.split('<tr data-subject="')[1:]:
        subject = chunk.split('"')[0]
        rows[subject] = [c.split("</td>")[0] for c in chunk.split(">", 1)[1].split("<td")[1:]]
    return rows


def test_ranking_page_shows_rank_uncertainty_from_the_seeded_engine(spread_out, client):
    from motcua.indices import engine, selectors

    response = client.get("/chi-so/?m=hp-departments&y=2025", HTTP_ACCEPT_LANGUAGE="vi")
    html = response.content.decode()
    assert 'id="idx-uncertainty-department"' in html and "<script" not in html
    assert html.count('class="range"') == 3 and html.count('class="median"') == 3
    assert "±20 %" in html and "300" in html and "2025" in html
    expected = engine.monte_carlo_ranks(
        selectors.engine_nodes(spread_out),
        selectors.leaf_points(spread_out, 2025),
        runs=300,
        spread=0.2,
        seed=2025,
    )
    rows = _uncertainty_rows(html)
    actual = {"SO-TC": "1", "SO-XD": "2", "SO-TP": "3"}
    assert set(rows) == set(actual)
    for subject, cells in rows.items():
        e = expected[subject]
        assert cells[1].endswith(actual[subject])
        assert cells[2].endswith(str(e["median"]))
        assert cells[3].endswith(f"{e['p5']}–{e['p95']}")
    assert any(e["p5"] != e["p95"] for e in expected.values())  # the ranks do move
    again = client.get("/chi-so/?m=hp-departments&y=2025", HTTP_ACCEPT_LANGUAGE="vi")
    assert _uncertainty_rows(again.content.decode()) == rows  # same seed, same numbers


def test_ranking_excel_export(spread_out, client):
    html = client.get("/chi-so/?m=hp-departments&y=2025").content.decode()
    assert (
        "/chi-so/xep-hang.xlsx?methodology=hp-departments&amp;year=2025&amp;kind=department" in html
    )
    response = client.get(
        "/chi-so/xep-hang.xlsx?methodology=hp-departments&year=2025&kind=department"
    )
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:6] == ("Hạng", "Đơn vị", "Mã", "Điểm", "Chỉ số (%)", "Xếp loại")
    first = rows[2]
    assert first[0] == 1 and first[2] == "SO-TC" and first[3] == 3 and first[4] == 3
    assert all(isinstance(v, int) for v in first[8:11])  # median, 5 %, 95 % ranks
    assert len(rows) == 5
    assert client.get("/chi-so/xep-hang.xlsx?methodology=nope").status_code == 404
    assert client.get("/chi-so/xep-hang.xlsx?year=2025&kind=x%22y").status_code == 404
    whole = client.get("/chi-so/xep-hang.xlsx?methodology=hp-departments&year=2025")
    whole_sheet = load_workbook(io.BytesIO(whole.content)).active
    assert whole_sheet is not None and len(list(whole_sheet.iter_rows())) == 5
    assert (
        client.get("/chi-so/xep-hang.xlsx?methodology=hp-departments&year=1990").status_code == 404
    )
