"""The Celery application of the background jobs (core.jobs). Its configuration is the
CELERY_* settings; without a broker (the demo, the tests) tasks run in the calling process.

Worker: `celery -A dangjian worker` (deploy/dangjian-worker.service)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

app = Celery("dangjian")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
