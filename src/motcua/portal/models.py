"""Portal data. Citizen accounts: the profile behind a citizen's login, login attempts for the
lockout, and links to outside identity providers (VNeID, a province's single sign-on)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import ApiError
from motcua.common.identity import validate_id_number, validate_tax_code

ERR_ID_NUMBER = _(
    "Enter the 12-digit citizen ID number (CCCD); its first 3 digits are the code of the "
    "province where the birth was registered."
)
ERR_TAX_CODE = _("Enter the tax code: 10 digits, or 10 digits, a dash and 3 digits for a branch.")


def validate_citizen_id_number(value: str) -> None:
    """The same rule as for a dossier's applicant, so an account's ID is accepted at the desk."""
    try:
        validate_id_number(value)
    except ApiError as error:
        raise ValidationError(ERR_ID_NUMBER, code="invalid_id_number") from error


def validate_enterprise_tax_code(value: str) -> None:
    try:
        validate_tax_code(value)
    except ApiError as error:
        raise ValidationError(ERR_TAX_CODE, code="invalid_tax_code") from error


class AccountKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Business or organisation")


class CitizenProfile(models.Model):
    """What a citizen or business declared when registering; not verified by the platform."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_profile"
    )
    kind = models.CharField(
        _("account kind"), max_length=16, choices=AccountKind.choices, default=AccountKind.PERSON
    )
    id_number = models.CharField(
        _("ID number (CCCD)"),
        max_length=12,
        blank=True,
        db_index=True,
        validators=[validate_citizen_id_number],
    )
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        blank=True,
        db_index=True,
        validators=[validate_enterprise_tax_code],
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"


class ExternalAccount(models.Model):
    """A citizen's account at an identity provider, linked to their motcua account."""

    provider = models.CharField(_("identity provider"), max_length=32)
    subject = models.CharField(_("subject at the provider"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_accounts"
    )
    created_at = models.DateTimeField(_("linked at"), default=timezone.now)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("external account")
        verbose_name_plural = _("external accounts")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_account_once"),
            models.UniqueConstraint(
                fields=["provider", "user"], name="external_account_one_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject} → {self.user}"
