"""Sentence tone: the distribution of VADER compound over article and comment sentences."""

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
    floats,
    plural,
    register,
    select_thread,
)
from analysis.present.style import SIDE_COLOURS, side_legend

NAME = "sentence_tone"
COLUMNS = [S.SIDE, "bin_low", "bin_high", "count", "n", "share"]
_SIDE_UNITS = {S.SIDE_ARTICLE: "Article sentences", S.SIDE_COMMENTS: "Comment sentences"}


def _histogram(scored: pd.DataFrame, edges: np.ndarray) -> tuple[pd.DataFrame, dict]:
    """Binned shares per side, and each side's n, median and quartiles."""
    out, stats = [], {"counts": {}, "medians": {}, "quartiles": {}}
    for side, kind in ((S.SIDE_ARTICLE, S.ARTICLE), (S.SIDE_COMMENTS, S.COMMENT)):
        values = floats(scored.loc[scored[S.DOC_KIND] == kind, S.VADER_COMPOUND])
        hist, _ = np.histogram(values, bins=edges)
        n = int(values.size)
        stats["counts"][side] = n
        stats["medians"][side] = float(np.median(values)) if n else float("nan")
        stats["quartiles"][side] = (
            tuple(np.quantile(values, [0.25, 0.75])) if n else (np.nan, np.nan)
        )
        for lo, hi, c in zip(edges[:-1], edges[1:], hist, strict=True):
            out.append(
                {
                    S.SIDE: side,
                    "bin_low": float(lo),
                    "bin_high": float(hi),
                    "count": int(c),
                    "n": n,
                    "share": c / n if n else float("nan"),
                }
            )
    return pd.DataFrame(out, columns=COLUMNS), stats


def _title(medians: dict, quartiles: dict) -> str:
    (cq1, cq3), (aq1, aq3) = quartiles[S.SIDE_COMMENTS], quartiles[S.SIDE_ARTICLE]
    if np.isnan(medians[S.SIDE_ARTICLE]):
        return f"The middle half of comment sentences scores {cq1:+.2f} to {cq3:+.2f} in tone"
    if np.isnan(medians[S.SIDE_COMMENTS]):
        return f"The middle half of article sentences scores {aq1:+.2f} to {aq3:+.2f} in tone"
    return (
        f"The middle half of comment sentences scores {cq1:+.2f} to {cq3:+.2f} in tone; "
        f"of article sentences, {aq1:+.2f} to {aq3:+.2f}"
    )


def prepare(
    tables: Tables, *, thread_id: str | None = None, bin_width: float = 0.2, name: str = NAME
) -> ChartData:
    """Distribution of VADER compound over article sentences and comment sentences.

    Sentences without a compound (non-English documents) are left out and counted in the caption.

    CSV columns: side, bin_low, bin_high, count, n, share.

    Raises:
        StageInputError: missing columns.
    """
    sentences = tables["sentences"]
    S.SENTENCES.check(sentences, stage="figures")
    rows, label = select_thread(sentences, thread_id, table="sentences", has_pooled=False)
    words = {
        "name": name,
        "source": f"{label}, sentences table",
        "method": f"VADER compound per sentence (Hutto and Gilbert 2014), bins of {bin_width:g}",
    }
    subtitle = "Share of each side's sentences by tone (VADER compound, -1 to +1)"
    what = "Bars show how article and comment sentences spread over the tone scale."
    compound = floats(rows[S.VADER_COMPOUND]) if not rows.empty else np.array([])
    scored = rows[~np.isnan(compound)] if len(rows) else rows
    unscored = len(rows) - len(scored)
    if scored.empty:
        return empty_data(
            reason="no sentence has a VADER score",
            subtitle=subtitle,
            what=what,
            columns=COLUMNS,
            **words,
        )
    # Bins centred on 0 (and on +-1), so neutral sentences (compound 0) sit in the middle bin.
    edges = np.round(np.arange(-1.0 - bin_width / 2, 1.0 + bin_width, bin_width), 10)
    data, stats = _histogram(scored, edges)
    counts, medians = stats["counts"], stats["medians"]
    title = _title(medians, stats["quartiles"])
    subtitle += "; dashed lines: medians " + ", ".join(
        f"{side} {medians[side]:+.2f}" for side in S.SIDES if not np.isnan(medians[side])
    )
    note = (
        f" {plural(unscored, 'sentence')} without a score (non-English) "
        f"{'is' if unscored == 1 else 'are'} left out."
        if unscored
        else ""
    )
    return ChartData(
        title=title,
        subtitle=subtitle,
        what=what + note,
        n=f"{plural(counts[S.SIDE_ARTICLE], 'article sentence')}, "
        f"{plural(counts[S.SIDE_COMMENTS], 'comment sentence')}",
        alt_text=(
            f"Histogram of sentence tone for article ({counts[S.SIDE_ARTICLE]}) and comment "
            f"({counts[S.SIDE_COMMENTS]}) sentences. {title}."
        ),
        data=data,
        plot={"edges": edges, "bin_width": bin_width, "counts": counts, "medians": medians},
        **words,
    )


def draw(ax, data: ChartData) -> None:
    """Side-by-side histogram bars per tone bin, dashed medians."""
    edges, bin_width = data.plot["edges"], data.plot["bin_width"]
    counts, medians = data.plot["counts"], data.plot["medians"]
    centres = (edges[:-1] + edges[1:]) / 2
    w = bin_width * 0.42
    for offset, side in ((-w / 2, S.SIDE_ARTICLE), (w / 2, S.SIDE_COMMENTS)):
        share = np.nan_to_num(floats(data.data.loc[data.data[S.SIDE] == side, "share"]))
        ax.bar(
            centres + offset,
            share,
            width=w,
            color=SIDE_COLOURS[side],
            label=f"{_SIDE_UNITS[side]} (n={counts[side]})",
        )
        if not np.isnan(medians[side]):
            ax.axvline(medians[side], color=SIDE_COLOURS[side], linestyle="--", linewidth=1)
    ax.set_xlim(edges[0] - 0.02, edges[-1] + 0.02)
    ax.set_xticks(np.round(np.linspace(-1, 1, 11), 1))
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", visible=True)
    ax.set_xlabel("VADER compound (bins centred on -1, -0.8, ..., 0, ..., +1)")
    ax.set_ylabel("Share of sentences")
    side_legend(ax)


CHART = register(NAME, tables=("sentences",), prepare=prepare, draw=draw)
