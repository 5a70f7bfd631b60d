"""A civil servant's download of a dossier's document or result: the page asks why, the POST
serves the file once `documents.document_download` has checked access and written the audit
event."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from motcua.common.errors import ApiError, NotFound, PermissionDenied
from motcua.org.models import User

from .access import document_get_for_download
from .documents import DOWNLOAD_PURPOSES, document_download
from .views import civil_servant_required, error_text


class DownloadPurposeForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Why do you open this document?"),
        choices=list(DOWNLOAD_PURPOSES.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why you open the document.")},
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _file(document) -> FileResponse:  # a Document
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@civil_servant_required
def dossier_document(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """GET: the purpose form; POST: the file, recorded with who and why. The reform office
    (and any officer of an agency not handling the dossier) gets a 403."""
    user: User = request.user  # type: ignore[assignment]
    try:
        document = document_get_for_download(user=user, pk=pk, code=code)
    except NotFound:
        return render(request, "dossiers/not_found.html", {"code": code}, status=404)
    except PermissionDenied as exc:
        return render(
            request, "dossiers/document_forbidden.html", {"code": code, "error": exc}, status=403
        )
    form = DownloadPurposeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                document = document_download(
                    actor=user,
                    document_id=pk,
                    dossier_code=code,
                    purpose=form.cleaned_data["purpose"],
                    reason=form.cleaned_data["reason"],
                )
            except ApiError as exc:
                messages.error(request, error_text(exc))
                for error in exc.errors:
                    if error.get("field") in form.fields:
                        form.add_error(error["field"], error_text(exc))
                status = exc.status
            else:
                return _file(document)
        else:
            status = 400
    return render(
        request,
        "dossiers/document_purpose.html",
        {"form": form, "document": document, "dossier": document.dossier},
        status=status,
    )
