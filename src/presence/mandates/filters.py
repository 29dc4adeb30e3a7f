"""The request list, declared once: filters for the page, its CSV/XLSX export and the API, and the
export's columns. See `core/filtering.py`; `selectors.mandate_list` applies them after access."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from presence.core.exports import Column
from presence.core.filtering import Export, FlagFilter, ListFilter, YearFilter
from presence.mandates.models import Evidence, Mandate


class MandateFilter(ListFilter):
    q = df.CharFilter(label=_("Search"), method="search")
    body = df.ChoiceFilter(label=_("Governing body"), choices=Mandate.Body.choices, empty_label=_("Any"))
    kind = df.ChoiceFilter(label=_("Kind"), choices=Mandate.Kind.choices, empty_label=_("Any"))
    status = df.ChoiceFilter(label=_("Status"), choices=Mandate.Status.choices, empty_label=_("Any"))
    evidence = df.ChoiceFilter(label=_("Evidence"), choices=Evidence.choices, empty_label=_("Any"))
    assessment = df.ChoiceFilter(
        label=_("Assessment"), choices=Mandate.Assessment.choices, empty_label=_("Any")
    )
    year = YearFilter(label=_("Year"), field_name="year")
    published_only = FlagFilter(label=_("Published only"), field_name="published")

    class Meta:
        model = Mandate
        fields: list[str] = []

    export = Export(
        filename="governing-body-requests",
        title=_("Requests"),
        columns=[
            Column("body", _("Governing body")),
            Column("session", _("Session")),
            Column("reference", _("Reference")),
            Column("text", _("Request")),
            Column("owner", _("Owner")),
            Column("due", _("Due")),
            Column("status", _("Status")),
            Column("evidence_label", _("Evidence")),
            Column("evidence_value", _("Done")),
            Column("evidence_total", _("Out of")),
            Column("progress", _("Progress (%)")),
            Column("assessment", _("Assessment")),
        ],
    )

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(
            Q(text__icontains=value)
            | Q(reference__icontains=value)
            | Q(session__icontains=value)
            | Q(comment__icontains=value)
        )
