"""Charts of the conversation: tone of replies, endorsement by likes, timeline, hostility cues.

Each ``plot_*`` takes the ``corpus`` table (and ``documents`` for tone), picks the thread (or every
thread, pooled, as :func:`analysis.present.figures.select_thread` does for unit tables), prepares
the numbers with :mod:`analysis.present.conversation_data` and finishes the chart with
:func:`analysis.present.figures.finalise_plot` (PNG, SVG, CSV, caption). A chart whose data lack
what it needs (no replies, no likes, no dates) draws what can be shown and its title says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis import config
from analysis import schema as S
from analysis.present.conversation_data import (
    LEVEL_NAMES,
    ChartData,
    prepare_endorsement,
    prepare_hostility,
    prepare_reply_tone,
    prepare_timeline,
    structure_of,
)

if TYPE_CHECKING:
    from analysis.present.figures import FigureResult

VADER_METHOD = "VADER compound of the whole comment labelled at +-0.05; seeded bootstrap 95% CIs"
HOSTILITY_METHOD = (
    "offline hostility score (lexicon and patterns, analysis.classify.hostility); ROC AUC 0.61 "
    "against human hate labels on Fox News comments (VADER 0.53): a screening aid, not a verdict"
)


def _f():
    """:mod:`analysis.present.figures`, imported when a chart is drawn.

    ``figures`` adds :data:`CONVERSATION_FIGURES` to its registry at the end of its module, so
    this module must not import it at import time (either may be imported first).
    """
    from analysis.present import figures

    return figures


def _figure() -> Figure:
    fig = Figure(figsize=_f().FIG_SIZE, dpi=_f().DPI)
    FigureCanvasAgg(fig)
    return fig


def _finish(fig: Figure, chart: ChartData, *, name, source, method, what, alt, out_dir):
    caption_what = what + (f" Note: {chart.fallback}." if chart.fallback else "")
    return _f().finalise_plot(
        fig,
        name=name,
        title=f"Nothing to show: {chart.reason}" if chart.is_empty else chart.title,
        subtitle=chart.subtitle,
        source=source,
        method=method,
        what=caption_what,
        n=chart.n,
        alt_text=alt,
        data=chart.data.head(0) if chart.is_empty else chart.data,
        out_dir=out_dir,
        is_empty=chart.is_empty,
        reason=chart.reason,
    )


def _empty_panel(fig: Figure, reason: str) -> None:
    ax = fig.add_axes((0.05, 0.2, 0.9, 0.5))
    ax.set_axis_off()
    ax.text(
        0.0,
        0.5,
        f"Nothing to show: {reason}.",
        ha="left",
        va="center",
        fontsize=11,
        color="#444444",
        transform=ax.transAxes,
    )


def _rows(corpus, documents, thread_id):
    rows, label = _f().select_thread(corpus, thread_id, table="corpus", has_pooled=False)
    docs = None
    if documents is not None:
        docs = documents[documents[S.DOC_ID].isin(rows[S.DOC_ID])]
    return rows, docs, label


def _share_axis(ax) -> None:
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
    ax.set_ylim(0, 1.0)
    ax.grid(axis="x", visible=False)


def plot_reply_tone(
    corpus: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    thread_id: str | None = None,
    out_dir: Path | None = None,
    name: str = "reply_tone",
    seed: int | None = config.SEED,
) -> FigureResult:
    """Tone shares of top-level comments vs replies (grouped bars with 95% intervals)."""
    rows, docs, label = _rows(corpus, documents, thread_id)
    chart = prepare_reply_tone(structure_of(rows, docs), seed=seed)
    source = f"{label}, corpus (reply links) and documents tables"
    what = "Grouped bars show the share of each tone label among top-level comments and replies."
    with _f().figure_style():
        fig = _figure()
        if chart.is_empty:
            _empty_panel(fig, chart.reason)
            alt = f"Empty chart: {chart.reason}."
        else:
            ax = fig.add_subplot()
            d = chart.data
            groups = [g for g in LEVEL_NAMES if d[d["group"] == g]["n"].max() > 0]
            x = np.arange(len(groups))
            for k, lab in enumerate(S.SENTIMENT_LABELS):
                sub = d[d["sentiment_label"] == lab].set_index("group").reindex(groups)
                share = sub["share"].to_numpy(dtype=float)
                err = np.vstack(
                    [share - sub["ci_low"].to_numpy(float), sub["ci_high"].to_numpy(float) - share]
                )
                ax.bar(
                    x + (k - 1) * 0.26,
                    share,
                    width=0.26,
                    color=_f().SENTIMENT_COLOURS[lab],
                    label=lab.capitalize(),
                    yerr=np.nan_to_num(np.clip(err, 0, None)),
                    error_kw={"ecolor": "#333333", "elinewidth": 0.9},
                )
            n = d.groupby("group")["n"].max()
            ax.set_xticks(x, [f"{LEVEL_NAMES[g]}\n(n={int(n[g])})" for g in groups])
            _share_axis(ax)
            ax.set_ylabel("Share of scored comments")
            ax.legend(ncol=3, loc="upper right", frameon=False, fontsize=8)
            alt = f"Grouped bar chart of tone by reply level. {chart.title}."
        return _finish(
            fig,
            chart,
            name=name,
            source=source,
            method=VADER_METHOD,
            what=what,
            alt=alt,
            out_dir=out_dir,
        )


def plot_endorsement(
    corpus: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    thread_id: str | None = None,
    out_dir: Path | None = None,
    name: str = "endorsement",
    seed: int | None = config.SEED,
) -> FigureResult:
    """Tone shares counted once per comment beside the same shares weighted by likes."""
    rows, docs, label = _rows(corpus, documents, thread_id)
    chart = prepare_endorsement(structure_of(rows, docs), seed=seed)
    source = f"{label}, corpus (like counts) and documents tables"
    method = VADER_METHOD + "; like-weighted share = likes on the label's comments / all likes"
    what = (
        "Paired bars show each tone's share of comments and its share of likes (what the "
        "audience rewarded; early comments collect more likes)."
    )
    with _f().figure_style():
        fig = _figure()
        if chart.is_empty:
            _empty_panel(fig, chart.reason)
            alt = f"Empty chart: {chart.reason}."
        else:
            ax = fig.add_subplot()
            d = chart.data.set_index("sentiment_label").reindex(list(S.SENTIMENT_LABELS))
            x = np.arange(len(d))
            has_likes = bool(d["has_likes"].any())
            w = 0.38 if has_likes else 0.6
            ax.bar(
                x - (w / 2 if has_likes else 0),
                d["share"].to_numpy(float),
                width=w,
                color=_f().GREY,
                label="Share of comments",
            )
            if has_likes:
                share = d["like_share"].to_numpy(float)
                err = np.vstack(
                    [
                        share - d["like_ci_low"].to_numpy(float),
                        d["like_ci_high"].to_numpy(float) - share,
                    ]
                )
                ax.bar(
                    x + w / 2,
                    share,
                    width=w,
                    color=_f().BLUE,
                    label="Share of likes",
                    yerr=np.nan_to_num(np.clip(err, 0, None)),
                    error_kw={"ecolor": "#333333", "elinewidth": 0.9},
                )
            ax.set_xticks(x, [s.capitalize() for s in d.index])
            _share_axis(ax)
            ax.set_ylabel("Share")
            ax.legend(loc="upper right", frameon=False, fontsize=8)
            alt = f"Bar chart of tone shares of comments and of likes. {chart.title}."
        return _finish(
            fig, chart, name=name, source=source, method=method, what=what, alt=alt, out_dir=out_dir
        )


def _timeline_bars(ax, d: pd.DataFrame, x: np.ndarray) -> None:
    """Comment bars (estimated dates hatched), tick labels and the left axis of the timeline."""
    if "bin_start" in d:
        est = d["is_estimated"].astype(bool).to_numpy()
        for flag, colour, hatch, lab in (
            (False, _f().BLUE, None, "Comments"),
            (True, "#9ecae1", "///", "Comments (estimated dates)"),
        ):
            m = est == flag
            if m.any():
                ax.bar(
                    x[m],
                    d["comment_count"].to_numpy()[m],
                    color=colour,
                    hatch=hatch,
                    edgecolor="white",
                    label=lab,
                )
        fmt = "%d %H:00" if str(d["time_bin"].iloc[0]) == "hour" else "%Y-%m-%d"
        labels = pd.to_datetime(d["bin_start"]).dt.strftime(fmt).tolist()
    else:
        ax.bar(x, d["comment_count"].to_numpy(), color=_f().BLUE, label="Comments")
        labels = [f"{t}/10" for t in d["position_tenth"]]
    step = max(1, -(-len(x) // 6))
    ax.set_xticks(x[::step], labels[::step], fontsize=7.5)
    ax.set_ylabel("Comments")
    ax.set_ylim(0, max(1, int(d["comment_count"].max())) * 1.35)
    ax.yaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))


def plot_timeline(
    corpus: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    thread_id: str | None = None,
    out_dir: Path | None = None,
    name: str = "timeline",
) -> FigureResult:
    """Comments per hour/day/week (estimated dates hatched) and the share negative as a line."""
    rows, docs, label = _rows(corpus, documents, thread_id)
    chart = prepare_timeline(structure_of(rows, docs))
    source = f"{label}, corpus (publication times) and documents tables"
    method = "bins chosen from the span (hour up to 2 days, day up to 90, else week); VADER"
    what = "Bars show comments per time bin and the line the share of scored comments negative."
    with _f().figure_style():
        fig = _figure()
        if chart.is_empty:
            _empty_panel(fig, chart.reason)
            alt = f"Empty chart: {chart.reason}."
        else:
            ax = fig.add_subplot()
            d = chart.data
            x = np.arange(len(d))
            _timeline_bars(ax, d, x)
            ax2 = ax.twinx()
            ax2.plot(
                x,
                d["negative_share"].to_numpy(float),
                color=_f().VERMILLION,
                marker="o",
                markersize=3,
                linewidth=1.2,
                label="Share negative",
            )
            ax2.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
            ax2.set_ylim(0, 1.35)
            ax2.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
            ax2.grid(visible=False)
            handles = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
            ax.legend(handles=handles, loc="upper left", ncol=3, frameon=False, fontsize=8)
            alt = (
                f"Bar chart of comments over time with a line of the negative share. {chart.title}."
            )
        return _finish(
            fig, chart, name=name, source=source, method=method, what=what, alt=alt, out_dir=out_dir
        )


def plot_hostility(
    corpus: pd.DataFrame,
    *,
    documents: pd.DataFrame | None = None,
    thread_id: str | None = None,
    out_dir: Path | None = None,
    name: str = "hostility",
) -> FigureResult:
    """Share of comments with each hostility cue, and scoring 0.5 or more."""
    rows, label = _f().select_thread(corpus, thread_id, table="corpus", has_pooled=False)
    chart = prepare_hostility(rows)
    source = f"{label}, corpus table (comment text)"
    what = (
        "Horizontal bars show the share of comments with each cue; a comment can carry several. "
        "Cues miss implicit hostility and count quoted or negated words."
    )
    with _f().figure_style():
        fig = _figure()
        if chart.is_empty:
            _empty_panel(fig, chart.reason)
            alt = f"Empty chart: {chart.reason}."
        else:
            ax = fig.add_subplot()
            d = chart.data
            y = np.arange(len(d))[::-1]
            colours = [_f().VERMILLION, _f().ORANGE] + [_f().PURPLE] * (len(d) - 3) + [_f().GREY]
            ax.barh(y, d["share"].to_numpy(float), color=colours, height=0.7)
            for yi, c, s in zip(y, d["comment_count"], d["share"], strict=True):
                ax.text(s, yi, f" {c}", va="center", ha="left", fontsize=7.5, color="#444444")
            ax.set_yticks(y, d["cue"].tolist(), fontsize=8)
            top = float(d["share"].max())
            ax.set_xlim(0, max(0.05, top * 1.2))
            ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
            ax.grid(axis="y", visible=False)
            ax.set_xlabel("Share of comments")
            alt = (
                f"Bar chart of hostility cues. {chart.title}. "
                + "; ".join(f"{r.cue}: {r.comment_count}" for r in d.itertuples())
                + "."
            )
        return _finish(
            fig,
            chart,
            name=name,
            source=source,
            method=HOSTILITY_METHOD,
            what=what,
            alt=alt,
            out_dir=out_dir,
        )


#: Registry entries for :data:`analysis.present.figures.FIGURES`: name -> (function, main table,
#: keyword tables).
CONVERSATION_FIGURES: dict[str, tuple] = {
    "reply_tone": (plot_reply_tone, "corpus", ("documents",)),
    "endorsement": (plot_endorsement, "corpus", ("documents",)),
    "timeline": (plot_timeline, "corpus", ("documents",)),
    "hostility": (plot_hostility, "corpus", ()),
}
