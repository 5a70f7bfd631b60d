"""Read-only admin views of payments and the gateways' messages, for reconciliation: every
change goes through the services (and the audit)."""

from django.contrib import admin
from django.http import HttpRequest

from .models import Payment, PaymentNotification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = (
        "txn_ref",
        "dossier",
        "amount_vnd",
        "gateway",
        "status",
        "created_at",
        "paid_at",
    )
    list_filter = ("status", "gateway")
    search_fields = ("txn_ref", "dossier__code", "gateway_txn_id")
    date_hierarchy = "created_at"
    list_select_related = ("dossier",)


@admin.register(PaymentNotification)
class PaymentNotificationAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "gateway", "txn_ref", "signature_ok", "outcome")
    list_filter = ("outcome", "signature_ok", "gateway")
    search_fields = ("txn_ref",)
    date_hierarchy = "received_at"
