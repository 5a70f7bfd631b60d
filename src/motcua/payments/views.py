"""Payment pages: "Pay" on a dossier sends the applicant to the gateway, the gateway sends them
back to the result page, and the test gateway's simulated bank page stands in for a real bank.
Views parse, call a service or a selector, and render."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from motcua.common.errors import ApiError, NotFound
from motcua.dossiers.models import Status
from motcua.org.signed_in import signed_in_user

from . import selectors, services
from .gateways import gateway_codes, gateway_get
from .gateways.test import TestGateway
from .gateways.vnpay_signing import amount_from_vnpay, parse_vnpay_time
from .models import PaymentStatus

logger = logging.getLogger(__name__)

# The citizen's page of their dossier (the portal app); payments only links to it.
DOSSIER_PAGE = "/ca-nhan/ho-so/{code}/"


def dossier_page(code: str) -> str:
    return DOSSIER_PAGE.format(code=code)


@login_required
@require_POST
def payment_start(request: HttpRequest, code: str) -> HttpResponse:
    """Start paying the dossier's fee, then send the browser to the gateway."""
    codes = gateway_codes()
    gateway = request.POST.get("gateway") or (codes[0] if codes else "")
    try:
        gateway_get(gateway)  # before building the return URL from its code
        payment, url = services.payment_start(
            dossier_code=code,
            user=signed_in_user(request),
            gateway=gateway,
            return_url=request.build_absolute_uri(reverse("payments:return", args=[gateway])),
        )
    except ApiError as exc:
        context = {"message": exc.text, "code": code, "dossier_url": dossier_page(code)}
        return render(request, "payments/error.html", context, status=exc.status)
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect(url)
    # Off to another site: our CSP (`form-action 'self'`) stops browsers from following a
    # redirect that answers a form post, so a page sends the browser on instead.
    return render(request, "payments/leaving.html", {"url": url, "payment": payment})


@never_cache
def payment_return(request: HttpRequest, gateway: str) -> HttpResponse:
    """Where the gateway sends the browser back. Shows what we know; it changes nothing (the
    gateway's server notification does that, so a forged or replayed return cannot pay)."""
    try:
        chosen = gateway_get(gateway)
    except NotFound as exc:
        raise Http404 from exc
    result = chosen.verify(request.GET)
    payment = (
        selectors.payment_by_ref(gateway=chosen.code, txn_ref=result.txn_ref)
        if result.signature_ok
        else None
    )
    if payment is None or result.amount_vnd != payment.amount_vnd:
        return render(request, "payments/result.html", {"state": "invalid"}, status=400)
    if payment.status != PaymentStatus.PENDING:
        state = payment.status
    elif result.success:
        state = "confirming"  # the bank says paid; its notification has not reached us yet
    else:
        state = PaymentStatus.CANCELLED if result.cancelled else PaymentStatus.FAILED
    dossier = payment.dossier
    context = {
        "state": state,
        "payment": payment,
        "dossier": dossier,
        "dossier_url": dossier_page(dossier.code),
        "can_retry": (
            state in (PaymentStatus.CANCELLED, PaymentStatus.FAILED)
            and dossier.status == Status.PAYING
            and request.user.is_authenticated
            and dossier.applicant_user_id == request.user.pk
        ),
    }
    return render(request, "payments/result.html", context)


def _test_gateway() -> TestGateway:
    """The configured test gateway; the simulated bank does not exist without one."""
    for code in gateway_codes():
        gateway = gateway_get(code)
        if isinstance(gateway, TestGateway):
            return gateway
    raise Http404


@never_cache
@require_http_methods(["GET", "POST"])
def test_bank(request: HttpRequest) -> HttpResponse:
    """The test gateway's bank: checks the signed payment request, asks "Pay" or "Cancel",
    then does what a bank does — notifies the merchant's server and sends the browser back."""
    gateway = _test_gateway()
    source = request.POST if request.method == "POST" else request.GET
    params = {key: source.get(key, "") for key in source if key.startswith("vnp_")}
    now = timezone.now()
    problem = gateway.check_request(params, now=now)
    if problem:
        return render(request, "payments/test_bank.html", {"problem": problem}, status=400)
    if request.method == "GET":
        context = {
            "params": sorted(params.items()),
            "amount_vnd": amount_from_vnpay(params["vnp_Amount"]),
            "txn_ref": params["vnp_TxnRef"],
            "order_info": params["vnp_OrderInfo"],
            "merchant": params["vnp_TmnCode"],
            "created": parse_vnpay_time(params["vnp_CreateDate"]),
            "expires": parse_vnpay_time(params.get("vnp_ExpireDate", "")),
        }
        return render(request, "payments/test_bank.html", context)
    decision = request.POST.get("decision")
    if decision not in ("pay", "cancel"):
        return render(request, "payments/test_bank.html", {"problem": "incomplete"}, status=400)
    result = gateway.bank_result(params, paid=decision == "pay", now=now)
    # A real bank's server calls our IPN endpoint over HTTP (POST /api/v1/payments/notify/…);
    # the simulated bank lives in this process, so it calls the same service directly.
    try:
        services.payment_notify(gateway=gateway.code, params=result)
    except ApiError as exc:
        logger.warning("test bank: the merchant refused %s: %s", params["vnp_TxnRef"], exc.code)
    return_url = params["vnp_ReturnUrl"]
    joiner = "&" if "?" in return_url else "?"
    return HttpResponseRedirect(f"{return_url}{joiner}{urlencode(result)}")
