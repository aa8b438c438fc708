"""Grouped passes over all threads give what each thread gives on its own.

Tone, actor tone and the agenda are computed for every thread (and pooled) in grouped passes over
one stacked frame (:func:`analysis.compare.scope.stacked_scopes`), not in a loop over threads. On a
seeded synthetic corpus of several threads (mixed languages, an empty comment, a placeholder, NaN
scores, repeated names, shared and thread-specific actors, a thread without comments), every
thread's rows of the grouped tables must equal the same function run on that thread's rows alone,
intervals included (each bootstrap interval keeps its own seeded generator); the pooled rows must
equal the function run on all rows relabelled as one thread, except for the bootstrap intervals of
means, whose seed names the scope (the batched bootstrap itself is checked against the
one-at-a-time function). Share intervals (Wilson score) need no seed, so they are compared too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from compare_factories import Comment, Sent, combine_threads, make_annotated_thread

from analysis import schema as S
from analysis.compare import stats
from analysis.compare.agenda import agenda_table
from analysis.compare.tone import actor_tone_table, tone_tables

NAMES = ("Alice", "Bob", "Carol", "Dan", "Erin", "Frank")


def _sentence(rng: np.random.Generator, i: int) -> Sent:
    k = int(rng.integers(0, 3))
    names = tuple(rng.choice(NAMES, size=k, replace=False).tolist())
    compound = float("nan") if rng.random() < 0.05 else round(float(rng.uniform(-1, 1)), 3)
    text = " and ".join(names) + f" said thing {i}." if names else f"Nothing at all {i}."
    return Sent(text, compound, entities=names)


def _thread(rng: np.random.Generator, thread_id: str, n_comments: int) -> dict:
    article = [[_sentence(rng, j) for j in range(int(rng.integers(1, 4)))] for _ in range(3)]
    comments: list = []
    for c in range(n_comments):
        sents = [_sentence(rng, 10 * c + j) for j in range(int(rng.integers(1, 4)))]
        roll = rng.random()
        if roll < 0.08:
            comments.append(Comment(sents, lang="de"))
        elif roll < 0.12:
            comments.append([])
        elif roll < 0.15:
            comments.append(Comment(sents, placeholder=True))
        else:
            comments.append(sents)
    return make_annotated_thread(
        article=article, comments=comments, thread_id=thread_id, title="A title"
    )


@pytest.fixture(scope="module")
def corpus() -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(7)
    sizes = {"t1": 12, "t2": 30, "t3": 0, "t4": 7, "t5": 18}
    return combine_threads(*(_thread(rng, tid, n) for tid, n in sizes.items()))


def _only(tables: dict[str, pd.DataFrame], thread_id: str) -> dict[str, pd.DataFrame]:
    return {
        k: v[v[S.THREAD_ID].astype(str) == thread_id].reset_index(drop=True)
        for k, v in tables.items()
        if S.THREAD_ID in v.columns
    }


def _relabelled(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {
        k: v.assign(**{S.THREAD_ID: "all"}) if S.THREAD_ID in v.columns else v
        for k, v in tables.items()
    }


def _run(name: str, t: dict[str, pd.DataFrame], *, pooled: bool) -> list[pd.DataFrame]:
    if name == "tone":
        return list(tone_tables(t["sentences"], t["documents"], seed=11, pooled=pooled))
    if name == "actor_tone":
        return [actor_tone_table(t["mentions"], t["documents"], seed=11, min_sentences=2,
                                 pooled=pooled)]  # fmt: skip
    return [
        agenda_table(
            t["mentions"],
            t["sentences"],
            t["documents"],
            t["paragraphs"],
            entities=t["entities"],
            pooled=pooled,
        )  # fmt: skip
    ]


def _rows(frame: pd.DataFrame, thread_id: str) -> pd.DataFrame:
    return frame[frame[S.THREAD_ID] == thread_id].reset_index(drop=True)


@pytest.mark.parametrize("name", ["tone", "actor_tone", "agenda"])
def test_grouped_equals_each_thread_alone(corpus, name):
    grouped = _run(name, corpus, pooled=True)
    threads = sorted(corpus["documents"][S.THREAD_ID].unique())
    assert len(threads) == 5
    seen = 0
    for tid in threads:
        alone = _run(name, _only(corpus, tid), pooled=False)
        for whole, single in zip(grouped, alone, strict=True):
            pd.testing.assert_frame_equal(_rows(whole, tid), single, check_exact=True)
            seen += len(single)
    assert seen > 0
    # Rows come thread after thread, pooled last, as the tables always listed them.
    order = grouped[0][S.THREAD_ID].tolist()
    assert order == sorted(order, key=lambda t: (t == S.POOLED, t))


@pytest.mark.parametrize("name", ["tone", "actor_tone", "agenda"])
def test_pooled_rows_equal_one_relabelled_thread(corpus, name):
    grouped = _run(name, corpus, pooled=True)
    one = _run(name, _relabelled(corpus), pooled=False)
    for whole, single in zip(grouped, one, strict=True):
        pooled = _rows(whole, S.POOLED).drop(columns=S.THREAD_ID)
        single = single.drop(columns=S.THREAD_ID)
        assert len(pooled) > 0
        seeded = "compound_mean" in single.columns  # a mean: its bootstrap seed names the scope
        keep = [c for c in single.columns if not (seeded and c in ("ci_low", "ci_high"))]
        pd.testing.assert_frame_equal(pooled[keep], single[keep], check_exact=True)


def test_batched_bootstraps_equal_one_at_a_time():
    rng = np.random.default_rng(3)
    groups = [rng.uniform(-1, 1, size=n) for n in (0, 1, 2, 5, 40, 300)]
    groups[3][1] = np.nan
    seeds = [stats.derive_seed(1, "g", i) for i in range(len(groups))]
    low, high = stats.bootstrap_mean_cis(groups, seeds)
    for g, s, lo, hi in zip(groups, seeds, low, high, strict=True):
        np.testing.assert_array_equal([lo, hi], stats.bootstrap_mean_ci(g, seed=s))
    assert np.isnan(low[:2]).all() and not np.isnan(low[2:]).any()


def test_share_intervals_need_no_seed(corpus):
    """Share intervals are Wilson score intervals: the same with any seed; the means' are not."""
    a_shares, a_summary = tone_tables(corpus["sentences"], corpus["documents"], seed=11)
    b_shares, b_summary = tone_tables(corpus["sentences"], corpus["documents"], seed=12)
    pd.testing.assert_frame_equal(a_shares, b_shares, check_exact=True)
    assert not a_summary["ci_low"].equals(b_summary["ci_low"])
    has = a_shares["n"] >= 2
    assert has.any() and a_shares.loc[has, "ci_low"].notna().all()
    assert a_shares.loc[~has, "ci_low"].isna().all()
