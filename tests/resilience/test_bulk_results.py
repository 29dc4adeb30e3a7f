"""Recording the results of an assessment in bulk (used by the demo): same checks, same scores, audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from presence.core.errors import AccessDenied
from presence.core.models import AuditEntry
from presence.resilience import selectors, services
from presence.resilience.models import RequirementResult

R = RequirementResult.Result


def test_bulk_results_are_scored_and_audited_like_single_ones(security, started):
    assessment = started()
    r1, r2, r3, r4 = assessment.template.requirements.order_by("sort_order")
    rows = [
        (r1, R.COMPLIANT, "ok"),
        (r2, R.PARTIAL, "half"),
        (r3, R.NON_COMPLIANT, ""),
        (r4, R.NOT_APPLICABLE, ""),
    ]
    created = services.results_record_many(actor=security, assessment=assessment, results=rows)
    assert len(created) == 4
    scored = selectors.assessment_get(user=security, pk=assessment.pk)
    # weights 3, 2, 1, 4: points 3 + 1 = 4 of 6 possible (the N/A weight is left out)
    assert (scored.score_points, scored.score_possible, scored.compliance) == (
        Decimal(4),
        Decimal(6),
        Decimal("66.7"),
    )
    assert (
        AuditEntry.objects.filter(
            content_type__model="requirementresult",
            action="create",
            object_id__in=[str(r.pk) for r in created],
        ).count()
        == 4
    )


def test_bulk_results_refuse_the_whole_batch_on_a_recorded_or_foreign_requirement(
    security, started, template
):
    assessment = started()
    r1, r2, *_ = assessment.template.requirements.order_by("sort_order")
    services.result_record(actor=security, assessment=assessment, requirement=r1, result=R.COMPLIANT)
    other = services.template_create(actor=security, kind="bcp", name="BCP review", edition=1)
    foreign = services.requirement_create(
        actor=security, template=other, code="B1", text="Plan exists", category="Plan", weight=Decimal(1)
    )
    with pytest.raises(ValidationError) as caught:
        services.results_record_many(
            actor=security,
            assessment=assessment,
            results=[(r2, R.COMPLIANT, ""), (r1, R.PARTIAL, ""), (foreign, R.COMPLIANT, "")],
        )
    messages = caught.value.message_dict["results"]
    assert any("R1 already has a result" in m for m in messages)
    assert any("B1 is not part" in m for m in messages)
    assert RequirementResult.objects.filter(assessment=assessment).count() == 1


def test_bulk_results_need_an_assessment_in_progress_and_the_security_role(
    security, started, make_user, office
):
    assessment = started()
    requirement = assessment.template.requirements.first()
    editor = make_user("afr-editor", ("editor", "AFR"))
    with pytest.raises(AccessDenied):
        services.results_record_many(
            actor=editor, assessment=assessment, results=[(requirement, R.COMPLIANT, "")]
        )
    planned = services.assessment_create(
        actor=security,
        office=office("cairo"),
        template=assessment.template,
        planned_start=dt.date(2025, 1, 6),
        planned_end=dt.date(2025, 1, 9),
    )
    with pytest.raises(ValidationError):
        services.results_record_many(
            actor=security, assessment=planned, results=[(requirement, R.COMPLIANT, "")]
        )
    assert not RequirementResult.objects.exists()
