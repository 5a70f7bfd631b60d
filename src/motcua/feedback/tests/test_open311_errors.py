"""Bad input to the Open311 API: the specification's error document with 400, 403 or 404,
a message that says what is wrong, and nothing stored."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.feedback.models import Petition, Photo

from .conftest import open311_post, parse_xml

BASE = "/open311/v2"


def error_of(response, status: int) -> str:
    """The single error's description, after checking the document's shape."""
    assert response.status_code == status, response.content
    if response["Content-Type"].startswith("text/xml"):
        root = parse_xml(response.content)
        assert root.tag == "errors"
        assert root.findtext("error/code") == str(status)
        return root.findtext("error/description") or ""
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == status
    return body[0]["description"]


@pytest.fixture
def nothing_stored(world):
    before = (Petition.objects.count(), Photo.objects.count())
    yield
    assert (Petition.objects.count(), Photo.objects.count()) == before


def test_post_without_api_key_is_403_in_json_and_xml(world, nothing_stored):
    client = Client()
    assert "api_key" in error_of(open311_post(client, None), 403)
    assert "api_key" in error_of(open311_post(client, None, fmt="xml"), 403)
    assert "api_key" in error_of(open311_post(client, "o311_not-a-key"), 403)


def test_a_revoked_client_key_is_refused(world, api_key, nothing_stored):
    from motcua.feedback.models import ApiClient

    ApiClient.objects.filter(name="test-app").update(active=False)
    error_of(open311_post(Client(), api_key), 403)


@pytest.mark.parametrize(
    "path",
    [
        "services/XX99.json",
        "services/XX99.xml",
        "requests/999999.json",
        "requests/abc.xml",
        "tokens/no-such-token.json",
        "nothing-here.json",
    ],
)
def test_unknown_service_request_or_token_is_404(world, path):
    error_of(Client().get(f"{BASE}/{path}"), 404)


def test_unknown_service_code_is_404(world, api_key, nothing_stored):
    client = Client()
    assert "XX99" in error_of(open311_post(client, api_key, service_code="XX99"), 404)
    error_of(client.get(f"{BASE}/requests.json", {"service_code": "HT01,XX99"}), 404)


def test_missing_location_is_400(world, api_key, nothing_stored):
    response = open311_post(Client(), api_key, lat=None, long=None)
    assert "lat" in error_of(response, 400)


def test_half_a_position_or_a_bad_number_is_400(world, api_key, nothing_stored):
    error_of(open311_post(Client(), api_key, long=None), 400)
    error_of(open311_post(Client(), api_key, lat="north"), 400)
    error_of(open311_post(Client(), api_key, lat="95"), 400)


def test_unknown_ward_is_400(world, api_key, nothing_stored):
    assert "99999" in error_of(open311_post(Client(), api_key, address_id="99999"), 400)


def test_missing_or_invalid_required_attribute_is_400(world, api_key, nothing_stored):
    client = Client()
    message = error_of(open311_post(client, api_key, service_code="MT02"), 400)
    assert "attribute[pollution_kind]" in message
    wrong = open311_post(client, api_key, service_code="MT02", **{"attribute[pollution_kind]": "x"})
    assert "noise" in error_of(wrong, 400)
    unknown = open311_post(client, api_key, **{"attribute[colour]": "red"})
    assert "colour" in error_of(unknown, 400)


def test_missing_service_code_or_description_is_400(world, api_key, nothing_stored):
    error_of(open311_post(Client(), api_key, service_code=None), 400)
    error_of(open311_post(Client(), api_key, description=" "), 400)


def test_dates_over_90_days_are_400(world):
    client = Client()
    response = client.get(
        f"{BASE}/requests.json",
        {"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-04-02T00:00:00+07:00"},
    )
    assert "90" in error_of(response, 400)
    reversed_ = client.get(
        f"{BASE}/requests.xml", {"start_date": "2026-03-01", "end_date": "2026-02-01"}
    )
    error_of(reversed_, 400)
    error_of(client.get(f"{BASE}/requests.json", {"start_date": "yesterday"}), 400)
    error_of(client.get(f"{BASE}/requests.json", {"status": "pending"}), 400)
    error_of(client.get(f"{BASE}/requests.json", {"page_size": "5000"}), 400)


def test_exactly_90_days_is_accepted(world):
    response = Client().get(
        f"{BASE}/requests.json",
        {"start_date": "2026-01-01T00:00:00+07:00", "end_date": "2026-04-01T00:00:00+07:00"},
    )
    assert response.status_code == 200


def test_description_over_4000_characters_is_400(world, api_key):
    before = Petition.objects.count()
    response = open311_post(Client(), api_key, description="a" * 4001)
    assert "4000" in error_of(response, 400)
    assert Petition.objects.count() == before
    assert open311_post(Client(), api_key, description="a" * 4000).status_code == 201


@pytest.mark.parametrize(
    "text",
    ["<script>alert(1)</script>", "Xem <a href='x'>đây</a>", "<!-- x -->", "<img src=x"],
)
def test_html_in_the_description_is_400(world, api_key, nothing_stored, text):
    assert "HTML" in error_of(open311_post(Client(), api_key, description=text), 400)


def test_plain_comparisons_are_not_mistaken_for_html(world, api_key):
    response = open311_post(Client(), api_key, description="Nước ngập sâu < 30 cm, 5 > 3")
    assert response.status_code == 201


def _multipart(client: Client, key: str, media: SimpleUploadedFile):
    return client.post(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "service_code": "HT01",
            "address_id": "11311",
            "description": "Ổ gà, có ảnh.",
            "media": media,
        },
    )


def test_oversized_photo_is_400(world, api_key, nothing_stored):
    big = b"\xff\xd8\xff\xe0" + b"0" * (5 * 1024 * 1024)
    response = _multipart(Client(), api_key, SimpleUploadedFile("pothole.jpg", big, "image/jpeg"))
    assert "5 MB" in error_of(response, 400)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("pothole.jpg", b"%PDF-1.4 not an image"),
        ("pothole.gif", b"GIF89a...."),
        ("pothole.png", b"\xff\xd8\xff\xe0 jpeg named png"),
        ("notes.txt", b"hello"),
    ],
)
def test_non_image_photo_is_400(world, api_key, nothing_stored, name, content):
    response = _multipart(Client(), api_key, SimpleUploadedFile(name, content))
    assert name in error_of(response, 400)


def test_errors_follow_the_language_asked_for(world):
    response = Client().get(f"{BASE}/services/XX99.json", HTTP_ACCEPT_LANGUAGE="en")
    assert error_of(response, 404) == "No service with service_code “XX99”."
    response = Client().get(f"{BASE}/services/XX99.json", HTTP_ACCEPT_LANGUAGE="vi")
    assert "Không có loại phản ánh" in error_of(response, 404)


def test_methods_other_than_get_and_post_are_refused(world):
    error_of(Client().delete(f"{BASE}/requests.json"), 405)
    error_of(Client().post(f"{BASE}/services.json"), 405)


# --- input that used to escape as a 500 or as Django's HTML page (issue 10, item 4) -----------


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    "params",
    [
        {"service_request_id": "99999999999999999999999"},
        {"service_request_id": "12,abc"},
        {"service_request_id": "²"},
        {"start_date": "9999-12-31"},
        {"end_date": "0001-01-01"},
        {"start_date": "0001-01-01", "end_date": "0001-02-01"},
        {"start_date": "9999-12-01T00:00:00+07:00", "end_date": "9999-12-31T23:59:59+07:00"},
        {"page": "²"},
    ],
)
def test_out_of_range_ids_and_dates_are_400_in_the_open311_format(world, params, fmt):
    response = Client().get(f"{BASE}/requests.{fmt}", params)
    assert error_of(response, 400)


def test_a_huge_request_id_in_the_path_is_404(world):
    error_of(Client().get(f"{BASE}/requests/99999999999999999999999.json"), 404)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_3_mb_body_is_an_open311_error_document(world, api_key, nothing_stored, fmt, settings):
    # given: a form body over the in-memory limit (Django's 2.5 MB here; MOTCUA_MAX_FORM_BYTES)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
    response = open311_post(Client(), api_key, fmt=fmt, description="ổ gà " * 600_000)
    # then: not Django's HTML page but the specification's error document
    assert "MB" in error_of(response, 413)  # too large: 413, in the specification's format


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("method", "path", "params"),
    [
        ("get", "requests", {"service_code": "HT01\x00"}),
        ("get", "requests", {"service_request_id": "1\x00"}),
        ("get", "requests", {"status": "open\x1b"}),
        ("post", "requests", {"service_code": "HT\x0001"}),
        ("post", "requests", {"description": "Ổ gà\x00 giữa đường"}),
        ("post", "requests", {"attribute[permit_sign]\x07": "yes"}),
        ("get", "tokens/abc%00def", {}),
        ("get", "services/HT01%07", {}),
        ("get", "requests/1%00", {}),
    ],
)
def test_control_characters_in_parameters_are_400(
    world, api_key, nothing_stored, fmt, method, path, params
):
    client = Client()
    if method == "post":
        response = open311_post(client, api_key, fmt=fmt, **params)
    else:
        response = client.get(f"{BASE}/{path}.{fmt}", params)
    assert "NUL" in error_of(response, 400)


def test_ordinary_line_breaks_in_a_description_are_accepted(world, api_key):
    response = open311_post(Client(), api_key, description="Ổ gà.\r\nSâu khoảng 20 cm.\tNguy hiểm.")
    assert response.status_code == 201
