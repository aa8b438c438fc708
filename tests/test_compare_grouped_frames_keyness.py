"""Frames and keyness computed for all threads at once give what each thread gives on its own.

``frame_tables`` scores every sentence once and counts the shares of every scope in one grouped
pass; ``keyness_table`` counts the terms of every scope in one grouped pass
(:mod:`analysis.compare.keyness_counts`). On a seeded synthetic corpus of several threads (mixed
languages, empty comments, placeholders, a thread without comments, multi-word and shared frame
terms, vocabulary shared across threads), every thread's rows must equal the function run on that
thread's rows alone (``check_exact``, intervals included), and the pooled rows must equal a run
on all rows relabelled as one thread (intervals included: Wilson score intervals need no seed).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import pytest
from compare_factories import Comment, Sent, combine_threads, make_annotated_thread

from analysis import schema as S
from analysis.compare import stats
from analysis.compare.frames import frame_tables
from analysis.compare.keyness import keyness_table
from analysis.compare.units import TermMatcher

LEXICON = """frame,term
economic,cost
economic,tax cut
economic,tax
political,tax
political,vote
security_and_defense,war
security_and_defense,nuclear weapon
crime_and_punishment,crime
morality,war crime
"""
VOCAB = (
    "cost tax cut war crime nuclear weapon vote cat dog rain spring talk people law road".split()
)


@pytest.fixture(scope="module")
def lexicon_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lexicon")
    (folder / "frames.csv").write_text(LEXICON, encoding="utf-8")
    return folder


def _sentence(rng: np.random.Generator) -> Sent:
    lemmas = " ".join(rng.choice(VOCAB, size=int(rng.integers(1, 7))).tolist())
    return Sent(lemmas.capitalize() + ".", round(float(rng.uniform(-1, 1)), 3), lemmas=lemmas)


def _thread(rng: np.random.Generator, thread_id: str, n_comments: int) -> dict:
    article = [[_sentence(rng) for _ in range(int(rng.integers(1, 4)))] for _ in range(2)]
    comments: list = []
    for _ in range(n_comments):
        sents = [_sentence(rng) for _ in range(int(rng.integers(1, 4)))]
        roll = rng.random()
        if roll < 0.08:
            comments.append(Comment(sents, lang="de"))
        elif roll < 0.12:
            comments.append([])
        elif roll < 0.15:
            comments.append(Comment(sents, placeholder=True))
        else:
            comments.append(sents)
    return make_annotated_thread(article, comments, thread_id=thread_id, title="A title")


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


def _rows(frame: pd.DataFrame, thread_id: str) -> pd.DataFrame:
    return frame[frame[S.THREAD_ID] == thread_id].reset_index(drop=True)


def _run(name: str, t: dict[str, pd.DataFrame], lexicon_dir, *, pooled: bool = True) -> list:
    if name == "frames":
        return list(frame_tables(t["sentences"], t["documents"], lexicon_dir=lexicon_dir))
    return [keyness_table(t["sentences"], t["documents"], pooled=pooled)]


@pytest.mark.parametrize("name", ["frames", "keyness"])
def test_grouped_equals_each_thread_alone(corpus, lexicon_dir, name):
    grouped = _run(name, corpus, lexicon_dir)
    threads = sorted(corpus["documents"][S.THREAD_ID].unique())
    assert len(threads) == 5
    seen = 0
    for tid in threads:
        alone = _run(name, _only(corpus, tid), lexicon_dir, pooled=False)
        for whole, single in zip(grouped, alone, strict=True):
            pd.testing.assert_frame_equal(_rows(whole, tid), single, check_exact=True)
            seen += len(single)
    assert seen > 0
    order = grouped[-1][S.THREAD_ID].tolist()
    assert order == sorted(order, key=lambda t: (t == S.POOLED, t))  # threads, pooled last


@pytest.mark.parametrize("name", ["frames", "keyness"])
def test_pooled_rows_equal_one_relabelled_thread(corpus, lexicon_dir, name):
    grouped = _run(name, corpus, lexicon_dir)
    one = _run(name, _relabelled(corpus), lexicon_dir, pooled=False)
    compared = 0
    for whole, single in zip(grouped, one, strict=True):
        if S.POOLED not in set(whole[S.THREAD_ID]):
            continue  # frame_scores: per unit, no pooled rows
        pooled = _rows(whole, S.POOLED).drop(columns=S.THREAD_ID)
        single = single.drop(columns=S.THREAD_ID)
        pd.testing.assert_frame_equal(pooled, single, check_exact=True)
        compared += len(pooled)
    assert compared > 0


def test_keyness_pooled_counted_directly_when_a_doc_id_is_in_two_threads(corpus, lexicon_dir):
    """A comment id shared by two threads: the pooled rows cannot be the threads' sum (the
    comment would count twice in comment_doc_count); they must still equal a one-thread run."""
    tables = {k: v.copy() for k, v in corpus.items()}
    for name in ("sentences", "documents"):
        frame = tables[name]
        frame[S.DOC_ID] = frame[S.DOC_ID].astype(str).replace({"t2/c3": "t1/c1"})
    grouped = keyness_table(tables["sentences"], tables["documents"])
    one = keyness_table(*(_relabelled(tables)[k] for k in ("sentences", "documents")), pooled=False)
    pooled = _rows(grouped, S.POOLED).drop(columns=S.THREAD_ID)
    pd.testing.assert_frame_equal(pooled, one.drop(columns=S.THREAD_ID), check_exact=True)
    summed = _rows(keyness_table(corpus["sentences"], corpus["documents"]), S.POOLED)
    assert not pooled[S.COMMENT_DOC_COUNT].equals(summed[S.COMMENT_DOC_COUNT])  # it matters


def test_share_intervals_are_the_wilson_intervals_of_the_row(corpus, lexicon_dir):
    """Every row's interval is the Wilson score interval of its own unit_count and n (so the
    counts reach the interval in row order), NaN below two units, open at shares of 0 and 1."""
    checked = Counter()
    for shares in _run("frames", corpus, lexicon_dir)[1:]:
        for row in shares.itertuples(index=False):
            if row.n < 2:
                assert np.isnan(row.ci_low) and np.isnan(row.ci_high)
                continue
            assert (row.ci_low, row.ci_high) == stats.wilson_share_ci(row.unit_count, row.n)
            assert row.ci_low <= row.share <= row.ci_high and row.ci_low < row.ci_high
            checked[row.unit_count in (0, row.n)] += 1
    assert checked[True] > 10 and checked[False] > 10  # shares at the ends and inside


def test_matcher_takes_the_longest_term_and_skips_tokens_that_start_none():
    matcher = TermMatcher(
        [("a", "nuclear weapon"), ("a", "weapon"), ("b", "tax cut"), ("b", "cut"), ("c", "cut")]
    )
    tokens = "weapon nuclear weapon rain tax cut cut tax".split()
    assert matcher.terms_in([tokens]) == Counter(
        {"weapon": 1, "nuclear weapon": 1, "tax cut": 1, "cut": 1}
    )
    assert matcher.terms_in([["rain", "nuclear"], []]) == Counter()
    assert matcher.hits([tokens]) == {
        "a": Counter({"weapon": 1, "nuclear weapon": 1}),
        "b": Counter({"tax cut": 1, "cut": 1}),
        "c": Counter({"cut": 1}),
    }
