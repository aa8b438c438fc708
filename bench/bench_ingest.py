"""Benchmark: ingest a 100,000-comment youtube-comment-downloader JSON-lines file.

The file is generated deterministically (seeded) from the bundled seed's sentences, with replies
(``cid`` = ``PARENT.REPLY``), "1.2K"-style votes, empty and duplicate comments, and written to a
temporary folder. The script times ``ingest_paths`` and ``write_ingest`` and prints comments per
second. Target: under 20 seconds for 100,000 comments.

    .venv/bin/python bench/bench_ingest.py [--comments N]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
import sys
import tempfile
import time
from pathlib import Path

from analysis import config
from analysis.ingest.readers import read_seed
from analysis.ingest.stage import format_summary, ingest_paths, write_ingest

UNITS = ("minute", "hour", "day", "week", "month", "year")
SECONDS = {
    "minute": 60,
    "hour": 3600,
    "day": 86400,
    "week": 604800,
    "month": 2629800,
    "year": 31557600,
}
CAPTURED = 1_717_200_000  # 2024-06-01, the generated file's notional capture time


def _sentences() -> list[str]:
    seed = read_seed(config.SEED_FILE)
    text = " ".join(
        [seed.article.title, *seed.article.paragraphs, *(r.text_raw for r in seed.records)]
    )
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 3]


def _votes(rng: random.Random) -> str:
    n = int(rng.paretovariate(1.2)) - 1
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M".replace(".0M", "M")
    if n >= 1000:
        return f"{n / 1000:.1f}K".replace(".0K", "K")
    return str(n) if n else ""


def generate(path: Path, n: int, *, seed: int = config.SEED) -> None:
    """Write ``n`` comments in youtube-comment-downloader's JSON-lines shape to ``path``."""
    rng = random.Random(seed)
    sentences = _sentences()
    authors = [f"@user{i:05d}" for i in range(max(n // 4, 1))]
    alphabet = string.ascii_letters + string.digits + "_-"
    parent = ""
    reply_no = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            is_reply = bool(parent) and rng.random() < 0.3
            if is_reply:
                reply_no += 1
                cid = f"{parent}.{reply_no:011d}"
            else:
                parent = "Ugz" + "".join(rng.choices(alphabet, k=20)) + f"{i:06d}"
                cid, reply_no = parent, 0
            roll = rng.random()
            if roll < 0.05:
                text = ""
            elif roll < 0.08:
                text = sentences[0]  # duplicates
            else:
                n_paras = 1 if rng.random() < 0.85 else 2
                paras = [
                    " ".join(rng.sample(sentences, rng.choices((1, 2, 3), (6, 3, 1))[0]))
                    for _ in range(n_paras)
                ]
                text = "\n\n".join(paras) + rng.choice(["", "", " 👍", " &amp; more", "\ufeff"])
            unit = rng.choice(UNITS)
            amount = rng.randint(1, 11)
            author = rng.choice(authors)
            record = {
                "cid": cid,
                "text": text,
                "time": f"{amount} {unit}{'s' if amount > 1 else ''} ago"
                + (" (edited)" if rng.random() < 0.05 else ""),
                "author": author,
                "channel": "UC" + author[5:].rjust(22, "x"),
                "votes": _votes(rng),
                "replies": "",
                "photo": "https://yt3.ggpht.com/x",
                "heart": rng.random() < 0.01,
                "reply": is_reply,
                "time_parsed": float(CAPTURED - amount * SECONDS[unit]),
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=100_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        tmp_path = Path(tmp)
        comments = tmp_path / "bench_comments.jsonl"
        article = tmp_path / "article.md"
        seed = read_seed(config.SEED_FILE)
        article.write_text(seed.article.text_raw + "\n", encoding="utf-8")
        t0 = time.perf_counter()
        generate(comments, args.comments)
        t1, c1 = time.perf_counter(), time.process_time()
        result = ingest_paths([comments], articles=[article])
        t2 = time.perf_counter()
        write_ingest(result, tmp_path / "out")
        t3, c3 = time.perf_counter(), time.process_time()
        size_mb = comments.stat().st_size / 1e6
    n = result.summary["totals"]["comments"]
    print(format_summary(result.summary))
    print(f"input: {n:,} comments, {size_mb:.1f} MB JSON lines (generated in {t1 - t0:.2f} s)")
    print(f"ingest_paths: {t2 - t1:.2f} s; write_ingest: {t3 - t2:.2f} s")
    total = t3 - t1
    print(
        f"ingest + write: {total:.2f} s wall ({c3 - c1:.2f} s CPU) = {n / total:,.0f} "
        "comments/second (target: 100,000 comments in under 20 s)"
    )
    return 0 if n == args.comments else 1


if __name__ == "__main__":
    sys.exit(main())
