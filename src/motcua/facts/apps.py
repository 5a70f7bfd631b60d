from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactsConfig(AppConfig):
    name = "motcua.facts"
    label = "facts"
    verbose_name = _("Facts per day")

    def ready(self) -> None:
        # The lifecycle apps publish; they never import this app (it sits above them).
        from motcua.common.events import (
            DOSSIER_CHANGED,
            DOSSIER_SYNCHRONISED,
            PETITION_CHANGED,
            RATING_RECORDED,
            record_with,
        )

        from .services import record_dossier, record_petition, record_rating

        record_with(DOSSIER_CHANGED, record_dossier)
        record_with(DOSSIER_SYNCHRONISED, record_dossier)
        record_with(PETITION_CHANGED, record_petition)
        record_with(RATING_RECORDED, record_rating)
