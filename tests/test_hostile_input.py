"""Hostile and broken input through ``discourse ingest``: no traceback, no silent loss.

Each class below is tried as a careless user or script would, through the command line's error
hook. A failing class must exit with status 2 and print one line that names the file (and the
record, page or line) and says what was expected, in its own words; a class that reads must
account for every record written: comment rows + rejects == the records the test wrote (counted
here, not by the reader). Property tests then generate files mixing good and faulty records
(CSV, youtube-comment-downloader JSON lines, API pages, generic JSON lines and arrays) and check
rows + rejects == records written, and hypothesis feeds arbitrary bytes to every registered
reader: each input either reads with every record accounted for or raises the project's error.

Classes covered (``CLASSES`` holds exactly these names; a test checks the list):

file level
    missing_file, folder_input, fifo_input, device_input, empty_file, blank_file, bom_only_file,
    binary_file, utf16_file, undetectable_text, json_without_comment_fields,
    json_unterminated_string_wording, json_nested_too_deep, wrong_format_override,
    seed_without_title, seed_undecodable_bytes
options and paths
    csv_no_text_column, csv_mapped_column_missing, columns_unknown_key, article_missing,
    article_is_folder, article_empty, thread_id_dotdot, thread_id_newline, thread_id_pooled,
    thread_id_clash, captured_at_not_a_date, out_is_a_file, out_under_a_file, out_not_permitted
CSV records
    csv_unterminated_quote, csv_unterminated_quote_skip, csv_stray_quote, csv_ragged_row,
    csv_ragged_row_skip, csv_cp1252_line, csv_cp1252_line_skip, csv_nul_byte_skip,
    csv_oversized_field_skip, csv_long_field_read, csv_impossible_date, csv_bad_count,
    csv_epoch_milliseconds, csv_formula_cells
JSON records
    ytcd_votes_1e400, ytcd_votes_1e400_skip, ytcd_invalid_json_line_skip,
    ytcd_undecodable_line_skip, ytcd_nul_line_skip, ytcd_lone_surrogate, api_like_count_1e400,
    api_like_count_1e400_skip, api_malformed_page_skip, api_reply_page, api_impossible_date,
    json_mapped_no_text_field, json_mapped_impossible_date, json_mapped_thread_split,
    count_too_large, json_time_huge_integer, ytcd_time_parsed_huge, ytcd_impossible_time,
    ytcd_pretty_cp1252_item_skip, api_document_cp1252_comment_skip, json_array_cp1252_item_skip
corpus flags
    duplicate_source_ids, seed_now_line, captured_at_beats_time_parsed, placeholders_flagged,
    rejects_pseudonymised, invisible_and_bidi_characters
"""

from __future__ import annotations

import json
import os
import re
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analysis import schema as S
from analysis.cli import main
from analysis.errors import DiscourseError
from analysis.ingest.parsers import MAX_FIELD_CHARS
from analysis.ingest.readers import FORMATS
from analysis.ingest.stage import ingest_paths

ARTICLE_TEXT = "# A headline\n\nThe article's one paragraph.\n"


@dataclass
class Outcome:
    status: int
    out: str
    err: str
    out_dir: Path

    @property
    def corpus(self) -> pd.DataFrame:
        return pd.read_parquet(self.out_dir / "corpus.parquet")

    @property
    def comments(self) -> pd.DataFrame:
        corpus = self.corpus
        return corpus[corpus[S.DOC_KIND] == S.COMMENT]

    @property
    def rejects(self) -> pd.DataFrame:
        path = self.out_dir / "rejects.parquet"
        return pd.read_parquet(path) if path.exists() else S.REJECTS.empty()


@dataclass
class Case:
    """One hostile-input class.

    ``build(tmp)`` writes the input and returns ``(argv after 'ingest', records written)``.
    A failing class gives ``message`` (a regex the one-line error must match, after the
    ``discourse ingest: error:`` prefix) and ``names`` (what the line must contain: the file's
    name, the record locator). A reading class gives the expected ``rows`` and ``rejects``;
    ``check`` looks at the outputs further.
    """

    name: str
    build: Callable[[Path], tuple[list[str], int | None]]
    message: str | None = None
    names: tuple[str, ...] = ()
    rows: int | None = None
    rejects: int = 0
    check: Callable[[Outcome], None] | None = None


def _write(tmp: Path, name: str, content: bytes | str) -> Path:
    path = tmp / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _article(tmp: Path) -> str:
    return str(_write(tmp, "article.md", ARTICLE_TEXT))


def _csv(tmp: Path, body: bytes | str, *extra: str, name: str = "in.csv"):
    path = _write(tmp, name, body)
    return [str(path), "--article", _article(tmp), *extra]


def _ytcd(**fields) -> str:
    item = {"cid": "c1", "text": "hello", "time": "2 days ago", "author": "someone"}
    item.update(fields)
    return json.dumps(item)


def _api_comment(cid: str, text: str, **snippet) -> dict:
    snip = {
        "textOriginal": text,
        "authorDisplayName": "Viewer " + cid,
        "publishedAt": "2024-01-02T03:04:05Z",
        "updatedAt": "2024-01-02T03:04:05Z",
        "likeCount": 1,
    }
    snip.update(snippet)
    return {"kind": "youtube#comment", "id": cid, "snippet": snip}


def _api_page(*comments: dict) -> dict:
    return {
        "kind": "youtube#commentThreadListResponse",
        "items": [
            {"kind": "youtube#commentThread", "snippet": {"topLevelComment": c}} for c in comments
        ],
    }


SEED = "A title\n\nA paragraph.\n\n2 days ago\n\nfirst comment\n\n1 day ago\n\nsecond comment\n"

# ------------------------------------------------------------------------------------ the classes


def _fifo(tmp: Path):
    path = tmp / "pipe.csv"
    os.mkfifo(path)
    return [str(path), "--article", _article(tmp)], None


def _out_unwritable(tmp: Path):
    if not Path("/sys").is_dir():
        pytest.skip("needs /sys (Linux) for a folder nobody may write")
    return [*_csv(tmp, "id,text\n1,a\n"), "--out", "/sys/discourse-out"], None


def _check_formulas(o: Outcome) -> None:
    text = (o.out_dir / "corpus.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in text and "'@SUM(A1)" in text and "'+1+1" in text
    assert not re.search(r"(^|,)=HYPERLINK", text, re.MULTILINE)
    raw = o.comments["text_raw"].tolist()
    assert raw[0].startswith("=HYPERLINK(")  # Parquet keeps the exact text


def _check_epoch(o: Outcome) -> None:
    dates = o.comments["published_date"].tolist()
    assert [d.year for d in dates] == [2021, 2021]  # ms and s, not the year 53,000 or 1455


def _check_dup_ids(o: Outcome) -> None:
    c = o.comments
    assert c["is_duplicate_source_id"].tolist() == [False, False, True]
    assert c["parent_id"].iloc[1] == c[S.DOC_ID].iloc[0]
    summary = json.loads((o.out_dir / "ingest_summary.json").read_text(encoding="utf-8"))
    assert summary["totals"]["duplicate_source_ids"] == 1
    assert "repeated source ids 1" in o.out


def _check_now(o: Outcome) -> None:
    assert "now" in o.comments[S.TEXT].iloc[0]


def _check_captured(o: Outcome) -> None:
    dates = o.comments["published_date"].tolist()
    assert [str(d.date()) for d in dates] == ["2024-05-09", "2024-04-10"]
    assert o.comments["is_date_estimated"].all()


def _check_placeholders(o: Outcome) -> None:
    assert o.comments[S.IS_PLACEHOLDER].tolist() == [True, False, True, True, False]
    assert "placeholders 3" in o.out


def _check_private(o: Outcome) -> None:
    raw = " ".join(o.rejects["record_raw"])
    assert "Secret Person" not in raw and "Hidden Name" not in raw
    assert re.search(r"a_[0-9a-f]{12}", raw)


def _check_invisible(o: Outcome) -> None:
    assert o.comments[S.TEXT].tolist() == ["bidi hidden", "zero width"]


def _check_threads(o: Outcome) -> None:
    corpus = o.corpus
    assert corpus[S.THREAD_ID].nunique() == 2
    articles = corpus[corpus[S.DOC_KIND] == S.ARTICLE]
    assert articles["title"].tolist() == ["First story", "Second story"]
    assert articles[S.TEXT].iloc[0] == "First story\n\nIts summary."


def _check_surrogate(o: Outcome) -> None:
    assert o.comments["text_raw"].iloc[0] == "x\ufffdy"


def _check_reply_page(o: Outcome) -> None:
    c = o.comments
    assert c["is_reply"].all() and c["source_id"].tolist() == ["P.r1", "P.r2"]


def _check_long(o: Outcome) -> None:
    assert len(o.comments["text_raw"].iloc[0]) == 200_000


CASES = [
    Case(
        "missing_file",
        lambda t: ([str(t / "nope.csv"), "--article", _article(t)], None),
        r"nope\.csv: file not found",
        ("nope.csv",),
    ),
    Case(
        "folder_input",
        lambda t: ([str(t), "--article", _article(t)], None),
        r": is a folder; expected a file",
    ),
    Case(
        "fifo_input",
        _fifo,
        r"pipe\.csv: is a named pipe \(FIFO\); expected a regular file",
        ("pipe.csv",),
    ),
    Case(
        "device_input",
        lambda t: (["/dev/null", "--article", _article(t)], None),
        r"/dev/null: is a character device; expected a regular file",
        ("/dev/null",),
    ),
    Case("empty_file", lambda t: (_csv(t, b""), None), r"in\.csv: empty file", ("in.csv",)),
    Case("blank_file", lambda t: (_csv(t, b"  \n\t\n"), None), r"in\.csv: empty file"),
    Case("bom_only_file", lambda t: (_csv(t, b"\xef\xbb\xbf\n"), None), r"in\.csv: empty file"),
    Case(
        "binary_file",
        lambda t: (_csv(t, b"PK\x03\x04\x00\x00\x00binary\n"), None),
        r"in\.csv: binary file \(NUL byte at byte offset 4\)",
    ),
    Case(
        "utf16_file",
        lambda t: (_csv(t, "id,text\n1,a\n".encode("utf-16")), None),
        r"in\.csv: the file is UTF-16 encoded; expected UTF-8",
    ),
    Case(
        "undetectable_text",
        lambda t: (_csv(t, "just words\nmore words\n"), None),
        r"in\.csv: cannot detect the format",
    ),
    Case(
        "json_without_comment_fields",
        lambda t: (_csv(t, '{"foo": 1}\n{"foo": 2}\n'), None),
        r"in\.csv: cannot detect the format \(JSON objects without .*--columns text=FIELD",
    ),
    Case(
        "json_unterminated_string_wording",
        lambda t: (_csv(t, '[{"cid": "a", "text": "abc'), None),
        r"in\.csv, line 1: looks like JSON but does not parse \(Unterminated string "
        r"starting at column \d+\)",
        ("line 1",),
    ),
    Case(
        "json_nested_too_deep",
        lambda t: (_csv(t, "[" * 100_000), None),
        r"in\.csv: looks like JSON but does not parse \(JSON nested too deeply\)",
    ),
    Case(
        "wrong_format_override",
        lambda t: ([*_csv(t, "id,text\n1,a\n"), "--format", "youtube-api"], None),
        r"in\.csv: --format youtube-api does not match the content: it looks like csv",
    ),
    Case(
        "seed_without_title",
        lambda t: ([str(_write(t, "s.txt", "\n2 days ago\nhi\n"))], None),
        r"s\.txt, line 2: expected the article title on the first line",
        ("line 2",),
    ),
    Case(
        "seed_undecodable_bytes",
        lambda t: ([str(_write(t, "s.txt", b"T\n\nP\n\n1 day ago\n\ncaf\xe9\n"))], None),
        r"s\.txt, line 7: undecodable bytes \(e9\) at byte 3 of the line",
        ("line 7",),
    ),
    # options and paths
    Case(
        "csv_no_text_column",
        lambda t: (_csv(t, "id,words\n1,a\n"), None),
        r"in\.csv, line 1: no text column; .*available columns: 'id', 'words'",
    ),
    Case(
        "csv_mapped_column_missing",
        lambda t: ([*_csv(t, "id,text\n1,a\n"), "--columns", "text=body"], None),
        r"in\.csv, line 1: column 'body' \(for text\) not found",
    ),
    Case(
        "columns_unknown_key",
        lambda t: ([*_csv(t, "id,text\n1,a\n"), "--columns", "txt=body"], None),
        r"--columns: unknown key 'txt'",
        ("--columns",),
    ),
    Case(
        "article_missing",
        lambda t: ([str(_write(t, "in.csv", "id,text\n1,a\n"))], None),
        r"--article: give one article file per non-seed INPUT.*in\.csv",
        ("in.csv",),
    ),
    Case(
        "article_is_folder",
        lambda t: ([str(_write(t, "in.csv", "id,text\n1,a\n")), "--article", str(t)], None),
        r": is a folder; expected a file",
    ),
    Case(
        "article_empty",
        lambda t: (
            [
                str(_write(t, "in.csv", "id,text\n1,a\n")),
                "--article",
                str(_write(t, "a.md", "\n\n")),
            ],
            None,
        ),
        r"a\.md: empty file",
        ("a.md",),
    ),
    Case(
        "thread_id_dotdot",
        lambda t: ([*_csv(t, "id,text\n1,a\n"), "--thread-id", ".."], None),
        r"in\.csv: thread id '\.\.' is not usable \(not a safe name\)",
        ("in.csv",),
    ),
    Case(
        "thread_id_newline",
        lambda t: ([*_csv(t, "id,text\n1,a\n"), "--thread-id", "a\nb"], None),
        r"in\.csv: thread id 'a\\nb' is not usable",
    ),
    Case(
        "thread_id_pooled",
        lambda t: ([*_csv(t, "id,text\n1,a\n"), "--thread-id", "pooled"], None),
        r"in\.csv: thread id 'pooled' is not usable \(a reserved word\)",
    ),
    Case(
        "thread_id_clash",
        lambda t: (
            [
                str(_write(t, "s.txt", SEED)),
                str(_write(t, "s2.txt", SEED)),
                "--thread-id",
                "x",
                "--thread-id",
                "x",
            ],
            None,
        ),
        r"thread id 'x' is used by both .*s\.txt and .*s2\.txt",
        ("s2.txt",),
    ),
    Case(
        "captured_at_not_a_date",
        lambda t: ([str(_write(t, "s.txt", SEED)), "--captured-at", "soon"], None),
        r"--captured-at: expected an ISO date",
        ("--captured-at",),
    ),
    Case(
        "out_is_a_file",
        lambda t: ([*_csv(t, "id,text\n1,a\n"), "--out", str(_write(t, "out.txt", "x"))], None),
        r"out\.txt: is a file, or lies under one; expected a folder",
        ("out.txt",),
    ),
    Case(
        "out_under_a_file",
        lambda t: ([*_csv(t, "id,text\n1,a\n"), "--out", str(_write(t, "f", "x")) + "/sub"], None),
        r"f/sub: is a file, or lies under one; expected a folder",
        ("f/sub",),
    ),
    Case(
        "out_not_permitted",
        _out_unwritable,
        r"/sys/discourse-out: (permission denied|cannot write \(.+\)); expected a writable folder",
    ),
    # CSV records
    Case(
        "csv_unterminated_quote",
        lambda t: (_csv(t, 'id,text\n1,one\n2,"two\n3,three\n'), 3),
        r"in\.csv, line 3: unterminated quoted field: a quote opened in the record on line 3 "
        r"is never closed \(lines 3-4, to the end of the file\)",
        ("line 3",),
    ),
    Case(
        "csv_unterminated_quote_skip",
        lambda t: (_csv(t, 'id,text\n1,one\n2,"two\n3,three\n', "--on-error", "skip"), 3),
        rows=2,
        rejects=1,
    ),
    Case(
        "csv_stray_quote",
        lambda t: (_csv(t, 'id,text\n1,"he said "hi" ok"\n2,b\n'), 2),
        r"in\.csv, line 2: malformed quoting",
        ("line 2",),
    ),
    Case(
        "csv_ragged_row",
        lambda t: (_csv(t, "id,text\n1,a\n2,b,extra\n"), 2),
        r"in\.csv, line 3: expected 2 fields \(as in the header\), found 3",
        ("line 3",),
    ),
    Case(
        "csv_ragged_row_skip",
        lambda t: (_csv(t, "id,text\n1,a\n2,b,extra\n3\n4,d\n5,e\n6,f\n", "--on-error", "skip"), 6),
        rows=4,
        rejects=2,
    ),
    Case(
        "csv_cp1252_line",
        lambda t: (_csv(t, b"id,text\n1,ok\n2,caf\xe9\n3,fine\n"), 3),
        r"in\.csv, line 3: undecodable bytes \(e9\) at byte 5 of the line \(byte offset 18",
        ("line 3",),
    ),
    Case(
        "csv_cp1252_line_skip",
        lambda t: (_csv(t, b"id,text\n1,ok\n2,caf\xe9\n3,fine\n", "--on-error", "skip"), 3),
        rows=2,
        rejects=1,
    ),
    Case(
        "csv_nul_byte_skip",
        lambda t: (_csv(t, b"id,text\n1,ok\n2,a\x00b\n3,fine\n4,x\n", "--on-error", "skip"), 4),
        rows=3,
        rejects=1,
    ),
    Case(
        "csv_oversized_field_skip",
        lambda t: (
            _csv(
                t,
                "id,text\n1,ok\n2," + "x" * (MAX_FIELD_CHARS + 1) + "\n3,fine\n",
                "--on-error",
                "skip",
            ),
            3,
        ),
        rows=2,
        rejects=1,
    ),
    Case(
        "csv_long_field_read",
        lambda t: (_csv(t, 'id,text\n1,"' + "y" * 200_000 + '"\n'), 1),
        rows=1,
        check=_check_long,
    ),
    Case(
        "csv_impossible_date",
        lambda t: (_csv(t, "id,time,text\n1,2024-01-01,a\n2,2099-13-45,b\n"), 2),
        r"in\.csv, line 3: column 'time': impossible date '2099-13-45'",
        ("line 3",),
    ),
    Case(
        "csv_bad_count",
        lambda t: (_csv(t, "id,likes,text\n1,lots,a\n"), 1),
        r"in\.csv, line 2: column 'likes': expected a count",
        ("line 2",),
    ),
    Case(
        "csv_epoch_milliseconds",
        lambda t: (_csv(t, "id,time,text\n1,1637000000000,a\n2,1637000000,b\n"), 2),
        rows=2,
        check=_check_epoch,
    ),
    Case(
        "csv_formula_cells",
        lambda t: (
            _csv(
                t,
                'id,author,text\n1,@SUM(A1),"=HYPERLINK(""http://x"",""y"")"\n2,-x,+1+1\n',
                "--csv",
                "--keep-author-names",
            ),
            2,
        ),
        rows=2,
        check=_check_formulas,
    ),
    # JSON records
    Case(
        "ytcd_votes_1e400",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "y.jsonl",
                        _ytcd()
                        + "\n"
                        + _ytcd(cid="c2").replace('"hello"', '"hello", "votes": 1e400')
                        + "\n",
                    )
                ),
                "--article",
                _article(t),
            ],
            2,
        ),
        r"y\.jsonl, line 2: field 'votes': expected a count, found inf",
        ("line 2",),
    ),
    Case(
        "ytcd_votes_1e400_skip",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "y.jsonl",
                        _ytcd()
                        + "\n"
                        + _ytcd(cid="c2").replace('"hello"', '"hello", "votes": 1e400')
                        + "\n",
                    )
                ),
                "--article",
                _article(t),
                "--on-error",
                "skip",
            ],
            2,
        ),
        rows=1,
        rejects=1,
    ),
    Case(
        "ytcd_invalid_json_line_skip",
        lambda t: (
            [
                str(
                    _write(
                        t, "y.jsonl", _ytcd() + '\n{"cid": "b", "text": \n' + _ytcd(cid="c3") + "\n"
                    )
                ),
                "--article",
                _article(t),
                "--on-error",
                "skip",
            ],
            3,
        ),
        rows=2,
        rejects=1,
    ),
    Case(
        "ytcd_undecodable_line_skip",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "y.jsonl",
                        _ytcd().encode()
                        + b"\n"
                        + _ytcd(cid="c2").encode().replace(b"hello", b"h\xe9llo"),
                    )
                ),
                "--article",
                _article(t),
                "--on-error",
                "skip",
            ],
            2,
        ),
        rows=1,
        rejects=1,
    ),
    Case(
        "ytcd_nul_line_skip",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "y.jsonl",
                        _ytcd() + "\n" + _ytcd(cid="c2") + "\x00\n" + _ytcd(cid="c3") + "\n",
                    )
                ),
                "--article",
                _article(t),
                "--on-error",
                "skip",
            ],
            3,
        ),
        rows=2,
        rejects=1,
    ),
    Case(
        "ytcd_lone_surrogate",
        lambda t: (
            [
                str(_write(t, "y.jsonl", '{"cid": "a", "text": "x\\ud83dy"}\n')),
                "--article",
                _article(t),
            ],
            1,
        ),
        rows=1,
        check=_check_surrogate,
    ),
    Case(
        "api_like_count_1e400",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "api.json",
                        json.dumps(
                            _api_page(_api_comment("A", "ok"), _api_comment("B", "big"))
                        ).replace('"likeCount": 1}}}}]', '"likeCount": 1e400}}}}]'),
                    )
                ),
                "--article",
                _article(t),
            ],
            2,
        ),
        r"api\.json, comment 2: page 1 items\[1\]\.snippet\.topLevelComment: likeCount: "
        r"expected a count",
        ("comment 2",),
    ),
    Case(
        "api_like_count_1e400_skip",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "api.json",
                        json.dumps(
                            _api_page(_api_comment("A", "ok"), _api_comment("B", "big"))
                        ).replace('"likeCount": 1}}}}]', '"likeCount": 1e400}}}}]'),
                    )
                ),
                "--article",
                _article(t),
                "--on-error",
                "skip",
            ],
            2,
        ),
        rows=1,
        rejects=1,
    ),
    Case(
        "api_malformed_page_skip",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "api.json",
                        json.dumps(
                            [
                                _api_page(_api_comment("A", "a"), _api_comment("B", "b")),
                                {"kind": "youtube#commentThreadListResponse", "items": "broken"},
                                _api_page(_api_comment("C", "c")),
                            ]
                        ),
                    )
                ),
                "--article",
                _article(t),
                "--on-error",
                "skip",
            ],
            4,
        ),
        rows=3,
        rejects=1,
    ),
    Case(
        "api_reply_page",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "replies.json",
                        json.dumps(
                            {
                                "kind": "youtube#commentListResponse",
                                "items": [
                                    _api_comment("P.r1", "one", parentId="P"),
                                    _api_comment("P.r2", "two", parentId="P"),
                                ],
                            }
                        ),
                    )
                ),
                "--article",
                _article(t),
            ],
            2,
        ),
        rows=2,
        check=_check_reply_page,
    ),
    Case(
        "api_impossible_date",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "api.json",
                        json.dumps(
                            _api_page(_api_comment("A", "a", publishedAt="2024-02-30T00:00:00Z"))
                        ),
                    )
                ),
                "--article",
                _article(t),
            ],
            1,
        ),
        r"api\.json, comment 1: .*publishedAt: impossible date '2024-02-30T00:00:00Z'",
        ("comment 1",),
    ),
    Case(
        "json_mapped_no_text_field",
        lambda t: (
            [
                str(_write(t, "j.jsonl", '{"body": "a"}\n{"words": "b"}\n')),
                "--columns",
                "text=body",
                "--article",
                _article(t),
            ],
            2,
        ),
        r"j\.jsonl, line 2: no text field 'body'; fields present: 'words'",
        ("line 2",),
    ),
    Case(
        "json_mapped_impossible_date",
        lambda t: (
            [
                str(_write(t, "j.jsonl", '{"text": "a", "date": "2099-13-45"}\n')),
                "--article",
                _article(t),
            ],
            1,
        ),
        r"j\.jsonl, line 1: field 'date': impossible date '2099-13-45'",
        ("line 1",),
    ),
    Case(
        "json_mapped_thread_split",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "fox.jsonl",
                        "\n".join(
                            json.dumps(r)
                            for r in [
                                {
                                    "title": "First story",
                                    "meta": "Its summary.",
                                    "text": "c1",
                                    "user": "u1",
                                },
                                {
                                    "title": "Second story",
                                    "meta": "Other.",
                                    "text": "c2",
                                    "user": "u2",
                                },
                                {
                                    "title": "First story",
                                    "meta": "Its summary.",
                                    "text": "c3",
                                    "user": "u3",
                                },
                            ]
                        )
                        + "\n",
                    )
                ),
                "--columns",
                "text=text,author=user,thread=title,article_title=title,article_text=meta",
            ],
            3,
        ),
        rows=3,
        check=_check_threads,
    ),
    Case(
        "count_too_large",
        lambda t: (_csv(t, "id,likes,text\n1,99999999999999999999999,a\n"), 1),
        r"in\.csv, line 2: column 'likes': expected a count, found .* \(too large\)",
        ("line 2",),
    ),
    Case(
        "json_time_huge_integer",
        lambda t: (
            [
                str(_write(t, "j.jsonl", '{"text": "a", "time": 1' + "0" * 400 + "}\n")),
                "--article",
                _article(t),
            ],
            1,
        ),
        r"j\.jsonl, line 1: field 'time': expected epoch seconds or milliseconds",
        ("line 1",),
    ),
    Case(
        "ytcd_time_parsed_huge",
        lambda t: (
            [
                str(_write(t, "y.jsonl", _ytcd(time_parsed=10**400) + "\n")),
                "--article",
                _article(t),
            ],
            1,
        ),
        r"y\.jsonl, line 1: field 'time_parsed': expected epoch seconds",
        ("line 1",),
    ),
    Case(
        "ytcd_impossible_time",
        lambda t: (
            [
                str(_write(t, "y.jsonl", _ytcd(time="2023-02-30 10:00") + "\n")),
                "--article",
                _article(t),
            ],
            1,
        ),
        r"y\.jsonl, line 1: field 'time': impossible date '2023-02-30 10:00'",
        ("line 1",),
    ),
    Case(
        "ytcd_pretty_cp1252_item_skip",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "p.json",
                        json.dumps(
                            {
                                "comments": [
                                    {"cid": "a", "text": "ok"},
                                    {"cid": "b", "text": "CAFE"},
                                    {"cid": "c", "text": "fine"},
                                ]
                            },
                            indent=1,
                        )
                        .encode()
                        .replace(b"CAFE", b"caf\xe9"),
                    )
                ),
                "--article",
                _article(t),
                "--on-error",
                "skip",
            ],
            3,
        ),
        rows=2,
        rejects=1,
    ),
    Case(
        "api_document_cp1252_comment_skip",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "api.json",
                        json.dumps(
                            _api_page(_api_comment("A", "ok"), _api_comment("B", "CAFE")), indent=1
                        )
                        .encode()
                        .replace(b"CAFE", b"caf\xe9"),
                    )
                ),
                "--article",
                _article(t),
                "--on-error",
                "skip",
            ],
            2,
        ),
        rows=1,
        rejects=1,
    ),
    Case(
        "json_array_cp1252_item_skip",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "arr.json",
                        json.dumps([{"text": "ok"}, {"text": "CAFE"}, {"text": "x"}], indent=1)
                        .encode()
                        .replace(b"CAFE", b"caf\xe9"),
                    )
                ),
                "--article",
                _article(t),
                "--on-error",
                "skip",
            ],
            3,
        ),
        rows=2,
        rejects=1,
    ),
    # corpus flags
    Case(
        "duplicate_source_ids",
        lambda t: (_csv(t, "id,parent,text\nA,,first\nB,A,reply\nA,,second with A's id\n"), 3),
        rows=3,
        check=_check_dup_ids,
    ),
    Case(
        "seed_now_line",
        lambda t: ([str(_write(t, "s.txt", "T\n\nP\n\n2 days ago\n\nright\nnow\nit is\n"))], 1),
        rows=1,
        check=_check_now,
    ),
    Case(
        "captured_at_beats_time_parsed",
        lambda t: (
            [
                str(
                    _write(
                        t,
                        "y.jsonl",
                        "\n".join(
                            [
                                _ytcd(time="1 day ago", time_parsed=1_000_000_000),
                                _ytcd(cid="c2", time="1 month ago", time_parsed=1_000_000_000),
                            ]
                        )
                        + "\n",
                    )
                ),
                "--article",
                _article(t),
                "--captured-at",
                "2024-05-10",
            ],
            2,
        ),
        rows=2,
        check=_check_captured,
    ),
    Case(
        "placeholders_flagged",
        lambda t: (
            _csv(
                t,
                "id,text\n1,[deleted]\n2,they deleted my comment!\n"
                "3,This comment has been deleted\n4,Removed by a moderator.\n5,ok\n",
            ),
            5,
        ),
        rows=5,
        check=_check_placeholders,
    ),
    Case(
        "rejects_pseudonymised",
        lambda t: (
            _csv(
                t,
                "id,author,likes,text\n1,Secret Person,x,a\n2,Hidden Name,1,b,c\n3,ok,1,c\n",
                "--on-error",
                "skip",
            ),
            3,
        ),
        rows=1,
        rejects=2,
        check=_check_private,
    ),
    Case(
        "invisible_and_bidi_characters",
        lambda t: (_csv(t, "id,text\n1,\u202ebidi\u202c hidden\n2,zero\u200b width\ufeff\n"), 2),
        rows=2,
        check=_check_invisible,
    ),
]
CLASSES = [c.name for c in CASES]


def test_the_module_lists_every_class():
    listed = re.findall(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b", __doc__.split("Classes covered")[1])
    assert sorted(listed) == sorted(CLASSES)
    assert len(set(CLASSES)) == len(CLASSES) >= 45


@pytest.fixture
def no_hang():
    def alarm(signum, frame):
        raise AssertionError("ingest hung for 20 s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("case", CASES, ids=CLASSES)
def test_hostile_class(case: Case, tmp_path, capsys, no_hang):
    argv, written = case.build(tmp_path)
    out_dir = tmp_path / "out"
    if "--out" not in argv:
        argv = [*argv, "--out", str(out_dir)]
    status = main(["ingest", *argv])
    captured = capsys.readouterr()
    outcome = Outcome(status, captured.out, captured.err, out_dir)
    assert "Traceback" not in captured.out + captured.err
    if case.message is not None:
        assert status == 2, captured
        assert captured.err.count("\n") == 1, captured.err
        line = captured.err.removeprefix("discourse ingest: error: ")
        assert line != captured.err, captured.err
        assert re.search(case.message, line), line
        for name in case.names:
            assert name in line, (name, line)
        return
    assert status == 0, captured
    comments, rejects = len(outcome.comments), len(outcome.rejects)
    assert (comments, rejects) == (case.rows, case.rejects)
    assert written is not None and comments + rejects == written
    for reason, record in zip(
        outcome.rejects["reason"], outcome.rejects["source_record"], strict=True
    ):
        assert "\n" not in reason and reason.strip() and record >= 1
    if case.check is not None:
        case.check(outcome)


# ------------------------------------------- input records == rows + rejects, from the generator

_CSV_FAULTS = {
    "ok": lambda i: f"{i},fine text {i},2".encode(),
    "quoted": lambda i: f'{i},"multi\nline, {i}",3'.encode(),
    "ragged": lambda i: f"{i},a,b,c".encode(),
    "cp1252": lambda i: f"{i},caf".encode() + b"\xe9,1",
    "nul": lambda i: f"{i},a".encode() + b"\x00b,1",
    "bad_count": lambda i: f"{i},text,many".encode(),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(st.sampled_from(sorted(_CSV_FAULTS)), min_size=1, max_size=12),
    unterminated_last=st.booleans(),
)
def test_csv_records_equal_rows_plus_rejects(tmp_path_factory, kinds, unterminated_last):
    assume(kinds.count("nul") <= 1)  # NULs on many lines make a binary file (a file error)
    tmp = tmp_path_factory.mktemp("csvprop")
    lines = [b"id,text,likes"]
    for i, kind in enumerate(kinds, start=1):
        lines.append(_CSV_FAULTS[kind](i))
    written = len(kinds)
    if unterminated_last:
        lines.append(f'{written + 1},"never closed,1'.encode())
        written += 1
    path = tmp / "gen.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    article = _write(tmp, "a.md", ARTICLE_TEXT)
    # The format is named: a file of only ragged rows is not recognisably CSV to detection.
    result = ingest_paths([path], fmt="csv", articles=[article], on_error="skip")
    rows = int((result.corpus[S.DOC_KIND] == S.COMMENT).sum())
    bad = sum(k not in ("ok", "quoted") for k in kinds) + unterminated_last
    assert rows + len(result.rejects) == written
    assert len(result.rejects) == bad


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(
        st.sampled_from(["ok", "json", "count", "text", "bytes", "nul"]), min_size=1, max_size=12
    )
)
def test_json_lines_records_equal_rows_plus_rejects(tmp_path_factory, kinds):
    assume(kinds.count("nul") <= 1)  # NULs on many lines make a binary file (a file error)
    tmp = tmp_path_factory.mktemp("jsonprop")
    make = {
        "ok": lambda i: _ytcd(cid=f"c{i}").encode(),
        "json": lambda i: b'{"cid": "x", "text": ',
        "count": lambda i: _ytcd(cid=f"c{i}").replace('"hello"', '"hi", "votes": 1e400').encode(),
        "text": lambda i: json.dumps({"cid": f"c{i}"}).encode(),
        "bytes": lambda i: _ytcd(cid=f"c{i}").encode().replace(b"hello", b"h\xe9llo"),
        "nul": lambda i: _ytcd(cid=f"c{i}").encode() + b"\x00",
    }
    lines = [_ytcd(cid="c0").encode()] + [make[k](i) for i, k in enumerate(kinds, start=1)]
    path = tmp / "gen.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    article = _write(tmp, "a.md", ARTICLE_TEXT)
    result = ingest_paths([path], articles=[article], on_error="skip")
    rows = int((result.corpus[S.DOC_KIND] == S.COMMENT).sum())
    assert rows + len(result.rejects) == len(lines)
    assert len(result.rejects) == sum(k != "ok" for k in kinds)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pages=st.lists(
        st.one_of(st.integers(0, 3), st.sampled_from(["bad", "none"])), min_size=1, max_size=6
    )
)
def test_api_pages_records_equal_rows_plus_rejects(tmp_path_factory, pages):
    tmp = tmp_path_factory.mktemp("apiprop")
    doc, written, n = [], 0, 0
    for page in pages:
        if page == "bad":
            doc.append({"kind": "youtube#commentThreadListResponse", "items": {"x": 1}})
            written += 1
        elif page == "none":
            doc.append("not a page")
            written += 1
        else:
            comments = []
            for _ in range(page):
                n += 1
                comments.append(_api_comment(f"id{n}", f"text {n}"))
            doc.append(_api_page(*comments))
            written += page
    path = _write(tmp, "pages.json", json.dumps(doc))
    article = _write(tmp, "a.md", ARTICLE_TEXT)
    result = ingest_paths([path], fmt="youtube-api", articles=[article], on_error="skip")
    rows = int((result.corpus[S.DOC_KIND] == S.COMMENT).sum())
    assert rows + len(result.rejects) == written
    assert rows == n


_MAPPED = {
    "ok": lambda i: {"body": f"comment {i}", "who": f"u{i}", "when": 1706702400 + i},
    "no_text": lambda i: {"who": f"u{i}"},
    "bad_count": lambda i: {"body": "x", "votes": -3},
    "impossible_date": lambda i: {"body": "x", "when": "2099-13-45"},
    "not_object": lambda i: [i],
    "bytes": lambda i: {"body": "CAFE"},
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(st.sampled_from(sorted(_MAPPED)), min_size=1, max_size=12),
    as_array=st.booleans(),
    threads=st.booleans(),
)
def test_generic_json_records_equal_rows_plus_rejects(tmp_path_factory, kinds, as_array, threads):
    tmp = tmp_path_factory.mktemp("mappedprop")
    items = [_MAPPED["ok"](0)] + [_MAPPED[k](i) for i, k in enumerate(kinds, start=1)]
    for i, item in enumerate(items):
        if threads and isinstance(item, dict):
            item["story"] = f"Story {i % 3}"
    if as_array:
        data = json.dumps(items, indent=1).encode()
    else:
        data = b"\n".join(json.dumps(item).encode() for item in items) + b"\n"
    path = tmp / "gen.json"
    path.write_bytes(data.replace(b"CAFE", b"caf\xe9"))
    columns = "text=body,author=who,time=when,likes=votes" + (
        ",thread=story,article_title=story" if threads else ""
    )
    article = _write(tmp, "a.md", ARTICLE_TEXT)
    result = ingest_paths(
        [path],
        fmt="json",
        articles=[] if threads else [article],
        on_error="skip",
        column_map=columns,
    )
    rows = int((result.corpus[S.DOC_KIND] == S.COMMENT).sum())
    bad = sum(k != "ok" for k in kinds)
    assert rows + len(result.rejects) == len(items)
    assert len(result.rejects) == bad


# ------------------------------------------------------- arbitrary bytes, once per reader format

_PREFIX = {
    "seed": b"Title\n\nParagraph.\n\n2 days ago\n\n",
    "csv": b"id,text,likes,time\n",
    "youtube-jsonl": b'{"cid": "a", "text": "t"}\n',
    "youtube-api": b'{"kind": "youtube#commentThreadListResponse", "items": [',
    "json": b'{"text": "t", "author": "x"}\n',
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_arbitrary_bytes_each_reader(fmt, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"bytes-{fmt}")
    article = _write(tmp, "a.md", ARTICLE_TEXT)

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        tail=st.binary(max_size=300)
        | st.lists(
            st.sampled_from(
                [
                    b",",
                    b'"',
                    b"\n",
                    b"\r",
                    b"\x00",
                    b"\xe9",
                    b"{",
                    b"}",
                    b"1e400",
                    b"2099-13-45",
                    b"now",
                    b"a",
                    b"[deleted]",
                ]
            ),
            max_size=40,
        ).map(b"".join),
        on_error=st.sampled_from(["stop", "skip"]),
    )
    def run(tail, on_error):
        path = tmp / "in.bin"
        path.write_bytes(_PREFIX[fmt] + tail)
        try:
            result = ingest_paths(
                [path],
                fmt=fmt,
                articles=[] if fmt == "seed" else [article],
                on_error=on_error,
                column_map="text=text" if fmt == "json" else None,
            )
        except DiscourseError as exc:
            assert str(exc).strip()
            return
        rows = int((result.corpus[S.DOC_KIND] == S.COMMENT).sum())
        assert result.summary["totals"]["input_records"] == rows + len(result.rejects)

    run()
