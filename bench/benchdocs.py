"""What the bench scripts share when they write docs/performance.md: which code a figure was measured with,
and the part of the page each script owns (between its markers)."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def commit() -> str:
    """The code a row was measured with (rows are kept across runs, so each says which commit made it)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
        # changed docs (the bench scripts rewrite them) are not changed code
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs"],
                               cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def marked_part(page: str, begin: str, end: str) -> tuple[str, str] | None:
    """(the page before `begin`, the page after `end`), or None when the page has no such part yet."""
    if begin in page and end in page:
        return page.split(begin)[0], page.split(end, 1)[1]
    return None
