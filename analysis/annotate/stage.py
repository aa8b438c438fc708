"""The annotation stage: :func:`annotate_corpus` (in memory) and :func:`annotate_dir` (files).

Reads the ``corpus`` and ``paragraphs`` tables and produces four tidy tables (see
:mod:`analysis.schema`): ``sentences``, ``documents``, ``mentions`` and ``entities``. How:
:mod:`analysis.annotate.engine`.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.annotate.build import SKIP_EMPTY, SKIP_NOT_ENGLISH
from analysis.annotate.engine import DEFAULT_CHUNK_SIZE, Options, run
from analysis.annotate.longtext import DEFAULT_MAX_LENGTH
from analysis.annotate.partitions import (
    CORPUS_COLUMNS,
    PARAGRAPH_COLUMNS,
    TextStore,
    check_input,
    read_corpus,
    read_input,
)
from analysis.annotate.protocol import Linker
from analysis.annotate.sinks import TABLE_SPECS, MemorySink, ParquetSink
from analysis.tables import read_fingerprint

__all__ = [
    "SKIP_EMPTY",
    "SKIP_NOT_ENGLISH",
    "TABLE_SPECS",
    "annotate_corpus",
    "annotate_dir",
    "format_summary",
]


def annotate_corpus(
    corpus: pd.DataFrame,
    paragraphs: pd.DataFrame,
    *,
    linker: Linker,
    workers: int = 1,
    batch_size: int = 64,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool | None = None,
    scheduler: str = "processes",
    max_length: int = DEFAULT_MAX_LENGTH,
) -> dict[str, pd.DataFrame]:
    """Annotate a corpus in memory (for notebooks and tests).

    Args:
        corpus: the ``corpus`` table (needs thread_id, doc_id, doc_kind, position, text, is_empty,
            is_duplicate). Not modified.
        paragraphs: the ``paragraphs`` table (doc_id, paragraph_id, start_char, end_char).
        linker: links each thread's mentions (:class:`analysis.annotate.protocol.Linker`; the
            pipeline passes :class:`analysis.linking.RuleLinker`).
        workers: parsing processes (a process pool, or the workers of a LocalCluster).
        batch_size: documents per ``nlp.pipe`` batch and per parse partition.
        cache_dir: cache folder (default ``data/processed/.cache/annotate``).
        use_cache: read and write the cache; ``False`` parses everything and writes nothing.
        chunk_size: documents per build partition and per cache transaction.
        progress: show a progress bar (``None``: only on a terminal and for long runs).
        scheduler: ``processes`` (default), ``local-cluster`` (a ``dask.distributed``
            LocalCluster of ``workers`` processes) or ``tcp://host:port`` (an existing Dask
            cluster); the tables are the same whichever runs the parse.
        max_length: texts longer than this many characters are parsed in chunks on paragraph or
            sentence boundaries (spaCy's limit is 1,000,000; see
            :mod:`analysis.annotate.longtext`).

    Returns:
        ``{"sentences", "documents", "mentions", "entities"}``, each conformed to its
        :mod:`analysis.schema` spec. ``sentences``: thread_id, doc_id, doc_kind, sentence_id,
        sentence_index, paragraph_id, start_char, end_char, text, lemmas, words, token_count,
        vader_neg/neu/pos/compound. ``documents``: one row per corpus document with language,
        is_annotated/skip_reason, counts, VADER on the whole text, sentence_compound_mean,
        sentiment_label, mention_count (counts that were not computed, e.g. sentences of a
        non-English document, are missing). ``mentions`` and ``entities``: see
        :func:`analysis.linking.link_thread`, plus each mention's sentence_id and
        sentence_compound.

    Raises:
        StageInputError: a required column is missing, or a doc_id occurs twice.
        ModelNotFoundError: texts need parsing and no English pipeline is installed.
        DiscourseError: an option is out of range, the cache file is unreadable, or the Dask
            scheduler cannot be reached.
    """
    options = Options(
        workers=workers,
        batch_size=batch_size,
        chunk_size=chunk_size,
        scheduler=scheduler,
        max_length=max_length,
        use_cache=use_cache,
        cache_dir=cache_dir,
        progress=progress,
    )
    sink, texts = MemorySink(), TextStore()
    try:
        run(corpus, paragraphs, sink, texts, linker=linker, options=options)
    finally:
        texts.close()
    return sink.finish()


def annotate_dir(
    in_dir: Path,
    out_dir: Path | None = None,
    *,
    linker: Linker,
    workers: int = 1,
    batch_size: int = 64,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool | None = None,
    csv: bool = False,
    scheduler: str = "processes",
    max_length: int = DEFAULT_MAX_LENGTH,
) -> dict[str, Any]:
    """Annotate ``<in_dir>/corpus.parquet``, streaming the four tables to ``out_dir``.

    Only the columns needed are read; tables are written partition by partition to a temporary
    folder and moved into place when complete, so a failed run never leaves half-written tables.

    Args:
        in_dir: folder holding ``corpus.parquet`` and ``paragraphs.parquet``.
        linker: links each thread's mentions (see :func:`annotate_corpus`).
        out_dir: output folder (default ``in_dir``).
        cache_dir: cache folder (default ``<out_dir>/.cache/annotate``).
        csv: also write CSV copies.
        workers, batch_size, use_cache, chunk_size, progress, scheduler, max_length: as in
            :func:`annotate_corpus`.

    Returns:
        A summary: counts of ``documents``, ``annotated``, ``empty``, ``non_english``,
        ``sentences``, ``mentions``, ``entities``, ``threads``, ``parsed`` (texts spaCy parsed
        this run), ``cache_hits`` (documents whose record came from the cache),
        ``link_cache_hits`` (threads whose linking came from the cache), ``rebuilt`` (cache
        entries found malformed and rebuilt), ``seconds`` and ``paths`` (table name -> Parquet
        path).

    Raises:
        StageInputError: an input table is missing or lacks a column.
        ModelNotFoundError, DiscourseError: as in :func:`annotate_corpus`.
    """
    started = time.perf_counter()
    in_dir = Path(in_dir)
    out_dir = Path(out_dir) if out_dir is not None else in_dir
    for name, columns in (("corpus", CORPUS_COLUMNS), ("paragraphs", PARAGRAPH_COLUMNS)):
        check_input(in_dir, name, columns)
    options = Options(
        workers=workers,
        batch_size=batch_size,
        chunk_size=chunk_size,
        scheduler=scheduler,
        max_length=max_length,
        use_cache=use_cache,
        cache_dir=cache_dir if cache_dir is not None else out_dir / ".cache" / "annotate",
        progress=progress,
    )
    options.check()  # before a sink folder is made
    sink = ParquetSink(out_dir, csv=csv, fingerprint=read_fingerprint(in_dir))
    texts = TextStore()
    try:
        stats = run(  # the inputs are not held here: run keeps only what it needs of them
            read_corpus(in_dir, texts),
            read_input(in_dir, "paragraphs", PARAGRAPH_COLUMNS),
            sink,
            texts,
            linker=linker,
            options=options,
        )
        paths = sink.finish()
    except BaseException:
        sink.abort()
        raise
    finally:
        texts.close()
    summary: dict[str, Any] = dict(stats.__dict__)
    summary["seconds"] = round(time.perf_counter() - started, 3)
    summary["paths"] = paths
    return summary


def format_summary(summary: dict[str, Any]) -> str:
    """The short summary ``discourse annotate`` prints."""
    s = summary
    lines = [
        f"annotated {s['annotated']} of {s['documents']} documents in {s['threads']} thread(s) "
        f"({s['empty']} empty, {s['non_english']} not English)",
        f"{s['sentences']} sentences, {s['mentions']} mentions of {s['entities']} entities",
        f"cache: {s['cache_hits']} documents from cache, {s['parsed']} parsed; "
        f"{s['link_cache_hits']} thread(s) linking from cache; {s['seconds']:.1f} s",
    ]
    if s.get("rebuilt"):
        lines.append(f"cache: {s['rebuilt']} malformed cache entries were rebuilt")
    return "\n".join(lines)
