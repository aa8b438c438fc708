"""Engagement: which article paragraph a comment responds to; off-article comments and drivers."""

from __future__ import annotations

import pandas as pd
import pytest
from compare_factories import Comment, Sent, combine_threads, make_annotated_thread
from pandas.testing import assert_frame_equal

from analysis import schema as S
from analysis.compare import engagement as E

TITLE = Sent(
    "Bennett meets Putin in Sochi",
    lemmas="bennett meet putin sochi",
    entities=("Bennett", "Putin", ("Sochi", "Sochi", "GPE")),
)
P1 = [
    Sent(
        "Iran's nuclear programme worries Israel.",
        lemmas="iran nuclear programme worry israel",
        entities=(("Iran", "Iran", "GPE"), ("Israel", "Israel", "GPE")),
    )
]
P2 = [
    Sent(
        "Russia supports Assad in Syria.",
        lemmas="russia support assad syria",
        entities=(("Russia", "Russia", "GPE"), "Assad", ("Syria", "Syria", "GPE")),
    ),
    Sent(
        "The war in Syria continues.",
        lemmas="war syria continue",
        entities=(("Syria", "Syria", "GPE"),),
    ),
]
P3 = [Sent("Trade talks resume in spring.", lemmas="trade talk resume spring")]


def _thread(comments, **kw):
    return make_annotated_thread([P1, P2, P3], comments, title=TITLE, **kw)


def _tables(thread, **kw):
    return E.engagement_tables(
        thread["sentences"], thread["documents"], thread["paragraphs"], thread["mentions"], **kw
    )


def test_a_comment_copying_a_paragraph_anchors_to_it():
    eng, _ = _tables(_thread([list(P2), [Sent("My cat likes fish.")]]))
    row = eng.set_index(S.DOC_ID).loc["t1/c1"]
    assert row[S.PARAGRAPH_ID] == "t1/article/p2"
    assert row["entity_overlap"] == 1.0
    assert row["lemma_similarity"] == pytest.approx(1.0)
    assert row["score"] == pytest.approx(1.0)
    assert not row["is_off_article"]
    assert row["shared_entities"] == "Assad | Russia | Syria"


def test_a_comment_about_unrelated_things_is_off_article():
    eng, drivers = _tables(_thread([[Sent("My cat Tom likes fish.", entities=("Tom",))]]))
    row = eng.iloc[0]
    assert row["is_off_article"]
    assert pd.isna(row[S.PARAGRAPH_ID]) and pd.isna(row["shared_entities"])
    assert row["score"] == 0.0
    assert drivers[[S.ENTITY_NAME, "off_article_comment_count", "in_article"]].values.tolist() == [
        ["Tom", 1, False]
    ]


def test_a_comment_on_the_title_anchors_to_the_title():
    eng, _ = _tables(
        _thread(
            [
                [
                    Sent(
                        "Putin and Bennett met.",
                        lemmas="putin bennett meet",
                        entities=("Putin", "Bennett"),
                    )
                ]
            ]
        )
    )
    assert eng[S.PARAGRAPH_ID].tolist() == ["t1/article/p0"]


def test_score_combines_jaccard_and_cosine_with_the_documented_weights():
    # entities {Russia, Iran} vs the best paragraph: P1 {Iran, Israel} -> Jaccard 1/3;
    # P2 {Russia, Assad, Syria} -> 1/4; no shared lemma anywhere -> cosine 0
    comment = [
        Sent(
            "Russia backs Iran.",
            lemmas="back",
            entities=(("Russia", "Russia", "GPE"), ("Iran", "Iran", "GPE")),
        )
    ]
    eng, _ = _tables(_thread([comment]))
    row = eng.iloc[0]
    assert row[S.PARAGRAPH_ID] == "t1/article/p1"
    assert row["entity_overlap"] == pytest.approx(1 / 3)
    assert row["lemma_similarity"] == 0.0
    assert row["score"] == pytest.approx(E.ENTITY_WEIGHT / 3)
    assert row["shared_entities"] == "Iran"
    assert not row["is_off_article"]  # 0.167 >= 0.10
    eng_strict, drivers = _tables(_thread([comment]), threshold=0.2)
    assert eng_strict["is_off_article"].tolist() == [True]
    assert drivers.set_index(S.ENTITY_NAME)["in_article"].to_dict() == {
        "Iran": True,
        "Russia": True,
    }


def test_lemma_similarity_alone_can_anchor():
    eng, _ = _tables(_thread([[Sent("Trade talks, again.", lemmas="trade talk")]]))
    row = eng.iloc[0]
    assert row[S.PARAGRAPH_ID] == "t1/article/p3"
    assert row["entity_overlap"] == 0.0
    assert 0 < row["lemma_similarity"] <= 1
    assert row["score"] == pytest.approx(E.LEMMA_WEIGHT * row["lemma_similarity"])


def test_off_article_drivers_and_shares():
    comments = [
        [Sent("Netanyahu and Biden talked.", entities=("Netanyahu", "Biden"))],
        [Sent("Netanyahu again.", entities=("Netanyahu",))],
        [Sent("Netanyahu, Netanyahu.", entities=("Netanyahu", "Netanyahu"))],
        [
            Sent(
                "Assad and Putin in Syria.",
                lemmas="assad putin syria",
                entities=("Assad", "Putin", ("Syria", "Syria", "GPE")),
            )
        ],
        Comment([Sent("Netanyahu ist schuld.", entities=("Netanyahu",))], lang="de"),
        "",
    ]
    eng, drivers = _tables(_thread(comments))
    assert eng[S.DOC_ID].tolist() == ["t1/c1", "t1/c2", "t1/c3", "t1/c4"]  # annotated only
    assert eng["is_off_article"].tolist() == [True, True, True, False]
    got = drivers[
        [S.ENTITY_ID, "off_article_comment_count", "off_article_comment_share", "in_article"]
    ].values.tolist()
    assert got == [["netanyahu", 3, 1.0, False], ["biden", 1, pytest.approx(1 / 3), False]]
    summary = E.off_article_summary(eng)
    assert summary.to_dict("records") == [
        {
            S.THREAD_ID: "t1",
            "comment_count": 4,
            "scored_count": 4,
            "off_article_count": 3,
            "off_article_share": 0.75,
        }
    ]


def test_entity_named_in_the_article_is_flagged_in_article():
    comments = [[Sent("Bennett is bored by cats.", lemmas="bored cat", entities=("Bennett",))]]
    eng, drivers = _tables(_thread(comments), threshold=0.9)
    assert eng["is_off_article"].tolist() == [True]
    assert drivers[["entity_id", "in_article"]].values.tolist() == [["bennett", True]]


def test_engagement_is_deterministic_and_does_not_mutate_inputs():
    thread = _thread([list(P2), list(P1), [Sent("Nothing here.")]])
    before = {k: v.copy() for k, v in thread.items()}
    first = _tables(thread)
    second = _tables(thread)
    assert_frame_equal(first[0], second[0])
    assert_frame_equal(first[1], second[1])
    for key, frame in before.items():
        assert_frame_equal(thread[key], frame)
    assert first[0]["score"].between(0, 1).all()


# ------------------------------------------------------------------------------ edge threads


@pytest.mark.parametrize(
    "comments",
    [[], ["", ""], [Comment([Sent("Das ist ein Krieg.")], lang="de")]],
    ids=["no-comments", "only-empty", "only-non-english"],
)
def test_threads_without_annotated_comments_give_empty_tables(comments):
    eng, drivers = _tables(_thread(comments))
    assert eng.empty and drivers.empty
    assert list(eng.columns) == S.ENGAGEMENT.names
    assert list(drivers.columns) == S.OFF_ARTICLE_DRIVERS.names
    assert E.off_article_summary(eng).empty


def test_one_comment_and_a_one_sentence_article():
    thread = make_annotated_thread(
        [[Sent("War in Syria.", lemmas="war syria")]], [[Sent("Syria war.", lemmas="syria war")]]
    )
    eng, _ = _tables(thread)
    assert eng[S.PARAGRAPH_ID].tolist() == ["t1/article/p0"]
    assert eng["score"].iloc[0] == pytest.approx(E.LEMMA_WEIGHT)


def test_article_without_lemmas_or_entities_cannot_be_scored():
    thread = make_annotated_thread([[Sent("Ok.", lemmas="")]], [[Sent("Syria war.")]])
    eng, drivers = _tables(thread)
    assert len(eng) == 1
    assert eng["score"].isna().all() and eng["is_off_article"].isna().all()
    assert drivers.empty
    summary = E.off_article_summary(eng)
    assert summary["scored_count"].tolist() == [0]
    assert summary["off_article_share"].isna().all()


def test_comment_without_lemmas_is_off_article():
    eng, _ = _tables(_thread([[Sent("Lol!", lemmas="")]]))
    assert eng["is_off_article"].tolist() == [True] and eng["score"].tolist() == [0.0]


def test_threshold_out_of_range_is_rejected():
    with pytest.raises(ValueError, match="threshold"):
        _tables(_thread([]), threshold=1.5)


def test_missing_column_is_a_stage_input_error():
    from analysis.errors import StageInputError

    thread = _thread([list(P2)])
    with pytest.raises(StageInputError, match="paragraph_index"):
        E.engagement_tables(
            thread["sentences"],
            thread["documents"],
            thread["paragraphs"].drop(columns=["paragraph_index"]),
            thread["mentions"],
        )


# ------------------------------------------------------------------------------ several threads


def test_comments_are_compared_with_their_own_thread_only():
    one = make_annotated_thread(
        [[Sent("Trade talks.", lemmas="trade talk")]],
        [[Sent("Cats, Tom.", lemmas="cat", entities=("Tom",))]],
        thread_id="a",
    )
    two = make_annotated_thread(
        [[Sent("Cats purr.", lemmas="cat purr")]],
        [[Sent("Trade talks with Tom.", lemmas="trade talk", entities=("Tom",))]],
        thread_id="b",
    )
    both = combine_threads(one, two)
    eng, drivers = E.engagement_tables(
        both["sentences"], both["documents"], both["paragraphs"], both["mentions"]
    )
    # each comment copies the *other* thread's article, which it is never compared with
    assert eng[S.DOC_ID].tolist() == ["a/c1", "b/c1"]
    assert eng[S.PARAGRAPH_ID].isna().all() and (eng["score"] == 0).all()
    assert eng["is_off_article"].tolist() == [True, True]
    assert list(dict.fromkeys(drivers[S.THREAD_ID])) == ["a", "b", S.POOLED]
    pooled = drivers[drivers[S.THREAD_ID] == S.POOLED]
    assert pooled[
        ["entity_id", "off_article_comment_count", "off_article_comment_share"]
    ].values.tolist() == [["tom", 2, 1.0]]
    summary = E.off_article_summary(eng)
    assert summary[S.THREAD_ID].tolist() == ["a", "b", S.POOLED]
    assert summary["off_article_share"].tolist() == [1.0, 1.0, 1.0]
