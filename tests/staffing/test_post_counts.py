"""Posts counted per place and status in the database equal a count of each post."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from presence.staffing import selectors


@pytest.mark.parametrize("place", [{}, {"region": "AFR"}, {"region": "HQ"}, {"office": "dakar"}])
def test_posts_per_place_and_status_are_those_of_the_list(demo: Any, place: dict[str, str]) -> None:
    for username in ("admin", "afr.editor", "delegate"):
        user = get_user_model().objects.get(username=username)
        posts = selectors.post_list(user=user, **place)
        for by, key in (
            ("region__code", lambda p: p.office.region.code if p.office.region else None),
            ("code", lambda p: p.office.code),
        ):
            expected = Counter((key(post), post.status) for post in posts)
            assert selectors.post_counts_by(posts, by) == dict(expected), (username, place, by)
