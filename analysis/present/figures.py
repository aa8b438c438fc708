"""The reference figures, one call per chart (the API notebooks and older code use).

Each ``plot_*`` function takes its table and keyword-only options, runs the chart's ``prepare``
(:mod:`analysis.present.charts`) and draws it through the finishing function
(:mod:`analysis.present.finish`), returning a :class:`FigureResult`: the matplotlib figure, the
plotted numbers, title, caption and alt text, and the files written when ``out_dir`` is given.
A notebook cell that ends with the result shows the image.

Empty input: a chart with nothing to plot is still drawn, as a panel that says "Nothing to show"
and why, and its CSV has the header only; ``FigureResult.is_empty`` and ``.reason`` say so.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.present.charts import (
    FIGURE_TABLES,
    MANIFEST,
    REGISTRY,
    make_all_figures,
    select_thread,
)
from analysis.present.charts.actor_tone import actor_tone_title
from analysis.present.charts.base import RESIDUAL_LABELS, pretty_label
from analysis.present.charts.distinctive_terms import Z_CRITICAL
from analysis.present.charts.entity_salience import agenda_title
from analysis.present.charts.tone_shares import UNIT_NAMES, tone_shares_title
from analysis.present.finish import FigureResult, caption_markdown, finalise_plot, render, write_csv
from analysis.present.style import DPI, FIG_SIZE, STYLE_PATH, figure_style

__all__ = [
    "DPI",
    "FIGURES",
    "FIGURE_TABLES",
    "FIG_SIZE",
    "MANIFEST",
    "RESIDUAL_LABELS",
    "STYLE_PATH",
    "UNIT_NAMES",
    "Z_CRITICAL",
    "FigureResult",
    "actor_tone_title",
    "agenda_title",
    "caption_markdown",
    "figure_style",
    "finalise_plot",
    "make_all_figures",
    "pretty_label",
    "select_thread",
    "tone_shares_title",
    "write_csv",
]

#: The registered charts by name (see :data:`analysis.present.charts.REGISTRY`).
FIGURES = REGISTRY


def _plot(
    chart: str, table: pd.DataFrame, *, out_dir: Path | None, name: str | None, **options
) -> FigureResult:
    spec = REGISTRY[chart]
    tables = {spec.tables[0]: table}
    tables.update({k: options.pop(k) for k in spec.tables[1:] if options.get(k) is not None})
    for k in spec.tables[1:]:
        options.pop(k, None)
    data = spec.prepare(tables, name=name or chart, **options)
    return render(spec, data, out_dir)


def plot_entity_salience(agenda, *, thread_id=None, top_n=12, out_dir=None, name=None):
    """Entity mention shares, article vs comments (see :mod:`~.charts.entity_salience`)."""
    return _plot(
        "entity_salience", agenda, thread_id=thread_id, top_n=top_n, out_dir=out_dir, name=name
    )


def plot_actor_tone(actor_tone, *, mentions=None, thread_id=None, top_n=8, out_dir=None, name=None):
    """Mean tone toward each actor per side (see :mod:`~.charts.actor_tone`); with the
    ``mentions`` table, n counts distinct sentences."""
    return _plot(
        "actor_tone",
        actor_tone,
        mentions=mentions,
        thread_id=thread_id,
        top_n=top_n,
        out_dir=out_dir,
        name=name,
    )


def plot_tone_shares(tone_shares, *, thread_id=None, out_dir=None, name=None):
    """Tone label shares per unit (see :mod:`~.charts.tone_shares`)."""
    return _plot("tone_shares", tone_shares, thread_id=thread_id, out_dir=out_dir, name=name)


def plot_sentence_tone(sentences, *, thread_id=None, bin_width=0.2, out_dir=None, name=None):
    """Distribution of sentence tone (see :mod:`~.charts.sentence_tone`)."""
    return _plot(
        "sentence_tone",
        sentences,
        thread_id=thread_id,
        bin_width=bin_width,
        out_dir=out_dir,
        name=name,
    )


def plot_distinctive_terms(keyness, *, thread_id=None, top_n=7, out_dir=None, name=None):
    """Terms typical of each side (see :mod:`~.charts.distinctive_terms`)."""
    return _plot(
        "distinctive_terms", keyness, thread_id=thread_id, top_n=top_n, out_dir=out_dir, name=name
    )


def plot_distinctive_english(keyness, *, thread_id=None, top_n=12, out_dir=None, name=None):
    """Comment words used more than in general English (see :mod:`~.charts.distinctive_english`)."""
    return _plot(
        "distinctive_english", keyness, thread_id=thread_id, top_n=top_n, out_dir=out_dir, name=name
    )


def plot_frame_shares(frame_shares, *, thread_id=None, top_n=8, out_dir=None, name=None):
    """Frame shares per side (see :mod:`~.charts.frame_shares`)."""
    return _plot(
        "frame_shares", frame_shares, thread_id=thread_id, top_n=top_n, out_dir=out_dir, name=name
    )


def plot_topic_shares(
    topic_shares, *, thread_id=None, method=None, top_n=9, out_dir=None, name=None
):
    """Topic shares per side (see :mod:`~.charts.topic_shares`)."""
    return _plot(
        "topic_shares",
        topic_shares,
        thread_id=thread_id,
        method=method,
        top_n=top_n,
        out_dir=out_dir,
        name=name,
    )


def plot_engagement(engagement, *, paragraphs=None, thread_id=None, out_dir=None, name=None):
    """Comments per article paragraph (see :mod:`~.charts.engagement`)."""
    return _plot(
        "engagement",
        engagement,
        paragraphs=paragraphs,
        thread_id=thread_id,
        out_dir=out_dir,
        name=name,
    )


def plot_reply_tone(conversation_tone, *, thread_id=None, out_dir=None, name=None):
    """Tone of top-level comments vs replies (see :mod:`~.charts.reply_tone`)."""
    return _plot("reply_tone", conversation_tone, thread_id=thread_id, out_dir=out_dir, name=name)


def plot_endorsement(endorsement, *, thread_id=None, out_dir=None, name=None):
    """Tone shares of comments beside shares of likes (see :mod:`~.charts.endorsement`)."""
    return _plot("endorsement", endorsement, thread_id=thread_id, out_dir=out_dir, name=name)


def plot_timeline(timeline, *, reply_structure=None, thread_id=None, out_dir=None, name=None):
    """Comments and tone over time (see :mod:`~.charts.timeline`); with ``reply_structure``,
    undated comments are counted and a thread without dates is drawn by position."""
    return _plot(
        "timeline",
        timeline,
        reply_structure=reply_structure,
        thread_id=thread_id,
        out_dir=out_dir,
        name=name,
    )


def plot_hostility(hostility, *, documents=None, thread_id=None, out_dir=None, name=None):
    """Comments the hostility score flags, beside VADER, and each cue (see
    :mod:`~.charts.hostility`); ``documents`` adds VADER's label of the same comments."""
    return _plot(
        "hostility",
        hostility,
        documents=documents,
        thread_id=thread_id,
        out_dir=out_dir,
        name=name,
    )
