"""Citizen accounts: registration and the normalisation of what people type as their username
(an email address or a Vietnamese mobile number, read by `org.logins`); the lockout of every
account, staff included, is `org.lockout`."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.services import event_record
from motcua.org.logins import normalise_phone
from motcua.org.models import User

from .models import AccountKind, CitizenProfile

ERR_CONTACT_REQUIRED = _("Enter an email address or a mobile phone number.")
ERR_PHONE = _("Enter a Vietnamese mobile number: 0 followed by 9 digits, or +84 and 9 digits.")
ERR_EMAIL_TAKEN = _("An account with this email address already exists. Log in instead.")
ERR_PHONE_TAKEN = _("An account with this phone number already exists. Log in instead.")
ERR_ID_NUMBER_REQUIRED = _("A person's account needs their 12-digit citizen ID number.")
ERR_TAX_CODE_REQUIRED = _("A business's account needs its tax code.")
ERR_FULL_NAME_REQUIRED = _("Enter the full name.")
ERR_USERNAME_UNUSABLE = _(
    "This address cannot be used to log in: use only letters, digits and @ . + - _, or register "
    "with your mobile phone."
)


def contact_taken_errors(*, email: str, phone: str) -> dict[str, ValidationError]:
    """Errors for an email or (normalised) phone that any account already uses."""
    errors = {}
    if email and User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
        errors["email"] = ValidationError(ERR_EMAIL_TAKEN, code="email_taken")
    if phone and User.objects.filter(Q(username=phone) | Q(phone=phone)).exists():
        errors["phone"] = ValidationError(ERR_PHONE_TAKEN, code="phone_taken")
    return errors


@transaction.atomic
def citizen_register(
    *,
    kind: str,
    full_name: str,
    email: str = "",
    phone: str = "",
    id_number: str = "",
    tax_code: str = "",
    address: str = "",
    password: str,
) -> User:
    """Create a citizen's or business's account; its username is the email, else the phone.

    Raises ValidationError keyed by argument name ("email", "phone", "id_number", "password",
    …) when something is missing, malformed, already registered or the password is weak.
    """
    email = email.strip().lower()
    full_name = " ".join(full_name.split())
    errors: dict[str, ValidationError] = {}
    normalised_phone = ""
    if phone.strip():
        normalised_phone = normalise_phone(phone) or ""
        if not normalised_phone:
            errors["phone"] = ValidationError(ERR_PHONE, code="invalid_phone")
    if not email and not phone.strip():
        errors["email"] = ValidationError(ERR_CONTACT_REQUIRED, code="contact_required")
    if not full_name:
        errors["full_name"] = ValidationError(ERR_FULL_NAME_REQUIRED, code="required")
    if kind == AccountKind.PERSON and not id_number.strip():
        errors["id_number"] = ValidationError(ERR_ID_NUMBER_REQUIRED, code="required")
    if kind == AccountKind.ORGANISATION and not tax_code.strip():
        errors["tax_code"] = ValidationError(ERR_TAX_CODE_REQUIRED, code="required")
    errors = contact_taken_errors(email=email, phone=normalised_phone) | errors
    if errors:
        raise ValidationError(errors)

    user = User(
        username=email or normalised_phone,
        email=email,
        phone=normalised_phone,
        full_name=full_name,
        role=User.Role.CITIZEN,
    )
    profile = CitizenProfile(
        user=user,
        kind=kind,
        id_number=id_number.strip(),
        tax_code=tax_code.strip(),
        address=" ".join(address.split()),
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        for field, field_errors in error.error_dict.items():
            errors[field] = ValidationError(field_errors)
        if "username" in errors:  # the username is the email or the phone: say so there
            del errors["username"]
            contact_field = "email" if email else "phone"
            errors[contact_field] = ValidationError(ERR_USERNAME_UNUSABLE, code="invalid")
    try:
        profile.full_clean(exclude=["user"])
    except ValidationError as error:
        errors.update({field: ValidationError(e) for field, e in error.error_dict.items()})
    if errors:
        raise ValidationError(errors)

    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # registered by a concurrent request since the check
        field = "email" if email else "phone"
        message = ERR_EMAIL_TAKEN if email else ERR_PHONE_TAKEN
        raise ValidationError({field: ValidationError(message, code=f"{field}_taken")}) from error
    profile.user = user
    profile.save()
    event_record(
        at=timezone.now(),
        actor_id=user.pk,
        agency_id=None,
        subject_type="user",
        subject_id=str(user.pk),
        action="register",
        payload={"kind": kind, "username_is": "email" if email else "phone"},
    )
    return user
