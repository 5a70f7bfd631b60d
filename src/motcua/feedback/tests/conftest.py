"""Fixtures of the petition tests: an Open311 key, staff of any agency, form posting."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from motcua.demo.organisation import DEMO_PASSWORD
from motcua.feedback.clients import api_client_issue_key
from motcua.org.models import Agency, User

HONG_BANG = "11311"  # Phường Hồng Bàng
LE_CHAN = "11383"  # Phường Lê Chân
OPERA_HOUSE = (20.85870, 106.68290)  # a point in the city centre
FORM = "application/x-www-form-urlencoded"


def parse_xml(content: bytes) -> ET.Element:
    """Our own response, in a test: the standard library's parser is what a client would use."""
    return ET.fromstring(content)  # noqa: S314


@pytest.fixture
def world(world):
    """The demo world with the petition categories; a transactional test elsewhere flushes
    the rows the data migration loaded."""
    from motcua.feedback.categories import load_categories
    from motcua.feedback.models import Category

    if not Category.objects.exists():
        load_categories(Category)
    return world


@pytest.fixture
def api_key(world) -> str:
    return api_client_issue_key(name="test-app")[1]


@pytest.fixture
def staff(world) -> Callable[[str], User]:
    """A specialist of the agency with this code (created on first use)."""

    def make(agency_code: str, role: str = User.Role.SPECIALIST) -> User:
        username = f"t-{role}-{agency_code}".lower()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=f"Cán bộ {agency_code}",
                role=role,
                agency=Agency.objects.get(code=agency_code),
                email=f"{username}@example.gov.vn",
                is_demo=True,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    return make


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_form(client: Client, path: str, data: dict[str, Any]) -> Any:
    """POST application/x-www-form-urlencoded, as the Open311 specification says."""
    body = urlencode({k: v for k, v in data.items() if v is not None}, doseq=True)
    return client.post(path, body, content_type=FORM)


def open311_post(client: Client, key: str | None, fmt: str = "json", **fields: Any) -> Any:
    data: dict[str, Any] = {
        "api_key": key,
        "service_code": "HT01",
        "lat": OPERA_HOUSE[0],
        "long": OPERA_HOUSE[1],
        "description": "Ổ gà lớn giữa đường, xe máy dễ ngã.",
    }
    data.update(fields)
    return post_form(client, f"/open311/v2/requests.{fmt}", data)


# A minimal JPEG: SOI, an EXIF block (orientation 6 and a GPS pointer), a scan, EOI.
def jpeg_with_exif(colour: tuple[int, int, int] = (200, 120, 40)) -> bytes:
    """A real phone-like photo: orientation 6, a GPS position, the camera in EXIF and a comment."""
    import io

    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° to show
    exif[0x0110] = "camera-x100"  # camera model
    exif.get_ifd(0x8825).update(
        {
            1: "N",
            2: (20.0, 51.0, 31.3),
            3: "E",
            4: (106.0, 41.0, 0.0),
            27: b"ASCII\x00\x00\x00GPS-SECRET-20.85870N",  # GPS processing method
        }
    )
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(
        out, "JPEG", exif=exif.tobytes(), comment=b"camera-x100"
    )
    return out.getvalue()


def png_with_text() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"tEXt", b"Location\x00GPS-SECRET")
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )
