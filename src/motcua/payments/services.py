"""The writes of the payments app: a citizen starts paying a dossier's fee, and a gateway says how
it went. Each runs in one transaction with its audit event; every gateway message is logged."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.services import event_record
from motcua.common.errors import ApiError, Conflict, NotFound, PermissionDenied
from motcua.common.locking import lock_rows
from motcua.common.templatetags.motcua import vnd
from motcua.dossiers.access import dossier_get_for_user
from motcua.dossiers.expiry import expire_if_overdue
from motcua.dossiers.models import Dossier, Status
from motcua.dossiers.online import dossier_mark_paid
from motcua.org.models import User

from .gateways import Gateway, GatewayResult, gateway_get
from .models import Outcome, Payment, PaymentNotification, PaymentStatus

logger = logging.getLogger(__name__)

ERR_NOT_PAYING = ("not_waiting_for_payment", _("Dossier {code} is not waiting for payment."))
ERR_ONLY_APPLICANT = ("only_applicant_pays", _("Only the applicant may pay for a dossier online."))
ERR_BAD_SIGNATURE = ("bad_signature", _("The payment notification's signature is not valid."))
ERR_PAYMENT_NOT_FOUND = ("payment_not_found", _("No payment {txn_ref}."))
ERR_WRONG_AMOUNT = (
    "wrong_amount",
    _("The amount {paid_en} VND does not match the payment's {amount_en} VND."),
)

REF_RANDOM_BYTES = 3  # six hex digits after the dossier code


def _vi_number(value: int | None) -> str:
    return "?" if value is None else vnd(value)


def _en_number(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


def _event(
    payment: Payment,
    *,
    actor: User | None,
    action: str,
    from_state: str,
    at: dt.datetime,
    payload: dict[str, Any] | None = None,
) -> None:
    event_record(
        at=at,
        actor_id=actor.pk if actor else None,
        agency_id=actor.agency_id if actor else payment.dossier.current_agency_id,
        subject_type="payment",
        subject_id=payment.txn_ref,
        action=action,
        from_state=from_state,
        to_state=payment.status,
        payload={
            "dossier": payment.dossier.code,
            "amount_vnd": payment.amount_vnd,
            "gateway": payment.gateway,
            **(payload or {}),
        },
    )


def payment_start(
    *,
    dossier_code: str,
    user: User,
    gateway: str = "test",
    return_url: str,
    at: dt.datetime | None = None,
) -> tuple[Payment, str]:
    """Start (or resume) paying a dossier's fee at `gateway`: the pending payment and the URL to
    send the applicant's browser to. Only the applicant, only while the dossier is `paying`
    and its payment time has not run out (an overdue dossier is closed first, for good)."""
    at = at or timezone.now()
    chosen = gateway_get(gateway)
    with transaction.atomic():  # read without the getter's lazy expiry, which judges by now
        dossier = dossier_get_for_user(code=dossier_code, user=user, for_update=True)
    expire_if_overdue(dossier, at=at)  # committed on its own: a refusal below must not undo it
    with transaction.atomic():
        return _start(
            dossier_code=dossier_code, user=user, chosen=chosen, return_url=return_url, at=at
        )


def _start(
    *, dossier_code: str, user: User, chosen: Gateway, return_url: str, at: dt.datetime
) -> tuple[Payment, str]:
    # Locked, so two clicks on "Pay" cannot open two attempts; a 404 for other citizens.
    dossier = dossier_get_for_user(code=dossier_code, user=user, for_update=True)
    if dossier.applicant_user_id != user.pk:
        raise PermissionDenied(*ERR_ONLY_APPLICANT)
    if dossier.status != Status.PAYING or dossier.fee_vnd <= 0:
        raise Conflict(*ERR_NOT_PAYING, code=dossier.code)
    payment = (
        Payment.objects.filter(dossier=dossier, gateway=chosen.code, status=PaymentStatus.PENDING)
        .select_related("dossier")
        .first()
    )
    if payment is None:
        payment = Payment(
            dossier=dossier,
            amount_vnd=dossier.fee_vnd,
            gateway=chosen.code,
            txn_ref=f"{dossier.code}-{secrets.token_hex(REF_RANDOM_BYTES).upper()}",
            started_by=user,
            created_at=at,
        )
        payment.full_clean()
        payment.save()
        _event(payment, actor=user, action="payment_start", from_state="", at=at)
    return payment, chosen.payment_url(payment, return_url)


def payment_notify(
    *,
    gateway: str,
    params: Mapping[str, str],
    at: dt.datetime | None = None,
    notify: bool = True,
) -> tuple[Payment, str]:
    """Act on a gateway's signed result (its server-to-server notification, IPN): the payment
    and the outcome (an `Outcome` value). A refused message raises an ApiError and changes
    nothing but the notification log. Repeats are harmless: `already_confirmed`.
    `notify=False` does not tell the applicant their dossier was paid (demo data)."""
    at = at or timezone.now()
    chosen = gateway_get(gateway)
    payload = {str(key): str(value) for key, value in params.items()}
    result = chosen.verify(payload)
    if not result.signature_ok:
        _log(None, chosen.code, result, payload, Outcome.BAD_SIGNATURE, at)
        raise ApiError(*ERR_BAD_SIGNATURE)
    payment = Payment.objects.filter(txn_ref=result.txn_ref, gateway=chosen.code).first()
    if payment is None:
        _log(None, chosen.code, result, payload, Outcome.NOT_FOUND, at)
        raise NotFound(*ERR_PAYMENT_NOT_FOUND, txn_ref=result.txn_ref)
    if result.amount_vnd != payment.amount_vnd:
        _log(payment, chosen.code, result, payload, Outcome.WRONG_AMOUNT, at)
        raise ApiError(
            *ERR_WRONG_AMOUNT,
            paid=_vi_number(result.amount_vnd),
            amount=_vi_number(payment.amount_vnd),
            paid_en=_en_number(result.amount_vnd),
            amount_en=_en_number(payment.amount_vnd),
        )
    with transaction.atomic():
        # A no-op UPDATE before reading: the row lock on PostgreSQL, the write lock on SQLite
        # (where a SELECT inside a transaction takes none), so a notification and its retry
        # arriving together are applied one after the other.
        lock_rows(Payment.objects.filter(pk=payment.pk), field="status")
        payment = Payment.objects.select_related("dossier").get(pk=payment.pk)
        payment.notified_count += 1
        payment.last_payload = payload
        # Money arriving for an attempt cancelled when its dossier expired is still recorded as
        # paid (confirmed, not applied: to refund), never swallowed as a repeat.
        late_money = payment.status == PaymentStatus.CANCELLED and result.success
        if payment.status != PaymentStatus.PENDING and not late_money:
            payment.save(update_fields=["notified_count", "last_payload"])
            outcome = Outcome.ALREADY_CONFIRMED
        elif result.success:
            outcome = _confirm(payment, result, at, notify=notify)
        else:
            outcome = _close(payment, result, at)
        _log(payment, chosen.code, result, payload, outcome, at)
    return payment, outcome


def _confirm(payment: Payment, result: GatewayResult, at: dt.datetime, *, notify: bool) -> Outcome:
    # Lock the dossier too (same no-op UPDATE as dossiers.access): two payments of one dossier
    # through two gateways must not both believe they are the one that paid it.
    lock_rows(Dossier.objects.filter(pk=payment.dossier_id), field="version")
    waiting = Dossier.objects.filter(pk=payment.dossier_id, status=Status.PAYING).exists()
    previous = payment.status
    payment.status = PaymentStatus.PAID
    payment.paid_at = payment.finished_at = at
    payment.gateway_txn_id = result.gateway_txn_id
    payment.bank_code = result.bank_code
    payment.full_clean()
    payment.save()
    _event(
        payment,
        actor=None,
        action="payment_paid",
        from_state=previous,
        at=at,
        payload={"gateway_txn_id": result.gateway_txn_id, "bank_code": result.bank_code},
    )
    if not waiting:
        logger.warning(
            "payment %s paid for dossier %s, which is no longer waiting for payment: refund it",
            payment.txn_ref,
            payment.dossier.code,
        )
        return Outcome.CONFIRMED_NOT_APPLIED
    dossier_mark_paid(
        dossier_id=payment.dossier_id,
        amount_vnd=payment.amount_vnd,
        method="online",
        at=at,
        notify=notify,
    )
    return Outcome.CONFIRMED


def _close(payment: Payment, result: GatewayResult, at: dt.datetime) -> Outcome:
    payment.status = PaymentStatus.CANCELLED if result.cancelled else PaymentStatus.FAILED
    payment.finished_at = at
    payment.gateway_txn_id = result.gateway_txn_id
    payment.bank_code = result.bank_code
    payment.full_clean()
    payment.save()
    _event(
        payment,
        actor=None,
        action=f"payment_{payment.status}",
        from_state=PaymentStatus.PENDING,
        at=at,
        payload={"response_code": result.response_code},
    )
    return Outcome.CANCELLED if result.cancelled else Outcome.FAILED


def _log(
    payment: Payment | None,
    gateway: str,
    result: GatewayResult,
    payload: dict[str, str],
    outcome: Outcome,
    at: dt.datetime,
) -> None:
    PaymentNotification.objects.create(
        payment=payment,
        gateway=gateway,
        txn_ref=result.txn_ref[:100],
        payload=payload,
        signature_ok=result.signature_ok,
        outcome=outcome,
        received_at=at,
    )


def payments_cancel_for_closed_dossier(dossier: Dossier, from_state: str, at: dt.datetime) -> None:
    """The dossiers hook: a dossier that closed while waiting for payment cancels its pending
    payments, each with its event (a bank message arriving later is "confirmed, not applied")."""
    if from_state != Status.PAYING:
        return
    for payment in Payment.objects.filter(dossier=dossier, status=PaymentStatus.PENDING):
        payment.dossier = dossier
        payment.status = PaymentStatus.CANCELLED
        payment.finished_at = at
        payment.save(update_fields=["status", "finished_at"])
        _event(
            payment,
            actor=None,
            action="payment_cancelled",
            from_state=PaymentStatus.PENDING,
            at=at,
            payload={"reason": "dossier_closed", "dossier_status": dossier.status},
        )
