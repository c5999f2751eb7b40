"""Where protestwatch keeps what it derives once per machine from the data packages it ships with (the
gazetteer's tables, the language identifier's model unpacked): `$PROTESTWATCH_CACHE_DIR`, else
`$XDG_CACHE_HOME/protestwatch`, else `~/.cache/protestwatch`. Every file there is named by a key over what it
was built from, written under a temporary name and renamed into place, so a reader never sees half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_directory() -> Path:
    explicit = os.environ.get("PROTESTWATCH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "protestwatch"


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """`write(temporary)` fills a file beside `path`, which then takes its place in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o644)  # mkstemp's file is private; what is cached is not
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_older_builds(current: Path, prefix: str) -> None:
    """After `current` was built, the files beside it that an earlier version built under other keys
    (`prefix`-*): nothing reads them again, and each holds tens of megabytes. A process still reading one
    keeps its open file; a file that cannot be removed is left."""
    for old in current.parent.glob(f"{prefix}*"):
        if old != current and not old.name.startswith("."):
            try:
                old.unlink()
            except OSError:
                pass
