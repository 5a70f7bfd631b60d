"""Security headers Django does not set by itself, and the Vietnamese-first language choice."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Everything is served from this origin: no CDN, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self)")
        return response


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are Vietnamese unless the visitor chose English with the switch (the cookie);
    API clients keep Accept-Language.

    Django's own middleware follows the browser's Accept-Language, which would show a
    government site in English to everyone whose phone is set to English."""

    # Machine clients say which language they want; pages follow the visitor's choice.
    API_PREFIXES = ("/api/", "/open311/")

    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith(self.API_PREFIXES):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
