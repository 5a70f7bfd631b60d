"""The staff pages of the lifecycle: who may open them, the receipt form, the dossier page and
its action forms, as an officer at the counter would notice them."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.audit.models import Event
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.services import (
    ActionData,
    ApplicantData,
    ReceiptData,
    dossier_act,
    dossier_receive,
)
from motcua.org.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "motcua-demo"
PROCEDURE = "1.003179"  # Đăng ký lại việc nuôi con nuôi có yếu tố nước ngoài: 5 days, Sở Tư pháp
APPLICANT = {
    "applicant_kind": "person",
    "applicant_name": "Nguyễn Thị Ngữ",
    "applicant_id_number": "031190012345",
    "applicant_phone": "0912345678",
    "applicant_email": "ngu.nguyen@example.vn",
    "applicant_address": "Số 12 Lạch Tray, phường Ngô Quyền, Hải Phòng",
}


def login(client, username: str) -> None:
    assert client.login(username=username, password=PASSWORD)


def receive(world, *, at: dt.datetime | None = None) -> Dossier:
    return dossier_receive(
        actor=world.user("demo-desk"),
        at=at,
        data=ReceiptData(
            procedure_code=PROCEDURE,
            channel="counter",
            applicant=ApplicantData(kind="person", name="Nguyễn Thị Ngữ", id_number="031190012345"),
        ),
    )


def receipt_post(**changes: str) -> dict[str, str]:
    return {
        "procedure": PROCEDURE,
        "channel": "counter",
        "outcome": "accept",
        **APPLICANT,
        **changes,
    }


def test_queue_requires_login_and_refuses_citizens(world, client):
    """Anonymous visitors are sent to log in; a citizen is refused; a desk officer gets in."""
    # when / then
    anonymous = client.get("/ho-so/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")
    login(client, "demo-citizen")
    assert client.get("/ho-so/").status_code == 403
    assert client.get("/ho-so/tiep-nhan/").status_code == 403
    login(client, "demo-desk")
    assert client.get("/ho-so/").status_code == 200


def test_queue_lists_the_dossier_with_counts_and_late_filter(world, client):
    """A dossier received three weeks ago is late: counted, badged, and found by ?due=late."""
    # given
    late = receive(world, at=timezone.now() - dt.timedelta(days=21))
    fresh = receive(world)
    login(client, "demo-desk")
    # when
    everything = client.get("/ho-so/")
    only_late = client.get("/ho-so/", {"due": "late"})
    by_name = client.get("/ho-so/", {"q": "Thị Ngữ"})
    # then
    assert everything.context["counts"].late == 1
    assert everything.context["counts"].open == 2
    assert [d.code for d in everything.context["result"].items] == [late.code, fresh.code]
    assert 'class="badge late"' in everything.content.decode()
    assert [d.code for d in only_late.context["result"].items] == [late.code]
    assert by_name.context["result"].total == 2


def test_receipt_form_shows_documents_then_creates_the_dossier(world, client):
    """Step one chooses the procedure; step two records it and lands on the dossier's page with
    its code and appointment."""
    # given
    login(client, "demo-desk")
    chooser = client.get("/ho-so/tiep-nhan/", {"procedure": "nuoi con nuoi nuoc ngoai"})
    assert f"?procedure={PROCEDURE}" in chooser.content.decode()
    form_page = client.get("/ho-so/tiep-nhan/", {"procedure": PROCEDURE})
    assert form_page.status_code == 200
    assert 'name="applicant_id_number"' in form_page.content.decode()
    # when
    response = client.post(f"/ho-so/tiep-nhan/?procedure={PROCEDURE}", receipt_post())
    # then
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ho-so/{dossier.code}/"
    page = client.get(response["Location"]).content.decode()
    assert dossier.code in page
    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") in page
    assert dossier.status == Status.RECEIVED
    assert dossier.applicant_name == "Nguyễn Thị Ngữ"
    assert f"/api/v1/dossiers/{dossier.code}/forms/receipt.pdf" in page


def test_receipt_with_a_bad_id_number_shows_the_error_and_creates_nothing(world, client):
    """The service's message is shown in the page and the officer's typing is kept."""
    # given
    login(client, "demo-desk")
    # when
    response = client.post("/ho-so/tiep-nhan/", receipt_post(applicant_id_number="12345"))
    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert "Số định danh cá nhân “12345” không hợp lệ" in html
    assert 'value="Nguyễn Thị Ngữ"' in html
    assert Dossier.objects.count() == 0


def test_missing_documents_refuse_acceptance_then_a_supplement_lists_them(world, client):
    """Accepting without a required document names it; asking for a supplement instead
    records the unticked required documents as the items to bring."""
    # given: birth registration, whose catalog entry lists two required documents
    login(client, "demo-desk")
    post = receipt_post(procedure="1.001193")
    # when
    refused = client.post("/ho-so/tiep-nhan/", post)
    asked = client.post(
        "/ho-so/tiep-nhan/", {**post, "outcome": "supplement", "reason": "Thiếu giấy chứng sinh"}
    )
    # then
    assert refused.status_code == 400
    assert "Thiếu giấy tờ bắt buộc" in refused.content.decode()
    dossier = Dossier.objects.get()
    assert asked["Location"] == f"/ho-so/{dossier.code}/"
    assert dossier.status == Status.WAITING_SUPPLEMENT
    assert dossier.supplement.items == [
        "Tờ khai đăng ký khai sinh theo mẫu",
        "Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận về việc sinh",
        "Giấy tờ tùy thân của người đi đăng ký (hộ chiếu, căn cước)",
    ]


def test_another_agencys_officer_cannot_open_the_dossier(world, client):
    """An officer of an agency with no part in the dossier gets a 404 that reveals nothing."""
    # given
    dossier = receive(world)
    User.objects.create_user(
        username="xd-officer", password=PASSWORD, role="specialist", agency=world.agency("SO-XD")
    )
    login(client, "xd-officer")
    # when
    response = client.get(f"/ho-so/{dossier.code}/")
    # then
    assert response.status_code == 404
    assert "Nguyễn Thị Ngữ" not in response.content.decode()
    assert client.get("/ho-so/").context["result"].total == 0


def test_page_offers_only_the_actions_the_status_allows(world, client):
    """A dossier just received can be forwarded but not returned; its desk sees the forms."""
    # given
    dossier = receive(world)
    login(client, "demo-desk")
    # when
    html = client.get(f"/ho-so/{dossier.code}/").content.decode()
    # then
    assert 'id="act-forward"' in html
    assert 'value="SO-TP"' in html
    assert 'id="act-return"' not in html
    assert 'id="act-supplement"' not in html
    assert f'name="version" value="{dossier.version}"' in html


def test_forward_from_the_page(world, client):
    # given
    dossier = receive(world)
    login(client, "demo-desk")
    # when
    response = client.post(
        f"/ho-so/{dossier.code}/",
        {
            "action": "forward",
            "version": dossier.version,
            "to_agency": "SO-TP",
            "reason": "Chuyển Sở Tư pháp thẩm định",
        },
        follow=True,
    )
    # then
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.current_agency.code == "SO-TP"
    assert "Sở Tư pháp" in response.content.decode()
    assert "Chuyển Sở Tư pháp thẩm định" in response.content.decode()


def test_stale_version_shows_the_conflict_and_changes_nothing(world, client):
    """Two officers at once: the second, acting on the version they saw, is told to reload."""
    # given: someone forwarded the dossier after this officer opened the page
    dossier = receive(world)
    seen = dossier.version
    dossier_act(
        actor=world.user("demo-desk"),
        code=dossier.code,
        data=ActionData(action="forward", to_agency_code="SO-TP", version=seen),
    )
    events_before = Event.objects.filter(subject_id=dossier.code).count()
    login(client, "demo-desk")
    # when
    response = client.post(
        f"/ho-so/{dossier.code}/",
        {
            "action": "stop",
            "version": seen,
            "reason": "Người nộp xin rút hồ sơ",
        },
    )
    # then
    html = response.content.decode()
    assert response.status_code == 409
    assert "Hồ sơ vừa được người khác cập nhật" in html
    assert "Người nộp xin rút hồ sơ" in html  # the officer's reason is kept
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.version == seen + 1
    assert Event.objects.filter(subject_id=dossier.code).count() == events_before


def test_apology_date_is_read_as_vietnam_time(world, client):
    """A datetime-local value typed at the desk is Vietnam time, whatever the server's zone."""
    # given
    dossier = receive(world)
    # two weeks later: the same weekday, a working day's closing time (17:00)
    new_due = timezone.localtime(dossier.due_at) + dt.timedelta(days=14)
    login(client, "demo-desk")
    # when: the request is handled while another time zone is active
    with timezone.override(dt.UTC):
        client.post(
            f"/ho-so/{dossier.code}/",
            {
                "action": "apologize",
                "version": dossier.version,
                "new_due_at": new_due.strftime("%Y-%m-%dT%H:%M"),
                "reason": "Chờ xác minh",
            },
        )
    # then
    dossier.refresh_from_db()
    assert dossier.extended_due_at == new_due


def test_late_is_one_rule_for_the_queue_the_counts_and_the_dossier_page(world, client):
    """`late_q` (queue badge, counts, filter) and `Dossier.is_late_now` (the dossier page)
    agree: clock running and past the appointment given to the applicant."""
    from motcua.dossiers.selectors import dossier_queue, dossier_queue_counts

    # given three dossiers received three weeks ago (5 working days: all past the legal time)
    past = timezone.now() - dt.timedelta(days=21)
    late, apologised, paused = (receive(world, at=past) for _ in range(3))
    # one with an apology's new date next week, one waiting for the applicant's supplement
    Dossier.objects.filter(pk=apologised.pk).update(
        extended_due_at=timezone.now() + dt.timedelta(days=7)
    )
    Dossier.objects.filter(pk=paused.pk).update(status=Status.WAITING_SUPPLEMENT)
    desk = world.user("demo-desk")
    login(client, "demo-desk")

    # when
    # `is_late` is the queue queryset's annotation; the page's items are typed as plain Dossiers.
    queue = {d.code: d.is_late for d in dossier_queue(user=desk).items}  # type: ignore[attr-defined]
    counts = dossier_queue_counts(user=desk)
    pages = {
        d.code: 'class="badge late"' in client.get(f"/ho-so/{d.code}/").content.decode()
        for d in (late, apologised, paused)
    }
    in_memory = {
        d.code: d.is_late_now
        for d in Dossier.objects.filter(pk__in=[late.pk, apologised.pk, paused.pk])
    }

    # then only the first is late, everywhere
    expected = {late.code: True, apologised.code: False, paused.code: False}
    assert queue == expected
    assert pages == expected
    assert in_memory == expected
    assert counts.late == 1
