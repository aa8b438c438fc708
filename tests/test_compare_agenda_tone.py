"""Agenda, tone toward actors and overall tone on hand-built threads with known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from compare_factories import Comment, Sent, combine_threads, make_annotated_thread
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import schema as S
from analysis.compare.agenda import agenda_table, presence_lists
from analysis.compare.tone import (
    MIN_SENTENCES,
    actor_tone_table,
    derive_seed,
    label_of,
    tone_tables,
)


def agenda_thread(thread_id: str = "t1") -> dict[str, pd.DataFrame]:
    """Article: 3 paragraphs (title + 2 body); comments: 3 analysed, 1 empty, 1 German.

    Article mentions: Alice x2 (p1, p2), Bob x1 (p1)            -> 3 article mentions
    Comment mentions: Bob x1 (c1), Carol x2 (c1, c2), Carol x1 (c3) -> 4 comment mentions
    """
    return make_annotated_thread(
        title="A new plan",
        article=[
            [Sent("Alice met Bob.", 0.4, entities=("Alice", "Bob"))],
            [Sent("Later Alice spoke.", 0.0, entities=("Alice",)), Sent("It rained.", -0.2)],
        ],
        comments=[
            [Sent("Bob and Carol agree.", 0.3, entities=("Bob", "Carol"))],
            [Sent("Carol is wrong.", -0.5, entities=("Carol",))],
            [Sent("I like Carol.", 0.6, entities=("Carol",))],
            [],
            Comment([Sent("Carol ist gut.", entities=("Carol",))], lang="de"),
        ],
        thread_id=thread_id,
    )


def run_agenda(t: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return agenda_table(
        t["mentions"], t["sentences"], t["documents"], t["paragraphs"], entities=t["entities"]
    )


# ------------------------------------------------------------------------------------ agenda


def test_agenda_known_counts_shares_and_presence():
    agenda = run_agenda(agenda_thread()).set_index(S.ENTITY_ID)
    assert list(agenda.index) == ["carol", "alice", "bob"]  # by total mentions, then id
    assert agenda.loc["alice", "article_mention_count"] == 2
    assert agenda.loc["carol", "comment_mention_count"] == 3  # the German comment does not count
    assert agenda.loc["alice", "article_mention_share"] == pytest.approx(2 / 3)
    assert agenda.loc["bob", "comment_mention_share"] == pytest.approx(1 / 4)
    assert agenda.loc["bob", "mention_share_diff"] == pytest.approx(1 / 4 - 1 / 3)
    # Article paragraphs: title p0, p1 (Alice, Bob), p2 (Alice) -> 3 paragraphs.
    assert agenda.loc["alice", "article_doc_share"] == pytest.approx(2 / 3)
    assert agenda.loc["bob", "article_doc_share"] == pytest.approx(1 / 3)
    # Analysed comments: c1, c2, c3 (c4 empty, c5 German).
    assert agenda.loc["carol", "comment_doc_share"] == pytest.approx(3 / 3)
    assert agenda.loc["bob", "comment_doc_share"] == pytest.approx(1 / 3)
    assert agenda.loc["carol", "presence"] == "comments_only"
    assert agenda.loc["alice", "presence"] == "article_only"
    assert agenda.loc["bob", "presence"] == "both"
    assert agenda.loc["carol", "article_mention_share"] == 0.0
    assert agenda.loc["carol", S.LABEL] == "PERSON"


def test_entity_only_commenters_mention_is_listed_comments_only():
    agenda = run_agenda(agenda_thread())
    lists = presence_lists(agenda, thread_id="t1")
    assert lists == {"both": ["Bob"], "article_only": ["Alice"], "comments_only": ["Carol"]}


def test_agenda_mention_shares_sum_to_one_per_side():
    agenda = run_agenda(agenda_thread())
    assert agenda["article_mention_share"].sum() == pytest.approx(1.0)
    assert agenda["comment_mention_share"].sum() == pytest.approx(1.0)


def test_agenda_paragraph_from_offsets_when_sentence_paragraph_missing():
    t = agenda_thread()
    sentences = t["sentences"].copy()
    sentences[S.PARAGRAPH_ID] = pd.NA
    via_offsets = agenda_table(t["mentions"], sentences, t["documents"], t["paragraphs"])
    expected = run_agenda(t)
    pd.testing.assert_series_equal(
        via_offsets["article_doc_share"], expected["article_doc_share"], check_names=False
    )


def test_agenda_conforms_and_does_not_mutate_inputs():
    t = agenda_thread()
    before = {k: v.copy() for k, v in t.items()}
    agenda = run_agenda(t)
    assert list(agenda.columns) == S.AGENDA.names
    assert set(agenda["presence"]) <= set(S.PRESENCE_VALUES)
    for key, frame in t.items():
        pd.testing.assert_frame_equal(frame, before[key])


def test_agenda_pooled_rows_only_with_several_threads():
    one = run_agenda(agenda_thread())
    assert S.POOLED not in set(one[S.THREAD_ID])
    two = combine_threads(agenda_thread("t1"), agenda_thread("t2"))
    agenda = run_agenda(two)
    pooled = agenda[agenda[S.THREAD_ID] == S.POOLED].set_index(S.ENTITY_ID)
    assert pooled.loc["carol", "comment_mention_count"] == 6
    assert pooled.loc["alice", "article_mention_share"] == pytest.approx(4 / 6)
    assert pooled.loc["alice", "article_doc_share"] == pytest.approx(4 / 6)  # 6 paragraphs
    per_thread = agenda[agenda[S.THREAD_ID] == "t2"].set_index(S.ENTITY_ID)
    assert per_thread.loc["carol", "comment_mention_count"] == 3


def test_agenda_share_is_nan_when_article_has_no_mentions():
    t = make_annotated_thread(
        article=[[Sent("Nothing named here.")]],
        comments=[[Sent("Carol again.", entities=("Carol",))]],
    )
    agenda = run_agenda(t)
    assert math.isnan(agenda["article_mention_share"].iloc[0])
    assert agenda["presence"].iloc[0] == "comments_only"


# -------------------------------------------------------------------------------- actor tone


def tone_thread() -> dict[str, pd.DataFrame]:
    """Dana in 6 article sentences and 2 comment sentences; one sentence names Dana twice."""
    article_values = [0.5, 0.1, -0.3, 0.7, 0.2, 0.0]
    article = [
        [Sent(f"Dana said {i}.", v, entities=("Dana",)) for i, v in enumerate(article_values)]
    ]
    comments = [
        [Sent("Dana and Dana again.", -0.8, entities=("Dana", "Dana"))],
        [Sent("Dana no.", -0.4, entities=("Dana",))],
    ]
    return make_annotated_thread(article=article, comments=comments)


def test_actor_tone_mean_counts_distinct_sentences_and_flags_too_few():
    t = tone_thread()
    tone = actor_tone_table(t["mentions"], t["documents"]).set_index(S.SIDE)
    art, com = tone.loc[S.SIDE_ARTICLE], tone.loc[S.SIDE_COMMENTS]
    assert art["compound_mean"] == pytest.approx(np.mean([0.5, 0.1, -0.3, 0.7, 0.2, 0.0]))
    assert art["sentence_count"] == 6 and art["mention_count"] == 6
    assert not art["is_too_few"]
    assert art["ci_low"] <= art["compound_mean"] <= art["ci_high"]
    # The comment sentence naming Dana twice counts once: mean of -0.8 and -0.4.
    assert com["mention_count"] == 3 and com["sentence_count"] == 2
    assert com["compound_mean"] == pytest.approx(-0.6)
    assert com["is_too_few"]  # 2 < MIN_SENTENCES: reported, not compared
    assert math.isnan(com["ci_low"]) and math.isnan(com["ci_high"])
    assert MIN_SENTENCES == 5


def test_actor_tone_lists_both_sides_even_when_one_never_mentions():
    t = agenda_thread()
    tone = actor_tone_table(t["mentions"], t["documents"])
    carol = tone[tone[S.ENTITY_ID] == "carol"].set_index(S.SIDE)
    assert carol.loc[S.SIDE_ARTICLE, "mention_count"] == 0
    assert math.isnan(carol.loc[S.SIDE_ARTICLE, "compound_mean"])
    assert carol.loc[S.SIDE_ARTICLE, "is_too_few"]
    assert list(tone.columns) == S.ACTOR_TONE.names


def test_actor_tone_interval_reproducible_with_seed_and_changes_without():
    t = tone_thread()
    a = actor_tone_table(t["mentions"], t["documents"], seed=7)
    b = actor_tone_table(t["mentions"], t["documents"], seed=7)
    c = actor_tone_table(t["mentions"], t["documents"], seed=8)
    pd.testing.assert_frame_equal(a, b)
    art = a[S.SIDE] == S.SIDE_ARTICLE
    assert (
        a.loc[art, ["ci_low", "ci_high"]].to_numpy() != c.loc[art, ["ci_low", "ci_high"]].to_numpy()
    ).any()


def test_derive_seed_is_stable_and_key_dependent():
    assert derive_seed(1, "t1", "x") == derive_seed(1, "t1", "x")
    assert derive_seed(1, "t1", "x") != derive_seed(1, "t1", "y")
    assert derive_seed(1, "t1", "x") != derive_seed(2, "t1", "x")
    assert derive_seed(None, "t1") is None


# ------------------------------------------------------------------------------ overall tone


def overall_thread() -> dict[str, pd.DataFrame]:
    return make_annotated_thread(
        article=[[Sent("a", -0.05), Sent("b", 0.0), Sent("c", 0.05), Sent("d", -0.6)]],
        comments=[
            Comment([Sent("e", -0.7), Sent("f", -0.2)], compound=-0.75),
            Comment([Sent("g", 0.3)], compound=0.3),
            Comment([Sent("h", 0.01)], compound=0.01),
            Comment([Sent("i", float("nan"))], compound=-0.5),
            [],
            Comment([Sent("Das ist schlecht.")], lang="de", keep_sentences=True),
        ],
    )


def test_label_thresholds_are_vaders():
    labels = label_of(pd.Series([-0.05, -0.0499, 0.0, 0.0499, 0.05, float("nan")]))
    assert list(labels[:5]) == ["negative", "neutral", "neutral", "neutral", "positive"]
    assert pd.isna(labels.iloc[5])


def test_tone_shares_known_counts_and_sum_to_one():
    shares, summary = tone_tables(*[overall_thread()[k] for k in ("sentences", "documents")])
    got = shares.set_index(["unit", "sentiment_label"])
    # article sentences: -0.05 neg, 0.0 neu, 0.05 pos, -0.6 neg
    assert got.loc[("article_sentence", "negative"), "count"] == 2
    assert got.loc[("article_sentence", "neutral"), "count"] == 1
    assert got.loc[("article_sentence", "positive"), "count"] == 1
    # comment sentences: -0.7, -0.2, 0.3, 0.01 (the NaN one is excluded and counted)
    assert got.loc[("comment_sentence", "negative"), "n"] == 4
    assert got.loc[("comment_sentence", "negative"), "count"] == 2
    # whole comments: -0.75, 0.3, 0.01, -0.5 (empty and German comments left out)
    assert got.loc[("comment", "negative"), "count"] == 2
    assert got.loc[("comment", "negative"), "share"] == pytest.approx(0.5)
    for _, grp in shares.groupby("unit"):
        assert grp["share"].sum() == pytest.approx(1.0)
        assert (grp["ci_low"] <= grp["share"] + 1e-12).all()
        assert (grp["share"] <= grp["ci_high"] + 1e-12).all()
    excluded = summary.set_index("unit")["excluded_count"]
    assert excluded["comment_sentence"] == 2  # the NaN sentence + the German sentence
    assert excluded["comment"] == 2  # empty + German
    assert excluded["article_sentence"] == 0


def test_tone_summary_matches_numpy():
    t = overall_thread()
    _, summary = tone_tables(t["sentences"], t["documents"])
    row = summary.set_index("unit").loc["comment"]
    values = np.array([-0.75, 0.3, 0.01, -0.5])
    assert row["n"] == 4
    assert row["compound_mean"] == pytest.approx(values.mean())
    assert row["compound_median"] == pytest.approx(np.median(values))
    assert row["compound_q1"] == pytest.approx(np.quantile(values, 0.25))
    assert row["compound_q3"] == pytest.approx(np.quantile(values, 0.75))
    assert row["ci_low"] <= row["compound_mean"] <= row["ci_high"]
    assert list(summary.columns) == S.TONE_SUMMARY.names


def test_tone_intervals_reproducible_with_seed_and_change_with_another():
    t = overall_thread()
    a, sa = tone_tables(t["sentences"], t["documents"], seed=1)
    b, sb = tone_tables(t["sentences"], t["documents"], seed=1)
    c, sc = tone_tables(t["sentences"], t["documents"], seed=2)
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(sa, sb)
    assert not np.allclose(sa["ci_low"], sc["ci_low"], equal_nan=True) or not np.allclose(
        sa["ci_high"], sc["ci_high"], equal_nan=True
    )
    fresh, _ = tone_tables(t["sentences"], t["documents"], seed=None)
    assert list(fresh.columns) == S.TONE_SHARES.names


def test_tone_pooled_counts_add_up():
    two = combine_threads(overall_thread(), agenda_thread("t2"))
    shares, _ = tone_tables(two["sentences"], two["documents"])
    n = shares[shares["sentiment_label"] == "negative"].set_index([S.THREAD_ID, "unit"])["n"]
    for unit in ("article_sentence", "comment_sentence", "comment"):
        assert n[(S.POOLED, unit)] == n[("t1", unit)] + n[("t2", unit)]


# ------------------------------------------------------------------------------- properties

NAMES = ("Ann", "Ben", "Cat", "Dov")
sentence_st = st.builds(
    lambda names, v: Sent(" ".join([*names, "spoke."]), v, entities=tuple(names)),
    st.lists(st.sampled_from(NAMES), max_size=3),
    st.floats(-1, 1),
)


@settings(max_examples=20, deadline=None)
@given(
    article=st.lists(st.lists(sentence_st, min_size=1, max_size=3), min_size=1, max_size=3),
    comments=st.lists(st.lists(sentence_st, max_size=3), max_size=5),
)
def test_agenda_and_tone_properties(article, comments):
    t = make_annotated_thread(article=article, comments=comments)
    agenda = run_agenda(t)
    ments = t["mentions"]
    for kind, col in ((S.ARTICLE, "article_mention_count"), (S.COMMENT, "comment_mention_count")):
        assert agenda[col].sum() == (ments[S.DOC_KIND] == kind).sum()
    for col in ("article_mention_share", "comment_mention_share"):
        if agenda[col].notna().any():
            assert agenda[col].sum() == pytest.approx(1.0)
    art, com = agenda["article_mention_count"] > 0, agenda["comment_mention_count"] > 0
    assert ((agenda["presence"] == "both") == (art & com)).all()
    assert ((agenda["presence"] == "comments_only") == (~art & com)).all()
    assert ((agenda[["article_doc_share", "comment_doc_share"]].fillna(0) <= 1).all()).all()
    shares, _ = tone_tables(t["sentences"], t["documents"])
    for _, grp in shares.groupby("unit"):
        if grp["n"].iloc[0] > 0:
            assert grp["share"].sum() == pytest.approx(1.0)
        else:
            assert grp["share"].isna().all()


def test_most_frequent_by_counts_per_scope_breaks_ties_alphabetically_and_skips_missing():
    from analysis.compare.tone import most_frequent_by

    code = np.array([0, 0, 0, 0, 1, 1, 1, 0, 1], dtype="int64")
    keys = ["e1", "e1", "e1", "e2", "e1", "e1", None, "e2", "e2"]
    values = ["Bo", "Al", "Bo", "Cy", "Al", "Bo", "Zed", pd.NA, float("nan")]
    got = most_frequent_by(code, keys, values)
    # scope 0: e1 has Bo twice, Al once; e2's missing value is skipped (Cy);
    # scope 1: e1 ties Al/Bo (alphabetical first wins); a missing key or value is no row
    assert got == {(0, "e1"): "Bo", (0, "e2"): "Cy", (1, "e1"): "Al"}
    assert list(got) == [(0, "e1"), (0, "e2"), (1, "e1")]
    assert most_frequent_by(np.array([0]), [None], ["x"]) == {}
