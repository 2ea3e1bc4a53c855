import logging
import re

from django.apps import AppConfig

# The secret of a one-time link travels in the address (/surveys/t/<token>/,
# /api/v1/surveys/forms/<token>/). Django logs the path of 4xx answers (django.request),
# CSRF refusals (django.security.csrf) and, under runserver, every request (django.server).
TOKEN_IN_PATH = re.compile(r"(/surveys/(?:t|forms)/)[^/\s\"'?]+")
REDACTED_LOGGERS = ("django.request", "django.security.csrf", "django.server")


class RedactSurveyTokens(logging.Filter):
    """Replace a link's secret in a log line with …, keeping the rest of the line."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        if "/surveys/" in message:
            redacted = TOKEN_IN_PATH.sub(r"\1…", message)
            if redacted != message:
                record.msg, record.args = redacted, ()
        return True


class SurveysConfig(AppConfig):
    name = "dangjian.surveys"
    verbose_name = "民意测评"

    def ready(self) -> None:
        for name in REDACTED_LOGGERS:
            logger = logging.getLogger(name)
            if not any(isinstance(f, RedactSurveyTokens) for f in logger.filters):
                logger.addFilter(RedactSurveyTokens())
