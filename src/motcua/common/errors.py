"""One error type for services and the API: a stable code, a message in Vietnamese and English."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """Raised by services and endpoints; the API turns it into a JSON 4xx."""

    status = 400

    def __init__(
        self,
        code: str,
        message: str,
        message_en: str,
        *,
        status: int | None = None,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message_en)
        self.code = code
        self.message = message
        self.message_en = message_en
        self.errors = errors or []
        if status is not None:
            self.status = status

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


def reject_unknown_params(params: Any, allowed: set[str]) -> None:
    """Unknown query parameters are a client mistake worth telling about, not ignoring."""
    unknown = sorted(set(params.keys()) - allowed)
    if unknown:
        raise ApiError(
            "unknown_parameter",
            f"Tham số không được hỗ trợ: {', '.join(unknown)}.",
            f"Unsupported query parameter(s): {', '.join(unknown)}.",
            errors=[{"field": name, "message": "unknown parameter"} for name in unknown],
        )
