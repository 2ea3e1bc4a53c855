"""Test settings: the real settings module with development defaults."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-only-key")
# Fixed test-only keys for the encryption of personal data (never use these anywhere else).
os.environ.setdefault("DANGJIAN_DATA_KEYS", "test1:dGVzdC1vbmx5LWRhdGEta2V5LTMyLWJ5dGVzLWxvbmc=")
os.environ.setdefault("DANGJIAN_HASH_KEY", "dGVzdC1vbmx5LWhhc2gta2V5LTMyLWJ5dGVzLWxvbmc=")

from dangjian.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Close connections after each request so test databases can be dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# The second factor is enforced by tests of it (tests/core/test_otp.py), not by every test that
# signs in an administrator or the organisation department with force_login.
OTP_ENFORCE = False

# Counters are live in tests (a test changes data between two pages); tests of the cache set it.
AGGREGATE_CACHE_SECONDS = 0

# Background jobs run in the request that starts them (core.jobs), whatever the environment says.
CELERY_TASK_ALWAYS_EAGER = True
