"""Misspelt multi-word names: a model entity "Katty Purry" joins the thread's "Katy Perry".

The one-word rule (:func:`analysis.linking.rules._fuzzy_model_entities`) compares a single word
with the thread's names; a full name misspelt in several words ("Katty Purry", "Hilary
Clintun") is a model entity of its own that no word of it matches alone ("Purry" is too far
from "Perry" for a short word). :func:`fuzzy_model_entities` runs that rule, then
:func:`fuzzy_full_names`.
"""

from __future__ import annotations

from analysis.linking.fuzzy import _ascii_letters, name_similarity
from analysis.linking.names import _tokens, is_english_word, name_key
from analysis.linking.rules import (
    SURNAME_LABELS,
    _fuzzy_model_entities,
    _majority_label,
)
from analysis.linking.store import FUZZY, GAZETTEER, MODEL, _Context, _Mention


def fuzzy_model_entities(ctx: _Context) -> None:
    """The one-word fuzzy rule for model entities, then :func:`fuzzy_full_names`."""
    _fuzzy_model_entities(ctx)
    fuzzy_full_names(ctx)


def _words_align(source: tuple[str, ...], target: tuple[str, ...]) -> bool:
    """Word by word: equal, or a differing word of the source that is no English word and starts
    with the target word's letter; at least one word differs."""
    if len(source) != len(target):
        return False
    differ = 0
    for s, t in zip(source, target, strict=True):
        if name_key(s) == name_key(t):
            continue
        a, b = _ascii_letters(s), _ascii_letters(t)
        if not a or not b or a[0] != b[0] or is_english_word(s):
            return False
        differ += 1
    return differ > 0


def _attested(ms: list[_Mention], ctx: _Context) -> bool:
    """Anchored by a lexicon name or the article (a longer form does not count here: every
    full name is one)."""
    return any(m.via in ctx.lexicons.canonical or m.n_article > 0 for m in ms)


def _label_fits(source: str | None, target: str | None) -> bool:
    """Same label, or a PERSON/ORG pair (ORG is the model's frequent mislabel of people)."""
    if source == target:
        return True
    return source in SURNAME_LABELS and target in SURNAME_LABELS


def _full_names(ms: list[_Mention], ctx: _Context) -> set[str]:
    """Multi-word names of a group: its forms (not fuzzy-linked) and its lexicon names."""
    lex = ctx.lexicons
    out = {
        m.form
        for m in ms
        if m.form and m.method != FUZZY and m.key not in ctx.fuzzy_keys and len(_tokens(m.form)) > 1
    }
    out |= {lex.canonical[m.via][0] for m in ms if m.via in lex.canonical}
    return {n for n in out if len(_tokens(n)) > 1}


def fuzzy_full_names(ctx: _Context) -> None:
    """A multi-word model entity that is a misspelling of a better-attested full name joins it.

    The source is a group with one key, found by the model (or the gazetteer search of its own
    form), not linked to a lexicon name nor named in the article, whose forms are two or more
    words. A target is a
    multi-word name of another group (its forms or its lexicon name) with the same number of
    words, each word equal to the source's or, where they differ, a source word that is no
    English word (:func:`~analysis.linking.names.is_english_word`) with the same first letter
    (:func:`_words_align`: "Katty Purry" ~ "Katy Perry"; "Katy Party", "Kitty Perry" beside
    "Katy Perry" if "kitty" is a word, and "Orange Clown" are not), and whose letters together
    pass :func:`~analysis.linking.fuzzy.name_similarity` ("kattypurry" ~ "katyperry"). The target
    group must have more mentions than the source or be anchored (a lexicon name, the article,
    a longer name), its label must fit (:func:`_label_fits`), and it must be the only group that
    matches. The source's mentions become ``fuzzy`` with the Jaro-Winkler similarity of the
    letters as ``link_score``.

    Limits: puns that change a first letter ("Killary") or a word into an English word ("Crooked
    Hillary") stay their own entity; a name misspelt with a different number of words
    ("Katyperry") is left to the one-word rule.
    """
    lex = ctx.lexicons
    by_root = ctx.by_root()
    info = {root: (sum(m.n for m in ms), _attested(ms, ctx)) for root, ms in by_root.items()}
    labels = {root: _majority_label(ms, lex) for root, ms in by_root.items()}
    names = {root: _full_names(ms, ctx) for root, ms in by_root.items()}
    # the best-attested variants first, so a weaker variant of the same name finds one group
    for root, ms in sorted(by_root.items(), key=lambda kv: (-info[kv[0]][0], kv[0])):
        keys = {m.key for m in ms}
        if len(keys) != 1 or any(m.via or m.method not in (MODEL, GAZETTEER) for m in ms):
            continue
        forms = sorted({m.form for m in ms if m.method == MODEL and m.form})
        if not forms or any(len(_tokens(f)) < 2 for f in forms):
            continue
        count, attested = info[root]
        if attested:
            continue  # a name the article writes, or a lexicon name, is no misspelling
        source = _tokens(forms[0])
        found: dict[str, float] = {}
        for other, other_names in names.items():
            n, anchored = info[other]
            now = ctx.groups.find(other)
            if now == ctx.groups.find(root) or not (anchored or n > count):
                continue
            if not _label_fits(labels[root], labels[other]):
                continue
            for name in sorted(other_names):
                if not _words_align(source, _tokens(name)):
                    continue
                sim = name_similarity("".join(source), "".join(_tokens(name)))
                if sim.accepted:
                    found[now] = max(found.get(now, 0.0), sim.jaro_winkler)
        if len(found) != 1:
            continue
        target, score = next(iter(found.items()))
        ctx.groups.union(root, target)
        key = next(iter(keys))
        ctx.fuzzy_keys[key] = score
        for m in ms:
            m.method, m.score = FUZZY, score
