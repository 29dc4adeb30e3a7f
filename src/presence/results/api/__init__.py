"""API for the framework, activities, indicators, reporting periods and quarterly reviews with their workflow.

Same rules as the pages: selectors restrict reads, services check writes; ETag on reads, If-Match on writes.

The package is split by topic; import the public names from here.
"""

from __future__ import annotations

from presence.results.api._common import router as router
from presence.results.api.activities import ActivityIn as ActivityIn
from presence.results.api.activities import ActivityOut as ActivityOut
from presence.results.api.activities import ActivityPatch as ActivityPatch
from presence.results.api.activities import list_activities as list_activities
from presence.results.api.activities import update_activity as update_activity
from presence.results.api.framework import FrameworkIn as FrameworkIn
from presence.results.api.framework import FrameworkIO as FrameworkIO
from presence.results.api.framework import FrameworkOut as FrameworkOut
from presence.results.api.framework import FrameworkPatch as FrameworkPatch
from presence.results.api.framework import GoalIn as GoalIn
from presence.results.api.framework import GoalOut as GoalOut
from presence.results.api.framework import GoalPatch as GoalPatch
from presence.results.api.framework import NodeOut as NodeOut
from presence.results.api.framework import OutcomeIn as OutcomeIn
from presence.results.api.framework import OutcomeOut as OutcomeOut
from presence.results.api.framework import OutcomePatch as OutcomePatch
from presence.results.api.framework import OutputIn as OutputIn
from presence.results.api.framework import OutputOut as OutputOut
from presence.results.api.framework import OutputPatch as OutputPatch
from presence.results.api.framework import PeriodFull as PeriodFull
from presence.results.api.framework import PeriodIn as PeriodIn
from presence.results.api.framework import PeriodOut as PeriodOut
from presence.results.api.framework import PeriodPatch as PeriodPatch
from presence.results.api.framework import ProjectOutputOut as ProjectOutputOut
from presence.results.api.framework import ProjectOutputsIn as ProjectOutputsIn
from presence.results.api.framework import get_framework as get_framework
from presence.results.api.framework import get_project_outputs as get_project_outputs
from presence.results.api.framework import list_periods as list_periods
from presence.results.api.framework import set_project_outputs as set_project_outputs
from presence.results.api.indicators import IndicatorIn as IndicatorIn
from presence.results.api.indicators import IndicatorOut as IndicatorOut
from presence.results.api.indicators import IndicatorPatch as IndicatorPatch
from presence.results.api.indicators import ValueIn as ValueIn
from presence.results.api.indicators import ValueOut as ValueOut
from presence.results.api.indicators import create_indicator as create_indicator
from presence.results.api.indicators import list_indicators as list_indicators
from presence.results.api.indicators import set_indicator_value as set_indicator_value
from presence.results.api.reviews import ReviewIn as ReviewIn
from presence.results.api.reviews import ReviewOut as ReviewOut
from presence.results.api.reviews import ReviewPatch as ReviewPatch
from presence.results.api.reviews import StepIn as StepIn
from presence.results.api.reviews import approve_review as approve_review
from presence.results.api.reviews import create_review as create_review
from presence.results.api.reviews import get_review as get_review
from presence.results.api.reviews import list_reviews as list_reviews
from presence.results.api.reviews import reopen_review as reopen_review
from presence.results.api.reviews import return_review as return_review
from presence.results.api.reviews import submit_review as submit_review
from presence.results.api.reviews import update_review as update_review
