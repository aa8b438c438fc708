"""Readers: one module per input format, each registered under its format name.

Formats (detected from content by :func:`detect_format`, never from the file extension):

- ``seed`` (:mod:`.seed`): the bundled seed's plain text, title, paragraphs and comments under
  relative timestamp lines.
- ``youtube-jsonl`` (:mod:`.ytcd`): youtube-comment-downloader output, JSON lines or ``--pretty``.
- ``youtube-api`` (:mod:`.youtube_api`): YouTube Data API v3 ``commentThreads.list`` and
  ``comments.list`` (reply) pages.
- ``csv`` (:mod:`.delimited`): CSV or TSV with a header row, through ``--columns``.
- ``json`` (:mod:`.json_mapped`): any JSON lines or array of objects, through ``--columns``.

Readers do not normalise text or build tables (that is :mod:`analysis.ingest.corpus`); they
check each record with the shared parsers (:mod:`analysis.ingest.parsers`) and either raise
:class:`~analysis.errors.InputError` (``on_error="stop"``) or collect a :class:`Reject`
(``on_error="skip"``). Every input record ends up as exactly one record or one reject.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from analysis.errors import DiscourseError
from analysis.ingest.parsers import (
    is_timestamp_line,
    parse_count,
    parse_relative_time,
    utc_naive,
)

# Importing the format modules registers them (in this order).
from analysis.ingest.readers import delimited, json_mapped, seed, youtube_api, ytcd  # noqa: F401
from analysis.ingest.readers.base import (
    ON_ERROR,
    READERS,
    Article,
    ReadRequest,
    ReadResult,
    Record,
    Reject,
    read_bytes,
    register,
)
from analysis.ingest.readers.columns import COLUMN_KEYS, DEFAULT_COLUMNS, parse_column_map
from analysis.ingest.readers.delimited import read_csv
from analysis.ingest.readers.detect import check_override, sniff, undetected
from analysis.ingest.readers.json_mapped import read_json_mapped
from analysis.ingest.readers.seed import read_article, read_seed
from analysis.ingest.readers.youtube_api import read_youtube_api
from analysis.ingest.readers.ytcd import read_youtube_jsonl

#: Every registered format, in registration order.
FORMATS = tuple(READERS)

__all__ = [
    "COLUMN_KEYS",
    "DEFAULT_COLUMNS",
    "FORMATS",
    "ON_ERROR",
    "READERS",
    "Article",
    "ReadRequest",
    "ReadResult",
    "Record",
    "Reject",
    "detect_format",
    "is_timestamp_line",
    "parse_column_map",
    "parse_count",
    "parse_relative_time",
    "read_article",
    "read_bytes",
    "read_csv",
    "read_input",
    "read_json_mapped",
    "read_seed",
    "read_youtube_api",
    "read_youtube_jsonl",
    "register",
    "utc_naive",
]


def detect_format(path: Path, *, mapped: bool = False) -> str:
    """Detect the format of ``path`` from its content.

    Args:
        path: the file.
        mapped: a ``--columns`` mapping will be given (JSON objects of any shape are ``json``).

    Returns:
        One of :data:`FORMATS`.

    Raises:
        InputError: the file is missing, not a regular file, empty, binary or undecodable.
        FormatError: the content matches no supported format.
    """
    path = Path(path)
    text = read_bytes(path).decode("utf-8", errors="replace")
    fmt, doc, why = sniff(text, mapped=mapped)
    if fmt is None:
        raise undetected(path, doc, why)
    return fmt


def read_input(
    path: Path,
    *,
    fmt: str = "auto",
    on_error: str = "stop",
    column_map: str | Mapping[str, str] | None = None,
) -> ReadResult:
    """Read one comment file in the given or detected format.

    Args:
        path: the input file (a regular file: FIFOs, devices and folders are refused at once).
        fmt: ``"auto"`` (detect from content) or one of :data:`FORMATS` (checked against the
            content: a JSON file read as CSV, say, is an error).
        on_error: ``"stop"`` raises at the first malformed record; ``"skip"`` collects rejects.
        column_map: CSV/JSON field mapping (see :func:`parse_column_map`).

    Raises:
        InputError: file-level or (under ``"stop"``) record-level problems.
        FormatError: undetectable format, or ``fmt`` does not match the content.
    """
    path = Path(path)
    if fmt != "auto" and fmt not in READERS:
        raise DiscourseError(f"unknown format {fmt!r}; expected auto or one of {FORMATS}")
    if on_error not in ON_ERROR:
        raise DiscourseError(f"on_error must be one of {ON_ERROR}, got {on_error!r}")
    columns = parse_column_map(column_map)
    data = read_bytes(path)
    try:
        loose, strict = data.decode("utf-8"), True
    except UnicodeDecodeError:
        loose, strict = data.decode("utf-8", errors="replace"), False
    detected, doc, why = sniff(loose, mapped=bool(columns))
    if fmt == "auto" and detected is None:
        raise undetected(path, doc, why)
    if not strict or not isinstance(doc, list | dict):
        doc = None  # parsed from a lossy decoding: readers decode strictly and say where
    if fmt == "auto":
        fmt = detected
    else:
        check_override(path, fmt, detected, why, loose)
        if detected != fmt:
            doc = None
    request = ReadRequest(path, data, on_error=on_error, columns=columns, doc=doc)
    return READERS[fmt].read(request)
