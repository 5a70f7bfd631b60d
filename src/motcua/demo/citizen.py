"""The demo citizen's own dossiers: one or more in every state a dossier can be in, made
through the real services (online submission, the test gateway's payment, the desk's and the
agencies' actions, the citizen's withdrawal), so the portal, the queues and the audit chain
show them as they would any other. Idempotent: each dossier carries its own idempotency key
and is only walked on when it was just created."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from django.db import transaction
from django.utils import timezone

from motcua.demo.generate.apply import text_pdf
from motcua.demo.organisation import staff_username
from motcua.dossiers.documents import store_document
from motcua.dossiers.models import Document, Dossier, Status
from motcua.dossiers.online import OnlineApplication, UploadedDocument, dossier_submit_online
from motcua.dossiers.services import ActionData, ApplicantData, SubmittedDocument, dossier_act
from motcua.org.models import User
from motcua.payments.gateways.test import TestGateway
from motcua.payments.services import payment_notify, payment_start
from motcua.workdays.selectors import get_calendar

CITIZEN = "demo-citizen"
CENTRE = "TTPVHCC"
WARD = "UBND-11341"  # Phường Ngô Quyền, where the demo citizen lives
KEY_PREFIX = "demo-world-"
RETURN_URL = "/thanh-toan/ket-qua/test/"

APPLICANT = ApplicantData(
    kind="person",
    name="Vũ Đức Anh",
    id_number="031190012345",
    phone="0912345678",
    email="citizen@example.vn",
    address="Số 12 Lạch Tray, phường Ngô Quyền, thành phố Hải Phòng",
)

VET_FORM = {
    "pham_vi": "Tiêm phòng, chữa bệnh, phẫu thuật động vật",
    "trinh_do": "Bác sĩ thú y (Đại học Nông nghiệp Hà Nội, 2013)",
    "noi_hanh_nghe": "Số 45 Lạch Tray, phường Ngô Quyền, Hải Phòng",
}
TEMPORARY_FORM = {
    "dia_chi_tam_tru": "Phòng 305, nhà B2, ngõ 140 Lê Lợi, phường Ngô Quyền, Hải Phòng",
    "thoi_han_thang": "12",
    "ly_do": "Làm việc",
}
EXTEND_FORM = {
    "dia_chi_tam_tru": "Phòng 305, nhà B2, ngõ 140 Lê Lợi, phường Ngô Quyền, Hải Phòng",
    "gia_han_den": "2027-12-31",
}
PERMANENT_FORM = {
    "dia_chi_thuong_tru": "Số 12 Lạch Tray, phường Ngô Quyền, Hải Phòng",
    "quan_he_chu_ho": "Con",
}
BIRTH_FORM = {
    "ho_ten_tre": "Vũ Minh Khang",
    "ngay_sinh": "2026-11-20",
    "noi_sinh": "Bệnh viện Phụ sản Hải Phòng",
    "ho_ten_me": "Nguyễn Thị Thu Trang",
    "ho_ten_cha": "Vũ Đức Anh",
}


@dataclass(frozen=True)
class Step:
    """One thing that happens to the dossier, `hours` after it was submitted."""

    hours: float  # working hours: the walk keeps to office hours
    actor: str  # a username, or "pay" for the citizen's payment at the test gateway
    action: str = ""
    reason: str = ""
    to_agency: str | None = None
    items: tuple[str, ...] = ()
    result_kind: str | None = None
    returned_how: str = "in_person"
    uploads: tuple[str, ...] = ()  # the citizen's supplement sent online: its documents


@dataclass(frozen=True)
class Scenario:
    key: str
    procedure: str
    form: dict[str, str]
    uploads: tuple[str, ...]
    days_ago: int
    status: str  # where the walk leaves it
    desk: str | None = None  # the commune where it is filed; None: the province's centre
    steps: tuple[Step, ...] = field(default_factory=tuple)


def _desk(agency: str) -> str:
    return "demo-desk" if agency == CENTRE else staff_username(agency, "desk")


def _specialist(agency: str) -> str:
    return staff_username(agency, "specialist")


VET_STEPS = (
    Step(0.2, "pay"),
    Step(2, _desk(CENTRE), "accept"),
    Step(3, _desk(CENTRE), "forward", to_agency="SO-NNMT"),
)
SCENARIOS = (
    Scenario(
        "vet-paying",
        "1.004756",
        VET_FORM,
        ("Đơn đề nghị cấp chứng chỉ hành nghề thú y", "Bằng tốt nghiệp đại học thú y"),
        days_ago=0,
        status=Status.PAYING,
    ),
    Scenario(
        "temporary-submitted",
        "1.004194",
        TEMPORARY_FORM,
        ("Tờ khai thay đổi thông tin cư trú (CT01)", "Hợp đồng thuê nhà"),
        days_ago=1,
        status=Status.SUBMITTED,
        desk=WARD,
        steps=(Step(0.1, "pay"),),
    ),
    Scenario(
        "extend-received",
        "1.002755",
        EXTEND_FORM,
        ("Tờ khai thay đổi thông tin cư trú (CT01)",),
        days_ago=2,
        status=Status.RECEIVED,
        desk=WARD,
        steps=(Step(0.1, "pay"), Step(1.5, _desk(WARD), "accept")),
    ),
    Scenario(
        "permanent-supplement",
        "1.004222",
        PERMANENT_FORM,
        ("Tờ khai thay đổi thông tin cư trú (CT01)",),
        days_ago=4,
        status=Status.WAITING_SUPPLEMENT,
        desk=WARD,
        steps=(
            Step(0.1, "pay"),
            Step(2, _desk(WARD), "accept"),
            Step(
                10,
                _specialist(WARD),
                "request_supplement",
                reason="Thiếu giấy tờ chứng minh chỗ ở hợp pháp",
                items=("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp (sổ đỏ hoặc hợp đồng)",),
            ),
        ),
    ),
    Scenario(
        "permanent-supplement-sent",
        "1.004222",
        {
            **PERMANENT_FORM,
            "dia_chi_thuong_tru": "Số 8 ngõ 25 Cầu Đất, phường Ngô Quyền, Hải Phòng",
        },
        ("Tờ khai thay đổi thông tin cư trú (CT01)",),
        days_ago=5,
        status=Status.SUPPLEMENT_SUBMITTED,
        desk=WARD,
        steps=(
            Step(0.1, "pay"),
            Step(2, _desk(WARD), "accept"),
            Step(
                9,
                _specialist(WARD),
                "request_supplement",
                reason="Thiếu văn bản đồng ý của chủ hộ cho đăng ký thường trú",
                items=("Văn bản đồng ý cho đăng ký thường trú của chủ hộ",),
            ),
            # Sent from the portal: it waits for the desk's re-check, the clock still paused.
            Step(
                20,
                CITIZEN,
                "supplement",
                reason="Gửi bổ sung văn bản đồng ý của chủ hộ",
                uploads=("Văn bản đồng ý cho đăng ký thường trú của chủ hộ",),
            ),
        ),
    ),
    Scenario(
        "vet-processing",
        "1.004756",
        VET_FORM,
        ("Đơn đề nghị cấp chứng chỉ hành nghề thú y", "Bằng tốt nghiệp đại học thú y"),
        days_ago=3,
        status=Status.PROCESSING,
        steps=VET_STEPS,
    ),
    Scenario(
        "vet-finished",
        "1.004756",
        VET_FORM,
        ("Đơn đề nghị cấp chứng chỉ hành nghề thú y", "Bằng tốt nghiệp đại học thú y"),
        days_ago=6,
        status=Status.RESULT_READY,
        steps=(
            *VET_STEPS,
            Step(20, _specialist("SO-NNMT"), "finish", result_kind="both"),
        ),
    ),
    Scenario(
        "vet-returned",
        "1.004756",
        VET_FORM,
        ("Đơn đề nghị cấp chứng chỉ hành nghề thú y", "Bằng tốt nghiệp đại học thú y"),
        days_ago=15,
        status=Status.RETURNED,
        steps=(
            *VET_STEPS,
            Step(28, _specialist("SO-NNMT"), "finish", result_kind="electronic"),
            Step(29, _desk(CENTRE), "return", returned_how="electronic"),
        ),
    ),
    Scenario(
        "birth-returned",
        "1.001193",
        BIRTH_FORM,
        ("Giấy chứng sinh", "Tờ khai đăng ký khai sinh"),
        days_ago=10,
        status=Status.RETURNED,
        desk=WARD,
        steps=(
            Step(1, _desk(WARD), "accept"),
            Step(4, _specialist(WARD), "finish", result_kind="paper"),
            Step(9, _desk(WARD), "return"),
        ),
    ),
    Scenario(
        "birth-refused",
        "1.001193",
        {**BIRTH_FORM, "ho_ten_tre": "Vũ Minh Khôi", "ngay_sinh": "2025-02-03"},
        ("Tờ khai đăng ký khai sinh",),
        days_ago=22,
        status=Status.REFUSED,
        desk=WARD,
        steps=(
            Step(
                3,
                _desk(WARD),
                "refuse",
                reason="Trẻ đã được đăng ký khai sinh tại UBND phường Lê Chân ngày 10/02/2025; "
                "đề nghị làm thủ tục cấp bản sao trích lục khai sinh",
            ),
        ),
    ),
    Scenario(
        "temporary-withdrawn",
        "1.004194",
        {**TEMPORARY_FORM, "thoi_han_thang": "6"},
        ("Tờ khai thay đổi thông tin cư trú (CT01)",),
        days_ago=12,
        status=Status.WITHDRAWN,
        desk=WARD,
        steps=(Step(0.5, CITIZEN, "stop", reason="Nộp nhầm thủ tục, sẽ đăng ký thường trú"),),
    ),
    Scenario(
        "extend-stopped",
        "1.002755",
        {**EXTEND_FORM},
        ("Tờ khai thay đổi thông tin cư trú (CT01)",),
        days_ago=8,
        status=Status.STOPPED,
        desk=WARD,
        steps=(
            Step(0.1, "pay"),
            Step(1.5, _desk(WARD), "accept"),
            Step(
                6,
                _desk(WARD),
                "stop",
                reason="Công dân đề nghị tại quầy dừng giải quyết để bổ sung hợp đồng thuê nhà mới",
            ),
        ),
    ),
)


def _pay(citizen: User, dossier: Dossier, at: dt.datetime) -> None:
    """Pay at the test gateway as the citizen's browser would: start, the bank's signed
    answer, its notification to the server."""
    payment, url = payment_start(
        dossier_code=dossier.code, user=citizen, return_url=RETURN_URL, at=at
    )
    gateway = TestGateway()
    request = dict(parse_qsl(urlsplit(url).query))
    result = gateway.bank_result(request, paid=True, now=at)
    payment_notify(gateway=gateway.code, params=result, at=at, notify=False)


def _walk(scenario: Scenario, dossier: Dossier, users: dict[str, User], at: Callable) -> None:
    for step in scenario.steps:
        moment = at(step.hours)
        if step.actor == "pay":
            _pay(users[CITIZEN], dossier, moment)
            continue
        for title in step.uploads:
            store_document(
                owner=users[step.actor],
                dossier=dossier,
                kind=Document.Kind.SUPPLEMENT,
                title=title,
                content=text_pdf(f"{title} - Vu Duc Anh (demo)"),
                original_name="bo-sung.pdf",
                content_type="application/pdf",
            )
        electronic = step.result_kind in {"electronic", "both"}
        dossier = dossier_act(
            actor=users[step.actor],
            code=dossier.code,
            data=ActionData(
                action=step.action,
                reason=step.reason,
                to_agency_code=step.to_agency,
                items=list(step.items),
                result_kind=step.result_kind,
                result_file_content=text_pdf(f"KET QUA GIAI QUYET HO SO {dossier.code}")
                if electronic
                else None,
                returned_how=step.returned_how,
                documents=[SubmittedDocument(name=title, digitised=True) for title in step.uploads],
            ),
            at=moment,
            notify=False,
        )


def _submitted_at(days_ago: int, now: dt.datetime) -> dt.datetime:
    """08:30 on the working day `days_ago` working days back (0: an hour ago)."""
    if days_ago == 0:
        return now - dt.timedelta(hours=1)
    calendar = get_calendar()
    day = timezone.localdate(now)
    while days_ago:
        day -= dt.timedelta(days=1)
        days_ago -= calendar.is_working_day(day)
    return calendar.opening_on(day) + dt.timedelta(minutes=30)


def load_citizen_dossiers(*, now: dt.datetime | None = None) -> int:
    """Create the demo citizen's dossiers that do not exist yet; the number created. Every
    step goes with notify=False: a notice would text a phone that is not real."""
    return _load(now or timezone.now())


@transaction.atomic
def _load(now: dt.datetime) -> int:
    citizen = User.objects.filter(username=CITIZEN).first()
    if citizen is None:
        return 0
    actors = {s.actor for sc in SCENARIOS for s in sc.steps if s.actor != "pay"}
    users = {u.username: u for u in User.objects.filter(username__in=actors | {CITIZEN})}
    calendar = get_calendar()
    created = 0
    for scenario in SCENARIOS:
        key = KEY_PREFIX + scenario.key
        if Dossier.objects.filter(applicant_user=citizen, idempotency_key=key).exists():
            continue
        start = _submitted_at(scenario.days_ago, now)
        # The last step must not fall after `now`: a walk that would is compressed to fit.
        last = max((s.hours for s in scenario.steps), default=0.0)
        room = calendar.working_seconds_between(start, now) / 3600
        span = min(1.0, room / (last + 0.25)) if last else 1.0
        dossier = dossier_submit_online(
            applicant_user=citizen,
            application=OnlineApplication(
                procedure_code=scenario.procedure,
                applicant=APPLICANT,
                form_data=dict(scenario.form),
                uploads=[
                    UploadedDocument(
                        title=title,
                        content=text_pdf(f"{title} - Vu Duc Anh (demo)"),
                        original_name=f"giay-to-{index}.pdf",
                        content_type="application/pdf",
                    )
                    for index, title in enumerate(scenario.uploads, start=1)
                ],
                receiving_agency_code=scenario.desk,
                idempotency_key=key,
            ),
            at=start,
            notify=False,
        )
        _walk(
            scenario,
            dossier,
            users,
            lambda hours, start=start, span=span: calendar.add_working_seconds(
                start, hours * span * 3600
            ),
        )
        created += 1
    return created
