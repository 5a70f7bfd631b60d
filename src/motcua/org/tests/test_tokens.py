"""API tokens end: they expire, a new password revokes them on every path (reset by email, the
admin's password form, the service), and their owner lists and revokes them (API and page)."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from motcua.org.models import ApiToken, User
from motcua.org.services import api_token_create, user_password_set

pytestmark = pytest.mark.django_db

ME = "/api/v1/org/me"
TOKENS = "/api/v1/tokens"
PASSWORD = "Hai-Phong-2026!"


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def lan(world) -> User:
    """A citizen with a real (non-demo) account, so her password can be reset."""
    user = User(
        username="lan.nguyen@example.vn",
        email="lan.nguyen@example.vn",
        full_name="Nguyễn Thị Lan",
        role=User.Role.CITIZEN,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def test_a_token_expires_after_the_configured_days(world, client):
    # given
    with override_settings(MOTCUA_API_TOKEN_DAYS=7):
        token = world.token("demo-desk")
    row = ApiToken.objects.get(user__username="demo-desk")
    assert abs(row.expires_at - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)
    assert client.get(ME, **bearer(token)).status_code == 200
    # when its seven days have passed
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    # then
    response = client.get(ME, **bearer(token))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_default_lifetime_is_thirty_days(world):
    api_token_create(user=world.user("demo-desk"))
    lifetime = ApiToken.objects.get(user__username="demo-desk").expires_at - timezone.now()
    assert dt.timedelta(days=29, hours=23) < lifetime <= dt.timedelta(days=30)


def test_password_reset_by_email_revokes_the_tokens(lan, client):
    # given
    token = api_token_create(user=lan, label="script")
    assert client.get(ME, **bearer(token)).status_code == 200
    # when she resets her password through the emailed link
    client.post("/tai-khoan/quen-mat-khau/", {"email": "lan.nguyen@example.vn"})
    found = re.search(r"(/tai-khoan/quen-mat-khau/\S+/)", str(mail.outbox[0].body))
    assert found is not None
    link = found.group(1)
    form_page = client.get(link, follow=True)
    new = "Mat-khau-moi-2026"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    # then
    assert client.get(ME, **bearer(token)).status_code == 401
    assert ApiToken.objects.get(user=lan).revoked_reason == ApiToken.RevokedReason.PASSWORD


def test_the_admins_password_form_revokes_the_tokens(world, lan, client):
    # given
    token = api_token_create(user=lan)
    client.force_login(world.user("admin"))
    # when the administrator sets a new password for her
    new = "Mat-khau-moi-2026"
    response = client.post(
        f"/admin/org/user/{lan.pk}/password/", {"password1": new, "password2": new}
    )
    # then
    assert response.status_code == 302
    assert client.get(ME, **bearer(token)).status_code == 401


def test_the_password_service_revokes_the_tokens_and_only_that_users(world, lan, client):
    # given
    hers = api_token_create(user=lan)
    desk = world.token("demo-desk")
    # when
    user_password_set(user=lan, password="Mat-khau-moi-2026")
    # then
    assert client.get(ME, **bearer(hers)).status_code == 401
    assert client.get(ME, **bearer(desk)).status_code == 200
    lan.refresh_from_db()
    assert lan.check_password("Mat-khau-moi-2026")


def test_a_token_made_after_the_new_password_works(world, lan, client):
    user_password_set(user=lan, password="Mat-khau-moi-2026")
    token = api_token_create(user=lan)
    assert client.get(ME, **bearer(token)).status_code == 200


def test_the_owner_lists_their_working_tokens_without_secrets(world, client):
    # given
    desk = world.user("demo-desk")
    token = api_token_create(user=desk, label="Máy quầy số 3")
    api_token_create(user=desk, label="old")
    ApiToken.objects.filter(label="old").update(expires_at=timezone.now())
    api_token_create(user=world.user("demo-leader"), label="someone else's")
    # when
    response = client.get(TOKENS, **bearer(token))
    # then
    assert response.status_code == 200
    rows = response.json()
    assert [row["label"] for row in rows] == ["Máy quầy số 3"]
    assert set(rows[0]) == {"id", "label", "prefix", "created_at", "expires_at", "last_used_at"}
    assert token not in response.content.decode()
    assert token[3:] not in response.content.decode()


def test_the_owner_revokes_a_token_and_it_stops_working(world, client):
    # given
    desk = world.user("demo-desk")
    keep = api_token_create(user=desk, label="keep")
    drop = api_token_create(user=desk, label="drop")
    drop_id = ApiToken.objects.get(label="drop").pk
    # when
    response = client.delete(f"{TOKENS}/{drop_id}", **bearer(keep))
    # then
    assert response.status_code == 204
    assert client.get(ME, **bearer(drop)).status_code == 401
    assert client.get(ME, **bearer(keep)).status_code == 200
    assert ApiToken.objects.get(pk=drop_id).revoked_reason == ApiToken.RevokedReason.OWNER


def test_nobody_revokes_someone_elses_token(world, client):
    # given
    theirs = api_token_create(user=world.user("demo-leader"), label="leader")
    theirs_id = ApiToken.objects.get(label="leader").pk
    mine = world.token("demo-desk")
    # when
    response = client.delete(f"{TOKENS}/{theirs_id}", **bearer(mine))
    # then
    assert response.status_code == 404
    assert response.json()["code"] == "token_not_found"
    assert client.get(ME, **bearer(theirs)).status_code == 200


def test_token_command_prints_a_working_token(world, client):
    out = io.StringIO()
    call_command("token", "demo-desk", "--days", "3", stdout=out)
    token = out.getvalue().strip()
    assert token.startswith("mc_")
    assert client.get(ME, **bearer(token)).status_code == 200
    lifetime = ApiToken.objects.get(user__username="demo-desk").expires_at - timezone.now()
    assert dt.timedelta(days=2) < lifetime <= dt.timedelta(days=3)


def test_token_command_refuses_a_lifetime_out_of_range(world):
    with pytest.raises(CommandError, match="1 đến 366 ngày"):
        call_command("token", "demo-desk", "--days", "0", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_the_account_page_lists_creates_and_revokes_tokens(world, client):
    # given
    desk = world.user("demo-desk")
    old = api_token_create(user=desk, label="Máy quầy cũ")
    client.force_login(desk)
    # when
    page = client.get("/tai-khoan/ma-truy-cap/")
    # then
    assert page.status_code == 200
    html = page.content.decode()
    assert "Máy quầy cũ" in html and old not in html
    # when she creates one, it is shown once
    created = client.post("/tai-khoan/ma-truy-cap/", {"label": "Báo cáo tự động"})
    found = re.search(r"mc_[A-Za-z0-9_\-]{20,}", created.content.decode())
    assert found is not None
    secret = found.group(0)
    assert client.get(ME, **bearer(secret)).status_code == 200
    # when she revokes the old one
    old_id = ApiToken.objects.get(label="Máy quầy cũ").pk
    revoked = client.post("/tai-khoan/ma-truy-cap/", {"revoke": str(old_id)}, follow=True)
    # then
    assert client.get(ME, **bearer(old)).status_code == 401
    assert "Máy quầy cũ" not in revoked.content.decode()


def test_the_account_page_needs_a_login(world, client):
    response = client.get("/tai-khoan/ma-truy-cap/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_refused_password_changes_nothing(world, lan, client):
    """A weak new password is refused with Django's reasons; the old password and the tokens
    stay as they were."""
    from django.core.exceptions import ValidationError

    token = api_token_create(user=lan)
    with pytest.raises(ValidationError):
        user_password_set(user=lan, password="12345678")
    lan.refresh_from_db()
    assert lan.check_password(PASSWORD)
    assert client.get(ME, **bearer(token)).status_code == 200
