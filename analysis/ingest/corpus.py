"""Build the corpus and paragraph tables of one thread from an :class:`Article` and its records."""

from __future__ import annotations

import calendar
import hashlib
import hmac
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.errors import DiscourseError
from analysis.ingest.parsers import parse_relative_time, utc_naive
from analysis.ingest.placeholders import is_placeholder
from analysis.ingest.readers import Article, Record
from analysis.ingest.text import normalise_text, split_paragraphs

_FIXED_UNITS = {
    "second": timedelta(seconds=1),
    "minute": timedelta(minutes=1),
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
}


def pseudonym_salt() -> str:
    """The salt for author pseudonyms: ``$DISCOURSE_PSEUDONYM_SALT`` or the project default."""
    return os.environ.get(config.PSEUDONYM_SALT_ENV) or config.DEFAULT_PSEUDONYM_SALT


def pseudonym(name: str, *, salt: str | None = None) -> str:
    """A stable salted pseudonym for an author: ``'a_'`` + 12 hex digits of HMAC-SHA256."""
    key = (salt if salt is not None else pseudonym_salt()).encode("utf-8")
    return "a_" + hmac.new(key, name.encode("utf-8"), hashlib.sha256).hexdigest()[:12]


def to_utc_naive(value: datetime) -> datetime:
    """Aware times converted to UTC; naive ones taken as UTC. Tz info dropped, seconds kept.

    Raises:
        DiscourseError: the time is out of range once converted to UTC.
    """
    try:
        return utc_naive(value)
    except ValueError as exc:
        raise DiscourseError(str(exc)) from None


def _minus_months(when: datetime, months: int) -> datetime | None:
    index = when.year * 12 + (when.month - 1) - months
    year, month0 = divmod(index, 12)
    if year < 1:
        return None
    day = min(when.day, calendar.monthrange(year, month0 + 1)[1])
    return when.replace(year=year, month=month0 + 1, day=day)


def estimate_date(published_text: str | None, captured_at: datetime | None) -> datetime | None:
    """Turn a relative time (``'6 months ago'``) into a date, counted back from ``captured_at``.

    Months and years are calendar months and years (the day is clamped to the month's length),
    the other units fixed durations. Returns ``None`` when either is missing or the text is not a
    relative time.
    """
    if captured_at is None or not published_text:
        return None
    parsed = parse_relative_time(published_text)
    if parsed is None:
        return None
    amount, unit, _ = parsed
    try:
        if unit == "month":
            return _minus_months(captured_at, amount)
        if unit == "year":
            return _minus_months(captured_at, 12 * amount)
        return captured_at - amount * _FIXED_UNITS[unit]
    except (OverflowError, ValueError):
        return None


def _published(rec: Record, captured: datetime | None) -> tuple[datetime | None, bool]:
    """``(published_date, is_date_estimated)`` of a record.

    A source's own estimate from a relative time (youtube-comment-downloader's ``time_parsed``,
    counted from the moment it ran) gives way to the estimate from ``--captured-at`` when one is
    given: the user's capture time is the one the relative times were shown at.
    """
    relative_estimate = rec.is_date_estimated and parse_relative_time(rec.published_text or "")
    if rec.published_at is not None and not (captured is not None and relative_estimate):
        return to_utc_naive(rec.published_at), rec.is_date_estimated
    published = estimate_date(rec.published_text, captured)
    return published, published is not None


@dataclass
class ThreadTables:
    """One thread's rows.

    Attributes:
        corpus: CORPUS rows, the article first.
        paragraphs: PARAGRAPHS rows.
        stats: counts for the summary (documents, comments, empty, replies, orphan_replies,
            duplicates, date_min, date_max, dated_comments, dates_estimated, estimated_dates,
            article_paragraphs, placeholders, duplicate_source_ids).
    """

    corpus: pd.DataFrame
    paragraphs: pd.DataFrame
    stats: dict[str, Any] = field(default_factory=dict)


def _frame(spec: S.TableSpec, columns: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame(
        {name: pd.Series(columns[name], dtype=dtype) for name, dtype in spec.dtypes.items()}
    )


def _add_paragraphs(
    p: dict[str, list],
    thread_id: str,
    doc_id: str,
    text: str,
    spans: list[tuple[int, int]],
    title: bool,
) -> None:
    """Append one PARAGRAPHS row per span of ``text``; the first is the title when ``title``."""
    for index, (start, end) in enumerate(spans):
        p[S.THREAD_ID].append(thread_id)
        p[S.DOC_ID].append(doc_id)
        p[S.PARAGRAPH_ID].append(f"{doc_id}/p{index}")
        p["paragraph_index"].append(index)
        p["is_title"].append(title and index == 0)
        p[S.START_CHAR].append(start)
        p[S.END_CHAR].append(end)
        p[S.TEXT].append(text[start:end])


def _article_parts(article: Article) -> tuple[list[str], list[tuple[int, int]], str]:
    """Normalised title and paragraphs, their spans, and the article text they are joined into.

    The text is assembled from the normalised parts so the spans are exact by construction.

    Returns:
        (parts, spans, text): ``parts[0]`` is the title (possibly empty); one span per part.
    """
    parts = [normalise_text(article.title)] + [
        t for t in (normalise_text(par) for par in article.paragraphs) if t
    ]
    spans, pos = [], 0
    for part in parts:
        spans.append((pos, pos + len(part)))
        pos += len(part) + 2
    return parts, spans, "\n\n".join(parts)


def _add_article(
    c: dict[str, list],
    p: dict[str, list],
    article: Article,
    *,
    thread_id: str,
    source_file: str,
    article_format: str,
) -> int:
    """Append the article's CORPUS row (position 0) and its PARAGRAPHS rows.

    Returns:
        The number of article paragraphs (the title not counted).
    """
    parts, spans, article_text = _article_parts(article)
    article_id = f"{thread_id}/article"
    _append(
        c,
        thread_id=thread_id,
        doc_id=article_id,
        kind=S.ARTICLE,
        position=0,
        source_id=None,
        parent_id=None,
        is_reply=False,
        author_id=None,
        title=parts[0],
        published_text=None,
        published_date=None,
        estimated=False,
        edited=False,
        likes=None,
        text=article_text,
        text_raw=article.text_raw,
        is_empty=not article_text,
        duplicate_of=None,
        placeholder=False,
        duplicate_source_id=False,
        source_file=source_file,
        source_format=article_format,
        source_record=article.source_record,
    )
    _add_paragraphs(p, thread_id, article_id, article_text, [s for s in spans if s[1] > s[0]], True)
    return len(parts) - 1


def _source_index(records: list[Record], thread_id: str) -> tuple[dict[str, str], list[bool]]:
    """Map each source id to the ``doc_id`` of its first comment; flag the repeats.

    Returns:
        (doc_id by source id, one ``is_duplicate_source_id`` flag per record).
    """
    by_source: dict[str, str] = {}
    repeated_ids: list[bool] = []
    for position, rec in enumerate(records, start=1):
        repeated_ids.append(rec.source_id is not None and rec.source_id in by_source)
        if rec.source_id is not None and rec.source_id not in by_source:
            by_source[rec.source_id] = f"{thread_id}/c{position}"
    return by_source, repeated_ids


@dataclass
class _Comments:
    """Per-comment values and thread counts gathered in one pass over the records."""

    by_source: dict[str, str]
    captured: datetime | None
    keep_author_names: bool
    salt: str
    texts: list[str] = field(default_factory=list)
    parent_ids: list[str | None] = field(default_factory=list)
    is_replies: list[bool] = field(default_factory=list)
    author_ids: list[str | None] = field(default_factory=list)
    published_dates: list[datetime | None] = field(default_factory=list)
    estimates: list[bool] = field(default_factory=list)
    duplicate_ofs: list[str | None] = field(default_factory=list)
    dates: list[datetime] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    first_text: dict[str, str] = field(default_factory=dict)
    replies: int = 0
    orphans: int = 0
    duplicates: int = 0
    empty: int = 0
    any_estimated: bool = False

    def add(self, doc_id: str, rec: Record) -> None:
        """Gather one comment's text, duplicate, parent, author and date."""
        text = normalise_text(rec.text_raw, html_markup=rec.text_is_html)
        self.texts.append(text)
        self.duplicate_ofs.append(self._duplicate_of(doc_id, text))
        is_reply = rec.is_reply or rec.parent_source_id is not None
        self.parent_ids.append(self._parent_id(doc_id, rec) if is_reply else None)
        self.is_replies.append(is_reply)
        self.author_ids.append(self._author_id(rec))
        published, estimated = _published(rec, self.captured)
        if published is not None:
            self.dates.append(published)
            self.any_estimated = self.any_estimated or estimated
        self.published_dates.append(published)
        self.estimates.append(estimated)

    def _duplicate_of(self, doc_id: str, text: str) -> str | None:
        """The earlier comment with the same non-empty text, or None (counts empties/duplicates)."""
        if not text:
            self.empty += 1
            return None
        duplicate_of = self.first_text.setdefault(text, doc_id)
        if duplicate_of == doc_id:
            return None
        self.duplicates += 1
        return duplicate_of

    def _parent_id(self, doc_id: str, rec: Record) -> str | None:
        """The parent's ``doc_id`` of a reply, or None for an orphan (counts replies/orphans)."""
        self.replies += 1
        parent_id = self.by_source.get(rec.parent_source_id) if rec.parent_source_id else None
        if parent_id == doc_id:  # a record naming itself as parent is not a reply target
            parent_id = None
        if parent_id is None:
            self.orphans += 1
        return parent_id

    def _author_id(self, rec: Record) -> str | None:
        """The raw author name (``keep_author_names``) or its pseudonym, or None."""
        who = rec.author_key or rec.author
        if self.keep_author_names:
            return rec.author
        if not who:
            return None
        author_id = self.names.get(who)
        if author_id is None:
            author_id = self.names[who] = pseudonym(who, salt=self.salt)
        return author_id


def _comment_columns(
    records: list[Record],
    doc_ids: list[str],
    got: _Comments,
    repeated_ids: list[bool],
    *,
    thread_id: str,
    source_file: str,
    source_format: str,
) -> dict[str, list]:
    """The CORPUS columns of the comment rows, in schema order."""
    n = len(records)
    return {
        S.THREAD_ID: [thread_id] * n,
        S.DOC_ID: doc_ids,
        S.DOC_KIND: [S.COMMENT] * n,
        "position": list(range(1, n + 1)),
        "source_id": [r.source_id for r in records],
        "parent_id": got.parent_ids,
        "is_reply": got.is_replies,
        "author_id": got.author_ids,
        "title": [None] * n,
        "published_text": [r.published_text for r in records],
        "published_date": got.published_dates,
        "is_date_estimated": got.estimates,
        "is_edited": [r.is_edited for r in records],
        "like_count": [r.likes for r in records],
        S.TEXT: got.texts,
        "text_raw": [r.text_raw for r in records],
        "is_empty": [not t for t in got.texts],
        "is_duplicate": [d is not None for d in got.duplicate_ofs],
        "duplicate_of": got.duplicate_ofs,
        S.IS_PLACEHOLDER: [is_placeholder(t) for t in got.texts],
        "is_duplicate_source_id": repeated_ids,
        "source_file": [source_file] * n,
        "source_format": [source_format] * n,
        "source_record": [r.source_record for r in records],
    }


def _thread_stats(
    n: int, got: _Comments, columns: dict[str, list], article_paragraphs: int
) -> dict[str, Any]:
    """The thread's :attr:`ThreadTables.stats` (key order is the summary's)."""
    dates = got.dates
    return {
        "documents": n + 1,
        "comments": n,
        "empty": got.empty,
        "replies": got.replies,
        "orphan_replies": got.orphans,
        "duplicates": got.duplicates,
        "date_min": min(dates).isoformat() if dates else None,
        "date_max": max(dates).isoformat() if dates else None,
        "dated_comments": len(dates),
        "dates_estimated": got.any_estimated,
        "estimated_dates": sum(
            1
            for d, e in zip(got.published_dates, got.estimates, strict=True)
            if d is not None and e
        ),
        "article_paragraphs": article_paragraphs,
        "placeholders": sum(columns[S.IS_PLACEHOLDER]),
        "duplicate_source_ids": sum(columns["is_duplicate_source_id"]),
    }


def build_thread(
    article: Article,
    records: list[Record],
    *,
    thread_id: str,
    source_file: str,
    source_format: str,
    article_file: str | None = None,
    article_format: str = "article",
    captured_at: datetime | None = None,
    keep_author_names: bool = False,
    salt: str | None = None,
) -> ThreadTables:
    """Build the CORPUS and PARAGRAPHS rows of one thread.

    The article is position 0 (``doc_id`` ``'<thread_id>/article'``); its ``text`` is the
    normalised title, a blank line, and the normalised paragraphs separated by blank lines;
    paragraph p0 is the title. Comments follow in source order as ``'<thread_id>/c<position>'``.
    Replies get the ``doc_id`` of their parent when the parent is in the thread; otherwise they
    keep ``is_reply`` with a missing ``parent_id`` (counted as orphan replies). A comment is a
    duplicate when its normalised text equals an earlier non-empty comment's. ``is_placeholder``
    marks platform notices (:mod:`analysis.ingest.placeholders`); ``is_duplicate_source_id``
    marks a comment whose source id an earlier comment already had (replies attach to the
    first). A source's own relative-time estimate gives way to one from ``captured_at``.

    (Over 60 lines only by its ten keyword options and this docstring; the body, 34 lines,
    delegates to the ``_add_article``/``_Comments``/``_comment_columns``/``_thread_stats`` helpers.)

    Args:
        article: the thread's article.
        records: its comments in source order.
        thread_id: thread id (no '/').
        source_file: the comments' file, as recorded in ``source_file``.
        source_format: the comments' format.
        article_file: the article's file (default: ``source_file``, as in the seed).
        article_format: ``source_format`` of the article row.
        captured_at: capture time; relative times are counted back from it (estimates).
        keep_author_names: keep raw author names instead of pseudonyms.
        salt: pseudonym salt (default :func:`pseudonym_salt`).

    Returns:
        :class:`ThreadTables` with frames conforming to ``schema.CORPUS`` and ``schema.PARAGRAPHS``.
    """
    salt = salt if salt is not None else pseudonym_salt()
    captured = to_utc_naive(captured_at) if captured_at is not None else None
    c: dict[str, list] = {name: [] for name in S.CORPUS.names}
    p: dict[str, list] = {name: [] for name in S.PARAGRAPHS.names}
    article_paragraphs = _add_article(
        c,
        p,
        article,
        thread_id=thread_id,
        source_file=article_file or source_file,
        article_format=article_format,
    )
    by_source, repeated_ids = _source_index(records, thread_id)
    got = _Comments(by_source, captured, keep_author_names, salt)
    doc_ids = [f"{thread_id}/c{position}" for position in range(1, len(records) + 1)]
    for doc_id, rec in zip(doc_ids, records, strict=True):
        got.add(doc_id, rec)
    columns = _comment_columns(
        records,
        doc_ids,
        got,
        repeated_ids,
        thread_id=thread_id,
        source_file=source_file,
        source_format=source_format,
    )
    for name, values in columns.items():
        c[name].extend(values)
    for doc_id, text in zip(doc_ids, got.texts, strict=True):
        if text:
            _add_paragraphs(p, thread_id, doc_id, text, split_paragraphs(text), False)
    stats = _thread_stats(len(records), got, columns, article_paragraphs)
    return ThreadTables(_frame(S.CORPUS, c), _frame(S.PARAGRAPHS, p), stats)


def _append(
    c: dict[str, list],
    *,
    thread_id: str,
    doc_id: str,
    kind: str,
    position: int,
    source_id: str | None,
    parent_id: str | None,
    is_reply: bool,
    author_id: str | None,
    title: str | None,
    published_text: str | None,
    published_date: datetime | None,
    estimated: bool,
    edited: bool,
    likes: int | None,
    text: str,
    text_raw: str,
    is_empty: bool,
    duplicate_of: str | None,
    placeholder: bool,
    duplicate_source_id: bool,
    source_file: str,
    source_format: str,
    source_record: int,
) -> None:
    c[S.THREAD_ID].append(thread_id)
    c[S.DOC_ID].append(doc_id)
    c[S.DOC_KIND].append(kind)
    c["position"].append(position)
    c["source_id"].append(source_id)
    c["parent_id"].append(parent_id)
    c["is_reply"].append(is_reply)
    c["author_id"].append(author_id)
    c["title"].append(title)
    c["published_text"].append(published_text)
    c["published_date"].append(published_date)
    c["is_date_estimated"].append(estimated)
    c["is_edited"].append(edited)
    c["like_count"].append(likes)
    c[S.TEXT].append(text)
    c["text_raw"].append(text_raw)
    c["is_empty"].append(is_empty)
    c["is_duplicate"].append(duplicate_of is not None)
    c["duplicate_of"].append(duplicate_of)
    c[S.IS_PLACEHOLDER].append(placeholder)
    c["is_duplicate_source_id"].append(duplicate_source_id)
    c["source_file"].append(source_file)
    c["source_format"].append(source_format)
    c["source_record"].append(source_record)
