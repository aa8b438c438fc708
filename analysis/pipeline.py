"""The main job: ingest -> annotate -> compare -> figures -> report, each stage reading and writing
tables under one folder, so any stage can be rerun on its own.

``discourse run`` (``make run``) calls :func:`run_all` on the bundled seed.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis import config
from analysis.schema import ALL_TABLES
from analysis.tables import read_table

STAGES = ("ingest", "annotate", "compare", "figures", "report")


def load_tables(in_dir: Path) -> dict[str, pd.DataFrame]:
    """Read every table the suite has written to ``in_dir`` (missing ones are left out)."""
    in_dir = Path(in_dir)
    return {
        name: read_table(name, in_dir)
        for name in ALL_TABLES
        if (in_dir / f"{name}.parquet").is_file()
    }


def build_tables(
    inputs: Sequence[Path] = (config.SEED_FILE,),
    out_dir: Path = config.PROCESSED_DIR,
    *,
    articles: Sequence[Path] = (),
    until: str = "compare",
    seed: int = config.SEED,
    csv: bool = True,
    log=print,
) -> dict[str, pd.DataFrame]:
    """Run ingest, annotate and compare (up to ``until``) on ``inputs`` into ``out_dir``.

    Args:
        inputs: comment files (a seed-format file holds its own article).
        out_dir: folder for every table (Parquet, and CSV when ``csv``).
        articles: article files for non-seed inputs, in order.
        until: last stage: ``ingest``, ``annotate`` or ``compare``.
        seed: random seed for bootstraps and NMF.
        csv: also write CSV copies.
        log: where progress lines go (``print`` by default).

    Returns:
        Every table written, by name (see :mod:`analysis.schema`).
    """
    from analysis.annotate import annotate_dir
    from analysis.annotate import format_summary as annotate_summary
    from analysis.compare import compare_dir
    from analysis.compare import format_summary as compare_summary
    from analysis.ingest import format_summary, ingest_paths, write_ingest

    out_dir = Path(out_dir)
    stop = STAGES.index(until)
    t0 = time.perf_counter()
    result = ingest_paths(list(inputs), articles=list(articles))
    write_ingest(result, out_dir, csv=csv)
    log(format_summary(result.summary))
    log(f"[ingest] {time.perf_counter() - t0:.1f}s -> {out_dir}")
    if stop >= STAGES.index("annotate"):
        t1 = time.perf_counter()
        log(annotate_summary(annotate_dir(out_dir, out_dir, csv=csv)))
        log(f"[annotate] {time.perf_counter() - t1:.1f}s -> {out_dir}")
    if stop >= STAGES.index("compare"):
        t2 = time.perf_counter()
        log(compare_summary(compare_dir(out_dir, out_dir, seed=seed, csv=csv), out_dir))
        log(f"[compare] {time.perf_counter() - t2:.1f}s -> {out_dir}")
    return load_tables(out_dir)


def run_all(args: argparse.Namespace) -> int:
    """``discourse run``: every stage up to ``args.until``, printing where everything went."""
    tables = build_tables(
        args.inputs,
        args.out,
        articles=args.article,
        until=min(args.until, "compare", key=STAGES.index),
    )
    if STAGES.index(args.until) >= STAGES.index("figures"):
        from analysis.figures import make_all_figures

        t = time.perf_counter()
        written = make_all_figures(tables, args.figures)
        print(
            f"[figures] {len(written)} figures in {time.perf_counter() - t:.1f}s -> {args.figures}"
        )
    if args.until == "report":
        from analysis.report import build_report

        t = time.perf_counter()
        path = build_report(tables, args.figures, args.out / "report.html")
        print(f"[report] {time.perf_counter() - t:.1f}s -> {path}")
    print(f"tables: {args.out}")
    return 0
