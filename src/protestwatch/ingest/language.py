"""Which language a report is written in: py3langid (langid.py's model, 97 languages, shipped inside the
PyPI package). On the 110 English and Russian dev articles it is right for every one, in under 2 ms
each, and it tells Kazakh, Kyrgyz and Uzbek apart from Russian, which a Cyrillic-script test cannot."""

from __future__ import annotations

import hashlib
import logging
import lzma
import re
import shutil
import zipfile
from array import array
from functools import cache
from importlib import metadata
from pathlib import Path

from protestwatch.cache import cache_directory, remove_older_builds, write_atomically

LOGGER = logging.getLogger(__name__)

SAMPLE_CHARS = 3000  # the opening of a report says its language; the rest only costs time
# The languages a report to this tool may be in: the region's (Russian, Ukrainian, Belarusian, the Central
# Asian and Caucasian languages, Mongolian) and the world's large news languages. Restricting the model to
# them keeps a short English report from being read as Nigerian Pidgin or Tagalog.
LANGUAGES = ("en", "ru", "uk", "be", "kk", "ky", "uz", "tg", "tk", "az", "hy", "ka", "mn", "tr", "fa", "ar", "zh",
             "ja", "ko", "fr", "es", "pt", "de", "it", "nl", "pl", "cs", "ro", "hu", "sr", "hr", "bg", "el", "he",
             "hi", "ur", "bn", "id", "ms", "vi", "th", "sw", "am")
MIN_CONFIDENCE = 0.25  # below it the text says too little: the default language
# The languages with a language pack (nlp.MODELS; a test keeps the two equal). A text is taken to be in
# another language only when the model is sure of it: a weak guess ('Mahadayi Kalasa Banduri Horata
# Samanvaya Samiti members protested', read as Malay) falls back to the coded language it ranks highest,
# since a report wrongly left uncoded is lost while one coded in its own language's near neighbour is not.
CODED = ("en", "ru")
SURE = 0.9
_LETTER = re.compile(r"[^\W\d_]")


@cache
def _identifier():
    from py3langid.langid import LanguageIdentifier

    ptc, pc, classes, nextmove, row, output = _model()
    identifier = LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def _model() -> tuple:
    """py3langid's model as its loader gives it (py3langid.modelio.load_model), read from a copy unpacked
    once per machine into the cache: the package ships it xz-compressed, and unpacking it took half a
    second of every start. A cache that cannot be written or read costs only that half second."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    packed = MODEL_DIR / MODEL_FILE
    key = hashlib.sha256(f"{metadata.version('py3langid')};{packed.stat().st_size}".encode()).hexdigest()[:16]
    path = cache_directory() / f"langid-{key}.npz"
    for attempt in range(2):
        try:
            if attempt or not path.is_file():
                write_atomically(path, lambda temporary: _unpack(packed, temporary))
                remove_older_builds(path, "langid-")
            with np.load(path, allow_pickle=False) as data:
                return (data["ptc"], data["pc"], data["classes"].tolist(), _unsigned(data["nextmove"]),
                        _unsigned(data["nextmove_row"]), data["out_feat"].tolist())
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
            LOGGER.warning("language model cache %s unusable (%s)", path, error)
    from py3langid.modelio import load_model

    return load_model(packed)


def _unpack(packed: Path, target: Path) -> None:
    with lzma.open(packed) as source, target.open("wb") as sink:
        shutil.copyfileobj(source, sink, length=1 << 20)


def _unsigned(values):
    """A NumPy array of unsigned integers as the stdlib array the identifier's state machine indexes."""
    import numpy as np

    out = array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).tobytes())
    return out


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the text's language; `default` for a text with no letters to judge by."""
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < 3:
        return default
    identifier = _identifier()
    language, confidence = identifier.classify(sample)
    if confidence < MIN_CONFIDENCE:
        return default
    if language not in CODED and confidence < SURE:
        return next(code for code, _ in identifier.rank(sample) if code in CODED)
    return language
