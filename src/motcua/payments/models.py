"""Online fee payments: one `Payment` per attempt at a gateway, and every notification the
gateway sent about it, kept as received (the evidence behind "paid online" in the index)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.models import AppendOnlyError


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the bank")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(models.TextChoices):
    """What one notification did; the last three are refusals (nothing changed)."""

    CONFIRMED = "confirmed", _("Payment confirmed")
    ALREADY_CONFIRMED = "already_confirmed", _("Already confirmed")
    # Money arrived for a dossier no longer waiting for it (paid twice, or stopped meanwhile):
    # the payment is recorded as paid and needs a refund by hand.
    CONFIRMED_NOT_APPLIED = "confirmed_not_applied", _("Paid, but the dossier was not waiting")
    FAILED = "failed", _("Payment failed")
    CANCELLED = "cancelled", _("Payment cancelled")
    BAD_SIGNATURE = "bad_signature", _("Invalid signature")
    NOT_FOUND = "payment_not_found", _("Unknown transaction")
    WRONG_AMOUNT = "wrong_amount", _("Wrong amount")


class Payment(models.Model):
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("dossier"),
    )
    amount_vnd = models.PositiveBigIntegerField(_("amount (VND)"))
    currency = models.CharField(max_length=3, default="VND", verbose_name=_("currency"))
    gateway = models.CharField(_("gateway"), max_length=32)
    # Our reference, sent to the gateway and echoed back by it: dossier code + "-" + random.
    txn_ref = models.CharField(_("transaction reference"), max_length=64, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    gateway_txn_id = models.CharField(_("gateway transaction number"), max_length=64, blank=True)
    bank_code = models.CharField(_("bank"), max_length=32, blank=True)
    started_by = models.ForeignKey(
        "org.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))
    notified_count = models.PositiveIntegerField(default=0, verbose_name=_("notified count"))
    last_payload = models.JSONField(default=dict, blank=True, verbose_name=_("last payload"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["dossier", "status"])]
        constraints = [
            # A retried "Pay" click reuses the open attempt instead of starting a second one.
            models.UniqueConstraint(
                fields=["dossier", "gateway"],
                condition=Q(status="pending"),
                name="payment_one_pending_per_gateway",
            ),
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.txn_ref


class PaymentNotification(models.Model):
    """One message from a gateway about a payment (IPN or return), append-only."""

    payment = models.ForeignKey(
        Payment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notifications",
        verbose_name=_("payment"),
    )
    gateway = models.CharField(max_length=32, verbose_name=_("gateway"))
    # As claimed by the message; `payment` is set only once the signature checked out.
    txn_ref = models.CharField(max_length=100, blank=True, verbose_name=_("txn ref"))
    payload = models.JSONField(default=dict, verbose_name=_("payload"))
    signature_ok = models.BooleanField(verbose_name=_("signature ok"))
    outcome = models.CharField(max_length=24, choices=Outcome.choices, verbose_name=_("outcome"))
    received_at = models.DateTimeField(
        default=timezone.now, db_index=True, verbose_name=_("received at")
    )

    class Meta:
        verbose_name = _("payment notification")
        verbose_name_plural = _("payment notifications")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.gateway} {self.txn_ref} {self.outcome}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Payment notifications are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Payment notifications are append-only.")
