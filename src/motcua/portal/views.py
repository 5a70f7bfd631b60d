"""Citizen pages: apply online, my dossiers and documents, a dossier's page, public tracking."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedure_get
from motcua.common.errors import ApiError, NotFound
from motcua.common.throttle import params_present, throttled
from motcua.common.uploads import check_upload, read_upload
from motcua.dossiers import documents as dossier_documents
from motcua.dossiers import services
from motcua.dossiers.documents import store_document
from motcua.dossiers.models import Channel, Document, Status
from motcua.dossiers.online import OnlineApplication, UploadedDocument, dossier_submit_online
from motcua.org.models import User
from motcua.org.permissions import Capability, can
from motcua.org.signed_in import signed_in_user

from . import selectors
from .forms import ApplicationForm, SupplementUploadForm, TrackForm, WithdrawForm

MAX_FILES = 20


def citizen_required(view: Any) -> Any:
    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can(signed_in_user(request), Capability.APPLY_ONLINE):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _files(request: HttpRequest, field: str) -> list[UploadedDocument]:
    """Every file posted under `field`, checked by content; the first bad one stops it all.

    A file over the limit is refused from its size, unread; images are stored re-encoded."""
    uploads = []
    for upload in request.FILES.getlist(field)[:MAX_FILES]:
        checked = check_upload(upload.name or "", read_upload(upload))
        uploads.append(
            UploadedDocument(
                title=request.POST.get(f"{field}_title") or checked.safe_name,
                content=checked.content,
                original_name=checked.safe_name,
                content_type=checked.content_type,
            )
        )
    return uploads


def apply(request: HttpRequest, code: str) -> HttpResponse:
    """The electronic application; a procedure that cannot be applied for online says so and
    where to apply in person, to anyone and before any login, instead of a form it would
    refuse once filled in."""
    try:
        procedure = procedure_get(code=code)
    except NotFound:
        return render(request, "catalog/not_found.html", {"code": code}, status=404)
    in_person = selectors.apply_in_person(procedure)
    if in_person is not None:
        return render(
            request,
            "portal/not_online.html",
            {"procedure": procedure, "in_person": in_person},
            status=409 if request.method == "POST" else 200,
        )
    return _application(request, procedure)


@citizen_required
def _application(request: HttpRequest, procedure: Procedure) -> HttpResponse:
    user = signed_in_user(request)
    store = selectors.my_store(user)
    profile = getattr(user, "citizen_profile", None)
    initial = {
        "applicant_name": user.display_name,
        "email": user.email,
        "phone": user.phone,
        "id_number": getattr(profile, "id_number", ""),
        "tax_code": getattr(profile, "tax_code", ""),
        "address": getattr(profile, "address", ""),
        "applicant_kind": getattr(profile, "kind", "person"),
    }
    form = ApplicationForm(request.POST or None, procedure=procedure, store=store, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            uploads = []
            for index, requirement in enumerate(form.requirements):
                for document in _files(request, f"file_{index}"):
                    document.title = requirement.name
                    uploads.append(document)
            uploads += _files(request, "extra_files")
            reused = [
                data[f"reuse_{i}"] for i in range(len(form.requirements)) if data.get(f"reuse_{i}")
            ]
            services.required_documents_check(
                procedure,
                [
                    r.name
                    for i, r in enumerate(form.requirements)
                    if data.get(f"reuse_{i}") or request.FILES.getlist(f"file_{i}")
                ],
                channel=Channel.ONLINE,
            )
            dossier = dossier_submit_online(
                applicant_user=user,
                application=OnlineApplication(
                    procedure_code=procedure.code,
                    applicant=services.ApplicantData(
                        kind=data["applicant_kind"],
                        name=data["applicant_name"],
                        id_number=data["id_number"],
                        tax_code=data["tax_code"],
                        phone=data["phone"],
                        email=data["email"],
                        address=data["address"],
                    ),
                    form_data=form.procedure_data(),
                    population_data=selectors.signed_in_through_population_database(user),
                    uploads=uploads,
                    reused_document_ids=reused,
                    receiving_agency_code=data["commune"].code if data.get("commune") else None,
                    idempotency_key=data["idempotency_key"],
                ),
            )
        except ApiError as error:
            messages.error(request, error.text)
            status = error.status
        else:
            messages.success(
                request, _("Your dossier %(code)s was submitted.") % {"code": dossier.code}
            )
            return redirect("portal:dossier", code=dossier.code)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "portal/apply.html",
        {"procedure": procedure, "form": form, "store": store},
        status=status,
    )


@citizen_required
def my_page(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "portal/my_page.html",
        {
            "dossiers": selectors.my_dossiers(user)[:100],
            "store": selectors.my_store(user),
        },
    )


@citizen_required
def my_dossier(request: HttpRequest, code: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        dossier = selectors.my_dossier(user=user, code=code)
    except NotFound:
        return render(request, "portal/not_found.html", status=404)
    status = 200
    if request.method == "POST":
        status = _act(request, user, dossier)
        if status == 302:
            return redirect("portal:dossier", code=code)
        dossier = selectors.my_dossier(user=user, code=code)
    return render(
        request,
        "portal/dossier.html",
        {
            "dossier": dossier,
            "timeline": selectors.public_timeline(dossier),
            "documents": dossier.documents.order_by("created_at"),
            "result": dossier.documents.filter(kind=Document.Kind.RESULT).first(),
            "supplement": getattr(dossier, "supplement", None),
            "supplement_form": SupplementUploadForm(initial={"version": dossier.version}),
            "withdraw_form": WithdrawForm(initial={"version": dossier.version}),
            "can_withdraw": dossier.status in services.ALLOWED_FROM["stop"],
        },
        status=status,
    )


def _act(request: HttpRequest, user: User, dossier: Any) -> int:
    action = request.POST.get("action")
    try:
        if action == "supplement" and dossier.status == Status.WAITING_SUPPLEMENT:
            form = SupplementUploadForm(request.POST)
            if not form.is_valid():
                return 400
            uploads = _files(request, "files")
            if not uploads:
                raise ApiError(
                    "files_required",
                    gettext_lazy("Attach the missing documents."),
                )
            for upload in uploads:
                store_document(
                    owner=user,
                    dossier=dossier,
                    kind=Document.Kind.SUPPLEMENT,
                    title=upload.title,
                    content=upload.content,
                    original_name=upload.original_name,
                    content_type=upload.content_type,
                )
            services.dossier_act(
                actor=user,
                code=dossier.code,
                data=services.ActionData(
                    action="supplement",
                    version=form.cleaned_data["version"],
                    reason=form.cleaned_data["note"],
                    documents=[
                        services.SubmittedDocument(name=u.title, digitised=True) for u in uploads
                    ],
                ),
            )
            messages.success(request, _("Your documents were sent to the desk."))
        elif action == "withdraw":
            withdraw = WithdrawForm(request.POST)
            if not withdraw.is_valid():
                return 400
            services.dossier_act(
                actor=user,
                code=dossier.code,
                data=services.ActionData(
                    action="stop",
                    version=withdraw.cleaned_data["version"],
                    reason=withdraw.cleaned_data["reason"],
                ),
            )
            messages.success(request, _("Your dossier was withdrawn."))
        else:
            return 400
    except ApiError as error:
        messages.error(request, error.text)
        return error.status
    return 302


@citizen_required
def result_download(request: HttpRequest, code: str) -> HttpResponseBase:
    """The electronic result, for the applicant alone."""
    user = signed_in_user(request)
    try:
        result = selectors.my_result(user=user, code=code)
        # The one access check and audit record every served file goes through.
        document = dossier_documents.document_download(
            actor=user, document_id=result.pk, dossier_code=code
        )
    except NotFound:
        return render(request, "portal/not_found.html", status=404)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type="application/pdf",
    )


@citizen_required
def document_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = signed_in_user(request)
    if not Document.objects.filter(pk=pk, owner=user).exists():
        return render(request, "portal/not_found.html", status=404)
    document = dossier_documents.document_download(actor=user, document_id=pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@throttled("track", limit=30, window=600, methods=("GET",), when=params_present("code", "key"))
def track(request: HttpRequest) -> HttpResponse:
    """Anyone with the code and the key from the slip sees the status, without logging in."""
    form = TrackForm(request.GET or None)
    dossier = None
    status = 200
    if request.GET and form.is_valid():
        try:
            dossier = selectors.tracked_dossier(
                code=form.cleaned_data["code"], key=form.cleaned_data["key"]
            )
        except NotFound as error:
            messages.error(request, error.text)
            status = 404
    return render(
        request,
        "portal/track.html",
        {
            "form": form,
            "dossier": dossier,
            "timeline": selectors.public_timeline(dossier) if dossier else [],
            "applicant": selectors.masked_name(dossier.applicant_name) if dossier else "",
        },
        status=status,
    )
