"""Speed-up of the parallel schedulers over one process, measured alternately on a shared machine.

One synthetic thread (``bench_annotate.synthetic_tables``: distinct comments built from the seed's
clauses) is annotated on a cold cache by each configuration in turn, ``--rounds`` times, the order
rotated each round so that a burst of other load does not fall on one configuration:

* ``1 process``: ``annotate_dir`` in this process (pipeline loaded beforehand);
* ``--workers 2``: the fork pool (forked from this warm process);
* ``local-cluster``: a ``dask.distributed.LocalCluster`` of 2 single-threaded worker processes
  started and closed by the run (its start-up and model loads included);
* ``tcp://``: a scheduler and 2 workers started by this script as separate processes (``dask
  scheduler``, ``dask worker``), warmed by one small run, reached as ``tcp://127.0.0.1:PORT``.

For each run it prints the wall seconds, the CPU seconds of the run's own processes (this process
with the workers it reaped; for ``tcp://`` the scheduler and workers as well), the split of the
whole process tree's CPU by role, and the 1-minute load average; per configuration the median
speed-up over the median 1-process time. For ``tcp://`` it also prints, from the scheduler's task
stream, how busy the workers were (task compute seconds / (wall seconds x workers)) and the median
task.

Each speed-up is split exactly into (cores the run got / cores the 1-process run got), the
machine's factor, and the *CPU efficiency* (1-process CPU seconds / the run's), the code's. On a
shared Linux machine with ``sched_autogroup_enabled`` the scheduler shares the cores equally
between sessions, not processes: while another session keeps a core busy, this one gets about the
same share of the 2 cores whether it runs one process or three, so the first factor is near 1 and
no code reaches 1.7 there; ``2 x CPU efficiency`` is then the speed-up with each worker given the
share the single process got (the serial build pass, about 5% of one process's CPU, not counted).
Usage::

    .venv/bin/python bench/bench_cluster.py --comments 4000 --rounds 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pandas as pd  # noqa: E402
from bench_annotate import write_inputs  # noqa: E402

TABLES = ("sentences", "documents", "mentions", "entities")


def load1() -> float:
    return os.getloadavg()[0]


def tree_cpu() -> float:
    """CPU seconds of this process, its reaped children and its live descendants."""
    return sum(role_cpu().values())


def role_cpu() -> dict[str, float]:
    """:func:`tree_cpu` split by role: this process (with its reaped children), the Dask
    scheduler, the ``dask worker`` process (its nannies) and the worker processes."""
    import psutil

    me = psutil.Process()
    t = me.cpu_times()
    out = {"parent": t.user + t.system + t.children_user + t.children_system}
    for p in me.children(recursive=True):
        with suppress(psutil.Error):
            c = p.cpu_times()
            cmd = " ".join(p.cmdline())
            role = (
                "scheduler" if " scheduler " in cmd
                else "nannies" if " worker " in cmd
                else "workers"
            )  # fmt: skip
            out[role] = out.get(role, 0.0) + c.user + c.system
    return out


def start_tcp_cluster(
    work: Path, workers: int, *, tuned: bool
) -> tuple[str, list[subprocess.Popen]]:
    """A ``dask scheduler`` and ``workers`` single-threaded ``dask worker`` processes, with
    :func:`analysis.annotate.cluster.worker_environment` (``tuned``) or Dask's defaults."""
    exe = Path(sys.executable).parent / "dask"
    info = work / "scheduler.json"
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    if tuned:
        from analysis.annotate.cluster import worker_environment

        env.update(worker_environment())
    logs = (work / "cluster.log").open("w")  # noqa: SIM115 - the processes write it
    cmd = [str(exe), "scheduler", "--host", "127.0.0.1", "--port", "0"]
    cmd += ["--no-dashboard", "--scheduler-file", str(info)]
    procs = [subprocess.Popen(cmd, env=env, stdout=logs, stderr=logs)]
    for _ in range(200):
        if info.exists() and info.stat().st_size:
            break
        time.sleep(0.1)
    cmd = [str(exe), "worker", "--scheduler-file", str(info), "--nworkers", str(workers)]
    cmd += ["--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1"]
    procs.append(subprocess.Popen(cmd, env=env, stdout=logs, stderr=logs))
    from distributed import Client

    with Client(scheduler_file=str(info), timeout="30s") as client:
        client.wait_for_workers(workers, timeout=60)
        client.get_task_stream(start=time.time())  # installs the scheduler's task stream plugin
        address = client.scheduler.address
    return address, procs


def task_stream(address: str, since: float) -> dict:
    """Busy seconds per worker and task durations since ``since`` (scheduler's task stream)."""
    from distributed import Client

    with Client(address, timeout="10s") as client:
        stream = client.get_task_stream(start=since)
    busy: dict[str, float] = {}
    durations = []
    transfer = 0.0
    for task in stream:
        for part in task.get("startstops", ()):
            span = part["stop"] - part["start"]
            if part["action"] == "compute":
                busy[task["worker"]] = busy.get(task["worker"], 0.0) + span
                durations.append(span)
            else:
                transfer += span
    return {"busy": busy, "tasks": durations, "other": transfer}


def run_config(name: str, ours, address: str) -> dict:
    options = {
        "1 process": {},
        "--workers 2": {"workers": 2},
        "local-cluster": {"workers": 2, "scheduler": "local-cluster"},
        "tcp://": {"scheduler": address},
    }[name]
    before_load, cpu0, t0, epoch = load1(), role_cpu(), time.perf_counter(), time.time()
    out = ours(name, **options)
    wall = time.perf_counter() - t0
    cpu1 = role_cpu()
    roles = {k: v - cpu0.get(k, 0.0) for k, v in cpu1.items()}
    # the standing tcp:// cluster's own CPU counts only in its runs (idle, it still takes some)
    own = sum(roles.values()) if name == "tcp://" else roles["parent"]
    row = {"name": name, "wall": wall, "cpu": own, "out": out, "roles": roles}
    row["load"] = (before_load + load1()) / 2
    if name == "tcp://":
        row["stream"] = task_stream(address, epoch)
    return row


def same_tables(a: Path, b: Path) -> bool:
    return all(
        pd.read_parquet(a / f"{t}.parquet").equals(pd.read_parquet(b / f"{t}.parquet"))
        for t in TABLES
    )


def autogroup() -> str:
    """Whether the kernel shares CPU between sessions (autogroup) rather than processes."""
    with suppress(OSError):
        flag = Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip()
        return "on" if flag == "1" else "off"
    return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument(
        "--default-dask-config",
        action="store_true",
        help="start the tcp:// cluster with Dask's default settings, not the suite's",
    )
    parser.add_argument(
        "--configs", default="1 process,--workers 2,local-cluster,tcp://", help="comma-separated"
    )
    args = parser.parse_args(argv)
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]

    from analysis.annotate.stage import annotate_dir
    from analysis.linking import RuleLinker

    print(
        f"cpus {os.cpu_count()}; load average before {os.getloadavg()}; "
        f"sched autogroup {autogroup()}",
        flush=True,
    )
    work = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    write_inputs(args.comments, work / "in")
    write_inputs(50, work / "warm")
    linker = RuleLinker()
    annotate_dir(work / "warm", work / "warm-out", linker=linker, use_cache=False, progress=False)
    counter = iter(range(10**6))

    def ours(tag: str, **options) -> Path:
        i = next(counter)
        out = work / f"out-{i}"
        annotate_dir(
            work / "in", out, linker=linker, batch_size=args.batch_size,
            cache_dir=work / f"cache-{i}", progress=False, **options,
        )  # fmt: skip
        shutil.rmtree(work / f"cache-{i}", ignore_errors=True)
        return out

    address, procs = "", []
    try:
        if "tcp://" in configs:
            address, procs = start_tcp_cluster(
                work, args.workers, tuned=not args.default_dask_config
            )
            ours("warm", scheduler=address)  # loads the pipeline in each worker
            print(f"tcp cluster at {address}, warmed", flush=True)
        rows = []
        for r in range(args.rounds):
            order = configs[r % len(configs) :] + configs[: r % len(configs)]
            for name in order:
                row = run_config(name, ours, address)
                rows.append(row)
                extra = ""
                if "stream" in row:
                    s = row["stream"]
                    busy = sum(s["busy"].values()) / (row["wall"] * args.workers)
                    extra = (
                        f"; workers busy {100 * busy:.0f}% ({len(s['tasks'])} tasks, median "
                        f"{statistics.median(s['tasks']):.2f} s, non-compute {s['other']:.1f} s)"
                    )
                roles = ", ".join(f"{k} {v:.1f}" for k, v in row["roles"].items() if v > 0.05)
                print(
                    f"  round {r + 1} {name:14s} {row['wall']:6.1f} s wall, {row['cpu']:6.1f} s "
                    f"CPU (own; tree: {roles}), load {row['load']:.2f}{extra}",
                    flush=True,
                )
        report(rows, configs, args.workers)
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            with suppress(Exception):
                p.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average after {os.getloadavg()}")
    return 0


def report(rows: list[dict], configs: list[str], workers: int) -> None:
    by = {c: [r for r in rows if r["name"] == c] for c in configs}
    base = by.get("1 process")
    ref = base[0]["out"] if base else rows[0]["out"]
    same = all(same_tables(ref, r["out"]) for r in rows)
    print(f"\nmedians over {len(rows) // max(1, len(configs))} rounds:")
    t1 = statistics.median(r["wall"] for r in base) if base else None
    c1 = statistics.median(r["cpu"] for r in base) if base else None
    for c in configs:
        wall = statistics.median(r["wall"] for r in by[c])
        cpu = statistics.median(r["cpu"] for r in by[c])
        ld = statistics.median(r["load"] for r in by[c])
        line = f"  {c:14s} {wall:6.1f} s wall, {cpu:6.1f} s CPU = {cpu / wall:.2f} cores"
        line += f", load {ld:.2f}"
        if t1 and c != "1 process":
            share = (cpu / wall) / (c1 / t1)
            line += (
                f"; speed-up {t1 / wall:.2f}x (efficiency {t1 / wall / workers:.2f}) = "
                f"core-share ratio {share:.2f} x CPU efficiency {c1 / cpu:.2f}; with each "
                f"worker given the 1-process share: {workers * c1 / cpu:.2f}x"
            )
        print(line)
    print(
        "  (speed-up = (cores the run got / cores 1 process got) x (1-process CPU / its CPU);"
        " the first factor is the machine's, the second the code's)"
    )
    print(f"  same tables from every run: {same}")


if __name__ == "__main__":
    raise SystemExit(main())
