"""One error type for services and the API: a stable code and an English msgid that Django's
translation machinery renders in Vietnamese (`message`) and English (`message_en`)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# A message as given to an error: a gettext_lazy msgid (or a plain msgid, translated when shown).
Message = str | Promise
# What an error module declares once: ERR_X = ("code", _("English msgid {value}.")).
ErrorSpec = tuple[str, Message]


def render(message: Message, language: str | None = None, **values: Any) -> str:
    """`message` in `language` (the active one when None), its {placeholders} filled; values
    that are lazy texts themselves (a model's label, another msgid) are rendered alike."""
    if language is not None:
        with translation.override(language):
            return render(message, **values)
    text = str(message) if isinstance(message, Promise) else gettext(message)
    if not values:
        return text
    return text.format(**{k: str(v) if isinstance(v, Promise) else v for k, v in values.items()})


def bilingual(message: Message, **values: Any) -> tuple[str, str]:
    """(Vietnamese, English): for stored or sent data that carries both, such as event details
    or a validation report."""
    return render(message, "vi", **values), render(message, "en", **values)


class ApiError(Exception):
    """Raised by services and endpoints; the API turns it into a JSON 4xx.

    `ApiError(code, _("No dossier {code}."), code=code)`: keyword values fill the placeholders
    (code and message are positional, so `code=` may be a value). `field_name` adds the one
    field error the message is about; `errors` gives a list outright."""

    status = 400

    def __init__(
        self,
        code: str,
        message: Message,
        /,
        *,
        status: int | None = None,
        errors: list[dict[str, Any]] | None = None,
        field_name: str | None = None,
        **values: Any,
    ) -> None:
        super().__init__(code)
        self.code = code
        self.template = message
        self.values = values
        if field_name is not None and errors is None:
            errors = [{"field": field_name, "message": self.message_en}]
        self.errors = errors or []
        if status is not None:
            self.status = status

    @property
    def message(self) -> str:
        return render(self.template, "vi", **self.values)

    @property
    def message_en(self) -> str:
        return render(self.template, "en", **self.values)

    @property
    def text(self) -> str:
        """The message in the active language: what a page shows."""
        return render(self.template, **self.values)

    def __str__(self) -> str:
        return self.message_en

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "message_en": self.message_en,
        }
        if self.errors:
            body["errors"] = self.errors
        return body


class NotFound(ApiError):
    status = 404


class PermissionDenied(ApiError):
    status = 403


class Conflict(ApiError):
    status = 409


ERR_UNKNOWN_PARAMETER = ("unknown_parameter", _("Unsupported query parameter(s): {names}."))


def reject_unknown_params(params: Any, allowed: set[str]) -> None:
    """Unknown query parameters are a client mistake worth telling about, not ignoring."""
    unknown = sorted(set(params.keys()) - allowed)
    if unknown:
        raise ApiError(
            *ERR_UNKNOWN_PARAMETER,
            names=", ".join(unknown),
            errors=[{"field": name, "message": "unknown parameter"} for name in unknown],
        )
