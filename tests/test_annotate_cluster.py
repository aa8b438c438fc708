"""The Dask schedulers (:mod:`analysis.annotate.cluster`): a forked LocalCluster that starts with
the pipeline loaded and Dask's profiler off, results in submission order, and the environment
that gives a cluster started by hand the same settings. (The tables of every scheduler are
compared in ``tests/test_annotate_scale.py``.)"""

from __future__ import annotations

import gc
import multiprocessing
import os
import time

import pytest

from analysis.annotate import components
from analysis.annotate.cluster import WORKER_CONFIG, dask_scheduler, worker_environment


def _dask():
    """``dask``, or a skip (a failure under CI=true, where dask is installed)."""
    try:
        import dask
        import distributed  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("dask[distributed] is not installed")
    return dask


def test_worker_environment_is_read_by_dask_as_the_worker_config() -> None:
    dask = _dask()
    env = worker_environment()
    assert all(k.startswith(("DASK_", "OMP_", "OPENBLAS_", "MKL_")) for k in env)
    read = dask.config.collect_env(env)
    for key, value in WORKER_CONFIG.items():
        assert dask.config.get(key, config=read) == value, key
    assert dask.config.get("distributed.worker.profile.enabled", config=read) is False


def _pipeline_loaded() -> int:
    return components.annotation_pipeline.cache_info().currsize


def _config(key: str):
    import dask

    return dask.config.get(key)


def _slow_identity(part: list[str]) -> list[str]:
    time.sleep(0.3 if part[0] == "0" else 0.0)  # the first partition finishes last
    return [f"{s}!" for s in part]


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are forked only here"
)
def test_local_cluster_workers_are_forked_loaded_and_unprofiled() -> None:
    _dask()
    loads = []

    def load() -> None:
        loads.append(os.getpid())
        components.annotation_pipeline()

    with dask_scheduler("local-cluster", 2, load=load) as scheduler:
        client = scheduler.client
        assert loads == [os.getpid()]  # loaded once, here, before the workers started
        assert scheduler.workers == 2
        # the workers have the pipeline before any task ran: inherited, not loaded again
        assert set(client.run(_pipeline_loaded).values()) == {1}
        assert set(client.run(_config, "distributed.worker.profile.enabled").values()) == {False}
        parts = [[str(i), "x"] for i in range(12)]
        got = list(scheduler.map(_slow_identity, iter(parts)))
    assert got == [[f"{i}!", "x!"] for i in range(12)]  # submission order, not finishing order


def test_tcp_scheduler_counts_the_workers_of_a_running_cluster() -> None:
    dask = _dask()
    import distributed

    with (
        dask.config.set(WORKER_CONFIG),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
    ):  # fmt: skip
        with dask_scheduler(cluster.scheduler_address, 5, load=_refuse) as scheduler:
            assert scheduler.workers == 2  # the cluster's workers, not the option
            got = list(scheduler.map(_slow_identity, iter([["0"], ["1"]])))
    assert got == [["0!"], ["1!"]]


def _warm_state() -> tuple[int, int]:
    return components.annotation_pipeline.cache_info().currsize, gc.get_freeze_count()


def test_a_spawned_worker_is_warmed_once_by_its_first_partition() -> None:
    """A worker of a running cluster (spawned, not forked) loads the pipeline and freezes the
    heap on its first partition, and only then: later partitions find it warm."""
    dask = _dask()
    import distributed

    with (
        dask.config.set({**WORKER_CONFIG, "distributed.worker.multiprocessing-method": "spawn"}),
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):  # fmt: skip
        (before,) = client.run(_warm_state).values()
        assert before == (0, 0)
        with dask_scheduler(cluster.scheduler_address, 1, load=_refuse) as scheduler:
            assert list(scheduler.map(_slow_identity, iter([["1"], ["2"]]))) == [["1!"], ["2!"]]
        (warm,) = client.run(_warm_state).values()
    assert warm[0] == 1 and warm[1] > 0


def _refuse() -> None:
    raise AssertionError("nothing is loaded here for a cluster that is already running")
