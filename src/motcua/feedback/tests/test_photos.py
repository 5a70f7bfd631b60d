"""Photos: JPEG or PNG only, checked by content, location and camera data removed before they
are stored, served with the petition unless it is hidden."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.feedback.models import Photo
from motcua.feedback.privacy import _orientation, strip_photo_metadata
from motcua.feedback.services import petition_hide

from .conftest import HONG_BANG, jpeg_with_exif, png_with_text


def test_jpeg_loses_gps_and_comments_but_keeps_its_orientation():
    original = jpeg_with_exif()
    stripped = strip_photo_metadata("jpeg", original)
    assert b"GPS-SECRET" in original and b"GPS-SECRET" not in stripped
    assert b"camera-x100" not in stripped
    assert stripped.startswith(b"\xff\xd8\xff\xe0")  # JFIF stays first
    assert stripped.endswith(b"\xff\xda\x00\x02scan-data\xff\xd9")
    exif = stripped.index(b"Exif\x00\x00")
    assert _orientation(stripped[exif + 6 :]) == 6


def test_png_loses_its_text_chunks():
    stripped = strip_photo_metadata("png", png_with_text())
    assert (
        b"GPS-SECRET" not in stripped
        and b"IDAT" in stripped
        and stripped.endswith(b"IEND\xaeB`\x82")
    )


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
    data = {
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
