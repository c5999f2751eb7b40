"""Ingest: files and folders in, Documents out. A bad file becomes an IngestError, never a crash."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from protestwatch.errors import IngestError, UnsupportedFormat
from protestwatch.ingest.clean import clean_text
from protestwatch.ingest.formats import MAX_TEXT_CHARS, READERS, RawDocument
from protestwatch.ingest.header import parse_header
from protestwatch.ingest.language import detect_language
from protestwatch.records import Document, content_id

MAX_FILE_BYTES = 20 * 1024 * 1024  # a single report; .jsonl corpora are streamed and exempt


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Every supported file under the given files and folders, recursively, in a stable order."""
    return discover_with_problems(paths)[0]


def discover_with_problems(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """The supported files under the given files and folders, and what could not be looked into: a path
    that does not exist, a sub-folder that cannot be read, a link to nothing. Nothing is skipped silently."""
    found: list[Path] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_symlink() and not path.exists():
            problems.append((str(path), "a link to nothing (dangling symbolic link)"))
        elif not path.exists():
            problems.append((str(path), "no such file or folder"))
        elif path.is_dir():
            found.extend(_walk(path, problems))
        else:
            found.append(path)
    return found, problems


def _walk(folder: Path, problems: list[tuple[str, str]]) -> list[Path]:
    def unreadable(exc: OSError) -> None:
        problems.append((exc.filename or str(folder), f"folder cannot be read ({exc.strerror or exc})"))

    found = []
    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs.sort()
        for name in files:
            path = Path(root) / name
            if path.suffix.lower() not in READERS:
                continue
            if path.is_symlink() and not path.exists():
                problems.append((str(path), "a link to nothing (dangling symbolic link)"))
            elif path.is_file():
                found.append(path)
    return sorted(found)


def read_path(path: Path, default_published: date | None = None) -> Iterator[Document | IngestError]:
    """Documents in one file; errors are yielded (not raised) so a caller can report and go on."""
    try:
        yield from _read(path, default_published)
    except IngestError as exc:
        yield exc
    except OSError as exc:
        yield IngestError(str(path), f"cannot read file ({exc.strerror or exc})")


def _read(path: Path, default_published: date | None) -> Iterator[Document | IngestError]:
    suffix = path.suffix.lower()
    if suffix not in READERS:
        raise UnsupportedFormat(str(path), f"unsupported file type {suffix or '(none)'}; "
                                f"supported: {', '.join(sorted(READERS))}")
    source_format, reader = READERS[suffix]
    size = path.stat().st_size
    if source_format != "jsonl" and size > MAX_FILE_BYTES:
        raise IngestError(str(path), f"file too large ({size / 1e6:.0f} MB; limit "
                                     f"{MAX_FILE_BYTES / 1e6:.0f} MB for one report)")
    if size == 0:
        raise IngestError(str(path), "empty file")
    for raw in reader(path):
        if isinstance(raw, IngestError):
            yield raw
            continue
        try:
            yield build_document(raw, str(path), source_format, default_published)
        except IngestError as exc:
            yield exc


def build_document(raw: RawDocument, path: str, source_format: str,
                   default_published: date | None = None) -> Document:
    where = raw.locator or path
    text = clean_text(raw.text)
    if not text.strip():
        raise IngestError(where, "no text in the document")
    if len(text) > MAX_TEXT_CHARS:
        raise IngestError(where, f"text too long ({len(text)} characters; limit {MAX_TEXT_CHARS})")
    header = parse_header(text)
    return Document(
        id=raw.doc_id or content_id(text),
        text=text,
        title=raw.title or header.title,
        outlet=raw.outlet or header.outlet,
        url=raw.url or header.url,
        published=raw.published or header.published or default_published,
        path=where,
        source_format=source_format,
        body_start=header.body_start,
        body_end=header.body_end,
        dateline=header.dateline,
        language=raw.language or detect_language(text),
    )
