"""Rating pages: the kiosk at the desk (no login, resets itself), the applicant's page in the
portal and the page a notification links to. Views parse, call `rating_submit`, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from motcua.common.errors import ApiError
from motcua.common.text import masked_name
from motcua.common.throttle import throttled
from motcua.dossiers.models import Dossier
from motcua.org.signed_in import signed_in_user

from . import access, selectors
from .forms import KioskStartForm, RatingForm
from .models import Rating, RatingChannel, Stage
from .services import rating_submit

# The thank-you screen goes back to the start after this many seconds; an abandoned rating
# screen after KIOSK_IDLE_SECONDS without a touch, so the next person never sees it.
KIOSK_IDLE_SECONDS = 120


def _form(stage: str, data: Any = None, initial: dict | None = None) -> RatingForm:
    overall, criteria = selectors.questions_for(stage)
    return RatingForm(data, overall=overall, criteria=criteria, initial=initial)


def _submit(form: RatingForm, dossier: Dossier, stage: str, **credential: Any) -> Rating:
    return rating_submit(
        dossier_code=dossier.code,
        stage=stage,
        overall=form.cleaned_data["overall"],
        answers=form.answers(),
        comment=form.cleaned_data["comment"],
        **credential,
    )


def _kiosk_context(**context: Any) -> dict[str, Any]:
    return {
        "kiosk_home": reverse("surveys:kiosk"),
        "kiosk_idle_seconds": KIOSK_IDLE_SECONDS,
        **context,
    }


# --- kiosk -------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@throttled("kiosk", limit=60, window=600)
def kiosk(request: HttpRequest) -> HttpResponse:
    """Start screen: the code (typed, or filled in by scanning the slip's QR code, which opens
    this page with ?code=…) and the lookup key printed on the slip. A right pair opens the
    rating screen for the stage the dossier is at."""
    if request.method == "GET":
        form = KioskStartForm(initial={"code": request.GET.get("code", "")[:48]})
        return render(request, "surveys/kiosk_start.html", _kiosk_context(form=form))
    form = KioskStartForm(request.POST)
    if not form.is_valid():
        return render(request, "surveys/kiosk_start.html", _kiosk_context(form=form), status=400)
    # Codes are stored in capitals; a code typed in lowercase is the same code.
    code = form.cleaned_data["code"].strip().upper()
    key = form.cleaned_data["key"].strip().upper()
    try:
        dossier = access.dossier_for_rating(code=code, channel=RatingChannel.KIOSK, lookup_key=key)
        # No stage open: the receipt's check raises the 409 that explains.
        stage = access.natural_stage(dossier) or Stage.RECEIPT
        access.require_stage_open(dossier, stage)
    except ApiError as exc:
        context = _kiosk_context(form=form, error=exc.text)
        return render(request, "surveys/kiosk_start.html", context, status=exc.status)
    return _kiosk_rate_page(request, dossier, stage, key, _form(stage))


def _kiosk_rate_page(
    request: HttpRequest,
    dossier: Dossier,
    stage: str,
    key: str,
    form: RatingForm,
    status: int = 200,
    error: str = "",
) -> HttpResponse:
    context = _kiosk_context(
        dossier=dossier,
        applicant=masked_name(dossier.applicant_name),
        stage=stage,
        stage_label=Stage(stage).label,
        key=key,
        form=form,
        error=error,
        rated_before=selectors.rating_current(dossier, stage) is not None,
    )
    return render(request, "surveys/kiosk_rate.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@throttled("kiosk", limit=60, window=600)
def kiosk_rate(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return redirect("surveys:kiosk")
    code = request.POST.get("code", "")[:48]
    key = request.POST.get("key", "")[:12]
    stage = request.POST.get("stage", "")
    if stage not in Stage.values:
        return redirect("surveys:kiosk")
    try:
        dossier = access.dossier_for_rating(code=code, channel=RatingChannel.KIOSK, lookup_key=key)
    except ApiError as exc:
        start = KioskStartForm(initial={"code": code})
        context = _kiosk_context(form=start, error=exc.text)
        return render(request, "surveys/kiosk_start.html", context, status=exc.status)
    form = _form(stage, request.POST)
    if not form.is_valid():
        return _kiosk_rate_page(request, dossier, stage, key, form, status=400)
    try:
        _submit(form, dossier, stage, channel=RatingChannel.KIOSK, lookup_key=key)
    except ApiError as exc:
        return _kiosk_rate_page(
            request, dossier, stage, key, form, status=exc.status, error=exc.text
        )
    return redirect("surveys:kiosk_thanks")


@never_cache
def kiosk_thanks(request: HttpRequest) -> HttpResponse:
    seconds = settings.MOTCUA_KIOSK_THANKS_SECONDS
    return render(request, "surveys/kiosk_thanks.html", _kiosk_context(seconds=seconds))


# --- portal and link ---------------------------------------------------------------------------


def _rate_page(
    request: HttpRequest,
    *,
    dossier: Dossier,
    stage: str,
    credential: dict[str, Any],
    back_url: str,
) -> HttpResponse:
    """Shared by the portal and the link: the current rating prefilled; POST changes it."""
    current = selectors.rating_current(dossier, stage)
    status = 200
    if request.method == "POST":
        form = _form(stage, request.POST)
        if form.is_valid():
            try:
                _submit(form, dossier, stage, **credential)
            except ApiError as exc:
                messages.error(request, exc.text)
                status = exc.status
            else:
                messages.success(request, _("Thank you. Your rating was saved."))
                return redirect(request.get_full_path())
        else:
            status = 400
    else:
        initial = {}
        if current is not None:
            initial = RatingForm.initial_from(
                current.overall, selectors.rating_answers(current), current.comment
            )
        form = _form(stage, initial=initial)
    open_ = access.stage_open(dossier, stage)
    return render(
        request,
        "surveys/rate.html",
        {
            "dossier": dossier,
            "stage": stage,
            "stage_label": Stage(stage).label,
            "form": form,
            "current": current,
            "open": open_,
            "back_url": back_url,
        },
        status=status if open_ else 409,
    )


@login_required
@require_http_methods(["GET", "POST"])
def portal_rate(request: HttpRequest, code: str) -> HttpResponse:
    """The applicant rates their own dossier; ?stage=receipt rates the receipt."""
    try:
        dossier = access.dossier_for_rating(
            code=code,
            channel=RatingChannel.PORTAL,
            user=signed_in_user(request),
        )
    except ApiError as exc:
        return render(request, "surveys/error.html", {"message": exc.text}, status=exc.status)
    stage = request.GET.get("stage") or access.natural_stage(dossier) or Stage.RETURN
    if stage not in Stage.values:
        stage = Stage.RETURN
    return _rate_page(
        request,
        dossier=dossier,
        stage=stage,
        credential={"channel": RatingChannel.PORTAL, "user": request.user},
        back_url=reverse("portal:dossier", args=[dossier.code]),
    )


@never_cache
@require_http_methods(["GET", "POST"])
@throttled("rating_link", limit=60, window=600, methods=("GET", "POST"))
def link_rate(request: HttpRequest, token: str) -> HttpResponse:
    """The page a notification links to: the signed token names the dossier and the stage."""
    try:
        claim = access.link_claim(token)
        dossier = access.dossier_for_rating(
            code=claim.code, channel=RatingChannel.LINK, stage=claim.stage, link_token=token
        )
    except ApiError as exc:
        return render(request, "surveys/error.html", {"message": exc.text}, status=exc.status)
    return _rate_page(
        request,
        dossier=dossier,
        stage=claim.stage,
        credential={"channel": RatingChannel.LINK, "link_token": token},
        back_url=reverse("portal:track"),
    )
