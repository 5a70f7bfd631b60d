"""The GeoReport v2 endpoints under /open311/v2/: discovery, services, service definitions,
requests (list and post), one request, and tokens. Each endpoint answers in the format its
suffix names (.json or .xml); errors use the specification's error document."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from motcua.common.errors import ApiError, NotFound, render
from motcua.common.language import is_english
from motcua.common.throttle import throttled

from .. import selectors
from ..categories import localized
from ..checks import PHOTO_MAX_BYTES, PetitionInput, PhotoUpload
from ..clients import api_client_by_key
from ..models import OPEN_STATES, Category, Channel, Petition
from ..public import PublicPetition, publish
from ..services import petition_create
from .render import error_response, respond

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-01-15T00:00:00+07:00"
DEFAULT_WINDOW = dt.timedelta(days=90)
MAX_WINDOW = dt.timedelta(days=90)
MAX_RESULTS = 1000
_ATTRIBUTE = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
_SPACE_OFFSET = re.compile(r" (\d{2}:?\d{2})$")
# Tabs and line breaks are text; every other C0 control character and DEL is not.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ID = re.compile(r"[0-9]{1,18}")
_PAGE = re.compile(r"[0-9]{1,9}")
ID_MAX = 2**63 - 1  # the largest primary key the databases store
YEARS = (1900, 2999)  # dates outside are refused before any arithmetic can overflow
security_log = logging.getLogger("django.security")

ERR_API_KEY = (
    "api_key_required",
    _("A valid api_key is required to post a request; ask the administrator for one."),
)
ERR_SERVICE_CODE = ("service_code_required", _("service_code is required."))
ERR_NUMBER = ("invalid_number", _("{name} must be a number."))
ERR_DATE = (
    "invalid_date",
    _("{name} must be an ISO 8601 datetime, e.g. 2026-01-15T00:00:00+07:00."),
)
ERR_RANGE = ("date_range_too_long", _("start_date to end_date may span at most 90 days."))
ERR_RANGE_ORDER = ("date_range_reversed", _("end_date must be after start_date."))
ERR_STATUS = ("invalid_status", _("status is open or closed."))
ERR_PAGE = ("invalid_page", _("page must be 1 or more; page_size 1 to {max}."))
ERR_DATE_YEARS = ("date_out_of_range", _("{name} must be between the years {first} and {last}."))
ERR_REQUEST_ID = (
    "invalid_service_request_id",
    _("service_request_id is a comma-separated list of request numbers (digits)."),
)
ERR_CONTROL = (
    "control_characters",
    _("Parameter “{name}” contains control characters (such as NUL); send plain text."),
)
ERR_BODY = (
    "request_body_rejected",
    _("The request body is too large (at most {mb} MB besides photos) or malformed."),
)
ERR_NOT_FOUND = ("not_found", _("No such resource."))
ERR_METHOD = ("method_not_allowed", _("Method not allowed."))


def _shown(name: str) -> str:
    """A parameter's name fit to quote in an error: control characters as \\xNN."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", name)[:60]


def _check_no_control_characters(request: HttpRequest, path_values: dict[str, Any]) -> None:
    """Every parameter (name and value, query string and form body) and every part of the
    path is text without control characters; the first offender is named."""
    sources = [request.GET] + ([request.POST] if request.method == "POST" else [])
    for params in sources:
        for name, values in params.lists():
            if _CONTROL.search(name) or any(_CONTROL.search(v) for v in values):
                raise ApiError(*ERR_CONTROL, name=_shown(name))
    for name, value in path_values.items():
        if isinstance(value, str) and _CONTROL.search(value):
            raise ApiError(*ERR_CONTROL, name=name)


def _body_mb() -> str:
    return f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):g}"


def open311(*methods: str) -> Callable:
    """Allow `methods`; refuse control characters; turn ApiError and a body Django will not
    parse (too large, too many fields, broken multipart) into the specification's error
    document in the format the path names."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise ApiError(*ERR_METHOD, status=405)
                _check_no_control_characters(request, kwargs)
                return view(request, *args, fmt=fmt, **kwargs)
            except ApiError as exc:
                return error_response(fmt, exc.status, [exc.text])
            except SuspiciousOperation as exc:
                # Django would answer with its HTML 400 page; log it as Django does.
                security_log.warning("Open311 %s: %s", type(exc).__name__, exc)
                return error_response(fmt, 400, [render(ERR_BODY[1], mb=_body_mb())])

        return wrapper

    return decorate


# --- discovery and services ---------------------------------------------------------------------


@open311("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:root"))
    document = {
        "changeset": CHANGESET,
        "contact": settings.MOTCUA_OPEN311_CONTACT,
        "key_service": (
            "API keys are issued per client by the administrator of "
            f"{settings.MOTCUA_SITE_NAME}; write to the contact address."
        ),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base.rstrip("/"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(fmt, "discovery", document)


def service_document(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": category.has_metadata,
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


@open311("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    documents = [service_document(c) for c in selectors.active_categories()]
    return respond(fmt, "services", documents)


def attribute_document(definition: dict[str, Any], english: bool) -> dict[str, Any]:
    document: dict[str, Any] = {
        "variable": True,
        "code": definition["code"],
        "datatype": definition["datatype"],
        "required": bool(definition.get("required")),
        "datatype_description": localized(definition.get("datatype_description", ""), english),
        "order": definition.get("order", 0),
        "description": localized(definition.get("description", ""), english),
    }
    if definition.get("values"):
        document["values"] = [
            {"key": str(v["key"]), "name": localized(v.get("name", v["key"]), english)}
            for v in definition["values"]
        ]
    return document


@open311("GET")
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    category = selectors.category_by_code(code)
    english = is_english()
    attributes = sorted(category.attributes, key=lambda d: d.get("order", 0))
    document = {
        "service_code": category.code,
        "attributes": [attribute_document(a, english) for a in attributes],
    }
    return respond(fmt, "service_definition", document)


# --- requests -----------------------------------------------------------------------------------


def request_document(request: HttpRequest, item: PublicPetition) -> dict[str, Any]:
    media_url: str | None
    if item.photo_ids:
        path = reverse("feedback:photo", args=[item.id, item.photo_ids[0]])
        media_url = request.build_absolute_uri(path)
    else:
        media_url = item.external_media_url or None
    return {
        "service_request_id": str(item.id),
        "status": item.status,
        "status_notes": item.status_notes or None,
        "service_name": item.service_name,
        "service_code": item.service_code,
        "description": item.description,
        "agency_responsible": item.agency_responsible,
        "service_notice": item.service_notice or None,
        "requested_datetime": item.requested_datetime,
        "updated_datetime": item.updated_datetime,
        "expected_datetime": item.expected_datetime,
        "address": item.address or None,
        "address_id": item.address_id or None,
        "zipcode": None,
        "lat": item.lat,
        "long": item.long,
        "media_url": media_url,
    }


def _moment(name: str, raw: str, *, end: bool) -> dt.datetime:
    """A w3c/ISO 8601 datetime; a date alone is its first (or, for end_date, last) moment,
    and a time without offset is Vietnam time. A '+' decoded as a space is put back."""
    raw = _SPACE_OFFSET.sub(r"+\1", raw.strip())
    moment: dt.datetime | None = None
    day: dt.date | None = None
    try:
        # A date alone first: parse_datetime would read it as midnight.
        day = parse_date(raw) if len(raw) == 10 else None
        moment = None if day else parse_datetime(raw)
    except ValueError:
        moment = day = None
    if moment is None and day is not None:
        moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    if moment is None:
        raise ApiError(*ERR_DATE, name=name)
    if not YEARS[0] <= moment.year <= YEARS[1]:
        raise ApiError(*ERR_DATE_YEARS, name=name, first=YEARS[0], last=YEARS[1])
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _date_window(params: Any, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start_raw, end_raw = params.get("start_date", ""), params.get("end_date", "")
    start = _moment("start_date", start_raw, end=False) if start_raw.strip() else None
    end = _moment("end_date", end_raw, end=True) if end_raw.strip() else None
    if end is None:
        if start is None:
            return now - DEFAULT_WINDOW, now
        end = start + MAX_WINDOW
    elif start is None:
        start = end - MAX_WINDOW
    if end < start:
        raise ApiError(*ERR_RANGE_ORDER)
    if end - start > MAX_WINDOW + dt.timedelta(days=1) - dt.timedelta(microseconds=1):
        raise ApiError(*ERR_RANGE)
    return start, end


def _positive_int(params: Any, name: str, default: int, maximum: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not _PAGE.fullmatch(raw) or not 1 <= int(raw) <= maximum:
        raise ApiError(*ERR_PAGE, max=MAX_RESULTS)
    return int(raw)


def _list_requests(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    petitions = selectors.open311_petitions()
    ids = [p.strip() for p in params.get("service_request_id", "").split(",") if p.strip()]
    if ids:
        if not all(_ID.fullmatch(i) and int(i) <= ID_MAX for i in ids):
            raise ApiError(*ERR_REQUEST_ID)
        # The specification: with service_request_id, the other filters are ignored.
        petitions = petitions.filter(pk__in=[int(i) for i in ids])
    else:
        codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
        for code in codes:
            selectors.category_by_code(code)  # an unknown code is a 404
        if codes:
            petitions = petitions.filter(category__code__in=codes)
        start, end = _date_window(params, timezone.now())
        petitions = petitions.filter(received_at__gte=start, received_at__lte=end)
        statuses = {s.strip() for s in params.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise ApiError(*ERR_STATUS)
        if statuses == {"open"}:
            petitions = petitions.filter(state__in=OPEN_STATES)
        elif statuses == {"closed"}:
            petitions = petitions.exclude(state__in=OPEN_STATES)
    page = _positive_int(params, "page", 1, 1_000_000)
    page_size = _positive_int(params, "page_size", MAX_RESULTS, MAX_RESULTS)
    result = selectors.paginate(petitions.order_by("-received_at", "-id"), page, page_size)
    documents = [request_document(request, publish(p)) for p in result.items]
    response = respond(fmt, "service_requests", documents)
    response["X-Total-Count"] = str(result.total)
    return response


def _float(params: Any, name: str) -> float | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(*ERR_NUMBER, name=name) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ApiError(*ERR_NUMBER, name=name)
    return value


def _attributes(params: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key in params:
        match = _ATTRIBUTE.match(key)
        if match:
            found.setdefault(match.group(1), []).extend(params.getlist(key))
    return found


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.POST
    client = api_client_by_key(params.get("api_key") or request.GET.get("api_key", ""))
    if client is None:
        raise ApiError(*ERR_API_KEY, status=403)
    code = params.get("service_code", "").strip()
    if not code:
        raise ApiError(*ERR_SERVICE_CODE)
    name = " ".join(p for p in (params.get("first_name", ""), params.get("last_name", "")) if p)
    photos = [
        PhotoUpload(f.name or "", f.read(PHOTO_MAX_BYTES + 1))
        for f in request.FILES.getlist("media")
    ]
    data = PetitionInput(
        category_code=code,
        description=params.get("description", ""),
        lat=_float(params, "lat"),
        long=_float(params, "long"),
        address=params.get("address_string", ""),
        address_id=params.get("address_id", ""),
        sender_name=name,
        sender_phone=params.get("phone", ""),
        sender_email=params.get("email", ""),
        attributes=_attributes(params),
        photos=photos,
        media_url=params.get("media_url", ""),
    )
    created = petition_create(data=data, channel=Channel.OPEN311, api_client=client)
    petition = created.petition
    document = [
        {
            "service_request_id": str(petition.pk),
            "token": petition.token,
            "service_notice": petition.service_notice,
            "account_id": None,
        }
    ]
    return respond(fmt, "service_requests", document, status=201)


def _throttle_key(request: HttpRequest) -> str:
    """The client's key; a body Django will not parse is refused inside by `open311`."""
    try:
        return request.POST.get("api_key") or request.GET.get("api_key", "")
    except SuspiciousOperation:
        return request.GET.get("api_key", "")


@csrf_exempt
@throttled(
    "open311_post",
    limit=120,
    window=3600,
    key=_throttle_key,
    render=lambda request, exc, kwargs: error_response(kwargs["fmt"], exc.status, [exc.text]),
)
@open311("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    return _list_requests(request, fmt)


@open311("GET")
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if not _ID.fullmatch(request_id) or int(request_id) > ID_MAX:
        raise ApiError(*ERR_NOT_FOUND, status=404)
    petition = selectors.public_petition(int(request_id))
    return respond(fmt, "service_requests", [request_document(request, publish(petition))])


@open311("GET")
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    petition = Petition.objects.filter(Q(token=token)).only("pk", "token").first()
    if petition is None:
        raise NotFound("unknown_token", _("No request with token {token}."), token=token[:40])
    document = [{"token": petition.token, "service_request_id": str(petition.pk)}]
    return respond(fmt, "service_requests", document)


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    fmt = "xml" if rest.endswith(".xml") else "json"
    return error_response(fmt, 404, [render(ERR_NOT_FOUND[1])])


def root(request: HttpRequest) -> HttpResponse:
    """The base URL itself leads to the discovery document."""
    return redirect("open311:discovery", fmt="json")
