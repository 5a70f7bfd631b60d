"""Open311 clients: issuing a key (shown once, only its hash kept) and finding a client by key."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.audit.services import event_record
from motcua.common.errors import ApiError
from motcua.org.models import User

from .checks import plain_text
from .models import ApiClient

API_KEY_PREFIX = "o311_"


def hash_api_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_client_issue_key(
    *, name: str, created_by: User | None = None, contact: str = "", now: dt.datetime | None = None
) -> tuple[ApiClient, str]:
    """Create the client (or take the existing one of that name) and give it a new key; the old
    key stops working. Returns the key, which is shown once and never stored."""
    now = now or timezone.now()
    name = plain_text(name, field_name="name", limit=100)
    if not name:
        raise ApiError("name_required", _("A client name is required."))
    raw = API_KEY_PREFIX + secrets.token_urlsafe(32)
    client, created = ApiClient.objects.select_for_update().get_or_create(
        name=name, defaults={"created_by": created_by, "contact": contact}
    )
    client.prefix = raw[len(API_KEY_PREFIX) :][:8]
    client.key_hash = hash_api_key(raw)
    client.key_issued_at = now
    client.active = True
    client.save()
    event_record(
        at=now,
        actor_id=created_by.pk if created_by else None,
        agency_id=None,
        subject_type="open311_client",
        subject_id=str(client.pk),
        action="issue_key" if not created else "create",
        payload={"name": client.name, "prefix": client.prefix},
    )
    return client, raw


def api_client_by_key(raw: str, *, now: dt.datetime | None = None) -> ApiClient | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    client = ApiClient.objects.filter(key_hash=hash_api_key(raw), active=True).first()
    if client is not None:
        now = now or timezone.now()
        # Write at most once a minute: the key comes with every POST.
        if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client
