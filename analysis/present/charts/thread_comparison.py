"""Threads compared: comments, negative share (95% intervals) and off-article share per thread.

Drawn only for a corpus of several threads (it is not in the per-thread registry). Small
multiples on one row share the thread axis; at most :data:`MAX_THREADS` threads are shown (the
ones with the most comments; the caption says "k of n shown"), so the chart stays legible at
640 px for any number of threads. The top actor per thread is in the CSV and the report table.
"""

from __future__ import annotations

import matplotlib.ticker
import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.compare.agenda import ranked_rows
from analysis.present.charts.base import (
    ChartData,
    Tables,
    empty_data,
    flags,
    floats,
    join_names,
    pct,
    plural,
    short,
)
from analysis.present.style import BLUE, GREY, PURPLE, xerr

NAME = "thread_comparison"
MAX_THREADS = 12
COLUMNS = [
    S.THREAD_ID,
    "label",
    "title",
    "comment_count",
    "negative_share",
    "ci_low",
    "ci_high",
    "scored_comments",
    "off_article_share",
    "top_actor",
    "top_actor_mentions",
]


def top_actors(agenda: pd.DataFrame | None) -> dict[str, tuple[str, int]]:
    """thread_id -> (the ranked entity or entities its comments mention most, ties named; count).

    Only rows ranked as actors (``is_ranked``: named in at least two independent places, see
    :mod:`analysis.compare.agenda`) compete; a thread with none gets ``("none", 0)``.
    """
    if agenda is None or agenda.empty:
        return {}
    out = {}
    rows = ranked_rows(agenda[agenda[S.THREAD_ID] != S.POOLED])  # one-place entities never top
    # One pass over the rows (not a pandas group per thread): each thread's top count and names.
    top: dict[str, tuple[int, list[str]]] = {}
    tids = rows[S.THREAD_ID].tolist()
    counts = rows["comment_mention_count"].fillna(0).astype(int).tolist()
    for tid, n, name in zip(tids, counts, rows[S.ENTITY_NAME].astype(str).tolist(), strict=True):
        if pd.isna(tid):
            continue
        best, names = top.get(tid, (n, []))
        if n > best:
            best, names = n, []
        if n == best:
            names.append(name)
        top[tid] = (best, names)
    for tid in sorted(top):
        best, names = top[tid]
        if best <= 0:
            out[str(tid)] = ("none", 0)
            continue
        names = sorted(names)
        shown = names[:3] + ([f"{len(names) - 3} more"] if len(names) > 3 else [])
        out[str(tid)] = (join_names(shown) + (" (tie)" if len(names) > 1 else ""), best)
    return out


def comparison_table(tables: Tables) -> pd.DataFrame:
    """One row per thread (corpus order), the columns of :data:`COLUMNS`."""
    corpus = tables.get("corpus")
    if corpus is None or corpus.empty:
        return pd.DataFrame(columns=COLUMNS)
    comments = corpus[corpus[S.DOC_KIND] == S.COMMENT]
    comment_counts = comments[S.THREAD_ID].value_counts()  # once, not a filter per thread
    titles = corpus[corpus[S.DOC_KIND] == S.ARTICLE].set_index(S.THREAD_ID)["title"]
    tone = tables.get("tone_shares")
    neg = pd.DataFrame()
    if tone is not None and not tone.empty:
        neg = tone[(tone["unit"] == "comment") & (tone["sentiment_label"] == "negative")]
        neg = neg.set_index(S.THREAD_ID)
    eng = tables.get("engagement")
    off = (
        eng.assign(_o=flags(eng["is_off_article"])).groupby(S.THREAD_ID)["_o"].mean()
        if eng is not None and not eng.empty
        else pd.Series(dtype="float64")
    )
    actors = top_actors(tables.get("agenda"))
    rows = []
    for tid in pd.unique(corpus[S.THREAD_ID].astype(str)):
        title = titles.get(tid)
        r = neg.loc[tid] if tid in neg.index else None
        if isinstance(r, pd.DataFrame):
            r = r.iloc[0]
        actor, count = actors.get(tid, ("n/a", 0))
        rows.append(
            {
                S.THREAD_ID: tid,
                "label": short(title if isinstance(title, str) and title.strip() else tid, 26),
                "title": title if isinstance(title, str) and title.strip() else tid,
                "comment_count": int(comment_counts.get(tid, 0)),
                "negative_share": float(r["share"]) if r is not None else np.nan,
                "ci_low": float(r["ci_low"]) if r is not None else np.nan,
                "ci_high": float(r["ci_high"]) if r is not None else np.nan,
                "scored_comments": int(r["n"]) if r is not None and pd.notna(r["n"]) else 0,
                "off_article_share": float(off.get(tid, np.nan)),
                "top_actor": actor,
                "top_actor_mentions": count,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def _range(values: pd.Series) -> str:
    values = values.dropna()
    lo, hi = pct(values.min()), pct(values.max())
    return lo if lo == hi else f"{lo} to {hi}"


def _title(data: pd.DataFrame) -> str:
    """The spread across threads, not a ranking: intervals on small threads overlap."""
    parts = []
    if data["negative_share"].notna().any():
        parts.append(f"negative comments range {_range(data['negative_share'])}")
    if data["off_article_share"].notna().any():
        parts.append(f"off-article comments {_range(data['off_article_share'])}")
    head = f"{len(data)} threads compared"
    return head + (": " + ", ".join(parts) if parts else "; none has scored comments")


def prepare(tables: Tables, *, thread_id: str | None = None, name: str = NAME) -> ChartData:
    """The threads side by side (``thread_id`` is ignored: this chart is about all of them).

    CSV columns: see :data:`COLUMNS` (every thread, not only the ones drawn).
    """
    data = comparison_table(tables)
    words = {
        "name": name,
        "source": f"{plural(len(data), 'thread')}, corpus, tone_shares, engagement and agenda "
        "tables",
        "method": "VADER compound at or below -0.05 is negative (Wilson score 95% "
        "intervals); off-article: below the engagement threshold for every paragraph",
        "subtitle": "Per thread: comments; share of comments VADER labels negative (bars: 95% "
        "intervals); share of annotated comments relating to no article paragraph",
    }
    if len(data) < 2:
        return empty_data(reason="fewer than two threads", what="", columns=COLUMNS, **words)
    shown = data.sort_values(["comment_count", S.THREAD_ID], ascending=[False, True])
    shown = shown.head(MAX_THREADS)
    k, n = len(shown), len(data)
    title = _title(data)
    what = "Small multiples compare the threads on comments, negative share and off-article share."
    if k < n:
        what += f" Shown: {k} of {n} threads, those with the most comments."
    alt = f"Three-panel chart comparing {k} threads. {title}. " + "; ".join(
        f"{r.label}: {r.comment_count} comments, {pct(r.negative_share)} negative, "
        f"{pct(r.off_article_share)} off-article"
        for r in shown.itertuples()
    )
    return ChartData(
        title=title,
        what=what,
        n=f"{plural(n, 'thread')}, {plural(int(data['comment_count'].sum()), 'comment')}",
        alt_text=alt + ".",
        data=data,
        plot={"shown": shown.reset_index(drop=True)},
        **words,
    )


def draw(ax, data: ChartData) -> None:
    """Three panels on one row (the given axes is split), threads top to bottom."""
    shown = data.plot["shown"]
    fig = ax.figure
    grid = ax.get_subplotspec().subgridspec(1, 3, wspace=0.25)
    ax.remove()
    axes = [fig.add_subplot(grid[0, i]) for i in range(3)]
    y = np.arange(len(shown))[::-1]
    size = 8 if len(shown) <= 8 else 6.5
    axes[0].barh(y, shown["comment_count"].to_numpy(), color=BLUE, height=0.7)
    axes[0].set_yticks(y, shown["label"].tolist(), fontsize=size)
    axes[0].set_title("Comments", fontsize=9, loc="left")
    share = floats(shown["negative_share"])
    axes[1].errorbar(
        np.nan_to_num(share),
        y,
        xerr=xerr(share, floats(shown["ci_low"]), floats(shown["ci_high"])),
        fmt="o",
        color=PURPLE,
        markersize=4,
        elinewidth=1,
    )
    axes[1].set_title("Negative", fontsize=9, loc="left")
    axes[2].barh(y, np.nan_to_num(floats(shown["off_article_share"])), color=GREY, height=0.7)
    axes[2].set_title("Off-article", fontsize=9, loc="left")
    axes[0].xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=3, integer=True))
    for a in axes[1:]:
        a.set_yticks(y, [""] * len(y))
        a.set_xlim(0, 1)
        a.set_xticks([0, 0.5, 1], ["0%", "50%", "100%"])
    for a in axes:
        a.set_ylim(-0.6, len(shown) - 0.4)
        a.grid(axis="y", visible=False)
        a.tick_params(axis="x", labelsize=7)
