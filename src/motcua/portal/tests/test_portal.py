"""The citizen's side: apply online, track, supplement, withdraw, download the result — and
nobody else's dossiers or files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.models import Document, Dossier, Status
from motcua.dossiers.services import ActionData, dossier_act
from motcua.org.models import User

pytestmark = pytest.mark.django_db

# a one-page PDF that a parser opens (uploads are parsed, not grepped)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"
)
VET = "1.004756"  # Cấp Chứng chỉ hành nghề thú y: province level, 50,000 đ, 5 days
BIRTH = "1.001193"  # Đăng ký khai sinh: commune level, free, partly online


def _pdf(name="to-khai.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _vet_form(**changes):
    data = {
        "applicant_name": "Vũ Đức Anh",
        "applicant_kind": "person",
        "id_number": "031095001234",
        "phone": "0983123456",
        "email": "anh.vu@example.vn",
        "address": "Số 5 Điện Biên Phủ, phường Hồng Bàng, Hải Phòng",
        "f_pham_vi": "Tư vấn, các dịch vụ khác về thú y",
        "f_trinh_do": "Bác sĩ thú y",
        "f_noi_hanh_nghe": "Số 5 Điện Biên Phủ, Hải Phòng",
        "idempotency_key": "k-vet-1",
        "confirm": "on",
        "extra_files": [_pdf("don-de-nghi.pdf")],
        # 1.004756's required papers, in the order the catalog lists them
        "file_0": [_pdf("don-dang-ky-01-hnty.pdf", PDF + b"% don-dang-ky-01-hnty.pdf\n")],
        "file_1": [_pdf("bang-bac-si-thu-y.pdf", PDF + b"% bang-bac-si-thu-y.pdf\n")],
        "file_2": [_pdf("giay-chung-nhan-suc-khoe.pdf", PDF + b"% giay-chung-nhan-suc-khoe.pdf\n")],
    }
    data.update(changes)
    return data


@pytest.fixture
def citizen(world, client):
    client.login(username="demo-citizen", password="motcua-demo")
    return world.user("demo-citizen")


def test_apply_with_a_fee_waits_for_payment(citizen, client):
    response = client.post(f"/nop-truc-tuyen/{VET}/", _vet_form())
    dossier = Dossier.objects.get(applicant_user=citizen)
    assert response.status_code == 302 and response["Location"] == f"/ca-nhan/ho-so/{dossier.code}/"
    assert (dossier.status, dossier.channel, dossier.fee_vnd) == (Status.PAYING, "online", 50_000)
    assert dossier.form_data["trinh_do"] == "Bác sĩ thú y"
    assert dossier.receiving_agency.code == "TTPVHCC" and dossier.lead_agency.code == "SO-NNMT"
    page = client.get(response["Location"]).content.decode()
    assert "50.000" in page or "50,000" in page


def test_a_double_click_makes_one_dossier(citizen, client):
    """The form carries an idempotency key: a retry returns the same dossier."""
    first = client.post(f"/nop-truc-tuyen/{VET}/", _vet_form())
    second = client.post(f"/nop-truc-tuyen/{VET}/", _vet_form())
    assert first["Location"] == second["Location"]
    assert Dossier.objects.filter(applicant_user=citizen).count() == 1


@pytest.mark.parametrize(
    ("upload", "code_text"),
    [
        (_pdf("anh.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20), "PDF, JPEG"),
        (
            _pdf(
                "khai.pdf",
                PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(x)>>"),
            ),
            "JavaScript",
        ),
    ],
)
def test_bad_files_change_nothing(citizen, client, upload, code_text):
    response = client.post(f"/nop-truc-tuyen/{VET}/", _vet_form(extra_files=[upload]))
    assert response.status_code == 400
    assert code_text in response.content.decode()
    assert not Dossier.objects.filter(applicant_user=citizen).exists()
    assert not Document.objects.filter(owner=citizen).exists()


def test_commune_procedure_needs_a_commune_and_documents(citizen, client, world):
    data = {
        "applicant_name": "Vũ Đức Anh",
        "applicant_kind": "person",
        "id_number": "031095001234",
        "address": "Hải Phòng",
        "f_ho_ten_tre": "Vũ Minh An",
        "f_ngay_sinh": "2026-11-20",
        "f_noi_sinh": "Bệnh viện Phụ sản Hải Phòng",
        "f_ho_ten_me": "Trần Thị Mai",
        "idempotency_key": "k-birth",
        "confirm": "on",
    }
    no_commune = client.post(f"/nop-truc-tuyen/{BIRTH}/", data)
    assert no_commune.status_code == 400
    code = (
        world.agency("TTPVHCC")
        .__class__.objects.filter(kind="commune_committee")
        .values_list("code", flat=True)
        .first()
    )
    missing_docs = client.post(f"/nop-truc-tuyen/{BIRTH}/", {**data, "commune": code})
    assert missing_docs.status_code == 400
    assert "Giấy chứng sinh" in missing_docs.content.decode()
    complete = client.post(
        f"/nop-truc-tuyen/{BIRTH}/",
        {**data, "commune": code, "file_0": _pdf("to-khai.pdf"), "file_1": _pdf("chung-sinh.pdf")},
    )
    assert complete.status_code == 302
    dossier = Dossier.objects.get(applicant_user=citizen)
    assert dossier.status == Status.SUBMITTED and dossier.receiving_agency.code == code


def test_documents_in_the_store_are_reused_not_uploaded_again(citizen, client):
    """The first dossier's application form goes to the store; the second reuses it for the
    catalog's first required document instead of uploading it again."""
    client.post(f"/nop-truc-tuyen/{VET}/", _vet_form())
    stored = Document.objects.get(owner=citizen, original_name="don-dang-ky-01-hnty.pdf")
    form = _vet_form(idempotency_key="k-vet-3", extra_files=[], reuse_0=str(stored.pk))
    del form["file_0"]
    response = client.post(f"/nop-truc-tuyen/{VET}/", form)
    assert response.status_code == 302
    dossier = Dossier.objects.filter(applicant_user=citizen).order_by("-id").first()
    assert dossier.reused_documents == 1
    reused = dossier.documents.get(reused_from__isnull=False)
    assert reused.reused_from == stored and reused.file.name == stored.file.name


def test_tracking_needs_the_key_and_hides_personal_data(citizen, client):
    client.post(f"/nop-truc-tuyen/{VET}/", _vet_form())
    dossier = Dossier.objects.get(applicant_user=citizen)
    client.logout()
    page = client.get("/tra-cuu/", {"code": dossier.code, "key": dossier.lookup_key.lower()})
    html = page.content.decode()
    assert page.status_code == 200 and dossier.procedure.name in html
    assert "V. Đ. Anh" in html
    assert "0983123456" not in html and "031095001234" not in html and "anh.vu@" not in html
    wrong = client.get("/tra-cuu/", {"code": dossier.code, "key": "AAAAAA"})
    assert wrong.status_code == 404


def test_another_citizen_sees_nothing_of_it(citizen, client, world):
    client.post(f"/nop-truc-tuyen/{VET}/", _vet_form())
    dossier = Dossier.objects.get(applicant_user=citizen)
    document = Document.objects.filter(owner=citizen).first()
    User.objects.create_user(
        username="0912000111", password="Mat-khau-rat-dai-2026", full_name="Lê Thị Bình"
    )
    client.logout()
    client.login(username="0912000111", password="Mat-khau-rat-dai-2026")
    assert client.get(f"/ca-nhan/ho-so/{dossier.code}/").status_code == 404
    assert client.get(f"/ca-nhan/ho-so/{dossier.code}/ket-qua/").status_code == 404
    assert client.get(f"/ca-nhan/giay-to/{document.pk}/").status_code == 404
    assert dossier.code not in client.get("/ca-nhan/").content.decode()


def test_online_supplement_resumes_and_the_result_downloads(citizen, client, world):
    """desk accepts → asks for a supplement → the citizen uploads → … → electronic result."""
    from motcua.catalog.models import Procedure

    Procedure.objects.filter(code=VET).update(fee_vnd=None)  # no fee: straight to the desk
    client.post(f"/nop-truc-tuyen/{VET}/", _vet_form())
    dossier = Dossier.objects.get(applicant_user=citizen)
    assert dossier.status == Status.SUBMITTED
    desk = world.user("demo-desk")
    dossier_act(actor=desk, code=dossier.code, data=ActionData(action="accept"))
    dossier_act(
        actor=desk,
        code=dossier.code,
        data=ActionData(
            action="request_supplement",
            reason="Thiếu bằng tốt nghiệp",
            items=["Bản sao bằng tốt nghiệp chuyên ngành thú y"],
        ),
    )
    page = client.get(f"/ca-nhan/ho-so/{dossier.code}/").content.decode()
    assert "Bản sao bằng tốt nghiệp chuyên ngành thú y" in page
    version = Dossier.objects.get(pk=dossier.pk).version
    sent = client.post(
        f"/ca-nhan/ho-so/{dossier.code}/",
        {"action": "supplement", "version": version, "files": [_pdf("bang-tot-nghiep.pdf")]},
    )
    assert sent.status_code == 302
    # the desk checks what was sent online before the clock starts
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUPPLEMENT_SUBMITTED
    dossier_act(actor=desk, code=dossier.code, data=ActionData(action="accept_supplement"))
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED
    dossier_act(
        actor=desk, code=dossier.code, data=ActionData(action="forward", to_agency_code="SO-NNMT")
    )
    specialist = User.objects.create(
        username="nnmt-cv", role=User.Role.SPECIALIST, agency=world.agency("SO-NNMT")
    )
    result = b"%PDF-1.4\n% Chung chi hanh nghe thu y\n%%EOF"
    dossier_act(
        actor=specialist,
        code=dossier.code,
        data=ActionData(action="finish", result_kind="electronic", result_file_content=result),
    )
    download = client.get(f"/ca-nhan/ho-so/{dossier.code}/ket-qua/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == result
    assert "attachment" in download["Content-Disposition"]


def test_withdraw_online(citizen, client):
    client.post(f"/nop-truc-tuyen/{VET}/", _vet_form())
    dossier = Dossier.objects.get(applicant_user=citizen)
    response = client.post(
        f"/ca-nhan/ho-so/{dossier.code}/",
        {"action": "withdraw", "version": dossier.version, "reason": "Nộp nhầm thủ tục"},
    )
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == Status.WITHDRAWN


def test_an_applicant_signed_in_with_vneid_applies_with_population_data(citizen, client):
    # given: the account is linked to VNeID, the national population database's login
    from motcua.portal.models import ExternalAccount

    ExternalAccount.objects.create(user=citizen, provider="vneid", subject="vneid-031095001234")
    # when
    client.post(f"/nop-truc-tuyen/{VET}/", _vet_form())
    # then
    assert Dossier.objects.get(applicant_user=citizen).population_data


def test_an_applicant_with_a_password_account_applies_without_population_data(citizen, client):
    client.post(f"/nop-truc-tuyen/{VET}/", _vet_form())
    assert not Dossier.objects.get(applicant_user=citizen).population_data
