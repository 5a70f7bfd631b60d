"""Content completeness (Decision 766, "content complete"): the required parts are data; the
demo's online procedures state them all, and every other procedure is listed with its gaps."""

import pytest

from motcua.catalog.completeness import (
    CompletenessFilters,
    completeness_report,
    completeness_rows,
    required_parts,
)
from motcua.common.errors import ApiError
from motcua.demo.catalog import _online_services

pytestmark = pytest.mark.django_db


def test_online_demo_procedures_have_complete_content(world):
    report = completeness_report(filters=CompletenessFilters(state="complete"), page_size=200)
    complete = {item.procedure.code for item in report.items}
    assert set(_online_services()) <= complete
    vet = world.procedure("1.004756")
    assert vet.steps.count() == 3 and "79/2015/QH13" in vet.legal_basis
    assert vet.documents.exclude(template="").exists()
    assert vet.conditions and vet.result_description


def test_other_procedures_are_listed_with_what_they_lack(world):
    parts = [p.code for p in required_parts()]
    assert parts[:2] == ["documents", "steps"] and "legal_basis" in parts
    report = completeness_report(filters=CompletenessFilters(), page_size=20)
    assert report.total == 243 and report.complete >= 6
    assert report.incomplete == report.total - report.complete
    assert len(report.items) == 20 and report.pages == -(-report.matching // 20)
    missing_steps = completeness_report(filters=CompletenessFilters(missing="steps"))
    assert missing_steps.matching == next(p.missing for p in report.parts if p.part.code == "steps")
    assert all("steps" in [m.code for m in item.missing] for item in missing_steps.items)
    rows = completeness_rows(filters=CompletenessFilters(state="incomplete"))
    assert len(rows) == report.incomplete and all(row.missing for row in rows)


def test_an_unknown_part_is_a_clear_error(world):
    with pytest.raises(ApiError) as error:
        completeness_report(filters=CompletenessFilters(missing="colour"))
    assert error.value.code == "unknown_part" and "colour" in error.value.message


# The report as people meet it: the page, its Excel export and the API.

PAGE = "/thu-tuc/day-du/"
API = "/api/v1/procedures/completeness"


def test_page_shows_the_share_complete_and_what_each_procedure_lacks(world, client):
    # given
    report = completeness_report(filters=CompletenessFilters())
    # when
    response = client.get(PAGE)
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mức độ đầy đủ nội dung thủ tục" in html
    assert 'role="progressbar"' in html
    percent = round(report.complete_ratio * 100, 1)
    assert f"width: {percent}%" in html
    first = report.items[0]
    assert f"/thu-tuc/{first.procedure.code}/" in html
    assert first.missing[0].vi in html
    assert html.count("<tr>") >= 50  # a page of 50 rows besides the per-part table
    assert 'rel="next"' in html


def test_page_filters_by_agency_and_missing_part(world, client):
    # given: the agency handling the online veterinary procedure
    agency = world.procedure("1.004756").competent_agency
    expected = completeness_report(
        filters=CompletenessFilters(agency_code=agency.code, missing="legal_basis")
    )
    # when
    response = client.get(PAGE, {"agency": agency.code, "missing": "legal_basis"})
    # then
    html = response.content.decode()
    assert f'<option value="{agency.code}" selected>{agency.name}</option>' in html
    shown = {item.procedure.code for item in response.context["report"].items}
    assert shown == {item.procedure.code for item in expected.items}
    assert all(item.procedure.competent_agency_id == agency.pk for item in expected.items)
    assert "1.004756" not in shown  # its content is complete


def test_page_links_from_the_catalog_and_the_staff_menu(world, client):
    # given
    client.force_login(world.user("demo-reform"))
    # when
    html = client.get("/thu-tuc/").content.decode()
    # then
    assert html.count('href="/thu-tuc/day-du/"') >= 2  # the catalog page and the account menu


def test_excel_export_has_vietnamese_headers_and_every_matching_row(world, client):
    from io import BytesIO

    from openpyxl import load_workbook

    # given
    expected = completeness_rows(filters=CompletenessFilters(missing="steps"))
    # when
    response = client.get(PAGE + "excel/", {"missing": "steps"})
    # then
    assert response.status_code == 200
    assert "muc-do-day-du" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [str(cell.value) for cell in sheet[1]]
    assert header[:3] == ["STT", "Mã thủ tục", "Tên thủ tục"]
    assert "Trình tự thực hiện" in header
    assert not any("/" in h or "Code" in h for h in header)
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in rows] == [gap.procedure.code for gap in expected]
    steps = header.index("Trình tự thực hiện")
    assert all(row[steps] == "Thiếu" for row in rows)
    about = {row[0]: row[1] for row in book["Thông tin"].iter_rows(values_only=True)}
    assert "Trình tự thực hiện" in str(about["Điều kiện lọc"])


def test_api_pages_the_report_like_the_other_lists(world, api_client):
    # given
    report = completeness_report(filters=CompletenessFilters(state="incomplete"))
    # when
    body = api_client.get(API, {"state": "incomplete", "page_size": 10, "page": 2}).json()
    # then
    assert body["total"] == report.matching == report.incomplete
    assert body["page"] == 2 and body["page_size"] == 10 and len(body["items"]) == 10
    assert body["pages"] == -(-report.matching // 10)
    assert body["summary"]["procedures"] == report.total
    assert body["summary"]["complete_percent"] == round(report.complete_ratio * 100, 1)
    item = body["items"][0]
    assert not item["complete"] and item["missing"]
    assert item["url"] == f"/thu-tuc/{item['code']}/"
    assert {"code", "name"} == set(item["missing"][0])


def test_api_names_parts_in_the_requested_language(world, api_client):
    vi = api_client.get(API, {"missing": "steps"}, headers={"Accept-Language": "vi"}).json()
    en = api_client.get(API, {"missing": "steps"}, headers={"Accept-Language": "en"}).json()
    assert vi["items"][0]["missing"][0]["name"] != en["items"][0]["missing"][0]["name"]
    assert "Trình tự thực hiện" in [p["name"] for p in vi["summary"]["parts"]]


@pytest.mark.parametrize(
    ("params", "code"),
    [({"colour": "red"}, "unknown_parameter"), ({"missing": "colour"}, "unknown_part")],
)
def test_api_refuses_unknown_params_and_parts_in_both_languages(world, api_client, params, code):
    # when
    response = api_client.get(API, params)
    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code
    assert body["message"] and body["message_en"] and body["message"] != body["message_en"]


def test_api_is_documented(world, api_client):
    spec = api_client.get("/api/v1/openapi.json").json()
    operation = spec["paths"]["/api/v1/procedures/completeness"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"agency", "missing", "page"}


def test_catalog_export_speaks_vietnamese_only_in_its_headers(world, client):
    from io import BytesIO

    from openpyxl import load_workbook

    # when
    book = load_workbook(BytesIO(client.get("/api/v1/procedures/export.xlsx").content))
    # then
    headers = [str(cell.value) for sheet in book.worksheets for cell in sheet[1]]
    assert book.sheetnames == ["Thủ tục hành chính", "Hướng dẫn"]
    assert "Mã thủ tục" in headers
    assert not any(" / " in h for h in headers)


def test_a_procedure_page_says_what_it_does_not_publish_yet(world, client):
    # given: a procedure listed as lacking its steps
    gap = completeness_report(filters=CompletenessFilters(missing="steps")).items[0]
    # when
    html = client.get(f"/thu-tuc/{gap.procedure.code}/").content.decode()
    vet = client.get("/thu-tuc/1.004756/").content.decode()
    # then
    note = html.split('id="content-missing"', 1)[1].split("</p>", 1)[0]
    assert "Trình tự thực hiện" in note and 'href="/thu-tuc/day-du/"' in note
    assert 'id="content-missing"' not in vet  # complete content
