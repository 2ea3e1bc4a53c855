# The Celery application is loaded with Django, so that tasks use the project's configuration.
from dangjian.celery import app as celery_app

__all__ = ["celery_app"]
