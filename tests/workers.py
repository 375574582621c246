"""The real procrastinate worker, run by the tests that queue background jobs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def _command(queue: str, *options: str) -> list[str]:
    return [sys.executable, "manage.py", "procrastinate", "worker", *options, "-q", queue]


def worker_env(var_dir: Path | None = None, **spass: str) -> dict[str, str]:
    """The environment of a subprocess on the test database (``var_dir``: the
    ``SPASS_VAR_DIR`` of the test, when it has one; ``spass``: other ``SPASS_*`` settings)."""
    s = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgis://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
        **{f"SPASS_{key}": value for key, value in spass.items()},
    }
    if var_dir is not None:
        env["SPASS_VAR_DIR"] = str(var_dir)
    return env


def run_worker(queue: str, var_dir: Path | None = None, **spass: str) -> None:
    """``manage.py procrastinate worker`` in a subprocess, on the test database, until
    ``queue`` is empty (``spass``: ``SPASS_*`` settings of the worker)."""
    done = subprocess.run(
        _command(queue, "--one-shot"),
        cwd=ROOT,
        env=worker_env(var_dir, **spass),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr


def start_worker(queue: str, var_dir: Path | None = None) -> subprocess.Popen:
    """The worker in the background, to be killed by the test."""
    return subprocess.Popen(
        _command(queue),
        cwd=ROOT,
        env=worker_env(var_dir),
        stdout=subprocess.DEVNULL,
    )
