"""JSON access shared by the JSON readers: whole documents, JSON lines, and their errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from analysis.errors import InputError
from analysis.ingest.parsers import json_error, loads
from analysis.ingest.readers.base import Collector, decode_error, decode_text


def parse_document(path: Path, data: bytes, what: str) -> Any:
    """Parse the whole file as one JSON document.

    Raises:
        InputError: undecodable bytes or invalid JSON, naming the line and column.
    """
    text = decode_text(path, data)
    try:
        return loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            path, f"invalid JSON ({json_error(exc)}); expected {what}", record=exc.lineno
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InputError(path, f"invalid JSON ({json_error(exc)}); expected {what}") from None


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
