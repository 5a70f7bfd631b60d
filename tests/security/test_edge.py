"""Control characters and oversized bodies are refused at the edge, in the caller's format.

PostgreSQL cannot store NUL in a text column: before this, a NUL in a receipt's name, a search
query, a dossier code in the path or an Open311 service code reached the database and came
back as a server error there (and as a quiet 404 or an empty list on SQLite). These tests run
on both databases.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from motcua.dossiers.models import Dossier
from motcua.feedback.models import Petition

pytestmark = pytest.mark.django_db

NUL_NAME = "Nguy\u0000n Thị Ngữ"


def _receipt(name: str = "Nguyễn Thị Ngữ", **changes) -> dict:
    body = {
        "procedure": "1.003179",
        "channel": "counter",
        "applicant": {
            "kind": "person",
            "name": name,
            "id_number": "031190012345",
            "phone": "0912345678",
            "address": "Số 12 Lạch Tray, Ngô Quyền, Hải Phòng",
        },
        "documents": [{"name": "Tờ khai đăng ký lại việc nuôi con nuôi", "digitised": True}],
    }
    body.update(changes)
    return body


@pytest.fixture
def desk(world) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.token('demo-desk')}"}


def _assert_api_refusal(response, where: str) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "control_character"
    assert "ký tự điều khiển" in body["message"] and where in body["message_en"]
    return body


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/procedures?q=a%00b",
        "/api/v1/procedures?field=x%00y",
        "/api/v1/procedures?q=%1b%5b31m",  # an ANSI escape pasted from a terminal
        "/api/v1/org/units?a%00=1",  # in a parameter's name
    ],
)
def test_query_parameters_with_control_characters_get_the_api_error(world, api_client, url):
    _assert_api_refusal(api_client.get(url), "query")


@pytest.mark.parametrize(
    "url", ["/api/v1/dossiers/a%00b", "/api/v1/procedures/1.003179%00", "/api/v1/dossiers/x%07"]
)
def test_paths_with_control_characters_get_the_api_error(world, api_client, desk, url):
    _assert_api_refusal(api_client.get(url, headers=desk), "path")


def test_nul_in_a_receipt_name_writes_nothing(world, api_client, desk):
    # given
    before = Dossier.objects.count()
    # when
    response = api_client.post(
        "/api/v1/dossiers", _receipt(NUL_NAME), content_type="application/json", headers=desk
    )
    # then
    body = _assert_api_refusal(response, "body")
    assert body["errors"] == [{"field": "applicant.name", "message": "control character"}]
    assert Dossier.objects.count() == before


@pytest.mark.parametrize(
    "raw",
    [
        '{"methodology": "PAR", "year": 2025, "scores": {"A\\u0000": 1}}',  # in a key
        '{"methodology": "PAR\\u0000", "year": 2025}',
        '{"methodology": "PAR", "year": 2025, "scores": {"A": "\\ud800"}}',  # a lone surrogate
    ],
)
def test_json_bodies_are_checked_in_keys_and_nested_values(world, api_client, desk, raw):
    response = api_client.post(
        "/api/v1/indices/what-if", raw, content_type="application/json", headers=desk
    )
    _assert_api_refusal(response, "body")


def test_line_breaks_and_tabs_are_ordinary_text(world, api_client, desk):
    address = "Số 12 Lạch Tray,\r\n\tNgô Quyền, Hải Phòng"
    body = _receipt()
    body["applicant"]["address"] = address
    response = api_client.post(
        "/api/v1/dossiers", body, content_type="application/json", headers=desk
    )
    assert response.status_code == 201, response.content
    assert Dossier.objects.get(code=response.json()["code"]).applicant_address == address


def test_open311_gets_its_own_error_document(world, api_client):
    # JSON by default
    response = api_client.get("/open311/v2/services/HT01%00.json")
    assert response.status_code == 400
    (error,) = response.json()
    assert error["code"] == 400 and "ký tự điều khiển" in error["description"]
    # XML for .xml paths
    response = api_client.get("/open311/v2/services.xml?jurisdiction_id=%00")
    assert response.status_code == 400 and response["Content-Type"].startswith("text/xml")
    assert b"<errors><error><code>400</code><description>" in response.content


def test_open311_service_code_with_nul_creates_no_petition(world, api_client):
    before = Petition.objects.count()
    response = api_client.post(
        "/open311/v2/requests.json",
        {"api_key": "k\u0000", "service_code": "HT01\u0000", "description": "Ổ gà."},
    )
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400
    assert Petition.objects.count() == before


def test_pages_get_a_vietnamese_400(world):
    client = Client()
    page = client.get("/thu-tuc/?q=h%E1%BB%99%00 kinh doanh")
    assert page.status_code == 400
    text = page.content.decode()
    assert "Yêu cầu không hợp lệ" in text and "ký tự điều khiển" in text
    assert "control character" in text  # the English line under it


def test_form_fields_are_checked_before_the_view(world):
    # the login form would look the name up in the users table
    client = Client()
    page = client.post("/login/", {"username": "demo-desk\u0000", "password": "x"})
    assert page.status_code == 400 and "trường biểu mẫu" in page.content.decode()


def test_a_session_cookie_with_nul_never_reaches_the_session_table(world):
    client = Client()
    client.cookies["sessionid"] = "abcdefgh\u0000ijkl"
    response = client.get("/api/v1/org/me")
    body = _assert_api_refusal(response, "cookie")
    assert body["code"] == "control_character"


@override_settings(MOTCUA_MAX_REQUEST_BYTES=1024 * 1024)
def test_a_body_over_the_hard_cap_is_refused_unread_with_413(world, api_client, desk):
    big = _receipt(reason="x" * (1024 * 1024))
    response = api_client.post(
        "/api/v1/dossiers", json.dumps(big), content_type="application/json", headers=desk
    )
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "request_too_large" and "1 MB" in body["message"]
    assert response["Connection"] == "close"
    page = Client().post("/phan-anh/gui/", {"description": "x" * (1024 * 1024)})
    assert page.status_code == 413 and "Dữ liệu quá lớn" in page.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=64 * 1024)
def test_form_data_over_the_memory_cap_is_a_413_not_a_400(world):
    page = Client().post("/phan-anh/gui/", {"description": "ổ gà " * 20000})
    assert page.status_code == 413
    assert "quá lớn" in page.content.decode()


def test_row_ids_past_64_bits_are_a_400_not_a_server_error(world, api_client, desk):
    """Found by the fuzz: SQLite cannot bind such an integer."""
    response = api_client.get(
        "/api/v1/indices/scenarios/compare?a=1&b=259568902918283617894400", headers=desk
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_input"


def test_a_form_body_that_cannot_be_parsed_gets_the_api_error(world, api_client, desk):
    """Found by the fuzz: multipart without a boundary was Django's bare HTML 400."""
    response = api_client.post(
        "/api/v1/ratings", b"{}", content_type="multipart/form-data", headers=desk
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_body"
