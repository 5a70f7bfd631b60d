"""In Chromium: Sở Tư pháp's leader logs in and lands on the agency dashboard, follows the late
figure to the late dossiers with their delay, downloads the period's Excel and PDF reports, and
the charts are drawn by the vendored Chart.js with nothing fetched from another host."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from motcua.dashboards.geo import boundaries_import
from motcua.dossiers.tests.test_lifecycle import at
from motcua.facts.tests.rows import dossier_row

pytestmark = pytest.mark.browser

PASSWORD = "motcua-demo"
LOOPBACK = {"127.0.0.1", "localhost"}


def test_a_leader_follows_the_late_figure_and_downloads_the_reports(page: Page, world):
    # given Sở Tư pháp finished three dossiers this quarter, one of them late
    tp = world.agency("SO-TP")
    today = timezone.localdate()
    first = today.replace(day=1, month=(today.month - 1) // 3 * 3 + 1)
    day = first.isoformat()
    due = at(day, "17:00") + dt.timedelta(days=1)
    late = None
    for hours, name in ((-3, "Nguyễn Văn An"), (-2, "Trần Thị Bích"), (30, "Phạm Thị Dung")):
        dossier = dossier_row(
            tp, day, status="result_ready", applicant_name=name, due_at=due,
            finished_at=due + dt.timedelta(hours=hours),
            verdict="late" if hours > 0 else "on_time",
        )  # fmt: skip
        late = dossier if hours > 0 else late
    leader = world.user("demo-leader")
    leader.set_password(PASSWORD)
    leader.save()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
    # when the leader logs in
    page.goto("/login/")
    page.fill("#id_username", "demo-leader")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    # then the agency dashboard opens, its charts drawn
    page.wait_for_url("**/dieu-hanh/SO-TP/")
    expect(page.locator("h1")).to_have_text("Sở Tư pháp")
    late_link = page.locator('[data-figure-link="late"]')
    expect(late_link).to_contain_text("33,3 %")
    page.wait_for_function(
        "() => document.querySelectorAll('canvas[data-chart]').length > 0 && "
        "[...document.querySelectorAll('canvas[data-chart]')].every(c => c.width > 0 && "
        "Chart.getChart(c) !== undefined)"
    )
    # and the late figure opens the late dossier with its delay
    late_link.click()
    page.wait_for_url("**/dieu-hanh/ho-so/**")
    rows = page.locator("#dash-records tbody tr")
    expect(rows).to_have_count(1)
    assert late is not None
    expect(rows.first).to_have_attribute("data-dossier", late.code)
    expect(rows.first).to_contain_text("Phạm Thị Dung")
    page.go_back()
    # and the period's reports download from the page
    with page.expect_download() as excel:
        page.locator("#dash-report-xlsx").click()
    book = load_workbook(io.BytesIO(Path(excel.value.path()).read_bytes()))
    assert "Tổng hợp" in book.sheetnames
    with page.expect_download() as pdf:
        page.locator("#dash-report-pdf").click()
    assert Path(pdf.value.path()).read_bytes()[:4] == b"%PDF"
    assert excel.value.suggested_filename.startswith("bao-cao-SO-TP-")
    assert hosts <= LOOPBACK


def _square(lon: float, lat: float, half: float = 0.01) -> list[list[list[float]]]:
    return [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
             [lon - half, lat + half], [lon - half, lat - half]]]  # fmt: skip


def test_the_reform_office_sees_the_communes_coloured_on_the_map(page: Page, world):
    # given the province imported two wards' boundaries (a small file made here)
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"ma_xa": "11383", "ten_xa": "Phường Lê Chân"},
             "geometry": {"type": "Polygon", "coordinates": _square(106.675, 20.850)}},
            {"type": "Feature", "properties": {"ma_xa": "11341", "ten_xa": "Phường Ngô Quyền"},
             "geometry": {"type": "Polygon", "coordinates": _square(106.700, 20.860)}},
        ],
    }  # fmt: skip
    assert boundaries_import(json.dumps(geojson).encode()) == 2
    reform = world.user("demo-reform")
    reform.set_password(PASSWORD)
    reform.save()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
    # when the reform office logs in
    page.goto("/login/")
    page.fill("#id_username", "demo-reform")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/dieu-hanh/")
    # then both wards are drawn, filled with their grade's colour, with no tile server
    expect(page.locator("#dash-map")).to_have_attribute("data-drawn", "2")
    fills = page.eval_on_selector_all(
        "#dash-map path.leaflet-interactive", "paths => paths.map(p => p.getAttribute('fill'))"
    )
    assert len(fills) == 2 and all(f and f != "#cccccc" for f in fills)
    expect(page.locator('#dash-rank-communes tr[data-agency="UBND-11383"]')).to_be_visible()
    assert hosts <= LOOPBACK
