"""Staff hide abusive content with a reason kept in the audit log; the public sees that it was
hidden, never the content; forwarding and duplicates are audited and permission-checked."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.audit.models import Event
from motcua.common.errors import ApiError, NotFound, PermissionDenied
from motcua.feedback.models import State
from motcua.feedback.services import (
    petition_answer,
    petition_forward,
    petition_hide,
    petition_mark_duplicate,
)

from .conftest import HONG_BANG, logged_in, open311_post

ABUSE = "Bọn cán bộ phường toàn lũ ăn hại"


def new_request(client: Client, key: str, **fields) -> int:
    response = open311_post(client, key, address_id=HONG_BANG, **fields)
    return int(response.json()[0]["service_request_id"])


def test_hiding_withholds_the_content_and_audits_the_reason(world, api_key, staff):
    # given
    client = Client()
    petition_id = new_request(client, api_key, description=f"{ABUSE}, đường hỏng mãi.")
    officer = staff("UBND-11311")
    # when: the ward's officer hides it on the staff page
    page = logged_in(officer).post(
        f"/phan-anh/xu-ly/{petition_id}/",
        {"action": "hide", "reason": "Lời lẽ xúc phạm cán bộ"},
    )
    assert page.status_code == 302
    # then: the audit log keeps who, when and why
    event = Event.objects.get(subject_type="petition", subject_id=str(petition_id), action="hide")
    assert event.actor == officer and event.reason == "Lời lẽ xúc phạm cán bộ"
    # and no public output shows the content
    for path in (
        "/open311/v2/requests.json",
        f"/open311/v2/requests/{petition_id}.xml",
        f"/phan-anh/{petition_id}/",
        "/phan-anh/",
    ):
        assert ABUSE not in client.get(path).content.decode()
    (request,) = client.get(f"/open311/v2/requests/{petition_id}.json").json()
    assert request["status"] == "open"  # still to be answered: hiding is not an answer
    assert request["address"] is None and request["media_url"] is None
    assert f"#{petition_id}" not in client.get("/phan-anh/").content.decode()
    # the agency still reads it and can answer it
    assert ABUSE in logged_in(officer).get(f"/phan-anh/xu-ly/{petition_id}/").content.decode()


def test_hiding_spam_can_close_it(world, api_key, staff):
    petition_id = new_request(Client(), api_key, description="Mua thuốc giảm cân giá rẻ!!!")
    petition = petition_hide(
        petition_id=petition_id, user=staff("UBND-11311"), reason="Quảng cáo", close=True
    )
    assert petition.state == State.HIDDEN and petition.closed_at is not None
    (request,) = Client().get(f"/open311/v2/requests/{petition_id}.json").json()
    assert request["status"] == "closed"
    assert "Mua thuốc" not in request["description"]


def test_hiding_needs_a_reason_and_a_handler(world, api_key, staff):
    petition_id = new_request(Client(), api_key)
    with pytest.raises(ApiError) as error:
        petition_hide(petition_id=petition_id, user=staff("UBND-11311"), reason=" ")
    assert error.value.code == "reason_required"
    with pytest.raises(NotFound):  # another agency's staff do not even see it
        petition_hide(petition_id=petition_id, user=staff("SO-XD"), reason="x")
    with pytest.raises(NotFound):
        petition_hide(petition_id=petition_id, user=world.user("demo-citizen"), reason="x")
    # the administrator may
    petition_hide(petition_id=petition_id, user=world.user("admin"), reason="Thử")
    assert (
        logged_in(world.user("demo-citizen")).get(f"/phan-anh/xu-ly/{petition_id}/").status_code
        == 403
    )


def test_forwarding_moves_it_keeps_the_deadline_and_is_audited(world, api_key, staff):
    # given: a pothole sent to the ward, which says the road is the department's
    petition_id = new_request(Client(), api_key)
    ward_officer = staff("UBND-11311")
    from motcua.feedback.models import Petition

    due = Petition.objects.get(pk=petition_id).due_at
    # when
    petition = petition_forward(
        petition_id=petition_id,
        user=ward_officer,
        agency_code="SO-XD",
        reason="Quốc lộ do Sở Xây dựng quản lý",
    )
    # then
    assert petition.agency.code == "SO-XD" and petition.state == State.FORWARDED
    assert petition.due_at == due
    event = Event.objects.get(subject_id=str(petition_id), action="forward")
    assert event.payload == {"from": "UBND-11311", "to": "SO-XD"}
    # the ward can no longer answer it; the department can
    with pytest.raises(NotFound):
        petition_answer(petition_id=petition_id, user=ward_officer, text="Xong")
    petition_answer(petition_id=petition_id, user=staff("SO-XD"), text="Đã vá đường.")
    (request,) = Client().get(f"/open311/v2/requests/{petition_id}.json").json()
    assert request["agency_responsible"] == "Sở Xây dựng"


def test_a_duplicate_closes_and_shows_the_originals_answer(world, api_key, staff):
    # given
    client = Client()
    original = new_request(client, api_key)
    duplicate = new_request(client, api_key)
    officer = staff("UBND-11311")
    # when
    petition_mark_duplicate(petition_id=duplicate, user=officer, original_id=original)
    petition_answer(petition_id=original, user=officer, text="Đã vá ổ gà.")
    # then
    (request,) = client.get(f"/open311/v2/requests/{duplicate}.json").json()
    assert request["status"] == "closed"
    assert str(original) in request["status_notes"]
    assert "Đã vá ổ gà." in request["status_notes"]
    assert Event.objects.filter(subject_id=str(duplicate), action="mark_duplicate").exists()
    with pytest.raises(ApiError):  # itself, or a closed one
        petition_mark_duplicate(petition_id=duplicate, user=officer, original_id=duplicate)


def test_a_citizen_cannot_answer(world, api_key, staff):
    from motcua.org.models import User

    petition_id = new_request(Client(), api_key)
    desk_reform = staff("SO-NV", role=User.Role.REFORM_OFFICE)
    with pytest.raises(PermissionDenied):
        petition_answer(petition_id=petition_id, user=desk_reform, text="Xong")
