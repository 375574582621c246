"""The real procrastinate worker, run by the tests that queue background jobs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def run_worker(queue: str, var_dir: Path | None = None) -> None:
    """``manage.py procrastinate worker`` in a subprocess, on the test database, until
    ``queue`` is empty (``var_dir``: the ``SPASS_VAR_DIR`` of the test, when it has one)."""
    s = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgis://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
    }
    if var_dir is not None:
        env["SPASS_VAR_DIR"] = str(var_dir)
    done = subprocess.run(
        [sys.executable, "manage.py", "procrastinate", "worker", "--one-shot", "-q", queue],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
