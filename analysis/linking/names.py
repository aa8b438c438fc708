"""Names: folding, keys, slugs, titles, surnames, span trimming, and the English word lists."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

#: A form whose letters are all capitals and at most this many is an acronym: capitals only.
ACRONYM_MAX_LETTERS = 5
#: Forms with at most this many letters match only with their exact case.
SHORT_FORM_MAX_LETTERS = 2
#: Lower-case particles inside personal names ("Bashar al-Assad", "Osama bin Laden").
NAME_PARTICLES = frozenset(
    {"al", "el", "bin", "ibn", "ben", "bint", "van", "von", "der", "den", "de", "da", "di", "du"}
)
#: Generational suffixes ignored when taking a surname.
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
#: An initial inside a personal name: "E", "E." or "H.W." (dotted letters).
_INITIAL = re.compile(r"[A-Z]\.?|(?:[A-Z]\.){2,}")

_OFFICES = (
    r"prime minister|foreign minister|defen[cs]e minister|finance minister|interior minister"
    r"|secretary of state|secretary[- ]general|supreme leader|president[- ]elect|vice president"
    r"|president|pm|premier|chancellor|minister|secretary|senator|sen\.?|rep\.?|representative"
    r"|congressman|congresswoman|governor|gov\.?|mayor|ayatollah|general|gen\.?|colonel|col\.?"
    r"|admiral|commander|ambassador|chairman|chairwoman|speaker|leader|mr\.?|mrs\.?|ms\.?|dr\.?"
    r"|rabbi|imam|reverend|rev\.?|judge|justice|comrade|potus|flotus|vp"
)
_RANKS = r"king|queen|prince|princess|crown prince|emperor|pope|sheikh|sheik|emir|sultan|tsar|czar"
_RANKS += r"|sir|dame|lord|lady"
#: Titles stripped from the start of PERSON spans for grouping (case-insensitive). A rank
#: ("King", "Pope", "Sir") is kept when only a single given name would remain ("Pope Francis").
TITLE_PATTERN = re.compile(
    rf"^(?:(?:former|ex-?|then|late|acting|deputy|interim)\s+)*"
    rf"(?:(?:{_OFFICES}|{_RANKS})\s+)+",
    re.IGNORECASE,
)
_RANK_PATTERN = re.compile(rf"\b(?:{_RANKS})\b", re.IGNORECASE)
_TITLE_ONLY = re.compile(
    rf"^(?:(?:former|ex-?|then|late|acting|deputy|interim)\s+)*(?:(?:{_OFFICES}|{_RANKS})\s*)+$",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*(?:&|\+|/|,|\band\b|\bn\b)\s*", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]+")
_MASK = "\x00"

#: Entries kept by each memoised text helper (bounded so memory does not grow with the thread).
_TEXT_CACHE_SIZE = 32_768


# ------------------------------------------------------------------------------ text helpers
@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def fold(text: str) -> str:
    """Case-fold and strip accents (NFKD without combining marks): "Erdoğan" -> "erdogan"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def name_key(text: str) -> str:
    """The grouping key of a name: folded letters and digits only.

    Case, accents, spaces, hyphens, dots and apostrophes are ignored, so "U.S." and "US",
    "AlJazeera" and "Al Jazeera", "Erdoğan" and "ERDOGAN" share a key.
    """
    return "".join(ch for ch in fold(text) if ch.isalnum())


def slugify(name: str) -> str:
    """Stable entity id of a canonical name: "Bashar al-Assad" -> "bashar-al-assad"."""
    slug = re.sub(r"[\W_]+", "-", fold(name)).strip("-")
    return slug or "entity-" + "-".join(f"{ord(c):x}" for c in name)


@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def _tokens(name: str) -> tuple[str, ...]:
    return tuple(t for t in re.split(r"[\s\-]+", name.strip()) if t)


def _letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


def is_acronym(form: str) -> bool:
    """All-capital forms of at most :data:`ACRONYM_MAX_LETTERS` letters, or dotted ("U.S.")."""
    letters = _letters(form)
    if not letters or not letters.isupper():
        return False
    return len(letters) <= ACRONYM_MAX_LETTERS or bool(re.search(r"\w\.\w", form))


def strip_titles(name: str, *, demonyms: Iterable[str] = ()) -> str:
    """Remove leading titles from a person's name (see :data:`TITLE_PATTERN`).

    A leading nationality before a title goes too ("Russian President Vladimir Putin" -> "Vladimir
    Putin"). The name is returned unchanged when nothing would remain, and a rank is kept when only
    one word would remain ("Pope Francis").
    """
    text = name.strip()
    words = text.split()
    if len(words) > 2 and TITLE_PATTERN.match(" ".join(words[1:]) + " "):
        if name_key(words[0]) in {name_key(d) for d in demonyms}:
            text = " ".join(words[1:])
    match = TITLE_PATTERN.match(text)
    if not match or match.end() >= len(text):
        return text
    rest = text[match.end() :].strip()
    if len(rest.split()) == 1 and _RANK_PATTERN.search(match.group(0)):
        return text
    return rest


def is_title_only(text: str) -> bool:
    """True for a span that is only a title or honorific ("President", "Prime Minister")."""
    return bool(_TITLE_ONLY.match(text.strip()))


def surname_keys(name: str) -> set[str]:
    """Keys a multi-word personal name may be referred to by alone.

    "Vladimir Putin" -> {"putin"}; "Bashar al-Assad" -> {"alassad", "assad"}; "Osama bin Laden"
    -> {"binladen", "laden"}; a middle initial may lead the surname: "Robert E. Lee" -> {"lee",
    "elee"} ("E. Lee" is a fragment of the full name, not a person of its own). One-word names
    and surnames under three letters give nothing.
    """
    words = _tokens(name)
    while words and name_key(words[-1]) in NAME_SUFFIXES:
        words = words[:-1]
    if len(words) < 2:
        return set()
    last = name_key(words[-1])
    keys = {last} if len(last) >= 3 else set()
    i = len(words) - 1
    while i > 1 and name_key(words[i - 1]) in NAME_PARTICLES:
        i -= 1
    if i < len(words) - 1:
        keys.add(name_key("".join(words[i:])))
    if keys:
        j = len(words) - 1
        while j > 1 and _INITIAL.fullmatch(words[j - 1]):
            j -= 1
            keys.add(name_key("".join(words[j:])))
    return keys


def has_middle_initial(name: str) -> bool:
    """A personal name's shape: an initial between two capitalised words ("Robert E Lee",
    "George W. Bush"), which a phrase of ordinary words ("Best Song") never has."""
    words = _tokens(name)
    return len(words) >= 3 and any(
        _INITIAL.fullmatch(w) and words[0][:1].isupper() and words[-1][:1].isupper()
        for w in words[1:-1]
    )


def clean_span(text: str, start: int, end: int, *, keep_the: bool = False) -> tuple[int, int]:
    """Trim a span of ``text``: surrounding punctuation/space, a leading "the", a possessive.

    A trailing dot stays when the span has another dot ("U.S."). Returns new ``(start, end)``;
    ``start == end`` when nothing is left.
    """
    while True:
        s, e = start, end
        while start < end and not text[start].isalnum():
            start += 1
        while end > start and not text[end - 1].isalnum():
            if text[end - 1] == "." and "." in text[start : end - 1]:
                break
            end -= 1
        low = text[start:end].casefold()
        if low.endswith(("'s", "\u2019s")) and end - start > 2:
            end -= 2
        if not keep_the:
            the = re.match(r"the\s+", low)
            if the and the.end() < end - start:
                start += the.end()
        if (s, e) == (start, end):
            return start, end


# ------------------------------------------------------------------------------- word lists
@lru_cache(maxsize=1)
def _wordnet_tables() -> dict[str, frozenset[str]]:
    """Lower-case WordNet lemmas (and irregular forms) per part of speech, from the spaCy model."""
    from spacy.lookups import Lookups

    from analysis.annotate.nlp import model_location

    _, path = model_location()
    lookups = Lookups().from_disk(path / "lemmatizer" / "lookups")
    index = lookups.get_table("lemma_index")
    exc = lookups.get_table("lemma_exc")
    tables = {}
    for pos in ("noun", "verb", "adj", "adv"):
        words = set(index.get(pos, []))
        words.update(exc.get(pos, {}).keys())
        tables[pos] = frozenset(w.casefold() for w in words if w.isalpha())
    return tables


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(w.casefold() for w in STOP_WORDS)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every English word form known offline: WordNet lemmas of all parts of speech (the lookup
    tables inside the installed spaCy model), their irregular forms, and spaCy's stop words.

    WordNet also lists many proper names ("russia", "hamas"), so this set answers "could this be
    an ordinary word or a well-known name?"; see :func:`common_words` for the stricter set.
    """
    tables = _wordnet_tables()
    return frozenset().union(*tables.values()) | _stop_words()


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Ordinary English words: stop words and WordNet verbs, adjectives and adverbs.

    Proper names are nouns, so they are (almost) never here; "trump", "may", "chad", "us" are.
    """
    tables = _wordnet_tables()
    return tables["verb"] | tables["adj"] | tables["adv"] | _stop_words()


_SUFFIXES = (
    ("'s", ""),
    ("\u2019s", ""),
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ied", "y"),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
    ("ly", ""),
    ("er", ""),
    ("est", ""),
)


def _word_forms(word: str) -> set[str]:
    w = word.casefold()
    forms = {w}
    for suffix, repl in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            forms.add(w[: -len(suffix)] + repl)
    return forms


def is_english_word(
    word: str, *, lemma: str | None = None, words: frozenset[str] | None = None
) -> bool:
    """True when ``word`` (or its lemma, or a simple inflection of it) is in ``words``.

    ``words`` defaults to :func:`english_words`.
    """
    words = english_words() if words is None else words
    forms = _word_forms(word)
    if lemma:
        forms |= _word_forms(lemma)
    return any(f in words for f in forms)


def looks_like_person_name(name: str) -> bool:
    """Two to four capitalised words, none an ordinary English word ("Olaf Scholz", "Bashar
    al-Assad"; not "General Motors" or "Bank of England")."""
    words = [w for w in _tokens(name) if name_key(w) not in NAME_PARTICLES]
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() for w in words)
        and not any(name_key(w) in common_words() for w in words)
    )
