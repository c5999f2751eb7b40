"""The language identifier's model is unpacked once into the cache and read from there (issue #16)."""

from __future__ import annotations

import pytest

from protestwatch.ingest import language

TEXTS = ("Police detained dozens of protesters outside the town hall on Sunday.",
         "Полиция задержала десятки участников акции у здания мэрии в воскресенье.",
         "Поліція затримала десятки учасників акції біля будівлі мерії в неділю.",
         "La police a interpellé des dizaines de manifestants devant la mairie dimanche.")


@pytest.fixture()
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PROTESTWATCH_CACHE_DIR", str(tmp_path))
    language._identifier.cache_clear()
    yield tmp_path
    language._identifier.cache_clear()


def _package_ranking(text):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(language.LANGUAGES))
    return identifier.rank(text)[:3]


def test_the_cached_model_ranks_languages_as_the_packaged_one(fresh_cache):
    ranked = [language._identifier().rank(text)[:3] for text in TEXTS]
    assert len(list(fresh_cache.glob("langid-*.npz"))) == 1
    for text, ranking in zip(TEXTS, ranked, strict=True):
        expected = _package_ranking(text)
        assert [code for code, _ in ranking] == [code for code, _ in expected]
        assert [p for _, p in ranking] == pytest.approx([p for _, p in expected])
    assert [language.detect_language(t) for t in TEXTS] == ["en", "ru", "uk", "fr"]


def test_a_damaged_cache_file_is_unpacked_again(fresh_cache):
    language._identifier()
    (path,) = fresh_cache.glob("langid-*.npz")
    path.write_bytes(path.read_bytes()[:1000])
    language._identifier.cache_clear()
    assert language.detect_language(TEXTS[1]) == "ru"
    assert path.stat().st_size > 1_000_000


def test_an_earlier_version_of_the_unpacked_model_is_removed(fresh_cache):
    older = fresh_cache / "langid-0123456789abcdef.npz"
    older.write_bytes(b"an earlier model")
    language._identifier()
    assert not older.exists()
    assert len(list(fresh_cache.glob("langid-*.npz"))) == 1
