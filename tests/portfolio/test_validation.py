"""Bad input gets a field-level error naming what is wrong, and nothing is saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from presence.core.models import AuditEntry
from presence.org.models import Country, Office, Region
from presence.portfolio import services
from presence.portfolio.models import Funding, Project, ProjectCountry


@pytest.fixture
def project(make_project: Callable[..., Project]) -> Project:
    return make_project(code="9RAF22001")


def _field_error(error: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    assert field in error.value.message_dict, error.value.message_dict
    return " ".join(error.value.message_dict[field])


def test_negative_funding_amount_is_a_field_error(admin_user: Any, project: Project, sources: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.funding_create(
            actor=admin_user,
            project=project,
            source=sources["partners"],
            amount=Decimal("-5"),
            currency="CHF",
            signed_on=dt.date(2023, 1, 1),
        )
    assert "negative" in _field_error(error, "amount")
    assert not Funding.objects.exists()


def test_negative_amount_through_the_form_shows_at_the_field(
    admin_user: Any, login: Any, project: Project, sources: Any
) -> None:
    response = login(admin_user).post(
        f"/portfolio/projects/{project.code}/funding/new/",
        {"source": sources["partners"].pk, "amount": "-100", "currency": "CHF", "signed_on": "2023-02-01"},
    )
    assert response.status_code == 422
    assert "negative" in " ".join(response.context["form"].errors["amount"])
    assert not Funding.objects.exists()


def test_amount_in_a_currency_without_a_rate_for_its_date_is_a_field_error(
    admin_user: Any, project: Project, sources: Any, usd_rate: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        services.funding_create(
            actor=admin_user,
            project=project,
            source=sources["partners"],
            amount=Decimal("100"),
            currency="USD",
            signed_on=dt.date(2022, 6, 1),  # the only USD rate starts in 2023
        )
    assert "no exchange rate for USD on 1 June 2022" in _field_error(error, "currency")
    with pytest.raises(ValidationError):
        services.funding_create(
            actor=admin_user,
            project=project,
            source=sources["partners"],
            amount=Decimal("100"),
            currency="EUR",
            signed_on=dt.date(2023, 6, 1),
        )
    assert not Funding.objects.exists()
    funding = services.funding_create(
        actor=admin_user,
        project=project,
        source=sources["partners"],
        amount=Decimal("100"),
        currency="USD",
        signed_on=dt.date(2023, 6, 1),
    )
    assert funding.pk is not None


def test_amount_without_rate_through_the_api_is_422_naming_the_field(
    admin_user: Any, login: Any, project: Project, sources: Any
) -> None:
    response = login(admin_user).post(
        f"/api/portfolio/projects/{project.code}/fundings/",
        {"source": "partners", "amount": "100", "currency": "JPY", "signed_on": "2023-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "currency" in response.json()["errors"]
    assert not Funding.objects.exists()


def test_country_percentages_must_total_100(admin_user: Any, project: Project) -> None:
    senegal, mali = Country.objects.get(iso2="SN"), Country.objects.get(iso2="ML")
    services.project_countries_set(actor=admin_user, project=project, countries=[(senegal, Decimal(100))])
    with pytest.raises(ValidationError) as error:
        services.project_countries_set(
            actor=admin_user, project=project, countries=[(senegal, Decimal(60)), (mali, Decimal(30))]
        )
    assert "total 90" in _field_error(error, "percentage")
    # The earlier, valid list is untouched: the replacement is all or nothing.
    assert list(ProjectCountry.objects.values_list("country__iso2", "percentage")) == [("SN", Decimal(100))]


def test_country_percentages_through_the_api_are_checked(
    admin_user: Any, login: Any, project: Project
) -> None:
    client = login(admin_user)
    url = f"/api/portfolio/projects/{project.code}/countries"
    bad = [{"country": "SN", "percentage": "50"}, {"country": "ML", "percentage": "49"}]
    assert client.put(url, bad, content_type="application/json").status_code == 422
    assert not ProjectCountry.objects.exists()
    good = [{"country": "SN", "percentage": "50"}, {"country": "ML", "percentage": "50"}]
    assert client.put(url, good, content_type="application/json").status_code == 200
    assert ProjectCountry.objects.count() == 2


def test_end_before_start_is_a_field_error(admin_user: Any, reference: None) -> None:
    audit_before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.project_create(
            actor=admin_user,
            code="9RAF23002",
            title="Backwards",
            planned_start=dt.date(2024, 1, 1),
            planned_end=dt.date(2023, 1, 1),
            lead_office=Office.objects.get(code="dakar"),
            region=Region.objects.get(code="AFR"),
        )
    assert "before the planned start" in _field_error(error, "planned_end")
    assert not Project.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_duplicate_project_code_is_a_field_error_in_the_form(
    admin_user: Any, login: Any, project: Project
) -> None:
    response = login(admin_user).post(
        "/portfolio/projects/new/",
        {
            "code": project.code,
            "title": "Copy",
            "status": "pipeline",
            "planned_start": "2023-01-01",
            "planned_end": "2023-12-31",
            "lead_office": Office.objects.get(code="dakar").pk,
            "region": Region.objects.get(code="AFR").pk,
            "manager_location": "hq",
            "currency": "CHF",
        },
    )
    assert response.status_code == 422
    assert "already exists" in " ".join(response.context["form"].errors["code"])
    assert Project.objects.count() == 1


def test_negative_budget_and_transaction_are_refused(admin_user: Any, project: Project) -> None:
    with pytest.raises(ValidationError) as error:
        services.budget_create(
            actor=admin_user, project=project, year=2023, amount=Decimal(-1), currency="CHF"
        )
    _field_error(error, "amount")
    with pytest.raises(ValidationError) as error:
        services.transaction_create(
            actor=admin_user,
            project=project,
            kind="expenditure",
            date=dt.date(2023, 3, 1),
            amount=Decimal(-1),
            currency="CHF",
        )
    _field_error(error, "amount")
    assert not project.budgets.exists()
    assert not project.transactions.exists()
