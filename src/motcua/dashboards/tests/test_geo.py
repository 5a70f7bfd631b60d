"""Importing the communes' boundaries from a GeoJSON file (by service and through the admin
page) and serving them for the map: what is stored, what each bad file is told, and that a
refused file saves nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.common.errors import ApiError
from motcua.dashboards import geo
from motcua.dashboards.geo import boundaries_import, map_features
from motcua.dashboards.models import CommuneBoundary

pytestmark = pytest.mark.django_db

# Rough centres of three central Hải Phòng wards (longitude, latitude).
LE_CHAN = (106.675, 20.850)
NGO_QUYEN = (106.700, 20.860)
HONG_BANG = (106.655, 20.865)


def square(centre: tuple[float, float], half: float = 0.01) -> list[list[list[float]]]:
    lon, lat = centre
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return [ring]


def feature(properties: dict[str, Any], coordinates: Any, kind: str = "Polygon") -> dict:
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def collection(*features: dict) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def refused(content: bytes, code: str) -> str:
    """The import refuses `content` with error `code`, saving nothing; its Vietnamese text."""
    with pytest.raises(ApiError) as caught:
        boundaries_import(content)
    assert caught.value.code == code, caught.value.message_en
    assert not CommuneBoundary.objects.exists()
    return caught.value.message


def test_import_matches_by_code_and_name_and_reimport_replaces(world):
    """A national code, an agency code, and a name written without diacritics all find their
    ward; a second file replaces the boundary it gives and leaves the others."""
    # given
    content = collection(
        feature({"ma_xa": "11383", "ten_xa": "Phường Lê Chân"}, square(LE_CHAN)),
        feature({"code": "UBND-11341"}, square(NGO_QUYEN)),
        feature(
            {"NAME": "Phuong Hong Bang"},
            [square(HONG_BANG), square((106.64, 20.88), 0.002)],
            "MultiPolygon",
        ),
    )

    # when
    count = boundaries_import(content)

    # then
    assert count == 3
    le_chan = CommuneBoundary.objects.get(agency=world.agency("UBND-11383"))
    assert le_chan.name == "Phường Lê Chân"
    assert le_chan.geometry == {"type": "Polygon", "coordinates": square(LE_CHAN)}
    hong_bang = CommuneBoundary.objects.get(agency=world.agency("UBND-11311"))
    assert hong_bang.geometry["type"] == "MultiPolygon"
    assert CommuneBoundary.objects.get(agency=world.agency("UBND-11341")).name == "Phường Ngô Quyền"

    # when the province sends a corrected outline of Lê Chân, named without its prefix
    assert boundaries_import(collection(feature({"ten": "Lê Chân"}, square(LE_CHAN, 0.02)))) == 1

    # then
    assert CommuneBoundary.objects.count() == 3
    le_chan = CommuneBoundary.objects.get(agency=world.agency("UBND-11383"))
    assert le_chan.name == "Lê Chân"
    assert le_chan.geometry["coordinates"] == square(LE_CHAN, 0.02)


def test_a_name_folded_alike_for_two_communes_needs_its_diacritics(world):
    """ "Xã Cẩm Giang" and "Xã Cẩm Giàng" differ only by a tone mark: with the mark each is
    found, without it the import asks for the code instead of guessing."""
    assert boundaries_import(collection(feature({"ten_xa": "Xã Cẩm Giàng"}, square(LE_CHAN)))) == 1
    assert CommuneBoundary.objects.get().agency == world.agency("UBND-10903")
    CommuneBoundary.objects.all().delete()

    message = refused(
        collection(feature({"ten_xa": "Xa Cam Giang"}, square(LE_CHAN))), "geojson_ambiguous_name"
    )
    assert "Xã Cẩm Giang (10888)" in message and "Xã Cẩm Giàng (10903)" in message


def test_import_page_shows_how_many_were_imported(world, client):
    # given
    client.force_login(world.user("admin"))
    url = reverse("admin:dashboards_communeboundary_import")
    changelist = client.get(reverse("admin:dashboards_communeboundary_changelist"))
    assert url in changelist.content.decode()
    upload = SimpleUploadedFile(
        "hai-phong.geojson",
        collection(
            feature({"ma_xa": 11383, "ten_xa": "Phường Lê Chân"}, square(LE_CHAN)),
            feature({"ma_xa": 11341, "ten_xa": "Phường Ngô Quyền"}, square(NGO_QUYEN)),
        ),
        content_type="application/geo+json",
    )

    # when
    response = client.post(url, {"file": upload}, follow=True, HTTP_ACCEPT_LANGUAGE="vi")

    # then
    assert response.status_code == 200
    assert "Đã nhập 2 ranh giới." in response.content.decode()
    assert CommuneBoundary.objects.count() == 2


def test_import_page_shows_the_error_and_saves_nothing(world, client):
    client.force_login(world.user("admin"))
    upload = SimpleUploadedFile("ranh-gioi.geojson", b"ranh gioi phuong")

    response = client.post(
        reverse("admin:dashboards_communeboundary_import"),
        {"file": upload},
        HTTP_ACCEPT_LANGUAGE="vi",
    )

    assert response.status_code == 200
    assert "không phải JSON hợp lệ" in response.content.decode()
    assert not CommuneBoundary.objects.exists()


def test_import_page_is_for_those_who_may_add_boundaries(world, client):
    """A civil servant without the admin's add permission is refused, even as staff."""
    leader = world.user("demo-leader")
    leader.is_staff = True
    leader.save()
    client.force_login(leader)

    response = client.get(reverse("admin:dashboards_communeboundary_import"))

    assert response.status_code == 403


def test_not_json_is_refused(world):
    assert "dòng 1" in refused(b"Ranh gioi phuong Le Chan", "geojson_not_json")
    refused("Phường Lê Chân".encode("utf-16"), "geojson_not_text")


def test_a_single_feature_is_not_a_collection(world):
    single = json.dumps(feature({"ma_xa": "11383"}, square(LE_CHAN))).encode()
    assert "“Feature”" in refused(single, "geojson_not_feature_collection")


@pytest.mark.parametrize(
    ("kind", "coordinates"),
    [("LineString", square(LE_CHAN)[0]), ("Point", list(LE_CHAN))],
)
def test_only_areas_outline_a_commune(world, kind, coordinates):
    content = collection(
        feature({"ma_xa": "11341"}, square(NGO_QUYEN)),
        feature({"ma_xa": "11383", "ten_xa": "Phường Lê Chân"}, coordinates, kind),
    )
    message = refused(content, "geojson_geometry_type")
    assert kind in message and "#2 (Phường Lê Chân)" in message


def test_an_unclosed_ring_is_refused(world):
    ring = square(LE_CHAN)[0][:-1]
    message = refused(
        collection(feature({"ma_xa": "11383"}, [ring + [ring[1]]])), "geojson_ring_not_closed"
    )
    assert "#1 (11383)" in message


def test_bad_positions_are_refused(world):
    lon, lat = LE_CHAN
    projected = [[[585000, 2305000], [586000, 2305000], [586000, 2306000], [585000, 2305000]]]
    refused(collection(feature({"ma_xa": "11383"}, projected)), "geojson_out_of_range")
    as_text = [[[str(lon), str(lat)], [lon + 0.01, lat], [lon, lat + 0.01], [str(lon), str(lat)]]]
    refused(collection(feature({"ma_xa": "11383"}, as_text)), "geojson_bad_position")


def test_a_feature_matching_no_commune_is_named(world):
    content = collection(
        feature({"ma_xa": "11383", "ten_xa": "Phường Lê Chân"}, square(LE_CHAN)),
        feature({"ten_xa": "Phường Hoàn Kiếm"}, square(NGO_QUYEN)),
    )
    message = refused(content, "geojson_unmatched")
    assert "#2 (Phường Hoàn Kiếm)" in message and "#1" not in message


def test_a_file_where_no_feature_matches_is_refused(world):
    content = collection(
        feature({"ten": "Phường Hoàn Kiếm"}, square(LE_CHAN)),
        feature({"ten": "Phường Ba Đình"}, square(NGO_QUYEN)),
    )
    assert "2" in refused(content, "geojson_none_matched")


def test_a_code_and_name_of_two_communes_are_refused(world):
    content = collection(feature({"ma_xa": "11383", "ten_xa": "Phường Ngô Quyền"}, square(LE_CHAN)))
    refused(content, "geojson_code_name_conflict")


def test_two_features_for_one_commune_are_refused(world):
    content = collection(
        feature({"ma_xa": "11383"}, square(LE_CHAN)),
        feature({"ten_xa": "Phường Lê Chân"}, square(NGO_QUYEN)),
    )
    refused(content, "geojson_duplicate")


def test_a_file_over_the_limit_is_refused(world, monkeypatch):
    content = collection(feature({"ma_xa": "11383"}, square(LE_CHAN)))
    monkeypatch.setattr(geo, "MAX_UPLOAD_BYTES", len(content) - 1)
    refused(content, "geojson_too_large")


def test_map_features_carry_the_stored_boundaries_and_their_scores(world):
    # given
    assert map_features({}) == {"type": "FeatureCollection", "features": []}
    boundaries_import(
        collection(
            feature({"ma_xa": "11383"}, square(LE_CHAN)),
            feature({"ma_xa": "11341"}, square(NGO_QUYEN)),
        )
    )
    le_chan = world.agency("UBND-11383")

    # when
    collected = map_features({le_chan.pk: {"score": 72.5, "band": "good", "rank": 3}})

    # then
    assert collected["type"] == "FeatureCollection"
    by_code = {f["properties"]["agency"]: f for f in collected["features"]}
    assert by_code["UBND-11383"]["properties"] == {
        "agency": "UBND-11383",
        "name": "Ủy ban nhân dân Phường Lê Chân",
        "score": 72.5,
        "band": "good",
        "rank": 3,
    }
    assert by_code["UBND-11383"]["geometry"]["coordinates"] == square(LE_CHAN)
    assert by_code["UBND-11341"]["properties"] == {
        "agency": "UBND-11341",
        "name": "Ủy ban nhân dân Phường Ngô Quyền",
    }
