"""The place of a petition picked on the offline map, or typed: points outside Hải Phòng are
refused, and a point without a chosen ward gives the ward."""

from __future__ import annotations

import html
import re

from django.test import Client

from motcua.feedback.forms import PlaceForm
from motcua.feedback.models import Petition

from .conftest import HONG_BANG, LE_CHAN, open311_post

CHO_HANG = ("20.8405", "106.6838")  # Chợ Hàng, Phường Lê Chân
HOAN_KIEM_LAKE = ("21.0285", "105.8522")  # Hà Nội
NGO_QUYEN = "11341"  # Phường Ngô Quyền


def test_a_point_outside_the_city_is_refused_with_a_vietnamese_message(world):
    # given: coordinates of Hồ Hoàn Kiếm, in Hà Nội
    form = PlaceForm({"category": "HT01", "lat": HOAN_KIEM_LAKE[0], "long": HOAN_KIEM_LAKE[1]})
    # when: the place step is checked
    valid = form.is_valid()
    # then: it is refused on the latitude, in Vietnamese
    assert not valid
    assert form.errors["lat"] == [
        "Điểm này nằm ngoài địa bàn thành phố. Hãy chọn lại vị trí trên bản đồ, kiểm tra lại "
        "toạ độ hoặc để trống."
    ]


def test_a_point_without_a_ward_fills_the_ward_and_a_chosen_ward_is_kept(world):
    # given: the point of Chợ Hàng, once alone and once with Hồng Bàng chosen
    alone = PlaceForm({"category": "HT01", "lat": CHO_HANG[0], "long": CHO_HANG[1]})
    chosen = PlaceForm(
        {"category": "HT01", "ward": HONG_BANG, "lat": CHO_HANG[0], "long": CHO_HANG[1]}
    )
    # then: the point gives Lê Chân; the citizen's choice wins over the point
    assert alone.is_valid() and alone.cleaned_data["ward"] == LE_CHAN
    assert chosen.is_valid() and chosen.cleaned_data["ward"] == HONG_BANG


def test_a_ward_named_in_the_address_wins_over_the_point(world):
    form = PlaceForm(
        {
            "category": "HT01",
            "address": "Số 2 Lạch Tray, phường Ngô Quyền",
            "lat": CHO_HANG[0],
            "long": CHO_HANG[1],
        }
    )
    assert form.is_valid() and form.cleaned_data["ward"] == NGO_QUYEN


def test_the_step_one_page_draws_the_map_from_shipped_data_without_javascript_fallback_lost(world):
    # when: the first step is opened
    page = Client().get("/phan-anh/gui/").content.decode()
    # then: the map data and the vendored Leaflet are there, and so are the coordinate boxes
    assert 'id="place-map-data"' in page and "Phường Lê Chân" in page
    assert "/static/feedback/vendor/leaflet-1.9.4/leaflet.js" in page
    assert 'id="id_lat_text" name="lat"' in page and 'id="id_long_text" name="long"' in page
    assert "http://" not in page.split("<body>")[0] and "https://" not in page.split("<body>")[0]


def test_the_details_step_carries_the_ward_of_the_point_and_sending_sets_it(world):
    # given: step one with only the point of Chợ Hàng
    client = Client()
    step_two = client.get(
        "/phan-anh/gui/", {"category": "HT03", "lat": CHO_HANG[0], "long": CHO_HANG[1]}
    )
    assert f'name="ward" value="{LE_CHAN}"' in step_two.content.decode()
    # when: the petition is sent without choosing a ward
    response = client.post(
        "/phan-anh/gui/",
        {
            "category": "HT03",
            "lat": CHO_HANG[0],
            "long": CHO_HANG[1],
            "description": "Cống trước chợ Hàng tắc, mưa là ngập.",
            "sender": "anonymous",
        },
    )
    # then: the petition is in Lê Chân
    assert response.status_code == 302
    ward = Petition.objects.latest("pk").ward
    assert ward is not None and ward.code == LE_CHAN


def test_open311_refuses_a_point_outside_the_province(world, api_key):
    # given: an app sending a request located in Hà Nội
    response = open311_post(Client(), api_key, lat=HOAN_KIEM_LAKE[0], long=HOAN_KIEM_LAKE[1])
    # then: it is a 400 naming the coordinates, and nothing is stored
    assert response.status_code == 400
    [error] = response.json()
    assert error["description"].startswith("Vị trí (21.0285, 105.8522) nằm ngoài địa bàn")
    assert not Petition.objects.filter(lat=float(HOAN_KIEM_LAKE[0])).exists()


def test_change_on_step_two_goes_back_to_the_map_with_the_point_kept(world):
    # given: step two of a petition placed at Chợ Hàng
    client = Client()
    step_two = client.get(
        "/phan-anh/gui/", {"category": "HT03", "lat": CHO_HANG[0], "long": CHO_HANG[1]}
    ).content.decode()
    change = re.search(r'href="(/phan-anh/gui/\?change=1[^"]+)"', step_two)
    assert change
    # when: the citizen follows "change"
    step_one = client.get(html.unescape(change.group(1))).content.decode()
    # then: step one is shown again with the point and the ward it gave
    assert 'id="place-map-data"' in step_one and 'name="description"' not in step_one
    assert 'id="id_lat_text" name="lat" inputmode="decimal" value="20.840500"' in step_one
    assert f'<option value="{LE_CHAN}" selected>' in step_one
