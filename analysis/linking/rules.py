"""The thread-wide linking rules, run over weighted mention signatures."""

from __future__ import annotations

from collections import Counter, defaultdict

from analysis.linking.fuzzy import (
    FUZZY_MIN_LENGTH,
    LOWER_CASE_RULES,
    _ascii_letters,
    fuzzy_link,
    is_lower_case_candidate,
)
from analysis.linking.lexicons import Lexicons, _phrase
from analysis.linking.names import (
    NAME_PARTICLES,
    _letters,
    _tokens,
    english_words,
    has_middle_initial,
    is_english_word,
    looks_like_person_name,
    name_key,
    surname_keys,
)
from analysis.linking.noise import is_common_phrase, is_common_word, is_frequent_phrase
from analysis.linking.search import NameForm
from analysis.linking.store import ALIAS, FLAG, FUZZY, GAZETTEER, MODEL, _Context, _Mention

#: One-word mentions with these labels may be linked to a full PERSON name by surname.
SURNAME_LABELS = ("PERSON", "ORG")
#: Labels a demonym mention may carry (the model sometimes tags "GAZAN" as GPE).
DEMONYM_LABELS = ("NORP", "GPE")
#: A form made of ordinary words seeds the gazetteer only with this many model mentions.
SEED_MIN_MENTIONS = 2
#: Zipf frequency from which a one-off model form never written as a name is too frequent a
#: word form to seed the gazetteer (:func:`seeds_gazetteer`; lower than the frequency at which a
#: lower-case match needs the thread's evidence, because one sentence-initial span is less
#: evidence than a name written as one).
SEED_FREQUENT_ZIPF = 2.5
#: A form of ordinary words written as a name this many times may match a lower-case proper noun.
ATTESTED_MIN = 3
#: Threads shorter than this keep every model span (:func:`unjustified_roots` needs a thread in
#: which a real name would be seen written as one; one sentence gives no such evidence).
UNJUSTIFIED_MIN_DOCS = 10
#: Demonyms join the country they name when it is mentioned in the thread (see step 6).
LINK_DEMONYMS = False
#: POS tags that make a candidate token proper-noun-like (fuzzy matching, the ``propn`` case rule).
PROPN_TAGS = ("PROPN", "X")


#: Labels that may name the same kind of thing as a lexicon label (places, states, groups):
#: a model mention anchors to a lexicon name only when the two labels are compatible, so the
#: person "Chad" does not become the country Chad.
_PLACE_LIKE = frozenset({"GPE", "LOC", "FAC", "ORG", "NORP"})


def _compatible(model_label: str | None, lexicon_label: str) -> bool:
    if model_label is None or model_label == lexicon_label:
        return True
    return model_label in _PLACE_LIKE and lexicon_label in _PLACE_LIKE


def _alias_method(key: str, canonical: str) -> str:
    """ "alias" unless the alias is the canonical name itself or its surname."""
    canon_key = name_key(canonical)
    return MODEL if key == canon_key or key in surname_keys(canonical) else ALIAS


def _link_aliases(ctx: _Context) -> None:
    """Union every mention key that is an alias with its canonical name's key."""
    for m in ctx.mentions:
        ctx.groups.add(m.key)
        if m.via is not None:
            ctx.groups.union(m.key, m.via)


def _norp_plurals(ctx: _Context) -> None:
    """Group nationality words: demonyms of one place; "Xs" with "X" for other NORP names."""
    lex = ctx.lexicons
    norp_keys = sorted({m.key for m in ctx.mentions if m.vote == "NORP" and m.method == MODEL})
    by_place: dict[str, list[str]] = defaultdict(list)
    for key in sorted({m.key for m in ctx.mentions if m.key in lex.demonyms}):
        by_place[name_key(lex.demonyms[key])].append(key)
    for keys in by_place.values():
        for other in keys[1:]:
            ctx.groups.union(keys[0], other)
    present = set(norp_keys)
    for key in norp_keys:
        if key.endswith("s") and key[:-1] in present and key not in lex.demonyms:
            ctx.groups.union(key, key[:-1])


def _group_names(ctx: _Context) -> dict[str, set[str]]:
    """root -> multi-word personal names of the group (its forms and lexicon names).

    A group counts when the model mostly labels it PERSON, or ORG (a frequent mislabel of
    people) with a name that :func:`looks_like_person_name`.
    """
    names: dict[str, set[str]] = defaultdict(set)
    lex = ctx.lexicons
    for root, ms in ctx.by_root().items():
        label = _majority_label(ms, lex)
        if label not in SURNAME_LABELS:
            continue
        for m in ms:
            if m.via in lex.canonical:
                canon, canon_label = lex.canonical[m.via]
                if canon_label == "PERSON" and len(_tokens(canon)) > 1:
                    names[root].add(canon)
            if not m.form or len(_tokens(m.form)) < 2 or m.vote not in SURNAME_LABELS:
                continue
            if label == "PERSON" or _person_like_org_name(m.form):
                names[root].add(m.form)
    return names


def _person_like_org_name(form: str) -> bool:
    """An ORG-labelled form that is a person's name: it :func:`looks_like_person_name` and no
    word of it is an ordinary English word ("Olaf Scholz", not "Boston Globe" or "New York
    Times": an organisation does not lend its last word to a surname rule)."""
    words = [w for w in _tokens(form) if name_key(w) not in NAME_PARTICLES]
    return looks_like_person_name(form) and not any(is_common_word(w) for w in words)


def _first_name_index(ctx: _Context) -> dict[str, set[str]]:
    """first-name key -> roots of the PERSON groups whose multi-word names start with it: the
    full names the thread writes, and the lexicon's full name of a group that reached one
    ("Trump" -> "Donald Trump", a person whatever label the model gave "Trump")."""
    index: dict[str, set[str]] = defaultdict(set)
    lex = ctx.lexicons
    for root, ms in ctx.by_root().items():
        known = {lex.canonical[m.via][0] for m in ms if m.via in lex.canonical}
        known = {n for n in known if lex.canonical[name_key(n)][1] == "PERSON"}
        if _majority_label(ms, lex) != "PERSON" and not known:
            continue
        written = {m.form for m in ms if m.form and m.vote == "PERSON"}
        for name in sorted(written | known):
            first = name_key(_tokens(name)[0]) if len(_tokens(name)) > 1 else ""
            if len(first) >= 3 and first not in NAME_PARTICLES:
                index[first].add(root)
    return index


def _link_first_names(ctx: _Context) -> None:
    """A one-word PERSON group joins the one person of the thread whose full name starts with
    that word ("Katy" -> "Katy Perry"), unless the word is also a surname in the thread or two
    people share the first name (but see :func:`_dominant`: "Katy Fashions" named once does not
    make "Katy" ambiguous in a thread that names Katy Perry forty times)."""
    surnames, _ = _surname_index(ctx)
    index = _first_name_index(ctx)
    weights = _weights(ctx)
    for root, ms in sorted(ctx.by_root().items()):
        if _majority_label(ms, ctx.lexicons) != "PERSON":
            continue
        keys = {m.key for m in ms if m.method in (MODEL, GAZETTEER) and m.form}
        if len(keys) != 1 or any(m.form and len(_tokens(m.form)) > 1 for m in ms):
            continue
        key = next(iter(keys))
        targets = {ctx.groups.find(t) for t in index.get(key, set())}
        targets.discard(ctx.groups.find(root))
        target = _dominant(targets, weights, ctx)
        if target is not None and key not in surnames:
            ctx.groups.union(root, target)


#: Share of the candidates' mentions from which one candidate is the meaning of a first name
#: or surname they share (four times all the others together), and the mentions it needs
#: (see :func:`_dominant`).
DOMINANT_SHARE = 0.8
DOMINANT_MIN_MENTIONS = 5


def _weights(ctx: _Context) -> dict[str, int]:
    return {root: sum(m.n for m in ms) for root, ms in ctx.by_root().items()}


def _dominant(targets: set[str], weights: dict[str, int], ctx: _Context) -> str | None:
    """The one target, or the target holding :data:`DOMINANT_SHARE` of the targets' mentions
    (and at least :data:`DOMINANT_MIN_MENTIONS`): in a thread that names one person far more
    often than anyone else sharing the name, the bare name is that person.

    ``weights`` are mentions per group root when they were counted; groups joined since are
    summed under their current root.
    """
    if len(targets) == 1:
        return next(iter(targets))
    if not targets:
        return None
    now: dict[str, int] = defaultdict(int)
    for root, n in weights.items():
        now[ctx.groups.find(root)] += n
    ranked = sorted(targets, key=lambda t: (-now[t], t))
    top, total = now[ranked[0]], sum(now[t] for t in targets)
    if top >= DOMINANT_MIN_MENTIONS and top >= DOMINANT_SHARE * total:
        return ranked[0]
    return None


def _surname_index(ctx: _Context) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    names = _group_names(ctx)
    index: dict[str, set[str]] = defaultdict(set)
    for root, group_names in names.items():
        for name in group_names:
            for k in surname_keys(name):
                index[k].add(root)
    return index, names


def _has_real_name(names: dict[str, set[str]], root: str, ctx: _Context) -> bool:
    """Some multi-word name of the group ``root`` is not made only of ordinary words, or has a
    middle initial ("Robert E Lee")."""
    found = [n for r, ns in names.items() if ctx.groups.find(r) == root for n in ns]
    return any(not is_common_phrase(n) or has_middle_initial(n) for n in found)


def _link_surnames(ctx: _Context) -> None:
    """One-word (or particle + surname) PERSON/ORG mentions -> the one full name with it."""
    index, names = _surname_index(ctx)
    weights = _weights(ctx)
    for root, ms in sorted(ctx.by_root().items()):
        if _majority_label(ms, ctx.lexicons) not in (None, *SURNAME_LABELS):
            continue
        keys = {m.key for m in ms if m.method in (MODEL, GAZETTEER) and m.form}
        for key in sorted(keys):
            targets = {ctx.groups.find(t) for t in index.get(key, set())}
            targets.discard(ctx.groups.find(root))
            # one person (or one far better attested), with a name that is not only ordinary
            # words ("Best Song")
            target = _dominant(targets, weights, ctx)
            if target is not None and _has_real_name(names, target, ctx):
                ctx.groups.union(root, target)
                break


def _case_evidence(ctx: _Context) -> dict[str, tuple[int, int]]:
    """key -> (model mentions, of which written as a name) over the thread."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for m in ctx.mentions:
        if m.method == MODEL:
            out[m.key][0] += m.n
            out[m.key][1] += m.n if m.cased else 0
    return {k: (v[0], v[1]) for k, v in out.items()}


def seeds_gazetteer(
    form: str, evidence: dict[str, tuple[int, int]], lex: Lexicons, *, anchored: bool = False
) -> bool:
    """Whether a model form may spread through the thread by the gazetteer search.

    A form that a lexicon lists always may ("Merkel", "Hamas"). A form made of ordinary words
    (:func:`~analysis.linking.noise.is_common_phrase`: "Please", "This song", "Bush") only when
    the model found it at least :data:`SEED_MIN_MENTIONS` times and at least once written as a
    name (capitalised, not opening a sentence, not shouted): one model false positive never
    spreads. Any other form may, unless every word of it is frequent in general English
    (:func:`~analysis.linking.noise.is_frequent_phrase` at Zipf >= :data:`SEED_FREQUENT_ZIPF`:
    "Ching", "Xoxo", "Remix", which WordNet does not list) and the model found it fewer than
    :data:`SEED_MIN_MENTIONS` times, never written as a name, and nothing else anchors its group
    (``anchored``: a lexicon name, a flag, the article, a full name it is part of, as "Macron"
    opening a sentence beside "Emmanuel Macron"): a one-off span of a frequent word form opening
    a sentence is as likely a word as a name. (Where such a form may match is the
    case rules' concern: :func:`analysis.linking.casing.unattested_frequent`.)

    Limits: a frequent name the model finds only once in a thread, opening a sentence ("Obama
    said...") is not spread; the alias table and fuzzy matching still link its other uses.
    """
    key = name_key(form)
    if key in lex.curated:
        return True
    n, cased = evidence.get(key, (0, 0))
    if not is_common_phrase(form):
        frequent = is_frequent_phrase(form, zipf=SEED_FREQUENT_ZIPF)
        return n >= SEED_MIN_MENTIONS or cased >= 1 or anchored or not frequent
    return n >= SEED_MIN_MENTIONS and cased >= 1


def surname_spreads(name: str) -> bool:
    """Whether the last word of the full name ``name`` may be searched alone in the thread.

    A surname that is frequent in general English (:func:`~analysis.linking.noise.
    is_frequent_phrase`: "Trudeau", "Remix") spreads only from a name written as a person's:
    every word capitalised and none in capitals ("Justin Trudeau", not "U LA LA Remix", a
    song title the model took for a person). Rarer surnames always may.
    """
    words = _tokens(name)
    if not is_frequent_phrase(words[-1]):
        return True
    return all(w[:1].isupper() and not w[1:].isupper() for w in words)


def _gazetteer_forms(ctx: _Context) -> list[NameForm]:
    """Forms of every entity of the thread (first seen first), then every alias-table name."""
    lex = ctx.lexicons
    forms: list[NameForm] = []
    seen: set[str] = set()

    def add(form: str, node: str, method: str, attested: bool = False) -> None:
        key = name_key(form)
        if key and key not in seen and len(_letters(form)) >= 2:
            seen.add(key)
            forms.append(NameForm(form, node, method, attested))

    by_root = ctx.by_root()
    evidence = _case_evidence(ctx)
    for _root, ms in sorted(by_root.items(), key=lambda kv: min((m.doc, m.start) for m in kv[1])):
        anchored = _anchored(ms)
        for m in sorted(ms, key=lambda m: (m.doc, m.start)):
            if m.form and m.method == ALIAS:
                add(m.form, m.key, ALIAS)
            elif (
                m.form
                and m.method == MODEL
                and seeds_gazetteer(m.form, evidence, lex, anchored=anchored)
            ):
                attested = evidence.get(m.key, (0, 0))[1] >= ATTESTED_MIN
                add(m.form, m.key, GAZETTEER, attested)
        for m in ms:
            if m.via in lex.canonical:
                add(lex.canonical[m.via][0], m.via, GAZETTEER)
    # surnames of full names never seen alone (not when ordinary words or shared by two people)
    index, names = _surname_index(ctx)
    for key, roots in sorted(index.items()):
        if len(roots) != 1 or key in seen or key in english_words():
            continue
        root = next(iter(roots))
        if not any(not is_common_phrase(n) for n in names[root]):
            continue
        for name in sorted(names[root]):
            words = _tokens(name)
            if name_key(words[-1]) == key and surname_spreads(name):
                add(words[-1], root, GAZETTEER)
    alias_canonicals = []
    for alias, canon, _label in lex.aliases.values():
        add(alias, name_key(canon), ALIAS)
        alias_canonicals.append(canon)
    for canon in alias_canonicals:
        add(canon, name_key(canon), ALIAS)
    return forms


def _anchored(ms: list[_Mention]) -> bool:
    return any(
        m.via is not None
        or m.method == FLAG
        or m.n_article > 0
        or (m.form is not None and len(_tokens(m.form)) > 1)
        for m in ms
    )


def _targets(ctx: _Context) -> dict[str, tuple[str, str, int]]:
    """Fuzzy targets: folded word -> (word, entity key, priority 0 thread / 1 alias table).

    A thread entity contributes its one-word forms, the surname of its multi-word personal names
    and the letters of its other multi-word names ("aljazeera"); the alias table contributes its
    one-word aliases and names and the surnames of its people. Words shared by two entities of the
    same priority are left out. Demonyms and fuzzy-linked forms are never targets.
    """
    lex = ctx.lexicons
    out: dict[str, tuple[str, str, int]] = {}
    ambiguous: set[str] = set()

    def add(word: str, node: str, priority: int, person: bool) -> None:
        words = _tokens(word)
        if len(words) > 1:
            word = words[-1] if person else "".join(words)
        key = _ascii_letters(word)
        if len(key) < FUZZY_MIN_LENGTH or key in lex.demonyms or key in ambiguous:
            return
        if key in out:
            if ctx.groups.find(out[key][1]) != ctx.groups.find(node) and out[key][2] == priority:
                ambiguous.add(key)
                del out[key]
            return
        out[key] = (word, node, priority)

    for root, ms in sorted(ctx.by_root().items()):
        person = _majority_label(ms, lex) == "PERSON"
        done: set[tuple] = set()
        for m in sorted(ms, key=lambda m: (m.doc, m.start)):
            if (m.via, m.form, m.method, m.key) in done:
                continue
            done.add((m.via, m.form, m.method, m.key))
            if m.via in lex.canonical:
                add(lex.canonical[m.via][0], root, 0, lex.canonical[m.via][1] == "PERSON")
            if m.form is None or m.method == FUZZY or m.key in ctx.fuzzy_keys:
                continue
            if m.key not in lex.demonyms:
                add(m.form, root, 0, person)
    for alias, canon, label in lex.aliases.values():
        node = name_key(canon)
        add(alias, node, 1, label == "PERSON")
        add(canon, node, 1, label == "PERSON")
    return out


def _fuzzy_eligible(word: str, lex: Lexicons, *, lemma: str | None = None) -> bool:
    letters = _ascii_letters(word)
    if len(letters) < FUZZY_MIN_LENGTH or len(_tokens(word)) != 1:
        return False
    key = name_key(word)
    if key in lex.demonyms or key in lex.aliases or key in lex.canonical:
        return False
    if _phrase(word) in lex.not_entities:
        return False
    return not is_english_word(word, lemma=lemma)


def _majority_label(ms: list[_Mention], lex: Lexicons) -> str | None:
    votes: Counter = Counter()
    for m in ms:
        if m.vote and m.method != FUZZY:
            votes[m.vote] += m.n
    if votes:
        return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    for m in ms:
        if m.via in lex.canonical:
            return lex.canonical[m.via][1]
    return None


def _fuzzy_model_entities(ctx: _Context) -> None:
    """One-word model entities that match no known name -> a similar, better-attested entity."""
    lex = ctx.lexicons
    by_root = ctx.by_root()
    info = {root: (sum(m.n for m in ms), _anchored(ms)) for root, ms in by_root.items()}
    targets = _targets(ctx)
    person_roots = set(_group_names(ctx))
    lexicon_words = {k for k, v in _targets(_Context(lex)).items() if v[2] > 0}
    for root, ms in sorted(by_root.items()):
        keys = {m.key for m in ms}
        if len(keys) != 1 or any(m.via or m.method not in (MODEL, GAZETTEER) for m in ms):
            continue
        forms = [m.form for m in ms if m.method == MODEL and m.form]
        if not forms or not all(_fuzzy_eligible(f, lex) for f in forms):
            continue
        if _ascii_letters(forms[0]) in lexicon_words:
            continue  # exactly a lexicon name (e.g. a surname): exact, not fuzzy
        source_label = _majority_label(ms, lex)
        if source_label == "NORP":
            continue
        count = info[root][0]

        def strong(node: str, root: str = root, count: int = count) -> bool:
            target_root = ctx.groups.find(node)
            if target_root == ctx.groups.find(root):
                return False
            if target_root not in info:
                return True  # a lexicon name not (yet) mentioned in the thread
            n, anchored = info[target_root]
            return anchored or n > count

        allowed = {k: v for k, v in targets.items() if strong(v[1])}
        link = fuzzy_link(forms[0], allowed)
        if link is None:
            continue
        target_ms = by_root.get(ctx.groups.find(link.node), [])
        target_label = (
            _majority_label(target_ms, lex)
            if target_ms
            else (lex.canonical[link.node][1] if link.node in lex.canonical else None)
        )
        person_like = ctx.groups.find(link.node) in person_roots
        if source_label == "PERSON" and target_label not in (None, "PERSON") and not person_like:
            continue
        ctx.groups.union(root, link.node)
        ctx.fuzzy_keys[next(iter(keys))] = link.score
        if link.node in lex.canonical:
            for m in ms:
                m.via = link.node
    for m in ctx.mentions:
        if m.key in ctx.fuzzy_keys:
            m.method = FUZZY
            m.score = ctx.fuzzy_keys[m.key]


def candidate_is_used(text: str, pos: str | None) -> bool:
    """Whether :func:`link_thread` can use a candidate token at all.

    Only proper-noun-like tokens matter: those tagged :data:`PROPN_TAGS` (fuzzy matching and the
    ``propn`` case rule of the gazetteer search), capitalised ones (fuzzy matching) and
    lower-case words no dictionary knows (:func:`~analysis.linking.fuzzy.
    is_lower_case_candidate`: "instagraml", fuzzy matching by spelling only). Callers may drop
    the other candidates before linking (on long threads most tokens are ordinary lower-case
    words); the output is the same as long as no two candidates share a span.
    """
    return pos in PROPN_TAGS or text[:1].isupper() or is_lower_case_candidate(text)


def candidate_fuzzy_rules(text: str, pos: str | None) -> frozenset[str] | None:
    """The fuzzy rules a candidate token may be linked by (``None``: all of them): a lower-case
    token that is not tagged :data:`PROPN_TAGS` only by spelling
    (:data:`~analysis.linking.fuzzy.LOWER_CASE_RULES`)."""
    if pos in PROPN_TAGS or not text.islower():
        return None
    return LOWER_CASE_RULES


def _link_demonyms(ctx: _Context) -> None:
    """A demonym group joins its place when the place is mentioned by name, alias or flag."""
    lex = ctx.lexicons
    by_root = ctx.by_root()
    place_present: dict[str, str] = {}
    for root, ms in by_root.items():
        for m in ms:
            if m.key not in lex.demonyms and m.method != FUZZY:
                place_present.setdefault(m.key, root)
                if m.via:
                    place_present.setdefault(m.via, root)
    for root, ms in sorted(by_root.items()):
        keys = {m.key for m in ms}
        if not keys or not all(k in lex.demonyms for k in keys):
            continue
        if any(m.vote not in (None, *DEMONYM_LABELS) for m in ms):
            continue
        places = {name_key(lex.demonyms[k]) for k in keys}
        if len(places) != 1:
            continue
        place = places.pop()
        if place in place_present:
            ctx.groups.union(root, place_present[place])


def unjustified_roots(ctx: _Context) -> set[str]:
    """Groups that cannot be justified as names, to be left unlinked.

    A group is unjustified when every form of it is ordinary English
    (:func:`~analysis.linking.noise.is_common_phrase`: "Please", "Guy", "Song", "AGAIN"), the
    model never found it written as a name (capitalised, not opening a sentence, not shouted nor
    ordinary words in capitals), no word of it is written as part of a name elsewhere in the
    thread ("Johnson" opening a sentence beside "Boris Johnson"), and no lexicon or flag anchors
    it: such spans are the model reading sentence-initial or shouted words as names (the rule runs
    on threads of at least :data:`UNJUSTIFIED_MIN_DOCS` documents). Groups the
    model labels NORP or LANGUAGE ("Jewish", "English") are kept: those adjectives are capitalised
    wherever they stand. The group is judged on :func:`own_mentions`: a fuzzy link to it (a
    misspelling of its form) is no evidence that the form is a name.
    """
    name_words = {
        name_key(w)
        for m in ctx.mentions
        if m.method == MODEL and m.cased and m.form and not is_common_phrase(m.form)
        for w in _tokens(m.form)
    }
    out = set()
    for root, group in ctx.by_root().items():
        ms = own_mentions(group)
        if any(m.via or m.method in (ALIAS, FLAG) for m in ms):
            continue
        if _majority_label(ms, ctx.lexicons) in ("NORP", "LANGUAGE"):
            continue
        forms = [m.form for m in ms if m.form]
        if not forms or not all(is_common_phrase(f) for f in forms):
            continue
        if any(m.cased for m in ms if m.method == MODEL):
            continue
        if not any(name_key(w) in name_words for f in forms for w in _tokens(f)):
            out.add(root)
    return out


def own_mentions(ms: list[_Mention]) -> list[_Mention]:
    """The mentions of a group that may justify it: all but its fuzzy links to no lexicon name.

    A fuzzy link ("Trangenderism" -> "Transgender") leans on the group it joins: it says the
    misspelling is that form, not that the form is a name; a fuzzy link to a lexicon name
    (``via``) is anchored by the lexicon and counts.
    """
    return [m for m in ms if m.method != FUZZY or m.via]
