"""Fuzzy and sound-alike matching of a token against known names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz import process
from rapidfuzz.distance import Indel, JaroWinkler

from analysis.linking.names import _TEXT_CACHE_SIZE, fold

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


# ------------------------------------------------------------------------------ fuzzy matching
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
    ("Putinism", "Gazans" for "Gaza") is never accepted, except a bare plural/possessive "s".
    """
    a, b = _ascii_letters(token), _ascii_letters(name)
    if not a or not b:
        return Similarity(0.0, 0.0, ("", ""), ("", ""), None)
    jw = JaroWinkler.normalized_similarity(a, b)
    ratio = Indel.normalized_similarity(a, b)
    met = (jellyfish.metaphone(a), jellyfish.metaphone(b))
    nys = (jellyfish.nysiis(a), jellyfish.nysiis(b))
    rule = None
    derived = len(a) > len(b) and a.startswith(b) and a != b + "s"
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


@dataclass(frozen=True)
class FuzzyLink:
    """A fuzzy link of a token to a target name."""

    target: str  # the target word as given
    node: str  # the entity key it stands for
    score: float  # Jaro-Winkler similarity
    rule: str


def fuzzy_link(token: str, targets: dict[str, tuple[str, str, int]]) -> FuzzyLink | None:
    """Best accepted match of ``token`` among ``targets``.

    Args:
        token: the unlinked word.
        targets: target word key -> (word as written, entity key, priority); a lower priority
            wins (the thread's own names before the alias table's).

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
        if not sim.accepted:
            continue
        word, node, priority = targets[key]
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
