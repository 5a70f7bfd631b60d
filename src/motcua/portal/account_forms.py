"""Forms of citizen accounts: log-in with the lockout (the site's and the admin's), registration,
and password reset that leaves the published demo accounts alone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from motcua.common.clientip import client_ip
from motcua.org import lockout, logins
from motcua.org.models import User

from . import accounts
from .models import AccountKind, validate_citizen_id_number, validate_enterprise_tax_code

ERR_LOCKED = _(
    "Too many failed attempts to log in as this user. For the account's safety, logging in is "
    "blocked until %(time)s. Please try again then."
)
ERR_PASSWORD_MISMATCH = _("The two passwords do not match.")
ERR_DEMO_RESET = _("The password of a demo account cannot be changed.")


# The mixin's methods run on an AuthenticationForm; the checker sees that base.
if TYPE_CHECKING:
    _LockoutBase = AuthenticationForm
else:
    _LockoutBase = object


class LockoutMixin(_LockoutBase):
    """Shows django-axes' lockout as a form error in Vietnamese, with the time it ends.

    Mixed into Django's AuthenticationForm (the site's /login/) and AdminAuthenticationForm
    (/admin/login/); axes counts the failures of both, per username and client address.
    """

    def clean(self) -> dict[str, Any]:
        raw = self.cleaned_data.get("username")
        if raw:
            self.cleaned_data["username"] = logins.login_username(raw)
        try:
            return super().clean()
        except ValidationError:
            if self.request is not None and getattr(self.request, "axes_locked_out", False):
                self._raise_locked(self.request)
            raise

    def _raise_locked(self, request: HttpRequest) -> None:
        until = lockout.locked_until(
            username=lockout.lockout_username(request, self.cleaned_data),
            ip=client_ip(request),
        ) or (timezone.now() + lockout.cool_off())
        raise ValidationError(
            ERR_LOCKED,
            code="locked",
            params={"time": formats.time_format(timezone.localtime(until), "H:i")},
        )


class LockoutAuthenticationForm(LockoutMixin, AuthenticationForm):
    pass


class LockoutAdminAuthenticationForm(LockoutMixin, AdminAuthenticationForm):
    pass


def _strip_spaces(value: str) -> str:
    return "".join(value.split())


class RegistrationForm(forms.Form):
    account_kind = forms.ChoiceField(
        label=_("I am registering"),
        choices=[
            (AccountKind.PERSON, _("as a person")),
            (AccountKind.ORGANISATION, _("for a business or organisation")),
        ],
        initial=AccountKind.PERSON,
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(label=_("Full name, or the business's name"), max_length=150)
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=150,
        help_text=_("Email or mobile phone, at least one: you will log in with it."),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=20,
        help_text=_("For example 0912345678. Used to log in if you give no email."),
    )
    id_number = forms.CharField(
        label=_("Citizen ID number (CCCD)"),
        required=False,
        max_length=20,
        help_text=_("12 digits. Required when registering as a person."),
    )
    tax_code = forms.CharField(
        label=_("Tax code"),
        required=False,
        max_length=20,
        help_text=_("Required when registering for a business or organisation."),
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=255)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    # The service names its errors by its own arguments; these are the fields that show them.
    FIELD_OF_SERVICE_ERROR = {"kind": "account_kind", "password": "password1"}

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        phone = logins.normalise_phone(raw)
        if phone is None:
            raise ValidationError(accounts.ERR_PHONE, code="invalid_phone")
        return phone

    def clean_id_number(self) -> str:
        value = _strip_spaces(self.cleaned_data["id_number"])
        if value:
            validate_citizen_id_number(value)
        return value

    def clean_tax_code(self) -> str:
        value = _strip_spaces(self.cleaned_data["tax_code"])
        if value:
            validate_enterprise_tax_code(value)
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        taken = accounts.contact_taken_errors(
            email="" if self.has_error("email") else data.get("email", ""),
            phone="" if self.has_error("phone") else data.get("phone", ""),
        )
        for field, error in taken.items():
            self.add_error(field, error)
        contact_given = data.get("email") or data.get("phone")
        if not contact_given and not (self.has_error("email") or self.has_error("phone")):
            self.add_error("email", accounts.ERR_CONTACT_REQUIRED)
        needed_by_kind: dict[str, tuple[str, Any]] = {
            AccountKind.PERSON: ("id_number", accounts.ERR_ID_NUMBER_REQUIRED),
            AccountKind.ORGANISATION: ("tax_code", accounts.ERR_TAX_CODE_REQUIRED),
        }
        needed = needed_by_kind.get(data.get("account_kind") or "")
        if needed and not data.get(needed[0]) and not self.has_error(needed[0]):
            self.add_error(*needed)
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ERR_PASSWORD_MISMATCH)
        elif password1:
            candidate = User(
                username=data.get("email") or data.get("phone") or "",
                email=data.get("email") or "",
                full_name=data.get("full_name") or "",
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data

    def service_arguments(self) -> dict[str, str]:
        data = self.cleaned_data
        is_person = data["account_kind"] == AccountKind.PERSON
        return {
            "kind": data["account_kind"],
            "full_name": data["full_name"],
            "email": data["email"],
            "phone": data["phone"],
            # Only the identifier of the chosen kind is kept; the other field may hold leftovers.
            "id_number": data["id_number"] if is_person else "",
            "tax_code": "" if is_person else data["tax_code"],
            "address": data["address"],
            "password": data["password1"],
        }

    def add_service_error(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            target = self.FIELD_OF_SERVICE_ERROR.get(field, field)
            self.add_error(target if target in self.fields else None, errors)


class CitizenPasswordResetForm(PasswordResetForm):
    """Sends no link for demo accounts: their password is published and must stay as it is.
    The page says the same either way, so it does not reveal which addresses have accounts."""

    def get_users(self, email: str) -> Iterator[Any]:
        return (user for user in super().get_users(email) if not user.is_demo)


class CitizenSetPasswordForm(SetPasswordForm):
    def clean(self) -> dict[str, Any]:
        if self.user.is_demo:
            raise ValidationError(ERR_DEMO_RESET, code="demo_account")
        super().clean()
        return self.cleaned_data
