"""The Dask schedulers of the parse step: a LocalCluster started for the run, or a running cluster.

:func:`dask_scheduler` gives a :class:`DaskScheduler` (a
:class:`~analysis.annotate.parse.Scheduler`) on

* ``local-cluster``: a ``dask.distributed.LocalCluster`` of ``workers`` single-threaded worker
  processes, started for the run and closed after it. Where the platform can fork, the pipeline,
  the language detector and VADER are loaded once in this process and the workers are *forked*
  from it (Dask's ``distributed.worker.multiprocessing-method: fork``), so each worker starts with
  them loaded instead of importing spaCy and loading the model itself (on this shared 2-core
  machine a spawned worker's first 10-text partition took 8.8 s, a forked one's 0.23 s; on a
  2,000-comment thread the spawned cluster's run cost 2.5 times the CPU seconds of one process,
  the forked one's 1.01 times: ``bench/bench_cluster.py``);
* ``tcp://host:port``: an existing cluster (its workers need this package and the model; each
  loads them once, on its first partition, keeps them, and then moves them out of the cyclic
  garbage collector's reach with ``gc.freeze`` as a forked worker inherits them, and raises the
  malloc thresholds a Dask nanny lowers, :mod:`analysis.annotate.heap`; see :func:`warm_call`);
  nothing is started or stopped. Workers whose model or library versions differ from this
  process's are refused.

Clusters this module starts run with :data:`WORKER_CONFIG`: Dask's per-worker statistical profiler
(a stack sample of every thread each 10 ms, for the dashboard) off, and its event-loop watchdog and
system and memory monitors polled less often. Measured on an idle 2-worker LocalCluster over 20 s,
the defaults cost 2.0 CPU seconds (a tenth of a core, taken from the parsing workers on a small
machine), these settings 0.34 s. The workers of a cluster you start yourself do the same with the
environment variables :func:`worker_environment` lists (``bench/bench_cluster.py`` starts its
``tcp://`` cluster so).

Partitions go out in order through a bounded window and their records come back in order, so the
tables do not depend on which worker ran what (``tests/test_annotate_scale.py`` compares them).
"""

from __future__ import annotations

import gc
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from analysis.annotate import components
from analysis.annotate.heap import restore_allocator
from analysis.errors import DiscourseError

#: Partitions each Dask worker may have queued ahead of the one it is parsing.
DASK_AHEAD = 4
#: A Dask partition holds this many ``nlp.pipe`` batches (a task costs a few scheduler round
#: trips: fewer, larger partitions; the tail of ``partition_sizes`` keeps the last ones small).
DASK_BATCHES_PER_PARTITION = 4
#: Dask settings of the clusters this module starts (module docstring): none changes a record.
WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def worker_environment() -> dict[str, str]:
    """:data:`WORKER_CONFIG` as the ``DASK_*`` environment variables a ``dask scheduler`` or
    ``dask worker`` process reads at start (one BLAS thread each besides)."""
    env = {
        "DASK_" + key.upper().replace(".", "__").replace("-", "_"): str(value)
        for key, value in WORKER_CONFIG.items()
    }
    return {**env, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class DaskScheduler:
    """Maps a function over partitions on a Dask cluster, results back in order.

    Attributes:
        client: the ``distributed.Client``.
        workers: the cluster's worker count (partition sizes are planned for it).
        batches_per_partition: :data:`DASK_BATCHES_PER_PARTITION`.
    """

    def __init__(self, client: Any, workers: int) -> None:
        self.client, self.workers = client, max(1, workers)
        self.batches_per_partition = DASK_BATCHES_PER_PARTITION
        self.ahead = self.workers * DASK_AHEAD

    def map(
        self, fn: Callable[[list[str]], list[Any]], partitions: Iterable[list[str]]
    ) -> Iterator[list[Any]]:
        """Submit partitions as earlier ones come back (a bounded window), in order."""
        window: deque = deque()
        for partition in partitions:
            window.append(self.client.submit(warm_call, fn, partition, pure=False))
            if len(window) > self.ahead:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def warm_call(fn: Callable[[list[str]], list[Any]], partition: list[str]) -> list[Any]:
    """``fn(partition)`` on a worker, which first (once per process) loads the pipeline, the
    language detector and VADER and freezes the heap (``gc.freeze``), unless it already holds
    frozen objects (a worker forked from a frozen parent): annotation makes many small objects,
    and each full collection otherwise walks every object of the loaded pipeline. It also undoes
    the nanny's small malloc trim threshold (:func:`analysis.annotate.heap.restore_allocator`)."""
    if not _WARM:
        restore_allocator()
        if not gc.get_freeze_count():
            from analysis.annotate.language import identifier
            from analysis.annotate.sentiment import analyzer

            components.annotation_pipeline()
            identifier()
            analyzer()
            gc.freeze()
        _WARM.append(True)
    return fn(partition)


#: Not empty once :func:`warm_call` has warmed this process.
_WARM: list[bool] = []


@contextmanager
def dask_scheduler(
    scheduler: str, workers: int, *, load: Callable[[], None]
) -> Iterator[DaskScheduler]:
    """A :class:`DaskScheduler` on a new LocalCluster (``local-cluster``) or on the cluster at
    ``scheduler`` (``tcp://host:port``).

    Args:
        scheduler: ``local-cluster`` or a Dask address.
        workers: the LocalCluster's worker processes (ignored for an address).
        load: loads the pipeline, detector and VADER in the calling process (run before forking
            the LocalCluster's workers, so they inherit them).

    Raises:
        DiscourseError: ``distributed`` is not installed, no scheduler answers at the address,
            or its workers have other versions.
    """
    try:
        import dask
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - dask is in the dev extra
        raise DiscourseError(
            "annotate: --scheduler needs dask[distributed] (pip install 'dask[distributed]')"
        ) from exc
    if scheduler == "local-cluster":
        with dask.config.set(WORKER_CONFIG), _local_cluster(workers, load) as cluster:
            with Client(cluster) as client:
                client.run(_one_blas_thread)
                yield DaskScheduler(client, workers)
        return
    try:
        client = Client(scheduler, timeout="3s")
    except (OSError, TimeoutError) as exc:
        raise DiscourseError(f"annotate: no Dask scheduler answers at {scheduler} ({exc})") from exc
    try:
        _check_worker_versions(client, scheduler)
        yield DaskScheduler(client, len(client.scheduler_info().get("workers", {})))
    finally:
        client.close()


@contextmanager
def _local_cluster(workers: int, load: Callable[[], None]) -> Iterator[Any]:
    """A LocalCluster of ``workers`` single-threaded processes, forked from this (loaded)
    process where the platform can fork, else spawned (each then loads the model itself)."""
    import dask
    from distributed import LocalCluster

    fork = "fork" in multiprocessing.get_all_start_methods()
    if fork:
        load()
    method = {"distributed.worker.multiprocessing-method": "fork" if fork else "spawn"}
    with dask.config.set(method), _single_threaded_env():
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        )
    try:
        yield cluster
    finally:
        cluster.close()


@contextmanager
def _single_threaded_env() -> Iterator[None]:
    from analysis.annotate.parse import _single_threaded_workers

    with _single_threaded_workers():
        yield


def _one_blas_thread() -> None:
    """In a worker: one BLAS thread (a forked worker inherits the parent's BLAS thread pool,
    set up before the environment asked for one thread)."""
    from threadpoolctl import threadpool_limits  # installed with scikit-learn (pinned)

    threadpool_limits(1)


def _check_worker_versions(client: Any, scheduler: str) -> None:
    """Refuse a cluster whose workers would parse with another model or library version (their
    records would be cached under this process's versions)."""
    ours = components.cache_settings()
    for worker, theirs in client.run(components.cache_settings).items():
        if theirs != ours:
            differ = sorted(k for k in ours if theirs.get(k) != ours[k])
            raise DiscourseError(
                f"annotate: Dask worker {worker} at {scheduler} has other versions than this "
                f"process ({', '.join(differ)}); install the same environment on the workers"
            )
