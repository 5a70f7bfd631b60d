"""client_ip: the one answer to "who sent this request", behind a proxy or not; and the
options `motcua serve` hands waitress."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management.base import CommandError
from django.test import RequestFactory

from motcua.common.clientip import client_ip
from motcua.common.management.commands.serve import waitress_options


def request_from(remote: str, forwarded: str | None = None):
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/tra-cuu/", **extra)


def test_a_client_not_behind_a_trusted_proxy_cannot_claim_another_address(settings):
    settings.MOTCUA_TRUSTED_PROXIES = ["10.0.0.2"]

    assert client_ip(request_from("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_the_trusted_proxy_the_hop_it_wrote_is_the_client(settings):
    settings.MOTCUA_TRUSTED_PROXIES = ["10.0.0.2"]
    settings.MOTCUA_TRUSTED_PROXY_COUNT = 1

    # the client forged the first hop; nginx appended the address it saw
    assert client_ip(request_from("10.0.0.2", "198.51.100.1, 203.0.113.7")) == "203.0.113.7"


def test_two_proxies_deep_the_load_balancers_hop_is_the_client(settings):
    settings.MOTCUA_TRUSTED_PROXIES = ["10.0.0.2"]
    settings.MOTCUA_TRUSTED_PROXY_COUNT = 2

    assert client_ip(request_from("10.0.0.2", "1.1.1.1, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"


def test_without_a_proxy_setting_remote_addr_is_the_client(settings):
    settings.MOTCUA_TRUSTED_PROXIES = []

    assert client_ip(request_from("127.0.0.1", "203.0.113.7")) == "127.0.0.1"


def test_serve_passes_the_trusted_proxy_to_waitress(settings):
    settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.MOTCUA_TRUSTED_PROXY_COUNT = 1

    options = waitress_options()

    assert options["trusted_proxy"] == "127.0.0.1"
    assert options["trusted_proxy_headers"] == {
        "x-forwarded-for",
        "x-forwarded-proto",
        "x-forwarded-host",
        "x-forwarded-port",
    }
    settings.MOTCUA_TRUSTED_PROXIES = []
    assert waitress_options() == {}


def test_serve_refuses_several_proxies_waitress_cannot_trust(settings):
    settings.MOTCUA_TRUSTED_PROXIES = ["10.0.0.2", "10.0.0.3"]

    with pytest.raises(CommandError, match="lists 2 addresses"):
        waitress_options()
