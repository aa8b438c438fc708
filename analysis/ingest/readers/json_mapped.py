"""Generic JSON: one object per line, or a JSON array of objects, read through a field mapping.

The mapping is ``--columns`` (``text=body,author=user,thread=title,...``); a field name may be a
dotted path into nested objects (``snippet.textOriginal``). Keys without a mapping fall back to
familiar names, as for CSV. ``thread=`` splits the file into threads and ``article_title=`` /
``article_text=`` build each thread's article, so an export such as the Fox News comments
(``title``, ``meta``, ``text``, ``user``) reads in one command.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.errors import InputError
from analysis.ingest.parsers import check_text, parse_count, parse_time_field
from analysis.ingest.readers.base import (
    Collector,
    ReadRequest,
    ReadResult,
    Record,
    raw_json,
    read_bytes,
    register,
)
from analysis.ingest.readers.columns import DEFAULT_COLUMNS, parse_column_map
from analysis.ingest.readers.jsonio import (
    clean_item,
    count_lines,
    first_line_is_object,
    json_lines,
    parse_document,
)

_MISSING = object()


def _lookup(obj: dict[str, Any], name: str) -> Any:
    """``obj[name]``, a case-insensitive match, or a dotted path; ``_MISSING`` when absent."""
    if name in obj:
        return obj[name]
    lowered = {k.lower(): k for k in obj if isinstance(k, str)}
    if name.lower() in lowered:
        return obj[lowered[name.lower()]]
    node: Any = obj
    for part in name.split("."):
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _fields(obj: dict[str, Any], mapping: Mapping[str, str]) -> dict[str, tuple[str, Any]]:
    """``{key: (field name, value)}`` for the mapped keys and the familiar names present."""
    found: dict[str, tuple[str, Any]] = {}
    for key, name in mapping.items():
        value = _lookup(obj, name)
        if value is not _MISSING:
            found[key] = (name, value)
    lowered = {k.lower(): k for k in obj if isinstance(k, str)}
    for key, names in DEFAULT_COLUMNS.items():
        if key not in mapping:
            hit = next((lowered[n] for n in names if n in lowered), None)
            if hit is not None:
                found[key] = (hit, obj[hit])
    return found


def _string(name: str, value: Any, *, numbers: bool = False) -> str | None:
    if value is None:
        return None
    if numbers and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"field {name!r}: expected a string, found {type(value).__name__}")
    return value


def mapped_record(item: Any, number: int, mapping: Mapping[str, str]) -> Record:
    """One JSON object -> Record through ``mapping``.

    Raises:
        ValueError: not an object, no text field, or a mistyped value, naming the field.
    """
    if not isinstance(item, dict):
        raise ValueError(f"expected a JSON object, found {type(item).__name__}")
    f = _fields(item, mapping)
    if "text" not in f:
        wanted = mapping.get("text") or " or ".join(DEFAULT_COLUMNS["text"][:5])
        keys = ", ".join(repr(k) for k in list(item)[:12])
        raise ValueError(f"no text field {wanted!r}; fields present: {keys} (--columns text=FIELD)")
    name = {key: n for key, (n, _) in f.items()}
    value = {key: v for key, (_, v) in f.items()}
    text = _string(name["text"], value["text"])
    check_text(text or "", what=f"field {name['text']!r}", raw_bytes=False)
    try:
        likes = parse_count(value.get("likes"))
    except ValueError as exc:
        raise ValueError(f"field {name['likes']!r}: {exc}") from None
    try:
        published_at, published_text, edited = parse_time_field(value.get("time"))
    except ValueError as exc:
        raise ValueError(f"field {name['time']!r}: {exc}") from None
    thread = _string(name.get("thread", ""), value.get("thread"), numbers=True)
    if "thread" in mapping and not (thread or "").strip():
        raise ValueError(f"field {mapping['thread']!r} is missing or empty; expected the thread")
    author = _string(name.get("author", ""), value.get("author"))
    parent = _string(name.get("parent", ""), value.get("parent"), numbers=True) or None
    return Record(
        source_record=number,
        text_raw=text or "",
        source_id=_string(name.get("id", ""), value.get("id"), numbers=True) or None,
        parent_source_id=parent,
        is_reply=parent is not None,
        author=author or None,
        author_key=author or None,
        published_text=published_text,
        published_at=published_at,
        is_edited=edited,
        likes=likes,
        thread_key=thread,
        article_title=_string(name.get("article_title", ""), value.get("article_title")),
        article_text=_string(name.get("article_text", ""), value.get("article_text")),
    )


def _authors(item: Any, mapping: Mapping[str, str]) -> tuple[str, ...]:
    if not isinstance(item, dict):
        return ()
    hit = _fields(item, mapping).get("author")
    return (hit[1],) if hit is not None and isinstance(hit[1], str) else ()


def _items(doc: Any) -> list[Any]:
    """The records of a JSON document: an array, or the one array of objects a wrapper holds
    (``{"data": [...]}``, ``{"comments": [...]}``); a lone object is one record."""
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        arrays = [v for v in doc.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        if len(arrays) == 1:
            return arrays[0]
    return [doc]


def read_json_mapped(
    path: Path,
    *,
    on_error: str = "stop",
    column_map: str | Mapping[str, str] | None = None,
    data: bytes | None = None,
    doc: Any = None,
) -> ReadResult:
    """Read JSON lines (unit "line") or a JSON array of objects (unit "item") through a mapping.

    A document that wraps its one array of objects in an object (``{"data": [...]}``) is read as
    that array.

    Raises:
        InputError: a malformed record (``on_error="stop"``), or a file that is neither.
    """
    path = Path(path)
    mapping = parse_column_map(column_map)
    if data is None:
        data = read_bytes(path)
    if doc is None and not first_line_is_object(data):
        doc = parse_document(
            path, data, "JSON lines or a JSON array of objects", lenient=on_error == "skip"
        )
    if doc is not None:
        items = _items(doc)
        out = Collector(path, on_error, "item")
        records = []
        for number, raw_item in enumerate(items, start=1):
            item, fault = clean_item(raw_item)
            try:
                if fault is not None:
                    raise ValueError(fault)
                records.append(mapped_record(item, number, mapping))
            except ValueError as exc:
                out.bad(number, str(exc), raw_json(item), authors=_authors(item, mapping))
        return ReadResult("json", records, out.rejects, len(items), record_unit="item")
    out = Collector(path, on_error, "line")
    records = []
    for number, item, line in json_lines(path, data, out, "one JSON object per line"):
        try:
            records.append(mapped_record(item, number, mapping))
        except ValueError as exc:
            out.bad(number, str(exc), line, authors=_authors(item, mapping))
    if not records and not out.rejects:
        raise InputError(path, "no JSON objects; expected one JSON object per line")
    return ReadResult("json", records, out.rejects, count_lines(data), record_unit="line")


@register("json", family="json", summary="JSON objects read through --columns")
def _read(request: ReadRequest) -> ReadResult:
    doc = request.doc if isinstance(request.doc, list | dict) else None
    return read_json_mapped(
        request.path,
        on_error=request.on_error,
        column_map=request.columns,
        data=request.data,
        doc=doc,
    )
