"""The versioned REST API (/api/v1/): one NinjaAPI instance, one router per app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from motcua.common.errors import ApiError
from motcua.org.apiauth import BearerOrSession

api = NinjaAPI(
    title="motcua API",
    version="1",
    description=(
        "REST API of the motcua one-stop platform. Authenticate with "
        "`Authorization: Bearer <token>` (get one with `motcua token USERNAME`) "
        "or a logged-in browser session. Errors are JSON: "
        '`{"code": "...", "message": "...", "message_en": "...", "errors": [...]}`.'
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=BearerOrSession(),
)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", ())[1:]) or None, "message": e.get("msg")}
        for e in exc.errors
    ]
    body = ApiError("invalid_input", _("The request is not valid."), errors=errors).as_dict()
    return api.create_response(request, body, status=400)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = ApiError("unauthenticated", _("Authentication required.")).as_dict()
    return api.create_response(request, body, status=401)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja's own message (English, not in the catalog): shown as it is in both fields.
    body = ApiError("http_error", str(exc)).as_dict()
    return api.create_response(request, body, status=exc.status_code)


def _register_routers() -> None:
    from motcua.catalog.api import router as catalog_router
    from motcua.dossiers.api import router as dossiers_router
    from motcua.feedback.api import router as feedback_router
    from motcua.indices.api import router as indices_router
    from motcua.org.api import router as org_router
    from motcua.org.api import tokens_router
    from motcua.payments.api import router as payments_router
    from motcua.surveys.api import router as ratings_router
    from motcua.workdays.api import router as workdays_router

    api.add_router("/procedures", catalog_router)
    api.add_router("/org", org_router)
    api.add_router("/tokens", tokens_router)
    api.add_router("/calendar", workdays_router)
    api.add_router("/dossiers", dossiers_router)
    api.add_router("/payments", payments_router)
    api.add_router("/feedback", feedback_router)
    api.add_router("/ratings", ratings_router)
    api.add_router("/indices", indices_router)


_register_routers()
