"""Every setting the code reads is declared in settings.py (with the source's value as the
default), so no reader carries a default of its own."""

import re
from pathlib import Path

from django.conf import settings
from rest_framework.settings import api_settings

SRC = Path(__file__).resolve().parents[2] / "src" / "dangjian"
# Settings of libraries read where they may be absent.
LIBRARY_OPTIONAL = {"WHITENOISE_ROOT"}


def test_every_setting_read_is_declared():
    used = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        used |= set(re.findall(r"(?<![\w.])settings\.([A-Z][A-Z0-9_]+)", path.read_text()))
    missing = {
        name
        for name in used - LIBRARY_OPTIONAL
        if not hasattr(settings, name) and not hasattr(api_settings, name)
    }
    assert not missing, f"read but not declared in settings.py: {sorted(missing)}"


def test_no_reader_keeps_its_own_default():
    offenders = []
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        for name in re.findall(r'getattr\(\s*settings,\s*"([A-Z_]+)"', text):
            if name not in LIBRARY_OPTIONAL | {"STATICFILES_DIRS"}:
                offenders.append(f"{path.relative_to(SRC)}: {name}")
    assert not offenders, offenders
