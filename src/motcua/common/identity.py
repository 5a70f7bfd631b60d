"""Checks of applicant identifiers: the 12-digit citizen ID and the enterprise tax code."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from motcua.common.errors import ApiError

ID_NUMBER = re.compile(r"^[0-9]{12}$")
TAX_CODE = re.compile(r"^[0-9]{10}(-[0-9]{3})?$")
# Citizen ID numbers start with the birth province's code (001–096 under Decree 137/2015).
MAX_PROVINCE_PREFIX = 96


def validate_id_number(value: str) -> str:
    value = value.strip()
    if not ID_NUMBER.match(value) or not 1 <= int(value[:3]) <= MAX_PROVINCE_PREFIX:
        raise ApiError(
            "invalid_id_number",
            _("ID number “{value}” is not valid: 12 digits, the first 3 a province code."),
            value=value,
            errors=[{"field": "applicant.id_number", "message": "12 digits"}],
        )
    return value


def validate_tax_code(value: str) -> str:
    value = value.strip()
    if not TAX_CODE.match(value):
        raise ApiError(
            "invalid_tax_code",
            _("Tax code “{value}” is not valid (10 digits, or 10 digits-3 digits)."),
            value=value,
            errors=[{"field": "applicant.tax_code", "message": "10 or 13 digits"}],
        )
    return value
