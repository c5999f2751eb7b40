"""The records passed between pipeline stages: Document -> Mention -> Event.

Every extracted value carries the span of document text that supports it, as character
offsets into `Document.text` (the cleaned text that is stored in the database).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date


def content_id(text: str) -> str:
    """A document's stable id: the first 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def stable_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]
    return f"{prefix}_{digest}"


@dataclass(frozen=True)
class Span:
    """A stretch of a document's text: [start, end) character offsets and the text itself."""

    start: int
    end: int
    text: str


@dataclass
class Document:
    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    path: str | None = None
    source_format: str = "txt"
    language: str = "en"
    # Offsets of the report's body: header lines (title, date, outlet, URL) and a trailing
    # outlet signature are kept in `text` for the record but not read for events.
    body_start: int = 0
    body_end: int | None = None
    dateline: Span | None = None

    @property
    def body_stop(self) -> int:
        return len(self.text) if self.body_end is None else self.body_end


@dataclass
class DateValue:
    """When: ISO start/end when known, else year/month/day parts (a year is never invented)."""

    start: date | None
    end: date | None
    precision: str | None  # day | week | month | month-day | year
    span: Span | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None

    def key(self) -> tuple:
        """What two dates must share to describe the same day (or month)."""
        if self.start is not None:
            return ("iso", self.start, self.end)
        return ("parts", self.year, self.month, self.day)



def dates_compatible(a: DateValue | None, b: DateValue | None, same_document: bool = True) -> bool:
    """Whether two dates can name the same happening: told in one report (`same_document`), an unknown date
    fits any; days must be the same day, longer spans overlap (a day inside a week or a month); without a
    year, the same month and day."""
    if a is None or b is None:
        return same_document
    if a.start is not None and b.start is not None:
        if a.precision == "day" and b.precision == "day":
            return a.start == b.start
        return a.start <= b.end and b.start <= a.end  # type: ignore[operator]
    # at least one date has no year. Across reports, a day with no year is not joined to a dated one:
    # nothing in the undated report says it was that year, and the merge would invent the year for it
    if not same_document and (a.year is None) != (b.year is None):
        return False
    if a.month != b.month:
        return False
    return a.day is None or b.day is None or a.day == b.day


@dataclass
class Place:
    text: str
    name: str
    country: str | None  # ISO 3166-1 alpha-2
    precision: str  # city | admin1 | country
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    admin1: str | None = None
    span: Span | None = None

    def key(self) -> str:
        if self.precision == "country":
            return f"country:{self.country}"
        return f"geonames:{self.geonames_id}" if self.geonames_id else f"name:{self.name.lower()}"


@dataclass
class Actor:
    name: str
    role: str  # organizer | participant | target | perpetrator
    kind: str  # group | person | police | government | court | foreign_body | security
    span: Span | None = None

    def key(self) -> tuple[str, str]:
        return (normalise_name(self.name), self.role)


@dataclass
class Demand:
    category: str
    text: str
    span: Span | None = None


@dataclass
class Count:
    """A number of people as an inclusive range; None = unknown bound."""

    min: int | None
    max: int | None
    span: Span | None = None

    def holds_for_each(self) -> bool:
        """Whether the count, told once for several places together ('in other cities, an unspecified number
        were detained'), holds for each of them: at least one, no upper bound. A stated number is no one
        place's."""
        return self.max is None and self.min <= 1


@dataclass
class Tagged:
    """A value from a fixed vocabulary (state response, tactic) with its evidence."""

    value: str
    span: Span | None = None
    quote: str | None = None  # e.g. the slogan that was chanted


@dataclass
class Mention:
    """One report of a happening in one sentence of one document."""

    id: str
    document_id: str
    type: str
    sentence: Span
    trigger: Span
    date: DateValue | None = None
    place: Place | None = None
    actors: list[Actor] = field(default_factory=list)
    demands: list[Demand] = field(default_factory=list)
    participants: Count | None = None
    detained: Count | None = None
    targeted: Count | None = None
    fatalities: Count | None = None  # people killed (political violence, violence against protesters)
    state_response: list[Tagged] = field(default_factory=list)
    tactics: list[Tagged] = field(default_factory=list)
    means: list[Tagged] = field(default_factory=list)  # how armed violence was done (taxonomy.MEANS)
    confidence: float = 0.5
    # Where the date and place came from: "sentence", "context" (an earlier sentence) or "document".
    date_source: str = "sentence"
    place_source: str = "sentence"
    # a riot reported with protest words ("protesters torched cars"): a violent demonstration
    demonstrators: bool = False
    # the word that keeps the report from stating it as fact ("appeared", "reportedly", "according to")
    hedge: Span | None = None


def block_key(mention: Mention) -> str:
    """The merge block of a mention: its place (GeoNames id, or country at country precision).
    Mentions without a place only ever merge within their own report."""
    return mention.place.key() if mention.place else f"document:{mention.document_id}"


@dataclass
class Source:
    document: str
    outlet: str | None
    url: str | None
    published: date | None
    sentence: str
    start: int = 0  # the sentence's offsets in the document's text
    end: int = 0
    duplicate_of: str | None = None  # this document is a near-copy of that one
    language: str | None = None  # the report's language (ISO 639-1): events merge across languages


@dataclass(frozen=True)
class SourceInfo:
    """What an event's source list needs to know about a document."""

    outlet: str | None
    url: str | None
    published: date | None
    duplicate_of: str | None = None  # a near-copy (syndicated story) of this earlier document
    language: str | None = None


@dataclass
class Evidence:
    field: str
    document: str
    start: int
    end: int
    text: str


@dataclass
class Event:
    id: str
    type: str
    date: DateValue | None
    location: Place | None
    actors: list[Actor]
    demands: list[Demand]
    participants: Count | None
    detained: Count | None
    targeted: Count | None
    state_response: list[str]
    tactics: list[Tagged]
    sources: list[Source]
    evidence: list[Evidence]
    mention_ids: list[str]
    related: list[str] = field(default_factory=list)
    related_types: list[str] = field(default_factory=list)
    # False for a riot with no demand and no protest at it: mob violence rather than a demonstration.
    political: bool = True
    confidence: float = 0.5
    # ACLED sub-event type given by the trained sub-type model (None: the rules' label stands)
    acled_learned: str | None = None
    acled_probability: float | None = None
    # "stated": some report tells it as fact; "hedged": every report hedges it ("appeared to", "reportedly")
    certainty: str = "stated"
    # the coder version (protestwatch.coder) that made this event
    coder: str = ""
    fatalities: Count | None = None
    means: list[str] = field(default_factory=list)


def normalise_name(name: str) -> str:
    """A stable key for an actor name: lower case, no leading article, single spaces."""
    words = name.lower().replace("\u2019", "'").split()
    if words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words).strip(" .,'\"")


def to_plain(value: object) -> object:
    """Dataclasses, dates and lists as JSON-ready values."""
    if hasattr(value, "__dataclass_fields__"):
        return {k: to_plain(v) for k, v in asdict(value).items()}  # type: ignore[arg-type]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


# -- reading records back from their plain (JSON) form --------------------------------------------
def _span(value: dict | None) -> Span | None:
    return Span(**value) if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def date_value_from_plain(value: dict | None) -> DateValue | None:
    if not value:
        return None
    return DateValue(start=_date(value["start"]), end=_date(value["end"]), precision=value["precision"],
                     span=_span(value.get("span")), year=value.get("year"), month=value.get("month"),
                     day=value.get("day"))


def place_from_plain(value: dict | None) -> Place | None:
    if not value:
        return None
    return Place(**{**value, "span": _span(value.get("span"))})


def _count(value: dict | None) -> Count | None:
    return Count(value["min"], value["max"], _span(value.get("span"))) if value else None


def _tagged(value: dict) -> Tagged:
    return Tagged(value["value"], _span(value.get("span")), value.get("quote"))


def mention_from_plain(value: dict) -> Mention:
    return Mention(
        id=value["id"],
        document_id=value["document_id"],
        type=value["type"],
        sentence=Span(**value["sentence"]),
        trigger=Span(**value["trigger"]),
        date=date_value_from_plain(value.get("date")),
        place=place_from_plain(value.get("place")),
        actors=[Actor(a["name"], a["role"], a["kind"], _span(a.get("span"))) for a in value.get("actors", [])],
        demands=[Demand(d["category"], d["text"], _span(d.get("span"))) for d in value.get("demands", [])],
        participants=_count(value.get("participants")),
        detained=_count(value.get("detained")),
        targeted=_count(value.get("targeted")),
        fatalities=_count(value.get("fatalities")),
        state_response=[_tagged(t) for t in value.get("state_response", [])],
        tactics=[_tagged(t) for t in value.get("tactics", [])],
        means=[_tagged(t) for t in value.get("means", [])],
        confidence=value.get("confidence", 0.5),
        date_source=value.get("date_source", "sentence"),
        place_source=value.get("place_source", "sentence"),
        demonstrators=value.get("demonstrators", False),
        hedge=_span(value.get("hedge")),
    )
