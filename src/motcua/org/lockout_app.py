"""django-axes, which keeps the login lockout's counts, under a Vietnamese name in the admin."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class LoginLockoutConfig(AxesAppConfig):
    verbose_name = _("Login attempts")
