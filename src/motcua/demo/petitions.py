"""Demo petitions for Hải Phòng: about sixty made-up petitions of the last two months, sent,
forwarded, answered, rated, merged as duplicates and hidden through the real services, so the
public list, the staff queue, the report and Open311 have something true-to-life to show."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.feedback.checks import PetitionInput
from motcua.feedback.links import rating_key
from motcua.feedback.models import ApiClient, Channel, Petition
from motcua.feedback.selectors import ward_by_code
from motcua.feedback.services import (
    answer_rate,
    petition_answer,
    petition_create,
    petition_forward,
    petition_hide,
    petition_mark_duplicate,
)
from motcua.org.models import Agency, User

# Every demo petition either has a sender on this domain (sent on the web) or came through
# the demo app below (anonymous): that is how a second run knows they are there.
DEMO_EMAIL_DOMAIN = "demo.motcua.example"
DEMO_CLIENT = "Ứng dụng Hải Phòng Smart (demo)"
DAYS = 60

# Wards of the city centre and around it: code, approximate centre, streets.
PLACES: list[tuple[str, float, float, list[str]]] = [
    ("11311", 20.8620, 106.6750, ["Hoàng Văn Thụ", "Tam Bạc", "Hạ Lý", "Bạch Đằng"]),
    ("11341", 20.8560, 106.7000, ["Lạch Tray", "Văn Cao", "Lê Lợi", "Đà Nẵng"]),
    ("11359", 20.8590, 106.6890, ["Cầu Đất", "Lương Khánh Thiện", "Trần Phú"]),
    ("11383", 20.8460, 106.6800, ["Tô Hiệu", "Trần Nguyên Hãn", "Hai Bà Trưng", "Chợ Hàng"]),
    ("11407", 20.8500, 106.6720, ["Nguyễn Đức Cảnh", "Mê Linh", "Hồ Sen"]),
    ("11411", 20.8400, 106.7350, ["Ngô Gia Tự", "Phương Lưu", "Đông Hải"]),
    ("11413", 20.8300, 106.7400, ["Lê Hồng Phong", "Cát Bi", "Trung Lực"]),
    ("11443", 20.8050, 106.6250, ["Trần Thành Ngọ", "Phan Đăng Lưu", "Trường Chinh"]),
    ("11455", 20.7150, 106.7850, ["Lý Thánh Tông", "Nguyễn Hữu Cầu"]),
    ("11581", 20.8700, 106.6100, ["Tôn Đức Thắng", "Quốc lộ 5"]),
    ("11692", 20.7900, 106.6900, ["Phạm Văn Đồng", "Mạc Đăng Doanh"]),
    ("10525", 20.9400, 106.3300, ["Trần Hưng Đạo", "Quang Trung", "Nguyễn Lương Bằng"]),
]

# What citizens write, by category: a description, and a place on the street.
STORIES: dict[str, list[tuple[str, str]]] = {
    "HT01": [
        ("Ổ gà lớn giữa đường, sâu khoảng 15 cm, tối qua có người đi xe máy bị ngã.", "số {n}"),
        (
            "Mặt đường sụt lún thành vệt dài sau đợt mưa, ô tô đi qua phải tránh sang làn ngược "
            "chiều.",
            "đoạn gần số {n}",
        ),
        ("Nắp cống bị vỡ một nửa, trẻ em đi học qua rất nguy hiểm.", "trước cổng trường, số {n}"),
        ("Vỉa hè lát gạch bị bong, nhiều viên vỡ vụn, người già đi bộ dễ vấp ngã.", "số {n}"),
    ],
    "HT02": [
        ("Cả dãy đèn đường tắt từ tuần trước, buổi tối rất tối và mất an toàn.", "đoạn số {n}"),
        ("Đèn đường sáng cả ban ngày, lãng phí điện.", "ngã ba gần số {n}"),
        ("Cột đèn bị xe va phải, nghiêng về phía nhà dân, dây điện lòng thòng.", "số {n}"),
    ],
    "HT03": [
        ("Cống tắc, mưa to là ngập nửa mét, nước tràn vào nhà dân.", "ngõ {n}"),
        ("Nước thải từ cống bốc mùi hôi, tràn ra mặt đường suốt ba ngày nay.", "ngõ {n}"),
        ("Hố ga bị rác lấp kín, mưa nhỏ cũng ngập cả đoạn đường.", "trước số {n}"),
    ],
    "HT04": [
        ("Cây phượng lớn bị mục gốc, nghiêng hẳn ra lòng đường, sợ đổ khi có bão.", "số {n}"),
        ("Cành cây gãy treo lơ lửng trên đường sau cơn giông, chưa ai dọn.", "gần số {n}"),
    ],
    "TT01": [
        ("Quán nước bày bàn ghế kín vỉa hè, người đi bộ phải xuống lòng đường.", "số {n}"),
        ("Chợ cóc họp tràn ra lòng đường vào buổi sáng, gây ùn tắc giờ đi học.", "đầu ngõ {n}"),
        ("Xe ô tô đỗ thành hàng trên vỉa hè cả ngày.", "đoạn gần số {n}"),
    ],
    "TT02": [
        ("Nhà đang xây cơi nới thêm tầng, không thấy treo biển giấy phép xây dựng.", "ngõ {n}"),
        ("Công trình đổ vật liệu xây dựng ra lòng đường, không che chắn, bụi mù mịt.", "số {n}"),
    ],
    "MT01": [
        ("Điểm tập kết rác tự phát ở đầu ngõ, rác để nhiều ngày không được thu gom.", "ngõ {n}"),
        ("Xe thu gom rác đến quá muộn, rác tràn ra đường, chó mèo bới tung.", "gần số {n}"),
        ("Có người đổ trộm phế thải xây dựng ra bãi đất trống ban đêm.", "cuối ngõ {n}"),
    ],
    "MT02": [
        (
            "Xưởng cơ khí hoạt động đến 23 giờ, tiếng ồn rất lớn, người dân không ngủ được.",
            "ngõ {n}",
        ),
        ("Khói và mùi khét từ lò đốt của cơ sở sản xuất, nhất là buổi tối.", "gần số {n}"),
    ],
    "HC01": [
        (
            "Đề nghị cho phép nộp bản sao điện tử thay cho bản sao chứng thực khi đăng ký hộ kinh "
            "doanh, vì dữ liệu đã có trên hệ thống.",
            "",
        ),
        (
            "Quy định yêu cầu xác nhận của tổ dân phố cho hồ sơ trợ cấp gây mất thời gian, đề "
            "nghị bỏ bước này.",
            "",
        ),
    ],
    "HC02": [
        (
            "Hồ sơ cấp đổi giấy phép lái xe nộp đã quá hẹn trả kết quả một tuần mà chưa có kết "
            "quả, chưa được thông báo lý do.",
            "",
        ),
        (
            "Hồ sơ bị yêu cầu bổ sung hai lần với hai nội dung khác nhau, đề nghị hướng dẫn một "
            "lần đầy đủ.",
            "",
        ),
    ],
    "HC03": [
        ("Cán bộ tiếp dân buổi chiều đến muộn gần một giờ, người dân phải chờ lâu.", ""),
        (
            "Cán bộ bộ phận một cửa hướng dẫn thiếu nhiệt tình, không giải thích rõ giấy tờ còn "
            "thiếu.",
            "",
        ),
    ],
    "DV01": [
        ("Quán ăn đường phố dùng dầu chiên đen đặc, không có găng tay khi bốc thức ăn.", "số {n}"),
        ("Cơ sở bán thực phẩm không rõ nguồn gốc, nhiều hàng đã hết hạn sử dụng.", "số {n}"),
    ],
    "DV02": [
        ("Trường thu thêm nhiều khoản ngoài quy định đầu năm học, phụ huynh đề nghị làm rõ.", ""),
        ("Sân trường có cây xà bị gãy, chưa được sửa, học sinh vẫn chơi ở đó.", ""),
    ],
}
# How often each category comes up: roads and rubbish most.
WEIGHTS = {"HT01": 9, "HT02": 5, "HT03": 7, "HT04": 3, "TT01": 6, "TT02": 3, "MT01": 7,
           "MT02": 3, "HC01": 2, "HC02": 3, "HC03": 2, "DV01": 2, "DV02": 2}  # fmt: skip
ATTRIBUTES = {
    "TT02": {"permit_sign": ["no"]},
    "MT02": {"pollution_kind": ["noise"]},
}
ANSWERS = [
    "Ngày {day}, tổ công tác đã kiểm tra thực tế và khắc phục xong. Cảm ơn ông/bà đã phản ánh.",
    "Đơn vị đã tiếp nhận, giao đội quản lý đô thị xử lý ngay trong ngày {day}; kết quả đã "
    "được kiểm tra lại.",
    "Qua kiểm tra ngày {day}, nội dung phản ánh đúng. Đơn vị đã nhắc nhở, yêu cầu cam kết "
    "không tái phạm và sẽ tiếp tục giám sát.",
    "Nội dung phản ánh đã được đưa vào kế hoạch sửa chữa; dự kiến hoàn thành trong tháng. "
    "Trước mắt đã cắm biển cảnh báo ngày {day}.",
]
FORWARD_TO = {"HT02": "SO-XD", "HT04": "SO-XD", "TT02": "SO-XD", "MT01": "SO-NNMT"}
SENDERS = [
    ("Nguyễn Văn Hùng", "0912345601"),
    ("Trần Thị Mai", ""),
    ("Lê Minh Tuấn", "0987654302"),
    ("Phạm Thu Hà", ""),
    ("Vũ Đức Thắng", "0904123403"),
    ("Hoàng Thị Lan", ""),
    ("Đỗ Quang Huy", "0356789004"),
    ("Bùi Thị Ngọc", ""),
]
SPAM = (
    "Vay tiền nhanh không cần thế chấp, giải ngân trong 15 phút, lãi suất 0%, nhắn Zalo để "
    "được tư vấn!!!"
)


@dataclass
class _Sent:
    petition: Petition
    at: dt.datetime
    original_id: int | None = None  # a duplicate of this petition
    spam: bool = False


def demo_petitions() -> QuerySet[Petition]:
    return Petition.objects.filter(
        Q(sender_email__endswith=f"@{DEMO_EMAIL_DOMAIN}") | Q(api_client__name=DEMO_CLIENT)
    )


def demo_staff(agency: Agency) -> User:
    """The petition officer of `agency` (`pa-<code>`), made on first use; cannot log in."""
    username = f"pa-{agency.code.lower()}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username,
            full_name=f"Cán bộ xử lý phản ánh – {agency.name}"[:150],
            role=User.Role.SPECIALIST,
            agency=agency,
            email=f"{username}@example.gov.vn",
            is_demo=True,
        )
        user.set_unusable_password()
        user.save()
    return user


def _day(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y")


def load_feedback_demo(
    seed: int = 1,
    *,
    count: int = 60,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> int:
    """Create `count` demo petitions over the last DAYS days; returns how many (0 when the
    demo petitions are already there). Senders are made up, so every step goes with
    notify=False: no email or SMS."""
    if demo_petitions().exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - repeatable made-up data, not a secret
    return _load(rng, count, now or timezone.now(), progress or (lambda _: None))


def _load(rng: random.Random, count: int, now: dt.datetime, progress: Callable) -> int:
    app, _ = ApiClient.objects.get_or_create(
        name=DEMO_CLIENT, defaults={"contact": "Dữ liệu minh hoạ / demo data"}
    )
    places = [(ward_by_code(code), lat, long, streets) for code, lat, long, streets in PLACES]
    places = [place for place in places if place[0] is not None]
    codes = list(WEIGHTS)
    start = now - dt.timedelta(days=DAYS)
    moments = sorted(start + dt.timedelta(days=rng.uniform(0, DAYS - 0.5)) for _ in range(count))
    moments = [  # waking hours, Vietnam time
        timezone.localtime(m).replace(hour=rng.randint(6, 21), minute=rng.randint(0, 59))
        for m in moments
    ]
    moments = [min(m, now - dt.timedelta(minutes=5)) for m in sorted(moments)]
    sent: list[_Sent] = []
    duplicate_at = {count // 3, (2 * count) // 3}
    spam_at = count // 2
    for index, moment in enumerate(moments):
        if index in duplicate_at and sent:
            sent.append(_send_duplicate(sent, moment, app))
        else:
            code = (
                "HT03" if index == spam_at else rng.choices(codes, [WEIGHTS[c] for c in codes])[0]
            )
            petition = _send(rng, index, code, places, moment, app, spam=index == spam_at)
            sent.append(_Sent(petition, moment, spam=index == spam_at))
        if (index + 1) % 10 == 0:
            progress(f"{index + 1}/{count}")
    for item in sent:
        _handle(rng, item, now)
    return len(sent)


def _send(
    rng: random.Random,
    index: int,
    code: str,
    places: list,
    moment: dt.datetime,
    app: ApiClient,
    *,
    spam: bool = False,
) -> Petition:
    ward, lat, long, streets = rng.choice(places)
    text, where = rng.choice(STORIES[code])
    address = ""
    if where:
        place = where.format(n=rng.randint(2, 180))
        address = f"{place[0].upper()}{place[1:]} {rng.choice(streets)}, {ward.name}"
    signed = index % 5 in (0, 2, 3)  # three in five give their name and contact
    name, phone = SENDERS[index % len(SENDERS)]
    data = PetitionInput(
        category_code=code,
        description=SPAM if spam else text,
        lat=round(lat + rng.uniform(-0.004, 0.004), 6) if where else None,
        long=round(long + rng.uniform(-0.004, 0.004), 6) if where else None,
        address=address,
        address_id=ward.code,
        sender_name=name if signed else "",
        sender_phone=phone if signed else "",
        sender_email=f"nguoi-gui-{index + 1}@{DEMO_EMAIL_DOMAIN}" if signed else "",
        attributes=ATTRIBUTES.get(code, {}),
    )
    if signed:
        return petition_create(data=data, channel=Channel.WEB, now=moment, notify=False).petition
    created = petition_create(
        data=data, channel=Channel.OPEN311, api_client=app, now=moment, notify=False
    )
    return created.petition


def _send_duplicate(sent: list[_Sent], moment: dt.datetime, app: ApiClient) -> _Sent:
    """Someone else reports the same thing at the same place some days later."""
    candidates = [s for s in sent if not s.spam and s.original_id is None]
    original = next(
        (s.petition for s in reversed(candidates) if s.petition.lat is not None),
        candidates[-1].petition,
    )
    data = PetitionInput(
        category_code=original.category.code,
        description=f"Vẫn chưa thấy xử lý: {original.description[:200]}",
        lat=original.lat,
        long=original.long,
        address=original.address,
        address_id=original.ward.code if original.ward_id else "",
    )
    created = petition_create(
        data=data, channel=Channel.OPEN311, api_client=app, now=moment, notify=False
    )
    return _Sent(created.petition, moment, original_id=original.pk)


def _handle(rng: random.Random, item: _Sent, now: dt.datetime) -> None:
    """What the agency did next, as far as time has come."""
    petition = item.petition
    staff = demo_staff(petition.agency)
    if item.original_id is not None:
        at = min(item.at + dt.timedelta(hours=rng.randint(2, 30)), now)
        petition_mark_duplicate(
            petition_id=petition.pk, user=staff, original_id=item.original_id, now=at, notify=False
        )
        return
    if item.spam:
        at = min(item.at + dt.timedelta(hours=rng.randint(1, 6)), now)
        petition_hide(
            petition_id=petition.pk,
            user=staff,
            reason="Quảng cáo vay tiền, không phải phản ánh.",
            close=True,
            now=at,
        )
        return
    at = item.at + dt.timedelta(days=rng.uniform(0.5, 3))
    target = FORWARD_TO.get(petition.category.code)
    if target and rng.random() < 0.5 and at < now and target != petition.agency.code:
        petition_forward(
            petition_id=petition.pk,
            user=staff,
            agency_code=target,
            reason="Nội dung thuộc thẩm quyền quản lý của Sở; chuyển để giải quyết.",
            now=at,
            notify=False,
        )
        staff = demo_staff(Agency.objects.get(code=target))
    answered_at = at + dt.timedelta(days=rng.uniform(0.5, 11))
    if answered_at >= now or rng.random() < 0.12:
        return  # still open: recent, or late
    petition_answer(
        petition_id=petition.pk,
        user=staff,
        text=rng.choice(ANSWERS).format(day=_day(answered_at)),
        now=answered_at,
        notify=False,
    )
    rated_at = answered_at + dt.timedelta(hours=rng.randint(2, 72))
    if rated_at < now and rng.random() < 0.5:
        answer_rate(
            petition_id=petition.pk,
            score=rng.choice([5, 5, 4, 4, 4, 3, 2, 1]),
            key=rating_key(petition.pk),
            now=rated_at,
        )
