"""The dossier page offers an officer exactly the actions the service would let them take:
the holder's actions to the agency holding the dossier, the desk's to the desk that received
it, none to an agency that is not part of it or to the reform office."""

import re

import pytest

from motcua.dossiers.services import (
    ActionData,
    ApplicantData,
    ReceiptData,
    dossier_act,
    dossier_receive,
)

pytestmark = pytest.mark.django_db

ADOPTION = "1.003179"  # Đăng ký lại việc nuôi con nuôi có yếu tố nước ngoài: Sở Tư pháp


def offered(client, username: str, code: str) -> set[str]:
    assert client.login(username=username, password="motcua-demo")
    page = client.get(f"/ho-so/{code}/")
    client.logout()
    if page.status_code != 200:
        return {f"http {page.status_code}"}
    return set(re.findall(r'id="act-([a-z_]+)"', page.content.decode()))


@pytest.fixture
def forwarded(world):
    """Received at the province's service centre, then sent on to the justice department."""
    dossier = dossier_receive(
        actor=world.user("demo-desk"),
        data=ReceiptData(
            procedure_code=ADOPTION,
            channel="counter",
            applicant=ApplicantData(kind="person", name="Nguyễn Thị Ngữ", id_number="031190012345"),
        ),
    )
    dossier_act(
        actor=world.user("demo-desk"),
        code=dossier.code,
        data=ActionData(action="forward", to_agency_code="SO-TP", version=dossier.version),
    )
    return dossier


def test_the_holder_decides_the_desk_keeps_only_its_own_actions(forwarded, client):
    # when
    at_justice = offered(client, "demo-specialist", forwarded.code)
    at_desk = offered(client, "demo-desk", forwarded.code)
    # then
    assert {"finish", "forward", "apologize", "request_supplement", "refuse"} <= at_justice
    assert "finish" not in at_desk and "forward" not in at_desk
    assert "apologize" not in at_desk and "request_supplement" not in at_desk
    assert {"refuse", "stop"} <= at_desk


def test_an_agency_not_part_of_the_dossier_and_the_reform_office_get_no_action(
    forwarded, client, world
):
    from motcua.demo.organisation import load_demo_staff, staff_username

    load_demo_staff(agency_codes=["SO-XD"])
    # when / then
    assert offered(client, staff_username("SO-XD", "desk"), forwarded.code) == {"http 404"}
    assert offered(client, "demo-reform", forwarded.code) == set()


def test_the_administrator_is_offered_what_the_status_allows(forwarded, client):
    assert {"finish", "forward", "refuse", "stop"} <= offered(client, "admin", forwarded.code)


def test_a_role_that_never_acts_is_refused_before_any_conflict(forwarded, world):
    """The reform office sends a stale version of an action the status does not allow: the
    answer is about its role, not the dossier's state."""
    from motcua.common.errors import PermissionDenied

    # when
    with pytest.raises(PermissionDenied) as refused:
        dossier_act(
            actor=world.user("demo-reform"),
            code=forwarded.code,
            data=ActionData(action="return", version=1),
        )
    # then
    assert refused.value.code == "forbidden_role"
