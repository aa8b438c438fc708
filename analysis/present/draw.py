"""Drawing a workspace's figures: the pooled (or only-thread) set and one set per thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from analysis import schema as S
from analysis.errors import StageInputError

Log = Callable[..., None]


def thread_ids_of(corpus: pd.DataFrame | None) -> list[str]:
    """The thread ids of a corpus table, in corpus order (empty without one)."""
    if corpus is None or corpus.empty:
        return []
    return [str(t) for t in pd.unique(corpus[S.THREAD_ID].astype(str))]


def _provenance(tables: dict[str, pd.DataFrame], in_dir: Path | None) -> list[str]:
    from analysis.present.provenance import caption_lines, thread_sources

    return caption_lines(thread_sources(tables.get("corpus"), in_dir))


def draw_figures(
    tables: dict[str, pd.DataFrame],
    out: Path,
    *,
    in_dir: Path | None = None,
    thread_ids: Sequence[str] = (),
    per_thread: bool = False,
    log: Log = print,
) -> list:
    """The pooled (or only-thread) figures in ``out``; per-thread ones in ``out/threads/<id>``.

    Args:
        tables: the tables by name.
        out: the figures folder.
        in_dir: the workspace (for provenance: ingest summary, article URLs).
        thread_ids: threads to draw on their own as well.
        per_thread: draw every thread on its own (several threads only).
        log: progress lines.

    Returns:
        The :class:`~analysis.present.finish.FigureResult` objects of the main set.

    Raises:
        StageInputError: a thread id that is not in the corpus.
    """
    from analysis.present.charts import make_all_figures

    provenance = _provenance(tables, in_dir)
    results = make_all_figures(tables, out, provenance=provenance)
    known = thread_ids_of(tables.get("corpus"))
    wanted = list(thread_ids) or (known if per_thread and len(known) > 1 else [])
    for tid in wanted:
        if known and tid not in known:
            raise StageInputError(
                f"--thread {tid!r}: not in the corpus; its threads are {', '.join(known[:10])}"
            )
        folder = Path(out) / "threads" / _safe_name(tid)
        make_all_figures(tables, folder, thread_id=tid, provenance=provenance)
        log(f"  thread {tid}: figures -> {folder}")
    return results


def _safe_name(thread_id: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in str(thread_id)) or "_"
