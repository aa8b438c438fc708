"""Frame shares: how often article sentences and comment sentences use each frame (like units)."""

from __future__ import annotations

import pandas as pd

from analysis import schema as S
from analysis.present.charts.base import (
    ChartData,
    Tables,
    empty_data,
    floats,
    pct,
    plural,
    pretty_label,
    register,
    select_thread,
)
from analysis.present.charts.by_side import by_side_title, ordered
from analysis.present.style import paired_bars

NAME = "frame_shares"
COLUMNS = ["frame", S.SIDE, "unit_count", "n", "share", "ci_low", "ci_high"]


def prepare(
    tables: Tables, *, thread_id: str | None = None, top_n: int = 8, name: str = NAME
) -> ChartData:
    """Share of article sentences and of comment sentences with a lexicon hit per frame.

    The ``top_n`` frames by their larger share are shown (frames no unit uses are left out; the
    caption says how many frames there are in all). "No frame term" (sentences with no listed
    word) is plotted like a frame but never named as the leading frame in the title.

    CSV columns: frame, side, unit_count, n, share, ci_low, ci_high.

    Raises:
        StageInputError: missing columns, or the thread cannot be chosen.
    """
    frame_shares = tables["frame_shares"]
    S.FRAME_SHARES.check(frame_shares, stage="figures")
    rows, label = select_thread(frame_shares, thread_id, table="frame_shares")
    words = {
        "name": name,
        "source": f"{label}, frame_shares table",
        "method": (
            "dictionary of Policy Frames Codebook dimensions (Boydstun et al. 2014); Wilson "
            "score 95% intervals"
        ),
        "subtitle": (
            "Share of article sentences and of comment sentences using each frame; bars: 95% "
            "intervals"
        ),
    }
    what = (
        "Paired bars compare how often the article's sentences and the comments' sentences use "
        "each frame."
    )
    if rows.empty:
        return empty_data(reason="no frame scores", what=what, columns=COLUMNS, **words)
    t = rows.assign(share=floats(rows["share"]).copy())
    order_df = (
        t.groupby("frame", as_index=False)["share"]
        .max()
        .sort_values(["share", "frame"], ascending=[False, True])
    )
    title = by_side_title(t[t["frame"] != S.FRAME_NO_TERM], "frame", "frame")
    n_frames = len(order_df)
    order = list(order_df.loc[order_df["share"] > 0, "frame"])[:top_n]
    t = ordered(t, "frame", order, COLUMNS)
    what += f" Shown: the {len(order)} most used of {n_frames} frames."
    if not order:
        return empty_data(reason="no unit uses any frame", what=what, columns=COLUMNS, **words)
    n = {s: t.loc[t[S.SIDE] == s, "n"].dropna().max() for s in S.SIDES}
    n = {s: int(v) if pd.notna(v) else 0 for s, v in n.items()}
    n_text = (
        f"{plural(n[S.SIDE_ARTICLE], 'article sentence')}, "
        f"{plural(n[S.SIDE_COMMENTS], 'comment sentence')}"
    )
    alt = (
        f"Paired bar chart of frame shares for {len(order)} frames. {title}. "
        + "; ".join(
            f"{pretty_label(f)}: article "
            f"{pct(t[(t.frame == f) & (t[S.SIDE] == 'article')]['share'].max())}"
            f", comments {pct(t[(t.frame == f) & (t[S.SIDE] == 'comments')]['share'].max())}"
            for f in order[:6]
        )
        + "."
    )
    return ChartData(
        title=title, what=what, n=n_text, alt_text=alt, data=t, plot={"order": order}, **words
    )


def draw(ax, data: ChartData) -> None:
    """Paired horizontal bars with intervals, one pair per frame."""
    paired_bars(ax, data.data, "frame", data.plot["order"], with_ci=True)
    ax.set_xlabel("Share of sentences (a sentence can use several frames)")


CHART = register(NAME, tables=("frame_shares",), prepare=prepare, draw=draw)
