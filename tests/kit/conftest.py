"""The kit's context: reference data and people made on demand, per test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests import demo_db
from tests.kit.types import Ctx

# Every kit test needs the reference data: each module copies it in once rather than each test loading it.
reference = pytest.fixture(demo_db.reference_for_module)


@pytest.fixture
def kit(reference: None, make_user: Callable[..., Any]) -> Ctx:
    return Ctx(make_user)
