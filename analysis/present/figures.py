"""The reference figures: one function per chart, one finishing function, one style sheet.

Every chart function takes the comparison tables (see :mod:`analysis.schema`) and keyword-only
options and returns a :class:`FigureResult` holding the matplotlib ``Figure`` (shown by notebooks),
the plotted numbers as a DataFrame, the title, caption and alt text, and, when ``out_dir`` is given,
the paths of the files written by :func:`finalise_plot`:

``<out_dir>/<name>.png`` and ``.svg`` (6.4 x 4.0 in at 100 dpi: 640 x 400 px), ``<name>.csv`` (the
plotted numbers, sorted, floats rounded to 6 decimals) and ``<name>.caption.md`` (what it shows, n,
method, source, alt text).

Titles state the finding in neutral words and are generated from the numbers plotted, never typed
by hand. Output is deterministic: the style fixes the SVG hash salt, no file carries a date or
software stamp, and rows are sorted before they are plotted or written.

Empty input: a chart with nothing to plot (an empty table, no rows for the thread, no scored
units) is still drawn, as a panel that says "Nothing to show" and why, and its CSV has the header
only. The set of files is therefore the same for every thread, and a report or a reader never
meets a silently missing figure; ``FigureResult.is_empty`` and ``.reason`` say what happened.

Figures are drawn on :class:`matplotlib.figure.Figure` objects, not through ``pyplot``, so no
global figure state is kept and no GUI backend is needed.
"""

from __future__ import annotations

import io
import json
import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib as mpl
import matplotlib.patches
import matplotlib.style
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis import schema as S
from analysis.config import VADER_NEGATIVE_THRESHOLD, VADER_POSITIVE_THRESHOLD
from analysis.errors import StageInputError

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
UNIT_NAMES = {
    "article_sentence": "Article sentences",
    "comment_sentence": "Comment sentences",
    "comment": "Comments",
}
#: |z| above which a term counts as distinctive (two-sided 5%).
Z_CRITICAL = 1.96

_TITLE_SIZE, _SUBTITLE_SIZE, _SOURCE_SIZE = 12.5, 9.5, 7.5
_TITLE_WRAP, _SUBTITLE_WRAP, _SOURCE_WRAP = 60, 84, 118
_MARGIN_IN = 0.12

# PNG: no "Software" chunk. SVG: no date, no generator comment.
_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None}


@contextmanager
def figure_style() -> Iterator[None]:
    """Apply matplotlib's defaults plus ``discourse.mplstyle`` inside a ``with`` block only.

    The caller's own rcParams are restored on exit, so importing or using this module never changes
    a notebook's global style.
    """
    with mpl.style.context(["default", str(STYLE_PATH)]):
        yield


# ---------------------------------------------------------------------------------------------
# The result object and the finishing function
# ---------------------------------------------------------------------------------------------


@dataclass
class FigureResult:
    """One finished chart.

    Attributes:
        name: file stem, e.g. ``"entity_salience"``.
        title: the finding, generated from the data.
        subtitle: what is plotted and on which units.
        source: data the numbers come from.
        method: how they were computed.
        caption: one paragraph: what it shows, n, method, source.
        alt_text: a text description of the chart for screen readers and the report.
        n: the sample size in words (e.g. ``"52 comment mentions"``).
        data: the plotted numbers (also written as ``<name>.csv``).
        figure: the matplotlib figure (notebooks display it).
        paths: ``{"png", "svg", "csv", "caption"}`` -> written file; empty when not saved.
        is_empty: nothing to plot; the figure says so.
        reason: why it is empty.
    """

    name: str
    title: str
    subtitle: str
    source: str
    method: str
    caption: str
    alt_text: str
    n: str
    data: pd.DataFrame
    figure: Figure
    paths: dict[str, Path] = field(default_factory=dict)
    is_empty: bool = False
    reason: str = ""

    def png_bytes(self) -> bytes:
        """The PNG exactly as written (rendered in memory when the figure was not saved)."""
        if "png" in self.paths and self.paths["png"].is_file():
            return self.paths["png"].read_bytes()
        buf = io.BytesIO()
        with figure_style():
            self.figure.savefig(buf, format="png", dpi=DPI, metadata=_PNG_METADATA)
        return buf.getvalue()

    def _repr_png_(self) -> bytes:  # Jupyter rich display
        return self.png_bytes()

    def manifest_entry(self) -> dict:
        """JSON-ready description used by ``manifest.json`` and the report."""
        return {
            "name": self.name,
            "title": self.title,
            "subtitle": self.subtitle,
            "caption": self.caption,
            "alt_text": self.alt_text,
            "n": self.n,
            "source": self.source,
            "method": self.method,
            "is_empty": self.is_empty,
            "reason": self.reason,
            "files": {k: p.name for k, p in sorted(self.paths.items())},
        }


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    lines = textwrap.wrap(text, width=width) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(0, width - 1)].rstrip() + "…"
    return lines


def _fitted_text(
    fig: Figure, x: float, y: float, text: str, width: int, max_px: float, **kwargs
) -> int:
    """Draw ``text`` left-aligned at ``(x, y)``, wrapped so that no line is wider than ``max_px``.

    The wrap width starts at ``width`` characters and shrinks until the rendered text fits
    (measured with the Agg renderer, so the result is the same on every run); two lines are
    allowed, three when two cannot fit, and a longer text is cut with an ellipsis.

    Returns:
        The number of lines drawn.
    """
    renderer = fig.canvas.get_renderer()
    artist = None
    for max_lines in (2, 3):
        for w in range(width, 20, -2):
            lines = textwrap.wrap(text, width=w) or [""]
            if len(lines) > max_lines:
                break
            artist = fig.text(x, y, "\n".join(lines), ha="left", **kwargs)
            if artist.get_window_extent(renderer).width <= max_px:
                return len(lines)
            artist.remove()
    lines = _wrap(text, max(20, width * 2 // 3), 3)
    fig.text(x, y, "\n".join(lines), ha="left", **kwargs)
    return len(lines)


def _line_height_in(size_pt: float) -> float:
    return size_pt * 1.3 / 72.0


def _round_floats(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(6)
    return out


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write ``df`` as CSV deterministically (no index, ``\\n`` line ends, floats to 6 decimals)."""
    _round_floats(df).to_csv(path, index=False, lineterminator="\n")
    return path


def caption_markdown(result: FigureResult) -> str:
    """The text of ``<name>.caption.md``."""
    lines = [
        f"# {result.title}",
        "",
        result.subtitle,
        "",
        result.caption,
        "",
        f"- n: {result.n}",
        f"- Method: {result.method}",
        f"- Source: {result.source}",
        f"- Data: {result.name}.csv",
        "",
        f"Alt text: {result.alt_text}",
        "",
    ]
    return "\n".join(lines)


def finalise_plot(
    fig: Figure,
    *,
    name: str,
    title: str,
    subtitle: str,
    source: str,
    method: str,
    what: str,
    n: str,
    alt_text: str,
    data: pd.DataFrame,
    out_dir: Path | None = None,
    is_empty: bool = False,
    reason: str = "",
) -> FigureResult:
    """Add title, subtitle and source line; lay out; save PNG, SVG, CSV and caption.

    The title and subtitle are left-aligned above the plot, the ``Source: ...; method: ...`` line
    below it. The figure keeps its fixed size (no tight bounding box), so every PNG is
    640 x 400 px.

    Args:
        fig: a figure drawn inside :func:`figure_style`.
        name: file stem.
        title: the finding.
        subtitle: what is plotted.
        source: the data.
        method: the method.
        what: first sentence(s) of the caption: what the chart shows.
        n: sample size in words.
        alt_text: text description of the chart.
        data: the plotted numbers.
        out_dir: folder to write to; ``None`` writes nothing.
        is_empty: the chart has nothing to show.
        reason: why.

    Returns:
        The :class:`FigureResult` (``paths`` filled when ``out_dir`` is given).
    """
    width_in, height_in = fig.get_size_inches()
    if not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    x = _MARGIN_IN / width_in
    max_px = (width_in - 2 * _MARGIN_IN) * fig.dpi

    y = height_in - _MARGIN_IN
    n_lines = _fitted_text(
        fig,
        x,
        y / height_in,
        title,
        _TITLE_WRAP,
        max_px,
        va="top",
        fontsize=_TITLE_SIZE,
        fontweight="bold",
        color="#111111",
        linespacing=1.15,
    )
    y -= n_lines * _line_height_in(_TITLE_SIZE) + 0.05
    n_lines = _fitted_text(
        fig,
        x,
        y / height_in,
        subtitle,
        _SUBTITLE_WRAP,
        max_px,
        va="top",
        fontsize=_SUBTITLE_SIZE,
        color="#444444",
        linespacing=1.15,
    )
    y -= n_lines * _line_height_in(_SUBTITLE_SIZE) + 0.08
    top = y / height_in

    n_lines = _fitted_text(
        fig,
        x,
        _MARGIN_IN / 2 / height_in,
        f"Source: {source}; method: {method}",
        _SOURCE_WRAP,
        max_px,
        va="bottom",
        fontsize=_SOURCE_SIZE,
        color="#666666",
        linespacing=1.1,
    )
    bottom = (_MARGIN_IN / 2 + n_lines * _line_height_in(_SOURCE_SIZE) + 0.06) / height_in

    if not is_empty and fig.axes:
        fig.tight_layout(rect=(0.005, bottom, 0.995, top), pad=0.3)

    caption = f"{what} n = {n}. Method: {method}. Source: {source}."
    if is_empty:
        caption = f"Nothing to show: {reason}. {caption}"
    result = FigureResult(
        name=name,
        title=title,
        subtitle=subtitle,
        source=source,
        method=method,
        caption=caption,
        alt_text=alt_text,
        n=n,
        data=data.reset_index(drop=True),
        figure=fig,
        is_empty=is_empty,
        reason=reason,
    )
    if out_dir is not None:
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = {
            "png": out_dir / f"{name}.png",
            "svg": out_dir / f"{name}.svg",
            "csv": out_dir / f"{name}.csv",
            "caption": out_dir / f"{name}.caption.md",
        }
        with figure_style():
            fig.savefig(paths["png"], format="png", dpi=DPI, metadata=_PNG_METADATA)
            fig.savefig(paths["svg"], format="svg", dpi=DPI, metadata=_SVG_METADATA)
        write_csv(result.data, paths["csv"])
        result.paths = paths
        paths["caption"].write_text(caption_markdown(result), encoding="utf-8", newline="\n")
    return result


def _new_figure() -> Figure:
    fig = Figure(figsize=FIG_SIZE, dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _empty_result(
    name: str,
    *,
    reason: str,
    subtitle: str,
    source: str,
    method: str,
    what: str,
    columns: list[str],
    out_dir: Path | None,
) -> FigureResult:
    """A figure that says there is nothing to show, with a header-only CSV."""
    with figure_style():
        fig = _new_figure()
        ax = fig.add_axes((0.05, 0.2, 0.9, 0.5))
        ax.set_axis_off()
        ax.text(
            0.0,
            0.5,
            "\n".join(_wrap(f"Nothing to show: {reason}.", 70, 4)),
            ha="left",
            va="center",
            fontsize=11,
            color="#444444",
            transform=ax.transAxes,
        )
        return finalise_plot(
            fig,
            name=name,
            title=f"Nothing to show: {reason}",
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            n="0",
            alt_text=f"Empty chart: nothing to show, {reason}.",
            data=pd.DataFrame({c: pd.Series([], dtype="object") for c in columns}),
            out_dir=out_dir,
            is_empty=True,
            reason=reason,
        )


# ---------------------------------------------------------------------------------------------
# Choosing rows
# ---------------------------------------------------------------------------------------------


def select_thread(
    df: pd.DataFrame, thread_id: str | None = None, *, table: str = "", has_pooled: bool = True
) -> tuple[pd.DataFrame, str]:
    """Rows of one thread, or the pooled rows.

    Args:
        df: a table with a ``thread_id`` column.
        thread_id: the thread; ``None`` picks the pooled rows when the table has them, else the
            only thread. ``schema.POOLED`` on a table without pooled rows (``has_pooled=False``:
            unit-level tables such as sentences or engagement) takes every row.
        table: table name, for messages.
        has_pooled: the table carries ``thread_id == POOLED`` rows when it spans several threads.

    Returns:
        ``(rows, label)`` where ``label`` names the thread(s) for the source line.

    Raises:
        StageInputError: several threads, no pooled rows and no ``thread_id`` (aggregate tables),
            or ``thread_id`` not in the table.
    """
    if S.THREAD_ID not in df.columns:
        raise StageInputError(f"table {table!r}: no {S.THREAD_ID!r} column")
    ids = sorted(str(t) for t in df[S.THREAD_ID].dropna().unique())
    if thread_id is None:
        if S.POOLED in ids:
            thread_id = S.POOLED
        elif len(ids) <= 1:
            return df.reset_index(drop=True), (f"thread {ids[0]}" if ids else "no thread")
        elif not has_pooled:
            thread_id = S.POOLED
        else:
            raise StageInputError(
                f"table {table!r}: {len(ids)} threads ({', '.join(ids[:5])}) and no pooled rows; "
                "pass thread_id= one of them"
            )
    if thread_id == S.POOLED:
        threads = [t for t in ids if t != S.POOLED]
        label = f"{len(threads)} threads pooled" if len(threads) != 1 else f"thread {threads[0]}"
        if S.POOLED in ids:
            return df[df[S.THREAD_ID] == S.POOLED].reset_index(drop=True), label
        return df.reset_index(drop=True), label
    if ids and thread_id not in ids:
        raise StageInputError(
            f"table {table!r}: no rows for thread {thread_id!r}; it has {ids[:5]}"
        )
    return df[df[S.THREAD_ID] == thread_id].reset_index(drop=True), f"thread {thread_id}"


def _f(series: pd.Series) -> np.ndarray:
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()


def _flag(series: pd.Series) -> pd.Series:
    return series.astype("boolean").fillna(False).astype(bool)


def _pct(x: float) -> str:
    return "n/a" if pd.isna(x) else f"{100 * x:.0f}%"


def _short(text: str, width: int = 28) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _xerr(values: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Non-negative error bar lengths; 0 where an interval is missing."""
    lower = np.nan_to_num(values - low, nan=0.0).clip(min=0)
    upper = np.nan_to_num(high - values, nan=0.0).clip(min=0)
    return np.vstack([lower, upper])


def _side_legend(ax, *, ncol: int = 2) -> None:
    ax.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=ncol,
        borderaxespad=0.2,
        handlelength=1.2,
        columnspacing=1.2,
    )


# ---------------------------------------------------------------------------------------------
# Entity salience (agenda)
# ---------------------------------------------------------------------------------------------


def agenda_title(data: pd.DataFrame) -> str:
    """The finding of the salience chart, from its plotted rows."""
    top_c = data.sort_values(["comment_mention_count", S.ENTITY_NAME], ascending=[False, True])
    top_a = data.sort_values(["article_mention_count", S.ENTITY_NAME], ascending=[False, True])
    c = top_c.iloc[0] if len(top_c) and top_c["comment_mention_count"].iloc[0] > 0 else None
    a = top_a.iloc[0] if len(top_a) and top_a["article_mention_count"].iloc[0] > 0 else None
    if c is None and a is None:
        return "No entity is mentioned on either side"
    if c is None:
        return f"The article mentions {a[S.ENTITY_NAME]} most; the comments name no entity"
    if a is None:
        return f"Commenters mention {c[S.ENTITY_NAME]} most; the article names no entity"
    only = data[(data["article_mention_count"] == 0) & (data["comment_mention_count"] > 0)]
    only = only.sort_values(["comment_mention_count", S.ENTITY_NAME], ascending=[False, True])
    if c[S.ENTITY_ID] == a[S.ENTITY_ID]:
        if not only.empty:
            o = only.iloc[0]
            return (
                f"{c[S.ENTITY_NAME]} leads mentions on both sides; commenters also name "
                f"{o[S.ENTITY_NAME]} {o['comment_mention_count']} times, the article never"
            )
        return f"{c[S.ENTITY_NAME]} is the most-mentioned entity in both the article and comments"
    if c["article_mention_count"] == 0:
        return (
            f"Commenters mention {c[S.ENTITY_NAME]} most; the article never does "
            f"(it mentions {a[S.ENTITY_NAME]} most)"
        )
    return (
        f"Commenters mention {c[S.ENTITY_NAME]} most; the article mentions {a[S.ENTITY_NAME]} most"
    )


def plot_entity_salience(
    agenda: pd.DataFrame,
    *,
    thread_id: str | None = None,
    top_n: int = 12,
    out_dir: Path | None = None,
    name: str = "entity_salience",
) -> FigureResult:
    """Share of entity mentions per entity, article vs comments (the agenda table).

    Entities are ranked by the larger of their two shares (ties by name); the ``top_n`` are shown.

    CSV columns: entity_id, entity_name, label, presence, side, mention_count, mention_share, rank.

    Raises:
        StageInputError: the table lacks agenda columns, or the thread cannot be chosen.
    """
    S.AGENDA.check(agenda, stage="figures")
    rows, label = select_thread(agenda, thread_id, table="agenda")
    source = f"{label}, agenda table"
    method = "spaCy NER mentions linked to canonical entities; share of each side's mentions"
    subtitle = "Share of each side's entity mentions that name the entity (top entities)"
    columns = [
        S.ENTITY_ID,
        S.ENTITY_NAME,
        S.LABEL,
        "presence",
        S.SIDE,
        "mention_count",
        "mention_share",
        "rank",
    ]
    what = (
        "Horizontal bars compare how much of the article's and the comments' entity mentions "
        "go to each entity."
    )
    if rows.empty:
        return _empty_result(
            name,
            reason="no entities in the agenda table",
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            columns=columns,
            out_dir=out_dir,
        )
    t = rows.copy()
    for col in ("article_mention_count", "comment_mention_count"):
        t[col] = t[col].fillna(0).astype("int64")
    for col in ("article_mention_share", "comment_mention_share"):
        t[col] = t[col].astype("float64").fillna(0.0)
    t["_max"] = t[["article_mention_share", "comment_mention_share"]].max(axis=1)
    t = t.sort_values(["_max", S.ENTITY_NAME], ascending=[False, True]).head(top_n)
    t = t.reset_index(drop=True)
    t["rank"] = np.arange(1, len(t) + 1)
    n_article = int(rows["article_mention_count"].fillna(0).sum())
    n_comments = int(rows["comment_mention_count"].fillna(0).sum())

    long = (
        pd.concat(
            [
                pd.DataFrame(
                    {
                        S.ENTITY_ID: t[S.ENTITY_ID],
                        S.ENTITY_NAME: t[S.ENTITY_NAME],
                        S.LABEL: t[S.LABEL],
                        "presence": t["presence"],
                        S.SIDE: side,
                        "mention_count": t[f"{prefix}_mention_count"],
                        "mention_share": t[f"{prefix}_mention_share"],
                        "rank": t["rank"],
                    }
                )
                for side, prefix in ((S.SIDE_ARTICLE, "article"), (S.SIDE_COMMENTS, "comment"))
            ],
            ignore_index=True,
        )
        .sort_values(["rank", S.SIDE], kind="stable")
        .reset_index(drop=True)
    )

    title = agenda_title(t)
    with figure_style():
        fig = _new_figure()
        ax = fig.add_subplot()
        y = np.arange(len(t))[::-1]
        h = 0.38
        for offset, side, prefix in (
            (h / 2, S.SIDE_ARTICLE, "article"),
            (-h / 2, S.SIDE_COMMENTS, "comment"),
        ):
            shares = t[f"{prefix}_mention_share"].to_numpy()
            ax.barh(
                y + offset,
                shares,
                height=h,
                color=SIDE_COLOURS[side],
                label=f"{SIDE_NAMES[side]} ({n_article if side == S.SIDE_ARTICLE else n_comments}"
                " mentions)",
            )
            for yi, share, count in zip(
                y + offset, shares, t[f"{prefix}_mention_count"], strict=True
            ):
                if count > 0:
                    ax.text(
                        share, yi, f" {count}", va="center", ha="left", fontsize=7, color="#444444"
                    )
        ax.set_yticks(y, [_short(n, 24) for n in t[S.ENTITY_NAME]])
        ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
        ax.set_xlim(0, max(0.05, float(t["_max"].max()) * 1.15))
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Share of the side's entity mentions (bar label: mentions)")
        _side_legend(ax)
        top_rows = "; ".join(
            f"{r[S.ENTITY_NAME]}: article {_pct(r['article_mention_share'])}, comments "
            f"{_pct(r['comment_mention_share'])}"
            for _, r in t.head(5).iterrows()
        )
        alt = (
            f"Bar chart of entity mention shares, article versus comments, for {len(t)} "
            f"entities. {title}. Top entities: {top_rows}."
        )
        return finalise_plot(
            fig,
            name=name,
            title=title,
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            n=f"{n_article} article mentions, {n_comments} comment mentions",
            alt_text=alt,
            data=long,
            out_dir=out_dir,
        )


# ---------------------------------------------------------------------------------------------
# Tone toward each actor
# ---------------------------------------------------------------------------------------------


def actor_tone_title(data: pd.DataFrame) -> str:
    """The finding of the actor-tone chart: lowest comparable comment tone, if any."""
    comparable = data[
        (data[S.SIDE] == S.SIDE_COMMENTS) & ~data["is_too_few"] & data["compound_mean"].notna()
    ]
    if comparable.empty:
        comparable = data[~data["is_too_few"] & data["compound_mean"].notna()]
        if comparable.empty:
            return "Too few sentences to compare the tone toward any actor"
    row = comparable.sort_values(["compound_mean", S.ENTITY_NAME]).iloc[0]
    who = "Comment" if row[S.SIDE] == S.SIDE_COMMENTS else "Article"
    return (
        f"{who} sentences mentioning {row[S.ENTITY_NAME]} have the lowest mean tone "
        f"({row['compound_mean']:+.2f} VADER compound)"
    )


def plot_actor_tone(
    actor_tone: pd.DataFrame,
    *,
    thread_id: str | None = None,
    top_n: int = 8,
    out_dir: Path | None = None,
    name: str = "actor_tone",
) -> FigureResult:
    """Mean VADER compound of the sentences mentioning each actor, per side, with 95% intervals.

    Rows flagged ``is_too_few`` are shown as the words "too few to say" with their sentence count,
    never as a point, so they cannot be compared by eye. An actor a side never mentions is marked
    "not mentioned".

    CSV columns: entity_id, entity_name, side, mention_count, sentence_count, compound_mean,
    ci_low, ci_high, is_too_few, rank.

    Raises:
        StageInputError: missing columns, or the thread cannot be chosen.
    """
    S.ACTOR_TONE.check(actor_tone, stage="figures")
    rows, label = select_thread(actor_tone, thread_id, table="actor_tone")
    source = f"{label}, actor_tone table"
    method = (
        "VADER compound of the sentences mentioning the actor; seeded percentile bootstrap "
        "95% interval"
    )
    subtitle = (
        "Mean tone (VADER compound, -1 to +1) of sentences mentioning each actor; bars: 95% "
        "intervals"
    )
    columns = [
        S.ENTITY_ID,
        S.ENTITY_NAME,
        S.SIDE,
        "mention_count",
        "sentence_count",
        "compound_mean",
        "ci_low",
        "ci_high",
        "is_too_few",
        "rank",
    ]
    what = (
        "Points show the mean tone of sentences mentioning each actor, for the article and "
        "comments."
    )
    if rows.empty:
        return _empty_result(
            name,
            reason="no actor mentions to score",
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            columns=columns,
            out_dir=out_dir,
        )
    t = rows.copy()
    t["is_too_few"] = _flag(t["is_too_few"])
    t["mention_count"] = t["mention_count"].fillna(0).astype("int64")
    t["sentence_count"] = t["sentence_count"].fillna(0).astype("int64")
    totals = (
        t.groupby([S.ENTITY_ID, S.ENTITY_NAME], as_index=False)["mention_count"]
        .sum()
        .sort_values(["mention_count", S.ENTITY_NAME], ascending=[False, True])
        .head(top_n)
        .reset_index(drop=True)
    )
    totals["rank"] = np.arange(1, len(totals) + 1)
    t = t.merge(totals[[S.ENTITY_ID, "rank"]], on=S.ENTITY_ID, how="inner")
    t = t.sort_values(["rank", S.SIDE]).reset_index(drop=True)[columns]
    title = actor_tone_title(t)
    n_sent = {s: int(t.loc[t[S.SIDE] == s, "sentence_count"].sum()) for s in S.SIDES}
    too_few = int((t["is_too_few"] & (t["mention_count"] > 0)).sum())

    with figure_style():
        fig = _new_figure()
        ax = fig.add_subplot()
        ax.axvspan(VADER_NEGATIVE_THRESHOLD, VADER_POSITIVE_THRESHOLD, color="#eeeeee", zorder=0)
        ax.axvline(0, color="#888888", linewidth=0.8, zorder=1)
        y_of = {eid: len(totals) - 1 - i for i, eid in enumerate(totals[S.ENTITY_ID])}
        notes: dict[str, dict[str, tuple[str, str, float]]] = {}
        for offset, side in ((0.18, S.SIDE_ARTICLE), (-0.18, S.SIDE_COMMENTS)):
            colour = SIDE_COLOURS[side]
            sub = t[t[S.SIDE] == side]
            ok = sub[~sub["is_too_few"] & sub["compound_mean"].notna() & (sub["mention_count"] > 0)]
            ys = np.array([y_of[e] for e in ok[S.ENTITY_ID]], dtype=float) + offset
            means = _f(ok["compound_mean"])
            ax.errorbar(
                means,
                ys,
                xerr=_xerr(means, _f(ok["ci_low"]), _f(ok["ci_high"])),
                fmt="o",
                color=colour,
                markersize=5,
                elinewidth=1.2,
                label=SIDE_NAMES[side],
                zorder=3,
            )
            present = sub[sub["mention_count"] > 0]
            few = present[present["is_too_few"] | present["compound_mean"].isna()]
            for _, r in few.iterrows():
                notes.setdefault(r[S.ENTITY_ID], {})[side] = (
                    f"too few to say (n={r['sentence_count']})",
                    colour,
                    offset,
                )
            for eid in totals[S.ENTITY_ID]:
                if eid not in set(present[S.ENTITY_ID]):
                    notes.setdefault(eid, {})[side] = ("not mentioned", "#777777", offset)
        for eid, by_side in notes.items():
            # Both sides noted: one line at the row centre, so the two never overlap.
            if len(by_side) == 2:
                a_note, c_note = by_side[S.SIDE_ARTICLE], by_side[S.SIDE_COMMENTS]
                placed = [(f"article: {a_note[0]}; comments: {c_note[0]}", "#555555", 0.0)]
            else:
                ((side, (note, note_colour, offset)),) = by_side.items()
                placed = [(f"{SIDE_NAMES[side].lower()}: {note}", note_colour, offset)]
            for text, note_colour, offset in placed:
                ax.text(
                    0.985,
                    y_of[eid] + offset,
                    text,
                    va="center",
                    ha="right",
                    fontsize=7,
                    color=note_colour,
                    style="italic",
                    zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.4},
                )
        ax.set_yticks(
            [y_of[e] for e in totals[S.ENTITY_ID]], [_short(n, 24) for n in totals[S.ENTITY_NAME]]
        )
        ax.set_ylim(-0.6, len(totals) - 0.4)
        ax.set_xlim(-1.0, 1.0)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Mean VADER compound (grey band: neutral, -0.05 to +0.05)")
        _side_legend(ax)
        comparable = t[~t["is_too_few"] & t["compound_mean"].notna()]
        values = "; ".join(
            f"{r[S.ENTITY_NAME]} ({r[S.SIDE]}): {r['compound_mean']:+.2f} "
            f"[{r['ci_low']:+.2f}, {r['ci_high']:+.2f}], {r['sentence_count']} sentences"
            for _, r in comparable.head(8).iterrows()
        )
        alt = (
            f"Dot plot with interval bars of mean tone toward {len(totals)} actors, article "
            f"versus comments. {title}. {too_few} actor-side rows have too few sentences and "
            f"are not plotted. Values: {values or 'none comparable'}."
        )
        return finalise_plot(
            fig,
            name=name,
            title=title,
            subtitle=subtitle,
            source=source,
            method=method,
            what=what + f" {too_few} rows with too few sentences are labelled, not plotted.",
            n=f"{n_sent[S.SIDE_ARTICLE]} article sentences, {n_sent[S.SIDE_COMMENTS]} comment "
            "sentences around actor mentions",
            alt_text=alt,
            data=t,
            out_dir=out_dir,
        )


# ---------------------------------------------------------------------------------------------
# Sentiment: label shares and compound distributions
# ---------------------------------------------------------------------------------------------


def tone_shares_title(data: pd.DataFrame) -> str:
    """The finding of the sentiment-share chart."""
    neg = data[data["sentiment_label"] == "negative"].set_index("unit")["share"]
    comments = neg.get("comment", np.nan)
    article = neg.get("article_sentence", np.nan)
    if pd.notna(comments) and pd.notna(article):
        return (
            f"VADER labels {_pct(comments)} of comments negative, against {_pct(article)} "
            "of article sentences"
        )
    if pd.notna(comments):
        return f"VADER labels {_pct(comments)} of comments negative"
    if pd.notna(article):
        return f"VADER labels {_pct(article)} of article sentences negative"
    return "No unit could be scored for tone"


def plot_tone_shares(
    tone_shares: pd.DataFrame,
    *,
    thread_id: str | None = None,
    out_dir: Path | None = None,
    name: str = "tone_shares",
) -> FigureResult:
    """Negative / neutral / positive shares of article sentences, comment sentences and comments.

    CSV columns: unit, sentiment_label, count, n, share, ci_low, ci_high.

    Raises:
        StageInputError: missing columns, or the thread cannot be chosen.
    """
    S.TONE_SHARES.check(tone_shares, stage="figures")
    rows, label = select_thread(tone_shares, thread_id, table="tone_shares")
    source = f"{label}, tone_shares table"
    method = "VADER compound labelled at +-0.05; seeded bootstrap 95% intervals"
    subtitle = "Share of units VADER labels negative, neutral or positive; bars: 95% intervals"
    columns = ["unit", "sentiment_label", "count", "n", "share", "ci_low", "ci_high"]
    what = "Grouped bars show the share of each tone label among article sentences and comments."
    t = rows[rows["n"].fillna(0) > 0] if not rows.empty else rows
    if t.empty:
        return _empty_result(
            name,
            reason="no scored sentences or comments",
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            columns=columns,
            out_dir=out_dir,
        )
    unit_order = [u for u in UNIT_NAMES if u in set(t["unit"])]
    unit_order += sorted(set(t["unit"]) - set(unit_order))
    t = (
        t.assign(
            _u=t["unit"].map({u: i for i, u in enumerate(unit_order)}),
            _l=t["sentiment_label"].map({lab: i for i, lab in enumerate(S.SENTIMENT_LABELS)}),
        )
        .sort_values(["_u", "_l"])
        .reset_index(drop=True)[columns]
    )
    title = tone_shares_title(t)
    n_by_unit = t.groupby("unit", sort=False)["n"].max()

    with figure_style():
        fig = _new_figure()
        ax = fig.add_subplot()
        x = np.arange(len(unit_order))
        w = 0.26
        for k, lab in enumerate(S.SENTIMENT_LABELS):
            sub = t[t["sentiment_label"] == lab].set_index("unit").reindex(unit_order)
            share = _f(sub["share"])
            ax.bar(
                x + (k - 1) * w,
                np.nan_to_num(share),
                width=w,
                color=SENTIMENT_COLOURS[lab],
                label=lab.capitalize(),
                yerr=_xerr(share, _f(sub["ci_low"]), _f(sub["ci_high"])),
                error_kw={"ecolor": "#333333", "elinewidth": 0.9},
            )
        ax.set_xticks(x, [f"{UNIT_NAMES.get(u, u)}\n(n={int(n_by_unit[u])})" for u in unit_order])
        ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
        ax.set_ylim(0, 1.0)
        ax.grid(axis="x", visible=False)
        ax.grid(axis="y", visible=True)
        ax.set_ylabel("Share of units")
        _side_legend(ax, ncol=3)
        values = "; ".join(
            f"{UNIT_NAMES.get(u, u)}: "
            + ", ".join(
                f"{r['sentiment_label']} {_pct(r['share'])}"
                for _, r in t[t["unit"] == u].iterrows()
            )
            for u in unit_order
        )
        alt = f"Grouped bar chart of tone label shares. {title}. {values}."
        n_text = ", ".join(
            f"{int(n_by_unit[u])} {UNIT_NAMES.get(u, u).lower()}" for u in unit_order
        )
        return finalise_plot(
            fig,
            name=name,
            title=title,
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            n=n_text,
            alt_text=alt,
            data=t,
            out_dir=out_dir,
        )


def plot_sentence_tone(
    sentences: pd.DataFrame,
    *,
    thread_id: str | None = None,
    bin_width: float = 0.2,
    out_dir: Path | None = None,
    name: str = "sentence_tone",
) -> FigureResult:
    """Distribution of VADER compound over article sentences and comment sentences.

    Sentences without a compound (non-English documents) are left out and counted in the caption.

    CSV columns: side, bin_low, bin_high, count, n, share.

    Raises:
        StageInputError: missing columns.
    """
    S.SENTENCES.check(sentences, stage="figures")
    rows, label = select_thread(sentences, thread_id, table="sentences", has_pooled=False)
    source = f"{label}, sentences table"
    method = f"VADER compound per sentence (Hutto and Gilbert 2014), bins of {bin_width:g}"
    subtitle = "Share of each side's sentences by tone (VADER compound, -1 to +1)"
    columns = [S.SIDE, "bin_low", "bin_high", "count", "n", "share"]
    what = "Bars show how article and comment sentences spread over the tone scale."
    compound = _f(rows["vader_compound"]) if not rows.empty else np.array([])
    scored = rows[~np.isnan(compound)] if len(rows) else rows
    unscored = len(rows) - len(scored)
    if scored.empty:
        return _empty_result(
            name,
            reason="no sentence has a VADER score",
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            columns=columns,
            out_dir=out_dir,
        )
    # Bins centred on 0 (and on +-1), so neutral sentences (compound 0) sit in the middle bin.
    edges = np.round(np.arange(-1.0 - bin_width / 2, 1.0 + bin_width, bin_width), 10)
    out, medians, counts, quartiles = [], {}, {}, {}
    for side, kind in ((S.SIDE_ARTICLE, S.ARTICLE), (S.SIDE_COMMENTS, S.COMMENT)):
        values = _f(scored.loc[scored[S.DOC_KIND] == kind, "vader_compound"])
        hist, _ = np.histogram(values, bins=edges)
        n = int(values.size)
        counts[side] = n
        medians[side] = float(np.median(values)) if n else float("nan")
        quartiles[side] = tuple(np.quantile(values, [0.25, 0.75])) if n else (np.nan, np.nan)
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
    data = pd.DataFrame(out, columns=columns)
    (cq1, cq3), (aq1, aq3) = quartiles[S.SIDE_COMMENTS], quartiles[S.SIDE_ARTICLE]
    if np.isnan(medians[S.SIDE_ARTICLE]):
        title = f"The middle half of comment sentences scores {cq1:+.2f} to {cq3:+.2f} in tone"
    elif np.isnan(medians[S.SIDE_COMMENTS]):
        title = f"The middle half of article sentences scores {aq1:+.2f} to {aq3:+.2f} in tone"
    else:
        title = (
            f"The middle half of comment sentences scores {cq1:+.2f} to {cq3:+.2f} in tone; "
            f"of article sentences, {aq1:+.2f} to {aq3:+.2f}"
        )
    subtitle += "; dashed lines: medians " + ", ".join(
        f"{side} {medians[side]:+.2f}" for side in S.SIDES if not np.isnan(medians[side])
    )

    with figure_style():
        fig = _new_figure()
        ax = fig.add_subplot()
        centres = (edges[:-1] + edges[1:]) / 2
        w = bin_width * 0.42
        kinds = {S.SIDE_ARTICLE: S.ARTICLE, S.SIDE_COMMENTS: S.COMMENT}
        for offset, side in ((-w / 2, S.SIDE_ARTICLE), (w / 2, S.SIDE_COMMENTS)):
            share = np.nan_to_num(_f(data.loc[data[S.SIDE] == side, "share"]))
            ax.bar(
                centres + offset,
                share,
                width=w,
                color=SIDE_COLOURS[side],
                label=f"{UNIT_NAMES[f'{kinds[side]}_sentence']} (n={counts[side]})",
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
        _side_legend(ax)
        alt = (
            f"Histogram of sentence tone for article ({counts[S.SIDE_ARTICLE]}) and comment "
            f"({counts[S.SIDE_COMMENTS]}) sentences. {title}."
        )
        note = (
            f" {unscored} sentences without a score (non-English) are left out." if unscored else ""
        )
        return finalise_plot(
            fig,
            name=name,
            title=title,
            subtitle=subtitle,
            source=source,
            method=method,
            what=what + note,
            n=f"{counts[S.SIDE_ARTICLE]} article sentences, {counts[S.SIDE_COMMENTS]} comment "
            "sentences",
            alt_text=alt,
            data=data,
            out_dir=out_dir,
        )


# ---------------------------------------------------------------------------------------------
# Distinctive terms
# ---------------------------------------------------------------------------------------------


def plot_distinctive_terms(
    keyness: pd.DataFrame,
    *,
    thread_id: str | None = None,
    top_n: int = 7,
    out_dir: Path | None = None,
    name: str = "distinctive_terms",
) -> FigureResult:
    """The ``top_n`` terms with the highest and the lowest z-scores (comments vs article).

    Bars of terms with |z| below 1.96 are grey: not distinctive at the 5% level.

    CSV columns: term, side, z_score, log_odds_ratio, article_count, comment_count,
    is_distinctive.

    Raises:
        StageInputError: missing columns, or the thread cannot be chosen.
    """
    S.KEYNESS.check(keyness, stage="figures")
    rows, label = select_thread(keyness, thread_id, table="keyness")
    source = f"{label}, keyness table"
    method = (
        "weighted log-odds with informative Dirichlet prior (Monroe, Colaresi and Quinn "
        "2008), z-scores"
    )
    subtitle = (
        "Terms by z-score of the log-odds ratio: right, typical of comments; left, of the article"
    )
    columns = [
        "term",
        S.SIDE,
        "z_score",
        "log_odds_ratio",
        "article_count",
        "comment_count",
        "is_distinctive",
    ]
    what = "Bars show the terms most typical of each side; dashed lines mark |z| = 1.96."
    t = rows[rows["z_score"].notna()] if not rows.empty else rows
    if t.empty:
        return _empty_result(
            name,
            reason="no terms were scored",
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            columns=columns,
            out_dir=out_dir,
        )
    t = t.assign(z_score=_f(t["z_score"]))
    pos = t[t["z_score"] > 0].sort_values(["z_score", "term"], ascending=[False, True]).head(top_n)
    neg = t[t["z_score"] < 0].sort_values(["z_score", "term"], ascending=[True, True]).head(top_n)
    data = pd.concat([pos, neg.iloc[::-1]], ignore_index=True)
    data["is_distinctive"] = data["z_score"].abs() >= Z_CRITICAL
    data = data[columns].reset_index(drop=True)
    n_c = int((t["z_score"] >= Z_CRITICAL).sum())
    n_a = int((t["z_score"] <= -Z_CRITICAL).sum())
    if n_c == 0 and n_a == 0:
        title = "No term is distinctive of either side at |z| ≥ 1.96"
    else:

        def terms(n: int) -> str:
            return "no term" if n == 0 else ("1 term" if n == 1 else f"{n} terms")

        title = (
            f"At |z| ≥ 1.96, {terms(n_c)} {'is' if n_c < 2 else 'are'} distinctive of the "
            f"comments and {terms(n_a)} of the article"
        )
    a_total = int(rows["article_count"].fillna(0).sum())
    c_total = int(rows["comment_count"].fillna(0).sum())

    with figure_style():
        fig = _new_figure()
        ax = fig.add_subplot()
        y = np.arange(len(data))[::-1]
        colours = [
            (SIDE_COLOURS[S.SIDE_COMMENTS] if z > 0 else SIDE_COLOURS[S.SIDE_ARTICLE])
            if d
            else "#bbbbbb"
            for z, d in zip(data["z_score"], data["is_distinctive"], strict=True)
        ]
        ax.barh(y, data["z_score"].to_numpy(), color=colours, height=0.7)
        for v in (-Z_CRITICAL, Z_CRITICAL):
            ax.axvline(v, color="#777777", linestyle="--", linewidth=0.8)
        ax.axvline(0, color="#444444", linewidth=0.8)
        ax.set_yticks(y, [_short(term, 20) for term in data["term"]], fontsize=8)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("z-score (comments minus article)")
        handles = [
            mpl.patches.Patch(color=SIDE_COLOURS[S.SIDE_COMMENTS], label="Comments"),
            mpl.patches.Patch(color=SIDE_COLOURS[S.SIDE_ARTICLE], label="Article"),
            mpl.patches.Patch(color="#bbbbbb", label="Not distinctive"),
        ]
        ax.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0.0, 1.0),
            ncol=3,
            borderaxespad=0.2,
            handlelength=1.2,
        )
        alt = (
            f"Diverging bar chart of the {len(pos)} terms most typical of the comments and the "
            f"{len(neg)} most typical of the article. {title}. Comment side: "
            + ", ".join(f"{r.term} (z={r.z_score:.1f})" for r in pos.itertuples())
            + ". Article side: "
            + ", ".join(f"{r.term} (z={r.z_score:.1f})" for r in neg.itertuples())
            + "."
        )
        return finalise_plot(
            fig,
            name=name,
            title=title,
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            n=f"{len(t)} terms; {a_total} article and {c_total} comment term tokens",
            alt_text=alt,
            data=data,
            out_dir=out_dir,
        )


# ---------------------------------------------------------------------------------------------
# Frames and topics by side
# ---------------------------------------------------------------------------------------------


#: Catch-all categories: plotted, but never named as a side's leading frame or topic.
RESIDUAL_LABELS = frozenset({"other", "none", "(no topic)", "no topic", "(none)"})


def pretty_label(label: object) -> str:
    """``security_and_defense`` -> ``Security and defense`` (frame and topic ids for display)."""
    text = " ".join(str(label).replace("_", " ").split())
    return text[:1].upper() + text[1:]


def _by_side_title(data: pd.DataFrame, key: str, what: str) -> str:
    """Each side's leading category (largest share, residual categories left out)."""
    leads = {}
    for side in S.SIDES:
        sub = data[
            (data[S.SIDE] == side)
            & (data["share"] > 0)
            & ~data[key].astype(str).str.lower().isin(RESIDUAL_LABELS)
        ]
        if not sub.empty:
            leads[side] = sub.sort_values(["share", key], ascending=[False, True]).iloc[0]
    c, a = leads.get(S.SIDE_COMMENTS), leads.get(S.SIDE_ARTICLE)
    if c is None and a is None:
        return f"No {what} found on either side"
    if c is None:
        return (
            f"The article's leading {what} is {pretty_label(a[key]).lower()} "
            f"({_pct(a['share'])}); the comments show none"
        )
    if a is None:
        return (
            f"The comments' leading {what} is {pretty_label(c[key]).lower()} "
            f"({_pct(c['share'])}); the article shows none"
        )
    if c[key] == a[key]:
        return (
            f"{pretty_label(c[key])} is the leading {what} on both sides: article "
            f"{_pct(a['share'])}, comments {_pct(c['share'])}"
        )
    return (
        f"The comments' leading {what} is {pretty_label(c[key]).lower()} ({_pct(c['share'])}); "
        f"the article's is {pretty_label(a[key]).lower()} ({_pct(a['share'])})"
    )


def _paired_bars(ax, data: pd.DataFrame, key: str, order: list[str], *, with_ci: bool) -> None:
    y = np.arange(len(order))[::-1]
    h = 0.38
    for offset, side in ((h / 2, S.SIDE_ARTICLE), (-h / 2, S.SIDE_COMMENTS)):
        sub = data[data[S.SIDE] == side].set_index(key).reindex(order)
        share = _f(sub["share"])
        kwargs = {}
        if with_ci:
            kwargs = {
                "xerr": _xerr(share, _f(sub["ci_low"]), _f(sub["ci_high"])),
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
    ax.set_yticks(y, [_short(pretty_label(k), 28) for k in order])
    ax.xaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
    ax.grid(axis="y", visible=False)
    _side_legend(ax)


def plot_frame_shares(
    frame_shares: pd.DataFrame,
    *,
    thread_id: str | None = None,
    top_n: int = 8,
    out_dir: Path | None = None,
    name: str = "frame_shares",
) -> FigureResult:
    """Share of article sentences and of comments with a lexicon hit per frame, with intervals.

    The ``top_n`` frames by their larger share are shown (frames no unit uses are left out; the
    caption says how many frames there are in all).

    CSV columns: frame, side, unit_count, n, share, ci_low, ci_high.

    Raises:
        StageInputError: missing columns, or the thread cannot be chosen.
    """
    S.FRAME_SHARES.check(frame_shares, stage="figures")
    rows, label = select_thread(frame_shares, thread_id, table="frame_shares")
    source = f"{label}, frame_shares table"
    method = (
        "dictionary of Policy Frames Codebook dimensions (Boydstun et al. 2014); seeded "
        "bootstrap 95% intervals"
    )
    subtitle = "Share of article sentences and of comments using each frame; bars: 95% intervals"
    columns = ["frame", S.SIDE, "unit_count", "n", "share", "ci_low", "ci_high"]
    what = "Paired bars compare how often the article and the comments use each frame."
    if rows.empty:
        return _empty_result(
            name,
            reason="no frame scores",
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            columns=columns,
            out_dir=out_dir,
        )
    t = rows.assign(share=_f(rows["share"]).copy())
    order_df = (
        t.groupby("frame", as_index=False)["share"]
        .max()
        .sort_values(["share", "frame"], ascending=[False, True])
    )
    title = _by_side_title(t, "frame", "frame")
    n_frames = len(order_df)
    order = list(order_df.loc[order_df["share"] > 0, "frame"])[:top_n]
    t = t[t["frame"].isin(order)]
    t = t.assign(_o=t["frame"].map({f: i for i, f in enumerate(order)}))
    t = t.sort_values(["_o", S.SIDE]).reset_index(drop=True)[columns]
    what += f" Shown: the {len(order)} most used of {n_frames} frames."
    if not order:
        return _empty_result(
            name,
            reason="no unit uses any frame",
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            columns=columns,
            out_dir=out_dir,
        )
    n = {s: t.loc[t[S.SIDE] == s, "n"].dropna().max() for s in S.SIDES}
    n_text = (
        f"{int(n[S.SIDE_ARTICLE]) if pd.notna(n[S.SIDE_ARTICLE]) else 0} article sentences, "
        f"{int(n[S.SIDE_COMMENTS]) if pd.notna(n[S.SIDE_COMMENTS]) else 0} comments"
    )
    with figure_style():
        fig = _new_figure()
        ax = fig.add_subplot()
        _paired_bars(ax, t, "frame", order, with_ci=True)
        ax.set_xlabel("Share of units with a frame term (a unit can use several frames)")
        alt = (
            f"Paired bar chart of frame shares for {len(order)} frames. {title}. "
            + "; ".join(
                f"{pretty_label(f)}: article "
                f"{_pct(t[(t.frame == f) & (t[S.SIDE] == 'article')]['share'].max())}"
                f", comments {_pct(t[(t.frame == f) & (t[S.SIDE] == 'comments')]['share'].max())}"
                for f in order[:6]
            )
            + "."
        )
        return finalise_plot(
            fig,
            name=name,
            title=title,
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            n=n_text,
            alt_text=alt,
            data=t,
            out_dir=out_dir,
        )


def plot_topic_shares(
    topic_shares: pd.DataFrame,
    *,
    thread_id: str | None = None,
    method: str | None = None,
    top_n: int = 9,
    out_dir: Path | None = None,
    name: str = "topic_shares",
) -> FigureResult:
    """Share of each side's topic weight per topic (lexicon topics by default).

    Args:
        method: ``"lexicon"`` or ``"nmf"``; ``None`` takes lexicon when present.
        top_n: topics shown, by their larger share (the caption gives the total).

    CSV columns: method, topic_id, topic_label, side, unit_count, share, is_comment_led,
    is_exploratory.

    Raises:
        StageInputError: missing columns, or the thread cannot be chosen.
    """
    S.TOPIC_SHARES.check(topic_shares, stage="figures")
    rows, label = select_thread(topic_shares, thread_id, table="topic_shares")
    methods = sorted(set(rows["method"].dropna())) if not rows.empty else []
    if method is None:
        method = "lexicon" if "lexicon" in methods or not methods else methods[0]
    rows = rows[rows["method"] == method] if not rows.empty else rows
    source = f"{label}, topic_shares table"
    desc = (
        "guided topic lexicon"
        if method == "lexicon"
        else "NMF on TF-IDF of lemmas (exploratory on small threads)"
    )
    mtext = f"{desc}; main topic per article sentence or comment"
    subtitle = f"Share of each side's units by main topic ({method} topics)"
    columns = [
        "method",
        "topic_id",
        "topic_label",
        S.SIDE,
        "unit_count",
        "share",
        "is_comment_led",
        "is_exploratory",
    ]
    what = "Paired bars compare the topics of the article's sentences and of the comments."
    if rows.empty:
        return _empty_result(
            name,
            reason=f"no {method} topic shares",
            subtitle=subtitle,
            source=source,
            method=mtext,
            what=what,
            columns=columns,
            out_dir=out_dir,
        )
    t = rows.assign(
        share=_f(rows["share"]),
        is_comment_led=_flag(rows["is_comment_led"]),
        is_exploratory=_flag(rows["is_exploratory"]),
    )
    order_df = (
        t.groupby("topic_label", as_index=False)["share"]
        .max()
        .sort_values(["share", "topic_label"], ascending=[False, True])
    )
    order = list(order_df["topic_label"])[:top_n]
    what += f" Shown: {len(order)} of {len(order_df)} topics, by their larger share."
    t = t[t["topic_label"].isin(order)]
    t = t.assign(_o=t["topic_label"].map({f: i for i, f in enumerate(order)}))
    t = t.sort_values(["_o", S.SIDE]).reset_index(drop=True)[columns]
    title = _by_side_title(t, "topic_label", "topic")
    if bool(t["is_exploratory"].any()):
        subtitle += "; exploratory on a thread this small"
    units = {s: int(t.loc[t[S.SIDE] == s, "unit_count"].fillna(0).sum()) for s in S.SIDES}
    with figure_style():
        fig = _new_figure()
        ax = fig.add_subplot()
        _paired_bars(ax, t.assign(n=pd.NA), "topic_label", order, with_ci=False)
        ax.set_xlabel("Share of the side's topic weight")
        alt = f"Paired bar chart of topic shares for {len(order)} topics. {title}."
        return finalise_plot(
            fig,
            name=name,
            title=title,
            subtitle=subtitle,
            source=source,
            method=mtext,
            what=what,
            n=f"{units[S.SIDE_ARTICLE]} article units, {units[S.SIDE_COMMENTS]} "
            "comment units with a main topic",
            alt_text=alt,
            data=t,
            out_dir=out_dir,
        )


# ---------------------------------------------------------------------------------------------
# Comment-to-paragraph engagement
# ---------------------------------------------------------------------------------------------

_PARA_INDEX = re.compile(r"/p(\d+)$")


def _para_index(pid: str) -> int:
    m = _PARA_INDEX.search(str(pid))
    return int(m.group(1)) if m else 10**6


def plot_engagement(
    engagement: pd.DataFrame,
    *,
    paragraphs: pd.DataFrame | None = None,
    thread_id: str | None = None,
    out_dir: Path | None = None,
    name: str = "engagement",
) -> FigureResult:
    """Comments per article paragraph they engage most, plus the off-article comments.

    Args:
        paragraphs: the paragraphs table; when given, every article paragraph is shown (with 0
            comments if none engages it) and labelled with its first words.

    CSV columns: paragraph_id, paragraph_index, label, comment_count, share, is_off_article.
    The off-article row has an empty paragraph_id.

    Raises:
        StageInputError: missing columns.
    """
    S.ENGAGEMENT.check(engagement, stage="figures")
    rows, label = select_thread(engagement, thread_id, table="engagement", has_pooled=False)
    source = f"{label}, engagement table"
    method = (
        "entity overlap (Jaccard) and TF-IDF lemma similarity to each paragraph; below the "
        "threshold a comment counts as off-article"
    )
    subtitle = "Annotated comments by the article paragraph they relate to most"
    columns = [
        S.PARAGRAPH_ID,
        "paragraph_index",
        "label",
        "comment_count",
        "share",
        "is_off_article",
    ]
    what = "Bars count comments per article paragraph; the last bar counts off-article comments."
    if rows.empty:
        return _empty_result(
            name,
            reason="no annotated comments",
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            columns=columns,
            out_dir=out_dir,
        )
    off = _flag(rows["is_off_article"]) | rows[S.PARAGRAPH_ID].isna()
    n = len(rows)
    counts = rows.loc[~off, S.PARAGRAPH_ID].astype(str).value_counts()
    pids = set(counts.index)
    texts: dict[str, str] = {}
    if paragraphs is not None and not paragraphs.empty:
        sel = paragraphs[paragraphs[S.DOC_ID].astype(str).str.endswith("/article")]
        if thread_id not in (None, S.POOLED):
            sel = sel[sel[S.THREAD_ID] == thread_id]
        sel = sel[sel[S.THREAD_ID].isin(set(rows[S.THREAD_ID]))]
        texts = dict(zip(sel[S.PARAGRAPH_ID].astype(str), sel[S.TEXT].astype(str), strict=True))
    multi = len(set(rows[S.THREAD_ID].dropna())) > 1
    if texts and not multi:
        pids |= set(texts)
    order = sorted(pids, key=lambda p: (_para_index(p), p))

    def para_label(pid: str) -> str:
        idx = _para_index(pid)
        head = ("title" if idx == 0 else f"¶{idx}") if idx < 10**6 else pid
        if multi:
            head = f"{pid.split('/')[0]} {head}"
        return f"{head}: {_short(texts[pid], 26)}" if pid in texts else head

    data = pd.DataFrame(
        {
            S.PARAGRAPH_ID: order,
            "paragraph_index": [_para_index(p) for p in order],
            "label": [para_label(p) for p in order],
            "comment_count": [int(counts.get(p, 0)) for p in order],
            "is_off_article": False,
        }
    )
    data = pd.concat(
        [
            data,
            pd.DataFrame(
                [
                    {
                        S.PARAGRAPH_ID: "",
                        "paragraph_index": -1,
                        "label": "Off-article",
                        "comment_count": int(off.sum()),
                        "is_off_article": True,
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    data["share"] = data["comment_count"] / n
    data = data[columns]
    on = data[~data["is_off_article"]]
    best = on.sort_values(["comment_count", "paragraph_index"], ascending=[False, True])
    n_off = int(off.sum())
    title = f"{n_off} of {n} comments relate to no article paragraph"
    if len(best) and best["comment_count"].iloc[0] > 0:
        b = best.iloc[0]
        where = "the title" if b["paragraph_index"] == 0 else f"paragraph {b['paragraph_index']}"
        title += f"; {where} draws the most ({b['comment_count']})"

    with figure_style():
        fig = _new_figure()
        ax = fig.add_subplot()
        y = np.arange(len(data))[::-1]
        colours = [GREY if o else BLUE for o in data["is_off_article"]]
        ax.barh(y, data["comment_count"].to_numpy(), color=colours, height=0.7)
        for yi, c in zip(y, data["comment_count"], strict=True):
            ax.text(c, yi, f" {c}", va="center", ha="left", fontsize=7.5, color="#444444")
        ax.set_yticks(y, data["label"].tolist(), fontsize=8)
        ax.set_xlim(0, max(1, int(data["comment_count"].max())) * 1.15)
        ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Comments (each counted once, at its closest paragraph)")
        alt = (
            f"Bar chart of comments per article paragraph. {title}. "
            + "; ".join(f"{r.label}: {r.comment_count}" for r in data.itertuples())
            + "."
        )
        return finalise_plot(
            fig,
            name=name,
            title=title,
            subtitle=subtitle,
            source=source,
            method=method,
            what=what,
            n=f"{n} annotated comments",
            alt_text=alt,
            data=data,
            out_dir=out_dir,
        )


# ---------------------------------------------------------------------------------------------
# All figures, and the command
# ---------------------------------------------------------------------------------------------

#: name -> (function, tables it reads: first positional, then keyword tables)
FIGURES: dict[str, tuple] = {
    "entity_salience": (plot_entity_salience, "agenda", ()),
    "actor_tone": (plot_actor_tone, "actor_tone", ()),
    "tone_shares": (plot_tone_shares, "tone_shares", ()),
    "sentence_tone": (plot_sentence_tone, "sentences", ()),
    "distinctive_terms": (plot_distinctive_terms, "keyness", ()),
    "frame_shares": (plot_frame_shares, "frame_shares", ()),
    "topic_shares": (plot_topic_shares, "topic_shares", ()),
    "engagement": (plot_engagement, "engagement", ("paragraphs",)),
}
#: Tables :func:`make_all_figures` reads.
FIGURE_TABLES = tuple(
    sorted({t for _, t, _ in FIGURES.values()} | {k for _, _, ks in FIGURES.values() for k in ks})
)
MANIFEST = "manifest.json"


def _remove_stale(out_dir: Path) -> None:
    manifest = out_dir / MANIFEST
    if not manifest.is_file():
        return
    try:
        old = json.loads(manifest.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return
    for entry in old if isinstance(old, list) else []:
        name = str(entry.get("name", "")) if isinstance(entry, dict) else ""
        if name and name not in FIGURES and "/" not in name and not name.startswith("."):
            for suffix in (".png", ".svg", ".csv", ".caption.md"):
                (out_dir / f"{name}{suffix}").unlink(missing_ok=True)


def make_all_figures(
    tables: dict[str, pd.DataFrame],
    out_dir: Path,
    *,
    thread_id: str | None = None,
) -> list[FigureResult]:
    """Draw and save every reference figure, plus ``manifest.json`` describing them.

    A table missing from ``tables`` gives the "nothing to show" figure with that reason. Files of
    figures listed in an earlier ``manifest.json`` in ``out_dir`` but no longer drawn are removed,
    so the folder always matches the manifest; other files are never touched.

    Args:
        tables: table name -> DataFrame (as :func:`analysis.pipeline.load_tables` returns).
        out_dir: folder for the files.
        thread_id: thread to draw; ``None`` takes the pooled rows (several threads) or the only
            thread.

    Returns:
        One :class:`FigureResult` per figure, in :data:`FIGURES` order (``.figure`` displays it
        in a notebook; no pyplot state holds the figures).

    Raises:
        StageInputError: a table lacks its columns, or several threads and no ``thread_id``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale(out_dir)
    results = []
    for name, (func, main, extra) in FIGURES.items():
        if main not in tables:
            results.append(
                _empty_result(
                    name,
                    reason=f"the {main} table was not produced",
                    subtitle=f"The {main} table is needed for this figure",
                    method="not run",
                    source=f"{main} table",
                    what="",
                    columns=[],
                    out_dir=out_dir,
                )
            )
            continue
        kwargs = {k: tables[k] for k in extra if k in tables}
        results.append(
            func(tables[main], thread_id=thread_id, out_dir=out_dir, name=name, **kwargs)
        )
    manifest = [r.manifest_entry() for r in results]
    (out_dir / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
        newline="\n",
    )
    return results


# Conversation charts (analysis/present/conversation_charts.py) join the registry here.
from analysis.present.conversation_charts import CONVERSATION_FIGURES  # noqa: E402

FIGURES.update(CONVERSATION_FIGURES)
FIGURE_TABLES = tuple(
    sorted({t for _, t, _ in FIGURES.values()} | {k for _, _, ks in FIGURES.values() for k in ks})
)
