"""The Council document list, declared once: filters for the page, its CSV/XLSX export and the API, and
the export's columns. See `core/filtering.py`; `selectors.document_list` applies them after access."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from presence.core.exports import Column
from presence.core.filtering import Export, ListFilter, YearFilter
from presence.council.models import CouncilDocument


class DocumentFilter(ListFilter):
    """`year`: the documents covering that year; `q`: in the number, title or governing body."""

    year = YearFilter(label=_("Year"), method="covering")
    q = df.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = CouncilDocument
        fields: list[str] = []

    export = Export(
        filename="council-documents",
        title=_("Council documents"),
        columns=[
            Column("number", _("Number")),
            Column("title", _("Title")),
            Column("governing_body", _("Governing body")),
            Column("years", _("Years")),
            Column("languages", _("Languages")),
        ],
    )

    def covering(self, queryset: QuerySet[Any], name: str, value: int) -> QuerySet[Any]:
        return queryset.filter(year_from__lte=value, year_to__gte=value)

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(title__icontains=value) | Q(number__icontains=value) | Q(governing_body__icontains=value)
        )
