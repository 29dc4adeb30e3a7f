"""Stateless app servers: a job started through one server reports its progress and result through another.

Two gunicorn servers and one `presence db_worker` run as separate processes against one PostgreSQL
database (the test database), sharing only the database and the media storage, as in production.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection

import presence

from .test_iati_import import activity, document

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs DATABASE_URL pointing at PostgreSQL: servers and worker share one database",
    ),
    pytest.mark.django_db(transaction=True, databases=["default", "progress"]),
]

ACTIVITIES = 800  # four batches of 200: progress is reported while the import runs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url() -> str:
    """The test database (created by pytest-django) as a URL for the other processes."""
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def local_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # straight to 127.0.0.1, whatever proxy the environment names
    return session


def wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{base} stopped at start:\n{log.read_text()}")
        try:
            if local_session().get(f"{base}/healthz", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail(f"{base} did not answer within 60 s:\n{log.read_text()}")


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Two app servers and one worker; shared: the database and the media folder (the storage)."""
    environment = {
        **os.environ,
        "PYTHONPATH": str(Path(presence.__file__).resolve().parents[1]),
        "DJANGO_SETTINGS_MODULE": "presence.settings",
        "PRESENCE_ENV": "development",
        "DEBUG": "0",
        "DATABASE_URL": database_url(),
        "PRESENCE_DATA_DIR": str(tmp_path / "data"),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    processes: list[subprocess.Popen[bytes]] = []
    servers = []
    try:
        for number in (1, 2):
            port = free_port()
            log = tmp_path / f"server{number}.log"
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "presence.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "1",
            ]
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, env=environment, stdout=log.open("wb"), stderr=subprocess.STDOUT
            )
            processes.append(process)
            servers.append((f"http://127.0.0.1:{port}", process, log))
        worker_log = tmp_path / "worker.log"
        worker = [sys.executable, "-m", "presence", "db_worker", "--no-reload", "--interval", "0.2"]
        processes.append(
            subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [*worker, "--no-startup-delay"],
                env=environment,
                stdout=worker_log.open("wb"),
                stderr=subprocess.STDOUT,
            )
        )
        for base, process, log in servers:
            wait_until_up(base, process, log)
        yield {"one": servers[0][0], "two": servers[1][0], "worker_log": worker_log}
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def logged_in(base: str, username: str, password: str) -> requests.Session:
    session = local_session()
    page = session.get(f"{base}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    answer = session.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)},
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 302, answer.text[:500]
    return session


def test_a_job_started_through_one_server_reports_progress_and_result_through_the_other(
    reference: None, make_user: Any, deployment: dict[str, Any], settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # as the servers
    make_user("importer", ("admin",))  # committed: this test is transactional
    one = logged_in(deployment["one"], "importer", "pw")
    two = local_session()
    two.cookies.update({"sessionid": one.cookies["sessionid"]})  # the same browser, another server
    text = document(*(activity(f"XM-DAC-41303-S{n}") for n in range(ACTIVITIES)))

    started = one.post(
        f"{deployment['one']}/api/interchange/iati/import",
        files={"file": ("activities.xml", text.encode(), "application/xml")},
        headers={"X-CSRFToken": one.cookies["csrftoken"]},
        timeout=30,
    )
    assert started.status_code == 202, started.text[:500]
    job_id = started.json()["id"]
    assert started.json()["status"] == "queued"  # the worker runs it, not the server

    seen: list[tuple[str, int, int | None]] = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        state = two.get(f"{deployment['two']}/api/interchange/jobs/{job_id}", timeout=10).json()
        seen.append((state["status"], state["progress"], state["total"]))
        if state["is_finished"]:
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"job {job_id} did not finish; seen {seen[-5:]}\n{deployment['worker_log'].read_text()}")

    running = [(done, total) for status, done, total in seen if status == "running"]
    assert any(total and 0 < done < total for done, total in running), seen
    assert [done for done, _ in running] == sorted(done for done, _ in running)  # never goes back
    assert seen[-1] == ("done", ACTIVITIES, ACTIVITIES)
    assert state["summary"]["created"] == ACTIVITIES
    page = two.get(f"{deployment['two']}/interchange/jobs/{job_id}/", timeout=10)
    assert page.status_code == 200
    assert f"{ACTIVITIES} / {ACTIVITIES}" in page.text
