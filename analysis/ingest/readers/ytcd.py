"""youtube-comment-downloader output: one JSON object per line, or its ``--pretty`` document.

Required fields ``cid`` and ``text`` (strings); ``votes`` such as ``'1.2K'`` are expanded; a
reply's ``cid`` is ``PARENT.REPLY``. ``time_parsed`` (epoch seconds the downloader estimated from
the relative ``time``) becomes an estimated ``published_at``; an absolute ``time`` (some forks
write one) is read by the shared time parser and wins; the corpus builder prefers its own
estimate from ``--captured-at`` when one is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.errors import InputError
from analysis.ingest.parsers import check_text, parse_count, parse_epoch, parse_time_field
from analysis.ingest.readers.base import (
    Collector,
    ReadRequest,
    ReadResult,
    Record,
    raw_json,
    read_bytes,
    register,
)
from analysis.ingest.readers.jsonio import (
    clean_item,
    count_lines,
    first_line_is_object,
    json_lines,
    parse_document,
)

FIELDS_HELP = "youtube-comment-downloader fields cid, text, time, author, votes, reply, time_parsed"


def _opt_str(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"field {key!r}: expected a string, found {type(value).__name__}")
    return value


def ytcd_record(item: Any, number: int) -> Record:
    """One youtube-comment-downloader comment object -> Record.

    Raises:
        ValueError: a missing or mistyped field, naming it.
    """
    if not isinstance(item, dict):
        raise ValueError(
            f"expected a JSON object with 'cid' and 'text', found {type(item).__name__}"
        )
    for key in ("cid", "text"):
        if key not in item:
            raise ValueError(f"missing field {key!r}; expected {FIELDS_HELP}")
        if not isinstance(item[key], str):
            raise ValueError(f"field {key!r}: expected a string, found {type(item[key]).__name__}")
    cid, text = item["cid"], item["text"]
    check_text(text, what="field 'text'", raw_bytes=False)
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
            published_at = parse_epoch(parsed)
        except ValueError as exc:
            raise ValueError(f"field 'time_parsed': {exc}") from None
        estimated = True  # the downloader computes it from the relative time
    try:
        absolute, _, _ = parse_time_field(time_text)  # the same checks as every reader
    except ValueError as exc:
        raise ValueError(f"field 'time': {exc}") from None
    if absolute is not None:
        published_at, estimated = absolute, False
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
        is_edited=time_text is not None and "(edited)" in time_text,
        likes=likes,
    )


def _authors(item: Any) -> tuple[str, ...]:
    if isinstance(item, dict) and isinstance(item.get("author"), str):
        return (item["author"],)
    return ()


def read_youtube_jsonl(
    path: Path, *, on_error: str = "stop", data: bytes | None = None, doc: Any = None
) -> ReadResult:
    """Read youtube-comment-downloader output: JSON lines, or the ``--pretty`` JSON document.

    Records are numbered by line (JSON lines; blank lines are not records) or by item (1-based
    position in the ``comments`` array of the pretty form).

    Raises:
        InputError: a malformed record (``on_error="stop"``), or a file-level problem.
    """
    path = Path(path)
    if data is None:
        data = read_bytes(path)
    if doc is None and not first_line_is_object(data):
        # Not JSON lines: the --pretty document (a broken one raises, naming the line).
        doc = parse_document(
            path,
            data,
            "youtube-comment-downloader output (JSON lines, or the --pretty JSON document)",
            lenient=on_error == "skip",
        )
    if doc is not None:
        return _read_pretty(path, doc, on_error)
    out = Collector(path, on_error, "line")
    records: list[Record] = []
    what = "one youtube-comment-downloader JSON object per line"
    for number, item, line in json_lines(path, data, out, what):
        try:
            records.append(ytcd_record(item, number))
        except ValueError as exc:
            out.bad(number, str(exc), line, authors=_authors(item))
    return ReadResult("youtube-jsonl", records, out.rejects, count_lines(data), record_unit="line")


def _read_pretty(path: Path, doc: Any, on_error: str) -> ReadResult:
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
    out = Collector(path, on_error, "item")
    records = []
    for number, raw_item in enumerate(items, start=1):
        item, fault = clean_item(raw_item)
        try:
            if fault is not None:
                raise ValueError(fault)
            records.append(ytcd_record(item, number))
        except ValueError as exc:
            out.bad(number, str(exc), raw_json(item), authors=_authors(item))
    return ReadResult("youtube-jsonl", records, out.rejects, len(items), record_unit="item")


@register("youtube-jsonl", family="json", summary="youtube-comment-downloader JSON lines")
def _read(request: ReadRequest) -> ReadResult:
    doc = request.doc if isinstance(request.doc, list | dict) else None
    return read_youtube_jsonl(request.path, on_error=request.on_error, data=request.data, doc=doc)
