"""What people type as their username (an email address or a Vietnamese mobile number in any
spelling) and the stored username it means: the login form, the lockout and registration read
it from here."""

from __future__ import annotations

import re

from .models import User

MOBILE_PHONE = re.compile(r"^0[35789][0-9]{8}$")
PHONE_PUNCTUATION = re.compile(r"[\s.\-()]")


def normalise_phone(raw: str) -> str | None:
    """'+84 912 345 678', '84912345678' and '0912.345.678' all become '0912345678'; anything
    that is not a Vietnamese mobile number gives None."""
    phone = PHONE_PUNCTUATION.sub("", raw.strip())
    if phone.startswith("+84"):
        phone = "0" + phone[3:]
    elif phone.startswith("84") and len(phone) == 11:
        phone = "0" + phone[2:]
    return phone if MOBILE_PHONE.match(phone) else None


def login_username(raw: str) -> str:
    """The stored username someone means when they type `raw` on the login page: a phone in any
    spelling is its 0-form, and a stored username differing only in case is that username."""
    typed = raw.strip()
    phone = normalise_phone(typed)
    if phone:
        return phone
    matches = list(User.objects.filter(username__iexact=typed).values_list("username", flat=True))
    return matches[0] if len(matches) == 1 else typed
