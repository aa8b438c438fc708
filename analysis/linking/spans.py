"""Cleaning the model's NER spans, and checking the input tables."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

import pandas as pd

from analysis import schema as S
from analysis.errors import StageInputError
from analysis.linking.lexicons import Lexicons, _phrase, load_lexicons
from analysis.linking.names import (
    _LETTERS,
    _SEPARATORS,
    NAME_PARTICLES,
    _stop_words,
    _wordnet_tables,
    clean_span,
    common_words,
    is_acronym,
    is_english_word,
    is_title_only,
    name_key,
)
from analysis.linking.noise import (
    _is_shouted,
    is_common_phrase,
    is_function_phrase,
    noise_spans,
    overlaps,
)
from analysis.linking.search import case_rule
from analysis.linking.shapes import fold_width, is_exclamation, shape_verdict, split_word_tail

if TYPE_CHECKING:  # the linker imports this module
    from analysis.linking.linker import ThreadLinker

#: All-lower-case model spans with these labels are dropped when every word is an English word.
DROP_LOWERCASE_LABELS = ("PERSON", "ORG", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART")
#: Rows of the spans table turned into Python objects at a time.
_SPAN_SLICE_ROWS = 50_000

_DOC_COLUMNS = (S.THREAD_ID, S.DOC_ID, S.DOC_KIND, "position", S.TEXT)
_SPAN_COLUMNS = (S.DOC_ID, S.START_CHAR, S.END_CHAR, S.LABEL)
_CANDIDATE_COLUMNS = (S.DOC_ID, S.START_CHAR, S.END_CHAR, S.TEXT, "pos")
#: Reason given for a span dropped because it overlaps a URL, e-mail, @handle or hashtag.
NOISE_REASON = "inside a URL, e-mail, @handle or hashtag"
#: "anti-Israel", "pro-Russia", "non-Muslim": the span is the name after the prefix.
_STANCE_PREFIX = re.compile(r"(?:anti|pro|non)[-\u2010\u2011]\s*", re.IGNORECASE)
#: Number and order words are stop words that do belong to names ("First Amendment").
_NUMBER_WORD = re.compile(
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|next|one|two|three"
    r"|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|forty|fifty|sixty"
    r"|hundred|thousand|million|billion"
)
#: A dash or bar with spaces around it separates two names ("PSY - GANGNAM STYLE").
_SPACED_DASH = re.compile(r"\s+[-\u2013\u2014|]+\s+")


# ------------------------------------------------------------------------- model span cleaning
def _known_keys(spans_keys: Iterable[str], lexicons: Lexicons) -> set[str]:
    return set(spans_keys) | set(lexicons.curated)


def _is_lowercase_common(text: str) -> bool:
    if any(ch.isupper() for ch in text):
        return False
    words = _LETTERS.findall(text)
    return bool(words) and all(is_english_word(w) for w in words)


def _lowercase_words(span: str, known: set[str] | None) -> bool:
    """A lower-case span of English words that is no name known in the thread, or whose words
    are ordinary English (:func:`~analysis.linking.noise.is_common_phrase`: "house" beside "the
    House"): those link only where the thread's case profile lets the gazetteer match them in
    lower case."""
    if not _is_lowercase_common(span):
        return False
    return known is None or name_key(span) not in known or is_common_phrase(span)


def _lower_case_acronym(span: str, lexicons: Lexicons) -> bool:
    """A lower-case ordinary word (:func:`~analysis.linking.names.common_words`) that is, in
    capitals, a lexicon acronym matched only in capitals (:func:`~analysis.linking.search.
    case_rule` ``"upper"``): "us", "who" are not the US, the WHO. "nato" and "uk" (no ordinary
    words) stay; "un" before a word it prefixes is :func:`~analysis.linking.shapes.
    split_word_tail`'s."""
    if not span.islower() or span.casefold() not in common_words():
        return False
    key = name_key(span)
    forms = [lexicons.aliases[key][0]] if key in lexicons.aliases else []
    if key in lexicons.canonical:
        forms.append(lexicons.canonical[key][0])
    return any(is_acronym(f) and case_rule(f, lexicons) == "upper" for f in forms)


def _is_shouted_common(text: str, start: int, end: int) -> bool:
    """A span in capitals made only of ordinary words, next to other capitals ("GIVE US A
    BREAK"): the model reads shouting as names."""
    span = fold_width(text[start:end])
    words = _LETTERS.findall(span)
    if not words or not all(w.isupper() for w in words):
        return False
    if not all(w.casefold() in common_words() for w in words):
        return False
    return _is_shouted(text, start, end)


def _clean_one(
    text: str, start: int, end: int, label: str, lexicons: Lexicons, known: set[str] | None
) -> list[tuple[int, int, str, str]]:
    """Clean one model span. Returns ``[(start, end, action, reason)]`` (several when split)."""
    s, e = clean_span(text, start, end)
    full_s, full_e = clean_span(text, start, end, keep_the=True)
    if name_key(text[full_s:full_e]) in lexicons.aliases:
        s, e = full_s, full_e
    if s >= e or not any(ch.isalpha() for ch in text[s:e]):
        return [(start, end, "drop", "no letters")]
    stance = _STANCE_PREFIX.match(text, s, e)
    if stance and any(ch.isalpha() for ch in text[stance.end() : e]):
        s = stance.end()
    if _SPACED_DASH.search(text, s, e):
        return _split_at_dashes(text, s, e, label, lexicons, known)
    if is_function_phrase(text[s:e]) and not is_acronym(text[s:e]):
        if name_key(text[s:e]) not in lexicons.curated:
            return [(start, end, "drop", "pronoun or function words")]
    phrase = _phrase(text[s:e])
    kind = lexicons.not_entities.get(phrase)
    if kind == "exact":
        return [(start, end, "drop", "not_entities.csv")]
    for prefix, match_kind in lexicons.not_entities.items():
        if match_kind == "exact" or not (phrase == prefix or phrase.startswith(prefix + " ")):
            continue
        n_more = len(prefix.split()) - 1
        rest = re.match(rf"\S+(?:\s+\S+){{{n_more}}}", text[s:e])
        cut = s + rest.end() if rest else e
        rs, re_ = clean_span(text, cut, e)
        if match_kind == "prefix_if_known":
            if known is None or rs >= re_ or name_key(text[rs:re_]) not in known:
                continue
        if rs >= re_:
            return [(start, end, "drop", "not_entities.csv")]
        return [
            (p[0], p[1], "trim", f"slogan prefix {prefix!r} removed")
            for p in _clean_one(text, rs, re_, label, lexicons, known)
            if p[2] != "drop"
        ] or [(start, end, "drop", "not_entities.csv")]
    s, e = _trim_edge_words(text, s, e, lexicons)
    shaped = _by_shape(text, start, end, (s, e), label, lexicons, known)
    if shaped is not None:
        return shaped
    if label == "PERSON" and is_title_only(text[s:e]):
        return [(start, end, "drop", "title only")]
    if label in DROP_LOWERCASE_LABELS and _lowercase_words(text[s:e], known):
        return [(start, end, "drop", "lower-case ordinary words")]
    if known is not None and _SEPARATORS.search(text[s:e]):
        parts = []
        pos = s
        for m in _SEPARATORS.finditer(text, s, e):
            parts.append((pos, m.start()))
            pos = m.end()
        parts.append((pos, e))
        parts = [clean_span(text, a, b) for a, b in parts]
        parts = [(a, b) for a, b in parts if a < b]
        is_whole_span = len(parts) == 1 and parts[0] == (s, e)
        if parts and not is_whole_span and all(name_key(text[a:b]) in known for a, b in parts):
            return [(a, b, "split", "joined known names") for a, b in parts]
    action = "keep" if (s, e) == (start, end) else "trim"
    return [(s, e, action, "" if action == "keep" else "punctuation/the/possessive trimmed")]


def _by_shape(
    text: str,
    start: int,
    end: int,
    kept: tuple[int, int],
    label: str,
    lexicons: Lexicons,
    known: set[str] | None,
) -> list[tuple[int, int, str, str]] | None:
    """:func:`~analysis.linking.shapes.shape_verdict` of the span ``kept`` of the model span
    ``start:end``: a drop, the trimmed part cleaned again, or None when the shape is a name's."""
    s, e = kept
    verdict, why, cut = shape_verdict(text[s:e], label, known, lexicons.curated)
    if verdict == "drop":
        return [(start, end, "drop", why)]
    if verdict != "trim":
        return None
    parts = _clean_one(text, s + cut[0], s + cut[1], label, lexicons, known)
    trimmed = [(a, b, "trim", why) for a, b, action, _ in parts if action != "drop"]
    return trimmed or [(start, end, "drop", why)]


def _edge_noise(word: str, lexicons: Lexicons, *, leading: bool) -> bool:
    """A word at the edge of a span that is not part of the name: chat noise ("iPhone IMO",
    "LOL Marian") or a lower-case word of one or two letters ("s Samsung") at either end; a stop
    word ("This song", "You Katy", "a Dept") or an adverb ("Thankfully Obama") at the start.
    Lexicon names and name particles never are."""
    key = name_key(word)
    letters = "".join(ch for ch in word if ch.isalpha())
    if not letters or key in lexicons.curated or key in NAME_PARTICLES:
        return False
    if letters.islower() and len(letters) <= 2:
        return True
    if lexicons.not_entities.get(_phrase(word)) == "exact":
        return True
    if not leading:
        return False
    low = letters.casefold()
    tables = _wordnet_tables()
    adverb = low in tables["adv"] and low not in tables["noun"] and low not in tables["adj"]
    return (low in _stop_words() and not _NUMBER_WORD.fullmatch(low)) or adverb


def _trim_edge_words(text: str, s: int, e: int, lexicons: Lexicons) -> tuple[int, int]:
    """Cut :func:`_edge_noise` words off both ends of a multi-word span (at least one word
    stays); a span that is a lexicon name is left whole."""
    if name_key(text[s:e]) in lexicons.curated:
        return s, e
    words = [(s + m.start(), s + m.end()) for m in re.finditer(r"\S+", text[s:e])]
    while len(words) > 1 and _edge_noise(text[slice(*words[0])], lexicons, leading=True):
        words.pop(0)
    while len(words) > 1 and _edge_noise(text[slice(*words[-1])], lexicons, leading=False):
        words.pop()
    a, b = clean_span(text, words[0][0], words[-1][1])
    return (a, b) if a < b else (s, e)


def _split_at_dashes(
    text: str, s: int, e: int, label: str, lexicons: Lexicons, known: set[str] | None
) -> list[tuple[int, int, str, str]]:
    """The parts of a span around spaced dashes, each cleaned (dropped parts left out)."""
    bounds, pos = [], s
    for m in _SPACED_DASH.finditer(text, s, e):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, e))
    out = []
    for a, b in bounds:
        a, b = clean_span(text, a, b)
        if a < b:
            out += [p for p in _clean_one(text, a, b, label, lexicons, known) if p[2] != "drop"]
    return [(a, b, "split", "names around a dash") for a, b, _, _ in out] or [
        (s, e, "drop", "no name around the dashes")
    ]


def _clean_in_text(
    text: str,
    start: int,
    end: int,
    label: str,
    lexicons: Lexicons,
    known: set[str],
    memo: dict[tuple[str, str], list],
) -> list[tuple[int, int, str, str]]:
    """:func:`_clean_one` of the span ``text[start:end]`` (offsets relative to the span),
    memoised on span text and label, then dropped when it is ordinary words in shouted text, ends
    in the head of a word split by a space (:func:`~analysis.linking.shapes.split_word_tail`), is
    a lower-case word spelling a capitals-only lexicon acronym (:func:`_lower_case_acronym`), is
    a known name's agent noun ("YouTuber": :func:`_agent_noun`) or fan noun (:func:`_fan_noun`),
    is an acronym no lexicon lists
    said as a sentence of its own (:func:`~analysis.linking.shapes.is_exclamation`) or overlaps
    a URL, e-mail address, @handle or hashtag (:func:`noise_spans`)."""
    if overlaps(noise_spans(text), start, end):
        return [(0, end - start, "drop", NOISE_REASON)]
    span = text[start:end]
    if (span, label) not in memo:
        memo[(span, label)] = _clean_one(span, 0, len(span), label, lexicons, known)
    result = memo[(span, label)]
    if result and result[0][2] != "drop":
        a, b = result[0][0] + start, result[-1][1] + start
        if _is_shouted_common(text, a, b):
            result = [(0, len(span), "drop", "ordinary words in shouted text")]
        elif result[-1][1] == len(span) and split_word_tail(text, start, end):
            result = [(0, len(span), "drop", "a word split by a space")]
        elif _lower_case_acronym(text[a:b], lexicons):
            result = [(0, len(span), "drop", "a lexicon acronym's letters written as a word")]
        elif _agent_noun(text[a:b], label, lexicons, known):
            result = [(0, len(span), "drop", "a user of a named thing (agent noun)")]
        elif _fan_noun(text[a:b], label, lexicons, known):
            result = [(0, len(span), "drop", "a name glued to a plural noun (fans, followers)")]
        elif is_exclamation(text, a, b) and name_key(text[a:b]) not in lexicons.curated:
            result = [(0, len(span), "drop", "an acronym said as a sentence of its own")]
    return result


#: Agent suffixes that make a noun for a person out of a name ("YouTuber", "Instagrammers").
_AGENT_SUFFIXES = ("ers", "er", "rs", "r")
#: Labels of things whose users such a noun names (a person or a group keeps its span).
_AGENT_BASE_LABELS = frozenset({"ORG", "PRODUCT"})


def _agent_noun(span: str, label: str, lexicons: Lexicons, known: set[str]) -> bool:
    """A one-word organisation or product span that is a name known in the thread or the
    lexicons plus an agent suffix ("YouTuber" from YouTube, "Instagrammers" from Instagram,
    "Googler"): a common noun for its users, not the thing. A span that is itself a lexicon
    name stays; so do demonyms ("Londoner" is labelled NORP) and persons."""
    if label not in _AGENT_BASE_LABELS or not span.isalpha():
        return False
    key = name_key(span)
    if key in lexicons.curated:
        return False
    for suffix in _AGENT_SUFFIXES:
        stem = key[: -len(suffix)]
        if not key.endswith(suffix) or len(stem) < 3:
            continue
        if stem in known or (stem[-1] == stem[-2] and stem[:-1] in known):
            return True
    return False


#: Shortest name and noun a fan noun glues together (:func:`_fan_noun`; "Vorpaers" is an
#: agent noun, not "Vorpa" + "ers").
_FAN_PART_MIN = 3


def _fan_noun(span: str, label: str, lexicons: Lexicons, known: set[str]) -> bool:
    """One word, not a PERSON span and no lexicon name, that is a name known in the thread glued
    to the plural of an English noun ("Zorbacats" beside "Zorba", "Zorbabots"): fandoms and
    followers named after someone, which the guide of ``tests/gold/linking`` counts as no group.
    A singular is one only when the thread also has the plural span ("Zorbacat" beside
    "Zorbacats"; not "Georgetown", "Harrisburg")."""
    if label == "PERSON" or not span.isalpha():
        return False
    key = name_key(span)
    if key in lexicons.curated:
        return False
    nouns = _wordnet_tables()["noun"]
    for cut in range(_FAN_PART_MIN, len(key) - _FAN_PART_MIN + 1):
        head, tail = key[:cut], key[cut:]
        if head not in known or head in common_words():
            continue
        singular = {tail[:-1], tail[:-2] if tail.endswith("es") else ""}
        if tail.endswith("s") and {w for w in singular if len(w) >= _FAN_PART_MIN} & nouns:
            return True
        if tail in nouns and {key + "s", key + "es"} & known:
            return True
    return False


def _clean_rows(
    texts: dict[str, str], rows: list[tuple[str, int, int, str]], lexicons: Lexicons
) -> list[tuple[str, int, int, str, int, int, str, str]]:
    """Clean spans given as (doc_id, start, end, label); memoised on span text and label."""
    first_memo: dict[tuple[str, str], list] = {}
    keys: set[str] = set()
    for doc_id, start, end, label in rows:
        if label not in S.ENTITY_LABELS:
            continue
        span = texts[doc_id][start:end]
        if (span, label) in first_memo:
            continue
        cleaned = _clean_one(span, 0, len(span), label, lexicons, None)
        first_memo[(span, label)] = cleaned
        for a, b, action, _ in cleaned:
            if action != "drop" and not _SEPARATORS.search(span[a:b]):
                keys.add(name_key(span[a:b]))
    known = _known_keys(keys, lexicons)
    memo: dict[tuple[str, str], list] = {}
    out = []
    for doc_id, start, end, label in rows:
        text = texts[doc_id]
        if label not in S.ENTITY_LABELS:
            out.append((doc_id, start, end, label, start, end, "drop", "label"))
            continue
        result = _clean_in_text(text, start, end, label, lexicons, known, memo)
        for a, b, action, reason in result:
            out.append((doc_id, start, end, label, start + a, start + b, action, reason))
    return out


def filter_model_spans(
    docs: pd.DataFrame, spans: pd.DataFrame, *, lexicons: Lexicons | None = None
) -> pd.DataFrame:
    """Clean the model's NER spans (step 1 of the module docstring).

    Args:
        docs: doc_id, text.
        spans: doc_id, start_char, end_char, label (and text).
        lexicons: defaults to :func:`load_lexicons` of the default folder.

    Returns:
        One row per resulting span, input order: doc_id, model_start, model_end, model_text,
        label, start_char, end_char, text, action (keep | trim | split | drop), reason. Rows with
        a label outside ENTITY_LABELS have action ``drop`` and reason ``label``.

    Raises:
        StageInputError: a span names an unknown document or does not slice back to its text.
    """
    lexicons = lexicons or load_lexicons()
    texts = _doc_texts(docs)
    return _cleaned_frame(texts, _clean_rows(texts, _checked_spans(spans, texts), lexicons))


#: Columns of :func:`_clean_rows` tuples, then of the frame :func:`filter_model_spans` returns.
_CLEANED_ROW_COLUMNS = [
    S.DOC_ID,
    "model_start",
    "model_end",
    S.LABEL,
    S.START_CHAR,
    S.END_CHAR,
    "action",
    "reason",
]
_CLEANED_COLUMNS = [
    S.DOC_ID,
    "model_start",
    "model_end",
    "model_text",
    S.LABEL,
    S.START_CHAR,
    S.END_CHAR,
    S.TEXT,
    "action",
    "reason",
]
_CLEANED_DTYPES = {
    S.DOC_ID: "string",
    "model_text": "string",
    S.LABEL: "string",
    S.TEXT: "string",
    "action": "string",
    "reason": "string",
    "model_start": "int64",
    "model_end": "int64",
    S.START_CHAR: "int64",
    S.END_CHAR: "int64",
}


def _cleaned_frame(
    texts: dict[str, str], out: list[tuple[str, int, int, str, int, int, str, str]]
) -> pd.DataFrame:
    """The cleaned-span rows as a typed frame, with the model's and the cleaned span texts."""
    frame = pd.DataFrame(out, columns=_CLEANED_ROW_COLUMNS)
    frame["model_text"] = [
        texts[d][a:b]
        for d, a, b in zip(frame[S.DOC_ID], frame["model_start"], frame["model_end"], strict=True)
    ]
    frame[S.TEXT] = [
        texts[d][a:b]
        for d, a, b in zip(frame[S.DOC_ID], frame[S.START_CHAR], frame[S.END_CHAR], strict=True)
    ]
    frame = frame.loc[:, _CLEANED_COLUMNS]
    return frame.astype(_CLEANED_DTYPES)


# ----------------------------------------------------------------------------- input checks
def _require(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise StageInputError(f"link_thread: {what} table lacks columns {missing}")


def _doc_texts(docs: pd.DataFrame) -> dict[str, str]:
    _require(docs, (S.DOC_ID, S.TEXT), "docs")
    return {
        str(d): ("" if pd.isna(t) else str(t))
        for d, t in zip(docs[S.DOC_ID], docs[S.TEXT], strict=True)
    }


def _checked_spans(spans: pd.DataFrame, texts: dict[str, str]) -> list[tuple[str, int, int, str]]:
    _require(spans, _SPAN_COLUMNS, "spans")
    rows = []
    shared: dict[str, str] = {}  # one string object per document id and label
    # a slice of rows at a time: a long thread's spans are never all Python objects at once
    for lo in range(0, len(spans), _SPAN_SLICE_ROWS):
        part = spans.iloc[lo : lo + _SPAN_SLICE_ROWS]
        claimed = part[S.TEXT].tolist() if S.TEXT in part.columns else [None] * len(part)
        columns = (part[c].tolist() for c in (S.DOC_ID, S.START_CHAR, S.END_CHAR, S.LABEL))
        for i, (doc_id, start, end, label, text) in enumerate(
            zip(*columns, claimed, strict=True), lo
        ):
            doc_id, start, end, label = str(doc_id), int(start), int(end), str(label)
            _check_offsets("spans", i, doc_id, start, end, text, texts)
            doc_id = shared.setdefault(doc_id, doc_id)
            rows.append((doc_id, start, end, shared.setdefault(label, label)))
    return rows


def _check_offsets(what: str, i: int, doc_id: str, start: int, end: int, claimed, texts) -> None:
    if doc_id not in texts:
        raise StageInputError(
            f"link_thread: {what} row {i} names document {doc_id!r}, which is not in docs"
        )
    text = texts[doc_id]
    if not 0 <= start < end <= len(text):
        raise StageInputError(
            f"link_thread: {what} row {i} ({doc_id}) has offsets {start}:{end}; expected "
            f"0 <= start < end <= {len(text)}"
        )
    if isinstance(claimed, str) and claimed != text[start:end]:
        raise StageInputError(
            f"link_thread: {what} row {i} ({doc_id} {start}:{end}) claims text {str(claimed)!r} "
            f"but the document has {text[start:end]!r} there"
        )


def _checked_candidates(
    candidates: pd.DataFrame, texts: dict[str, str]
) -> Iterator[tuple[str, int, int, str, str | None]]:
    """(doc_id, start, end, pos, lemma) of the candidate tokens, checked against the texts."""
    n = len(candidates)
    lemmas = candidates["lemma"].tolist() if "lemma" in candidates.columns else [None] * n
    columns = (candidates[c].tolist() for c in (S.DOC_ID, S.START_CHAR, S.END_CHAR, S.TEXT, "pos"))
    for i, (d, a, b, t, pos, lemma) in enumerate(zip(*columns, lemmas, strict=True)):
        _check_offsets("candidates", i, str(d), int(a), int(b), t, texts)
        yield (
            str(d),
            int(a),
            int(b),
            pos if isinstance(pos, str) else "",
            lemma if isinstance(lemma, str) else None,
        )


def known_span_names(linker: ThreadLinker, texts_of: Callable[[int, int], list[str]]) -> set[str]:
    """Keys of the names the model found anywhere in a :class:`ThreadLinker`'s thread (for
    cleaning spans: :func:`_clean_one` trims and splits towards them), and the lexicon names.

    Args:
        linker: the :class:`~analysis.linking.linker.ThreadLinker` holding the span columns.
        texts_of: ``texts_of(lo, hi)``, the texts of documents ``lo`` .. ``hi - 1``.
    """
    lex = linker.lex
    labels = set(S.ENTITY_LABELS)
    seen: set[tuple[str, str]] = set()
    keys: set[str] = set()
    bounds = linker._span_bounds
    for lo, texts in linker._chunks(texts_of):
        for row in range(bounds[lo], bounds[lo + len(texts)]):
            label = linker._names[linker.span_label[row]]
            if label not in labels:
                continue
            text = texts[linker.span_doc[row] - lo]
            span = text[linker.span_start[row] : linker.span_end[row]]
            if (span, label) in seen:
                continue
            seen.add((span, label))
            for a, b, action, _ in _clean_one(span, 0, len(span), label, lex, None):
                if action != "drop" and not _SEPARATORS.search(span[a:b]):
                    keys.add(name_key(span[a:b]))
    return _known_keys(keys, lex)
