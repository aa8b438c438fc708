"""Timeline: comments and the share negative per hour, day or week; estimated dates as estimates.

One thread with dated comments: the ``timeline`` table's bins (hour, day or week, chosen from the
span by the comparison stage), every bin from the first to the last drawn so time stays to scale,
bins holding an estimated date ("2 days ago") hatched. Without dates, or with several threads
pooled (threads published at different times share no clock), the comments are drawn by their
position in the source instead: tenths of each thread in source order, which may be the
platform's "top" order rather than time; the title says which.
"""

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
    pct,
    plural,
    register,
    select_thread,
)
from analysis.present.style import BLUE, SKY, VERMILLION

NAME = "timeline"
COLUMNS = [
    "time_bin",
    "bin_start",
    "position_tenth",
    "comment_count",
    "estimated_count",
    "is_estimated",
    "n",
    "negative_count",
    "negative_share",
]
POSITION_BINS = 10
_STEP = {"hour": pd.Timedelta(hours=1), "day": pd.Timedelta(days=1), "week": pd.Timedelta(days=7)}
_WHEN = {"hour": ("in the hour of", "%Y-%m-%d %H:00"), "day": ("on", "%Y-%m-%d")}
_WHEN["week"] = ("in the week of", "%Y-%m-%d")


def _filled_bins(rows: pd.DataFrame) -> pd.DataFrame:
    """One thread's bins, with the empty bins between them as zero rows."""
    unit = str(rows["time_bin"].iloc[0])
    rows = rows.assign(bin_start=pd.to_datetime(rows["bin_start"])).sort_values("bin_start")
    starts = pd.date_range(rows["bin_start"].min(), rows["bin_start"].max(), freq=_STEP[unit])
    full = rows.set_index("bin_start").reindex(starts.union(pd.DatetimeIndex(rows["bin_start"])))
    n = full["n"].fillna(0).astype(int)
    share = pd.to_numeric(full["negative_share"], errors="coerce")
    out = pd.DataFrame(
        {
            "time_bin": unit,
            "bin_start": full.index,
            "position_tenth": pd.NA,
            "comment_count": full["comment_count"].fillna(0).astype(int).to_numpy(),
            "estimated_count": full["estimated_count"].fillna(0).astype(int).to_numpy(),
            "is_estimated": flags(full["is_estimated"]).to_numpy(),
            "n": n.to_numpy(),
            "negative_count": (share.fillna(0) * n).round().astype(int).to_numpy(),
            "negative_share": share.where(n > 0).to_numpy(),
        }
    )
    return out[COLUMNS].reset_index(drop=True)


def _position_bins(structure: pd.DataFrame) -> pd.DataFrame:
    """Tenths of each thread in source order, pooled over threads."""
    rows = structure.sort_values([S.THREAD_ID, "position"], kind="stable").reset_index(drop=True)
    rank = rows.groupby(S.THREAD_ID).cumcount()
    size = rows.groupby(S.THREAD_ID)[S.DOC_ID].transform("size")
    tenth = (rank * POSITION_BINS // size + 1).astype(int)
    scored = flags(rows["is_annotated"])
    negative = scored & (rows["sentiment_label"] == "negative").fillna(False)
    frame = pd.DataFrame({"tenth": tenth, "scored": scored, "negative": negative})
    agg = frame.groupby("tenth").agg(
        comment_count=("scored", "size"), n=("scored", "sum"), negative_count=("negative", "sum")
    )
    agg = agg.reindex(range(1, POSITION_BINS + 1), fill_value=0)
    return pd.DataFrame(
        {
            "time_bin": "position",
            "bin_start": pd.NaT,
            "position_tenth": agg.index.to_numpy(),
            "comment_count": agg["comment_count"].astype(int).to_numpy(),
            "estimated_count": 0,
            "is_estimated": False,
            "n": agg["n"].astype(int).to_numpy(),
            "negative_count": agg["negative_count"].astype(int).to_numpy(),
            "negative_share": (agg["negative_count"] / agg["n"]).where(agg["n"] > 0).to_numpy(),
        }
    )[COLUMNS]


def _half(data: pd.DataFrame, first: bool) -> tuple[str, int, int]:
    """(share, negative, scored) of the first (tenths 1-5) or second half (6-10)."""
    part = data[(data["position_tenth"] <= POSITION_BINS // 2) == first]
    n, k = int(part["n"].sum()), int(part["negative_count"].sum())
    return (pct(k / n) if n else "n/a"), k, n


def _position_chart(structure: pd.DataFrame, why: str, words: dict) -> ChartData:
    data = _position_bins(structure)
    (s1, k1, n1), (s2, k2, n2) = _half(data, True), _half(data, False)
    title = (
        f"{why}; in source order, {s1} of the first half's scored comments are negative "
        f"({k1} of {n1}), {s2} of the second half's ({k2} of {n2})"
    )
    words = {
        **words,
        "method": (
            "tenths of each thread in source order, pooled over threads; VADER compound of the "
            "whole comment labelled at +-0.05"
        ),
        "subtitle": "Comments per tenth of the thread in source order; line: share negative",
        "what": (
            "Bars count comments per tenth of each thread in source order (which may be the "
            "platform's 'top' order, not time); the line is the share of scored comments VADER "
            "labels negative. Halves: tenths 1-5 and 6-10."
        ),
    }
    alt = (
        "Bar chart of comments by position in the thread with a line of the share negative. "
        f"{title}."
    )
    n = f"{plural(len(structure), 'comment')} ({int(data['n'].sum())} scored for tone)"
    return ChartData(title=title, n=n, alt_text=alt, data=data, **words)


def _dated_title(data: pd.DataFrame, dated: int) -> str:
    unit = str(data["time_bin"].iloc[0])
    peak = int(data["comment_count"].max())
    at_peak = data[data["comment_count"] == peak]
    if len(at_peak) == 1:
        words, fmt = _WHEN[unit]
        when = pd.Timestamp(at_peak["bin_start"].iloc[0]).strftime(fmt)
        return f"Comments peak {words} {when} ({peak} of {plural(dated, 'dated comment')})"
    return (
        f"At most {plural(peak, 'comment')} in any {unit}, reached in {len(at_peak)} {unit}s "
        f"({plural(dated, 'dated comment')} over {plural(len(data), unit)})"
    )


def _dated_chart(rows: pd.DataFrame, total: int | None, words: dict) -> ChartData:
    data = _filled_bins(rows)
    unit = str(data["time_bin"].iloc[0])
    dated = int(data["comment_count"].sum())
    estimated = int(data["estimated_count"].sum())
    title = _dated_title(data, dated)
    n = plural(dated, "dated comment")
    if total is not None and total > dated:
        n += f" ({total - dated} undated left out)"
    words = {
        **words,
        "subtitle": f"Comments per {unit}; line: share of scored comments negative"
        + (
            f"; hatched: bins holding {plural(estimated, 'date')} estimated from relative times"
            if estimated
            else ""
        ),
    }
    alt = f"Bar chart of comments per {unit} with a line of the share negative. {title}."
    return ChartData(title=title, n=n, alt_text=alt, data=data, **words)


def prepare(tables: Tables, *, thread_id: str | None = None, name: str = NAME) -> ChartData:
    """Comments and the share negative over time, or by position when time cannot be shown.

    Reads ``timeline`` and, for the position fallback and the count of undated comments,
    ``reply_structure``.

    CSV columns: time_bin (hour, day, week, or position), bin_start, position_tenth,
    comment_count, estimated_count, is_estimated, n (scored comments), negative_count,
    negative_share.

    Raises:
        StageInputError: missing columns, or ``thread_id`` not in a table.
    """
    timeline = tables["timeline"]
    S.TIMELINE.check(timeline, stage="figures")
    rows, label = select_thread(timeline, thread_id, table="timeline", has_pooled=False)
    structure = tables.get("reply_structure")
    if structure is not None:
        S.REPLY_STRUCTURE.check(structure, stage="figures")
        structure, label = select_thread(
            structure, thread_id, table="reply_structure", has_pooled=False
        )
    words = {
        "name": name,
        "source": f"{label}, timeline and reply_structure tables",
        "method": (
            "bins chosen from the span (hour up to 2 days, day up to 90, else week); VADER "
            "compound of the whole comment labelled at +-0.05"
        ),
        "subtitle": "Comments over time; line: share of scored comments negative",
        "what": (
            "Bars count comments per time bin; the line is the share of scored comments VADER "
            "labels negative."
        ),
    }
    threads = set(rows[S.THREAD_ID].dropna())
    if structure is not None:
        threads |= set(structure[S.THREAD_ID].dropna())
    if len(threads) == 1 and len(rows):
        return _dated_chart(rows, len(structure) if structure is not None else None, words)
    if structure is None or structure.empty:
        return empty_data(reason="no dated comments", columns=COLUMNS, **words)
    why = f"{len(threads)} threads share no clock" if len(threads) > 1 else "No publication dates"
    return _position_chart(structure, why, words)


def _ticks(ax, d: pd.DataFrame, x: np.ndarray) -> None:
    unit = str(d["time_bin"].iloc[0])
    if unit == "position":
        labels = [f"{int(t)}/10" for t in d["position_tenth"]]
    else:
        fmt = "%d %b %H:00" if unit == "hour" else "%Y-%m-%d"
        labels = pd.to_datetime(d["bin_start"]).dt.strftime(fmt).tolist()
    step = max(1, -(-len(x) // 6))
    ax.set_xticks(x[::step], labels[::step], fontsize=7.5)
    ax.set_xlabel("Tenth of the thread, in source order" if unit == "position" else "")


def draw(ax, data: ChartData) -> None:
    """Bars of comments (estimated bins hatched, light) and the share negative as a line."""
    d = data.data
    x = np.arange(len(d))
    estimated = d["is_estimated"].astype(bool).to_numpy()
    counts = d["comment_count"].to_numpy(dtype=float)
    for is_est, colour, hatch, lab in (
        (False, BLUE, None, "Comments"),
        (True, SKY, "///", "Comments (dates estimated)"),
    ):
        m = estimated == is_est
        if m.any():
            ax.bar(x[m], counts[m], color=colour, hatch=hatch, edgecolor="white", label=lab)
    _ticks(ax, d, x)
    ax.set_ylabel("Comments")
    ax.set_ylim(0, max(1.0, float(counts.max())) * 1.6)
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
    ax.grid(axis="x", visible=False)
    ax2 = ax.twinx()
    share = pd.to_numeric(d["negative_share"], errors="coerce").to_numpy(dtype=float)
    ax2.plot(
        x, share, color=VERMILLION, marker="o", markersize=3, linewidth=1.2, label="Share negative"
    )
    ax2.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
    ax2.set_ylim(0, 1.35)
    ax2.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax2.grid(visible=False)
    ax2.set_ylabel("Share negative")
    handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", ncol=3, frameon=False, fontsize=8)


CHART = register(NAME, tables=("timeline", "reply_structure"), prepare=prepare, draw=draw)
