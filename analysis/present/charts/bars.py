"""Bar layouts that several charts draw: tone shares by group, terms by z-score."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib as mpl
import matplotlib.ticker
import numpy as np
import pandas as pd

from analysis import schema as S
from analysis.present.charts.base import floats, short
from analysis.present.style import SENTIMENT_COLOURS, side_legend, xerr


def tone_groups(
    ax, t: pd.DataFrame, *, key: str, order: Sequence, ticks: Sequence[str], ylabel: str
) -> None:
    """Grouped vertical bars: one group per value of ``t[key]`` in ``order``, one bar per tone
    label (``share`` with ``ci_low``/``ci_high`` as error bars), shares on a 0-100% axis."""
    x = np.arange(len(order))
    w = 0.26
    for k, lab in enumerate(S.SENTIMENT_LABELS):
        sub = t[t["sentiment_label"] == lab].set_index(key).reindex(order)
        share = floats(sub["share"])
        ax.bar(
            x + (k - 1) * w,
            np.nan_to_num(share),
            width=w,
            color=SENTIMENT_COLOURS[lab],
            label=lab.capitalize(),
            yerr=xerr(share, floats(sub["ci_low"]), floats(sub["ci_high"])),
            error_kw={"ecolor": "#333333", "elinewidth": 0.9},
        )
    ax.set_xticks(x, list(ticks))
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
    ax.set_ylim(0, 1.0)
    ax.grid(axis="x", visible=False)
    ax.grid(axis="y", visible=True)
    ax.set_ylabel(ylabel)
    side_legend(ax, ncol=3)


def z_bars(
    ax,
    d: pd.DataFrame,
    colours: Sequence,
    *,
    thresholds: Sequence[float],
    xlabel: str,
    legend: Sequence[tuple[str, str]],
) -> None:
    """Horizontal bars of ``d["z_score"]`` labelled by ``d["term"]`` (first row on top), dashed
    lines at ``thresholds``, and a legend of ``(colour, label)`` pairs above the axes."""
    y = np.arange(len(d))[::-1]
    ax.barh(y, d["z_score"].to_numpy(dtype=float), color=list(colours), height=0.7)
    for v in thresholds:
        ax.axvline(v, color="#777777", linestyle="--", linewidth=0.8)
    ax.axvline(0, color="#444444", linewidth=0.8)
    ax.set_yticks(y, [short(term, 20) for term in d["term"]], fontsize=8)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel)
    ax.legend(
        handles=[mpl.patches.Patch(color=c, label=label) for c, label in legend],
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=len(legend),
        borderaxespad=0.2,
        handlelength=1.2,
    )
