"""Benchmark: peak memory of annotate and of compare (and figures, report) at two thread sizes.

Prints, from one run, the peak resident memory summed over the whole process tree (the parent,
its workers and, with ``--scheduler local-cluster``, the scheduler), sampled every 0.1 s, of a
fresh child process per stage and size, and the ratio largest / smallest size (goal <= 1.2 for a
5x larger thread). Each child also reports its own peak (``ru_maxrss``, exact, not sampled) and
the Python heap peak is not traced (tracemalloc would slow the stages several times); use
``--trace compare`` for a tracemalloc breakdown of one compare run by source line.

The thread: :func:`bench_annotate.synthetic_tables` (the seed's article and ``n`` distinct
comments built from its clauses, 5% empty). Each size is annotated once into ``--work/<n>/``
(kept: later runs reuse the annotated layout, and then print the annotate figures measured when
it was built, with that run's date and load); ``--fresh`` rebuilds it. Compare, figures and
report write into the same folder, as ``discourse run`` does. Usage::

    .venv/bin/python bench/bench_memory.py                          # 20,000 and 100,000
    .venv/bin/python bench/bench_memory.py --sizes 2000,10000 --stages compare
    .venv/bin/python bench/bench_memory.py --sizes 20000 --trace compare
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_annotate import load, tree_rss  # noqa: E402

STAGES = ("annotate", "compare", "figures", "report")
SAMPLE_SECONDS = 0.1


# ------------------------------------------------------------------------- in the child
def run_stage(stage: str, folder: Path, options: dict) -> dict:
    """Run ``stage`` on the layout in ``folder``; return what the parent prints beside RSS."""
    from analysis import pipeline

    quiet = {"log": lambda *_: None}
    if stage == "annotate":
        from analysis.annotate.stage import annotate_dir
        from analysis.linking import RuleLinker

        summary = annotate_dir(
            folder,
            folder,
            linker=RuleLinker(),
            workers=options["workers"],
            batch_size=options["batch_size"],
            cache_dir=folder / ".cache",
            progress=False,
            scheduler=options["scheduler"],
        )
        return {"parsed": summary["parsed"], "sentences": summary["sentences"]}
    if stage == "compare":
        pipeline.compare(in_dir=folder, csv=True, **quiet)
    elif stage == "figures":
        pipeline.figures(in_dir=folder, out=folder / "figures", **quiet)
    else:
        pipeline.report(in_dir=folder, figures_dir=folder / "figures", **quiet)
    return {}


def child(stage: str, folder: Path, options: dict, trace: bool) -> None:
    """In a fresh process: run ``stage``, print JSON with seconds and the own peak RSS."""
    if trace:
        import tracemalloc

        tracemalloc.start(1)
    started = time.perf_counter()
    info = run_stage(stage, folder, options)
    info["seconds"] = time.perf_counter() - started
    info["own_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        current, peak = tracemalloc.get_traced_memory()
        top = tracemalloc.take_snapshot().statistics("lineno")[:15]
        info["traced_peak_mb"] = peak / 2**20
        info["traced_now_mb"] = current / 2**20
        info["top_lines"] = [f"{s.size / 2**20:7.1f} MB  {s.traceback}" for s in top]
    print(json.dumps(info))


# ------------------------------------------------------------------------- in the parent
def measured(stage: str, folder: Path, options: dict, trace: bool = False) -> dict:
    """Run ``stage`` in a fresh child; its JSON plus the sampled peak tree RSS in MB."""
    import psutil

    cmd = [sys.executable, __file__, "--child", stage, str(folder), json.dumps(options)]
    if trace:
        cmd.append("--trace-child")
    env = {**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    proc_handle = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    proc, peak = psutil.Process(proc_handle.pid), 0
    while proc_handle.poll() is None:
        with suppress(psutil.Error):
            peak = max(peak, tree_rss(proc))
        time.sleep(SAMPLE_SECONDS)
    out, err = proc_handle.communicate()
    if proc_handle.returncode != 0:
        print(err[-3000:], file=sys.stderr)
        raise SystemExit(f"{stage} on {folder} failed")
    info = json.loads(out.strip().splitlines()[-1])
    return {**info, "tree_mb": peak / 2**20, "load": load()}


def prepare(folder: Path, n: int, options: dict, fresh: bool) -> dict:
    """Write and annotate the thread of ``n`` comments in ``folder`` (once); the annotate
    figures, measured now or read from the run that built the layout."""
    from bench_annotate import write_inputs

    done = folder / "annotate.json"
    if done.is_file() and not fresh:
        return {**json.loads(done.read_text(encoding="utf-8")), "reused": True}
    shutil.rmtree(folder, ignore_errors=True)
    _, words = write_inputs(n, folder)
    print(f"annotating {n} comments ({words} words; load {load()}) ...", flush=True)
    info = measured("annotate", folder, options)
    info.update(words=words, date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), **options)
    done.write_text(json.dumps(info), encoding="utf-8")
    return {**info, "reused": False}


def print_rows(stage: str, rows: dict[int, dict]) -> None:
    print(f"\n{stage}: peak RSS summed over the process tree")
    for n, r in rows.items():
        note = f"; measured {r['date']} when the layout was built" if r.get("reused") else ""
        print(
            f"  {n:>7} comments: tree {r['tree_mb']:6.0f} MB, own peak {r['own_peak_mb']:6.0f} MB;"
            f" {r['seconds']:.0f} s; load after {r['load']}{note}"
        )
    sizes = sorted(rows)
    if len(sizes) >= 2:
        lo, hi = rows[sizes[0]], rows[sizes[-1]]
        print(
            f"  ratio {sizes[-1]} / {sizes[0]}: {hi['tree_mb'] / lo['tree_mb']:.2f} (goal <= 1.2;"
            f" own peak {hi['own_peak_mb'] / lo['own_peak_mb']:.2f})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,100000", help="thread sizes (comments)")
    parser.add_argument("--stages", default="annotate,compare", help=f"of {','.join(STAGES)}")
    parser.add_argument("--work", type=Path, default=Path("/tmp/memflat"))
    parser.add_argument("--workers", type=int, default=2, help="annotate workers")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--scheduler", default="processes", help="annotate scheduler")
    parser.add_argument("--fresh", action="store_true", help="annotate again even if kept")
    parser.add_argument("--trace", choices=STAGES[1:], default=None, help="tracemalloc a stage")
    parser.add_argument("--child", nargs=3, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--trace-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        stage, folder, options = args.child
        child(stage, Path(folder), json.loads(options), args.trace_child)
        return 0
    options = {"workers": args.workers, "batch_size": args.batch_size, "scheduler": args.scheduler}
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    stages = [s for s in args.stages.split(",") if s.strip()]
    print(f"cpus: {os.cpu_count()}; load average before: {load()}", flush=True)
    results: dict[str, dict[int, dict]] = {s: {} for s in stages}
    for n in sizes:
        folder = args.work / str(n)
        annotated = prepare(folder, n, options, args.fresh)
        if "annotate" in results:
            results["annotate"][n] = annotated
        for stage in (s for s in STAGES[1:] if s in stages or s == args.trace):
            print(f"{stage} on {n} comments (load {load()}) ...", flush=True)
            r = measured(stage, folder, options, trace=stage == args.trace)
            if stage in results:
                results[stage][n] = r
            print(
                f"  {stage} {n}: tree {r['tree_mb']:.0f} MB, own peak {r['own_peak_mb']:.0f} MB,"
                f" {r['seconds']:.0f} s",
                flush=True,
            )
            for line in r.get("top_lines", []):
                print(f"    {line}")
            if "traced_peak_mb" in r:
                print(
                    f"    traced Python heap peak {r['traced_peak_mb']:.0f} MB (Arrow buffers are"
                    " not traced; this run's RSS is inflated by tracing, not comparable)"
                )
    for stage, rows in results.items():
        print_rows(stage, rows)
    print(f"\nload average after: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
