"""Celery task of the annual statistics (see statistics.services.run_compute)."""

from celery import shared_task

from dangjian.statistics import services


@shared_task(name="dangjian.statistics.compute")
def compute_statistics(run_id: int) -> None:
    services.run_compute(run_id)
