"""The dossier REST API: the contracts other systems and the desk software rely on."""

import base64
import re

import pytest

from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^H24\.005\.00-\d{6}-\d{4}$")


def _auth(world, username):
    return {"Authorization": f"Bearer {world.token(username)}"}


def _receipt_body(**changes):
    body = {
        "procedure": "1.003179",
        "channel": "counter",
        "applicant": {
            "kind": "person",
            "name": "Nguyễn Thị Ngữ",
            "id_number": "031190012345",
            "phone": "0912345678",
            "email": "ngu@example.vn",
            "address": "Số 12 Lạch Tray, Ngô Quyền, Hải Phòng",
        },
        "documents": [{"name": "Tờ khai đăng ký lại việc nuôi con nuôi", "digitised": True}],
    }
    body.update(changes)
    return body


def _receive(api_client, world, **changes):
    return api_client.post(
        "/api/v1/dossiers",
        _receipt_body(**changes),
        content_type="application/json",
        headers=_auth(world, "demo-desk"),
    )


def _act(api_client, world, username, code, **body):
    return api_client.post(
        f"/api/v1/dossiers/{code}/actions",
        body,
        content_type="application/json",
        headers=_auth(world, username),
    )


def test_receipt_returns_code_status_and_due_at(world, api_client):
    response = _receive(api_client, world)
    assert response.status_code == 201, response.content
    body = response.json()
    assert CODE.match(body["code"])
    assert body["status"] == "received"
    assert body["due_at"] and body["due_at"].endswith("+07:00")
    assert body["history"][0]["action"] == "receive"


def test_full_walk_through_the_api(world, api_client):
    """receive → forward → request_supplement → supplement → apologize → finish → return, each
    action sending the version the caller last saw."""
    code = _receive(api_client, world).json()["code"]
    forwarded = _act(
        api_client, world, "demo-desk", code, action="forward", to_agency="SO-TP", version=1
    )
    assert forwarded.status_code == 200 and forwarded.json()["current_agency"] == "SO-TP"
    asked = _act(
        api_client,
        world,
        "demo-specialist",
        code,
        action="request_supplement",
        reason="Thiếu bản sao",
        items=["Bản sao quyết định"],
        version=2,
    ).json()
    assert asked["status"] == "waiting_supplement" and asked["version"] == 3
    again = _act(
        api_client,
        world,
        "demo-specialist",
        code,
        action="request_supplement",
        reason="Lần hai",
        version=3,
    )
    assert again.status_code == 409
    supplied = _act(api_client, world, "demo-desk", code, action="supplement", version=3)
    assert supplied.json()["status"] == "processing"
    due = Dossier.objects.get(code=code).due_at
    early = _act(
        api_client,
        world,
        "demo-specialist",
        code,
        action="apologize",
        reason="Chờ xác minh",
        new_due_at=due.isoformat(),
        version=4,
    )
    assert early.status_code == 400 and early.json()["code"] == "new_date_not_later"
    apology = _act(
        api_client,
        world,
        "demo-specialist",
        code,
        action="apologize",
        reason="Chờ xác minh",
        new_due_at="2099-01-05T17:00:00+07:00",
        version=4,
    )
    assert apology.json()["new_due_at"].startswith("2099-01-05T17:00:00")
    pdf = base64.b64encode(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF").decode()
    finished = _act(
        api_client,
        world,
        "demo-specialist",
        code,
        action="finish",
        result_kind="electronic",
        result_file_base64=pdf,
        version=5,
    )
    assert finished.json()["status"] == "result_ready"
    returned = _act(
        api_client, world, "demo-desk", code, action="return", returned_how="electronic", version=6
    )
    body = returned.json()
    assert body["status"] == "returned"
    assert [e["action"] for e in body["history"]] == [
        "receive",
        "forward",
        "request_supplement",
        "supplement",
        "apologize",
        "finish",
        "return",
    ]
    closed = _act(api_client, world, "demo-desk", code, action="supplement", version=7)
    assert closed.status_code == 409 and closed.json()["code"] == "invalid_transition"


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"procedure": "0.000000"}, 400, "unknown_procedure"),
        (
            {"applicant": {"kind": "person", "name": "Lê Văn C", "id_number": "03119001234X"}},
            400,
            "invalid_id_number",
        ),
        ({"channel": "fax"}, 400, "invalid_input"),
        ({"applicant": {"kind": "robot", "name": "X"}}, 400, "invalid_input"),
    ],
)
def test_bad_receipts_are_4xx_and_store_nothing(world, api_client, changes, status, code):
    count = Dossier.objects.count()
    response = _receive(api_client, world, **changes)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert Dossier.objects.count() == count


def test_unknown_action_and_unknown_agency(world, api_client):
    code = _receive(api_client, world).json()["code"]
    teleport = _act(api_client, world, "demo-desk", code, action="teleport", version=1)
    assert teleport.status_code == 400
    outside = _act(
        api_client, world, "demo-desk", code, action="forward", to_agency="SO-XD", version=1
    )
    assert outside.status_code == 400 and outside.json()["code"] == "agency_not_in_process"
    assert Dossier.objects.get(code=code).version == 1


def test_others_get_404_and_anonymous_401(world, api_client):
    code = _receive(api_client, world).json()["code"]
    assert api_client.get(f"/api/v1/dossiers/{code}").status_code == 401
    citizen = api_client.get(f"/api/v1/dossiers/{code}", headers=_auth(world, "demo-citizen"))
    assert citizen.status_code == 404
    leader = api_client.get(f"/api/v1/dossiers/{code}", headers=_auth(world, "demo-leader"))
    assert leader.status_code == 200  # Sở Tư pháp leads this dossier


def test_queue_lists_only_visible_dossiers(world, api_client):
    _receive(api_client, world)
    mine = api_client.get("/api/v1/dossiers", {"status": "open"}, headers=_auth(world, "demo-desk"))
    assert mine.status_code == 200 and mine.json()["total"] == 1
    citizen = api_client.get("/api/v1/dossiers", headers=_auth(world, "demo-citizen"))
    assert citizen.json()["total"] == 0
    bad = api_client.get("/api/v1/dossiers", {"sort": "x"}, headers=_auth(world, "demo-desk"))
    assert bad.status_code == 400


def test_printed_forms_carry_the_code_and_dates(world, api_client, tmp_path):
    """The receipt slip and the register are real PDFs with the code and the appointment."""
    import subprocess

    from django.utils import timezone

    body = _receive(api_client, world).json()
    headers = _auth(world, "demo-desk")
    slip = api_client.get(f"/api/v1/dossiers/{body['code']}/forms/receipt.pdf", headers=headers)
    assert slip.status_code == 200 and slip["Content-Type"] == "application/pdf"
    (tmp_path / "slip.pdf").write_bytes(slip.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "slip.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    due = Dossier.objects.get(code=body["code"]).due_at
    assert body["code"] in text
    assert f"{timezone.localtime(due):%d/%m/%Y}" in text
    assert "Nguyễn Thị Ngữ" in text
    missing = api_client.get(f"/api/v1/dossiers/{body['code']}/forms/apology.pdf", headers=headers)
    assert missing.status_code == 404 and missing.json()["code"] == "form_not_issued"
    today = timezone.localdate().isoformat()
    register = api_client.get(
        "/api/v1/dossiers/register.pdf", {"from": today, "to": today}, headers=headers
    )
    assert register.status_code == 200
    (tmp_path / "register.pdf").write_bytes(register.content)
    listing = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "register.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert body["code"] in listing


def test_the_register_and_the_slip_name_the_province_served(world, api_client, tmp_path, settings):
    """The letterhead comes from MOTCUA_PROVINCE_CODE, not from a name written in the code."""
    import subprocess

    from django.utils import timezone

    def text_of(response) -> str:
        assert response.status_code == 200
        (tmp_path / "form.pdf").write_bytes(response.content)
        return subprocess.run(
            ["pdftotext", str(tmp_path / "form.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    # given a dossier received at the desk, in an installation serving Cao Bằng (code 04)
    body = _receive(api_client, world).json()
    headers = _auth(world, "demo-desk")
    settings.MOTCUA_PROVINCE_CODE = 4
    today = timezone.localdate().isoformat()
    # when
    slip = text_of(
        api_client.get(f"/api/v1/dossiers/{body['code']}/forms/receipt.pdf", headers=headers)
    )
    register = text_of(
        api_client.get(
            "/api/v1/dossiers/register.pdf", {"from": today, "to": today}, headers=headers
        )
    )
    # then both are headed by Cao Bằng's People's Committee (the desk keeps its own name)
    for text in (slip, register):
        assert "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG" in text
        assert "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG" not in text
    assert "Cao Bằng, ngày" in slip and "Hải Phòng, ngày" not in slip


PDF = base64.b64encode(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF").decode()


def _forwarded(api_client, world, **changes):
    code = _receive(api_client, world, **changes).json()["code"]
    _act(api_client, world, "demo-desk", code, action="forward", to_agency="SO-TP", version=1)
    return code


def test_receipt_records_data_taken_from_the_population_database(world, api_client):
    # when
    taken = _receive(api_client, world, population_data=True).json()
    typed = _receive(api_client, world).json()
    # then
    assert taken["population_data"] is True
    assert typed["population_data"] is False
    assert Dossier.objects.get(code=taken["code"]).population_data


def test_certified_copy_is_refused_for_a_procedure_that_certifies_nothing(world, api_client):
    # given: adoption re-registration is not a certification procedure
    code = _forwarded(api_client, world)
    # when
    response = _act(
        api_client,
        world,
        "demo-specialist",
        code,
        action="finish",
        result_kind="paper",
        certified_copy=True,
        version=2,
    )
    # then
    assert response.status_code == 400
    assert response.json()["code"] == "not_a_certification"
    assert not Dossier.objects.get(code=code).certified_copy


def test_finish_of_a_certification_procedure_records_the_certified_copy(world, api_client):
    # given
    from motcua.catalog.models import Procedure

    Procedure.objects.filter(code="1.003179").update(certification=True)
    code = _forwarded(api_client, world)
    # when
    response = _act(
        api_client,
        world,
        "demo-specialist",
        code,
        action="finish",
        result_kind="electronic",
        result_file_base64=PDF,
        certified_copy=True,
        version=2,
    )
    # then
    body = response.json()
    assert response.status_code == 200, body
    assert body["certified_copy"] is True
    # a desk dossier has no applicant account: the result goes to no personal store
    assert body["result_stored_at"] is None
    finish = next(e for e in body["history"] if e["action"] == "finish")
    assert finish["payload"]["certified_copy"] is True
