"""YouTube Data API v3 responses: ``commentThreads.list`` and ``comments.list`` (reply) pages.

The file holds one response page, a JSON array of pages, or one page per line. A thread item's
top-level comment is a record, followed by its replies (``replies.comments[]``); a reply page's
items are comment resources whose ``snippet.parentId`` names the comment replied to. Records are
numbered 1.. across the file (unit "comment"); messages also give the JSON path. The text is
``textOriginal`` (``textDisplay``, which is HTML, only when it is absent); ``updatedAt`` after
``publishedAt`` marks an edit. A page that is not a response object (no ``items`` array) is one
rejected record under skip mode; the other pages are read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analysis.errors import InputError
from analysis.ingest.parsers import check_text, parse_count, parse_time
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
    first_line_is_object,
    json_lines,
    parse_document,
)

PAGE_HELP = (
    "expected a commentThreads.list or comments.list response (an object with an 'items' array)"
)


def _opt_str(snip: dict[str, Any], key: str) -> str | None:
    value = snip.get(key)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"field {key!r}: expected a string, found {type(value).__name__}")
    return value


def _iso(value: str, key: str) -> Any:
    try:
        parsed = parse_time(value)
    except ValueError as exc:
        raise ValueError(f"{key}: {exc}") from None
    if parsed is None:
        raise ValueError(
            f"{key}: expected an ISO 8601 time such as 2024-01-31T12:00:00Z, found {value!r}"
        )
    return parsed


def api_comment(comment: Any, number: int, where: str, *, reply: bool) -> Record:
    """One API comment resource -> Record.

    Raises:
        ValueError: a missing or mistyped field, naming its JSON path.
    """
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
        check_text(text, what="snippet text", raw_bytes=False)
        author = _opt_str(snip, "authorDisplayName")
        published = _opt_str(snip, "publishedAt")
        updated = _opt_str(snip, "updatedAt")
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    try:
        likes = parse_count(snip.get("likeCount"))
    except ValueError as exc:
        raise ValueError(f"{where}: likeCount: {exc}") from None
    channel = snip.get("authorChannelId")
    channel_id = channel.get("value") if isinstance(channel, dict) else None
    published_at = _iso(published, f"{where}: publishedAt") if published else None
    parent = snip.get("parentId")
    if parent is not None and not isinstance(parent, str):
        raise ValueError(f"{where}: parentId: expected a string, found {type(parent).__name__}")
    reply = reply or parent is not None
    if not reply:
        parent = None
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


def _authors(item: Any) -> tuple[str, ...]:
    """Display names anywhere in an item (for pseudonymising its reject)."""
    found: list[str] = []

    def walk(obj: Any) -> None:
        if isinstance(obj, dict):
            for key, value in obj.items():
                if key == "authorDisplayName" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(obj, list):
            for value in obj:
                walk(value)

    walk(item)
    return tuple(found)


class _PageReader:
    """Numbers comments across pages and sends malformed ones to the collector."""

    def __init__(self, out: Collector) -> None:
        self.out = out
        self.records: list[Record] = []
        self.number = 0

    def comment(self, comment: Any, where: str, *, reply: bool) -> None:
        self.number += 1
        comment, fault = clean_item(comment)
        try:
            if fault is not None:
                raise ValueError(f"{where}: {fault}")
            self.records.append(api_comment(comment, self.number, where, reply=reply))
        except ValueError as exc:
            self.out.bad(self.number, str(exc), raw_json(comment), authors=_authors(comment))

    def item(self, item: Any, where: str) -> None:
        snippet = item.get("snippet") if isinstance(item, dict) else None
        if isinstance(snippet, dict) and "topLevelComment" in snippet:
            self.comment(
                snippet["topLevelComment"], where + ".snippet.topLevelComment", reply=False
            )
        elif isinstance(snippet, dict) and (
            item.get("kind") == "youtube#comment" or {"textOriginal", "textDisplay"} & set(snippet)
        ):
            self.comment(item, where, reply=False)  # a comments.list item (reply if parentId)
            return
        else:
            self.number += 1
            self.out.bad(
                self.number,
                f"{where}: missing snippet.topLevelComment; expected a commentThread resource "
                "(or a comment resource of a comments.list page)",
                raw_json(item),
                authors=_authors(item),
            )
        replies = item.get("replies") if isinstance(item, dict) else None
        if replies is None:
            return
        comments = replies.get("comments") if isinstance(replies, dict) else None
        if not isinstance(comments, list):
            self.number += 1
            self.out.bad(
                self.number,
                f"{where}.replies: expected an object with a 'comments' array",
                raw_json(replies),
                authors=_authors(replies),
            )
            return
        for j, comment in enumerate(comments):
            self.comment(comment, f"{where}.replies.comments[{j}]", reply=True)


def _pages(path: Path, data: bytes, out: Collector) -> tuple[list[tuple[int, Any]], str, int]:
    """``([(page or line number, page)], unit, bad lines)``: a document, or one page per line."""
    what = "YouTube Data API response pages"
    try:
        doc = parse_document(path, data, what, lenient=out.skip)
    except InputError:
        if not first_line_is_object(data):
            raise
        before = len(out.rejects)
        pages = [(n, page) for n, page, _ in json_lines(path, data, out, "one page per line")]
        if len(pages) + len(out.rejects) - before < 2:
            raise
        return pages, "line", len(out.rejects) - before
    pages = doc if isinstance(doc, list) else [doc]
    return list(enumerate(pages, start=1)), "page", 0


def read_youtube_api(
    path: Path, *, on_error: str = "stop", data: bytes | None = None, doc: Any = None
) -> ReadResult:
    """Read YouTube Data API v3 ``commentThreads.list`` and ``comments.list`` responses.

    Raises:
        InputError: a malformed record or page (``on_error="stop"``), or a file-level problem.
    """
    path = Path(path)
    out = Collector(path, on_error, "comment")
    bad_lines = 0
    if doc is None:
        if data is None:
            data = read_bytes(path)
        pages, unit, bad_lines = _pages(path, data, out)
    else:
        pages, unit = list(enumerate(doc if isinstance(doc, list) else [doc], start=1)), "page"
    reader = _PageReader(out)
    bad_pages = 0
    for p, page in pages:
        if not isinstance(page, dict) or not isinstance(page.get("items"), list):
            bad_pages += 1
            out.bad(p, PAGE_HELP, raw_json(page), unit=unit)
            continue
        for i, item in enumerate(page["items"]):
            reader.item(item, f"{unit} {p} items[{i}]")
    total = reader.number + bad_pages + bad_lines
    return ReadResult("youtube-api", reader.records, out.rejects, total, record_unit="comment")


@register("youtube-api", family="json", summary="YouTube Data API comment pages")
def _read(request: ReadRequest) -> ReadResult:
    return read_youtube_api(
        request.path, on_error=request.on_error, data=request.data, doc=request.doc
    )
