"""Excel import and export: the format agencies exchange; a bad file changes nothing."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from motcua.catalog.models import CatalogEvent, Procedure
from motcua.catalog.rows import COLUMNS

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(rows, header=None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header or [c.vi for c in COLUMNS[:6]])
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(client, token, content: bytes, name="catalog.xlsx"):
    return client.post(
        "/api/v1/procedures/import",
        {"file": SimpleUploadedFile(name, content, content_type=XLSX)},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_export_then_import_changes_nothing(world, api_client):
    """A round trip through Excel is lossless: the import reports every row unchanged."""
    # given
    exported = api_client.get("/api/v1/procedures/export.xlsx")
    assert exported.status_code == 200
    assert exported["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(exported.content)).active
    assert sheet is not None
    assert sheet["A1"].value == "Mã thủ tục" and sheet.max_row == 244
    events_before = CatalogEvent.objects.count()
    # when
    response = _upload(api_client, world.token("admin"), exported.content)
    # then
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 0, "amended": 0, "abolished": 0, "unchanged": 243}
    assert CatalogEvent.objects.count() == events_before


def test_import_creates_and_amends_with_events(world, api_client):
    """New codes are announced, changed ones amended (version bumped), each with an event."""
    content = _workbook(
        [
            ["1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", "xã", 2, 0],
            ["HP.0001", "Cấp phép sử dụng vỉa hè tạm thời", "Đường bộ", "xã", 5, 100000],
        ]
    )
    response = _upload(api_client, world.token("admin"), content)
    assert response.json() == {"created": 1, "amended": 1, "abolished": 0, "unchanged": 0}
    birth = Procedure.objects.get(code="1.001193")
    assert birth.processing_days == 2 and birth.version == 2
    amended = birth.events.get(kind=CatalogEvent.Kind.AMENDED)
    assert amended.changes["processing_days"] == ["1", "2"]
    new = Procedure.objects.get(code="HP.0001")
    assert new.fees.get().amount_vnd == 100_000
    assert new.events.get().kind == CatalogEvent.Kind.ANNOUNCED


def test_malformed_rows_are_reported_row_by_row_and_nothing_is_saved(world, api_client):
    """Duplicate codes, bad numbers and missing names are all listed; no row is written."""
    # given
    content = _workbook(
        [
            ["HP.0002", "Thủ tục mới hợp lệ", "Hộ tịch", "xã", 3, 0],
            ["HP.0003", "", "Hộ tịch", "xã", "ba ngày", 0],
            ["HP.0002", "Trùng mã", "Hộ tịch", "xã", 3, -5],
            ["HP.0004", "Cấp không hợp lệ", "Hộ tịch", "quận", 3, 0],
        ]
    )
    count_before = Procedure.objects.count()
    # when
    response = _upload(api_client, world.token("admin"), content)
    # then
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_rejected"
    found = {(e["row"], e["column"]) for e in body["errors"]}
    assert (3, "Tên thủ tục") in found
    assert (3, "Thời hạn giải quyết (ngày làm việc)") in found
    assert (4, "Mã thủ tục") in found
    assert (4, "Phí, lệ phí (đồng)") in found
    assert (5, "Cấp thực hiện") in found
    assert all(e["message"] and e["message_en"] for e in body["errors"])
    assert Procedure.objects.count() == count_before
    assert not Procedure.objects.filter(code="HP.0002").exists()


def test_wrong_columns_and_non_excel_files_are_rejected(world, api_client):
    token = world.token("admin")
    wrong = _upload(api_client, token, _workbook([["x"]], header=["Mã", "Tên", "Màu sắc"]))
    assert wrong.status_code == 400
    messages = " ".join(e["message_en"] for e in wrong.json()["errors"])
    assert "Unknown column “Màu sắc”" in messages and "“Code” is missing" in messages
    not_excel = _upload(api_client, token, b"%PDF-1.4 not a workbook", name="catalog.xlsx")
    assert not_excel.status_code == 400
    assert "Excel" in not_excel.json()["errors"][0]["message"]


def test_only_administrators_import(world, api_client):
    response = _upload(api_client, world.token("demo-desk"), _workbook([]))
    assert response.status_code == 403
    anonymous = api_client.post("/api/v1/procedures/import")
    assert anonymous.status_code == 401
