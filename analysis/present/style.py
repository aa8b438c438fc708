"""The shared look of every figure: the style sheet, the palette, the size, drawing helpers.

``discourse.mplstyle`` (beside this module) is applied on top of matplotlib's defaults inside
:func:`figure_style` only, so using the charts never changes a notebook's global style.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib as mpl
import matplotlib.style
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis import schema as S
from analysis.present.labels import floats, pretty_label, short

STYLE_PATH = Path(__file__).with_name("discourse.mplstyle")

#: Fixed output size: 6.4 x 4.0 inches at 100 dpi = 640 x 400 pixels.
FIG_SIZE = (6.4, 4.0)
DPI = 100

#: Okabe-Ito colours (colour-blind safe).
BLUE, VERMILLION, GREEN, PURPLE = "#0072B2", "#D55E00", "#009E73", "#CC79A7"
ORANGE, SKY, GREY = "#E69F00", "#56B4E9", "#999999"
SIDE_COLOURS = {S.SIDE_ARTICLE: BLUE, S.SIDE_COMMENTS: VERMILLION}
SIDE_NAMES = {S.SIDE_ARTICLE: "Article", S.SIDE_COMMENTS: "Comments"}
SENTIMENT_COLOURS = {"negative": PURPLE, "neutral": GREY, "positive": GREEN}


@contextmanager
def figure_style() -> Iterator[None]:
    """Apply matplotlib's defaults plus ``discourse.mplstyle`` inside a ``with`` block only.

    The caller's own rcParams are restored on exit, so importing or using this module never changes
    a notebook's global style.
    """
    with mpl.style.context(["default", str(STYLE_PATH)]):
        yield


def new_figure(size: tuple[float, float] = FIG_SIZE) -> Figure:
    """A figure of the fixed size with an Agg canvas (no pyplot state)."""
    fig = Figure(figsize=size, dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def xerr(values: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Non-negative error bar lengths; 0 where an interval is missing."""
    lower = np.nan_to_num(values - low, nan=0.0).clip(min=0)
    upper = np.nan_to_num(high - values, nan=0.0).clip(min=0)
    return np.vstack([lower, upper])


def side_legend(ax, *, ncol: int = 2) -> None:
    """The legend in one row above the plot, left-aligned."""
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=ncol,
        borderaxespad=0.2,
        handlelength=1.2,
        columnspacing=1.2,
    )


def paired_bars(ax, data: pd.DataFrame, key: str, order: list[str], *, with_ci: bool) -> None:
    """Horizontal article/comments bar pairs per category in ``order`` (top to bottom)."""
    y = np.arange(len(order))[::-1]
    h = 0.38
    for offset, side in ((h / 2, S.SIDE_ARTICLE), (-h / 2, S.SIDE_COMMENTS)):
        sub = data[data[S.SIDE] == side].set_index(key).reindex(order)
        share = floats(sub["share"])
        kwargs = {}
        if with_ci:
            kwargs = {
                "xerr": xerr(share, floats(sub["ci_low"]), floats(sub["ci_high"])),
                "error_kw": {"ecolor": "#333333", "elinewidth": 0.9},
            }
        n = sub["n"].dropna().max() if "n" in sub.columns else None
        lab = SIDE_NAMES[side] + (f" (n={int(n)})" if n is not None and pd.notna(n) else "")
        ax.barh(
            y + offset,
            np.nan_to_num(share),
            height=h,
            color=SIDE_COLOURS[side],
            label=lab,
            **kwargs,
        )
    ax.set_yticks(y, [short(pretty_label(k), 28) for k in order])
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
    ax.grid(axis="y", visible=False)
    side_legend(ax)
