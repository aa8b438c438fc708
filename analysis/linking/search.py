"""Gazetteer search: find the known forms of a name in text under case rules."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.linking.lexicons import Lexicons
from analysis.linking.names import (
    SHORT_FORM_MAX_LETTERS,
    _letters,
    _tokens,
    common_words,
    english_words,
    is_acronym,
    name_key,
)
from analysis.linking.noise import _is_shouted, is_common_phrase, is_name_cased, noise_spans


# --------------------------------------------------------------------------- name search
@dataclass(frozen=True)
class NameForm:
    """One searchable form of a name."""

    form: str  # as written
    node: str  # entity key it links to
    method: str  # gazetteer | alias
    #: written as a name by the model often in the thread (``rules.ATTESTED_MIN`` times): a
    #: form of ordinary words then also matches in lower case where spaCy tagged a proper noun
    attested: bool = False


def case_rule(form: str, lexicons: Lexicons | None = None) -> str:
    """How a form must be cased in text to match it.

    Returns:
        ``"upper"``: acronyms of one or two letters ("US", "UN") or that are ordinary words
        ("WHO") match only in capitals, and an acronym that is also an English word ("US", "WHO")
        not next to a word in capitals (shouted text); other acronyms ("NATO", "PSY") are
        ``"any"``.
        ``"exact"``: forms of at most :data:`SHORT_FORM_MAX_LETTERS` letters ("Xi").
        ``"named"``: forms made only of ordinary English words by word frequency
        (:func:`analysis.linking.noise.is_common_phrase`: "Bush", "Apple", "Fox", "Song") that no
        lexicon lists: only where written as a name (:func:`~analysis.linking.noise.is_name_cased`:
        capitalised, not opening a sentence, not shouted).
        ``"capitalised"``: other forms with an ordinary English word (:func:`common_words`: "Trump",
        "May", "Middle East") that no lexicon lists.
        ``"propn"``: forms made only of English nouns that no lexicon lists (WordNet lists many
        names: "putin", "hitler", but also "resistance"): capitalised, or lower case where spaCy
        tagged the token a proper noun.
        ``"any"``: everything else ("netanyahu", "hamas", "russia").
        A form of the knowledge base takes its own rule
        (:func:`analysis.linking.knowledge.knowledge_case_rule`, which adds ``"upper_or_lower"``).
    """
    curated = lexicons.curated if lexicons is not None else frozenset()
    key = name_key(form)
    if lexicons is not None and key in lexicons.knowledge:
        return lexicons.knowledge[key]  # analysis.linking.knowledge.knowledge_case_rule
    if is_acronym(form):
        return _acronym_rule(form, key, curated)
    if len(_letters(form)) <= SHORT_FORM_MAX_LETTERS:
        return "exact"
    if key in curated:
        return "any"
    if is_common_phrase(form):
        return "named"
    words = [name_key(w) for w in _tokens(form)]
    if key in common_words() or any(w in common_words() for w in words):
        return "capitalised"
    if all(w in english_words() for w in words):
        return "propn"
    return "any"


_WORD = re.compile(r"\w+")
#: What may separate the words of one name in text: spaces, a hyphen, a dot, an apostrophe.
_GAP = re.compile(r"[ \t]+|-|\.[ \t]*|['\u2019]")


@dataclass
class _Matcher:
    by_key: dict[str, NameForm]
    rules: dict[str, str]
    prefixes: frozenset[str]


def _acronym_rule(form: str, key: str, curated: frozenset[str] | set[str]) -> str:
    """Acronyms of 3+ letters that are no ordinary word ("NATO", "PSY", "USA" listed in a
    lexicon) match in any case ("nato", "Psy", "usa"); shorter ones, and those that are ordinary
    words ("US", "WHO", "IT"), only in capitals."""
    if len(_letters(form)) < 3 or key in common_words():
        return "upper"
    if key in curated or not is_common_phrase(form):
        return "any"
    return "upper"


def build_matcher(
    forms: Iterable[NameForm],
    lexicons: Lexicons | None = None,
    *,
    lower_ok: frozenset[str] = frozenset(),
    no_lower: frozenset[str] = frozenset(),
) -> _Matcher:
    """Index ``forms`` by :func:`name_key` (the first form per key wins) for :func:`find_names`.

    Args:
        lower_ok: keys whose forms also match in lower case where their case rule would keep
            only capitalised uses (:func:`analysis.linking.casing.lower_case_ok`).
        no_lower: keys whose forms match only capitalised where their case rule would match in
            any case (:func:`analysis.linking.casing.unattested_frequent`).
    """
    by_key: dict[str, NameForm] = {}
    for f in forms:
        key = name_key(f.form)
        if key and key not in by_key:
            by_key[key] = f
    prefixes = frozenset(k[:i] for k in by_key for i in range(1, len(k) + 1))
    rules = {k: case_rule(f.form, lexicons) for k, f in by_key.items()}
    for k, f in by_key.items():
        if f.attested and rules[k] == "named":
            rules[k] = "named_propn"
        if k in no_lower and rules[k] == "any":
            rules[k] = "capitalised"
        if k in lower_ok and rules[k] in ("named", "named_propn"):
            rules[k] = "named_lower"
        elif k in lower_ok and rules[k] in ("capitalised", "propn"):
            rules[k] = "any"  # still capitalised anywhere ("GANGNAM STYLE"), now lower case too
    return _Matcher(by_key, rules, prefixes)


_HOST = re.compile(r"(?:[a-z][a-z0-9+.-]*://)?(?:[^\s/@]*@)?([\w.-]+)", re.IGNORECASE)
#: Host labels that never name a site ("www.twitch.tv": only "twitch" does).
_HOST_PREFIXES = frozenset({"www", "m", "mobile", "en", "web", "go", "http", "https"})


def site_names(text: str) -> frozenset[str]:
    """Name keys of the sites ``text`` links to: the labels of the host names of its URLs and
    bare domains (:func:`~analysis.linking.noise.noise_spans`) without the top-level domain and
    the ``www``-like prefixes ("http://www.twitch.tv/x" -> {"twitch"}; "youtu.be" -> {"youtu"}).

    A comment that links to a site and names it in lower case ("follow him on twitch
    twitch.tv/x") writes the site's name, not the ordinary word: :func:`find_names` lets such a
    lower-case form match where its case rule would want it capitalised.
    """
    out = set()
    for start, end in noise_spans(text):
        link = text[start:end]
        if "@" in link.split("/")[0] and "://" not in link:
            continue  # an e-mail address or @handle names a person, not a site
        host = _HOST.match(link)
        labels = host.group(1).casefold().split(".") if host else []
        if len(labels) < 2:
            continue
        out.update(name_key(w) for w in labels[:-1] if w and w not in _HOST_PREFIXES)
    out.discard("")
    return frozenset(out)


def find_names(
    text: str,
    matcher: _Matcher,
    *,
    propn: set[tuple[int, int]] | frozenset = frozenset(),
    sites: frozenset[str] = frozenset(),
) -> list[tuple[int, int, NameForm]]:
    """Occurrences of the matcher's forms in ``text`` that satisfy their :func:`case_rule`.

    Matching is word-bounded and ignores case, accents and the separators between the words of a
    name (spaces, hyphen, dot: "al-Assad" = "al Assad", "aljazeera" = "Al Jazeera"); at each word
    the longest form wins ("South America" over "America").
    A match with a "+" glued after it is another name ("Google+" is not Google) and is skipped.

    Args:
        text: the document text; characters masked with NUL (linked spans) never match.
        matcher: from :func:`build_matcher`.
        propn: ``(start, end)`` of tokens spaCy tagged PROPN or X (for the ``"propn"`` rule).
        sites: name keys of the sites the document links to (:func:`site_names`): an
            all-lower-case form of one of them matches whatever its case rule ("twitch" beside
            "twitch.tv/x"; not acronym rules: "us" beside "us.gov" stays unlinked).

    Returns:
        ``(start, end, form)`` tuples in text order.
    """
    if not matcher.by_key:
        return []
    words = list(_WORD.finditer(text))
    out = []
    i = 0
    while i < len(words):
        acc = name_key(words[i].group(0))
        best = None
        j = i
        while acc in matcher.prefixes:
            if acc in matcher.by_key:
                end = words[j].end()
                form = matcher.by_key[acc]
                dotted = "." in text[words[i].start() : end] or form.form.endswith(".")
                if dotted and text[end : end + 1] == ".":
                    end += 1
                # a one-word form met as several words needs them capitalised: "just in" is not
                # "Justin", "You Tube" may be "YouTube"
                split = j > i and len(_tokens(form.form)) == 1
                ok = not split or all(w.group(0)[:1].isupper() for w in words[i : j + 1])
                if split and is_acronym(form.form) and not dotted:
                    ok = False  # "US A" is not "USA"; "U.S.A." is
                if text[end : end + 1] == "+":
                    ok = False  # a glued "+" names something else: "Google+", "Disney+", "C++"
                if ok and _case_ok(text, words[i].start(), end, acc, matcher, propn, sites):
                    best = (words[i].start(), end, form, j)
            if j + 1 >= len(words) or not _GAP.fullmatch(
                text, words[j].end(), words[j + 1].start()
            ):
                break
            j += 1
            acc += name_key(words[j].group(0))
        if best is None:
            i += 1
            continue
        out.append(best[:3])
        i = best[3] + 1
    return out


#: Case rules a lower-case form of a site the document links to may pass (:func:`site_names`).
_SITE_RULES = frozenset({"named", "named_propn", "capitalised", "propn"})


def _case_ok(
    text: str,
    start: int,
    end: int,
    key: str,
    matcher: _Matcher,
    propn: set | frozenset,
    sites: frozenset[str] = frozenset(),
) -> bool:
    found = text[start:end]
    rule = matcher.rules[key]
    if key in sites and rule in _SITE_RULES and found.islower():
        return True
    if rule == "upper":
        if not _letters(found).isupper():
            return False
        return not (key in english_words() and _is_shouted(text, start, end))
    if rule == "exact":
        return _letters(matcher.by_key[key].form) == _letters(found)
    if rule == "upper_or_lower":
        return _letters(found).isupper() or found.islower()
    if rule == "named":
        return is_name_cased(text, start, end)
    if rule == "named_propn":
        return is_name_cased(text, start, end) or (start, end) in propn
    if rule == "named_lower":
        return is_name_cased(text, start, end) or found.islower()
    if rule == "capitalised":
        return found[:1].isupper()
    if rule == "propn":
        return found[:1].isupper() or (start, end) in propn
    return True
