"""A citizen registers, applies online for a procedure with a fee, pays through the test
gateway, follows the dossier to its electronic result and downloads it; another citizen
cannot see it."""

import pytest

from motcua.common.tests.files import one_page_pdf
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import ActionData, dossier_act
from motcua.org.models import User

pytestmark = pytest.mark.browser

VET = "1.004756"  # Cấp Chứng chỉ hành nghề thú y: 50.000 đ, province level, Sở NN-MT
RESULT_PDF = one_page_pdf(b"Chung chi hanh nghe thu y so 31/2026")


def _register(page, email, name, id_number):
    page.goto("/tai-khoan/dang-ky/")
    page.fill("#id_full_name", name)
    page.fill("#id_email", email)
    page.fill("#id_id_number", id_number)
    page.fill("#id_address", "Số 5 Điện Biên Phủ, phường Hồng Bàng, Hải Phòng")
    page.fill("#id_password1", "Hai-Phong-mot-cua-2026")
    page.fill("#id_password2", "Hai-Phong-mot-cua-2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/ca-nhan/")


def test_register_apply_pay_and_download_the_result(page, world, tmp_path):
    # given: a new citizen
    _register(page, "ngu.nguyen@example.vn", "Nguyễn Thị Ngữ", "031190012345")
    # when: she applies online from the procedure page
    page.goto(f"/thu-tuc/{VET}/")
    page.click("#apply-online")
    page.select_option("#id_f_pham_vi", label="Tư vấn, các dịch vụ khác về thú y")
    page.fill("#id_f_trinh_do", "Bác sĩ thú y")
    page.fill("#id_f_noi_hanh_nghe", "Số 5 Điện Biên Phủ, Hải Phòng")
    # the catalog's required papers for 1.004756: application, diploma, health certificate
    for index, name in enumerate(("don-01-hnty.pdf", "bang-tot-nghiep.pdf", "suc-khoe.pdf")):
        paper = tmp_path / name
        paper.write_bytes(one_page_pdf(name.encode()))
        page.set_input_files(f"#id_file_{index}", str(paper))
    page.check("#id_confirm")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/ca-nhan/ho-so/**")
    code = page.locator("h1").inner_text().strip()
    assert Dossier.objects.get(code=code).status == "paying"
    # and pays the fee through the test gateway
    page.click("#pay")
    page.wait_for_selector("#bank-pay")
    assert "50.000" in page.content() or "50,000" in page.content()
    page.click("#bank-pay")
    page.wait_for_load_state()
    page.goto(f"/ca-nhan/ho-so/{code}/")
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == "submitted" and dossier.paid_online
    # then: the desk accepts it, Sở NN-MT issues an electronic result, the desk returns it
    desk = world.user("demo-desk")
    dossier_act(actor=desk, code=code, data=ActionData(action="accept"))
    dossier_act(actor=desk, code=code, data=ActionData(action="forward", to_agency_code="SO-NNMT"))
    officer = User.objects.create(
        username="nnmt-chuyenvien",
        role=User.Role.SPECIALIST,
        full_name="Đặng Văn Lộc",
        agency=world.agency("SO-NNMT"),
    )
    dossier_act(
        actor=officer,
        code=code,
        data=ActionData(action="finish", result_kind="electronic", result_file_content=RESULT_PDF),
    )
    dossier_act(actor=desk, code=code, data=ActionData(action="return", returned_how="electronic"))
    page.goto(f"/ca-nhan/ho-so/{code}/")
    assert page.locator("#dossier-status").inner_text() in {"Đã trả kết quả", "Returned"}
    with page.expect_download() as download_info:
        page.click("#download-result")
    downloaded = tmp_path / "ket-qua.pdf"
    download_info.value.save_as(downloaded)
    assert downloaded.read_bytes() == RESULT_PDF
    # and another citizen sees nothing of it
    page.context.clear_cookies()
    _register(page, "binh.le@example.vn", "Lê Thị Bình", "031088004321")
    assert code not in page.content()
    response = page.request.get(f"/ca-nhan/ho-so/{code}/ket-qua/")
    assert response.status == 404
    assert page.request.get(f"/ca-nhan/ho-so/{code}/").status == 404
