from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "motcua.payments"
    label = "payments"

    def ready(self) -> None:
        # A dossier closed while waiting for payment (expired unpaid, withdrawn) cancels its
        # open payment attempts: the lifecycle calls this hook without importing payments.
        from motcua.dossiers.hooks import register_dossier_closed

        from .services import payments_cancel_for_closed_dossier

        register_dossier_closed(payments_cancel_for_closed_dossier)
