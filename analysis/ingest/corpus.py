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

    def add_paragraphs(doc_id: str, text: str, spans: list[tuple[int, int]], title: bool) -> None:
        for index, (start, end) in enumerate(spans):
            p[S.THREAD_ID].append(thread_id)
            p[S.DOC_ID].append(doc_id)
            p[S.PARAGRAPH_ID].append(f"{doc_id}/p{index}")
            p["paragraph_index"].append(index)
            p["is_title"].append(title and index == 0)
            p[S.START_CHAR].append(start)
            p[S.END_CHAR].append(end)
            p[S.TEXT].append(text[start:end])

    # Article: assemble the text from normalised parts so the spans are exact by construction.
    parts = [normalise_text(article.title)] + [
        t for t in (normalise_text(par) for par in article.paragraphs) if t
    ]
    spans, pos = [], 0
    for part in parts:
        spans.append((pos, pos + len(part)))
        pos += len(part) + 2
    article_text = "\n\n".join(parts)
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
        source_file=article_file or source_file,
        source_format=article_format,
        source_record=article.source_record,
    )
    add_paragraphs(article_id, article_text, [s for s in spans if s[1] > s[0]], True)

    by_source: dict[str, str] = {}
    repeated_ids: list[bool] = []
    for position, rec in enumerate(records, start=1):
        repeated_ids.append(rec.source_id is not None and rec.source_id in by_source)
        if rec.source_id is not None and rec.source_id not in by_source:
            by_source[rec.source_id] = f"{thread_id}/c{position}"
    names: dict[str, str] = {}
    first_text: dict[str, str] = {}
    replies = orphans = duplicates = empty = 0
    dates: list[datetime] = []
    any_estimated = False
    n = len(records)
    doc_ids = [f"{thread_id}/c{position}" for position in range(1, n + 1)]
    texts, parent_ids, is_replies, author_ids = [], [], [], []
    published_dates, estimates, duplicate_ofs = [], [], []
    for doc_id, rec in zip(doc_ids, records, strict=True):
        text = normalise_text(rec.text_raw, html_markup=rec.text_is_html)
        texts.append(text)
        duplicate_of = None
        if text:
            duplicate_of = first_text.setdefault(text, doc_id)
            if duplicate_of == doc_id:
                duplicate_of = None
            else:
                duplicates += 1
        else:
            empty += 1
        duplicate_ofs.append(duplicate_of)
        parent_id = None
        is_reply = rec.is_reply or rec.parent_source_id is not None
        if is_reply:
            replies += 1
            parent_id = by_source.get(rec.parent_source_id) if rec.parent_source_id else None
            if parent_id == doc_id:  # a record naming itself as parent is not a reply target
                parent_id = None
            if parent_id is None:
                orphans += 1
        parent_ids.append(parent_id)
        is_replies.append(is_reply)
        author_id = None
        who = rec.author_key or rec.author
        if keep_author_names:
            author_id = rec.author
        elif who:
            author_id = names.get(who)
            if author_id is None:
                author_id = names[who] = pseudonym(who, salt=salt)
        author_ids.append(author_id)
        published, estimated = _published(rec, captured)
        if published is not None:
            dates.append(published)
            any_estimated = any_estimated or estimated
        published_dates.append(published)
        estimates.append(estimated)

    columns = {
        S.THREAD_ID: [thread_id] * n,
        S.DOC_ID: doc_ids,
        S.DOC_KIND: [S.COMMENT] * n,
        "position": list(range(1, n + 1)),
        "source_id": [r.source_id for r in records],
        "parent_id": parent_ids,
        "is_reply": is_replies,
        "author_id": author_ids,
        "title": [None] * n,
        "published_text": [r.published_text for r in records],
        "published_date": published_dates,
        "is_date_estimated": estimates,
        "is_edited": [r.is_edited for r in records],
        "like_count": [r.likes for r in records],
        S.TEXT: texts,
        "text_raw": [r.text_raw for r in records],
        "is_empty": [not t for t in texts],
        "is_duplicate": [d is not None for d in duplicate_ofs],
        "duplicate_of": duplicate_ofs,
        S.IS_PLACEHOLDER: [is_placeholder(t) for t in texts],
        "is_duplicate_source_id": repeated_ids,
        "source_file": [source_file] * n,
        "source_format": [source_format] * n,
        "source_record": [r.source_record for r in records],
    }
    for name, values in columns.items():
        c[name].extend(values)
    for doc_id, text in zip(doc_ids, texts, strict=True):
        if text:
            add_paragraphs(doc_id, text, split_paragraphs(text), False)

    stats = {
        "documents": len(records) + 1,
        "comments": len(records),
        "empty": empty,
        "replies": replies,
        "orphan_replies": orphans,
        "duplicates": duplicates,
        "date_min": min(dates).isoformat() if dates else None,
        "date_max": max(dates).isoformat() if dates else None,
        "dated_comments": len(dates),
        "dates_estimated": any_estimated,
        "estimated_dates": sum(
            1 for d, e in zip(published_dates, estimates, strict=True) if d is not None and e
        ),
        "article_paragraphs": len(parts) - 1,
        "placeholders": sum(columns[S.IS_PLACEHOLDER]),
        "duplicate_source_ids": sum(repeated_ids),
    }
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
