"""Benchmark of the annotation step on deterministic synthetic threads built from the seed.

Prints, from one run (each figure a ratio of two measures taken in that run, with the machine's
load average before and after, since the machine is shared):

* throughput of ``annotate_dir`` (one process, cold cache: reading the corpus, language
  detection, VADER, linking and writing the tables included) against bare ``nlp.pipe`` with the
  same model components plus VADER on every sentence (goal >= 0.95), in ``--repeat`` passes
  interleaved (bare, ours, bare, ours, ...) with each pass's ratio and load printed and their
  median as the figure, beside the median ratio of CPU times (less disturbed by other load).
  The suite applies the model's ``attribute_ruler`` by lookup
  (:mod:`analysis.annotate.ruler`: the same token attributes, much less CPU), which bare
  ``nlp.pipe`` does not; so each pass also times bare with that same lookup ruler, and the ratio
  against it (the cost of the suite's own work alone) is printed beside the figure;
* the speed-up of ``--workers 2`` (process pool) and of a 2-worker ``local-cluster`` (Dask,
  cluster start-up included) over one process (goal >= 1.7), with a check that the tables are
  the same;
* the CPU seconds of the work the suite does beyond bare's (language detection, VADER on whole
  multi-sentence texts, the build pass with linking), each timed alone, as shares of bare's,
  beside the attribute ruler's CPU seconds in bare (spaCy's Matcher) and in ours (by lookup);
* a cached rerun's time as a share of the first run (goal <= 2%);
* peak RSS summed over the whole process tree (parent and workers, sampled every 0.1 s) at each
  of ``--sizes`` comments, each size in a fresh process, and the ratio largest / smallest
  (goal <= 1.2);
* parse time of ``--emoji`` emoji-only comments and the ratio of the two (linear: about 2).

The synthetic thread: the seed's article paragraphs and comments are split into sentences and
the sentences into clauses (at commas and semicolons, keeping clauses of 3+ words); each comment
joins 1-3 clauses drawn with ``random.Random(seed)`` into sentences, every comment text distinct
(so neither the cache nor in-run de-duplication can flatter the figures); 5% of comments are empty,
as in real threads. Usage::

    .venv/bin/python bench/bench_annotate.py            # the figures of the issue (long)
    .venv/bin/python bench/bench_annotate.py --quick    # small sizes, a few minutes
    .venv/bin/python bench/bench_annotate.py --memory-only --sizes 20000,100000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
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

import pandas as pd  # noqa: E402

from analysis import config  # noqa: E402
from analysis import schema as S  # noqa: E402

EMPTY_SHARE = 0.05
CLAUSE_COUNTS = (1, 2, 3)
CLAUSE_WEIGHTS = (0.6, 0.3, 0.1)


# ------------------------------------------------------------------------- synthetic thread
def seed_clauses(path: Path = config.SEED_FILE) -> list[str]:
    """Clauses (3+ words) of the seed's sentences, in file order, without timestamp lines."""
    raw = path.read_text(encoding="utf-8")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", raw)]
    blocks = [b for b in blocks[1:] if b and not re.fullmatch(r"\d+ \w+ ago", b)]
    clauses = []
    for block in blocks:
        for sentence in re.split(r"(?<=[.!?])\s+", block):
            for clause in re.split(r"[,;:]\s+", sentence):
                clause = clause.strip(" .!?\"'“”")
                if len(clause.split()) >= 3:
                    clauses.append(clause)
    return list(dict.fromkeys(clauses))


def synthetic_comments(n: int, *, seed: int = config.SEED) -> list[str]:
    """``n`` distinct comments (5% empty) built from seed clauses, deterministically."""
    clauses = seed_clauses()
    rng = random.Random(seed)
    seen: set[str] = set()
    out = []
    for _ in range(n):
        if rng.random() < EMPTY_SHARE:
            out.append("")
            continue
        while True:
            k = rng.choices(CLAUSE_COUNTS, CLAUSE_WEIGHTS)[0]
            parts = rng.sample(clauses, k)
            text = " ".join(p[0].upper() + p[1:] + rng.choice(".!?.") for p in parts)
            if text not in seen:
                seen.add(text)
                out.append(text)
                break
    return out


def synthetic_tables(n: int, *, seed: int = config.SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Corpus and paragraph tables of one thread: the seed's article and ``n`` comments."""
    raw = config.SEED_FILE.read_text(encoding="utf-8")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", raw) if b.strip()]
    article_blocks = []
    for b in blocks:
        if re.fullmatch(r"\d+ \w+ ago", b):
            break
        article_blocks.append(b)
    docs = [("bench/article", S.ARTICLE, 0, "\n\n".join(article_blocks))]
    docs += [
        (f"bench/c{i}", S.COMMENT, i, t) for i, t in enumerate(synthetic_comments(n, seed=seed), 1)
    ]
    corpus = pd.DataFrame(
        {
            S.THREAD_ID: "bench",
            S.DOC_ID: [d[0] for d in docs],
            S.DOC_KIND: [d[1] for d in docs],
            "position": [d[2] for d in docs],
            S.TEXT: [d[3] for d in docs],
        }
    )
    corpus["is_empty"] = corpus[S.TEXT] == ""
    corpus["is_duplicate"] = False
    for col in S.CORPUS.names:
        if col not in corpus.columns:
            corpus[col] = None
    corpus = S.CORPUS.conform(corpus)
    rows = []
    for doc_id, _, _, text in docs:
        start = 0
        for i, block in enumerate(text.split("\n\n")):
            if block:
                rows.append(
                    {
                        S.THREAD_ID: "bench",
                        S.DOC_ID: doc_id,
                        S.PARAGRAPH_ID: f"{doc_id}/p{i}",
                        "paragraph_index": i,
                        "is_title": doc_id.endswith("article") and i == 0,
                        S.START_CHAR: start,
                        S.END_CHAR: start + len(block),
                        S.TEXT: block,
                    }
                )
            start += len(block) + 2
    return corpus, S.PARAGRAPHS.conform(pd.DataFrame(rows))


def write_inputs(n: int, folder: Path) -> tuple[list[str], int]:
    """Write the synthetic corpus to ``folder``; return its non-empty texts and word count."""
    corpus, paragraphs = synthetic_tables(n)
    folder.mkdir(parents=True, exist_ok=True)
    corpus.to_parquet(folder / "corpus.parquet", index=False)
    paragraphs.to_parquet(folder / "paragraphs.parquet", index=False)
    texts = [t for t in corpus[S.TEXT].tolist() if t]
    return texts, sum(len(t.split()) for t in texts)


# --------------------------------------------------------------------------------- measures
def bare_pipeline(*, lookup_ruler: bool = False):
    """The same model components as the annotation step, without the suite's components
    (with ``lookup_ruler``, its ``attribute_ruler`` applied by lookup as the suite does)."""
    from analysis.annotate.components import (
        EXCLUDED_COMPONENTS,
        SWITCHED_ON_COMPONENTS,
        use_lookup_ruler,
    )
    from analysis.annotate.nlp import fresh_pipeline

    nlp = fresh_pipeline(exclude=EXCLUDED_COMPONENTS, switch_on=SWITCHED_ON_COMPONENTS)
    if lookup_ruler:
        use_lookup_ruler(nlp)
    return nlp


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def timed_cpu(fn) -> tuple[float, float]:
    """Wall and CPU seconds of ``fn()`` (CPU: this process's, all its threads)."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def throughput(n: int, *, batch_size: int, workers: int, repeat: int, parallel: bool) -> dict:
    """Time bare nlp.pipe + VADER and ours on 1 process (``repeat`` times, interleaved: bare,
    ours, bare, ours, ...; each ours run on a fresh cache), then ours cached and (``parallel``)
    on ``workers`` processes and on a ``workers``-worker LocalCluster, on one thread of ``n``
    comments."""
    from analysis.annotate.sentiment import vader_scores
    from analysis.annotate.stage import annotate_dir
    from analysis.linking import RuleLinker

    work = Path(tempfile.mkdtemp(prefix="bench-annotate-"))
    texts, words = write_inputs(n, work / "in")
    write_inputs(50, work / "warm")
    bare = bare_pipeline()
    list(bare.pipe(texts[:20]))
    bare_lookup = bare_pipeline(lookup_ruler=True)
    list(bare_lookup.pipe(texts))  # its lookup table filled, as ours is by the warm-up below
    linker = RuleLinker()
    # warm-up: loads the pipeline, the detector, VADER and the linking lexicons once, as the
    # bare pipeline is loaded before it is timed
    annotate_dir(work / "warm", work / "warm-out", linker=linker, use_cache=False, progress=False)
    print(f"synthetic thread: {n} comments, {len(texts)} non-empty, {words} words", flush=True)

    def bare_run(nlp=bare) -> None:
        for doc in nlp.pipe(texts, batch_size=batch_size):
            for sent in doc.sents:
                vader_scores(sent.text)

    def ours(tag: str, **options):
        return lambda: annotate_dir(
            work / "in",
            work / f"out-{tag}",
            linker=linker,
            batch_size=batch_size,
            cache_dir=work / f"cache-{tag}",
            progress=False,
            **options,
        )

    t = one_process_passes(bare_run, lambda: bare_run(bare_lookup), ours, repeat)
    t["cached"] = timed(ours("w1-0"))
    t["extra"] = extra_work(texts, work / "in", work / "cache-w1-0", linker)
    tags = [f"w1-{i}" for i in range(1, repeat)]
    if parallel:
        t.update(parallel_runs(ours, workers))
        tags += ["pool", "cluster", "warm"]
    same = all(
        pd.read_parquet(work / f"out-{tag}" / f"{name}.parquet").equals(
            pd.read_parquet(work / "out-w1-0" / f"{name}.parquet")
        )
        for tag in tags
        for name in ("sentences", "documents", "mentions", "entities")
    )
    shutil.rmtree(work, ignore_errors=True)
    return {"comments": n, "words": words, "seconds": t, "same_tables": same}


def one_process_passes(bare_run, bare_lookup_run, ours, repeat: int) -> dict:
    """``repeat`` interleaved passes of bare, bare with the lookup ruler, then ours (1 process);
    medians of wall seconds and of the per-pass wall and CPU ratios (CPU time is less disturbed
    by other processes' load)."""
    passes = []
    for i in range(repeat):
        bare_wall, bare_cpu = timed_cpu(bare_run)
        lookup_wall, lookup_cpu = timed_cpu(bare_lookup_run)
        ours_wall, ours_cpu = timed_cpu(ours(f"w1-{i}"))
        passes.append(
            (bare_wall, ours_wall, bare_wall / ours_wall, bare_cpu / ours_cpu, bare_cpu,
             lookup_wall / ours_wall, lookup_cpu / ours_cpu)
        )  # fmt: skip
        print(
            f"  pass {i + 1}: bare {bare_wall:.1f} s, ours {ours_wall:.1f} s, ratio "
            f"{bare_wall / ours_wall:.3f} (CPU time {bare_cpu / ours_cpu:.3f}); bare with the "
            f"lookup ruler {lookup_wall:.1f} s, ratio {lookup_wall / ours_wall:.3f} (CPU time "
            f"{lookup_cpu / ours_cpu:.3f}); load {load()}",
            flush=True,
        )
    return {
        "bare": statistics.median(p[0] for p in passes),
        "ours": statistics.median(p[1] for p in passes),
        "ratio": statistics.median(p[2] for p in passes),
        "cpu_ratio": statistics.median(p[3] for p in passes),
        "ratios": [p[2] for p in passes],
        "bare_cpu": statistics.median(p[4] for p in passes),
        "lookup_ratio": statistics.median(p[5] for p in passes),
        "lookup_cpu_ratio": statistics.median(p[6] for p in passes),
    }


def extra_work(texts: list[str], in_dir: Path, cache_dir: Path, linker) -> dict:
    """CPU seconds of the work the suite does beyond bare's, each timed alone on the same texts:
    language detection of every text, VADER on the whole text of multi-sentence documents, and
    the build pass (records read from the cache, rows built, linking, tables written; run with
    every record cached but the linking not, through a linker that differs only in version),
    beside the same pass through a linker that links nothing (:class:`NoLinks`), so the
    difference is the linker's own inventory and link passes."""
    from analysis.annotate.language import detect_language
    from analysis.annotate.sentiment import vader_scores
    from analysis.annotate.stage import annotate_dir

    bare = bare_pipeline()
    whole = [t for t in texts if sum(1 for _ in bare(t).sents) > 1]

    class Relink:  # same rules, another version: the link cache misses, the record cache hits
        def version(self) -> str:
            return "bench-relink-" + linker.version()

        def keeps_candidate(self, text: str, pos: str | None) -> bool:
            return linker.keeps_candidate(text, pos)

        def thread(self, thread_id: str):
            return linker.thread(thread_id)

    def build_pass(with_linker) -> None:
        summary = annotate_dir(
            in_dir, in_dir.parent / "out-relink", linker=with_linker, cache_dir=cache_dir,
            progress=False,
        )  # fmt: skip
        assert summary["parsed"] == 0 and summary["link_cache_hits"] == 0

    stock_ruler, lookup_ruler = ruler_seconds(texts)
    return {
        "attribute ruler, spaCy's Matcher (bare's; not in ours)": stock_ruler,
        "attribute ruler by lookup (ours instead; new table)": lookup_ruler,
        "language detection": timed_cpu(lambda: [detect_language(t) for t in texts])[1],
        f"VADER on {len(whole)} whole multi-sentence texts": timed_cpu(
            lambda: [vader_scores(t) for t in whole]
        )[1],
        "build pass (rows, linking, writing)": timed_cpu(lambda: build_pass(Relink()))[1],
        "  the same without linking (a linker that links nothing)": timed_cpu(
            lambda: build_pass(NoLinks())
        )[1],
    }


def ruler_seconds(texts: list[str]) -> tuple[float, float]:
    """CPU seconds of the model's ``attribute_ruler`` and of
    :class:`analysis.annotate.ruler.LookupAttributeRuler` (a new one: its lookup table filled
    in the timing) on the same tagged documents (copies of each, so both see the same input)."""
    from spacy.tokens import Doc

    from analysis.annotate.ruler import LookupAttributeRuler

    nlp = bare_pipeline()
    stock = nlp.get_pipe("attribute_ruler")
    with nlp.select_pipes(enable=["tok2vec", "tagger", "senter"]):
        tagged = [doc.to_bytes() for doc in nlp.pipe(texts)]

    def run(ruler) -> float:
        docs = [Doc(nlp.vocab).from_bytes(b) for b in tagged]
        return timed_cpu(lambda: [ruler(doc) for doc in docs])[1]

    return run(stock), run(LookupAttributeRuler(stock))


class NoLinks:
    """A linker that finds nothing (every thread empty), for the build pass without linking."""

    def version(self) -> str:
        return "bench-no-links"

    def keeps_candidate(self, text: str, pos: str | None) -> bool:
        return False

    def thread(self, thread_id: str):
        return _NoThreadLinks()


class _NoThreadLinks:
    def __init__(self) -> None:
        self.n_docs = 0

    def add_doc(self, **_doc) -> int:
        self.n_docs += 1
        return self.n_docs - 1

    def link(self, texts_of, rank=None) -> None:
        pass

    def mention_counts(self):
        import numpy as np

        return np.zeros(self.n_docs, dtype="int64")

    def mention_rows(self, lo: int, hi: int, doc_ids, kinds) -> pd.DataFrame:
        return S.MENTIONS.empty()

    def entities(self) -> pd.DataFrame:
        return S.ENTITIES.empty()


def parallel_runs(ours, workers: int) -> dict:
    """Seconds on ``workers`` pool processes, a new LocalCluster and a warm one, each with the
    1-minute load average after it."""
    t: dict = {"loads": {}}
    t["pool"] = timed(ours("pool", workers=workers))
    t["loads"]["pool"] = os.getloadavg()[0]
    t["cluster"] = timed(ours("cluster", workers=workers, scheduler="local-cluster"))
    t["loads"]["cluster"] = os.getloadavg()[0]
    t["warm_cluster"] = warm_cluster_seconds(ours, workers)
    t["loads"]["warm_cluster"] = os.getloadavg()[0]
    return t


def warm_cluster_seconds(ours, workers: int) -> float:
    """Time on a LocalCluster that is already up, its workers warmed by one small run (the
    steady state of a long-lived cluster), reached as ``tcp://127.0.0.1:PORT``."""
    import dask
    from distributed import LocalCluster

    from analysis.annotate.cluster import WORKER_CONFIG

    with (
        dask.config.set(WORKER_CONFIG),
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
    ):
        address = cluster.scheduler_address
        ours("warm-up", scheduler=address, use_cache=False)()
        return timed(ours("warm", scheduler=address))


def report_throughput(args: argparse.Namespace) -> None:
    print(f"1-process passes, bare then ours, {args.repeat} times (load {load()}):", flush=True)
    r = throughput(
        args.comments,
        batch_size=args.batch_size,
        workers=args.workers,
        repeat=args.repeat,
        parallel=not args.skip_parallel,
    )
    t, w = r["seconds"], args.workers
    print(f"\nthroughput ({r['comments']} comments, {r['words']} words; load {load()}):")
    print(f"  bare nlp.pipe + VADER per sentence  {t['bare']:7.1f} s  (median of {args.repeat})")
    ratios = ", ".join(f"{x:.3f}" for x in t["ratios"])
    print(
        f"  ours, 1 process                     {t['ours']:7.1f} s  = {t['ratio']:.3f}"
        f" of bare's throughput, median of the passes' ratios [{ratios}] (goal >= 0.95);"
        f" in CPU time {t['cpu_ratio']:.3f}"
    )
    print(
        f"  against bare with the same lookup attribute ruler (the suite's own work alone):"
        f" {t['lookup_ratio']:.3f}, in CPU time {t['lookup_cpu_ratio']:.3f} (medians)"
    )
    print("  CPU seconds of work beyond bare's, each timed alone (share of bare's CPU time):")
    bare_cpu = t["bare_cpu"]
    for name, seconds in t["extra"].items():
        print(f"    {name:58s} {seconds:6.2f} s  {100 * seconds / bare_cpu:5.1f}%")
    if "pool" in t:
        report_parallel(t, w)
    print(f"  same tables from every run: {r['same_tables']}")
    print(
        f"  cached rerun {t['cached']:.2f} s of {t['ours']:.1f} s = "
        f"{100 * t['cached'] / t['ours']:.1f}% (goal <= 2%)",
        flush=True,
    )


def report_parallel(t: dict, w: int) -> None:
    loads = t["loads"]
    print(
        f"  ours, --workers {w} (processes)       {t['pool']:7.1f} s  = "
        f"{t['ours'] / t['pool']:.2f}x one process (goal >= 1.7); load {loads['pool']:.2f}"
    )
    print(
        f"  ours, local-cluster of {w} workers    {t['cluster']:7.1f} s  = "
        f"{t['ours'] / t['cluster']:.2f}x one process (cluster start-up included); "
        f"load {loads['cluster']:.2f}"
    )
    print(
        f"  ours, on a warm {w}-worker cluster     {t['warm_cluster']:7.1f} s  = "
        f"{t['ours'] / t['warm_cluster']:.2f}x one process (tcp://, workers already loaded); "
        f"load {loads['warm_cluster']:.2f}"
    )


def tree_rss(proc) -> int:
    """Resident memory of ``proc`` and all its descendants, in bytes."""
    import psutil

    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def memory_child(n: int, workers: int, batch_size: int, work: Path, scheduler: str) -> None:
    """Run in a fresh process: annotate ``work/in`` (written by the parent), print JSON."""
    from analysis.annotate.stage import annotate_dir
    from analysis.linking import RuleLinker

    started = time.perf_counter()
    summary = annotate_dir(
        work / "in",
        work / "out",
        linker=RuleLinker(),
        workers=workers,
        batch_size=batch_size,
        cache_dir=work / "cache",
        progress=False,
        scheduler=scheduler,
    )
    print(json.dumps({"seconds": time.perf_counter() - started, "parsed": summary["parsed"]}))


def memory(sizes: list[int], workers: int, batch_size: int, scheduler: str) -> list[dict]:
    """Peak RSS of the process tree of a fresh ``annotate_dir`` at each size (with
    ``local-cluster`` the tree holds the scheduler, in the parent, and the workers)."""
    import psutil

    results = []
    for n in sizes:
        work = Path(tempfile.mkdtemp(prefix=f"bench-mem-{n}-"))
        _, words = write_inputs(n, work / "in")
        print(
            f"memory run: {n} comments, workers={workers}, {scheduler} (load {load()}) ...",
            flush=True,
        )
        cmd = [sys.executable, __file__, "--memory-child", str(n), "--workers", str(workers)]
        cmd += ["--batch-size", str(batch_size), "--memory-dir", str(work)]
        cmd += ["--memory-scheduler", scheduler]
        child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        proc, peak, own = psutil.Process(child.pid), 0, 0
        while child.poll() is None:
            with suppress(psutil.Error):
                own = max(own, proc.memory_info().rss)
                peak = max(peak, tree_rss(proc))
            time.sleep(0.1)
        out, err = child.communicate()
        shutil.rmtree(work, ignore_errors=True)
        if child.returncode != 0:
            print(err[-3000:], file=sys.stderr)
            raise SystemExit(f"memory run for {n} comments failed")
        info = json.loads(out.strip().splitlines()[-1])
        results.append({"comments": n, "words": words, "tree_mb": peak / 2**20,
                        "parent_mb": own / 2**20, **info})  # fmt: skip
    return results


def report_memory(args: argparse.Namespace, sizes: list[int]) -> None:
    mem = memory(sizes, args.workers, args.batch_size, args.memory_scheduler)
    print(
        f"\npeak RSS summed over the process tree (workers={args.workers}, "
        f"{args.memory_scheduler}; load {load()}):"
    )
    for m in mem:
        print(
            f"  {m['comments']:>7} comments: tree {m['tree_mb']:6.0f} MB, parent alone "
            f"{m['parent_mb']:5.0f} MB; {m['seconds']:.0f} s"
        )
    if len(mem) >= 2:
        ratio = mem[-1]["tree_mb"] / mem[0]["tree_mb"]
        print(f"  ratio {mem[-1]['comments']} / {mem[0]['comments']}: {ratio:.2f} (goal <= 1.2)")


def report_emoji(sizes: list[int]) -> None:
    """Parse time of emoji-only comments of each size (linear: the ratio follows the sizes)."""
    from analysis.annotate.components import annotation_pipeline
    from analysis.annotate.parse import parse_texts

    nlp = annotation_pipeline()
    parse_texts(nlp, ["warm 😂"], batch_size=1)
    seconds = [timed(lambda n=n: parse_texts(nlp, ["😂" * n], batch_size=1)) for n in sizes]
    print(f"\nemoji-only comments (load {load()}):")
    for n, s in zip(sizes, seconds, strict=True):
        print(f"  {n:>7} emoji: {s:6.1f} s")
    if len(sizes) >= 2:
        print(
            f"  time ratio {seconds[-1] / seconds[0]:.2f} for a size ratio "
            f"{sizes[-1] / sizes[0]:.2f} (quadratic would be {(sizes[-1] / sizes[0]) ** 2:.1f})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=3000, help="throughput thread size")
    parser.add_argument("--sizes", default="20000,100000", help="thread sizes for peak memory")
    parser.add_argument("--emoji", default="25000,50000", help="emoji-only comment sizes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument(
        "--repeat", type=int, default=5, help="interleaved bare/ours passes for the 1-process ratio"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (a few minutes)")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-emoji", action="store_true")
    parser.add_argument("--skip-parallel", action="store_true", help="1-process figures only")
    parser.add_argument("--memory-only", action="store_true")
    parser.add_argument(
        "--memory-scheduler", default="processes", help="scheduler of the memory runs"
    )
    parser.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--memory-dir", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child is not None:
        memory_child(
            args.memory_child, args.workers, args.batch_size, args.memory_dir,
            args.memory_scheduler,
        )  # fmt: skip
        return 0
    if args.quick:
        args.comments, args.sizes, args.emoji = 600, "2000,10000", "2500,5000"
        args.repeat = min(args.repeat, 3)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    started = time.perf_counter()
    print(f"cpus: {os.cpu_count()}; load average before: {load()}", flush=True)
    if not args.memory_only:
        report_throughput(args)
        if not args.skip_emoji:
            report_emoji([int(s) for s in args.emoji.split(",") if s.strip()])
    if not args.skip_memory and sizes:
        report_memory(args, sizes)
    print(f"\nload average after: {load()}; total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
