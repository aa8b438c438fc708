"""What every reader shares: the record types, the reader registry, file access and decoding.

A reader is a function ``read(request: ReadRequest) -> ReadResult`` registered under its format
name with :func:`register`; :func:`analysis.ingest.readers.read_input` looks the format up in
:data:`READERS` (no chain of ifs), so a new format is one new module.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from analysis.errors import DiscourseError, InputError
from analysis.ingest.parsers import scrub_surrogates

ON_ERROR = ("stop", "skip")
REJECT_RAW_MAX = 2000

FORMAT_HELP = (
    "expected seed text (title, paragraphs, comments under relative timestamp lines), "
    "youtube-comment-downloader JSON lines, YouTube Data API commentThreads or comments pages, "
    "JSON objects with a text field (--format json --columns text=FIELD), "
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
        thread_key: the thread this record belongs to, from a ``thread=`` column mapping.
        article_title: the thread's article title, from an ``article_title=`` mapping.
        article_text: the thread's article text, from an ``article_text=`` mapping.
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
    thread_key: str | None = None
    article_title: str | None = None
    article_text: str | None = None


@dataclass(slots=True)
class Reject:
    """A record rejected under ``on_error="skip"``.

    Attributes:
        source_record: where it started (line, item, comment or page number).
        reason: what was wrong and what was expected.
        record_raw: the record as read (truncated to :data:`REJECT_RAW_MAX` characters).
        authors: author names found in it (the stage pseudonymises them in ``record_raw``).
        thread_key: its thread, when a ``thread=`` mapping found one.
    """

    source_record: int
    reason: str
    record_raw: str
    authors: tuple[str, ...] = ()
    thread_key: str | None = None


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
        record_unit: what ``source_record`` counts ("line", "item", "comment" or "page").
    """

    fmt: str
    records: list[Record] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    input_records: int = 0
    article: Article | None = None
    record_unit: str = "line"


class Collector:
    """Raise or collect record-level problems according to ``on_error``."""

    def __init__(self, path: Path, on_error: str, unit: str) -> None:
        if on_error not in ON_ERROR:
            raise DiscourseError(f"on_error must be one of {ON_ERROR}, got {on_error!r}")
        self.path = path
        self.skip = on_error == "skip"
        self.unit = unit
        self.rejects: list[Reject] = []

    def bad(
        self,
        record: int,
        reason: str,
        raw: str,
        *,
        authors: tuple[str, ...] = (),
        thread_key: str | None = None,
        unit: str | None = None,
    ) -> None:
        """Raise :class:`InputError` (stop) or keep a :class:`Reject` (skip)."""
        if not self.skip:
            raise InputError(self.path, reason, record=record, unit=unit or self.unit)
        where = f"{unit} {record}: " if unit and unit != self.unit else ""
        self.rejects.append(
            Reject(
                record,
                where + reason,
                scrub_surrogates(raw[:REJECT_RAW_MAX]),  # undecodable bytes become U+FFFD
                tuple(scrub_surrogates(a) for a in authors if a),
                thread_key,
            )
        )


def raw_json(item: Any) -> str:
    """A JSON item as text for ``record_raw``."""
    try:
        return json.dumps(item, ensure_ascii=False)[:REJECT_RAW_MAX]
    except (TypeError, ValueError):
        return repr(item)[:REJECT_RAW_MAX]


# ----------------------------------------------------------------------------------------- registry


@dataclass
class ReadRequest:
    """Everything a reader gets.

    Attributes:
        path: the file (for messages).
        data: its bytes (BOM removed).
        on_error: ``"stop"`` or ``"skip"``.
        columns: the ``--columns`` mapping (``{key: column}``), for the mapped formats.
        doc: the JSON document detection already parsed from a strict decoding, or ``None``.
    """

    path: Path
    data: bytes
    on_error: str = "stop"
    columns: dict[str, str] = field(default_factory=dict)
    doc: Any = None


@dataclass(frozen=True)
class ReaderSpec:
    """A registered reader: its format name, function, family ("json"/"text") and summary."""

    name: str
    read: Callable[[ReadRequest], ReadResult]
    family: str
    summary: str


#: Format name -> reader, in registration order.
READERS: dict[str, ReaderSpec] = {}


def register(
    name: str, *, family: str, summary: str
) -> Callable[[Callable[[ReadRequest], ReadResult]], Callable[[ReadRequest], ReadResult]]:
    """Register ``read(request) -> ReadResult`` as the reader of format ``name``."""

    def decorate(read: Callable[[ReadRequest], ReadResult]) -> Callable[..., ReadResult]:
        if name in READERS:
            raise DiscourseError(f"reader {name!r} registered twice")
        READERS[name] = ReaderSpec(name, read, family, summary)
        return read

    return decorate


# ------------------------------------------------------------------------------------- file access

_BOM = b"\xef\xbb\xbf"
_NOT_REGULAR = (
    (stat.S_ISDIR, "is a folder; expected a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO); expected a regular file"),
    (stat.S_ISCHR, "is a character device; expected a regular file"),
    (stat.S_ISBLK, "is a block device; expected a regular file"),
    (stat.S_ISSOCK, "is a socket; expected a regular file"),
)


def check_regular_file(path: Path) -> None:
    """Refuse anything but a regular file at once (a FIFO would block ``open`` forever).

    Raises:
        InputError: missing, not a regular file, or not accessible.
    """
    try:
        mode = Path(path).stat().st_mode
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except NotADirectoryError:
        raise InputError(path, "file not found (a parent is not a folder)") from None
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror or exc})") from None
    for test, message in _NOT_REGULAR:
        if test(mode):
            raise InputError(path, message)
    if not stat.S_ISREG(mode):
        raise InputError(path, "not a regular file; expected a file")


def _is_binary(data: bytes, first_nul: int) -> bool:
    """NUL bytes on the first line or on more than 30% of the lines (and 2+): a binary file.

    A NUL on a few lines of a text file is those records' fault (rejected under skip mode).
    """
    if b"\x00" in data[: data.find(b"\n") if b"\n" in data else len(data)]:
        return True
    lines = data.count(b"\n") + 1
    nul_lines = len({data.count(b"\n", 0, i) for i in _nul_positions(data, first_nul, 10_000)})
    return nul_lines >= 2 and nul_lines > 0.3 * lines


def _nul_positions(data: bytes, start: int, limit: int) -> list[int]:
    found, i = [], start
    while i >= 0 and len(found) < limit:
        found.append(i)
        i = data.find(b"\x00", i + 1)
    return found


def read_bytes(path: Path) -> bytes:
    """Read a regular file and reject empty, binary and UTF-16 files.

    Returns:
        The content without a leading UTF-8 byte-order mark.

    Raises:
        InputError: the file is missing, not a regular file, unreadable, empty, UTF-16 or binary.
    """
    path = Path(path)
    check_regular_file(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError(path, "is a folder; expected a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(path, "the file is UTF-16 encoded; expected UTF-8 (re-save it as UTF-8)")
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    nul = data.find(b"\x00")
    if nul >= 0 and _is_binary(data, nul):
        raise InputError(path, f"binary file (NUL byte at byte offset {nul}); expected UTF-8 text")
    if not data.strip():
        raise InputError(path, f"empty file; {FORMAT_HELP}")
    return data


def decode_error(
    path: Path, data: bytes, exc: UnicodeDecodeError, *, first_line: int = 1, base: int = 0
) -> InputError:
    """The error for undecodable bytes, naming the line and the byte offsets."""
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
        raise decode_error(path, data, exc) from None
