"""The organisation: current and historical units, agencies, demo accounts and API tokens."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings

from motcua.org.models import Agency, Unit

pytestmark = pytest.mark.django_db


def test_current_communes_come_from_vietnam_provinces(world):
    """Hải Phòng (code 31) has 114 communes, wards and special zones since 1 July 2025."""
    today = dt.date(2026, 1, 15)
    current = Unit.objects.valid_on(today).exclude(kind=Unit.Kind.PROVINCE)
    assert current.count() == 114
    assert current.filter(kind=Unit.Kind.SPECIAL_ZONE).exists()
    assert Unit.objects.valid_on(today).get(kind=Unit.Kind.PROVINCE).name == "Thành phố Hải Phòng"


def test_2018_districts_are_history(world):
    """Districts were valid in 2018 and are not valid today; the article's units stay queryable."""
    in_2018 = Unit.objects.valid_on(dt.date(2018, 6, 15))
    assert in_2018.filter(kind=Unit.Kind.DISTRICT).count() == 15
    assert in_2018.filter(name="Quận Hồng Bàng").exists()
    assert not Unit.objects.valid_on(dt.date(2026, 1, 1)).filter(kind=Unit.Kind.DISTRICT).exists()


def test_a_2018_commune_can_be_recorded_under_its_district(world):
    district = Unit.objects.get(name="Quận Hồng Bàng")
    commune = Unit.objects.create(
        code="11311",
        name="Phường Quán Toan",
        kind=Unit.Kind.WARD,
        parent=district,
        valid_from=dt.date(2018, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    assert commune in Unit.objects.valid_on(dt.date(2018, 12, 31))
    assert commune not in Unit.objects.valid_on(dt.date(2025, 7, 1))


def test_every_commune_has_a_desk_agency_with_a_unique_identifier(world):
    communes = Agency.objects.filter(kind=Agency.Kind.COMMUNE_COMMITTEE)
    assert communes.count() == 114
    assert communes.filter(has_one_stop_desk=True).count() == 114
    ids = list(Agency.objects.values_list("electronic_id", flat=True))
    assert len(ids) == len(set(ids))


def test_token_command_prints_a_working_bearer_token(world, api_client):
    """`motcua token demo-desk` prints a token that identifies the desk officer."""
    out = io.StringIO()
    call_command("token", "demo-desk", stdout=out)
    token = out.getvalue().strip()
    me = api_client.get("/api/v1/org/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json() == {
        "username": "demo-desk",
        "full_name": "Nguyễn Thị Thu Hà",
        "role": "desk_officer",
        "agency_code": "TTPVHCC",
    }
    wrong = api_client.get("/api/v1/org/me", headers={"Authorization": "Bearer mc_wrong"})
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "unauthenticated"


def test_demo_accounts_work_only_in_demo_mode(world, client):
    """The published demo passwords must be useless on a real installation."""
    assert client.login(username="demo-citizen", password="motcua-demo")
    client.logout()
    token = world.token("demo-desk")
    with override_settings(MOTCUA_DEMO_MODE=False):
        assert not client.login(username="demo-citizen", password="motcua-demo")
        response = client.get("/api/v1/org/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401


def test_demo_loader_is_idempotent(world):
    """Running `motcua demo` again creates nothing new."""
    counts = (Unit.objects.count(), Agency.objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (Unit.objects.count(), Agency.objects.count()) == counts


def test_units_api_lists_current_units_in_vietnamese_order(world, api_client):
    body = api_client.get("/api/v1/org/units", {"kind": "special_zone"}).json()
    names = [u["name"] for u in body]
    assert names and names == sorted(
        names, key=__import__("motcua.common.text", fromlist=["x"]).vi_sort_key
    )
    bad = api_client.get("/api/v1/org/units", {"kind": "planet"})
    assert bad.status_code == 400


ELECTRONIC_ID = re.compile(r"^H24\.\d{3}\.\d{2}$")


def test_agencies_carry_hai_phong_level1_code_h24(world):
    """Decision 20/2020 identifiers MX1X2.Y1Y2Y3.Z1Z2: Hải Phòng is H24 (H31 is another
    province), so every agency's identifier and every dossier code starts with H24."""
    ids = list(Agency.objects.values_list("electronic_id", flat=True))
    assert ids
    assert [i for i in ids if not ELECTRONIC_ID.match(i)] == []
    assert Agency.objects.get(code="SO-NNMT").electronic_id == "H24.009.00"


def test_demo_reload_corrects_identifiers_of_an_older_demo_database(world):
    """A database loaded with the old H31 identifiers is corrected by `motcua demo`."""
    from motcua.demo.organisation import load_organisation

    # given
    agency = Agency.objects.get(code="SO-TP")
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE_COMMITTEE).order_by("code")[0]
    wanted = commune.electronic_id
    Agency.objects.filter(pk=agency.pk).update(electronic_id="H31.005.00")
    Agency.objects.filter(pk=commune.pk).update(electronic_id="H31.301.00")
    # when
    load_organisation()
    # then
    assert Agency.objects.get(pk=agency.pk).electronic_id == "H24.005.00"
    assert Agency.objects.get(pk=commune.pk).electronic_id == wanted
