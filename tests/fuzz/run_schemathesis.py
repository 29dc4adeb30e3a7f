"""`make fuzz`: schemathesis against the API of a freshly loaded demo, as an authenticated editor.

Builds a throw-away demo database (its own data folder), serves it on 127.0.0.1 with gunicorn, creates a
read-write token for `afr.editor`, and runs schemathesis over every operation of `/api/openapi.json`,
bounded in examples per operation and in time. Fails (exit 1) on any 5xx answer. Nothing leaves the machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from presence.bench._served import free_port, serving

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


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

    port = free_port()
    gunicorn = [str(BIN / "gunicorn"), "presence.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "2"]
    # Every 4xx is logged by Django: the server's output goes to a file, out of the summary.
    with serving(
        [*gunicorn, "--log-level", "warning"], env, port=port, log=data / "server.log", cwd=ROOT
    ) as base:
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


if __name__ == "__main__":
    sys.exit(main())
