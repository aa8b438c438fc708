"""Fuzzy and sound-alike matching of a token against known names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz import process
from rapidfuzz.distance import Indel, JaroWinkler

from analysis.linking.knowledge import is_ordinary_form
from analysis.linking.names import _TEXT_CACHE_SIZE, fold, is_english_word

#: Candidate tokens shorter than this are never fuzzy-matched (nor are target names).
FUZZY_MIN_LENGTH = 4
#: Spelling rule: minimum Jaro-Winkler similarity ...
FUZZY_JW_MIN = 0.90
#: ... and minimum Indel (Levenshtein without substitutions) normalised similarity.
FUZZY_RATIO_MIN = 0.80
#: Tokens of at most this many letters also need equal Metaphone codes under the spelling rule.
FUZZY_SHORT_MAX = 6
#: Sound-alike and rhyme rules: minimum Indel similarity.
SOUNDALIKE_RATIO_MIN = 0.60
#: Sound-alike rule: minimum length of the shared Metaphone code ...
SOUNDALIKE_MIN_CODE = 4
#: ... or of the shared NYSIIS code.
NYSIIS_MIN_CODE = 5
#: Rhyme rule: minimum Metaphone code length of both words.
RHYME_MIN_CODE = 5

#: A name known only from the alias table or the knowledge base (not mentioned in the thread)
#: needs, besides one of the three rules, equal Metaphone or NYSIIS codes: without the thread as
#: context a look-alike is weaker evidence ("Almaeda" is not "Al-Qaeda"; "Zelenisky" is
#: "Zelenskyy") ...
LEXICON_TARGETS_NEED_PHONETIC = True
#: ... unless the spelling is very close: Jaro-Winkler and Indel similarity at least these, and a
#: token of at least :data:`STRONG_MIN_LENGTH` letters ("Instagramm", "Facebok": one letter off).
STRONG_JW_MIN = 0.95
STRONG_RATIO_MIN = 0.90
STRONG_MIN_LENGTH = 6
#: A lower-case token that is no English word and is not tagged a proper noun (spaCy calls
#: "instagraml" a NOUN, "deutch" a VERB) is a fuzzy candidate only with at least this many
#: letters, and is linked only by the spelling rule (:data:`LOWER_CASE_RULES`): short lower-case
#: non-words are mostly chat abbreviations and typos of ordinary words ("pls", "becuz"), and a
#: sound-alike or rhyme in lower case is as likely a typo of a word as a pun on a name.
LOWER_CASE_MIN_LENGTH = 6
#: The rules of :func:`name_similarity` that may link such a lower-case token.
LOWER_CASE_RULES = frozenset({"spelling"})


# ------------------------------------------------------------------------------ fuzzy matching
@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def is_lower_case_candidate(token: str) -> bool:
    """Whether a lower-case token may be a misspelt name though spaCy does not tag it a proper
    noun: all lower-case letters, at least :data:`LOWER_CASE_MIN_LENGTH` of them, and no
    English word or simple inflection of one (:func:`~analysis.linking.names.is_english_word`:
    "instagraml", "deutch", "obamma"; not "tonight", "giveaways", "pls"). Such a token links only
    by the spelling rule (:data:`LOWER_CASE_RULES`).
    """
    return (
        len(token) >= LOWER_CASE_MIN_LENGTH
        and token.isalpha()
        and token.islower()
        and token.isascii()
        and not is_english_word(token)
    )


#: One-letter endings that make a derived word of a name rather than a typo: demonyms and
#: adjectives ("Israeli", "Russian", "Trumpy") and the endings English adds after a final "e"
#: ("YouTuber", "Skyped", "Hamases"). A longer ending always makes a derived word.
ONE_LETTER_SUFFIXES = frozenset("dinrsy")


#: Letters a name needs before its last letter doubled or undoubled is a typo ("Obamaa",
#: "Zelensky" for "Zelenskyy") rather than an ending.
DOUBLED_MIN_LENGTH = 5


def _doubled_last(longer: str, shorter: str) -> bool:
    """``longer`` is ``shorter`` with its last letter typed twice ("obamaa", "zelenskyy"), and
    the shorter has at least :data:`DOUBLED_MIN_LENGTH` letters: a typo, not an ending."""
    return len(shorter) >= DOUBLED_MIN_LENGTH and longer == shorter + shorter[-1]


def _derived(longer: str, shorter: str) -> bool:
    """``longer`` is ``shorter`` plus an ending (see :func:`name_similarity`); one extra letter
    after a name of at least :data:`STRONG_MIN_LENGTH` letters that is no English ending is a
    typo ("instagraml"), after a shorter name an ending ("Billa"); the last letter typed twice
    is a typo (:func:`_doubled_last`)."""
    if len(longer) <= len(shorter) or not longer.startswith(shorter):
        return False
    if _doubled_last(longer, shorter):
        return False
    ending = longer[len(shorter) :]
    typo = len(ending) == 1 and ending not in ONE_LETTER_SUFFIXES
    return not typo or len(shorter) < STRONG_MIN_LENGTH


def _plural_pair(a: str, b: str) -> bool:
    return a == b + "s" or b == a + "s"


@dataclass(frozen=True)
class Similarity:
    """How a token compares with a name."""

    jaro_winkler: float
    ratio: float
    metaphone: tuple[str, str]
    nysiis: tuple[str, str]
    rule: str | None  # "spelling" | "soundalike" | "rhyme" | None

    @property
    def accepted(self) -> bool:
        return self.rule is not None

    @property
    def sounds_alike(self) -> bool:
        """Equal Metaphone or equal NYSIIS codes."""
        return self.metaphone[0] == self.metaphone[1] or self.nysiis[0] == self.nysiis[1]


@lru_cache(maxsize=_TEXT_CACHE_SIZE)
def _ascii_letters(text: str) -> str:
    return "".join(ch for ch in fold(text) if "a" <= ch <= "z")


def name_similarity(token: str, name: str) -> Similarity:
    """Compare a token with a one-word name under the three rules of the module docstring.

    Both are folded to lower-case ASCII letters first. A token that is the name plus a suffix
    ("Putinism", "Gazans" for "Gaza", "Israeli", "YouTuber") or that the name extends by a
    suffix is never accepted, except a bare plural/possessive "s" either way ("Putins"; but see
    :func:`fuzzy_link` for lower-case tokens). One extra letter that is no English ending
    (:data:`ONE_LETTER_SUFFIXES`) after a name of :data:`STRONG_MIN_LENGTH` letters or more is a
    typo, not a suffix ("instagraml" for "Instagram").
    """
    a, b = _ascii_letters(token), _ascii_letters(name)
    if not a or not b:
        return Similarity(0.0, 0.0, ("", ""), ("", ""), None)
    jw = JaroWinkler.normalized_similarity(a, b)
    ratio = Indel.normalized_similarity(a, b)
    met = (jellyfish.metaphone(a), jellyfish.metaphone(b))
    nys = (jellyfish.nysiis(a), jellyfish.nysiis(b))
    rule = None
    # the bare plural/possessive "s" is accepted either way ("Putins", "Floyd" for "Floyds")
    derived = (_derived(a, b) or _derived(b, a)) and not _plural_pair(a, b)
    if a == b or derived or min(len(a), len(b)) < FUZZY_MIN_LENGTH:
        rule = None
    elif (
        jw >= FUZZY_JW_MIN
        and ratio >= FUZZY_RATIO_MIN
        and (max(len(a), len(b)) > FUZZY_SHORT_MAX or met[0] == met[1])
    ):
        rule = "spelling"
    elif (
        ratio >= SOUNDALIKE_RATIO_MIN and met[0] == met[1] and len(met[0]) >= SOUNDALIKE_MIN_CODE
    ) or (ratio >= FUZZY_RATIO_MIN and nys[0] == nys[1] and len(nys[0]) >= NYSIIS_MIN_CODE):
        rule = "soundalike"
    elif (
        ratio >= SOUNDALIKE_RATIO_MIN
        and min(len(met[0]), len(met[1])) >= RHYME_MIN_CODE
        and met[0][1:] == met[1][1:]
        and met[0][0] != met[1][0]
    ):
        rule = "rhyme"
    return Similarity(jw, ratio, met, nys, rule)


def _lower_case_match(query: str, key: str, word: str, sim: Similarity) -> bool:
    """The extra evidence a lower-case, non-proper-noun token needs to match a name.

    A very close spelling (:data:`STRONG_JW_MIN`, :data:`STRONG_RATIO_MIN`; equal sound codes are
    not enough, "crawpa" sounds like "Crap"), not the name's bare plural or singular
    ("hoplophobe" is not a misspelling of "Hoplophobes"), and a name that is no ordinary English
    word in lower case (:func:`~analysis.linking.knowledge.is_ordinary_form`: a typo of "awesome"
    is not a mention of a model span "AWESOME"; "twitter" and "germany" are names).
    """
    close = sim.jaro_winkler >= STRONG_JW_MIN and sim.ratio >= STRONG_RATIO_MIN
    if not close or _plural_pair(query, key):
        return False
    return not is_ordinary_form(word)


@dataclass(frozen=True)
class FuzzyLink:
    """A fuzzy link of a token to a target name."""

    target: str  # the target word as given
    node: str  # the entity key it stands for
    score: float  # Jaro-Winkler similarity
    rule: str


def fuzzy_link(
    token: str,
    targets: dict[str, tuple[str, str, int]],
    *,
    rules: frozenset[str] | None = None,
) -> FuzzyLink | None:
    """Best accepted match of ``token`` among ``targets``.

    Args:
        token: the unlinked word.
        targets: target word key -> (word as written, entity key, priority); a lower priority
            wins (the thread's own names before the alias table's).
        rules: the rules of :func:`name_similarity` that may accept a match (default: all
            three); :data:`LOWER_CASE_RULES` for a lower-case token that only
            :func:`is_lower_case_candidate` admits, which also needs
            :func:`_lower_case_match`.

    Returns:
        The accepted match of the lowest priority with the highest Jaro-Winkler score (ties: the
        target key), or None. A token equal to a target is not a fuzzy match (None): exact names
        link by the other rules or not at all. A target of priority 1 or more (a name known only
        from the alias table, not mentioned in the thread) also needs equal Metaphone or NYSIIS
        codes (:data:`LEXICON_TARGETS_NEED_PHONETIC`) or a very close spelling
        (:data:`STRONG_JW_MIN`, :data:`STRONG_RATIO_MIN`). A match among lexicon targets must be
        unique: when the accepted targets of priority 1 or more name two entities, there is no
        link (the thread's own names, priority 0, are grouped by the caller and the closest
        wins).
    """
    query = _ascii_letters(token)
    if len(query) < FUZZY_MIN_LENGTH or not targets or query in targets:
        return None
    keys = list(targets)
    hits = process.extract(
        query,
        keys,
        scorer=Indel.normalized_similarity,
        score_cutoff=SOUNDALIKE_RATIO_MIN,
        limit=None,
    )
    accepted: list[tuple[tuple, FuzzyLink]] = []
    for key, _, _ in hits:
        sim = name_similarity(query, key)
        if not sim.accepted or (rules is not None and sim.rule not in rules):
            continue
        word, node, priority = targets[key]
        if rules is not None and not _lower_case_match(query, key, word, sim):
            continue
        if priority > 0 and LEXICON_TARGETS_NEED_PHONETIC and not sim.sounds_alike:
            strong = (
                len(query) >= STRONG_MIN_LENGTH
                and sim.jaro_winkler >= STRONG_JW_MIN
                and sim.ratio >= STRONG_RATIO_MIN
            )
            if not strong:
                continue
        rank = (priority, -round(sim.jaro_winkler, 12), key)
        accepted.append((rank, FuzzyLink(word, node, sim.jaro_winkler, sim.rule or "")))
    if not accepted:
        return None
    accepted.sort(key=lambda r: r[0])
    best_rank, best = accepted[0]
    if best_rank[0] == 0:
        return best  # the thread's own names: the closest (the caller knows their groups)
    rivals = {link.node for rank, link in accepted if rank[0] > 0}
    return best if len(rivals) == 1 else None
