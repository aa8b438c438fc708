"""The charts: one module each, with ``prepare(tables) -> ChartData`` and ``draw(ax, data)``.

Importing this package registers every chart in :data:`REGISTRY` (in the order below, which is
the order of the files in ``manifest.json`` and of the figures in the report). A new chart is a
new module here that calls :func:`~analysis.present.charts.base.register`, plus its import line.
:func:`make_all_figures` draws them all through the finishing function
(:mod:`analysis.present.finish`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

# Importing a chart module registers it; this order is the order of the figures.
# isort: off
from analysis.present.charts import entity_salience  # noqa: F401
from analysis.present.charts import actor_tone  # noqa: F401
from analysis.present.charts import tone_shares  # noqa: F401
from analysis.present.charts import sentence_tone  # noqa: F401
from analysis.present.charts import distinctive_terms  # noqa: F401
from analysis.present.charts import distinctive_english  # noqa: F401
from analysis.present.charts import frame_shares  # noqa: F401
from analysis.present.charts import topic_shares  # noqa: F401
from analysis.present.charts import engagement  # noqa: F401
from analysis.present.charts import reply_tone  # noqa: F401
from analysis.present.charts import endorsement  # noqa: F401
from analysis.present.charts import timeline  # noqa: F401
from analysis.present.charts import hostility  # noqa: F401
from analysis.present.charts import thread_comparison  # not registered: several threads only

# isort: on
from analysis.present.charts.base import REGISTRY, Chart, ChartData, register, select_thread

__all__ = [
    "FIGURE_TABLES",
    "MANIFEST",
    "REGISTRY",
    "Chart",
    "ChartData",
    "figure_tables",
    "make_all_figures",
    "register",
    "select_thread",
]

MANIFEST = "manifest.json"


def figure_tables() -> tuple[str, ...]:
    """Every table some registered chart reads, sorted."""
    return tuple(sorted({t for chart in REGISTRY.values() for t in chart.tables}))


#: Tables :func:`make_all_figures` reads (the charts registered at import).
FIGURE_TABLES = figure_tables()


#: Drawn beside the registered charts when the corpus has several threads.
COMPARISON = Chart(
    name=thread_comparison.NAME,
    tables=("corpus", "tone_shares", "engagement", "agenda"),
    prepare=thread_comparison.prepare,
    draw=thread_comparison.draw,
)


def _thread_count(tables: dict[str, pd.DataFrame]) -> int:
    corpus = tables.get("corpus")
    return 0 if corpus is None else int(corpus["thread_id"].nunique())


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
        if name and name not in REGISTRY and "/" not in name and not name.startswith("."):
            for suffix in (".png", ".svg", ".csv", ".caption.md"):
                (out_dir / f"{name}{suffix}").unlink(missing_ok=True)


def make_all_figures(
    tables: dict[str, pd.DataFrame],
    out_dir: Path,
    *,
    thread_id: str | None = None,
    provenance: list[str] | tuple[str, ...] = (),
) -> list:
    """Draw and save every registered chart, plus ``manifest.json`` describing them.

    A table missing from ``tables`` gives the "nothing to show" figure with that reason. Files of
    figures listed in an earlier ``manifest.json`` in ``out_dir`` but no longer drawn are removed,
    so the folder always matches the manifest; other files are never touched.

    Args:
        tables: table name -> DataFrame (as :func:`analysis.pipeline.load_tables` returns).
        out_dir: folder for the files.
        thread_id: thread to draw; ``None`` takes the pooled rows (several threads) or the only
            thread.
        provenance: lines added to every caption file (sources, capture dates, versions).

    Returns:
        One :class:`~analysis.present.finish.FigureResult` per chart, in registry order, then
        the ``thread_comparison`` small multiples when ``tables["corpus"]`` holds several
        threads and ``thread_id`` is ``None``.

    Raises:
        StageInputError: a table lacks its columns, or ``thread_id`` is not in a table.
    """
    from analysis.present.finish import render

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale(out_dir)
    results = [
        render(
            chart, chart.prepare_from(tables, thread_id=thread_id), out_dir, provenance=provenance
        )
        for chart in REGISTRY.values()
    ]
    if thread_id is None and _thread_count(tables) > 1:
        data = thread_comparison.prepare(tables)
        results.append(render(COMPARISON, data, out_dir, provenance=provenance))
    manifest = [r.manifest_entry() for r in results]
    (out_dir / MANIFEST).write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
        newline="\n",
    )
    return results
