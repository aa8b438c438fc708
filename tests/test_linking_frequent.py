"""Precision rules for frequent word forms and split words (issue 10), on synthetic comments
written for these tests: a one-off span of a frequent word form does not seed the gazetteer, a
lower-case match of a frequent word form needs the thread's evidence, a frequent surname spreads
only from a name written as a person's, and a span ending in half of a split word is no name."""

from __future__ import annotations

import re

import pytest
from test_linking import check_integrity, run, thread

from analysis import schema as S
from analysis.linking import casing, link_thread, noise, rules, shapes
from analysis.linking.lexicons import load_lexicons

FILLER = [f"Comment number {i} says nothing much." for i in range(10)]


def texts_in(mentions, doc_suffix):
    return mentions[mentions[S.DOC_ID].str.endswith(doc_suffix)][S.TEXT].tolist()


# ------------------------------------------------------------------------------ predicates
def test_frequent_phrase_is_wordfreq_frequency_whatever_wordnet_says():
    assert noise.is_frequent_phrase("Selfie")  # frequent, not in WordNet
    assert not noise.is_common_phrase("Selfie")
    assert noise.is_frequent_phrase("Hashtag Emoji")
    assert not noise.is_frequent_phrase("Vlog")  # too rare (Zipf 2.8 < 3)
    assert noise.is_frequent_phrase("Vlog", zipf=2.5)
    assert not noise.is_frequent_phrase("Selfie Zzyzxq")  # one rare word is enough
    assert not noise.is_frequent_phrase("123")


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("a caller into Lim baugh says so", "Lim", True),  # "limbaugh" beats "baugh"
        ("Obama sux and everyone knows", "Obama", False),  # "obamasux" is no word
        ("Putin ism is a thing", "Putin", False),  # "ism" is an English word
        ("Obama said it", "Obama", False),  # the next word is an English word
        ("call Lim Baugh now", "Lim", False),  # capitalised: a second name, not a tail
        ("call Lim  baugh now", "Lim", False),  # two spaces: not one split word
        ("Lim", "Lim", False),  # nothing after it
        ("until the un employed rate drops", "un", True),  # a prefix: "unemployed"
        ("this un-edited clip", "un", True),  # "unedited"
        ("the un is useless", "un", False),  # no word it prefixes
        ("I love uk based shops", "uk", False),  # "ukbased" is no word
        ("the Un-edited clip", "Un", False),  # a hyphen joins only a lower-case prefix
    ],
)
def test_split_word_tail(text, span, expected):
    start = re.search(rf"\b{span}\b", text).start()
    assert shapes.split_word_tail(text, start, start + len(span)) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Justin Trudeau", True),  # written as a person's name
        ("DJ Zorblat Selfie", False),  # frequent last word, a word in capitals
        ("Zorblat selfie", False),  # frequent last word, not capitalised
        ("DJ Zorblat Kwimbly", True),  # a rare surname spreads whatever the shape
    ],
)
def test_surname_spreads(name, expected):
    assert rules.surname_spreads(name) is expected


def test_seeds_gazetteer_one_off_frequent_form_needs_a_named_sighting():
    lex = load_lexicons()
    # (model mentions, of which written as a name)
    assert not rules.seeds_gazetteer("Selfie", {"selfie": (1, 0)}, lex)
    assert rules.seeds_gazetteer("Selfie", {"selfie": (1, 1)}, lex)
    assert rules.seeds_gazetteer("Selfie", {"selfie": (2, 0)}, lex)
    assert not rules.seeds_gazetteer("Vlog", {"vlog": (1, 0)}, lex)  # the seed rule's lower bar
    assert rules.seeds_gazetteer("Zorblat", {"zorblat": (1, 0)}, lex)  # rare: a name


def test_case_profile_counts_camel_case_as_named():
    chunks = iter([(0, ["I bought it on eBay today", "ebay is fine", "Ebay rocks"])])
    assert casing.case_profile(chunks, ["eBay"]) == {"ebay": (1, 1)}


# ------------------------------------------------------------------- through the linker
def test_a_span_ending_in_half_a_split_word_is_not_a_mention():
    texts = ["Radio news today.", "A caller into Lim baugh said it.", "Lim Wei spoke.", *FILLER]
    spans = [(1, "Lim", "PERSON"), (2, "Lim Wei", "PERSON")]
    docs, spans_df, cands = thread(texts, spans)
    mentions, entities = link_thread(docs, spans_df, cands)
    check_integrity(docs, mentions, entities)
    assert texts_in(mentions, "/c1") == []  # not "Lim" of "Lim baugh"
    assert texts_in(mentions, "/c2") == ["Lim Wei"]  # the same word where it is a name


@pytest.mark.parametrize("word", ["Selfie", "Vlog"])
def test_one_off_sentence_initial_frequent_form_does_not_spread(word):
    texts = ["A post about phones.", f"{word} time with friends.", f"my {word} is bad", *FILLER]
    mentions, _ = run(texts, [(1, word, "PERSON")])
    assert texts_in(mentions, "/c2") == []


def test_one_off_rare_form_still_spreads():
    texts = ["A post about phones.", "Zorblat said so.", "my Zorblat is bad", *FILLER]
    mentions, _ = run(texts, [(1, "Zorblat", "PERSON")])
    assert texts_in(mentions, "/c2") == ["Zorblat"]


def test_lower_case_match_of_a_frequent_form_needs_named_uses_or_an_anchor():
    once = ["A post about phones.", "It is a Selfie contest.", "my selfie is bad", *FILLER]
    mentions, _ = run(once, [(1, "Selfie", "ORG")])
    assert texts_in(mentions, "/c1") == ["Selfie"]  # the model's span stays
    assert texts_in(mentions, "/c2") == []  # one named use does not make every "selfie" it

    twice = [once[0], "It is a Selfie contest.", "my selfie is bad", "The Selfie team won.",
             *FILLER]  # fmt: skip
    mentions, _ = run(twice, [(1, "Selfie", "ORG"), (3, "Selfie", "ORG")])
    assert texts_in(mentions, "/c2") == ["selfie"]  # named twice: the lower case is it too

    article = ["Selfie wins the cup", "It is a Selfie contest.", "my selfie is bad", *FILLER]
    mentions, _ = run(article, [(0, "Selfie", "ORG"), (1, "Selfie", "ORG")])
    assert texts_in(mentions, "/c2") == ["selfie"]  # the article anchors it


def test_frequent_surname_of_a_shouted_title_does_not_spread():
    texts = [
        "Music news.",
        "Check out DJ ZORBLAT Selfie now",
        "Check out DJ ZORBLAT Selfie again",
        "my selfie is bad",
        *FILLER,
    ]
    spans = [(1, "DJ ZORBLAT Selfie", "PERSON"), (2, "DJ ZORBLAT Selfie", "PERSON")]
    mentions, _ = run(texts, spans)
    assert texts_in(mentions, "/c3") == []
    assert texts_in(mentions, "/c1") == ["DJ ZORBLAT Selfie"]


def test_lower_case_prefix_and_pronoun_are_not_the_acronyms_they_spell():
    texts = [
        "World news.",
        "Until the un employed rate drops, the UN can wait.",
        "this un-edited clip",
        "give us a break, the US can wait",
        *FILLER,
    ]
    spans = [(1, "un", "ORG"), (1, "UN", "ORG"), (2, "un", "ORG"), (3, "us", "GPE"),
             (3, "US", "GPE")]  # fmt: skip
    docs, spans_df, cands = thread(texts, spans)
    mentions, entities = link_thread(docs, spans_df, cands)
    check_integrity(docs, mentions, entities)
    assert texts_in(mentions, "/c1") == ["UN"]
    assert texts_in(mentions, "/c2") == []
    assert texts_in(mentions, "/c3") == ["US"]


def test_unseen_word_opening_a_sentence_once_is_left_unlinked_unless_named_elsewhere():
    texts = ["A music video.", "Glorpish song!! Love it.", "Zorblat sang.", *FILLER,
             "I met Zorblat once."]  # fmt: skip
    spans = [(1, "Glorpish", "NORP"), (2, "Zorblat", "PERSON")]
    mentions, _ = run(texts, spans)
    assert texts_in(mentions, "/c1") == []  # one sentence-initial sighting of an unseen word
    assert texts_in(mentions, "/c2") == ["Zorblat"]  # written as a name in another comment
