from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        # A dossier closed while waiting for payment (expired unpaid, withdrawn) cancels its
        # open payment attempts: the lifecycle calls this hook without importing payments.
        from motcua.dossiers.hooks import register_dossier_closed

        from .services import payments_cancel_for_closed_dossier

        register_dossier_closed(payments_cancel_for_closed_dossier)
