"""Distinctive terms: the lemmas most typical of the comments and of the article (keyness rows with
``reference == "article"``; the comments against general English are
:mod:`~.distinctive_english`)."""

from __future__ import annotations

import pandas as pd

from analysis import schema as S
from analysis.compare.keyness import comment_side_ceiling
from analysis.present.charts.bars import z_bars
from analysis.present.charts.base import (
    ChartData,
    Tables,
    empty_data,
    floats,
    register,
    select_thread,
)
from analysis.present.style import SIDE_COLOURS

NAME = "distinctive_terms"
COLUMNS = [
    "term",
    S.SIDE,
    "z_score",
    "log_odds_ratio",
    "article_count",
    "comment_count",
    "is_distinctive",
]
#: |z| at or above which a term counts as distinctive (two-sided 5%); written "|z| ≥ 1.96".
Z_CRITICAL = 1.96
NOT_DISTINCTIVE = "#bbbbbb"


def _title(n_c: int, n_a: int) -> str:
    if n_c == 0 and n_a == 0:
        return "No term is distinctive of either side at |z| ≥ 1.96"

    def terms(n: int) -> str:
        return "no term" if n == 0 else ("1 term" if n == 1 else f"{n} terms")

    return (
        f"At |z| ≥ 1.96, {terms(n_c)} {'is' if n_c < 2 else 'are'} distinctive of the "
        f"comments and {terms(n_a)} of the article"
    )


def prepare(
    tables: Tables, *, thread_id: str | None = None, top_n: int = 7, name: str = NAME
) -> ChartData:
    """The ``top_n`` terms with the highest and the lowest z-scores (comments vs article).

    Bars of terms with |z| below 1.96 are grey: not distinctive at the 5% level.

    CSV columns: term, side, z_score, log_odds_ratio, article_count, comment_count,
    is_distinctive.

    Raises:
        StageInputError: missing columns, or the thread cannot be chosen.
    """
    keyness = tables["keyness"]
    S.KEYNESS.check(keyness, stage="figures")
    rows, label = select_thread(keyness, thread_id, table="keyness")
    rows = rows[rows[S.REFERENCE] == S.REFERENCE_ARTICLE]
    words = {
        "name": name,
        "source": f"{label}, keyness table (reference: the article)",
        "method": (
            "weighted log-odds with informative Dirichlet prior (Monroe, Colaresi and Quinn "
            "2008) on lemmas, comments against the article, z-scores"
        ),
        "subtitle": (
            "Lemmas by z-score of the log-odds ratio, comments against the article: right, "
            "typical of comments; left, of the article"
        ),
        "what": "Bars show the terms most typical of each side; dashed lines mark |z| = 1.96.",
    }
    ceiling = comment_side_ceiling(rows) if not rows.empty else float("nan")
    if ceiling < Z_CRITICAL:
        words["what"] += (
            f" The article has {int(rows['article_count'].sum())} content lemmas: too few for "
            f"any comment term to reach z = 1.96 against it (at most z = {ceiling:.2f}); the "
            "comments against general English are in the distinctive_english figure."
        )
    t = rows[rows["z_score"].notna()] if not rows.empty else rows
    if t.empty:
        return empty_data(reason="no terms were scored", columns=COLUMNS, **words)
    t = t.assign(z_score=floats(t["z_score"]))
    pos = t[t["z_score"] > 0].sort_values(["z_score", "term"], ascending=[False, True]).head(top_n)
    neg = t[t["z_score"] < 0].sort_values(["z_score", "term"], ascending=[True, True]).head(top_n)
    data = pd.concat([pos, neg.iloc[::-1]], ignore_index=True)
    data["is_distinctive"] = data["z_score"].abs() >= Z_CRITICAL
    data = data[COLUMNS].reset_index(drop=True)
    title = _title(
        int((t["z_score"] >= Z_CRITICAL).sum()), int((t["z_score"] <= -Z_CRITICAL).sum())
    )
    a_total = int(rows["article_count"].fillna(0).sum())
    c_total = int(rows["comment_count"].fillna(0).sum())
    alt = (
        f"Diverging bar chart of the {len(pos)} terms most typical of the comments and the "
        f"{len(neg)} most typical of the article. {title}. Comment side: "
        + ", ".join(f"{r.term} (z={r.z_score:.1f})" for r in pos.itertuples())
        + ". Article side: "
        + ", ".join(f"{r.term} (z={r.z_score:.1f})" for r in neg.itertuples())
        + "."
    )
    return ChartData(
        title=title,
        n=f"{len(t)} terms; {a_total} article and {c_total} comment term tokens",
        alt_text=alt,
        data=data,
        **words,
    )


def draw(ax, data: ChartData) -> None:
    """Diverging horizontal bars by z-score; non-distinctive terms grey."""
    d = data.data
    colours = [
        (SIDE_COLOURS[S.SIDE_COMMENTS] if z > 0 else SIDE_COLOURS[S.SIDE_ARTICLE])
        if dist
        else NOT_DISTINCTIVE
        for z, dist in zip(d["z_score"], d["is_distinctive"], strict=True)
    ]
    legend = [
        (SIDE_COLOURS[S.SIDE_COMMENTS], "Comments"),
        (SIDE_COLOURS[S.SIDE_ARTICLE], "Article"),
        (NOT_DISTINCTIVE, "Not distinctive"),
    ]
    z_bars(
        ax,
        d,
        colours,
        thresholds=(-Z_CRITICAL, Z_CRITICAL),
        xlabel="z-score (comments minus article)",
        legend=legend,
    )


CHART = register(NAME, tables=("keyness",), prepare=prepare, draw=draw)
