"""Naming an entity: its canonical name, label, surface forms and method counts."""

from __future__ import annotations

from collections import Counter

from analysis import schema as S
from analysis.linking.lexicons import Lexicons
from analysis.linking.names import _letters, _tokens, is_acronym
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
    forms = [m for m in ms if m.form and m.method in (MODEL, GAZETTEER)]
    non_demonym = [m for m in forms if m.key not in lex.demonyms]
    forms = non_demonym or forms or [first]
    stats: dict[str, list] = {}
    for m in sorted(forms, key=lambda m: (m.doc, m.start)):
        form = " ".join((m.form or "").split())
        st = stats.setdefault(form, [0, False, (m.doc, m.start)])
        st[0] += m.n
        st[1] = st[1] or m.n_article > 0

    def casing(form: str) -> int:
        letters = _letters(form)
        if letters.islower():
            return 2
        if letters.isupper() and not is_acronym(form):
            return 1
        return 0

    best = min(
        stats,
        key=lambda f: (-len(_tokens(f)), casing(f), not stats[f][1], -stats[f][0], stats[f][2], f),
    )
    if _letters(best).islower():
        best = " ".join(w[:1].upper() + w[1:] for w in best.split(" "))
    return best, label


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
