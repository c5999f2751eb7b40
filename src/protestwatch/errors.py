"""The catalogue of errors protestwatch raises. Each message names the thing that failed."""

from __future__ import annotations


class ProtestwatchError(Exception):
    """Base class: an error a user can act on."""


class IngestError(ProtestwatchError):
    """A file (or a line of a .jsonl file) could not be read as a report."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnsupportedFormat(IngestError):
    pass


class StoreError(ProtestwatchError):
    """The database could not be opened or written."""


class ExportError(ProtestwatchError):
    """An export format or destination is not usable."""
