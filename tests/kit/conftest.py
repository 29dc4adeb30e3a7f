"""The kit's context: reference data and people made on demand, per test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.kit.types import Ctx


@pytest.fixture
def kit(reference: None, make_user: Callable[..., Any]) -> Ctx:
    return Ctx(make_user)
