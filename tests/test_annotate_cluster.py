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


def _warm_state() -> tuple[int, int]:
    return components.annotation_pipeline.cache_info().currsize, gc.get_freeze_count()


def test_tcp_workers_are_counted_and_warmed_once_by_their_first_partition() -> None:
    """On a running cluster (workers spawned, not forked) the scheduler counts the cluster's
    workers, not the option, and a worker loads the pipeline and freezes its heap when its first
    partition arrives; results come back in order."""
    dask = _dask()
    import distributed

    with (
        dask.config.set({**WORKER_CONFIG, "distributed.worker.multiprocessing-method": "spawn"}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):  # fmt: skip
        assert set(client.run(_warm_state).values()) == {(0, 0)}
        with dask_scheduler(cluster.scheduler_address, 5, load=_refuse) as scheduler:
            assert scheduler.workers == 2
            parts = [[str(i)] for i in range(6)]
            assert list(scheduler.map(_slow_identity, iter(parts))) == [[f"{i}!"] for i in range(6)]
        states = list(client.run(_warm_state).values())
    warm = [s for s in states if s != (0, 0)]
    assert warm and all(loaded == 1 and frozen > 0 for loaded, frozen in warm)


def _refuse() -> None:
    raise AssertionError("nothing is loaded here for a cluster that is already running")
