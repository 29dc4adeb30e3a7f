"""Writes to the results framework, the operational plan, indicators and quarterly reviews.

Every function checks access and invariants first, then writes through the tracked helpers so
each change is versioned and audited. Refused workflow steps raise InvalidTransition, refused
access AccessDenied, bad input ValidationError naming the field.

The package is split by topic; import the public names from here.
"""

from __future__ import annotations

from presence.results.services._common import is_admin_for as is_admin_for
from presence.results.services.activities import ACTIVITY_FIELDS as ACTIVITY_FIELDS
from presence.results.services.activities import activity_create as activity_create
from presence.results.services.activities import activity_delete as activity_delete
from presence.results.services.activities import activity_update as activity_update
from presence.results.services.activities import project_moved as project_moved
from presence.results.services.activities import project_outputs_set as project_outputs_set
from presence.results.services.framework import FRAMEWORK_FIELDS as FRAMEWORK_FIELDS
from presence.results.services.framework import UNIQUE_WITHIN as UNIQUE_WITHIN
from presence.results.services.framework import framework_element_create as framework_element_create
from presence.results.services.framework import framework_element_delete as framework_element_delete
from presence.results.services.framework import framework_element_update as framework_element_update
from presence.results.services.framework import periods_create_year as periods_create_year
from presence.results.services.indicators import ATTACHMENTS as ATTACHMENTS
from presence.results.services.indicators import INDICATOR_FIELDS as INDICATOR_FIELDS
from presence.results.services.indicators import _check_framework_kpi as _check_framework_kpi
from presence.results.services.indicators import _indicator_place as _indicator_place
from presence.results.services.indicators import indicator_create as indicator_create
from presence.results.services.indicators import indicator_delete as indicator_delete
from presence.results.services.indicators import indicator_update as indicator_update
from presence.results.services.indicators import indicator_value_set as indicator_value_set
from presence.results.services.indicators import reopened_by_return as reopened_by_return
from presence.results.services.reviews import REVIEW_FIELDS as REVIEW_FIELDS
from presence.results.services.reviews import review_approve as review_approve
from presence.results.services.reviews import review_create as review_create
from presence.results.services.reviews import review_reopen as review_reopen
from presence.results.services.reviews import review_return as review_return
from presence.results.services.reviews import review_submit as review_submit
from presence.results.services.reviews import review_update as review_update
