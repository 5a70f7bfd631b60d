"""Open311 documents in JSON or XML, shaped as the GeoReport v2 specification shows them."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpResponse
from django.utils import timezone

CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# The element name of each member of a list, by the list's element name.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def iso(moment: dt.datetime | None) -> str | None:
    """ISO 8601 in Vietnam time, e.g. 2026-01-15T10:00:00+07:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return iso(value) or ""
    return str(value)


def _element(tag: str, value: Any) -> ET.Element:
    element = ET.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            element.append(_element(key, child))
    elif isinstance(value, list | tuple):
        item_tag = ITEM_TAGS.get(tag, "item")
        for child in value:
            element.append(_element(item_tag, child))
    else:
        element.text = _text(value)
    return element


def to_xml(root: str, value: Any) -> bytes:
    body = ET.tostring(_element(root, value), encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}'.encode()


def to_json(value: Any) -> bytes:
    return json.dumps(_plain(value), ensure_ascii=False).encode()


def respond(fmt: str, root: str, value: Any, status: int = 200) -> HttpResponse:
    """`value` as JSON, or as XML under the element `root` (lists take ITEM_TAGS names)."""
    body = to_xml(root, value) if fmt == "xml" else to_json(value)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error_response(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """The specification's error document: [{"code": 403, "description": "…"}]."""
    errors = [{"code": status, "description": text} for text in descriptions]
    return respond(fmt, "errors", errors, status=status)
