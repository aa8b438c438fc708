"""Readers on small fixtures written to each format's published shape, and their error messages."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from analysis import config
from analysis.errors import DiscourseError, FormatError, InputError
from analysis.ingest.parsers import json_error, parse_time, parse_time_field
from analysis.ingest.readers import (
    FORMATS,
    READERS,
    ReadResult,
    detect_format,
    is_timestamp_line,
    parse_column_map,
    parse_count,
    parse_relative_time,
    read_article,
    read_input,
    read_seed,
    register,
)

FIXTURES = Path(__file__).parent / "fixtures"


def fx(name: str) -> Path:
    return FIXTURES / name


# ----------------------------------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.2K", 1200),
        ("3M", 3_000_000),
        ("12", 12),
        ("", None),
        (None, None),
        (7, 7),
        ("1,234", 1234),
        ("2.5k", 2500),
        (" 15 ", 15),
        ("1.25M", 1_250_000),
        (3.0, 3),
    ],
)
def test_parse_count(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value", ["abc", "1.2X", "-3", -1, True, [1], "1.2345K", 2.5])
def test_parse_count_rejects(value):
    with pytest.raises(ValueError, match="count"):
        parse_count(value)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("6 months ago", (6, "month", False)),
        ("1 year ago", (1, "year", False)),
        ("3 weeks ago", (3, "week", False)),
        ("2 days ago (edited)", (2, "day", True)),
        ("an hour ago", (1, "hour", False)),
        ("a day ago", (1, "day", False)),
        ("5 minutes ago", (5, "minute", False)),
        ("just now", (0, "second", False)),
        ("  10 years ago  ", (10, "year", False)),
        ("yesterday", None),
        ("6 months ago I said", None),
        ("It was 6 months ago", None),
    ],
)
def test_parse_relative_time(line, expected):
    assert parse_relative_time(line) == expected
    assert is_timestamp_line(line) == (expected is not None)


def test_parse_column_map():
    assert parse_column_map("text=body, id=comment_id,author=user") == {
        "text": "body",
        "id": "comment_id",
        "author": "user",
    }
    with pytest.raises(DiscourseError, match="unknown key 'txt'"):
        parse_column_map("txt=body")
    with pytest.raises(DiscourseError, match="no column name"):
        parse_column_map("text=")


# ------------------------------------------------------------------------------------------- seed


def test_seed_file_structure():
    read = read_seed(config.SEED_FILE)
    assert read.article.title.startswith("Israeli Prime Minister expresses")
    assert len(read.article.paragraphs) == 8
    assert len(read.records) == 20
    assert sum(1 for r in read.records if not r.text_raw.strip()) == 6
    assert all(r.published_text == "6 months ago" for r in read.records)
    assert [r.source_record for r in read.records] == sorted(r.source_record for r in read.records)
    lines = config.SEED_FILE.read_text(encoding="utf-8").split("\n")
    for rec in read.records:
        assert lines[rec.source_record - 1] == "6 months ago"
        # text_raw is exactly the source lines after the timestamp, minus delimiting newlines
        if rec.text_raw:
            assert lines[rec.source_record + 1] == rec.text_raw.split("\n")[0]


def test_small_seed_keeps_text_and_flags():
    read = read_seed(fx("seed_small.txt"))
    assert read.article.title == "Small seed title"  # the UTF-8 BOM is dropped
    assert read.article.paragraphs == ["Article paragraph one.", "Article paragraph two."]
    assert [r.published_text for r in read.records] == [
        "2 days ago",
        "1 year ago",
        "3 weeks ago (edited)",
        "an hour ago",
        "just now",
    ]
    assert [r.is_edited for r in read.records] == [False, False, True, False, False]
    assert read.records[2].text_raw == "Multi-paragraph comment.\n\nSecond paragraph.   "
    assert read.records[1].text_raw == "" and read.records[4].text_raw == ""


def test_seed_crlf_text_raw_is_exact(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(
        b"Title\r\n\r\nPara.\r\n\r\n1 day ago\r\n\r\nline a\r\nline b  \r\n\r\n2 days ago\r\n"
    )
    read = read_seed(path)
    assert [r.text_raw for r in read.records] == ["line a\r\nline b  ", ""]


def test_seed_needs_a_title(tmp_path):
    path = tmp_path / "notitle.txt"
    path.write_text("\n6 months ago\n\nhello\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"notitle\.txt, line 2: expected the article title"):
        read_seed(path)


# ----------------------------------------------------------------------------- youtube-jsonl


@pytest.mark.parametrize("name", ["ytcd_comments.jsonl", "ytcd_comments_pretty.json"])
def test_ytcd_both_modes(name):
    assert detect_format(fx(name)) == "youtube-jsonl"
    read = read_input(fx(name))
    assert read.fmt == "youtube-jsonl"
    assert read.input_records == len(read.records) == 7
    first, reply, empty_reply = read.records[:3]
    assert first.text_raw.startswith("\ufeffFirst comment &amp;")  # raw kept exactly
    assert first.likes == 1200 and first.author == "@alice" and not first.is_reply
    assert first.published_at == datetime(2021, 11, 15, 18, 13, 20)  # naive UTC
    assert first.is_date_estimated
    assert reply.is_reply and reply.parent_source_id == "UgzA1b2C3d4E5f6G7h8"
    assert reply.is_edited and "\n\n" in reply.text_raw
    assert empty_reply.text_raw == "" and empty_reply.likes is None
    assert read.records[3].likes == 3_000_000
    assert read.records[6].likes == 1234


def test_ytcd_pretty_matches_lines():
    lines = read_input(fx("ytcd_comments.jsonl")).records
    pretty = read_input(fx("ytcd_comments_pretty.json")).records
    strip = [(r.text_raw, r.source_id, r.likes, r.published_at) for r in lines]
    assert strip == [(r.text_raw, r.source_id, r.likes, r.published_at) for r in pretty]


def _jsonl(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = json.dumps({"cid": "A", "text": "fine", "votes": "2", "time": "1 day ago"})


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"cid": "B", "text": "unterminated', r"line 2: invalid JSON"),
        (json.dumps({"cid": "B"}), r"line 2: missing field 'text'"),
        (json.dumps({"cid": "B", "text": 5}), r"line 2: field 'text': expected a string"),
        (json.dumps({"cid": "B", "text": "x", "votes": "lots"}), r"line 2: field 'votes'"),
        (json.dumps(["cid", "text"]), r"line 2: expected a JSON object"),
        (json.dumps({"cid": "B", "text": "x", "reply": "yes"}), r"line 2: field 'reply'"),
        (
            json.dumps({"cid": "B", "text": "x", "time_parsed": "soon"}),
            r"line 2: field 'time_parsed'",
        ),
    ],
)
def test_ytcd_malformed_record_stops(tmp_path, bad, message):
    path = _jsonl(tmp_path, [GOOD, bad, GOOD.replace('"A"', '"C"')])
    with pytest.raises(InputError, match=r"bad\.jsonl, " + message) as info:
        read_input(path)
    assert info.value.record == 2
    read = read_input(path, on_error="skip")
    assert [r.source_id for r in read.records] == ["A", "C"]
    assert [(j.source_record, j.record_raw) for j in read.rejects] == [(2, bad)]
    assert read.input_records == 3


def test_ytcd_undecodable_line_names_line_and_offset(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(
        GOOD.encode() + b"\n" + '{"cid": "B", "text": "caf\xe9"}'.encode("latin-1") + b"\n"
    )
    with pytest.raises(InputError) as info:
        read_input(path)
    msg = str(info.value)
    assert "latin1.jsonl, line 2" in msg and "byte 25 of the line" in msg and "UTF-8" in msg
    read = read_input(path, on_error="skip")
    assert len(read.records) == 1 and len(read.rejects) == 1


def test_ytcd_lone_surrogate_escape_is_replaced(tmp_path):
    # json.loads turns a broken escape into a lone surrogate, which no table can store
    path = tmp_path / "sur.jsonl"
    path.write_text('{"cid": "a", "text": "x\\ud83dy \\ud83d\\ude00"}\n', encoding="utf-8")
    (record,) = read_input(path).records
    assert record.text_raw == "x\ufffdy 😀"


# ------------------------------------------------------------------------------------ youtube-api


def test_api_single_page():
    assert detect_format(fx("youtube_api_page.json")) == "youtube-api"
    read = read_input(fx("youtube_api_page.json"))
    assert read.input_records == 4
    top, reply, empty_reply, display_only = read.records
    assert top.text_raw == "Tom &amp; Jerry said &quot;hi&quot;\ufeff"  # textOriginal preferred
    assert not top.text_is_html and top.likes == 1200
    assert top.published_at == datetime(2024, 1, 2, 3, 4, 5)
    assert not top.is_date_estimated and not top.is_edited
    assert reply.is_reply and reply.parent_source_id == "UgwApiTop0000000001"
    assert reply.is_edited  # updatedAt after publishedAt
    assert empty_reply.text_raw == ""
    assert display_only.text_is_html and "<br>" in display_only.text_raw
    assert top.author_key == "UCggggggggggggggggggggg7"


def test_api_list_of_pages():
    read = read_input(fx("youtube_api_pages.json"))
    assert read.input_records == len(read.records) == 6
    assert [r.source_record for r in read.records] == [1, 2, 3, 4, 5, 6]
    assert read.records[-1].parent_source_id == "UgwApiTop0000000003"


def test_api_malformed_items(tmp_path):
    page = json.loads(fx("youtube_api_page.json").read_text(encoding="utf-8"))
    del page["items"][0]["snippet"]["topLevelComment"]["snippet"]["textOriginal"]
    del page["items"][0]["snippet"]["topLevelComment"]["snippet"]["textDisplay"]
    page["items"][0]["replies"]["comments"][0]["snippet"]["likeCount"] = "many"
    path = tmp_path / "api.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    with pytest.raises(
        InputError,
        match=r"api\.json, comment 1: page 1 items\[0\]"
        r"\.snippet\.topLevelComment: missing snippet",
    ):
        read_input(path)
    read = read_input(path, on_error="skip")
    assert [j.source_record for j in read.rejects] == [1, 2]
    assert "likeCount" in read.rejects[1].reason
    assert read.input_records == len(read.records) + len(read.rejects) == 4


def test_api_page_without_items(tmp_path):
    path = tmp_path / "page.json"
    path.write_text(
        json.dumps(
            [
                {"kind": "youtube#commentThreadListResponse", "items": []},
                {"kind": "youtube#commentThreadListResponse"},
            ]
        ),
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"page\.json, page 2: expected a commentThreads"):
        read_input(path, fmt="youtube-api")


# -------------------------------------------------------------------------------------------- csv


def test_csv_default_columns():
    assert detect_format(fx("comments.csv")) == "csv"
    read = read_input(fx("comments.csv"))
    assert [r.source_record for r in read.records] == [2, 5, 6, 7]  # multi-line row spans 2..4
    first, reply, empty, orphan = read.records
    assert first.text_raw == "Multi-paragraph comment.\r\n\r\nWith a second paragraph, and a comma."
    assert first.likes == 1200 and first.source_id == "n1" and first.author == "reader_one"
    assert first.published_at == datetime(2024, 5, 1, 8)
    assert reply.is_reply and reply.parent_source_id == "n1"
    assert empty.text_raw == "" and empty.published_at is None
    assert empty.published_text == "3 days ago"
    assert orphan.text_raw.startswith("\ufeffReply") and orphan.text_raw.endswith('"quoted"')


def test_tsv_sniffed():
    assert detect_format(fx("comments.tsv")) == "csv"
    read = read_input(fx("comments.tsv"))
    assert [r.text_raw for r in read.records] == [
        "first tab-separated comment",
        "A reply &gt; quoted",
        "",
    ]
    assert read.records[0].is_edited and read.records[1].likes == 2000


def test_csv_explicit_mapping(tmp_path):
    path = tmp_path / "site.csv"
    path.write_text("msg_id,who,words\n1,x,hello there\n2,y,general kenobi\n", encoding="utf-8")
    with pytest.raises(
        InputError,
        match=r"site\.csv, line 1: no text column.*available "
        r"columns: 'msg_id', 'who', 'words'",
    ):
        read_input(path)
    read = read_input(path, column_map="text=words,id=msg_id,author=who")
    assert [(r.source_id, r.author, r.text_raw) for r in read.records] == [
        ("1", "x", "hello there"),
        ("2", "y", "general kenobi"),
    ]
    with pytest.raises(
        InputError,
        match=r"column 'body' \(for text\) not found; available "
        r"columns: 'msg_id', 'who', 'words'",
    ):
        read_input(path, column_map="text=body")


def test_csv_malformed_rows(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(
        "id,text,likes\n1,ok,2\n2,too,many,fields\n3,bad likes,xyz\n4,ok again,\n", encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"rows\.csv, line 3: expected 3 fields"):
        read_input(path)
    read = read_input(path, on_error="skip")
    assert [r.source_id for r in read.records] == ["1", "4"]
    assert [j.source_record for j in read.rejects] == [3, 4]
    assert "'likes'" in read.rejects[1].reason


# ------------------------------------------------------------------------------ file-level errors


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"empty file"),
        (b"  \n\n\t\n", r"empty file"),
        (b"\xef\xbb\xbf\n", r"empty file"),
        (b"PK\x03\x04\x00\x00binary", r"binary file \(NUL byte at byte offset 4\)"),
        ("Title\n".encode("utf-16"), r"the file is UTF-16 encoded; expected UTF-8"),
        (b"just some words\nwithout any structure\n", r"cannot detect the format"),
        (b'{"foo": 1}\n', r"cannot detect the format \(JSON objects without"),
        (b'[{"cid": "a", "text": ', r"looks like JSON but does not parse"),
    ],
)
def test_file_level_errors(tmp_path, content, message):
    path = tmp_path / "input.dat"
    path.write_bytes(content)
    with pytest.raises(InputError, match=r"input\.dat(, line \d+)?: " + message):
        read_input(path)


def test_undecodable_text_file(tmp_path):
    path = tmp_path / "seed.txt"
    path.write_bytes(b"Title\n\nPara\n\n1 day ago\n\ncaf\xe9 au lait\n")
    with pytest.raises(
        InputError,
        match=r"seed\.txt, line 7: undecodable bytes \(e9\) at byte 3 "
        r"of the line \(byte offset 27 in the file\); expected",
    ):
        read_input(path)


@pytest.mark.parametrize(
    "wrapper",
    [
        '{"comments": [{"cid": "a", "text": "%s"}]}',
        '{"items": [{"snippet": {"topLevelComment": {"snippet": {"textOriginal": "%s"}}}}]}',
    ],
)
def test_undecodable_json_document(tmp_path, wrapper):
    path = tmp_path / "doc.json"
    path.write_bytes((wrapper % "caf\\xe9").encode().replace(b"\\xe9", b"\xe9"))
    with pytest.raises(InputError, match=r"doc\.json, line 1: undecodable bytes \(e9\)"):
        read_input(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"nope\.jsonl: file not found"):
        read_input(tmp_path / "nope.jsonl")


@pytest.mark.parametrize(
    ("name", "fmt", "seen"),
    [
        ("ytcd_comments.jsonl", "csv", "youtube-jsonl"),
        ("ytcd_comments.jsonl", "seed", "youtube-jsonl"),
        ("ytcd_comments.jsonl", "youtube-api", "youtube-jsonl"),
        ("youtube_api_page.json", "youtube-jsonl", "youtube-api"),
        ("comments.csv", "youtube-jsonl", "csv"),
        ("seed_small.txt", "youtube-api", "seed"),
        ("seed_small.txt", "csv", "seed"),
        ("comments.csv", "seed", "csv"),
    ],
)
def test_wrong_format_override(name, fmt, seen):
    with pytest.raises(
        FormatError,
        match=rf"{name}: --format {fmt} does not match the content: "
        rf"it looks like {seen}",
    ):
        read_input(fx(name), fmt=fmt)


def test_right_format_override_reads():
    assert len(read_input(fx("comments.tsv"), fmt="csv").records) == 3
    assert len(read_input(fx("seed_small.txt"), fmt="seed").records) == 5


def test_detection_ignores_extension(tmp_path):
    path = tmp_path / "looks_like.csv"
    path.write_bytes(fx("ytcd_comments.jsonl").read_bytes())
    assert detect_format(path) == "youtube-jsonl"
    seed_as_json = tmp_path / "seed.json"
    seed_as_json.write_bytes(config.SEED_FILE.read_bytes())
    assert detect_format(seed_as_json) == "seed"


def test_seed_with_commas_is_not_csv(tmp_path):
    path = tmp_path / "commas.txt"
    path.write_text(
        "Trump, Putin meet\nIn Helsinki, today.\nMore, later.\n\n2 days ago\n\nHi\n",
        encoding="utf-8",
    )
    assert detect_format(path) == "seed"
    assert len(read_input(path).records) == 1


# ---------------------------------------------------------------------------------------- article


def test_article_markdown():
    art = read_article(fx("article.md"))
    assert art.title == "Test article: a headline"
    assert art.paragraphs == [
        "First paragraph of the article.\nIt wraps onto a second line.",
        "Second paragraph &amp; more.",
    ]
    assert art.text_raw.startswith("# Test article")


def test_article_empty(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"article\.txt: empty file"):
        read_article(path)


# ------------------------------------------------------------------------- shared parsers, registry


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-31T12:00:00Z", datetime(2024, 1, 31, 12)),
        ("2024-01-31 14:00:00+02:00", datetime(2024, 1, 31, 12)),
        ("2024-01-31 12:00:00 UTC", datetime(2024, 1, 31, 12)),
        ("2024/01/31", datetime(2024, 1, 31)),
        ("31 Jan 2024", datetime(2024, 1, 31)),
        ("January 31, 2024", datetime(2024, 1, 31)),
        ("Wed, 31 Jan 2024 12:00:00 +0000", datetime(2024, 1, 31, 12)),
        ("1706702400", datetime(2024, 1, 31, 12)),  # epoch seconds
        ("1706702400000", datetime(2024, 1, 31, 12)),  # milliseconds, not the year 56,000
        ("1706702400000000", datetime(2024, 1, 31, 12)),  # microseconds
        ("yesterday", None),  # free text: kept as published_text only
        ("", None),
    ],
)
def test_parse_time(value, expected):
    assert parse_time(value) == expected


@pytest.mark.parametrize("value", ["2099-13-45", "2023-02-30", "2024-00-10T00:00:00Z", "20231340"])
def test_impossible_dates_raise_one_message(value):
    with pytest.raises(ValueError, match=rf"impossible date '{value}'; expected a date/time"):
        parse_time(value)
    with pytest.raises(ValueError, match="impossible date"):
        parse_time_field(value)


def test_parse_time_field_numbers_and_relative():
    assert parse_time_field(1706702400) == (datetime(2024, 1, 31, 12), "1706702400", False)
    assert parse_time_field(1706702400000.0)[0] == datetime(2024, 1, 31, 12)
    assert parse_time_field("3 days ago (edited)") == (None, "3 days ago (edited)", True)
    assert parse_time_field(None) == (None, None, False)
    for bad in (-5, float("inf"), True, [1]):
        with pytest.raises(ValueError):
            parse_time_field(bad)


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), 1e300, "9" * 30])
def test_parse_count_refuses_non_finite_and_huge(value):
    with pytest.raises(ValueError, match="count"):
        parse_count(value)


def test_json_error_has_one_at():
    import json as _json

    try:
        _json.loads('{"a": "unterminated')
    except _json.JSONDecodeError as exc:
        message = json_error(exc)
    assert "at at" not in message and message.startswith("Unterminated string starting at column")


def test_bare_now_is_not_a_timestamp_line():
    assert not is_timestamp_line("now") and is_timestamp_line("just now")


def test_every_format_is_a_registered_reader():
    assert set(FORMATS) == {"seed", "youtube-jsonl", "youtube-api", "csv", "json"}
    assert all(READERS[name].name == name for name in FORMATS)
    assert {READERS[n].family for n in FORMATS} == {"json", "text"}


def test_read_input_dispatches_through_the_registry(tmp_path):
    calls = []

    @register("test-format", family="text", summary="a stand-in")
    def _stand_in(request):
        calls.append(request.path)
        return ReadResult("test-format", input_records=0)

    try:
        path = tmp_path / "x.txt"
        path.write_text("Title\n\n1 day ago\nhi\n", encoding="utf-8")
        assert read_input(path, fmt="test-format").fmt == "test-format"
        assert calls == [path]
    finally:
        READERS.pop("test-format")


def test_generic_json_reader_with_dotted_paths(tmp_path):
    path = tmp_path / "nested.json"
    path.write_text(
        json.dumps(
            [
                {"data": {"body": "first", "who": "x"}, "id": 7, "ts": 1706702400000},
                {"data": {"body": "second", "who": "y"}, "id": 8, "reply_to": 7},
            ]
        ),
        encoding="utf-8",
    )
    read = read_input(path, column_map="text=data.body,author=data.who,time=ts")
    assert read.fmt == "json" and read.record_unit == "item"
    first, second = read.records
    assert (first.text_raw, first.author, first.source_id) == ("first", "x", "7")
    assert first.published_at == datetime(2024, 1, 31, 12)
    assert second.parent_source_id == "7" and second.is_reply


def test_api_reply_page_reads_replies():
    devdata = config.ROOT.parent / "shared" / "devdata" / "youtube_api" / "comments"
    page = devdata / "comments_by_parent_paged_1.json"
    if not page.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{page} is missing")
        pytest.skip("dev data not available")
    read = read_input(page)
    assert read.fmt == "youtube-api" and read.input_records == len(read.records) == 2
    assert all(
        r.is_reply and r.parent_source_id == "Ugw5zYU6n9pmIgAZWvN4AaABAg" for r in read.records
    )
