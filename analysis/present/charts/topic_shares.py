"""Topic shares: each side's topic weight per topic (lexicon topics by default)."""

from __future__ import annotations

import pandas as pd

from analysis import schema as S
from analysis.present.charts.base import (
    ChartData,
    Tables,
    empty_data,
    flags,
    floats,
    plural,
    register,
    select_thread,
)
from analysis.present.charts.by_side import by_side_title, ordered
from analysis.present.style import paired_bars

NAME = "topic_shares"
COLUMNS = [
    "method",
    "topic_id",
    "topic_label",
    S.SIDE,
    "unit_count",
    "share",
    "is_comment_led",
    "is_exploratory",
]


def _one_method(rows: pd.DataFrame, method: str | None) -> tuple[pd.DataFrame, str, str]:
    """The rows of one topic method (lexicon when present), the method, its description."""
    methods = sorted(set(rows["method"].dropna())) if not rows.empty else []
    if method is None:
        method = "lexicon" if "lexicon" in methods or not methods else methods[0]
    rows = rows[rows["method"] == method] if not rows.empty else rows
    desc = (
        "guided topic lexicon"
        if method == "lexicon"
        else "NMF on TF-IDF of lemmas (exploratory on small threads)"
    )
    return rows, method, desc


def prepare(
    tables: Tables,
    *,
    thread_id: str | None = None,
    method: str | None = None,
    top_n: int = 9,
    name: str = NAME,
) -> ChartData:
    """Share of each side's topic weight per topic (lexicon topics by default).

    Args:
        tables: needs ``topic_shares``.
        thread_id: the thread (``None``: pooled or the only one).
        method: ``"lexicon"`` or ``"nmf"``; ``None`` takes lexicon when present.
        top_n: topics shown, by their larger share (the caption gives the total).
        name: file stem.

    CSV columns: method, topic_id, topic_label, side, unit_count, share, is_comment_led,
    is_exploratory.

    Raises:
        StageInputError: missing columns, or the thread cannot be chosen.
    """
    topic_shares = tables["topic_shares"]
    S.TOPIC_SHARES.check(topic_shares, stage="figures")
    rows, label = select_thread(topic_shares, thread_id, table="topic_shares")
    rows, method, desc = _one_method(rows, method)
    words = {
        "name": name,
        "source": f"{label}, topic_shares table",
        "method": f"{desc}; main topic per article sentence or comment",
    }
    subtitle = (
        f"Share of each side's topic weight ({method} topics; each unit's weight is split "
        "over its topics)"
    )
    what = "Paired bars compare the topics of the article's sentences and of the comments."
    if rows.empty:
        return empty_data(
            reason=f"no {method} topic shares",
            subtitle=subtitle,
            what=what,
            columns=COLUMNS,
            **words,
        )
    t = rows.assign(
        share=floats(rows["share"]),
        is_comment_led=flags(rows["is_comment_led"]),
        is_exploratory=flags(rows["is_exploratory"]),
    )
    order_df = (
        t.groupby("topic_label", as_index=False)["share"]
        .max()
        .sort_values(["share", "topic_label"], ascending=[False, True])
    )
    order = list(order_df["topic_label"])[:top_n]
    what += f" Shown: {len(order)} of {len(order_df)} topics, by their larger share."
    t = ordered(t, "topic_label", order, COLUMNS)
    title = by_side_title(t, "topic_label", "topic")
    if bool(t["is_exploratory"].any()):
        subtitle += "; exploratory on a thread this small"
    # Every unit has one main topic ('none' when it has no topic): summed over all topics,
    # unit_count is the number of distinct units on the side.
    units = {s: int(rows.loc[rows[S.SIDE] == s, "unit_count"].fillna(0).sum()) for s in S.SIDES}
    return ChartData(
        title=title,
        subtitle=subtitle,
        what=what,
        n=f"{plural(units[S.SIDE_ARTICLE], 'article sentence')}, "
        f"{plural(units[S.SIDE_COMMENTS], 'comment')}",
        alt_text=f"Paired bar chart of topic shares for {len(order)} topics. {title}.",
        data=t,
        plot={"order": order},
        **words,
    )


def draw(ax, data: ChartData) -> None:
    """Paired horizontal bars, one pair per topic (no intervals)."""
    paired_bars(ax, data.data.assign(n=pd.NA), "topic_label", data.plot["order"], with_ci=False)
    ax.set_xlabel("Share of the side's topic weight")


CHART = register(NAME, tables=("topic_shares",), prepare=prepare, draw=draw)
