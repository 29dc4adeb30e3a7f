"""Writes to the resilience register: access and invariants first, then the audited helpers.

The package is split by topic; import the public names from here.
"""

from __future__ import annotations

from presence.core.errors import AccessDenied as AccessDenied
from presence.resilience.services.assessments import ASSESSMENT_FIELDS as ASSESSMENT_FIELDS
from presence.resilience.services.assessments import TRANSITIONS as TRANSITIONS
from presence.resilience.services.assessments import assessment_create as assessment_create
from presence.resilience.services.assessments import assessment_delete as assessment_delete
from presence.resilience.services.assessments import assessment_transition as assessment_transition
from presence.resilience.services.assessments import assessment_update as assessment_update
from presence.resilience.services.assessments import evidence_add as evidence_add
from presence.resilience.services.assessments import evidence_delete as evidence_delete
from presence.resilience.services.assessments import result_record as result_record
from presence.resilience.services.assessments import results_record_many as results_record_many
from presence.resilience.services.configuration import REQUIREMENT_FIELDS as REQUIREMENT_FIELDS
from presence.resilience.services.configuration import SETTINGS_FIELDS as SETTINGS_FIELDS
from presence.resilience.services.configuration import TEMPLATE_FIELDS as TEMPLATE_FIELDS
from presence.resilience.services.configuration import requirement_create as requirement_create
from presence.resilience.services.configuration import requirement_delete as requirement_delete
from presence.resilience.services.configuration import requirement_update as requirement_update
from presence.resilience.services.configuration import settings_update as settings_update
from presence.resilience.services.configuration import template_create as template_create
from presence.resilience.services.configuration import template_new_edition as template_new_edition
from presence.resilience.services.configuration import template_update as template_update
from presence.resilience.services.configuration import workdays as workdays
from presence.resilience.services.findings import ACTION_FIELDS as ACTION_FIELDS
from presence.resilience.services.findings import FINDING_FIELDS as FINDING_FIELDS
from presence.resilience.services.findings import FINDING_FOLLOW_UP as FINDING_FOLLOW_UP
from presence.resilience.services.findings import action_create as action_create
from presence.resilience.services.findings import action_delete as action_delete
from presence.resilience.services.findings import action_update as action_update
from presence.resilience.services.findings import finding_create as finding_create
from presence.resilience.services.findings import finding_delete as finding_delete
from presence.resilience.services.findings import finding_update as finding_update
from presence.resilience.services.plans import INSTALLATION_FIELDS as INSTALLATION_FIELDS
from presence.resilience.services.plans import PLAN_FIELDS as PLAN_FIELDS
from presence.resilience.services.plans import installation_create as installation_create
from presence.resilience.services.plans import installation_delete as installation_delete
from presence.resilience.services.plans import installation_update as installation_update
from presence.resilience.services.plans import plan_create as plan_create
from presence.resilience.services.plans import plan_delete as plan_delete
from presence.resilience.services.plans import plan_update as plan_update
from presence.resilience.services.registrations import REGISTRATION_FIELDS as REGISTRATION_FIELDS
from presence.resilience.services.registrations import registration_create as registration_create
from presence.resilience.services.registrations import registration_delete as registration_delete
from presence.resilience.services.registrations import registration_update as registration_update
from presence.resilience.services.registrations import registrations_import as registrations_import

__all__ = ["AccessDenied"]
