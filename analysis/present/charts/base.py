"""What every chart shares: the prepared numbers (:class:`ChartData`), the registry, row choice.

A chart is a module with two functions, registered once under its file stem:

- ``prepare(tables, *, thread_id=None, **options) -> ChartData``: the plotted numbers, title,
  subtitle, caption parts and alt text, computed from the tables alone (no matplotlib), so titles
  and captions are tested without drawing;
- ``draw(ax, data)``: draws ``data`` on one matplotlib ``Axes``.

:func:`register` adds a chart to :data:`REGISTRY`; :func:`analysis.present.charts.make_all_figures`
draws every registered chart in registration order. A new chart is a new module that calls
:func:`register` and one import line in ``charts/__init__.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis import schema as S
from analysis.errors import StageInputError
from analysis.present.labels import (  # noqa: F401 - re-exported for chart modules
    RESIDUAL_LABELS,
    flags,
    floats,
    join_names,
    pct,
    plural,
    pretty_label,
    short,
)

Tables = Mapping[str, pd.DataFrame]


@dataclass
class ChartData:
    """The prepared numbers and words of one chart, before anything is drawn.

    Attributes:
        name: file stem, e.g. ``"entity_salience"``.
        title: the finding, generated from the numbers.
        subtitle: what is plotted and on which units.
        source: data the numbers come from.
        method: how they were computed.
        what: the first sentence(s) of the caption: what the chart shows.
        n: the sample size in words (distinct units plotted).
        alt_text: a text description of the chart.
        data: the plotted numbers (written as ``<name>.csv``); header only when empty.
        plot: what ``draw`` needs beyond ``data`` (orders, counts, wide frames).
        is_empty: nothing to plot; the finished figure says so.
        reason: why it is empty.
    """

    name: str
    title: str
    subtitle: str
    source: str
    method: str
    what: str
    n: str
    alt_text: str
    data: pd.DataFrame
    plot: dict[str, Any] = field(default_factory=dict)
    is_empty: bool = False
    reason: str = ""


def empty_data(
    name: str,
    *,
    reason: str,
    subtitle: str,
    source: str,
    method: str,
    what: str,
    columns: list[str],
) -> ChartData:
    """A chart with nothing to plot: its CSV has the header only, its panel says why."""
    return ChartData(
        name=name,
        title=f"Nothing to show: {reason}",
        subtitle=subtitle,
        source=source,
        method=method,
        what=what,
        n="0",
        alt_text=f"Empty chart: nothing to show, {reason}.",
        data=pd.DataFrame({c: pd.Series([], dtype="object") for c in columns}),
        is_empty=True,
        reason=reason,
    )


@dataclass(frozen=True)
class Chart:
    """One registered chart.

    Attributes:
        name: file stem of its outputs.
        tables: the tables it reads; the first is required (without it the figure says so).
        prepare: ``prepare(tables, *, thread_id=None, name=..., **options) -> ChartData``.
        draw: ``draw(ax, data)``.
    """

    name: str
    tables: tuple[str, ...]
    prepare: Callable[..., ChartData]
    draw: Callable[[Any, ChartData], None]

    def prepare_from(self, tables: Tables, *, thread_id: str | None = None) -> ChartData:
        """``prepare`` on ``tables``, or an empty chart naming the missing main table."""
        main = self.tables[0]
        if main not in tables:
            return empty_data(
                self.name,
                reason=f"the {main} table was not produced",
                subtitle=f"The {main} table is needed for this figure",
                method="not run",
                source=f"{main} table",
                what="",
                columns=[],
            )
        return self.prepare(tables, thread_id=thread_id, name=self.name)


#: name -> chart, in the order the figures are drawn and listed.
REGISTRY: dict[str, Chart] = {}


def register(
    name: str,
    *,
    tables: tuple[str, ...],
    prepare: Callable[..., ChartData],
    draw: Callable[[Any, ChartData], None],
) -> Chart:
    """Add a chart to :data:`REGISTRY` (a name registered twice is an error).

    Raises:
        ValueError: ``name`` is already registered.
    """
    if name in REGISTRY:
        raise ValueError(f"chart {name!r} is registered twice")
    chart = Chart(name=name, tables=tuple(tables), prepare=prepare, draw=draw)
    REGISTRY[name] = chart
    return chart


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
