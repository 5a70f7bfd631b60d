"""Values every page template needs."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {"motcua_site_name": settings.MOTCUA_SITE_NAME, "demo_mode": settings.MOTCUA_DEMO_MODE}
