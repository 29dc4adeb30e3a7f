"""The rules of the resilience register, kept in one place: risk levels, scoring, upload limits.

These are plain constants and pure functions so that services, selectors, the API and tests
all use the same definitions.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Case, CharField, F, Value, When
from django.db.models.expressions import CombinedExpression
from django.utils.translation import gettext_lazy as _

# Evidence uploads: size limit and allowed types (extension -> accepted leading bytes).
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
ZIP_MAGIC = (b"PK\x03\x04",)
EVIDENCE_TYPES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": ZIP_MAGIC,
    "xlsx": ZIP_MAGIC,
    "txt": (),  # plain text: no signature, but must decode as UTF-8
    "csv": (),
}

# Each result counts this share of a requirement's weight towards the score; N/A is excluded.
RESULT_FACTORS: dict[str, Decimal] = {
    "compliant": Decimal("1"),
    "partial": Decimal("0.5"),
    "non_compliant": Decimal("0"),
}


class RiskLevel:
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    ORDER = (LOW, MEDIUM, HIGH, CRITICAL)
    LABELS = {LOW: _("Low"), MEDIUM: _("Medium"), HIGH: _("High"), CRITICAL: _("Critical")}
    # The highest likelihood x impact product of each level (5x5 matrix, products 1..25).
    UPPER_BOUNDS = ((4, LOW), (9, MEDIUM), (16, HIGH), (25, CRITICAL))


def risk_level(likelihood: int, impact: int) -> str:
    """The level of a finding on the 5x5 matrix: low 1-4, medium 5-9, high 10-16, critical 20-25."""
    if not (1 <= likelihood <= 5 and 1 <= impact <= 5):
        raise ValueError("Likelihood and impact are each between 1 and 5.")
    product = likelihood * impact
    for upper, level in RiskLevel.UPPER_BOUNDS:
        if product <= upper:
            return level
    raise AssertionError("unreachable")  # pragma: no cover


def risk_product(prefix: str = "") -> CombinedExpression:
    """likelihood x impact as a database expression (`prefix` is an ORM path such as "findings__")."""
    return F(f"{prefix}likelihood") * F(f"{prefix}impact")


def risk_level_case(product: str = "risk_product") -> Case:
    """The same rule as `risk_level`, over an annotated likelihood x impact, for counting per level."""
    whens = [When(**{f"{product}__lte": upper}, then=Value(level)) for upper, level in RiskLevel.UPPER_BOUNDS]
    return Case(*whens, default=Value(RiskLevel.CRITICAL), output_field=CharField())


def compliance(points: Decimal, possible: Decimal) -> Decimal | None:
    """Compliance percentage, one decimal; None when nothing applicable was assessed."""
    if not possible:
        return None
    return (points * 100 / possible).quantize(Decimal("0.1"))


def score_of(results: list[tuple[str, Decimal]]) -> tuple[Decimal, Decimal, Decimal | None]:
    """(points, possible points, compliance %) of (result, weight) pairs; N/A and unassessed excluded."""
    points = Decimal("0")
    possible = Decimal("0")
    for result, weight in results:
        if result in RESULT_FACTORS:
            points += RESULT_FACTORS[result] * weight
            possible += weight
    return points, possible, compliance(points, possible)
