"""API authentication: a bearer token or the browser's logged-in session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from .selectors import user_by_api_token


class BearerOrSession(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        if request.headers.get("Authorization"):
            return super().__call__(request)
        return django_auth(request)

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_by_api_token(token)
        if user is not None:
            request.user = user
        return user


def optional_auth(request: HttpRequest) -> Any:
    """Public endpoints that show more to a known user: never refuses; the user or True."""
    if request.headers.get("Authorization", "").startswith("Bearer "):
        user = user_by_api_token(request.headers["Authorization"][7:].strip())
        if user is not None:
            request.user = user
            return user
    return True


PUBLIC = [optional_auth]
