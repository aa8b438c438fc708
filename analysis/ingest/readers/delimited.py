"""CSV and TSV with a header row (delimiter sniffed from the header line).

Records are numbered by the line each row starts on (the header is line 1; blank rows are not
records). Quoting is parsed strictly: an unterminated quote or a stray quote rejects the record it
starts (with its line numbers), and reading resumes on the line after that record's first line,
so the rows a runaway quote would have swallowed are read, never silently merged. A row with
another number of fields than the header is rejected; so is a row with bytes that are not UTF-8,
a NUL byte, or a field over :data:`~analysis.ingest.parsers.MAX_FIELD_CHARS` characters (fields
beyond csv's default 128 KiB limit are read). Times go through
:func:`~analysis.ingest.parsers.parse_time_field`: absolute, epoch or relative; impossible dates
reject the row; other free text is kept only as ``published_text``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from analysis.errors import InputError
from analysis.ingest.parsers import (
    MAX_FIELD_CHARS,
    check_text,
    parse_count,
    parse_time_field,
    split_lines,
)
from analysis.ingest.readers.base import (
    Collector,
    ReadRequest,
    ReadResult,
    Record,
    read_bytes,
    register,
)
from analysis.ingest.readers.columns import parse_column_map, resolve_columns

CSV_DELIMITERS = (",", "\t", ";", "|")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def sniff_delimiter(header: str) -> str:
    """The delimiter the header line uses most (``,`` when none)."""
    counts = {d: header.count(d) for d in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


@contextmanager
def _field_limit() -> Iterator[None]:
    """csv's field size limit raised to ours for one read (it is process-wide)."""
    old = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        yield
    finally:
        csv.field_size_limit(old)


class _Lines:
    """An iterator over ``lines[i:]`` that knows how many lines csv has taken."""

    def __init__(self, lines: list[str], i: int) -> None:
        self.lines, self.i = lines, i

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.i >= len(self.lines):
            raise StopIteration
        self.i += 1
        return self.lines[self.i - 1]


@dataclass
class _Row:
    """A parsed record (``fields``) or a quoting fault (``error``), with its 1-based lines."""

    first: int
    last: int
    fields: list[str] | None
    error: str | None


def _quoting_error(exc: csv.Error, first: int, last: int) -> str:
    text = str(exc)
    span = f"line {first}" if first == last else f"lines {first}-{last}"
    if "unexpected end of data" in text:
        return (
            f"unterminated quoted field: a quote opened in the record on line {first} is never "
            f"closed ({span}, to the end of the file); expected a closing double quote"
        )
    if "field larger than field limit" in text:
        return f"a field over {MAX_FIELD_CHARS:,} characters ({span}); expected shorter fields"
    return (
        f"malformed quoting ({text} on line {last}, record {span}); expected quoted fields "
        'written "..." with inner quotes doubled'
    )


def _rows(lines: list[str], delimiter: str, start: int) -> Iterator[_Row]:
    """Parse records from ``lines[start:]`` strictly, resuming after each fault's first line."""
    src = _Lines(lines, start)
    reader = csv.reader(src, delimiter=delimiter, strict=True)
    while True:
        first = src.i
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            last = max(src.i, first + 1)
            yield _Row(first + 1, last, None, _quoting_error(exc, first + 1, last))
            src = _Lines(lines, first + 1)
            reader = csv.reader(src, delimiter=delimiter, strict=True)
            continue
        yield _Row(first + 1, src.i, fields, None)


def _byte_fault(path: Path, lines: list[str], row: _Row) -> str | None:
    """The decode message for the first undecodable byte of a record, as the strict decoder says."""
    for number in range(row.first, row.last + 1):
        line = lines[number - 1]
        bad = _ESCAPED_BYTE.search(line)
        if bad is not None:
            at = len(line[: bad.start()].encode("utf-8", "surrogateescape"))
            offset = sum(len(ln.encode("utf-8", "surrogateescape")) for ln in lines[: number - 1])
            byte = ord(bad.group()) - 0xDC00
            where = "" if number == row.first else f"line {number}: "
            return (
                f"{where}undecodable bytes ({byte:02x}) at byte {at} of the line "
                f"(byte offset {offset + at} in the file); expected UTF-8 text"
            )
    return None


def _loose_fields(line: str, delimiter: str) -> list[str]:
    """The fields of a faulty record's first line, read leniently (to find its author)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


class _CsvRecords:
    """Turn parsed rows into records or rejects (one per record the file held)."""

    def __init__(self, path: Path, header: list[str], cols: dict[str, int], out: Collector):
        self.path, self.header, self.cols, self.out = path, header, cols, out
        self.records: list[Record] = []

    def author_of(self, fields: list[str] | None) -> tuple[str, ...]:
        i = self.cols.get("author")
        return (fields[i],) if fields is not None and i is not None and i < len(fields) else ()

    def add(self, row: _Row, raw: str, loose: list[str], fault: str | None) -> None:
        fields = row.fields
        if fault is None and fields is not None and len(fields) != len(self.header):
            fault = f"expected {len(self.header)} fields (as in the header), found {len(fields)}"
        if fault is not None:
            self.out.bad(row.first, fault, raw, authors=self.author_of(fields or loose))
            return
        try:
            self.records.append(self.record(row.first, fields))
        except ValueError as exc:
            self.out.bad(row.first, str(exc), raw, authors=self.author_of(fields))

    def record(self, line: int, fields: list[str]) -> Record:
        value = {key: fields[i] for key, i in self.cols.items()}
        name = {key: self.header[i] for key, i in self.cols.items()}
        for key in ("text", "article_title", "article_text"):
            if key in value:
                check_text(value[key], what=f"column {name[key]!r}")
        try:
            likes = parse_count(value.get("likes"))
        except ValueError as exc:
            raise ValueError(f"column {name['likes']!r}: {exc}") from None
        try:
            published_at, published_text, edited = parse_time_field(value.get("time") or None)
        except ValueError as exc:
            raise ValueError(f"column {name['time']!r}: {exc}") from None
        thread = value.get("thread")
        if thread is not None and not thread.strip():
            raise ValueError(f"column {name['thread']!r} is empty; expected the thread's name")
        parent = value.get("parent") or None
        return Record(
            source_record=line,
            text_raw=value["text"],
            source_id=value.get("id") or None,
            parent_source_id=parent,
            is_reply=parent is not None,
            author=value.get("author") or None,
            author_key=value.get("author") or None,
            published_text=published_text,
            published_at=published_at,
            is_edited=edited,
            likes=likes,
            thread_key=thread,
            article_title=value.get("article_title"),
            article_text=value.get("article_text"),
        )


def read_csv(
    path: Path,
    *,
    on_error: str = "stop",
    column_map: str | Mapping[str, str] | None = None,
    text: str | None = None,
    data: bytes | None = None,
) -> ReadResult:
    """Read CSV or TSV comments (see the module docstring for the rules).

    Raises:
        InputError: a missing column (listing the available ones), an unreadable header, or a
            malformed row under ``on_error="stop"``.
    """
    path = Path(path)
    mapping = parse_column_map(column_map)
    if text is None:
        text = (data if data is not None else read_bytes(path)).decode("utf-8", "surrogateescape")
    lines = split_lines(text)
    delimiter = sniff_delimiter(lines[0] if lines else "")
    out = Collector(path, on_error, "line")
    with _field_limit():
        rows = _rows(lines, delimiter, 0)
        head = next(rows, None)
        if head is None or head.fields is None or not head.fields:
            why = head.error if head is not None else "no lines"
            raise InputError(path, f"expected a header row ({why})", record=1)
        fault = _byte_fault(path, lines, head)
        if fault is not None:
            raise InputError(path, fault, record=1)
        header = [h.lstrip("\ufeff") for h in head.fields]
        cols = resolve_columns(header, mapping)
        if isinstance(cols, str):
            raise InputError(path, cols, record=1)
        build = _CsvRecords(path, header, cols, out)
        n_input = 0
        for row in rows:
            if row.fields == []:
                continue
            n_input += 1
            raw = "".join(lines[row.first - 1 : row.last]).rstrip("\r\n")
            loose = _loose_fields(lines[row.first - 1], delimiter) if row.error else []
            build.add(row, raw, loose, row.error or _byte_fault(path, lines, row))
    return ReadResult("csv", build.records, out.rejects, n_input, record_unit="line")


@register("csv", family="text", summary="CSV/TSV with a header row")
def _read(request: ReadRequest) -> ReadResult:
    return read_csv(
        request.path, on_error=request.on_error, column_map=request.columns, data=request.data
    )
