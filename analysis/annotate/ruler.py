"""spaCy's attribute ruler as a lookup: the same token attributes, without the Matcher per token.

``en_core_web_sm``'s ``attribute_ruler`` maps each token's fine-grained tag (and, for about a
hundred words, its lower-case form) to its coarse POS, morphology and sometimes lemma, through
179 ``Matcher`` patterns run over every document. That matching was about a fifth of the whole
pipeline's CPU time, although almost every pattern reads one token only: what a one-token pattern
does to a token is a function of that token's lexeme (its text) and its ``TAG`` and ``DEP``.

:class:`LookupAttributeRuler` computes that function lazily, once per distinct
``(text, TAG, DEP)``, by running the stock ruler's own matcher (:meth:`AttributeRuler.match`) on
a one-token document holding the same lexeme, tag and dependency label, and applies the result to
whole documents with ``Doc.to_array`` / ``Doc.from_array``. A document with a token that could
start a multi-token pattern ("gon na", "let 's", "y' all") is handed to the stock ruler whole.
So every token gets the attributes the stock ruler gives it, bit for bit
(``tests/test_ruler.py`` compares both on the seed, the dev comments and edge cases):

* a one-token pattern matches a token exactly when it matches a one-token document with the same
  lexeme (lexical attributes such as ``LOWER`` and ``IS_SPACE`` come from the lexeme) and the same
  token-level ``TAG`` and ``DEP`` (the only token-level attributes the patterns may read here);
* the stock ruler applies its matches in pattern order and each sets attributes by plain
  assignment (``POS``, ``TAG``, ``MORPH``, ``LEMMA``, ``DEP``: token-level only, nothing on the
  lexeme), so the last pattern setting an attribute decides it;
* the matches are all found before any is applied, in both.

The lookup is used only when the patterns have that shape (single-token patterns reading only
the attributes above, no ``OP``, index 0 or -1; multi-token patterns without ``OP``; set
attributes among those above) and on spaCy versions it was checked against
(:data:`FAST_PATH_VERSIONS`); otherwise every document goes to the stock ruler. The table holds
at most :data:`MAX_ENTRIES` keys (it is cleared when full: the results do not depend on it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import spacy
from spacy.attrs import DEP, IDS, LEMMA, MORPH, ORTH, POS, TAG
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

#: spaCy versions whose ``AttributeRuler`` (``match``, ``attrs``, ``indices``) this was checked on.
FAST_PATH_VERSIONS = frozenset({"3.8.18"})
#: Pattern keys whose value a one-token document with the same lexeme, tag and dependency shares.
LEXICAL_KEYS = frozenset(
    (
        "ORTH",
        "TEXT",
        "LOWER",
        "LENGTH",
        "IS_ALPHA",
        "IS_ASCII",
        "IS_DIGIT",
        "IS_LOWER",
        "IS_UPPER",
        "IS_TITLE",
        "IS_PUNCT",
        "IS_SPACE",
        "IS_STOP",
        "LIKE_NUM",
    )
)
TOKEN_KEYS = frozenset(("TAG", "DEP"))
#: Attributes the lookup may set (token-level, set by assignment).
SETTABLE = (POS, TAG, MORPH, LEMMA, DEP)
#: The lookup table is cleared when it reaches this many keys (about 9 MB; the 5,400 dev and
#: seed texts of the identity checks needed 10,120).
MAX_ENTRIES = 50_000
_KEY_ATTRS = [ORTH, TAG, DEP]


def lookup_supported(ruler: AttributeRuler, version: str = spacy.__version__) -> bool:
    """Whether ``ruler``'s patterns have the shape the lookup reproduces (module docstring)."""
    if version not in FAST_PATH_VERSIONS:
        return False
    settable = {IDS[name] for name in ("POS", "TAG", "MORPH", "LEMMA", "DEP")}
    try:
        patterns = ruler.patterns
        attrs = list(ruler.attrs)
    except AttributeError:
        return False
    if any(not set(a) <= settable for a in attrs):
        return False
    for pattern in patterns:
        for tokens in pattern["patterns"]:
            if not isinstance(tokens, list) or not tokens:
                return False
            if any(not isinstance(t, dict) or "OP" in t for t in tokens):
                return False
            if len(tokens) == 1:
                if pattern.get("index", 0) not in (0, -1):
                    return False
                if not set(tokens[0]) <= LEXICAL_KEYS | TOKEN_KEYS:
                    return False
    return True


class LookupAttributeRuler:
    """A pipeline component giving every token the attributes ``ruler`` gives it (see the module
    docstring); documents it cannot do by lookup go to ``ruler`` itself.

    Args:
        ruler: the stock ruler (its patterns and matcher are read, never changed).
        version: the installed spaCy's version (the lookup runs only on
            :data:`FAST_PATH_VERSIONS`).
        max_entries: the lookup table is cleared when it holds this many keys.
    """

    def __init__(
        self,
        ruler: AttributeRuler,
        *,
        version: str = spacy.__version__,
        max_entries: int = MAX_ENTRIES,
    ) -> None:
        self.ruler = ruler
        self.max_entries = max_entries
        self.vocab = ruler.vocab
        self.enabled = lookup_supported(ruler, version)
        self.starts = Matcher(self.vocab)
        if self.enabled:
            firsts = [
                [tokens[0]]
                for pattern in ruler.patterns
                for tokens in pattern["patterns"]
                if len(tokens) > 1
            ]
            if firsts:
                self.starts.add("multi_token_start", firsts)
        # result id of each (orth, tag, dep); -1: the token may start a multi-token pattern
        self.table: dict[tuple[int, int, int], int] = {}
        self.results: dict[tuple[tuple[int, int], ...], int] = {}
        self.masks = np.zeros((0, len(SETTABLE)), dtype=bool)
        self.values = np.zeros((0, len(SETTABLE)), dtype=np.uint64)

    def __call__(self, doc: Doc) -> Doc:
        if not self.enabled or not len(doc):
            return self.ruler(doc)
        keys = doc.to_array(_KEY_ATTRS).tolist()
        table = self.table
        if len(table) >= self.max_entries:
            table.clear()
        ids = []
        for key in keys:
            rid = table.get(key := tuple(key))
            if rid is None:
                rid = table[key] = self._probe(key)
            if rid < 0:
                return self.ruler(doc)
            ids.append(rid)
        rows = np.asarray(ids, dtype=np.intp)
        current = doc.to_array(list(SETTABLE))
        doc.from_array(list(SETTABLE), np.where(self.masks[rows], self.values[rows], current))
        return doc

    def pipe(self, docs: Iterable[Doc], **_kwargs: Any) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def _probe(self, key: tuple[int, int, int]) -> int:
        """The result id of a token with lexeme ``key[0]``, tag ``key[1]``, dependency
        ``key[2]`` (-1 when it could start a multi-token pattern), from the stock matcher."""
        orth, tag, dep = key
        probe = Doc(self.vocab, words=[self.vocab.strings[orth]], spaces=[False])
        token = probe[0]
        token.tag = tag
        token.dep = dep
        if self.starts(probe, allow_missing=True):
            return -1
        final: dict[int, int] = {}
        for attr_id, _match_id, _start, _end in self.ruler.match(probe):
            for name, value in self.ruler.attrs[attr_id].items():
                final[SETTABLE.index(name)] = value
        result = tuple(sorted(final.items()))
        rid = self.results.get(result)
        if rid is None:
            rid = self.results[result] = len(self.results)
            mask = np.zeros((1, len(SETTABLE)), dtype=bool)
            values = np.zeros((1, len(SETTABLE)), dtype=np.uint64)
            for column, value in result:
                mask[0, column], values[0, column] = True, value
            self.masks = np.vstack([self.masks, mask])
            self.values = np.vstack([self.values, values])
        return rid
