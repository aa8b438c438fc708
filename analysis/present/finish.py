"""The finishing function: title, subtitle and source line; PNG, SVG, CSV and caption files.

Every chart goes through :func:`render`: the prepared
:class:`~analysis.present.charts.base.ChartData` is drawn on one axes of a fixed-size figure
(640 x 400 px) inside the shared style, then
:func:`finalise_plot` adds the left-aligned title and subtitle above the plot and the
``Source: ...; method: ...`` line below it, and writes

``<out_dir>/<name>.png`` and ``.svg`` (6.4 x 4.0 in at 100 dpi), ``<name>.csv`` (the plotted
numbers, floats rounded to 6 decimals) and ``<name>.caption.md`` (what it shows, n, method,
source, alt text, and the provenance lines when given).

Output is deterministic: the style fixes the SVG hash salt and no file carries a date or software
stamp, so a rerun writes the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from analysis.present.charts.base import Chart, ChartData
from analysis.present.style import DPI, figure_style, new_figure

_TITLE_SIZE, _SUBTITLE_SIZE, _SOURCE_SIZE = 12.5, 9.5, 7.5
_TITLE_WRAP, _SUBTITLE_WRAP, _SOURCE_WRAP = 60, 84, 118
_MARGIN_IN = 0.12

# PNG: no "Software" chunk. SVG: no date, no generator comment.
_PNG_METADATA = {"Software": None}
_SVG_METADATA = {"Date": None, "Creator": None}


@dataclass
class FigureResult:
    """One finished chart.

    In a notebook the result displays as its PNG (``_repr_png_``, ``_repr_mimebundle_``), so a
    cell that ends with the result shows the image; ``.figure`` is the matplotlib figure.

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
        figure: the matplotlib figure.
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

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        """Jupyter display: the PNG, with the title as the plain-text fallback."""
        return {"image/png": self.png_bytes(), "text/plain": f"<figure {self.name}: {self.title}>"}

    def __repr__(self) -> str:
        return f"FigureResult(name={self.name!r}, title={self.title!r})"

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


def caption_markdown(result: FigureResult, provenance: list[str] | tuple[str, ...] = ()) -> str:
    """The text of ``<name>.caption.md``.

    Args:
        result: the finished chart.
        provenance: extra ``- ...`` lines (source files, article titles and URLs, capture
            dates, versions); no run date, so the file is the same on every rerun.
    """
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
        *(f"- {p}" for p in provenance),
        "",
        f"Alt text: {result.alt_text}",
        "",
    ]
    return "\n".join(lines)


def _add_text_frame(fig: Figure, *, title: str, subtitle: str, source_line: str) -> tuple:
    """Title and subtitle above, source line below; returns ``(bottom, top)`` figure fractions."""
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
        source_line,
        _SOURCE_WRAP,
        max_px,
        va="bottom",
        fontsize=_SOURCE_SIZE,
        color="#666666",
        linespacing=1.1,
    )
    bottom = (_MARGIN_IN / 2 + n_lines * _line_height_in(_SOURCE_SIZE) + 0.06) / height_in
    return bottom, top


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
    provenance: list[str] | tuple[str, ...] = (),
) -> FigureResult:
    """Add title, subtitle and source line; lay out; save PNG, SVG, CSV and caption.

    The figure keeps its fixed size (no tight bounding box), so every PNG is 640 x 400 px.

    Args:
        fig: a figure drawn inside :func:`~analysis.present.style.figure_style`.
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
        provenance: extra lines for the caption file (see :func:`caption_markdown`).

    Returns:
        The :class:`FigureResult` (``paths`` filled when ``out_dir`` is given).
    """
    bottom, top = _add_text_frame(
        fig, title=title, subtitle=subtitle, source_line=f"Source: {source}; method: {method}"
    )
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
        result.paths = _save(result, Path(out_dir), provenance)
    return result


def _save(result: FigureResult, out_dir: Path, provenance) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    name = result.name
    paths = {
        "png": out_dir / f"{name}.png",
        "svg": out_dir / f"{name}.svg",
        "csv": out_dir / f"{name}.csv",
        "caption": out_dir / f"{name}.caption.md",
    }
    with figure_style():
        result.figure.savefig(paths["png"], format="png", dpi=DPI, metadata=_PNG_METADATA)
        result.figure.savefig(paths["svg"], format="svg", dpi=DPI, metadata=_SVG_METADATA)
    write_csv(result.data, paths["csv"])
    paths["caption"].write_text(
        caption_markdown(result, provenance), encoding="utf-8", newline="\n"
    )
    return paths


def _draw_empty(fig: Figure, reason: str) -> None:
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


def render(
    chart: Chart | None,
    data: ChartData,
    out_dir: Path | None = None,
    *,
    provenance: list[str] | tuple[str, ...] = (),
) -> FigureResult:
    """Draw prepared ``data`` with ``chart.draw`` and finish it (an empty chart says why).

    Args:
        chart: the registered chart (``None`` only for empty data).
        data: what ``chart.prepare`` returned.
        out_dir: folder for the files; ``None`` writes nothing.
        provenance: extra lines for the caption file.

    Returns:
        The :class:`FigureResult`.
    """
    with figure_style():
        fig = new_figure()
        if data.is_empty:
            _draw_empty(fig, data.reason)
        else:
            chart.draw(fig.add_subplot(), data)
        return finalise_plot(
            fig,
            name=data.name,
            title=data.title,
            subtitle=data.subtitle,
            source=data.source,
            method=data.method,
            what=data.what,
            n=data.n,
            alt_text=data.alt_text,
            data=data.data,
            out_dir=out_dir,
            is_empty=data.is_empty,
            reason=data.reason,
            provenance=provenance,
        )
