"""Length limits on free text (ASVS 5.0 V2.2: input is bounded).

Two rules, both impossible to forget:
- every `models.TextField` of the project states its `max_length` (the system check
  `dangjian.E102` fails `manage.py check`, and so CI, when one does not). Django and DRF carry
  it into every ModelForm and ModelSerializer field, with their translated message
  (“确保该值不超过 5000 个字符（现在有 … 个）。”);
- every form or API field for text that is written by hand (forms.CharField,
  serializers.CharField and their subclasses) without a `max_length` gets
  settings.TEXT_INPUT_MAX_LENGTH (default 5,000) — `install()` runs when the core app loads.

The sizes below are chosen by what the text is for."""

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models

TEXT_DEFAULT = 5_000  # a note, an opinion, a reply, a finding
TEXT_LONG = 10_000  # a report, a summary, a plan, written notice
TEXT_MINUTES = 20_000  # meeting minutes (会议记录)


def input_max_length() -> int:
    return int(settings.TEXT_INPUT_MAX_LENGTH)


@checks.register(checks.Tags.models)
def check_text_fields_have_max_length(app_configs=None, **kwargs):
    errors = []
    for model in apps.get_models():
        if not model.__module__.startswith("dangjian."):
            continue
        for field in model._meta.local_fields:
            if isinstance(field, models.TextField) and field.max_length is None:
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} is a TextField without max_length.",
                        hint="Give it max_length (core.text_limits.TEXT_DEFAULT, TEXT_LONG or "
                        "TEXT_MINUTES, by what the text is for) and make a migration.",
                        obj=field,
                        id="dangjian.E102",
                    )
                )
    return errors


def _with_default_max_length(init, applies):
    def __init__(self, *args, **kwargs):
        if kwargs.get("max_length") is None and applies(kwargs):
            kwargs["max_length"] = input_max_length()
        init(self, *args, **kwargs)

    __init__.__wrapped__ = init
    return __init__


_installed = False


def install() -> None:
    """Give hand-written text fields of forms and serializers a default max_length."""
    global _installed
    if _installed:
        return
    from django import forms
    from rest_framework import fields as serializers

    forms.CharField.__init__ = _with_default_max_length(forms.CharField.__init__, lambda kw: True)
    # Only input counts: a read-only (output) serializer field keeps no limit.
    serializers.CharField.__init__ = _with_default_max_length(
        serializers.CharField.__init__, lambda kw: not kw.get("read_only")
    )
    _installed = True
