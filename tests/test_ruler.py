"""The attribute ruler applied by lookup gives every token the stock ruler's attributes."""

from __future__ import annotations

import csv
import json
import os

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, NORM, ORTH, POS, TAG
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from analysis import config
from analysis.annotate.components import (
    EXCLUDED_COMPONENTS,
    SWITCHED_ON_COMPONENTS,
    annotation_pipeline,
    use_lookup_ruler,
)
from analysis.annotate.nlp import fresh_pipeline
from analysis.annotate.ruler import LookupAttributeRuler, lookup_supported

DEV = config.ROOT.parent / "shared" / "devdata"
ATTRS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_TYPE, ENT_IOB, NORM]
#: Texts that reach the multi-token patterns, the whitespace rules and the regex rules.
EDGE_CASES = [
    "I'm gonna say it, y'all: we ain't got nothin' left.",
    "Gon na GOT TA go, let's go! c'mon now",
    "Y' all are wrong. Ya'll too.",
    "There is a cat and there are dogs.",
    "  leading spaces\n\n\nand blank lines \t\t tabs ",
    "nuthin' doin'",
    "Ain't it grand? It ain't.",
    "😂😂 🇺🇸🇮🇱 #hashtag @user http://example.com",
    "I did it. Do you? Has he? Had they done it?",
]


def _dev_texts(limit: int) -> list[str]:
    """Real comments: Fox News and YouTube exports (up to ``limit`` of each)."""
    fox = DEV / "fox_news" / "fox-news-comments-dev.jsonl"
    if not fox.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DEV}: the dev data is missing under CI")
        pytest.skip("dev data not present")
    with fox.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh if line.strip()][:limit]
    for name in ("Youtube01-Psy.csv", "Youtube02-KatyPerry.csv"):
        with (DEV / "youtube_spam" / name).open(encoding="utf-8") as fh:
            texts += [row["CONTENT"] for row in csv.DictReader(fh)][: limit // 2]
    return texts


def _seed_texts() -> list[str]:
    return [b for b in config.SEED_FILE.read_text(encoding="utf-8").split("\n\n") if b.strip()]


def _token_state(doc: Doc) -> tuple[np.ndarray, list[str]]:
    return doc.to_array(ATTRS), [str(t.morph) for t in doc]


@pytest.fixture(scope="module")
def pipelines():
    stock = fresh_pipeline(exclude=EXCLUDED_COMPONENTS, switch_on=SWITCHED_ON_COMPONENTS)
    lookup = fresh_pipeline(exclude=EXCLUDED_COMPONENTS, switch_on=SWITCHED_ON_COMPONENTS)
    use_lookup_ruler(lookup)
    return stock, lookup


def _assert_same_tokens(pipelines, texts: list[str]) -> None:
    stock, lookup = pipelines
    assert isinstance(lookup.get_pipe("attribute_ruler"), LookupAttributeRuler)
    assert lookup.pipe_names == stock.pipe_names
    for text, a, b in zip(texts, stock.pipe(texts), lookup.pipe(texts), strict=True):
        (array_a, morph_a), (array_b, morph_b) = _token_state(a), _token_state(b)
        assert np.array_equal(array_a, array_b), text
        assert morph_a == morph_b, text


def test_lookup_ruler_is_used_on_the_installed_spacy(pipelines) -> None:
    ruler = pipelines[1].get_pipe("attribute_ruler")
    assert ruler.enabled  # else the comparisons below would compare the stock ruler with itself
    assert isinstance(annotation_pipeline().get_pipe("attribute_ruler"), LookupAttributeRuler)


def test_same_tokens_as_stock_on_the_seed_and_edge_cases(pipelines) -> None:
    _assert_same_tokens(pipelines, _seed_texts() + EDGE_CASES)
    ruler = pipelines[1].get_pipe("attribute_ruler")
    starts = [key for key, rid in ruler.table.items() if rid < 0]
    assert starts, "the edge cases reach the multi-token patterns (stock fallback)"


def test_same_tokens_as_stock_on_dev_comments(pipelines) -> None:
    _assert_same_tokens(pipelines, _dev_texts(400))


# ------------------------------------------------------ a ruler built for the test, no model
def _tagged(vocab: spacy.Vocab, words: list[str], tags: list[str]) -> Doc:
    doc = Doc(vocab, words=words)
    for token, tag in zip(doc, tags, strict=True):
        token.tag_ = tag
    return doc


def _toy_ruler(vocab: spacy.Vocab) -> AttributeRuler:
    ruler = AttributeRuler(vocab)
    ruler.add([[{"TAG": "NN"}]], {"POS": "NOUN"})
    ruler.add([[{"TAG": "NN", "LOWER": "apple"}]], {"POS": "PROPN", "LEMMA": "Apple"})
    ruler.add([[{"LOWER": {"REGEX": "^x+$"}}]], {"LEMMA": "ex"})
    ruler.add([[{"LOWER": "new"}, {"LOWER": "york"}]], {"LEMMA": "NY"}, index=1)
    return ruler


def test_toy_ruler_known_answers() -> None:
    vocab = spacy.blank("en").vocab
    ruler = _toy_ruler(vocab)
    lookup = LookupAttributeRuler(_toy_ruler(vocab))
    assert lookup.enabled
    doc = lookup(_tagged(vocab, ["Apple", "pie", "XX", "x1"], ["NN", "NN", "VB", "NN"]))
    assert [t.pos_ for t in doc] == ["PROPN", "NOUN", "", "NOUN"]  # the later pattern wins
    assert [t.lemma_ for t in doc] == ["Apple", "", "ex", ""]
    # "new" may start the two-token pattern: the whole document goes to the stock ruler
    words, tags = ["new", "York", "apple"], ["JJ", "NN", "NN"]
    fast = lookup(_tagged(vocab, words, tags))
    stock = ruler(_tagged(vocab, words, tags))
    assert [t.lemma_ for t in fast] == [t.lemma_ for t in stock] == ["", "NY", "Apple"]
    assert [t.pos_ for t in fast] == [t.pos_ for t in stock] == ["", "NOUN", "PROPN"]


def test_unsupported_patterns_and_versions_use_the_stock_ruler() -> None:
    vocab = spacy.blank("en").vocab
    ruler = _toy_ruler(vocab)
    assert lookup_supported(ruler)
    assert not lookup_supported(ruler, version="0.0.0")
    with_op = AttributeRuler(vocab)
    with_op.add([[{"LOWER": "a", "OP": "+"}]], {"LEMMA": "a"})
    assert not lookup_supported(with_op)
    reads_pos = AttributeRuler(vocab)
    reads_pos.add([[{"POS": "NOUN"}]], {"LEMMA": "n"})  # a token-level attribute it cannot key
    assert not lookup_supported(reads_pos)
    sets_norm = AttributeRuler(vocab)
    sets_norm.add([[{"LOWER": "u"}]], {"NORM": "you"})
    assert not lookup_supported(sets_norm)
    fallback = LookupAttributeRuler(_toy_ruler(vocab), version="0.0.0")
    assert not fallback.enabled
    doc = fallback(_tagged(vocab, ["apple"], ["NN"]))
    assert doc[0].lemma_ == "Apple" and not fallback.table


def test_full_table_is_cleared_without_changing_results() -> None:
    vocab = spacy.blank("en").vocab
    lookup = LookupAttributeRuler(_toy_ruler(vocab), max_entries=2)
    words = ["apple", "pie", "xx", "apple", "tart"]
    doc = lookup(_tagged(vocab, words, ["NN"] * 5))
    again = lookup(_tagged(vocab, words, ["NN"] * 5))
    assert len(lookup.table) <= 4
    assert [t.lemma_ for t in doc] == [t.lemma_ for t in again] == ["Apple", "", "ex", "Apple", ""]
