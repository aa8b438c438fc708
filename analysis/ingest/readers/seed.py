"""The seed's plain-text format, and article files (plain text or Markdown).

Seed: title line, article paragraphs separated by blank lines, then comments, each introduced by
a relative timestamp line (``6 months ago``, ``2 days ago (edited)``); a comment's text is
everything up to the next timestamp line.
"""

from __future__ import annotations

import re
from pathlib import Path

from analysis.errors import InputError
from analysis.ingest.parsers import is_timestamp_line, parse_relative_time, split_lines
from analysis.ingest.readers.base import (
    Article,
    ReadRequest,
    ReadResult,
    Record,
    decode_text,
    read_bytes,
    register,
)

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


def article_from_lines(path: Path, numbered: list[tuple[int, str]], *, markdown: bool) -> Article:
    """An :class:`Article` from numbered lines (title first, blank-line paragraphs).

    Raises:
        InputError: no non-blank line.
    """
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
        InputError: missing, not a regular file, empty, binary or undecodable file.
    """
    path = Path(path)
    text = decode_text(path, read_bytes(path))
    numbered = list(enumerate(split_lines(text), start=1))
    return article_from_lines(path, numbered, markdown=True)


def read_seed(path: Path, *, text: str | None = None) -> ReadResult:
    """Read the seed text format.

    The first non-blank line is the title; article paragraphs follow, separated by blank lines,
    until the first timestamp line. Each timestamp line starts a comment whose text is every line
    up to the next timestamp line; only the newlines delimiting it are removed, so ``text_raw``
    keeps every other character (it may span several paragraphs, or be empty). A line that is
    only "now" is comment text, not a timestamp (YouTube writes "just now").

    Returns:
        A :class:`ReadResult` with ``article`` set; ``source_record`` of a comment is the line of
        its timestamp.

    Raises:
        InputError: the file is unreadable, or its first non-blank line is a timestamp line.
    """
    path = Path(path)
    if text is None:
        text = decode_text(path, read_bytes(path))
    lines = split_lines(text)
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
    article = article_from_lines(path, head, markdown=False)
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


@register("seed", family="text", summary="plain text with relative timestamp lines")
def _read(request: ReadRequest) -> ReadResult:
    return read_seed(request.path, text=decode_text(request.path, request.data))
