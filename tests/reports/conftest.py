"""The reports tests use the dashboard tests' demo data fixtures."""

from tests.dashboard.conftest import demo, demo_module, demo_user

__all__ = ["demo", "demo_module", "demo_user"]
