"""What the desk and the specialists see of a dossier: an online dossier's uploads and
electronic form before it is accepted, history in words rather than internal codes, the
applicant's own withdrawal told apart from a stop by the agency, and one deadline in the queue
(the appointment given to the applicant) for the badge, the counts and the order."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from motcua.audit.models import Event
from motcua.catalog.models import Procedure
from motcua.common.tests.files import one_page_pdf
from motcua.dossiers.models import Dossier
from motcua.dossiers.online import (
    OnlineApplication,
    UploadedDocument,
    dossier_mark_paid,
    dossier_submit_online,
)
from motcua.dossiers.services import (
    ActionData,
    ApplicantData,
    ReceiptData,
    dossier_act,
    dossier_receive,
)

pytestmark = pytest.mark.django_db

PASSWORD = "motcua-demo"
VET = "1.004756"  # Cấp Chứng chỉ hành nghề thú y: 50.000 đ, province level, Sở NN-MT
ADOPTION = "1.003179"  # Đăng ký lại việc nuôi con nuôi có yếu tố nước ngoài: 5 days, Sở Tư pháp
PDF = one_page_pdf(b"don-de-nghi")


def login(client, username: str) -> None:
    assert client.login(username=username, password=PASSWORD)


def submit_vet_online(world, *, key: str = "k-desk-1") -> Dossier:
    """Vũ Đức Anh applies online for a veterinary practice certificate, with one upload."""
    return dossier_submit_online(
        applicant_user=world.user("demo-citizen"),
        application=OnlineApplication(
            procedure_code=VET,
            applicant=ApplicantData(
                kind="person",
                name="Vũ Đức Anh",
                id_number="031095001234",
                phone="0983123456",
                address="Số 5 Điện Biên Phủ, phường Hồng Bàng, Hải Phòng",
            ),
            form_data={
                "pham_vi": "Tư vấn, các dịch vụ khác về thú y",
                "trinh_do": "Bác sĩ thú y",
                "noi_hanh_nghe": "Số 5 Điện Biên Phủ, Hải Phòng",
            },
            uploads=[
                UploadedDocument(
                    title="Đơn đề nghị cấp chứng chỉ hành nghề thú y",
                    content=PDF,
                    original_name="don-de-nghi.pdf",
                    content_type="application/pdf",
                )
            ],
            idempotency_key=key,
        ),
    )


def receive_adoption(world, *, at: dt.datetime | None = None) -> Dossier:
    return dossier_receive(
        actor=world.user("demo-desk"),
        at=at,
        data=ReceiptData(
            procedure_code=ADOPTION,
            channel="counter",
            applicant=ApplicantData(kind="person", name="Nguyễn Thị Ngữ", id_number="031190012345"),
        ),
    )


def history_actions(html: str) -> list[str]:
    """The "Action" column of the history table, cell by cell."""
    table = html.split('class="table history"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>\s*<td>.*?</td>\s*<td>.*?</td>\s*<td>(.*?)</td>", table, re.S)
    return [cell.strip() for cell in rows]


def test_desk_sees_the_uploads_and_the_electronic_form_before_accepting(world, client):
    """A submitted online dossier has no appointment and no printed form yet; the desk must
    still see the applicant's files (linked through the staff download) and the electronic
    form under its labels, or it accepts blind."""
    # given
    Procedure.objects.filter(code=VET).update(fee_vnd=None)  # no fee: straight to the desk
    dossier = submit_vet_online(world)
    document = dossier.documents.get()
    login(client, "demo-desk")
    # when
    page = client.get(f"/ho-so/{dossier.code}/")
    html = page.content.decode()
    # then
    assert page.status_code == 200
    assert f'href="/ho-so/{dossier.code}/giay-to/{document.pk}/"' in html
    assert "Đơn đề nghị cấp chứng chỉ hành nghề thú y" in html
    assert "Phạm vi hành nghề" in html and "Tư vấn, các dịch vụ khác về thú y" in html
    assert "Bác sĩ thú y" in html
    assert "pham_vi" not in html and "trinh_do" not in html
    purpose_form = client.get(f"/ho-so/{dossier.code}/giay-to/{document.pk}/")
    assert purpose_form.status_code == 200 and 'name="purpose"' in purpose_form.content.decode()
    download = client.post(
        f"/ho-so/{dossier.code}/giay-to/{document.pk}/", {"purpose": "completeness"}
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    recorded = Event.objects.filter(action="document_download").get()
    assert (recorded.actor_id, recorded.payload["purpose"]) == (
        world.user("demo-desk").pk,
        "completeness",
    )


def test_an_officer_of_an_agency_not_involved_sees_no_file(world, client):
    """The files are shown to whoever may open the dossier, and to nobody else."""
    # given
    Procedure.objects.filter(code=VET).update(fee_vnd=None)
    dossier = submit_vet_online(world)
    document = dossier.documents.get()
    login(client, "demo-specialist")  # Sở Tư pháp: not part of this dossier
    # when / then
    assert client.get(f"/ho-so/{dossier.code}/").status_code == 404
    assert client.get(f"/ho-so/{dossier.code}/giay-to/{document.pk}/").status_code == 404


def test_history_names_online_submission_payment_and_acceptance(world, client):
    """`submit`, `pay` and `accept` are internal codes; the officer reads what happened."""
    # given
    dossier = submit_vet_online(world)
    dossier_mark_paid(dossier_id=dossier.pk, amount_vnd=50_000, method="online")
    dossier_act(actor=world.user("demo-desk"), code=dossier.code, data=ActionData(action="accept"))
    login(client, "demo-desk")
    # when
    actions = history_actions(client.get(f"/ho-so/{dossier.code}/").content.decode())
    # then
    assert actions == [
        "Đã nộp trực tuyến",
        "Đã nộp phí, lệ phí",
        "Tiếp nhận hồ sơ trực tuyến",
    ]
    assert not {"submit", "pay", "accept"} & set(actions)


def test_applicants_withdrawal_is_not_called_a_stop_by_the_agency(world, client):
    """The applicant's stop closes the dossier as withdrawn, the desk's as stopped; the
    history and the status say who decided."""
    # given
    withdrawn = submit_vet_online(world)
    dossier_act(
        actor=world.user("demo-citizen"),
        code=withdrawn.code,
        data=ActionData(action="stop", reason="Nộp nhầm thủ tục"),
    )
    stopped = receive_adoption(world)
    dossier_act(
        actor=world.user("demo-desk"),
        code=stopped.code,
        data=ActionData(action="stop", reason="Người nộp không còn đủ điều kiện"),
    )
    login(client, "demo-desk")
    # when
    withdrawn_page = client.get(f"/ho-so/{withdrawn.code}/").content.decode()
    stopped_page = client.get(f"/ho-so/{stopped.code}/").content.decode()
    # then
    assert history_actions(withdrawn_page)[-1] == "Công dân rút hồ sơ"
    assert Dossier.objects.get(pk=withdrawn.pk).status == "withdrawn"
    assert Dossier.objects.get(pk=stopped.pk).status == "stopped"
    assert history_actions(stopped_page)[-1] == "Dừng giải quyết hồ sơ"
    assert "rút hồ sơ" not in stopped_page


def test_queue_judges_and_orders_by_the_appointment(world, client):
    """After an apology the applicant was given a new date: the queue shows it, does not badge
    the dossier late before it, and orders by it; the missed legal deadline is still stated."""
    # given: one dossier three weeks old with an apology moving it two weeks out
    now = timezone.now()
    apologised = receive_adoption(world, at=now - dt.timedelta(days=21))
    new_date = timezone.localtime(now + dt.timedelta(days=14)).replace(
        hour=16, minute=30, second=0, microsecond=0
    )
    dossier_act(
        actor=world.user("demo-desk"),
        code=apologised.code,
        data=ActionData(
            action="apologize", reason="Chờ xác minh ở nước ngoài", new_due_at=new_date
        ),
    )
    # and one received today, due within a week
    fresh = receive_adoption(world)
    login(client, "demo-desk")
    # when
    page = client.get("/ho-so/")
    late = client.get("/ho-so/", {"due": "late"})
    html = page.content.decode()
    # then
    assert [d.code for d in page.context["result"].items] == [fresh.code, apologised.code]
    assert page.context["counts"].late == 0
    assert 'class="badge late"' not in html
    assert late.context["result"].total == 0
    stored = Dossier.objects.get(pk=apologised.pk)
    appointment = timezone.localtime(stored.extended_due_at)
    assert appointment.hour == 17 and appointment.date() >= new_date.date()  # closing time
    assert appointment.strftime("%H:%M %d/%m/%Y") in html
    legal = timezone.localtime(stored.due_at)
    assert f"Hạn giải quyết theo quy định: {legal:%H:%M %d/%m/%Y}" in html


def test_queue_badge_follows_the_appointment_once_it_passes(world, client):
    """A dossier past its appointment is late in the badge, the count and the filter alike."""
    # given
    late = receive_adoption(world, at=timezone.now() - dt.timedelta(days=21))
    login(client, "demo-desk")
    # when
    page = client.get("/ho-so/")
    # then
    assert page.context["counts"].late == 1
    assert 'class="badge late"' in page.content.decode()
    assert [d.code for d in client.get("/ho-so/", {"due": "late"}).context["result"].items] == [
        late.code
    ]
