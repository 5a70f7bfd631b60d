"""Production behind a real TLS reverse proxy: Debian's nginx, with the site block from
docs/operations.md, in front of `motcua serve` under settings.production.

Pins: no redirect loop and HSTS over HTTPS; plain HTTP is redirected; a login POST passes the
CSRF origin check; rate limits count the client nginx saw (each test client connects from its
own loopback address, 127.0.0.5 and 127.0.0.6), a forged X-Forwarded-For changes nothing, and
X-Forwarded-* sent straight to motcua by anyone but the proxy is ignored."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from .conftest import CHECKOUT, clean_env, free_port, test_database_env, wait_for_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
OPERATIONS = CHECKOUT / "docs" / "operations.md"
PASSWORD = "Hai-Phong-2026!"
ATTACKER, NEIGHBOUR = "127.0.0.5", "127.0.0.6"


def documented_site(*, tls: int, plain: int, app: int, cert: Path, key: Path) -> str:
    """The ```nginx block of docs/operations.md with this test's ports and certificate."""
    text = OPERATIONS.read_text(encoding="utf-8")
    block = re.search(r"```nginx\n(.*?)```", text, re.DOTALL)
    assert block, "docs/operations.md: no ```nginx block"
    site = block.group(1)
    replacements = {
        "listen 443 ssl;": f"listen 127.0.0.1:{tls} ssl;",
        "listen 80;": f"listen 127.0.0.1:{plain};",
        "server_name dichvucong.haiphong.gov.vn;": "server_name localhost;",
        "/etc/ssl/motcua/fullchain.pem": str(cert),
        "/etc/ssl/motcua/privkey.pem": str(key),
        "proxy_pass http://127.0.0.1:8000;": f"proxy_pass http://127.0.0.1:{app};",
    }
    for old, new in replacements.items():
        assert old in site, f"docs/operations.md's nginx block no longer has {old!r}"
        site = site.replace(old, new)
    return site


def nginx_conf(tmp: Path, site: str) -> str:
    temp = "\n".join(
        f"    {kind}_temp_path {tmp / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root root;" if os.geteuid() == 0 else ""
    return (
        f"{user}\nworker_processes 1;\npid {tmp / 'nginx.pid'};\n"
        f"error_log {tmp / 'error.log'} warn;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n    access_log off;\n{temp}\n{site}\n}}\n"
    )


def self_signed_certificate(tmp: Path) -> tuple[Path, Path]:
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


class Client:
    """HTTP(S) from a chosen loopback source address, so nginx sees distinct clients."""

    def __init__(self, port: int, *, source: str, tls: ssl.SSLContext | None) -> None:
        self.port, self.source, self.tls = port, source, tls
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, headers=None, body=None):
        raw = socket.create_connection(
            ("127.0.0.1", self.port), timeout=30, source_address=(self.source, 0)
        )
        conn = http.client.HTTPConnection("localhost", self.port, timeout=30)
        conn.sock = self.tls.wrap_socket(raw, server_hostname="localhost") if self.tls else raw
        sent = {"Host": f"localhost:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        conn.close()
        return response, data


@pytest.fixture
def behind_nginx(transactional_db, world, tmp_path, run_server):
    if not Path(NGINX).exists():
        pytest.fail("nginx not found: `make test` installs nginx-light with apt")
    tls, plain, app = free_port(), free_port(), free_port()
    cert, key = self_signed_certificate(tmp_path)
    env = clean_env(
        DJANGO_SETTINGS_MODULE="motcua.settings.production",
        MOTCUA_SECRET_KEY="production-test-" + "x" * 40,
        MOTCUA_ALLOWED_HOSTS="localhost",
        MOTCUA_PUBLIC_URL=f"https://localhost:{tls}",
        MOTCUA_TRUSTED_PROXIES="127.0.0.1",
        MOTCUA_THROTTLES=json.dumps({"track": {"limit": 3, "window": 600}}),
        MOTCUA_VAR_DIR=str(tmp_path / "var"),
        MOTCUA_PORT=str(app),
        **test_database_env(),
    )
    run_server(env, app)
    (tmp_path / "nginx.conf").write_text(
        nginx_conf(tmp_path, documented_site(tls=tls, plain=plain, app=app, cert=cert, key=key))
    )
    nginx = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
         "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        wait_for_port(tls, nginx)
        context = ssl.create_default_context(cafile=str(cert))
        yield {"tls": tls, "plain": plain, "app": app, "context": context}
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


def test_pages_load_over_https_with_hsts_and_no_redirect_loop(behind_nginx):
    client = Client(behind_nginx["tls"], source=NEIGHBOUR, tls=behind_nginx["context"])

    response, body = client.request("GET", "/thu-tuc/")

    assert response.status == 200, (response.status, response.getheader("Location"))
    assert response.getheader("Strict-Transport-Security").startswith("max-age=31536000")
    assert "thu-tuc" in body


def test_plain_http_is_sent_to_https(behind_nginx):
    client = Client(behind_nginx["plain"], source=NEIGHBOUR, tls=None)

    response, _ = client.request("GET", "/thu-tuc/")

    assert response.status == 301
    assert response.getheader("Location") == "https://localhost/thu-tuc/"


def test_forwarded_headers_straight_to_motcua_are_not_believed(behind_nginx):
    """Someone reaching the app port directly cannot pose as HTTPS through the proxy."""
    client = Client(behind_nginx["app"], source=ATTACKER, tls=None)

    response, _ = client.request(
        "GET",
        "/thu-tuc/",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"},
    )

    assert response.status == 301  # settings.production's redirect: it is plain HTTP


def test_login_post_through_the_proxy(behind_nginx, django_user_model):
    # given: an officer with a real password (demo accounts are refused in production)
    # (hashed as production hashes: the suite's own fast hasher is not in production's list)
    django_user_model.objects.create(
        username="tran.thi.binh",
        password=PBKDF2PasswordHasher().encode(PASSWORD, "muoi-haiphong"),
        first_name="Bình",
        last_name="Trần Thị",
    )
    origin = f"https://localhost:{behind_nginx['tls']}"
    client = Client(behind_nginx["tls"], source=NEIGHBOUR, tls=behind_nginx["context"])
    _, page = client.request("GET", "/login/")
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None
    token = found.group(1)

    # when
    response, answer = client.request(
        "POST",
        "/login/",
        headers={
            "Origin": origin,
            "Referer": f"{origin}/login/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=urlencode(
            {"username": "tran.thi.binh", "password": PASSWORD, "csrfmiddlewaretoken": token}
        ),
    )

    # then
    assert response.status == 302, re.findall(r'(?s)role="alert".{0,300}', answer)
    assert "sessionid" in client.cookies
    assert any("sessionid=" in c and "Secure" in c for c in response.headers.get_all("Set-Cookie"))


def test_rate_limits_count_the_real_client_not_the_proxy(behind_nginx):
    attacker = Client(behind_nginx["tls"], source=ATTACKER, tls=behind_nginx["context"])
    neighbour = Client(behind_nginx["tls"], source=NEIGHBOUR, tls=behind_nginx["context"])
    guess = "/tra-cuu/?code=000.00.31.H26-260213-0001&key=ABCD1234"

    # when: the attacker guesses four times, forging a new X-Forwarded-For each time
    statuses = [
        attacker.request("GET", guess, headers={"X-Forwarded-For": f"198.51.100.{n}"})[0].status
        for n in range(4)
    ]
    neighbour_status = neighbour.request("GET", guess)[0].status

    # then: the limit of 3 stops the attacker only
    assert statuses[:3] == [404, 404, 404]
    assert statuses[3] == 429
    assert neighbour_status == 404
