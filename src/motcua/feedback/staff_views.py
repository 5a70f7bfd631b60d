"""Staff pages: the queue of petitions the agency must answer and a petition's page with the
answer, forward, duplicate and hide forms. Each form posts to the same page and calls one
service; its error is shown on that form, the input kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.audit.models import Event
from motcua.common.errors import ApiError
from motcua.org.models import User

from . import selectors, services
from .access import petition_get_for_staff
from .categories import attribute_labels
from .forms import AnswerForm, DuplicateForm, ForwardForm, HideForm, QueueForm, ReleaseForm
from .models import Petition
from .public import publish
from .views import error_text

ACTION_LABELS = {
    "receive": gettext_lazy("Received"),
    "forward": gettext_lazy("Forwarded"),
    "answer": gettext_lazy("Answered"),
    "mark_duplicate": gettext_lazy("Marked as a duplicate"),
    "hide": gettext_lazy("Hidden by a moderator"),
    "release": gettext_lazy("Released for publication by a moderator"),
    "rate": gettext_lazy("Rated by the sender"),
}


HELD_REASON_LABELS = {
    "email": gettext_lazy("an email address"),
    "bank_account": gettext_lazy("a bank account number"),
    "licence_plate": gettext_lazy("a licence plate"),
    "passport": gettext_lazy("a passport number"),
    "phone": gettext_lazy("a phone number"),
    "id_number": gettext_lazy("an ID number"),
}


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not user.is_authenticated or not user.is_civil_servant:  # type: ignore[union-attr]
        raise PermissionDenied
    return user  # type: ignore[return-value]


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = QueueForm(request.GET or {"state": "open"})
    data = form.cleaned_data if form.is_valid() else {"state": "open"}
    result = selectors.staff_queue(
        user=user,
        state=data.get("state", "open") if "state" in request.GET or not request.GET else "",
        overdue=bool(data.get("overdue")),
        page=data.get("page") or 1,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/queue.html",
        {
            "form": form,
            "result": result,
            "query_string": query.urlencode(),
            "now": timezone.now(),
        },
    )


def _forms(petition: Petition, data: dict | None = None, action: str = "") -> dict:
    agencies = selectors.forward_targets(petition)
    return {
        "answer_form": AnswerForm(data if action == "answer" else None),
        "forward_form": ForwardForm(data if action == "forward" else None, agencies=agencies),
        "duplicate_form": DuplicateForm(data if action == "duplicate" else None),
        "hide_form": HideForm(data if action == "hide" else None),
        "release_form": ReleaseForm(data if action == "release" else None),
    }


def _run(action: str, form, petition: Petition, user: User) -> str:
    data = form.cleaned_data
    if action == "answer":
        services.petition_answer(petition_id=petition.pk, user=user, text=data["text"])
        return _("The answer is published and the sender notified.")
    if action == "forward":
        services.petition_forward(
            petition_id=petition.pk, user=user, agency_code=data["agency"], reason=data["reason"]
        )
        return _("The petition has been forwarded.")
    if action == "duplicate":
        services.petition_mark_duplicate(
            petition_id=petition.pk, user=user, original_id=data["original"]
        )
        return _("The petition is closed as a duplicate.")
    if action == "release":
        services.petition_release(petition_id=petition.pk, user=user)
        return _("The petition is published (with personal data masked).")
    services.petition_hide(
        petition_id=petition.pk, user=user, reason=data["reason"], close=data["close"]
    )
    return _("The content is hidden from the public.")


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _staff(request)
    try:
        petition = petition_get_for_staff(user=user, petition_id=pk)
    except ApiError as exc:
        raise Http404 from exc
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _forms(petition, request.POST, action)
    status = 200
    if action in ("answer", "forward", "duplicate", "hide", "release"):
        form = forms[f"{action}_form"]
        if form.is_valid():
            try:
                messages.success(request, _run(action, form, petition, user))
            except ApiError as exc:
                form.add_error(None, error_text(exc))
            else:
                try:
                    petition_get_for_staff(user=user, petition_id=pk)
                except ApiError:
                    return redirect("feedback:queue")  # forwarded out of the agency's reach
                return redirect("feedback:staff_detail", pk=pk)
        status = 400
    petition = (
        Petition.objects.select_related("category", "agency", "ward", "answer", "duplicate_of")
        .prefetch_related("photos", "attributes")
        .get(pk=petition.pk)
    )
    events = Event.objects.filter(subject_type="petition", subject_id=str(pk)).select_related(
        "actor", "agency"
    )
    similar = selectors.similar_petitions(
        category=petition.category,
        lat=petition.lat,
        long=petition.long,
        ward_id=petition.ward_id,
        now=petition.received_at,
        exclude_id=petition.pk,
        open_only=False,
        include_held=True,
    )
    return render(
        request,
        "feedback/staff_detail.html",
        {
            "petition": petition,
            "item": publish(petition),
            "attributes": attribute_labels(
                petition.category.attributes,
                [(a.code, a.value) for a in petition.attributes.all()],
                english=(translation.get_language() or "vi").startswith("en"),
            ),
            "events": [(e, ACTION_LABELS.get(e.action, e.action)) for e in events],
            "held_reasons": [
                str(HELD_REASON_LABELS.get(r, r)) for r in petition.moderation_reasons
            ],
            "similar": [p for p in similar if p.received_at <= petition.received_at],
            **forms,
        },
        status=status,
    )
