"""Checks of what a sender sends, made before anything is written: location, text, contact
details, attributes and photos. Each failure is an ApiError naming the field."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext_lazy as _

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
    _("A location is required: lat and long, address_string or address_id."),
)
ERR_LAT_LONG = (
    "invalid_lat_long",
    _("Both lat (−90…90) and long (−180…180) are required together."),
)
ERR_OUTSIDE = (
    "outside_province",
    _(
        "The point ({lat}, {long}) is outside the province; pick the place again or leave the "
        "coordinates empty."
    ),
)
ERR_WARD = (
    "unknown_address_id",
    _("No ward or commune with address_id “{code}” in this province."),
)
ERR_DESCRIPTION_REQUIRED = ("description_required", _("A description is required."))
ERR_TOO_LONG = ("too_long", _("“{field}” is {length} characters long, over the limit of {limit}."))
ERR_HTML = (
    "html_not_allowed",
    _("“{field}” must not contain HTML (tags like <...>); write plain text."),
)
ERR_EMAIL = ("invalid_email", _("The email address is not valid."))
ERR_PHONE = ("invalid_phone", _("The phone number is not valid (9–12 digits)."))
ERR_MEDIA_URL = ("invalid_media_url", _("media_url must be a valid http(s) URL."))
ERR_TOO_MANY_PHOTOS = ("too_many_photos", _("At most {limit} photos can be sent."))


def plain_text(value: str, *, field_name: str, limit: int, label: str | None = None) -> str:
    """NFC text without control characters; refused when too long or when it holds HTML."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value or "")).strip()
    label = label or field_name
    if len(text) > limit:
        raise ApiError(
            *ERR_TOO_LONG, field_name=field_name, field=label, length=len(text), limit=limit
        )
    if _HTML.search(text):
        raise ApiError(*ERR_HTML, field_name=field_name, field=label)
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
        raise ApiError(*ERR_LAT_LONG, field_name="lat")
    # Both coordinates or neither, from here on.
    point = None if data.lat is None or data.long is None else (data.lat, data.long)
    if point is not None and not (-90 <= point[0] <= 90 and -180 <= point[1] <= 180):
        raise ApiError(*ERR_LAT_LONG, field_name="lat")
    if point is None and not data.address.strip() and not data.address_id.strip():
        raise ApiError(*ERR_LOCATION, field_name="lat")
    if point is not None and not point_in_province(*point):
        raise ApiError(
            *ERR_OUTSIDE, field_name="lat", lat=round(point[0], 5), long=round(point[1], 5)
        )
    if data.address_id.strip():
        ward = ward_by_code(data.address_id)
        if ward is None:
            raise ApiError(*ERR_WARD, field_name="address_id", code=data.address_id.strip()[:20])
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
            raise ApiError(*ERR_EMAIL, field_name="email") from exc
    phone = re.sub(r"[\s.\-()]", "", data.sender_phone or "")
    if phone and not _PHONE.match(phone):
        raise ApiError(*ERR_PHONE, field_name="phone")
    id_number = validate_id_number(data.sender_id_number) if data.sender_id_number.strip() else ""
    return {
        "sender_name": " ".join(name.split()),
        "sender_email": email.lower(),
        "sender_phone": phone,
        "sender_id_number": id_number,
    }


def check_photos(photos: list[PhotoUpload]) -> list[CheckedPhoto]:
    if len(photos) > PHOTOS_MAX:
        raise ApiError(*ERR_TOO_MANY_PHOTOS, field_name="media", limit=PHOTOS_MAX)
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
        raise ApiError(*ERR_MEDIA_URL, field_name="media_url") from exc
    if len(url) > 500:
        raise ApiError(
            *ERR_TOO_LONG, field_name="media_url", field="media_url", length=len(url), limit=500
        )
    return url
