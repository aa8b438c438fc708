"""The linking rules of issue 10, each on a small synthetic thread that fails without the rule.

The threads are written for these tests (not the seed, not the dev files); the helpers build the
docs/spans/candidates frames exactly as the annotation step passes them, so no model runs.
"""

from __future__ import annotations

from test_linking import check_integrity, entity_of, run, thread, thread_only_lexicons

from analysis import schema as S
from analysis.linking import RuleLinker, link_thread
from analysis.linking import naming as link_naming
from analysis.linking import noise as link_noise
from analysis.linking import search as link_search

FILLER = [f"Comment number {i} says nothing much." for i in range(10)]


def texts_of(mentions, doc_suffix):
    return mentions[mentions[S.DOC_ID].str.endswith(doc_suffix)][S.TEXT].tolist()


# ------------------------------------------------------------------ URLs, handles, hashtags
def test_noise_spans_find_urls_mails_handles_and_hashtags():
    text = "see https://reddit.com/r/x or youtu.be/abc, mail bob@nato.int, @Kagame #Kagame #1"
    found = [text[a:b] for a, b in link_noise.noise_spans(text)]
    assert found == [
        "https://reddit.com/r/x",
        "youtu.be/abc",
        "bob@nato.int",
        "@Kagame",
        "#Kagame",
    ]


def test_nothing_inside_a_url_handle_or_hashtag_becomes_a_mention():
    texts = [
        "Kagame spoke in Kigali.",
        "Kagame again: https://kagame.example.com/kagame and @Kagame #Kagame",
        "Visit www.Kigali.org now",
    ]
    spans = [(0, "Kagame", "PERSON"), (0, "Kigali", "GPE"), (2, "www.Kigali.org", "ORG")]
    docs, spans_df, cands = thread(texts, spans)
    mentions, entities = link_thread(docs, spans_df, cands)
    check_integrity(docs, mentions, entities)
    assert texts_of(mentions, "/c1") == ["Kagame"]  # only the one in prose
    assert texts_of(mentions, "/c2") == []  # the model's span inside a URL is dropped
    assert "Www.Kigali.org" not in set(entities[S.ENTITY_NAME])


# ------------------------------------------------------------------ spans that name nothing
def test_pronoun_phrases_and_stance_prefixes():
    texts = ["I am tired. I'd go.", "They are anti-Israel and pro-Kenya.", "Israel and Kenya"]
    spans = [
        (0, "I am", "PERSON"),
        (0, "I'd", "ORG"),
        (1, "anti-Israel", "NORP"),
        (1, "pro-Kenya", "NORP"),
        (2, "Israel", "GPE"),
        (2, "Kenya", "GPE"),
    ]
    mentions, _ = run(texts, spans)
    assert texts_of(mentions, "/article") == []
    assert texts_of(mentions, "/c1") == ["Israel", "Kenya"]  # the name after anti-/pro-
    assert entity_of(mentions, "Israel", "/c1")[S.ENTITY_NAME] == "Israel"
    israel = mentions[mentions[S.TEXT] == "Israel"]
    assert israel[S.ENTITY_ID].nunique() == 1  # one entity, whatever the prefix


def test_spaced_dash_splits_a_span_and_edge_noise_is_trimmed():
    texts = ["PSY - GANGNAM STYLE is here", "You Katy are great", "Katy Perry sings well"]
    spans = [
        (0, "PSY - GANGNAM STYLE", "ORG"),
        (1, "You Katy", "PERSON"),
        (2, "Katy Perry", "PERSON"),
    ]
    mentions, _ = run(texts, spans)
    assert texts_of(mentions, "/article") == ["PSY", "GANGNAM STYLE"]
    assert texts_of(mentions, "/c1") == ["Katy"]


# ------------------------------------------------------------------ propagation
def test_common_word_seen_once_does_not_seed_the_gazetteer():
    texts = ["Please read this.", "please stop", "Please, Please, no"]
    mentions, _ = run(texts, [(0, "Please", "ORG")])
    assert texts_of(mentions, "/c1") == [] and texts_of(mentions, "/c2") == []


def test_common_word_with_name_evidence_seeds_but_only_where_written_as_a_name():
    texts = [
        "Yesterday Bush spoke, and later Bush left.",
        "the bush in my garden; Bush is wrong. But Bush knows.",
    ]
    spans = [(0, "Bush", "PERSON"), (0, "Bush", "PERSON", 1)]
    mentions, _ = run(texts, spans)
    # "bush" the plant and "Bush" opening a sentence are not linked; mid-sentence "Bush" is
    assert texts_of(mentions, "/c1") == ["Bush"]
    assert entity_of(mentions, "Bush", "/c1")["link_method"] == "gazetteer"


def test_uncommon_name_seen_once_still_spreads_in_any_case():
    texts = ["Kagame spoke.", "kagame again"]
    mentions, _ = run(texts, [(0, "Kagame", "PERSON")])
    assert texts_of(mentions, "/c1") == ["kagame"]


def test_one_word_name_is_not_found_across_lower_case_words():
    texts = [
        "Justin sang.",
        "Justin sang again.",
        "news just in: Justin won",
        "You Tube and YouTube",
    ]
    spans = [(0, "Justin", "PERSON"), (1, "Justin", "PERSON"), (3, "YouTube", "ORG")]
    mentions, _ = run(texts, spans)
    assert texts_of(mentions, "/c2") == ["Justin"]
    assert texts_of(mentions, "/c3") == ["You Tube", "YouTube"]


# ------------------------------------------------------------------ people and organisations
def test_first_name_joins_the_one_person_it_starts():
    texts = ["Katy Perry sang.", "Katy was great", "Katy rocks"]
    spans = [(0, "Katy Perry", "PERSON"), (1, "Katy", "PERSON"), (2, "Katy", "PERSON")]
    mentions, _ = run(texts, spans)
    assert entity_of(mentions, "Katy")[S.ENTITY_NAME] == "Katy Perry"
    # two people share the first name: it stays apart
    texts = ["Katy Perry and Katy Holmes met.", "Katy was great", "Katy rocks"]
    spans = [
        (0, "Katy Perry", "PERSON"),
        (0, "Katy Holmes", "PERSON"),
        (1, "Katy", "PERSON"),
        (2, "Katy", "PERSON"),
    ]
    mentions, _ = run(texts, spans)
    assert entity_of(mentions, "Katy")[S.ENTITY_NAME] == "Katy"


def test_organisation_lends_no_surname():
    texts = ["The Boston Globe reported it.", "the Globe says so", "Globe again"]
    spans = [(0, "Boston Globe", "ORG"), (1, "Globe", "ORG"), (2, "Globe", "ORG")]
    mentions, _ = run(texts, spans)
    assert entity_of(mentions, "Globe")[S.ENTITY_NAME] == "Globe"
    # a person the model labels ORG still lends a surname
    texts = ["Olaf Kuhnert spoke.", "Kuhnert is right"]
    mentions, _ = run(texts, [(0, "Olaf Kuhnert", "ORG"), (1, "Kuhnert", "PERSON")])
    assert entity_of(mentions, "Kuhnert")[S.ENTITY_NAME] == "Olaf Kuhnert"


def test_groups_stay_apart_from_their_state():
    texts = ["Palestine asked for talks.", "Palestinians protest", "Israel and Palestine"]
    spans = [
        (0, "Palestine", "GPE"),
        (1, "Palestinians", "NORP"),
        (2, "Israel", "GPE"),
        (2, "Palestine", "GPE"),
    ]
    mentions, _ = run(texts, spans)
    group = entity_of(mentions, "Palestinians")
    assert group[S.ENTITY_NAME] == "Palestinians" and group[S.LABEL] == "NORP"
    assert entity_of(mentions, "Palestine")[S.ENTITY_NAME] == "Palestine"


# ------------------------------------------------------------------ canonical names
def test_canonical_name_is_the_most_frequent_clean_full_form(tmp_path):
    lex = thread_only_lexicons(tmp_path)
    # the model's "Glad Obama" lends its surname to "Obama"; the name is not the garbled span
    texts = ["Glad Obama left.", "Obama again", "I like Obama"]
    spans = [(0, "Glad Obama", "PERSON"), (1, "Obama", "PERSON"), (2, "Obama", "PERSON")]
    mentions, entities = run(texts, spans, lexicon_dir=lex)
    assert mentions[S.ENTITY_ID].nunique() == 1
    assert list(entities[S.ENTITY_NAME]) == ["Obama"]
    texts = ["Barack Obama left.", "Obama again", "I like Obama"]
    spans = [(0, "Barack Obama", "PERSON"), (1, "Obama", "PERSON"), (2, "Obama", "PERSON")]
    _, entities = run(texts, spans, lexicon_dir=lex)
    assert list(entities[S.ENTITY_NAME]) == ["Barack Obama"]


def test_full_clean_forms():
    lex = RuleLinker().thread("t").lex
    assert link_naming.full_clean_forms(["Obama", "Barack Obama"], lex) == ["Barack Obama"]
    assert link_naming.full_clean_forms(["Obama", "Thankfully Obama"], lex) == ["Obama"]
    assert link_naming.full_clean_forms(["iPhone", "iPhone IMO"], lex) == ["iPhone"]
    assert link_naming.full_clean_forms(["Samsung", "s Samsung"], lex) == ["Samsung"]
    assert link_naming.full_clean_forms(["Clinton", "Bill Clinton"], lex) == ["Bill Clinton"]


# ------------------------------------------------------------------ unjustified groups
def test_common_word_never_written_as_a_name_is_left_unlinked_on_a_thread():
    texts = ["Guy is here. Johnson spoke.", "Boris Johnson left", *FILLER]
    spans = [(0, "Guy", "PERSON"), (0, "Johnson", "PERSON"), (1, "Boris Johnson", "PERSON")]
    mentions, _ = run(texts, spans)
    assert texts_of(mentions, "/article") == ["Johnson"]  # "Johnson" is a name elsewhere
    # one document is no thread: the model's span stands
    mentions, _ = run(["Guy is here."], [(0, "Guy", "PERSON")])
    assert texts_of(mentions, "/article") == ["Guy"]


# ------------------------------------------------------------------ what the tables say
def test_entities_count_mentions_per_link_method():
    texts = ["Kagame spoke 🇷🇼.", "kagame and Kagme", "Kagame"]
    mentions, entities = run(texts, [(0, "Kagame", "PERSON"), (2, "Kagame", "PERSON")])
    counts = [f"{m}_count" for m in S.LINK_METHODS]
    assert (entities[counts].sum(axis=1) == entities["mention_count"]).all()
    for method in S.LINK_METHODS:
        assert entities[f"{method}_count"].sum() == (mentions["link_method"] == method).sum()
    kagame = entities[entities[S.ENTITY_NAME] == "Kagame"].iloc[0]
    assert kagame["model_count"] == 2 and kagame["gazetteer_count"] == 1
    assert kagame["fuzzy_count"] == 1


def test_propagation_off_keeps_model_spans_only():
    assert RuleLinker().version() != RuleLinker(propagate=False).version()
    texts = ["Kagame spoke.", "kagame again"]
    found = {}
    for propagate in (True, False):
        linking = RuleLinker(propagate=propagate).thread("t9")
        linking.add_doc(is_article=True, position=0, spans=[(0, 6, "PERSON", 0)])
        linking.add_doc(is_article=False, position=1, candidates=[(0, 6, "PROPN", "kagame")])
        linking.link(lambda lo, hi: texts[lo:hi])
        rows = linking.mention_rows(0, 2, ["a", "c"], [S.ARTICLE, S.COMMENT])
        found[propagate] = rows[S.TEXT].tolist()
    assert found == {True: ["Kagame", "kagame"], False: ["Kagame"]}


def test_number_words_stay_in_names_and_ordinary_words_lend_no_surname():
    texts = ["The First Amendment says so.", "My Best Song ever", "Song is good", "Song again"]
    spans = [
        (0, "First Amendment", "LAW"),
        (1, "Best Song", "PERSON"),
        (2, "Song", "PERSON"),
        (3, "Song", "PERSON"),
    ]
    mentions, _ = run(texts, spans)
    assert texts_of(mentions, "/article") == ["First Amendment"]
    assert entity_of(mentions, "Song")[S.ENTITY_NAME] == "Song"  # not joined to "Best Song"


def test_ordinary_words_in_capitals_are_no_evidence_of_a_name():
    texts = ["Do it AGAIN now.", "Make America Great Again", *FILLER]
    spans = [(0, "AGAIN", "ORG"), (1, "America Great Again", "FAC")]
    mentions, _ = run(texts, spans)
    assert texts_of(mentions, "/article") == []


def test_acronyms_that_are_no_word_match_in_any_case():
    lex = RuleLinker().thread("t").lex
    assert link_search.case_rule("NATO", lex) == "any"
    assert link_search.case_rule("WHO", lex) == "upper"  # an ordinary word
    assert link_search.case_rule("UN", lex) == "upper"  # too short
    texts = ["PSY sang and PSY danced.", "psy is great", "Psy again", "GIVE US A BREAK"]
    mentions, _ = run(texts, [(0, "PSY", "PERSON"), (0, "PSY", "PERSON", 1)])
    assert texts_of(mentions, "/c1") == ["psy"] and texts_of(mentions, "/c2") == ["Psy"]
    assert texts_of(mentions, "/c3") == []  # "US A" is not "USA"


def test_well_attested_common_word_name_matches_a_lower_case_proper_noun(tmp_path):
    lex = thread_only_lexicons(tmp_path)
    texts = ["I use Twitter daily, like Twitter users and Twitter fans.", "on twitter today"]
    spans = [(0, "Twitter", "ORG", n) for n in range(3)]
    mentions, _ = run(texts, spans, pos={"twitter": "PROPN"}, lexicon_dir=lex)
    assert texts_of(mentions, "/c1") == ["twitter"]
    mentions, _ = run(texts, spans, pos={"twitter": "NOUN"}, lexicon_dir=lex)  # the bird's: no link
    assert texts_of(mentions, "/c1") == []
