"""The compare stage on the real Fox News dev threads (slow: builds the five threads).

Skipped when ``../shared/devdata`` is absent, except under ``CI=true`` where it must be present.
The printed evaluations are in ``bench/eval_keyness.py``, ``eval_topics.py`` and
``eval_frames.py``; this checks the properties that must hold on any real thread.
"""

from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from analysis import config
from analysis import schema as S

DEV = config.ROOT.parent / "shared" / "devdata" / "fox_news" / "fox-news-comments-dev.jsonl"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fox():
    if not DEV.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DEV} is missing under CI")
        pytest.skip("Fox News dev data not present")
    sys.path.insert(0, str(config.ROOT))
    from bench.foxdev import fox_tables

    return fox_tables(until="compare")


def test_keyness_null_halves_stay_under_five_percent(fox):
    from analysis.compare.keyness import Z_THRESHOLD, log_odds_dirichlet

    sents = fox["sentences"]
    rng = np.random.default_rng(config.SEED)
    for thread, grp in sents[sents[S.DOC_KIND] == S.COMMENT].groupby(S.THREAD_ID):
        docs = sorted(grp[S.DOC_ID].unique())
        half = set(rng.permutation(docs)[: len(docs) // 2])
        a, b = {}, {}
        for doc, lemmas in zip(grp[S.DOC_ID], grp["lemmas"].fillna(""), strict=True):
            side = a if doc in half else b
            for tok in lemmas.split():
                side[tok] = side.get(tok, 0) + 1
        z = log_odds_dirichlet(a, b)["z_score"].abs()
        assert float((z > Z_THRESHOLD).mean()) <= 0.05, thread


def test_keyness_finds_comment_words_on_every_thread_against_general_english(fox):
    from analysis.compare.keyness import MIN_COMMENTS, Z_THRESHOLD, comment_side_ceiling

    key = fox["keyness"]
    for thread in ("fox1", "fox2", "fox3", "fox4", "fox5"):
        k = key[key[S.THREAD_ID] == thread]
        article = k[k[S.REFERENCE] == S.REFERENCE_ARTICLE]
        english = k[k[S.REFERENCE] == S.REFERENCE_GENERAL_ENGLISH]
        # A title and a blurb: no comment term can pass against the article ...
        assert comment_side_ceiling(article) < Z_THRESHOLD, thread
        assert not (article[S.SIDE] == S.SIDE_COMMENTS).any(), thread
        # ... but against general English the thread's own words do.
        found = english[english[S.SIDE] == S.SIDE_COMMENTS]
        assert len(found) >= 3, thread
        assert (found["z_score"] >= Z_THRESHOLD).all()
        assert (found[S.COMMENT_DOC_COUNT] >= MIN_COMMENTS).all()
    fox4 = key[(key[S.THREAD_ID] == "fox4") & (key[S.REFERENCE] == S.REFERENCE_GENERAL_ENGLISH)]
    assert "flag" in set(fox4.loc[fox4[S.SIDE] == S.SIDE_COMMENTS, "term"])


def test_no_topic_label_comes_from_the_seed_lexicon(fox):
    from analysis.compare.topics import read_topic_lexicon

    shares = fox["topic_shares"]
    assert set(shares["method"]) == {"nmf"}
    seed_topics = set(read_topic_lexicon()["topic"])
    assert not seed_topics & set(shares["topic_id"])
    assert set(shares[S.THREAD_ID]) == {"fox1", "fox2", "fox3", "fox4", "fox5", S.POOLED}


def test_frames_compare_like_units(fox):
    sent = fox["frame_shares"]
    docs = fox["frame_document_shares"]
    art_sent = sent[(sent[S.THREAD_ID] == "fox1") & (sent[S.SIDE] == "article")]["n"].max()
    art_doc = docs[(docs[S.THREAD_ID] == "fox1") & (docs[S.SIDE] == "article")]["n"].max()
    assert art_sent == 2 and art_doc == 1
