"""Recall rules for hard forms, second batch (issue 10): lower-case uses of a thread's names that
are no ordinary word, on synthetic threads of made-up names written for these tests."""

from __future__ import annotations

import pytest
from test_linking import run
from test_linking_knowledge import lexicon_copy

from analysis import schema as S
from analysis.linking import casing as link_casing
from analysis.linking import fuzzy as link_fuzzy
from analysis.linking import lowernames, tails
from analysis.linking import search as link_search
from analysis.linking import shapes as link_shapes
from analysis.linking.names import name_key

#: "Swift" is an ordinary word (a WordNet adjective), so "Vextrona Swift" matches only
#: capitalised by the case rules; "vextrona" is no word, so its lower-case run is the name.
NAME = "Vextrona Swift"
ARTICLE = f"Today {NAME} spoke. Later {NAME} left."
SPANS = [(0, NAME, "PERSON"), (0, NAME, "PERSON", 1)]


def lower_rows(mentions):
    return mentions[mentions[S.TEXT] == NAME.lower()]


def test_case_rule_keeps_the_lower_case_name_out_without_the_rule():
    assert link_search.case_rule(NAME) == "capitalised"


def test_lower_case_run_of_a_name_that_is_no_word_links(monkeypatch):
    texts = [ARTICLE, f"i met {NAME.lower()} today"]
    mentions, _ = run(texts, SPANS)
    rows = lower_rows(mentions)
    assert len(rows) == 1 and rows.iloc[0][S.ENTITY_NAME] == NAME
    assert rows.iloc[0]["link_method"] == "gazetteer"
    # the rule removed, nothing else links it
    monkeypatch.setattr(link_casing, "lower_case_names", lambda *a, **k: frozenset())
    mentions, _ = run(texts, SPANS)
    assert lower_rows(mentions).empty


def test_a_name_the_thread_writes_more_in_lower_case_stays_out():
    texts = [ARTICLE] + [f"so {NAME.lower()} again" for _ in range(3)]
    mentions, _ = run(texts, SPANS)
    assert lower_rows(mentions).empty


def test_a_name_written_once_as_a_name_stays_out():
    texts = [f"{NAME} spoke.", f"i met {NAME.lower()} today"]
    mentions, _ = run(texts, [(0, NAME, "PERSON")])
    assert lower_rows(mentions).empty


@pytest.mark.parametrize(
    "form, expected",
    [
        ("Vextrona Swift", True),
        ("Vextrona", True),
        ("Swift Current", False),  # ordinary words only: "swift current" is a phrase
        ("White House", False),
        ("Swift", False),
        ("VXT", False),  # acronyms: their lower case is another word
        ("Vextrona-9", False),
    ],
)
def test_no_ordinary_word(form, expected):
    assert lowernames._no_ordinary_word(form) is expected


def test_lower_case_names_reads_the_profile():
    forms = [link_search.NameForm(NAME, name_key(NAME), "gazetteer")]
    key = name_key(NAME)
    assert lowernames.lower_case_names(forms, {key: (2, 2)}, None) == {key}
    assert lowernames.lower_case_names(forms, {key: (2, 3)}, None) == set()
    assert lowernames.lower_case_names(forms, {key: (1, 0)}, None) == set()


def test_a_capitalised_form_allowed_in_lower_case_still_matches_shouted():
    """Letting a "capitalised" form match in lower case must not stop it matching where it is
    capitalised but not written as a name (shouted, or opening a sentence)."""
    key = name_key(NAME)
    matcher = link_search.build_matcher(
        [link_search.NameForm(NAME, key, "gazetteer")], lower_ok=frozenset({key})
    )
    for text in ("I LOVE VEXTRONA SWIFT", "Vextrona swift was here", "and vextrona swift"):
        found = link_search.find_names(text, matcher)
        assert [text[a:b].lower() for a, b, _ in found] == ["vextrona swift"], text


# ------------------------------------------------------------------- last letter typed twice
@pytest.mark.parametrize(
    "token, name",
    [
        ("Vextaa", "Vexta"),  # five letters: one more letter would be an ending
        ("Vextronyy", "Vextrony"),  # "y" is an English ending ("Trumpy"), doubled it is a typo
        ("Quorbilann", "Quorbilan"),
        ("Vextrony", "Vextronyy"),  # the doubled letter dropped
    ],
)
def test_last_letter_typed_twice_is_a_typo(token, name, monkeypatch):
    assert link_fuzzy.name_similarity(token, name).rule == "spelling"
    monkeypatch.setattr(link_fuzzy, "_doubled_last", lambda *a: False)
    assert link_fuzzy.name_similarity(token, name).rule is None


@pytest.mark.parametrize(
    "token, name",
    [
        ("Qorbb", "Qorb"),  # a name of four letters: too short to tell
        ("Vextay", "Vexta"),  # an ending, not a doubled letter
        ("Vextaaa", "Vexta"),  # two letters more
    ],
)
def test_other_endings_stay_derived(token, name):
    assert link_fuzzy.name_similarity(token, name).rule is None


def test_doubled_last_letter_links_in_a_thread():
    texts = ["Today Vexta spoke. Later Vexta left.", "i love Vextaa so much", "the vextaa fans"]
    spans = [(0, "Vexta", "PERSON"), (0, "Vexta", "PERSON", 1)]
    mentions, _ = run(texts, spans, pos={"vextaa": "NOUN"})
    linked = mentions[mentions[S.TEXT] == "Vextaa"]
    assert linked[S.ENTITY_NAME].tolist() == ["Vexta"]
    assert linked["link_method"].tolist() == ["fuzzy"]


# --------------------------------------------------------- ordinary words after a lexicon name
CURATED = frozenset(name_key(n) for n in ("Vextronix", "Vextronix Hub", "Apple"))


@pytest.mark.parametrize(
    "span, expected",
    [
        ("VExtronix Gift", "VExtronix"),  # a capitalisation variant, the next word taken along
        ("Vextronix Gift card", "Vextronix"),
        ("Vextronix Hub channel", "Vextronix Hub"),  # the longest lexicon head
        ("Vextronix Hub", None),  # the whole span is a lexicon name
        ("Vextronix Zorbl", None),  # the rest is no ordinary word: maybe a longer name
        ("Gift Vextronix", None),  # only a head is cut off
        ("Apple Gift", None),  # a head that is an ordinary word may start a name
        ("Vextronix", None),
    ],
)
def test_lexicon_head(span, expected):
    end = tails.lexicon_head(span, CURATED)
    assert (span[:end] if end is not None else None) == expected


def test_lexicon_name_keeps_its_span_without_the_words_after_it(tmp_path, monkeypatch):
    row = "Vextronix,Vextronix,ORG,name,platform,wikipedia:Made_up,\n"
    folder = lexicon_copy(tmp_path, [row])
    texts = ["News", "get a free VExtronix Gift card now"]
    spans = [(1, "VExtronix Gift", "PRODUCT")]
    mentions, _ = run(texts, spans, lexicon_dir=folder)
    assert mentions[S.TEXT].tolist() == ["VExtronix"]
    assert mentions[S.ENTITY_NAME].tolist() == ["Vextronix"]
    monkeypatch.setattr(link_shapes, "lexicon_head", lambda *a: None)
    mentions, _ = run(texts, spans, lexicon_dir=folder)
    assert mentions[S.TEXT].tolist() == ["VExtronix Gift"]
