"""The JSON a progress bar polls, shared by import jobs and bulk actions (one script serves)."""

from __future__ import annotations

from typing import Any


def progress_state(task: Any, count: int, *, unknown: int | None) -> dict:
    """The common part of the state of a background task with `status`, `total` and `error`.

    Every status past pending and running is an end (an import may also be undone).
    `count` is how many items are processed so far; `unknown` is the percent shown while
    the task runs without a known total.
    """
    done = task.status not in (task.Status.PENDING, task.Status.RUNNING)
    percent = unknown
    if done and task.status != "interrupted":  # an interrupted task stopped short
        percent = 100
    elif task.total:
        percent = min(99, int(100 * count / task.total))
    return {
        "id": task.pk,
        "status": task.status,
        "status_label": str(task.get_status_display()),
        "done": done,
        "total": task.total,
        "percent": percent,
        "error": task.error,
    }
