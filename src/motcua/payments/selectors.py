"""Reading payments: who may see which (the dossier's visibility decides) and the latest state."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.common.errors import NotFound
from motcua.dossiers.access import dossiers_visible_to
from motcua.org.models import User

from .models import Payment

ERR_NOT_FOUND = ("payment_not_found", _("No payment {txn_ref}."))


def payment_get_for_user(*, txn_ref: str, user: User) -> Payment:
    """The payment if `user` may see its dossier (a citizen: only their own); otherwise a 404."""
    payment = (
        Payment.objects.filter(txn_ref=txn_ref, dossier__in=dossiers_visible_to(user))
        .select_related("dossier")
        .first()
    )
    if payment is None:
        raise NotFound(*ERR_NOT_FOUND, txn_ref=txn_ref)
    return payment


def payment_by_ref(*, gateway: str, txn_ref: str) -> Payment | None:
    """For a result whose signature checked out: the payment it is about."""
    return (
        Payment.objects.filter(gateway=gateway, txn_ref=txn_ref)
        .select_related("dossier", "dossier__procedure")
        .first()
    )
