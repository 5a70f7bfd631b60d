"""Fixed-window rate limits kept in Django's cache, so guessing lookup keys or flooding the
public forms costs an attacker time. Works with the per-process LocMem cache and with a
shared cache (Redis, Memcached, database); only a shared cache limits across processes.

The client is identified by common.clientip.client_ip: behind a reverse proxy named in
MOTCUA_TRUSTED_PROXIES that is the address the proxy saw, not the proxy's own. Addresses in
MOTCUA_THROTTLE_EXEMPT (default: loopback, i.e. the host itself, its health checks and the
test client) are not counted, so a proxy left unconfigured on the same host fails open instead
of shutting every citizen out together.

Operators change the limits without touching code, in MOTCUA_THROTTLES (JSON):
    MOTCUA_THROTTLES='{"track": {"limit": 30, "window": 600}}'   # per scope; 0 = no limit
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.utils.translation import gettext_lazy as _

from .clientip import client_ip as client_address
from .errors import ApiError

ERR_THROTTLED = (
    "rate_limited",
    _("Too many requests in a short time. Please try again in {minutes} minute(s)."),
)

_PAGE = """{% extends "base.html" %}
{% block title %}Quá nhiều yêu cầu · Too many requests{% endblock %}
{% block content %}
<h1>Quá nhiều yêu cầu <small lang="en">Too many requests</small></h1>
<p role="alert">{{ message }}</p>
<p lang="en">{{ message_en }}</p>
{% endblock %}"""


class Throttled(ApiError):
    """The client went over a limit; `retry_after` seconds until the window resets."""

    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(*ERR_THROTTLED, minutes=max(1, math.ceil(retry_after / 60)))
        self.retry_after = retry_after


def _clock() -> float:
    # One place to read the time, so tests can move it.
    return time.time()


def client_ip(request: HttpRequest) -> str:
    """The client's address, or "" (not counted) for an exempt address."""
    address = client_address(request) or "unknown"
    return "" if address in settings.MOTCUA_THROTTLE_EXEMPT else address


def configured_limit(scope: str, *, limit: int, window: int) -> tuple[int, int]:
    """The operator's limit and window for `scope` from MOTCUA_THROTTLES, else the defaults."""
    override = settings.MOTCUA_THROTTLES.get(scope, {})
    return int(override.get("limit", limit)), int(override.get("window", window))


def _hit(scope: str, key: str, *, limit: int, window_seconds: int) -> int:
    """Count one request; return 0 if allowed, else the seconds until the window resets."""
    now = _clock()
    window_start = int(now // window_seconds) * window_seconds
    # The key is hashed: it may be a secret (an API key) and cache keys have a length limit.
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"throttle:{scope}:{digest}:{window_start}"
    # add() then incr() is atomic on every backend, unlike get() then set().
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.add(cache_key, 1, timeout=window_seconds + 1)
            count = 1
    if count <= limit:
        return 0
    return max(1, math.ceil(window_start + window_seconds - now))


def throttle(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request of `key` in `scope`; True while it is within `limit` per window."""
    return _hit(scope, key, limit=limit, window_seconds=window_seconds) == 0


def params_present(*names: str) -> Callable[[HttpRequest], bool]:
    """Count only requests that carry all these GET or POST parameters (a real lookup)."""

    def check(request: HttpRequest) -> bool:
        params = request.POST if request.method == "POST" else request.GET
        return all(params.get(name, "").strip() for name in names)

    return check


def not_logged_in(request: HttpRequest) -> bool:
    return not getattr(request, "user", None) or not request.user.is_authenticated


def _html(request: HttpRequest, exc: Throttled) -> HttpResponse:
    page = engines["django"].from_string(_PAGE)
    body = page.render({"message": exc.message, "message_en": exc.message_en}, request)
    return HttpResponse(body, status=429)


def throttled(
    scope: str,
    *,
    limit: int,
    window: int,
    key: Callable[[HttpRequest], str] = client_ip,
    methods: Iterable[str] = ("POST",),
    when: Callable[[HttpRequest], bool] | None = None,
    api: bool = False,
    render: Callable[[HttpRequest, Throttled, dict[str, Any]], HttpResponse] | None = None,
) -> Callable:
    """Answer 429 with Retry-After once a client goes over `limit` requests per `window`
    seconds. Only requests with one of `methods` (and passing `when`) are counted; an empty
    key is not counted. The answer is an HTML page, JSON with `api`, or what `render` (given
    the request, the error and the view's keyword arguments) returns, for an API with its own
    error document."""
    counted = {m.upper() for m in methods}

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in counted and (when is None or when(request)):
                allowed, seconds = configured_limit(scope, limit=limit, window=window)
                client = key(request)
                retry_after = (
                    _hit(scope, client, limit=allowed, window_seconds=seconds)
                    if client and allowed > 0
                    else 0
                )
                if retry_after:
                    exc = Throttled(retry_after)
                    if render is not None:
                        response = render(request, exc, kwargs)
                    elif api:
                        response = JsonResponse(exc.as_dict(), status=429)
                    else:
                        response = _html(request, exc)
                    response["Retry-After"] = str(retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
