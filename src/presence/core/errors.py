"""Errors raised by services and turned into messages by views and the API."""

from __future__ import annotations

from django.core.exceptions import BadRequest, PermissionDenied


class AccessDenied(PermissionDenied):
    """The user's role assignments do not allow this action on this record."""


class VersionConflict(Exception):
    """The record changed since the user loaded it; their save is refused rather than overwriting."""

    def __init__(self, *, current_version: int, expected_version: int, label: str) -> None:
        self.current_version = current_version
        self.expected_version = expected_version
        super().__init__(
            f"{label} was changed by someone else since you opened it (your version {expected_version}, "
            f"current version {current_version}). Reload it, then apply your change again."
        )


class InvalidTransition(Exception):
    """A workflow step that is not allowed from the record's current state."""


class InvalidParameter(BadRequest):
    """A URL or query parameter a page cannot use (a year out of range, say): 400 naming it."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        self.message = message
        super().__init__(f"{name}: {message}")
