"""How the thread itself writes a name: its case profile, and the rules read from it.

General word frequencies cannot tell "Navy" (a name that is also a word) from "Song" (a word
the model took for a name): both are ordinary English. The thread can. Every form of the
thread's entities and of the gazetteer is counted where it stands in the thread's text (outside
URLs, e-mail addresses, @handles and hashtags), as **named** (capitalised, not opening a
sentence, not shouted: :func:`~analysis.linking.noise.is_name_cased`; or camel case, as in
"iTunes"), **lower** (all lower
case) or neither (opening a sentence, in capitals). Writers capitalise a name and write a word
in lower case, so the ratio says which one a form is *in this thread*:

* :func:`word_like_roots`: a group whose every form is ordinary English
  (:func:`~analysis.linking.noise.is_common_phrase`), that no lexicon, flag, alias or the article
  anchors (a fuzzy link to the group, a misspelling of its form, is no anchor:
  :func:`~analysis.linking.rules.own_mentions`), and that the model does not label NORP or
  LANGUAGE, is left unlinked when
  it is mentioned in fewer than :data:`WORD_LIKE_MAX_DOCS` documents and the thread writes each
  of its forms in lower case more often than as a name ("song", "state", "house", "welfare" in
  a thread that names none of them). A one-word form is counted with its singular or plural
  (:func:`number_variants`): "States" named four times is the word in a thread that writes
  "state" and "states" in lower case eighteen times. "Navy", "Congress", "Fox" written as
  names far more often than as words stay.
* :func:`lower_case_ok`: a gazetteer form that the case rules of
  :func:`analysis.linking.search.case_rule` match only capitalised (it is an ordinary word or
  WordNet lists it: "muslims", "christians", "bible", "roar") may also match in lower case when
  the thread writes it as a name at least :data:`LOWER_MIN_NAMED` times and at least
  :data:`LOWER_RATIO` times as often as in lower case: the lower-case uses are then the same
  name written carelessly.

* :func:`unattested_frequent`: a gazetteer form that the case rules would match in any case
  because WordNet does not list it, but whose every word is frequent in general English
  (:func:`~analysis.linking.noise.is_frequent_phrase`: "remix", "dept", "youtuber"), matches in
  lower case only when the thread writes it as a name at least :data:`FREQUENT_MIN_NAMED`
  times or something else anchors its entity (the article names it, a flag or a lexicon does):
  one capitalised "Dept" does not make every "dept" a department, while "Merkel" named in
  several comments, or once in the article, still finds "merkel".

* :func:`plural_acronym_roots`: a group of acronyms the thread also writes with a plural "s"
  ("TG" beside "TGs", "CEO" beside "CEOs") names a kind of person or thing, not one entity, and is
  left unlinked unless a lexicon lists it.

* :func:`unseen_lower_case_roots`: a group found by the model only, in one document, never
  written as a name there (in lower case, or capitalised only where a sentence opens), that the
  thread never writes capitalised, and whose words general English has never seen (``wordfreq``
  Zipf below :data:`UNSEEN_ZIPF`: "andrijamatf", "aiiima", a misspelt "Awesum" opening a
  comment) is left unlinked: user names and typing noise, not names anyone else uses. Frequent
  names written in lower case ("obama", "merkel") stay; so does a rare name written as one
  anywhere in the thread. Limit: a rare name said once, opening a sentence, is lost.

Limits: a name the thread also uses as a word ("Apple" beside "an apple") is judged by the
majority use; a thread too small to have :data:`LOWER_MIN_NAMED` named uses never lets a
common-word name spread in lower case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
from wordfreq import zipf_frequency

from analysis.linking.lexicons import Lexicons
from analysis.linking.lowernames import lower_case_names
from analysis.linking.names import _LETTERS, ACRONYM_MAX_LETTERS, name_key
from analysis.linking.noise import (
    is_common_phrase,
    is_common_word,
    is_frequent_phrase,
    is_name_cased,
    noise_spans,
)
from analysis.linking.rules import _majority_label, own_mentions
from analysis.linking.search import NameForm, build_matcher, case_rule, find_names
from analysis.linking.store import ALIAS, FLAG, MODEL, _Context, _Mention

#: Named uses a form needs in the thread before its lower-case uses link.
LOWER_MIN_NAMED = 5
#: Named uses per lower-case use a form needs before its lower-case uses link.
LOWER_RATIO = 5
#: Named uses a frequent word form (:func:`unattested_frequent`) needs before its lower-case
#: uses link.
FREQUENT_MIN_NAMED = 2
#: Documents from which a group's mentions justify it whatever the case profile says (a thread
#: written all in lower case, as tweets often are, still names "Trump" in many of them).
WORD_LIKE_MAX_DOCS = 3
#: Zipf frequency under which a word counts as never seen in general English.
UNSEEN_ZIPF = 1.0
#: Case rules that keep a form's lower-case uses out (:func:`~analysis.linking.search.case_rule`).
_CAPITALISED_RULES = ("named", "capitalised", "propn")


def case_profile(
    chunks: Iterator[tuple[int, list[str]]], forms: Iterable[str]
) -> dict[str, tuple[int, int]]:
    """``name_key`` -> (named uses, lower-case uses) of ``forms`` over the thread's texts.

    Args:
        chunks: ``(first document, texts)`` chunks of the thread.
        forms: the forms to count (any case; one count per :func:`name_key`).
    """
    matcher = build_matcher(NameForm(f, name_key(f), MODEL) for f in forms if name_key(f))
    matcher.rules = dict.fromkeys(matcher.rules, "any")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _lo, texts in chunks:
        for text in texts:
            noise = noise_spans(text)
            for start, end, form in find_names(text, matcher):
                if any(a < end and start < b for a, b in noise):
                    continue
                surface = text[start:end]
                if is_plural_acronym(form.form):  # counted only as written: "TGs", not "TGS"
                    counts[name_key(form.form)][0] += int(is_plural_acronym(surface))
                elif is_name_cased(text, start, end) or _is_camel(surface):
                    counts[name_key(form.form)][0] += 1
                elif surface.islower():
                    counts[name_key(form.form)][1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _is_camel(surface: str) -> bool:
    """Lower case then a capital inside the word ("iTunes", "eBay"): written as a name."""
    letters = "".join(ch for ch in surface if ch.isalpha())
    return len(letters) > 1 and letters[0].islower() and any(ch.isupper() for ch in letters[1:])


def profiled_forms(ctx: _Context, gazetteer: Iterable[NameForm]) -> list[str]:
    """The forms worth counting: model forms of ordinary words, and gazetteer forms that match
    only capitalised."""
    lex = ctx.lexicons
    out = [
        m.form for m in ctx.mentions if m.form and m.method == MODEL and is_common_phrase(m.form)
    ]
    out += [v for f in out for v in number_variants(f)]
    out += [m.form + "s" for m in ctx.mentions if m.form and _plain_acronym(m.form)]
    out += [f.form for f in gazetteer if case_rule(f.form, lex) in _CAPITALISED_RULES]
    out += [f.form for f in gazetteer if _frequent_any(f, lex)]
    return out


def _frequent_any(form: NameForm, lex: Lexicons) -> bool:
    """A form the model found itself (not a surname of a full name, which has its own rule),
    frequent in general English, that the case rules match in any case. Knowledge-base forms
    are not: their own case rule already asked whether the form is an ordinary word
    (:func:`analysis.linking.knowledge.knowledge_case_rule`)."""
    key = name_key(form.form)
    if form.node != key or key in lex.knowledge:
        return False
    return case_rule(form.form, lex) == "any" and is_frequent_phrase(form.form)


def unattested_frequent(
    ctx: _Context, gazetteer: Iterable[NameForm], profile: dict[str, tuple[int, int]]
) -> frozenset[str]:
    """Keys of gazetteer forms kept out of lower-case matching (see the module docstring):
    frequent word forms the case rules match in any case, named fewer than
    :data:`FREQUENT_MIN_NAMED` times in the thread, whose group nothing else anchors (a
    mention in the article, a flag, a lexicon name)."""
    lex = ctx.lexicons
    anchored = {
        root
        for root, ms in ctx.by_root().items()
        if any(m.via or m.method in (ALIAS, FLAG) or m.n_article for m in ms)
    }
    return frozenset(
        name_key(f.form)
        for f in gazetteer
        if _frequent_any(f, lex)
        and profile.get(name_key(f.form), (0, 0))[0] < FREQUENT_MIN_NAMED
        and ctx.groups.find(f.node) not in anchored
    )


def lower_case_ok(profile: dict[str, tuple[int, int]]) -> frozenset[str]:
    """Keys whose lower-case uses may link (:func:`lower_case_ok` in the module docstring)."""
    return frozenset(
        key
        for key, (named, lower) in profile.items()
        if named >= LOWER_MIN_NAMED and named >= LOWER_RATIO * lower
    )


def word_like_roots(
    ctx: _Context, profile: dict[str, tuple[int, int]], doc_counts: dict[str, int]
) -> set[str]:
    """Groups the thread writes as words (see the module docstring), to be left unlinked.

    Args:
        doc_counts: root -> documents the model found the group in; a group found in
            :data:`WORD_LIKE_MAX_DOCS` or more documents is kept whatever the case profile.
    """
    out = set()
    for root, group in ctx.by_root().items():
        ms = own_mentions(group)  # a fuzzy link to the group is no evidence of a name
        if any(m.via or m.method in (ALIAS, FLAG) or m.n_article for m in ms):
            continue
        if doc_counts.get(root, 0) >= WORD_LIKE_MAX_DOCS:
            continue
        forms = {name_key(m.form) for m in ms if m.form}
        if not forms or not all(is_common_phrase(m.form) for m in ms if m.form):
            continue
        if _majority_label(ms, ctx.lexicons) in ("NORP", "LANGUAGE"):
            continue
        # every form on its own: one form written as a name ("Taylor Swift") justifies the
        # group even when another ("Swift") is mostly the word
        uses = [word_uses(f, profile) for f in {m.form for m in ms if m.form}]
        if all(lower > named for named, lower in uses):
            out.add(root)
    return out | plural_acronym_roots(ctx, profile)


def _plain_acronym(form: str) -> bool:
    """Two to :data:`~analysis.linking.names.ACRONYM_MAX_LETTERS` capitals, nothing else."""
    return 2 <= len(form) <= ACRONYM_MAX_LETTERS and form.isalpha() and form.isupper()


def is_plural_acronym(surface: str) -> bool:
    """An acronym with a plural "s" glued to it ("TGs", "CEOs"; not "TGS", "TG's")."""
    return surface.endswith("s") and _plain_acronym(surface[:-1])


def plural_acronym_roots(ctx: _Context, profile: dict[str, tuple[int, int]]) -> set[str]:
    """Groups of acronyms the thread also writes in the plural, to be left unlinked.

    A name is one thing: "the FBI", never "FBIs". An acronym the thread pluralises ("TGs",
    "CEOs", "DJs") abbreviates a common noun for a kind of person or thing, whatever label the
    model gave it. A group is dropped when every form of it is a plain acronym
    (:func:`_plain_acronym`) written somewhere in the thread with a plural "s"
    (:func:`is_plural_acronym`; ``profile`` counts those uses), no lexicon, alias or flag
    anchors it (a lexicon name, demonyms included, stays whatever the thread writes) and the
    model does not label it NORP (a group's name is a plural: "GAZANs" is "Gazans" shouted).

    Limits: a possessive written without its apostrophe ("NCs governor") reads as a plural; so
    do awards named in the plural ("the VMAs").
    """
    out = set()
    lex = ctx.lexicons
    for root, group in ctx.by_root().items():
        ms = own_mentions(group)
        if not ms or any(m.via or m.method in (ALIAS, FLAG) or m.key in lex.curated for m in ms):
            continue
        if _majority_label(ms, lex) == "NORP":
            continue  # groups of people are plural by nature ("GAZANs" is shouted "Gazans")
        forms = {m.form for m in ms if m.form}
        if forms and all(
            _plain_acronym(f) and profile.get(name_key(f + "s"), (0, 0))[0] for f in forms
        ):
            out.add(root)
    return out


def number_variants(form: str) -> list[str]:
    """The plural of a one-word form, or its singular, as written ("Song" -> "Songs", "States"
    -> "State", "Parties" -> "Party"), when that is an ordinary English word
    (:func:`~analysis.linking.noise.is_common_word`); no variants for other forms."""
    if not form.isalpha() or len(form) < 3:
        return []
    upper = form.isupper()
    low = form.casefold()
    if low.endswith("ies"):
        out = [form[:-3] + ("Y" if upper else "y")]
    elif low.endswith("s") and not low.endswith("ss"):
        out = [form[:-1], form[:-2]] if low.endswith("es") else [form[:-1]]
    else:
        out = [form + ("S" if upper else "s")]
    return [v for v in out if len(v) >= 3 and is_common_word(v)]


def word_uses(form: str, profile: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """(named, lower-case) uses of ``form`` and of its :func:`number_variants` in the thread:
    "states" and "state" in lower case are the same word as "States" named."""
    keys = {name_key(form), *(name_key(v) for v in number_variants(form))}
    counts = [profile.get(k, (0, 0)) for k in keys]
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def unseen_lower_case_roots(
    ctx: _Context, profile: dict[str, tuple[int, int]], doc_counts: dict[str, int]
) -> set[str]:
    """One-off groups of unseen words never written as a name (see the module docstring), to
    be left unlinked.

    Args:
        doc_counts: root -> documents the model found the group in.
    """
    out = set()
    for root, ms in ctx.by_root().items():
        if doc_counts.get(root, 0) != 1 or any(m.method != MODEL or m.via for m in ms):
            continue
        forms = [m.form or m.surface for m in ms]
        if any(m.cased for m in ms):
            continue
        if any(profile.get(name_key(f), (0, 0))[0] for f in forms):
            continue
        words = {w for f in forms for w in _LETTERS.findall(f)}
        if words and all(zipf_frequency(w, "en") < UNSEEN_ZIPF for w in words):
            out.add(root)
    return out


def root_doc_counts(
    ctx: _Context, docs: np.ndarray, sigs: np.ndarray, signatures: Sequence[_Mention]
) -> dict[str, int]:
    """root -> distinct documents of its live model mentions: the documents where the model
    itself found the name, not where the gazetteer spread it (``docs``/``sigs``: the store's
    columns; ``signatures``: the linker's signature list)."""
    out: dict[str, set[int]] = defaultdict(set)
    for d, s in zip(docs.tolist(), sigs.tolist(), strict=True):
        if signatures[s].method == MODEL:
            out[ctx.groups.find(signatures[s].key)].add(d)
    return {root: len(ds) for root, ds in out.items()}


def search_case_rules(
    ctx: _Context, gazetteer: Sequence[NameForm], profile: dict[str, tuple[int, int]]
) -> dict[str, frozenset[str]]:
    """The thread's case evidence as keyword options of
    :func:`~analysis.linking.search.build_matcher` (``lower_ok`` from :func:`lower_case_ok`,
    ``no_lower`` from :func:`unattested_frequent`)."""
    return {
        "lower_ok": lower_case_ok(profile) | lower_case_names(gazetteer, profile, ctx.lexicons),
        "no_lower": unattested_frequent(ctx, gazetteer, profile),
    }
