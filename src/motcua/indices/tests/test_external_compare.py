"""PCI/PAPI against peers: all provinces' median, the region's average and the leader, per
sub-index and overall, on the public page (with an SVG line chart) and in the API."""

import pytest

from motcua.indices.external_import import EXTERNAL_DIR, external_import

pytestmark = pytest.mark.django_db

HEADER = "index,province,year,component,score,rank\n"
PEERS = (
    "pci,22,2017,total,70.00,1\n"
    "pci,22,2017,transparency,7.00,\n"
    "pci,1,2017,total,62.00,30\n"
    "pci,1,2017,transparency,6.00,\n"
    "pci,79,2017,total,68.00,5\n"
    "pci,79,2017,transparency,6.50,\n"
)


@pytest.fixture
def haiphong(db):
    external_import((EXTERNAL_DIR / "haiphong.csv").read_text(encoding="utf-8"))


def test_api_compares_with_median_region_and_leader(haiphong, api_client):
    external_import(HEADER + PEERS)
    body = api_client.get("/api/v1/indices/external/pci/compare?province=31&year=2017").json()
    assert body["year"] == 2017 and body["peers"] == 3
    assert body["region"]["code"] == "red_river_delta"
    overall = body["overall"]
    # totals 65.15 (Hải Phòng), 70 (Quảng Ninh, same region), 62 (Hà Nội, same region), 68
    assert overall["score"] == 65.15 and overall["median"] == 66.58
    assert overall["region_average"] == 65.72 and overall["best"] == 70.0
    assert overall["best_province"] == 22 and overall["gap_to_best"] == 4.85
    row = next(r for r in body["rows"] if r["code"] == "transparency")
    assert (row["score"], row["median"], row["region_average"], row["best"]) == (
        5.73,
        6.25,
        6.24,
        7.0,
    )
    assert row["gap_to_best"] == 1.27
    # sub-indices without peers compare with Hải Phòng alone
    land = next(r for r in body["rows"] if r["code"] == "land_access")
    assert land["median"] == 5.86 and land["gap_to_best"] == 0
    assert [s["year"] for s in body["series"]] == list(range(2014, 2023))
    assert api_client.get("/api/v1/indices/external/xyz/compare").status_code == 404
    assert api_client.get("/api/v1/indices/external/papi/compare?province=1").status_code == 404


def test_page_shows_the_comparison_and_the_line_chart(haiphong, client):
    external_import(HEADER + PEERS)
    response = client.get("/chi-so/ben-ngoai/pci/?province=31&year=2017", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="idx-ext-compare"' in html and 'id="idx-ext-no-peers"' not in html
    total = html.split('data-component="total"')[1].split("</tr>")[0]
    for shown in ("65,15", "66,58", "65,72", "70,00", "4,85"):
        assert shown in total
    assert "Quảng Ninh" in total
    assert "Trung vị các tỉnh" in html and "Khoảng cách với tỉnh dẫn đầu" in html
    assert "So với 3 tỉnh khác" in html and "Đồng bằng sông Hồng" in html
    assert "<svg" in html and "<polyline" in html and "<script" not in html
    assert "2021: 70,61" in html  # the chart's text alternative lists every year


def test_page_without_peers_explains_what_to_import(haiphong, client):
    html = client.get("/chi-so/ben-ngoai/pci/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Chưa nhập số liệu của tỉnh nào khác cho năm 2022" in html
    assert 'id="idx-ext-no-peers"' in html and 'id="idx-ext-compare"' not in html
    assert "import-external" not in html and 'id="idx-ext-import"' not in html  # a citizen
    assert 'id="idx-ext-line"' in html and 'id="idx-ext-series"' in html
    assert client.get("/chi-so/ben-ngoai/nope/").status_code == 404


def test_illustrative_sample_passes_the_import_checks(haiphong):
    sample = EXTERNAL_DIR / "samples" / "pci-peers-ILLUSTRATIVE.csv"
    assert external_import(sample.read_text(encoding="utf-8"))["created"] == 110


def test_line_chart_axis_spans_round_numbers_around_the_scores():
    from decimal import Decimal

    from motcua.indices.views import line_chart

    chart = line_chart(
        [
            {"year": 2014, "score": Decimal("58.25"), "rank": 34},
            {"year": 2018, "score": None, "rank": 16},
            {"year": 2022, "score": Decimal("70.76"), "rank": 3},
        ]
    )
    assert (chart["start"], chart["end"]) == (55, 75)
    assert [t["label"] for t in chart["ticks"]] == [55, 60, 65, 70, 75]
    ys = [p["y"] for p in chart["points"]]
    assert all(16 <= y <= chart["axis_y"] for y in ys) and len(ys) == 2


def test_comparison_excel_export(haiphong, client):
    import io

    from openpyxl import load_workbook

    external_import(HEADER + PEERS)
    html = client.get("/chi-so/ben-ngoai/pci/?province=31&year=2017").content.decode()
    assert "/chi-so/ben-ngoai/pci.xlsx?province=31&amp;year=2017" in html
    response = client.get("/chi-so/ben-ngoai/pci.xlsx?province=31&year=2017")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Chỉ số thành phần" and rows[1][2] == "Trung vị các tỉnh"
    assert rows[-1] == ("Tổng", 65.15, 66.58, 65.72, 70.0, "Quảng Ninh", 4.85)
    assert client.get("/chi-so/ben-ngoai/nope.xlsx").status_code == 404
