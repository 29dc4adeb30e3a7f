"""Pages follow the language chosen with the switcher: French, Spanish, and Arabic laid out right to left."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def choose(client: Client, language: str, next_url: str = "/") -> Any:
    """Pick a language with the switcher in the page header, as a person would."""
    return client.post(reverse("set_language"), {"language": language, "next": next_url}, follow=True)


def test_switching_to_french_shows_the_home_page_and_navigation_in_french(
    admin_user: Any, login: Callable[[Any], Client]
) -> None:
    client = login(admin_user)
    page = choose(client, "fr").content.decode()
    assert '<html lang="fr" dir="ltr">' in page
    assert "Présence régionale" in page
    assert "Tableau de bord" in page  # navigation
    assert "Portefeuille de projets" in page
    assert "Où aller" in page  # home page
    assert "Se déconnecter" in page
    assert "Log out" not in page
    # The choice is remembered for the next pages.
    assert "Tableau de bord de la présence régionale" in client.get("/").content.decode()


def test_switching_back_to_english_restores_english(admin_user: Any, login: Callable[[Any], Client]) -> None:
    client = login(admin_user)
    choose(client, "fr")
    page = choose(client, "en").content.decode()
    assert '<html lang="en" dir="ltr">' in page
    assert "Where to go" in page
    assert "Où aller" not in page


def test_the_login_page_follows_the_chosen_language(client: Client) -> None:
    page = choose(client, "es", reverse("login")).content.decode()
    assert "<h1>Iniciar sesión</h1>" in page
    assert "Contraseña" in page  # the field label, from Django's own Spanish catalog


def test_the_dashboard_overview_in_spanish_has_translated_headings(
    admin_user: Any, login: Callable[[Any], Client]
) -> None:
    client = login(admin_user)
    page = choose(client, "es", reverse("dashboard:overview")).content.decode()
    assert '<html lang="es" dir="ltr">' in page
    for heading in (
        "Panel de control",
        "Resumen",
        "Dónde están las oficinas",
        "Filtros del panel de control",
    ):
        assert heading in page, heading
    for english in ("Where the offices are", "Dashboard filters"):
        assert english not in page, english


def test_table1_in_russian_and_chinese_is_translated(admin_user: Any, login: Callable[[Any], Client]) -> None:
    client = login(admin_user)
    russian = choose(client, "ru", reverse("portfolio:table1")).content.decode()
    assert "Обзор осуществляемых проектов МСЭ по регионам" in russian
    chinese = choose(client, "zh-hans", reverse("portfolio:table1")).content.decode()
    assert '<html lang="zh-hans" dir="ltr">' in chinese
    assert "国际电联在实施项目按区域概览" in chinese


def test_table1_total_row_funding_columns_and_footnote_follow_the_language(
    admin_user: Any, login: Callable[[Any], Client]
) -> None:
    client = login(admin_user)
    russian = choose(client, "ru", reverse("portfolio:table1")).content.decode()
    assert '<th scope="row">Итого' in russian
    assert "Финансирование от партнеров" in russian  # a funding-source column heading
    assert "MUL: многорегиональные проекты" in russian
    choose(client, "fr")
    workbook = load_workbook(io.BytesIO(client.get(reverse("portfolio:table1"), {"format": "xlsx"}).content))
    cells = [cell for row in workbook.active.iter_rows(values_only=True) for cell in row if cell]
    assert "Total" in cells
    assert "MUL : projets multirégionaux, qui profitent à toutes les régions." in cells


@pytest.mark.parametrize("url_name", ["home", "dashboard:overview", "portfolio:table1", "login"])
def test_arabic_pages_are_laid_out_right_to_left(url_name: str, admin_user: Any, client: Client) -> None:
    if url_name != "login":
        client.force_login(admin_user)
    page = choose(client, "ar", reverse(url_name)).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "الحضور الإقليمي" in page


def test_every_navigation_entry_has_a_french_label() -> None:
    untranslated = []
    with translation.override("fr"):
        for config in apps.get_app_configs():
            for label, _url_name in getattr(config, "navigation", []):
                with translation.override("en"):
                    english = str(label)
                if str(label) == english:
                    untranslated.append(f"{config.label}: {english}")
    assert not untranslated, "add them to the catalogs (docs/translations.md): " + ", ".join(untranslated)
