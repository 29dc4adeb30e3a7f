"""The committed catalogs compile, match their .mo files, keep every placeholder and cover what they claim."""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .catalogs import LANGUAGES, Entry, parse, placeholders, po_path


def entries(language: str) -> list[Entry]:
    return [entry for entry in parse(po_path(language)) if entry.msgid]


def header(language: str) -> dict[str, str]:
    head = next(entry for entry in parse(po_path(language)) if not entry.msgid)
    return dict(line.split(": ", 1) for line in head.msgstr[0].splitlines() if ": " in line)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_passes_msgfmt_check(language: str, tmp_path: Path) -> None:
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (GNU gettext) is not installed; the .mo comparison below still runs")
    result = subprocess.run(  # noqa: S603 - fixed tool, our own file
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po_path(language))],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_holds_every_translation_of_the_po_file(language: str) -> None:
    mo = po_path(language).with_suffix(".mo")
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for entry in entries(language):
        if not entry.translated:
            continue
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            found = catalog._catalog.get(key)  # type: ignore[attr-defined]
            if found != entry.msgstr[0]:
                stale.append(entry.msgid)
        else:
            for index, form in entry.msgstr.items():
                if catalog._catalog.get((key, index)) != form:  # type: ignore[attr-defined]
                    stale.append(entry.msgid)
    assert not stale, f"{mo} is older than its .po file; run `presence compilemessages`: {stale[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_drops_or_invents_a_placeholder(language: str) -> None:
    wrong = []
    for entry in entries(language):
        for index, text in entry.msgstr.items():
            if not text:
                continue
            source = entry.msgid if (entry.msgid_plural is None or index == 0) else entry.msgid_plural
            expected = placeholders(source)
            if entry.msgid_plural is not None:
                # A plural form may be chosen for any count, so it must keep the placeholders of both forms.
                expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
            if placeholders(text) != expected:
                wrong.append(f"line {entry.line}: {source!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_translations_have_as_many_forms_as_the_header_declares(language: str) -> None:
    declared = int(re.search(r"nplurals=(\d+)", header(language)["Plural-Forms"]).group(1))  # type: ignore[union-attr]
    wrong = [
        entry.msgid
        for entry in entries(language)
        if entry.msgid_plural is not None and entry.translated and len(entry.msgstr) != declared
    ]
    assert not wrong


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_header_names_its_language_and_is_not_fuzzy(language: str) -> None:
    head = next(entry for entry in parse(po_path(language)) if not entry.msgid)
    assert "fuzzy" not in head.flags  # a fuzzy header is skipped by msgfmt, losing the plural rule
    assert header(language)["Language"] == language
    assert header(language)["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_is_complete(language: str) -> None:
    """All six UN languages: English is the source, the five catalogs translate every string."""
    missing = [entry.msgid for entry in entries(language) if not entry.translated]
    assert not missing, f"{len(missing)} untranslated or fuzzy in {language}, e.g. {missing[:5]}"
