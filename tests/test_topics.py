"""Topics: the guided lexicon, NMF on TF-IDF, shares per side, edge threads."""

from __future__ import annotations

import re

import numpy as np
import pytest
from compare_factories import Comment, Sent, combine_threads, make_annotated_thread
from pandas.testing import assert_frame_equal

from analysis import config
from analysis import schema as S
from analysis.compare import topics as T
from analysis.errors import InputError, StageInputError

NUCLEAR = "nuclear reactor uranium enrichment centrifuge"
FOOTBALL = "football goal match team stadium"


def _lexicon(tmp_path, body: str):
    (tmp_path / "topics.csv").write_text("# test lexicon\ntopic,term\n" + body, encoding="utf-8")
    return tmp_path


def _sent(lemmas: str, **kw) -> Sent:
    return Sent(lemmas.capitalize() + ".", lemmas=lemmas, **kw)


SEED_LEXICON = config.LEXICON_DIR / T.TOPIC_LEXICON_FILE


def _tables(thread, **kw):
    return T.topic_tables(thread["sentences"], thread["documents"], **kw)


def _seed_tables(thread, **kw):
    """Topic tables with the bundled seed lexicon applied (it is not applied by default)."""
    return _tables(thread, topic_lexicon=SEED_LEXICON, **kw)


def _nmf_thread(n_article: int = 10, n_comments: int = 5, thread_id: str = "t1"):
    """Article sentences about nuclear matters, comments about football (rotating word subsets)."""
    nuc, foot = NUCLEAR.split(), FOOTBALL.split()
    article = [[_sent(" ".join(nuc[(i + j) % 5] for j in range(3)))] for i in range(n_article)]
    comments = [[_sent(" ".join(foot[(i + j) % 5] for j in range(3)))] for i in range(n_comments)]
    return make_annotated_thread(article, comments, thread_id=thread_id)


# ------------------------------------------------------------------------------ the lexicon


def test_bundled_topic_lexicon_is_well_formed():
    from spacy.lang.en.stop_words import STOP_WORDS

    path = config.LEXICON_DIR / T.TOPIC_LEXICON_FILE
    header = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith("#")]
    text = " ".join(header).lower()
    assert "source" in text and "method" in text and "how to edit" in text
    lex = T.read_topic_lexicon()
    sizes = lex.groupby("topic").size()
    assert 8 <= len(sizes) <= 14
    assert sizes.between(15, 40).all(), sizes[~sizes.between(15, 40)]
    assert not lex["term"].duplicated().any(), "a term sits in two topics"
    for term in lex["term"]:
        words = term.split()
        assert all(re.fullmatch(r"[a-z]+", w) for w in words), term
        assert not any(w in STOP_WORDS for w in words), f"{term!r} holds a stop word"
    assert all(re.fullmatch(r"[a-z_]+", t) for t in sizes.index)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("topic,word\nwar,war\n", "header"),
        ("topic,term\nwar\n", "two non-empty fields"),
        ("topic,term\nwar,\n", "two non-empty fields"),
        ("topic,term\n", "no 'topic,term' rows"),
    ],
)
def test_read_lexicon_names_the_file_and_line(tmp_path, body, message):
    path = tmp_path / "topics.csv"
    path.write_text("# comment\n" + body, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        T.read_lexicon(path, group_column="topic")
    assert str(path) in str(info.value)
    if "fields" in message:
        assert info.value.record == 3


def test_read_lexicon_missing_file_and_unknown_group(tmp_path):
    with pytest.raises(InputError, match="not found"):
        T.read_topic_lexicon(tmp_path)
    path = tmp_path / "x.csv"
    path.write_text("frame,term\nbogus,word\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown frame 'bogus'"):
        T.read_lexicon(path, group_column="frame", allowed_groups=["economic"])


def test_read_lexicon_normalises_terms_and_drops_duplicate_rows(tmp_path):
    path = tmp_path / "topics.csv"
    path.write_text("topic,term\nwar, War  Crime \nwar,war crime\nlaw,court\n", encoding="utf-8")
    lex = T.read_lexicon(path, group_column="topic")
    assert lex["term"].tolist() == ["war crime", "court"]
    assert lex["line"].tolist() == [2, 4]


def test_matcher_prefers_longest_match_within_a_sentence():
    m = T.TermMatcher([("history", "war crime"), ("war", "war"), ("law", "crime")])
    assert m.hits([("war", "crime", "court")]) == {"history": {"war crime": 1}}
    # a term never spans two sentences
    assert m.hits([("war",), ("crime",)]) == {"war": {"war": 1}, "law": {"crime": 1}}
    assert m.hits([()]) == {}


# ------------------------------------------------------------------------- lexicon topics


def test_lexicon_shares_match_a_hand_computed_example(tmp_path):
    lex = _lexicon(tmp_path, "war,war\nwar,army\neconomy,trade\neconomy,money\n")
    thread = make_annotated_thread(
        [[_sent("war army")], [_sent("trade money")], [_sent("cat")]],
        [[_sent("war war trade")], [_sent("army")]],
    )
    terms, shares = _tables(thread, topic_lexicon=lex / "topics.csv")
    lexicon = shares[shares["method"] == T.METHOD_LEXICON].set_index(["topic_id", S.SIDE])
    # article: each of 3 sentences has one topic (or none) -> 1/3 each
    assert lexicon.loc[("war", "article"), "share"] == pytest.approx(1 / 3)
    assert lexicon.loc[("economy", "article"), "share"] == pytest.approx(1 / 3)
    assert lexicon.loc[("none", "article"), "share"] == pytest.approx(1 / 3)
    # comments: c1 splits 2/3 war, 1/3 economy; c2 is all war
    assert lexicon.loc[("war", "comments"), "share"] == pytest.approx((2 / 3 + 1) / 2)
    assert lexicon.loc[("economy", "comments"), "share"] == pytest.approx(1 / 6)
    assert lexicon.loc[("none", "comments"), "share"] == 0
    assert lexicon.loc[("war", "comments"), "unit_count"] == 2
    assert lexicon.loc[("economy", "comments"), "unit_count"] == 0
    assert bool(lexicon.loc[("war", "comments"), "is_comment_led"])
    assert bool(lexicon.loc[("war", "article"), "is_comment_led"])  # same flag on both rows
    assert not bool(lexicon.loc[("economy", "comments"), "is_comment_led"])
    assert not lexicon["is_exploratory"].any()
    assert lexicon.loc[("war", "article"), "topic_label"] == "war"

    war_terms = terms[(terms["method"] == "lexicon") & (terms["topic_id"] == "war")]
    assert war_terms[["term", "weight", "rank"]].values.tolist() == [
        ["war", 3.0, 1],
        ["army", 2.0, 2],
    ]


def test_main_topic_tie_goes_to_the_first_listed_topic(tmp_path):
    lex = _lexicon(tmp_path, "b_topic,bee\na_topic,ant\n")
    thread = make_annotated_thread([[_sent("ant bee")]], [[_sent("bee ant")]])
    _, shares = _tables(thread, topic_lexicon=lex / "topics.csv")
    counts = shares.set_index(["topic_id", S.SIDE])["unit_count"]
    assert counts[("b_topic", "article")] == 1 and counts[("a_topic", "article")] == 0
    assert shares.set_index(["topic_id", S.SIDE]).loc[("a_topic", "article"), "share"] == 0.5


def test_bundled_lexicon_shares_sum_to_one_per_side():
    thread = make_annotated_thread(
        [[_sent("nuclear program iran"), _sent("sanction economy")], [_sent("diplomat talk")]],
        [[_sent("war soldier attack")], [_sent("propaganda lie")], [_sent("lovely weather")]],
    )
    _, shares = _seed_tables(thread)
    lex = shares[shares["method"] == "lexicon"]
    assert set(lex["topic_id"]) == {*T.read_topic_lexicon()["topic"], T.NO_TOPIC_ID}
    sums = lex.groupby(S.SIDE)["share"].sum()
    assert sums.to_numpy() == pytest.approx([1.0, 1.0])
    units = lex.groupby(S.SIDE)["unit_count"].sum()
    assert units["article"] == 3 and units["comments"] == 3


# ------------------------------------------------------------------------------------- NMF


def test_nmf_topic_count_rule():
    assert T.nmf_topic_count(10, 100) == 2
    assert T.nmf_topic_count(23, 100) == 4
    assert T.nmf_topic_count(400, 100) == 10
    assert T.nmf_topic_count(400, 3) == 3  # capped by the vocabulary
    assert T.nmf_topic_count(1, 1) == 1


def test_nmf_skip_reason():
    assert "no annotated comment" in T.nmf_skip_reason(30, 0, 50)
    assert "fewer than NMF_MIN_UNITS" in T.nmf_skip_reason(5, 2, 50)
    assert "too small" in T.nmf_skip_reason(20, 5, 1)
    assert T.nmf_skip_reason(20, 5, 50) is None


def test_nmf_separates_topics_and_flags_comment_led_ones():
    thread = _nmf_thread()
    terms, shares = _tables(thread)
    nmf_terms = terms[terms["method"] == T.METHOD_NMF]
    nmf = shares[shares["method"] == T.METHOD_NMF]
    ids = set(nmf["topic_id"]) - {T.NO_TOPIC_ID}
    k = len(ids)
    assert 2 <= k <= T.nmf_topic_count(15, 10) == 3  # chosen by coherence among 2..3
    assert ids == {f"nmf_0{i}" for i in range(1, k + 1)}
    assert nmf["is_exploratory"].all()  # 5 comments < 50
    assert nmf.groupby(S.SIDE)["share"].sum().to_numpy() == pytest.approx([1.0, 1.0])
    assert nmf.groupby(S.SIDE)["unit_count"].sum().to_dict() == {"article": 10, "comments": 5}
    # every topic's terms come from one of the two vocabularies, never both
    for _, grp in nmf_terms.groupby("topic_id"):
        top = set(grp.loc[grp["rank"] <= 3, "term"])
        assert top <= set(NUCLEAR.split()) or top <= set(FOOTBALL.split()), top
        assert grp["rank"].tolist() == list(range(1, len(grp) + 1))
        assert (grp["weight"].diff().dropna() <= 1e-12).all()
    led = nmf[nmf["is_comment_led"]]
    assert not led.empty
    led_terms = set(nmf_terms.loc[nmf_terms["topic_id"].isin(led["topic_id"]), "term"])
    assert led_terms & set(FOOTBALL.split())
    assert not led_terms & set(NUCLEAR.split())


def test_nmf_skip_reasons_are_absent_when_nmf_runs():
    thread = _nmf_thread()
    assert T.nmf_skip_reasons(thread["sentences"], thread["documents"]) == {}


def test_topics_are_deterministic_with_the_seed():
    thread = _nmf_thread()
    first = _tables(thread, seed=7)
    second = _tables(thread, seed=7)
    assert_frame_equal(first[0], second[0])
    assert_frame_equal(first[1], second[1])


def test_topic_tables_do_not_mutate_inputs():
    thread = _nmf_thread()
    before = {k: v.copy() for k, v in thread.items()}
    _tables(thread)
    for key in ("sentences", "documents"):
        assert_frame_equal(thread[key], before[key])


def test_nmf_is_not_exploratory_with_many_comments():
    thread = _nmf_thread(n_article=10, n_comments=T.EXPLORATORY_MIN_COMMENTS)
    _, shares = _tables(thread)
    nmf = shares[shares["method"] == T.METHOD_NMF]
    assert not nmf.empty and not nmf["is_exploratory"].any()


# ------------------------------------------------------------------------------ edge threads

ARTICLE = [[_sent("nuclear program iran")], [_sent("sanction economy trade")]]


@pytest.mark.parametrize(
    ("comments", "n_comments"),
    [
        ([], 0),
        ([[_sent("war soldier")]], 1),
        (["", ""], 0),
        ([Comment([Sent("Das ist ein Krieg.")], lang="de")], 0),
    ],
    ids=["no-comments", "one-comment", "only-empty", "only-non-english"],
)
def test_edge_threads_do_not_crash(comments, n_comments):
    thread = make_annotated_thread(ARTICLE, comments)
    terms, shares = _seed_tables(thread)
    assert list(terms.columns) == S.TOPIC_TERMS.names
    assert list(shares.columns) == S.TOPIC_SHARES.names
    assert (shares["method"] == T.METHOD_NMF).sum() == 0  # too small for NMF
    reason = T.nmf_skip_reasons(thread["sentences"], thread["documents"])["t1"]
    assert ("no annotated comment" in reason) == (n_comments == 0)
    lex = shares[shares["method"] == "lexicon"]
    comments_side = lex[lex[S.SIDE] == "comments"]
    assert comments_side["unit_count"].sum() == n_comments
    if n_comments == 0:
        assert comments_side["share"].isna().all()
        assert not lex["is_comment_led"].any()
    else:
        assert comments_side["share"].sum() == pytest.approx(1.0)


def test_vocabulary_too_small_for_nmf_does_not_crash():
    thread = make_annotated_thread([[_sent("war")]] * 10, [[_sent("war")], [_sent("war")]])
    terms, shares = _seed_tables(thread)
    assert not (shares["method"] == T.METHOD_NMF).any()
    assert "too small" in T.nmf_skip_reasons(thread["sentences"], thread["documents"])["t1"]
    assert terms["term"].tolist() == ["war"]  # the lexicon still counts


def test_article_of_one_sentence_and_no_lemmas():
    thread = make_annotated_thread([[_sent("war")]], [[Sent("Lol!", lemmas="")], [_sent("war")]])
    _, shares = _seed_tables(thread)
    lex = shares[shares["method"] == "lexicon"].set_index(["topic_id", S.SIDE])
    assert lex.loc[("war_and_military", "article"), "share"] == 1.0
    assert lex.loc[("none", "comments"), "share"] == 0.5  # the comment without lemmas


def test_empty_tables_give_empty_frames():
    _, shares = T.topic_tables(S.SENTENCES.empty(), S.DOCUMENTS.empty())
    assert shares.empty and list(shares.columns) == S.TOPIC_SHARES.names


def test_missing_column_is_a_stage_input_error():
    thread = _nmf_thread()
    with pytest.raises(StageInputError, match="lemmas"):
        T.topic_tables(thread["sentences"].drop(columns=["lemmas"]), thread["documents"])


# ------------------------------------------------------------------------------ several threads


def test_pooled_rows_when_several_threads():
    one = make_annotated_thread(ARTICLE, [[_sent("war soldier")]], thread_id="a")
    two = make_annotated_thread(ARTICLE, [[_sent("nuclear")], [_sent("lie")]], thread_id="b")
    both = combine_threads(one, two)
    terms, shares = _seed_tables(both)
    lex = shares[shares["method"] == "lexicon"]
    assert list(dict.fromkeys(lex[S.THREAD_ID])) == ["a", "b", S.POOLED]
    per = lex.groupby([S.THREAD_ID, S.SIDE])["unit_count"].sum()
    assert per[(S.POOLED, "comments")] == per[("a", "comments")] + per[("b", "comments")] == 3
    pooled_war = terms[(terms[S.THREAD_ID] == S.POOLED) & (terms["term"] == "war")]
    assert pooled_war["weight"].tolist() == [1.0]
    single, _ = _seed_tables(one)
    assert S.POOLED not in set(single[S.THREAD_ID])


def test_nmf_weights_are_finite():
    terms, shares = _tables(_nmf_thread())
    assert np.isfinite(terms["weight"]).all()
    assert shares["share"].between(0, 1).all()


def test_topic_lexicon_matches_real_spacy_lemmas(nlp):
    """Inflected words in real sentences hit the lemma-form lexicon (annotate's lemma rule)."""
    cases = [
        ("Iran enriched uranium in its nuclear reactors.", "nuclear_programme"),
        ("Journalists spread propaganda and lies.", "media_and_propaganda"),
        ("Voters punished the ruling party in the elections.", "elections_and_domestic_politics"),
        ("The diplomats negotiated a treaty.", "diplomacy"),
    ]
    sents = []
    for text, _ in cases:
        doc = nlp(text)
        lemmas = " ".join(t.lemma_.lower() for t in doc if t.is_alpha and not t.is_stop)
        sents.append([Sent(text, lemmas=lemmas)])
    for (text, topic), sent in zip(cases, sents, strict=True):
        _, shares = _seed_tables(make_annotated_thread([sent], []))
        main = shares[(shares["method"] == "lexicon") & (shares["unit_count"] == 1)]
        assert main["topic_id"].tolist() == [topic], text


# -------------------------------------------------------------- topics from the thread itself


def test_the_seed_lexicon_is_not_applied_by_default():
    thread = _nmf_thread()
    terms, shares = _tables(thread)
    assert set(shares["method"]) == {T.METHOD_NMF}
    assert set(terms["method"]) == {T.METHOD_NMF}
    seed_topics = set(T.read_topic_lexicon()["topic"])
    assert not seed_topics & set(shares["topic_id"])


def test_labels_use_the_words_as_written():
    # The lemmatiser writes "medium" for "media" and "taxis" for "taxes": labels must not.
    art = [[Sent("Media", lemmas="medium report", words="media report")] for _ in range(6)]
    com = [[Sent("Taxes", lemmas="taxis rise", words="taxes rise")] for _ in range(6)]
    terms, _ = _tables(make_annotated_thread(art, com))
    assert {"media", "taxes"} <= set(terms["term"])
    assert not {"medium", "taxis"} & set(terms["term"])
    labels = " ".join(terms["topic_label"])
    assert "media" in labels and "medium" not in labels


def _group_unit(rng, group: str) -> list[Sent]:
    """Five words of the group's own 15 (with repeats) and three of 40 words every group uses."""
    own = [f"{group}{i}" for i in rng.integers(0, 15, 5)]
    shared = [f"common{i}" for i in rng.integers(0, 40, 3)]
    return [_sent(" ".join(own + shared))]


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("groups", [("beta", "gamma"), ("beta", "gamma", "delta", "epsilon")])
def test_number_of_topics_follows_the_data(seed, groups):
    # The article writes about one thing, the comments about len(groups) others: coherence
    # picks one topic per group of units, out of the 2..10 tried.
    rng = np.random.default_rng(seed)
    article = [_group_unit(rng, "alpha") for _ in range(20)]
    comments = [_group_unit(rng, groups[i % len(groups)]) for i in range(20 * len(groups))]
    terms, shares = _tables(make_annotated_thread(article, comments))
    ids = set(shares["topic_id"]) - {T.NO_TOPIC_ID}
    assert len(ids) == 1 + len(groups)
    for _, grp in terms.groupby("topic_id"):
        top = {re.sub(r"\d+", "", t) for t in grp.loc[grp["rank"] <= 3, "term"]}
        assert len(top) == 1 and "common" not in top, top


def test_same_topics_whatever_the_partitioning():
    # Each thread's rows are the same whether the threads come in one corpus in either order.
    a = _nmf_thread(thread_id="a")
    b = make_annotated_thread(
        [[_sent("football goal")]] * 4, [[_sent("nuclear reactor")]] * 8, thread_id="b"
    )
    ab = combine_threads(a, b)
    ba = combine_threads(b, a)
    first = _tables(ab)[1]
    second = _tables(ba)[1]
    assert_frame_equal(first, second)
    per_thread = first[first[S.THREAD_ID] != S.POOLED]
    assert set(per_thread[S.THREAD_ID]) == {"a", "b"}
    # one model: a topic id names the same terms in every scope
    terms = _tables(ab)[0]
    by_scope = {s: g.set_index(["topic_id", "rank"])["term"] for s, g in terms.groupby(S.THREAD_ID)}
    assert by_scope["a"].equals(by_scope["b"]) and by_scope["a"].equals(by_scope[S.POOLED])


def test_small_thread_says_there_is_too_little_text():
    thread = make_annotated_thread([[_sent("war army")]], [[_sent("peace talk")]])
    _, shares = _tables(thread)
    assert shares.empty
    reason = T.nmf_skip_reasons(thread["sentences"], thread["documents"])["t1"]
    assert "too little text" in reason


def _four_group_thread(n_comments: int):
    """Ten article units and ``n_comments`` comments, four word groups in turn (seeded)."""
    rng = np.random.default_rng(7)
    groups = ("beta", "gamma", "delta", "epsilon")
    article = [_group_unit(rng, "alpha") for _ in range(10)]
    comments = [_group_unit(rng, groups[i % len(groups)]) for i in range(n_comments)]
    return make_annotated_thread(article, comments)


def test_topics_do_not_depend_on_the_blas_thread_count():
    # With 2,000 units OpenBLAS's LU in the NNDSVDA start gives other last digits with two
    # threads than with one (so results moved with the machine's cores, and a Dask worker, which
    # starts with one BLAS thread, disagreed with the parent process). The fit pins one thread.
    # (On a one-core machine both runs use one thread and this cannot tell.)
    import sklearn.decomposition  # noqa: F401  (loads scipy's BLAS, so the limits below reach it)
    from threadpoolctl import threadpool_limits

    thread = _four_group_thread(2000)
    runs = []
    for limit in (1, 2):
        with threadpool_limits(limits=limit, user_api="blas"):
            runs.append(_tables(thread, n_topics=4))
    for one, two in zip(*runs, strict=True):
        assert_frame_equal(one, two, check_exact=True)
    assert len(set(runs[0][1]["topic_id"])) == 5  # four NMF topics and "none": the fit ran


def test_same_tables_whatever_the_row_order_of_the_inputs():
    # Partitioned reading hands the rows over in any order (threads interleaved, comments
    # shuffled): the units are put in one canonical order first, so the one model and every
    # table are the same float for float.
    rng = np.random.default_rng(3)
    threads = []
    for tid, groups in (("a", ("beta", "gamma")), ("b", ("gamma", "delta")), ("c", ("beta",))):
        article = [_group_unit(rng, "alpha") for _ in range(6)]
        comments = [_group_unit(rng, groups[i % len(groups)]) for i in range(12)]
        threads.append(make_annotated_thread(article, comments, thread_id=tid))
    corpus = combine_threads(*threads)
    shuffled = {
        name: df.sample(frac=1.0, random_state=11).reset_index(drop=True)
        for name, df in corpus.items()
    }
    assert not shuffled["sentences"][S.SENTENCE_ID].equals(corpus["sentences"][S.SENTENCE_ID])
    lexicon = config.LEXICON_DIR / T.TOPIC_LEXICON_FILE
    for kw in ({}, {"topic_lexicon": lexicon}):
        for got, want in zip(_tables(shuffled, **kw), _tables(corpus, **kw), strict=True):
            assert_frame_equal(got, want, check_exact=True)
    terms, _ = _tables(corpus)
    assert set(terms[S.THREAD_ID]) == {"a", "b", "c", S.POOLED}
