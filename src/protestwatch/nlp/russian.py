"""Russian: natasha's models (razdel segmentation, slovnet morphology, syntax and NER over navec
embeddings, all inside the PyPI packages) wrapped as a spaCy pipeline, so that every later stage reads a
Russian report through the same Doc, Span and Token API as an English one. Tokens, sentences, lemmas,
universal POS tags and features, dependency arcs (Universal Dependencies labels) and the NER's PER / LOC /
ORG spans are natasha's; offsets are the text's own.

Why natasha: among the Russian NLP that installs offline from PyPI with its models, it is the one with
syntax and NER trained on news (spaCy's ru_core_news models are not on the package index here; stanza
downloads its models at run time). On the 40 Russian dev articles it codes about 2,500 words a second
on one core, a little faster than the English spaCy pipeline."""

from __future__ import annotations

from functools import cache, lru_cache

from spacy.language import Language
from spacy.tokens import Doc


@cache
def _natasha():
    from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    embedding = NewsEmbedding()
    return (Segmenter(), MorphVocab(), NewsMorphTagger(embedding), NewsSyntaxParser(embedding),
            NewsNERTagger(embedding))


class NatashaTokenizer:
    """A spaCy tokenizer that runs natasha over the whole text and returns a fully annotated Doc."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces, sent_starts, pos, morphs, lemmas, heads, deps = [], [], [], [], [], [], [], []
        entities: list[tuple[int, int, str]] = []
        # Each line is parsed on its own: a headline, a dateline and a paragraph never run together into
        # one sentence (razdel splits at punctuation only), as the English pipeline's layout hints do.
        for offset, line in _lines(text):
            sentences, line_entities = _parse(line)
            entities.extend((start + offset, stop + offset, label) for start, stop, label in line_entities)
            self._add(sentences, text, offset, words, spaces, sent_starts, pos, morphs, lemmas, heads, deps)
        doc = Doc(self.vocab, words=words, spaces=spaces, sent_starts=sent_starts, pos=pos, morphs=morphs,
                  lemmas=lemmas, heads=heads, deps=deps)
        return _with_text_whitespace(doc, text, entities)

    @staticmethod
    def _add(sentences, text, offset, words, spaces, sent_starts, pos, morphs, lemmas, heads, deps) -> None:
        for sentence in sentences:
            # natasha numbers the tokens of each sentence on their own ("1_1", "1_2", ...)
            base = len(words)
            index_of = {token.id: base + position for position, token in enumerate(sentence.tokens)}
            sentence_heads = _tree(sentence.tokens, index_of, base)
            for position, token in enumerate(sentence.tokens):
                token.lemma = _lemma(token.text, token.pos, tuple(sorted((token.feats or {}).items())))
                words.append(token.text)
                end = offset + token.start + len(token.text)
                following = text[end:end + 1]
                spaces.append(following == " ")
                sent_starts.append(position == 0)
                pos.append(token.pos or "X")
                morphs.append("|".join(f"{k}={v}" for k, v in sorted((token.feats or {}).items())))
                lemmas.append(token.lemma or token.text.lower())
                head = sentence_heads[position]
                heads.append(head)
                deps.append("ROOT" if head == len(words) - 1 else (token.rel or "dep"))


@lru_cache(maxsize=200_000)
def _lemma(word: str, pos: str, feats: tuple[tuple[str, str], ...]) -> str:
    """natasha's lemma (pymorphy's analysis chosen by the tagger's features), once per distinct word form:
    a report repeats its words, and the analysis was a sixth of the Russian parse's time."""
    return _natasha()[1].lemmatize(word, pos, dict(feats))


def _lines(text: str):
    """(offset, block) for each block of text that cannot share a sentence with its neighbours: a line,
    joined with the lines after it that go on in lower case (a paragraph wrapped by hand)."""
    offset, start, end = 0, None, 0
    for line in text.split("\n"):
        stripped = line.strip()
        continues = bool(stripped) and start is not None and end == offset - 1 and stripped[0].islower()
        if start is not None and not continues:
            yield start, text[start:end]
            start = None
        if stripped:
            start = offset if start is None else start
            end = offset + len(line)
        offset += len(line) + 1
    if start is not None:
        yield start, text[start:end]


def _parse(line: str):
    """natasha's sentences of one line, and its named entities as (start, stop, label)."""
    from natasha import Doc as NatashaDoc

    segmenter, _, morph, syntax, ner = _natasha()
    parsed = NatashaDoc(line)
    parsed.segment(segmenter)
    parsed.tag_morph(morph)
    parsed.parse_syntax(syntax)
    parsed.tag_ner(ner)
    return parsed.sents, [(span.start, span.stop, span.type) for span in parsed.spans]


def _tree(tokens, index_of: dict[str, int], base: int) -> list[int]:
    """Document indexes of the heads of one sentence's tokens, made a tree: natasha's parser can return a
    cycle or several roots, which spaCy cannot hold. The first root stays the root; a token whose chain of
    heads loops or ends at another root hangs from it."""
    heads = [index_of.get(token.head_id) for token in tokens]
    roots = [base + i for i, (token, head) in enumerate(zip(tokens, heads, strict=True))
             if head is None or token.rel == "root" or head == base + i]
    root = roots[0] if roots else base
    heads = [base + i if base + i == root else (head if head is not None and base + i not in roots else root)
             for i, head in enumerate(heads)]
    for i in range(len(heads)):
        seen, current = set(), base + i
        while current != root and current not in seen:
            seen.add(current)
            current = heads[current - base]
        if current != root:  # a cycle: cut it at this token
            heads[i] = root
    return heads


def _with_text_whitespace(doc: Doc, text: str, entities: list[tuple[int, int, str]]) -> Doc:
    """A Doc whose text is the report's own. Whitespace other than single spaces (line breaks, double
    spaces) becomes whitespace tokens, so that every character offset points into the original text."""
    if doc.text == text:
        return _with_entities(doc, entities)
    words, spaces, annotations = [], [], []
    cursor = 0
    for token in doc:
        start = text.index(token.text, cursor)
        if start > cursor:
            words.append(text[cursor:start])
            spaces.append(False)
            annotations.append(None)
        words.append(token.text)
        spaces.append(bool(token.whitespace_))
        annotations.append(token)
        cursor = start + len(token.text) + len(token.whitespace_)
    if cursor < len(text):
        words.append(text[cursor:])
        spaces.append(False)
        annotations.append(None)
    new_index = [i for i, t in enumerate(annotations) if t is not None]
    old_to_new = {t.i: i for i, t in zip(new_index, (annotations[i] for i in new_index), strict=True)}
    rebuilt = Doc(doc.vocab, words=words, spaces=spaces,
                  sent_starts=[bool(t.is_sent_start) if t is not None else False for t in annotations],
                  pos=[t.pos_ if t is not None else "SPACE" for t in annotations],
                  morphs=[str(t.morph) if t is not None else "" for t in annotations],
                  lemmas=[t.lemma_ if t is not None else w for t, w in zip(annotations, words, strict=True)],
                  # whitespace hangs from the word before it, so that it never starts a sentence of its own
                  heads=[old_to_new[t.head.i] if t is not None else max(i - 1, 0) for i, t in enumerate(annotations)],
                  deps=[t.dep_ if t is not None else "dep" for t in annotations])
    return _with_entities(rebuilt, entities)


def _with_entities(doc: Doc, entities: list[tuple[int, int, str]]) -> Doc:
    ents = []
    for start, stop, label in entities:
        entity = doc.char_span(start, stop, label=label, alignment_mode="expand")
        if entity is not None and (not ents or entity.start >= ents[-1].end):
            ents.append(entity)
    doc.ents = ents
    return doc


def load_russian() -> Language:
    import spacy

    nlp = spacy.blank("ru")
    nlp.tokenizer = NatashaTokenizer(nlp.vocab)
    return nlp
