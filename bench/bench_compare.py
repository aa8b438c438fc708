"""Benchmark: compare, figures and report on 1 thread of N comments vs T threads of N / T.

Prints, from one run, the CPU time (``time.process_time`` of a fresh child process per layout
and stage, which is the whole process tree: these stages start no workers) of ``compare``, of
``figures`` and of ``report`` on the same synthetic comments laid out as one thread and as many
threads, and the ratios many / one (goal <= 1.5 for compare and for figures + report). CPU time
rather than wall time because the machine is shared; the load average is printed before and
after.

The corpus: :func:`bench_annotate.synthetic_comments` (distinct texts built from the seed's
clauses, 5% empty) split in order into ``--threads`` threads; every thread, and the single
thread, has the same short article (the seed article's title and first two paragraphs), so the
many-thread layout adds ``threads - 1`` short articles (a few per cent of the text) and
otherwise the same comments. Both layouts are annotated once into a work folder that is kept
and reused (``--work``), sharing one annotation cache; only the later stages are timed. Each
timed child first runs the stage on a 20-comment warm-up corpus, so imports and lexicon loads
are not counted. Usage::

    .venv/bin/python bench/bench_compare.py                    # 10,000 comments, 200 threads
    .venv/bin/python bench/bench_compare.py --comments 2000 --threads 40
    .venv/bin/python bench/bench_compare.py --profile compare  # cProfile of the many layout
    .venv/bin/python bench/bench_compare.py --stages compare   # time compare only
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pandas as pd  # noqa: E402

from analysis import config  # noqa: E402
from analysis import schema as S  # noqa: E402

STAGES = ("compare", "figures", "report")
ARTICLE_BLOCKS = 3


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def article_text() -> str:
    """The seed article's title and first two paragraphs."""
    raw = config.SEED_FILE.read_text(encoding="utf-8")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", raw) if b.strip()]
    return "\n\n".join(blocks[:ARTICLE_BLOCKS])


def layout_tables(
    comments: list[str], threads: int, article: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Corpus and paragraph tables: ``comments`` split in order into ``threads`` threads."""
    per = -(-len(comments) // threads)
    docs = []
    for t in range(threads):
        tid = f"t{t:03d}" if threads > 1 else "bench"
        docs.append((tid, f"{tid}/article", S.ARTICLE, 0, article))
        chunk = comments[t * per : (t + 1) * per]
        docs += [(tid, f"{tid}/c{i}", S.COMMENT, i, text) for i, text in enumerate(chunk, 1)]
    corpus = pd.DataFrame(docs, columns=[S.THREAD_ID, S.DOC_ID, S.DOC_KIND, "position", S.TEXT])
    corpus["is_empty"] = corpus[S.TEXT] == ""
    corpus["is_duplicate"] = False
    for col in S.CORPUS.names:
        if col not in corpus.columns:
            corpus[col] = None
    corpus = S.CORPUS.conform(corpus)
    rows = []
    for tid, doc_id, _, _, text in docs:
        start = 0
        for i, block in enumerate(text.split("\n\n")):
            if block:
                rows.append(
                    {
                        S.THREAD_ID: tid,
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


def prepare(work: Path, n: int, threads: int) -> dict[str, Path]:
    """Write and annotate the layouts (once: kept in ``work``); returns ``{layout: folder}``."""
    from bench_annotate import synthetic_comments

    from analysis.annotate.stage import annotate_dir
    from analysis.linking import RuleLinker

    comments = synthetic_comments(n)
    article = article_text()
    folders = {}
    linker = RuleLinker()
    for layout, t in (("warm", 1), ("one", 1), ("many", threads)):
        texts = comments[:20] if layout == "warm" else comments
        folder = work / f"{layout}-{len(texts)}-{t}"
        folders[layout] = folder
        if (folder / ".done").is_file():
            continue
        corpus, paragraphs = layout_tables(texts, t, article)
        folder.mkdir(parents=True, exist_ok=True)
        corpus.to_parquet(folder / "corpus.parquet", index=False)
        paragraphs.to_parquet(folder / "paragraphs.parquet", index=False)
        started = time.perf_counter()
        annotate_dir(folder, folder, linker=linker, cache_dir=work / "cache", progress=False)
        print(f"annotated {layout}: {time.perf_counter() - started:.0f} s", flush=True)
        (folder / ".done").write_text("ok\n", encoding="utf-8")
    return folders


def run_stage(stage: str, folder: Path) -> None:
    from analysis import pipeline

    quiet = {"log": lambda *_: None}
    if stage == "compare":
        pipeline.compare(in_dir=folder, out=folder, csv=True, **quiet)
    elif stage == "figures":
        pipeline.figures(in_dir=folder, out=folder / "figures", **quiet)
    else:
        pipeline.report(in_dir=folder, figures_dir=folder / "figures", **quiet)


def child(stage: str, folder: Path, warm: Path, profile: Path | None) -> None:
    """In a fresh process: warm up on ``warm``, then time ``stage`` on ``folder``; print JSON."""
    for s in STAGES[: STAGES.index(stage) + 1]:
        run_stage(s, warm)
    cpu, wall = time.process_time(), time.perf_counter()
    if profile is not None:
        import cProfile

        cProfile.runctx("run_stage(stage, folder)", globals(), locals(), str(profile))
    else:
        run_stage(stage, folder)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(json.dumps({"cpu": cpu, "wall": wall}))


def timed(stage: str, folder: Path, warm: Path, profile: Path | None = None) -> dict:
    cmd = [sys.executable, __file__, "--child", stage, str(folder), str(warm)]
    if profile is not None:
        cmd += ["--profile-out", str(profile)]
    env = {**os.environ, "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"{stage} on {folder} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=200)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "bench-compare")
    parser.add_argument("--profile", choices=STAGES, default=None, help="cProfile one stage")
    parser.add_argument(
        "--stages",
        default=",".join(STAGES),
        help="comma-separated stages to time (default: all; a later stage needs the earlier "
        "stages' outputs in the work folder)",
    )
    parser.add_argument("--child", nargs=3, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        stage, folder, warm = args.child
        child(stage, Path(folder), Path(warm), args.profile_out)
        return 0
    print(f"cpus: {os.cpu_count()}; load average before: {load()}", flush=True)
    folders = prepare(args.work, args.comments, args.threads)
    if args.profile:
        for s in STAGES[: STAGES.index(args.profile)]:
            timed(s, folders["many"], folders["warm"])
        out = args.work / f"{args.profile}.prof"
        r = timed(args.profile, folders["many"], folders["warm"], profile=out)
        print(f"{args.profile} on many: {r['cpu']:.1f} s CPU; profile in {out}")
        return 0
    stages = [s for s in STAGES if s in args.stages.split(",")]
    cpu: dict[tuple[str, str], float] = {}
    for stage in stages:
        for layout in ("one", "many"):
            r = timed(stage, folders[layout], folders["warm"])
            cpu[stage, layout] = r["cpu"]
            print(f"  {stage:<8} {layout:<5} {r['cpu']:6.2f} s CPU ({r['wall']:.2f} s wall)")
    print(
        f"\n{args.comments} comments: 1 thread vs {args.threads} threads of "
        f"{args.comments // args.threads} (CPU seconds; load {load()}):"
    )
    groups = {
        "compare": ("compare",),
        "figures": ("figures",),
        "report": ("report",),
        "figures + report": ("figures", "report"),
    }
    for label, group in groups.items():
        if not all(s in stages for s in group):
            continue
        one = sum(cpu[s, "one"] for s in group)
        many = sum(cpu[s, "many"] for s in group)
        goal = "  (goal <= 1.5)" if label in ("compare", "figures + report") else ""
        print(f"  {label:<17} one {one:6.2f}  many {many:6.2f}  ratio {many / one:5.2f}{goal}")
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
