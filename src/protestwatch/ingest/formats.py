"""Readers, one per file format. Each returns raw text plus whatever metadata the format carries."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from protestwatch.errors import IngestError


@dataclass
class RawDocument:
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    doc_id: str | None = None
    locator: str = ""  # "file.jsonl:12" for a line of a .jsonl file
    language: str | None = None  # as the input states it (a .jsonl line's `language`); else detected


def read_plain_text(path: Path) -> Iterator[RawDocument]:
    yield RawDocument(text=decode_bytes(path.read_bytes(), str(path)))


def decode_bytes(data: bytes, where: str) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # UTF-16 with its byte-order mark (Windows 'Unicode' text): its NUL bytes are half its characters
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise IngestError(where, "starts with a UTF-16 byte-order mark but is not valid UTF-16") from None
        if "\x00" in text:
            raise IngestError(where, "binary file (contains NUL characters), not a text report")
        return text
    if b"\x00" in data:  # anywhere, not only at the start: a NUL would be stored into the text
        raise IngestError(where, "binary file (contains NUL bytes), not a text report")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # Not UTF-8: Windows-1252 is the one legacy encoding of Western news archives that is accepted,
    # and only when every byte is defined in it and nothing decodes to a control character.
    # Guessing among other code pages from a short text picks wrong ones silently.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise IngestError(where, "not valid UTF-8 (nor Windows-1252); re-encode the file as UTF-8") from None
    if any(ord(ch) < 32 and ch not in "\n\r\t\f" for ch in text):
        raise IngestError(where, "not valid UTF-8 and not plain text in Windows-1252; re-encode the file as UTF-8")
    return text


# A .docx is a zip: a small file can inflate to gigabytes of XML. Its parts' declared sizes are checked
# before anything is unpacked, and the text is cut off as it is read (see MAX_TEXT_CHARS).
MAX_DOCX_UNCOMPRESSED = 64 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000  # any report's text (checked for every format in ingest.build_document)


def _check_docx_size(path: Path) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            unpacked = sum(info.file_size for info in package.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise IngestError(str(path), f"corrupt .docx ({exc.__class__.__name__}: {exc})") from exc
    if unpacked > MAX_DOCX_UNCOMPRESSED:
        raise IngestError(str(path), f".docx inflates to {unpacked / 1e6:.0f} MB (limit "
                                     f"{MAX_DOCX_UNCOMPRESSED / 1e6:.0f} MB): refused before unpacking")


def read_docx(path: Path) -> Iterator[RawDocument]:
    import docx  # python-docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_docx_size(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise IngestError(str(path), f"corrupt or unreadable .docx ({exc.__class__.__name__})") from exc
    except Exception as exc:  # zipfile.BadZipFile, lxml errors: all mean a broken package
        raise IngestError(str(path), f"corrupt .docx ({exc.__class__.__name__}: {exc})") from exc
    # core_properties.created is not used as the article date: Word templates carry their own.
    paragraphs, length = [], 0
    for paragraph in document.paragraphs:
        paragraphs.append(paragraph.text)
        length += len(paragraph.text) + 2
        if length > MAX_TEXT_CHARS:
            raise IngestError(str(path), f"text too long (over {MAX_TEXT_CHARS} characters)")
    yield RawDocument(text="\n\n".join(paragraphs), title=document.core_properties.title or None)


def read_html(path: Path) -> Iterator[RawDocument]:
    import trafilatura

    html = decode_bytes(path.read_bytes(), str(path))
    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_recall=True)
    if not text:
        raise IngestError(str(path), "no article text found in the HTML")
    meta = trafilatura.extract_metadata(html)
    published = None
    if meta is not None and meta.date:
        try:
            published = date.fromisoformat(meta.date[:10])
        except ValueError:
            published = None
    yield RawDocument(
        text=text,
        title=meta.title if meta else None,
        outlet=meta.sitename if meta else None,
        url=meta.url if meta else None,
        published=published,
    )


def read_pdf(path: Path) -> Iterator[RawDocument]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise IngestError(str(path), f"corrupt or unreadable PDF ({exc})") from exc
    meta = reader.metadata
    yield RawDocument(text="\n\n".join(pages), title=(meta.title if meta else None) or None)


class JsonlArticle(BaseModel):
    """One line of a .jsonl corpus. Strict: a list or an object where a string belongs, or a number as an
    id, is refused with the field named (never str()-ed into something the user did not write)."""

    model_config = ConfigDict(strict=True, extra="ignore")

    text: str
    id: str | None = None
    title: str | None = None
    source: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None


def _line_problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "line"
    if first["type"] == "missing":
        return f"line has no field '{field}'"
    got = type(first.get("input")).__name__
    return f"field '{field}': {first['msg'].lower()} (got {got})"


def read_jsonl(path: Path) -> Iterator[RawDocument | IngestError]:
    """One article per line. A bad line is yielded as an error so the other lines still load."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield IngestError(where, f"not a JSON object ({exc})")
                continue
            if not isinstance(record, dict):
                yield IngestError(where, f"not a JSON object (a {type(record).__name__})")
                continue
            try:
                article = JsonlArticle.model_validate(record)
            except ValidationError as exc:
                yield IngestError(where, _line_problem(exc))
                continue
            published = None
            if article.published:
                try:
                    published = date.fromisoformat(article.published[:10])
                except ValueError:
                    yield IngestError(where, f"'published' is not an ISO date: {article.published!r}")
                    continue
            yield RawDocument(
                text=article.text,
                title=article.title,
                outlet=article.source or article.outlet,
                url=article.url,
                published=published,
                doc_id=article.id,
                locator=where,
                language=article.language.strip().lower() if article.language and article.language.strip() else None,
            )


READERS = {
    ".txt": ("txt", read_plain_text),
    ".text": ("txt", read_plain_text),
    ".docx": ("docx", read_docx),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
    ".pdf": ("pdf", read_pdf),
    ".jsonl": ("jsonl", read_jsonl),
}
