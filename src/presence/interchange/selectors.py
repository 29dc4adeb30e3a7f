"""Reads for interchange: projects to export (the portfolio list's filters) and the user's jobs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from presence.interchange.models import Job
from presence.interchange.progress import with_live_progress
from presence.org.access import has_role, is_superuser
from presence.org.models import Role
from presence.portfolio.models import Project
from presence.portfolio.selectors import project_list

# The portfolio project list's filters (same query string), which an IATI export takes.
EXPORT_FILTERS = ("region", "office", "status", "source", "partner", "year", "initiative", "priority", "q")


def export_projects(*, user: Any, **filters: Any) -> QuerySet[Project]:
    """The projects the user may view, filtered exactly as the portfolio project list filters them."""
    wanted = {
        name: value for name, value in filters.items() if name in EXPORT_FILTERS and value not in (None, "")
    }
    return project_list(user=user, **wanted)


def job_list(*, user: Any) -> QuerySet[Job]:
    """A user's own jobs; administrators see everybody's."""
    jobs = Job.objects.select_related("created_by")
    if is_superuser(user) or has_role(user, [Role.ADMIN]):
        return jobs
    return jobs.filter(created_by=user) if getattr(user, "is_authenticated", False) else jobs.none()


def job_get(*, user: Any, pk: int) -> Job:
    """A job the user may see; while it runs, with its live progress (`progress.py`)."""
    return with_live_progress(job_list(user=user).get(pk=pk))
