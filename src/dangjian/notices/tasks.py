"""Celery tasks of notices: the daily digest, for a deployment that schedules with Celery beat
rather than the systemd timer (deploy/dangjian-digest.timer)."""

from celery import shared_task

from dangjian.notices import services


@shared_task(name="dangjian.notices.send_digest")
def send_digest() -> dict[str, int]:
    result = services.send_digests()
    return {
        "sent": result.sent,
        "already_sent": result.already_sent,
        "no_email": result.no_email,
        "opted_out": result.opted_out,
        "nothing_new": result.nothing_new,
        "failed": result.failed,
    }
