"""spaCy's attribute ruler, applied through a cache.

en_core_web_sm's `attribute_ruler` (its tag map and morphology exceptions: TAG -> POS, MORPH, a few
LEMMAs) runs a Matcher with 179 patterns over every token: ~10 % of the whole pipeline's time on the
realistic benchmark mix. All but a handful of its patterns look at one token's TAG, LOWER, DEP and
IS_SPACE, so what such a rule sets on a token is a function of those four values; this component works it
out once per distinct combination (a few thousand) and caches it. The few rules that span two tokens
("gon na", "there is") still go through a spaCy Matcher. The rules are the loaded model's own; the
result is the same annotation (a test compares both components on real text), and the model's ruler is
kept (`use_cached_attribute_ruler` returns False) if a one-token pattern reads anything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

_FEATURES = ("TAG", "LOWER", "DEP", "IS_SPACE")
_ARRAY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]

# A token's features as strings (IS_SPACE as bool), in _FEATURES order.
Features = tuple[str, str, str, bool]
TokenTest = Callable[[Features], bool]


def _value_test(feature: str, value) -> Callable[[object], bool] | None:
    """A test of one feature value, as the Matcher reads the pattern (None: a form we do not support)."""
    if isinstance(value, bool):
        return lambda v: v == value
    if isinstance(value, str):
        return lambda v: v == value
    if isinstance(value, dict) and len(value) == 1:
        (op, arg), = value.items()
        if op == "IN" and isinstance(arg, list):
            allowed = frozenset(arg)
            return lambda v: v in allowed
        if op == "NOT_IN" and isinstance(arg, list):
            refused = frozenset(arg)
            return lambda v: v not in refused
        if op == "REGEX" and isinstance(arg, str) and feature != "IS_SPACE":
            pattern = re.compile(arg)
            return lambda v: v is not None and bool(pattern.search(v))
    return None


def _token_test(spec: dict) -> TokenTest | None:
    tests = []
    for key, value in spec.items():
        feature = key.upper()
        if feature not in _FEATURES:
            return None
        test = _value_test(feature, value)
        if test is None:
            return None
        tests.append((_FEATURES.index(feature), test))
    return lambda features: all(test(features[i]) for i, test in tests)


class CachedAttributeRuler:
    """Applies an AttributeRuler's rules: per token, the attributes of the rules that match there, the
    ruler's later rules overriding earlier ones (its order)."""

    def __init__(self):
        # (number, test of the token, attributes) for one-token rules, in the ruler's order
        self.one_token: list[tuple[int, TokenTest, dict]] = []
        # the few rules that span several tokens ("gon na", "there is") go through a spaCy Matcher
        self.longer: Matcher | None = None
        self.attrs: list[dict] = []
        self.indices: list[int] = []
        self.cache: dict[tuple, tuple[dict | None, list[tuple[int, dict]]]] = {}
        # The cache is keyed by the token's LOWER only when some rule can tell that word apart: every
        # other word reads as None, so the cache holds a few thousand entries, not the vocabulary.
        self.words: set[str] = set()
        self.word_patterns: list[re.Pattern] = []
        self.word_keys: dict[int, str | None] = {}

    def take_rules(self, ruler) -> bool:
        """Read the rules of a spaCy AttributeRuler; False (and nothing taken) if a one-token pattern
        uses a form this class does not read."""
        one_token, longer = [], Matcher(ruler.vocab)
        words: set[str] = set()
        word_patterns: list[re.Pattern] = []
        for number, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices, strict=True)):
            patterns = ruler.matcher.get(str(number))[1]
            if not all(len(pattern) == 1 for pattern in patterns):
                longer.add(str(number), patterns)
                continue
            tests = [_token_test(pattern[0]) for pattern in patterns]
            if None in tests or index not in (0, -1):  # another index is an error in spaCy's ruler
                return False
            one_token.append((number, _any(tests), attrs))
            for value in (v for (spec,) in patterns for k, v in spec.items() if k.upper() == "LOWER"):
                if isinstance(value, str):
                    words.add(value)
                elif "REGEX" in value:
                    word_patterns.append(re.compile(value["REGEX"]))
                else:  # IN / NOT_IN
                    words.update(*value.values())
        self.one_token, self.longer = one_token, (longer if len(longer) else None)
        self.attrs, self.indices, self.cache, self.word_keys = list(ruler.attrs), list(ruler.indices), {}, {}
        self.words, self.word_patterns = words, word_patterns
        return True

    def _word_key(self, lower: int, strings) -> str | None:
        """The word as the cache key: itself if some rule tells it apart, else None (first sight only)."""
        word = strings[lower]
        told_apart = word in self.words or any(pattern.search(word) for pattern in self.word_patterns)
        key = self.word_keys[lower] = word if told_apart else None
        return key

    def _one_token_rules(self, features: Features) -> tuple[dict | None, list[tuple[int, dict]]]:
        matched = [(number, attrs) for number, test, attrs in self.one_token if test(features)]
        merged: dict = {}
        for _, attrs in matched:
            merged.update(attrs)
        return merged or None, matched

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        spanning: dict[int, list[tuple[int, dict]]] = {}
        if self.longer is not None:
            for match_id, start, end in self.longer(doc, allow_missing=True):
                number = int(strings[match_id])
                index = self.indices[number]
                spanning.setdefault((start if index >= 0 else end) + index, []).append((number, self.attrs[number]))
        word_keys, cache = self.word_keys, self.cache
        for i, (tag, lower, dep, space) in enumerate(doc.to_array(_ARRAY_ATTRS).tolist()):
            word = word_keys[lower] if lower in word_keys else self._word_key(lower, strings)
            key = (tag, word, dep, space)
            found = cache.get(key)
            if found is None:
                features = (strings[tag], key[1], strings[dep], bool(space))
                found = cache[key] = self._one_token_rules(features)
            attributes = found[0]
            if i in spanning:  # rare: merge in the ruler's order
                attributes = {}
                for _, attrs in sorted(found[1] + spanning[i], key=lambda item: item[0]):
                    attributes.update(attrs)
            if attributes:
                set_token_attrs(doc[i], attributes)
        return doc


def _any(tests: list[TokenTest]) -> TokenTest:
    return tests[0] if len(tests) == 1 else (lambda features: any(test(features) for test in tests))


@Language.factory("cached_attribute_ruler")
def make_cached_attribute_ruler(nlp: Language, name: str) -> CachedAttributeRuler:
    return CachedAttributeRuler()


def use_cached_attribute_ruler(nlp: Language) -> bool:
    """Swap the model's attribute_ruler for the cached one, with the same rules; False (and nothing
    changed) if its rules use pattern forms the cached ruler does not read."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    if not CachedAttributeRuler().take_rules(ruler):
        return False
    nlp.replace_pipe("attribute_ruler", "cached_attribute_ruler").take_rules(ruler)
    return True
