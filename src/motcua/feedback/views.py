"""Public petition pages: the published list, sending a petition in two steps (place first, so
likely duplicates show before anything is written), a petition's page, its photos, the
sender's rating, and the report. Views parse, call a selector or a service, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.common.errors import ApiError
from motcua.common.language import is_english
from motcua.common.throttle import not_logged_in, throttled
from motcua.org.signed_in import user_or_none

from . import selectors
from .access import petitions_handled_by
from .checks import PHOTO_MAX_BYTES, PetitionInput, PhotoUpload
from .forms import ERROR_FIELDS, DetailsForm, PlaceForm, RateForm, ReportForm
from .links import rating_key, rating_key_valid
from .models import Channel, Photo
from .public import publish
from .reports import petition_report
from .services import answer_rate, petition_create


def show_error(form: Any, exc: ApiError) -> None:
    """Put a service's error on the field it names, or above the form."""
    names = [e.get("field") for e in exc.errors] or [None]
    target = ERROR_FIELDS.get(names[0] or "")
    if names[0] and names[0].startswith("attribute["):
        target = f"attr_{names[0][len('attribute[') : -1]}"
    if target in form.fields:
        form.add_error(target, exc.text)
    else:
        form.add_error(None, exc.text)


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


# --- the list and a petition's page -------------------------------------------------------------


def petition_list(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category", "")
    status = request.GET.get("status", "")
    result = selectors.public_list(
        category_code=category,
        status=status if status in ("open", "closed") else "",
        page=_page_number(request),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/list.html",
        {
            "result": result,
            "items": [publish(p) for p in result.items],
            "categories": selectors.active_categories(),
            "category": category,
            "status": status,
            "query_string": query.urlencode(),
        },
    )


def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        petition = selectors.public_petition(pk)
    except ApiError as exc:
        raise Http404 from exc
    user = request.user
    can_rate = (
        hasattr(petition, "answer")
        and not hasattr(petition.answer, "rating")
        and user.is_authenticated
        and petition.sender_user_id == user.pk
    )
    return render(
        request,
        "feedback/detail.html",
        {
            "item": publish(petition),
            "can_rate": can_rate,
            "rating": getattr(getattr(petition, "answer", None), "rating", None),
            "handles": petitions_handled_by(user).filter(pk=pk).exists(),
        },
    )


def petition_photo(request: HttpRequest, pk: int, photo_id: int) -> FileResponse:
    """A photo of a published petition; staff who handle it may see those of hidden or held
    ones."""
    photo = Photo.objects.select_related("petition").filter(pk=photo_id, petition_id=pk).first()
    if photo is None:
        raise Http404
    private = photo.petition.hidden or photo.petition.is_held
    if private and not petitions_handled_by(request.user).filter(pk=pk).exists():
        raise Http404
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --- sending ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@throttled("petition_web", limit=10, window=3600, when=not_logged_in)
def petition_new(request: HttpRequest) -> HttpResponse:
    """GET without a place: step one. GET with a valid place: step two, with likely
    duplicates listed first. POST: send."""
    if request.method == "GET":
        place = PlaceForm(request.GET) if "category" in request.GET else PlaceForm()
        # "change" on step two comes back here with the place filled in, to be edited.
        if not place.is_bound or not place.is_valid() or "change" in request.GET:
            return _place_page(request, place)
        return _details_page(
            request,
            place.cleaned_data,
            DetailsForm(
                initial={**place.cleaned_data, **_sender_initial(request)},
                category=selectors.category_by_code(place.cleaned_data["category"]),
                english=is_english(),
            ),
        )
    place = PlaceForm(request.POST)
    if not place.is_valid():
        return _place_page(request, place)
    category = selectors.category_by_code(place.cleaned_data["category"])
    form = DetailsForm(request.POST, category=category, english=is_english())
    if not form.is_valid():
        return _details_page(request, place.cleaned_data, form)
    data = form.cleaned_data
    signed = data["sender"] == "signed"
    photos = [
        PhotoUpload(f.name or "", f.read(PHOTO_MAX_BYTES + 1))
        for f in request.FILES.getlist("photos")
    ]
    try:
        created = petition_create(
            data=PetitionInput(
                category_code=category.code,
                description=data["description"],
                lat=data.get("lat"),
                long=data.get("long"),
                address=data.get("address", ""),
                address_id=data.get("ward", ""),
                sender_name=data["name"] if signed else "",
                sender_phone=data["phone"] if signed else "",
                sender_email=data["email"] if signed else "",
                sender_id_number=data["id_number"] if signed else "",
                attributes=form.attribute_values(),
                photos=photos,
            ),
            channel=Channel.WEB,
            user=user_or_none(request) if signed else None,
        )
    except ApiError as exc:
        show_error(form, exc)
        return _details_page(request, place.cleaned_data, form)
    petition = created.petition
    url = reverse("feedback:sent", args=[petition.pk])
    return redirect(f"{url}?k={rating_key(petition.pk)}")


def _place_page(request: HttpRequest, form: PlaceForm) -> HttpResponse:
    area = selectors.province_map()
    return render(
        request,
        "feedback/new_place.html",
        {"form": form, "map_data": area.as_json() if area else None},
    )


def _sender_initial(request: HttpRequest) -> dict[str, str]:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "sender": "signed",
        "name": user.display_name,
        "email": user.email,
        "phone": user.phone,
    }


def _details_page(request: HttpRequest, place: dict[str, Any], form: DetailsForm) -> HttpResponse:
    category = selectors.category_by_code(place["category"])
    ward = selectors.ward_by_code(place.get("ward") or "")
    if ward is None and place.get("address"):
        ward = selectors.ward_in_address(place["address"])
    similar = selectors.similar_petitions(
        category=category,
        lat=place.get("lat"),
        long=place.get("long"),
        ward_id=ward.pk if ward else None,
    )
    return render(
        request,
        "feedback/new_details.html",
        {
            "form": form,
            "category": category,
            "ward": ward,
            "place": place,
            "similar": [publish(p) for p in similar],
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def petition_sent(request: HttpRequest, pk: int) -> HttpResponse:
    key = request.GET.get("k", "")
    if not rating_key_valid(pk, key):
        raise Http404
    petition = selectors.public_petition(pk, include_held=True)
    private_url = request.build_absolute_uri(f"{reverse('feedback:rate', args=[pk])}?k={key}")
    return render(
        request,
        "feedback/sent.html",
        {"item": publish(petition), "private_url": private_url, "petition": petition},
    )


# --- rating -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def petition_rate(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        # The sender's page (the link's key or their account is checked when rating).
        petition = selectors.public_petition(pk, include_held=True)
    except ApiError as exc:
        raise Http404 from exc
    key = request.POST.get("k") or request.GET.get("k", "")
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answer_rate(
                petition_id=pk,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                user=user_or_none(request),
                key=key,
            )
        except ApiError as exc:
            form.add_error(None, exc.text)
        else:
            messages.success(request, _("Thank you: your rating has been recorded."))
            return redirect("feedback:detail", pk=pk)
    answer = getattr(petition, "answer", None)
    return render(
        request,
        "feedback/rate.html",
        {
            "item": publish(petition),
            "form": form,
            "key": key,
            "answered": answer is not None,
            "rating": getattr(answer, "rating", None) if answer else None,
        },
        status=400 if form.errors else 200,
    )


# --- report -------------------------------------------------------------------------------------


def report(request: HttpRequest) -> HttpResponse:
    start, end = ReportForm.default_period()
    form = ReportForm(
        request.GET if "start" in request.GET else None, initial={"start": start, "end": end}
    )
    agency = ""
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        agency = form.cleaned_data["agency"]
    result = None
    try:
        if not form.is_bound or form.is_valid():
            result = petition_report(start=start, end=end, agency_code=agency or None)
    except ApiError as exc:
        form.add_error(None, exc.text)
    return render(request, "feedback/report.html", {"form": form, "report": result})
