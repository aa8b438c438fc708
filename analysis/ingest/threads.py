"""Thread ids (validated slugs), files split into threads by a ``thread=`` column, their articles.

A thread id names folders, files and table rows, so it is a safe slug: letters, digits, ``.``,
``_`` and ``-``, starting with a letter or digit, at most 100 characters, and not a reserved
word (``pooled``, the pooled-row marker, ``.``/``..``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from analysis import schema as S
from analysis.errors import DiscourseError
from analysis.ingest.readers import Article, ReadResult, Record, Reject

_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
RESERVED_IDS = frozenset({"pooled", S.POOLED.lower(), "all", "none", "null", "nan"})
_SLUG_MAX = 60


def is_safe_thread_id(value: str) -> bool:
    """A usable thread id: a safe slug and not a reserved word."""
    return bool(_SAFE_ID.fullmatch(value)) and value.lower() not in RESERVED_IDS


def check_thread_id(value: str, *, where: str) -> str:
    """Return ``value`` when it is a usable thread id.

    Raises:
        DiscourseError: not a safe slug, or reserved; the message says what is allowed.
    """
    if not is_safe_thread_id(value):
        why = "a reserved word" if value.lower() in RESERVED_IDS else "not a safe name"
        raise DiscourseError(
            f"{where}: thread id {value!r} is not usable ({why}); expected letters, digits, "
            "'.', '_' or '-' (starting with a letter or digit, at most 100 characters), "
            "not pooled/__pooled__ (--thread-id)"
        )
    return value


def slugify(value: str) -> str:
    """A thread id from free text (a title, a file stem): ASCII letters/digits joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text).strip("-._")
    slug = re.sub(r"-{2,}", "-", slug)[:_SLUG_MAX].strip("-._")
    if not slug:  # nothing ASCII to keep (a title in another script): a stable short hash
        return "thread-" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"thread-{slug}" if slug.lower() in RESERVED_IDS else slug


def default_thread_id(path: Path) -> str:
    """The input's file stem, made a safe slug when it is not one."""
    return path.stem if is_safe_thread_id(path.stem) else slugify(path.stem)


@dataclass
class ThreadPart:
    """One thread of an input file.

    Attributes:
        key: the ``thread=`` value (``None`` when the file is one thread).
        records: its comments in source order.
        rejects: its rejected records (those of unknown thread go to the file's first thread).
    """

    key: str | None
    records: list[Record] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def split_threads(read: ReadResult) -> list[ThreadPart]:
    """The threads of one read, in order of first appearance."""
    if not any(r.thread_key is not None for r in read.records) and not any(
        j.thread_key is not None for j in read.rejects
    ):
        return [ThreadPart(None, list(read.records), list(read.rejects))]
    parts: dict[str, ThreadPart] = {}
    for rec in read.records:
        key = rec.thread_key or ""
        parts.setdefault(key, ThreadPart(key)).records.append(rec)
    unplaced = []
    for rej in read.rejects:
        if rej.thread_key and rej.thread_key in parts:
            parts[rej.thread_key].rejects.append(rej)
        else:
            unplaced.append(rej)
    ordered = list(parts.values()) or [ThreadPart(None)]
    ordered[0].rejects = unplaced + ordered[0].rejects
    ordered[0].rejects.sort(key=lambda j: j.source_record)
    return ordered


def part_ids(parts: list[ThreadPart], base: str) -> list[str]:
    """Thread ids for the parts of one file: ``base`` for a single part, else title slugs."""
    if len(parts) == 1 and parts[0].key is None:
        return [base]
    ids, seen = [], set()
    for part in parts:
        slug = slugify(part.key or base)
        candidate, n = slug, 2
        while candidate.lower() in seen:
            candidate, n = f"{slug}-{n}", n + 1
        seen.add(candidate.lower())
        ids.append(candidate)
    return ids


def mapped_article(part: ThreadPart) -> Article:
    """The article of a thread built from ``article_title=`` / ``article_text=`` columns.

    The first record with a non-empty title gives the title (the thread key when none has one);
    the first with a non-empty text gives the paragraphs (split at blank lines).
    """
    title = next((r.article_title for r in part.records if (r.article_title or "").strip()), None)
    text = next((r.article_text for r in part.records if (r.article_text or "").strip()), "")
    first = part.records[0].source_record if part.records else 1
    title = (title or part.key or "").strip()
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    text_raw = "\n\n".join([title, *paragraphs]) if paragraphs else title
    return Article(title=title, paragraphs=paragraphs, text_raw=text_raw, source_record=first)
