"""The review API list is read a page at a time in two steps (core.selectors.KeyedPages): the same
reviews, in the same order, as the one-query list, on every page, with filters and within a scope."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from presence.core.selectors import KeyedPages
from presence.results import selectors


@pytest.mark.parametrize("username", ["admin", "dakar.editor"])
@pytest.mark.parametrize("query", [{}, {"status": "approved"}, {"year": "2024", "kind": "activity"}])
def test_every_page_holds_the_reviews_of_the_one_query_list(demo: Any, login: Any, username, query):
    user = get_user_model().objects.get(username=username)
    client = login(user)
    expected = list(selectors.review_list(user=user, **query).values_list("pk", flat=True))
    assert len(expected) > 20
    seen: list[int] = []
    for offset in range(0, len(expected), 150):
        response = client.get("/api/results/reviews/", {**query, "limit": 150, "offset": offset})
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] == len(expected)
        seen += [item["id"] for item in body["items"]]
    assert seen == expected


def test_keyed_pages_slice_and_count_like_the_queryset(demo: Any, django_assert_num_queries: Any) -> None:
    reviews = selectors.review_list(user=get_user_model().objects.get(username="admin"))
    pages = KeyedPages(reviews)
    assert pages.count() == len(pages) == reviews.count()
    assert [r.pk for r in pages[5:12]] == [r.pk for r in reviews[5:12]]
    with django_assert_num_queries(2):  # the page's keys, then its records with their joins
        first = pages[0:1][0]
    with django_assert_num_queries(0):
        assert first.period.year > 2000
        assert (first.activity or first.project) is not None
    with pytest.raises(TypeError):
        pages[3]  # type: ignore[index]
