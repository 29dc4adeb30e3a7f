"""The markup of a Council text: sections, paragraphs, blocks, live fields, and errors naming them."""

from __future__ import annotations

from typing import Any

import pytest

from presence.council import markup
from presence.council.formatting import english_words, number
from presence.council.markup import BlockRef, Footnote, Paragraph, Ref

pytestmark = pytest.mark.django_db


def test_sections_paragraphs_blocks_fields_and_footnotes_are_parsed() -> None:
    parsed = markup.parse_body(
        "Intro {{projects_ongoing year=2023}}.\n\n# One\n\n"
        "- dash {{activities year=2024 words=yes}}[^Note.]\n"
        "* bullet\n[[table1 year=2023]]\n# Two\ntext\ncontinued"
    )
    assert parsed.errors == []
    assert [s.number for s in parsed.sections] == [None, 1, 2]
    dash = parsed.sections[1].items[0]
    assert isinstance(dash, Paragraph)
    assert dash.style == "dash"
    assert isinstance(dash.parts[1], Ref)
    assert dash.parts[1].key == "activities year=2024"
    assert dash.parts[1].args == {"year": 2024, "words": "yes"}  # display arguments stay with the text
    assert isinstance(dash.parts[2], Footnote)
    assert dash.parts[2].number == 1
    assert isinstance(parsed.sections[1].items[2], BlockRef)
    assert parsed.sections[2].items[0].parts == ["text continued"]
    assert set(parsed.fields) == {"projects_ongoing year=2023", "activities year=2024"}
    assert set(parsed.blocks) == {"table1 year=2023"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{projets_ongoing year=2023}}", "line 1: unknown field “projets_ongoing”"),
        ("ok\n\n{{projects_ongoing}}", "line 3: projects_ongoing needs year="),
        ("{{projects_ongoing year=20233}}", "projects_ongoing: year=20233 is not a year from 1900 to 2100"),
        ("{{projects_ongoing year=2023 region=AFR}}", "projects_ongoing takes no argument region"),
        (
            "{{forums year=2023 from=2023-01-01 to=2023-02-01}}",
            "forums needs either year= or both from= and to=",
        ),
        ("{{forums from=2024-01-01 to=2023-01-01}}", "forums: from= comes after to="),
        ("{{forums from=2024-13-01 to=2025-01-01}}", "forums: from=2024-13-01 is not a date as YYYY-MM-DD"),
        (
            "{{projects_value year=2023 in=billion}}",
            "projects_value: in=billion is not one of million, thousand",
        ),
        ("{{projects_ongoing year}}", "projects_ongoing: year is not an argument"),
        ("[[tabel1 year=2023]]", "line 1: unknown block “tabel1”"),
        ("[[table1 year=2023 round=10]]", "table1 takes no argument round"),
        ("[[chart year=2023 key=pie]]", "chart: key=pie is not one of"),
        ("an {{unclosed field", "an unclosed {{ or a stray }}"),
    ],
)
def test_a_bad_field_block_or_argument_is_an_error_naming_it(text: str, expected: str) -> None:
    errors = markup.parse_body(text).errors
    assert any(expected in error for error in errors), errors


def test_validate_names_the_text_field_in_error() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        markup.validate(
            {
                "purpose": "{{nope}}",
                "references": "C24/79 | javascript:alert(1)",
                "body": "fine",
                "action_required": "",
            }
        )
    assert set(caught.value.message_dict) == {"purpose", "references"}
    assert "unknown field “nope”" in caught.value.message_dict["purpose"][0]


def test_numbers_follow_the_language() -> None:
    from decimal import Decimal

    assert number(Decimal("106402.4"), "en", decimals=1) == "106,402.4"
    assert (
        number(Decimal("106402.4"), "fr", decimals=1) == "106\u202f402,4"
        or number(Decimal("106402.4"), "fr", decimals=1).replace("\xa0", " ") == "106 402,4"
    )
    assert number(87, "en", words=True) == "eighty-seven"
    assert number(87, "fr", words=True) == "87"  # words are written in English only
    assert english_words(124) == "one hundred and twenty-four"
    assert english_words(6) == "six"


def test_every_field_and_block_is_documented(client: Any, admin_user: Any) -> None:
    from presence.council.blocks import BLOCKS
    from presence.council.fields import FIELDS

    client.force_login(admin_user)
    page = client.get("/council/fields/").content.decode()
    for name in [*FIELDS, *BLOCKS]:
        assert f"<code>{name}</code>" in page
