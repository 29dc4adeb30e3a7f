from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def demo_user(demo: None) -> Callable[[str], Any]:
    return lambda username: get_user_model().objects.get(username=username)
