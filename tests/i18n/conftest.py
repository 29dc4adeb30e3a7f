"""The i18n tests use the dashboard tests' demo user fixture (the demo data fixtures are shared by all)."""

from tests.dashboard.conftest import demo_user

__all__ = ["demo_user"]
