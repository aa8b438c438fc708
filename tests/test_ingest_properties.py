"""Property-based tests (hypothesis) for the readers: nothing lost, nothing unhandled."""

from __future__ import annotations

import atexit
import csv
import io
import json
import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from analysis import schema as S
from analysis.errors import DiscourseError
from analysis.ingest.readers import FORMATS, detect_format, is_timestamp_line, read_seed
from analysis.ingest.stage import ingest_paths
from analysis.ingest.text import normalise_text

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = FIXTURES / "article.md"
_NEWLINES = re.compile(r"\r\n|\r|\n")

# Characters comments really contain: letters, digits, punctuation, spaces and tabs, accents,
# emoji (with joiners and variation selectors), BOM and zero-width space, and line breaks.
_ALPHABET = st.one_of(
    st.sampled_from(
        list("abcxyz ABC 0123456789 .,;:!?'\"&#()-_/\t\n\r")
        + [
            "é",
            "ß",
            "ж",
            "中",
            "👍",
            "🏽",
            "\u200d",
            "\ufe0f",
            "\ufeff",
            "\u200b",
            "\u00a0",
            "&amp;",
            " ago",
            "months",
            "6 ",
            "just now",
            "\r\n",
        ]
    ),
    st.characters(blacklist_categories=("Cs",)),
)
_text = st.lists(_ALPHABET, max_size=40).map("".join)


def _no_timestamp_line(text: str) -> bool:
    return not any(is_timestamp_line(line) for line in _NEWLINES.split(text))


_stamp = st.builds(
    lambda n, unit, plural, edited, pad: f"{pad}{n} {unit}{plural} ago{edited}{pad}",
    st.sampled_from(["1", "2", "6", "12", "an", "a"]),
    st.sampled_from(["second", "minute", "hour", "day", "week", "month", "year"]),
    st.sampled_from(["", "s"]),
    st.sampled_from(["", " (edited)"]),
    st.sampled_from(["", " ", "\t"]),
) | st.sampled_from(["just now", "6 months ago", "2 days ago (edited)"])

_title = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda t: t.strip() and not is_timestamp_line(t))
_paragraph = _title
_sep = st.sampled_from(["\n", "\n\n", "\n\n\n", "\r\n\r\n", "\n \n"])


@settings(max_examples=120, deadline=None)
@given(
    title=_title,
    paragraphs=st.lists(_paragraph, max_size=4),
    comments=st.lists(st.tuples(_stamp, _text, _sep, _sep), max_size=8),
    final_newline=st.booleans(),
)
def test_seed_every_timestamp_yields_one_comment_and_no_text_is_lost(
    title, paragraphs, comments, final_newline
):
    assume(all(_no_timestamp_line(body) for _, body, _, _ in comments))
    text = title + "\n\n" + "".join(p + "\n\n" for p in paragraphs)
    for stamp, body, before, after in comments:
        text += stamp + before + body + after
    if not final_newline:
        text = text.rstrip("\r\n")
    read = read_seed(Path("generated.txt"), text=text)
    assert len(read.records) == len(comments)
    for record, (stamp, body, before, after) in zip(read.records, comments, strict=True):
        assert record.published_text == stamp.strip()
        # only the line breaks delimiting the comment are removed: every other character of
        # the lines between two timestamp lines is kept, in order
        assert record.text_raw == (before + body + after).strip("\r\n")
        assert body.strip("\r\n") in record.text_raw
    assert read.article.title == title.strip()
    assert len(read.article.paragraphs) == len(paragraphs)


_FRAGMENTS = [
    b'{"cid": "a", "text": "x"}',
    b'{"cid": "a.b", "text": "", "votes": "1.2K", "reply": true}',
    b'{"cid": "c", "text": "y", "time_parsed": 1e400}',
    b'"time": "2 years ago"',
    b"\n",
    b"\r\n",
    b"\n\n",
    b"6 months ago",
    b"2 days ago (edited)",
    b"Title",
    b"text,id,likes\n",
    b'"quoted, field"',
    b",",
    b"\t",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\x00",
    b"[",
    b"]",
    b"{",
    b"}",
    b'{"items": [{"snippet": {"topLevelComment": {"snippet": {"textOriginal": "hi", '
    b'"publishedAt": "0001-01-01T00:00:00+01:00", "likeCount": 99999999999999999999}}}}]}',
    b'{"comments": [',
    b'"kind": "youtube#commentThreadListResponse"',
    b"null",
    b"123",
    b'{"cid": "s", "text": "\\ud800 \\udfff"}',
    b"&amp;",
    "é👍".encode(),
    b"\xe2\x80",
    b'"',
    b":",
    b"1.2K",
    b"0001-01-01T00:00:00+01:00",
    b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
]
_scalar = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**20),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["1.2K", "3M", "", "2 years ago", "2024-01-02T03:04:05Z"]),
)
_ytcd_item = st.fixed_dictionaries(
    {
        "cid": st.one_of(st.sampled_from(["p", "p.r", "q.r"]), _scalar),
        "text": st.one_of(_text, _scalar),
    },
    optional={
        "votes": _scalar,
        "reply": _scalar,
        "time_parsed": _scalar,
        "time": _scalar,
        "author": _scalar,
        "channel": _scalar,
    },
)
_snippet = st.fixed_dictionaries(
    {},
    optional={
        "textOriginal": st.one_of(_text, _scalar),
        "textDisplay": _scalar,
        "likeCount": _scalar,
        "publishedAt": _scalar,
        "updatedAt": _scalar,
        "authorDisplayName": _scalar,
        "parentId": _scalar,
    },
)
_api_item = st.builds(
    lambda top, replies: {
        "snippet": {"topLevelComment": {"id": "t", "snippet": top}},
        **({"replies": {"comments": replies}} if replies is not None else {}),
    },
    _snippet,
    st.none() | st.lists(st.builds(lambda sn: {"id": "t.r", "snippet": sn}, _snippet), max_size=3),
)


def _csv_bytes(rows: list[list[str]], delimiter: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([["id", "text", "note"], *rows])
    return buffer.getvalue().encode("utf-8", errors="surrogatepass")


_structured = st.one_of(
    st.lists(st.one_of(_ytcd_item.map(json.dumps), _text), min_size=1, max_size=6).map(
        lambda lines: "\n".join(lines).encode("utf-8", errors="surrogatepass")
    ),
    st.lists(_ytcd_item, max_size=5).map(
        lambda items: json.dumps({"comments": items}, indent=4).encode()
    ),
    st.lists(
        st.lists(_api_item, max_size=3).map(lambda items: {"items": items}), min_size=1, max_size=2
    ).map(lambda pages: json.dumps(pages).encode()),
    st.builds(
        _csv_bytes,
        st.lists(
            st.lists(_text, min_size=3, max_size=3) | st.lists(_text, min_size=1, max_size=4),
            max_size=5,
        ),
        st.sampled_from([",", "\t", ";"]),
    ),
    st.builds(
        lambda title, parts: (title + "\n\n" + "".join(parts)).encode(
            "utf-8", errors="surrogatepass"
        ),
        _title,
        st.lists(st.one_of(_stamp.map(lambda t: t + "\n\n"), _text), max_size=6),
    ),
)


@st.composite
def _mutated(draw):
    content = draw(_structured)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(content)))
        content = content[:at] + draw(st.binary(min_size=1, max_size=3)) + content[at:]
    return content


_bytes = st.one_of(
    _structured,
    _mutated(),
    st.binary(max_size=200),
    st.lists(st.sampled_from(_FRAGMENTS), max_size=25).map(b"".join),
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.binary(max_size=5)), max_size=20).map(
        b"".join
    ),
)
_TMP = Path(tempfile.mkdtemp(prefix="ingest-props-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content=_bytes,
    fmt=st.sampled_from(["auto", "auto", "auto", *FORMATS]),
    on_error=st.sampled_from(["stop", "skip"]),
)
def test_arbitrary_bytes_ingest_or_raise_discourse_error(content, fmt, on_error):
    path = _TMP / "input.bin"
    path.write_bytes(content)
    try:
        detected = detect_format(path)
    except DiscourseError:
        detected = None
    seed_like = (fmt == "seed") or (fmt == "auto" and detected == "seed")
    try:
        result = ingest_paths(
            [path], fmt=fmt, articles=[] if seed_like else [ARTICLE], on_error=on_error
        )
    except DiscourseError as exc:
        assert str(exc)
        event(f"raised {type(exc).__name__}")
        return
    event(f"ingested as {result.summary['threads'][0]['source_format']}")
    if on_error == "stop":  # undecodable bytes are always reported, never read lossily
        content.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    corpus = result.corpus
    comments = int((corpus[S.DOC_KIND] == S.COMMENT).sum())
    totals = result.summary["totals"]
    assert totals["input_records"] == comments + len(result.rejects)
    assert on_error == "skip" or len(result.rejects) == 0
    assert corpus[S.DOC_ID].is_unique
    for text, raw in zip(corpus[S.TEXT].iloc[1:], corpus["text_raw"].iloc[1:], strict=True):
        assert text == normalise_text(text) or "&" in text  # normalised once
        assert isinstance(raw, str)
