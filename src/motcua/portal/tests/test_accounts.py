"""Citizen accounts as a citizen would notice them: registering by email or phone, refusals that
name the field, the login lockout (site and admin), password reset by email, and logging in
through an outside identity provider."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core import mail
from django.db.models import F
from django.http import HttpRequest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from motcua.audit.models import Event
from motcua.org.lockout import locked_until
from motcua.org.models import User
from motcua.portal.accounts import citizen_register
from motcua.portal.identity import ExternalIdentity, IdentityError
from motcua.portal.models import CitizenProfile, ExternalAccount

pytestmark = pytest.mark.django_db

REGISTER_URL = "/tai-khoan/dang-ky/"
RESET_URL = "/tai-khoan/quen-mat-khau/"
PASSWORD = "Hai-Phong-2026!"
DEMO_PASSWORD = "motcua-demo"


def registration(**overrides: str) -> dict[str, str]:
    data = {
        "account_kind": "person",
        "full_name": "Nguyễn Thị Lan",
        "email": "Lan.Nguyen@Example.vn",
        "phone": "",
        "id_number": "031190012345",
        "tax_code": "",
        "address": "Số 5 Lạch Tray, Hải Phòng",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return data | overrides


def error_codes(response, field: str) -> list[str]:
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]


def logged_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


# Registration


def test_register_by_email_creates_a_citizen_and_logs_them_in(world, client):
    """The username is the email, lower-cased; the ID number is kept on the profile."""
    # when
    response = client.post(REGISTER_URL, registration())
    # then
    assert response.status_code == 302
    assert response["Location"] == "/ca-nhan/"
    user = User.objects.get(username="lan.nguyen@example.vn")
    assert (user.role, user.full_name, user.email) == (
        "citizen",
        "Nguyễn Thị Lan",
        "lan.nguyen@example.vn",
    )
    assert user.check_password(PASSWORD)
    assert user.citizen_profile.kind == "person"
    assert user.citizen_profile.id_number == "031190012345"
    assert logged_in_user(client) == user
    assert Event.objects.filter(subject_type="user", subject_id=str(user.pk), action="register")


def test_register_by_phone_normalises_plus_84(world, client):
    """'+84 912 345 678' is stored, and logs in, as 0912345678; +84 also works at login."""
    # when
    response = client.post(REGISTER_URL, registration(email="", phone="+84 912 345 678"))
    # then
    assert response.status_code == 302
    user = User.objects.get(username="0912345678")
    assert (user.phone, user.email) == ("0912345678", "")
    client.logout()
    login = client.post("/login/", {"username": "+84912345678", "password": PASSWORD})
    assert login.status_code == 302
    assert logged_in_user(client) == user


def test_business_registers_with_its_tax_code(world, client):
    response = client.post(
        REGISTER_URL,
        registration(account_kind="organisation", id_number="", tax_code="0100109106"),
    )
    assert response.status_code == 302
    profile = CitizenProfile.objects.get(user__username="lan.nguyen@example.vn")
    assert (profile.kind, profile.tax_code, profile.id_number) == ("organisation", "0100109106", "")


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        # demo-citizen's address, typed in another case
        ({"email": "Citizen@Example.vn"}, "email", "email_taken"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "password_too_common"),
        ({"password2": "something-else-2026"}, "password2", ""),
        ({"id_number": "12345"}, "id_number", "invalid_id_number"),
        ({"id_number": "099190012345"}, "id_number", "invalid_id_number"),  # no province 099
        ({"id_number": ""}, "id_number", ""),
        ({"account_kind": "organisation", "tax_code": "12-34"}, "tax_code", "invalid_tax_code"),
        ({"email": "", "phone": ""}, "email", ""),
        ({"email": "", "phone": "0212345678"}, "phone", "invalid_phone"),  # a landline
        # a valid address but not a valid username: the service's refusal lands on the field
        ({"email": "o'neil@example.vn"}, "email", "invalid"),
        ({"email": "", "phone": "0987654321"}, "phone", "phone_taken"),  # a staff member's phone
    ],
)
def test_refused_registration_names_the_field_and_creates_nothing(
    world, client, overrides, field, code
):
    """Each refusal shows on its field, and no user or profile is left behind."""
    # given
    User.objects.filter(username="demo-desk").update(phone="0987654321")
    users, profiles = User.objects.count(), CitizenProfile.objects.count()
    # when
    response = client.post(REGISTER_URL, registration(**overrides))
    # then
    assert response.status_code == 200
    codes = error_codes(response, field)
    assert codes, response.context["form"].errors
    if code:
        assert code in codes
    assert (User.objects.count(), CitizenProfile.objects.count()) == (users, profiles)
    assert logged_in_user(client) is None


def test_duplicate_phone_is_refused_on_the_phone_field(world, client):
    # given
    client.post(REGISTER_URL, registration(email="", phone="0912345678"))
    client.logout()
    users = User.objects.count()
    # when
    response = client.post(REGISTER_URL, registration(email="", phone="+84912345678"))
    # then
    assert error_codes(response, "phone") == ["phone_taken"]
    assert User.objects.count() == users


def test_service_refuses_duplicates_for_any_caller(world):
    """The API or a CLI calling the service gets the same refusal as the form."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        citizen_register(
            kind="person",
            full_name="Someone Else",
            email="CITIZEN@example.vn",
            id_number="031190012345",
            password=PASSWORD,
        )
    assert refused.value.error_dict["email"][0].code == "email_taken"


# Lockout


ATTACKER_IP = "203.113.7.9"
OFFICE_IP = "14.160.32.5"


def attempt(client, username: str, password: str, url: str = "/login/", ip: str = "127.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def lock_error(response) -> bool:
    return any(
        e.code == "locked" for e in response.context["form"].errors.as_data().get("__all__", [])
    )


def test_five_failures_lock_the_username_even_with_the_right_password(world, client):
    """After 5 wrong passwords the right one is refused too, whatever the case of the name."""
    # given
    for _ in range(5):
        assert attempt(client, "demo-citizen", "wrong-password").status_code == 200
    # when
    response = attempt(client, "DEMO-Citizen", DEMO_PASSWORD)
    # then
    assert response.status_code == 200
    assert lock_error(response)
    assert logged_in_user(client) is None
    counted = AccessAttempt.objects.get(username="demo-citizen", ip_address="127.0.0.1")
    # the refused attempt is not counted, so the lock still ends 15 minutes after the 5th
    assert counted.failures_since_start == 5
    assert not AccessLog.objects.filter(username="demo-citizen").exists()


def test_lock_ends_after_the_window(world, client):
    # given
    for _ in range(5):
        attempt(client, "demo-citizen", "wrong-password")
    assert lock_error(attempt(client, "demo-citizen", DEMO_PASSWORD))
    # when fifteen minutes and a second have passed
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - dt.timedelta(minutes=15, seconds=1)
    )
    # then
    response = attempt(client, "demo-citizen", DEMO_PASSWORD)
    assert response.status_code == 302
    assert logged_in_user(client) == world.user("demo-citizen")


def test_a_success_resets_the_failure_count(world, client):
    # given four failures, a success, then four more failures
    for _ in range(4):
        attempt(client, "demo-citizen", "wrong-password")
    assert attempt(client, "demo-citizen", DEMO_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, "demo-citizen", "wrong-password")
    # when
    response = attempt(client, "demo-citizen", DEMO_PASSWORD)
    # then
    assert response.status_code == 302
    assert locked_until(username="demo-citizen", ip="127.0.0.1") is None


@override_settings(MOTCUA_LOGIN_MAX_FAILURES=3, MOTCUA_LOGIN_LOCKOUT_MINUTES=1)
def test_limits_come_from_settings(world, client):
    for _ in range(3):
        attempt(client, "demo-citizen", "wrong-password")
    assert lock_error(attempt(client, "demo-citizen", DEMO_PASSWORD))
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - dt.timedelta(minutes=1, seconds=1)
    )
    assert attempt(client, "demo-citizen", DEMO_PASSWORD).status_code == 302


def test_admin_login_shares_the_lockout(world, client):
    """Guessing at /login/ then switching to /admin/login/ gains nothing."""
    # given
    for _ in range(5):
        attempt(client, "admin", "wrong-password")
    # when
    response = attempt(client, "admin", DEMO_PASSWORD, url="/admin/login/")
    # then
    assert response.status_code == 200
    assert lock_error(response)
    assert logged_in_user(client) is None


def test_unknown_usernames_lock_too(world, client):
    """Unknown and known usernames answer alike, so the lock reveals no account."""
    for _ in range(5):
        attempt(client, "nobody@example.vn", "wrong-password")
    assert lock_error(attempt(client, "nobody@example.vn", "wrong-password"))


@pytest.mark.parametrize("url", ["/login/", "/admin/login/"])
def test_a_strangers_failures_do_not_lock_the_official_out(world, client, url):
    """Usernames of officials are predictable: five wrong guesses from one address lock that
    address only; the official logs in from the office as usual."""
    # given an attacker fails five times as the province's administrator
    for _ in range(5):
        attempt(client, "admin", "wrong-password", url=url, ip=ATTACKER_IP)
    # when the administrator logs in from the office
    response = attempt(client, "admin", DEMO_PASSWORD, url=url, ip=OFFICE_IP)
    # then
    assert response.status_code == 302
    assert logged_in_user(client) == world.user("admin")


def test_the_attackers_address_stays_locked_even_with_the_right_password(world, client):
    # given
    for _ in range(5):
        attempt(client, "admin", "wrong-password", ip=ATTACKER_IP)
    # when the attacker finally has the password, and when the official logs in meanwhile
    refused = attempt(client, "admin", DEMO_PASSWORD, ip=ATTACKER_IP)
    assert attempt(client, "admin", DEMO_PASSWORD, ip=OFFICE_IP).status_code == 302
    # then the attacker is still refused: the official's success clears only the office's count
    client.logout()
    again = attempt(client, "admin", DEMO_PASSWORD, ip=ATTACKER_IP)
    assert refused.status_code == again.status_code == 200
    assert lock_error(refused) and lock_error(again)
    assert locked_until(username="admin", ip=ATTACKER_IP) is not None
    assert locked_until(username="admin", ip=OFFICE_IP) is None


def test_the_lockout_message_is_vietnamese_and_says_until_when(world, client):
    for _ in range(5):
        attempt(client, "demo-citizen", "wrong-password")
    html = attempt(client, "demo-citizen", DEMO_PASSWORD).content.decode()
    until = timezone.localtime(locked_until(username="demo-citizen", ip="127.0.0.1"))
    assert "đăng nhập sai quá nhiều lần" in html
    assert until.strftime("%H:%M") in html


# Password reset


def test_password_reset_email_link_sets_a_new_password(world, client):
    # given
    client.post(REGISTER_URL, registration())
    client.logout()
    # when
    response = client.post(RESET_URL, {"email": "lan.nguyen@example.vn"})
    # then
    assert response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lan.nguyen@example.vn"]
    assert "Đặt lại mật khẩu" in message.subject
    assert "(English)" in message.body
    found = re.search(r"https?://[^/\s]+(/tai-khoan/quen-mat-khau/\S+/)", str(message.body))
    assert found is not None
    link = found.group(1)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    new_password = "Mat-khau-moi-2026"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done["Location"] == "/tai-khoan/quen-mat-khau/xong/"
    assert User.objects.get(username="lan.nguyen@example.vn").check_password(new_password)
    assert attempt(client, "lan.nguyen@example.vn", new_password).status_code == 302


def test_demo_accounts_cannot_reset_their_password(world, client):
    """The demo password is published; nobody may change it by email. The page says the same
    as for any address, so it reveals nothing."""
    # when
    response = client.post(RESET_URL, {"email": "citizen@example.vn"})
    # then
    assert response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    assert mail.outbox == []
    assert world.user("demo-citizen").check_password(DEMO_PASSWORD)


def test_demo_account_reset_link_is_refused(world, client):
    """Even a link made by hand for a demo account cannot set its password."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = world.user("demo-citizen")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    page = client.get(f"{RESET_URL}{uid}/{token}/", follow=True)
    response = client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
    )
    assert response.status_code == 200
    assert world.user("demo-citizen").check_password(DEMO_PASSWORD)


# Single sign-on


class FakeIdentityProvider:
    """A test-only stand-in for VNeID: its 'login page' is the test itself, which sends the
    browser back with ?code=<person> as an OIDC provider would send an authorization code."""

    PEOPLE = {
        "an": ExternalIdentity(
            subject="vneid-sub-0001",
            full_name="Trần Văn An",
            id_number="031095000111",
            email="an.tran@example.vn",
            phone="+84 987 654 321",
        ),
        "citizen-lookalike": ExternalIdentity(
            subject="vneid-sub-0002", full_name="Vũ Đức Anh", email="citizen@example.vn"
        ),
    }

    def __init__(self, *, code: str, name: str, authorize_endpoint: str) -> None:
        self.code = code
        self.name = name
        self.authorize_endpoint = authorize_endpoint

    def authorization_url(self, request: HttpRequest, state: str) -> str:
        callback = request.build_absolute_uri(reverse("accounts:sso_callback", args=[self.code]))
        return f"{self.authorize_endpoint}?state={state}&redirect_uri={callback}"

    def authenticate_callback(self, request: HttpRequest) -> ExternalIdentity:
        person = self.PEOPLE.get(request.GET.get("code", ""))
        if person is None:
            raise IdentityError("The provider refused the login.")
        return person


FAKE_PROVIDERS = {
    "fake": {
        "class": "motcua.portal.tests.test_accounts.FakeIdentityProvider",
        "name": "VNeID (test)",
        "options": {"authorize_endpoint": "https://id.example.test/authorize"},
    }
}


def sso_login(client, person: str, *, tamper_state: bool = False):
    start = client.get("/tai-khoan/sso/fake/")
    assert start.status_code == 302
    assert start["Location"].startswith("https://id.example.test/authorize?")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    if tamper_state:
        state = "forged-" + state
    return client.get("/tai-khoan/sso/fake/callback/", {"state": state, "code": person})


@override_settings(MOTCUA_IDENTITY_PROVIDERS=FAKE_PROVIDERS)
def test_sso_creates_one_citizen_account_and_reuses_it(world, client):
    """The first login creates and links a citizen account; later logins land in the same one."""
    # given
    users = User.objects.count()
    # when
    first = sso_login(client, "an")
    # then
    assert first.status_code == 302
    user = logged_in_user(client)
    assert user is not None
    assert user is not None and user.role == "citizen"
    assert (user.full_name, user.email, user.phone) == (
        "Trần Văn An",
        "an.tran@example.vn",
        "0987654321",
    )
    assert not user.has_usable_password()
    assert user.citizen_profile.id_number == "031095000111"
    # when logging in again
    client.logout()
    second = sso_login(client, "an")
    # then
    assert second.status_code == 302
    assert logged_in_user(client) == user
    assert User.objects.count() == users + 1
    assert ExternalAccount.objects.filter(provider="fake").count() == 1
    assert ExternalAccount.objects.get(provider="fake").user == user


@override_settings(MOTCUA_IDENTITY_PROVIDERS=FAKE_PROVIDERS)
def test_sso_never_links_by_a_matching_email(world, client):
    """An address typed at registration is unverified, so it does not join accounts."""
    sso_login(client, "citizen-lookalike")
    user = logged_in_user(client)
    assert user is not None
    assert user != world.user("demo-citizen")
    assert user.email == ""  # the address already belongs to another account


@override_settings(MOTCUA_IDENTITY_PROVIDERS=FAKE_PROVIDERS)
def test_logged_in_citizen_links_their_account(world, client):
    # given
    client.post(REGISTER_URL, registration())
    me = logged_in_user(client)
    assert me is not None
    # when
    sso_login(client, "an")
    client.logout()
    sso_login(client, "an")
    # then
    assert logged_in_user(client) == me
    assert ExternalAccount.objects.get(provider="fake", subject="vneid-sub-0001").user == me


@override_settings(MOTCUA_IDENTITY_PROVIDERS=FAKE_PROVIDERS)
def test_sso_refuses_a_forged_state_or_a_refusal(world, client):
    for response in (sso_login(client, "an", tamper_state=True), sso_login(client, "nobody")):
        assert response.status_code == 302
        assert response["Location"] == "/login/"
        assert logged_in_user(client) is None
    assert not ExternalAccount.objects.exists()


@override_settings(MOTCUA_IDENTITY_PROVIDERS=FAKE_PROVIDERS)
def test_login_page_offers_the_providers_and_the_account_links(world, client):
    html = client.get("/login/").content.decode()
    assert 'href="/tai-khoan/sso/fake/"' in html
    assert 'href="/tai-khoan/dang-ky/"' in html
    assert 'href="/tai-khoan/quen-mat-khau/"' in html


def test_unknown_provider_is_404(world, client):
    assert client.get("/tai-khoan/sso/vneid/").status_code == 404
    assert client.get("/tai-khoan/sso/vneid/callback/").status_code == 404


def test_account_pages_render(world, client):
    for url in (REGISTER_URL, RESET_URL, "/tai-khoan/quen-mat-khau/da-gui/"):
        assert client.get(url).status_code == 200


@override_settings(MOTCUA_IDENTITY_PROVIDERS=FAKE_PROVIDERS)
def test_identity_provider_login_ends_the_lockout(world, client):
    """Locked out of the password login, the citizen logs in through VNeID instead; afterwards
    the password works again from that address."""
    # given a citizen with a linked VNeID identity, locked out of the password login
    client.post(REGISTER_URL, registration())
    me = logged_in_user(client)
    assert me is not None
    sso_login(client, "an")
    client.logout()
    for _ in range(5):
        attempt(client, me.username, "wrong-password")
    assert lock_error(attempt(client, me.username, PASSWORD))
    # when
    sso_login(client, "an")
    client.logout()
    # then
    assert attempt(client, me.username, PASSWORD).status_code == 302
    assert logged_in_user(client) == me
