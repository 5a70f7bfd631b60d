"""The dashboards as their users meet them: each role's home after login, the province and
agency dashboards for a period against the previous one, the records behind a number, the
period's reports, and what a user may not see."""

from __future__ import annotations

import datetime as dt
import io
import subprocess

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from motcua.dossiers.tests.test_lifecycle import at
from motcua.facts.tests.rows import dossier_row
from motcua.org.models import User

PASSWORD = "motcua-demo"


def last_month() -> dt.date:
    return timezone.localdate().replace(day=1) - dt.timedelta(days=1)


def _day(month: dt.date, day: int) -> str:
    return month.replace(day=day).isoformat()


@pytest.fixture
def finished(world):
    """Sở Tư pháp finished four dossiers last month, one of them late (with an apology) and
    one early; the month before, two, both on time."""
    tp = world.agency("SO-TP")
    month = last_month()
    before = month.replace(day=1) - dt.timedelta(days=1)
    rows = []
    for received, done, verdict, name in (
        (3, 6, "early", "Nguyễn Văn An"),
        (3, 10, "on_time", "Trần Thị Bích"),
        (4, 11, "on_time", "Lê Văn Cường"),
        (4, 20, "late", "Phạm Thị Dung"),
    ):
        rows.append(
            dossier_row(
                tp,
                _day(month, received),
                status="result_ready",
                applicant_name=name,
                due_at=at(_day(month, 12), "17:00"),
                finished_at=at(_day(month, done), "10:00"),
                verdict=verdict,
            )
        )
    for day in (5, 6):
        dossier_row(
            tp,
            _day(before, day),
            status="result_ready",
            due_at=at(_day(before, 20), "17:00"),
            finished_at=at(_day(before, 15), "10:00"),
            verdict="on_time",
        )
    return rows


def _login(client, world, username: str) -> User:
    user = world.user(username)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("username", "lands_on"),
    [
        ("demo-leader", "/dieu-hanh/SO-TP/"),
        ("demo-reform", "/dieu-hanh/"),
        ("demo-city", "/dieu-hanh/"),
        ("demo-desk", "/lam-viec/"),
        ("demo-specialist", "/lam-viec/"),
        ("demo-citizen", "/ca-nhan/"),
    ],
)
def test_each_role_lands_on_its_own_home_after_login(client, world, username, lands_on):
    user = world.user(username)
    user.set_password(PASSWORD)
    user.save()
    response = client.post("/login/", {"username": username, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == lands_on
    assert response.status_code == 200


def test_the_agency_dashboard_counts_last_month_against_the_month_before(client, world, finished):
    _login(client, world, "demo-leader")
    month = f"{last_month():%Y-%m}"
    response = client.get("/dieu-hanh/SO-TP/", {"period": month})
    assert response.status_code == 200
    figures = {f["code"]: f for f in response.context["figures"]}
    assert figures["finished"]["value"] == 4
    assert figures["finished"]["previous"] == 2
    assert figures["late"]["value"] == 25.0  # 1 of 4
    assert figures["late"]["previous"] == 0.0
    assert figures["late"]["better"] is False
    assert figures["early"]["numerator"] == 1
    # the late figure links to its records
    html = response.content.decode()
    assert f"/dieu-hanh/ho-so/?period={month}&amp;figure=late&amp;agency=SO-TP" in html
    # the metrics are ordered by points lost, each with what would recover them
    metrics = response.context["metrics"]
    assert [m["lost"] for m in metrics] == sorted((m["lost"] for m in metrics), reverse=True)
    on_time = next(m for m in metrics if m["code"] == "TDGQ.1")
    assert on_time["numerator"] == 3 and on_time["denominator"] == 4
    assert on_time["needed"] == 1  # one more dossier on time wins back all 5 points lost
    assert on_time["lost"] == 5.0


def test_the_late_figure_opens_the_late_dossiers_with_their_delay(client, world, finished):
    _login(client, world, "demo-leader")
    month = f"{last_month():%Y-%m}"
    response = client.get(
        "/dieu-hanh/ho-so/", {"period": month, "figure": "late", "agency": "SO-TP"}
    )
    assert response.status_code == 200
    rows = response.context["result"]["rows"]
    assert [r["code"] for r in rows] == [finished[3].code]
    assert rows[0]["applicant"] == "Phạm Thị Dung"
    assert rows[0]["delay_working_days"] > 0
    assert response.context["result"]["total"] == 1


def test_the_province_dashboard_ranks_every_department_and_commune(client, world, finished):
    _login(client, world, "demo-reform")
    response = client.get("/dieu-hanh/", {"period": f"{last_month():%Y-%m}"})
    assert response.status_code == 200
    departments = response.context["departments"]
    assert {r["agency"] for r in departments} >= {"SO-TP", "SO-NV"}
    assert all(r["previous_rank"] is not None for r in departments)
    tp = next(r for r in departments if r["agency"] == "SO-TP")
    assert tp["rank_change"] == tp["previous_rank"] - tp["rank"]
    assert response.context["communes"]
    finished_figure = next(f for f in response.context["figures"] if f["code"] == "finished")
    assert finished_figure["value"] >= 4
    assert len(response.context["trend"]) == 12
    assert response.context["trend"][-1]["finished"] == finished_figure["value"]


@pytest.mark.parametrize("period", ["2026-13", "năm ngoái", "2999", "2026-03-10..2026-03-01"])
def test_a_bad_period_is_a_clear_message(client, world, period):
    _login(client, world, "demo-reform")
    response = client.get("/dieu-hanh/", {"period": period})
    assert response.status_code == 400
    assert "Kỳ" in response.context["error_message"] or "kỳ" in response.context["error_message"]


def test_a_leader_may_not_see_another_agencys_dashboard(client, world):
    _login(client, world, "demo-leader")
    assert client.get("/dieu-hanh/SO-NV/").status_code == 403
    assert client.get("/dieu-hanh/KHONG-CO/").status_code == 404
    assert client.get("/dieu-hanh/").status_code == 403
    assert client.get("/dieu-hanh/ho-so/", {"figure": "late"}).status_code == 403
    assert client.get("/dieu-hanh/ho-so/", {"figure": "late", "agency": "SO-NV"}).status_code == 403
    assert client.get("/dieu-hanh/SO-NV/bao-cao.pdf").status_code == 403


def test_a_citizen_and_a_visitor_see_no_dashboard(client, world):
    assert client.get("/dieu-hanh/").status_code == 302
    _login(client, world, "demo-citizen")
    assert client.get("/dieu-hanh/").status_code == 403
    assert client.get("/dieu-hanh/SO-TP/").status_code == 403
    assert client.get("/lam-viec/").status_code == 403


def test_the_period_report_downloads_as_excel_and_pdf(client, world, finished, tmp_path):
    _login(client, world, "demo-leader")
    month = f"{last_month():%Y-%m}"
    xlsx = client.get("/dieu-hanh/SO-TP/bao-cao.xlsx", {"period": month})
    assert xlsx.status_code == 200
    assert f"bao-cao-SO-TP-{month}.xlsx" in xlsx["Content-Disposition"]
    book = load_workbook(io.BytesIO(xlsx.content))
    cover = book["Tổng hợp"]
    rows = {r[0]: r for r in cover.iter_rows(values_only=True) if r and r[0]}
    assert rows["Hồ sơ đã giải quyết"][1:3] == (4, 2)
    assert "Thủ tục trễ hạn" in book.sheetnames
    pdf = client.get("/dieu-hanh/SO-TP/bao-cao.pdf", {"period": month})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Sở Tư pháp" in text
    assert "Chỉ số phục vụ người dân, doanh nghiệp" in text
    assert "Biểu đồ" in text
