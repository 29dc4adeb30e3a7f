"""Background tasks (django-tasks): each runs one Job and records its outcome on it."""

from __future__ import annotations

from django_tasks import task

from presence.interchange.models import Job


@task()
def run_job(job_id: int) -> str:
    from presence.interchange.services import job_run

    job = Job.objects.select_related("created_by").get(pk=job_id)
    job_run(job=job)
    return str(job.status)
