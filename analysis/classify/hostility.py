"""An offline hostility (incivility) score per document, each component in its own column.

VADER measures tone, not hostility: "you people are vermin" and "they should be shot" can score
neutral. This score counts *cues of hostility* instead, each a component a researcher can read:

==========================  ===================================================================
component                   cue
==========================  ===================================================================
insult                      an insult word aimed at a person (``idiot``, ``moron``, ``liar``)
second_person_attack        an insult or dismissal addressed to the reader: ``you idiot``,
                            ``you're so stupid``, ``are you dumb``, ``shut up``, ``you people``
slur                        an identity-based slur (ethnic, religious, sexual, ableist)
dehumanising                people called animals, vermin or disease (``savages``, ``parasites``)
                            (animalistic dehumanisation: Haslam 2006), and generalisations that
                            pair a group noun with a generaliser (``all Muslims``, ``these
                            immigrants``, ``they are all``)
profanity                   swear words, including masked ones (``f***``)
threat                      calls for or wishes of violence (``should be shot``, ``hang them``,
                            ``deserve to die``)
group_target                a mention of an identity group (``Muslims``, ``immigrants``, ``gays``):
                            not hostile in itself, a weak cue because hate speech is aimed at
                            groups (Waseem and Hovy 2016; Davidson et al. 2017)
shouting                    share of letters in all-caps words (3+ letters, 3+ such words)
==========================  ===================================================================

Words and phrases come from ``data/lexicons/hostility.csv`` (each row names its source: HurtLex EN
1.2, Bassignana, Nozza and Patti 2018, or "curated"); the second-person, generalisation and threat
patterns are the regular expressions below. Matching is on lower-cased text, whole words, with an
optional plural ``s``/``es``.

**The score.** ``hostility_score = 1 - prod_k (1 - w_k) ** hits_k``: a noisy-OR in which every cue
is independent evidence with the weight :data:`WEIGHTS` (slur 0.85, threat 0.8, second-person
attack 0.7, dehumanising 0.6, insult 0.45, profanity 0.3, group target 0.25; shouting contributes
``0.3 * evidence`` where evidence rises from 0 at 50% capitals to 1 at 100%). A comment without any
cue scores 0; one slur alone 0.85; two insults 0.70. The weights were set by hand from how strongly
each cue signals hostility in the incivility literature (slurs and threats are hostile almost
whatever the context, profanity often is not: Coe, Kenski and Rains 2014; Davidson et al. 2017),
not fitted to data.
``is_hostile`` is ``hostility_score >= 0.5`` (:data:`THRESHOLD`), so a group mention alone (0.25)
is never "hostile" (and counts once, however many groups a comment names);
``hostility_score_without_target`` is the score from the hostile cues alone.
The group-target component was added after a first measurement (ROC AUC 0.53 without it), and
chosen on three of the five Fox News dev threads; the bench reports the two held-out threads.

**Limits (measured in ``bench/eval_hostility.py``).** A cue list cannot read context: it misses
hostility without hostile words (sarcasm, coded language, "send them all back", stereotypes said
politely), and it scores quoted, reclaimed or negated uses ("he is not an idiot") as hostile.
Group nouns count only with a generaliser, and even then a neutral generalisation ("all Muslims
I know") counts. On the Fox News dev threads (859 comments, 206 with human hate labels) the
score reaches ROC AUC 0.61 (0.60 on the two held-out threads) against 0.53 for VADER's negative
compound, and precision 0.50 at the top decile against 0.37 (base rate 0.24); but 136 of the 206
hateful comments carry no cue at all, and ``is_hostile`` finds 9% of them (precision 0.56). The
goal of AUC 0.75 on unseen news comments is not reached. Treat the score as a screening measure
for reading comments, not a verdict on any one comment.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.compare.scope import require
from analysis.errors import InputError

LEXICON_FILE = "hostility.csv"
LEXICON_COMPONENTS = ("insult", "slur", "dehumanising", "profanity", "group")
LEXICON_HEADER = ["term", "component", "source", "note"]

WEIGHTS = {
    "slur": 0.85,
    "threat": 0.8,
    "second_person_attack": 0.7,
    "dehumanising": 0.6,
    "insult": 0.45,
    "profanity": 0.3,
    "group_target": 0.25,
    "shouting": 0.3,
}
THRESHOLD = 0.5
#: Component columns of the ``hostility`` table and how charts and reports name them.
HOSTILITY_COLUMNS_SHOWN = {
    S.INSULT_COUNT: "insult",
    S.SECOND_PERSON_ATTACK_COUNT: "second-person attack",
    S.SLUR_COUNT: "slur",
    S.DEHUMANISING_COUNT: "dehumanising / generalising",
    S.PROFANITY_COUNT: "profanity",
    S.THREAT_COUNT: "threat",
    S.SHOUTING_SHARE: "shouting (over half in capitals)",
    S.GROUP_TARGET_COUNT: "group mentioned (not hostile alone)",
}
#: Shouting: all-caps words of at least this many letters count ...
SHOUT_MIN_LETTERS = 3
#: ... when there are at least this many of them; evidence rises from this share of letters.
SHOUT_MIN_WORDS, SHOUT_FROM = 3, 0.5

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_MASKED_PROFANITY = r"f[*#@$%]+c?k\w*|f[u*][*#@$%]+\w*|sh[*#@$%]+t\w*|b[*#@$%]+tch\w*"
_INTENSIFIERS = (
    r"(?:a|an|the|such|so|such an?|one|just|really|total|complete|utter|absolute|fucking|"
    r"freaking|stupid|ignorant|pathetic|sick|little|big|old|dumb|brainless|typical|bunch of)"
)
_VIOLENCE_PASSIVE = (
    r"shot|hanged|hung|killed|executed|lynched|beaten|burned|burnt|gassed|exterminated|"
    r"wiped out|eliminated|strung up|put down|slaughtered|beheaded|castrated|tortured|nuked"
)
_VIOLENCE_VERB = r"kill|shoot|hang|nuke|bomb|exterminate|wipe out|gas|lynch|behead|slaughter"
THREAT_PATTERNS = (
    rf"\b(?:should|ought to|needs? to|must|deserves? to|will|gonna|going to)\s+(?:all\s+)?be\s+"
    rf"(?:{_VIOLENCE_PASSIVE})\b",
    rf"\b(?:{_VIOLENCE_VERB})\s+(?:them|him|her|you|'?em|all|every|these|those|the lot)\b",
    r"\b(?:deserves? to die|should die|hope (?:you|they|he|she) (?:all )?(?:die|rot|burn)|"
    r"string (?:them|him|her|'?em) up|line (?:them|'?em) up and|put (?:them|him|her) down|"
    r"get rid of (?:them|all of them)|bullet (?:in|to|through) (?:the|his|her|their) head)\b",
)
DISMISSALS = (
    r"\b(?:shut up|shut your (?:mouth|face|trap)|stfu|go to hell|screw you|fuck you|f\*+ you|"
    r"fuck off|get lost|drop dead|go back to (?:your|where)|you people|your kind)\b"
)
GENERALISERS = r"(?:all|these|those|most|every|typical|bunch of|you|filthy|stinking|dirty)"


@dataclass(frozen=True)
class Lexicon:
    """Terms per component as read from ``hostility.csv``."""

    items: tuple[tuple[str, tuple[str, ...]], ...]
    path: Path

    @property
    def terms(self) -> dict[str, tuple[str, ...]]:
        """Component -> terms."""
        return dict(self.items)


def read_hostility_lexicon(lexicon_dir: Path = config.LEXICON_DIR) -> Lexicon:
    """Read ``<lexicon_dir>/hostility.csv`` (``#`` lines are comments).

    Returns:
        A :class:`Lexicon`; terms lower-cased with whitespace collapsed.

    Raises:
        InputError: the file is missing, the header is not ``term,component,source,note``, a row
            lacks a term, a component or a source, or names an unknown component.
    """
    path = Path(lexicon_dir) / LEXICON_FILE
    if not path.is_file():
        raise InputError(path, f"hostility lexicon not found (expected {','.join(LEXICON_HEADER)})")
    terms: dict[str, list[str]] = {c: [] for c in LEXICON_COMPONENTS}
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [(i, ln) for i, ln in enumerate(fh, 1) if ln.strip() and not ln.startswith("#")]
    rows = csv.reader(ln for _, ln in lines)
    for k, ((lineno, _), fields) in enumerate(zip(lines, rows, strict=True)):
        fields = [f.strip() for f in fields]
        if k == 0:
            if fields != LEXICON_HEADER:
                raise InputError(
                    path, f"expected the header {','.join(LEXICON_HEADER)!r}", record=lineno
                )
            continue
        if len(fields) != 4 or not all(fields[:3]):
            raise InputError(path, "expected term,component,source,note", record=lineno)
        if fields[1] not in terms:
            raise InputError(
                path,
                f"unknown component {fields[1]!r}; expected one of {', '.join(LEXICON_COMPONENTS)}",
                record=lineno,
            )
        terms[fields[1]].append(" ".join(fields[0].lower().split()))
    if not any(terms.values()):
        raise InputError(path, "hostility lexicon has no rows")
    return Lexicon(tuple((c, tuple(dict.fromkeys(t))) for c, t in terms.items()), path)


def _alternation(terms: tuple[str, ...]) -> str:
    parts = sorted(terms, key=len, reverse=True)
    return "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in parts) or r"(?!x)x"


def _words(terms: tuple[str, ...]) -> str:
    """Whole-word match of any term, with an optional plural."""
    return rf"(?<![\w'])(?:{_alternation(terms)})(?:e?s)?(?![\w'])"


@lru_cache(maxsize=8)
def _compiled(lexicon: Lexicon) -> dict[str, list[re.Pattern]]:
    t = lexicon.terms
    insultish = _alternation(t["insult"] + t["slur"] + t["dehumanising"])
    flags = re.IGNORECASE
    second = [
        rf"\byou(?:'re|\s+are|r|\s+r|\s+u)?\s+(?:{_INTENSIFIERS}\s+){{0,3}}(?:{insultish})(?:e?s)?\b",
        rf"\b(?:are|r)\s+(?:you|u)\s+(?:{_INTENSIFIERS}\s+){{0,2}}(?:{insultish})(?:e?s)?\b",
        rf"\b(?:{insultish})(?:e?s)?\s+like\s+you\b",
        DISMISSALS,
    ]
    group = rf"(?:{_alternation(t['group'])})(?:e?s)?"
    generalise = [
        rf"\b{GENERALISERS}\s+(?:the\s+)?(?:\w+\s+)?{group}(?![\w'])",
        rf"(?<![\w']){group}\s+(?:are|is)\s+(?:all|always|never|nothing but|just|a bunch of)\b",
        rf"(?<![\w']){group}\s+(?:are|is)\s+(?:(?:{_INTENSIFIERS})\s+)*(?:{insultish})",
    ]
    return {
        "insult": [re.compile(_words(t["insult"]), flags)],
        "slur": [re.compile(_words(t["slur"]), flags)],
        "dehumanising": [re.compile(_words(t["dehumanising"]), flags)]
        + [re.compile(p, flags) for p in generalise],
        "profanity": [re.compile(_words(t["profanity"]), flags), re.compile(_MASKED_PROFANITY)],
        "threat": [re.compile(p, flags) for p in THREAT_PATTERNS],
        "group_target": [re.compile(_words(t["group"]), flags)],
        "second_person_attack": [re.compile(p, flags) for p in second],
    }


def shouting_share(text: str) -> float:
    """Share of letters that sit in all-caps words of :data:`SHOUT_MIN_LETTERS`+ letters.

    Returns:
        The share in [0, 1]; 0.0 when fewer than :data:`SHOUT_MIN_WORDS` such words.
    """
    words = re.findall(r"[^\W\d_]+", text)
    long = [w for w in words if len(w) >= SHOUT_MIN_LETTERS]
    caps = [w for w in long if w.isupper()]
    if len(caps) < SHOUT_MIN_WORDS:
        return 0.0
    letters = sum(len(w) for w in words)
    return sum(len(w) for w in caps) / letters if letters else 0.0


def score_text(text: str, lexicon: Lexicon) -> dict[str, object]:
    """Count the cues in one text and combine them.

    Returns:
        ``{<component>_count, shouting_share, hostility_score, matched_terms}``.
    """
    norm = " ".join(str(text).translate(_APOSTROPHES).split())
    out: dict[str, object] = {}
    matched: list[str] = []
    for component, patterns in _compiled(lexicon).items():
        spans: list[tuple[int, int]] = []
        for pattern in patterns:
            for m in pattern.finditer(norm):
                if not any(m.start() < e and s < m.end() for s, e in spans):
                    spans.append(m.span())
                    matched.append(f"{component}:{m.group(0).lower()}")
        out[f"{component}_count"] = len(spans)
    share = shouting_share(norm)
    out[S.SHOUTING_SHARE] = share
    keep = 1.0
    for component, weight in WEIGHTS.items():
        if component == "shouting":
            evidence = max(0.0, (share - SHOUT_FROM) / (1.0 - SHOUT_FROM))
            keep *= 1.0 - weight * evidence
        elif component != "group_target":
            keep *= (1.0 - weight) ** int(out[f"{component}_count"])
    out[S.HOSTILITY_SCORE_WITHOUT_TARGET] = 1.0 - keep
    # A group mention is a target, not hostility: it counts once however often it recurs.
    keep *= (1.0 - WEIGHTS["group_target"]) ** min(1, int(out[S.GROUP_TARGET_COUNT]))
    out[S.HOSTILITY_SCORE] = 1.0 - keep
    out[S.MATCHED_TERMS] = " | ".join(matched)
    return out


def hostility_table(
    corpus: pd.DataFrame, *, lexicon_dir: Path = config.LEXICON_DIR
) -> pd.DataFrame:
    """Score every document of the corpus (articles too, for comparison).

    Args:
        corpus: a table with ``thread_id``, ``doc_id``, ``doc_kind`` and ``text`` (the corpus).
        lexicon_dir: folder holding ``hostility.csv``.

    Returns:
        The ``hostility`` table (:data:`analysis.schema.HOSTILITY`): ``hostility_score`` in [0, 1],
        one count column per component, ``shouting_share``, ``matched_terms``, ``is_hostile``.

    Raises:
        StageInputError: a needed column is missing.
        InputError: the lexicon is missing or malformed.
    """
    need = [S.THREAD_ID, S.DOC_ID, S.DOC_KIND, S.TEXT]
    require(corpus, need, stage="hostility", table="corpus")
    lexicon = read_hostility_lexicon(lexicon_dir)
    texts = corpus[S.TEXT].astype("string").fillna("")
    scored = pd.DataFrame([score_text(t, lexicon) for t in texts], index=corpus.index)
    if scored.empty:
        return S.HOSTILITY.empty()
    out = pd.concat([corpus[need[:3]], scored], axis=1)
    out[S.IS_HOSTILE] = out[S.HOSTILITY_SCORE] >= THRESHOLD
    out[S.HOSTILITY_SCORE] = np.clip(out[S.HOSTILITY_SCORE].astype(float), 0.0, 1.0)
    return S.HOSTILITY.conform(out)
