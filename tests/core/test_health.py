import pytest


@pytest.mark.django_db
def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


@pytest.mark.django_db
def test_home_page_is_served_to_anonymous_visitors_with_login_link(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Log in" in response.content
