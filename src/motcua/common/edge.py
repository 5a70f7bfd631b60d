"""The application's edge: what no view should ever have to handle.

A request body over MOTCUA_MAX_REQUEST_BYTES is refused with 413 before it is read, and
text carrying a control character (NUL above all, which PostgreSQL cannot store in a text
column) is refused with 400 wherever it comes in: the path, query parameters, cookies, form
fields, uploaded file names and every string or key of a JSON body. Tab, line feed and
carriage return are ordinary text and pass. The refusal speaks the caller's format: the API's
JSON error, Open311's error document, or a Vietnamese page.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .errors import ApiError

# Unicode Cc other than tab, LF and CR, and lone surrogates (a JSON "\ud800" decodes to one;
# neither database driver can encode it).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

ERR_CONTROL = (
    "control_character",
    _("The request has a control character (such as NUL) in {where}; remove it and send again."),
)
ERR_TOO_LARGE = (
    "request_too_large",
    _("The request is too large: at most {limit} can be sent at once."),
)
ERR_UNPARSABLE = ("invalid_body", _("The form data sent cannot be read."))
# The part of the request, as the message names it (the English is the part's own name).
_WHERE = {
    "path": pgettext_lazy("request part", "path"),
    "query": pgettext_lazy("request part", "query"),
    "cookie": pgettext_lazy("request part", "cookie"),
    "form": pgettext_lazy("request part", "form"),
    "file name": pgettext_lazy("request part", "file name"),
    "body": pgettext_lazy("request part", "body"),
}
API_PREFIX = "/api/"
OPEN311_PREFIX = "/open311/"
_JSON_TYPES = re.compile(r"^application/(?:[\w.+-]+\+)?json$")


def has_control_character(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def control_character_error(where: str, field: str | None = None) -> ApiError:
    place = _WHERE.get(where, where)
    return ApiError(
        *ERR_CONTROL,
        where=format_lazy("{} “{}”", place, field[:60]) if field else place,
        errors=[{"field": field, "message": "control character"}] if field else None,
    )


def request_too_large_error(limit: int) -> ApiError:
    return ApiError(*ERR_TOO_LARGE, limit=_megabytes(limit), status=413)


def _printable(text: str) -> str:
    """A field name fit to echo back: control characters shown as U+XXXX."""
    return CONTROL_CHARACTERS.sub(lambda m: f"U+{ord(m.group()):04X}", text)


def _bad_pairs(pairs: Iterator[tuple[str, str]]) -> str | None:
    """The first key whose name or value has a control character."""
    for key, value in pairs:
        if has_control_character(key) or has_control_character(value):
            return _printable(key)
    return None


def _query_pairs(params: QueryDict) -> Iterator[tuple[str, str]]:
    for key, values in params.lists():
        for value in values:
            yield key, value if isinstance(value, str) else ""


def _json_strings(document: Any) -> Iterator[tuple[str, str]]:
    """(field path, string) for every key and string value, walked without recursion."""
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for key, child in value.items():
                child_path = f"{path}.{key}" if path else str(key)
                yield child_path, str(key)
                stack.append((child_path, child))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", child) for i, child in enumerate(value))


def _check_body(request: HttpRequest) -> ApiError | None:
    content_type = request.content_type or ""
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        if request.method == "POST":
            form = request.POST
        elif content_type == "application/x-www-form-urlencoded":
            form = QueryDict(request.body)
        else:  # multipart PUT/PATCH: Django parses none, and no view here reads one
            return None
        bad = _bad_pairs(_query_pairs(form))
        if bad is not None:
            return control_character_error("form", bad)
        # Every file of a field, not only the last one that items() gives (Django already drops
        # non-printable characters from multipart file names; this stays the edge's own check).
        for field, uploads in request.FILES.lists():
            if any(has_control_character(upload.name or "") for upload in uploads):
                return control_character_error("file name", _printable(field))
        return None
    if _JSON_TYPES.match(content_type) and request.body:
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError):
            return None  # not JSON: the endpoint's own parser says so in its own words
        for path, text in _json_strings(document):
            if has_control_character(text):
                return control_character_error("body", _printable(path) or None)
    return None


def refusal(request: HttpRequest) -> ApiError | None:
    """Why the edge refuses `request`, or None to let it through."""
    limit = settings.MOTCUA_MAX_REQUEST_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if limit and length > limit:
        return request_too_large_error(limit)
    if has_control_character(request.path_info):
        return control_character_error("path")
    bad = _bad_pairs(_query_pairs(request.GET))
    if bad is not None:
        return control_character_error("query", bad)
    bad = _bad_pairs(iter(request.COOKIES.items()))
    if bad is not None:
        return control_character_error("cookie", bad)
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        try:
            return _check_body(request)
        except RequestDataTooBig:
            return request_too_large_error(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        except (MultiPartParserError, SuspiciousOperation) as exc:
            # a form body that cannot be parsed (no boundary, too many fields): the caller's
            # format, not Django's bare HTML 400 (found by the fuzz on /api/)
            return ApiError(*ERR_UNPARSABLE, errors=[{"field": None, "message": str(exc)}])
    return None


# --- answering in the caller's format ---------------------------------------------------------


def _open311_response(request: HttpRequest, error: ApiError) -> HttpResponse:
    """Open311 GeoReport v2's error document, as XML for *.xml paths, else JSON."""
    text = error.text
    if request.path.endswith(".xml"):
        root = ET.Element("errors")
        item = ET.SubElement(root, "error")
        ET.SubElement(item, "code").text = str(error.status)
        ET.SubElement(item, "description").text = text
        body = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")
        return HttpResponse(body, status=error.status, content_type="text/xml; charset=utf-8")
    return JsonResponse(
        [{"code": error.status, "description": text}],
        status=error.status,
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )


def _page_response(request: HttpRequest, error: ApiError) -> HttpResponse:
    body = render_to_string(
        "common/bad_request.html",
        {"status": error.status, "message": error.message, "message_en": error.message_en},
        request=request,
    )
    return HttpResponse(body, status=error.status)


def error_response(request: HttpRequest, error: ApiError) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error.as_dict(), status=error.status)
    if request.path.startswith(OPEN311_PREFIX):
        return _open311_response(request, error)
    return _page_response(request, error)


class InputSafetyMiddleware:
    """Refuses oversized bodies (413) and control characters (400) before any view runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        error = refusal(request)
        if error is not None:
            response = error_response(request, error)
            if error.status == 413:
                # The unread body is still on the socket: the connection cannot be reused.
                response["Connection"] = "close"
            return response
        return self.get_response(request)
