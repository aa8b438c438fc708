"""Span shapes that are never names, whatever the thread says (used when cleaning model spans).

Each rule reads only the span's own letters, so it holds on any thread:

* :func:`is_laughter`: a word made of one syllable of one to three letters said three or more
  times ("hahahaha", "lololol", "xoxoxo"), or twice when the doubled word is itself frequent in
  general English (``wordfreq`` Zipf >= :data:`LAUGHTER_DOUBLE_ZIPF`: "haha", "hehe"). Names
  that double a syllable ("Tutu", "Sisi", "Gigi") are rare words and stay.
* :func:`is_glued_identifier`: one token of at least :data:`GLUED_MIN_PARTS` capitalised parts
  glued together, most of them English words ("FunnyTortsPics", "OnCueApparel"): page, channel
  and user names written without "@" (the guide of ``tests/gold/linking`` excludes them like
  @handles). Brand names of two parts ("YouTube", "PlayStation") are kept.
* :func:`has_personal_pronoun`: a span holding a first- or second-person pronoun written in
  lower case or capitalised ("Suscribe My Channel Please", "Check Out My Video"); names of
  people, places and organisations do not. Titles of works do, so the rule is
  not applied to WORK_OF_ART spans ("Love Me Tender").
* :func:`is_adverb_only`: a one-word span that WordNet lists only as an adverb ("Honorably",
  "Seriously"): the model reads such words opening a sentence as names.
* :func:`has_magnitude_words`: ordinary words around "million", "billion" and the like ("7
  Billion Views") in a PERSON, ORG, NORP or GPE span.
* :func:`is_calendar_day`: an EVENT span ending in "Eve" after a word of two letters or more,
  or in a possessive and "Day" ("New Year's Eve", "Christmas Eve", "Valentine's Day"): a holiday
  is a date (OntoNotes and the guide of ``tests/gold/linking`` mark holidays as dates), not a
  named event. "X Day" without a possessive is left alone: it may be a film ("Independence
  Day") or an event ("D-Day"). PERSON spans are never read so ("Doris Day").
* :func:`is_ideology_word`: a one-word NORP span for the holder of an "-ism" that WordNet lists
  as an ordinary noun ("Communist", "socialists", "Fascist": communism, socialism, fascism): the
  guide of ``tests/gold/linking`` counts ideologies and their holders as no group (only
  nationality, ethnicity, religion and party are). A lexicon name stays, and so does the holder
  of a lexicon's "-ism" (the religion "Buddhism" keeps "Buddhists"). Party members named by
  their party ("Democrats", "Republicans") have no "-ism" and stay.
* :func:`repeated_word`: one word said several times ("KATY KATY KATY") is cut to the first;
  an ordinary word said several times ("Great Great") is dropped.
* :func:`letterless_tail`: a name known in the thread followed by tokens without a letter
  ("Katy Perry 600", "KATY PERRY <3 <3") is cut to the name.
* :func:`verb_lead`: a shouted or lower-case-led span that opens with an English verb and
  continues with a name known in the thread ("VOTE KATY", "subscribe PSY"): the span is cut to
  the name; so is a known name of two or more words led by verbs, adjectives or adverbs that are
  no stop words ("Awesome Job Katy Perry": :func:`common_lead`).

One rule also reads the word after the span:

* :func:`split_word_tail`: the span's last word is the head of a word split by a space ("Han
  nity", "Lim baugh"): the next word is lower case, no English word (WordNet or stop word), and
  the two written together are a word form general English knows (``wordfreq`` Zipf >=
  :data:`SPLIT_JOINED_ZIPF`) better than the tail alone. "Obama sux", "Putin ism" and "Bush ie"
  stay (written together they are rarer than the tail). A span in lower case that, written
  together with the next lower-case word (a space or a hyphen away), spells an English word is a
  prefix ("un employed", "un-edited"), not the UN.

One rule reads the text around the span:

* :func:`is_exclamation`: an acronym (:func:`~analysis.linking.names.is_acronym`) said as a
  sentence of its own ("GFY!!", "; S.M.H.", a comment that is only "ZQX."): chat abbreviations
  and slogans are uttered, names are said in sentences about something. The span is dropped
  unless a lexicon lists it; a name the thread writes elsewhere in a sentence is found there
  again by the gazetteer search ("KATY!!!" beside "Katy Perry sang").

Limits: the rules are English; a brand written as three glued words ("PricewaterhouseCoopers"
has two) or a pronoun inside an organisation's name ("Save Our Children") is dropped too.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from wordfreq import zipf_frequency

from analysis.linking.names import (
    _LETTERS,
    _stop_words,
    _wordnet_tables,
    common_words,
    is_acronym,
    is_english_word,
    name_key,
)
from analysis.linking.noise import is_common_word, is_sentence_initial
from analysis.linking.tails import lexicon_head

#: Zipf frequency from which a doubled syllable ("haha") counts as laughter.
LAUGHTER_DOUBLE_ZIPF = 4.0
#: Capitalised parts glued in one token from which it reads as an identifier.
GLUED_MIN_PARTS = 3
#: Zipf frequency from which a span's last word and the lower-case word after it, written
#: together, are one word split by a space (:func:`split_word_tail`).
SPLIT_JOINED_ZIPF = 2.0
#: The lower-case word right after a span, one space away.
_TAIL = re.compile(r"( |-)([^\W\d_A-Z]+)\b")
#: First- and second-person pronouns (not "us": "US" is an acronym; "I" alone is a stop word
#: span, handled elsewhere).
PERSONAL_PRONOUNS = frozenset({"me", "my", "mine", "you", "your", "yours", "we", "our", "ours"})

#: Number words of magnitude (the rule keeps ordinals: "First Amendment").
MAGNITUDE_WORDS = frozenset({"hundred", "thousand", "million", "billion", "trillion"})
#: Labels the magnitude rule applies to (events such as "Million Man March" keep theirs).
MAGNITUDE_LABELS = ("PERSON", "ORG", "NORP", "GPE")
#: A holiday's name (:func:`is_calendar_day`): words then "Eve", or a possessive then "Day".
_CALENDAR_DAY = re.compile(
    r"[^\W\d_]{2,}\.?(?:[\s\-]+[^\W\d_]+)*(?:(?<!\band)['\u2019]?s?\s+Eve|['\u2019]s?\s+Day)",
    re.IGNORECASE,
)

_SYLLABLE = re.compile(r"([^\W\d_]{1,3}?)\1+", re.IGNORECASE)
_GLUED_PART = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])")


def fold_width(text: str) -> str:
    """Full-width and other compatibility letters as plain ones ("ＤＡＭＮ" -> "DAMN")."""
    return unicodedata.normalize("NFKC", text) if not text.isascii() else text


@lru_cache(maxsize=4096)
def is_laughter(word: str) -> bool:
    """``word`` is one short syllable repeated (see the module docstring)."""
    low = fold_width(word).casefold()
    m = _SYLLABLE.fullmatch(low)
    if m is None or len(low) < 4:
        return False
    repeats = len(low) // len(m.group(1))
    return repeats >= 3 or zipf_frequency(low, "en") >= LAUGHTER_DOUBLE_ZIPF


def is_glued_identifier(span: str) -> bool:
    """One token of :data:`GLUED_MIN_PARTS`+ capitalised parts, most of them English words."""
    if not span.isalnum() or not span[:1].isupper():
        return False
    parts = _GLUED_PART.findall(span)
    if len(parts) < GLUED_MIN_PARTS or "".join(parts) != span.rstrip("0123456789"):
        return False
    words = sum(1 for p in parts if len(p) >= 2 and is_english_word(p.casefold()))
    return words * 2 > len(parts)


def has_personal_pronoun(span: str) -> bool:
    """A first- or second-person pronoun in lower case or capitalised ("My"), or in capitals
    inside a shouted span ("MY CHANNEL")."""
    shouted = _shouted_words(span)
    return any(
        w.casefold() in PERSONAL_PRONOUNS and (shouted or not w.isupper())
        for w in _LETTERS.findall(span)
    )


def _shouted_words(span: str) -> bool:
    words = [w for w in _LETTERS.findall(span) if len(w) >= 2]
    return len(words) >= 2 and all(w.isupper() for w in words)


def is_adverb_only(span: str) -> bool:
    """One word that WordNet lists as an adverb and as no noun or adjective."""
    words = _LETTERS.findall(span)
    if len(words) != 1 or words[0] != span.strip():
        return False
    tables = _wordnet_tables()
    low = words[0].casefold()
    return low in tables["adv"] and low not in tables["noun"] and low not in tables["adj"]


def verb_lead(span: str, known: set[str] | None) -> int | None:
    """Offset in ``span`` of the known name after a leading verb, or None (module docstring).

    The span must be shouted (every word of two or more letters in capitals) or open with a
    lower-case word, so that "Mark Zuckerberg" or "Bill Gates" keep their first names.
    """
    if not known:
        return None
    m = re.match(r"(\S+)\s+", span)
    if m is None:
        return None
    first = m.group(1)
    if not (_shouted_words(span) or first[:1].islower()):
        return None
    if first.casefold() not in _wordnet_tables()["verb"]:
        return None
    rest = span[m.end() :]
    return m.end() if rest and name_key(rest) in known else None


def repeated_word(span: str) -> int | None:
    """End of the first word when the span is one word said several times ("KATY KATY KATY")."""
    words = list(re.finditer(r"\S+", span))
    if len(words) < 2 or len({w.group(0).casefold() for w in words}) != 1:
        return None
    return words[0].end()


def is_calendar_day(span: str) -> bool:
    """A holiday's name: words then "Eve", or a possessive then "Day" ("New Year's Eve",
    "Christmas Eve", "Mother's Day"; not "Independence Day", "D-Day", "Adam and Eve" or "Eve"
    alone)."""
    return bool(_CALENDAR_DAY.fullmatch(span.strip()))


def is_ideology_word(span: str, curated: frozenset[str] | set[str] = frozenset()) -> bool:
    """One word ending in "-ist" or "-ists" whose "-ism" is a WordNet noun and no ``curated``
    (lexicon) name: "Communist", "leftists"; not "Buddhist" when "Buddhism" is curated, not
    "Democrats" (no "-ism"), not "Zorbist" (no English "zorbism")."""
    words = _LETTERS.findall(span)
    if len(words) != 1:
        return False
    key = name_key(words[0])
    stem = key[:-4] if key.endswith("ists") else key[:-3] if key.endswith("ist") else ""
    if len(stem) < 3:
        return False
    ism = stem + "ism"
    if {ism, stem + "ist", stem + "ists"} & set(curated):
        return False
    return ism in _wordnet_tables()["noun"]


def has_magnitude_words(span: str) -> bool:
    """Ordinary words around a number of magnitude ("7 Billion Views", "BILLION"): counts and
    view tallies, not names."""
    words = [w.casefold() for w in _LETTERS.findall(span)]
    if not words or not any(w in MAGNITUDE_WORDS for w in words):
        return False
    return all(w in MAGNITUDE_WORDS or is_english_word(w) for w in words)


def letterless_tail(span: str, known: set[str] | None) -> int | None:
    """End of the name when the span is a known name followed by tokens without a letter
    ("Katy Perry 600", "KATY PERRY <3 <3"): counts and emoticons typed after a name."""
    if not known:
        return None
    words = list(re.finditer(r"\S+", span))
    keep = len(words)
    while keep > 1 and not any(ch.isalpha() for ch in words[keep - 1].group(0)):
        keep -= 1
    if keep == len(words):
        return None
    end = words[keep - 1].end()
    return end if name_key(span[:end]) in known else None


def common_lead(span: str, known: set[str] | None) -> int | None:
    """Offset of a known name of two or more words after words that are verbs, adjectives or
    adverbs but no stop words (:func:`~analysis.linking.names.common_words`: "Awesome Job Katy
    Perry"): praise and chatter typed before a name. First names are nouns ("Robert E. Lee"
    stays whole), and a stop word keeps the span whole ("University of New Mexico")."""
    if not known:
        return None
    words = list(re.finditer(r"\S+", span))
    stop = _stop_words()
    for i in range(1, len(words) - 1):
        lead = [w.group(0) for w in words[:i]]
        if any(w.casefold() in stop or w.casefold() not in common_words() for w in lead):
            return None
        if name_key(span[words[i].start() :]) in known:
            return words[i].start()
    return None


def shape_verdict(
    span: str, label: str, known: set[str] | None, curated: frozenset[str] | set[str]
) -> tuple[str, str, tuple[int, int]]:
    """What the shape rules say of a cleaned model span.

    Returns:
        ``("drop", reason, (0, 0))``, ``("trim", reason, (a, b))`` (keep ``span[a:b]``) or
        ``("keep", "", (0, len(span)))``. A lexicon name is always kept.
    """
    whole = (0, len(span))
    if name_key(span) in curated:
        return "keep", "", whole
    words = _LETTERS.findall(span)
    if words and all(is_laughter(w) for w in words):
        return "drop", "laughter", whole
    if is_glued_identifier(span):
        return "drop", "glued identifier (a user or page name)", whole
    if label != "WORK_OF_ART" and has_personal_pronoun(span):
        return "drop", "personal pronoun: a phrase, not a name", whole
    if is_adverb_only(span):
        return "drop", "adverb", whole
    if label == "NORP" and is_ideology_word(span, curated):
        return "drop", "the holder of an ideology, not a group", whole
    if label == "EVENT" and is_calendar_day(span):
        return "drop", "a holiday: a date, not a named event", whole
    if label in MAGNITUDE_LABELS and has_magnitude_words(span):
        return "drop", "a number and ordinary words", whole
    end = repeated_word(span)
    if end is not None and is_common_word(span[:end]):
        return "drop", "an ordinary word repeated", whole
    if end is not None:
        return "trim", "repeated word", (0, end)
    end = letterless_tail(span, known)
    if end is not None:
        return "trim", "numbers or symbols after the name", (0, end)
    end = lexicon_head(span, curated)
    if end is not None:
        return "trim", "ordinary words after a lexicon name", (0, end)
    cut = verb_lead(span, known)
    if cut is None:
        cut = common_lead(span, known)
    if cut is not None:
        return "trim", "leading verb or ordinary words removed", (cut, len(span))
    return "keep", "", whole


def split_word_tail(text: str, start: int, end: int) -> bool:
    """Whether the span ``text[start:end]`` ends in the head of a word split by a space ("a
    caller into Han nity says") or is a lower-case prefix ("un employed", "un-edited"): see the
    module docstring.

    Returns:
        True when the word after the span is lower case, one space away, not an English word,
        and the span's last word written together with it is a known word form, more frequent
        than the tail alone; or when the span is in lower case and, written together with the
        lower-case word after it (one space or a hyphen away), spells an English word.
    """
    tail = _TAIL.match(text, end)
    words = _LETTERS.findall(text[start:end])
    if tail is None or not words:
        return False
    rest = tail.group(2).casefold()
    joined = words[-1].casefold() + rest
    if text[start:end].islower() and is_english_word(joined):
        return True
    if tail.group(1) != " " or is_english_word(rest):
        return False
    zipf = zipf_frequency(joined, "en")
    return zipf >= SPLIT_JOINED_ZIPF and zipf > zipf_frequency(rest, "en")


#: Sentence punctuation that may follow an exclamation.
_CLOSING = re.compile(r"[.!?\u2026]*")
#: What may follow it on its line: closing quotes and brackets.
_CLOSING_QUOTES = " \t\"'\u201d\u2019)*"


def is_exclamation(text: str, start: int, end: int) -> bool:
    """Whether the span ``text[start:end]`` is an acronym said as a sentence of its own (see the
    module docstring).

    Returns:
        True when the span is an acronym, opens a sentence (or the text, or a line: after
        ``. ! ? ; :``) and is followed by nothing but punctuation and quotes to the end of its
        line or text ("G.F.Y."), or by sentence punctuation and the next sentence ("ZQX! I
        mean it"; not a single dot after a dotted acronym: "U.S.S. Milk" is a ship's name).
    """
    span = text[start:end]
    if not is_acronym(span) or not is_sentence_initial(text, start):
        return False
    closing = _CLOSING.match(text, end)
    after = closing.end()
    line_end = text.find("\n", after)
    rest = text[after : len(text) if line_end < 0 else line_end]
    if not rest.strip(_CLOSING_QUOTES):
        return True
    # the dot after a dotted acronym may be the abbreviation's own ("U.S.S. Milk")
    dot_of_abbreviation = closing.group(0) == "." and "." in span
    return bool(closing.group(0)) and not dot_of_abbreviation and rest[:1].isspace()
