"""Routing by category and place, the deadline in working days, and likely duplicates shown
before sending (web) or in the service notice (Open311)."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from motcua.feedback.checks import PetitionInput
from motcua.feedback.models import Category, Petition
from motcua.feedback.selectors import distance_m
from motcua.feedback.services import petition_create
from motcua.workdays.selectors import get_calendar

from .conftest import HONG_BANG, LE_CHAN, OPERA_HOUSE, open311_post

# The province's time zone (settings.TIME_ZONE): Hải Phòng's wall clock.
VIETNAM_TIME = timezone.get_default_timezone()

MONDAY_MORNING = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VIETNAM_TIME)


def send(code: str = "HT01", now: dt.datetime = MONDAY_MORNING, **fields) -> Petition:
    data = PetitionInput(category_code=code, description="Có vấn đề cần xử lý.", **fields)
    return petition_create(data=data, channel="web", now=now).petition


def test_commune_categories_go_to_the_committee_of_the_ward(world):
    petition = send(address_id=HONG_BANG)
    assert petition.agency.code == "UBND-11311"
    assert petition.ward is not None and petition.ward.name == "Phường Hồng Bàng"


def test_the_ward_is_found_in_the_address_text(world):
    petition = send(address="12 Điện Biên Phủ, phường Lê Chân")
    assert petition.agency.code == f"UBND-{LE_CHAN}"


def test_without_a_ward_a_commune_category_goes_to_its_department(world):
    petition = send(address="Bãi đất trống cạnh chợ")
    assert petition.ward is None
    assert petition.agency.code == "SO-XD"
    assert send("MT01", address="Bãi đất trống cạnh chợ").agency.code == "SO-NNMT"


def test_a_point_without_a_ward_goes_to_the_committee_of_the_ward_at_the_point(world):
    # given: a pothole by Chợ Hàng, sent with its coordinates only
    # when: it is sent
    petition = send(lat=20.8405, long=106.6838)
    # then: the ward is the one whose centre is nearest, and its committee answers
    assert petition.ward is not None and petition.ward.code == LE_CHAN
    assert petition.agency.code == f"UBND-{LE_CHAN}"


def test_department_categories_go_to_the_department_wherever_the_place(world):
    petition = send("MT02", address_id=HONG_BANG, attributes={"pollution_kind": ["smell"]})
    assert petition.agency.code == "SO-NNMT"
    assert list(petition.attributes.values_list("code", "value")) == [("pollution_kind", "smell")]
    assert send("HC01", address="Toàn thành phố").agency.code == "VP-UBND"


def test_the_deadline_is_the_15_working_days_of_the_national_scoring(world):
    """PAKN deadlines on the national portal: 15 working days to handle (domain notes §4)."""
    # given: every shipped category, sent on a Monday morning
    petition = send(address_id=HONG_BANG)
    tree = send("HT04", address_id=HONG_BANG)
    # then: three working weeks later, at the end of the working day
    calendar = get_calendar()
    assert petition.due_at == calendar.due_at(MONDAY_MORNING, 15)
    assert petition.due_at == dt.datetime(2026, 3, 23, 17, 0, tzinfo=VIETNAM_TIME)
    assert tree.due_at == petition.due_at
    assert set(Category.objects.values_list("working_days", flat=True)) == {15}


def test_open311_notice_names_likely_duplicates_nearby(world, api_key):
    # given: a pothole at the opera house
    client = Client()
    first = open311_post(client, api_key).json()[0]["service_request_id"]
    # when: another ~80 m away, one of another kind at the same spot, one ~400 m away
    near = open311_post(client, api_key, lat=OPERA_HOUSE[0] + 0.0007).json()[0]
    other_kind = open311_post(client, api_key, service_code="HT02").json()[0]
    far = open311_post(client, api_key, lat=OPERA_HOUSE[0] + 0.0036).json()[0]
    # then
    assert distance_m(*OPERA_HOUSE, OPERA_HOUSE[0] + 0.0007, OPERA_HOUSE[1]) < 150
    assert f"phản ánh số {first}" in near["service_notice"]
    assert "trùng" not in other_kind["service_notice"]
    assert "trùng" not in far["service_notice"]


def test_same_ward_counts_when_a_position_is_missing(world):
    original = send(address_id=HONG_BANG, address="Đầu ngõ 12")
    again = petition_create(
        data=PetitionInput(category_code="HT01", description="Ổ gà.", address_id=HONG_BANG),
        channel="web",
        now=MONDAY_MORNING + dt.timedelta(days=1),
    )
    assert again.similar == [original]
    # older than 30 days, or closed: not suggested
    later = petition_create(
        data=PetitionInput(category_code="HT01", description="Ổ gà.", address_id=HONG_BANG),
        channel="web",
        now=MONDAY_MORNING + dt.timedelta(days=31),
    )
    assert original not in later.similar


def test_web_form_shows_similar_petitions_before_sending(world):
    # given
    original = send(address_id=HONG_BANG, now=dt.datetime.now(tz=VIETNAM_TIME))
    client = Client()
    # when: step one chooses the category and the ward
    page = client.get("/phan-anh/gui/", {"category": "HT01", "ward": HONG_BANG})
    # then: step two lists the open petition first
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="similar"' in html and f"#{original.pk}" in html
    assert "Send anyway" in html or "Vẫn gửi" in html
    # and for another ward nothing is suggested
    other = client.get("/phan-anh/gui/", {"category": "HT01", "ward": LE_CHAN})
    assert 'id="similar"' not in other.content.decode()
