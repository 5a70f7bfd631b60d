"""Lifecycle rules of the second wave (issues 9 and 10), through the services, the API and the
desk's page: one-way imports, absolute links, apology dates, the return hand-over, required
versions, the desk's check of an online supplement, withdrawals, labels, forms and channels."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import override_settings

from motcua.audit.models import Event
from motcua.common.errors import ApiError, Conflict
from motcua.dossiers.models import Dossier, Handover, Status
from motcua.dossiers.online import OnlineApplication, dossier_submit_online
from motcua.dossiers.services import (
    ActionData,
    ApplicantData,
    ReceiptData,
    SubmittedDocument,
    dossier_act,
    dossier_receive,
)

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PROCEDURE = "1.003179"  # Đăng ký lại việc nuôi con nuôi có yếu tố nước ngoài: 5 days, Sở Tư pháp
ONLINE_PROCEDURE = "1.012906"  # Chứng chỉ môi giới bất động sản: provincial, online
PUBLIC = "https://dichvucong.haiphong.gov.vn"
DOCUMENTS = [
    SubmittedDocument(name="Tờ khai đăng ký lại việc nuôi con nuôi (theo mẫu)"),
    SubmittedDocument(name="Bản sao Quyết định cho nhận con nuôi đã cấp trước đây", form="copy"),
    SubmittedDocument(name="Hộ chiếu của cha mẹ nuôi", form="certified_copy", quantity=2),
    SubmittedDocument(name="Giấy khai sinh của người được nhận làm con nuôi", form="copy"),
    SubmittedDocument(name="Ảnh chụp gia đình người nhận con nuôi (4x6)", form="shown"),
    SubmittedDocument(name="Văn bản ủy quyền có công chứng (nếu nộp thay)", form="certified_copy"),
]


def at(day: str, hhmm: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=VN)


def applicant() -> ApplicantData:
    return ApplicantData(
        kind="person",
        name="Nguyễn Thị Ngữ",
        id_number="031190012345",
        phone="0912345678",
        email="ngu.nguyen@example.vn",
        address="Số 12 Lạch Tray, phường Ngô Quyền, Hải Phòng",
    )


def receive(world, when: dt.datetime | None = None, **changes) -> Dossier:
    data = ReceiptData(
        procedure_code=PROCEDURE, channel="counter", applicant=applicant(), documents=DOCUMENTS
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return dossier_receive(actor=world.user("demo-desk"), data=data, at=when)


def act(world, username, code, action, when=None, **fields) -> Dossier:
    return dossier_act(
        actor=world.user(username), code=code, data=ActionData(action=action, **fields), at=when
    )


def online_dossier(world) -> Dossier:
    """An online application without a fee by the demo citizen, waiting for the desk."""
    procedure = world.procedure(ONLINE_PROCEDURE)
    procedure.online_level = "full"
    procedure.fee_vnd = None
    procedure.save(update_fields=["online_level", "fee_vnd"])
    dossier = dossier_submit_online(
        applicant_user=world.user("demo-citizen"),
        application=OnlineApplication(
            procedure_code=ONLINE_PROCEDURE,
            applicant=ApplicantData(
                kind="person",
                name="Vũ Đức Anh",
                id_number="031092004517",
                phone="0904123456",
                email="vuducanh@example.vn",
                address="Số 8 Điện Biên Phủ, phường Hồng Bàng, Hải Phòng",
            ),
            form_data={"chung_chi": "Môi giới bất động sản"},
            receiving_agency_code="TTPVHCC",
        ),
    )
    assert dossier.status == Status.SUBMITTED
    return dossier


def auth(world, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.token(username)}"}


def pdf_text(content: bytes, tmp_path: Path) -> tuple[str, int]:
    path = tmp_path / "form.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(next(ln for ln in info.stdout.splitlines() if ln.startswith("Pages:")).split()[1])
    return text, pages


# --- one direction of flow ---------------------------------------------------------------------


# The rule "dossiers imports no app above it" is the import-linter layers contract in
# pyproject.toml, run by `make lint` (tests/config/test_import_layers.py shows it bites).


def test_the_applicants_notice_subscribes_to_the_lifecycles_events():
    from motcua.common.events import DOSSIER_CHANGED, subscribers
    from motcua.dossiers.notify import on_dossier_event

    # given the apps loaded / when / then: the services publish, the notice listens
    assert on_dossier_event in subscribers(DOSSIER_CHANGED)


@pytest.mark.django_db
def test_a_step_taken_with_notify_false_tells_the_applicant_nothing(
    world, django_capture_on_commit_callbacks
):
    # given a dossier received and finished quietly (as the history generator does)
    desk, specialist = world.user("demo-desk"), world.user("demo-specialist")
    data = ReceiptData(
        procedure_code=PROCEDURE, channel="counter", applicant=applicant(), documents=DOCUMENTS
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        code = dossier_receive(
            actor=desk, data=data, at=at("2026-03-02", "08:00"), notify=False
        ).code
        act(world, "demo-desk", code, "forward", at("2026-03-02", "09:00"), to_agency_code="SO-TP")
        dossier_act(
            actor=specialist,
            code=code,
            data=ActionData(action="finish", result_kind="paper"),
            at=at("2026-03-04", "09:00"),
            notify=False,
        )
    assert mail.outbox == []
    # when the desk returns it the ordinary way
    with django_capture_on_commit_callbacks(execute=True):
        act(world, "demo-desk", code, "return", at("2026-03-04", "10:00"))
    # then: the audit trail has every step, the applicant heard of the last one only
    (message,) = mail.outbox
    assert f"Hồ sơ {code} đã trả kết quả" in message.body
    assert Event.objects.filter(subject_type="dossier", subject_id=code).count() == 4


@override_settings(MOTCUA_PUBLIC_URL=PUBLIC)
def test_return_notice_still_invites_a_rating_through_an_absolute_link(
    world, django_capture_on_commit_callbacks
):
    # given: a dossier whose result is ready
    code = receive(world, at("2026-03-02", "08:00")).code
    act(world, "demo-desk", code, "forward", at("2026-03-02", "09:00"), to_agency_code="SO-TP")
    act(world, "demo-specialist", code, "finish", at("2026-03-04", "09:00"), result_kind="paper")
    mail.outbox.clear()
    # when: the desk returns it
    with django_capture_on_commit_callbacks(execute=True):
        act(world, "demo-desk", code, "return", at("2026-03-04", "10:00"))
    # then: the notice carries the ratings app's link, on the public address
    (message,) = mail.outbox
    assert "Mời ông/bà đánh giá mức độ hài lòng:" in message.body
    assert f"{PUBLIC}/danh-gia/l/" in message.body


@override_settings(MOTCUA_PUBLIC_URL=PUBLIC)
def test_receipt_slip_prints_an_absolute_tracking_link_and_fits_one_page(
    world, api_client, tmp_path
):
    """Form 01 for a dossier of six documents: one A5 page, signatures included."""
    dossier = receive(world)
    slip = api_client.get(
        f"/api/v1/dossiers/{dossier.code}/forms/receipt.pdf", headers=auth(world, "demo-desk")
    )
    assert slip.status_code == 200
    text, pages = pdf_text(slip.content, tmp_path)
    assert pages == 1
    assert f"{PUBLIC}/tra-cuu/?code={dossier.code}" in text.replace("\n", "")
    assert "NGƯỜI NỘP HỒ SƠ" in text and "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert "Văn bản ủy quyền có công chứng" in text


def test_links_are_absolute_even_without_configuring_the_public_address(
    world, django_capture_on_commit_callbacks
):
    """The default MOTCUA_PUBLIC_URL (http://127.0.0.1:8000) still gives links a phone can open."""
    from motcua.dossiers.form_data import form_data

    dossier = receive(world)
    assert form_data(dossier, "receipt")["tracking_url"] == (
        f"http://127.0.0.1:8000/tra-cuu/?code={dossier.code}"
    )
    act(world, "demo-desk", dossier.code, "forward", to_agency_code="SO-TP", version=1)
    act(world, "demo-specialist", dossier.code, "finish", result_kind="paper")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        act(world, "demo-desk", dossier.code, "return")
    assert "http://127.0.0.1:8000/danh-gia/l/" in mail.outbox[0].body


# --- the desk cannot fake online dossiers --------------------------------------------------------


def test_desk_cannot_create_an_online_dossier_through_the_api(world, api_client):
    count = Dossier.objects.count()
    response = api_client.post(
        "/api/v1/dossiers",
        {
            "procedure": PROCEDURE,
            "channel": "online",
            "applicant": {"kind": "person", "name": "Nguyễn Thị Ngữ", "id_number": "031190012345"},
            "documents": [{"name": "Tờ khai đăng ký lại việc nuôi con nuôi"}],
        },
        content_type="application/json",
        headers=auth(world, "demo-desk"),
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "online_only_from_portal"
    assert "Cổng dịch vụ công" in body["message"] and "portal" in body["message_en"]
    assert Dossier.objects.count() == count


def test_desk_receipt_form_offers_counter_and_post_only(world, client):
    assert client.login(username="demo-desk", password="motcua-demo")
    page = client.get("/ho-so/tiep-nhan/", {"procedure": PROCEDURE}).content.decode()
    assert 'value="counter"' in page and 'value="post"' in page
    assert 'value="online"' not in page
    posted = client.post(
        f"/ho-so/tiep-nhan/?procedure={PROCEDURE}",
        {
            "procedure": PROCEDURE,
            "channel": "online",
            "applicant_kind": "person",
            "applicant_name": "Nguyễn Thị Ngữ",
            "applicant_id_number": "031190012345",
            "outcome": "accept",
        },
    )
    assert posted.status_code in (200, 400) and not Dossier.objects.exists()


# --- versions on the API -----------------------------------------------------------------------


def test_an_api_action_without_version_is_refused_and_changes_nothing(world, api_client):
    dossier = receive(world)
    events = Event.objects.count()
    response = api_client.post(
        f"/api/v1/dossiers/{dossier.code}/actions",
        {"action": "forward", "to_agency": "SO-TP"},
        content_type="application/json",
        headers=auth(world, "demo-desk"),
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "version_required"
    assert "phiên bản" in body["message"] and "version is required" in body["message_en"]
    dossier.refresh_from_db()
    assert (dossier.version, dossier.current_agency.code) == (1, "TTPVHCC")
    assert Event.objects.count() == events


# --- apology dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("asked", "appointed"),
    [
        (("2026-03-11", "10:00"), ("2026-03-11", "17:00")),  # a Wednesday: that day's close
        (("2026-03-14", "09:00"), ("2026-03-16", "17:00")),  # a Saturday: Monday's close
        (("2026-04-30", "08:00"), ("2026-05-04", "17:00")),  # 30/4 and 1/5 off, then weekend
    ],
)
def test_apology_appointment_is_a_working_days_closing_time(world, asked, appointed):
    code = receive(world, at("2026-03-02", "09:00")).code
    act(world, "demo-desk", code, "forward", at("2026-03-02", "10:00"), to_agency_code="SO-TP")
    act(
        world,
        "demo-specialist",
        code,
        "apologize",
        at("2026-03-05", "09:00"),
        reason="Chờ kết quả xác minh của cơ quan công an",
        new_due_at=at(*asked),
    )
    dossier = Dossier.objects.get(code=code)
    assert dossier.extended_due_at == at(*appointed)
    assert dossier.apology.new_due_at == at(*appointed)


# --- the return hand-over ----------------------------------------------------------------------


def test_a_late_pickup_does_not_count_against_the_desk(world):
    # given: the lead agency finishes on time and the result goes back to the desk
    code = receive(world, at("2026-03-02", "08:00")).code
    act(world, "demo-desk", code, "forward", at("2026-03-02", "09:00"), to_agency_code="SO-TP")
    act(world, "demo-specialist", code, "finish", at("2026-03-06", "10:00"), result_kind="paper")
    # when: the applicant collects it three weeks later
    act(world, "demo-desk", code, "return", at("2026-03-27", "15:00"))
    # then: the desk's hand-over was judged when the result was ready, not at the pickup
    back = Handover.objects.filter(dossier__code=code).order_by("position").last()
    assert back is not None
    assert back.to_agency.code == "TTPVHCC"
    assert back.completed_at == at("2026-03-06", "10:00")
    assert back.verdict in ("on_time", "early")
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.RETURNED and dossier.returned_at == at("2026-03-27", "15:00")


# --- an online supplement is checked by the desk -----------------------------------------------


def test_online_supplement_waits_for_the_desk_before_the_clock_resumes(world, client):
    # given: an accepted online dossier asked once for a supplement
    dossier = online_dossier(world)
    act(world, "demo-desk", dossier.code, "accept", at("2026-03-02", "08:00"))
    act(
        world,
        "demo-desk",
        dossier.code,
        "request_supplement",
        at("2026-03-02", "09:00"),
        reason="Thiếu bản sao chứng chỉ",
        items=["Bản sao Giấy chứng nhận hoàn thành khóa học"],
    )
    paused_due = Dossier.objects.get(pk=dossier.pk).due_at
    assert paused_due is not None
    # when: the applicant sends the documents online
    act(
        world,
        "demo-citizen",
        dossier.code,
        "supplement",
        at("2026-03-03", "09:00"),
        documents=[SubmittedDocument(name="Bản sao Giấy chứng nhận hoàn thành khóa học")],
    )
    # then: the dossier waits for the desk; the clock has not resumed
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_SUBMITTED
    assert dossier.due_at == paused_due
    with pytest.raises(Conflict):  # a supplement is asked for once only
        act(world, "demo-desk", dossier.code, "request_supplement", reason="Lần hai")
    # and the desk's page offers to accept it
    assert client.login(username="demo-desk", password="motcua-demo")
    page = client.get(f"/ho-so/{dossier.code}/").content.decode()
    assert 'value="accept_supplement"' in page
    # when: the desk accepts it a working day later
    act(world, "demo-desk", dossier.code, "accept_supplement", at("2026-03-04", "09:00"))
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    # two working days waited (Mon 09:00 → Wed 09:00) push the appointment back
    assert dossier.paused_seconds == 2 * 9 * 3600 + 1800 * 2
    assert dossier.due_at is not None and dossier.due_at > paused_due


def test_desk_may_refuse_an_online_supplement_and_citizens_cannot_accept_it(world):
    dossier = online_dossier(world)
    act(world, "demo-desk", dossier.code, "accept")
    act(world, "demo-desk", dossier.code, "request_supplement", reason="Thiếu ảnh", items=["Ảnh"])
    act(world, "demo-citizen", dossier.code, "supplement", documents=[])
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUPPLEMENT_SUBMITTED
    with pytest.raises(ApiError):
        act(world, "demo-citizen", dossier.code, "accept_supplement")
    act(world, "demo-desk", dossier.code, "refuse", reason="Giấy tờ bổ sung không hợp lệ")
    assert Dossier.objects.get(pk=dossier.pk).status == Status.REFUSED


# --- withdrawals and labels --------------------------------------------------------------------


def test_the_applicants_withdrawal_is_not_a_stop_by_the_agency(world, api_client):
    # given: an online dossier the applicant withdraws, and a counter dossier the desk stops
    online = online_dossier(world)
    act(world, "demo-citizen", online.code, "stop", reason="Nộp nhầm thủ tục")
    counter = receive(world)
    act(world, "demo-desk", counter.code, "stop", reason="Công dân đề nghị dừng tại quầy")
    # then: the data says who closed it, and the labels say so in Vietnamese
    online.refresh_from_db()
    counter.refresh_from_db()
    assert (online.status, counter.status) == (Status.WITHDRAWN, Status.STOPPED)
    withdrawn = api_client.get(
        f"/api/v1/dossiers/{online.code}",
        headers={**auth(world, "demo-desk"), "Accept-Language": "vi"},
    ).json()
    assert withdrawn["status_label"] == "Công dân rút hồ sơ"
    last = withdrawn["history"][-1]
    assert (last["action"], last["action_label"]) == ("withdraw", "Công dân rút hồ sơ")
    stopped = api_client.get(
        f"/api/v1/dossiers/{counter.code}",
        headers={**auth(world, "demo-desk"), "Accept-Language": "vi"},
    ).json()
    assert stopped["status_label"] == "Dừng xử lý"
    assert stopped["history"][-1]["action_label"] == "Dừng giải quyết hồ sơ"
    # and the desk cannot pretend to be the applicant
    other = receive(world)
    with pytest.raises(ApiError) as refused:
        act(world, "demo-desk", other.code, "withdraw", reason="x")
    assert refused.value.code == "only_applicant_withdraws"


def test_staff_read_every_action_in_vietnamese_in_the_history(world, client):
    dossier = online_dossier(world)
    act(world, "demo-desk", dossier.code, "accept")
    assert client.login(username="demo-desk", password="motcua-demo")
    page = client.get(f"/ho-so/{dossier.code}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Đã nộp trực tuyến" in page
    assert "Tiếp nhận hồ sơ trực tuyến" in page
    assert ">submit<" not in page and ">accept<" not in page


# --- form titles ---------------------------------------------------------------------------------


def test_forms_04_and_05_carry_their_titles(world, api_client, tmp_path):
    code = receive(world, at("2026-03-02", "09:00")).code
    act(world, "demo-desk", code, "forward", at("2026-03-02", "10:00"), to_agency_code="SO-TP")
    act(
        world,
        "demo-specialist",
        code,
        "apologize",
        at("2026-03-05", "09:00"),
        reason="Chờ kết quả xác minh",
        new_due_at=at("2026-03-13", "10:00"),
    )
    act(world, "demo-specialist", code, "stop", reason="Công dân có văn bản đề nghị dừng")
    headers = auth(world, "demo-specialist")
    apology = api_client.get(f"/api/v1/dossiers/{code}/forms/apology.pdf", headers=headers)
    text, _ = pdf_text(apology.content, tmp_path)
    title = "PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"
    assert title in " ".join(text.split())
    stop = api_client.get(f"/api/v1/dossiers/{code}/forms/stop.pdf", headers=headers)
    text, _ = pdf_text(stop.content, tmp_path)
    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" in " ".join(text.split())


def test_a_refused_transition_names_the_labels_in_vietnamese_and_the_codes_in_english():
    """The 409's values are the choices' lazy labels: each language renders its own."""
    # given
    from motcua.common.errors import Conflict
    from motcua.dossiers.models import Action, Status
    from motcua.dossiers.services.base import ERR_STATUS

    # when
    error = Conflict(
        *ERR_STATUS,
        action=Action.RETURN.label,
        state=Status.RECEIVED.label,
        action_code="return",
        status_code="received",
    )
    # then
    assert error.message == "Không thể “Đã trả kết quả” khi hồ sơ đang ở trạng thái “Đã tiếp nhận”."
    assert error.message_en == "Cannot return a dossier whose status is received."
