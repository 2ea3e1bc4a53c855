"""The project starts in a fresh interpreter (catches import-order cycles the test run hides)."""

import os
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_migrate_in_a_fresh_process(tmp_path):
    # A scratch SQLite database: this checks start-up, not the database under test.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DEBUG="1", DANGJIAN_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="dangjian.settings"
    )
    result = subprocess.run(
        [sys.executable, "-m", "dangjian.manage", "migrate", "-v0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard, not a speed check: ~190 migrations, a busy CI machine
    )
    assert result.returncode == 0, result.stderr[-2000:]
