"""Naming an entity: its canonical name, label, surface forms and method counts."""

from __future__ import annotations

from collections import Counter

from wordfreq import zipf_frequency

from analysis import schema as S
from analysis.linking.labels import given_name_label
from analysis.linking.lexicons import Lexicons, _phrase
from analysis.linking.names import (
    NAME_PARTICLES,
    _letters,
    _stop_words,
    _tokens,
    _wordnet_tables,
    is_acronym,
    name_key,
)
from analysis.linking.noise import VERY_COMMON_ZIPF
from analysis.linking.store import FUZZY, GAZETTEER, MODEL, _Mention


def _choose_name(ms: list[_Mention], lex: Lexicons) -> tuple[str, str]:
    """(canonical name, label) of one group of mentions (step 7)."""
    via_counts: Counter = Counter()
    votes: Counter = Counter()
    for m in ms:
        if m.via and m.via in lex.canonical:
            via_counts[m.via] += m.n
        if m.vote and m.key not in lex.demonyms and m.method != FUZZY:
            votes[m.vote] += m.n
    first = min(ms, key=lambda m: (m.doc, m.start))
    if via_counts:
        anchor = sorted(via_counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        name, label = lex.canonical[anchor]
        return name, label
    if votes:
        top = max(votes.values())
        ordered = sorted(ms, key=lambda m: (m.doc, m.start))
        label = next(m.vote for m in ordered if m.vote and votes.get(m.vote) == top)
    else:
        label = first.fallback or first.vote or "ORG"
    label = given_name_label(ms, label, lex)
    forms = [m for m in ms if m.form and m.method in (MODEL, GAZETTEER)]
    non_demonym = [m for m in forms if m.key not in lex.demonyms]
    forms = non_demonym or forms or [first]
    stats: dict[str, list] = {}
    for m in sorted(forms, key=lambda m: (m.doc, m.start)):
        form = " ".join((m.form or "").split())
        st = stats.setdefault(form, [0, False, (m.doc, m.start)])
        st[0] += m.n
        st[1] = st[1] or m.n_article > 0
    titled = {name_key(f) for f in stats if _is_title_case(f)}
    best = min(
        full_clean_forms(list(stats), lex),
        key=lambda f: (_casing(f, titled), -stats[f][0], not stats[f][1], stats[f][2], f),
    )
    if _letters(best).islower():
        best = " ".join(w[:1].upper() + w[1:] for w in best.split(" "))
    return best, label


def _casing(form: str, titled: set[str] | frozenset[str] = frozenset()) -> int:
    """0 mixed case or an acronym, 1 in capitals, 2 in lower case (lower is better). A short
    form in capitals is no acronym when the group also writes it capitalised as a word (keys in
    ``titled``: "ZORB" beside "Zorb" is a name shouted)."""
    letters = _letters(form)
    if letters.islower():
        return 2
    if letters.isupper() and (not is_acronym(form) or name_key(form) in titled):
        return 1
    return 0


def _is_title_case(form: str) -> bool:
    """Every word an upper-case letter then lower-case letters only ("Zorb", "Zorb Quill")."""
    words = _tokens(form)
    return bool(words) and all(len(w) > 1 and w[0].isupper() and w[1:].islower() for w in words)


def _window(small: list[str], big: list[str]) -> int:
    """Where ``small`` sits as a contiguous run inside the longer ``big`` (-1: nowhere)."""
    n = len(small)
    if not n or n >= len(big):
        return -1
    return next((i for i in range(len(big) - n + 1) if big[i : i + n] == small), -1)


def _name_like_word(word: str, lex: Lexicons) -> bool:
    """A word that can stand beside a name inside it: capitalised (or a particle such as "al"),
    not a stop word, adjective, adverb or verb-only word by WordNet ("Thankfully", "Glad",
    "This"), not a very frequent non-noun ("Hey"), not chat noise ("IMO", "lol"). Given names that
    are also nouns ("Paul", "Bill", "Mark") stay name-like."""
    key = name_key(word)
    if key in NAME_PARTICLES:
        return True
    if len(_letters(word)) < 2 or not word[:1].isupper() or _phrase(word) in lex.not_entities:
        return False
    if key in lex.curated:
        return True
    tables = _wordnet_tables()
    low = word.casefold()
    if low in _stop_words() or low in tables["adj"] or low in tables["adv"]:
        return False
    if low in tables["noun"]:
        return True
    return low not in tables["verb"] and zipf_frequency(low, "en") < VERY_COMMON_ZIPF


def full_clean_forms(forms: list[str], lex: Lexicons) -> list[str]:
    """The forms a canonical name may be taken from: clean and full.

    A form is not clean when it is another form of the entity with extra words that are not
    name-like around it ("Thankfully Obama", "Glad Sony", "s Samsung", "iPhone IMO" beside
    "Obama", "Sony", "Samsung", "iPhone"); "Barack Obama" beside "Obama" is clean. Of the clean
    forms, those inside a longer clean form are not full ("Obama" inside "Barack Obama").

    Returns:
        The full clean forms, in the order given (all forms when none is clean).
    """
    words = {f: [w for w in _tokens(f)] for f in forms}
    keys = {f: [name_key(w) for w in words[f]] for f in forms}
    dirty = set()
    for big in forms:
        for small in forms:
            at = _window(keys[small], keys[big])
            if at < 0:
                continue
            extra = words[big][:at] + words[big][at + len(keys[small]) :]
            if not all(_name_like_word(w, lex) for w in extra):
                dirty.add(big)
                break
    clean = [f for f in forms if f not in dirty] or list(forms)
    return [f for f in clean if not any(_window(keys[f], keys[g]) >= 0 for g in clean)]


def entity_row(
    thread_id: str, entity_id: str, name: str, label: str, ms: list[_Mention]
) -> dict[str, object]:
    """One row of the ``entities`` table for the group of mentions ``ms`` (``doc_count`` is
    left 0 for the caller, which counts documents from the store)."""
    total = sum(m.n for m in ms)
    article = sum(m.n_article for m in ms)
    return {
        S.THREAD_ID: thread_id,
        S.ENTITY_ID: entity_id,
        S.ENTITY_NAME: name,
        S.LABEL: label,
        "aliases": _surface_forms(ms),
        "mention_count": total,
        "article_mention_count": article,
        "comment_mention_count": total - article,
        "doc_count": 0,
        "link_methods": _method_counts(ms),
        **{f"{meth}_count": sum(m.n for m in ms if m.method == meth) for meth in S.LINK_METHODS},
    }


def _method_counts(ms: list[_Mention]) -> str:
    counts: Counter = Counter()
    for m in ms:
        counts[m.method] += m.n
    return " | ".join(f"{meth}:{counts[meth]}" for meth in S.LINK_METHODS if counts[meth])


def _surface_forms(ms: list[_Mention]) -> str:
    counts: Counter = Counter()
    first: dict[str, tuple[int, int]] = {}
    for m in sorted(ms, key=lambda m: (m.doc, m.start)):
        surface = m.surface
        counts[surface] += m.n
        first.setdefault(surface, (m.doc, m.start))
    return " | ".join(sorted(counts, key=lambda s: (-counts[s], first[s], s)))
