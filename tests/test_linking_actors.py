"""Rules that keep non-entities out of a thread's ranked actors (issue 10, top-20 actors).

Each test builds a small synthetic thread (no model runs: the spans are given) that fails
without its rule; the words are made up or ordinary English, never taken from the dev files.
"""

from __future__ import annotations

from test_linking import run

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
