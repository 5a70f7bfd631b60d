"""The rating pages as a citizen uses them: the kiosk at the desk, the portal page of their own
dossier, the link from the notification, and the REST endpoint."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.org.models import User
from motcua.surveys import access
from motcua.surveys.models import Rating, RatingRevision

pytestmark = pytest.mark.django_db

KIOSK = "/danh-gia/quay/"


def html(response) -> str:
    return response.content.decode()


def test_kiosk_walk_code_key_faces_thanks(client: Client, make_dossier):
    """QR scan opens the kiosk with the code filled in; the key opens the return rating; the
    thank-you page sends the tablet back to the start by itself (JS and a meta refresh)."""
    # given
    dossier = make_dossier()
    # when: the QR code's URL
    start = client.get(KIOSK, {"code": dossier.code})
    # then
    assert start.status_code == 200
    assert f'value="{dossier.code}"' in html(start)
    assert "Content-Security-Policy" in start.headers and "<script>" not in html(start)
    # when: the key
    screen = client.post(KIOSK, {"code": dossier.code, "key": dossier.lookup_key.lower()})
    # then
    assert screen.status_code == 200
    page = html(screen)
    assert 'name="overall"' in page and 'name="c_on_time"' in page
    assert "Rất hài lòng" in page and "Trả kết quả đúng hẹn" in page
    assert "V. Đ. Anh" in page and "Vũ Đức Anh" not in page  # masked on a shared screen
    # when: the faces
    sent = client.post(
        "/danh-gia/quay/danh-gia/",
        {
            "code": dossier.code,
            "key": dossier.lookup_key,
            "stage": "return",
            "overall": "5",
            "c_on_time": "4",
            "c_officer_attitude": "5",
            "comment": "",
        },
    )
    # then
    assert sent.status_code == 302 and sent["Location"] == "/danh-gia/quay/cam-on/"
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.channel, rating.stage, rating.overall) == ("kiosk", "return", 5)
    thanks = html(client.get(sent["Location"]))
    assert 'http-equiv="refresh" content="10;url=/danh-gia/quay/"' in thanks
    assert 'data-kiosk-home="/danh-gia/quay/"' in thanks and "surveys/kiosk.js" in thanks


def test_kiosk_wrong_key_says_so_and_stores_nothing(client: Client, make_dossier):
    dossier = make_dossier()
    wrong = "ZZZZZZ" if dossier.lookup_key != "ZZZZZZ" else "YYYYYY"
    response = client.post(KIOSK, {"code": dossier.code, "key": wrong})
    assert response.status_code == 404
    assert "Mã hồ sơ hoặc mã tra cứu không đúng." in html(response)
    # the rating step checks the key again: a forged form stores nothing either
    forged = client.post(
        "/danh-gia/quay/danh-gia/",
        {"code": dossier.code, "key": wrong, "stage": "return", "overall": "1"},
    )
    assert forged.status_code == 404
    assert not Rating.objects.exists()


def test_kiosk_missing_overall_shows_the_field_error(client: Client, make_dossier):
    dossier = make_dossier()
    response = client.post(
        "/danh-gia/quay/danh-gia/",
        {"code": dossier.code, "key": dossier.lookup_key, "stage": "return", "c_on_time": "4"},
    )
    assert response.status_code == 400
    assert 'id="err-overall"' in html(response)
    assert not Rating.objects.exists()


def test_kiosk_dossier_not_yet_accepted_cannot_be_rated(client: Client, make_dossier):
    dossier = make_dossier(returned=False)
    dossier.status, dossier.clock_started_at = "waiting_supplement", None
    dossier.save()
    response = client.post(KIOSK, {"code": dossier.code, "key": dossier.lookup_key})
    assert response.status_code == 409
    assert "Chưa thể đánh giá" in html(response)


def test_portal_owner_rates_and_sees_the_rating_on_the_dossier_page(
    client: Client, citizen, make_dossier
):
    # given
    dossier = make_dossier()
    client.force_login(citizen)
    dossier_page = f"/ca-nhan/ho-so/{dossier.code}/"
    assert f'href="/danh-gia/ho-so/{dossier.code}/"' in html(client.get(dossier_page))
    # when
    response = client.post(
        f"/danh-gia/ho-so/{dossier.code}/",
        {"overall": "4", "c_publicity": "3", "comment": "Ổn"},
    )
    # then
    assert response.status_code == 302
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.channel, rating.overall, rating.comment) == ("portal", 4, "Ổn")
    page = html(client.get(dossier_page))
    assert 'id="dossier-rating"' in page and "Hài lòng" in page
    form = html(client.get(f"/danh-gia/ho-so/{dossier.code}/"))
    assert 'value="4" checked' in form  # the current rating, ready to change


def test_portal_someone_elses_dossier_is_404_and_nothing_stored(client: Client, make_dossier):
    dossier = make_dossier()
    stranger = User.objects.create(username="nguoi-khac", full_name="Người Khác")
    client.force_login(stranger)
    assert client.get(f"/danh-gia/ho-so/{dossier.code}/").status_code == 404
    assert client.post(f"/danh-gia/ho-so/{dossier.code}/", {"overall": "1"}).status_code == 404
    assert not Rating.objects.exists()
    client.logout()
    anonymous = client.get(f"/danh-gia/ho-so/{dossier.code}/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


def test_portal_receipt_stage_asks_only_receipt_criteria(client: Client, citizen, make_dossier):
    dossier = make_dossier(returned=False)
    client.force_login(citizen)
    page = html(client.get(f"/danh-gia/ho-so/{dossier.code}/"))
    assert 'name="c_officer_attitude"' in page and 'name="c_on_time"' not in page
    not_yet = client.get(f"/danh-gia/ho-so/{dossier.code}/", {"stage": "return"})
    assert not_yet.status_code == 409


def test_link_page_rates_without_login_and_refuses_a_bad_link(client: Client, make_dossier):
    # given
    dossier = make_dossier()
    url = access.link_url(dossier.code, "return")
    # when
    assert client.get(url).status_code == 200
    response = client.post(url, {"overall": "2", "c_contacts": "1"})
    again = client.post(url, {"overall": "3"})
    # then
    assert response.status_code == again.status_code == 302
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.channel, rating.overall, rating.version) == ("link", 3, 2)
    assert RatingRevision.objects.get(rating=rating).answers == {"contacts": 1}
    tampered = url.replace("/l/", "/l/x")
    bad = client.post(tampered, {"overall": "5"})
    assert bad.status_code == 403
    assert "Đường dẫn đánh giá không hợp lệ." in html(bad)
    assert Rating.objects.get(dossier=dossier).overall == 3


def _auth(world, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.token(username)}"}


def test_api_rate_then_change(world, api_client, make_dossier):
    dossier = make_dossier()
    body = {"dossier": dossier.code, "stage": "return", "overall": 5, "answers": {"on_time": 5}}
    created = api_client.post(
        "/api/v1/ratings",
        body,
        content_type="application/json",
        headers=_auth(world, "demo-citizen"),
    )
    assert created.status_code == 201, created.content
    assert created.json()["agency"] == "SO-TP" and created.json()["channel"] == "portal"
    changed = api_client.post(
        "/api/v1/ratings",
        {**body, "overall": 3, "answers": {}},
        content_type="application/json",
        headers=_auth(world, "demo-citizen"),
    )
    assert changed.status_code == 200
    out = changed.json()
    assert out["version"] == 2 and out["overall_label"] == "Bình thường"
    assert out["revisions"][0]["overall"] == 5 and out["revisions"][0]["answers"] == {"on_time": 5}


def test_api_refusals(world, api_client, make_dossier):
    dossier = make_dossier()
    other = api_client.post(
        "/api/v1/ratings",
        {"dossier": dossier.code, "overall": 5},
        content_type="application/json",
        headers=_auth(world, "demo-desk"),
    )
    assert other.status_code == 404 and other.json()["code"] == "dossier_not_found"
    unknown = api_client.post(
        "/api/v1/ratings",
        {"dossier": dossier.code, "overall": 5, "answers": {"speed": 5}},
        content_type="application/json",
        headers=_auth(world, "demo-citizen"),
    )
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_criterion"
    assert (
        unknown.json()["message_en"]
        == "Criterion “speed” is not among the criteria rated at this stage."
    )
    anonymous = api_client.post(
        "/api/v1/ratings", {"dossier": dossier.code, "overall": 5}, content_type="application/json"
    )
    assert anonymous.status_code == 401
    assert not Rating.objects.exists()


def test_api_criteria_in_force(api_client):
    response = api_client.get("/api/v1/ratings/criteria", {"stage": "receipt"})
    assert response.status_code == 200
    codes = [c["code"] for c in response.json()]
    assert codes[0] == "overall" and "on_time" not in codes and "officer_attitude" in codes
