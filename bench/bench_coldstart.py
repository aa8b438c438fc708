"""Benchmark: a fully cached ``discourse run`` on the seed against a cold one (goal <= 0.4).

Cold: ``discourse run --out DIR`` into an empty folder (no tables, no annotation cache).
Cached: the same command again in the same folder, where annotate, compare and figures find
their outputs fresh (:mod:`analysis.freshness`) and are skipped. Prints, from one run, the wall
time and the CPU time (user + system of the child process) of each and their ratios, the load
average before and after (the machine is shared), then the modules with the largest cumulative
import time in a third, cached run (``python -X importtime``) and a check that the cached run
left every table byte-identical. Usage::

    .venv/bin/python bench/bench_coldstart.py
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOP = 12


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def env() -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}


def run(work: Path, *extra: str) -> tuple[float, float, str]:
    """``(wall seconds, CPU seconds, stdout + stderr)`` of one ``discourse run --out work``."""
    cmd = [sys.executable, *extra, "-m", "analysis", "run", "--out", str(work)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env(), check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"discourse run failed ({done.returncode})")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout + done.stderr


def digests(work: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(work.glob("*.parquet")) + sorted(work.glob("*.csv"))
    }


def import_offenders(stderr: str, top: int = TOP) -> list[tuple[int, str]]:
    """The top-level packages with the largest cumulative import time (microseconds)."""
    best: dict[str, int] = {}
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if m:
            name = m.group(4)
            root = name.split(".")[0]
            best[root] = max(best.get(root, 0), int(m.group(2)))
    return sorted(((us, name) for name, us in best.items()), reverse=True)[:top]


def main() -> int:
    print(f"cpus: {os.cpu_count()}; load average before: {load()}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench-coldstart-"))
    try:
        cold_wall, cold_cpu, _ = run(work)
        tables = digests(work)
        cached_wall, cached_cpu, out = run(work)
        same = digests(work) == tables
        skipped = sorted(set(re.findall(r"\[(\w+)\] outputs are fresh", out)))
        _, _, imports = run(work, "-X", "importtime")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\ndiscourse run on the seed (load {load()}):")
    print(f"  cold   {cold_wall:6.1f} s wall  {cold_cpu:6.1f} s CPU")
    print(f"  cached {cached_wall:6.1f} s wall  {cached_cpu:6.1f} s CPU  (skipped: {skipped})")
    print(
        f"  ratio cached / cold: wall {cached_wall / cold_wall:.2f}, CPU "
        f"{cached_cpu / cold_cpu:.2f} (goal <= 0.4)"
    )
    print(f"  tables byte-identical after the cached run: {same} ({len(tables)} files)")
    print(f"\nlargest cumulative imports in a cached run (python -X importtime, top {TOP}):")
    for us, name in import_offenders(imports):
        print(f"  {us / 1e6:6.2f} s  {name}")
    print(f"\nload average after: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
