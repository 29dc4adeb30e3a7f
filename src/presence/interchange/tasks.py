"""Background tasks (django-tasks): each runs one Job and records its outcome on it."""

from __future__ import annotations

from django_tasks import task

from presence.interchange.models import Job
from presence.interchange.services import job_run


@task()
def run_job(job_id: int) -> str:
    job = Job.objects.select_related("created_by").get(pk=job_id)
    job_run(job=job)
    return str(job.status)


def job_start(*, job: Job) -> None:
    """Queue the job (the immediate backend runs it now, a worker backend later).

    Called after `services.job_create` has committed, so a worker always finds the job and its file.
    """
    run_job.enqueue(job.pk)
