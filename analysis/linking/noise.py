"""What is never a name, and when a word is too common to spread as one.

* :func:`noise_spans`: URLs, bare domain names, e-mail addresses, @handles and hashtags. Nothing
  inside them becomes a mention (not a model span, not a gazetteer match, not a fuzzy match):
  "reddit" in a link or "youtu.be" names no actor where it stands.
  A word glued by a slash to a handle ("YouTube/codytolleson", "twitter/jo_smith99") is a
  channel address written without its domain (:data:`CHANNEL_PATTERN`): the handle after the slash
  is lower case and not a frequent word form (Zipf < :data:`FREQUENT_ZIPF`), so pairs of names
  ("Israel/Palestine", "Trump/pence") and words ("and/or") are no address.
* :func:`is_function_phrase`: spans made only of pronouns, auxiliaries and other stop words ("I
  am", "I'd", "You"), which the model sometimes labels on noisy text.
* :func:`is_common_word` / :func:`is_common_phrase`: an ordinary English word in that form: listed
  by WordNet or spaCy's stop words (with simple inflections) *and* frequent in general English
  (``wordfreq`` Zipf frequency >= :data:`COMMON_ZIPF`), or very frequent whatever WordNet says
  (>= :data:`VERY_COMMON_ZIPF`: "lol", "guy"). Names that are also words ("Bush", "Apple", "Fox")
  are common in this sense; a lexicon name never is. The rules use it with case evidence: such a
  name spreads through a thread only when the model found it written as a name (see
  :func:`analysis.linking.rules.seeds_gazetteer`) and is matched only where it is written as one
  (capitalised, not at the start of a sentence, not in shouted text).

* :func:`is_frequent_phrase`: every word frequent in general English by ``wordfreq`` alone
  (Zipf >= :data:`FREQUENT_ZIPF`), WordNet or not: used where the thread supplies the rest of
  the evidence (a model form seen once does not seed the gazetteer; a lower-case match needs the
  thread to write the form as a name).

Limits: ``wordfreq`` counts word forms without case, so a frequent name ("obama", Zipf 4.9) is as
frequent as a common word; WordNet membership separates most of them (WordNet predates many
names) but also lists famous names ("clinton", "israel") as nouns: those need case evidence too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from wordfreq import zipf_frequency

from analysis.linking.names import _LETTERS, _TEXT_CACHE_SIZE, _stop_words, is_english_word

#: Zipf frequency (log10 per billion words) from which a WordNet word counts as common.
COMMON_ZIPF = 3.0
#: Zipf frequency from which any word counts as common.
VERY_COMMON_ZIPF = 5.0
#: Zipf frequency from which a word form counts as frequent in general English whatever WordNet
#: says (:func:`is_frequent_phrase`: "dept", "remix", "youtuber", but also "obama", "merkel").
FREQUENT_ZIPF = 3.0

_TLDS = (
    "com|org|net|edu|gov|mil|int|info|biz|io|co|be|ly|me|tv|us|uk|ca|de|fr|ru|in|au|gl|gg|to|"
    "app|dev|xyz|site|online|news|blog"
)
NOISE_PATTERN = re.compile(
    r"(?:https?://|www\.)\S+"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    rf"|\b[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})\b(?:/\S*)?"  # bare domains, with a path
    r"|(?<![\w@])@\w+"  # @handles
    r"|(?<![\w#&])#\w*[^\W\d_]\w*",  # hashtags (not "#1")
    re.IGNORECASE,
)


#: A domain of any top-level domain followed by a path ("trojmiasto.pl/Vena-Bus"): the path
#: makes it a link whatever the TLD (the TLD in lower case, so "Mr.Smith/Jones" is no link).
PATH_URL_PATTERN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/\S*")


#: A word glued by a slash to a lower-case handle ("YouTube/codytolleson"): a channel address
#: without its domain when the handle is no frequent word form (checked in :func:`noise_spans`).
CHANNEL_PATTERN = re.compile(
    r"(?<![\w/.])[^\W\d_][\w.-]*/(?P<handle>[a-z0-9_][a-z0-9_.-]{2,})(?![\w/])"
)


def _channel_addresses(text: str) -> list[re.Match]:
    """:data:`CHANNEL_PATTERN` matches whose handle is not a frequent word form."""
    return [m for m in CHANNEL_PATTERN.finditer(text)
            if zipf_frequency(m.group("handle").strip(".-"), "en") < FREQUENT_ZIPF]  # fmt: skip


@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def noise_spans(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of the URLs, domains, e-mail addresses, @handles, hashtags and channel
    addresses (:data:`CHANNEL_PATTERN`) of ``text``, in text order."""
    if not any(ch in text for ch in ".@#/"):
        return ()
    out = []
    found = [*NOISE_PATTERN.finditer(text), *PATH_URL_PATTERN.finditer(text)]
    if "/" in text:
        found += _channel_addresses(text)
    matches = sorted(found,
                     key=lambda m: (m.start(), -m.end()))  # fmt: skip
    for m in matches:
        start, end = m.span()
        if out and start < out[-1][1]:
            continue  # inside a link already found
        while end > start + 1 and text[end - 1] in ".,;:!?)]\"'":
            end -= 1  # sentence punctuation after a link is not part of it
        out.append((start, end))
    return tuple(out)


def overlaps(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    """Whether ``start:end`` overlaps any of ``spans``."""
    return any(a < end and start < b for a, b in spans)


@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def is_common_word(word: str) -> bool:
    """An ordinary English word (see the module docstring); case is ignored."""
    low = word.casefold()
    if low in _stop_words():
        return True
    zipf = zipf_frequency(low, "en")
    if zipf >= VERY_COMMON_ZIPF:
        return True
    return zipf >= COMMON_ZIPF and is_english_word(low)


def is_common_phrase(text: str) -> bool:
    """Every word of ``text`` is an ordinary English word ("This song", "Please", "Bush")."""
    words = _LETTERS.findall(text)
    return bool(words) and all(is_common_word(w) for w in words)


def is_frequent_phrase(text: str, *, zipf: float = FREQUENT_ZIPF) -> bool:
    """Every word of ``text`` has a ``wordfreq`` Zipf frequency of at least ``zipf`` (default
    :data:`FREQUENT_ZIPF`: "Dept", "Remix", "YouTuber"; also frequent names: "Obama").

    Weaker than :func:`is_common_phrase` (WordNet need not list the word): the rules that use it
    ask the thread for evidence too, so a frequent name written as one stays.
    """
    words = _LETTERS.findall(text)
    return bool(words) and all(zipf_frequency(w.casefold(), "en") >= zipf for w in words)


def is_function_phrase(text: str) -> bool:
    """Only stop words: pronouns, auxiliaries, contractions ("I am", "I'd", "You")."""
    words = _LETTERS.findall(text)
    stop = _stop_words()
    return bool(words) and all(w.casefold() in stop or len(w) == 1 for w in words)


def is_sentence_initial(text: str, start: int) -> bool:
    """The word at ``start`` opens the text, a line or a sentence (after . ! ? and quotes)."""
    i = start - 1
    while i >= 0 and text[i] in " \t\"'\u201c\u2018(*-":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;\u2026"


def is_name_cased(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is written as a name: it starts with a capital, does not open a
    sentence, and is not in capitals inside shouted text nor ordinary words in capitals."""
    span = text[start:end]
    letters = "".join(ch for ch in span if ch.isalpha())
    if not letters or not letters[0].isupper() or is_sentence_initial(text, start):
        return False
    if len(letters) > 1 and letters.isupper():  # capitals: shouting or emphasis ("AGAIN")
        return not (_is_shouted(text, start, end) or is_common_phrase(span))
    return True


def _is_shouted(text: str, start: int, end: int) -> bool:
    """The nearest word of two or more letters on either side is in capitals."""
    before = [w for w in _LETTERS.findall(text[max(0, start - 60) : start]) if len(w) >= 2]
    after = [w for w in _LETTERS.findall(text[end : end + 60]) if len(w) >= 2]
    near = ([before[-1]] if before else []) + ([after[0]] if after else [])
    return any(w.isupper() for w in near)
