"""Reads of the organisation, including who a bearer token belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import timezone
from vietnam_provinces import Province, VietNamDivisionType

from .models import Agency, ApiToken, User
from .services import hash_token


def user_by_api_token(raw: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user", "user__agency")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.user.is_demo and not settings.MOTCUA_DEMO_MODE:
        return None
    now = timezone.now()
    # Write at most once a minute: the token is read on every API call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_tokens_of(user: User) -> list[ApiToken]:
    """The owner's tokens that still work (neither expired nor revoked), newest first."""
    return list(
        ApiToken.objects.filter(
            user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).order_by("-created_at", "-pk")
    )


def agency_by_code(code: str) -> Agency | None:
    return Agency.objects.filter(code=code).select_related("unit").first()


@dataclass(frozen=True)
class ProvinceServed:
    """The province this installation serves, named as its letterheads and forms name it."""

    code: int
    name: str  # "Thành phố Hải Phòng"
    short_name: str  # "Hải Phòng": the place printed before a form's date
    committee_name: str  # "Ủy ban nhân dân thành phố Hải Phòng"


def province_served() -> ProvinceServed:
    """From settings.MOTCUA_PROVINCE_CODE and the national list of provinces (the
    `vietnam-provinces` package, the same source the organisation is loaded from)."""
    return _province(settings.MOTCUA_PROVINCE_CODE)


@cache
def _province(code: int) -> ProvinceServed:
    province = next(p for p in Province.iter_all() if int(p.code) == code)
    city = province.division_type == VietNamDivisionType.THANH_PHO_TRUNG_UONG
    kind = "thành phố" if city else "tỉnh"
    short = province.name
    for prefix in ("Thành phố ", "Tỉnh "):
        short = short.removeprefix(prefix)
    return ProvinceServed(
        code=code,
        name=province.name,
        short_name=short,
        committee_name=f"Ủy ban nhân dân {kind} {short}",
    )
