"""The layers of docs/architecture.md hold: `lint-imports` (run by `make lint`) passes on the tree and
fails as soon as a module imports across a layer the contracts forbid."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / ".importlinter"


def _lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` with the project's contracts over the package found in `src`."""
    command = Path(sys.executable).with_name("lint-imports")
    executable = str(command) if command.exists() else shutil.which("lint-imports")
    assert executable, "lint-imports (import-linter) is not installed"
    environment = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(  # noqa: S603 - the project's own linter on a copy of its own source
        [executable, "--no-cache", "--config", str(CONFIG)],
        cwd=src.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def copy_of_src(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "presence",
        src / "presence",
        ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "templates", "data"),
    )
    return src


def test_the_tree_keeps_every_import_contract() -> None:
    result = _lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("importer", "imported", "contract"),
    [
        ("org", "presence.dashboard", "Apps sit in layers"),
        ("core", "presence.org.access", "Apps sit in layers"),
        ("core", "presence.urls", "core imports nothing of the project"),
        ("portfolio", "presence.results.models", "Apps sit in layers"),
        ("resilience", "presence.portfolio.models", "Each domain app imports only the domains"),
        ("results", "presence.engagement.models", "Apps sit in layers"),
        ("staffing", "presence.interchange.sheets", "Apps sit in layers"),
        ("dashboard", "presence.reports.views", "Apps sit in layers"),
        ("engagement", "presence.staffing.models", "Portfolio and the apps built on it"),
        ("interchange", "presence.urls", "No app imports the project's entry points"),
    ],
)
def test_lint_imports_fails_on_an_import_across_a_forbidden_layer(
    copy_of_src: Path, importer: str, imported: str, contract: str
) -> None:
    module = copy_of_src / "presence" / importer / "forbidden_reach.py"
    module.write_text(f"import {imported}  # noqa: F401\n")
    result = _lint_imports(copy_of_src)
    assert result.returncode != 0, result.stdout
    assert f"{contract}" in result.stdout
    assert f"presence.{importer}.forbidden_reach -> {imported}" in result.stdout


def test_lint_imports_fails_on_a_cycle_between_the_modules_of_an_app(copy_of_src: Path) -> None:
    # models already imports nothing of views: make it, and views <-> models is a cycle inside org.
    models = copy_of_src / "presence" / "org" / "models.py"
    models.write_text(models.read_text() + "\nfrom presence.org import views  # noqa: E402, F401\n")
    result = _lint_imports(copy_of_src)
    assert result.returncode != 0, result.stdout
    assert "No cycles are allowed in presence.org" in result.stdout


TEMPLATES = ROOT / "src" / "presence" / "templates"
BELOW_THE_TOP = ("core", "org", "portfolio", "results", "staffing", "engagement", "resilience")
ON_TOP = ("dashboard", "mandates", "reports", "council", "interchange")


@pytest.mark.parametrize("app", BELOW_THE_TOP)
def test_templates_below_the_top_name_no_url_of_the_apps_on_top(app: str) -> None:
    # Templates escape import-linter: a link from a domain page to an app on top is declared by that
    # app (AppConfig.list_links), as the project list's IATI download is by interchange.
    reaching = [
        f"{path.relative_to(TEMPLATES)}: {top}:"
        for path in sorted((TEMPLATES / app).rglob("*.html"))
        for top in ON_TOP
        if f"'{top}:" in path.read_text() or f'"{top}:' in path.read_text()
    ]
    assert reaching == []
