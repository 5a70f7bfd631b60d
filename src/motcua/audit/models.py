"""Events: who did what to which subject, when, from which state to which, and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    pass


class Event(models.Model):
    """One state change. Each event carries the hash of the one before it in its chain, so any
    edit, deletion or insertion in the middle of a chain breaks it. There is one chain per
    agency (see `services.chain_for`), so desks of different agencies never wait for each
    other; `Anchor` rows tie all chains' heads together at moments in time."""

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    agency = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
    )
    subject_type = models.CharField(max_length=32, verbose_name=_("subject type"))
    subject_id = models.CharField(max_length=64, verbose_name=_("subject id"))
    action = models.CharField(_("action"), max_length=40)
    from_state = models.CharField(max_length=32, blank=True, verbose_name=_("from state"))
    to_state = models.CharField(max_length=32, blank=True, verbose_name=_("to state"))
    reason = models.TextField(_("reason"), blank=True)
    payload = models.JSONField(default=dict, blank=True, verbose_name=_("payload"))
    chain = models.CharField(_("chain"), max_length=40)
    seq = models.PositiveBigIntegerField(_("position in its chain"))
    prev_hash = models.CharField(max_length=64, verbose_name=_("prev hash"))
    hash = models.CharField(max_length=64, unique=True, verbose_name=_("hash"))

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["id"]
        indexes = [models.Index(fields=["subject_type", "subject_id", "id"])]
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_event_chain_seq")
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.subject_type}:{self.subject_id} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Events are append-only.")


class ChainHead(models.Model):
    """One row per chain, locked while appending to that chain, so two writers of the same
    agency cannot fork it while writers of other agencies go on."""

    chain = models.CharField(_("chain"), max_length=40, unique=True)
    last_hash = models.CharField(_("last hash"), max_length=64)
    count = models.PositiveBigIntegerField(_("events"), default=0)

    class Meta:
        verbose_name = _("event chain head")

    def __str__(self) -> str:
        return f"{self.chain}: {self.count} events, last {self.last_hash[:12]}"


class Anchor(models.Model):
    """Every chain's head at one moment, itself hash-chained: cutting events off the end of a
    chain (and rewinding its head) no longer goes unseen once an anchor recorded the head."""

    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("time"))
    heads = models.JSONField(_("chain heads"), default=dict)  # {chain: [count, last_hash]}
    prev_hash = models.CharField(_("prev hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("chain anchor")
        verbose_name_plural = _("chain anchors")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M} {len(self.heads)} chains"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Anchors are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Anchors are append-only.")
