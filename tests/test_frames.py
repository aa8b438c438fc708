"""Frames: the Policy Frames Codebook lexicon, per-unit scores, shares with seeded intervals."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from compare_factories import Comment, Sent, combine_threads, make_annotated_thread
from pandas.testing import assert_frame_equal

from analysis import config
from analysis import schema as S
from analysis.compare import frames as F
from analysis.compare import stats
from analysis.errors import InputError


def _sent(lemmas: str, **kw) -> Sent:
    return Sent(lemmas.capitalize() + ".", lemmas=lemmas, **kw)


def _tables(thread, **kw):
    """``(frame_scores, frame_shares)``: per-unit scores and the sentence-unit shares."""
    scores, shares, _ = F.frame_tables(thread["sentences"], thread["documents"], **kw)
    return scores, shares


def _document_shares(thread, **kw):
    return F.frame_tables(thread["sentences"], thread["documents"], **kw)[2]


# ------------------------------------------------------------------------------ the lexicon


def test_fifteen_frames_of_the_codebook():
    assert len(F.CODEBOOK_FRAMES) == 15 and F.CODEBOOK_FRAMES[-1] == "other"
    # the tables hold the 14 scored dimensions and "no frame term", never "other"
    assert F.FRAMES == (*F.LEXICON_FRAMES, F.NO_FRAME_TERM) and len(F.FRAMES) == 15
    assert "other" not in F.FRAMES
    assert F.FRAME_LABELS[F.NO_FRAME_TERM] == "No frame term"
    assert set(F.FRAME_LABELS) == set(F.FRAMES) | {"other"}
    assert F.FRAME_LABELS["legality_constitutionality_jurisprudence"] == (
        "Legality, constitutionality and jurisprudence"
    )


def test_bundled_frame_lexicon_is_well_formed_and_says_what_it_cannot_see():
    from spacy.lang.en.stop_words import STOP_WORDS

    path = config.LEXICON_DIR / F.FRAME_LEXICON_FILE
    header = " ".join(
        ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("#")
    ).lower()
    for phrase in (
        "dictionary method",
        "cannot see",
        "negation",
        "sarcasm",
        "boydstun",
        "card",
        "not comparable",
        "how to edit",
    ):
        assert phrase in header, phrase
    lex = F.read_frame_lexicon()
    sizes = lex.groupby("frame").size()
    assert set(sizes.index) == set(F.LEXICON_FRAMES)
    assert sizes.between(20, 60).all(), sizes[~sizes.between(20, 60)]
    assert not lex["term"].duplicated().any(), "a term sits in two frames"
    assert lex["term"].str.contains(" ").any()  # some multi-word terms
    for term in lex["term"]:
        words = term.split()
        assert all(re.fullmatch(r"[a-z]+", w) for w in words), term
        assert not any(w in STOP_WORDS for w in words), f"{term!r} holds a stop word"


def test_lexicon_may_not_list_other_or_unknown_frames(tmp_path):
    (tmp_path / "frames.csv").write_text("frame,term\nother,thing\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown frame 'other'") as info:
        F.read_frame_lexicon(tmp_path)
    assert info.value.record == 2


# --------------------------------------------------------------------------------- scoring


def _key(scores):
    return {
        (r.unit, r.unit_id, r.frame): (
            r.hit_count,
            round(r.score, 6),
            None if pd.isna(r.matched_terms) else r.matched_terms,
        )
        for r in scores.itertuples()
    }


def test_scores_match_a_hand_computed_example():
    thread = make_annotated_thread(
        # "war crime" is one crime-and-punishment term, so "war" alone does not count for security
        [[_sent("war crime court")], [_sent("cat dog")]],
        [[_sent("economy cost"), _sent("soldier sanction")], [Sent("Lol!", lemmas="")]],
    )
    scores, _ = _tables(thread)
    third = round(100 / 3, 6)
    assert _key(scores) == {
        # sentence units: each article sentence and each comment sentence
        ("sentence", "t1/article/s0", "crime_and_punishment"): (1, third, "war crime"),
        ("sentence", "t1/article/s0", "legality_constitutionality_jurisprudence"): (
            1,
            third,
            "court",
        ),
        ("sentence", "t1/article/s1", "no_frame_term"): (0, 0.0, None),
        ("sentence", "t1/c1/s0", "economic"): (2, 100.0, "cost | economy"),
        ("sentence", "t1/c1/s1", "economic"): (1, 50.0, "sanction"),
        ("sentence", "t1/c1/s1", "security_and_defense"): (1, 50.0, "soldier"),
        ("sentence", "t1/c2/s0", "no_frame_term"): (0, 0.0, None),
        # document units: the article and each comment as a whole
        ("document", "t1/article", "crime_and_punishment"): (1, 20.0, "war crime"),
        ("document", "t1/article", "legality_constitutionality_jurisprudence"): (1, 20.0, "court"),
        ("document", "t1/c1", "economic"): (3, 75.0, "cost | economy | sanction"),
        ("document", "t1/c1", "security_and_defense"): (1, 25.0, "soldier"),
        ("document", "t1/c2", "no_frame_term"): (0, 0.0, None),
    }
    assert scores.loc[scores["frame"] == "no_frame_term", "matched_terms"].isna().all()
    assert list(dict.fromkeys(scores["unit"])) == ["sentence", "document"]
    c1 = scores.loc[(scores["unit_id"] == "t1/c1"), "frame"].tolist()
    assert c1 == ["economic", "security_and_defense"]  # codebook order within a unit


def test_like_units_are_compared_and_labelled():
    # One long comment using three frames against an article of three one-frame sentences:
    # whole comments against article sentences would favour the comments (1.0 vs 1/3 each).
    article = [[_sent("war")], [_sent("court")], [_sent("cost")]]
    comments = [[_sent("war"), _sent("court"), _sent("cost")]]
    thread = make_annotated_thread(article, comments)
    _, shares = _tables(thread)
    sent = shares.set_index(["frame", S.SIDE])
    doc = _document_shares(thread).set_index(["frame", S.SIDE])
    for frame in ("security_and_defense", "legality_constitutionality_jurisprudence", "economic"):
        assert sent.loc[(frame, "article"), "share"] == pytest.approx(1 / 3)
        assert sent.loc[(frame, "comments"), "share"] == pytest.approx(1 / 3)
        assert doc.loc[(frame, "article"), "share"] == 1.0
        assert doc.loc[(frame, "comments"), "share"] == 1.0
    assert sent.loc[("economic", "comments"), "n"] == 3
    assert doc.loc[("economic", "article"), "n"] == 1
    assert list(shares.columns) == S.FRAME_SHARES.names


def test_matched_terms_most_frequent_first():
    thread = make_annotated_thread([[_sent("cost economy economy")]], [])
    scores, _ = _tables(thread)
    assert scores["unit"].tolist() == ["sentence", "document"]
    scores = scores[scores["unit"] == "document"]
    assert scores["matched_terms"].tolist() == ["economy | cost"]
    assert scores["hit_count"].tolist() == [3]


def test_shares_counts_and_intervals():
    article = [[_sent("war")], [_sent("war")], [_sent("court")], [_sent("cat")]]
    comments = [[_sent("war court")], [_sent("dog")]]
    thread = make_annotated_thread(article, comments)
    _, shares = _tables(thread)
    assert len(shares) == 15 * 2  # 15 frame values, two sides
    s = shares.set_index(["frame", S.SIDE])
    assert s.loc[("security_and_defense", "article"), ["unit_count", "n"]].tolist() == [2, 4]
    assert s.loc[("security_and_defense", "article"), "share"] == 0.5
    assert s.loc[("security_and_defense", "comments"), "share"] == 0.5
    assert s.loc[("legality_constitutionality_jurisprudence", "comments"), "share"] == 0.5
    assert s.loc[("no_frame_term", "article"), "share"] == 0.25
    assert s.loc[("economic", "article"), "unit_count"] == 0
    ok = shares.dropna(subset=["ci_low"])
    assert (ok["ci_low"] <= ok["share"] + 1e-12).all() and (ok["share"] <= ok["ci_high"]).all()
    # 0 of 4 is not certainly 0: Wilson's upper end z^2 / (n + z^2), where the bootstrap of the
    # flags gave [0, 0]
    low, high = s.loc[("economic", "article"), ["ci_low", "ci_high"]].tolist()
    assert low == 0.0 and high == pytest.approx(1.959964**2 / (4 + 1.959964**2), abs=1e-6)


def test_intervals_are_wilson_intervals_of_the_counts_and_repeat_exactly():
    words = ["war", "cat", "war court", "cost", "dog", "war", "protest", "cat war", "court"]
    article = [[_sent(words[i % len(words)])] for i in range(61)]
    thread = make_annotated_thread(article, [[_sent(w)] for w in words * 4])
    a = _tables(thread)
    b = _tables(thread)
    assert_frame_equal(a[0], b[0], check_exact=True)
    assert_frame_equal(a[1], b[1], check_exact=True)
    for row in a[1].itertuples(index=False):
        assert (row.ci_low, row.ci_high) == stats.wilson_share_ci(row.unit_count, row.n)


def test_frame_tables_do_not_mutate_inputs():
    thread = make_annotated_thread([[_sent("war court")]], [[_sent("cost")]])
    before = {k: v.copy() for k, v in thread.items()}
    _tables(thread)
    for key in ("sentences", "documents"):
        assert_frame_equal(thread[key], before[key])


# ------------------------------------------------------------------------------ edge threads


@pytest.mark.parametrize(
    ("comments", "n_comments"),
    [
        ([], 0),
        ([[_sent("war")]], 1),
        (["", ""], 0),
        ([Comment([Sent("Das ist ein Krieg.")], lang="de")], 0),
    ],
    ids=["no-comments", "one-comment", "only-empty", "only-non-english"],
)
def test_edge_threads_do_not_crash(comments, n_comments):
    thread = make_annotated_thread([[_sent("war court")]], comments)  # a one-sentence article
    scores, _ = _tables(thread)
    shares = _document_shares(thread)
    assert list(scores.columns) == S.FRAME_SCORES.names
    assert list(shares.columns) == S.FRAME_DOCUMENT_SHARES.names
    com = shares[shares[S.SIDE] == "comments"]
    assert (com["n"] == n_comments).all()
    if n_comments == 0:
        assert com["share"].isna().all() and com["ci_low"].isna().all()
        assert set(scores[S.SIDE]) == {"article"}
    else:  # one unit: a share but no interval
        assert com["share"].notna().all() and com["ci_low"].isna().all()
    art = shares[shares[S.SIDE] == "article"]
    assert (art["n"] == 1).all() and art["ci_low"].isna().all()


def test_empty_input_gives_empty_tables():
    scores, shares, docs = F.frame_tables(S.SENTENCES.empty(), S.DOCUMENTS.empty())
    assert scores.empty and shares.empty and docs.empty
    assert list(shares.columns) == S.FRAME_SHARES.names


def test_pooled_shares_when_several_threads():
    one = make_annotated_thread([[_sent("war")]], [[_sent("war")]], thread_id="a")
    two = make_annotated_thread([[_sent("cat")]], [[_sent("cost")], [_sent("war")]], thread_id="b")
    both = combine_threads(one, two)
    scores, _, shares = F.frame_tables(both["sentences"], both["documents"])
    assert S.POOLED not in set(scores[S.THREAD_ID])
    pooled = shares[shares[S.THREAD_ID] == S.POOLED].set_index(["frame", S.SIDE])
    assert pooled.loc[("security_and_defense", "comments"), ["unit_count", "n"]].tolist() == [2, 3]
    assert pooled.loc[("security_and_defense", "article"), "share"] == 0.5
    assert np.isclose(pooled.loc[("economic", "comments"), "share"], 1 / 3)
    assert list(dict.fromkeys(shares[S.THREAD_ID])) == ["a", "b", S.POOLED]


def test_lexicon_terms_match_real_spacy_lemmas(nlp):
    """The lexicon is written in lemma form: inflected words in real sentences still hit it.

    Lemmas are made as the annotate stage makes them (lower-case lemmas of alphabetic non-stop
    tokens).
    """
    cases = {
        "The sanctions hurt the economies of both countries.": {"economic"},
        "Killing civilians is a war crime.": {
            "crime_and_punishment",
            "health_and_safety",
            "security_and_defense",
        },
        "Protesters condemned the politicians.": {"public_opinion", "political"},
        "Refugees lost their homes and families.": {"quality_of_life"},
    }
    rows = []
    for text, _ in cases.items():
        doc = nlp(text)
        lemmas = " ".join(t.lemma_.lower() for t in doc if t.is_alpha and not t.is_stop)
        rows.append(Sent(text, lemmas=lemmas))
    thread = make_annotated_thread([[s] for s in rows], [])
    scores, _ = _tables(thread)
    for i, expected in enumerate(cases.values()):
        got = set(scores.loc[scores["unit_id"] == f"t1/article/s{i}", "frame"])
        assert got == expected, (list(cases)[i], got)


# ------------------------------------------------------------------------------ the hand coding


def test_hand_coded_gold_is_well_formed():
    import csv

    path = config.ROOT / "tests" / "gold" / "frames" / "coded.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
    assert len(rows) >= 100
    assert len({r["sentence_id"] for r in rows}) == len(rows)
    assert {r["side"] for r in rows} == {"article", "comments"}
    for r in rows:
        frames = r["frames"].split()
        assert frames == ["none"] or set(frames) <= set(F.LEXICON_FRAMES), r
        assert r["text"].strip()
    assert (config.ROOT / "tests" / "gold" / "frames" / "README.md").is_file()
