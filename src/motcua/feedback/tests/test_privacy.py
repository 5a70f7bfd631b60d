"""No published output shows a sender's phone, email or ID number: not the Open311 feeds in
either format, not the web pages, not the report; not even when the sender typed them into
the description. An answer that would publish them is refused."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.common.errors import ApiError
from motcua.feedback.models import Moderation, Petition
from motcua.feedback.services import petition_answer, petition_release

from .conftest import HONG_BANG, logged_in, open311_post

PHONE = "0912345678"
EMAIL = "lan.nguyen@example.vn"
ID_NUMBER = "031190001234"
SECRETS = (PHONE, "0912 345 678", EMAIL, "lan.nguyen", ID_NUMBER, "Nguyễn Thị Lan")


def assert_no_secret(body: bytes | str) -> None:
    text = body.decode() if isinstance(body, bytes) else body
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} was published"


def web_petition(world) -> int:
    """A signed petition through the web form, with an ID number, contact in the text."""
    client = logged_in(world.user("demo-citizen"))
    response = client.post(
        "/phan-anh/gui/",
        {
            "category": "HT01",
            "ward": HONG_BANG,
            "address": "Số 3 Minh Khai",
            "description": f"Ổ gà sâu. Gọi tôi: 0912 345 678 hoặc {EMAIL}.",
            "sender": "signed",
            "name": "Nguyễn Thị Lan",
            "phone": PHONE,
            "email": EMAIL,
            "id_number": ID_NUMBER,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return int(response["Location"].split("/")[2])


def test_nothing_published_shows_the_senders_contact(world, api_key, staff):
    # given: one petition by Open311, one by the web form, both answered
    client = Client()
    response = open311_post(
        client,
        api_key,
        first_name="Thị Lan",
        last_name="Nguyễn",
        phone=PHONE,
        email=EMAIL,
        address_id=HONG_BANG,
        description=f"Đường hỏng. Liên hệ {PHONE}.",
    )
    api_id = int(response.json()[0]["service_request_id"])
    web_id = web_petition(world)
    officer = staff("UBND-11311")
    for petition_id in (api_id, web_id):
        # contact details in the text: held until a moderator releases them
        assert Petition.objects.get(pk=petition_id).moderation == Moderation.HELD
        petition_release(petition_id=petition_id, user=officer)
        petition_answer(petition_id=petition_id, user=officer, text="Đã sửa xong mặt đường.")

    # when / then: every public output
    outputs = [
        client.get("/open311/v2/requests.json"),
        client.get("/open311/v2/requests.xml"),
        client.get(f"/open311/v2/requests/{api_id}.json"),
        client.get(f"/open311/v2/requests/{web_id}.xml"),
        client.get("/open311/v2/requests.json", {"service_request_id": f"{api_id},{web_id}"}),
        client.get("/phan-anh/"),
        client.get(f"/phan-anh/{api_id}/"),
        client.get(f"/phan-anh/{web_id}/"),
        client.get("/phan-anh/bao-cao/"),
        client.get("/api/v1/feedback/report"),
    ]
    for response in outputs:
        assert response.status_code == 200
        assert_no_secret(response.content)
    # the description is still there, the contact masked
    (request,) = client.get(f"/open311/v2/requests/{api_id}.json").json()
    assert request["description"] == "Đường hỏng. Liên hệ [đã ẩn]."
    # while the agency handling it sees the contact
    staff_page = logged_in(officer).get(f"/phan-anh/xu-ly/{web_id}/")
    assert PHONE in staff_page.content.decode() and ID_NUMBER in staff_page.content.decode()


def test_an_answer_quoting_the_senders_contact_is_refused(world, api_key, staff):
    response = open311_post(Client(), api_key, phone=PHONE, address_id=HONG_BANG)
    petition_id = int(response.json()[0]["service_request_id"])
    with pytest.raises(ApiError) as error:
        petition_answer(
            petition_id=petition_id,
            user=staff("UBND-11311"),
            text="Chúng tôi đã gọi số 0912.345.678 của ông.",
        )
    assert error.value.code == "answer_contains_personal_data"
