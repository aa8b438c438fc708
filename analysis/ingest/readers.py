"""Readers: one per input format, each yielding plain :class:`Record` objects.

Formats (detected from content by :func:`detect_format`, never from the file extension):

- ``seed``: the bundled seed's plain text. Title line, article paragraphs separated by blank lines,
  then comments, each introduced by a relative timestamp line (``6 months ago``,
  ``2 days ago (edited)``); a comment's text is everything up to the next timestamp line.
- ``youtube-jsonl``: youtube-comment-downloader output, one JSON object per line, or its
  ``--pretty`` mode (``{"comments": [...]}``, or a bare JSON array of comment objects).
- ``youtube-api``: YouTube Data API v3 ``commentThreads.list`` response pages (one page object or a
  JSON array of pages).
- ``csv``: CSV or TSV with a header row; a column mapping names the text column and optional id,
  author, time, likes and parent columns.

Readers do not normalise text or build tables (that is :mod:`analysis.corpus`); they check each
record and either raise :class:`~analysis.errors.InputError` (``on_error="stop"``) or collect a
:class:`Reject` (``on_error="skip"``). Every input record ends up as exactly one record or one
reject.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from analysis.errors import DiscourseError, FormatError, InputError

FORMATS = ("seed", "youtube-jsonl", "youtube-api", "csv")
ON_ERROR = ("stop", "skip")
REJECT_RAW_MAX = 2000

_FORMAT_HELP = (
    "expected seed text (title, paragraphs, comments under relative timestamp lines), "
    "youtube-comment-downloader JSON lines, a YouTube Data API commentThreads page, "
    "or CSV/TSV with a header row"
)

# ------------------------------------------------------------------------------------------ records


@dataclass(slots=True)
class Record:
    """One comment as a reader found it (no normalisation yet).

    Attributes:
        source_record: 1-based line (seed, JSON lines, CSV) or item number (JSON documents).
        text_raw: the comment text exactly as the source held it.
        source_id: the source's own id (YouTube cid, CSV id column).
        parent_source_id: source id of the comment replied to.
        is_reply: the source marks the comment as a reply (even when the parent is unknown).
        author: display name (personal data; pseudonymised by the corpus builder).
        author_key: a more stable identity than the name (channel id), used for the pseudonym.
        published_text: the time exactly as the source gave it.
        published_at: absolute or source-estimated time (naive UTC), if known.
        is_date_estimated: ``published_at`` was computed from a relative time.
        is_edited: the source marks the comment as edited.
        likes: like/vote count, if known.
        text_is_html: ``text_raw`` is HTML (API ``textDisplay`` fallback).
    """

    source_record: int
    text_raw: str
    source_id: str | None = None
    parent_source_id: str | None = None
    is_reply: bool = False
    author: str | None = None
    author_key: str | None = None
    published_text: str | None = None
    published_at: datetime | None = None
    is_date_estimated: bool = False
    is_edited: bool = False
    likes: int | None = None
    text_is_html: bool = False


@dataclass(slots=True)
class Reject:
    """A record rejected under ``on_error="skip"``."""

    source_record: int
    reason: str
    record_raw: str


@dataclass(slots=True)
class Article:
    """The article of a thread.

    Attributes:
        title: the title line as the source held it (Markdown '# ' marker removed).
        paragraphs: raw paragraph blocks in order (may contain single line breaks).
        text_raw: the article exactly as the source held it (surrounding blank lines removed).
        source_record: 1-based line of the title.
    """

    title: str
    paragraphs: list[str]
    text_raw: str
    source_record: int = 1


@dataclass
class ReadResult:
    """What a reader returns.

    Attributes:
        fmt: the format read.
        records: comments in source order.
        rejects: rejected records (only under ``on_error="skip"``).
        input_records: records the file held (``len(records) + len(rejects)``).
        article: the article, for the seed format; ``None`` otherwise.
        record_unit: what ``source_record`` counts ("line", "item" or "comment").
    """

    fmt: str
    records: list[Record] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    input_records: int = 0
    article: Article | None = None
    record_unit: str = "line"


class _Collector:
    """Raise or collect record-level problems according to ``on_error``."""

    def __init__(self, path: Path, on_error: str, unit: str) -> None:
        if on_error not in ON_ERROR:
            raise DiscourseError(f"on_error must be one of {ON_ERROR}, got {on_error!r}")
        self.path = path
        self.skip = on_error == "skip"
        self.unit = unit
        self.rejects: list[Reject] = []

    def bad(self, record: int, reason: str, raw: str) -> None:
        if not self.skip:
            raise InputError(self.path, reason, record=record, unit=self.unit)
        self.rejects.append(Reject(record, reason, raw[:REJECT_RAW_MAX]))


# ---------------------------------------------------------------------------------- relative times

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1}
_UNITS = ("second", "minute", "hour", "day", "week", "month", "year")
RELATIVE_TIME = re.compile(
    r"(?:(?P<n>\d{1,6}|an?|one)\s+(?P<unit>second|minute|hour|day|week|month|year)s?\s+ago"
    r"|(?P<now>just now|now))"
    r"(?:\s*(?P<edited>\(edited\)))?",
    re.IGNORECASE,
)


def parse_relative_time(text: str) -> tuple[int, str, bool] | None:
    """Parse a relative time such as ``'6 months ago'`` or ``'2 days ago (edited)'``.

    Returns:
        ``(amount, unit, is_edited)`` with ``unit`` one of second/minute/hour/day/week/month/year,
        or ``None`` when ``text`` is not a relative time. ``'just now'`` is ``(0, 'second', ...)``.
    """
    match = RELATIVE_TIME.fullmatch(text.strip())
    if match is None:
        return None
    edited = match.group("edited") is not None
    if match.group("now"):
        return 0, "second", edited
    n = match.group("n").lower()
    amount = _NUMBER_WORDS[n] if n in _NUMBER_WORDS else int(n)
    return amount, match.group("unit").lower(), edited


def is_timestamp_line(line: str) -> bool:
    """True when ``line`` (stripped) is a seed-format timestamp line."""
    return RELATIVE_TIME.fullmatch(line.strip()) is not None


# ------------------------------------------------------------------------------------- file access

_BOM = b"\xef\xbb\xbf"


def read_bytes(path: Path) -> bytes:
    """Read a file and reject empty, binary and UTF-16 files.

    Returns:
        The content without a leading UTF-8 byte-order mark.

    Raises:
        InputError: the file is missing, unreadable, empty, UTF-16 or binary.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder; expected a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "the file is UTF-16 encoded; expected UTF-8 (re-save it as UTF-8)")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(path, f"binary file (NUL byte at byte offset {nul}); expected UTF-8 text")
    if not data.strip():
        raise InputError(path, f"empty file; {_FORMAT_HELP}")
    return data


def _decode_error(
    path: Path, data: bytes, exc: UnicodeDecodeError, *, first_line: int = 1, base: int = 0
) -> InputError:
    line_start = data.rfind(b"\n", 0, exc.start) + 1
    line = first_line + data.count(b"\n", 0, exc.start)
    bad = data[exc.start : exc.end].hex(" ")
    return InputError(
        path,
        f"undecodable bytes ({bad}) at byte {exc.start - line_start} of the line "
        f"(byte offset {base + exc.start} in the file); expected UTF-8 text",
        record=line,
        unit="line",
    )


def decode_text(path: Path, data: bytes) -> str:
    """Decode UTF-8 strictly.

    Raises:
        InputError: undecodable bytes, naming the line and byte offset.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _decode_error(path, data, exc) from None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> list[str]:
    """Lines with their endings (``\\r\\n``, ``\\r`` or ``\\n``); joining them gives ``text``."""
    return _LINE.findall(text)


# -------------------------------------------------------------------------------------- detection


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _scrub(obj: Any) -> Any:
    """Replace lone surrogates (from broken JSON escapes) by U+FFFD: they cannot be stored."""
    if isinstance(obj, str):
        return _LONE_SURROGATE.sub("\ufffd", obj)
    if isinstance(obj, list):
        return [_scrub(x) for x in obj]
    if isinstance(obj, dict):
        return {_scrub(k): _scrub(v) for k, v in obj.items()}
    return obj


def _loads(text: str | bytes) -> Any:
    """``json.loads``; strings holding lone surrogate escapes get U+FFFD in their place."""
    doc = json.loads(text)
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        doc = _scrub(doc)
    return doc


def _json_doc(text: str) -> tuple[Any, ValueError | None]:
    try:
        return _loads(text), None
    except (ValueError, RecursionError) as exc:
        return None, exc if isinstance(exc, ValueError) else ValueError("JSON nested too deeply")


def _json_kind(doc: Any) -> str | None:
    """youtube-api / youtube-jsonl / None for a parsed JSON document."""
    if isinstance(doc, dict):
        if "items" in doc or str(doc.get("kind", "")).startswith("youtube#"):
            return "youtube-api"
        if "comments" in doc or "cid" in doc or "text" in doc:
            return "youtube-jsonl"
        return None
    if isinstance(doc, list):
        if not doc:
            return "youtube-jsonl"
        return _json_kind(doc[0]) if isinstance(doc[0], dict) else None
    return None


_CSV_DELIMITERS = (",", "\t", ";", "|")


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in _CSV_DELIMITERS}
    best = max(_CSV_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


_TEXT_COLUMNS = ("text", "comment", "comment_text", "body", "content", "message", "textoriginal")


def _looks_like_csv(text: str) -> bool:
    lines = _lines(text[:65536])
    if not lines:
        return False
    delimiter = _sniff_delimiter(lines[0])
    try:
        rows = list(csv.reader(io.StringIO(text[:65536], newline=""), delimiter=delimiter))
    except csv.Error:
        return False
    if not rows:
        return False
    header = [h.strip() for h in rows[0]]
    if not header or any(not h or len(h) > 64 or "\n" in h for h in header):
        return False
    if len(header) == 1:
        return header[0].lower() in _TEXT_COLUMNS
    if len(rows) < 2 or not rows[1]:  # a blank line right after a title: seed text
        return False
    body = rows[1:-1] if len(rows) > 2 else rows[1:]  # the last sampled row may be cut off
    body = [r for r in body[:50] if r]
    # Most rows have the header's width (a malformed row is the reader's to report).
    return 2 * sum(len(r) == len(header) for r in body) >= len(body)


def _sniff(text: str) -> tuple[str | None, Any, str]:
    """Guess the format of decoded ``text``.

    Returns:
        ``(format or None, parsed JSON document or None, why)``.
    """
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        first = stripped.split("\n", 1)[0].strip()
        if first.startswith("{"):
            doc, err = _json_doc(first)
            if err is None and isinstance(doc, dict):
                kind = _json_kind(doc)
                if kind == "youtube-api" and "\n" in stripped.strip():
                    whole, werr = _json_doc(text)
                    if werr is None:
                        return kind, whole, "a YouTube API page"
                if kind is None:
                    return (
                        None,
                        None,
                        (
                            "JSON objects without youtube-comment-downloader fields "
                            "(cid, text) or YouTube API 'items'"
                        ),
                    )
                return kind, None, "JSON objects, one per line"
        whole, err = _json_doc(text)
        if err is None:
            kind = _json_kind(whole)
            why = "a JSON document" if kind != "youtube-jsonl" else "an indented JSON document"
            return kind, whole, why
        # Not one JSON document: JSON lines with a broken first line?
        for line in stripped.split("\n")[1:6]:
            doc, lerr = _json_doc(line.strip())
            if lerr is None and isinstance(doc, dict):
                return _json_kind(doc), None, "JSON objects, one per line"
        return None, err, "broken JSON"
    has_stamps = any(is_timestamp_line(line) for line in text.split("\n"))
    if _looks_like_csv(text):
        first = _lines(text)[0]
        header = {h.strip().strip('"').lower() for h in first.split(_sniff_delimiter(first))}
        known = any(header & set(names) for names in DEFAULT_COLUMNS.values())
        # A seed title and first paragraph with the same number of commas are not a CSV header
        # and row: with timestamp lines and no familiar column name, the text is seed.
        if known or not has_stamps:
            return "csv", None, "a header row of delimited columns"
    if has_stamps:
        return "seed", None, "plain text with relative timestamp lines"
    return None, None, "no recognisable structure"


def detect_format(path: Path) -> str:
    """Detect the format of ``path`` from its content.

    Returns:
        One of :data:`FORMATS`.

    Raises:
        InputError: the file is missing, empty, binary or undecodable.
        FormatError: the content matches no supported format.
    """
    path = Path(path)
    text = read_bytes(path).decode("utf-8", errors="replace")
    fmt, doc, why = _sniff(text)
    if fmt is None:
        raise _undetected(path, doc, why)
    return fmt


def _undetected(path: Path, doc: Any, why: str) -> FormatError:
    if isinstance(doc, json.JSONDecodeError):
        return FormatError(
            path,
            f"looks like JSON but does not parse ({doc.msg} at column {doc.colno}); {_FORMAT_HELP}",
            record=doc.lineno,
        )
    if why == "broken JSON":
        return FormatError(path, f"looks like JSON but does not parse ({doc}); {_FORMAT_HELP}")
    return FormatError(
        path, f"cannot detect the format ({why}); {_FORMAT_HELP}; or name it with --format"
    )


# ----------------------------------------------------------------------------------- seed/article

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def _blocks(lines: list[tuple[int, str]]) -> list[str]:
    """Group ``(line_no, line)`` into blank-line separated blocks of raw text (no endings)."""
    blocks, current = [], []
    for _, line in lines:
        if line.strip():
            current.append(line.rstrip("\r\n"))
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def _article_from_lines(path: Path, numbered: list[tuple[int, str]], *, markdown: bool) -> Article:
    content = list(numbered)
    while content and not content[0][1].strip():
        content.pop(0)
    if not content:
        raise InputError(path, "no article title; expected the title on the first line")
    title_no, title_line = content[0]
    title = title_line.rstrip("\r\n")
    if markdown:
        title = _MD_HEADING.sub("", title, count=1)
    title = title.strip()
    text_raw = "".join(ln for _, ln in content).strip("\r\n")
    return Article(
        title=title, paragraphs=_blocks(content[1:]), text_raw=text_raw, source_record=title_no
    )


def read_article(path: Path) -> Article:
    """Read an article file (plain text or Markdown, title on the first non-blank line).

    A leading Markdown heading marker (``# ``) is removed from the title; paragraphs are separated
    by blank lines.

    Raises:
        InputError: missing, empty, binary or undecodable file.
    """
    path = Path(path)
    text = decode_text(path, read_bytes(path))
    numbered = list(enumerate(_lines(text), start=1))
    return _article_from_lines(path, numbered, markdown=True)


def read_seed(path: Path, *, text: str | None = None) -> ReadResult:
    """Read the seed text format.

    The first non-blank line is the title; article paragraphs follow, separated by blank lines,
    until the first timestamp line. Each timestamp line starts a comment whose text is every line
    up to the next timestamp line; only the newlines delimiting it are removed, so ``text_raw``
    keeps every other character (it may span several paragraphs, or be empty).

    Returns:
        A :class:`ReadResult` with ``article`` set; ``source_record`` of a comment is the line of
        its timestamp.

    Raises:
        InputError: the file is unreadable, or its first non-blank line is a timestamp line.
    """
    path = Path(path)
    if text is None:
        text = decode_text(path, read_bytes(path))
    lines = _lines(text)
    stamps = [i for i, line in enumerate(lines) if is_timestamp_line(line)]
    first_stamp = stamps[0] if stamps else len(lines)
    head = list(enumerate(lines[:first_stamp], start=1))
    if not any(line.strip() for _, line in head):
        if stamps:
            raise InputError(
                path,
                "expected the article title on the first line, found a timestamp line",
                record=first_stamp + 1,
            )
        raise InputError(path, "no article title; expected the title on the first line")
    article = _article_from_lines(path, head, markdown=False)
    records = []
    for k, i in enumerate(stamps):
        end = stamps[k + 1] if k + 1 < len(stamps) else len(lines)
        stamp = lines[i].strip()
        amount_unit_edited = parse_relative_time(stamp)
        body = "".join(lines[i + 1 : end]).strip("\r\n")
        records.append(
            Record(
                source_record=i + 1,
                text_raw=body,
                published_text=stamp,
                is_edited=bool(amount_unit_edited and amount_unit_edited[2]),
            )
        )
    return ReadResult("seed", records=records, input_records=len(records), article=article)


# ---------------------------------------------------------------------------- youtube-comment-dl

_COUNT = re.compile(r"(?P<num>\d+(?:[.,]\d+)?)\s*(?P<suffix>[KkMmBb]?)")
_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}


_MAX_COUNT = 2**63 - 1


def parse_count(value: Any) -> int | None:
    """See :func:`_parse_count`; also rejects counts too large for a 64-bit integer."""
    count = _parse_count(value)
    if count is not None and count > _MAX_COUNT:
        raise ValueError(f"expected a count, found {value!r} (too large)")
    return count


def _parse_count(value: Any) -> int | None:
    """Expand a like/vote count: ``'1.2K'`` -> 1200, ``'3M'`` -> 3000000, ``'1,234'`` -> 1234.

    Returns:
        The count, or ``None`` for ``None``/``""`` (unknown).

    Raises:
        ValueError: the value is not a count.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a count, found {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"expected a count, found {value!r}")
        return value
    if isinstance(value, float):
        if value != value or value < 0 or value != int(value):
            raise ValueError(f"expected a whole count, found {value!r}")
        return int(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a count such as '12' or '1.2K', found {type(value).__name__}")
    if value.isascii() and value.isdigit():
        return int(value)
    s = value.strip()
    if not s:
        return None
    match = _COUNT.fullmatch(s)
    if match is None:
        raise ValueError(f"expected a count such as '12', '1.2K' or '3M', found {value!r}")
    num, suffix = match.group("num"), match.group("suffix").lower()
    if "," in num and not suffix and re.fullmatch(r"\d{1,3},\d{3}", num):
        return int(num.replace(",", ""))
    num = num.replace(",", ".")
    whole, _, frac = num.partition(".")
    scale = _SUFFIX[suffix]
    if frac and len(frac) > len(str(scale)) - 1:
        raise ValueError(f"expected a count such as '12', '1.2K' or '3M', found {value!r}")
    # Integer arithmetic: '1.2K' must give exactly 1200.
    return int(whole) * scale + (int(frac) * scale // 10 ** len(frac) if frac else 0)


def _opt_str(item: Mapping[str, Any], key: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"field {key!r}: expected a string, found {type(value).__name__}")
    return value


_EPOCH = datetime(1970, 1, 1)


def _ytcd_record(item: Any, number: int) -> Record:
    """One youtube-comment-downloader comment object -> Record (ValueError when malformed)."""
    if not isinstance(item, dict):
        raise ValueError(
            f"expected a JSON object with 'cid' and 'text', found {type(item).__name__}"
        )
    for key in ("cid", "text"):
        if key not in item:
            raise ValueError(
                f"missing field {key!r}; expected youtube-comment-downloader "
                "fields cid, text, time, author, votes, reply, time_parsed"
            )
        if not isinstance(item[key], str):
            raise ValueError(f"field {key!r}: expected a string, found {type(item[key]).__name__}")
    cid, text = item["cid"], item["text"]
    time_text = _opt_str(item, "time")
    author = _opt_str(item, "author")
    channel = _opt_str(item, "channel")
    try:
        likes = parse_count(item.get("votes"))
    except ValueError as exc:
        raise ValueError(f"field 'votes': {exc}") from None
    reply = item.get("reply", False)
    if not isinstance(reply, bool):
        raise ValueError(f"field 'reply': expected true or false, found {reply!r}")
    parent = cid.split(".", 1)[0] if "." in cid else None
    published_at, estimated = None, False
    parsed = item.get("time_parsed")
    if parsed is not None:
        if isinstance(parsed, bool) or not isinstance(parsed, int | float):
            raise ValueError(f"field 'time_parsed': expected epoch seconds, found {parsed!r}")
        try:
            published_at = _EPOCH + timedelta(seconds=round(parsed))
        except (OverflowError, ValueError):
            raise ValueError(f"field 'time_parsed': {parsed!r} is out of range") from None
        estimated = True  # the downloader computes it from the relative time
    edited = time_text is not None and "(edited)" in time_text
    return Record(
        source_record=number,
        text_raw=text,
        source_id=cid,
        parent_source_id=parent,
        is_reply=reply or parent is not None,
        author=author,
        author_key=channel or author,
        published_text=time_text,
        published_at=published_at,
        is_date_estimated=estimated,
        is_edited=edited,
        likes=likes,
    )


def _raw(item: Any) -> str:
    try:
        return json.dumps(item, ensure_ascii=False)[:REJECT_RAW_MAX]
    except (TypeError, ValueError):
        return repr(item)[:REJECT_RAW_MAX]


def read_youtube_jsonl(
    path: Path, *, on_error: str = "stop", data: bytes | None = None, doc: Any = None
) -> ReadResult:
    """Read youtube-comment-downloader output: JSON lines, or the ``--pretty`` JSON document.

    Records are numbered by line (JSON lines; blank lines are not records) or by item (1-based
    position in the ``comments`` array of the pretty form). Required fields: ``cid`` and ``text``
    (strings); ``votes`` such as ``'1.2K'`` are expanded; a reply's ``cid`` is ``PARENT.REPLY``.
    ``time_parsed`` (epoch seconds the downloader estimated from the relative ``time``) becomes an
    estimated ``published_at``.

    Raises:
        InputError: a malformed record (``on_error="stop"``), or a file-level problem.
    """
    path = Path(path)
    if data is None:
        data = read_bytes(path)
    if doc is None and not _first_line_is_object(data):
        # Not JSON lines: the --pretty document (a broken one raises, naming the line).
        doc = _parse_document(
            path,
            data,
            "youtube-comment-downloader output (JSON lines, or the --pretty JSON document)",
        )
    if doc is not None:
        return _read_ytcd_pretty(path, data, doc, on_error)
    out = _Collector(path, on_error, "line")
    records: list[Record] = []
    n_input = 0
    offset = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        start, offset = offset, offset + len(raw) + 1
        if not raw.strip():
            continue
        n_input += 1
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            err = _decode_error(path, raw, exc, first_line=number, base=start)
            out.bad(number, err.reason, raw.decode("utf-8", errors="replace"))
            continue
        try:
            item = _loads(line)
        except json.JSONDecodeError as exc:
            out.bad(
                number,
                f"invalid JSON ({exc.msg} at column {exc.colno}); expected one "
                "youtube-comment-downloader JSON object per line",
                line,
            )
            continue
        except (ValueError, RecursionError) as exc:
            out.bad(number, f"invalid JSON ({exc}); expected one JSON object per line", line)
            continue
        try:
            records.append(_ytcd_record(item, number))
        except ValueError as exc:
            out.bad(number, str(exc), line)
    return ReadResult("youtube-jsonl", records, out.rejects, n_input, record_unit="line")


def _first_line_is_object(data: bytes) -> bool:
    """JSON lines: the first line, or failing that one of the next few, is a whole object."""
    lines = [ln for ln in data.lstrip().split(b"\n", 6)[:6] if ln.strip()]
    for k, line in enumerate(lines):
        try:
            parsed = json.loads(line)
        except (ValueError, RecursionError):
            parsed = None  # not a JSON value: a later line may still be one
        if isinstance(parsed, dict):
            return True
        if k == 0 and line.strip()[:1] != b"{":
            return False
    return False


def _parse_document(path: Path, data: bytes, what: str) -> Any:
    text = decode_text(path, data)
    try:
        return _loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            path,
            f"invalid JSON ({exc.msg} at column {exc.colno}); expected {what}",
            record=exc.lineno,
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(path, f"invalid JSON ({exc}); expected {what}") from None


def _read_ytcd_pretty(path: Path, data: bytes, doc: Any, on_error: str) -> ReadResult:
    if doc is None:
        doc = _parse_document(path, data, "youtube-comment-downloader output")
    if isinstance(doc, dict) and isinstance(doc.get("comments"), list):
        items = doc["comments"]
    elif isinstance(doc, list):
        items = doc
    else:
        raise InputError(
            path,
            "expected youtube-comment-downloader output: JSON lines, a JSON "
            "array of comments, or an object with a 'comments' array",
        )
    out = _Collector(path, on_error, "item")
    records = []
    for number, item in enumerate(items, start=1):
        try:
            records.append(_ytcd_record(item, number))
        except ValueError as exc:
            out.bad(number, str(exc), _raw(item))
    return ReadResult("youtube-jsonl", records, out.rejects, len(items), record_unit="item")


# ------------------------------------------------------------------------------------ youtube-api


def utc_naive(value: datetime) -> datetime:
    """Aware times converted to UTC, naive ones taken as UTC; returned naive, whole seconds.

    Raises:
        ValueError: the time falls outside the representable range once converted.
    """
    try:
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        raise ValueError(f"time {value.isoformat()} is out of range") from None
    return value.replace(microsecond=0)


def _parse_iso(value: str, key: str) -> datetime:
    try:
        return utc_naive(datetime.fromisoformat(value))
    except ValueError:
        raise ValueError(
            f"{key}: expected an ISO 8601 time such as 2024-01-31T12:00:00Z, found {value!r}"
        ) from None


def _api_comment(comment: Any, number: int, where: str, *, reply: bool) -> Record:
    if not isinstance(comment, dict) or not isinstance(comment.get("snippet"), dict):
        raise ValueError(f"{where}: expected a comment resource with a 'snippet' object")
    snip = comment["snippet"]
    text = snip.get("textOriginal")
    is_html = False
    if text is None:
        text, is_html = snip.get("textDisplay"), True
    if text is None:
        raise ValueError(f"{where}: missing snippet.textOriginal (or textDisplay)")
    if not isinstance(text, str):
        raise ValueError(f"{where}: snippet text: expected a string, found {type(text).__name__}")
    cid = comment.get("id")
    if cid is not None and not isinstance(cid, str):
        raise ValueError(f"{where}: id: expected a string, found {type(cid).__name__}")
    try:
        author = _opt_str(snip, "authorDisplayName")
        published = _opt_str(snip, "publishedAt")
        updated = _opt_str(snip, "updatedAt")
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    channel = snip.get("authorChannelId")
    channel_id = channel.get("value") if isinstance(channel, dict) else None
    try:
        likes = parse_count(snip.get("likeCount"))
    except ValueError as exc:
        raise ValueError(f"{where}: likeCount: {exc}") from None
    published_at = _parse_iso(published, f"{where}: publishedAt") if published else None
    parent = snip.get("parentId") if reply else None
    if parent is not None and not isinstance(parent, str):
        raise ValueError(f"{where}: parentId: expected a string, found {type(parent).__name__}")
    if reply and parent is None and cid and "." in cid:
        parent = cid.split(".", 1)[0]
    return Record(
        source_record=number,
        text_raw=text,
        source_id=cid,
        parent_source_id=parent,
        is_reply=reply,
        author=author,
        author_key=channel_id if isinstance(channel_id, str) else author,
        published_text=published,
        published_at=published_at,
        is_date_estimated=False,
        is_edited=bool(updated and published and updated != published),
        likes=likes,
        text_is_html=is_html,
    )


def _api_pages(path: Path, data: bytes) -> Any:
    """One JSON document, or one page object per line (JSON lines of pages)."""
    what = "YouTube Data API commentThreads response pages"
    try:
        return _parse_document(path, data, what)
    except InputError as whole_error:
        if not _first_line_is_object(data):
            raise
        pages = []
        for number, raw in enumerate(decode_text(path, data).split("\n"), start=1):
            if not raw.strip():
                continue
            page, err = _json_doc(raw)
            if err is not None:
                raise InputError(
                    path, f"invalid JSON ({err}); expected {what}, one per line", record=number
                ) from None
            pages.append(page)
        if len(pages) < 2:
            raise whole_error from None
        return pages


def read_youtube_api(
    path: Path, *, on_error: str = "stop", data: bytes | None = None, doc: Any = None
) -> ReadResult:
    """Read YouTube Data API v3 ``commentThreads.list`` responses.

    The file holds one response page or a JSON array of pages. Each thread's top-level comment is
    a record, followed by its replies (``replies.comments[]``, ``snippet.parentId``). Records are
    numbered 1.. across the file (unit "comment"); messages also give the JSON path. The text is
    ``textOriginal`` (``textDisplay``, which is HTML, only when it is absent); ``updatedAt`` after
    ``publishedAt`` marks an edit.

    Raises:
        InputError: a malformed record (``on_error="stop"``), or a page without an ``items`` list.
    """
    path = Path(path)
    if doc is None:
        if data is None:
            data = read_bytes(path)
        doc = _api_pages(path, data)
    pages = doc if isinstance(doc, list) else [doc]
    out = _Collector(path, on_error, "comment")
    records: list[Record] = []
    number = 0
    for p, page in enumerate(pages, start=1):
        if not isinstance(page, dict) or not isinstance(page.get("items"), list):
            raise InputError(
                path,
                "expected a commentThreads.list response (an object with an 'items' array)",
                record=p,
                unit="page",
            )
        for i, item in enumerate(page["items"]):
            number += 1
            where = f"page {p} items[{i}]"
            top = None
            if isinstance(item, dict) and isinstance(item.get("snippet"), dict):
                top = item["snippet"].get("topLevelComment")
            if top is None:
                out.bad(
                    number,
                    f"{where}: missing snippet.topLevelComment; expected a commentThread resource",
                    _raw(item),
                )
            else:
                try:
                    records.append(
                        _api_comment(top, number, where + ".snippet.topLevelComment", reply=False)
                    )
                except ValueError as exc:
                    out.bad(number, str(exc), _raw(top))
            replies = item.get("replies") if isinstance(item, dict) else None
            if replies is None:
                continue
            comments = replies.get("comments") if isinstance(replies, dict) else None
            if not isinstance(comments, list):
                number += 1
                out.bad(
                    number,
                    f"{where}.replies: expected an object with a 'comments' array",
                    _raw(replies),
                )
                continue
            for j, comment in enumerate(comments):
                number += 1
                rwhere = f"{where}.replies.comments[{j}]"
                try:
                    records.append(_api_comment(comment, number, rwhere, reply=True))
                except ValueError as exc:
                    out.bad(number, str(exc), _raw(comment))
    return ReadResult("youtube-api", records, out.rejects, number, record_unit="comment")


# -------------------------------------------------------------------------------------------- csv

COLUMN_KEYS = ("text", "id", "author", "time", "likes", "parent")
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "text": _TEXT_COLUMNS,
    "id": ("id", "comment_id", "cid", "commentid"),
    "author": ("author", "user", "username", "user_name", "author_name", "authordisplayname"),
    "time": (
        "time",
        "date",
        "created",
        "created_at",
        "published",
        "published_at",
        "publishedat",
        "timestamp",
    ),
    "likes": ("likes", "like_count", "likecount", "votes", "upvotes", "score"),
    "parent": ("parent", "parent_id", "parentid", "reply_to", "in_reply_to"),
}


def parse_column_map(spec: str | Mapping[str, str] | None) -> dict[str, str]:
    """Parse ``'text=body,id=comment_id,...'`` into ``{'text': 'body', 'id': 'comment_id'}``.

    Raises:
        DiscourseError: an unknown key or a malformed pair.
    """
    if spec is None:
        return {}
    pairs = (
        spec.items()
        if isinstance(spec, Mapping)
        else [p.split("=", 1) if "=" in p else (p, "") for p in spec.split(",") if p.strip()]
    )
    mapping = {}
    for key, column in pairs:
        key, column = key.strip().lower(), column.strip()
        if key not in COLUMN_KEYS:
            raise DiscourseError(
                f"--columns: unknown key {key!r}; expected KEY=COLUMN pairs "
                f"with KEY one of {', '.join(COLUMN_KEYS)}"
            )
        if not column:
            raise DiscourseError(f"--columns: {key!r} has no column name; expected {key}=COLUMN")
        mapping[key] = column
    return mapping


def _resolve_columns(path: Path, header: list[str], column_map: dict[str, str]) -> dict[str, int]:
    index = {}
    lowered = {h.strip().lower(): i for i, h in reversed(list(enumerate(header)))}
    available = ", ".join(repr(h) for h in header)
    for key in COLUMN_KEYS:
        if key in column_map:
            name = column_map[key]
            if name in header:
                index[key] = header.index(name)
            elif name.strip().lower() in lowered:
                index[key] = lowered[name.strip().lower()]
            else:
                raise InputError(
                    path,
                    f"column {name!r} (for {key}) not found; available columns: {available}",
                    record=1,
                )
        else:
            found = next((lowered[c] for c in DEFAULT_COLUMNS[key] if c in lowered), None)
            if found is not None:
                index[key] = found
    if "text" not in index:
        raise InputError(
            path,
            "no text column; expected one named "
            f"{', '.join(DEFAULT_COLUMNS['text'][:6])} or --columns text=NAME; "
            f"available columns: {available}",
            record=1,
        )
    return index


def _csv_time(value: str) -> tuple[datetime | None, bool]:
    """(absolute time or None, is_relative)."""
    s = value.strip()
    if not s:
        return None, False
    if parse_relative_time(s):
        return None, True
    if re.fullmatch(r"\d{9,11}(?:\.\d+)?", s):
        try:
            return utc_naive(datetime.fromtimestamp(float(s), tz=UTC)), False
        except (OverflowError, OSError, ValueError):
            return None, False
    try:
        return utc_naive(datetime.fromisoformat(s.replace(" UTC", "+00:00"))), False
    except ValueError:
        return None, False


def read_csv(
    path: Path,
    *,
    on_error: str = "stop",
    column_map: str | Mapping[str, str] | None = None,
    text: str | None = None,
) -> ReadResult:
    """Read CSV or TSV comments (delimiter sniffed from the header row).

    Records are numbered by the line each row starts on (the header is line 1; blank rows are not
    records). A row with a different number of fields than the header is malformed. Times are
    absolute (ISO 8601, epoch seconds) or relative (``'3 days ago'``); anything else is kept only
    as ``published_text``.

    Raises:
        InputError: a missing column (listing the available ones), or a malformed row under
            ``on_error="stop"``.
    """
    path = Path(path)
    mapping = parse_column_map(column_map)
    if text is None:
        text = decode_text(path, read_bytes(path))
    first = _lines(text)[0] if text else ""
    delimiter = _sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: Iterator[list[str]] = iter(reader)
    try:
        header = next(rows)
    except (StopIteration, csv.Error) as exc:
        raise InputError(path, f"expected a header row ({exc})", record=1) from None
    header = [h.lstrip("\ufeff") for h in header]
    cols = _resolve_columns(path, header, mapping)
    out = _Collector(path, on_error, "line")
    records: list[Record] = []
    n_input = 0
    line_no = reader.line_num
    while True:
        start = line_no + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(
                path,
                f"malformed CSV ({exc}); expected {delimiter!r}-delimited "
                "fields with double-quoted text",
                record=start,
            ) from None
        line_no = reader.line_num
        if not row:
            continue
        n_input += 1
        raw = delimiter.join(row)
        if len(row) != len(header):
            out.bad(
                start, f"expected {len(header)} fields (as in the header), found {len(row)}", raw
            )
            continue
        value = {key: row[i] for key, i in cols.items()}
        try:
            likes = parse_count(value.get("likes"))
        except ValueError as exc:
            out.bad(start, f"column {header[cols['likes']]!r}: {exc}", raw)
            continue
        time_text = value.get("time") or None
        published_at, _ = _csv_time(time_text) if time_text else (None, False)
        parent = value.get("parent") or None
        rel = parse_relative_time(time_text) if time_text else None
        records.append(
            Record(
                source_record=start,
                text_raw=value["text"],
                source_id=value.get("id") or None,
                parent_source_id=parent,
                is_reply=parent is not None,
                author=value.get("author") or None,
                author_key=value.get("author") or None,
                published_text=time_text,
                published_at=published_at,
                is_edited=bool(rel and rel[2]),
                likes=likes,
            )
        )
    return ReadResult("csv", records, out.rejects, n_input, record_unit="line")


# ------------------------------------------------------------------------------------------- entry


def read_input(
    path: Path,
    *,
    fmt: str = "auto",
    on_error: str = "stop",
    column_map: str | Mapping[str, str] | None = None,
) -> ReadResult:
    """Read one comment file in the given or detected format.

    Args:
        path: the input file.
        fmt: ``"auto"`` (detect from content) or one of :data:`FORMATS` (checked against the
            content: a JSON file read as CSV, say, is an error).
        on_error: ``"stop"`` raises at the first malformed record; ``"skip"`` collects rejects.
        column_map: CSV column mapping (see :func:`parse_column_map`).

    Raises:
        InputError: file-level or (under ``"stop"``) record-level problems.
        FormatError: undetectable format, or ``fmt`` does not match the content.
    """
    path = Path(path)
    if fmt != "auto" and fmt not in FORMATS:
        raise DiscourseError(f"unknown format {fmt!r}; expected auto or one of {FORMATS}")
    if on_error not in ON_ERROR:
        raise DiscourseError(f"on_error must be one of {ON_ERROR}, got {on_error!r}")
    data = read_bytes(path)
    try:
        loose, strict = data.decode("utf-8"), True
    except UnicodeDecodeError:
        loose, strict = data.decode("utf-8", errors="replace"), False
    detected, doc, why = _sniff(loose)
    if not strict:
        doc = None  # parsed from a lossy decoding: readers decode strictly and say where
    if fmt == "auto":
        if detected is None:
            raise _undetected(path, doc, why)
        fmt = detected
    else:
        _check_override(path, fmt, detected, why, loose)
        if detected != fmt:
            doc = None
    if fmt == "seed":
        return read_seed(path, text=decode_text(path, data))
    if fmt == "csv":
        return read_csv(
            path, on_error=on_error, column_map=column_map, text=decode_text(path, data)
        )
    if fmt == "youtube-api":
        return read_youtube_api(path, on_error=on_error, data=data, doc=doc)
    return read_youtube_jsonl(
        path, on_error=on_error, data=data, doc=doc if isinstance(doc, list | dict) else None
    )


def _check_override(path: Path, fmt: str, detected: str | None, why: str, text: str) -> None:
    is_json = text.lstrip()[:1] in ("{", "[")
    json_formats = ("youtube-jsonl", "youtube-api")
    mismatch = (
        (fmt in json_formats and not is_json)
        or (fmt not in json_formats and is_json)
        or (fmt in json_formats and detected in json_formats and detected != fmt)
        or (fmt == "seed" and detected == "csv")
        or (fmt == "csv" and detected == "seed" and not _looks_like_csv(text))
    )
    if mismatch:
        seen = f"it looks like {detected} ({why})" if detected else f"it holds {why}"
        raise FormatError(
            path,
            f"--format {fmt} does not match the content: {seen}; drop "
            "--format to detect the format, or give the matching one",
        )
