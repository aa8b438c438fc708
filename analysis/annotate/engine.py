"""The annotation engine: plan, parse and build, a partition of documents at a time.

The corpus (validated and grouped by thread by :func:`analysis.annotate.partitions.prepare`) is
worked in partitions of at most ``chunk_size`` documents inside a thread, in three passes:

1. **Plan.** Every non-empty text is hashed (with the model and library versions, see
   :mod:`analysis.annotate.cache`); texts already in the cache are not parsed again, and the
   others go to a temporary table of the cache database keyed by the hash, so a text repeated
   anywhere in the run is parsed once (its first occurrence) without holding the keys in memory.
2. **Parse.** The planned texts are parsed partition by partition by the chosen scheduler
   (:mod:`analysis.annotate.parse`: this process, a process pool, or a Dask cluster); the
   records go to the cache as they come back.
3. **Build.** Thread by thread, partition by partition, the records are read back and turned into
   rows (:mod:`analysis.annotate.build`); a record that is missing or malformed in the cache is
   parsed again here, in this process, and replaced. After its last partition the thread is
   linked (through the :class:`~analysis.annotate.protocol.Linker` passed in) and its mentions,
   entities and documents are written.

Language: see :mod:`analysis.annotate.language` (short or uncertain texts default to English).
Documents that are empty or not English keep their ``documents`` row with ``is_annotated`` false
and a ``skip_reason``; their sentiment is missing (NaN), never 0, and they get no sentences or
mentions. Sentiment: VADER per sentence and on the whole text, after
:mod:`analysis.annotate.sentiment`'s normalisation of the few characters VADER mishandles.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.annotate.build import Stats, ThreadState, build_partition, finish_thread
from analysis.annotate.cache import AnnotationCache, namespace
from analysis.annotate.components import cache_settings
from analysis.annotate.longtext import DEFAULT_MAX_LENGTH
from analysis.annotate.parse import check_scheduler, frozen_heap, open_scheduler, parse_missing
from analysis.annotate.partitions import TextStore, prepare, release_arrow_memory
from analysis.annotate.protocol import Linker
from analysis.annotate.sinks import Sink
from analysis.errors import DiscourseError

#: Documents per partition (build pass, cache transaction, parse fetch).
DEFAULT_CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Options:
    """How the engine runs (none of these changes the tables).

    Attributes:
        workers: parsing processes (pool processes or LocalCluster workers).
        batch_size: documents per ``nlp.pipe`` batch and per parse partition.
        chunk_size: documents per build partition and per cache transaction.
        scheduler: ``processes``, ``local-cluster`` or ``tcp://host:port``
            (:mod:`analysis.annotate.parse`).
        max_length: texts longer than this are parsed in chunks
            (:mod:`analysis.annotate.longtext`; part of the cache key).
        use_cache: read and write the cache (else a scratch cache is used and removed).
        cache_dir: the cache folder (default ``data/processed/.cache/annotate``).
        progress: show a progress bar (``None``: only on a terminal and for long runs).
    """

    workers: int = 1
    batch_size: int = 64
    chunk_size: int = DEFAULT_CHUNK_SIZE
    scheduler: str = "processes"
    max_length: int = DEFAULT_MAX_LENGTH
    use_cache: bool = True
    cache_dir: Path | None = None
    progress: bool | None = None

    def check(self) -> None:
        """Raise :class:`DiscourseError` for an option out of range."""
        check_scheduler(self.scheduler, self.workers)
        for name in ("batch_size", "chunk_size", "max_length"):
            if getattr(self, name) < 1:
                label = name.replace("_", " ")
                raise DiscourseError(
                    f"annotate: {label} must be at least 1 (got {getattr(self, name)})"
                )


def run(
    corpus: pd.DataFrame,
    paragraphs: pd.DataFrame,
    sink: Sink,
    texts: TextStore,
    *,
    linker: Linker,
    options: Options,
) -> Stats:
    """Annotate ``corpus`` into ``sink`` (texts kept in ``texts``); see the module docstring.
    The objects alive at the start (and the pipeline once loaded) are kept out of garbage
    collection meanwhile (:func:`analysis.annotate.parse.frozen_heap`).

    Returns:
        The run's counts.

    Raises:
        StageInputError, ModelNotFoundError, DiscourseError: see
        :func:`analysis.annotate.stage.annotate_corpus`.
    """
    with frozen_heap():
        return _run(corpus, paragraphs, sink, texts, linker=linker, options=options)


def _run(
    corpus: pd.DataFrame,
    paragraphs: pd.DataFrame,
    sink: Sink,
    texts: TextStore,
    *,
    linker: Linker,
    options: Options,
) -> Stats:
    options.check()
    corpus, para_index = prepare(corpus, paragraphs, texts)
    del paragraphs
    release_arrow_memory()
    stats = Stats(documents=len(corpus))
    ns = namespace({**cache_settings(), "max_length": options.max_length})
    with _open_store(options, ns) as store:
        threads = _threads(corpus)
        link_version = linker.version() if options.use_cache and len(corpus) else ""
        link_keys = _plan(corpus, texts, store, threads, ns, link_version, stats, options)
        parse_rows = store.planned_rows()
        stats.parsed = len(parse_rows)
        text_rows = corpus["_text_row"].to_numpy()
        if len(parse_rows):  # no scheduler (no model, no cluster) when all is cached
            with open_scheduler(options.scheduler, options.workers) as scheduler:
                parse_missing(
                    lambda rows: texts.take(text_rows[rows]),
                    parse_rows,
                    store,
                    scheduler,
                    batch_size=options.batch_size,
                    chunk_size=options.chunk_size,
                    max_length=options.max_length,
                    progress=options.progress,
                )
        del parse_rows
        for (thread_id, lo, hi), link_key in zip(threads, link_keys, strict=True):
            _build_thread(corpus, texts, sink, store, para_index, stats, options, linker,
                          thread_id, lo, hi, link_key)  # fmt: skip
            release_arrow_memory()
        stats.rebuilt = store.bad_records
    return stats


@contextmanager
def _open_store(options: Options, ns: str) -> Iterator[AnnotationCache]:
    """The cache (or, with ``use_cache`` false, a scratch one removed afterwards)."""
    if options.use_cache:
        folder = options.cache_dir or (config.PROCESSED_DIR / ".cache" / "annotate")
        with AnnotationCache(Path(folder), namespace=ns) as store:
            yield store
        return
    with tempfile.TemporaryDirectory(prefix="discourse-annotate-") as scratch:
        with AnnotationCache(Path(scratch), namespace=ns) as store:
            yield store


def _threads(corpus: pd.DataFrame) -> list[tuple[str, int, int]]:
    """``(thread_id, first row, one past the last row)`` of each thread, in corpus order."""
    if not len(corpus):
        return []
    codes, names = pd.factorize(corpus[S.THREAD_ID], use_na_sentinel=False)
    bounds = (np.flatnonzero(codes[1:] != codes[:-1]) + 1).tolist()
    starts, stops = [0, *bounds], [*bounds, len(corpus)]
    return [(str(names[codes[lo]]), lo, hi) for lo, hi in zip(starts, stops, strict=True)]


def _partition_keys(
    corpus: pd.DataFrame, texts: TextStore, store: AnnotationCache, lo: int, hi: int, size: int
) -> Iterator[tuple[int, int, list[str | None]]]:
    """``(start, stop, keys)`` of each partition of rows ``lo:hi`` (``None``: empty document)."""
    for c_lo in range(lo, hi, size):
        c_hi = min(c_lo + size, hi)
        part = texts.take(corpus["_text_row"].iloc[c_lo:c_hi].to_numpy())
        empty = corpus["_skip_empty"].iloc[c_lo:c_hi].tolist()
        yield c_lo, c_hi, [None if e else store.key(t) for t, e in zip(part, empty, strict=True)]


def _plan(
    corpus: pd.DataFrame,
    texts: TextStore,
    store: AnnotationCache,
    threads: list[tuple[str, int, int]],
    ns: str,
    link_version: str,
    stats: Stats,
    options: Options,
) -> list[str | None]:
    """Pass 1: count cache hits, plan the texts to parse, key each thread's link cache entry.

    Returns:
        Each thread's link cache key (``None`` without the cache): a hash of its documents' ids,
        kinds, positions and record keys with the linker's version.
    """
    store.start_plan()
    link_keys: list[str | None] = []
    for thread_id, lo, hi in threads:
        link_hash = hashlib.sha256(f"{ns}\0{link_version}\0{thread_id}".encode())
        for c_lo, c_hi, keys in _partition_keys(corpus, texts, store, lo, hi, options.chunk_size):
            present = {k for k in keys if k is not None}
            hits = store.contains(present) if options.use_cache else set()
            part = corpus.iloc[c_lo:c_hi]
            columns = (part[S.DOC_ID], part[S.DOC_KIND], part["position"])
            planned = []
            for i, (key, doc_id, kind, pos) in enumerate(zip(keys, *columns, strict=True)):
                if key is None:
                    continue
                link_hash.update(f"\0{doc_id}|{kind}|{pos}|{key}".encode())
                if key in hits:
                    stats.cache_hits += 1
                else:
                    planned.append((key, c_lo + i))
            store.plan(planned)
        link_keys.append(link_hash.hexdigest() if options.use_cache else None)
    return link_keys


def _build_thread(
    corpus: pd.DataFrame,
    texts: TextStore,
    sink: Sink,
    store: AnnotationCache,
    para_index: dict,
    stats: Stats,
    options: Options,
    linker: Linker,
    thread_id: str,
    lo: int,
    hi: int,
    link_key: str | None,
) -> None:
    """Pass 3 for one thread: its partitions' rows, then its linking (cached or run)."""
    stats.threads += 1
    cached = store.get_links(link_key) if link_key is not None else None
    if cached is not None and len(cached[1]) != hi - lo:
        cached = None  # not this thread's shape: link again
    linking = linker.thread(thread_id) if cached is None else None
    thread = ThreadState(thread_id, lo, hi, link_key, cached, linking, linker.keeps_candidate)
    try:
        for c_lo, c_hi, keys in _partition_keys(corpus, texts, store, lo, hi, options.chunk_size):
            records = _records(corpus, texts, store, c_lo, keys, stats, options)
            sentences = build_partition(
                corpus.iloc[c_lo:c_hi], texts, c_lo, keys, records, thread, para_index, stats
            )
            del records
            sink.write("sentences", sentences)
        finish_thread(thread, corpus, texts, sink, store, stats, options.chunk_size)
    finally:
        thread.docs.close()


def _records(
    corpus: pd.DataFrame,
    texts: TextStore,
    store: AnnotationCache,
    c_lo: int,
    keys: list[str | None],
    stats: Stats,
    options: Options,
) -> dict[str, dict]:
    """The records of a partition's keys; missing or malformed ones are parsed again here."""
    records = store.get_many(k for k in keys if k is not None)
    missing = [c_lo + i for i, k in enumerate(keys) if k is not None and k not in records]
    if not missing:
        return records
    text_rows = corpus["_text_row"].to_numpy()
    with open_scheduler("processes", 1) as scheduler:
        parse_missing(
            lambda rows: texts.take(text_rows[rows]),
            np.asarray(missing, dtype="int64"),
            store,
            scheduler,
            batch_size=options.batch_size,
            chunk_size=options.chunk_size,
            max_length=options.max_length,
            progress=False,
        )
    stats.parsed += len(set(keys[r - c_lo] for r in missing))
    return store.get_many(k for k in keys if k is not None)
