"""Celery tasks (the worker's side of core.jobs)."""

from celery import shared_task

from dangjian.core import jobs


@shared_task(name="dangjian.core.run_job")
def run_job(job_id: int) -> None:
    jobs.run(job_id)


@shared_task(name="dangjian.core.run_import")
def run_import(job_id: int) -> None:
    from dangjian.core import imports

    imports.run(job_id)
