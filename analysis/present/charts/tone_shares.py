"""Tone label shares: negative / neutral / positive among article sentences and comments."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.present.charts.bars import tone_groups
from analysis.present.charts.base import (
    ChartData,
    Tables,
    empty_data,
    pct,
    plural,
    register,
    select_thread,
)

NAME = "tone_shares"
COLUMNS = ["unit", "sentiment_label", "count", "n", "share", "ci_low", "ci_high"]
UNIT_NAMES = {
    "article_sentence": "Article sentences",
    "comment_sentence": "Comment sentences",
    "comment": "Comments",
}


def tone_shares_title(data: pd.DataFrame) -> str:
    """The finding of the sentiment-share chart: one unit per comparison (sentences against
    sentences); whole comments are named alone, never set against article sentences."""
    neg = data[data["sentiment_label"] == "negative"].set_index("unit")["share"]
    sentences = neg.get("comment_sentence", np.nan)
    article = neg.get("article_sentence", np.nan)
    comments = neg.get("comment", np.nan)
    if pd.notna(sentences) and pd.notna(article):
        return (
            f"VADER labels {pct(sentences)} of comment sentences negative, against "
            f"{pct(article)} of article sentences"
        )
    if pd.notna(sentences):
        return f"VADER labels {pct(sentences)} of comment sentences negative"
    if pd.notna(comments):
        return f"VADER labels {pct(comments)} of comments negative"
    if pd.notna(article):
        return f"VADER labels {pct(article)} of article sentences negative"
    return "No unit could be scored for tone"


def prepare(tables: Tables, *, thread_id: str | None = None, name: str = NAME) -> ChartData:
    """Negative / neutral / positive shares of article sentences, comment sentences and comments.

    CSV columns: unit, sentiment_label, count, n, share, ci_low, ci_high.

    Raises:
        StageInputError: missing columns, or the thread cannot be chosen.
    """
    tone_shares = tables["tone_shares"]
    S.TONE_SHARES.check(tone_shares, stage="figures")
    rows, label = select_thread(tone_shares, thread_id, table="tone_shares")
    words = {
        "name": name,
        "source": f"{label}, tone_shares table",
        "method": "VADER compound labelled at +-0.05; Wilson score 95% intervals",
        "subtitle": (
            "Share of units VADER labels negative, neutral or positive; bars: 95% intervals"
        ),
        "what": (
            "Grouped bars show the share of each tone label among article sentences and comments."
        ),
    }
    t = rows[rows["n"].fillna(0) > 0] if not rows.empty else rows
    if t.empty:
        return empty_data(reason="no scored sentences or comments", columns=COLUMNS, **words)
    unit_order = [u for u in UNIT_NAMES if u in set(t["unit"])]
    unit_order += sorted(set(t["unit"]) - set(unit_order))
    t = (
        t.assign(
            _u=t["unit"].map({u: i for i, u in enumerate(unit_order)}),
            _l=t["sentiment_label"].map({lab: i for i, lab in enumerate(S.SENTIMENT_LABELS)}),
        )
        .sort_values(["_u", "_l"])
        .reset_index(drop=True)[COLUMNS]
    )
    title = tone_shares_title(t)
    n_by_unit = t.groupby("unit", sort=False)["n"].max()
    values = "; ".join(
        f"{UNIT_NAMES.get(u, u)}: "
        + ", ".join(
            f"{r['sentiment_label']} {pct(r['share'])}" for _, r in t[t["unit"] == u].iterrows()
        )
        for u in unit_order
    )
    return ChartData(
        title=title,
        n=", ".join(
            plural(int(n_by_unit[u]), UNIT_NAMES.get(u, u).lower().removesuffix("s"))
            for u in unit_order
        ),
        alt_text=f"Grouped bar chart of tone label shares. {title}. {values}.",
        data=t,
        plot={"unit_order": unit_order, "n_by_unit": n_by_unit},
        **words,
    )


def draw(ax, data: ChartData) -> None:
    """Grouped vertical bars, one group per unit, one bar per tone label, with intervals."""
    t, unit_order, n_by_unit = data.data, data.plot["unit_order"], data.plot["n_by_unit"]
    ticks = [f"{UNIT_NAMES.get(u, u)}\n(n={int(n_by_unit[u])})" for u in unit_order]
    tone_groups(ax, t, key="unit", order=unit_order, ticks=ticks, ylabel="Share of units")


CHART = register(NAME, tables=("tone_shares",), prepare=prepare, draw=draw)
