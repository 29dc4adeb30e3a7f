"""Reads of the results framework, plan, indicators and reviews: progress roll-ups, inboxes, overviews.

Progress is never stored: it is computed here from indicator values each time it is shown.
Each function reads with a fixed number of queries, whatever the number of activities.

The package is split by topic; import the public names from here.
"""

from __future__ import annotations

# The dashboard reads the status choices through this module (`results.Activity.Status`).
from presence.results.models import Activity as Activity
from presence.results.models import QuarterlyReview as QuarterlyReview
from presence.results.selectors.activities import activity_get as activity_get
from presence.results.selectors.activities import activity_list as activity_list
from presence.results.selectors.activities import activity_set as activity_set
from presence.results.selectors.activities import activity_table as activity_table
from presence.results.selectors.activities import activity_years as activity_years
from presence.results.selectors.budget import ALLOCATION_METHODS as ALLOCATION_METHODS
from presence.results.selectors.budget import AllocationRow as AllocationRow
from presence.results.selectors.budget import budget_allocation as budget_allocation
from presence.results.selectors.budget import split as split
from presence.results.selectors.framework import Node as Node
from presence.results.selectors.framework import framework_for_year as framework_for_year
from presence.results.selectors.framework import framework_tree as framework_tree
from presence.results.selectors.indicators import PROGRESS_FILTERS as PROGRESS_FILTERS
from presence.results.selectors.indicators import STATUS as STATUS
from presence.results.selectors.indicators import STATUS_PARAMS as STATUS_PARAMS
from presence.results.selectors.indicators import IndicatorRow as IndicatorRow
from presence.results.selectors.indicators import IndicatorRows as IndicatorRows
from presence.results.selectors.indicators import PeriodRow as PeriodRow
from presence.results.selectors.indicators import indicator_get as indicator_get
from presence.results.selectors.indicators import indicator_list as indicator_list
from presence.results.selectors.indicators import indicator_rows as indicator_rows
from presence.results.selectors.indicators import indicator_series as indicator_series
from presence.results.selectors.indicators import indicator_status_counts as indicator_status_counts
from presence.results.selectors.indicators import with_status as with_status
from presence.results.selectors.indicators import year_figures as year_figures
from presence.results.selectors.progress import Figures as Figures
from presence.results.selectors.progress import figures_for as figures_for
from presence.results.selectors.progress import progress_of as progress_of
from presence.results.selectors.reviews import INBOX_LIMIT as INBOX_LIMIT
from presence.results.selectors.reviews import PANEL_LIMIT as PANEL_LIMIT
from presence.results.selectors.reviews import PROJECT_REVIEWED_STATUSES as PROJECT_REVIEWED_STATUSES
from presence.results.selectors.reviews import REVIEW_OPENS_DAYS_BEFORE_END as REVIEW_OPENS_DAYS_BEFORE_END
from presence.results.selectors.reviews import Inbox as Inbox
from presence.results.selectors.reviews import RegionQuarter as RegionQuarter
from presence.results.selectors.reviews import ReviewTask as ReviewTask
from presence.results.selectors.reviews import _projects_for as _projects_for
from presence.results.selectors.reviews import latest_ratings as latest_ratings
from presence.results.selectors.reviews import open_periods as open_periods
from presence.results.selectors.reviews import quarter_overview as quarter_overview
from presence.results.selectors.reviews import review_get as review_get
from presence.results.selectors.reviews import review_inbox as review_inbox
from presence.results.selectors.reviews import review_list as review_list
from presence.results.selectors.reviews import review_quarter as review_quarter
from presence.results.selectors.reviews import review_reminders as review_reminders
from presence.results.selectors.reviews import review_tasks as review_tasks
