from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    label = "feedback"
    verbose_name = _("Feedback and petitions")

    def ready(self) -> None:
        from motcua.common.events import PETITION_CHANGED, subscribe

        from .notify import on_petition_event

        subscribe(PETITION_CHANGED, on_petition_event)
