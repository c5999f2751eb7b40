"""Reviewers and their tokens: who may correct, approve, merge and split. Only a hash of each token is
stored; a token may expire (`expires_in_days`), be renewed, or be revoked for good. A client that sends
wrong tokens is slowed down (`FailedTokens`)."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import deque
from datetime import datetime, timedelta

from sqlalchemy import Engine, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from protestwatch.errors import NotFound, ReviewError
from protestwatch.review.corrections import _now
from protestwatch.store.models import UserRow


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# -- reviewers ---------------------------------------------------------------------------------
def add_user(engine: Engine, name: str, expires_in_days: int | None = None) -> str:
    """Create a reviewer; returns the token (shown once: only its hash is stored). With `expires_in_days`
    the token opens nothing after that many days (`renew_user` gives a new one)."""
    token = secrets.token_urlsafe(24)
    try:
        with Session(engine) as session, session.begin():
            session.add(UserRow(name=name, token_hash=_hash(token), created_at=_now(),
                                expires_at=_expiry(expires_in_days)))
    except IntegrityError:
        raise ReviewError(f"a user named {name!r} exists already") from None
    return token


def renew_user(engine: Engine, name: str, expires_in_days: int | None = None) -> str:
    """A new token for a reviewer whose token expired or was lost (the old one stops working). Not for a
    revoked reviewer: revoking is final."""
    token = secrets.token_urlsafe(24)
    with Session(engine) as session, session.begin():
        user = session.scalar(select(UserRow).where(UserRow.name == name))
        if user is None:
            raise NotFound(f"no reviewer named {name!r}")
        if user.token_hash.startswith(REVOKED):
            raise ReviewError(f"{name!r} was revoked; a revoked reviewer gets no new token")
        user.token_hash, user.expires_at = _hash(token), _expiry(expires_in_days)
    return token


def _expiry(days: int | None) -> datetime | None:
    if days is None:
        return None
    if days < 1:
        raise ReviewError("a token lasts at least one day")
    return _now() + timedelta(days=days)


REVOKED = "revoked-"  # a token hash is hexadecimal: no token ever hashes to a value with this prefix


def revoke_user(engine: Engine, name: str) -> None:
    """Destroy a reviewer's token: it opens nothing from now on. The name stays, so that the audit log's
    entries keep meaning one person and no one else can take it."""
    with Session(engine) as session, session.begin():
        user = session.scalar(select(UserRow).where(UserRow.name == name))
        if user is None:
            raise NotFound(f"no reviewer named {name!r}")
        user.token_hash = REVOKED + secrets.token_hex(24)


def list_users(engine: Engine) -> list[tuple[str, datetime, str, datetime | None]]:
    """Every reviewer: name, when added, the token's state (active, expired, revoked), when it expires."""
    now = _now()
    with Session(engine) as session:
        return [(user.name, user.created_at, _state(user, now), user.expires_at)
                for user in session.scalars(select(UserRow).order_by(UserRow.name))]


def _state(user: UserRow, now: datetime) -> str:
    if user.token_hash.startswith(REVOKED):
        return "revoked"
    return "expired" if user.expires_at is not None and user.expires_at <= now else "active"


def user_for_token(engine: Engine, token: str | None) -> str | None:
    if not token:
        return None
    with Session(engine) as session:
        return session.scalar(select(UserRow.name).where(
            UserRow.token_hash == _hash(token), or_(UserRow.expires_at.is_(None), UserRow.expires_at > _now())))


class FailedTokens:
    """Wrong tokens by client: after `limit` of them within `window` seconds, a client's token checks are
    turned away until the oldest of those leaves the window, so a client guessing tokens gets a few tries
    a minute. Only a token that was given and is wrong counts (a read without one is no guess)."""

    LIMIT = 5

    def __init__(self, limit: int = LIMIT, window: float = 60.0, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Seconds the client must wait before its next token is checked (0: check it now)."""
        with self._lock:
            recent = self._recent(client)
            return self.window - (self.clock() - recent[0]) if len(recent) >= self.limit else 0.0

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(self.clock())

    def _recent(self, client: str) -> deque[float]:
        now = self.clock()
        if len(self._failures) > 10_000:  # forget clients whose failures have all left the window
            self._failures = {c: q for c, q in self._failures.items() if q and now - q[-1] < self.window}
        recent = self._failures.setdefault(client, deque())
        while recent and now - recent[0] >= self.window:
            recent.popleft()
        return recent
