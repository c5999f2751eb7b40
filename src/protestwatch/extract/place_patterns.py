"""The patterns of place names and of the addresses written after them, built from the language pack's place
words (lang/<language>/place_words.yaml)."""

from __future__ import annotations

import re
from functools import cache

from protestwatch.extract.gazetteer_tables import name_key
from protestwatch.lang import load

# A word of a name: dots only inside ('U.S') or after a short abbreviation ('St. Louis'), so that a
# sentence's full stop ends the name ("Orangi town, Karachi. Protesters ...").
_NAME_WORD = r"(?:(?:St|Ste|Mt|Ft|Pt)\.|[A-Z](?:[\w'\u2019\-]|\.(?=\w))*)"


def _any(words: list[str]) -> str:
    """An alternation of lexicon entries, which may hold a little regex ('neighbou?rhood')."""
    return "|".join(words)


@cache
def patterns(language: str = "en") -> dict[str, re.Pattern]:
    """The place rules' patterns, built from the language pack's place words (lang/<language>/place_words.yaml)."""
    words = load("place_words", language)
    name = _NAME_WORD + rf"(?:\s+(?:(?:{_any(words['address_name_connectors'])})\s+)?" + _NAME_WORD + r")*"
    kind = rf"(?:\s+(?:{_any(words['address_kinds'])}))?"
    return {
        # the kind word at the end of a name: 'Karaganda city'
        "suffix": re.compile(rf"\s+({_any(words['name_suffixes'])})$", re.IGNORECASE),
        # the kind word of a first-level region: the text says the name is a region's, not a town's
        "region_suffix": re.compile(rf"\s+({_any(words['region_suffixes'])})$", re.IGNORECASE),
        "compass": re.compile(rf"(?:(?:{_any(words['compass_words'])})[\s-]*)+(?:{_any(words['compass_kinds'])})?"),
        "compass_prefix": re.compile(rf"(?:{_any(words['compass_prefixes'])})\s+"),
        "area_words": re.compile(rf"\b({_any(words['area_words'])})\b", re.IGNORECASE),
        "address_step": re.compile(kind + r"(?:\s*\(([^()\n]{2,80})\)|,\s*(" + name + r")|\s+(?:"
                                   + _any(words["address_prepositions"]) + r")\s+(?:the\s+)?(" + name + r"))"),
    }


def address_after(text: str, position: int, limit: int = 3) -> list[tuple[str, int, int, bool]]:
    """The areas written right after a place name that ends at `position`, as (name, start, end,
    bracketed): 'Badah town (Larkana, Sindh)' -> Larkana, Sindh (bracketed: an address for sure);
    'Coatzacoalcos, Veracruz, less than' -> Veracruz (after a comma: an address or the next of a list)."""
    parts: list[tuple[str, int, int, bool]] = []
    while len(parts) < limit:
        match = patterns()["address_step"].match(text, position)
        if match is None:
            break
        if match.group(1) is not None:
            start = match.start(1)
            for piece in match.group(1).split(","):
                offset = start + len(piece) - len(piece.lstrip())
                name = piece.strip()
                if name[:1].isupper():
                    parts.append((name, offset, offset + len(name), True))
                start += len(piece) + 1
        else:
            group = 2 if match.group(2) is not None else 3
            parts.append((match.group(group), match.start(group), match.end(group), False))
        position = match.end()
    return parts[:limit]


def area_key(name: str) -> str:
    """A region's or district's name without its kind words, for comparing spellings from different sources
    ('Sindh Province', 'Sindh'; 'Zhambyl oblysy', 'Zhambyl')."""
    return " ".join(patterns()["area_words"].sub(" ", name_key(name).replace("-", " ")).split())
