"""Serving a throw-away copy of the site on 127.0.0.1 for a tool that drives it over HTTP.

Shared by `make fuzz` (tests/fuzz/run_schemathesis.py) and `make load` (presence.bench._load): a free
loopback port, a server process started in a given environment and stopped afterwards, and the wait
for it to answer. Nothing listens beyond the loopback address.
"""

from __future__ import annotations

import secrets
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 120) -> None:
    """Return once `url` answers 200; SystemExit after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (loopback only)
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url} within {seconds:.0f} s")


def production_environment(environ: Mapping[str, str], port: int) -> dict[str, str]:
    """What `presence serve --production` needs to serve plain HTTP on 127.0.0.1:`port` (no proxy, no TLS)."""
    return {
        **environ,
        "PRESENCE_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BIND_ADDRESS": "127.0.0.1",
        "PORT": str(port),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
    }


@contextmanager
def serving(
    command: list[str], env: Mapping[str, str], *, port: int, log: Path, cwd: Path | None = None
) -> Iterator[str]:
    """Run the server `command` (listening on 127.0.0.1:`port`, output to `log`) until the block ends.

    Yields the base URL once /healthz answers.
    """
    base = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603
            command, env=dict(env), cwd=cwd, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            wait_for(f"{base}/healthz")
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
