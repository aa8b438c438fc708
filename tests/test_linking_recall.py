"""Recall rules for hard forms (issue 10): lower-case misspellings the tagger calls nouns,
on synthetic threads of made-up names written for these tests: what must link and what must not."""

from __future__ import annotations

import pytest
from test_linking import entity_of, run
from test_linking_knowledge import lexicon_copy

from analysis import schema as S
from analysis.linking import fuzzy as link_fuzzy
from analysis.linking import knowledge as link_knowledge
from analysis.linking import rules as link_rules

ARTICLE = "Vextrona and Quorbilax. Vextrona grew; Quorbilax fell."
ARTICLE_SPANS = [
    (0, "Vextrona", "ORG"),
    (0, "Quorbilax", "ORG"),
    (0, "Vextrona", "ORG", 1),
    (0, "Quorbilax", "ORG", 1),
]


def comment_rows(mentions):
    return mentions[mentions[S.DOC_KIND] == S.COMMENT]


# ------------------------------------------------------------------------- candidate filter
@pytest.mark.parametrize("token", ["vextronna", "quorbillax", "zaptrundle"])
def test_lower_case_non_words_of_six_letters_are_candidates(token):
    assert link_fuzzy.is_lower_case_candidate(token)
    assert link_rules.candidate_is_used(token, "NOUN")
    assert link_rules.candidate_fuzzy_rules(token, "NOUN") == link_fuzzy.LOWER_CASE_RULES


@pytest.mark.parametrize(
    "token",
    [
        "vextr",  # too short
        "giveaways",  # an English word (inflected)
        "tonight",
        "quickly",
        "Vextronna",  # capitalised: a candidate by case, not by this rule
        "vextr0nna",  # not all letters
        "vextrónna",  # not ASCII
    ],
)
def test_other_tokens_are_not_lower_case_candidates(token):
    assert not link_fuzzy.is_lower_case_candidate(token)


def test_proper_noun_tags_keep_every_fuzzy_rule():
    assert link_rules.candidate_fuzzy_rules("vextronna", "PROPN") is None
    assert link_rules.candidate_fuzzy_rules("Vextronna", "NOUN") is None


# ------------------------------------------------------------------------------ the rule
def test_lower_case_misspelling_tagged_noun_links_to_the_thread_name():
    texts = [ARTICLE, "follow us on vextronna for news", "i left quorbillax today"]
    mentions, _ = run(texts, ARTICLE_SPANS, pos={"vextronna": "NOUN", "quorbillax": "NOUN"})
    for token, name in (("vextronna", "Vextrona"), ("quorbillax", "Quorbilax")):
        row = entity_of(mentions, token)
        assert row[S.ENTITY_NAME] == name and row["link_method"] == "fuzzy", token


def test_lower_case_typo_letter_links_but_an_ending_does_not():
    """One extra letter that no English ending is ('l') is a typo; 'r', 'n', 'i', 'y', 'd'
    endings make another word ("YouTuber", "Israeli")."""
    texts = [ARTICLE, "on vextronal now", "a vextronar said", "the vextronan way", "so vextronay"]
    pos = {w: "NOUN" for w in ("vextronal", "vextronar", "vextronan", "vextronay")}
    mentions, _ = run(texts, ARTICLE_SPANS, pos=pos)
    assert entity_of(mentions, "vextronal")[S.ENTITY_NAME] == "Vextrona"
    assert set(comment_rows(mentions)[S.TEXT]) == {"vextronal"}


def test_lower_case_non_words_far_from_every_name_stay_unlinked():
    words = ["zaptrundle", "vorquesty", "blimmerax", "quobbling", "textronic", "vexxxxx"]
    texts = [ARTICLE] + [f"the {w} was fine" for w in words]
    mentions, _ = run(texts, ARTICLE_SPANS, pos={w: "NOUN" for w in words})
    assert comment_rows(mentions).empty, comment_rows(mentions)[S.TEXT].tolist()


def test_lower_case_sound_alike_needs_a_proper_noun_tag():
    """'korbilacks' sounds like Quorbilax but is spelled far from it: in lower case, tagged a
    noun, that is not enough; tagged a proper noun it is a sound-alike link."""
    sim = link_fuzzy.name_similarity("korbilacks", "Quorbilax")
    assert sim.rule == "soundalike"
    texts = [ARTICLE, "the korbilacks again"]
    noun, _ = run(texts, ARTICLE_SPANS, pos={"korbilacks": "NOUN"})
    assert comment_rows(noun).empty
    propn, _ = run(texts, ARTICLE_SPANS, pos={"korbilacks": "PROPN"})
    assert entity_of(propn, "korbilacks")[S.ENTITY_NAME] == "Quorbilax"


def test_singular_of_a_plural_entity_is_not_a_misspelling():
    """A model entity "Zindarbles" does not make the lower-case "zindarble" its mention."""
    texts = ["Plindrovia news", "Zindarbles are here. Zindarbles everywhere.", "one zindarble"]
    spans = [(1, "Zindarbles", "NORP"), (1, "Zindarbles", "NORP", 1)]
    mentions, _ = run(texts, spans, pos={"zindarble": "NOUN"})
    assert "zindarble" not in set(mentions[S.TEXT])
    targets = {"zindarbles": ("Zindarbles", "zindarbles", 0)}
    strict = link_fuzzy.LOWER_CASE_RULES
    assert link_fuzzy.fuzzy_link("zindarble", targets, rules=strict) is None
    # a capitalised proper noun missing the "s" is still the name ("Floyd" for "Floyds")
    assert link_fuzzy.fuzzy_link("Zindarble", targets).node == "zindarbles"


def test_lower_case_tokens_need_a_close_spelling_of_a_name_that_is_no_ordinary_word():
    strict = link_fuzzy.LOWER_CASE_RULES
    sound = {"krap": ("Krap", "krap", 0)}  # sounds like "krawpa", spelled too far
    assert link_fuzzy.fuzzy_link("krawpa", sound) is not None
    assert link_fuzzy.fuzzy_link("krawpa", sound, rules=strict) is None
    ordinary = {"wonderful": ("WONDERFUL", "wonderful", 0)}  # a model span of an ordinary word
    assert link_fuzzy.fuzzy_link("wonderfull", ordinary) is not None
    assert link_fuzzy.fuzzy_link("wonderfull", ordinary, rules=strict) is None
    name = {"vextrona": ("Vextrona", "vextrona", 1)}
    assert link_fuzzy.fuzzy_link("vextronna", name, rules=strict).node == "vextrona"


# ------------------------------------------------------------------------ region adjectives
@pytest.mark.parametrize(
    ("form", "label", "expected"),
    [
        ("Middle East", "LOC", ["Middle Eastern"]),
        ("Glimmer West", "LOC", ["Glimmer Western"]),
        ("Vorla Southeast", "GPE", ["Vorla Southeastern"]),
        ("FAR NORTH", "LOC", ["FAR NORTHERN"]),
        ("West", "LOC", []),  # one word: "Western" names other things too
        ("East Vorlania", "GPE", []),  # the compass point does not end the name
        ("Glimmer West", "ORG", []),  # not a place
    ],
)
def test_regular_adjectives_of_compass_regions(form, label, expected):
    assert link_knowledge.regular_adjectives(form, label) == expected


def test_compass_adjective_of_a_knowledge_region_links_in_any_case(tmp_path):
    folder = lexicon_copy(
        tmp_path,
        [
            "Glimmer West,Glimmer West,LOC,name,continent_region,wikipedia:Made_up,\n",
            "Quorbilax,Quorbilax,ORG,name,platform,wikipedia:Made_up,\n",
        ],
    )
    texts = ["News", "all glimmer western heritage", "the Glimmer Western food", "glimmer west"]
    mentions, _ = run(texts, lexicon_dir=folder)
    for text in ("glimmer western", "Glimmer Western", "glimmer west"):
        rows = mentions[mentions[S.TEXT] == text]
        assert rows[S.ENTITY_NAME].tolist() == ["Glimmer West"], text
        assert rows[S.LINK_METHOD].tolist() == ["alias"], text
    # no derived form for the non-place row, and no partial matches
    assert set(mentions[S.TEXT]) == {"glimmer western", "Glimmer Western", "glimmer west"}
