"""Photos: JPEG or PNG only, checked by content, location and camera data removed before they
are stored, served with the petition unless it is hidden."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from motcua.common.errors import ApiError
from motcua.common.uploads import check_upload
from motcua.feedback.models import Photo
from motcua.feedback.services import petition_hide

from .conftest import HONG_BANG, jpeg_with_exif, png_with_text


def _petition_photo(world, content: bytes, name: str) -> bytes:
    """Post `content` as the photo of a web petition; the bytes stored for it."""
    response = Client().post(
        "/phan-anh/gui/",
        {
            "category": "HT01",
            "ward": HONG_BANG,
            "description": "Ổ gà trước số 5.",
            "sender": "anonymous",
            "photos": [SimpleUploadedFile(name, content, "image/jpeg")],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Photo.objects.get().file.read()


def test_jpeg_loses_gps_and_comments_but_keeps_its_orientation(world):
    original = jpeg_with_exif()
    stored = _petition_photo(world, original, "o-ga.jpg")
    assert b"GPS-SECRET" in original and b"GPS-SECRET" not in stored
    assert b"camera-x100" not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.size == (64, 48) and image.getexif().get(0x0112) == 6
    assert not image.getexif().get_ifd(0x8825)  # no GPS block


def test_a_second_jpeg_appended_to_the_photo_does_not_survive(world):
    """Segment-stripping kept everything after the first image's scan: a second JPEG with
    its own GPS block went out with the public photo."""
    first = jpeg_with_exif().replace(b"GPS-SECRET", b"GPS-FIRST!")
    original = first + jpeg_with_exif(colour=(10, 200, 10))
    stored = _petition_photo(world, original, "o-ga.jpg")
    assert b"GPS-SECRET" not in stored and b"GPS-FIRST!" not in stored
    assert stored.count(b"\xff\xd8") == 1 and stored.endswith(b"\xff\xd9")


def test_png_loses_its_text_chunks():
    checked = check_upload("o-ga.png", png_with_text(), allowed=("png",))
    assert b"GPS-SECRET" not in checked.content and b"IDAT" in checked.content
    assert Image.open(io.BytesIO(checked.content)).size == (1, 1)


def test_a_photo_that_does_not_decode_is_refused(world):
    broken = jpeg_with_exif()[:300]  # cut off inside the image
    with pytest.raises(ApiError) as refused:
        check_upload("o-ga.jpg", broken, allowed=("jpeg",))
    assert refused.value.code == "image_unreadable"


def test_open311_photo_is_stored_clean_and_served(world, api_key, staff):
    # given
    client = Client()
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": "HT01",
            "address_id": HONG_BANG,
            "description": "Ổ gà, xem ảnh.",
            "media": SimpleUploadedFile("o-ga.jpg", jpeg_with_exif(), "image/jpeg"),
        },
    )
    assert response.status_code == 201
    petition_id = response.json()[0]["service_request_id"]
    # then
    photo = Photo.objects.get(petition_id=petition_id)
    assert b"GPS-SECRET" not in photo.file.read()
    (request,) = client.get(f"/open311/v2/requests/{petition_id}.json").json()
    assert request["media_url"].endswith(f"/phan-anh/{petition_id}/anh/{photo.pk}/")
    served = client.get(f"/phan-anh/{petition_id}/anh/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    # when hidden, the public no longer gets it
    petition_hide(petition_id=int(petition_id), user=staff("UBND-11311"), reason="Ảnh phản cảm")
    assert client.get(f"/phan-anh/{petition_id}/anh/{photo.pk}/").status_code == 404


def test_web_form_takes_up_to_five_photos(world):
    client = Client()
    data: dict[str, Any] = {
        "category": "HT01",
        "ward": HONG_BANG,
        "description": "Ổ gà.",
        "sender": "anonymous",
        "photos": [SimpleUploadedFile(f"a{n}.png", png_with_text(), "image/png") for n in range(6)],
    }
    page = client.post("/phan-anh/gui/", data)
    assert page.status_code == 400 and Photo.objects.count() == 0
    data["photos"] = data["photos"][:2]
    for photo in data["photos"]:
        photo.seek(0)
    assert client.post("/phan-anh/gui/", data).status_code == 302
    assert Photo.objects.count() == 2


def test_external_media_url_is_kept_when_valid(world, api_key):
    from .conftest import open311_post

    bad = open311_post(Client(), api_key, media_url="javascript:alert(1)")
    assert bad.status_code == 400
    good = open311_post(Client(), api_key, media_url="https://img.example.vn/o-ga.jpg")
    (request,) = (
        Client().get(f"/open311/v2/requests/{good.json()[0]['service_request_id']}.json").json()
    )
    assert request["media_url"] == "https://img.example.vn/o-ga.jpg"
