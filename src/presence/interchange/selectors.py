"""Reads for interchange: projects to export (the portfolio list's filters) and the user's jobs."""

from __future__ import annotations

import logging
from typing import IO, Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from presence.interchange.models import Job
from presence.interchange.progress import with_live_progress
from presence.org.access import has_role, is_superuser
from presence.org.models import Role
from presence.portfolio.models import Project
from presence.portfolio.selectors import project_list

logger = logging.getLogger(__name__)

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


def job_result_open(job: Job) -> IO[bytes]:
    """The file a job wrote, open for reading; Http404 saying why when there is none to read.

    A job row can outlive its file (a database restored without the media store, a file removed from
    the storage): that is a missing file (404), not a server error.
    """
    if not job.result_file:
        raise Http404(_("This job has no result file."))
    try:
        return job.result_file.open("rb")
    except FileNotFoundError:
        logger.warning("Job %s: result file %s is missing from the storage", job.pk, job.result_file.name)
        raise Http404(
            _("The result file of job %(job)s is missing from the storage; run the job again.")
            % {"job": job.pk}
        ) from None
