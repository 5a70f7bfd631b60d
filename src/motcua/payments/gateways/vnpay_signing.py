"""The VNPay 2.1.0 signature, shared by the test gateway and any VNPay-style plug-in.

The signed text is every `vnp_` parameter except the hash fields, sorted by key, each written as
`key=value` with `quote_plus` encoding and joined with `&`; the signature is the lowercase hex
HMAC-SHA512 of that text under the merchant's secret."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import urlencode

from motcua.common.gmt7 import GMT7, gmt7_stamp, parse_gmt7_stamp

HASH_FIELDS = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})
# VNPay writes its dates at GMT+7 whatever zone the installation runs in (common/gmt7.py).
VIETNAM = GMT7


def hash_data(params: Mapping[str, str]) -> str:
    """The text that is signed: `vnp_` params but the hash fields, sorted by key, urlencoded."""
    items = sorted(
        (key, str(value))
        for key, value in params.items()
        if key.startswith("vnp_") and key not in HASH_FIELDS
    )
    return urlencode(items)  # quote_plus on keys and values, joined with "&"


def secure_hash(secret: str, params: Mapping[str, str]) -> str:
    return hmac.new(secret.encode(), hash_data(params).encode(), hashlib.sha512).hexdigest()


def signed(secret: str, params: Mapping[str, str]) -> dict[str, str]:
    """`params` with `vnp_SecureHash` added (any old hash replaced)."""
    clean = {key: str(value) for key, value in params.items() if key not in HASH_FIELDS}
    return {**clean, "vnp_SecureHash": secure_hash(secret, clean)}


def signature_ok(secret: str, params: Mapping[str, str]) -> bool:
    given = str(params.get("vnp_SecureHash", "")).lower()
    return bool(given) and hmac.compare_digest(given, secure_hash(secret, params))


def vnpay_time(moment: dt.datetime) -> str:
    """yyyyMMddHHmmss in Vietnam's time, as VNPay writes every date."""
    return gmt7_stamp(moment)


def parse_vnpay_time(text: str) -> dt.datetime | None:
    return parse_gmt7_stamp(text)


def amount_from_vnpay(text: str | None) -> int | None:
    """`vnp_Amount` is đồng × 100; anything but a whole, positive number of đồng is None."""
    if text is None or not str(text).isdigit():
        return None
    vnd, remainder = divmod(int(text), 100)
    return vnd if remainder == 0 and vnd > 0 else None
