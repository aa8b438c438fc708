"""Grouped passes over many threads give what one run per thread gives, float for float.

Engagement and the headline finders compute every thread at once (one sort, one matrix); these
tests run them on a multi-thread corpus and compare each thread's rows with a run on that
thread alone (``check_exact``: no tolerance), so a grouped pass that let threads leak into each
other, changed an order or a summation would fail.
"""

from __future__ import annotations

import pandas as pd
import pytest
from compare_factories import Comment, Sent, combine_threads, make_annotated_thread
from pandas.testing import assert_frame_equal

from analysis import schema as S
from analysis.compare import compare_notes, compare_tables
from analysis.compare.engagement import engagement_tables
from analysis.compare.headlines import FINDERS, headline_findings
from analysis.compare.keyness import keyness_table

ALL_FINDINGS = len(FINDERS)


def _threads() -> list[dict[str, pd.DataFrame]]:
    """Threads unlike each other: shared vocabulary across threads, ties, an unscorable
    article, a thread without analysed comments, placeholders and non-English comments."""
    war = Sent(
        "Russia and Syria talk war.",
        -0.4,
        lemmas="russia syria talk war",
        entities=(("Russia", "Russia", "GPE"), ("Syria", "Syria", "GPE")),
    )
    trade = Sent("Trade talks with Tom resume.", 0.3, lemmas="trade talk tom", entities=("Tom",))
    a = make_annotated_thread(
        [[war], [trade], [Sent("Cats purr in spring.", 0.5, lemmas="cat purr spring")]],
        [
            [war],
            [
                Sent(
                    "Tom and Ann trade cats.",
                    0.2,
                    lemmas="tom ann trade cat",
                    entities=("Tom", "Ann"),
                )
            ],
            [Sent("Nothing here.", -0.6, lemmas="nothing")],
            Comment([Sent("Das ist Krieg.")], lang="de"),
            [],
            Comment([Sent("[deleted]")], placeholder=True),
            [
                Sent(
                    "Syria, Syria and war again.",
                    -0.8,
                    lemmas="syria war war",
                    entities=(("Syria", "Syria", "GPE"),),
                )
            ],
        ],
        thread_id="a",
        title=Sent("War and trade", -0.1, lemmas="war trade"),
    )
    # two identical paragraphs: ties go to the earlier one; the vocabulary overlaps thread a's
    same = Sent("Ann backs the cat tax.", 0.1, lemmas="ann back cat tax", entities=("Ann",))
    b = make_annotated_thread(
        [[same], [same], [Sent("War is far.", -0.2, lemmas="war far")]],
        [
            [
                Sent(
                    "Ann, Tom and the cat tax.",
                    0.4,
                    lemmas="ann tom cat tax",
                    entities=("Ann", "Tom"),
                )
            ],
            [Sent("Tax war!", -0.5, lemmas="tax war")],
            [
                Sent(
                    "Trade with Russia.",
                    0.0,
                    lemmas="trade russia",
                    entities=(("Russia", "Russia", "GPE"),),
                )
            ],
        ],
        thread_id="b",
        placeholder_column=True,
    )
    # an article with neither lemmas nor entities: nothing can be scored
    c = make_annotated_thread(
        [[Sent("Oh.", 0.0, lemmas="")]],
        [[Sent("Tom trades cats.", 0.3, lemmas="tom trade cat", entities=("Tom",))]],
        thread_id="c",
    )
    # no analysed comment at all
    d = make_annotated_thread(
        [[war]], [Comment([Sent("Nein.")], lang="de"), []], thread_id="d", placeholder_column=True
    )
    return [a, b, c, d]


@pytest.fixture(scope="module")
def threads() -> list[dict[str, pd.DataFrame]]:
    return _threads()


def _rows(frame: pd.DataFrame, thread: str) -> pd.DataFrame:
    return frame.loc[frame[S.THREAD_ID] == thread].reset_index(drop=True)


def _engagement(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return engagement_tables(
        tables["sentences"], tables["documents"], tables["paragraphs"], tables["mentions"]
    )


def test_engagement_of_many_threads_equals_one_run_per_thread(threads):
    eng, drivers = _engagement(combine_threads(*threads))
    assert set(eng[S.THREAD_ID]) == {"a", "b", "c"}  # d has no analysed comment
    for thread in threads:
        tid = str(thread["documents"][S.THREAD_ID].iloc[0])
        one_eng, one_drivers = _engagement(thread)
        assert_frame_equal(_rows(eng, tid), one_eng, check_exact=True)
        assert_frame_equal(_rows(drivers, tid), _rows(one_drivers, tid), check_exact=True)
    # the corpus exercises what the grouped pass must get right
    assert eng["shared_entities"].notna().any() and eng[S.PARAGRAPH_ID].isna().any()
    assert eng.loc[eng[S.THREAD_ID] == "c", "score"].isna().all()  # unscorable article
    assert "b/article/p0" in set(eng[S.PARAGRAPH_ID].dropna())  # tie: the earlier paragraph


@pytest.fixture(scope="module")
def headline_inputs(threads) -> tuple[dict, list[dict]]:
    """The finders' tables: each thread's compare tables computed alone, stacked, plus the
    pooled rows of a run on all threads (so only the finders are under test)."""
    alone = [compare_tables(t) for t in threads]
    both = compare_tables(combine_threads(*threads))
    stacked = {}
    for name in alone[0]:
        pooled = both[name].loc[both[name][S.THREAD_ID] == S.POOLED]
        stacked[name] = pd.concat([*(a[name] for a in alone), pooled], ignore_index=True)
    inputs = combine_threads(*threads)
    return {**inputs, **stacked}, [{**t, **a} for t, a in zip(threads, alone, strict=True)]


def test_each_finder_on_many_threads_equals_its_one_thread_run(headline_inputs):
    many, ones = headline_inputs
    heads = headline_findings(many, max_findings=ALL_FINDINGS)
    assert list(dict.fromkeys(heads[S.THREAD_ID])) == ["a", "b", "c", "d", S.POOLED]
    for one in ones:
        tid = str(one["documents"][S.THREAD_ID].iloc[0])
        expected = headline_findings(one, max_findings=ALL_FINDINGS)
        assert_frame_equal(_rows(heads, tid), expected, check_exact=True)
    # every kind of finding was compared on at least one thread
    assert set(heads["finding_id"]) >= {
        "coverage",
        "negative_share",
        "top_comment_actor",
        "comments_only_actors",
        "actor_tone_gap",
        "distinctive_terms",
        "off_article_share",
        "dominant_frame",
        "comment_led_topics",
    }


def test_pooled_findings_equal_a_one_thread_run_of_the_pooled_rows(headline_inputs):
    many, _ = headline_inputs
    heads = headline_findings(many, max_findings=ALL_FINDINGS)
    # the pooled scope as one thread: pooled rows of output tables, all rows of input tables
    relabelled = {}
    for name, frame in many.items():
        has_pooled = (frame[S.THREAD_ID] == S.POOLED).any()
        rows = frame.loc[frame[S.THREAD_ID] == S.POOLED] if has_pooled else frame
        relabelled[name] = rows.assign(**{S.THREAD_ID: "p"}).reset_index(drop=True)
    one = headline_findings(relabelled, max_findings=ALL_FINDINGS)
    pooled = _rows(heads, S.POOLED)
    assert pooled["numbers"].tolist() == one["numbers"].tolist()
    assert pooled["finding_id"].tolist() == one["finding_id"].tolist()
    statements = one["statement"].str.replace("In this thread", "Across all threads")
    assert pooled["statement"].tolist() == statements.tolist()


def test_notes_of_many_threads_equal_one_run_per_thread(headline_inputs):
    many, ones = headline_inputs
    notes = compare_notes(many)
    assert list(notes) == ["a", "b", "c", "d", S.POOLED]
    for one in ones:
        tid = str(one["documents"][S.THREAD_ID].iloc[0])
        assert notes[tid] == compare_notes(one)[tid]
    pooled = {
        name: frame.loc[frame[S.THREAD_ID] == S.POOLED].assign(**{S.THREAD_ID: "p"})
        for name, frame in many.items()
        if name in ("tone_summary", "actor_tone", "topic_shares", "keyness")
    }
    assert notes[S.POOLED] == compare_notes(pooled)["p"]
    # the corpus exercises the summary, actor tone, topic and keyness notes
    seen = " ".join(n for thread in notes.values() for n in thread)
    for part in ("comments left out", "every comment-side number is NaN", "no actor has"):
        assert part in seen
    assert any("keyness statistics are NaN" in n for n in notes["c"])
    assert "no topic rows" in seen


def test_notes_do_not_pool_an_actor_across_threads():
    """An actor with enough sentences only on the article side in x and only on the comment
    side in y is compared in neither; z has both sides and is compared."""
    units = ("comment", "article_sentence", "comment_sentence")
    summary = pd.DataFrame(
        [(t, u, 9, 0) for t in ("x", "y", "z") for u in units],
        columns=[S.THREAD_ID, "unit", "n", "excluded_count"],
    )
    tone = pd.DataFrame(
        {
            S.THREAD_ID: ["x", "x", "y", "y", "z", "z"],
            S.ENTITY_ID: ["E"] * 6,
            S.SIDE: [S.SIDE_ARTICLE, S.SIDE_COMMENTS] * 3,
            "is_too_few": [False, True, True, False, False, False],
        }
    )
    notes = compare_notes({"tone_summary": summary, "actor_tone": tone})
    assert [any("no actor has" in n for n in notes[t]) for t in "xyz"] == [True, True, False]


def test_keyness_pooled_from_thread_counts_equals_a_run_on_all_rows(threads):
    """The pooled keyness rows are summed from the threads' counts; a one-thread run of the
    same rows counts them directly, and each thread's rows equal a run on that thread."""
    tables = combine_threads(*threads)
    sents, docs = tables["sentences"], tables["documents"]
    many = keyness_table(sents, docs)
    one = keyness_table(
        sents.assign(**{S.THREAD_ID: "p"}), docs.assign(**{S.THREAD_ID: "p"}), pooled=False
    )
    pooled = _rows(many, S.POOLED).drop(columns=S.THREAD_ID)
    assert_frame_equal(pooled, one.drop(columns=S.THREAD_ID), check_exact=True)
    assert (pooled[S.COMMENT_DOC_COUNT] > 1).any()  # comments of several threads share terms
    for thread in threads:
        tid = str(thread["documents"][S.THREAD_ID].iloc[0])
        alone = keyness_table(thread["sentences"], thread["documents"])
        assert_frame_equal(_rows(many, tid), alone, check_exact=True)
