"""API for the resilience register, under the same rules as the pages.

Aggregates (summary, office resilience, risk matrix, findings counted per office, assessments with
their scores, plans, installations, coverage) are open to every reader. Results, observations,
evidence, findings and remediation actions are only served to the security role and HQ admins.

The package is split by topic; import the public names from here.
"""

from __future__ import annotations

from presence.resilience.api._common import router as router
from presence.resilience.api.aggregates import CoverageOut as CoverageOut
from presence.resilience.api.aggregates import InstallationProgressOut as InstallationProgressOut
from presence.resilience.api.aggregates import KindComplianceOut as KindComplianceOut
from presence.resilience.api.aggregates import MatrixOut as MatrixOut
from presence.resilience.api.aggregates import OfficeFindingCountOut as OfficeFindingCountOut
from presence.resilience.api.aggregates import OfficeResilienceOut as OfficeResilienceOut
from presence.resilience.api.aggregates import ScorePoint as ScorePoint
from presence.resilience.api.aggregates import SummaryOut as SummaryOut
from presence.resilience.api.aggregates import finding_counts as finding_counts
from presence.resilience.api.aggregates import office_resilience as office_resilience
from presence.resilience.api.aggregates import risk_matrix as risk_matrix
from presence.resilience.api.aggregates import summary as summary
from presence.resilience.api.assessments import AssessmentIn as AssessmentIn
from presence.resilience.api.assessments import AssessmentOut as AssessmentOut
from presence.resilience.api.assessments import AssessmentPatch as AssessmentPatch
from presence.resilience.api.assessments import RequirementOut as RequirementOut
from presence.resilience.api.assessments import TemplateOut as TemplateOut
from presence.resilience.api.assessments import TransitionIn as TransitionIn
from presence.resilience.api.assessments import create_assessment as create_assessment
from presence.resilience.api.assessments import get_assessment as get_assessment
from presence.resilience.api.assessments import list_assessments as list_assessments
from presence.resilience.api.assessments import list_templates as list_templates
from presence.resilience.api.assessments import transition_assessment as transition_assessment
from presence.resilience.api.assessments import update_assessment as update_assessment
from presence.resilience.api.confidential import ActionIn as ActionIn
from presence.resilience.api.confidential import ActionOut as ActionOut
from presence.resilience.api.confidential import FindingIn as FindingIn
from presence.resilience.api.confidential import FindingOut as FindingOut
from presence.resilience.api.confidential import FindingPatch as FindingPatch
from presence.resilience.api.confidential import ResultIn as ResultIn
from presence.resilience.api.confidential import ResultOut as ResultOut
from presence.resilience.api.confidential import assessment_results as assessment_results
from presence.resilience.api.confidential import create_action as create_action
from presence.resilience.api.confidential import create_finding as create_finding
from presence.resilience.api.confidential import get_finding as get_finding
from presence.resilience.api.confidential import list_actions as list_actions
from presence.resilience.api.confidential import list_findings as list_findings
from presence.resilience.api.confidential import record_result as record_result
from presence.resilience.api.confidential import update_finding as update_finding
from presence.resilience.api.plans import CoverageRowOut as CoverageRowOut
from presence.resilience.api.plans import InstallationOut as InstallationOut
from presence.resilience.api.plans import InstallationPatch as InstallationPatch
from presence.resilience.api.plans import PlanIn as PlanIn
from presence.resilience.api.plans import PlanOut as PlanOut
from presence.resilience.api.plans import RegistrationIn as RegistrationIn
from presence.resilience.api.plans import RegistrationOut as RegistrationOut
from presence.resilience.api.plans import TimelineOut as TimelineOut
from presence.resilience.api.plans import coverage as coverage
from presence.resilience.api.plans import create_plan as create_plan
from presence.resilience.api.plans import create_registration as create_registration
from presence.resilience.api.plans import delete_installation as delete_installation
from presence.resilience.api.plans import delete_plan as delete_plan
from presence.resilience.api.plans import delete_registration as delete_registration
from presence.resilience.api.plans import get_installation as get_installation
from presence.resilience.api.plans import get_plan as get_plan
from presence.resilience.api.plans import get_registration as get_registration
from presence.resilience.api.plans import installation_timeline as installation_timeline
from presence.resilience.api.plans import list_installations as list_installations
from presence.resilience.api.plans import list_plans as list_plans
from presence.resilience.api.plans import list_registrations as list_registrations
from presence.resilience.api.plans import update_installation as update_installation
