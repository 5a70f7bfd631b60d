"""Administrative units, agencies and the people who work in them, each valid for a period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> ValidityQuerySet:
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


class Unit(models.Model):
    """A province, ward, commune or special zone; 2018 districts and communes for history."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province / centrally-run city")
        DISTRICT = "district", _("District (before 1 July 2025)")
        WARD = "ward", _("Ward")
        COMMUNE = "commune", _("Commune")
        SPECIAL_ZONE = "special_zone", _("Special zone")

    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        constraints = [
            models.UniqueConstraint(fields=["code", "kind", "valid_from"], name="unit_code_period"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_period",
            ),
        ]
        indexes = [models.Index(fields=["kind", "valid_to"])]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A body that receives or processes dossiers; its electronic identifier prefixes their code."""

    class Kind(models.TextChoices):
        PEOPLES_COMMITTEE = "peoples_committee", _("Provincial People's Committee")
        SERVICE_CENTRE = "service_centre", _("Public Administration Service Centre")
        DEPARTMENT = "department", _("Department (Sở) or equivalent")
        COMMUNE_COMMITTEE = "commune_committee", _("Commune-level People's Committee")
        DISTRICT_COMMITTEE = "district_committee", _("District People's Committee (before 2025)")
        OTHER = "other", _("Other agency")

    code = models.CharField(_("code"), max_length=32, unique=True)
    electronic_id = models.CharField(
        _("electronic identifier"),
        max_length=32,
        unique=True,
        help_text=_("Identifier under Decision 20/2020/QĐ-TTg, used in dossier codes."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("unit")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent agency"),
    )
    has_one_stop_desk = models.BooleanField(_("has a one-stop desk"), default=False)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Anyone who logs in: citizens, business representatives and civil servants."""

    class Role(models.TextChoices):
        CITIZEN = "citizen", _("Citizen or business")
        DESK_OFFICER = "desk_officer", _("One-stop desk officer")
        SPECIALIST = "specialist", _("Specialist")
        AGENCY_LEADER = "agency_leader", _("Agency leader")
        REFORM_OFFICE = "reform_office", _("Administrative reform office")
        CITY_LEADER = "city_leader", _("Provincial / city leadership")
        ADMINISTRATOR = "administrator", _("Administrator")

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.CITIZEN)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("agency"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_demo = models.BooleanField(
        _("demo account"), default=False, help_text=_("Usable only while demo mode is on.")
    )

    STAFF_ROLES = frozenset(
        {
            Role.DESK_OFFICER,
            Role.SPECIALIST,
            Role.AGENCY_LEADER,
            Role.REFORM_OFFICE,
            Role.CITY_LEADER,
            Role.ADMINISTRATOR,
        }
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["citizen", "reform_office", "administrator"])
                | Q(agency__isnull=False),
                name="agency_staff_have_agency",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_civil_servant(self) -> bool:
        return self.role in self.STAFF_ROLES

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every way of changing a password (reset by email, the admin's form, `changepassword`,
        # `user_password_set`) ends in set_password() then save(): the one place that sees them
        # all. A new password revokes the API tokens, which could have been taken with the old
        # one. (Django clears `_password` itself before re-saving a rehashed password at login.)
        # `_password` is AbstractBaseUser's own, set by set_password(); django-stubs omits it.
        password_changed = self._password is not None and self.pk is not None  # type: ignore[attr-defined]
        super().save(*args, **kwargs)
        if password_changed:
            ApiToken.objects.filter(user=self, revoked_at__isnull=True).update(
                revoked_at=timezone.now(), revoked_reason=ApiToken.RevokedReason.PASSWORD
            )


class ApiToken(models.Model):
    """A bearer token for the REST API; only a hash of the secret is stored. It works until it
    expires or is revoked (by its owner, or by a change of its owner's password)."""

    class RevokedReason(models.TextChoices):
        OWNER = "owner", _("revoked by its owner")
        PASSWORD = "password", _("the password was changed")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    key_hash = models.CharField(_("hash of the secret"), max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("why revoked"), max_length=16, choices=RevokedReason.choices, blank=True
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"
