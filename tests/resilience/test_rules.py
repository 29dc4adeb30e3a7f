"""Scoring with weights and not-applicable, and the 5x5 risk levels."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Count

from presence.resilience import selectors, services
from presence.resilience.models import Finding, RequirementResult
from presence.resilience.rules import RiskLevel, risk_level, risk_level_case, risk_product, score_of

R = RequirementResult.Result


def test_score_weights_results_and_excludes_not_applicable():
    # weights 3 compliant, 2 partial, 1 non-compliant, 4 not applicable
    points, possible, percent = score_of(
        [
            (R.COMPLIANT, Decimal(3)),
            (R.PARTIAL, Decimal(2)),
            (R.NON_COMPLIANT, Decimal(1)),
            (R.NOT_APPLICABLE, Decimal(4)),
        ]
    )
    assert points == Decimal("4.0")  # 3 + 0.5 x 2 + 0
    assert possible == Decimal(6)  # the N/A weight 4 is left out
    assert percent == Decimal("66.7")


def test_score_of_only_not_applicable_is_undefined_not_zero():
    assert score_of([(R.NOT_APPLICABLE, Decimal(2))]) == (Decimal(0), Decimal(0), None)


def test_assessment_list_computes_the_same_weighted_compliance(security, started):
    assessment = started()
    r1, r2, r3, r4 = assessment.template.requirements.order_by("sort_order")  # weights 3, 2, 1, 4
    for requirement, result in [
        (r1, R.COMPLIANT),
        (r2, R.PARTIAL),
        (r3, R.NON_COMPLIANT),
        (r4, R.NOT_APPLICABLE),
    ]:
        services.result_record(actor=security, assessment=assessment, requirement=requirement, result=result)
    scored = selectors.assessment_get(user=security, pk=assessment.pk)
    assert scored.score_points == Decimal("4")
    assert scored.score_possible == Decimal("6")
    assert scored.compliance == Decimal("66.7")
    assert (
        scored.compliant_count,
        scored.partial_count,
        scored.non_compliant_count,
        scored.not_applicable_count,
    ) == (1, 1, 1, 1)


def test_heavier_requirement_moves_the_score_more(security, started):
    light, heavy = started(start=__import__("datetime").date(2024, 1, 8)), started()
    r1, _r2, r3, _r4 = light.template.requirements.order_by("sort_order")  # r1 weight 3, r3 weight 1
    for assessment, failed in [(light, r3), (heavy, r1)]:
        for requirement in (r1, r3):
            result = R.NON_COMPLIANT if requirement == failed else R.COMPLIANT
            services.result_record(
                actor=security, assessment=assessment, requirement=requirement, result=result
            )
    assert selectors.assessment_get(user=security, pk=light.pk).compliance == Decimal("75.0")
    assert selectors.assessment_get(user=security, pk=heavy.pk).compliance == Decimal("25.0")


@pytest.mark.parametrize(
    ("likelihood", "impact", "level"),
    [
        (1, 1, RiskLevel.LOW),
        (2, 2, RiskLevel.LOW),
        (1, 4, RiskLevel.LOW),
        (1, 5, RiskLevel.MEDIUM),
        (3, 3, RiskLevel.MEDIUM),
        (2, 5, RiskLevel.HIGH),
        (4, 4, RiskLevel.HIGH),
        (4, 5, RiskLevel.CRITICAL),
        (5, 5, RiskLevel.CRITICAL),
        (5, 3, RiskLevel.HIGH),
    ],
)
def test_risk_level_from_likelihood_times_impact(likelihood, impact, level):
    assert risk_level(likelihood, impact) == level


def test_risk_level_refuses_values_off_the_matrix():
    with pytest.raises(ValueError, match="between 1 and 5"):
        risk_level(0, 3)


def test_database_risk_levels_match_the_python_rule(security, with_secrets):
    finding = Finding.objects.get()
    for likelihood in range(1, 6):
        for impact in range(1, 6):
            Finding.objects.filter(pk=finding.pk).update(likelihood=likelihood, impact=impact)
            level = (
                Finding.objects.annotate(risk_product=risk_product(), level=risk_level_case())
                .values_list("level", flat=True)
                .get()
            )
            assert level == risk_level(likelihood, impact)
    assert Finding.objects.aggregate(n=Count("pk"))["n"] == 1


def test_finding_outside_the_matrix_is_a_field_error(security, with_secrets):
    from django.core.exceptions import ValidationError

    requirement = with_secrets.template.requirements.first()
    with pytest.raises(ValidationError) as error:
        services.finding_create(
            actor=security,
            assessment=with_secrets,
            requirement=requirement,
            title="x",
            likelihood=6,
            impact=2,
        )
    assert "likelihood" in error.value.message_dict
