"""normalise_text: what the ``text`` column holds."""

from __future__ import annotations

import unicodedata

import pytest

from analysis.ingest.text import is_blank, normalise_text, split_paragraphs


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\ufeffhello", "hello"),
        ("zero\u200bwidth\u2060joiner", "zerowidthjoiner"),
        ("soft\u00adhyphen and \u200emark", "softhyphen and mark"),
        ("Tom &amp; Jerry &quot;hi&quot; &#39;x&#39; &#x1F600;", "Tom & Jerry \"hi\" 'x' 😀"),
        ("AT&T and R&D &unknownentity; stay", "AT&T and R&D &unknownentity; stay"),
        ("no\u00a0break\u3000space", "no break space"),
        ("  many   spaces\tand\t\ttabs  ", "many spaces and tabs"),
        ("line one   \r\nline two\rline three", "line one\nline two\nline three"),
        ("para one\n\n\n\n\npara two", "para one\n\npara two"),
        ("para one\n  \n \t \npara two", "para one\n\npara two"),
        ("\n\n  text  \n\n", "text"),
        ("", ""),
        ("\u200b\ufeff \n\t ", ""),
        ("ctrl\x00\x07chars\x0cform feed", "ctrlchars\nform feed"),
    ],
)
def test_normalise_text(raw, expected):
    assert normalise_text(raw) == expected


def test_emoji_and_joiners_are_kept():
    family = "👨\u200d👩\u200d👧"  # ZWJ sequence
    skin = "👍🏽"
    flag = "🇵🇸"
    heart = "❤\ufe0f"  # variation selector
    england = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"  # tag sequence
    text = f"{family} {skin} {flag} {heart} {england}"
    assert normalise_text(text) == text
    assert normalise_text("می\u200cخواهم") == "می\u200cخواهم"  # ZWNJ in Persian


def test_nfc():
    decomposed = "Cafe\u0301 Ångström"
    out = normalise_text(decomposed)
    assert out == unicodedata.normalize("NFC", decomposed)
    assert "\u0301" not in out


def test_entities_are_unescaped_once():
    assert normalise_text("&amp;lt;") == "&lt;"


def test_html_markup_mode():
    raw = 'Line one<br>Line two<br/><br />see <a href="https://x.example/">link</a> &lt;b&gt;'
    assert normalise_text(raw, html_markup=True) == "Line one\nLine two\n\nsee link <b>"
    # Without the flag, tags are text: a literal "<br>" in a plain comment is kept.
    assert normalise_text("a <br> b") == "a <br> b"


def test_idempotent_on_examples():
    for raw in ["\ufeffa &amp; b\r\n\r\n\r\nc  d", "x\u00a0\u00a0y", "e\u0301\u200b"]:
        once = normalise_text(raw)
        assert normalise_text(once) == once


def test_is_blank():
    assert is_blank("")
    assert is_blank(" \n\t\u200b\ufeff ")
    assert not is_blank("👍")
    assert not is_blank(" a ")


def test_split_paragraphs_spans_slice_back():
    text = normalise_text("first\nstill first\n\n\nsecond\n\nthird")
    spans = split_paragraphs(text)
    assert [text[a:b] for a, b in spans] == ["first\nstill first", "second", "third"]
    assert split_paragraphs("") == []
