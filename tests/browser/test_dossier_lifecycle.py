"""The one-stop walk end to end in Chromium: a province-level Sở Tư pháp procedure received at
the counter goes through two agencies (Sở Tư pháp, then the City People's Committee), with one
supplement and one apology, comes back to the desk and is returned; its printed forms carry
the code and the right dates."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from motcua.catalog.models import DocumentRequirement, Procedure, ProcessStep
from motcua.dossiers.models import Dossier, Status
from motcua.org.models import User

pytestmark = pytest.mark.browser

PASSWORD = "motcua-demo"
APPLICANT = {
    "applicant_name": "Nguyễn Thị Ngữ",
    "applicant_id_number": "031190012345",
    "applicant_phone": "0912345678",
    "applicant_email": "ngu.nguyen@example.vn",
    "applicant_address": "Số 12 Lạch Tray, phường Ngô Quyền, thành phố Hải Phòng",
}


def liaison_procedure(world) -> Procedure:
    """A province-level procedure led by Sở Tư pháp, given a liên thông process:
    desk → Sở Tư pháp → the City People's Committee → desk."""
    procedure = (
        Procedure.objects.filter(
            status=Procedure.Status.ACTIVE,
            competent_agency__code="SO-TP",
            level_province=True,
            level_commune=False,
            processing_days__gte=3,
        )
        .order_by("-processing_days", "code")
        .first()
    )
    assert procedure is not None, "the demo catalog has no province-level Sở Tư pháp procedure"
    assert procedure.processing_days is not None
    days = Decimal(procedure.processing_days)
    steps = [
        ("Tiếp nhận, chuyển hồ sơ", "desk", None, Decimal("0.5")),
        ("Thẩm định hồ sơ", "lead", None, days - 2),
        ("Phê duyệt", "fixed", world.agency("UBND-TP"), Decimal(1)),
        ("Trả kết quả", "desk", None, Decimal("0.5")),
    ]
    ProcessStep.objects.filter(procedure=procedure).delete()
    for position, (name, role, agency, allowance) in enumerate(steps, start=1):
        ProcessStep.objects.create(
            procedure=procedure,
            position=position,
            name=name,
            agency_role=role,
            agency=agency,
            allowance_days=allowance,
        )
    if not procedure.documents.exists():
        DocumentRequirement.objects.create(
            procedure=procedure, position=1, name="Tờ khai theo mẫu", required=True
        )
        DocumentRequirement.objects.create(
            procedure=procedure,
            position=2,
            name="Văn bản ủy quyền",
            required=False,
            form=DocumentRequirement.Form.CERTIFIED_COPY,
        )
    return procedure


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def log_out(page: Page) -> None:
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_load_state()


def act(page: Page, action: str, **fields: str) -> None:
    """Open the action's section on the dossier page, fill it in and submit it."""
    section = page.locator(f"#act-{action}")
    section.locator("summary").click()
    for name, value in fields.items():
        field = section.locator(f"[name={name}]")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    section.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".messages .msg-success")).to_be_visible()


def pdf_text(page: Page, base_url: str, code: str, form: str, tmp_path) -> str:
    response = page.request.get(f"{base_url}/api/v1/dossiers/{code}/forms/{form}.pdf")
    assert response.ok, f"{form}.pdf: HTTP {response.status}"
    assert response.headers["content-type"].startswith("application/pdf")
    path = tmp_path / f"{form}.pdf"
    path.write_bytes(response.body())
    text = subprocess.run(  # fixed executable, our own file
        ["/usr/bin/pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return " ".join(text.split())


def local_day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def test_dossier_through_two_agencies_with_supplement_and_apology(
    page: Page, live_server, world, tmp_path
):
    # given: the process and an officer of the City People's Committee
    procedure = liaison_procedure(world)
    User.objects.create_user(
        username="ubnd-chuyenvien",
        password=PASSWORD,
        full_name="Đỗ Văn Quyết",
        role=User.Role.SPECIALIST,
        agency=world.agency("UBND-TP"),
    )

    # when: the desk receives the dossier at the counter
    log_in(page, "demo-desk")
    page.goto("/ho-so/")
    page.locator("a[href='/ho-so/tiep-nhan/']").first.click()
    page.fill("#id_procedure", procedure.code)
    page.keyboard.press("Enter")
    page.wait_for_selector("form.receipt")
    page.select_option("#id_channel", "counter")
    page.select_option("#id_applicant_kind", "person")
    for name, value in APPLICANT.items():
        page.fill(f"#id_{name}", value)
    for box in page.locator("input[name=documents]").all():
        box.check()
    page.check("input[name=outcome][value=accept]")
    page.locator("form.receipt button[type=submit]").click()
    page.wait_for_url("**/ho-so/H24.005.00-*/")
    dossier = Dossier.objects.get()
    code = dossier.code
    assert dossier.lead_agency.code == "SO-TP"
    assert dossier.due_at is not None and dossier.original_due_at is not None
    expect(page.locator(".messages .msg-success")).to_contain_text(code)
    expect(page.locator(".messages .msg-success")).to_contain_text(local_day(dossier.due_at))

    # and forwards it to Sở Tư pháp
    act(page, "forward", to_agency="SO-TP", reason="Chuyển Sở Tư pháp thẩm định")
    log_out(page)

    # and Sở Tư pháp asks once for a supplement
    log_in(page, "demo-specialist")
    page.goto("/ho-so/")
    page.locator(f"a[href='/ho-so/{code}/']").click()
    act(
        page,
        "request_supplement",
        items="Bản sao Giấy chứng nhận việc nuôi con nuôi\nẢnh 4x6 của con nuôi",
        reason="Thiếu giấy tờ chứng minh việc nuôi con nuôi trước đây",
    )
    assert Dossier.objects.get().status == Status.WAITING_SUPPLEMENT
    log_out(page)

    # and the desk records the supplement the applicant brought
    log_in(page, "demo-desk")
    page.goto(f"/ho-so/{code}/")
    act(page, "supplement", documents="Bản sao Giấy chứng nhận việc nuôi con nuôi\nẢnh 4x6")
    log_out(page)

    # and Sở Tư pháp forwards it to the City People's Committee for approval
    log_in(page, "demo-specialist")
    page.goto(f"/ho-so/{code}/")
    act(page, "forward", to_agency="UBND-TP", reason="Trình UBND thành phố phê duyệt")
    log_out(page)

    # and the Committee apologises with a new date, then records a paper result
    appointment = Dossier.objects.get().appointment_at
    new_due = dt.datetime.combine(
        timezone.localtime(appointment).date() + dt.timedelta(days=7),
        dt.time(16, 0),
        tzinfo=timezone.get_current_timezone(),
    )
    log_in(page, "ubnd-chuyenvien")
    page.goto(f"/ho-so/{code}/")
    act(
        page,
        "apologize",
        new_due_at=new_due.strftime("%Y-%m-%dT%H:%M"),
        reason="Cần thêm thời gian lấy ý kiến cơ quan liên quan",
    )
    # the new appointment is that working day's closing time
    appointed = new_due.replace(hour=17, minute=0)
    expect(page.locator("#new-appointment")).to_contain_text(appointed.strftime("17:00 %d/%m/%Y"))
    act(page, "finish", result_kind="paper", result_note="Quyết định công nhận việc nuôi con nuôi")
    log_out(page)

    # and the desk returns the result to the applicant
    log_in(page, "demo-desk")
    page.goto(f"/ho-so/{code}/")
    act(page, "return", returned_how="in_person")

    # then: the dossier is closed, and its page tells the whole story
    dossier = Dossier.objects.get()
    assert dossier.status == Status.RETURNED
    assert dossier.extended_due_at == appointed
    assert list(dossier.handovers.values_list("to_agency__code", flat=True)) == [
        "TTPVHCC",
        "SO-TP",
        "UBND-TP",
        "TTPVHCC",
    ]
    assert page.locator("table.history tbody tr").count() == 8
    assert page.locator("table.handovers tbody tr").count() == 4
    expect(page.locator("#act-return")).to_have_count(0)

    # and the printed forms carry the code and the right dates
    receipt = pdf_text(page, live_server.url, code, "receipt", tmp_path)
    assert code in receipt
    assert dossier.original_due_at is not None
    assert local_day(dossier.original_due_at) in receipt
    apology = pdf_text(page, live_server.url, code, "apology", tmp_path)
    assert code in apology
    assert local_day(new_due) in apology
    control_sheet = pdf_text(page, live_server.url, code, "control-sheet", tmp_path)
    assert code in control_sheet
