"""Pages: framework tree, activities, indicator chart, reviews and workflow, quarter overview, budget.

The package is split by topic; import the public names from here.
"""

from __future__ import annotations

from presence.results.views._common import ELEMENTS as ELEMENTS
from presence.results.views._common import ElementKind as ElementKind
from presence.results.views.activities import activity_create as activity_create
from presence.results.views.activities import activity_detail as activity_detail
from presence.results.views.activities import activity_edit as activity_edit
from presence.results.views.activities import activity_list as activity_list
from presence.results.views.budget import budget_allocation as budget_allocation
from presence.results.views.frameworks import element_create as element_create
from presence.results.views.frameworks import element_delete as element_delete
from presence.results.views.frameworks import element_edit as element_edit
from presence.results.views.frameworks import framework as framework
from presence.results.views.frameworks import framework_manage as framework_manage
from presence.results.views.frameworks import project_results as project_results
from presence.results.views.indicators import ATTACH as ATTACH
from presence.results.views.indicators import indicator_create as indicator_create
from presence.results.views.indicators import indicator_delete as indicator_delete
from presence.results.views.indicators import indicator_detail as indicator_detail
from presence.results.views.indicators import indicator_edit as indicator_edit
from presence.results.views.indicators import indicator_list as indicator_list
from presence.results.views.indicators import indicator_value as indicator_value
from presence.results.views.indicators import target_actual_chart as target_actual_chart
from presence.results.views.quarters import period_list as period_list
from presence.results.views.quarters import quarter_latest as quarter_latest
from presence.results.views.quarters import quarter_overview as quarter_overview
from presence.results.views.reviews import REVIEWS_PER_PAGE as REVIEWS_PER_PAGE
from presence.results.views.reviews import my_reviews_panel as my_reviews_panel
from presence.results.views.reviews import review_create as review_create
from presence.results.views.reviews import review_detail as review_detail
from presence.results.views.reviews import review_edit as review_edit
from presence.results.views.reviews import review_inbox as review_inbox
from presence.results.views.reviews import review_list as review_list
from presence.results.views.reviews import review_transition as review_transition
