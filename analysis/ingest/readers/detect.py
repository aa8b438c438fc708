"""Format detection from content (never from the file extension), and ``--format`` checks."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from analysis.errors import FormatError
from analysis.ingest.parsers import is_timestamp_line, json_error, split_lines
from analysis.ingest.readers.base import FORMAT_HELP, READERS
from analysis.ingest.readers.columns import DEFAULT_COLUMNS, TEXT_COLUMNS
from analysis.ingest.readers.delimited import sniff_delimiter
from analysis.ingest.readers.jsonio import try_loads

_JSON_NOT_COMMENTS = (
    "JSON objects without youtube-comment-downloader fields (cid, text), YouTube API 'items' "
    "or a text field (give --format json --columns text=FIELD)"
)


def json_kind(doc: Any, *, mapped: bool = False) -> str | None:
    """youtube-api / youtube-jsonl / json / None for a parsed JSON document.

    Args:
        doc: the parsed value (an object, or an array of them).
        mapped: a ``--columns`` mapping was given, so any objects are generic JSON.
    """
    if isinstance(doc, dict):
        if "items" in doc or str(doc.get("kind", "")).startswith("youtube#"):
            return "youtube-api"
        if "cid" in doc or isinstance(doc.get("comments"), list):
            return "youtube-jsonl"
        keys = {k.lower() for k in doc if isinstance(k, str)}
        if mapped or keys & set(TEXT_COLUMNS):
            return "json"
        return None
    if isinstance(doc, list):
        if not doc:
            return "youtube-jsonl"
        first = next((x for x in doc[:20] if isinstance(x, dict)), None)
        return json_kind(first, mapped=mapped) if first is not None else None
    return None


def looks_like_csv(text: str) -> bool:
    """A header row of short names and rows mostly of its width."""
    lines = split_lines(text[:65536])
    if not lines:
        return False
    delimiter = sniff_delimiter(lines[0])
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
        return header[0].lower() in TEXT_COLUMNS
    if len(rows) < 2 or not rows[1]:  # a blank line right after a title: seed text
        return False
    body = rows[1:-1] if len(rows) > 2 else rows[1:]  # the last sampled row may be cut off
    body = [r for r in body[:50] if r]
    # Most rows have the header's width (a malformed row is the reader's to report).
    return 2 * sum(len(r) == len(header) for r in body) >= len(body)


def _sniff_json(text: str, stripped: str, mapped: bool) -> tuple[str | None, Any, str]:
    first = stripped.split("\n", 1)[0].strip()
    if first.startswith("{"):
        doc, err = try_loads(first)
        if err is None and isinstance(doc, dict):
            kind = json_kind(doc, mapped=mapped)
            if kind == "youtube-api" and "\n" in stripped.strip():
                whole, werr = try_loads(text)
                if werr is None:
                    return kind, whole, "a YouTube API page"
            if kind is None:
                return None, None, _JSON_NOT_COMMENTS
            return kind, None, "JSON objects, one per line"
    whole, err = try_loads(text)
    if err is None:
        kind = json_kind(whole, mapped=mapped)
        why = "a JSON document" if kind != "youtube-jsonl" else "an indented JSON document"
        return kind, whole, why if kind else _JSON_NOT_COMMENTS
    # Not one JSON document: JSON lines with a broken first line?
    for line in stripped.split("\n")[1:6]:
        doc, lerr = try_loads(line.strip())
        if lerr is None and isinstance(doc, dict):
            return json_kind(doc, mapped=mapped), None, "JSON objects, one per line"
    return None, err, "broken JSON"


def sniff(text: str, *, mapped: bool = False) -> tuple[str | None, Any, str]:
    """Guess the format of decoded ``text``.

    Returns:
        ``(format or None, parsed JSON document or the JSON error or None, why)``.
    """
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        return _sniff_json(text, stripped, mapped)
    has_stamps = any(is_timestamp_line(line) for line in text.split("\n"))
    if looks_like_csv(text):
        first = split_lines(text)[0]
        header = {h.strip().strip('"').lower() for h in first.split(sniff_delimiter(first))}
        known = mapped or any(header & set(names) for names in DEFAULT_COLUMNS.values())
        # A seed title and first paragraph with the same number of commas are not a CSV header
        # and row: with timestamp lines and no familiar column name, the text is seed.
        if known or not has_stamps:
            return "csv", None, "a header row of delimited columns"
    if has_stamps:
        return "seed", None, "plain text with relative timestamp lines"
    return None, None, "no recognisable structure"


def undetected(path: Path, doc: Any, why: str) -> FormatError:
    """The error for content that matches no format."""
    if isinstance(doc, json.JSONDecodeError):
        return FormatError(
            path,
            f"looks like JSON but does not parse ({json_error(doc)}); {FORMAT_HELP}",
            record=doc.lineno,
        )
    if why == "broken JSON":
        return FormatError(
            path, f"looks like JSON but does not parse ({json_error(doc)}); {FORMAT_HELP}"
        )
    return FormatError(
        path, f"cannot detect the format ({why}); {FORMAT_HELP}; or name it with --format"
    )


def check_override(path: Path, fmt: str, detected: str | None, why: str, text: str) -> None:
    """Refuse a ``--format`` that contradicts the content.

    Raises:
        FormatError: JSON read as text or the reverse, two different YouTube formats, seed vs
            CSV.
    """
    is_json = text.lstrip()[:1] in ("{", "[")
    fmt_json = READERS[fmt].family == "json"
    youtube = ("youtube-jsonl", "youtube-api")
    mismatch = (
        (fmt_json and not is_json)
        or (not fmt_json and is_json)
        or (fmt in youtube and detected in youtube and detected != fmt)
        or (fmt in youtube and detected == "json")
        or (fmt == "seed" and detected == "csv")
        or (fmt == "csv" and detected == "seed" and not looks_like_csv(text))
    )
    if mismatch:
        seen = f"it looks like {detected} ({why})" if detected else f"it holds {why}"
        raise FormatError(
            path,
            f"--format {fmt} does not match the content: {seen}; drop "
            "--format to detect the format, or give the matching one",
        )
