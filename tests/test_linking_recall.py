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
from analysis.linking import search as link_search

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


# ------------------------------------------------------------------- misspelt full names
def full_name_thread(variant, label="PERSON", others=()):
    """Article naming Zorvan Kellimar and ``others``; comments naming each twice more, and
    ``variant`` once (a model span)."""
    article = " ".join(["Zorvan Kellimar spoke.", *(f"{o} spoke." for o in others)])
    texts = [article, "Zorvan Kellimar again", "Zorvan Kellimar here"]
    spans = [(0, "Zorvan Kellimar", "PERSON"), (1, "Zorvan Kellimar", "PERSON")]
    spans.append((2, "Zorvan Kellimar", "PERSON"))
    for other in others:  # named in the article and twice in comments
        spans.append((0, other, "PERSON"))
        texts += [f"and {other} too", f"{other} said"]
        spans += [(len(texts) - 2, other, "PERSON"), (len(texts) - 1, other, "PERSON")]
    texts.append(f"so {variant} lied")
    spans.append((len(texts) - 1, variant, label))
    return texts, spans


@pytest.mark.parametrize("variant", ["Zorvann Kelimaar", "Zorvan Kelimar", "Zorvahn Kellymar"])
def test_misspelt_full_name_joins_the_person(variant):
    mentions, _ = run(*full_name_thread(variant))
    row = entity_of(mentions, variant)
    assert row[S.ENTITY_NAME] == "Zorvan Kellimar" and row["link_method"] == "fuzzy"
    assert 0.85 <= row["link_score"] < 1


def test_model_org_label_of_a_misspelt_person_still_joins():
    mentions, _ = run(*full_name_thread("Zorvann Kelimaar", label="ORG"))
    assert entity_of(mentions, "Zorvann Kelimaar")[S.ENTITY_NAME] == "Zorvan Kellimar"


@pytest.mark.parametrize(
    ("variant", "label", "others"),
    [
        ("Morvan Kellimar", "PERSON", ()),  # first letter changed: a pun or another person
        ("Zorvan Kettle", "PERSON", ()),  # a differing word that is an English word
        ("Zorvan Kellimar Junior", "PERSON", ()),  # another number of words
        ("Zorvann Kelimaar", "GPE", ()),  # a place, not the person
        ("Zorvan Kelimar", "PERSON", ("Zorvan Kelimor",)),  # two people it could be
        ("Quillan Dresk", "PERSON", ()),  # nothing alike
    ],
)
def test_full_names_that_are_not_misspellings_stay_apart(variant, label, others):
    mentions, _ = run(*full_name_thread(variant, label, others))
    row = entity_of(mentions, variant)
    assert row[S.ENTITY_NAME] != "Zorvan Kellimar" and row["link_method"] != "fuzzy"


def test_two_similar_people_of_the_article_stay_apart():
    mentions, _ = run(*full_name_thread("Quillan Dresk", others=("Zorvan Kelimor",)))
    assert entity_of(mentions, "Zorvan Kelimor")[S.ENTITY_NAME] == "Zorvan Kelimor"


def test_a_weaker_variant_follows_a_stronger_one_to_the_same_person():
    """Two variants: the better attested one joins first, so the other finds one group."""
    texts, spans = full_name_thread("Zorvan Kelimar")
    texts += ["Zorvahn Kellymar now", "Zorvahn Kellymar then"]
    spans += [(len(texts) - 2, "Zorvahn Kellymar", "PERSON")]
    spans += [(len(texts) - 1, "Zorvahn Kellymar", "PERSON")]
    mentions, _ = run(texts, spans)
    for variant in ("Zorvan Kelimar", "Zorvahn Kellymar"):
        assert entity_of(mentions, variant)[S.ENTITY_NAME] == "Zorvan Kellimar", variant


def test_a_one_off_full_name_is_no_target():
    """Two one-off spellings do not join each other: the target needs more mentions than the
    variant, or the article or a lexicon naming it."""
    texts = ["Weather", "Zorvann Kelimaar spoke", "Zorvan Kellimar again"]
    spans = [(1, "Zorvann Kelimaar", "PERSON"), (2, "Zorvan Kellimar", "PERSON")]
    mentions, _ = run(texts, spans)
    assert set(mentions["link_method"]) == {"model"}
    assert mentions[S.ENTITY_NAME].nunique() == 2


# ---------------------------------------------------------------------- sites linked to
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see http://www.glimtrax.tv/some_user now", {"glimtrax"}),
        ("on m.vorpline.com and https://en.quobble.org/wiki/x", {"vorpline", "quobble"}),
        ("mail me at someone@glimtrax.com", set()),  # an e-mail names a person
        ("just words here", set()),
    ],
)
def test_site_names(text, expected):
    assert link_search.site_names(text) == expected


def test_lower_case_ordinary_word_name_links_beside_a_link_to_its_site(tmp_path):
    """A made-up knowledge-base platform named by an ordinary word ("Lantern") needs the name
    cased; in a comment that links to lantern.tv the lower-case word is the site."""
    folder = lexicon_copy(tmp_path, ["Lantern,Lantern,ORG,name,platform,wikipedia:Made_up,\n"])
    texts = [
        "News",
        "http://www.lantern.tv/someone follow him on lantern",
        "a lantern hangs in my garden",
        "Follow him on Lantern",
    ]
    mentions, _ = run(texts, lexicon_dir=folder)
    found = sorted(zip(mentions[S.DOC_ID], mentions[S.TEXT], strict=True))
    assert found == [("t9/c1", "lantern"), ("t9/c3", "Lantern")]
    assert link_knowledge.is_ordinary_form("lantern")  # else the case rule would not matter
