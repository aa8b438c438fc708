"""Span-shape rules (``analysis.linking.shapes``) and the thread's case profile
(``analysis.linking.casing``), each on synthetic comments written for these tests: what must link
and what must not."""

from __future__ import annotations

import pytest
from test_linking import check_integrity, run, thread, thread_only_lexicons

from analysis import schema as S
from analysis.linking import casing, link_thread, shapes

FILLER = [f"Comment number {i} says nothing much." for i in range(10)]


def texts_in(mentions, doc_suffix):
    return mentions[mentions[S.DOC_ID].str.endswith(doc_suffix)][S.TEXT].tolist()


# ------------------------------------------------------------------------- shape predicates
@pytest.mark.parametrize(
    ("word", "expected"),
    [("hahahaha", True), ("Hahaha", True), ("haha", True), ("xoxoxo", True),
     ("Tutu", False), ("Sisi", False), ("Gigi", False), ("Obama", False)],
)  # fmt: skip
def test_laughter_is_a_repeated_syllable(word, expected):
    assert shapes.is_laughter(word) is expected


@pytest.mark.parametrize(
    ("span", "expected"),
    [("FunnyTortsPics", True), ("OnCueApparel", True), ("YouTube", False),
     ("PlayStation", False), ("McDonald", False), ("NATO", False), ("Katy Perry", False)],
)  # fmt: skip
def test_glued_identifiers(span, expected):
    assert shapes.is_glued_identifier(span) is expected


def test_pronouns_adverbs_magnitudes_and_repeats():
    assert shapes.has_personal_pronoun("Subscribe My Channel Please")
    assert shapes.has_personal_pronoun("CHECK MY CHANNEL")
    assert not shapes.has_personal_pronoun("US Navy")  # the acronym, not the pronoun
    assert shapes.is_adverb_only("Honorably") and not shapes.is_adverb_only("Navy")
    assert not shapes.is_adverb_only("Early")  # also an adjective
    assert shapes.has_magnitude_words("7 Billion Views") and shapes.has_magnitude_words("BILLION")
    assert not shapes.has_magnitude_words("First Amendment")
    assert shapes.repeated_word("KATY KATY KATY") == 4
    assert shapes.repeated_word("Katy Perry") is None


def test_a_leading_verb_is_cut_only_before_a_known_name_in_shouting_or_lower_case():
    assert shapes.verb_lead("VOTE KATY", {"katy"}) == 5
    assert shapes.verb_lead("vote Katy", {"katy"}) == 5
    assert shapes.verb_lead("VOTE KATY", {"perry"}) is None  # the rest names nobody known
    assert shapes.verb_lead("Mark Zuckerberg", {"zuckerberg"}) is None  # a first name
    assert shapes.verb_lead("Katy", {"katy"}) is None


def test_full_width_letters_are_folded_for_the_shouting_rule():
    assert shapes.fold_width("ＤＡＭＮ ＴＨＩＳ") == "DAMN THIS"


# ------------------------------------------------------------------- through the linker
def test_shape_rules_drop_non_names_and_keep_names():
    texts = [
        "Katy Perry sang Roar. Katy is great.",
        "hahahahaha so good",
        "follow FunnyTortsPics for more",
        "Suscribe My Channel Please",
        "Honorably discharged, he was.",
        "7 Billion Views soon",
        "VOTE KATY now",
        "KATY KATY KATY",
        "Great Great grandparents",
        "my non-Muslim neighbours",
        "Desmond Tutu and Sisi met on YouTube",
    ]
    spans = [
        (0, "Katy Perry", "PERSON"),
        (0, "Katy", "PERSON", 1),
        (1, "hahahahaha", "PERSON"),
        (2, "FunnyTortsPics", "ORG"),
        (3, "Suscribe My Channel Please", "PRODUCT"),
        (4, "Honorably", "PERSON"),
        (5, "7 Billion Views", "ORG"),
        (6, "VOTE KATY", "PERSON"),
        (7, "KATY KATY KATY", "PERSON"),
        (8, "Great Great", "FAC"),
        (9, "non-Muslim", "NORP"),
        (10, "Desmond Tutu", "PERSON"),
        (10, "Sisi", "PERSON"),
        (10, "YouTube", "ORG"),
    ]
    docs, spans_df, cands = thread(texts, spans)
    mentions, entities = link_thread(docs, spans_df, cands)
    check_integrity(docs, mentions, entities)
    for i in (1, 2, 3, 4, 5, 8):
        assert texts_in(mentions, f"/c{i}") == [], i
    assert texts_in(mentions, "/c6") == ["KATY"]
    assert texts_in(mentions, "/c7")[0] == "KATY"  # the first of the repeated word
    assert texts_in(mentions, "/c9") == ["Muslim"]
    assert texts_in(mentions, "/c10") == ["Desmond Tutu", "Sisi", "YouTube"]
    names = set(entities[S.ENTITY_NAME])
    assert "Katy Perry" in names and "KATY KATY KATY" not in names


def test_titles_of_works_keep_their_pronouns():
    texts = ["She sang Love Me Tender.", "Love Me Tender again"]
    mentions, _ = run(texts, [(0, "Love Me Tender", "WORK_OF_ART")])
    assert texts_in(mentions, "/article") == ["Love Me Tender"]


# ------------------------------------------------------------------------ case profile
def _profile(texts, forms):
    return casing.case_profile(iter([(0, texts)]), forms)


def test_case_profile_counts_named_and_lower_case_uses_outside_urls():
    texts = [
        "The Navy said so. I like the Navy and the navy.",
        "Navy ships. see http://navy.mil/navy",
        "a song, one song, my Song",
    ]
    profile = _profile(texts, ["Navy", "Song"])
    # "Navy" opening a sentence is neither; the URL is not counted
    assert profile["navy"] == (2, 1)
    assert profile["song"] == (1, 2)


def test_a_common_word_the_thread_writes_as_a_word_is_left_unlinked():
    texts = [
        "We sang a song, a good song.",
        "That Song is the song of songs, my song",
        "The Navy sails. Thank the Navy and the Navy Band.",
        "I love this Song",
        *FILLER,
    ]
    spans = [(1, "Song", "PERSON"), (3, "Song", "PERSON"), (2, "Navy", "ORG"),
             (2, "Navy", "ORG", 1)]  # fmt: skip
    mentions, _ = run(texts, spans)
    assert "Song" not in set(mentions[S.TEXT])  # lower case 4 times, named 2 times
    assert texts_in(mentions, "/c2") == ["Navy", "Navy", "Navy"]  # the Navy is a name here


def test_a_name_written_as_a_name_often_also_links_in_lower_case(tmp_path):
    lex = thread_only_lexicons(tmp_path)
    named = [f"I read the Bible today, {i}." for i in range(5)]
    texts = [*named, "the bible says so"]
    spans = [(i, "Bible", "WORK_OF_ART") for i in range(5)]
    mentions, _ = run(texts, spans, lexicon_dir=lex)
    assert texts_in(mentions, "/c5") == ["bible"]
    # named only twice: not enough to let the lower-case word link
    mentions, _ = run([*named[:2], "the bible says so"], spans[:2], lexicon_dir=lex)
    assert texts_in(mentions, "/c2") == []
    # and never when the thread writes it in lower case as often as named
    lower = [f"the bible of cooking, {i}" for i in range(5)]
    mentions, _ = run([*named, *lower], spans, lexicon_dir=lex)
    assert all(t == "Bible" for t in mentions[S.TEXT])


def test_lower_case_ok_thresholds():
    assert casing.lower_case_ok({"a": (5, 1), "b": (4, 0), "c": (10, 3)}) == {"a"}


def test_a_name_the_model_finds_in_several_documents_stays_in_a_lower_case_thread(tmp_path):
    lex = thread_only_lexicons(tmp_path)
    # tweets write nearly everything in lower case: the case profile alone would drop "Trump"
    texts = [
        "An article about the weather.",
        "so Trump said it. trump again, trump trump.",
        "i think Trump is loud, trump trump",
        "what Trump did, trump trump trump",
        *FILLER,
    ]
    spans = [(1, "Trump", "PERSON"), (2, "Trump", "PERSON"), (3, "Trump", "PERSON")]
    mentions, _ = run(texts, spans, lexicon_dir=lex)
    assert texts_in(mentions, "/c3") == ["Trump"]
    # found in two documents only: the thread's lower-case use decides
    mentions, _ = run(texts, spans[:2], lexicon_dir=lex)
    assert "Trump" not in set(mentions[S.TEXT])


def test_lower_case_one_offs_of_unseen_words_are_left_unlinked():
    texts = ["The show was fine.", "thanks andrijamatf for this", "obama was there", *FILLER]
    spans = [(1, "andrijamatf", "PERSON"), (2, "obama", "PERSON")]
    mentions, _ = run(texts, spans)
    assert texts_in(mentions, "/c1") == []  # no general-English frequency, never capitalised
    assert texts_in(mentions, "/c2") == ["obama"]  # a frequent name
    # the same span written capitalised elsewhere in the thread is a name
    texts[3] = "Andrijamatf posted it"
    mentions, _ = run(texts, [*spans, (3, "Andrijamatf", "PERSON")])
    assert texts_in(mentions, "/c1") == ["andrijamatf"]


def test_numbers_and_symbols_after_a_known_name_are_cut():
    assert shapes.letterless_tail("Katy Perry 600", {"katyperry"}) == 10
    assert shapes.letterless_tail("KATY PERRY <3 <3", {"katyperry"}) == 10
    assert shapes.letterless_tail("Apollo 11", {"katyperry"}) is None  # "Apollo" not known
    assert shapes.letterless_tail("Katy Perry", {"katyperry"}) is None


def test_links_with_a_path_are_noise_whatever_their_domain():
    from analysis.linking.noise import noise_spans

    text = "see trojmiasto.pl/Vena-Bus and Mr.Smith/Jones or U.S./Mexico"
    assert [text[a:b] for a, b in noise_spans(text)] == ["trojmiasto.pl/Vena-Bus"]


def test_a_first_name_means_the_person_named_far_more_often_than_anyone_sharing_it():
    texts = [
        "A video.",
        *[f"Katy Perry sang number {i}." for i in range(8)],
        "I bought it at Katy Fashions.",
        "Katy is great",
    ]
    spans = [(i, "Katy Perry", "PERSON") for i in range(1, 9)]
    spans += [(9, "Katy Fashions", "PERSON"), (10, "Katy", "PERSON")]
    mentions, _ = run(texts, spans)
    last = mentions[mentions[S.DOC_ID].str.endswith("/c10")].iloc[0]
    assert last[S.ENTITY_NAME] == "Katy Perry" and last["link_method"] == "model"
    # two people named about as often: "Katy" stays apart
    texts[2:5] = ["I bought it at Katy Fashions."] * 3
    spans = [s for s in spans if s[0] not in (2, 3, 4)] + [(i, "Katy Fashions", "PERSON")
                                                          for i in (2, 3, 4)]  # fmt: skip
    mentions, _ = run(texts, spans)
    last = mentions[mentions[S.DOC_ID].str.endswith("/c10")].iloc[0]
    assert last[S.ENTITY_NAME] == "Katy"


def test_chatter_before_a_known_full_name_is_cut_but_first_names_stay():
    known = {"katyperry", "elee", "newmexico"}
    assert shapes.common_lead("Awesome Job Katy Perry", known) == 12
    assert shapes.common_lead("Robert E Lee", known) is None  # a first name is a noun
    assert shapes.common_lead("University of New Mexico", known) is None  # a stop word
    assert shapes.common_lead("Awesome Katy", {"katy"}) is None  # a one-word name: too weak
