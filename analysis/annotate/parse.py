"""The parse step: texts to records, in one process, in a process pool or on a Dask cluster.

:func:`parse_partition` is a pure function from a partition of texts to their records (the
pipeline, the language detector and VADER are loaded once per process and cached there). A
scheduler (:func:`open_scheduler`) maps :func:`encoded_partition` (the same records, JSON-encoded
for the cache where they were parsed) over the partitions and gives the results back in the
partitions' order, so the result does not depend on where a partition ran:

* ``processes`` (the default): ``workers == 1`` runs in this process; more workers are a pool of
  forked processes, each parsing partitions of ``batch_size`` texts and sending back only the
  encoded records. (spaCy's own ``nlp.pipe(n_process=...)`` ships every ``Doc`` back to the parent
  through srsly's msgpack, whose registry lookup costs about a millisecond per document here, so
  two processes ran slower than one.)
* ``local-cluster``: a ``dask.distributed.LocalCluster`` of ``workers`` single-threaded worker
  processes, started for the run and closed after it (:mod:`analysis.annotate.cluster`).
* ``tcp://host:port``: an existing Dask cluster (its workers need this package and the model
  installed); nothing is started or stopped (:mod:`analysis.annotate.cluster`).

A spaCy ``Doc`` does not depend on the other texts of its batch, so the records are the same
whatever the partitioning and the scheduler (``tests/test_annotate.py`` compares the tables).
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from analysis.annotate import components
from analysis.annotate.cache import AnnotationCache, encode_record
from analysis.annotate.components import GUESS_KEY, RECORD_KEY
from analysis.annotate.language import detect_language
from analysis.annotate.language import identifier as _langid_identifier
from analysis.annotate.longtext import DEFAULT_MAX_LENGTH, chunk_bounds
from analysis.annotate.sentiment import analyzer as _vader_analyzer
from analysis.annotate.sentiment import vader_scores
from analysis.errors import DiscourseError

if TYPE_CHECKING:
    from spacy.language import Language

#: A progress bar is shown (when stderr is a terminal) once this many documents need parsing.
PROGRESS_MIN_DOCS = 500
#: The ``scheduler`` values besides a ``tcp://host:port`` address.
SCHEDULERS = ("processes", "local-cluster")
#: The last partitions of a parallel parse are this many times smaller (:func:`partition_sizes`).
_TAIL_SPLIT = 4
_THREAD_ENV_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)


def parse_partition(
    texts: list[str], *, batch_size: int = 64, max_length: int = DEFAULT_MAX_LENGTH
) -> list[dict]:
    """The records of ``texts`` (see :func:`analysis.annotate.components.doc_record`), in order.

    A pure function of its arguments (and the installed model and libraries): the parse step maps
    it over partitions of the texts to parse, in whichever process runs the partition.

    Args:
        texts: the partition (non-empty texts).
        batch_size: documents per ``nlp.pipe`` batch.
        max_length: texts longer than this are parsed in chunks (see
            :mod:`analysis.annotate.longtext`).

    Raises:
        ModelNotFoundError: no English pipeline is installed.
    """
    nlp = components.annotation_pipeline()
    return parse_texts(nlp, texts, batch_size=batch_size, max_length=max_length)


def encoded_partition(
    texts: list[str], *, batch_size: int = 64, max_length: int = DEFAULT_MAX_LENGTH
) -> list[str]:
    """:func:`parse_partition`'s records encoded for the cache
    (:func:`analysis.annotate.cache.encode_record`): what the schedulers map, so the encoding is
    done where the parse ran (in parallel, by the workers) and a worker sends back one string per
    document, cheaper to pass between processes than nested lists."""
    return [
        encode_record(r)
        for r in parse_partition(texts, batch_size=batch_size, max_length=max_length)
    ]


def parse_texts(
    nlp: Language, texts: list[str], *, batch_size: int, max_length: int = DEFAULT_MAX_LENGTH
) -> list[dict]:
    """The records of ``texts`` (``nlp`` is the annotation pipeline), in order; texts longer than
    ``max_length`` (or ``nlp.max_length``) are parsed in chunks (:func:`long_text_record`)."""
    limit = min(max_length, nlp.max_length)
    out: list[dict | None] = [None] * len(texts)
    short = [i for i, text in enumerate(texts) if len(text) <= limit]
    docs = nlp.pipe([texts[i] for i in short], batch_size=batch_size)
    for i, doc in zip(short, docs, strict=True):
        out[i] = doc.user_data[RECORD_KEY]
    for i, text in enumerate(texts):
        if out[i] is None:
            out[i] = long_text_record(nlp, text, max_length=limit, batch_size=batch_size)
    return out


def long_text_record(nlp: Language, text: str, *, max_length: int, batch_size: int) -> dict:
    """The record of a text longer than ``max_length``, parsed in chunks (module docstring).

    Returns:
        A record as :func:`analysis.annotate.components.doc_record` returns, with every offset
        into ``text``.
    """
    guess = detect_language(text)
    bounds = chunk_bounds(text, max_length)
    docs = []
    for lo, hi in bounds:
        doc = nlp.make_doc(text[lo:hi])
        doc.user_data[GUESS_KEY] = guess
        docs.append(doc)
    record: dict = {"tokens": 0, "words": 0, "sents": [], "ents": [], "cands": []}
    for (lo, _), doc in zip(bounds, nlp.pipe(docs, batch_size=batch_size), strict=True):
        part = doc.user_data[RECORD_KEY]
        record["tokens"] += part["tokens"]
        record["words"] += part["words"]
        record["sents"] += [[s[0] + lo, s[1] + lo, *s[2:]] for s in part["sents"]]
        record["ents"] += [[a + lo, b + lo, label] for a, b, label in part["ents"]]
        record["cands"] += [[a + lo, b + lo, *rest] for a, b, *rest in part["cands"]]
    record.update(lang=guess.lang, lang_score=guess.score, lang_rule=guess.rule)
    record["vader"] = list(vader_scores(text)) if guess.is_english else None
    return record


def check_scheduler(scheduler: str, workers: int) -> None:
    """Raise :class:`DiscourseError` for an unknown scheduler or fewer than one worker."""
    if workers < 1:
        raise DiscourseError(f"annotate: workers must be at least 1 (got {workers})")
    if scheduler not in SCHEDULERS and not scheduler.startswith("tcp://"):
        raise DiscourseError(
            f"annotate: unknown scheduler {scheduler!r}; expected one of "
            f"{', '.join(SCHEDULERS)} or a Dask address tcp://host:port"
        )


class Scheduler(Protocol):
    """Maps a function over partitions, giving the results back in order, on ``workers``
    processes."""

    workers: int
    #: Texts per partition, in ``batch_size`` units (more for a cluster: fewer round trips).
    batches_per_partition: int

    def map(
        self, fn: Callable[[list[str]], list[Any]], partitions: Iterable[list[str]]
    ) -> Iterator[list[Any]]: ...


class _InProcess:
    workers = 1
    batches_per_partition = 1

    def map(self, fn, partitions):
        for partition in partitions:
            yield fn(partition)


class _Pool:
    def __init__(self, pool: Any, workers: int) -> None:
        self.pool, self.workers = pool, workers
        self.batches_per_partition = 1  # a fork's round trip is a pipe write: cheap

    def map(self, fn, partitions):
        yield from self.pool.imap(fn, partitions)


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep the objects alive now out of Python's cyclic garbage collection until the block ends
    (``gc.freeze``, then ``gc.unfreeze``). Annotation makes many small lists and dicts (the
    records), which set off collections; a full collection walked every object of the loaded
    pipeline, lexicons and linker each time (about 2% of a 3,000-comment run). A forked pool
    worker inherits the frozen state, which is what ``gc.freeze`` is meant for. Nothing is
    changed when the process has frozen objects already (the caller manages freezing)."""
    if gc.get_freeze_count() or _FROZEN:
        yield
        return
    gc.freeze()
    _FROZEN.append(True)
    try:
        yield
    finally:
        _FROZEN.clear()
        gc.unfreeze()


#: Not empty while :func:`frozen_heap` has the objects frozen.
_FROZEN: list[bool] = []


def _join_frozen_heap() -> None:
    """Freeze the objects just loaded (the pipeline) too, inside a :func:`frozen_heap` block that
    froze the heap."""
    if _FROZEN:
        gc.freeze()


@contextmanager
def open_scheduler(scheduler: str, workers: int) -> Iterator[Scheduler]:
    """The scheduler for ``scheduler`` and ``workers`` (see the module docstring).

    Raises:
        DiscourseError: an unknown scheduler, or a Dask cluster that cannot be reached.
    """
    check_scheduler(scheduler, workers)
    if scheduler == "processes" and workers == 1:
        _init_worker()
        _join_frozen_heap()
        yield _InProcess()
    elif scheduler == "processes":
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else None)
        _init_worker()  # forked workers inherit the loaded pipeline
        _join_frozen_heap()
        with _single_threaded_workers():
            pool = context.Pool(workers, initializer=_init_pool_worker)
        try:
            yield _Pool(pool, workers)
            pool.close()
        finally:
            pool.terminate()
            pool.join()
    else:
        from analysis.annotate.cluster import dask_scheduler

        with dask_scheduler(scheduler, workers, load=_load_for_fork) as dask:
            yield dask


def _load_for_fork() -> None:
    """Load what workers forked from this process should inherit (see :func:`_init_worker`)."""
    _init_worker()
    _join_frozen_heap()


@contextmanager
def _single_threaded_workers() -> Iterator[None]:
    """Ask numerical libraries in worker processes for one thread each (restored afterwards)."""
    saved = {name: os.environ.get(name) for name in _THREAD_ENV_VARS}
    for name in _THREAD_ENV_VARS:
        os.environ[name] = "1"
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _init_worker() -> None:
    """Worker process start: load the pipeline, detector and VADER (no-ops when forked)."""
    components.annotation_pipeline()
    _langid_identifier()
    _vader_analyzer()


def _init_pool_worker() -> None:
    """Forked pool worker start: one BLAS thread (the parent's BLAS was set up before the
    environment said so, and a fork inherits its thread pool), then :func:`_init_worker`."""
    from threadpoolctl import threadpool_limits  # installed with scikit-learn (pinned)

    threadpool_limits(1)
    _init_worker()


def partition_sizes(n: int, *, size: int, workers: int) -> list[int]:
    """Sizes of the parse partitions of ``n`` texts: ``size`` each, except that with more than
    one worker the last ``workers * size`` texts go in partitions of a quarter of that, so the
    workers finish at about the same time (one worker is not left parsing a whole last
    partition while the others wait). Sums to ``n``; the records do not depend on it."""
    if n <= 0:
        return []
    tail = min(n, workers * size) if workers > 1 else 0
    small = max(1, size // _TAIL_SPLIT)
    head = n - tail
    sizes = [size] * (head // size)
    if head % size:
        sizes.append(head % size)
    sizes += [small] * (tail // small)
    if tail % small:
        sizes.append(tail % small)
    return sizes


def _show_progress(progress: bool | None, n: int) -> bool:
    if progress is not None:
        return progress
    return n >= PROGRESS_MIN_DOCS and sys.stderr.isatty()


def parse_missing(
    texts: Callable[[np.ndarray], list[str]],
    rows: np.ndarray,
    store: AnnotationCache,
    scheduler: Scheduler,
    *,
    batch_size: int,
    chunk_size: int,
    max_length: int,
    progress: bool | None,
) -> None:
    """Parse the texts at positions ``rows`` and store their records.

    Texts are fetched ``chunk_size`` at a time (``texts(rows)`` gives the texts at those rows)
    and cut into partitions of :func:`partition_sizes` (``batch_size`` times the scheduler's
    ``batches_per_partition``), so the parse queue never holds the whole corpus; records go to
    the cache about ``chunk_size`` at a time, in order. (A repeated key within ``rows`` is
    stored twice with the same record.)
    """
    if not len(rows):
        return

    sent: deque[list[str]] = deque()  # partitions handed to the scheduler, in order
    sizes = partition_sizes(
        len(rows), size=batch_size * scheduler.batches_per_partition, workers=scheduler.workers
    )

    def partitions() -> Iterator[list[str]]:
        # each text is read once (a pool reads this in its task thread: the main thread must
        # not read the same store meanwhile, which made two workers slower than one)
        chunk: list[str] = []
        used, k = 0, 0
        for lo in range(0, len(rows), chunk_size):
            chunk = chunk[used:] + texts(rows[lo : lo + chunk_size])
            used = 0
            while k < len(sizes) and len(chunk) - used >= sizes[k]:
                batch = chunk[used : used + sizes[k]]
                used, k = used + sizes[k], k + 1
                sent.append(batch)
                yield batch

    fn = functools.partial(encoded_partition, batch_size=batch_size, max_length=max_length)
    bar = None
    if _show_progress(progress, len(rows)):
        from tqdm import tqdm

        bar = tqdm(total=len(rows), unit="doc", desc="annotate", file=sys.stderr)
    records = scheduler.map(fn, partitions())
    pending: dict[str, str] = {}
    try:
        for result in records:
            batch = sent.popleft()
            for text, record in zip(batch, result, strict=True):
                pending[store.key(text)] = record
            if len(pending) >= chunk_size:
                store.put_encoded(pending)
                pending = {}
            if bar is not None:
                bar.update(len(batch))
        store.put_encoded(pending)
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()
        if bar is not None:
            bar.close()
