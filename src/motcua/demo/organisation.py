"""The demo organisation: the province, its communes (from `vietnam-provinces`), 2018 districts,
its agencies and one demo account per role. Idempotent: a second run changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from vietnam_provinces import Province, Ward

from motcua.org.models import Agency, Unit, User

DATA = Path(__file__).parent / "data" / "agencies.json"
REFORM_DAY = dt.date(2025, 7, 1)  # the two-level local government took effect
DEMO_PASSWORD = "motcua-demo"  # noqa: S105 - published demo password, refused outside demo mode
KIND_BY_DIVISION = {
    "phường": Unit.Kind.WARD,
    "xã": Unit.Kind.COMMUNE,
    "đặc khu": Unit.Kind.SPECIAL_ZONE,
}

DEMO_ACCOUNTS = (
    # username, full name, role, agency code
    ("admin", "Quản trị hệ thống", User.Role.ADMINISTRATOR, None),
    ("demo-desk", "Nguyễn Thị Thu Hà", User.Role.DESK_OFFICER, "TTPVHCC"),
    ("demo-specialist", "Trần Văn Minh", User.Role.SPECIALIST, "SO-TP"),
    ("demo-leader", "Phạm Quốc Hùng", User.Role.AGENCY_LEADER, "SO-TP"),
    ("demo-reform", "Lê Thị Hồng Nhung", User.Role.REFORM_OFFICE, "SO-NV"),
    ("demo-city", "Đặng Văn Thành", User.Role.CITY_LEADER, "UBND-TP"),
    ("demo-citizen", "Vũ Đức Anh", User.Role.CITIZEN, None),
)


def _unit(code: str, kind: str, valid_from: dt.date, **fields: object) -> Unit:
    unit, _ = Unit.objects.get_or_create(
        code=code, kind=kind, valid_from=valid_from, defaults=fields
    )
    return unit


def _correct_electronic_ids(wanted: dict[str, str]) -> None:
    """A demo database loaded before the identifiers were corrected (H31 is another province's
    level-1 code) gets the shipped ones; dossier codes already issued keep theirs, since a code
    is never reissued."""
    stale = [a for a in Agency.objects.filter(code__in=wanted) if a.electronic_id != wanted[a.code]]
    for agency in stale:
        agency.electronic_id = wanted[agency.code]
    Agency.objects.bulk_update(stale, ["electronic_id"])


@transaction.atomic
def load_organisation() -> dict[str, int]:
    code = settings.MOTCUA_PROVINCE_CODE
    province_info = next(p for p in Province.iter_all() if int(p.code) == code)
    province = _unit(str(code), Unit.Kind.PROVINCE, REFORM_DAY, name=province_info.name)
    old_province = _unit(
        str(code),
        Unit.Kind.PROVINCE,
        dt.date(1997, 1, 1),
        name=province_info.name,
        valid_to=REFORM_DAY - dt.timedelta(days=1),
    )
    data = json.loads(DATA.read_text(encoding="utf-8"))
    if code == 31:
        for index, name in enumerate(data["districts_2018"], start=1):
            _unit(
                f"31-D{index:02d}",
                Unit.Kind.DISTRICT,
                dt.date(2018, 1, 1),
                name=name,
                parent=old_province,
                valid_to=REFORM_DAY - dt.timedelta(days=1),
            )
    wards = sorted(
        (w for w in Ward.iter_all() if int(w.province_code) == code), key=lambda w: int(w.code)
    )
    existing_units = {
        u.code: u
        for u in Unit.objects.filter(valid_from=REFORM_DAY).exclude(kind=Unit.Kind.PROVINCE)
    }
    new_units = [
        Unit(
            code=str(int(w.code)),
            name=w.name,
            parent=province,
            valid_from=REFORM_DAY,
            kind=KIND_BY_DIVISION.get(str(w.division_type.value), Unit.Kind.COMMUNE),
        )
        for w in wards
        if str(int(w.code)) not in existing_units
    ]
    Unit.objects.bulk_create(new_units)
    agencies = {a.code: a for a in Agency.objects.all()}
    wanted_ids: dict[str, str] = {}
    for entry in data["province_agencies"] if code == 31 else []:
        wanted_ids[entry["code"]] = entry["electronic_id"]
        if entry["code"] not in agencies:
            agencies[entry["code"]] = Agency.objects.create(
                code=entry["code"],
                electronic_id=entry["electronic_id"],
                name=entry["name"],
                short_name=entry["short_name"],
                kind=entry["kind"],
                unit=province,
                has_one_stop_desk=entry.get("one_stop", False),
                valid_from=REFORM_DAY,
                parent=agencies.get("UBND-TP"),
            )
    commune_units = Unit.objects.filter(valid_from=REFORM_DAY, parent=province).order_by("code")
    new_agencies = []
    level1 = data["province_electronic_id"]
    for index, unit in enumerate(commune_units, start=data["commune_level2_start"]):
        agency_code = f"UBND-{unit.code}"
        wanted_ids[agency_code] = f"{level1}.{index:03d}.00"
        if agency_code in agencies:
            continue
        new_agencies.append(
            Agency(
                code=agency_code,
                electronic_id=wanted_ids[agency_code],
                name=f"Ủy ban nhân dân {unit.name}",
                short_name=f"UBND {unit.name}",
                kind=Agency.Kind.COMMUNE_COMMITTEE,
                unit=unit,
                has_one_stop_desk=True,
                valid_from=REFORM_DAY,
                parent=agencies.get("UBND-TP"),
            )
        )
    Agency.objects.bulk_create(new_agencies)
    _correct_electronic_ids(wanted_ids)
    return {"units": Unit.objects.count(), "agencies": Agency.objects.count()}


@transaction.atomic
def load_demo_accounts() -> int:
    created = 0
    for username, full_name, role, agency_code in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        user = User(
            username=username,
            full_name=full_name,
            role=role,
            is_demo=True,
            agency=Agency.objects.get(code=agency_code) if agency_code else None,
            email=f"{username}@example.gov.vn"
            if role != User.Role.CITIZEN
            else "citizen@example.vn",
            is_staff=role == User.Role.ADMINISTRATOR,
            is_superuser=role == User.Role.ADMINISTRATOR,
        )
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        created += 1
    return created


# An agency's three demo officers: demo-<key>-desk, demo-<key>-specialist, demo-<key>-leader,
# where <key> is the agency code in lower case without a leading "so-" (SO-NNMT → nnmt,
# TTPVHCC → ttpvhcc, UBND-10507 → ubnd-10507).
STAFF_ROLES = (
    ("desk", User.Role.DESK_OFFICER),
    ("specialist", User.Role.SPECIALIST),
    ("leader", User.Role.AGENCY_LEADER),
)
_SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Ngô",
    "Dương",
    "Phan",
    "Đinh",
    "Lương",
]
_MIDDLE = {
    "m": ["Văn", "Đức", "Minh", "Quốc", "Hữu", "Thanh"],
    "f": ["Thị", "Ngọc", "Thu", "Thanh", "Hồng", "Mai"],
}
_GIVEN = {
    "m": [
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Hải",
        "Hiếu",
        "Hùng",
        "Huy",
        "Khánh",
        "Long",
        "Nam",
        "Phong",
        "Quân",
        "Sơn",
        "Tuấn",
        "Việt",
    ],
    "f": [
        "Anh",
        "Chi",
        "Giang",
        "Hà",
        "Hạnh",
        "Hoa",
        "Hương",
        "Lan",
        "Linh",
        "Mai",
        "Nga",
        "Ngọc",
        "Thảo",
        "Trang",
        "Vân",
        "Yến",
    ],
}


def staff_key(agency_code: str) -> str:
    key = agency_code.lower()
    return key.removeprefix("so-")


def staff_username(agency_code: str, role_suffix: str) -> str:
    return f"demo-{staff_key(agency_code)}-{role_suffix}"


def _staff_name(username: str) -> str:
    """A Vietnamese name that depends on the username only, so reloads agree."""
    digest = hashlib.sha256(username.encode()).digest()
    sex = "f" if digest[0] % 2 else "m"
    return " ".join(
        (
            _SURNAMES[digest[1] % len(_SURNAMES)],
            _MIDDLE[sex][digest[2] % len(_MIDDLE[sex])],
            _GIVEN[sex][digest[3] % len(_GIVEN[sex])],
        )
    )


@transaction.atomic
def load_demo_staff(*, agency_codes: list[str]) -> int:
    """A desk officer, a specialist and a leader for each agency, created once; existing
    accounts are left as they are."""
    agencies = Agency.objects.filter(code__in=agency_codes).order_by("code")
    wanted = {
        staff_username(agency.code, suffix): (agency, role)
        for agency in agencies
        for suffix, role in STAFF_ROLES
    }
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    if len(existing) == len(wanted):
        return 0
    password = make_password(DEMO_PASSWORD)  # hashed once: hundreds of accounts share it
    new_users = []
    for username, (agency, role) in wanted.items():
        if username in existing:
            continue
        user = User(
            username=username,
            full_name=_staff_name(username),
            role=role,
            agency=agency,
            is_demo=True,
            email=f"{username}@example.gov.vn",
            password=password,
        )
        user.full_clean(exclude=["password"])
        new_users.append(user)
    User.objects.bulk_create(new_users, batch_size=500)
    return len(new_users)
