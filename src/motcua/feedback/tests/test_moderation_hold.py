"""A petition whose text seems to hold personal data (a phone, an ID, passport, bank account
or licence plate number, an email) is held: no public page or feed shows it until a
moderator releases it, and then only masked. Staff see held petitions in their queue and
release or hide them; the sender still sees their own petition through the private link."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.audit.models import Event
from motcua.common.errors import Conflict, NotFound
from motcua.feedback.models import Moderation, Petition
from motcua.feedback.services import petition_release

from .conftest import HONG_BANG, logged_in, open311_post

RISKY = "Xe 15A-123.45 đỗ chắn lối đi suốt ngày, chủ xe gọi 0912/345/678."
SAFE = "Ổ gà lớn trước số 12 Minh Khai, sâu khoảng 20 cm."


def send(client: Client, key: str, description: str) -> int:
    response = open311_post(client, key, address_id=HONG_BANG, description=description)
    assert response.status_code == 201, response.content
    return int(response.json()[0]["service_request_id"])


def public_outputs(client: Client, petition_id: int) -> list:
    return [
        client.get("/open311/v2/requests.json"),
        client.get("/open311/v2/requests.xml"),
        client.get("/open311/v2/requests.json", {"service_request_id": str(petition_id)}),
        client.get("/phan-anh/"),
    ]


def test_a_risky_petition_is_held_until_a_moderator_releases_it(world, api_key, staff):
    # given: one petition with a plate and a phone, one without
    client = Client()
    held_id = send(client, api_key, RISKY)
    safe_id = send(client, api_key, SAFE)
    held = Petition.objects.get(pk=held_id)
    assert held.moderation == Moderation.HELD
    assert held.moderation_reasons == ["licence_plate", "phone"]
    assert Petition.objects.get(pk=safe_id).moderation == Moderation.PUBLISHED

    # then: the held one is in no public output; the safe one is
    for response in public_outputs(client, held_id):
        assert response.status_code == 200
        assert "15A-123.45" not in response.content.decode()
        assert "0912/345/678" not in response.content.decode()
    ids = [r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()]
    assert str(safe_id) in ids and str(held_id) not in ids
    assert client.get(f"/open311/v2/requests/{held_id}.json").status_code == 404
    assert client.get(f"/phan-anh/{held_id}/").status_code == 404

    # and the ward's staff see it waiting in their queue
    officer = staff("UBND-11311")
    queue = logged_in(officer).get("/phan-anh/xu-ly/", {"state": "held"})
    assert f"#{held_id}" in queue.content.decode()
    assert f"#{safe_id}" not in queue.content.decode()

    # when: the officer releases it from its page
    page = logged_in(officer).post(f"/phan-anh/xu-ly/{held_id}/", {"action": "release"})
    assert page.status_code == 302

    # then: published, masked, and the release is audited
    (request,) = client.get(f"/open311/v2/requests/{held_id}.json").json()
    assert request["description"] == ("Xe [đã ẩn] đỗ chắn lối đi suốt ngày, chủ xe gọi [đã ẩn].")
    ids = [r["service_request_id"] for r in client.get("/open311/v2/requests.json").json()]
    assert str(held_id) in ids
    assert client.get(f"/phan-anh/{held_id}/").status_code == 200
    event = Event.objects.get(subject_type="petition", subject_id=str(held_id), action="release")
    assert event.actor == officer
    assert event.payload["reasons"] == ["licence_plate", "phone"]


def test_hiding_a_held_petition_keeps_it_from_the_public(world, api_key, staff):
    client = Client()
    held_id = send(client, api_key, "Liên hệ STK 0011 0023 45678 để nộp tiền.")
    officer = staff("UBND-11311")
    page = logged_in(officer).post(
        f"/phan-anh/xu-ly/{held_id}/", {"action": "hide", "reason": "Lừa đảo", "close": "on"}
    )
    assert page.status_code == 302
    assert client.get(f"/open311/v2/requests/{held_id}.json").status_code == 404
    # no longer waiting in the held queue
    queue = logged_in(officer).get("/phan-anh/xu-ly/", {"state": "held"})
    assert f"#{held_id}" not in queue.content.decode()


def test_release_is_for_moderators_and_only_once(world, api_key, staff):
    held_id = send(Client(), api_key, "CCCD của tôi 031 190 012 345 bị giữ ở phường.")
    with pytest.raises(NotFound):  # another ward's staff do not even see it
        petition_release(petition_id=held_id, user=staff("UBND-11383"))
    petition_release(petition_id=held_id, user=staff("UBND-11311"))
    with pytest.raises(Conflict):
        petition_release(petition_id=held_id, user=staff("UBND-11311"))


def test_the_sender_still_sees_a_held_petition_through_the_private_link(world):
    # given: a web petition with a phone in the text
    client = Client()
    response = client.post(
        "/phan-anh/gui/",
        {
            "category": "HT01",
            "ward": HONG_BANG,
            "address": "Số 3 Minh Khai",
            "description": "Đèn hỏng, gọi tôi (091) 234 5678.",
            "sender": "anonymous",
        },
    )
    assert response.status_code == 302
    # when: the sender follows the redirect to the "sent" page
    page = client.get(response["Location"])
    # then: it says the petition waits for moderation, without publishing it
    assert page.status_code == 200
    assert "kiểm duyệt" in page.content.decode()
