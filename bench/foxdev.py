"""The Fox News dev threads as a user would build them: a thread per title, article = title + meta.

Shared by the compare benchmarks (``eval_keyness.py``, ``eval_topics.py``, ``eval_frames.py``).
Each thread becomes a CSV of comments (column ``text``) and a Markdown article (title, blank line,
meta), and :func:`analysis.pipeline.build_tables` runs ingest, annotate and compare on them with the
suite's own readers. The tables are kept in a temporary folder and reused while the source file
and the suite's code are unchanged (delete the folder to rebuild).
"""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
from pathlib import Path

import pandas as pd

from analysis import config

FOX_FILE = config.ROOT.parent / "shared" / "devdata" / "fox_news" / "fox-news-comments-dev.jsonl"


def fox_records(path: Path = FOX_FILE) -> list[dict]:
    """The JSON records of the dev file, in file order.

    Raises:
        SystemExit: the dev file is absent.
    """
    if not path.is_file():
        raise SystemExit(f"{path}: the Fox News dev file is not here (see shared/devdata/README)")
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def thread_titles(records: list[dict]) -> dict[str, str]:
    """``{thread_id: title}``; threads are numbered ``fox1``.. in order of first appearance."""
    titles = list(dict.fromkeys(r["title"] for r in records))
    return {f"fox{i}": t for i, t in enumerate(titles, start=1)}


def write_inputs(records: list[dict], folder: Path) -> tuple[list[Path], list[Path]]:
    """Write one comments CSV and one article file per thread; returns ``(csvs, articles)``."""
    folder.mkdir(parents=True, exist_ok=True)
    csvs, articles = [], []
    for thread_id, title in thread_titles(records).items():
        rows = [r for r in records if r["title"] == title]
        comments = folder / f"{thread_id}.csv"
        with comments.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["id", "text"])
            for i, r in enumerate(rows, start=1):
                writer.writerow([f"{thread_id}-{i}", r["text"]])
        article = folder / f"{thread_id}.md"
        article.write_text(f"# {title}\n\n{rows[0]['meta']}\n", encoding="utf-8")
        csvs.append(comments)
        articles.append(article)
    return csvs, articles


def _code_stamp(until: str) -> str:
    h = hashlib.sha256(FOX_FILE.read_bytes())
    for path in sorted((config.ROOT / "analysis").rglob("*.py")):
        if until != "compare" and path.parent.name in ("compare", "present"):
            continue  # later stages do not change the annotate tables
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def fox_tables(*, until: str = "compare") -> dict[str, pd.DataFrame]:
    """Ingest, annotate (and compare) the five dev threads; tables by name.

    Raises:
        SystemExit: the dev file is absent.
    """
    from analysis.pipeline import build_tables, load_tables

    records = fox_records()
    root = Path(tempfile.gettempdir()) / f"discourse-foxdev-{until}-{_code_stamp(until)}"
    done = root / "tables" / ".done"
    if done.is_file():
        return load_tables(root / "tables")
    csvs, articles = write_inputs(records, root / "inputs")
    tables = build_tables(
        csvs, root / "tables", articles=articles, until=until, csv=False, log=lambda *_: None
    )
    done.write_text("ok\n", encoding="utf-8")
    return tables
