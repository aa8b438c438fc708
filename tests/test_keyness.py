"""Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi and Quinn 2008)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from compare_factories import Comment, Sent, combine_threads, make_annotated_thread

from analysis import schema as S
from analysis.compare.keyness import Z_THRESHOLD, keyness_table, lemma_counts, log_odds_dirichlet

# Worked example. Article: tax 4, plan 2, budget 2 (n_a = 8).
# Comments: tax 1, plan 1, fraud 6 (n_c = 8). Pooled n = 16.
ARTICLE = {"tax": 4, "plan": 2, "budget": 2}
COMMENTS = {"tax": 1, "plan": 1, "fraud": 6}


def hand_delta(y_c: float, y_a: float, a_w: float, *, n_c: float, n_a: float, a0: float) -> float:
    return math.log((y_c + a_w) / (n_c + a0 - y_c - a_w)) - math.log(
        (y_a + a_w) / (n_a + a0 - y_a - a_w)
    )


def test_worked_example_default_prior_is_pooled_counts():
    # alpha0 = n = 16, so alpha_w = pooled count: tax 5, plan 3, budget 2, fraud 6.
    table = log_odds_dirichlet(ARTICLE, COMMENTS).set_index("term")
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
    table = keyness_table(t["sentences"], t["documents"])
    assert list(table.columns) == S.KEYNESS.names
    direct = log_odds_dirichlet(ARTICLE, COMMENTS)
    pd.testing.assert_series_equal(
        table["z_score"].reset_index(drop=True), direct["z_score"], check_names=False
    )
    assert set(table[S.SIDE]) <= {S.SIDE_ARTICLE, S.SIDE_COMMENTS, "neither"}
    distinctive = table[table["z_score"].abs() > Z_THRESHOLD]
    assert (distinctive[S.SIDE] != "neither").all()


def test_keyness_pooled_sums_counts():
    two = combine_threads(keyness_thread("t1"), keyness_thread("t2"))
    table = keyness_table(two["sentences"], two["documents"])
    pooled = table[table[S.THREAD_ID] == S.POOLED].set_index("term")
    assert pooled.loc["fraud", "comment_count"] == 12
    assert pooled.loc["tax", "article_count"] == 8
    # Doubling every count with alpha0 = n keeps the prior proportional: z grows by sqrt(2).
    one = table[table[S.THREAD_ID] == "t1"].set_index("term")
    assert pooled.loc["fraud", "z_score"] == pytest.approx(one.loc["fraud", "z_score"] * 2**0.5)
