"""The NLP model as protestwatch sets it up must annotate exactly as the model as shipped: the cached
attribute ruler against the model's own, numpy's BLAS against thinc's default BLIS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
from spacy.pipeline import AttributeRuler

from protestwatch.nlp import MODELS
from protestwatch.nlp.attribute_rules import CachedAttributeRuler

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

# Sentences that reach the ruler's rarer rules: two-token rules ("gon na", "let 's", "y' all", "got ta",
# "there is"), negative contractions, pronoun case by dependency, subordinating 'that', space tokens.
TRICKY = [
    "I ain't gonna go, y'all. Let's c'mon, we gotta run. There is a protest and there were two.",
    "He said nothin' but it was I who gave it to you, and they told him that we left.",
    "Do it!  He did, and she does too; what do they have?  Which ones had they taken?",
    "Police detained  50 people\n\non Sunday.\n   The ban, which   took effect, gets lifted; he got it.",
]


@pytest.fixture(scope="module")
def model():
    """A fresh copy of the model with its original attribute_ruler (load_model's copy has the cached one)."""
    return spacy.load(MODELS["en"])


def _texts() -> list[str]:
    reports = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.txt"))]
    with open(EXAMPLES / "wire_feed.jsonl", encoding="utf-8") as feed:
        reports += [json.loads(line)["text"] for line in feed if line.strip()]
    return TRICKY + reports


def test_cached_ruler_annotates_like_the_models_ruler(model):
    ruler = model.get_pipe("attribute_ruler")
    cached = CachedAttributeRuler()
    assert cached.take_rules(ruler)
    texts = _texts()
    assert len(texts) > len(TRICKY)
    attrs = [TAG, POS, MORPH, LEMMA, DEP]
    # The ruler reads the tagger's and the parser's output, so both components get the same parsed docs.
    parsed = list(model.pipe(texts, disable=["attribute_ruler", "lemmatizer", "ner"]))
    for doc in parsed:
        assert not any(t.pos_ for t in doc)  # POS comes from the ruler: the test sees it do its work
        expected, actual = ruler(doc.copy()), cached(doc.copy())
        assert [(t.text, t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in actual] == \
               [(t.text, t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for t in expected]
        assert (actual.to_array(attrs) == expected.to_array(attrs)).all()
        assert all(t.pos_ for t in actual)
    # the two-token rules fired: "gon" + "na" -> lemma "go", "let" + "'s" -> "us"
    lemmas = {t.text.lower(): t.lemma_ for t in cached(parsed[0].copy())}
    assert lemmas["gon"] == "go" and lemmas["'s"] == "us"


def test_the_pipeline_uses_the_cached_ruler(nlp):
    assert isinstance(nlp.get_pipe("attribute_ruler"), CachedAttributeRuler)
    doc = nlp("Police detained dozens of protesters on Sunday.")
    assert [t.pos_ for t in doc][:3] == ["NOUN", "VERB", "NOUN"]
    assert doc[1].lemma_ == "detain"


def test_rules_it_cannot_read_leave_the_models_ruler_in_place():
    nlp = spacy.blank("en")
    ruler: AttributeRuler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "Sunday"}]], {"POS": "PROPN"})  # ORTH is not among the features it reads
    assert not CachedAttributeRuler().take_rules(ruler)
    from protestwatch.nlp.attribute_rules import use_cached_attribute_ruler

    assert not use_cached_attribute_ruler(nlp)
    assert nlp.get_pipe("attribute_ruler") is ruler


def test_rules_spanning_tokens_apply_in_the_rulers_order():
    """Later rules override earlier ones on the same token, whether they span one token or two."""
    nlp = spacy.blank("en")
    ruler: AttributeRuler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "go"})
    ruler.add([[{"LOWER": "gon"}]], {"LEMMA": "gone"})  # later: wins over the two-token rule
    ruler.add([[{"LOWER": "na"}]], {"LEMMA": "no"})
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na"}]], {"LEMMA": "to"}, index=-1)  # later: wins on "na"
    ruler.add([[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], {"LEMMA": "you"})
    cached = CachedAttributeRuler()
    assert cached.take_rules(ruler)
    for text in ["I'm gon na go, y' all.", "gon na gon na", "na gon", "gon"]:
        expected, actual = ruler(nlp.make_doc(text)), cached(nlp.make_doc(text))
        assert [t.lemma_ for t in actual] == [t.lemma_ for t in expected], text
    assert [t.lemma_ for t in cached(nlp.make_doc("gon na"))] == ["gone", "to"]


def test_numpy_matrix_products_give_the_models_annotations(nlp):
    from thinc.api import use_ops

    assert nlp.get_pipe("ner").model.ops.use_blis is False
    with use_ops("numpy", use_blis=True):
        shipped = spacy.load(MODELS["en"])
    assert shipped.get_pipe("ner").model.ops.use_blis is True
    shipped.add_pipe("report_sentences", before="parser")
    attrs = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]
    texts = _texts()
    for ours, theirs in zip(nlp.pipe(texts), shipped.pipe(texts), strict=True):
        assert (ours.to_array(attrs) == theirs.to_array(attrs)).all()
        assert [(e.start, e.end, e.label_) for e in ours.ents] == [(e.start, e.end, e.label_) for e in theirs.ents]


@pytest.mark.parametrize("text, word, lemma", [
    ("BISHKEK (AP) - Strikers blocked the main road on Monday.", "Strikers", "striker"),
    ("Headline of the report\nBISHKEK, June 4 (AP) - Rioters burned two cars.", "Rioters", "rioter"),
    # a paragraph's or a sentence's first word, after a headline or another sentence
    ("Report\n\nDemonstrations took place in Almaty on Monday.", "Demonstrations", "demonstration"),
    ("Police were out in force in Osh. Protesters gathered outside the town hall.", "Protesters", "protester"),
])
def test_an_event_word_opening_a_sentence_or_following_a_dateline_is_a_common_noun(nlp, text, word, lemma):
    token = next(t for t in nlp(text) if t.text == word)
    assert (token.pos_, token.lemma_) == ("NOUN", lemma)
    # a name there stays a name
    name = next(t for t in nlp("BISHKEK (AP) - Japarov said on Monday that talks would go on.") if t.text == "Japarov")
    assert name.pos_ == "PROPN"
