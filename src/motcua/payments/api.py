"""Payment endpoints: the gateways' server-to-server notification (IPN) and a payment's state."""

from __future__ import annotations

import datetime as dt
import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Router, Schema

from motcua.common.errors import ApiError, NotFound
from motcua.org.signed_in import signed_in_user

from . import selectors, services
from .gateways import gateway_get
from .models import Outcome

router = Router(tags=["payments"])

# Refusals the gateway is told about (in its own terms); any other error is ours: a 4xx/5xx,
# and the gateway retries later.
REFUSALS = {Outcome.BAD_SIGNATURE, Outcome.NOT_FOUND, Outcome.WRONG_AMOUNT}


class IpnOut(Schema):
    RspCode: str
    Message: str


class PaymentOut(Schema):
    txn_ref: str
    dossier: str
    dossier_status: str
    amount_vnd: int
    currency: str
    gateway: str
    status: str
    gateway_txn_id: str
    bank_code: str
    created_at: dt.datetime
    paid_at: dt.datetime | None


def _notification_params(request: HttpRequest) -> dict[str, str]:
    """The gateway's parameters: a JSON object, a form body, or (as VNPay sends) a query."""
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        if not isinstance(body, dict):
            return {}
        return {str(k): str(v) for k, v in body.items() if isinstance(v, str | int)}
    if request.method == "POST" and request.POST:
        return request.POST.dict()
    return request.GET.dict()


@router.api_operation(
    ["POST", "GET"],
    "/notify/{gateway}",
    auth=None,
    response={200: IpnOut, 404: IpnOut},
    summary="A gateway's payment notification (IPN)",
    description=(
        "Called by the payment gateway's server, not by browsers. Form-encoded, JSON or query "
        "parameters, signed by the gateway. Answers like VNPay's IPN: `00` confirmed, `02` "
        "already confirmed, `01` order not found, `04` invalid amount, `97` invalid signature "
        "(a gateway plug-in may answer in its own convention instead)."
    ),
)
def payment_notify(request: HttpRequest, gateway: str) -> HttpResponse:
    try:
        chosen = gateway_get(gateway)
    except NotFound:
        return JsonResponse({"RspCode": "99", "Message": "Unknown gateway"}, status=404)
    try:
        _payment, outcome = services.payment_notify(
            gateway=gateway, params=_notification_params(request)
        )
    except ApiError as exc:
        if exc.code not in REFUSALS:
            raise
        outcome = exc.code
    # The answer is in the gateway's own convention, so it is built by the gateway (and
    # returned as is, not through the VNPay-shaped schema documented above).
    status, body = chosen.notification_reply(outcome)
    if body is None:
        return HttpResponse(status=status)
    return JsonResponse(body, status=status)


@router.get("/{txn_ref}", response=PaymentOut, summary="A payment (its dossier's applicant)")
def payment_detail(request: HttpRequest, txn_ref: str) -> dict:
    payment = selectors.payment_get_for_user(txn_ref=txn_ref, user=signed_in_user(request))
    return {
        "txn_ref": payment.txn_ref,
        "dossier": payment.dossier.code,
        "dossier_status": payment.dossier.status,
        "amount_vnd": payment.amount_vnd,
        "currency": payment.currency,
        "gateway": payment.gateway,
        "status": payment.status,
        "gateway_txn_id": payment.gateway_txn_id,
        "bank_code": payment.bank_code,
        "created_at": timezone.localtime(payment.created_at),
        "paid_at": timezone.localtime(payment.paid_at) if payment.paid_at else None,
    }
