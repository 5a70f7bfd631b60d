"""The outbox: one row per dossier change the national portal must receive."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A change waiting for (or already given) the portal's acknowledgement.

    The worker's whole state is in these columns, so a killed worker loses nothing: a row it
    claimed comes due again when `next_attempt_at` (pushed forward by the claim, a lease)
    passes, and the receiver's deduplication by `event_id` absorbs a delivery that reached it
    before the worker could record the answer."""

    event_id = models.UUIDField(_("event id"), unique=True)
    kind = models.CharField(_("kind"), max_length=32)
    action = models.CharField(_("action"), max_length=40)
    dossier_code = models.CharField(_("dossier code"), max_length=48)
    # Kept as columns (not only in the payload) so the synchronised counts group without
    # reading JSON: the lead agency, the procedure and the channel of the dossier.
    agency = models.ForeignKey(
        "org.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("procedure"),
    )
    channel = models.CharField(_("channel"), max_length=8)
    occurred_at = models.DateTimeField(_("occurred at"))
    payload = models.JSONField(_("payload"))
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["id"]
        indexes = [
            # The worker's query: what is unacknowledged and due.
            models.Index(fields=["acknowledged_at", "next_attempt_at"], name="sync_due"),
            # One dossier's messages go out in order (the earlier unacknowledged one first).
            models.Index(fields=["dossier_code", "id"], name="sync_dossier_order"),
            # The synchronised counts, by day of acknowledgement.
            models.Index(fields=["acknowledged_at", "agency", "procedure"], name="sync_acked"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_code} {self.action} ({self.event_id})"
