"""Reads of the resilience register: restricted querysets, and aggregates that reveal no details.

Aggregates (scores, counts per risk level, coverage) are computed over the assessments and
offices the user may view; the confidential details themselves (results, observations, evidence,
findings, actions) are only returned through `restrict_confidential`.

The package is split by topic; import the public names from here (`selectors.coverage_by_office`).
"""

from presence.resilience.selectors._common import (
    WEIGHT as WEIGHT,
)
from presence.resilience.selectors._common import (
    ZERO as ZERO,
)
from presence.resilience.selectors._common import (
    current_settings as current_settings,
)
from presence.resilience.selectors._common import (
    global_security_people as global_security_people,
)
from presence.resilience.selectors._common import (
    in_place as in_place,
)
from presence.resilience.selectors._common import (
    office_code as office_code,
)
from presence.resilience.selectors._common import (
    office_list as office_list,
)
from presence.resilience.selectors._common import (
    region_code as region_code,
)
from presence.resilience.selectors._common import (
    visible_assessments as visible_assessments,
)
from presence.resilience.selectors.assessments import (
    RequirementRow as RequirementRow,
)
from presence.resilience.selectors.assessments import (
    assessment_get as assessment_get,
)
from presence.resilience.selectors.assessments import (
    assessment_list as assessment_list,
)
from presence.resilience.selectors.assessments import (
    assessment_results as assessment_results,
)
from presence.resilience.selectors.assessments import (
    evidence_get as evidence_get,
)
from presence.resilience.selectors.assessments import (
    latest_assessments as latest_assessments,
)
from presence.resilience.selectors.assessments import (
    latest_scores as latest_scores,
)
from presence.resilience.selectors.assessments import (
    result_get as result_get,
)
from presence.resilience.selectors.assessments import (
    score_history as score_history,
)
from presence.resilience.selectors.assessments import (
    template_list as template_list,
)
from presence.resilience.selectors.assessments import (
    template_requirements as template_requirements,
)
from presence.resilience.selectors.assessments import (
    with_scores as with_scores,
)
from presence.resilience.selectors.coverage import (
    CoverageSummary as CoverageSummary,
)
from presence.resilience.selectors.coverage import (
    OfficeCoverage as OfficeCoverage,
)
from presence.resilience.selectors.coverage import (
    coverage_by_office as coverage_by_office,
)
from presence.resilience.selectors.coverage import (
    coverage_summary as coverage_summary,
)
from presence.resilience.selectors.coverage import (
    coverage_totals as coverage_totals,
)
from presence.resilience.selectors.coverage import (
    registration_get as registration_get,
)
from presence.resilience.selectors.coverage import (
    registration_list as registration_list,
)
from presence.resilience.selectors.coverage import (
    staff_counts_from_staffing as staff_counts_from_staffing,
)
from presence.resilience.selectors.findings import (
    MatrixCell as MatrixCell,
)
from presence.resilience.selectors.findings import (
    action_list as action_list,
)
from presence.resilience.selectors.findings import (
    action_reminders as action_reminders,
)
from presence.resilience.selectors.findings import (
    finding_get as finding_get,
)
from presence.resilience.selectors.findings import (
    finding_list as finding_list,
)
from presence.resilience.selectors.findings import (
    findings_by_level as findings_by_level,
)
from presence.resilience.selectors.findings import (
    findings_by_office as findings_by_office,
)
from presence.resilience.selectors.findings import (
    open_findings_by as open_findings_by,
)
from presence.resilience.selectors.findings import (
    overdue_actions as overdue_actions,
)
from presence.resilience.selectors.findings import (
    risk_matrix as risk_matrix,
)
from presence.resilience.selectors.installations import (
    InstallationProgress as InstallationProgress,
)
from presence.resilience.selectors.installations import (
    Timeline as Timeline,
)
from presence.resilience.selectors.installations import (
    TimelineRow as TimelineRow,
)
from presence.resilience.selectors.installations import (
    installation_get as installation_get,
)
from presence.resilience.selectors.installations import (
    installation_list as installation_list,
)
from presence.resilience.selectors.installations import (
    installation_progress as installation_progress,
)
from presence.resilience.selectors.installations import (
    installation_timeline as installation_timeline,
)
from presence.resilience.selectors.plans import (
    expiring_plans as expiring_plans,
)
from presence.resilience.selectors.plans import (
    missing_plans as missing_plans,
)
from presence.resilience.selectors.plans import (
    offices_missing_plans as offices_missing_plans,
)
from presence.resilience.selectors.plans import (
    plan_get as plan_get,
)
from presence.resilience.selectors.plans import (
    plan_history as plan_history,
)
from presence.resilience.selectors.plans import (
    plan_list as plan_list,
)
from presence.resilience.selectors.plans import (
    plan_reminders as plan_reminders,
)
from presence.resilience.selectors.summaries import (
    KindCompliance as KindCompliance,
)
from presence.resilience.selectors.summaries import (
    OfficeResilience as OfficeResilience,
)
from presence.resilience.selectors.summaries import (
    ResilienceFigures as ResilienceFigures,
)
from presence.resilience.selectors.summaries import (
    ResilienceSummary as ResilienceSummary,
)
from presence.resilience.selectors.summaries import (
    compliance_by_kind as compliance_by_kind,
)
from presence.resilience.selectors.summaries import (
    home_panel as home_panel,
)
from presence.resilience.selectors.summaries import (
    office_resilience as office_resilience,
)
from presence.resilience.selectors.summaries import (
    region_rows as region_rows,
)
from presence.resilience.selectors.summaries import (
    region_rows_in_chunks as region_rows_in_chunks,
)
from presence.resilience.selectors.summaries import (
    resilience_figures as resilience_figures,
)
from presence.resilience.selectors.summaries import (
    resilience_summary as resilience_summary,
)
