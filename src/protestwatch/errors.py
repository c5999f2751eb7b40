"""The catalogue of errors protestwatch raises, one class per kind, each with a stable code, the HTTP
status the API answers it with, and a message that names the thing that failed. The API's error body
is {"error": message, "code": code}; docs/errors.md lists the codes (a test keeps it complete).

Codes: PW1xx reading input, PW2xx the store, PW3xx exports, PW4xx evaluation data, PW5xx review and
the API."""

from __future__ import annotations


class ProtestwatchError(Exception):
    """Base class: an error a user can act on."""

    code = "PW000"
    status = 500


class IngestError(ProtestwatchError):
    """A file (or a line of a .jsonl file) could not be read as a report; the run goes on without it."""

    code = "PW100"
    status = 422

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnsupportedFormat(IngestError):
    """A file whose type protestwatch does not read."""

    code = "PW101"


class StoreError(ProtestwatchError):
    """The database could not be opened or written."""

    code = "PW200"


class DatabaseBusy(StoreError):
    """Another writer held the database locked for longer than protestwatch waits (with back-off)."""

    code = "PW201"
    status = 503


class ExportError(ProtestwatchError):
    """An export format or destination is not usable."""

    code = "PW300"
    status = 400


class GoldFormatError(ProtestwatchError):
    """A gold (evaluation) file that cannot be read as the format it claims."""

    code = "PW400"
    status = 400


class ReviewError(ProtestwatchError):
    """A review action that cannot be done as asked (an invalid correction, merge or split)."""

    code = "PW500"
    status = 400


class Unauthorized(ReviewError):
    """A change without a reviewer's valid token."""

    code = "PW501"
    status = 401


class InvalidRequest(ReviewError):
    """A request whose parameters or body do not validate."""

    code = "PW502"
    status = 422


class NotFound(ReviewError):
    """No event or document with that id."""

    code = "PW504"
    status = 404


class BodyTooLarge(ReviewError):
    """A write whose body is larger than the API takes, or whose size is not stated (Content-Length)."""

    code = "PW505"
    status = 413


class TooManyFailures(ReviewError):
    """Too many requests with a wrong token from one client in a short time: it waits before trying again."""

    code = "PW506"
    status = 429

    def __init__(self, message: str, retry_after: int = 60):
        super().__init__(message)
        self.retry_after = retry_after


def catalogue() -> list[type[ProtestwatchError]]:
    """Every error class, base first."""
    out, pending = [], [ProtestwatchError]
    while pending:
        kind = pending.pop(0)
        out.append(kind)
        pending.extend(kind.__subclasses__())
    return out
