"""Reply tone: tone label shares of top-level comments against replies, with intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.present.charts.bars import tone_groups
from analysis.present.charts.base import (
    ChartData,
    Tables,
    empty_data,
    floats,
    pct,
    plural,
    register,
    select_thread,
)

NAME = "reply_tone"
COLUMNS = ["group", "sentiment_label", "count", "n", "share", "ci_low", "ci_high"]
GROUP_NAMES = {"top_level": "Top-level comments", "reply": "Replies"}
_NOUNS = {
    "top_level": ("scored top-level comment", None),
    "reply": ("scored reply", "scored replies"),
}


def _overlap(neg: pd.DataFrame) -> bool:
    low, high = floats(neg["ci_low"]), floats(neg["ci_high"])
    if np.isnan(low).any() or np.isnan(high).any():
        return False
    return bool(low.max() <= high.min())


def reply_tone_title(data: pd.DataFrame) -> str:
    """The negative share of replies against that of top-level comments (equal shares said)."""
    neg = data[data["sentiment_label"] == "negative"].set_index("group")
    n = neg["n"].astype(int)
    if n.get("top_level", 0) == 0:
        return (
            f"All {plural(int(n['reply']), 'scored comment')} are replies; "
            f"{pct(neg.loc['reply', 'share'])} of them are negative"
        )
    reply, top = float(neg.loc["reply", "share"]), float(neg.loc["top_level", "share"])
    if pct(reply) == pct(top):
        return f"Replies and top-level comments are as often negative ({pct(reply)} each)"
    title = f"{pct(reply)} of replies are negative, against {pct(top)} of top-level comments"
    return title + ("; the 95% intervals overlap" if _overlap(neg) else "")


def prepare(tables: Tables, *, thread_id: str | None = None, name: str = NAME) -> ChartData:
    """Negative / neutral / positive shares of scored top-level comments and of scored replies.

    Reads the ``level`` rows of ``conversation_tone``. A thread without scored replies (a source
    that keeps no reply links, or nobody replied) gives the "nothing to show" figure saying so.

    CSV columns: group, sentiment_label, count, n, share, ci_low, ci_high.

    Raises:
        StageInputError: missing columns, or the thread cannot be chosen.
    """
    tone = tables["conversation_tone"]
    S.CONVERSATION_TONE.check(tone, stage="figures")
    rows, label = select_thread(tone, thread_id, table="conversation_tone")
    words = {
        "name": name,
        "source": f"{label}, conversation_tone table",
        "method": (
            "reply links as given by the source; VADER compound of the whole comment labelled "
            "at +-0.05; Wilson score 95% intervals"
        ),
        "subtitle": (
            "Share of scored comments VADER labels negative, neutral or positive; bars: 95% "
            "intervals"
        ),
        "what": (
            "Grouped bars show the share of each tone label among top-level comments and "
            "among replies."
        ),
    }
    t = rows[(rows["grouping"] == "level") & rows["group"].isin(list(GROUP_NAMES))]
    n = t.groupby("group")["n"].max().reindex(list(GROUP_NAMES)).fillna(0).astype(int)
    if int(n.sum()) == 0:
        return empty_data(reason="no comment was scored for tone", columns=COLUMNS, **words)
    if n["reply"] == 0:
        return empty_data(
            reason=(
                "none of the scored comments is a reply (the source keeps no reply links, or "
                "nobody replied)"
            ),
            columns=COLUMNS,
            **words,
        )
    order = [g for g in GROUP_NAMES if n[g] > 0]
    t = t[t["group"].isin(order)]
    t = (
        t.assign(
            _g=t["group"].map({g: i for i, g in enumerate(order)}),
            _l=t["sentiment_label"].map({lab: i for i, lab in enumerate(S.SENTIMENT_LABELS)}),
        )
        .sort_values(["_g", "_l"])
        .reset_index(drop=True)[COLUMNS]
    )
    title = reply_tone_title(t)
    values = "; ".join(
        f"{GROUP_NAMES[g]}: "
        + ", ".join(f"{r.sentiment_label} {pct(r.share)}" for r in t[t["group"] == g].itertuples())
        for g in order
    )
    return ChartData(
        title=title,
        n=", ".join(plural(int(n[g]), *_NOUNS[g]) for g in order),
        alt_text=f"Grouped bar chart of tone by reply level. {title}. {values}.",
        data=t,
        plot={"order": order, "n": n},
        **words,
    )


def draw(ax, data: ChartData) -> None:
    """Grouped vertical bars, one group per reply level, one bar per tone label."""
    t, order, n = data.data, data.plot["order"], data.plot["n"]
    ticks = [f"{GROUP_NAMES[g]}\n(n={int(n[g])})" for g in order]
    tone_groups(ax, t, key="group", order=order, ticks=ticks, ylabel="Share of scored comments")


CHART = register(NAME, tables=("conversation_tone",), prepare=prepare, draw=draw)
