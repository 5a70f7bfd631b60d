"""The web pages: sending in two steps (anonymously or signed), the public page, the sender's
rating by signed link or account, the staff queue, notifications."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from motcua.feedback.models import AnswerRating, Petition
from motcua.feedback.services import petition_answer

from .conftest import HONG_BANG, logged_in


def send_anonymously(client: Client, **extra) -> tuple[int, str]:
    data = {
        "category": "HT03",
        "ward": HONG_BANG,
        "address": "Ngõ 45 Tam Bạc",
        "description": "Cống tắc, mưa là ngập nửa mét.",
        "sender": "anonymous",
        **extra,
    }
    response = client.post("/phan-anh/gui/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.match(r"^/phan-anh/(\d+)/da-gui/\?k=(.+)$", response["Location"])
    assert match
    return int(match.group(1)), match.group(2)


def test_step_one_asks_for_a_place(world):
    client = Client()
    assert client.get("/phan-anh/gui/").status_code == 200
    page = client.get("/phan-anh/gui/", {"category": "HT03"})
    assert 'name="category"' in page.content.decode()  # still step one, with an error
    assert 'class="error"' in page.content.decode()


def test_anonymous_sender_follows_and_rates_with_the_private_link(world, staff):
    # given: sent without any contact
    client = Client()
    petition_id, key = send_anonymously(client)
    petition = Petition.objects.get(pk=petition_id)
    assert petition.is_anonymous and petition.agency.code == "UBND-11311"
    sent = client.get(f"/phan-anh/{petition_id}/da-gui/?k={key}")
    assert f"/phan-anh/{petition_id}/danh-gia/?k={key}" in sent.content.decode()
    assert client.get(f"/phan-anh/{petition_id}/da-gui/?k=wrong").status_code == 404
    # when: answered
    petition_answer(petition_id=petition_id, user=staff("UBND-11311"), text="Đã nạo vét cống.")
    # then: the link rates it once; a wrong key cannot
    assert (
        client.post(f"/phan-anh/{petition_id}/danh-gia/", {"k": "x", "score": 5}).status_code == 400
    )
    response = client.post(f"/phan-anh/{petition_id}/danh-gia/", {"k": key, "score": 4})
    assert response.status_code == 302
    rating = AnswerRating.objects.get(answer__petition_id=petition_id)
    assert (rating.score, rating.via) == (4, "link")
    again = client.post(f"/phan-anh/{petition_id}/danh-gia/", {"k": key, "score": 1})
    assert again.status_code == 400
    assert AnswerRating.objects.get(answer__petition_id=petition_id).score == 4
    assert "Đã nạo vét cống." in client.get(f"/phan-anh/{petition_id}/").content.decode()


def test_signed_citizen_is_notified_and_rates_from_the_account(
    world, staff, django_capture_on_commit_callbacks
):
    # given
    citizen = logged_in(world.user("demo-citizen"))
    step_two = citizen.get("/phan-anh/gui/", {"category": "HT03", "ward": HONG_BANG})
    assert 'value="citizen@example.vn"' in step_two.content.decode()  # prefilled
    with django_capture_on_commit_callbacks(execute=True):
        petition_id, _ = send_anonymously(
            citizen, sender="signed", name="Vũ Đức Anh", email="citizen@example.vn"
        )
    assert mail.outbox[-1].to == ["citizen@example.vn"]
    assert f"Phản ánh số {petition_id}" in mail.outbox[-1].body
    # when
    with django_capture_on_commit_callbacks(execute=True):
        petition_answer(petition_id=petition_id, user=staff("UBND-11311"), text="Đã xử lý.")
    # then: the email carries the rating link; the account rates without it
    assert "/danh-gia/?k=" in mail.outbox[-1].body
    page = citizen.get(f"/phan-anh/{petition_id}/")
    assert f"/phan-anh/{petition_id}/danh-gia/" in page.content.decode()
    assert citizen.post(f"/phan-anh/{petition_id}/danh-gia/", {"score": 5}).status_code == 302
    assert AnswerRating.objects.get(answer__petition_id=petition_id).via == "account"


def test_form_errors_are_shown_on_their_field_and_nothing_is_stored(world):
    client = Client()
    before = Petition.objects.count()
    page = client.post(
        "/phan-anh/gui/",
        {
            "category": "HT03",
            "ward": HONG_BANG,
            "description": "<b>Ngập</b>",
            "sender": "anonymous",
        },
    )
    assert page.status_code == 400
    assert "HTML" in page.content.decode()
    page = client.post(
        "/phan-anh/gui/",
        {"category": "MT02", "ward": HONG_BANG, "description": "Ồn.", "sender": "anonymous"},
    )
    assert page.status_code == 400 and 'id="id_attr_pollution_kind_error"' in page.content.decode()
    page = client.post(
        "/phan-anh/gui/",
        {
            "category": "HT03",
            "ward": HONG_BANG,
            "description": "Ngập.",
            "sender": "signed",
            "name": "A",
            "phone": "12",
        },
    )
    assert page.status_code == 400 and 'id="id_phone_error"' in page.content.decode()
    assert Petition.objects.count() == before


def test_staff_queue_lists_only_the_agencys_open_petitions(world, staff):
    # given
    ward_id, _ = send_anonymously(Client())
    other_id, _ = send_anonymously(Client(), category="MT01", ward="")
    officer = logged_in(staff("UBND-11311"))
    # when
    page = officer.get("/phan-anh/xu-ly/").content.decode()
    # then
    assert f"#{ward_id}" in page and f"#{other_id}" not in page
    assert officer.get(f"/phan-anh/xu-ly/{other_id}/").status_code == 404
    assert Client().get("/phan-anh/xu-ly/").status_code == 302  # to the login page
    assert logged_in(world.user("demo-citizen")).get("/phan-anh/xu-ly/").status_code == 403
    everything = logged_in(world.user("admin")).get("/phan-anh/xu-ly/").content.decode()
    assert f"#{ward_id}" in everything and f"#{other_id}" in everything


def test_public_list_pages_and_filters(world):
    for _ in range(3):
        send_anonymously(Client())
    page = Client().get("/phan-anh/", {"category": "HT03", "status": "open"})
    assert page.status_code == 200
    assert "Ngõ 45 Tam Bạc" in page.content.decode()
    assert (
        Client().get("/phan-anh/", {"category": "DV01"}).content.decode().count("result-title") == 0
    )
    assert Client().get("/phan-anh/999999/").status_code == 404


def test_staff_read_a_petitions_answers_in_words_not_keys(world, staff):
    # given: a pollution petition that says what kind of pollution
    petition_id, _ = send_anonymously(
        Client(), category="MT02", ward="", attr_pollution_kind="noise"
    )
    officer = logged_in(staff("SO-NNMT"))
    # when
    page = officer.get(f"/phan-anh/xu-ly/{petition_id}/").content.decode()
    # then
    assert "<dt>Loại ô nhiễm</dt><dd>Tiếng ồn</dd>" in page
    assert "pollution_kind" not in page
