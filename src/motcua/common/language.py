"""Which language a request is served in, decided once: every page, template helper and error
text asks here instead of reading the cookie, the header or the active language itself."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

# Machine clients say which language they want (Accept-Language); pages follow the visitor's
# choice with the switch (the cookie), because following the browser would show a government
# site in English to everyone whose phone is set to English.
API_PREFIXES = ("/api/", "/open311/")


def request_language(request: HttpRequest) -> str:
    """The language `request` is answered in: the switch's cookie for pages, Accept-Language
    (then the cookie) for the API; Vietnamese otherwise."""
    if request.path.startswith(API_PREFIXES):
        return translation.get_language_from_request(request)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


def is_english() -> bool:
    """Whether the text being built now is English (the language the request activated)."""
    return (translation.get_language() or settings.LANGUAGE_CODE).startswith("en")


def in_language(vi: str, en: str) -> str:
    """The one of two texts that fits the active language, for text held as a pair (data files,
    model fields) rather than as a msgid; the Vietnamese when there is no English."""
    return en if en and is_english() else vi
