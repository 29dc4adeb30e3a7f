"""The production configuration: settings from the environment, the deploy check, the gunicorn server."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from presence.env import EnvReader

ROOT = Path(__file__).resolve().parents[2]
PRESENCE = Path(sys.executable).with_name("presence")


def production_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A minimal production environment for a subprocess, with its data under tmp_path."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "HOME": str(tmp_path),
        "PRESENCE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "PRESENCE_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'presence.sqlite3'}",
        **extra,
    }


def documented_production_environment() -> dict[str, str]:
    """The variables of the "Production environment" block in docs/operations.md."""
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    section = text.split("### Production environment", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return dict(line.split("=", 1) for line in block.splitlines() if line and not line.startswith("#"))


def settings_in_subprocess(environment: dict[str, str], *names: str) -> subprocess.CompletedProcess[str]:
    values = ", ".join(f"repr(s.{name})" for name in names)
    code = f"import presence.settings as s; print({values}, sep='\\n')"
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=False
    )


def test_production_refuses_to_start_with_debug_on(tmp_path):
    result = settings_in_subprocess(production_environment(tmp_path, DEBUG="1"), "DEBUG")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG" in result.stderr


def test_security_settings_are_read_from_the_environment(tmp_path):
    environment = production_environment(
        tmp_path,
        SECURE_HSTS_SECONDS="3600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        SECURE_HSTS_PRELOAD="yes",
        SECURE_SSL_REDIRECT="0",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto,https",
        CSRF_TRUSTED_ORIGINS="https://presence.example.org",
        SESSION_COOKIE_SECURE="0",
    )
    result = settings_in_subprocess(
        environment,
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "CSRF_TRUSTED_ORIGINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "3600",
        "True",
        "True",
        "False",
        "('HTTP_X_FORWARDED_PROTO', 'https')",
        "['https://presence.example.org']",
        "False",
        "True",
    ]


def test_proxy_ssl_header_without_a_value_names_the_variable():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="SECURE_PROXY_SSL_HEADER"):
        EnvReader({"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}).get_header_pair("SECURE_PROXY_SSL_HEADER")
    with pytest.raises(ImproperlyConfigured, match="SECURE_PROXY_SSL_HEADER"):
        EnvReader({"SECURE_PROXY_SSL_HEADER": "X Forwarded,https"}).get_header_pair("SECURE_PROXY_SSL_HEADER")


def test_proxy_ssl_header_accepts_the_meta_name_too():
    reader = EnvReader({"SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_SSL,on"})
    assert reader.get_header_pair("SECURE_PROXY_SSL_HEADER") == ("HTTP_X_FORWARDED_SSL", "on")
    assert EnvReader({}).get_header_pair("SECURE_PROXY_SSL_HEADER") is None


def test_deploy_check_with_the_documented_production_environment_prints_no_warning(tmp_path):
    documented = documented_production_environment()
    assert documented["PRESENCE_ENV"] == "production"
    environment = {
        **documented,
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
        "PRESENCE_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603 - the project's own command
        [str(PRESENCE), "check", "--deploy"], env=environment, capture_output=True, text=True, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output
    assert "System check identified no issues" in output


@pytest.mark.django_db
def test_every_response_carries_a_content_security_policy_without_inline_scripts(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert "unsafe" not in directives["script-src"]


def test_templates_have_no_inline_scripts_or_event_handlers():
    offenders = []
    for template in (ROOT / "src" / "presence").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0) and 'type="application/json"' not in match.group(0):
                offenders.append(f"{template.name}: {match.group(0)}")
        offenders += [f"{template.name}: {m.group(0)}" for m in re.finditer(r"\son[a-z]+\s*=", text)]
    assert offenders == []


@pytest.mark.django_db
def test_api_docs_use_the_packaged_swagger_ui(admin_client):
    page = admin_client.get("/api/docs").content.decode()
    assert "cdn.jsdelivr.net" not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "/static/ninja/swagger-ui-init.js" in page


@pytest.mark.django_db
def test_api_docs_switch_off_the_online_validator_badge(admin_client):
    page = admin_client.get("/api/docs").content.decode()
    settings_json = page.split('id="swagger-settings">', 1)[1].split("</script>", 1)[0]
    assert json.loads(settings_json)["validatorUrl"] is None


def test_serve_production_refuses_to_run_with_debug_on(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("serve", production=True)


def test_serve_production_reads_workers_threads_and_address_from_the_environment():
    from presence.core.management.commands.serve import production_options

    options = production_options(
        EnvReader({"WEB_CONCURRENCY": "3", "WEB_THREADS": "1", "PORT": "9001", "BIND_ADDRESS": "10.0.0.5"})
    )
    assert options["bind"] == "10.0.0.5:9001"
    assert options["workers"] == 3
    assert options["worker_class"] == "sync"
    assert production_options(EnvReader({"BIND_ADDRESS": "::"}))["bind"] == "[::]:8000"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str, **headers: str) -> Any:
    """GET through the proxy's eyes: the request arrived over HTTPS."""
    headers = {"X-Forwarded-Proto": "https", **headers}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - 127.0.0.1 only
    return urllib.request.urlopen(request, timeout=10)  # noqa: S310


def plain_http_get(url: str) -> Any:
    """GET without the proxy's header and without following redirects."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    connection.request("GET", parts.path)
    response = connection.getresponse()
    connection.close()
    return response


@pytest.fixture(scope="module")
def production_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """`presence serve --production` on 127.0.0.1 with a fresh SQLite database; yields its address."""
    tmp_path = tmp_path_factory.mktemp("production")
    port = free_port()
    environment = production_environment(
        tmp_path,
        PORT=str(port),
        WEB_CONCURRENCY="1",
        WEB_THREADS="2",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto,https",
        SECURE_HSTS_SECONDS="300",
    )
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - the project's own command
        [str(PRESENCE), "serve", "--production"], env=environment, stdout=log, stderr=subprocess.STDOUT
    )
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                plain_http_get(f"{address}/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None or time.monotonic() > deadline:
                    log_text = (tmp_path / "server.log").read_text()
                    pytest.fail(f"the production server did not start:\n{log_text}")
                time.sleep(0.5)
        yield address
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_production_server_serves_a_page_with_its_hashed_compressed_stylesheet(production_server):
    with fetch(f"{production_server}/accounts/login/") as response:
        assert response.status == 200
        assert response.headers["Server"].startswith("gunicorn")
        page = response.read().decode()
    stylesheet = re.search(r'href="(/static/presence/app\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, "the page does not link a hashed app.css"
    with fetch(f"{production_server}{stylesheet.group(1)}", **{"Accept-Encoding": "gzip"}) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/css")
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]


def test_production_server_serves_the_swagger_ui_files_it_links(production_server):
    with fetch(f"{production_server}/api/docs") as response:
        page = response.read().decode()
    assets = re.findall(r'(?:src|href)="(/static/ninja/[^"]+)"', page)
    assert any(asset.endswith(".js") for asset in assets)
    for asset in assets:
        with fetch(f"{production_server}{asset}") as response:
            assert response.status == 200, asset


def test_production_server_redirects_plain_http_to_https_except_the_health_check(production_server):
    redirect = plain_http_get(f"{production_server}/accounts/login/")
    assert redirect.status == 301
    assert redirect.getheader("Location").startswith("https://")
    assert plain_http_get(f"{production_server}/healthz").status == 200


def test_production_server_sends_hsts_on_requests_the_proxy_marks_https(production_server):
    with fetch(f"{production_server}/accounts/login/") as response:
        assert response.headers["Strict-Transport-Security"] == "max-age=300"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_serve_production_collects_static_files_only_when_their_sources_changed(settings, tmp_path):
    from presence.core.management.commands.serve import collect_static_files_if_changed

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "site.css").write_text("body { color: black; }")
    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, str(extra)]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    assert collect_static_files_if_changed() is True
    assert collect_static_files_if_changed() is False
    (extra / "site.css").write_text("body { color: navy; }")
    assert collect_static_files_if_changed() is True
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert "navy" in (tmp_path / "static" / manifest["paths"]["site.css"]).read_text()
