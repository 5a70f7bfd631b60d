from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "motcua.common"
    label = "common"
    verbose_name = _("Shared")

    def ready(self) -> None:
        # Every settings module has been imported by now, so every variable is declared:
        # a name in the settings file that none declares is a typo, not a silent default.
        from motcua.settings import env

        env.check_settings_file()
