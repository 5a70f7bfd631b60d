from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicesConfig(AppConfig):
    name = "motcua.indices"
    label = "indices"
    verbose_name = _("Indices")

    def ready(self) -> None:
        # The ratings report (surveys, a lower app) scores Decision 766's dossier satisfaction
        # with the one copy of the rule: the leaf of the methodology file in force.
        from motcua.common.rules import DOSSIER_SATISFACTION_766, rule_provide

        from .service import dossier_satisfaction_node

        rule_provide(DOSSIER_SATISFACTION_766, dossier_satisfaction_node)
