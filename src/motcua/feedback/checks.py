"""Checks of what a sender sends, made before anything is written: location, text, contact
details, attributes and photos. Each failure is an ApiError naming the field."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from motcua.common.errors import ApiError
from motcua.common.identity import validate_id_number
from motcua.common.uploads import check_upload
from motcua.org.models import Unit

from .selectors import point_in_province, ward_at, ward_by_code, ward_in_address

DESCRIPTION_MAX = 4000
ADDRESS_MAX = 255
PHOTOS_MAX = 5
PHOTO_MAX_BYTES = 5 * 1024 * 1024

_HTML = re.compile(r"<\s*(?:[/?]?\s*[a-zA-Z]|!)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PHONE = re.compile(r"^\+?[0-9]{9,12}$")

ERR_LOCATION = (
    "location_required",
    "Cần cho biết vị trí: toạ độ (lat và long), địa chỉ (address_string) hoặc phường, xã "
    "(address_id).",
    "A location is required: lat and long, address_string or address_id.",
)
ERR_LAT_LONG = (
    "invalid_lat_long",
    "Toạ độ cần đủ cả vĩ độ (lat, −90…90) và kinh độ (long, −180…180).",
    "Both lat (−90…90) and long (−180…180) are required together.",
)
ERR_OUTSIDE = (
    "outside_province",
    "Vị trí ({lat}, {long}) nằm ngoài địa bàn tỉnh, thành phố; hãy chọn lại điểm trên bản đồ "
    "hoặc bỏ trống toạ độ.",
    "The point ({lat}, {long}) is outside the province; pick the place again or leave the "
    "coordinates empty.",
)
ERR_WARD = (
    "unknown_address_id",
    "Không có phường, xã mã “{code}” (address_id) trong tỉnh, thành phố.",
    "No ward or commune with address_id “{code}” in this province.",
)
ERR_DESCRIPTION_REQUIRED = (
    "description_required",
    "Cần mô tả nội dung phản ánh.",
    "A description is required.",
)
ERR_TOO_LONG = (
    "too_long",
    "“{field}” dài {length} ký tự, quá giới hạn {limit} ký tự.",
    "“{field}” is {length} characters long, over the limit of {limit}.",
)
ERR_HTML = (
    "html_not_allowed",
    "“{field}” không được chứa mã HTML (thẻ dạng <...>); hãy viết văn bản thường.",
    "“{field}” must not contain HTML (tags like <...>); write plain text.",
)
ERR_EMAIL = ("invalid_email", "Địa chỉ email không hợp lệ.", "The email address is not valid.")
ERR_PHONE = (
    "invalid_phone",
    "Số điện thoại không hợp lệ (9–12 chữ số).",
    "The phone number is not valid (9–12 digits).",
)
ERR_MEDIA_URL = (
    "invalid_media_url",
    "media_url phải là địa chỉ http(s) hợp lệ.",
    "media_url must be a valid http(s) URL.",
)
ERR_TOO_MANY_PHOTOS = (
    "too_many_photos",
    "Chỉ gửi được tối đa {limit} ảnh.",
    "At most {limit} photos can be sent.",
)


def error(spec: tuple[str, str, str], field_name: str | None = None, **values: Any) -> ApiError:
    code, vi, en = spec
    errors = [{"field": field_name, "message": en.format(**values)}] if field_name else None
    return ApiError(code, vi.format(**values), en.format(**values), errors=errors)


def plain_text(value: str, *, field_name: str, limit: int, label: str | None = None) -> str:
    """NFC text without control characters; refused when too long or when it holds HTML."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value or "")).strip()
    label = label or field_name
    if len(text) > limit:
        raise error(ERR_TOO_LONG, field_name, field=label, length=len(text), limit=limit)
    if _HTML.search(text):
        raise error(ERR_HTML, field_name, field=label)
    return text


@dataclass
class PhotoUpload:
    name: str
    content: bytes


@dataclass
class PetitionInput:
    category_code: str
    description: str
    lat: float | None = None
    long: float | None = None
    address: str = ""
    address_id: str = ""
    sender_name: str = ""
    sender_phone: str = ""
    sender_email: str = ""
    sender_id_number: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)
    photos: list[PhotoUpload] = field(default_factory=list)
    media_url: str = ""


@dataclass(frozen=True)
class CheckedPhoto:
    name: str
    content: bytes
    content_type: str


def check_location(data: PetitionInput) -> Unit | None:
    if (data.lat is None) != (data.long is None):
        raise error(ERR_LAT_LONG, "lat")
    # Both coordinates or neither, from here on.
    point = None if data.lat is None or data.long is None else (data.lat, data.long)
    if point is not None and not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        raise error(ERR_LAT_LONG, "lat")
    if point is None and not data.address.strip() and not data.address_id.strip():
        raise error(ERR_LOCATION, "lat")
    if point is not None and not point_in_province(*point):
        raise error(ERR_OUTSIDE, "lat", lat=round(point[0], 5), long=round(point[1], 5))
    if data.address_id.strip():
        ward = ward_by_code(data.address_id)
        if ward is None:
            raise error(ERR_WARD, "address_id", code=data.address_id.strip()[:20])
        return ward
    # A ward the sender named in the address is their word; the nearest centroid is a guess.
    ward = ward_in_address(data.address) if data.address.strip() else None
    if ward is None and point is not None:
        ward = ward_at(*point)
    return ward


def check_sender(data: PetitionInput) -> dict[str, str]:
    name = plain_text(data.sender_name, field_name="name", limit=150)
    email = data.sender_email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise error(ERR_EMAIL, "email") from exc
    phone = re.sub(r"[\s.\-()]", "", data.sender_phone or "")
    if phone and not _PHONE.match(phone):
        raise error(ERR_PHONE, "phone")
    id_number = validate_id_number(data.sender_id_number) if data.sender_id_number.strip() else ""
    return {
        "sender_name": " ".join(name.split()),
        "sender_email": email.lower(),
        "sender_phone": phone,
        "sender_id_number": id_number,
    }


def check_photos(photos: list[PhotoUpload]) -> list[CheckedPhoto]:
    if len(photos) > PHOTOS_MAX:
        raise error(ERR_TOO_MANY_PHOTOS, "media", limit=PHOTOS_MAX)
    checked = []
    for photo in photos:
        result = check_upload(
            photo.name, photo.content, allowed=("jpeg", "png"), max_bytes=PHOTO_MAX_BYTES
        )
        # re-encoded by check_upload: no GPS position, camera data or appended image is kept
        checked.append(CheckedPhoto(result.safe_name, result.content, result.content_type))
    return checked


def check_media_url(url: str) -> str:
    url = url.strip()
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise error(ERR_MEDIA_URL, "media_url") from exc
    if len(url) > 500:
        raise error(ERR_TOO_LONG, "media_url", field="media_url", length=len(url), limit=500)
    return url
