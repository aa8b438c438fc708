"""Endorsement: each tone's share of comments beside its share of likes (what was rewarded)."""

from __future__ import annotations

import matplotlib as mpl
import matplotlib.ticker
import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.present.charts.base import (
    ChartData,
    Tables,
    empty_data,
    flags,
    floats,
    join_names,
    pct,
    plural,
    register,
    select_thread,
)
from analysis.present.style import BLUE, GREY, side_legend, xerr

NAME = "endorsement"
COLUMNS = [
    "sentiment_label",
    "count",
    "n",
    "share",
    "like_sum",
    "like_total",
    "like_share",
    "like_ci_low",
    "like_ci_high",
]


def endorsement_title(data: pd.DataFrame) -> str:
    """The tone holding the largest share of likes, beside its share of comments (ties named)."""
    t = data.assign(_likes=floats(data["like_share"]))
    best = t[t["_likes"] == t["_likes"].max()]
    if len(best) > 1:
        names = join_names([str(x) for x in best["sentiment_label"]])
        return f"Likes split evenly between {names} comments ({pct(best['_likes'].iloc[0])} each)"
    top = best.iloc[0]
    label = str(top["sentiment_label"]).capitalize()
    likes, comments = pct(float(top["like_share"])), pct(float(top["share"]))
    if likes == comments:
        return f"{label} comments hold {likes} of likes, the same as their share of comments"
    return f"{label} comments hold {likes} of likes and are {comments} of scored comments"


def prepare(tables: Tables, *, thread_id: str | None = None, name: str = NAME) -> ChartData:
    """Unweighted tone shares beside the like-weighted ones (likes on a tone / all likes).

    A source without like counts (``has_likes`` false: the platform or export gives none), or
    with no like on any scored comment, gives the "nothing to show" figure saying so, never a
    zero share.

    CSV columns: sentiment_label, count, n, share, like_sum, like_total, like_share,
    like_ci_low, like_ci_high.

    Raises:
        StageInputError: missing columns, or the thread cannot be chosen.
    """
    endorsement = tables["endorsement"]
    S.ENDORSEMENT.check(endorsement, stage="figures")
    rows, label = select_thread(endorsement, thread_id, table="endorsement")
    words = {
        "name": name,
        "source": f"{label}, endorsement table",
        "method": (
            "VADER compound of the whole comment labelled at +-0.05; like-weighted share = likes "
            "on the label's comments / likes on all scored comments; seeded bootstrap 95% "
            "intervals, comments resampled"
        ),
        "subtitle": (
            "Share of scored comments with each tone, counted once each and weighted by likes; "
            "bars: 95% intervals"
        ),
        "what": (
            "Paired bars show each tone's share of comments and its share of likes. Likes "
            "accumulate with time on the page, so early comments collect more of them."
        ),
    }
    n = int(rows["n"].max()) if len(rows) and rows["n"].notna().any() else 0
    if n == 0:
        return empty_data(reason="no comment was scored for tone", columns=COLUMNS, **words)
    if not flags(rows["has_likes"]).any():
        return empty_data(
            reason="the source gives no like counts (this platform or export has none)",
            columns=COLUMNS,
            **words,
        )
    total = int(pd.to_numeric(rows["like_total"], errors="coerce").fillna(0).max())
    if total == 0:
        return empty_data(reason="no scored comment has a like", columns=COLUMNS, **words)
    t = rows.set_index("sentiment_label").reindex(list(S.SENTIMENT_LABELS)).reset_index()
    t = t[COLUMNS]
    title = endorsement_title(t)
    values = "; ".join(
        f"{r.sentiment_label}: {pct(r.share)} of comments, {pct(r.like_share)} of likes"
        for r in t.itertuples()
    )
    return ChartData(
        title=title,
        n=f"{plural(n, 'scored comment')}, {plural(total, 'like')}",
        alt_text=f"Bar chart of tone shares of comments and of likes. {title}. {values}.",
        data=t,
        **words,
    )


def draw(ax, data: ChartData) -> None:
    """Per tone label, a grey bar (share of comments) beside a blue one (share of likes)."""
    t = data.data
    x = np.arange(len(t))
    w = 0.38
    ax.bar(x - w / 2, np.nan_to_num(floats(t["share"])), width=w, color=GREY, label="Comments")
    share = floats(t["like_share"])
    ax.bar(
        x + w / 2,
        np.nan_to_num(share),
        width=w,
        color=BLUE,
        label="Likes",
        yerr=xerr(share, floats(t["like_ci_low"]), floats(t["like_ci_high"])),
        error_kw={"ecolor": "#333333", "elinewidth": 0.9},
    )
    ax.set_xticks(x, [str(s).capitalize() for s in t["sentiment_label"]])
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
    ax.set_ylim(0, 1.0)
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", visible=True)
    ax.set_ylabel("Share")
    side_legend(ax)


CHART = register(NAME, tables=("endorsement",), prepare=prepare, draw=draw)
