"""Logins: throttling by account and by address, the audit of logins, password changes, timeouts."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from presence.core.auth import SESSION_SEEN, SESSION_STARTED, client_address
from presence.core.models import AuditEntry

PASSWORD = "a-long-and-Unusual-passphrase"
THROTTLED = override_settings(
    AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, AXES_COOLOFF_TIME=dt.timedelta(minutes=15)
)


@pytest.fixture
def person(reference, make_user):
    user = make_user("moussa", ("viewer",), superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def _log_in(client, url, username, password, address="127.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@THROTTLED
@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_thirty_wrong_passwords_then_the_right_one_are_refused(person, client, url):
    for _attempt in range(30):
        assert _log_in(client, url, "moussa", "wrong").status_code in (200, 429)
    response = _log_in(client, url, "moussa", PASSWORD)
    assert response.status_code == 429
    assert not _logged_in(client)
    assert "Too many failed logins" in response.content.decode()
    assert "Try again in 15 minutes" in response.content.decode()


@THROTTLED
def test_an_account_is_locked_whatever_address_the_attempts_come_from(person, client):
    for attempt in range(6):
        _log_in(client, "/accounts/login/", "moussa", "wrong", address=f"10.0.0.{attempt + 1}")
    response = _log_in(client, "/accounts/login/", "moussa", PASSWORD, address="10.0.1.1")
    assert response.status_code == 429
    assert not _logged_in(client)


@THROTTLED
def test_an_address_is_locked_whatever_account_it_tries(person, make_user, client):
    for attempt in range(6):
        _log_in(client, "/accounts/login/", f"guess{attempt}", "wrong", address="192.0.2.7")
    response = _log_in(client, "/accounts/login/", "moussa", PASSWORD, address="192.0.2.7")
    assert response.status_code == 429
    assert not _logged_in(client)
    assert _log_in(client, "/accounts/login/", "moussa", PASSWORD, address="192.0.2.8").status_code == 302
    assert _logged_in(client)


@THROTTLED
def test_the_lockout_lifts_after_the_cool_off_time(person, client):
    for _attempt in range(6):
        _log_in(client, "/accounts/login/", "moussa", "wrong")
    assert _log_in(client, "/accounts/login/", "moussa", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _log_in(client, "/accounts/login/", "moussa", PASSWORD).status_code == 302
    assert _logged_in(client)


@THROTTLED
def test_an_administrator_lifts_the_lockout(person, client):
    for _attempt in range(6):
        _log_in(client, "/accounts/login/", "moussa", "wrong")
    assert _log_in(client, "/accounts/login/", "moussa", PASSWORD).status_code == 429
    call_command("axes_reset_username", "moussa")
    call_command("axes_reset_ip", "127.0.0.1")
    assert _log_in(client, "/accounts/login/", "moussa", PASSWORD).status_code == 302
    assert _logged_in(client)


def test_failed_and_successful_logins_and_logouts_are_in_the_audit_trail(person, client):
    _log_in(client, "/accounts/login/", "moussa", "wrong-password-1", address="198.51.100.4")
    _log_in(client, "/accounts/login/", "nobody", "wrong-password-2", address="198.51.100.4")
    _log_in(client, "/admin/login/", "moussa", PASSWORD, address="198.51.100.5")
    client.post("/accounts/logout/")
    entries = list(AuditEntry.objects.filter(action__in=["login", "login_failed", "logout"]).order_by("id"))
    assert [(e.action, e.object_repr, e.actor) for e in entries] == [
        ("login_failed", "moussa", None),
        ("login_failed", "nobody", None),
        ("login", "moussa", person),
        ("logout", "moussa", person),
    ]
    assert entries[0].object_id == str(person.pk)
    assert entries[1].object_id == ""
    assert entries[0].changes == {"address": [None, "198.51.100.4"]}
    assert entries[2].changes == {"address": [None, "198.51.100.5"]}
    stored = str([(e.changes, e.object_repr, e.reason) for e in entries])
    assert "wrong-password" not in stored
    assert PASSWORD not in stored


@override_settings(TRUSTED_PROXIES=1)
def test_behind_a_trusted_proxy_the_address_is_the_one_it_reports(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    assert client_address(request) == "203.0.113.9"


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_address(request) == "10.0.0.2"


def test_every_user_changes_their_own_password_on_a_page_of_the_site(person, client):
    client.force_login(person)
    account = client.get("/org/account/")
    assert b'href="/accounts/password/"' in account.content
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert b'class="main-nav"' in page.content
    done = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Another-long-passphrase-7",
            "new_password2": "Another-long-passphrase-7",
        },
    )
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/done/"
    person.refresh_from_db()
    assert person.check_password("Another-long-passphrase-7")
    assert _logged_in(client)


def test_a_weak_new_password_is_refused_at_its_field(person, client):
    client.force_login(person)
    page = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "98761234", "new_password2": "98761234"},
    )
    assert page.status_code == 200
    errors = page.context["form"].errors["new_password2"]
    assert any("too short" in error for error in errors)
    assert any("entirely numeric" in error for error in errors)
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_the_anonymous_visitor_is_sent_to_log_in_before_changing_a_password(client):
    response = client.get("/accounts/password/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("password", ["98761234", "short-pass1", "password1234", "moussa@example"], ids=str)
def test_weak_passwords_are_refused(person, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=person)


def test_a_long_unusual_password_is_accepted(person):
    validate_password("Another-long-passphrase-7", user=person)


def _aged(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = session[key] - ago
    session.save()


@override_settings(SESSION_IDLE_TIMEOUT=1800)
def test_a_session_idle_longer_than_the_timeout_ends(person, client):
    client.force_login(person)
    assert client.get("/org/account/").status_code == 200
    _aged(client, **{SESSION_SEEN: 1000})
    assert client.get("/org/account/").status_code == 200
    _aged(client, **{SESSION_SEEN: 1801})
    response = client.get("/org/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert AuditEntry.objects.filter(action="logout", reason="idle").count() == 1


@override_settings(SESSION_IDLE_TIMEOUT=1800, SESSION_MAX_LIFETIME=7200)
def test_an_active_session_still_ends_at_its_maximum_lifetime(person, client):
    client.force_login(person)
    assert client.get("/org/account/").status_code == 200
    _aged(client, **{SESSION_STARTED: 7201})
    response = client.get("/org/account/")
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="logout", reason="lifetime").count() == 1


def test_an_active_session_is_kept_alive(person, client):
    client.force_login(person)
    assert client.get("/org/account/").status_code == 200
    _aged(client, **{SESSION_SEEN: 120, SESSION_STARTED: 120})
    assert client.get("/org/account/").status_code == 200
    assert client.session[SESSION_SEEN] > client.session[SESSION_STARTED]


@THROTTLED
def test_the_demo_users_log_in_with_the_demo_password(reference, client):
    from presence.org import demo

    demo.load()
    response = _log_in(client, "/accounts/login/", "afr.editor", demo.DEMO_PASSWORD)
    assert response.status_code == 302
    assert _logged_in(client)
