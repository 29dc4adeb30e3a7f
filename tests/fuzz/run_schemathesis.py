"""`make fuzz`: schemathesis against the API of a freshly loaded demo, as an authenticated editor.

Builds a throw-away demo database (its own data folder), serves it on 127.0.0.1 with gunicorn, creates a
read-write token for `afr.editor`, and runs schemathesis over every operation of `/api/openapi.json`,
bounded in examples per operation and in time. Fails (exit 1) on any 5xx answer. Nothing leaves the machine.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (loopback only)
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url} within {seconds:.0f} s")


TOKEN_SCRIPT = """
from django.contrib.auth import get_user_model
from presence.org.models import PersonalAccessToken
from presence.org.services import token_create
user = get_user_model().objects.get(username="afr.editor")
record, raw = token_create(user=user, name="fuzz", days=1, access=PersonalAccessToken.Access.READ_WRITE)
print(raw)
"""


def _figure(pattern: str, text: str) -> int:
    found = re.search(pattern, text)
    return int(found.group(1)) if found else 0


def _verdict(output: str) -> int:
    """Print schemathesis' summary and the figures; fail on any 5xx (ST101, ST102), not on its own errors."""
    summary = output[output.rfind("SUMMARY") :] if "SUMMARY" in output else output[-4000:]
    server_errors = sum(int(n) for n in re.findall(r"ST10[12] Server error[^:\n]*: (\d+)", summary))
    if server_errors:
        print(output[: output.rfind("SUMMARY")][-20000:])  # the failures, each with a curl to reproduce it
    print(summary)
    operations = _figure(r"Tested: (\d+)", summary)
    cases = _figure(r"(\d+) generated", summary)
    internal = _figure(r"Runtime Error: (\d+)", summary)
    print(
        f"make fuzz: {operations} operations, {cases} test cases, {server_errors} answered 5xx, "
        f"{internal} schemathesis internal errors (not the API's)"
    )
    return 1 if server_errors or "SUMMARY" not in output else 0


def main() -> int:
    data = ROOT / "var" / "fuzz"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    env = {
        **os.environ,
        "PRESENCE_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "presence.settings",
        "PRESENCE_ENV": "development",
    }
    env.pop("DATABASE_URL", None)
    presence = str(BIN / "presence")
    subprocess.run([presence, "migrate", "--noinput", "-v0"], env=env, check=True)  # noqa: S603
    subprocess.run([presence, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    token = (
        subprocess.run(  # noqa: S603
            [presence, "shell", "-c", TOKEN_SCRIPT], env=env, check=True, capture_output=True, text=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (data / "server.log").open("w")  # every 4xx is logged by Django: kept out of the summary
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "presence.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(f"{base}/healthz")
        examples = os.environ.get("FUZZ_EXAMPLES", "10")
        seconds = os.environ.get("FUZZ_SECONDS", "900")
        report = data / "report"
        command = [
            str(BIN / "schemathesis"),
            "run",
            f"{base}/api/openapi.json",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            examples,
            "--max-time",
            seconds,
            "--seed",
            os.environ.get("FUZZ_SEED", "20261203"),
            "--workers",
            "2",
            "--request-timeout",
            "30",
            "--report",
            "junit",
            "--report-dir",
            str(report),
            "--warnings",
            "off",
        ]
        print("running:", " ".join(c if "Bearer" not in c else "Authorization: Bearer ***" for c in command))
        run = subprocess.run(command, cwd=ROOT, check=False, capture_output=True, text=True)  # noqa: S603
        (data / "schemathesis.log").write_text(run.stdout + run.stderr)
        return _verdict(run.stdout)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


if __name__ == "__main__":
    sys.exit(main())
