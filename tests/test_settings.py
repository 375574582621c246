"""Every key of ``settings.SPASS`` is set from its environment variable and documented."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import get_type_hints

from config.settings import SpassSettings

ROOT = Path(__file__).resolve().parents[1]
PRINT_SPASS = (
    "import json; from config import settings; "
    "print(json.dumps({k: str(v) for k, v in settings.SPASS.items()}))"
)


def _chosen(kind: type) -> str:
    """A value no default has, as the environment would give it."""
    return {int: "7", bool: "yes", str: "/choisi", Path: "/choisi"}[kind]


def test_every_key_is_read_from_the_environment():
    hints = get_type_hints(SpassSettings)
    env = {**os.environ, **{f"SPASS_{key}": _chosen(kind) for key, kind in hints.items()}}
    out = subprocess.run(
        [sys.executable, "-c", PRINT_SPASS], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    read = json.loads(out.stdout)
    expected = {k: {"7": "7", "yes": "True"}.get(_chosen(t), "/choisi") for k, t in hints.items()}
    assert read == expected


def test_every_key_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [key for key in get_type_hints(SpassSettings) if f"`SPASS_{key}`" not in readme]
    assert missing == []
