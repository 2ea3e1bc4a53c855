"""Celery tasks of org: the people import runs as a background job (issue 13 part 5)."""

from celery import shared_task


@shared_task(name="dangjian.org.run_people_import")
def run_people_import(job_id: int) -> None:
    """Validate the job's rows chunk by chunk (its progress is the row's validated_rows) and
    write them all when every row passed; a job already finished is left as it is."""
    from dangjian.org import excel
    from dangjian.org.models import ImportJob

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        excel.import_job_run(job=job)
