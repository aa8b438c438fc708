"""Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008), the
comments against the article and against general English (wordfreq)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from compare_factories import Comment, Sent, combine_threads, make_annotated_thread

from analysis import schema as S
from analysis.compare.keyness import (
    ALPHA0_FRACTION,
    MIN_COMMENTS,
    Z_THRESHOLD,
    EnglishReference,
    comment_side_ceiling,
    comment_term_counts,
    english_reference,
    keyness_table,
    lemma_counts,
    log_odds_dirichlet,
    log_odds_english,
)

# Worked example. Article: tax 4, plan 2, budget 2 (n_a = 8).
# Comments: tax 1, plan 1, fraud 6 (n_c = 8). Pooled n = 16.
ARTICLE = {"tax": 4, "plan": 2, "budget": 2}
COMMENTS = {"tax": 1, "plan": 1, "fraud": 6}


def hand_delta(y_c: float, y_a: float, a_w: float, *, n_c: float, n_a: float, a0: float) -> float:
    return math.log((y_c + a_w) / (n_c + a0 - y_c - a_w)) - math.log(
        (y_a + a_w) / (n_a + a0 - y_a - a_w)
    )


def test_worked_example_prior_of_pooled_counts():
    # alpha0 = n = 16, so alpha_w = pooled count: tax 5, plan 3, budget 2, fraud 6.
    table = log_odds_dirichlet(ARTICLE, COMMENTS, alpha0=16).set_index("term")
    # tax: log(6 / 18) - log(9 / 15); var = 1/6 + 1/9
    tax_delta = math.log((1 + 5) / (8 + 16 - 1 - 5)) - math.log((4 + 5) / (8 + 16 - 4 - 5))
    tax_var = 1 / (1 + 5) + 1 / (4 + 5)
    # plan: log(4 / 20) - log(5 / 19); var = 1/4 + 1/5
    plan_delta = math.log((1 + 3) / (8 + 16 - 1 - 3)) - math.log((2 + 3) / (8 + 16 - 2 - 3))
    plan_var = 1 / 4 + 1 / 5
    # budget: log(2 / 22) - log(4 / 20); var = 1/2 + 1/4
    budget_delta = math.log((0 + 2) / (8 + 16 - 0 - 2)) - math.log((2 + 2) / (8 + 16 - 2 - 2))
    budget_var = 1 / 2 + 1 / 4
    # fraud: log(12 / 12) - log(6 / 18); var = 1/12 + 1/6
    fraud_delta = math.log((6 + 6) / (8 + 16 - 6 - 6)) - math.log((0 + 6) / (8 + 16 - 0 - 6))
    fraud_var = 1 / 12 + 1 / 6
    expected = {
        "tax": (tax_delta, tax_var),
        "plan": (plan_delta, plan_var),
        "budget": (budget_delta, budget_var),
        "fraud": (fraud_delta, fraud_var),
    }
    for term, (delta, var) in expected.items():
        assert table.loc[term, "log_odds_ratio"] == pytest.approx(delta, rel=1e-12)
        assert table.loc[term, "variance"] == pytest.approx(var, rel=1e-12)
        assert table.loc[term, "z_score"] == pytest.approx(delta / math.sqrt(var), rel=1e-12)
    assert fraud_delta / math.sqrt(fraud_var) == pytest.approx(math.log(3) / 0.5)  # z = 2.197
    assert table.loc["fraud", S.SIDE] == S.SIDE_COMMENTS  # 2.197 > 1.96
    assert table.loc["tax", S.SIDE] == "neither"
    # z: fraud 2.20, plan -0.41, budget -0.91, tax -1.12 (descending)
    assert list(table.index) == ["fraud", "plan", "budget", "tax"]
    assert table.loc["fraud", "comment_count"] == 6 and table.loc["fraud", "article_count"] == 0


def test_worked_example_with_explicit_alpha0():
    # alpha0 = 8: alpha_w = 8 * pooled / 16 = pooled / 2 -> tax 2.5, fraud 3.
    table = log_odds_dirichlet(ARTICLE, COMMENTS, alpha0=8).set_index("term")
    tax = math.log((1 + 2.5) / (8 + 8 - 1 - 2.5)) - math.log((4 + 2.5) / (8 + 8 - 4 - 2.5))
    fraud = math.log((6 + 3) / (8 + 8 - 6 - 3)) - math.log((0 + 3) / (8 + 8 - 0 - 3))
    assert table.loc["tax", "log_odds_ratio"] == pytest.approx(tax, rel=1e-12)
    assert table.loc["fraud", "log_odds_ratio"] == pytest.approx(fraud, rel=1e-12)
    assert table.loc["tax", "alpha"] == pytest.approx(2.5)
    assert table.loc["fraud", "variance"] == pytest.approx(1 / 9 + 1 / 3)


def test_default_prior_is_half_the_smaller_side():
    # n_a = n_c = 8 -> alpha0 = 4, alpha_w = 4 * pooled / 16: fraud 1.5, budget 0.5.
    assert ALPHA0_FRACTION == 0.5
    table = log_odds_dirichlet(ARTICLE, COMMENTS).set_index("term")
    assert table.loc["fraud", "alpha"] == pytest.approx(1.5)
    fraud = math.log((6 + 1.5) / (8 + 4 - 6 - 1.5)) - math.log((0 + 1.5) / (8 + 4 - 0 - 1.5))
    assert table.loc["fraud", "log_odds_ratio"] == pytest.approx(fraud, rel=1e-12)
    assert table.loc["fraud", "variance"] == pytest.approx(1 / 7.5 + 1 / 1.5)
    # Unequal sides: the smaller one sets the mass (n_a = 8, n_c = 80 -> alpha0 = 4).
    big = log_odds_dirichlet(ARTICLE, {k: 10 * v for k, v in COMMENTS.items()})
    total = big["alpha"].sum()
    assert total == pytest.approx(4.0)


@pytest.mark.parametrize(("n_other", "uses"), [(1000, 30), (1000, 60), (600, 40), (3000, 80)])
def test_a_term_often_on_one_side_and_never_on_the_other_is_distinctive(n_other, uses):
    # Both sides share 200 background terms at the same rate; "zorblax" (a word no frequency
    # list knows) is used `uses` times in the comments only, "glimmer" in the article only.
    rng = np.random.default_rng(7)
    words = [f"w{i}" for i in range(200)]
    p = rng.dirichlet(np.ones(200))
    art = dict(zip(words, rng.multinomial(n_other, p).tolist(), strict=True))
    com = dict(zip(words, rng.multinomial(1000, p).tolist(), strict=True))
    com["zorblax"] = uses
    art["glimmer"] = uses
    table = log_odds_dirichlet(art, com).set_index("term")
    assert table.loc["zorblax", "z_score"] > Z_THRESHOLD
    assert table.loc["zorblax", S.SIDE] == S.SIDE_COMMENTS
    assert table.loc["glimmer", "z_score"] < -Z_THRESHOLD
    assert table.loc["glimmer", S.SIDE] == S.SIDE_ARTICLE


def test_the_old_pooled_count_prior_missed_such_a_term():
    # The regression the scaled prior fixes: a long comment side, a short article, a term used
    # 99 times by commenters and never in the article (as on a 426-comment thread).
    art = {f"a{i}": 4 for i in range(200)}  # 800 article tokens
    com = {f"a{i}": 49 for i in range(200)}  # 9,800 comment tokens at the article's rates
    com["vaccine"] = 99
    old = log_odds_dirichlet(art, com, alpha0=sum(art.values()) + sum(com.values()))
    new = log_odds_dirichlet(art, com)
    assert old.set_index("term").loc["vaccine", "z_score"] < 1.0
    assert new.set_index("term").loc["vaccine", "z_score"] > Z_THRESHOLD


def test_equal_rates_on_unequal_sides_are_not_distinctive():
    # Same rate of every term, one side 40 times longer: nothing is distinctive.
    art = {"flag": 2, "state": 2, "law": 1, "right": 1}
    com = {"flag": 80, "state": 80, "law": 40, "right": 40}
    table = log_odds_dirichlet(art, com)
    assert (table[S.SIDE] == "neither").all()


def _zipf_comments(rng, n_docs: int, vocab: int = 600) -> list[list[str]]:
    ranks = np.arange(1, vocab + 1)
    p = (1 / ranks) / (1 / ranks).sum()
    return [
        [f"t{i}" for i in rng.choice(vocab, size=rng.integers(3, 30), p=p)] for _ in range(n_docs)
    ]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_null_random_halves_of_one_side_put_few_terms_past_the_threshold(seed):
    rng = np.random.default_rng(seed)
    docs = _zipf_comments(rng, 400)
    order = rng.permutation(len(docs))
    half_a = [w for i in order[:200] for w in docs[i]]
    half_b = [w for i in order[200:] for w in docs[i]]
    table = log_odds_dirichlet(
        pd.Series(half_a).value_counts().to_dict(), pd.Series(half_b).value_counts().to_dict()
    )
    share = float((table["z_score"].abs() > Z_THRESHOLD).mean())
    assert share <= 0.05, share


def test_comment_side_ceiling_says_when_the_article_is_too_short():
    com = {f"w{i}": 20 for i in range(100)} | {"people": 90}
    short = log_odds_dirichlet({"flag": 2, "law": 1, "state": 2, "right": 1}, com)
    assert comment_side_ceiling(short) < Z_THRESHOLD
    long_article = {f"w{i}": 2 for i in range(300)}
    long = log_odds_dirichlet(long_article, com)
    assert comment_side_ceiling(long) > Z_THRESHOLD
    assert long.set_index("term").loc["people", S.SIDE] == S.SIDE_COMMENTS
    assert math.isnan(comment_side_ceiling(log_odds_dirichlet({"a": 1}, {})))


def test_sign_convention_positive_is_comments():
    table = log_odds_dirichlet({"a": 10, "b": 1}, {"a": 1, "b": 10}).set_index("term")
    assert table.loc["b", "z_score"] > 0 > table.loc["a", "z_score"]


def test_one_side_empty_gives_nan_statistics_but_counts():
    table = log_odds_dirichlet({"a": 3}, {})
    assert table["article_count"].tolist() == [3]
    assert table[["log_odds_ratio", "variance", "z_score"]].isna().all().all()
    assert table[S.SIDE].tolist() == ["neither"]


def keyness_thread(thread_id: str = "t1") -> dict[str, pd.DataFrame]:
    return make_annotated_thread(
        article=[
            [Sent("s", lemmas="tax plan budget tax"), Sent("t", lemmas="tax plan budget tax")]
        ],
        comments=[
            [Sent("u", lemmas="fraud fraud tax")],
            [Sent("v", lemmas="fraud fraud plan fraud fraud")],
            Comment([Sent("w", lemmas="ignored ignored")], lang="de", keep_sentences=True),
        ],
        thread_id=thread_id,
    )


def test_keyness_table_counts_only_analysed_sentences_and_matches_worked_example():
    t = keyness_thread()
    art, com = lemma_counts(t["sentences"])
    assert art == ARTICLE and com == COMMENTS  # the German comment's sentence has no lemmas
    full = keyness_table(t["sentences"], t["documents"])
    assert list(full.columns) == S.KEYNESS.names
    S.KEYNESS.validate(full)
    assert list(full[S.REFERENCE].drop_duplicates()) == [
        S.REFERENCE_ARTICLE,
        S.REFERENCE_GENERAL_ENGLISH,
    ]
    table = full[full[S.REFERENCE] == S.REFERENCE_ARTICLE]
    direct = log_odds_dirichlet(ARTICLE, COMMENTS)
    pd.testing.assert_series_equal(
        table["z_score"].reset_index(drop=True), direct["z_score"], check_names=False
    )
    assert set(table[S.SIDE]) <= {S.SIDE_ARTICLE, S.SIDE_COMMENTS, "neither"}
    distinctive = table[table["z_score"].abs() > Z_THRESHOLD]
    assert (distinctive[S.SIDE] != "neither").all()
    # "fraud" is in both comments (one of them four times); the German comment is not counted.
    assert table.set_index("term").loc["fraud", S.COMMENT_DOC_COUNT] == 2
    assert table[S.ENGLISH_PER_MILLION].isna().all()
    english = full[full[S.REFERENCE] == S.REFERENCE_GENERAL_ENGLISH].set_index("term")
    assert set(english.index) == {"fraud", "tax", "plan"}  # comment words only
    assert english["article_count"].isna().all()
    assert english.loc["fraud", "comment_count"] == 6


def test_keyness_pooled_sums_counts():
    two = combine_threads(keyness_thread("t1"), keyness_thread("t2"))
    table = keyness_table(two["sentences"], two["documents"])
    table = table[table[S.REFERENCE] == S.REFERENCE_ARTICLE]
    pooled = table[table[S.THREAD_ID] == S.POOLED].set_index("term")
    assert pooled.loc["fraud", "comment_count"] == 12
    assert pooled.loc["fraud", S.COMMENT_DOC_COUNT] == 4
    assert pooled.loc["tax", "article_count"] == 8
    # Doubling every count doubles alpha0 (half the smaller side): z grows by sqrt(2).
    one = table[table[S.THREAD_ID] == "t1"].set_index("term")
    assert pooled.loc["fraud", "z_score"] == pytest.approx(one.loc["fraud", "z_score"] * 2**0.5)


# ----------------------------------------------------------------- the general-English reference


def test_english_worked_example_by_hand():
    # A toy "English" of three words: tax 50%, plan 30%, fraud 20% (floor 1%).
    ref = EnglishReference(shares={"tax": 0.5, "plan": 0.3, "fraud": 0.2}, floor=0.01, source="toy")
    counts = {"tax": 1, "fraud": 7, "zorblax": 2}  # n_c = 10
    docs = {"tax": 1, "fraud": 3, "zorblax": 2}
    table = log_odds_english(counts, docs, reference=ref).set_index("term")
    # Reference of n_r = 10 words: pseudo-counts tax 5, fraud 2, zorblax 0.1 (the floor).
    # alpha0 = 0.5 * min(10, 10) = 5; alpha_w = 5 * (y_c + y_r) / 20: fraud 2.25.
    # fraud: log(9.25 / 5.75) - log(4.25 / 10.75); var = 1/9.25 + 1/4.25; z = 2.395
    fraud = math.log(9.25 / 5.75) - math.log(4.25 / 10.75)
    var = 1 / 9.25 + 1 / 4.25
    assert table.loc["fraud", "alpha"] == pytest.approx(2.25)
    assert table.loc["fraud", "log_odds_ratio"] == pytest.approx(fraud, rel=1e-12)
    assert table.loc["fraud", "variance"] == pytest.approx(var, rel=1e-12)
    assert table.loc["fraud", "z_score"] == pytest.approx(2.395, abs=5e-4)
    assert table.loc["fraud", S.SIDE] == S.SIDE_COMMENTS  # z > 1.96 and 3 comments
    assert table.loc["fraud", S.ENGLISH_PER_MILLION] == pytest.approx(200_000)
    assert table.loc["zorblax", S.ENGLISH_PER_MILLION] == pytest.approx(10_000)  # the floor
    # zorblax: alpha = 5 * 2.1 / 20 = 0.525; log(2.525 / 12.475) - log(0.625 / 14.375)
    z_zorblax = (math.log(2.525 / 12.475) - math.log(0.625 / 14.375)) / math.sqrt(
        1 / 2.525 + 1 / 0.625
    )
    assert table.loc["zorblax", "z_score"] == pytest.approx(z_zorblax, rel=1e-12)  # 0.76
    assert table.loc["zorblax", S.SIDE] == "neither"
    assert table.loc["tax", "z_score"] < 0  # 1 use in 10 against 50% of English
    assert list(table.index) == ["fraud", "zorblax", "tax"]


def _english_sample(rng, n_comments: int, *, low: int = 5, high: int = 40) -> list[list[str]]:
    """Comments of words drawn from wordfreq's English list itself, kept as annotate keeps
    words (alphabetic, not a spaCy stop word)."""
    import wordfreq
    from spacy.lang.en.stop_words import STOP_WORDS

    listed = wordfreq.get_frequency_dict("en")
    words = np.array(list(listed))
    p = np.array(list(listed.values()))
    lengths = rng.integers(low, high, size=n_comments)
    drawn = rng.choice(words, size=int(lengths.sum()), p=p / p.sum())
    out, start = [], 0
    for n in lengths:
        out.append([w for w in drawn[start : start + n] if w.isalpha() and w not in STOP_WORDS])
        start += n
    return out


def _counts(comments: list[list[str]]) -> tuple[dict[str, int], dict[str, int]]:
    uses: dict[str, int] = {}
    docs: dict[str, int] = {}
    for words in comments:
        for w in words:
            uses[w] = uses.get(w, 0) + 1
        for w in set(words):
            docs[w] = docs.get(w, 0) + 1
    return uses, docs


@pytest.fixture(scope="module")
def english_comments():
    return _english_sample(np.random.default_rng(11), 300)


def test_a_word_used_often_in_comments_and_rarely_in_english_is_distinctive(english_comments):
    ref = english_reference()
    rare = "marmalade"
    assert ref.shares[rare] < 10e-6  # under 10 per million content words
    comments = [[*c, rare] if i % 15 == 0 else c for i, c in enumerate(english_comments)]
    uses, docs = _counts(comments)
    assert uses[rare] == 20
    row = log_odds_english(uses, docs).set_index("term").loc[rare]
    assert row["z_score"] > Z_THRESHOLD and row[S.SIDE] == S.SIDE_COMMENTS


def test_a_common_word_at_its_english_rate_is_not_distinctive(english_comments):
    ref = english_reference()
    for word in ("people", "time", "good"):
        uses, docs = _counts(english_comments)
        n = sum(uses.values())
        uses[word] = round(n * ref.shares[word])  # exactly its general-English rate
        assert uses[word] >= 5
        docs[word] = min(uses[word], len(english_comments))
        row = log_odds_english(uses, docs).set_index("term").loc[word]
        assert abs(row["z_score"]) < 0.5 and row[S.SIDE] == "neither", word


def test_unknown_words_are_neither_impossible_nor_automatic(english_comments):
    def side_of(comments):
        uses, docs = _counts(comments)
        return log_odds_english(uses, docs).set_index("term").loc["zorblax"]

    def with_word(every: int, times: int = 1):
        return [
            [*c, *["zorblax"] * times] if i % every == 0 else c
            for i, c in enumerate(english_comments)
        ]

    assert english_reference().shares.get("zorblax") is None
    many = side_of(with_word(20))  # 15 comments
    assert many[S.SIDE] == S.SIDE_COMMENTS
    assert side_of(with_word(150))[S.SIDE] == "neither"  # 2 comments: not automatic
    # 15 uses, all in one comment: z passes, but one-off noise is not distinctive.
    one_off = [[*c, *["zorblax"] * 15] if i == 0 else c for i, c in enumerate(english_comments)]
    row = side_of(one_off)
    assert row["z_score"] > Z_THRESHOLD and row[S.COMMENT_DOC_COUNT] == 1 < MIN_COMMENTS
    assert row[S.SIDE] == "neither"


def _null(seed: int, n_comments: int):
    comments = _english_sample(np.random.default_rng(seed), n_comments)
    uses, docs = _counts(comments)
    table = log_odds_english(uses, docs)
    ref = english_reference()
    n = sum(uses.values())
    expected = n * table["term"].map(lambda w: ref.shares.get(w, ref.floor)).astype(float)
    return uses, docs, table, expected


@pytest.mark.parametrize(("seed", "n_comments"), [(1, 150), (2, 400), (3, 1500)])
def test_null_text_sampled_from_english_itself_puts_few_words_past_the_threshold(seed, n_comments):
    _, _, table, expected = _null(seed, n_comments)
    past = table["z_score"].abs() >= Z_THRESHOLD
    assert float(past.mean()) <= 0.05
    assert (table[S.SIDE] != "neither").mean() <= 0.05
    # The sharper check, on the words with enough uses for a test to have power.
    frequent = expected >= 5
    assert frequent.sum() >= 4
    assert float(past[frequent].mean()) <= 0.05


def test_the_null_check_has_teeth():
    # Shares of all English tokens (stop words included) instead of content words: the same
    # null text then looks distinctive, among words used often enough to tell.
    uses, docs, table, expected = _null(4, 3000)
    ref = english_reference()
    wrong = EnglishReference(
        shares={w: s * 0.445 for w, s in ref.shares.items()}, floor=ref.floor, source="wrong"
    )
    z_wrong = log_odds_english(uses, docs, reference=wrong).set_index("term")["z_score"]
    frequent = table.loc[expected >= 30, "term"]
    assert len(frequent) >= 20
    assert float((table.set_index("term").loc[frequent, "z_score"] >= Z_THRESHOLD).mean()) <= 0.05
    assert float((z_wrong[frequent] >= Z_THRESHOLD).mean()) > 0.5


def test_english_reference_counts_words_the_way_annotate_does():
    ref = english_reference()
    assert ref.source.startswith("wordfreq ")
    assert sum(ref.shares.values()) == pytest.approx(1.0)
    assert "the" not in ref.shares and "don't" not in ref.shares  # stop words, non-alphabetic
    assert "gon" in ref.shares  # "gonna" is two tokens, as spaCy splits it
    assert 0 < ref.floor < min(ref.shares.values()) * 1.0001


def test_comment_term_counts_count_uses_and_comments():
    t = keyness_thread()
    uses, docs = comment_term_counts(t["sentences"], S.WORDS)
    assert uses["fraud"] == 6 and docs["fraud"] == 2 and docs["tax"] == 1
