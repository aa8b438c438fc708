"""JSON access shared by the JSON readers: whole documents, JSON lines, and their errors."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from analysis.errors import InputError
from analysis.ingest.parsers import json_error, loads, scrub_surrogates
from analysis.ingest.readers.base import Collector, decode_error, decode_text

_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def parse_document(path: Path, data: bytes, what: str, *, lenient: bool = False) -> Any:
    """Parse the whole file as one JSON document.

    Args:
        path: the file (for messages).
        data: its bytes.
        what: what the file should hold (for messages).
        lenient: skip mode: bytes that are not UTF-8 are kept as surrogate escapes so that only
            the records holding them are rejected (see :func:`byte_fault`), not the file.

    Raises:
        InputError: undecodable bytes (unless ``lenient``) or invalid JSON, naming the line and
            column.
    """
    text = data.decode("utf-8", "surrogateescape") if lenient else decode_text(path, data)
    try:
        return json.loads(text) if lenient else loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"invalid JSON ({json_error(exc)}); expected {what}", record=exc.lineno
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(path, f"invalid JSON ({json_error(exc)}); expected {what}") from None


def _strings(obj: Any) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _strings(value)


def byte_fault(item: Any) -> str | None:
    """The message for a record of a leniently decoded document that held non-UTF-8 bytes."""
    for text in _strings(item):
        bad = _ESCAPED_BYTE.search(text)
        if bad is not None:
            byte = ord(bad.group()) - 0xDC00
            return f"undecodable byte ({byte:02x}) in this record; expected UTF-8 text"
    return None


def clean_item(item: Any) -> tuple[Any, str | None]:
    """``(item with lone surrogates as U+FFFD, byte fault or None)`` for one record."""
    return scrub_surrogates(item), byte_fault(item)


def try_loads(text: str | bytes) -> tuple[Any, BaseException | None]:
    """``(document, None)`` or ``(None, the error)``; never raises for bad JSON."""
    try:
        return loads(text), None
    except (ValueError, RecursionError) as exc:
        return None, exc


def first_line_is_object(data: bytes) -> bool:
    """JSON lines: the first line, or failing that one of the next few, is a whole object."""
    lines = [ln for ln in data.lstrip().split(b"\n", 6)[:6] if ln.strip()]
    for k, line in enumerate(lines):
        parsed, _ = try_loads(line)
        if isinstance(parsed, dict):
            return True
        if k == 0 and line.strip()[:1] != b"{":
            return False
    return False


def json_lines(
    path: Path, data: bytes, out: Collector, what: str
) -> Iterator[tuple[int, Any, str]]:
    """Each non-blank line parsed: ``(line number, value, line text)``.

    Lines with undecodable bytes, a NUL byte or invalid JSON go to ``out`` (raise or reject);
    the caller counts the non-blank lines it is given plus ``out``'s rejects.
    """
    offset = 0
    for number, raw in enumerate(data.split(b"\n"), start=1):
        start, offset = offset, offset + len(raw) + 1
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            err = decode_error(path, raw, exc, first_line=number, base=start)
            out.bad(number, err.reason, raw.decode("utf-8", errors="replace"))
            continue
        nul = line.find("\x00")
        if nul >= 0:
            out.bad(number, f"NUL byte at character {nul}; expected {what}", line)
            continue
        item, err = try_loads(line)
        if err is not None:
            out.bad(number, f"invalid JSON ({json_error(err)}); expected {what}", line)
            continue
        yield number, item, line


def count_lines(data: bytes) -> int:
    """Non-blank lines: the records of a JSON-lines file."""
    return sum(1 for raw in data.split(b"\n") if raw.strip())
