"""Rules that keep non-entities out of a thread's ranked actors (issue 10, top-20 actors).

Each test builds a small synthetic thread (no model runs: the spans are given) that fails
without its rule; the words are made up or ordinary English, never taken from the dev files.
"""

from __future__ import annotations

from test_linking import run, thread_only_lexicons

from analysis import schema as S

FILLER = [f"Comment number {i} says nothing much." for i in range(10)]


def texts_in(mentions, doc_suffix):
    return mentions[mentions[S.DOC_ID].str.endswith(doc_suffix)][S.TEXT].tolist()


# ------------------------------------------------------------ fuzzy links justify nothing
def test_a_misspelling_linked_to_an_ordinary_word_does_not_keep_it_as_a_name():
    texts = [
        "An article on gardening and more gardening.",
        "Gardening is a waste of time.",
        "gardening again, gardening always",
        'I call it "Gardenning" and it is dull.',
        *FILLER,
    ]
    spans = [(1, "Gardening", "ORG")]
    mentions, _ = run(texts, spans)
    # the model's one sentence-initial "Gardening" is the word the thread writes in lower case;
    # the misspelling fuzzy-linked to it does not make it a name
    assert texts_in(mentions, "/c1") == []
    assert texts_in(mentions, "/c3") == []


# ------------------------------------------------- a word's singular and plural are one word
def test_number_variants_are_ordinary_words_only():
    from analysis.linking.casing import number_variants

    assert number_variants("Rivers") == ["River"]
    assert number_variants("Song") == ["Songs"]
    assert number_variants("PARTIES") == ["PARTY"]
    assert number_variants("Zorblax") == []  # no English word either way
    assert number_variants("New York") == []  # one word only


def test_a_capitalised_plural_the_thread_writes_as_a_word_in_either_number_is_left_unlinked():
    texts = [
        "An article on the weather.",
        "The old Rivers were high that year.",
        "all the Rivers rose, the river by my house too",
        "a river, the river, another river",
        "that river and the rivers nearby",
        *FILLER,
    ]
    spans = [(1, "Rivers", "GPE"), (2, "Rivers", "GPE")]
    mentions, _ = run(texts, spans)
    # "Rivers" is named twice, "rivers" in lower case once: alone it reads as a name, but with
    # its singular the thread writes the word in lower case six times
    assert "Rivers" not in set(mentions[S.TEXT])
    # a thread that writes the singular rarely keeps the capitalised plural
    texts[3:5] = ["nothing here", "nothing there either"]
    mentions, _ = run(texts, spans)
    assert texts_in(mentions, "/c1") == ["Rivers"]


# ------------------------------------------------------ acronyms said as a sentence of their own
def test_is_exclamation_reads_the_sentence_around_an_acronym():
    from analysis.linking.shapes import is_exclamation

    def check(text, span):
        start = text.index(span)
        return is_exclamation(text, start, start + len(span))

    assert check("ZQX!!", "ZQX")
    assert check("I said so; Z.Q.X.", "Z.Q.X.")
    assert check("ZQX! I mean it", "ZQX")
    assert check('Fine.\n"ZQX"\nbye', "ZQX")
    assert not check("ZQX, I am sure", "ZQX")  # opens a longer sentence
    assert not check("the ZQX said so", "ZQX")
    assert not check("Go ZQX!", "ZQX")  # not the whole sentence
    assert not check("Z.Q.X. Vorn sails today", "Z.Q.X.")  # the abbreviation's own dot
    assert not check("Zqx!", "Zqx")  # no acronym


def test_an_acronym_only_ever_exclaimed_names_nothing_but_one_said_in_a_sentence_does():
    texts = [
        "An article about ships.",
        "ZQX!!",
        "You again? ZQX!",
        "the Vorn Fleet sailed.",
        "Vorn sails well.",
        "VORN!!!",
        *FILLER,
    ]
    spans = [(1, "ZQX", "ORG"), (2, "ZQX", "ORG"), (3, "Vorn Fleet", "ORG"),
             (4, "Vorn", "ORG"), (5, "VORN", "ORG")]  # fmt: skip
    mentions, _ = run(texts, spans)
    assert "ZQX" not in set(mentions[S.TEXT])
    # a name the thread writes in sentences is found again where it is shouted alone
    shouted = mentions[mentions[S.DOC_ID].str.endswith("/c5")]
    assert shouted[S.TEXT].tolist() == ["VORN"]
    assert shouted["link_method"].tolist() == ["gazetteer"]
    # so is the acronym once the thread says it in a sentence too
    texts[3] = "the Vorn Fleet sailed. ZQX, I mean it"
    mentions, _ = run(texts, [*spans, (3, "ZQX", "ORG")])
    assert texts_in(mentions, "/c3") == ["Vorn Fleet", "ZQX"]
    assert texts_in(mentions, "/c1") == ["ZQX"]


# ---------------------------------------------- a first name joins the lexicon's one full name
def _lexicon_with_person(tmp_path):
    folder = thread_only_lexicons(tmp_path)
    with (folder / "aliases.csv").open("a", encoding="utf-8") as fh:
        fh.write("Zorvath,Quentin Zorvath,PERSON,short_name,made up for a test,\n")
    return folder


def test_a_first_name_joins_the_one_lexicon_full_name_the_thread_reached(tmp_path):
    lex = _lexicon_with_person(tmp_path)
    texts = [
        "An article on taxes.",
        "Zorvath said so.",
        "I think Zorvath is loud.",
        "Quentin pays no tax.",
        *FILLER,
    ]
    # the model calls the surname an organisation twice: the lexicon says it is a person
    spans = [(1, "Zorvath", "ORG"), (2, "Zorvath", "ORG"), (3, "Quentin", "PERSON")]
    mentions, _ = run(texts, spans, lexicon_dir=lex)
    first = mentions[mentions[S.TEXT] == "Quentin"].iloc[0]
    assert first[S.ENTITY_NAME] == "Quentin Zorvath"
    # two Quentins in the thread, each named as often: the first name stays apart
    texts[4] = "Quentin Marlowe wrote back."
    mentions, _ = run(texts, [*spans, (4, "Quentin Marlowe", "PERSON")], lexicon_dir=lex)
    first = mentions[mentions[S.TEXT] == "Quentin"].iloc[0]
    assert first[S.ENTITY_NAME] == "Quentin"


# ------------------------------------------------------ an acronym written in the plural
def test_is_plural_acronym():
    from analysis.linking.casing import is_plural_acronym

    assert is_plural_acronym("QVs") and is_plural_acronym("ZQXs")
    assert not is_plural_acronym("QVS")  # another acronym
    assert not is_plural_acronym("QV's")  # a possessive
    assert not is_plural_acronym("Qvs") and not is_plural_acronym("s")


def test_an_acronym_the_thread_pluralises_is_a_common_noun_not_an_actor():
    texts = [
        "An article on bathrooms.",
        "They keep pushing QV bathrooms.",
        "all the QV people and more",
        "I would never vote for QV rules.",
        "the ZRB said so, the ZRB is a board",
        "the ZRB again",
        *FILLER,
    ]
    spans = [(1, "QV", "ORG"), (2, "QV", "ORG"), (3, "QV", "ORG"),
             (4, "ZRB", "ORG"), (4, "ZRB", "ORG", 1), (5, "ZRB", "ORG")]  # fmt: skip
    mentions, _ = run(texts, spans)
    assert set(mentions[S.TEXT]) == {"QV", "ZRB"}  # no plural in the thread: both stay
    texts[6] = "gays and QVs alike"
    mentions, _ = run(texts, spans)
    assert set(mentions[S.TEXT]) == {"ZRB"}
    # "QVS" in capitals is another acronym, not a plural
    texts[6] = "gays and QVS alike"
    mentions, _ = run(texts, spans)
    assert "QV" in set(mentions[S.TEXT])


# ------------------------------------------- a lower-case ordinary word known capitalised
def test_a_lower_case_model_span_of_an_ordinary_word_needs_more_than_the_name_elsewhere():
    texts = [
        "An article on clubs.",
        "He was made Speaker of the Lodge last year.",
        "they lit up the old lodge with lights",
        "Zorbank paid for it.",
        "zorbank again",
        *FILLER,
    ]
    spans = [(1, "Lodge", "ORG"), (2, "lodge", "ORG"), (3, "Zorbank", "ORG"),
             (4, "zorbank", "ORG")]  # fmt: skip
    mentions, _ = run(texts, spans)
    assert texts_in(mentions, "/c1") == ["Lodge"]
    assert texts_in(mentions, "/c2") == []  # "lodge" the word, though "Lodge" is known
    assert texts_in(mentions, "/c4") == ["zorbank"]  # no English word: the known name


def test_a_shouted_group_name_in_the_plural_is_no_plural_acronym():
    texts = [
        "An article on the valley.",
        "every VORN child is here",
        "VORNs and more VORNs",
        "a VORN again",
        *FILLER,
    ]
    spans = [(1, "VORN", "NORP"), (3, "VORN", "NORP")]
    mentions, _ = run(texts, spans)
    # a group of people is named in the plural: the model's NORP label keeps it
    assert texts_in(mentions, "/c1") == ["VORN"]
    # the same letters as an organisation the thread pluralises are a common noun
    mentions, _ = run(texts, [(1, "VORN", "ORG"), (3, "VORN", "ORG")])
    assert "VORN" not in set(mentions[S.TEXT])
