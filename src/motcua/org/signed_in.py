"""The user of a request that a login gate already let through, typed as the project's User."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import User


def signed_in_user(request: HttpRequest) -> User:
    """`request.user` behind login_required or the admin's own gate. Django types it as possibly
    anonymous; an anonymous user here means a missing gate, and is refused rather than served."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user


def user_or_none(request: HttpRequest) -> User | None:
    """The signed-in user, or None for an anonymous visitor: what the services take."""
    user = request.user
    return user if user.is_authenticated else None
