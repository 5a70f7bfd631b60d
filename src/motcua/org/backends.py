"""Login backend: demo accounts log in only while demo mode is on."""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class MotcuaBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.MOTCUA_DEMO_MODE:
            return False
        return super().user_can_authenticate(user)
