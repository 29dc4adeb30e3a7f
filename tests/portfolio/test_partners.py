"""A partner's page: its contributions in CHF by year, region and project, each total equal to the
contributions list it links to, and only what the reader may see; its funding agreements."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from presence.org.models import Region, RoleAssignment
from presence.portfolio import selectors
from presence.portfolio.models import Funding, FundingAgreement, Partner, Project
from presence.portfolio.rates import RateBook

EU = "European Union"


def _client(username: str, *grants: tuple[str, ...]) -> Client:
    user = get_user_model().objects.create_user(username)
    for role, *scope in grants:
        region = Region.objects.get(code=scope[0]) if scope else None
        RoleAssignment.objects.create(user=user, role=role, region=region)
    client = Client()
    client.force_login(user)
    return client


def _admin() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def _lines(response: Any) -> list[tuple[str, Any, str]]:
    """(group title, total line, link) of every total on a partner page."""
    return [
        (title, line, url) for title, _heading, lines in response.context["groups"] for line, url in lines
    ]


def _per_record_chf(fundings: Any) -> Decimal:
    """The CHF total converting one record at a time: the reference the SQL totals must equal."""
    book = RateBook.load()
    converted = (book.to_chf(f.amount, f.currency, f.signed_on) for f in fundings)
    return sum((chf for chf in converted if chf is not None), Decimal(0))


def test_each_total_on_a_partner_page_equals_the_list_it_links_to(demo: None) -> None:
    partner = Partner.objects.get(name=EU)
    admin = _admin()
    page = admin.get(f"/portfolio/partners/{partner.pk}/")
    assert page.status_code == 200
    content = page.content.decode()
    lines = _lines(page)
    titles = {title for title, _line, _url in lines}
    assert len(titles) == 3
    assert len(lines) > 10
    for title, line, url in lines:
        assert f'href="{html.escape(url)}"' in content
        listed = admin.get(url)
        assert listed.status_code == 200, url
        assert listed.context["page"].paginator.count == line.count, (title, line.label)
        assert listed.context["total_chf"] == line.chf, (title, line.label)
    contributions = page.context["contributions"]
    records = Funding.objects.filter(partner=partner)
    assert contributions.count == records.count()
    assert contributions.total_chf == _per_record_chf(records)
    for title in titles:
        assert sum(line.chf for t, line, _url in lines if t == title) == contributions.total_chf, title
    everything = admin.get(page.context["all_url"])
    assert everything.context["total_chf"] == contributions.total_chf


def test_a_regional_reader_sees_only_the_contributions_of_its_region(demo: None) -> None:
    partner = Partner.objects.get(name=EU)
    reader = _client("afr-reader", ("viewer", "AFR"))
    page = reader.get(f"/portfolio/partners/{partner.pk}/")
    assert page.status_code == 200
    contributions = page.context["contributions"]
    assert [line.label for line in contributions.by_region] == ["AFR"]
    afr = Funding.objects.filter(partner=partner, project__region__code="AFR")
    assert contributions.total_chf == _per_record_chf(afr)
    assert Funding.objects.filter(partner=partner).exclude(project__region__code="AFR").exists()
    other = Funding.objects.filter(partner=partner).exclude(project__region__code="AFR").first()
    assert other is not None
    assert other.project.code not in page.content.decode()
    for _title, line, url in _lines(page):
        assert reader.get(url).context["total_chf"] == line.chf


def test_partner_names_link_to_their_page(demo: None) -> None:
    admin = _admin()
    partner = Partner.objects.get(name=EU)
    listed = admin.get("/portfolio/partners/", {"q": "European"})
    assert f'href="/portfolio/partners/{partner.pk}/"' in listed.content.decode()
    project = Project.objects.filter(fundings__partner=partner).first()
    assert project is not None
    shown = admin.get(project.get_absolute_url())
    assert f'href="/portfolio/partners/{partner.pk}/"' in shown.content.decode()


def test_the_demo_agreements_show_on_their_partner_and_project_pages(demo: None) -> None:
    agreement = FundingAgreement.objects.filter(partner__name=EU).first()
    assert agreement is not None
    assert agreement.projects.exists()
    admin = _admin()
    partner_page = admin.get(f"/portfolio/partners/{agreement.partner_id}/").content.decode()
    assert html.escape(agreement.reference) in partner_page
    project = agreement.projects.first()
    assert project is not None
    project_page = admin.get(project.get_absolute_url()).content.decode()
    assert f'href="/portfolio/agreements/{agreement.pk}/"' in project_page
    detail = admin.get(f"/portfolio/agreements/{agreement.pk}/").content.decode()
    assert html.escape(agreement.reporting_obligations) in detail
    assert re.search(rf'href="{project.get_absolute_url()}"', detail)


def test_demo_agreements_total_what_their_projects_received(demo: None) -> None:
    """Each demo agreement's amount is the partner's contributions to its projects in the year signed."""
    book = RateBook.load()
    agreements = list(FundingAgreement.objects.all())
    assert len(agreements) >= 5
    for agreement in agreements:
        assert agreement.signed_on is not None
        fundings = Funding.objects.filter(
            partner=agreement.partner,
            project__in=agreement.projects.all(),
            signed_on__year=agreement.signed_on.year,
        )
        rate = book.rate(agreement.currency, agreement.signed_on)
        assert rate is not None
        chf = selectors.funding_total_chf(fundings)
        assert abs(agreement.amount * rate - chf) <= Decimal(500) * rate, agreement.reference


@pytest.mark.parametrize("path", ["/portfolio/agreements/", "/portfolio/contributions/"])
def test_the_new_lists_are_linked_from_the_partners_list(demo: None, path: str) -> None:
    assert f'href="{path}"' in _admin().get("/portfolio/partners/").content.decode()
