"""Ingest: read one or more threads into one corpus (``discourse ingest``).

Writes ``corpus.parquet`` and ``paragraphs.parquet`` (CSV copies on request), ``rejects.csv`` (and
``.parquet``) when records were rejected under ``on_error="skip"``, and ``ingest_summary.json``.
Every input record is accounted for: input records == comment rows + rejects, per thread.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.errors import DiscourseError
from analysis.ingest.corpus import build_thread, pseudonym_salt, to_utc_naive
from analysis.ingest.readers import FORMATS, Article, read_article, read_input
from analysis.tables import corpus_fingerprint, write_table

SUMMARY_FILE = "ingest_summary.json"
REJECTS_FILE = "rejects.csv"


@dataclass
class IngestResult:
    """The ingested corpus.

    Attributes:
        corpus: ``schema.CORPUS`` rows, threads in input order, each article first.
        paragraphs: ``schema.PARAGRAPHS`` rows.
        rejects: ``schema.REJECTS`` rows (empty unless ``on_error="skip"`` rejected records).
        summary: ``{"threads": [per-thread counts], "totals": {...}}`` (see :func:`format_summary`).
    """

    corpus: pd.DataFrame
    paragraphs: pd.DataFrame
    rejects: pd.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


def display_path(path: Path) -> str:
    """The path as recorded in tables: relative to the repository root when inside it."""
    path = Path(path)
    try:
        return path.resolve().relative_to(config.ROOT.resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def parse_captured_at(value: str | date | datetime | None) -> datetime | None:
    """Parse ``--captured-at``: an ISO date or date-time (UTC unless an offset is given).

    Raises:
        DiscourseError: not an ISO date/time.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return to_utc_naive(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return to_utc_naive(datetime.fromisoformat(str(value).strip()))
    except ValueError:
        raise DiscourseError(
            f"--captured-at: expected an ISO date such as 2024-05-01 or 2024-05-01T12:00:00Z, "
            f"got {value!r}"
        ) from None


def _thread_ids(inputs: list[Path], thread_ids: Sequence[str]) -> list[str]:
    if thread_ids and len(thread_ids) != len(inputs):
        raise DiscourseError(
            f"--thread-id: give one per INPUT ({len(inputs)} inputs, {len(thread_ids)} thread ids)"
        )
    ids = list(thread_ids) if thread_ids else [p.stem for p in inputs]
    seen: dict[str, Path] = {}
    for tid, path in zip(ids, inputs, strict=True):
        if not tid or "/" in tid or tid != tid.strip() or tid == S.POOLED:
            raise DiscourseError(
                f"{path}: thread id {tid!r} is not usable; expected a non-empty "
                f"name without '/' or surrounding spaces (--thread-id)"
            )
        if tid in seen:
            raise DiscourseError(
                f"thread id {tid!r} is used by both {seen[tid]} and {path}; "
                "thread ids must be unique: give --thread-id once per INPUT"
            )
        seen[tid] = path
    return ids


def ingest_paths(
    inputs: Sequence[str | Path],
    *,
    fmt: str = "auto",
    articles: Sequence[str | Path] = (),
    thread_ids: Sequence[str] = (),
    captured_at: str | date | datetime | None = None,
    column_map: str | Mapping[str, str] | None = None,
    on_error: str = "stop",
    keep_author_names: bool = False,
) -> IngestResult:
    """Read comment files (and their articles) into one corpus.

    Args:
        inputs: comment files; a seed-format file holds its own article.
        fmt: ``"auto"`` or one of ``seed``, ``youtube-jsonl``, ``youtube-api``, ``csv`` (applies
            to every input; checked against each file's content).
        articles: article files (plain text or Markdown), one per non-seed input, in order.
        thread_ids: one per input (default: each input's file stem); must be unique.
        captured_at: when the threads were captured; relative times become estimated dates.
        column_map: CSV column mapping, e.g. ``'text=body,id=comment_id'``.
        on_error: ``"stop"`` raises at the first malformed record; ``"skip"`` rejects it.
        keep_author_names: keep raw author names (personal data) instead of pseudonyms.

    Returns:
        An :class:`IngestResult`; the corpus columns are ``schema.CORPUS``'s, one row per document,
        threads in input order, article first, comments in source order.

    Raises:
        InputError: an unreadable file or (``on_error="stop"``) a malformed record.
        FormatError: undetectable format, or ``fmt`` does not match a file's content.
        DiscourseError: missing or surplus ``--article`` files, clashing thread ids, a bad option.
    """
    paths = [Path(p) for p in inputs]
    if not paths:
        raise DiscourseError("no INPUT given; expected at least one comment file")
    if fmt != "auto" and fmt not in FORMATS:
        raise DiscourseError(f"unknown format {fmt!r}; expected auto or one of {FORMATS}")
    ids = _thread_ids(paths, thread_ids)
    captured = parse_captured_at(captured_at)
    reads = [read_input(p, fmt=fmt, on_error=on_error, column_map=column_map) for p in paths]

    non_seed = [p for p, r in zip(paths, reads, strict=True) if r.article is None]
    if len(articles) != len(non_seed):
        listed = ", ".join(str(p) for p in non_seed) or "none"
        raise DiscourseError(
            f"--article: give one article file per non-seed INPUT, in order; {len(non_seed)} "
            f"non-seed input(s) ({listed}) and {len(articles)} --article file(s)"
        )
    article_files = iter(Path(a) for a in articles)

    salt = pseudonym_salt()
    corpora, paragraphs, rejects, threads = [], [], [], []
    for path, tid, read in zip(paths, ids, reads, strict=True):
        source = display_path(path)
        if read.article is not None:
            article: Article = read.article
            article_file, article_format = source, read.fmt
        else:
            article_path = next(article_files)
            article = read_article(article_path)
            article_file, article_format = display_path(article_path), "article"
        tables = build_thread(
            article,
            read.records,
            thread_id=tid,
            source_file=source,
            source_format=read.fmt,
            article_file=article_file,
            article_format=article_format,
            captured_at=captured,
            keep_author_names=keep_author_names,
            salt=salt,
        )
        if read.input_records != tables.stats["comments"] + len(read.rejects):
            raise DiscourseError(
                f"{path}: internal error: {read.input_records} records read but "
                f"{tables.stats['comments']} rows + {len(read.rejects)} rejects"
            )
        corpora.append(tables.corpus)
        paragraphs.append(tables.paragraphs)
        rejects += [(source, r.source_record, r.reason, r.record_raw) for r in read.rejects]
        threads.append(
            {
                "thread_id": tid,
                "source_file": source,
                "source_format": read.fmt,
                "article_file": article_file,
                "input_records": read.input_records,
                "record_unit": read.record_unit,
                "rejects": len(read.rejects),
                **tables.stats,
            }
        )

    corpus = S.CORPUS.conform(pd.concat(corpora, ignore_index=True))
    paras = S.PARAGRAPHS.conform(pd.concat(paragraphs, ignore_index=True))
    reject_frame = (
        S.REJECTS.conform(
            pd.DataFrame(rejects, columns=["source_file", "source_record", "reason", "record_raw"])
        )
        if rejects
        else S.REJECTS.empty()
    )
    return IngestResult(corpus, paras, reject_frame, _summary(threads, captured, keep_author_names))


def _summary(
    threads: list[dict[str, Any]], captured: datetime | None, keep_author_names: bool
) -> dict[str, Any]:
    keys = (
        "documents",
        "comments",
        "empty",
        "replies",
        "orphan_replies",
        "duplicates",
        "input_records",
        "rejects",
        "dated_comments",
        "estimated_dates",
    )
    totals: dict[str, Any] = {k: sum(t[k] for t in threads) for k in keys}
    mins = [t["date_min"] for t in threads if t["date_min"]]
    maxs = [t["date_max"] for t in threads if t["date_max"]]
    totals.update(
        threads=len(threads),
        date_min=min(mins) if mins else None,
        date_max=max(maxs) if maxs else None,
        dates_estimated=any(t["dates_estimated"] for t in threads),
    )
    return {
        "threads": threads,
        "totals": totals,
        "captured_at": captured.isoformat() if captured else None,
        "author_names": "raw" if keep_author_names else "pseudonymised",
    }


def _date_range(stats: Mapping[str, Any]) -> str:
    if not stats["date_min"]:
        return (
            "none (relative times only; give --captured-at to estimate dates)"
            if stats["comments"]
            else "none"
        )
    lo, hi = stats["date_min"][:10], stats["date_max"][:10]
    span = lo if lo == hi else f"{lo} to {hi}"
    estimated = stats["estimated_dates"]
    note = f"; {estimated} estimated from relative times" if estimated else ""
    return f"{span} ({stats['dated_comments']} of {stats['comments']} comments dated{note})"


def _block(stats: Mapping[str, Any], indent: str, *, articles: int = 1) -> list[str]:
    article_word = "article" if articles == 1 else "articles"
    return [
        f"{indent}documents {stats['documents']}: {articles} {article_word} + "
        f"{stats['comments']} comments",
        f"{indent}empty {stats['empty']}, replies {stats['replies']} "
        f"(orphans {stats['orphan_replies']}), duplicates {stats['duplicates']}",
        f"{indent}dates {_date_range(stats)}",
        f"{indent}rejects {stats['rejects']} (of {stats['input_records']} input records)",
    ]


def format_summary(summary: Mapping[str, Any]) -> str:
    """A short human-readable summary of :attr:`IngestResult.summary`.

    Documents, comments, empty, replies (and orphans), duplicates, date range and rejects: for
    the single thread, or in total and then per thread when there are several.
    """
    threads = summary["threads"]
    lines = []
    if len(threads) == 1:
        t = threads[0]
        lines.append(f"ingested thread {t['thread_id']} ({t['source_format']}: {t['source_file']})")
        lines += _block(t, "  ")
    else:
        lines.append(f"ingested {len(threads)} threads")
        lines += _block(summary["totals"], "  ", articles=len(threads))
        for t in threads:
            lines.append(f"  thread {t['thread_id']} ({t['source_format']}: {t['source_file']})")
            lines += _block(t, "    ")
    if summary.get("author_names") == "raw":
        lines.append("  author names kept as given (personal data)")
    return "\n".join(lines)


def write_ingest(result: IngestResult, out_dir: str | Path, *, csv: bool = False) -> list[Path]:
    """Write the corpus, paragraphs, rejects (when any) and ``ingest_summary.json``.

    A stale rejects file from an earlier run in ``out_dir`` is removed when there are no rejects.

    Returns:
        The paths written.
    """
    out = Path(out_dir)
    stamp = corpus_fingerprint(result.corpus)
    written = [
        write_table(result.corpus, S.CORPUS, out, csv=csv, fingerprint=stamp),
        write_table(result.paragraphs, S.PARAGRAPHS, out, csv=csv, fingerprint=stamp),
    ]
    if len(result.rejects):
        written.append(write_table(result.rejects, S.REJECTS, out, csv=True, fingerprint=stamp))
        written.append(out / REJECTS_FILE)
    else:
        for stale in (out / REJECTS_FILE, out / f"{S.REJECTS.name}.parquet"):
            stale.unlink(missing_ok=True)
    summary_path = out / SUMMARY_FILE
    summary_path.write_text(
        json.dumps(result.summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    written.append(summary_path)
    return written
