"""Which entities rank as actors: support from at least two independent places (known answers)."""

from __future__ import annotations

import pandas as pd
from compare_factories import Sent, combine_threads, make_annotated_thread

from analysis import schema as S
from analysis.compare import compare_tables
from analysis.compare.agenda import (
    MIN_SUPPORT,
    actor_support,
    agenda_table,
    presence_lists,
    ranked_rows,
)


def support_thread(thread_id: str = "t1") -> dict[str, pd.DataFrame]:
    """Article: title p0, body p1 and p2; comments c1..c5, each by its own author (a1..a5).

    alice: article p1 and p2                      -> 2 places (paragraphs), ranked
    bob:   article p1 and comment c1              -> 2 places, ranked
    carol: comments c1, c2, c3                    -> 3 comments (authors decide)
    dave:  three mentions, all in comment c4      -> 1 place, not ranked
    erin:  article p2 only, once                  -> 1 place, not ranked
    """
    return make_annotated_thread(
        title="A new plan",
        article=[
            [Sent("Alice met Bob.", 0.4, entities=("Alice", "Bob"))],
            [Sent("Later Alice spoke to Erin.", 0.0, entities=("Alice", "Erin"))],
        ],
        comments=[
            [Sent("Bob and Carol agree.", 0.3, entities=("Bob", "Carol"))],
            [Sent("Carol is wrong.", -0.5, entities=("Carol",))],
            [Sent("I like Carol.", 0.6, entities=("Carol",))],
            [Sent("Dave, Dave and Dave again.", 0.1, entities=("Dave", "Dave", "Dave"))],
            [Sent("Nothing to see.", 0.0)],
        ],
        thread_id=thread_id,
    )


def run(t: dict[str, pd.DataFrame], *, corpus: bool = True) -> pd.DataFrame:
    return agenda_table(
        t["mentions"],
        t["sentences"],
        t["documents"],
        t["paragraphs"],
        entities=t["entities"],
        corpus=t["corpus"] if corpus else None,
    ).set_index(S.ENTITY_ID)


def test_support_counts_paragraphs_and_comment_authors():
    agenda = run(support_thread())
    assert MIN_SUPPORT == 2
    expected = {  # comment_support, support_count, is_ranked
        "alice": (0, 2, True),
        "bob": (1, 2, True),
        "carol": (3, 3, True),
        "dave": (1, 1, False),
        "erin": (0, 1, False),
    }
    for entity, (comments, support, ranked) in expected.items():
        row = agenda.loc[entity]
        assert row[S.COMMENT_SUPPORT] == comments, entity
        assert row[S.SUPPORT_COUNT] == support, entity
        assert bool(row[S.IS_RANKED]) is ranked, entity
    assert agenda.loc["carol", S.AUTHOR_SUPPORT] == 3
    assert pd.isna(agenda.loc["alice", S.AUTHOR_SUPPORT])  # no comment names her


def test_unranked_rows_stay_with_their_counts_and_shares():
    agenda = run(support_thread())
    assert set(agenda.index) == {"alice", "bob", "carol", "dave", "erin"}
    assert agenda.loc["dave", "comment_mention_count"] == 3
    # The shares' denominators still count every mention, ranked or not.
    assert agenda["comment_mention_share"].sum() == 1.0
    assert agenda["article_mention_share"].sum() == 1.0


def test_one_author_in_several_comments_is_one_place():
    t = support_thread()
    corpus = t["corpus"].copy()
    comments = corpus[S.DOC_KIND] == S.COMMENT
    corpus.loc[comments, S.AUTHOR_ID] = "same-person"
    t = {**t, "corpus": corpus}
    agenda = run(t)
    assert agenda.loc["carol", S.COMMENT_SUPPORT] == 3
    assert agenda.loc["carol", S.AUTHOR_SUPPORT] == 1
    assert agenda.loc["carol", S.SUPPORT_COUNT] == 1
    assert not agenda.loc["carol", S.IS_RANKED]
    # bob: one article paragraph + that one author = two places.
    assert agenda.loc["bob", S.IS_RANKED]
    # Without authors each comment counts once.
    unknown = run(t, corpus=False)
    assert pd.isna(unknown.loc["carol", S.AUTHOR_SUPPORT])
    assert unknown.loc["carol", S.SUPPORT_COUNT] == 3
    assert unknown.loc["carol", S.IS_RANKED]


def test_pooled_support_adds_the_threads():
    t2 = support_thread("t2")
    t2["corpus"] = t2["corpus"].assign(**{S.AUTHOR_ID: t2["corpus"][S.AUTHOR_ID] + "-t2"})
    two = combine_threads(support_thread("t1"), t2)
    agenda = agenda_table(
        two["mentions"], two["sentences"], two["documents"], two["paragraphs"],
        entities=two["entities"], corpus=two["corpus"], pooled=True,
    )  # fmt: skip
    pooled = agenda[agenda[S.THREAD_ID] == S.POOLED].set_index(S.ENTITY_ID)
    # dave: one comment in each thread, by two authors -> ranked when pooled.
    assert pooled.loc["dave", S.COMMENT_SUPPORT] == 2
    assert pooled.loc["dave", S.IS_RANKED]
    # One pseudonym in both threads is one author.
    same = combine_threads(support_thread("t1"), support_thread("t2"))
    again = agenda_table(
        same["mentions"], same["sentences"], same["documents"], same["paragraphs"],
        corpus=same["corpus"],
    )  # fmt: skip
    again = again[again[S.THREAD_ID] == S.POOLED].set_index(S.ENTITY_ID)
    assert again.loc["dave", S.AUTHOR_SUPPORT] == 1
    assert not again.loc["dave", S.IS_RANKED]
    t1 = agenda[agenda[S.THREAD_ID] == "t1"].set_index(S.ENTITY_ID)
    assert not t1.loc["dave", S.IS_RANKED]


def test_actor_support_on_plain_mention_rows():
    rows = pd.DataFrame(
        {
            S.ENTITY_ID: ["x", "x", "x", "y", "y", "z", None],
            S.DOC_KIND: ["comment"] * 3 + ["article", "comment", "article", "comment"],
            S.DOC_ID: ["c1", "c1", "c2", "a", "c3", "a", "c4"],
            S.AUTHOR_ID: ["u1", "u1", "u1", None, None, None, "u9"],
        }
    )  # fmt: skip
    got = actor_support(rows).set_index(S.ENTITY_ID)
    assert list(got.index) == ["x", "y", "z"]  # the row without an entity is skipped
    assert got.loc["x", S.COMMENT_SUPPORT] == 2
    assert got.loc["x", S.SUPPORT_COUNT] == 1  # one author
    assert got.loc["y", S.SUPPORT_COUNT] == 2  # the article + a comment of unknown author
    assert got.loc["z", S.SUPPORT_COUNT] == 1
    assert got[S.IS_RANKED].tolist() == [False, True, False]
    assert actor_support(rows, min_support=1)[S.IS_RANKED].all()


def test_compare_tables_reads_authors_from_the_corpus():
    t = support_thread()
    corpus = t["corpus"].copy()
    corpus.loc[corpus[S.DOC_KIND] == S.COMMENT, S.AUTHOR_ID] = "same-person"
    out = compare_tables({**t, "corpus": corpus})["agenda"].set_index(S.ENTITY_ID)
    assert not out.loc["carol", S.IS_RANKED]
    S.AGENDA.check(out.reset_index(), stage="test")


def test_presence_lists_name_ranked_actors_only():
    agenda = run(support_thread()).reset_index()
    lists = presence_lists(agenda, thread_id="t1")
    assert lists == {"both": ["Bob"], "article_only": ["Alice"], "comments_only": ["Carol"]}
    assert len(ranked_rows(agenda)) == 3
    assert len(ranked_rows(agenda.drop(columns=S.IS_RANKED))) == 5
