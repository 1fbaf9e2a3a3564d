"""The workbench answers only to the Host names of the address it is bound to (DNS rebinding:
a page of another site whose name is rebound to 127.0.0.1 must not read or change the store),
and every response carries the pages' content security policy; the icon browsers ask for is served."""
from __future__ import annotations

import pytest

from web.security import CONTENT_SECURITY_POLICY, hosts_for
from web_fixtures import client_for


@pytest.mark.parametrize("bound, names", [
    ("127.0.0.1", ["127.0.0.1", "localhost", "::1", "[::1]"]),
    ("localhost", ["127.0.0.1", "localhost", "::1", "[::1]"]),
    ("::1", ["127.0.0.1", "localhost", "::1", "[::1]"]),
    ("10.0.0.5", ["10.0.0.5", "127.0.0.1", "localhost", "::1", "[::1]"]),
    ("audit.example.ru", ["audit.example.ru", "127.0.0.1", "localhost", "::1", "[::1]"]),
    ("0.0.0.0", None),
    ("::", None),
])
def test_hosts_for(bound, names):
    assert hosts_for(bound) == names


@pytest.mark.parametrize("host, answered", [
    ("127.0.0.1:8000", True),
    ("localhost:8765", True),
    ("127.0.0.1", True),
    ("rebind.evil.example:8000", False),
    ("127.0.0.1.evil.example", False),
    ("", False),
])
def test_a_foreign_host_is_refused(filled_store, host, answered):
    with client_for(filled_store["url"], allowed_hosts=hosts_for("127.0.0.1")) as client:
        response = client.get("/api/documents", headers={"Host": host})
        assert (response.status_code == 200) == answered, response.status_code
        if not answered:
            assert response.status_code == 400
            posted = client.post("/api/corrections", headers={"Host": host, "Origin": f"http://{host}"},
                                 json={"act_id": "x", "milestone_id": "y", "field": "status", "value": "on_time"})
            assert posted.status_code == 400


def test_every_response_carries_the_content_security_policy(filled_store):
    with client_for(filled_store["url"]) as client:
        for path in ("/", "/review", "/ledger", "/api/documents"):
            assert client.get(path).headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in \
            CONTENT_SECURITY_POLICY.split("script-src", 1)[1].split(";", 1)[0]


def test_the_icon_is_served(filled_store):
    with client_for(filled_store["url"]) as client:
        assert 'rel="icon" href="/static/favicon.svg"' in client.get("/").text
        icon = client.get("/favicon.ico")
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
        assert [r.status_code for r in icon.history] == [301]
