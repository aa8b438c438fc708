"""How a thread's mentions are held: integer columns and weighted signatures."""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from analysis import schema as S
from analysis.linking.lexicons import Lexicons

#: Link methods, in the order ``entities.link_methods`` lists them.
MODEL, GAZETTEER, ALIAS, FUZZY, FLAG = S.LINK_METHODS

# ------------------------------------------------------------------------------ the linker
#
# A long thread's mentions are held as columns of machine integers (:class:`_Store`): document,
# start, end, and the id of the mention's *signature*. A signature (:class:`_Mention`) is what the
# linking rules read of a mention: its name key, how it was found, the model's label, its form
# and surface text, the lexicon name it reached. Threads repeat names, so a thread of 100,000
# comments has a few hundred signatures; the rules that look across the thread (grouping,
# surnames, fuzzy matching, naming) run over the signatures, each weighted by how many mentions
# have it (:meth:`ThreadLinker._view`), and the rules that look inside one document (cleaning
# spans, flags, the gazetteer search, joining, fuzzy candidates) run document by document, a
# chunk of texts at a time. The result is the same as linking a list of all mentions.

#: Phases in which mentions are found (their order is the order of the rules).
_MODEL_PHASE, _FLAG_PHASE, _SEARCH_PHASE, _JOIN_PHASE, _FUZZY_PHASE = range(5)
#: Documents per chunk of texts read by a pass.
LINK_CHUNK_DOCS = 2000


@dataclass(slots=True, eq=False)
class _Mention:
    """A mention signature, weighted by the mentions that have it in the current view."""

    key: str  # entity node key (before union)
    method: str
    score: float = 1.0
    vote: str | None = None  # label the model gave (votes for the entity label)
    fallback: str | None = None  # label to use when nothing votes
    form: str | None = None  # name form for canonical naming (None: not a naming candidate)
    via: str | None = None  # lexicon canonical key the mention reached ("anchor")
    surface: str = ""  # the text the mentions cover
    cased: bool = False  # written as a name: capitalised, not opening a sentence, not shouted
    n: int = 0  # mentions with this signature
    n_article: int = 0  # of which in the article
    doc: int = 0  # thread-order rank of the first of them
    start: int = 0  # and its start offset
    sid: int = -1  # its index in the linker's signature list


class _Groups:
    """Union-find over entity keys (the root of a set is its smallest key)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def add(self, key: str) -> None:
        self.parent.setdefault(key, key)

    def find(self, key: str) -> str:
        self.add(key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


@dataclass
class _Context:
    """What the thread-wide rules read: the weighted signatures (in thread order) and groups."""

    lexicons: Lexicons
    mentions: list[_Mention] = field(default_factory=list)
    groups: _Groups = field(default_factory=_Groups)
    fuzzy_keys: dict[str, float] = field(default_factory=dict)

    def by_root(self) -> dict[str, list[_Mention]]:
        by_key: dict[str, list[_Mention]] = defaultdict(list)
        for m in self.mentions:
            by_key[m.key].append(m)
        out: dict[str, list[_Mention]] = defaultdict(list)
        for key, ms in by_key.items():
            out[self.groups.find(key)].extend(ms)
        return out


class _Store:
    """A thread's mentions as integer columns (4 or 8 bytes a value, no Python object per row)."""

    def __init__(self) -> None:
        self.doc = array("i")
        self.start = array("i")
        self.end = array("i")
        self.sig = array("i")
        self.phase = array("b")
        self.order = array("q")  # model mentions: input order of their span (and part)
        self.alive = bytearray()

    def __len__(self) -> int:
        return len(self.alive)

    def add(self, doc: int, start: int, end: int, sig: int, phase: int, order: int = 0) -> None:
        self.doc.append(doc)
        self.start.append(start)
        self.end.append(end)
        self.sig.append(sig)
        self.phase.append(phase)
        self.order.append(order)
        self.alive.append(1)

    def columns(
        self, names: Sequence[str] = ("doc", "start", "end", "sig")
    ) -> dict[str, np.ndarray]:
        """The live mentions' columns (copies), plus ``row``: their index in the store."""
        alive = np.frombuffer(bytes(self.alive), dtype=np.uint8).view(bool)
        out = {name: np.array(getattr(self, name))[alive] for name in names}
        out["row"] = np.flatnonzero(alive).astype("int32")
        return out


def _by_doc(doc: np.ndarray, start: np.ndarray, end: np.ndarray, n_docs: int):
    """Order of rows by (doc, start, end) and, per document, its slice of that order."""
    order = np.lexsort((end, start, doc))
    bounds = np.searchsorted(doc[order], np.arange(n_docs + 1))
    return order, bounds
