import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
# Web workers: statements are bounded by DATABASE_STATEMENT_TIMEOUT (see settings.py).
os.environ.setdefault("DANGJIAN_WEB", "1")
application = get_wsgi_application()
