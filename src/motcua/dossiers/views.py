"""Staff pages of the one-stop lifecycle: the work queue, receipt at the desk, and a dossier's
page with its history and the actions its status allows. Views parse, call a selector or a
service, and render; a service's error is shown as a message on the same page, input kept."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from motcua.audit.models import Event
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Procedure
from motcua.common.errors import ApiError, NotFound
from motcua.org.models import User

from . import selectors, services
from .access import may_act
from .forms import (
    ACTION_FORMS,
    RECEIPT_ERROR_FIELDS,
    ActionForm,
    ProcedureChoiceForm,
    QueueForm,
    ReceiptForm,
)
from .models import Action, Dossier, Status
from .services.base import ACTION_LABELS_VI

PAGE_SIZE = 20
CHOOSER_RESULTS = 10
PDF_URL = "/api/v1/dossiers/{code}/forms/{form}.pdf"
STATUS_LABELS = dict(Status.choices)
# The one label table of history actions (dossiers.models.Action), as the API and PDFs use.
HISTORY_LABELS = dict(Action.choices)
WITHDRAWAL_LABEL = gettext_lazy("Applicant withdrew the dossier")
WITHDRAWN_STATUS_LABEL = gettext_lazy("Withdrawn by the applicant")


def civil_servant_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in civil servants only: others are sent to log in, citizens get a 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_civil_servant:  # type: ignore[union-attr]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def error_text(exc: ApiError) -> str:
    """The service's message in the page's language."""
    return exc.message_en if (get_language() or "vi").startswith("en") else exc.message


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _at_a_desk(user: User) -> bool:
    return user.agency_id is not None and user.agency.has_one_stop_desk


def _when(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y") if moment else "—"


# --- the queue -------------------------------------------------------------------------------


@civil_servant_required
def dossier_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    # A work queue opens on the work still to do; "All" is one click away.
    form = QueueForm(request.GET or {"status": "open"})
    data = form.cleaned_data if form.is_valid() else {}
    result = selectors.dossier_queue(
        user=user,
        status=data.get("status") or None,
        due=data.get("due") or None,
        q=data.get("q") or None,
        page=data.get("page") or 1,
        page_size=data.get("page_size") or PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dossiers/queue.html",
        {
            "form": form,
            "result": result,
            "counts": selectors.dossier_queue_counts(user=user),
            "query_string": query.urlencode(),
            "can_receive": _at_a_desk(user),
        },
    )


# --- receipt at the desk ---------------------------------------------------------------------


def _procedure_in_force(code: str) -> Procedure | None:
    try:
        procedure = catalog_selectors.procedure_get(code=code)
    except NotFound:
        return None
    return procedure if procedure.status == Procedure.Status.ACTIVE else None


def _receipt_message(dossier: Dossier) -> str:
    values = {"code": dossier.code, "key": dossier.lookup_key, "due": _when(dossier.due_at)}
    if dossier.status == Status.WAITING_SUPPLEMENT:
        return (
            _(
                "Dossier %(code)s recorded as incomplete (lookup key %(key)s): print the "
                "supplement guidance for the applicant."
            )
            % values
        )
    if dossier.status == Status.REFUSED:
        return _("Dossier %(code)s refused: print the refusal slip for the applicant.") % values
    return _("Received dossier %(code)s, lookup key %(key)s. Appointment: %(due)s.") % values


@civil_servant_required
def dossier_receive(request: HttpRequest) -> HttpResponse:
    """Two steps on one address: choose the procedure (?procedure=CODE or words), then fill in
    the applicant, tick the documents and record the outcome."""
    user = _user(request)
    if not _at_a_desk(user):
        raise PermissionDenied
    wanted = (request.POST.get("procedure") or request.GET.get("procedure") or "").strip()
    procedure = _procedure_in_force(wanted) if wanted else None
    if procedure is None:
        matches = None
        if wanted:
            matches = catalog_selectors.procedure_search(
                query=wanted,
                filters=catalog_selectors.ProcedureFilters(),
                page=1,
                page_size=CHOOSER_RESULTS,
            )
        return render(
            request,
            "dossiers/receive_choose.html",
            {"form": ProcedureChoiceForm(initial={"procedure": wanted}), "matches": matches},
        )
    form = ReceiptForm(
        request.POST if request.method == "POST" else None,
        procedure=procedure,
        lead_agencies=selectors.lead_agency_choices(),
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            dossier = services.dossier_receive(actor=user, data=form.receipt_data())
        except ApiError as exc:
            message = error_text(exc)
            messages.error(request, message)
            for field in {RECEIPT_ERROR_FIELDS.get(e.get("field", "")) for e in exc.errors}:
                if field in form.fields:
                    form.add_error(field, message)
            status = exc.status
        else:
            messages.success(request, _receipt_message(dossier))
            return redirect("dossiers:detail", code=dossier.code)
    return render(
        request, "dossiers/receive.html", {"form": form, "procedure": procedure}, status=status
    )


# --- one dossier -----------------------------------------------------------------------------


def _available_actions(user: User, dossier: Dossier) -> list[str]:
    """The actions the dossier's status allows and the user may take (the same rule the
    service applies), so officers see no form they could never submit."""
    return [
        a
        for a in ACTION_FORMS
        if dossier.status in services.ALLOWED_FROM[a] and may_act(user, dossier, a)
    ]


def _action_forms(
    user: User, dossier: Dossier, posted: QueryDict | None, posted_action: str
) -> list[ActionForm]:
    """An unbound form per available action; the one just posted keeps the officer's input,
    with the version they have now seen."""
    forms: list[ActionForm] = []
    for action in _available_actions(user, dossier):
        form_class = ACTION_FORMS[action]
        kwargs: dict[str, Any] = {}
        if action == "forward":
            kwargs["targets"] = selectors.forward_targets(dossier)
            if not kwargs["targets"]:
                continue
        if posted is not None and action == posted_action:
            data = posted.copy()
            data["version"] = str(dossier.version)
            form = form_class(data, **kwargs)
            form.is_valid()
        else:
            form = form_class(initial={"version": dossier.version}, **kwargs)
        forms.append(form)
    return forms


def _pdf_links(detail: selectors.DossierDetail) -> list[tuple[str, str]]:
    dossier = detail.dossier
    issued = [
        ("receipt", _("Receipt and appointment slip"), dossier.due_at is not None),
        ("supplement", _("Supplement guidance"), detail.supplement is not None),
        ("refusal", _("Refusal slip"), dossier.status == Status.REFUSED),
        (
            "apology",
            _("Apology and request to extend the processing time"),
            detail.apology is not None,
        ),
        (
            "stop",
            _("Notice of stopping the dossier"),
            dossier.status in (Status.STOPPED, Status.WITHDRAWN) and not _expired(detail),
        ),
        ("control-sheet", _("Process control sheet"), dossier.due_at is not None),
    ]
    return [
        (label, PDF_URL.format(code=dossier.code, form=form)) for form, label, ok in issued if ok
    ]


def _expired(detail: selectors.DossierDetail) -> bool:
    return any(event.action == Action.EXPIRE for event in detail.events)


def _history_label(event: Event, dossier: Dossier) -> str:
    if selectors.is_withdrawal(event, dossier):
        return str(WITHDRAWAL_LABEL)
    label = HISTORY_LABELS.get(event.action)
    if label is not None:
        return str(label)
    return ACTION_LABELS_VI.get(event.action, event.action).capitalize()


def _history(detail: selectors.DossierDetail) -> list[dict[str, Any]]:
    return [
        {
            "event": event,
            "action": _history_label(event, detail.dossier),
            "from": STATUS_LABELS.get(event.from_state, event.from_state),
            "to": WITHDRAWN_STATUS_LABEL
            if selectors.is_withdrawal(event, detail.dossier)
            else STATUS_LABELS.get(event.to_state, event.to_state),
        }
        for event in detail.events
    ]


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "dossiers/not_found.html", {"code": code}, status=404)


@civil_servant_required
def dossier_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The dossier's page; a POST carries one action with the version the officer saw."""
    user = _user(request)
    posted: QueryDict | None = None
    posted_action = ""
    status = 200
    if request.method == "POST":
        posted_action = request.POST.get("action", "")
        form_class = ACTION_FORMS.get(posted_action)
        if form_class is None:
            messages.error(request, _("Unknown action."))
            return redirect("dossiers:detail", code=code)
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                dossier = services.dossier_act(actor=user, code=code, data=form.action_data())
            except NotFound:
                return _not_found(request, code)
            except ApiError as exc:
                messages.error(request, error_text(exc))
                status = exc.status
            else:
                messages.success(
                    request,
                    _("%(action)s: done. The dossier is now “%(status)s”, at %(agency)s.")
                    % {
                        "action": form_class.label,
                        "status": dossier.get_status_display(),
                        "agency": dossier.current_agency.name,
                    },
                )
                return redirect("dossiers:detail", code=dossier.code)
        else:
            status = 400
        posted = request.POST
    try:
        detail = selectors.dossier_detail(user=user, code=code)
    except NotFound:
        return _not_found(request, code)
    return render(
        request,
        "dossiers/detail.html",
        {
            "detail": detail,
            "dossier": detail.dossier,
            "history": _history(detail),
            "pdf_links": _pdf_links(detail),
            "action_forms": _action_forms(user, detail.dossier, posted, posted_action),
            "posted_action": posted_action,
        },
        status=status,
    )
