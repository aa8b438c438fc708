"""Label evidence beside the model's own label: where a mention stands, and whose name it is.

The entity label is the lexicon label, else the label the model gave most often
(:func:`analysis.linking.naming._choose_name`). Two rules correct the small model's frequent
mislabels, each from evidence that holds on any thread:

* :func:`title_vote`: a span in the position of a title after its artist, "Artist - Title
  (Official)" (the way music videos are named on YouTube and in comments quoting them: "Zorba
  Quill - Moonsong (Official Video)", "ZORBA - MOONSONG [MV]"), votes WORK_OF_ART whatever the
  model said (PERSON or ORG): one vote per mention, so a song named so in most of its mentions
  becomes a work, while a person written once after a dash keeps the label of the others.
* :func:`given_name_label`: a one-word group the model labels ORG whose every form is the given
  name of a person a lexicon lists ("Zorbin" beside the lexicon's "Zorbin Quill") is a person:
  an organisation is seldom named by a bare given name, a person often is. A group written
  only in capitals is left alone (an acronym: "RAND").
"""

from __future__ import annotations

import re

from analysis.linking.lexicons import Lexicons
from analysis.linking.names import NAME_PARTICLES, _tokens, name_key
from analysis.linking.store import GAZETTEER, MODEL, _Mention

#: Labels :func:`title_vote` may turn into WORK_OF_ART.
TITLE_VOTE_LABELS = frozenset({"PERSON", "ORG"})
#: The artist before a title: one to four capitalised words, opening the text, a line or a
#: segment after punctuation or another spaced dash, then a spaced dash.
_ARTIST_DASH = re.compile(
    r"(?:^|[^\w\s]\s*|\s[-\u2013\u2014]\s+)(?:[A-Z][\w'.&]*\s+){1,4}[-\u2013\u2014]\s+$"
)
#: What follows a title: a bracket or bar ("(Official)", "[MV]", "| Lyrics") or the line's end.
_TITLE_TAIL = re.compile(r"[ \t]*(?:[(\[|]|\n|$)")
#: Shortest given name :func:`given_name_label` reads.
GIVEN_NAME_MIN = 3

_given_cache: dict[int, tuple[Lexicons, frozenset[str]]] = {}


def title_vote(text: str, start: int, end: int, label: str) -> str:
    """WORK_OF_ART when the span ``text[start:end]`` stands as a title after its artist
    ("Zorba Quill - Moonsong (Official)"), else ``label``."""
    if label not in TITLE_VOTE_LABELS:
        return label
    if not _ARTIST_DASH.search(text[max(0, start - 80) : start]):
        return label
    return "WORK_OF_ART" if _TITLE_TAIL.match(text, end) else label


def given_names(lex: Lexicons) -> frozenset[str]:
    """Keys of the first words of the lexicons' personal names of two words or more."""
    cached = _given_cache.get(id(lex))
    if cached is not None and cached[0] is lex:
        return cached[1]
    out = set()
    for name, label in lex.canonical.values():
        words = _tokens(name)
        first = name_key(words[0]) if len(words) > 1 else ""
        if label == "PERSON" and len(first) >= GIVEN_NAME_MIN and first not in NAME_PARTICLES:
            out.add(first)
    names = frozenset(out)
    _given_cache.clear()
    _given_cache[id(lex)] = (lex, names)
    return names


def given_name_label(ms: list[_Mention], label: str, lex: Lexicons) -> str:
    """PERSON for an ORG group named only by a lexicon person's given name, else ``label``."""
    if label != "ORG":
        return label
    forms = {m.form for m in ms if m.form and m.method in (MODEL, GAZETTEER)}
    if not forms or any(len(_tokens(f)) != 1 for f in forms) or all(f.isupper() for f in forms):
        return label
    given = given_names(lex)
    return "PERSON" if all(name_key(f) in given for f in forms) else label
