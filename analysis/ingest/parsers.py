"""Parsers every reader shares, so the same bad value gets the same treatment in every format.

- Counts: :func:`parse_count` (``'1.2K'`` -> 1200; rejects negatives, fractions, infinities and
  counts beyond a 64-bit integer, such as a JSON ``1e400``).
- Times: :func:`parse_relative_time` (``'6 months ago'``), :func:`parse_time` (ISO 8601, a few
  common written forms, epoch seconds/milliseconds/microseconds told apart by magnitude) and
  :func:`parse_time_field`, the one entry point for a record's time value: impossible dates
  (``2099-13-45``) raise the same message whichever reader found them.
- Text: :func:`check_text` (field length limit, NUL bytes, undecodable bytes kept as surrogate
  escapes), :func:`scrub_surrogates` and :func:`loads` (lone surrogates from broken JSON
  escapes become U+FFFD), :func:`json_error` (one wording for JSON syntax errors) and
  :func:`split_lines`. Normalisation for analysis is :func:`analysis.ingest.text.normalise_text`,
  applied by the corpus builder.

Every parser raises ``ValueError`` with a message that says what was expected; readers add the
file and record and turn it into an :class:`~analysis.errors.InputError` or a reject.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

#: Longest text field a reader accepts (characters); a longer one rejects its record. Far beyond
#: any real comment (a 200 KB comment reads), it bounds memory on a hostile file.
MAX_FIELD_CHARS = 10_000_000

# ------------------------------------------------------------------------------------------ counts

_COUNT = re.compile(r"(?P<num>\d+(?:[.,]\d+)?)\s*(?P<suffix>[KkMmBb]?)")
_SUFFIX = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
_MAX_COUNT = 2**63 - 1


def parse_count(value: Any) -> int | None:
    """Expand a like/vote count: ``'1.2K'`` -> 1200, ``'3M'`` -> 3000000, ``'1,234'`` -> 1234.

    Returns:
        The count, or ``None`` for ``None``/``""`` (unknown).

    Raises:
        ValueError: not a count (negative, fractional, infinite, NaN, not a number) or too large
            for a 64-bit integer.
    """
    count = _parse_count(value)
    if count is not None and count > _MAX_COUNT:
        raise ValueError(f"expected a count, found {_show(value)} (too large)")
    return count


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _parse_count(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a count, found {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"expected a count, found {_show(value)}")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"expected a count, found {value!r} (not a finite number)")
        if value < 0 or value != int(value):
            raise ValueError(f"expected a whole count, found {value!r}")
        return int(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a count such as '12' or '1.2K', found {type(value).__name__}")
    if value.isascii() and value.isdigit():
        if len(value) > 19:
            raise ValueError(f"expected a count, found {_show(value)} (too large)")
        return int(value)
    s = value.strip()
    if not s:
        return None
    match = _COUNT.fullmatch(s) if len(s) <= 40 else None
    if match is None:
        raise ValueError(f"expected a count such as '12', '1.2K' or '3M', found {_show(value)}")
    num, suffix = match.group("num"), match.group("suffix").lower()
    if "," in num and not suffix and re.fullmatch(r"\d{1,3},\d{3}", num):
        return int(num.replace(",", ""))
    num = num.replace(",", ".")
    whole, _, frac = num.partition(".")
    scale = _SUFFIX[suffix]
    if frac and len(frac) > len(str(scale)) - 1:
        raise ValueError(f"expected a count such as '12', '1.2K' or '3M', found {_show(value)}")
    # Integer arithmetic: '1.2K' must give exactly 1200.
    return int(whole) * scale + (int(frac) * scale // 10 ** len(frac) if frac else 0)


# ---------------------------------------------------------------------------------- relative times

_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1}
# A bare "now" is not a timestamp line: a comment line that says just "now" stays comment text.
RELATIVE_TIME = re.compile(
    r"(?:(?P<n>\d{1,6}|an?|one)\s+(?P<unit>second|minute|hour|day|week|month|year)s?\s+ago"
    r"|(?P<now>just now))"
    r"(?:\s*(?P<edited>\(edited\)))?",
    re.IGNORECASE,
)


def parse_relative_time(text: str) -> tuple[int, str, bool] | None:
    """Parse a relative time such as ``'6 months ago'`` or ``'2 days ago (edited)'``.

    Returns:
        ``(amount, unit, is_edited)`` with ``unit`` one of second/minute/hour/day/week/month/year,
        or ``None`` when ``text`` is not a relative time. ``'just now'`` is ``(0, 'second', ...)``.
    """
    match = RELATIVE_TIME.fullmatch(text.strip())
    if match is None:
        return None
    edited = match.group("edited") is not None
    if match.group("now"):
        return 0, "second", edited
    n = match.group("n").lower()
    amount = _NUMBER_WORDS[n] if n in _NUMBER_WORDS else int(n)
    return amount, match.group("unit").lower(), edited


def is_timestamp_line(line: str) -> bool:
    """True when ``line`` (stripped) is a seed-format timestamp line."""
    return RELATIVE_TIME.fullmatch(line.strip()) is not None


# ---------------------------------------------------------------------------------- absolute times

TIME_HELP = (
    "expected a date/time such as 2024-01-31T12:00:00Z, 2024-01-31 12:00, 31 Jan 2024, "
    "epoch seconds or milliseconds, or a relative time such as '3 days ago'"
)
# Shapes that claim to be a date: a value of this shape that does not parse is an impossible
# date (an error), not free text. ISO-like, slashed, and 8-digit compact dates.
_DATE_SHAPE = re.compile(
    r"[+-]?\d{4}-\d{1,2}-\d{1,2}(?:[T ].*)?|\d{4}/\d{1,2}/\d{1,2}(?:[T ].*)?|\d{8}"
)
_EPOCH_NUMBER = re.compile(r"\d{9,20}(?:\.\d+)?")
_WRITTEN_FORMATS = (
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%d %b %Y %H:%M",
    "%b %d, %Y %H:%M",
    "%b %d, %Y, %I:%M %p",
    "%B %d, %Y, %I:%M %p",
    "%Y%m%d",
)
#: Epoch magnitudes: below 1e11 seconds (to the year 5138), then milliseconds, microseconds and
#: nanoseconds; a Globe and Mail millisecond stamp is not read as seconds (nor as the year 1455).
_EPOCH_SCALES = ((1e11, 1), (1e14, 1_000), (1e17, 1_000_000), (1e20, 1_000_000_000))
_EPOCH = datetime(1970, 1, 1)


def utc_naive(value: datetime) -> datetime:
    """Aware times converted to UTC, naive ones taken as UTC; returned naive, whole seconds.

    Raises:
        ValueError: the time falls outside the representable range once converted.
    """
    try:
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
    except OverflowError:
        raise ValueError(f"time {value.isoformat()} is out of range") from None
    return value.replace(microsecond=0)


def parse_epoch(value: float) -> datetime:
    """Epoch seconds, milliseconds, microseconds or nanoseconds (told apart by magnitude).

    Raises:
        ValueError: negative, not finite, or beyond nanosecond magnitude.
    """
    try:
        number = float(value)  # a JSON integer of 400 digits overflows here, not below
    except (OverflowError, TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number) or number < 0:
        raise ValueError(f"expected epoch seconds or milliseconds, found {_show(value)}")
    for limit, per_second in _EPOCH_SCALES:
        if number < limit:
            try:
                return _EPOCH + timedelta(seconds=round(number / per_second))
            except (OverflowError, ValueError):
                break
    raise ValueError(f"expected epoch seconds or milliseconds, found {_show(value)} (out of range)")


def _iso(s: str) -> datetime | None:
    text = s[:-4] + "+00:00" if s.endswith(" UTC") else s
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def parse_time(value: str) -> datetime | None:
    """Parse an absolute time: ISO 8601, RFC 2822, a few written forms, or an epoch number.

    Returns:
        Naive UTC, whole seconds; ``None`` when the text is not an absolute time at all (free
        text such as ``'yesterday'``).

    Raises:
        ValueError: the text has the shape of a date but is impossible (``2099-13-45``,
            ``2023-02-30``), or is out of range.
    """
    s = value.strip()
    if not s or len(s) > 64:
        return None
    if _EPOCH_NUMBER.fullmatch(s):
        return parse_epoch(float(s))
    parsed = _iso(s)
    if parsed is None:
        for fmt in _WRITTEN_FORMATS:
            try:
                parsed = datetime.strptime(s, fmt)
                break
            except ValueError:
                continue
    if parsed is None and "," in s and s[:3].isalpha():
        try:
            parsed = parsedate_to_datetime(s)
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        if _DATE_SHAPE.fullmatch(s):
            raise ValueError(f"impossible date {_show(value)}; {TIME_HELP}")
        return None
    return utc_naive(parsed)


def parse_time_field(value: Any) -> tuple[datetime | None, str | None, bool]:
    """The one entry point for a record's time value, whatever the reader.

    Args:
        value: a string (ISO, written, epoch digits or relative), an epoch number, or ``None``.

    Returns:
        ``(published_at or None, published_text or None, is_edited)``: relative and free-text
        times keep ``published_at`` ``None`` (the corpus estimates relative ones from
        ``--captured-at``).

    Raises:
        ValueError: an impossible or out-of-range date, a negative epoch, or a value of another
            type.
    """
    if value is None:
        return None, None, False
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{TIME_HELP}; found {type(value).__name__}")
    if not isinstance(value, str):
        return parse_epoch(value), _show(value).strip("'"), False
    if not value.strip():
        return None, None, False
    relative = parse_relative_time(value)
    if relative is not None:
        return None, value, relative[2]
    return parse_time(value), value, "(edited)" in value


# -------------------------------------------------------------------------------------------- text

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def check_text(value: str, *, what: str = "text", raw_bytes: bool = True) -> None:
    """Refuse a field no table should hold.

    Args:
        value: the field.
        what: how messages name it.
        raw_bytes: the field was decoded from the file's bytes (CSV): a NUL byte and bytes that
            were not UTF-8 (decoded with ``surrogateescape``) are faults. JSON strings may spell
            U+0000 as an escape, which is text like any other (normalisation removes it).

    Raises:
        ValueError: longer than :data:`MAX_FIELD_CHARS`, or (``raw_bytes``) holds a NUL byte or
            an undecodable byte, naming the character offset.
    """
    if len(value) > MAX_FIELD_CHARS:
        raise ValueError(
            f"{what}: {len(value):,} characters; expected at most {MAX_FIELD_CHARS:,} per field"
        )
    if not raw_bytes:
        return
    nul = value.find("\x00")
    if nul >= 0:
        raise ValueError(f"{what}: NUL byte at character {nul}; expected text")
    bad = _ESCAPED_BYTE.search(value)
    if bad is not None:
        byte = ord(bad.group()) - 0xDC00
        raise ValueError(
            f"{what}: undecodable byte ({byte:02x}) at character {bad.start()}; expected UTF-8 "
            "text (re-save the file as UTF-8)"
        )


def scrub_surrogates(obj: Any) -> Any:
    """Replace lone surrogates (from broken JSON escapes) by U+FFFD: they cannot be stored."""
    if isinstance(obj, str):
        return _LONE_SURROGATE.sub("\ufffd", obj)
    if isinstance(obj, list):
        return [scrub_surrogates(x) for x in obj]
    if isinstance(obj, dict):
        return {scrub_surrogates(k): scrub_surrogates(v) for k, v in obj.items()}
    return obj


def loads(text: str | bytes) -> Any:
    """``json.loads``; strings holding lone surrogate escapes get U+FFFD in their place.

    Raises:
        ValueError: invalid JSON (``json.JSONDecodeError``), or a number too long to convert.
        RecursionError: nesting too deep.
    """
    doc = json.loads(text)
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        doc = scrub_surrogates(doc)
    return doc


def json_error(exc: BaseException) -> str:
    """One wording for a JSON syntax error: ``'Expecting value at column 5'``.

    The decoder's own messages sometimes end in "at" ("Unterminated string starting at"); the
    column is then appended without a second "at".
    """
    if isinstance(exc, json.JSONDecodeError):
        msg = exc.msg
        joiner = " column " if msg.endswith(" at") else " at column "
        return f"{msg}{joiner}{exc.colno}"
    if isinstance(exc, RecursionError):
        return "JSON nested too deeply"
    return " ".join(str(exc).split())[:200]


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def split_lines(text: str) -> list[str]:
    """Lines with their endings (``\\r\\n``, ``\\r`` or ``\\n``); joining them gives ``text``."""
    return _LINE.findall(text)
