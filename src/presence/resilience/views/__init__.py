"""Pages of the resilience register. Every figure comes from a selector; every write from a service.

Confidential details (results, observations, evidence, findings, actions) are only rendered for the
security role and HQ administrators; everyone else gets the same pages filled with counts.
The package is split by topic; `urls.py` takes the views from here.
"""

from presence.resilience.views.assessments import (
    assessment_create as assessment_create,
)
from presence.resilience.views.assessments import (
    assessment_detail as assessment_detail,
)
from presence.resilience.views.assessments import (
    assessment_edit as assessment_edit,
)
from presence.resilience.views.assessments import (
    assessment_list as assessment_list,
)
from presence.resilience.views.assessments import (
    assessment_transition as assessment_transition,
)
from presence.resilience.views.assessments import (
    evidence_delete as evidence_delete,
)
from presence.resilience.views.assessments import (
    evidence_download as evidence_download,
)
from presence.resilience.views.assessments import (
    result_edit as result_edit,
)
from presence.resilience.views.configuration import (
    requirement_create as requirement_create,
)
from presence.resilience.views.configuration import (
    requirement_edit as requirement_edit,
)
from presence.resilience.views.configuration import (
    settings_edit as settings_edit,
)
from presence.resilience.views.configuration import (
    template_create as template_create,
)
from presence.resilience.views.configuration import (
    template_detail as template_detail,
)
from presence.resilience.views.configuration import (
    template_edit as template_edit,
)
from presence.resilience.views.configuration import (
    template_list as template_list,
)
from presence.resilience.views.configuration import (
    template_new_edition as template_new_edition,
)
from presence.resilience.views.coverage import (
    coverage as coverage,
)
from presence.resilience.views.coverage import (
    registration_create as registration_create,
)
from presence.resilience.views.coverage import (
    registration_delete as registration_delete,
)
from presence.resilience.views.coverage import (
    registration_detail as registration_detail,
)
from presence.resilience.views.coverage import (
    registration_edit as registration_edit,
)
from presence.resilience.views.coverage import (
    registration_upload as registration_upload,
)
from presence.resilience.views.findings import (
    action_create as action_create,
)
from presence.resilience.views.findings import (
    action_edit as action_edit,
)
from presence.resilience.views.findings import (
    action_list as action_list,
)
from presence.resilience.views.findings import (
    finding_create as finding_create,
)
from presence.resilience.views.findings import (
    finding_detail as finding_detail,
)
from presence.resilience.views.findings import (
    finding_edit as finding_edit,
)
from presence.resilience.views.findings import (
    finding_list as finding_list,
)
from presence.resilience.views.installations import (
    installation_create as installation_create,
)
from presence.resilience.views.installations import (
    installation_delete as installation_delete,
)
from presence.resilience.views.installations import (
    installation_detail as installation_detail,
)
from presence.resilience.views.installations import (
    installation_edit as installation_edit,
)
from presence.resilience.views.installations import (
    installation_list as installation_list,
)
from presence.resilience.views.installations import (
    timeline as timeline,
)
from presence.resilience.views.overview import (
    office_page as office_page,
)
from presence.resilience.views.overview import (
    overview as overview,
)
from presence.resilience.views.overview import (
    risk_matrix as risk_matrix,
)
from presence.resilience.views.plans import (
    plan_create as plan_create,
)
from presence.resilience.views.plans import (
    plan_delete as plan_delete,
)
from presence.resilience.views.plans import (
    plan_detail as plan_detail,
)
from presence.resilience.views.plans import (
    plan_edit as plan_edit,
)
from presence.resilience.views.plans import (
    plan_list as plan_list,
)
