"""The login lockout, done by django-axes: what axes asks of the project (limits from our
settings, the username as we store it) and when a username is locked for one address.

Failures count per username *and* client address (`AXES_LOCKOUT_PARAMETERS`), so someone
guessing an official's password locks only their own address; the official, from an address that
has not failed, still logs in. Both /login/ and /admin/login/ authenticate through axes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import logins


def failure_limit(request: HttpRequest | None, credentials: dict[str, Any] | None) -> int:
    return settings.MOTCUA_LOGIN_MAX_FAILURES


def cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    return dt.timedelta(minutes=settings.MOTCUA_LOGIN_LOCKOUT_MINUTES)


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The counter's name for what was typed: a phone in any spelling is its 0-form, a name
    differing only in case is the stored one, and unknown names are lower-cased."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username", "")
    return logins.login_username(str(raw or "")).lower()[:150]


def locked_until(*, username: str, ip: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """Until when `username` is refused from address `ip`, or None if it may try."""
    now = now or timezone.now()
    window = cool_off()
    attempt = (
        AccessAttempt.objects.filter(
            username=username.lower(),
            ip_address=ip or None,
            attempt_time__gte=now - window,
            failures_since_start__gte=settings.MOTCUA_LOGIN_MAX_FAILURES,
        )
        .order_by("-attempt_time")
        .first()
    )
    return attempt.attempt_time + window if attempt else None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """Our login forms already show the lockout in place (ERR_LOCKED); keep their page. Anything
    else that authenticates gets a plain 429 in the visitor's language."""
    if original_response is not None and original_response.status_code == 200:
        return original_response
    return HttpResponse(
        _("Too many failed attempts to log in. Please try again later."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )


class LockoutBackend(AxesStandaloneBackend):
    """axes' backend, except that an authentication without a request (Django's test client,
    a shell) is let through to the password check: it has no address to count against, and no
    web request, where the lockout matters, comes without one."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
