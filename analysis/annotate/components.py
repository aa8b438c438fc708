"""The suite's spaCy pipeline: its own components, and the record a parsed document condenses to.

``annotation_pipeline()`` runs ``tok2vec``, ``tagger``, ``attribute_ruler``, ``lemmatizer``, ``ner``
and ``senter`` (the dependency parser is not loaded) plus three small components: flag emoji
(regional-indicator pairs such as 🇵🇸) are merged into one token before the models run; a sentence
always starts after a blank line, so sentences never cross paragraphs; and a last component
condenses each parsed document into a small record (:func:`doc_record`: language, counts,
sentence offsets, lemmas and VADER scores, NER spans, candidate tokens), so worker processes send
back records rather than full parses. The model's ``attribute_ruler`` is applied by lookup
(:mod:`analysis.annotate.ruler`: the same token attributes, without spaCy's Matcher on every
token). Its tokenizer is spaCy's, except on runs of text without
whitespace longer than :data:`analysis.annotate.longtext.MAX_RUN` characters (emoji spam), which
it tokenizes in pieces (see :mod:`analysis.annotate.longtext`).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from functools import lru_cache
from typing import Any

import numpy as np
import spacy
from spacy.attrs import ENT_TYPE, IDX, IS_ALPHA, IS_SPACE, IS_STOP, LEMMA, LENGTH, POS, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from analysis.annotate.language import LANGID_VERSION, POLICY, LanguageGuess, detect_language
from analysis.annotate.longtext import MAX_RUN, LongRunTokenizer, doc_text
from analysis.annotate.nlp import fresh_pipeline, model_location
from analysis.annotate.ruler import LookupAttributeRuler
from analysis.annotate.sentiment import REMOVED_CHARS, REPLACED_CHARS, VADER_VERSION, vader_scores

#: The model components run (the parser is excluded; en_core_web_sm ships ``senter`` disabled).
MODEL_COMPONENTS = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer", "ner", "senter")
EXCLUDED_COMPONENTS = ("parser",)
#: Shipped disabled by the model; the sentence recogniser replaces the excluded parser.
SWITCHED_ON_COMPONENTS = ("senter",)
FLAG_COMPONENT = "discourse_merge_flags"
BREAK_COMPONENT = "discourse_paragraph_breaks"
RECORD_COMPONENT = "discourse_record"
#: The factory of :class:`analysis.annotate.ruler.LookupAttributeRuler` (it takes the place and
#: the name of the model's ``attribute_ruler``, whose patterns it applies).
LOOKUP_RULER_FACTORY = "discourse_lookup_attribute_ruler"
#: ``Doc.user_data`` key holding a parsed document's record.
RECORD_KEY = "discourse_record"

#: Candidate tokens for linking: alphabetic, not a stop word, at least this long, outside NER spans.
CANDIDATE_MIN_LENGTH = 3
#: ``Doc.user_data`` key of a language decided outside the pipeline (chunks of a long text).
GUESS_KEY = "discourse_language"
_REGIONAL_INDICATOR = re.compile("[\U0001f1e6-\U0001f1ff]")
_TOKEN_ATTRS = [IDX, LENGTH, IS_SPACE, IS_ALPHA, IS_STOP, ENT_TYPE, SENT_START, LEMMA, POS]
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def _is_regional_indicator(token: Any) -> bool:
    text = token.text
    return len(text) == 1 and 0x1F1E6 <= ord(text) <= 0x1F1FF


@Language.component(FLAG_COMPONENT)
def merge_flag_emoji(doc: Doc) -> Doc:
    """Merge each pair of adjacent regional-indicator tokens (a flag emoji) into one token.

    Pairs are taken from the start of each run of indicators, as Unicode reads flags, so
    ``🇺🇸🇮🇱`` becomes two tokens. Runs before the statistical components, which see one token.
    """
    if not _REGIONAL_INDICATOR.search(doc_text(doc)):
        return doc
    spans, i, n = [], 0, len(doc)
    while i < n - 1:
        token = doc[i]
        if _is_regional_indicator(token):
            if not token.whitespace_ and _is_regional_indicator(doc[i + 1]):
                spans.append(doc[i : i + 2])
                i += 2
                continue
        i += 1
    if spans:
        with doc.retokenize() as retokenizer:
            for span in spans:
                retokenizer.merge(span)
    return doc


@Language.component(BREAK_COMPONENT)
def break_at_blank_lines(doc: Doc) -> Doc:
    """Start a sentence at the first token after every blank line (paragraph break)."""
    text = doc_text(doc)
    if "\n" not in text:
        return doc
    starts = [t.idx for t in doc]
    for match in _BLANK_LINE.finditer(text):
        i = bisect_left(starts, match.end())
        while i < len(doc) and doc[i].is_space:
            i += 1
        if i < len(doc):
            doc[i].is_sent_start = True
    return doc


def doc_record(doc: Doc) -> dict:
    """Condense a parsed document into the record the cache stores.

    Token attributes are read in one ``Doc.to_array`` call rather than through ``Token`` objects.

    Returns:
        ``{"lang", "lang_score", "lang_rule", "tokens", "words", "vader", "sents", "ents",
        "cands"}``: ``tokens`` counts non-whitespace tokens and ``words`` alphabetic ones;
        ``vader`` is ``[neg, neu, pos, compound]`` of the whole text (``None`` when not
        English); ``sents`` rows are ``[start, end, token_count, lemmas, neg, neu, pos,
        compound, words]`` (``words``: the lemmatised words as written, lower-cased), a
        sentence running from its first to its last non-whitespace token;
        ``ents`` rows ``[start, end, label]``; ``cands`` rows ``[start, end, pos, lemma]``.
        Sentences, spans and candidates are empty for non-English texts.
    """
    text = doc_text(doc)
    guess = doc.user_data.get(GUESS_KEY)
    if not isinstance(guess, LanguageGuess):
        guess = detect_language(text)
    array = doc.to_array(_TOKEN_ATTRS).reshape(len(doc), len(_TOKEN_ATTRS))
    not_space = array[:, 2] == 0
    record: dict[str, Any] = {
        "lang": guess.lang,
        "lang_score": guess.score,
        "lang_rule": guess.rule,
        "tokens": int(np.count_nonzero(not_space)),
        "words": int(np.count_nonzero(not_space & (array[:, 3] != 0))),
        "vader": None,
        "sents": [],
        "ents": [],
        "cands": [],
    }
    if not guess.is_english:
        return record
    bounds, cands = _sentences_and_candidates(array, not_space, text, doc.vocab.strings)
    sents = [
        [start, end, n, " ".join(lemmas), *vader_scores(text[start:end]), " ".join(words)]
        for start, end, n, lemmas, words in bounds
    ]
    if len(sents) == 1 and sents[0][1] - sents[0][0] == len(text.strip()):
        record["vader"] = sents[0][4:8]  # VADER strips the text itself: same input, same scores
    else:
        record["vader"] = list(vader_scores(text))
    record["sents"] = sents
    record["ents"] = [[e.start_char, e.end_char, e.label_] for e in doc.ents]
    record["cands"] = cands
    return record


def _sentences_and_candidates(
    array: np.ndarray, not_space: np.ndarray, text: str, strings: Any
) -> tuple[list, list]:
    """Sentence bounds ``[start, end, token_count, lemmas, words]`` and candidate tokens
    ``[start, end, pos, lemma]`` from ``Doc.to_array(_TOKEN_ATTRS)`` (``not_space``: its
    non-whitespace tokens).

    A sentence starts at a token whose ``SENT_START`` is 1 (and at the first token); it runs
    from its first to its last non-whitespace token, and a sentence of whitespace only is left
    out. The bounds and counts come from NumPy; only the content words (alphabetic, not stop
    words), the ones whose strings are needed, are visited in Python.
    """
    tokens = np.flatnonzero(not_space)
    if not len(tokens):
        return [], []
    opens = array[:, 6] == 1
    opens[0] = True
    sentence = np.cumsum(opens)[tokens]  # each non-whitespace token's sentence number
    cut = np.flatnonzero(sentence[1:] != sentence[:-1]) + 1
    first = tokens[np.concatenate(([0], cut))]
    last = tokens[np.concatenate((cut - 1, [len(tokens) - 1]))]
    counts = np.diff(np.concatenate(([0], cut, [len(tokens)])))
    idx, length = array[:, 0], array[:, 1]
    ends = (idx[last] + length[last]).tolist()
    bounds: list[list] = [
        [start, end, n, [], []]
        for start, end, n in zip(idx[first].tolist(), ends, counts.tolist(), strict=True)
    ]
    content = np.flatnonzero(not_space & (array[:, 3] != 0) & (array[:, 4] == 0))
    cands = []
    if len(content):
        owner = np.searchsorted(first, content, side="right") - 1
        rows = array[content][:, [0, 1, 5, 7, 8]].tolist()
        for j, (start, n_chars, ent_type, lemma, pos) in zip(owner.tolist(), rows, strict=True):
            lemma_text = strings[lemma]
            end = start + n_chars
            bound = bounds[j]
            bound[3].append(lemma_text.lower())
            bound[4].append(text[start:end].lower())
            if ent_type == 0 and n_chars >= CANDIDATE_MIN_LENGTH:
                cands.append([start, end, strings[pos], lemma_text])
    return bounds, cands


@Language.factory(LOOKUP_RULER_FACTORY)
def make_lookup_ruler(nlp: Language, name: str) -> LookupAttributeRuler:
    """The model's ``attribute_ruler`` applied by lookup (:mod:`analysis.annotate.ruler`)."""
    return LookupAttributeRuler(nlp.get_pipe("attribute_ruler"))


def use_lookup_ruler(nlp: Language) -> None:
    """Put :class:`analysis.annotate.ruler.LookupAttributeRuler` in place of ``nlp``'s
    ``attribute_ruler``, under the same name and at the same place (the same token
    attributes, about fifteen times faster; the stock ruler is kept inside it as the fallback)."""
    if "attribute_ruler" not in nlp.pipe_names:
        return
    nlp.add_pipe(LOOKUP_RULER_FACTORY, name=LOOKUP_RULER_FACTORY, after="attribute_ruler")
    nlp.remove_pipe("attribute_ruler")
    nlp.rename_pipe(LOOKUP_RULER_FACTORY, "attribute_ruler")


@Language.component(RECORD_COMPONENT)
def attach_record(doc: Doc) -> Doc:
    """Store :func:`doc_record` in ``doc.user_data``."""
    doc.user_data[RECORD_KEY] = doc_record(doc)
    return doc


@lru_cache(maxsize=1)
def annotation_pipeline() -> Language:
    """The pipeline this step runs, loaded once per process.

    ``en_core_web_sm`` ships ``senter`` disabled and a config that disables it again whatever
    ``enable=`` says, so the pipeline is loaded without the parser and ``senter`` is switched on
    afterwards. The suite's components are added to this private copy only, its
    ``attribute_ruler`` is applied by lookup (:func:`use_lookup_ruler`: the same attributes)
    and its tokenizer is wrapped in :class:`analysis.annotate.longtext.LongRunTokenizer`.

    Raises:
        ModelNotFoundError: no English pipeline is installed.
    """
    nlp = fresh_pipeline(exclude=EXCLUDED_COMPONENTS, switch_on=SWITCHED_ON_COMPONENTS)
    use_lookup_ruler(nlp)
    nlp.add_pipe(FLAG_COMPONENT, first=True)
    nlp.add_pipe(BREAK_COMPONENT, after="senter")
    nlp.add_pipe(RECORD_COMPONENT, last=True)
    nlp.tokenizer = LongRunTokenizer(nlp.tokenizer, max_run=MAX_RUN)
    return nlp


@lru_cache(maxsize=1)
def cache_settings() -> dict[str, Any]:
    """Everything that changes a cached record: model, library versions, policies.

    Reads the model's ``meta.json`` without loading the pipeline, so a fully cached rerun does not
    load spaCy's models at all.
    """
    _, path = model_location()
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    return {
        "model_name": f"{meta.get('lang', 'en')}_{meta.get('name', '?')}",
        "model_version": meta.get("version", "?"),
        "spacy_version": spacy.__version__,
        "vader_version": VADER_VERSION,
        "langid_version": LANGID_VERSION,
        "components": [FLAG_COMPONENT, *MODEL_COMPONENTS, BREAK_COMPONENT, RECORD_COMPONENT],
        "excluded": list(EXCLUDED_COMPONENTS),
        "language_policy": POLICY,
        "vader_removed": REMOVED_CHARS,
        "vader_replaced": REPLACED_CHARS,
        "candidate_min_length": CANDIDATE_MIN_LENGTH,
        "max_run": MAX_RUN,
    }
