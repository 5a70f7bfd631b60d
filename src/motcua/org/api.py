"""Organisation endpoints: units, agencies and the calling user."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja import Status as HttpStatus

from motcua.common.errors import reject_unknown_params
from motcua.common.text import vi_sort_key
from motcua.org.apiauth import PUBLIC

from .models import Agency, ApiToken, Unit, User
from .selectors import api_tokens_of
from .services import api_token_revoke

router = Router(tags=["organisation"])


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None
    valid_from: dt.date
    valid_to: dt.date | None


class AgencyOut(Schema):
    code: str
    electronic_id: str
    name: str
    kind: str
    unit_code: str
    has_one_stop_desk: bool


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    agency_code: str | None


@router.get("/units", response=list[UnitOut], auth=PUBLIC, summary="Administrative units")
def unit_list(
    request: HttpRequest,
    kind: Literal["province", "district", "ward", "commune", "special_zone"] | None = None,
    on: dt.date | None = Query(None, description="Units valid on this date (default today)"),
) -> list[dict]:
    reject_unknown_params(request.GET, {"kind", "on"})
    units = Unit.objects.valid_on(on or timezone.localdate()).select_related("parent")
    if kind:
        units = units.filter(kind=kind)
    rows = [
        {
            "code": u.code,
            "name": u.name,
            "kind": u.kind,
            "parent_code": u.parent.code if u.parent else None,
            "valid_from": u.valid_from,
            "valid_to": u.valid_to,
        }
        for u in units
    ]
    return sorted(rows, key=lambda r: vi_sort_key(r["name"]))


@router.get("/agencies", response=list[AgencyOut], auth=PUBLIC, summary="Agencies")
def agency_list(request: HttpRequest) -> list[dict]:
    reject_unknown_params(request.GET, set())
    return [
        {
            "code": a.code,
            "electronic_id": a.electronic_id,
            "name": a.name,
            "kind": a.kind,
            "unit_code": a.unit.code,
            "has_one_stop_desk": a.has_one_stop_desk,
        }
        for a in Agency.objects.valid_on(timezone.localdate()).select_related("unit")
    ]


@router.get("/me", response=MeOut, summary="The authenticated user")
def me(request: HttpRequest) -> dict:
    user: User = request.user  # type: ignore[assignment]
    return {
        "username": user.username,
        "full_name": user.display_name,
        "role": user.role,
        "agency_code": user.agency.code if user.agency else None,
    }


tokens_router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    label: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None


@tokens_router.get(
    "", response=list[TokenOut], summary="My API tokens that still work (never their secrets)"
)
def token_list(request: HttpRequest) -> list[ApiToken]:
    reject_unknown_params(request.GET, set())
    return api_tokens_of(request.user)  # type: ignore[arg-type]


@tokens_router.delete("/{token_id}", response={204: None}, summary="Revoke one of my API tokens")
def token_revoke(request: HttpRequest, token_id: int) -> HttpStatus:
    api_token_revoke(user=request.user, token_id=token_id)  # type: ignore[arg-type]
    return HttpStatus(204, None)
