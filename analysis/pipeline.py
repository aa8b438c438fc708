"""The keyword API of the main job: ingest -> annotate -> compare -> figures -> report.

Each stage reads and writes tables under one work folder, so any stage can be rerun on its own.
The functions here take keyword options only (:mod:`analysis.cli` turns the parsed
command line into these calls) and report progress through ``log``. ``discourse run``
(``make run``) calls :func:`run_all` on the bundled seed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config
from analysis.schema import ALL_TABLES
from analysis.tables import exists, read_fingerprint, read_table

STAGES = ("ingest", "annotate", "compare", "figures", "report")
#: The tables each table-writing stage produces.
STAGE_TABLES = {
    "ingest": ("corpus", "paragraphs"),
    "annotate": ("sentences", "documents", "mentions", "entities"),
}

Log = Callable[[str], Any]


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def load_tables(in_dir: Path, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read the tables in ``in_dir`` that belong to its corpus.

    Args:
        in_dir: the work folder.
        names: the tables to read; ``None`` reads every table present.

    Raises:
        StageInputError: a named table is missing, or a table present was built from another
            corpus than the folder's ``corpus.parquet`` (the message names the rebuild command).
    """
    in_dir = Path(in_dir)
    stamp = read_fingerprint(in_dir)
    wanted = list(ALL_TABLES) if names is None else list(names)
    return {
        name: read_table(name, in_dir, fingerprint=stamp)
        for name in wanted
        if names is not None or exists(name, in_dir)
    }


def default_linker():
    """The linker the pipeline passes to annotation (:class:`analysis.linking.RuleLinker`)."""
    from analysis.linking import RuleLinker

    return RuleLinker()


def ingest(
    inputs: Sequence[Path],
    *,
    out: Path = config.PROCESSED_DIR,
    articles: Sequence[Path] = (),
    thread_ids: Sequence[str] = (),
    fmt: str = "auto",
    captured_at: str | None = None,
    columns: str | None = None,
    on_error: str = "stop",
    keep_author_names: bool = False,
    csv: bool = False,
    log: Log = print,
) -> Any:
    """``discourse ingest``: read ``inputs`` into the corpus tables in ``out``.

    Returns:
        The :class:`analysis.ingest.stage.IngestResult`.
    """
    from analysis.ingest.stage import REJECTS_FILE, format_summary, ingest_paths, write_ingest

    result = ingest_paths(
        list(inputs),
        fmt=fmt,
        articles=list(articles),
        thread_ids=list(thread_ids),
        captured_at=captured_at,
        column_map=columns,
        on_error=on_error,
        keep_author_names=keep_author_names,
    )
    written = write_ingest(result, out, csv=csv)
    log(format_summary(result.summary))
    if len(result.rejects):
        _err(
            f"  {len(result.rejects)} rejected record(s) with reasons in {Path(out) / REJECTS_FILE}"
        )
    log(f"wrote {', '.join(p.name for p in written)} to {out}")
    return result


def annotate(
    *,
    in_dir: Path = config.PROCESSED_DIR,
    out: Path | None = None,
    workers: int = 1,
    batch_size: int = 64,
    use_cache: bool = True,
    csv: bool = False,
    linker=None,
    log: Log = print,
) -> dict[str, Any]:
    """``discourse annotate``: sentences, sentiment, language and linked entities.

    Returns:
        The annotation summary (see :func:`analysis.annotate.engine.annotate_dir`).
    """
    from analysis.annotate.engine import annotate_dir, format_summary

    summary = annotate_dir(
        in_dir,
        out,
        linker=linker if linker is not None else default_linker(),
        workers=workers,
        batch_size=batch_size,
        use_cache=use_cache,
        csv=csv,
    )
    log(format_summary(summary))
    log(f"tables written to {Path(summary['paths']['documents']).parent}")
    return summary


def compare(
    *,
    in_dir: Path = config.PROCESSED_DIR,
    out: Path | None = None,
    seed: int = config.SEED,
    csv: bool = False,
    log: Log = print,
) -> dict[str, pd.DataFrame]:
    """``discourse compare``: the article-vs-comments tables and headlines."""
    from analysis.compare import compare_dir, format_summary

    out_dir = out if out is not None else in_dir
    outputs = compare_dir(in_dir, out_dir, seed=seed, csv=csv)
    log(format_summary(outputs, out_dir))
    return outputs


def figures(
    *,
    in_dir: Path = config.PROCESSED_DIR,
    out: Path = config.FIGURES_DIR,
    thread_id: str | None = None,
    log: Log = print,
) -> list:
    """``discourse figures``: every chart as PNG, SVG, CSV and caption in ``out``."""
    from analysis.present.figures import FIGURE_TABLES, make_all_figures

    tables = load_tables(in_dir, FIGURE_TABLES)
    results = make_all_figures(tables, out, thread_id=thread_id)
    for r in results:
        flag = f"  (empty: {r.reason})" if r.is_empty else ""
        log(f"{r.paths['png']}  {r.title}{flag}")
    log(f"{len(results)} figures -> {out}")
    return results


def report(
    *,
    in_dir: Path = config.PROCESSED_DIR,
    figures_dir: Path = config.FIGURES_DIR,
    out: Path = config.PROCESSED_DIR / "report.html",
    log: Log = print,
) -> Path:
    """``discourse report``: one self-contained HTML page.

    Tables that are missing are listed and their sections say so; the ``headlines`` table falls
    back to ``headlines.json`` in the same folder.
    """
    from analysis.present.report import REPORT_TABLES, build_report

    in_dir = Path(in_dir)
    stamp = read_fingerprint(in_dir)
    tables, missing = {}, []
    for name in REPORT_TABLES:
        table = read_table(name, in_dir, required=False, fingerprint=stamp)
        if table is None:
            missing.append(name)
        else:
            tables[name] = table
    headlines = None
    if "headlines" not in tables and (in_dir / "headlines.json").is_file():
        headlines = in_dir / "headlines.json"
        missing.remove("headlines")
    if missing:
        log(f"report: tables not found in {in_dir}: {', '.join(missing)} (sections say so)")
    path = build_report(tables, figures_dir, out, headlines=headlines)
    log(f"report -> {path}")
    return path


def build_tables(
    inputs: Sequence[Path] = (config.SEED_FILE,),
    out_dir: Path = config.PROCESSED_DIR,
    *,
    articles: Sequence[Path] = (),
    until: str = "compare",
    seed: int = config.SEED,
    csv: bool = True,
    log: Log = print,
) -> dict[str, pd.DataFrame]:
    """Run ingest, annotate and compare (up to ``until``) on ``inputs`` into ``out_dir``.

    Args:
        inputs: comment files (a seed-format file holds its own article).
        out_dir: folder for every table (Parquet, and CSV when ``csv``).
        articles: article files for non-seed inputs, in order.
        until: last stage: ``ingest``, ``annotate`` or ``compare``.
        seed: random seed for bootstraps and NMF.
        csv: also write CSV copies.
        log: where progress lines go (``print`` by default).

    Returns:
        The tables of the stages that ran, by name (see :mod:`analysis.schema`); tables an
        earlier run left in ``out_dir`` for later stages are not returned.
    """
    from analysis.annotate.engine import annotate_dir
    from analysis.annotate.engine import format_summary as annotate_summary
    from analysis.compare import OUTPUT_TABLES, compare_dir
    from analysis.compare import format_summary as compare_summary
    from analysis.ingest.stage import format_summary, ingest_paths, write_ingest

    out_dir = Path(out_dir)
    stop = STAGES.index(until)
    t0 = time.perf_counter()
    result = ingest_paths(list(inputs), articles=list(articles))
    write_ingest(result, out_dir, csv=csv)
    log(format_summary(result.summary))
    log(f"[ingest] {time.perf_counter() - t0:.1f}s -> {out_dir}")
    names = list(STAGE_TABLES["ingest"])
    if exists("rejects", out_dir):
        names.append("rejects")
    if stop >= STAGES.index("annotate"):
        t1 = time.perf_counter()
        summary = annotate_dir(out_dir, out_dir, linker=default_linker(), csv=csv)
        log(annotate_summary(summary))
        log(f"[annotate] {time.perf_counter() - t1:.1f}s -> {out_dir}")
        names += STAGE_TABLES["annotate"]
    if stop >= STAGES.index("compare"):
        t2 = time.perf_counter()
        log(compare_summary(compare_dir(out_dir, out_dir, seed=seed, csv=csv), out_dir))
        log(f"[compare] {time.perf_counter() - t2:.1f}s -> {out_dir}")
        names += OUTPUT_TABLES
    return load_tables(out_dir, [n for n in ALL_TABLES if n in names])


def run_all(
    inputs: Sequence[Path] = (config.SEED_FILE,),
    *,
    out: Path = config.PROCESSED_DIR,
    figures_dir: Path = config.FIGURES_DIR,
    articles: Sequence[Path] = (),
    until: str = "report",
    log: Log = print,
) -> int:
    """``discourse run``: every stage up to ``until``, printing where everything went."""
    out = Path(out)
    tables = build_tables(
        inputs, out, articles=articles, until=min(until, "compare", key=STAGES.index), log=log
    )
    if STAGES.index(until) >= STAGES.index("figures"):
        from analysis.present.figures import make_all_figures

        t = time.perf_counter()
        written = make_all_figures(tables, figures_dir)
        log(f"[figures] {len(written)} figures in {time.perf_counter() - t:.1f}s -> {figures_dir}")
    if until == "report":
        from analysis.present.report import build_report

        t = time.perf_counter()
        path = build_report(tables, figures_dir, out / "report.html")
        log(f"[report] {time.perf_counter() - t:.1f}s -> {path}")
    log(f"tables: {out}")
    return 0


def conversation(
    *,
    in_dir: Path = config.PROCESSED_DIR,
    out: Path | None = None,
    seed: int = config.SEED,
    csv: bool = False,
    log: Log = print,
) -> dict[str, pd.DataFrame]:
    """``discourse conversation``: replies, likes, time and the hostility score.

    Writes the :mod:`analysis.compare.conversation` tables, ``reply_network.gexf``/``.graphml``
    and the ``hostility`` table (:mod:`analysis.classify.hostility`); uses the ``documents``
    table for tone when it is there.
    """
    from analysis.classify import hostility_dir
    from analysis.compare.conversation import conversation_dir
    from analysis.compare.conversation import format_summary as conversation_summary

    out_dir = Path(out) if out is not None else Path(in_dir)
    outputs = conversation_dir(in_dir, out_dir, seed=seed, csv=csv)
    outputs["hostility"] = hostility_dir(in_dir, out_dir, csv=csv)
    log(conversation_summary(outputs, out_dir))
    hostile = outputs["hostility"]
    comments = hostile[hostile["doc_kind"] == "comment"]
    log(
        f"  hostility              {len(hostile):>6} rows; {int(comments['is_hostile'].sum())} "
        f"of {len(comments)} comments score >= 0.5"
    )
    return outputs


def classify(
    labels: Path,
    *,
    label: str,
    in_dir: Path = config.PROCESSED_DIR,
    out: Path | None = None,
    coders: tuple[str, str] | None = None,
    sample_size: int = 50,
    folds: int = 5,
    seed: int = config.SEED,
    csv: bool = False,
    log: Log = print,
) -> Any:
    """``discourse classify``: train on a researcher's coding, apply it to every comment.

    Returns:
        The :class:`analysis.classify.ClassifyResult` (model, ``labels`` table, figures).
    """
    from analysis.classify import classify_dir

    result = classify_dir(
        in_dir,
        labels,
        label=label,
        out_dir=out,
        coders=coders,
        sample_size=sample_size,
        folds=folds,
        seed=seed,
        csv=csv,
    )
    for line in result.summary_lines():
        log(line)
    log(f"labels table -> {Path(out) if out is not None else Path(in_dir)}")
    return result
