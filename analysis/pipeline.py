"""The keyword API of the main job: ingest -> annotate -> compare -> figures -> report.

Each stage reads and writes tables under one work folder, so any stage can be rerun on its own.
The functions here take keyword options only (:mod:`analysis.cli` turns the parsed
command line into these calls) and report progress through ``log``. ``discourse run``
(``make run``) calls :func:`run_all` on the bundled seed.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config, freshness
from analysis import schema as S
from analysis.errors import StageInputError
from analysis.present.draw import draw_figures, thread_ids_of
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


def _fresh_key(
    stage: str, workspace: Path, *, reuse: bool, inputs: Iterable[Path], options: dict, log: Log
) -> tuple[str, bool]:
    """``(key, fresh)`` for a stage (see :mod:`analysis.freshness`); drops a stale stamp.

    ``fresh`` is only ever true with ``reuse``; the key is recorded after the stage runs.
    """
    key = freshness.stage_key(stage, inputs=inputs, options=options)
    if reuse and freshness.is_fresh(workspace, stage, key):
        log(f"[{stage}] outputs are fresh (same inputs, options and code): skipped")
        return key, True
    freshness.forget(workspace, stage)
    return key, False


def _table_files(folder: Path, names: Iterable[str]) -> list[Path]:
    return [Path(folder) / f"{n}{suffix}" for n in names for suffix in (".parquet", ".csv")]


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
    scheduler: str = "processes",
    max_length: int = 1_000_000,
    reuse: bool = False,
) -> dict[str, Any]:
    """``discourse annotate``: sentences, sentiment, language and linked entities.

    ``scheduler`` and ``max_length``: see :func:`analysis.annotate.stage.annotate_corpus`.
    ``reuse``: skip the stage when its tables are fresh (:mod:`analysis.freshness`; with the
    default linker only).

    Returns:
        The annotation summary (see :func:`analysis.annotate.stage.annotate_dir`); when
        skipped, ``{"skipped": True, "paths": {table: parquet path}}``.
    """
    out_dir = Path(out) if out is not None else Path(in_dir)
    names = STAGE_TABLES["annotate"]
    options = {"csv": csv, "use_cache": use_cache, "max_length": max_length, "out": out_dir}
    key, fresh = _fresh_key(
        "annotate",
        out_dir,
        reuse=reuse and linker is None,
        inputs=_table_files(in_dir, STAGE_TABLES["ingest"]),
        options=options,
        log=log,
    )
    if fresh:
        return {"skipped": True, "paths": {n: out_dir / f"{n}.parquet" for n in names}}
    from analysis.annotate.stage import annotate_dir, format_summary

    summary = annotate_dir(
        in_dir,
        out,
        linker=linker if linker is not None else default_linker(),
        workers=workers,
        batch_size=batch_size,
        use_cache=use_cache,
        csv=csv,
        scheduler=scheduler,
        max_length=max_length,
    )
    log(format_summary(summary))
    log(f"tables written to {Path(summary['paths']['documents']).parent}")
    if linker is None:
        freshness.record(out_dir, "annotate", key, _table_files(out_dir, names))
    return summary


def compare(
    *,
    in_dir: Path = config.PROCESSED_DIR,
    out: Path | None = None,
    seed: int = config.SEED,
    csv: bool = False,
    topic_lexicon: Path | None = None,
    log: Log = print,
    reuse: bool = False,
) -> dict[str, pd.DataFrame]:
    """``discourse compare``: the article-vs-comments tables and headlines.

    ``topic_lexicon``: a ``topic,term`` CSV of your own guided topics (none by default).
    ``reuse``: skip the stage when its tables are fresh (:mod:`analysis.freshness`); the
    tables are then read back.
    """
    out_dir = Path(out if out is not None else in_dir)
    inputs = _table_files(in_dir, [*STAGE_TABLES["ingest"], *STAGE_TABLES["annotate"]])
    options = {"seed": seed, "csv": csv, "topic_lexicon": topic_lexicon, "out": out_dir}
    key, fresh = _fresh_key(
        "compare",
        out_dir,
        reuse=reuse,
        inputs=[*inputs, *([Path(topic_lexicon)] if topic_lexicon else [])],
        options=options,
        log=log,
    )
    from analysis.compare import OUTPUT_TABLES, compare_dir, format_summary

    if fresh:
        return load_tables(out_dir, OUTPUT_TABLES)
    outputs = compare_dir(in_dir, out_dir, seed=seed, csv=csv, topic_lexicon=topic_lexicon)
    log(format_summary(outputs, out_dir))
    written = [out_dir / "headlines.md", out_dir / "headlines.json"]
    freshness.record(out_dir, "compare", key, [*_table_files(out_dir, OUTPUT_TABLES), *written])
    return outputs


def work_dir_for(inputs: Sequence[Path]) -> Path:
    """The default work folder for ``inputs``: ``data/processed`` for the bundled seed, else a
    folder under it named after the first input and a hash of all of them (so tables of
    different inputs never share a folder by accident)."""
    paths = [Path(p) for p in inputs]
    if not paths or [p.resolve() for p in paths] == [config.SEED_FILE.resolve()]:
        return config.PROCESSED_DIR
    digest = hashlib.sha256("\n".join(str(p.resolve()) for p in paths).encode()).hexdigest()
    return config.PROCESSED_DIR / f"{paths[0].stem}-{digest[:8]}"


def _figures_dir(in_dir: Path) -> Path:
    """Where a workspace's figures are: ``<in_dir>/figures``; for the default workspace without
    its own figures, the reference ``figures/`` that ``make run`` writes."""
    own = Path(in_dir) / "figures"
    default = Path(in_dir).resolve() == config.PROCESSED_DIR.resolve()
    if default and not (own / "manifest.json").is_file():
        return config.FIGURES_DIR
    return own


def figures(
    *,
    in_dir: Path = config.PROCESSED_DIR,
    out: Path | None = None,
    thread_id: str | None = None,
    thread_ids: Sequence[str] = (),
    per_thread: bool = False,
    log: Log = print,
    reuse: bool = False,
) -> list:
    """``discourse figures``: every chart as PNG, SVG, CSV and caption.

    Args:
        in_dir: the workspace holding the tables.
        out: the figures folder (default ``<in_dir>/figures``).
        thread_id: one thread drawn on its own in ``out/threads/<id>`` (same as
            ``thread_ids=[thread_id]``).
        thread_ids: several such threads.
        per_thread: every thread on its own too.
        log: progress lines.
        reuse: skip the stage when the figures are fresh (:mod:`analysis.freshness`: the
            same tables, provenance files, options and code, and every figure file unchanged).

    Returns:
        The main set's results (``[]`` when skipped).
    """
    in_dir = Path(in_dir)
    out = Path(out) if out is not None else in_dir / "figures"
    wanted = [*thread_ids, *([thread_id] if thread_id else [])]
    inputs = [*in_dir.glob("*.parquet"), in_dir / "ingest_summary.json", in_dir / "sources.json"]
    options = {"out": out.resolve(), "threads": wanted, "per_thread": per_thread}
    key, fresh = _fresh_key("figures", in_dir, reuse=reuse, inputs=inputs, options=options, log=log)
    if fresh:
        return []
    from analysis.present.charts import FIGURE_TABLES

    names = [*FIGURE_TABLES, "corpus"] if exists("corpus", in_dir) else list(FIGURE_TABLES)
    # A workspace from `discourse compare` alone has no conversation tables: their charts say so.
    optional = {spec.name for spec in S.CONVERSATION_TABLES}
    tables = load_tables(in_dir, [n for n in names if n not in optional or exists(n, in_dir)])
    results = draw_figures(
        tables, out, in_dir=in_dir, thread_ids=wanted, per_thread=per_thread, log=log
    )
    for r in results:
        flag = f"  (empty: {r.reason})" if r.is_empty else ""
        log(f"{r.paths['png']}  {r.title}{flag}")
    log(f"{len(results)} figures -> {out}")
    freshness.record(in_dir, "figures", key, freshness.folder_files(out))
    return results


def report_paths(
    out: Path | None, in_dir: Path | None, figures_dir: Path | None
) -> tuple[Path, Path, Path]:
    """``(in_dir, figures_dir, report file)`` from ``report --out`` (a folder or a ``.html``
    file), ``--in`` and ``--figures``, each defaulting to the workspace."""
    if out is None:
        out = Path(in_dir) if in_dir is not None else config.PROCESSED_DIR
    out = Path(out)
    is_file = out.suffix.lower() in {".html", ".htm"} or out.is_file()
    report_file = out if is_file else out / "report.html"
    workspace = Path(in_dir) if in_dir is not None else report_file.parent
    figs = Path(figures_dir) if figures_dir is not None else _figures_dir(workspace)
    return workspace, figs, report_file


def report(
    *,
    in_dir: Path = config.PROCESSED_DIR,
    figures_dir: Path | None = None,
    out: Path | None = None,
    content_note: str | Path | None = None,
    article_urls: Sequence[str] = (),
    log: Log = print,
) -> Path:
    """``discourse report``: one self-contained HTML page.

    Args:
        in_dir: the workspace holding the tables.
        figures_dir: the figures (default ``<in_dir>/figures``).
        out: the report file, or a folder to write ``report.html`` in (default the workspace).
        content_note: the note shown above comment text (text or a file); default: the
            inputs' sidecar ``.note.md`` files, else a neutral line.
        article_urls: one URL per thread, in corpus order (kept in ``sources.json``).
        log: progress lines.

    Tables that are missing are listed and their sections say so; the ``headlines`` table falls
    back to ``headlines.json`` in the same folder.

    Raises:
        StageInputError: the folder holds no corpus table (nothing to report on).
    """
    from analysis.present.report import REPORT_TABLES, build_report

    in_dir, figures_dir, out_path = report_paths(out, in_dir, figures_dir)
    stamp = read_fingerprint(in_dir)
    if not exists("corpus", in_dir):
        raise StageInputError(
            f"{in_dir}: no corpus table to report on; run `discourse run INPUT --out {in_dir}` "
            "(or `discourse ingest INPUT --out DIR` and the later stages) first"
        )
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
    # The classifier's tables exist only after `discourse classify`: their absence is normal.
    missing = [n for n in missing if n not in (S.LABELS.name, S.LABEL_SHARES.name)]
    if missing:
        log(f"report: tables not found in {in_dir}: {', '.join(missing)} (sections say so)")
    if article_urls:
        from analysis.present.provenance import save_article_urls

        save_article_urls(in_dir, article_urls, thread_ids_of(tables.get("corpus")))
    path = build_report(
        tables,
        figures_dir,
        out_path,
        headlines=headlines,
        content_note=content_note,
        work_dir=in_dir,
    )
    log(f"report -> {path}")
    return path


def build_tables(
    inputs: Sequence[Path] = (config.SEED_FILE,),
    out_dir: Path | None = None,
    *,
    articles: Sequence[Path] = (),
    until: str = "compare",
    seed: int = config.SEED,
    csv: bool = True,
    ingest_options: dict[str, Any] | None = None,
    annotate_options: dict[str, Any] | None = None,
    log: Log = print,
) -> dict[str, pd.DataFrame]:
    """Run ingest, annotate and compare (up to ``until``) on ``inputs`` into ``out_dir``.

    The compare step also writes the conversation and hostility tables (:func:`conversation`).

    Args:
        inputs: comment files (a seed-format file holds its own article).
        out_dir: folder for every table (Parquet, and CSV when ``csv``); ``None`` derives one
            from the inputs (:func:`work_dir_for`), so a new thread never meets old tables.
        articles: article files for non-seed inputs, in order.
        until: last stage: ``ingest``, ``annotate`` or ``compare``.
        seed: random seed for bootstraps and NMF.
        csv: also write CSV copies.
        ingest_options: more keyword options of :func:`ingest` (``fmt``, ``columns``,
            ``captured_at``, ``thread_ids``, ``on_error``, ...).
        annotate_options: more keyword options of :func:`annotate` (``workers``, ...).
        log: where progress lines go (``print`` by default).

    Returns:
        The tables of the stages that ran, by name (see :mod:`analysis.schema`); tables an
        earlier run left in ``out_dir`` for later stages are not returned.
    """
    from analysis.compare import OUTPUT_TABLES

    out_dir = Path(out_dir) if out_dir is not None else work_dir_for(inputs)
    stop = STAGES.index(until)
    t0 = time.perf_counter()
    ingest(inputs, out=out_dir, articles=articles, csv=csv, log=log, **(ingest_options or {}))
    log(f"[ingest] {time.perf_counter() - t0:.1f}s -> {out_dir}")
    names = list(STAGE_TABLES["ingest"])
    if exists("rejects", out_dir):
        names.append("rejects")
    if stop >= STAGES.index("annotate"):
        t1 = time.perf_counter()
        annotate(in_dir=out_dir, out=out_dir, csv=csv, log=log, **(annotate_options or {}))
        log(f"[annotate] {time.perf_counter() - t1:.1f}s -> {out_dir}")
        names += STAGE_TABLES["annotate"]
    if stop >= STAGES.index("compare"):
        t2 = time.perf_counter()
        compare(in_dir=out_dir, out=out_dir, seed=seed, csv=csv, log=log)
        log(f"[compare] {time.perf_counter() - t2:.1f}s -> {out_dir}")
        names += OUTPUT_TABLES
        t3 = time.perf_counter()
        names += conversation(in_dir=out_dir, out=out_dir, seed=seed, csv=csv, log=log)
        log(f"[conversation] {time.perf_counter() - t3:.1f}s -> {out_dir}")
    return load_tables(out_dir, [n for n in ALL_TABLES if n in names])


def run_all(
    inputs: Sequence[Path] = (config.SEED_FILE,),
    *,
    out: Path = config.PROCESSED_DIR,
    figures_dir: Path | None = None,
    articles: Sequence[Path] = (),
    until: str = "report",
    seed: int = config.SEED,
    csv: bool = True,
    ingest_options: dict[str, Any] | None = None,
    annotate_options: dict[str, Any] | None = None,
    thread_ids: Sequence[str] = (),
    per_thread: bool = False,
    content_note: str | Path | None = None,
    article_urls: Sequence[str] = (),
    log: Log = print,
) -> int:
    """``discourse run``: every stage up to ``until`` in one workspace, printing where things went.

    Args:
        inputs: comment files.
        out: the workspace: tables here, figures in ``out/figures``, ``out/report.html``.
        figures_dir: another figures folder (``make figures`` passes the reference
            ``figures/``).
        articles: article files for non-seed inputs, in order.
        until: last stage.
        seed: random seed for bootstraps and NMF.
        csv: also write CSV copies of the tables.
        ingest_options: more keyword options of :func:`ingest`.
        annotate_options: more keyword options of :func:`annotate`.
        thread_ids: threads also drawn on their own (``out/figures/threads/<id>``).
        per_thread: every thread on its own too.
        content_note: the report's content note (text or file).
        article_urls: one article URL per thread, in order.
        log: progress lines.

    Returns:
        0.
    """
    out = Path(out)
    figures_dir = Path(figures_dir) if figures_dir is not None else out / "figures"
    tables = build_tables(
        inputs,
        out,
        articles=articles,
        until=min(until, "compare", key=STAGES.index),
        seed=seed,
        csv=csv,
        ingest_options=ingest_options,
        annotate_options=annotate_options,
        log=log,
    )
    if article_urls:
        from analysis.present.provenance import save_article_urls

        save_article_urls(out, article_urls, thread_ids_of(tables.get("corpus")))
    if STAGES.index(until) >= STAGES.index("figures"):
        t = time.perf_counter()
        written = draw_figures(
            tables, figures_dir, in_dir=out, thread_ids=thread_ids, per_thread=per_thread, log=log
        )
        log(f"[figures] {len(written)} figures in {time.perf_counter() - t:.1f}s -> {figures_dir}")
    if until == "report":
        t = time.perf_counter()
        path = report(
            in_dir=out,
            figures_dir=figures_dir,
            out=out / "report.html",
            content_note=content_note,
            log=lambda *_: None,
        )
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
    and the ``hostility`` table (:mod:`analysis.classify.hostility`); uses the ``documents``,
    ``mentions`` and ``engagement`` tables when they are there.

    Returns:
        The tables written, by name.
    """
    from analysis.classify import hostility_dir
    from analysis.compare.conversation import conversation_dir
    from analysis.compare.conversation import format_summary as conversation_summary

    out_dir = Path(out) if out is not None else Path(in_dir)
    outputs = conversation_dir(in_dir, out_dir, seed=seed, csv=csv)
    outputs["hostility"] = hostility_dir(in_dir, out_dir, csv=csv)
    log(conversation_summary(outputs, out_dir))
    hostile = outputs["hostility"]
    comments = hostile[hostile[S.DOC_KIND] == S.COMMENT]
    log(
        f"  hostility              {len(hostile):>6} rows; {int(comments[S.IS_HOSTILE].sum())} "
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

    Raises:
        InputError: a bad coding file (the file and line are named).
        StageInputError: too few codes, a missing ``--coders`` column, or no corpus.
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
