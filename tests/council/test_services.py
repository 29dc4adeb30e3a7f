"""The workflow of Council document versions: who may write and approve, freezing, and live figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from presence.core.errors import AccessDenied, InvalidTransition
from presence.council import selectors, services
from presence.council.models import CouncilDocument, DocumentVersion
from presence.council.render import render
from presence.engagement import services as engagement_services
from presence.org.models import Region


def _forum(actor: Any, title: str, people: int) -> Any:
    return engagement_services.event_create(
        actor=actor,
        kind="forum",
        title=title,
        start_date=dt.date(2023, 5, 2),
        end_date=dt.date(2023, 5, 3),
        region=Region.objects.get(code="AFR"),
        participants_total=people,
    )


def _approve(version: DocumentVersion, hq: dict[str, Any]) -> DocumentVersion:
    version = services.version_submit(actor=hq["editor"], version=version, expected_version=version.version)
    return services.version_approve(actor=hq["approver"], version=version, expected_version=version.version)


def test_a_figure_changes_in_the_draft_and_not_in_the_approved_version(
    draft: DocumentVersion, hq: dict[str, Any], admin_user: Any
) -> None:
    _forum(admin_user, "Regional development forum for Africa", 300)
    approved = _approve(draft, hq)
    assert approved.status == DocumentVersion.Status.APPROVED
    frozen = approved.frozen
    assert frozen is not None
    assert frozen["fields"]["forums year=2023"]["value"] == "1"
    assert frozen["fields"]["forums year=2023"]["url"] == (
        "/engagement/events/?kind=forum&start=2023-01-01&end=2023-12-31"
    )
    assert "A dash paragraph with one forums." in render(approved).text()

    _forum(admin_user, "Regional development forum for Africa, second", 200)  # a record changes
    new = services.version_create(actor=hq["editor"], document=draft.document, language="en")
    assert new.number == 2
    assert new.body == approved.body
    previous = selectors.last_approved(new, user=hq["editor"])
    assert previous == approved
    shown = render(new, previous=previous)
    assert "A dash paragraph with two forums." in shown.text()
    assert set(shown.changed) == {"forums year=2023"}
    assert (shown.changed["forums year=2023"].before, shown.changed["forums year=2023"].after) == ("1", "2")
    changed = next(s for s in shown.sections[1].items[0].segments if s.key == "forums year=2023")
    assert (changed.text, changed.previous) == ("two", "one")

    approved.refresh_from_db()
    assert approved.frozen == frozen  # the approved version keeps its figures
    assert "A dash paragraph with one forums." in render(approved).text()


def test_nobody_approves_their_own_version(draft: DocumentVersion, hq: dict[str, Any]) -> None:
    version = services.version_create(
        actor=hq["both"], document=draft.document, language="fr", date=dt.date(2024, 9, 2), body="Texte."
    )
    version = services.version_submit(actor=hq["both"], version=version, expected_version=version.version)
    with pytest.raises(AccessDenied, match="another approver must decide"):
        services.version_approve(actor=hq["both"], version=version, expected_version=version.version)
    # Nor the one who wrote it and had someone else submit it.
    submitted = services.version_submit(actor=hq["both"], version=draft, expected_version=draft.version)
    assert submitted.created_by == hq["editor"]
    with pytest.raises(AccessDenied):
        services.version_approve(actor=hq["editor"], version=submitted, expected_version=submitted.version)
    approved = services.version_approve(
        actor=hq["approver"], version=submitted, expected_version=submitted.version
    )
    assert approved.approved_by == hq["approver"]


def test_region_editors_approvers_and_delegates_cannot_write(
    document: CouncilDocument, draft: DocumentVersion, hq: dict[str, Any]
) -> None:
    for who in ("afr_editor", "delegate", "approver"):
        with pytest.raises(AccessDenied):
            services.version_update(actor=hq[who], version=draft, expected_version=draft.version, body="x")
        with pytest.raises(AccessDenied):
            services.document_create(
                actor=hq[who],
                governing_body="C",
                session="s",
                number=f"C/{who}",
                title="t",
                year_from=2024,
                year_to=2024,
            )
    draft = services.version_submit(actor=hq["editor"], version=draft, expected_version=draft.version)
    for who in ("afr_approver", "afr_editor", "delegate"):
        with pytest.raises(AccessDenied):
            services.version_approve(actor=hq[who], version=draft, expected_version=draft.version)


def test_only_a_draft_changes_and_one_open_version_per_language(
    draft: DocumentVersion, hq: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.version_create(actor=hq["editor"], document=draft.document, language="en")
    assert "language" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.version_create(actor=hq["editor"], document=draft.document, language="de")
    assert "language" in caught.value.message_dict
    approved = _approve(draft, hq)
    with pytest.raises(InvalidTransition):
        services.version_update(
            actor=hq["editor"], version=approved, expected_version=approved.version, body="x"
        )
    with pytest.raises(InvalidTransition):
        services.version_delete(actor=hq["editor"], version=approved, expected_version=approved.version)
    published = services.version_publish(
        actor=hq["approver"], version=approved, expected_version=approved.version
    )
    assert published.status == DocumentVersion.Status.PUBLISHED
    assert published.frozen == approved.frozen
    with pytest.raises(ValidationError):
        services.document_delete(actor=hq["editor"], document=draft.document, expected_version=None)


def test_an_unknown_field_is_refused_at_save_naming_it(draft: DocumentVersion, hq: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        services.version_update(
            actor=hq["editor"],
            version=draft,
            expected_version=draft.version,
            body="Projects: {{projects_on_going year=2023}}.",
        )
    assert "unknown field “projects_on_going”" in caught.value.message_dict["body"][0]
    draft.refresh_from_db()
    assert "{{projects_ongoing year=2023}}" in draft.body  # nothing written


def test_return_needs_a_comment_and_puts_the_version_back_to_draft(
    draft: DocumentVersion, hq: dict[str, Any]
) -> None:
    draft = services.version_submit(actor=hq["editor"], version=draft, expected_version=draft.version)
    with pytest.raises(ValidationError):
        services.version_return(
            actor=hq["approver"], version=draft, expected_version=draft.version, comment=" "
        )
    back = services.version_return(
        actor=hq["approver"], version=draft, expected_version=draft.version, comment="Add Table 1."
    )
    assert back.status == DocumentVersion.Status.DRAFT
    assert back.return_comment == "Add Table 1."
    assert back.frozen is None


def test_delegates_read_published_versions_only(draft: DocumentVersion, hq: dict[str, Any]) -> None:
    assert not selectors.version_list(user=hq["delegate"]).exists()
    assert selectors.version_list(user=hq["afr_editor"]).count() == 1  # every insider reads them
    approved = _approve(draft, hq)
    assert not selectors.document_list(user=hq["delegate"]).exists()
    services.version_publish(actor=hq["approver"], version=approved, expected_version=approved.version)
    assert list(selectors.version_list(user=hq["delegate"])) == [approved]


def test_the_document_sits_at_headquarters(hq: dict[str, Any], admin_user: Any) -> None:
    from presence.org.models import Office

    with pytest.raises(ValidationError) as caught:
        services.document_create(
            actor=admin_user,
            governing_body="C",
            session="s",
            number="C/1",
            title="t",
            year_from=2025,
            year_to=2024,
            languages="en,xx",
            office=Office.objects.get(code="dakar"),
        )
    assert set(caught.value.message_dict) == {"year_to", "languages", "office"}
    document = services.document_create(
        actor=hq["editor"],
        governing_body="C",
        session="s",
        number="C/2",
        title="t",
        year_from=2024,
        year_to=2024,
    )
    assert document.office.code == "geneva"
    assert document.languages == "en"
