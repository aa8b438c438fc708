"""Rules for the top actors of a thread: real entities, right labels, clean canonical names.

Each test builds a small synthetic thread (the model's spans are given) on made-up names, so it
tests the rule and not the dev files; each fails with its rule removed.
"""

from __future__ import annotations

from test_linking import entity_of, run

from analysis import schema as S

FILLER = [f"Comment number {i} says nothing much." for i in range(10)]


# ------------------------------------------------------- an initial-led fragment of a full name
def test_surname_keys_let_a_middle_initial_lead_the_surname():
    from analysis.linking.names import surname_keys

    assert surname_keys("Wilbur Q. Fenwick") == {"fenwick", "qfenwick"}
    assert surname_keys("Wilbur Q Fenwick") == {"fenwick", "qfenwick"}
    assert surname_keys("Olga H. T. Marrow") == {"marrow", "tmarrow", "htmarrow"}
    assert surname_keys("Q. Fenwick") == {"fenwick"}  # the fragment itself lends no initial key
    assert surname_keys("Wilbur Fenwick") == {"fenwick"}


def test_an_initial_and_surname_joins_the_full_name_and_never_names_the_entity():
    texts = [
        "An article on old generals.",
        "General Q. Fenwick led the march.",
        "Who is Q. Fenwick anyway?",
        "There is no Q. Fenwick, it was Wilbur Q Fenwick.",
        *FILLER,
    ]
    spans = [
        (1, "Q. Fenwick", "PERSON"),
        (2, "Q. Fenwick", "PERSON"),
        (3, "Q. Fenwick", "PERSON"),
        (3, "Wilbur Q Fenwick", "PERSON"),
    ]
    mentions, entities = run(texts, spans)
    assert entity_of(mentions, "Q. Fenwick", "/c1")[S.ENTITY_NAME] == "Wilbur Q Fenwick"
    assert entity_of(mentions, "Q. Fenwick", "/c2")[S.ENTITY_NAME] == "Wilbur Q Fenwick"
    assert "Q. Fenwick" not in set(entities[S.ENTITY_NAME])


def test_a_full_name_of_ordinary_words_with_a_middle_initial_is_a_person_name():
    from analysis.linking.names import has_middle_initial

    assert has_middle_initial("Mason T. Garden") and has_middle_initial("Mason T Garden")
    assert not has_middle_initial("Mason Garden") and not has_middle_initial("T. Garden")
    # "Mason", "Garden" are ordinary words: only the initial says "Mason T Garden" is a person
    texts = [
        "An article on gardens.",
        "General T. Garden led the march.",
        "Who is T. Garden anyway?",
        "It was Mason T Garden, the general.",
        *FILLER,
    ]
    spans = [
        (1, "T. Garden", "PERSON"),
        (2, "T. Garden", "PERSON"),
        (3, "Mason T Garden", "PERSON"),
    ]
    mentions, _ = run(texts, spans)
    assert entity_of(mentions, "T. Garden", "/c2")[S.ENTITY_NAME] == "Mason T Garden"


# ------------------------------------------------------------------- holidays are dates
def test_is_calendar_day():
    from analysis.linking.shapes import is_calendar_day

    assert is_calendar_day("Zorbin's Eve")
    assert is_calendar_day("Grand Zorbin Eve")
    assert is_calendar_day("Grand Zorbin's Day") and is_calendar_day("Zorbins' Day")
    assert not is_calendar_day("Grand Zorbin Day")  # may be a film's title
    assert not is_calendar_day("D-Day") and not is_calendar_day("Zorb and Eve")
    assert not is_calendar_day("Eve") and not is_calendar_day("Day")
    assert not is_calendar_day("Zorbin Festival")


def test_a_holiday_the_model_calls_an_event_is_a_date_not_an_entity():
    texts = [
        "An article on a festival.",
        "Crowds gathered on Zorbin's Eve in the square.",
        "After the Zorbin's Eve riots, nothing changed.",
        "The Zorbin Festival was fun.",
        *FILLER,
    ]
    spans = [
        (1, "Zorbin's Eve", "EVENT"),
        (2, "Zorbin's Eve", "EVENT"),
        (3, "Zorbin Festival", "EVENT"),
    ]
    mentions, _ = run(texts, spans)
    assert "Zorbin's Eve" not in set(mentions[S.TEXT])
    assert "Zorbin Festival" in set(mentions[S.TEXT])
    # a person named like a holiday keeps the name
    mentions, _ = run(["Then Zorvan Day sang well.", *FILLER], [(0, "Zorvan Day", "PERSON")])
    assert set(mentions[S.TEXT]) == {"Zorvan Day"}


# ------------------------------------------------------ holders of an ideology are no group
def test_is_ideology_word():
    from analysis.linking.shapes import is_ideology_word

    assert is_ideology_word("Socialist")  # socialism
    assert is_ideology_word("anarchists")  # anarchism
    assert not is_ideology_word("Socialist", {"socialism"})  # a lexicon's -ism
    assert not is_ideology_word("Zorbists")  # no English "zorbism"
    assert not is_ideology_word("Whigs")  # a party's members: no -ism
    assert not is_ideology_word("Socialist Party")  # a party's name


def test_an_ideology_holder_the_model_calls_a_group_is_no_entity_but_a_party_group_is():
    texts = [
        "An article on the vote.",
        "The Whigs and the Socialist agenda are to blame.",
        "yes the anarchists and the Whigs again",
        "anarchists everywhere, Whigs nowhere",
        *FILLER,
    ]
    spans = [
        (1, "Whigs", "NORP"),
        (1, "Socialist", "NORP"),
        (2, "anarchists", "NORP"),
        (2, "Whigs", "NORP"),
        (3, "anarchists", "NORP"),
        (3, "Whigs", "NORP"),
    ]
    mentions, _ = run(texts, spans)
    assert set(mentions[S.TEXT]) == {"Whigs"}


# ------------------------------------------------------- fandoms named after someone
def test_a_known_name_glued_to_a_plural_noun_is_a_fandom_not_a_place():
    texts = [
        "An article on a singer.",
        "Zorba Quillfeather sang again, Zorba is the best.",
        "Hey Zorbacats! Vote now.",
        "ATTENTION ZORBACATS, vote for Zorba",
        "We love Zorbatown and Zorba.",
        *FILLER,
    ]
    spans = [
        (1, "Zorba Quillfeather", "PERSON"),
        (1, "Zorba", "PERSON", 1),
        (2, "Zorbacats", "GPE"),
        (3, "ZORBACATS", "GPE"),
        (3, "Zorba", "PERSON"),
        (4, "Zorbatown", "GPE"),
        (4, "Zorba", "PERSON"),
    ]
    mentions, _ = run(texts, spans)
    texts_found = set(mentions[S.TEXT])
    assert not {"Zorbacats", "ZORBACATS"} & texts_found
    assert "Zorbatown" in texts_found  # a singular: a place may be named after someone
    # the singular beside the plural is the fandom too
    texts[4] = "I am a Zorbacat, and Zorba knows."
    spans[-2:] = [(4, "Zorbacat", "GPE"), (4, "Zorba", "PERSON")]
    mentions, _ = run(texts, spans)
    assert not {"Zorbacats", "ZORBACATS", "Zorbacat"} & set(mentions[S.TEXT])


# ------------------------------------------------------------ a title after its artist
def test_title_vote_reads_the_artist_dash_title_shape():
    from analysis.linking.labels import title_vote

    def vote(text, span, label="PERSON"):
        start = text.index(span)
        return title_vote(text, start, start + len(span), label)

    assert vote("Zorba Quill - Moonsong (Official Video)", "Moonsong") == "WORK_OF_ART"
    assert vote("ZORBA - MOONSONG [MV]", "MOONSONG", "ORG") == "WORK_OF_ART"
    assert vote("now playing: Zorba Quill - Moonsong\nnext", "Moonsong") == "WORK_OF_ART"
    assert vote("Mix - ZORBA - MOONSONG (live)", "MOONSONG", "ORG") == "WORK_OF_ART"
    assert vote("Zorba Quill - Moonsong 2016 ticket", "Moonsong") == "PERSON"  # no title tail
    assert vote("I met Moonsong (the singer)", "Moonsong") == "PERSON"  # no artist and dash
    assert vote("Zorba Quill - Moonsong (Official)", "Moonsong", "GPE") == "GPE"


def test_a_song_named_after_its_artist_in_most_mentions_is_a_work_not_a_person():
    texts = [
        "Zorba Quill - Moonsong (Official Video)",
        "Moonsong is her best song.",
        "Zorba Quill - Moonsong (Official): a link",
        "listen: Zorba Quill - Moonsong (Official)",
        *FILLER,
    ]
    spans = [
        (0, "Zorba Quill", "PERSON"),
        (0, "Moonsong", "PERSON"),
        (1, "Moonsong", "PERSON"),
        (2, "Zorba Quill", "PERSON"),
        (2, "Moonsong", "PERSON"),
        (3, "Zorba Quill", "PERSON"),
        (3, "Moonsong", "PERSON"),
    ]
    mentions, _ = run(texts, spans)
    assert entity_of(mentions, "Moonsong", "/c1")[S.LABEL] == "WORK_OF_ART"
    assert entity_of(mentions, "Zorba Quill", "/c2")[S.LABEL] == "PERSON"


# ---------------------------------------------------- a bare given name is a person's
def _lexicon_with_person(tmp_path):
    import shutil

    from analysis import config

    folder = tmp_path / "lex"
    shutil.copytree(config.LEXICON_DIR, folder)
    with (folder / "aliases.csv").open("a", encoding="utf-8") as fh:
        fh.write("Zorbin Q. Quillfeather,Zorbin Quillfeather,PERSON,formal_name,made up,\n")
    return folder


def test_an_org_named_only_by_a_lexicon_persons_given_name_is_a_person(tmp_path):
    texts = [
        "An article on music.",
        "Zorbin sang that song, not Kwexley.",
        "second comes zorbin with his hit",
        "Zorbin's song, and ZORBIN the band",
        *FILLER,
    ]
    spans = [
        (1, "Zorbin", "ORG"),
        (1, "Kwexley", "ORG"),
        (2, "zorbin", "ORG"),
        (3, "Zorbin", "ORG"),
    ]
    mentions, _ = run(texts, spans, lexicon_dir=_lexicon_with_person(tmp_path))
    assert entity_of(mentions, "Zorbin", "/c1")[S.LABEL] == "PERSON"
    assert entity_of(mentions, "Kwexley", "/c1")[S.LABEL] == "ORG"  # no lexicon given name
    # written only in capitals, the name reads as an acronym
    texts[1:4] = ["ZORBIN sang that song.", "second comes ZORBIN again", "ZORBIN, the band"]
    spans = [(1, "ZORBIN", "ORG"), (2, "ZORBIN", "ORG"), (3, "ZORBIN", "ORG")]
    mentions, _ = run(texts, spans, lexicon_dir=_lexicon_with_person(tmp_path / "2"))
    assert entity_of(mentions, "ZORBIN", "/c1")[S.LABEL] == "ORG"


# ------------------------------------------- a name cut short by the model is made whole
def test_a_mention_and_the_next_word_that_spell_a_known_name_become_that_name():
    texts = [
        "An article on a dance.",
        "Everyone loves Zorb Dance by Kwil.",
        "the Zorb Dance again, Zorb Dance forever",
        "Why Zorb dance? I don't get it.",
        "What my zorb dance",
        *FILLER,
    ]
    spans = [
        (1, "Zorb Dance", "WORK_OF_ART"),
        (2, "Zorb Dance", "WORK_OF_ART"),
        (2, "Zorb Dance", "WORK_OF_ART", 1),
        (3, "Zorb", "PERSON"),
    ]
    mentions, entities = run(texts, spans)
    row = entity_of(mentions, "Zorb dance", "/c3")
    assert row[S.ENTITY_NAME] == "Zorb Dance" and row[S.LABEL] == "WORK_OF_ART"
    assert "Zorb" not in set(entities[S.ENTITY_NAME])
    # a word that completes no known name leaves the mention as it was
    texts[3] = "Why Zorb now? I don't get it."
    mentions, _ = run(texts, spans)
    assert "Zorb" in set(mentions[S.TEXT])
    # a mention of an ordinary word is an adjective before a noun, not a name cut short
    texts = [
        "An article on the Federal Flag.",
        "the Federal flag is old",
        "a Federal flag again",
        *FILLER,
    ]
    spans = [(0, "Federal Flag", "ORG"), (1, "Federal", "ORG"), (2, "Federal", "ORG")]
    mentions, _ = run(texts, spans)
    assert entity_of(mentions, "Federal", "/c1")[S.ENTITY_NAME] == "Federal"


# --------------------------------------- a shouted name is no acronym when written as a word
def test_a_short_name_in_capitals_beside_its_capitalised_form_is_named_capitalised():
    texts = [
        "An article on a singer.",
        "ZORB is great, ZORB forever.",
        "I love ZORB and Zorb too.",
        "QXV and QXV again, QXV.",
        *FILLER,
    ]
    spans = [
        (1, "ZORB", "PERSON"),
        (1, "ZORB", "PERSON", 1),
        (2, "ZORB", "PERSON"),
        (2, "Zorb", "PERSON"),
        (3, "QXV", "ORG"),
        (3, "QXV", "ORG", 1),
    ]
    mentions, _ = run(texts, spans)
    assert entity_of(mentions, "ZORB", "/c1")[S.ENTITY_NAME] == "Zorb"
    assert entity_of(mentions, "QXV", "/c3")[S.ENTITY_NAME] == "QXV"  # an acronym stays
