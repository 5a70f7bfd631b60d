from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from motcua.common.events import DOSSIER_CHANGED, subscribe

        from .notify import on_dossier_event

        subscribe(DOSSIER_CHANGED, on_dossier_event)
