"""The desk receives an online dossier in Chromium: a citizen applies online with a file and
the electronic form; the desk officer finds it in the queue, opens it, sees the uploaded file
(its link serves the file) and the form's values under their labels, then accepts it; the history
reads in words and the citizen sees it accepted."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from motcua.catalog.models import Procedure
from motcua.common.tests.files import one_page_pdf
from motcua.dossiers.models import Dossier, Status

pytestmark = pytest.mark.browser

PASSWORD = "motcua-demo"
VET = "1.004756"  # Cấp Chứng chỉ hành nghề thú y: province level, fully online, Sở NN-MT


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def test_desk_opens_an_online_dossier_sees_its_file_and_form_and_accepts_it(page, world, tmp_path):
    # given: the procedure has no fee, so the dossier goes straight to the desk
    Procedure.objects.filter(code=VET).update(fee_vnd=None)
    log_in(page, "demo-citizen")
    page.goto(f"/thu-tuc/{VET}/")
    page.click("#apply-online")
    page.fill("#id_id_number", "031095001234")  # the demo account has no ID number on file
    page.fill("#id_address", "Số 5 Điện Biên Phủ, phường Hồng Bàng, Hải Phòng")
    page.select_option("#id_f_pham_vi", label="Tư vấn, các dịch vụ khác về thú y")
    page.fill("#id_f_trinh_do", "Bác sĩ thú y")
    page.fill("#id_f_noi_hanh_nghe", "Số 5 Điện Biên Phủ, Hải Phòng")
    # the catalog's required papers for 1.004756: application, diploma, health certificate
    papers = {
        "don-dang-ky-01-hnty.pdf": one_page_pdf(b"don-dang-ky-01-hnty"),
        "bang-bac-si-thu-y.pdf": one_page_pdf(b"bang-bac-si-thu-y"),
        "giay-chung-nhan-suc-khoe.pdf": one_page_pdf(b"giay-chung-nhan-suc-khoe"),
    }
    for index, (name, content) in enumerate(papers.items()):
        paper = tmp_path / name
        paper.write_bytes(content)
        page.set_input_files(f"#id_file_{index}", str(paper))
    page.check("#id_confirm")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/ca-nhan/ho-so/**")
    code = page.locator("h1").inner_text().strip()
    assert Dossier.objects.get(code=code).status == Status.SUBMITTED
    page.context.clear_cookies()

    # when: the desk officer opens it from the queue
    log_in(page, "demo-desk")
    page.goto("/ho-so/")
    page.locator(f"a[href='/ho-so/{code}/']").click()
    page.wait_for_url(f"**/ho-so/{code}/")

    # then: the uploaded files are listed; a link asks why, then serves the file as sent
    links = page.locator("ul.documents a")
    expect(links).to_have_count(3)
    links.first.click()
    page.check("input[name=purpose][value=completeness]")
    with page.expect_download() as download_info:
        page.locator("main form button[type=submit]").click()
    downloaded = tmp_path / "tai-ve.pdf"
    download_info.value.save_as(downloaded)
    assert downloaded.read_bytes() == papers[download_info.value.suggested_filename]
    page.goto(f"/ho-so/{code}/")
    # and the electronic form reads under its labels, not its field codes
    form = page.locator("dl.eform")
    expect(form).to_contain_text("Phạm vi hành nghề")
    expect(form).to_contain_text("Tư vấn, các dịch vụ khác về thú y")
    expect(form).to_contain_text("Bác sĩ thú y")
    expect(form).not_to_contain_text("pham_vi")
    expect(page.locator("table.history")).to_contain_text("Đã nộp trực tuyến")

    # when: the officer accepts it
    page.locator("#act-accept summary").click()
    page.locator("#act-accept button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator(".messages .msg-success")).to_be_visible()

    # then: it is received, with an appointment, and the history says who accepted it
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.RECEIVED and dossier.due_at is not None
    expect(page.locator("#dossier-status")).to_have_text("Đã tiếp nhận")
    expect(page.locator("table.history")).to_contain_text("Tiếp nhận hồ sơ trực tuyến")
    expect(page.locator("table.history")).not_to_contain_text("accept")
    expect(page.locator("ul.documents a")).to_have_count(3)  # still there after acceptance
