"""What core needs from the access mechanism, without importing it.

Core sits below every app, `org` included, yet its shared writes, pages and API authentication must
ask the one access mechanism (`org/access.py`) and the token store (`org/services.py`). `org` fills
this registry when Django starts (`OrgConfig.ready`); core calls the functions below. Asking before
then is a configuration error, never a silent "allowed".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models


@dataclass(frozen=True)
class Guards:
    """The access functions core calls; see `presence.org.access` for what each decides."""

    check_delete: Callable[[Any, models.Model], None]
    """Raise AccessDenied unless the user may delete the record."""
    moves: Callable[[type[models.Model], Iterable[str]], bool]
    """Whether writing these fields may put a record of the model in another region or office."""
    check_move: Callable[[Any, models.Model, models.Model], None]
    """Raise AccessDenied unless the user may change the record where it was and where it goes."""
    is_global_admin: Callable[[Any], bool]
    """Whether the user administers everything (superuser or a global admin grant)."""
    token_user: Callable[[str], tuple[Any, str, bool] | None]
    """For an active personal access token: (user, token name, may write); else None."""


_installed: Guards | None = None


def install(guards: Guards) -> None:
    """Called once by `org` when Django starts."""
    global _installed
    _installed = guards


def guards() -> Guards:
    if _installed is None:
        raise ImproperlyConfigured("presence.org is not installed: core has no access mechanism to ask.")
    return _installed
