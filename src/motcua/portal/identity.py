"""Outside identity providers (VNeID, a province's single sign-on over OpenID Connect): the
interface a provider implements, the registry read from settings, and the service that turns a
provider's answer into a motcua citizen account. docs/identity.md explains how to add one."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from motcua.audit.services import event_record
from motcua.org.logins import normalise_phone
from motcua.org.models import User

from .models import AccountKind, CitizenProfile, ExternalAccount, validate_citizen_id_number

ERR_LINKED_TO_OTHER_USER = _(
    "This %(provider)s account is already linked to another motcua account. Log out and log in "
    "with %(provider)s to use that account."
)
ERR_ALREADY_LINKED = _("Your account is already linked to a different %(provider)s account.")
ERR_PROVIDER_FAILED = _("Logging in with %(provider)s did not succeed. Please try again.")
USERNAME_MAX_LENGTH = 150


@dataclass(frozen=True)
class ExternalIdentity:
    """Who the provider says the citizen is. `subject` is the provider's stable, never-reused
    identifier (OIDC `sub`); the other fields fill a new account and may be empty."""

    subject: str
    full_name: str = ""
    id_number: str = ""
    email: str = ""
    phone: str = ""


class IdentityError(Exception):
    """A provider refused or could not complete the login; the message is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@runtime_checkable
class IdentityProvider(Protocol):
    """What the portal needs from an identity provider.

    A provider is built from MOTCUA_IDENTITY_PROVIDERS as `cls(code=..., name=..., **options)`.
    """

    code: str  # in URLs: /tai-khoan/sso/<code>/
    name: str  # on the button: "Đăng nhập bằng <name>"

    def authorization_url(self, request: HttpRequest, state: str) -> str:
        """Where to send the browser to log in; the provider must hand `state` back."""
        ...

    def authenticate_callback(self, request: HttpRequest) -> ExternalIdentity:
        """Read the provider's answer on the callback URL; raise IdentityError if refused."""
        ...


def identity_providers() -> dict[str, IdentityProvider]:
    """The enabled providers, in settings order.

    MOTCUA_IDENTITY_PROVIDERS = {
        "vneid": {"class": "dotted.path.Provider", "name": "VNeID", "options": {...}},
    }
    """
    configured: dict[str, dict[str, Any]] = settings.MOTCUA_IDENTITY_PROVIDERS
    providers: dict[str, IdentityProvider] = {}
    for code, entry in configured.items():
        try:
            cls = import_string(entry["class"])
        except (KeyError, ImportError) as error:
            raise ImproperlyConfigured(f"Identity provider {code!r}: bad 'class'.") from error
        provider = cls(code=code, name=entry.get("name", code), **entry.get("options", {}))
        if not isinstance(provider, IdentityProvider):
            raise ImproperlyConfigured(f"Identity provider {code!r} lacks the interface.")
        providers[code] = provider
    return providers


def identity_provider_get(code: str) -> IdentityProvider | None:
    return identity_providers().get(code)


def _new_username(provider_code: str, subject: str) -> str:
    """`vneid-<subject>` when that is a valid, free username; otherwise a hash of the subject."""
    candidate = f"{provider_code}-{subject}"
    try:
        UnicodeUsernameValidator()(candidate)
        valid = len(candidate) <= USERNAME_MAX_LENGTH
    except ValidationError:
        valid = False
    if valid and not User.objects.filter(username__iexact=candidate).exists():
        return candidate
    return f"{provider_code}-{hashlib.sha256(subject.encode()).hexdigest()[:32]}"


def _free_email(email: str) -> str:
    email = email.strip().lower()
    taken = User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists()
    return "" if not email or taken else email


def _free_phone(phone: str) -> str:
    normalised = normalise_phone(phone) or ""
    taken = User.objects.filter(Q(username=normalised) | Q(phone=normalised)).exists()
    return "" if not normalised or taken else normalised


def _valid_id_number(id_number: str) -> str:
    try:
        validate_citizen_id_number(id_number)
    except ValidationError:
        return ""
    return id_number.strip()


def _citizen_create(identity: ExternalIdentity, provider_code: str) -> User:
    user = User(
        username=_new_username(provider_code, identity.subject),
        full_name=" ".join(identity.full_name.split())[:150],
        # Contact details are kept only if no other account uses them: self-registered contacts
        # are unverified, so an address alone never ties two accounts together.
        email=_free_email(identity.email),
        phone=_free_phone(identity.phone),
        role=User.Role.CITIZEN,
    )
    user.set_unusable_password()  # logs in through the provider only, until a password is set
    user.full_clean(exclude=["password"])
    user.save()
    profile = CitizenProfile(
        user=user, kind=AccountKind.PERSON, id_number=_valid_id_number(identity.id_number)
    )
    profile.full_clean()
    profile.save()
    return user


def _link(*, user: User, provider_code: str, subject: str, now: dt.datetime) -> None:
    ExternalAccount.objects.create(
        provider=provider_code, subject=subject, user=user, created_at=now, last_login_at=now
    )
    event_record(
        at=now,
        actor_id=user.pk,
        agency_id=None,
        subject_type="user",
        subject_id=str(user.pk),
        action="external_account_link",
        payload={"provider": provider_code},
    )


@transaction.atomic
def user_for_external_identity(
    *, identity: ExternalIdentity, provider_code: str, current_user: User | None = None
) -> User:
    """The motcua account for `identity`: the one already linked to it; else `current_user`
    (someone logged in who chose to link); else a new citizen account, linked.

    An existing account is never linked because its email, phone or ID number matches: those
    were typed in at registration, unverified, and matching on them would let someone register
    another person's ID number first and receive their VNeID login later.
    """
    now = timezone.now()
    label = {"provider": provider_code}
    link = (
        ExternalAccount.objects.select_related("user")
        .filter(provider=provider_code, subject=identity.subject)
        .first()
    )
    if link is not None:
        if current_user is not None and current_user.pk != link.user_id:
            raise IdentityError(str(ERR_LINKED_TO_OTHER_USER % label))
        ExternalAccount.objects.filter(pk=link.pk).update(last_login_at=now)
        return link.user

    if current_user is not None:
        if ExternalAccount.objects.filter(provider=provider_code, user=current_user).exists():
            raise IdentityError(str(ERR_ALREADY_LINKED % label))
        user = current_user
    else:
        user = None
    try:
        with transaction.atomic():
            user = user or _citizen_create(identity, provider_code)
            _link(user=user, provider_code=provider_code, subject=identity.subject, now=now)
    except IntegrityError:
        # A concurrent callback for the same subject linked it first: use that account.
        link = ExternalAccount.objects.select_related("user").filter(
            provider=provider_code, subject=identity.subject
        )
        if not link.exists():
            raise
        return link.get().user
    return user
