"""Ingest: read one or more threads into one corpus (``discourse ingest``).

Writes ``corpus.parquet`` and ``paragraphs.parquet`` (CSV copies on request), ``rejects.csv`` (and
``.parquet``) when records were rejected under ``on_error="skip"``, and ``ingest_summary.json``.
Every input record is accounted for: input records == comment rows + rejects, per thread. Author
names in ``rejects`` are replaced by the corpus pseudonyms unless ``keep_author_names``; every
write goes through :mod:`analysis.tables`, whose path problems are one-line ``OutputError`` s.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.errors import DiscourseError, output_error
from analysis.ingest.corpus import build_thread, pseudonym, pseudonym_salt, to_utc_naive
from analysis.ingest.readers import (
    FORMATS,
    Article,
    ReadResult,
    Reject,
    parse_column_map,
    read_article,
    read_input,
)
from analysis.ingest.threads import (
    ThreadPart,
    check_thread_id,
    default_thread_id,
    mapped_article,
    part_ids,
    split_threads,
)
from analysis.tables import corpus_fingerprint, write_table, write_text

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
    if thread_ids:
        return [
            check_thread_id(str(tid), where=str(path))
            for tid, path in zip(thread_ids, inputs, strict=True)
        ]
    return [default_thread_id(p) for p in inputs]


def _check_unique(threads: list[tuple[str, str]]) -> None:
    seen: dict[str, str] = {}
    for tid, source in threads:
        if tid.lower() in seen:
            raise DiscourseError(
                f"thread id {tid!r} is used by both {seen[tid.lower()]} and {source}; "
                "thread ids must be unique: give --thread-id once per INPUT"
            )
        seen[tid.lower()] = source


_AUTHOR_FIELD = re.compile(
    r'"(author|authorDisplayName|author_name|user|user_name|username|channel)"\s*:\s*'
    r'"((?:[^"\\]|\\.)*)"'
)


def private_raw(reject: Reject, salt: str) -> str:
    """``record_raw`` with author names replaced by their pseudonyms (as in the corpus).

    Names the reader found are replaced wherever they stand as a whole word; author fields of
    JSON text it could not parse are found by their key.
    """
    raw = _AUTHOR_FIELD.sub(
        lambda m: f'"{m.group(1)}": "{pseudonym(m.group(2), salt=salt)}"', reject.record_raw
    )
    for name in sorted(set(reject.authors), key=len, reverse=True):
        forms = {name, json.dumps(name, ensure_ascii=False)[1:-1]}
        for form in forms:
            pattern = r"(?<!\w)" + re.escape(form) + r"(?!\w)"
            raw = re.sub(pattern, lambda _m, n=name: pseudonym(n, salt=salt), raw)
    return raw


def _article_for(
    read: ReadResult, part: ThreadPart, mapped: bool, article_files: Iterator[Path], path: Path
) -> tuple[Article, str | None, str]:
    """(article, article file or None for the input itself, article_format)."""
    if read.article is not None:
        return read.article, None, read.fmt
    if mapped:
        return mapped_article(part), None, read.fmt
    article_path = next(article_files)
    return read_article(article_path), display_path(article_path), "article"


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
        fmt: ``"auto"`` or one of the registered formats (``seed``, ``youtube-jsonl``,
            ``youtube-api``, ``csv``, ``json``; applies to every input; checked against each
            file's content).
        articles: article files (plain text or Markdown), one per input that has no article of
            its own (not seed, no ``article_title=``/``article_text=`` mapping), in order.
        thread_ids: one per input (default: each input's file stem); safe slugs, unique. A file
            split by ``thread=`` gets one thread per value, named by its slug.
        captured_at: when the threads were captured; relative times become estimated dates
            (also replacing youtube-comment-downloader's own estimates).
        column_map: CSV/JSON field mapping, e.g. ``'text=body,id=comment_id,thread=title'``.
        on_error: ``"stop"`` raises at the first malformed record; ``"skip"`` rejects it.
        keep_author_names: keep raw author names (personal data) instead of pseudonyms, also
            in the rejects.

    Returns:
        An :class:`IngestResult`; the corpus columns are ``schema.CORPUS``'s, one row per document,
        threads in input order, article first, comments in source order.

    Raises:
        InputError: an unreadable file or (``on_error="stop"``) a malformed record.
        FormatError: undetectable format, or ``fmt`` does not match a file's content.
        DiscourseError: missing or surplus ``--article`` files, bad or clashing thread ids, a bad
            option.
    """
    paths = [Path(p) for p in inputs]
    _check_options(paths, fmt)
    ids = _thread_ids(paths, thread_ids)
    captured = parse_captured_at(captured_at)
    columns = parse_column_map(column_map)
    mapped = bool({"article_title", "article_text"} & set(columns))
    reads = [read_input(p, fmt=fmt, on_error=on_error, column_map=columns) for p in paths]
    _check_articles(paths, reads, mapped, articles)
    article_files = iter(Path(a) for a in articles)
    built = _Built(captured, keep_author_names, pseudonym_salt())
    for path, base_id, read in zip(paths, ids, reads, strict=True):
        built.add_file(path, base_id, read, mapped, article_files)
    _check_unique(built.named)
    return _result(built)


def _check_options(paths: list[Path], fmt: str) -> None:
    """Refuse an empty input list or an unknown ``fmt``.

    Raises:
        DiscourseError: no input, or an unknown format.
    """
    if not paths:
        raise DiscourseError("no INPUT given; expected at least one comment file")
    if fmt != "auto" and fmt not in FORMATS:
        raise DiscourseError(f"unknown format {fmt!r}; expected auto or one of {FORMATS}")


def _check_articles(
    paths: list[Path], reads: list[ReadResult], mapped: bool, articles: Sequence[str | Path]
) -> None:
    """Refuse a number of ``--article`` files other than one per input without its own article.

    Raises:
        DiscourseError: missing or surplus article files.
    """
    non_seed = [p for p, r in zip(paths, reads, strict=True) if r.article is None and not mapped]
    if len(articles) != len(non_seed):
        listed = ", ".join(str(p) for p in non_seed) or "none"
        raise DiscourseError(
            f"--article: give one article file per non-seed INPUT, in order (unless "
            f"--columns maps article_title=); {len(non_seed)} non-seed input(s) ({listed}) "
            f"and {len(articles)} --article file(s)"
        )


def _result(built: _Built) -> IngestResult:
    """Concatenate the built threads into conformed corpus, paragraph and reject frames."""
    corpus = S.CORPUS.conform(pd.concat(built.corpora, ignore_index=True))
    paras = S.PARAGRAPHS.conform(pd.concat(built.paragraphs, ignore_index=True))
    reject_frame = (
        S.REJECTS.conform(
            pd.DataFrame(
                built.rejects, columns=["source_file", "source_record", "reason", "record_raw"]
            )
        )
        if built.rejects
        else S.REJECTS.empty()
    )
    summary = _summary(built.threads, built.captured, built.keep_author_names)
    return IngestResult(corpus, paras, reject_frame, summary)


@dataclass
class _Built:
    """The threads built so far: frames, reject rows, summary entries and (id, file) pairs."""

    captured: datetime | None
    keep_author_names: bool
    salt: str
    corpora: list[pd.DataFrame] = field(default_factory=list)
    paragraphs: list[pd.DataFrame] = field(default_factory=list)
    rejects: list[tuple[str, int, str, str]] = field(default_factory=list)
    threads: list[dict[str, Any]] = field(default_factory=list)
    named: list[tuple[str, str]] = field(default_factory=list)

    def add_file(
        self, path: Path, base_id: str, read: ReadResult, mapped: bool, articles: Iterator[Path]
    ) -> None:
        """Build every thread of one input (one, or one per ``thread=`` value).

        Raises:
            RuntimeError: the records do not add up (a bug, reported as an internal error).
        """
        source = display_path(path)
        parts = split_threads(read)
        shared = None
        for part, tid in zip(parts, part_ids(parts, base_id), strict=True):
            self.named.append((tid, source))
            if shared is None or mapped or read.article is not None:
                shared = _article_for(read, part, mapped, articles, path)
            article, article_file, article_format = shared
            tables = build_thread(
                article,
                part.records,
                thread_id=tid,
                source_file=source,
                source_format=read.fmt,
                article_file=article_file or source,
                article_format=article_format,
                captured_at=self.captured,
                keep_author_names=self.keep_author_names,
                salt=self.salt,
            )
            self.corpora.append(tables.corpus)
            self.paragraphs.append(tables.paragraphs)
            self.rejects += [
                (
                    source,
                    r.source_record,
                    r.reason,
                    r.record_raw if self.keep_author_names else private_raw(r, self.salt),
                )
                for r in part.rejects
            ]
            self.threads.append(
                {
                    "thread_id": tid,
                    "source_file": source,
                    "source_format": read.fmt,
                    "article_file": article_file or source,
                    "input_records": tables.stats["comments"] + len(part.rejects),
                    "record_unit": read.record_unit,
                    "rejects": len(part.rejects),
                    **tables.stats,
                }
            )
        counted = sum(len(p.records) + len(p.rejects) for p in parts)
        if read.input_records != counted:
            raise RuntimeError(
                f"{path}: {read.input_records} records read but {counted} rows and rejects"
            )


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
        "placeholders",
        "duplicate_source_ids",
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
        f"{indent}placeholders {stats['placeholders']} (deleted/removed notices, flagged), "
        f"repeated source ids {stats['duplicate_source_ids']}",
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
            try:
                stale.unlink(missing_ok=True)
            except OSError as exc:
                raise output_error(stale, exc, folder=False) from None
    summary_path = write_text(
        json.dumps(result.summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
        out / SUMMARY_FILE,
    )
    written.append(summary_path)
    return written
