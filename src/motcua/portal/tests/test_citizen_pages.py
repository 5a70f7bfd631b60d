"""What a citizen hits on the portal: a procedure not offered online says where to apply in
person instead of showing a form it would refuse, a dossier code is found whatever its case,
and the applicant's own withdrawal is called a withdrawal, not a stop by the agency."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.common.tests.files import one_page_pdf
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import ActionData, ApplicantData, ReceiptData, dossier_act
from motcua.dossiers.services import dossier_receive as desk_receive

pytestmark = pytest.mark.django_db

VET = "1.004756"  # Cấp Chứng chỉ hành nghề thú y: province level, fully online, 50.000 đ
TRUCKS = "1.000028"  # Cấp Giấy phép lưu hành xe quá tải trọng…: province level, not online
KIOSK = "/danh-gia/quay/"
NOT_ONLINE = "Thủ tục này chưa được cung cấp trực tuyến"


@pytest.fixture
def citizen(world, client):
    client.login(username="demo-citizen", password="motcua-demo")
    return world.user("demo-citizen")


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, one_page_pdf(name.encode()), content_type="application/pdf")


def _apply_vet(client, key: str = "k-vet-cp") -> Dossier:
    response = client.post(
        f"/nop-truc-tuyen/{VET}/",
        {
            "applicant_name": "Vũ Đức Anh",
            "applicant_kind": "person",
            "id_number": "031095001234",
            "phone": "0983123456",
            "address": "Số 5 Điện Biên Phủ, phường Hồng Bàng, Hải Phòng",
            "f_pham_vi": "Tư vấn, các dịch vụ khác về thú y",
            "f_trinh_do": "Bác sĩ thú y",
            "f_noi_hanh_nghe": "Số 5 Điện Biên Phủ, Hải Phòng",
            "idempotency_key": key,
            "confirm": "on",
            # 1.004756's required papers, in the order the catalog lists them
            "file_0": [_pdf("don-dang-ky-01-hnty.pdf")],
            "file_1": [_pdf("bang-bac-si-thu-y.pdf")],
            "file_2": [_pdf("giay-chung-nhan-suc-khoe.pdf")],
        },
    )
    assert response.status_code == 302
    return Dossier.objects.get(idempotency_key=key)


def test_a_procedure_not_online_says_where_to_apply_and_shows_no_form(citizen, client, world):
    """The page names the desk and the competent agency; there is nothing to fill in."""
    # when
    page = client.get(f"/nop-truc-tuyen/{TRUCKS}/")
    html = page.content.decode()
    # then
    assert page.status_code == 200
    assert NOT_ONLINE in html
    assert world.agency("TTPVHCC").name in html  # the province's one-stop desk
    assert "Sở Xây dựng" in html  # the agency that decides
    assert world.procedure(TRUCKS).name in html
    assert 'name="confirm"' not in html and 'type="file"' not in html
    assert 'enctype="multipart/form-data"' not in html


def test_posting_to_a_procedure_not_online_creates_nothing(citizen, client):
    """A form kept from an old page is answered with the same explanation."""
    # when
    response = client.post(
        f"/nop-truc-tuyen/{TRUCKS}/",
        {"applicant_name": "Vũ Đức Anh", "address": "Hải Phòng", "confirm": "on"},
    )
    # then
    assert response.status_code == 409
    assert NOT_ONLINE in response.content.decode()
    assert not Dossier.objects.filter(applicant_user=citizen).exists()


def test_the_procedure_page_offers_apply_online_only_when_it_is_online(client, world):
    # when
    online = client.get(f"/thu-tuc/{VET}/").content.decode()
    offline = client.get(f"/thu-tuc/{TRUCKS}/").content.decode()
    # then
    assert 'id="apply-online"' in online
    assert 'id="apply-online"' not in offline
    assert f"/nop-truc-tuyen/{TRUCKS}/" not in offline


def test_tracking_accepts_a_code_typed_in_lowercase_with_spaces(citizen, client):
    """Codes are stored in capitals; the citizen may type them any way."""
    # given
    dossier = _apply_vet(client)
    assert dossier.code == dossier.code.upper()
    client.logout()
    # when
    page = client.get(
        "/tra-cuu/", {"code": f"  {dossier.code.lower()} ", "key": f" {dossier.lookup_key} "}
    )
    # then
    assert page.status_code == 200
    assert 'id="tracked-status"' in page.content.decode()


def test_the_kiosk_accepts_a_code_typed_in_lowercase(world, client):
    """The rating kiosk at the desk takes the code as typed, too."""
    # given
    dossier = desk_receive(
        actor=world.user("demo-desk"),
        data=ReceiptData(
            procedure_code="1.003179",
            channel="counter",
            applicant=ApplicantData(kind="person", name="Nguyễn Thị Ngữ", id_number="031190012345"),
        ),
    )
    # when
    page = client.post(KIOSK, {"code": dossier.code.lower(), "key": dossier.lookup_key.lower()})
    # then
    assert page.status_code == 200
    assert f'value="{dossier.code}"' in page.content.decode()


def test_my_withdrawal_reads_as_withdrawn_everywhere_i_look(citizen, client):
    """My page, the dossier's page and public tracking say I withdrew it."""
    # given
    dossier = _apply_vet(client)
    client.post(
        f"/ca-nhan/ho-so/{dossier.code}/",
        {"action": "withdraw", "version": dossier.version, "reason": "Nộp nhầm thủ tục"},
    )
    assert Dossier.objects.get(pk=dossier.pk).status == Status.WITHDRAWN
    # when
    mine = client.get("/ca-nhan/").content.decode()
    page = client.get(f"/ca-nhan/ho-so/{dossier.code}/").content.decode()
    tracked = client.get("/tra-cuu/", {"code": dossier.code, "key": dossier.lookup_key})
    # then
    for html in (mine, page, tracked.content.decode()):
        assert "Công dân rút hồ sơ" in html  # the status, and the progress line on my page
        assert "Dừng xử lý" not in html


def test_a_stop_by_the_agency_is_still_called_a_stop(citizen, client, world):
    # given
    from motcua.catalog.models import Procedure

    Procedure.objects.filter(code=VET).update(fee_vnd=None)
    dossier = _apply_vet(client)
    dossier_act(
        actor=world.user("demo-desk"),
        code=dossier.code,
        data=ActionData(action="stop", reason="Người nộp đề nghị dừng qua điện thoại"),
    )
    # when
    page = client.get(f"/ca-nhan/ho-so/{dossier.code}/").content.decode()
    # then
    assert "Dừng xử lý" in page
    assert "rút hồ sơ" not in page.replace("Rút hồ sơ này", "")
