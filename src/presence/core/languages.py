"""The site's languages as names are given in: English (the canonical name) and the other five."""

from __future__ import annotations

from typing import Any

from django.conf import settings

# The longest name a translation may have (the models' own names have at most 200 characters).
NAME_TRANSLATION_MAX_LENGTH = 200

# Languages written right to left among the site's languages.
RTL_LANGUAGES = frozenset({"ar"})


def translated_languages() -> list[tuple[str, Any]]:
    """The languages a name may be given in besides the default one (English), as (code, label)."""
    return [(code, label) for code, label in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
