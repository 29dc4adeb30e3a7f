"""One way to write numbers and dates per language, on every page.

The same figure is written in the language's format wherever it appears (grouped thousands, its
decimal mark), and no page shows a raw ISO date, an ungrouped big number or a Russian month in the
nominative after a day ("3 Декабрь 2026" instead of "3 декабря 2026").
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from presence.core import formatting
from presence.council.models import DocumentVersion
from presence.portfolio.models import Project
from presence.portfolio.selectors import table1

YEAR = 2024
LANGUAGES = ("en", "fr", "ru", "ar", "zh-hans")
# A number of more than three digits as each language groups it, with one decimal.
GROUPED = {
    "en": r"\d{1,3}(?:,\d{3})+\.\d",
    "zh-hans": r"\d{1,3}(?:,\d{3})+\.\d",
    "fr": r"\d{1,3}(?:\u00a0\d{3})+,\d",
    "ru": r"\d{1,3}(?:\u00a0\d{3})+,\d",
    "ar": r"\d{1,3}(?:\.\d{3})+,\d",
}
ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")
# Five digits or more in a row that are not part of a code or identifier (letters, dashes, slashes).
UNGROUPED = re.compile(r"(?<![\w\-/.,:#])\d{5,}(?:[.,]\d+)?(?![\w\-/])")
NOMINATIVE_MONTH = re.compile(
    r"\b\d{1,2} (?:Январь|Февраль|Март|Апрель|Май|Июнь|Июль|Август|Сентябрь|Октябрь|Ноябрь|Декабрь)\b"
)


def visible_text(html: str) -> str:
    """The text a reader sees: no scripts, styles or attribute values (dates in `datetime=` are data)."""
    tree = lxml.html.fromstring(html)
    for element in tree.xpath("//script|//style|//head"):
        element.drop_tree()
    # Each element's text apart (cells, SVG labels); runs of spaces made one, a no-break space (a
    # grouping mark) kept.
    return re.sub(r"[ \t\n\r\f\v]+", " ", " ".join(tree.itertext()))


def format_problems(html: str, language: str) -> list[str]:
    """What in a page's visible text is not written in the language's format."""
    text = visible_text(html)

    def found(pattern: re.Pattern[str], what: str) -> list[str]:
        return [
            f"{what} {m.group(0)!r} near {text[max(0, m.start() - 40) : m.end() + 20]!r}"
            for m in pattern.finditer(text)
        ]

    problems = found(ISO_DATE, "ISO date") + found(UNGROUPED, "ungrouped number")
    if language == "ru":
        problems += found(NOMINATIVE_MONTH, "month in the nominative:")
    return problems


def test_the_checker_finds_what_it_is_meant_to_find() -> None:
    assert [
        p.split(" near ")[0] for p in format_problems("<p>Due 2026-11-10, total 104630.5 k CHF</p>", "en")
    ] == [
        "ISO date '2026-11-10'",
        "ungrouped number '104630.5'",
    ]
    assert [p.split(" near ")[0] for p in format_problems("<p>3 Декабрь 2026</p>", "ru")] == [
        "month in the nominative: '3 Декабрь'"
    ]
    assert (
        format_problems(
            '<p><time datetime="2026-11-10">10 November 2026</time> 104,630.5 XM-DAC-41114-PRJ-000123</p>',
            "en",
        )
        == []
    )


def _choose(client: Client, language: str) -> None:
    client.post(reverse("set_language"), {"language": language, "next": "/"})


@pytest.fixture
def admin(demo_user: Any, client: Client) -> Client:
    client.force_login(demo_user("admin"))
    return client


def _pages() -> list[str]:
    funded = Project.objects.filter(fundings__isnull=False).order_by("code").first()
    assert funded is not None
    return [
        f"/dashboard/?year={YEAR}",
        f"/dashboard/regions/AFR/?year={YEAR}",
        f"/portfolio/table1/?year={YEAR}",
        f"/portfolio/projects/?year={YEAR}",
        funded.get_absolute_url(),
        "/staffing/",
        "/resilience/",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_write_numbers_and_dates_in_the_languages_format(
    admin: Client, demo_user: Any, language: str
) -> None:
    _choose(admin, language)
    for url in _pages():
        response = admin.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language, url
        assert format_problems(response.content.decode(), language) == [], (language, url)


@pytest.mark.parametrize("language", LANGUAGES)
def test_total_funding_reads_the_same_on_the_dashboard_and_in_table1(
    admin: Client, demo_user: Any, language: str
) -> None:
    _choose(admin, language)
    expected = formatting.number(
        table1(user=demo_user("admin"), year=YEAR).total.total_kchf, 1, language=language
    )
    assert re.fullmatch(GROUPED[language], expected), expected
    dashboard = admin.get(f"/dashboard/?year={YEAR}").content.decode()
    assert re.search(rf'data-figure="funding"[^>]*>{re.escape(expected)}<', dashboard)
    table = visible_text(admin.get(f"/portfolio/table1/?year={YEAR}").content.decode())
    assert expected in table
    # The same figure, written in the format of the other languages, appears nowhere.
    for other in LANGUAGES:
        written = formatting.number(
            table1(user=demo_user("admin"), year=YEAR).total.total_kchf, 1, language=other
        )
        if written != expected:
            assert written not in table, other


def test_dates_name_the_month_in_the_language_and_russian_in_the_genitive(admin: Client) -> None:
    today = timezone.localdate()
    expected = {
        "en": formatting.date(today, language="en"),
        "fr": formatting.date(today, language="fr"),
        "ru": formatting.date(today, language="ru"),
    }
    assert expected["en"] == f"{today.day} {today:%B} {today.year}"
    genitive = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                "октября", "ноября", "декабря"][today.month - 1]  # fmt: skip
    assert expected["ru"].startswith(f"{today.day} {genitive} {today.year}")
    for language, date in expected.items():
        _choose(admin, language)
        assert date in visible_text(admin.get(f"/dashboard/?year={YEAR}").content.decode()), language
    assert formatting.date(dt.date(2026, 12, 3), language="ru").startswith("3 декабря 2026")


def test_council_document_previews_write_numbers_and_dates_in_the_documents_language(admin: Client) -> None:
    versions = list(DocumentVersion.objects.order_by("pk"))
    assert versions
    for version in versions:
        response = admin.get(reverse("council:version-preview", args=[version.pk]))
        assert response.status_code == 200, version
        assert format_problems(response.content.decode(), version.language) == [], version
