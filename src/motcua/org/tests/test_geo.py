"""The shipped map of Hải Phòng: which ward a point is in, and whether it is in the city."""

from __future__ import annotations

import pytest
from vietnam_provinces import Ward

from motcua.org.geo import contains, nearest_ward, province_map

# Real places, by their coordinates.
CHO_HANG = (20.8405, 106.6838)  # Chợ Hàng, Phường Lê Chân
DONG_KHE = (20.8650, 106.7050)  # Đông Khê, Phường Ngô Quyền
CAT_BA_TOWN = (20.7270, 107.0480)  # thị trấn Cát Bà, Đặc khu Cát Hải
BACH_LONG_VI = (20.1346, 107.7290)  # the island, 110 km out at sea
HAI_DUONG_STATION = (20.9445, 106.3320)  # ga Hải Dương, merged into the city in 2025
HOAN_KIEM_LAKE = (21.0285, 105.8522)  # Hà Nội
HA_LONG_BAY = (20.9100, 107.1840)  # Quảng Ninh
THAI_BINH_TOWN = (20.4500, 106.3400)  # Hưng Yên since 2025, across the Hóa river


@pytest.fixture(scope="module")
def hai_phong():
    area = province_map(31)
    assert area is not None
    return area


@pytest.mark.parametrize(
    ("point", "ward"),
    [
        (CHO_HANG, "Phường Lê Chân"),
        (DONG_KHE, "Phường Ngô Quyền"),
        (CAT_BA_TOWN, "Đặc khu Cát Hải"),
        (BACH_LONG_VI, "Đặc khu Bạch Long Vĩ"),
    ],
)
def test_the_ward_of_a_point_is_the_one_with_the_nearest_centre(hai_phong, point, ward):
    # given: a point in the city
    # when: its ward is looked up
    found = nearest_ward(hai_phong, *point)
    # then: it is the ward that holds the place
    assert found.name == ward


@pytest.mark.parametrize(
    "point", [CHO_HANG, DONG_KHE, CAT_BA_TOWN, BACH_LONG_VI, HAI_DUONG_STATION]
)
def test_points_in_the_city_islands_and_old_hai_duong_are_inside(hai_phong, point):
    assert contains(hai_phong, *point)


@pytest.mark.parametrize("point", [HOAN_KIEM_LAKE, HA_LONG_BAY, THAI_BINH_TOWN, (0.0, 0.0)])
def test_points_in_other_provinces_or_at_sea_are_outside(hai_phong, point):
    assert not contains(hai_phong, *point)


def test_every_ward_of_the_org_app_has_one_centre(hai_phong):
    # given: the city's wards, communes and special zones as the org app loads them
    units = {str(int(w.code)): w.name for w in Ward.iter_all() if int(w.province_code) == 31}
    # then: the map has one centre for each, under the same code and name
    assert {w.code: w.name for w in hai_phong.wards} == units
    assert len(hai_phong.wards) == 114


def test_no_map_is_shipped_for_another_province():
    assert province_map(1) is None
