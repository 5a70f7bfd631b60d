"""Who may have a dossier's files: the handling agencies, the applicant and administrators.
The reform office monitors dossiers (page, history) but never gets citizens' papers, and every
download is written to the audit log with who, what and why."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.audit.models import Event
from motcua.common.tests.files import one_page_pdf
from motcua.dossiers.documents import DOWNLOAD_ACTION
from motcua.dossiers.models import Document, Dossier
from motcua.dossiers.services import ActionData, dossier_act
from motcua.org.models import User

pytestmark = pytest.mark.django_db

VET = "1.004756"  # province level, received at TTPVHCC, handled by SO-NNMT
ID_CARD = one_page_pdf(b"Can cuoc cong dan 031095001234")
RESULT = one_page_pdf(b"Chung chi hanh nghe thu y")


@pytest.fixture
def dossier(world, client):
    """demo-citizen applies online with a scan of their ID card; the desk accepts, SO-NNMT
    issues an electronic result."""
    from motcua.catalog.models import Procedure

    Procedure.objects.filter(code=VET).update(fee_vnd=None)
    client.login(username="demo-citizen", password="motcua-demo")
    client.post(
        f"/nop-truc-tuyen/{VET}/",
        {
            "applicant_name": "Vũ Đức Anh",
            "applicant_kind": "person",
            "id_number": "031095001234",
            "phone": "0983123456",
            "email": "anh.vu@example.vn",
            "address": "Số 5 Điện Biên Phủ, phường Hồng Bàng, Hải Phòng",
            "f_pham_vi": "Tư vấn, các dịch vụ khác về thú y",
            "f_trinh_do": "Bác sĩ thú y",
            "f_noi_hanh_nghe": "Số 5 Điện Biên Phủ, Hải Phòng",
            "idempotency_key": "k-access-1",
            "confirm": "on",
            "file_0": [SimpleUploadedFile("don.pdf", RESULT, content_type="application/pdf")],
            "file_1": [SimpleUploadedFile("bang.pdf", RESULT, content_type="application/pdf")],
            "file_2": [SimpleUploadedFile("suc-khoe.pdf", RESULT, content_type="application/pdf")],
            "extra_files": [
                SimpleUploadedFile("can-cuoc.pdf", ID_CARD, content_type="application/pdf")
            ],
        },
    )
    client.logout()
    dossier = Dossier.objects.get(applicant_user=world.user("demo-citizen"))
    desk = world.user("demo-desk")
    dossier_act(actor=desk, code=dossier.code, data=ActionData(action="accept"))
    dossier_act(
        actor=desk, code=dossier.code, data=ActionData(action="forward", to_agency_code="SO-NNMT")
    )
    specialist = User.objects.create(
        username="nnmt-access", role=User.Role.SPECIALIST, agency=world.agency("SO-NNMT")
    )
    dossier_act(
        actor=specialist,
        code=dossier.code,
        data=ActionData(action="finish", result_kind="electronic", result_file_content=RESULT),
    )
    return Dossier.objects.get(pk=dossier.pk)


def _upload(dossier):
    return dossier.documents.get(kind=Document.Kind.SUBMITTED, original_name="can-cuoc.pdf")


def _result(dossier):
    return dossier.documents.get(kind=Document.Kind.RESULT)


def _downloads():
    return Event.objects.filter(action=DOWNLOAD_ACTION)


def test_reform_office_sees_the_dossier_but_not_its_papers(dossier, client):
    """403 on the ID card and on the result, GET and POST; the page opens, without links."""
    # given
    client.login(username="demo-reform", password="motcua-demo")
    # when
    page = client.get(f"/ho-so/{dossier.code}/")
    # then
    html = page.content.decode()
    assert page.status_code == 200
    assert dossier.procedure.name in html and "documents-restricted" in html
    for document in (_upload(dossier), _result(dossier)):
        url = f"/ho-so/{dossier.code}/giay-to/{document.pk}/"
        assert url not in html
        assert client.get(url).status_code == 403
        assert client.post(url, {"purpose": "handling"}).status_code == 403
    assert client.get(f"/ca-nhan/ho-so/{dossier.code}/ket-qua/").status_code in {403, 404}
    assert not _downloads().exists()


def test_the_handling_agency_downloads_with_a_purpose_and_it_is_audited(dossier, client, world):
    # given
    client.login(username="demo-desk", password="motcua-demo")
    document = _upload(dossier)
    url = f"/ho-so/{dossier.code}/giay-to/{document.pk}/"
    assert url in client.get(f"/ho-so/{dossier.code}/").content.decode()
    # when
    asked = client.get(url)
    response = client.post(url, {"purpose": "verification"})
    # then
    assert asked.status_code == 200 and 'name="purpose"' in asked.content.decode()
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == ID_CARD
    event = _downloads().get()
    assert event.actor == world.user("demo-desk")
    assert event.agency == world.agency("TTPVHCC")
    assert (event.subject_type, event.subject_id) == ("document", str(document.pk))
    assert event.payload["dossier"] == dossier.code
    assert event.payload["purpose"] == "verification"
    assert event.payload["username"] == "demo-desk"
    assert event.reason  # the purpose in words


def test_the_lead_agency_downloads_the_result(dossier, client, world):
    client.force_login(User.objects.get(username="nnmt-access"))
    result = _result(dossier)
    response = client.post(
        f"/ho-so/{dossier.code}/giay-to/{result.pk}/",
        {"purpose": "other", "reason": "Đối chiếu chứng chỉ trước khi ký số"},
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == RESULT
    event = _downloads().get()
    assert event.actor.username == "nnmt-access"
    assert event.reason == "Đối chiếu chứng chỉ trước khi ký số"


def test_a_download_without_a_reason_serves_nothing_and_records_nothing(dossier, client):
    client.login(username="demo-desk", password="motcua-demo")
    url = f"/ho-so/{dossier.code}/giay-to/{_upload(dossier).pk}/"
    assert client.post(url, {}).status_code == 400
    other = client.post(url, {"purpose": "other", "reason": " "})
    assert other.status_code == 400
    assert "ít nhất 5 ký tự" in other.content.decode()
    assert not _downloads().exists()


def test_an_agency_not_handling_the_dossier_gets_nothing(dossier, client):
    """Sở Tư pháp had no part in it: the dossier and its files do not exist for it."""
    client.login(username="demo-specialist", password="motcua-demo")
    url = f"/ho-so/{dossier.code}/giay-to/{_upload(dossier).pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"purpose": "handling"}).status_code == 404


def test_the_applicant_downloads_documents_and_result_and_both_are_audited(dossier, client, world):
    client.login(username="demo-citizen", password="motcua-demo")
    result = client.get(f"/ca-nhan/ho-so/{dossier.code}/ket-qua/")
    upload = client.get(f"/ca-nhan/giay-to/{_upload(dossier).pk}/")
    assert result.status_code == 200 and b"".join(result.streaming_content) == RESULT
    assert upload.status_code == 200 and b"".join(upload.streaming_content) == ID_CARD
    events = list(_downloads().order_by("id"))
    assert [e.actor for e in events] == [world.user("demo-citizen")] * 2
    assert [e.payload["purpose"] for e in events] == ["own_copy", "own_copy"]
    assert events[0].subject_id == str(_result(dossier).pk)


def test_an_administrator_downloads_with_a_purpose(dossier, client, world):
    client.login(username="admin", password="motcua-demo")
    response = client.post(
        f"/ho-so/{dossier.code}/giay-to/{_upload(dossier).pk}/",
        {"purpose": "applicant_request"},
    )
    assert response.status_code == 200
    assert _downloads().get().actor == world.user("admin")


def test_an_electronic_result_lands_in_the_applicants_store_when_finished(world, dossier):
    # then: the applicant owns the result in their personal store, stamped with the moment
    result = _result(dossier)
    assert result.owner == world.user("demo-citizen")
    assert dossier.result_stored_at == dossier.finished_at
    finish = Event.objects.get(subject_type="dossier", subject_id=dossier.code, action="finish")
    assert finish.payload["result_stored"] is True
