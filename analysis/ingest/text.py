"""Text normalisation shared by every reader: the ``text`` column is ``normalise_text(text_raw)``.

Normalisation is for analysis only; the corpus keeps the source's exact text in ``text_raw``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache

#: Invisible format characters (Unicode category Cf) that are kept: the zero-width joiner and
#: non-joiner shape emoji sequences and Indic/Persian scripts.
KEPT_FORMAT_CHARS = frozenset({"\u200c", "\u200d"})
#: Tag characters U+E0020..U+E007F are Cf too but spell emoji tag sequences (subdivision flags).
_TAG_RANGE = range(0xE0020, 0xE0080)

_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_SPACES = re.compile(r"[ \t]+")
_BLANK_RUNS = re.compile(r"\n{3,}")


# Planes that hold Cc/Cf/Zs characters (BMP, SMP, SIP, TIP; tags in plane 14); the others are
# unassigned or private use, so the table is built in a fraction of the time of a full scan.
_SCAN = (range(0, 0x40000), range(0xE0000, 0xE1000))


@cache
def _translation() -> tuple[dict[int, str | None], re.Pattern[str], re.Pattern[str]]:
    """Removed characters -> None, line/space variants -> '\\n' / ' '; and a pattern finding any.

    Built once, on first use.
    """
    table: dict[int, str | None] = {}
    for block in _SCAN:
        for cp in block:
            ch = chr(cp)
            cat = unicodedata.category(ch)
            if cat == "Cf" and ch not in KEPT_FORMAT_CHARS and cp not in _TAG_RANGE:
                table[cp] = None
            elif cat == "Zs" and ch != " ":
                table[cp] = " "
            elif cat == "Cc" and ch not in "\n\t":
                table[cp] = None
    # Characters Python treats as line breaks become newlines rather than vanishing.
    for ch in "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028":
        table[ord(ch)] = "\n"
    table[0x2029] = "\n\n"
    # Two patterns: a class of BMP characters compiles to a fast bitmap; astral ones (a few
    # format characters) are looked for only in texts that hold astral characters (emoji).
    bmp = re.compile(
        "[" + "".join(re.escape(chr(cp)) for cp in sorted(table) if cp < 0x10000) + "]"
    )
    astral = re.compile(
        "[" + "".join(re.escape(chr(cp)) for cp in sorted(table) if cp >= 0x10000) + "]"
    )
    return table, bmp, astral


def _clean_chars(text: str, *, astral: bool = True) -> str:
    """Apply the translation table by regex substitution (faster than ``str.translate`` with a
    large table: only the few matching characters cost a call)."""
    table, bmp_pattern, astral_pattern = _translation()

    def repl(m: re.Match[str]) -> str:
        return table[ord(m.group())] or ""

    text = bmp_pattern.sub(repl, text)
    return astral_pattern.sub(repl, text) if astral else text


def _unescape_entity(match: re.Match[str]) -> str:
    return html.unescape(match.group(0))


def normalise_text(raw: str, *, html_markup: bool = False) -> str:
    """Return ``raw`` tidied for analysis.

    Steps: line endings to ``\\n``; HTML character references (``&amp;``, ``&#39;``; only the
    terminated ``&...;`` form, so ``AT&T`` is untouched) unescaped; invisible format characters
    removed (BOM U+FEFF, zero-width space U+200B, word joiner U+2060, bidi marks, soft hyphens,
    control characters) except the zero-width (non-)joiner and emoji tag characters; other space
    characters (no-break space, ...) become plain spaces; Unicode NFC; runs of spaces and tabs
    collapsed to one space; each line stripped; at most one blank line between paragraphs; the
    whole stripped. Emoji are kept.

    Args:
        raw: the text as the source held it.
        html_markup: the text is HTML (YouTube API ``textDisplay``): ``<br>`` becomes a newline and
            other tags are removed before entities are unescaped.

    Returns:
        The normalised text ("" when nothing visible is left). Paragraphs are separated by exactly
        ``"\\n\\n"``.
    """
    text = raw.replace("\r\n", "\n")
    if html_markup:
        text = _TAG.sub("", _BREAK_TAG.sub("\n", text))
    if "&" in text:
        text = _ENTITY.sub(_unescape_entity, text)
    if not text.isascii():
        _, bmp, astral = _translation()
        has_astral = len(text.encode("utf-16-le", errors="surrogatepass")) != 2 * len(text)
        if bmp.search(text) or (has_astral and astral.search(text)):
            text = _clean_chars(text, astral=has_astral)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    elif _ASCII_CONTROL.search(text):
        text = _clean_chars(text, astral=False)
    if "\t" in text or "  " in text:
        text = _SPACES.sub(" ", text)
    if "\n" in text:
        text = "\n".join(line.strip(" ") for line in text.split("\n"))
        text = _BLANK_RUNS.sub("\n\n", text)
    return text.strip(" \n")


def is_blank(text: str) -> bool:
    """True when ``text`` has no visible character once normalised."""
    return not normalise_text(text)


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the paragraphs of a normalised text.

    Paragraphs are separated by ``"\\n\\n"`` (as :func:`normalise_text` guarantees); an empty text
    has none.
    """
    spans, start = [], 0
    if not text:
        return spans
    for block in text.split("\n\n"):
        if block:
            spans.append((start, start + len(block)))
        start += len(block) + 2
    return spans
