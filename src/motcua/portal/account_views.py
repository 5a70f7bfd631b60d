"""Pages of citizen accounts: log in (with the lockout), register, reset a forgotten password,
and log in through an outside identity provider. Views parse, call a service and render."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from motcua.common.errors import ApiError
from motcua.org.backends import MotcuaBackend
from motcua.org.selectors import api_tokens_of
from motcua.org.services import api_token_create, api_token_revoke
from motcua.org.signed_in import signed_in_user

from . import accounts, identity
from .account_forms import (
    CitizenPasswordResetForm,
    CitizenSetPasswordForm,
    LockoutAuthenticationForm,
    RegistrationForm,
)

AFTER_REGISTER_URL = "/ca-nhan/"  # the citizen's own page
BACKEND = "motcua.org.backends.MotcuaBackend"
SSO_SESSION_KEY = "motcua_sso_pending"
ERR_SSO_STATE = gettext_lazy(
    "The login with the identity provider expired or did not start here. Please try again."
)
ERR_SSO_REFUSED = gettext_lazy("This account cannot log in. Please contact the one-stop desk.")
ERR_TOKEN_GONE = gettext_lazy("This token is not among your valid tokens any more.")


class LoginView(auth_views.LoginView):
    """Django's login page with the lockout form and a button per identity provider."""

    authentication_form = LockoutAuthenticationForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["identity_providers"] = list(identity.identity_providers().values())
        return context


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(AFTER_REGISTER_URL)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accounts.citizen_register(**form.service_arguments())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            login(request, user, backend=BACKEND)
            welcome = _("Your account is ready. Welcome, %(name)s.")
            messages.success(request, welcome % {"name": user.display_name})
            return redirect(AFTER_REGISTER_URL)
    return render(request, "portal/register.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = CitizenPasswordResetForm
    template_name = "registration/reset_form.html"
    email_template_name = "registration/reset_email.txt"
    subject_template_name = "registration/reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    # Django declares a plain attribute; a property reads the setting at each request.
    def extra_email_context(self) -> dict[str, str]:  # type: ignore[override]
        return {"site_name": settings.MOTCUA_SITE_NAME}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = CitizenSetPasswordForm
    template_name = "registration/reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/reset_complete.html"


class TokenLabelForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("What the token is for"), max_length=100)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: list, create (the secret is shown once) and revoke."""
    user = signed_in_user(request)
    form = TokenLabelForm()
    new_secret = ""
    if request.method == "POST" and "revoke" in request.POST:
        try:
            api_token_revoke(user=user, token_id=int(request.POST["revoke"]))
        except (ValueError, ApiError):
            messages.error(request, ERR_TOKEN_GONE)
        else:
            messages.success(request, _("The token was revoked: it no longer works."))
        return redirect("accounts:api_tokens")
    if request.method == "POST":
        form = TokenLabelForm(request.POST)
        if form.is_valid():
            new_secret = api_token_create(user=user, label=form.cleaned_data["label"])
            form = TokenLabelForm()
    context = {
        "form": form,
        "tokens": api_tokens_of(user),
        "new_secret": new_secret,
        "days": settings.MOTCUA_API_TOKEN_DAYS,
    }
    return render(request, "registration/api_tokens.html", context)


def _provider_or_404(code: str) -> identity.IdentityProvider:
    provider = identity.identity_provider_get(code)
    if provider is None:
        raise Http404("Unknown identity provider")
    return provider


def _safe_next(request: HttpRequest, candidate: str) -> str:
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if candidate and allowed else ""


@require_http_methods(["GET"])
def sso_start(request: HttpRequest, provider: str) -> HttpResponse:
    """Send the browser to the provider, remembering a one-time state to check on return."""
    idp = _provider_or_404(provider)
    state = secrets.token_urlsafe(32)
    request.session[SSO_SESSION_KEY] = {
        "provider": idp.code,
        "state": state,
        "next": _safe_next(request, request.GET.get("next", "")),
    }
    return redirect(idp.authorization_url(request, state))


@require_http_methods(["GET", "POST"])  # some providers answer with form_post
def sso_callback(request: HttpRequest, provider: str) -> HttpResponse:
    idp = _provider_or_404(provider)
    pending = request.session.pop(SSO_SESSION_KEY, None) or {}
    returned_state = request.GET.get("state") or request.POST.get("state") or ""
    if pending.get("provider") != idp.code or not constant_time_compare(
        pending.get("state", ""), returned_state
    ):
        messages.error(request, ERR_SSO_STATE)
        return redirect("login")
    current_user = request.user if request.user.is_authenticated else None
    try:
        external = idp.authenticate_callback(request)
        user = identity.user_for_external_identity(
            identity=external,
            provider_code=idp.code,
            current_user=current_user,
        )
    except identity.IdentityError as error:
        messages.error(request, error.message)
        return redirect("login")
    if not MotcuaBackend().user_can_authenticate(user):  # inactive, or demo outside demo mode
        messages.error(request, ERR_SSO_REFUSED)
        return redirect("login")
    # The login also ends a password lockout of this user from this address: axes clears the
    # failures of (username, address) on every successful login (AXES_RESET_ON_SUCCESS).
    login(request, user, backend=BACKEND)
    return redirect(pending.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL))
