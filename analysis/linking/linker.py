"""The linker of one thread (:class:`ThreadLinker`): it holds the inventory and runs the passes.

The method is described in the docstring of :mod:`analysis.linking`.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import config
from analysis import schema as S
from analysis.errors import StageInputError
from analysis.linking.casing import (
    case_profile,
    profiled_forms,
    root_doc_counts,
    search_case_rules,
    unseen_lower_case_roots,
    word_like_roots,
)
from analysis.linking.fuzzy import FuzzyLink, fuzzy_link
from analysis.linking.joining import join_adjacent
from analysis.linking.labels import title_vote
from analysis.linking.lexicons import find_flags, load_lexicons
from analysis.linking.names import _LETTERS, _MASK, name_key, slugify, strip_titles
from analysis.linking.naming import _choose_name, entity_row
from analysis.linking.noise import is_name_cased, noise_spans
from analysis.linking.rules import (
    LINK_DEMONYMS,
    PROPN_TAGS,
    UNJUSTIFIED_MIN_DOCS,
    _alias_method,
    _compatible,
    _fuzzy_eligible,
    _gazetteer_forms,
    _link_aliases,
    _link_demonyms,
    _link_first_names,
    _link_surnames,
    _norp_plurals,
    _targets,
    candidate_fuzzy_rules,
    candidate_is_used,
    unjustified_roots,
)
from analysis.linking.search import _Matcher, build_matcher, find_names
from analysis.linking.search import site_names as sites
from analysis.linking.spans import NOISE_REASON, _clean_in_text, known_span_names
from analysis.linking.store import (
    _FLAG_PHASE,
    _FUZZY_PHASE,
    _MODEL_PHASE,
    _SEARCH_PHASE,
    ALIAS,
    FLAG,
    FUZZY,
    GAZETTEER,
    LINK_CHUNK_DOCS,
    MODEL,
    _by_doc,
    _Context,
    _Mention,
    _Store,
)
from analysis.linking.variants import fuzzy_model_entities


class ThreadLinker:
    """Links the mentions of one thread, fed a document at a time (see the module docstring).

    Feed every (English) document of the thread with :meth:`add_doc`, run :meth:`link` with a
    function that returns the texts of a range of documents, then read the results with
    :meth:`mention_rows` (a range of documents at a time) and :meth:`entities`. Only integer
    columns and the thread's distinct names are held; texts are read a chunk at a time by each
    pass.
    """

    def __init__(
        self,
        thread_id: str,
        *,
        lexicon_dir: Path | str = config.LEXICON_DIR,
        link_demonyms: bool = LINK_DEMONYMS,
        propagate: bool = True,
        chunk_docs: int = LINK_CHUNK_DOCS,
    ) -> None:
        self.thread_id = thread_id
        self.lex = load_lexicons(lexicon_dir)
        self._demonym_keys = list(self.lex.demonyms)
        self.link_demonyms = link_demonyms
        self.propagate = propagate
        self.chunk_docs = max(1, int(chunk_docs))
        self.ctx = _Context(self.lex)
        self.article = bytearray()
        self._codes: dict[str | None, int] = {}
        self._names: list[str | None] = []
        self.span_doc, self.span_start, self.span_end = array("i"), array("i"), array("i")
        self.span_label, self.span_order = array("i"), array("q")
        self.cand_doc, self.cand_start, self.cand_end = array("i"), array("i"), array("i")
        self.cand_pos, self.cand_lemma = array("i"), array("i")
        self.extra_doc, self.extra_start, self.extra_end = array("i"), array("i"), array("i")
        self.store = _Store()
        self._sigs: list[_Mention] = []
        self._intern: dict[tuple, int] = {}
        self._linked = False

    # ---------------------------------------------------------------------------- input
    def _code(self, value: str | None) -> int:
        code = self._codes.get(value)
        if code is None:
            code = self._codes[value] = len(self._names)
            self._names.append(value)
        return code

    @property
    def n_docs(self) -> int:
        return len(self.article)

    def add_doc(
        self,
        *,
        doc_id: str | None = None,
        is_article: bool,
        position: float,
        spans: Iterable[tuple[int, int, str, int]] = (),
        candidates: Iterable[tuple[int, int, str, str | None]] = (),
    ) -> int:
        """Register the next document; returns its index.

        Args:
            doc_id: the document's id (not kept: results are read by index).
            is_article: the document is the thread's article.
            position: its position in the thread (not kept: :meth:`link` takes the order).
            spans: the model's ``(start, end, label, order)`` (``order``: the span's place in the
                thread's input, which orders the first pass's mentions).
            candidates: ``(start, end, pos, lemma)`` of candidate tokens, in input order.
        """
        d = self.n_docs
        self.article.append(1 if is_article else 0)
        for start, end, label, order in spans:
            self.span_doc.append(d)
            self.span_start.append(start)
            self.span_end.append(end)
            self.span_label.append(self._code(label))
            self.span_order.append(order)
        for start, end, pos, lemma in candidates:
            self.cand_doc.append(d)
            self.cand_start.append(start)
            self.cand_end.append(end)
            self.cand_pos.append(self._code(pos))
            self.cand_lemma.append(self._code(lemma))
        return d

    def _sig(
        self,
        key: str,
        method: str,
        score: float = 1.0,
        vote: str | None = None,
        fallback: str | None = None,
        form: str | None = None,
        via: str | None = None,
        surface: str = "",
        cased: bool = False,
    ) -> int:
        fields = (key, method, score, vote, fallback, form, via, surface, cased)
        sig = self._intern.get(fields)
        if sig is None:
            sig = self._intern[fields] = len(self._sigs)
            self._sigs.append(_Mention(*fields, sid=sig))
        return sig

    def _chunks(self, texts_of: Callable[[int, int], list[str]]) -> Iterator[tuple[int, list[str]]]:
        for lo in range(0, self.n_docs, self.chunk_docs):
            hi = min(lo + self.chunk_docs, self.n_docs)
            texts = texts_of(lo, hi)
            if len(texts) != hi - lo:
                raise StageInputError(
                    f"link_thread: expected {hi - lo} texts for documents {lo}..{hi - 1}, "
                    f"got {len(texts)}"
                )
            yield lo, texts

    @staticmethod
    def _slices(doc: array, n_docs: int) -> np.ndarray:
        """Row bounds per document of rows added in document order."""
        return np.searchsorted(np.array(doc), np.arange(n_docs + 1))

    # ----------------------------------------------------------------------------- view
    def _view(self, *, joined: bool) -> None:
        """Weigh the signatures by the live mentions and order them as the rules read them.

        Before joining, mentions are in the order the rules found them (model spans in input
        order, then flags in thread order); from joining on, in thread order, with the mentions
        of fuzzy candidates last.
        """
        c = self.store.columns(("doc", "start", "end", "sig", "phase", "order"))
        sig = c["sig"]
        rank = self.rank[c["doc"]] if len(sig) else np.zeros(0, "int64")
        article = self.article_mask[c["doc"]] if len(sig) else np.zeros(0, bool)
        n_sigs = len(self._sigs)
        counts = np.bincount(sig, minlength=n_sigs)
        in_article = np.bincount(sig, weights=article.astype("int64"), minlength=n_sigs)
        first = np.lexsort((c["start"], rank))
        uniq, where = np.unique(sig[first], return_index=True)
        for m in self._sigs:
            m.n = m.n_article = 0
        for s, i in zip(uniq.tolist(), first[where].tolist(), strict=True):
            m = self._sigs[s]
            m.n, m.n_article = int(counts[s]), int(in_article[s])
            m.doc, m.start = int(rank[i]), int(c["start"][i])
        phase = c["phase"]
        if joined:
            order = np.lexsort((c["end"], c["start"], rank, phase == _FUZZY_PHASE))
        else:
            model = phase == _MODEL_PHASE
            order = np.lexsort(
                (np.where(model, 0, c["start"]), np.where(model, c["order"], rank), phase)
            )
        uniq, where = np.unique(sig[order], return_index=True)
        self.ctx.mentions = [self._sigs[s] for s in uniq[np.argsort(where)].tolist()]

    # ---------------------------------------------------------------------------- passes
    def link(
        self, texts_of: Callable[[int, int], list[str]], rank: np.ndarray | None = None
    ) -> None:
        """Run every rule of the module docstring over the thread.

        Args:
            texts_of: ``texts_of(lo, hi)`` returns the texts of documents ``lo`` .. ``hi - 1``.
            rank: each document's place in thread order (default: the order they were added).
        """
        n = self.n_docs
        self.rank = np.arange(n, dtype="int32") if rank is None else np.asarray(rank, dtype="int32")
        self.article_mask = np.frombuffer(bytes(self.article), dtype=np.uint8).astype(bool)
        self._span_bounds = self._slices(self.span_doc, n)
        self._cand_bounds = self._slices(self.cand_doc, n)
        known = known_span_names(self, texts_of)
        self._first_pass(texts_of, known)  # model spans, flags
        del known
        for name in ("span_doc", "span_start", "span_end", "span_label", "span_order"):
            setattr(self, name, array(getattr(self, name).typecode))  # no longer needed
        self._extra_bounds = self._slices(self.extra_doc, n)
        ctx = self.ctx
        self._view(joined=False)
        _link_aliases(ctx)
        _norp_plurals(ctx)
        _link_surnames(ctx)
        gaz = _gazetteer_forms(ctx) if self.propagate else []
        self.case = case_profile(self._chunks(texts_of), profiled_forms(ctx, gaz))
        if self.propagate:
            matcher = build_matcher(gaz, self.lex, **search_case_rules(ctx, gaz, self.case))
            self._search_pass(texts_of, matcher)
            del matcher
            join_adjacent(self, texts_of)
            self._view(joined=True)
            _link_surnames(ctx)
            _link_first_names(ctx)
            fuzzy_model_entities(ctx)
            self._fuzzy_pass(texts_of, _targets(ctx))
        self._view(joined=True)
        if self.link_demonyms:
            _link_demonyms(ctx)
        self._drop_unjustified()
        self._name_entities()
        self._linked = True

    def _drop_unjustified(self) -> None:
        """Leave unlinked the mentions of groups no rule can justify (:func:`unjustified_roots`)."""
        ctx = self.ctx
        dropped = unjustified_roots(ctx) if self.n_docs >= UNJUSTIFIED_MIN_DOCS else set()
        c = self.store.columns(("doc", "sig"))
        docs = root_doc_counts(ctx, c["doc"], c["sig"], self._sigs)
        dropped |= word_like_roots(ctx, self.case, docs)
        if self.n_docs >= UNJUSTIFIED_MIN_DOCS:
            dropped |= unseen_lower_case_roots(ctx, self.case, docs)
        if not dropped:
            return
        dead = [m.sid for root, ms in ctx.by_root().items() if root in dropped for m in ms]
        sigs = np.frombuffer(self.store.sig, dtype="int32")
        alive = np.frombuffer(self.store.alive, dtype=np.uint8)
        alive[np.isin(sigs, np.array(dead, dtype="int32"))] = 0
        del sigs, alive  # release the buffers before the store may grow again
        self._view(joined=True)

    def _first_pass(self, texts_of: Callable[[int, int], list[str]], known: set[str]) -> None:
        """Clean the model's spans into mentions; words of dropped spans become candidates;
        flags outside kept spans become mentions."""
        lex = self.lex
        labels = set(S.ENTITY_LABELS)
        memo: dict[tuple[str, str], list] = {}
        bounds = self._span_bounds
        for lo, texts in self._chunks(texts_of):
            for d in range(lo, lo + len(texts)):
                text = texts[d - lo]
                taken: list[tuple[int, int]] = []
                for row in range(bounds[d], bounds[d + 1]):
                    label = self._names[self.span_label[row]]
                    if label not in labels:
                        continue
                    start, end = self.span_start[row], self.span_end[row]
                    result = _clean_in_text(text, start, end, label, lex, known, memo)
                    for part, (a, b, action, reason) in enumerate(result):
                        if action == "drop" and reason == NOISE_REASON:
                            continue
                        if action == "drop":
                            for w in _LETTERS.finditer(text, start, end):
                                self.extra_doc.append(d)
                                self.extra_start.append(w.start())
                                self.extra_end.append(w.end())
                            continue
                        order = (self.span_order[row] << 16) | part
                        if self._model_mention(d, text, start + a, start + b, label, reason, order):
                            taken.append((start + a, start + b))
                for start, end, _code, place, flag_label in find_flags(text, lex.flags):
                    if any(a < end and start < b for a, b in taken):
                        continue
                    key = name_key(place)
                    sig = self._sig(
                        key, FLAG, fallback=flag_label, via=key, surface=text[start:end]
                    )
                    self.store.add(d, start, end, sig, _FLAG_PHASE)

    def _model_mention(
        self, d: int, text: str, start: int, end: int, label: str, reason: str, order: int
    ) -> bool:
        lex = self.lex
        surface = text[start:end]
        form = strip_titles(surface, demonyms=self._demonym_keys) if label == "PERSON" else surface
        key = name_key(form)
        if not key:
            return False
        vote = None if reason.startswith("slogan") else title_vote(text, start, end, label)
        method, via = MODEL, None
        alias = lex.aliases.get(key)
        if alias is not None:
            via = name_key(alias[1])
            method = _alias_method(key, alias[1])
        elif key in lex.canonical and _compatible(vote, lex.canonical[key][1]):
            via = key
        cased = is_name_cased(text, start, end)
        sig = self._sig(key, method, 1.0, vote, label, form, via, surface, cased)
        self.store.add(d, start, end, sig, _MODEL_PHASE, order)
        return True

    def _doc_mentions(self) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
        c = self.store.columns()
        order, bounds = _by_doc(c["doc"], c["start"], c["end"], self.n_docs)
        return c, order, bounds

    def _search_pass(self, texts_of: Callable[[int, int], list[str]], matcher: _Matcher) -> None:
        """Gazetteer and alias search over the text not yet linked."""
        lex, groups = self.lex, self.ctx.groups
        c, order, bounds = self._doc_mentions()
        propn_tags = {self._codes[t] for t in PROPN_TAGS if t in self._codes}
        cb = self._cand_bounds
        for lo, texts in self._chunks(texts_of):
            for d in range(lo, lo + len(texts)):
                text = texts[d - lo]
                rows = order[bounds[d] : bounds[d + 1]]
                taken = list(zip(c["start"][rows].tolist(), c["end"][rows].tolist(), strict=True))
                taken += noise_spans(text)
                if taken:
                    chars = list(text)
                    for a, b in taken:
                        chars[a:b] = _MASK * (b - a)
                    masked = "".join(chars)
                else:
                    masked = text
                propn = {
                    (self.cand_start[r], self.cand_end[r])
                    for r in range(cb[d], cb[d + 1])
                    if self.cand_pos[r] in propn_tags
                }
                for start, end, form in find_names(masked, matcher, propn=propn, sites=sites(text)):
                    surface = text[start:end]
                    key = name_key(surface)
                    if form.method == ALIAS:
                        alias = lex.aliases.get(key)
                        canonical = (
                            alias[1] if alias else lex.canonical.get(key, (form.form, ""))[0]
                        )
                        via = name_key(canonical)
                        sig = self._sig(key, ALIAS, via=via, surface=surface)
                    else:
                        via = name_key(lex.aliases[key][1]) if key in lex.aliases else None
                        sig = self._sig(key, GAZETTEER, form=surface, via=via, surface=surface)
                        groups.union(key, form.node)
                    groups.add(key)
                    if via:
                        groups.union(key, via)
                    self.store.add(d, start, end, sig, _SEARCH_PHASE)

    def _fuzzy_pass(
        self, texts_of: Callable[[int, int], list[str]], targets: dict[str, tuple[str, str, int]]
    ) -> None:
        """Unlinked proper-noun-like candidate tokens -> a known name."""
        lex, groups = self.lex, self.ctx.groups
        c, order, bounds = self._doc_mentions()
        self._intern = {}  # signatures changed by the fuzzy rule are never reused
        memo: dict[tuple, FuzzyLink | None] = {}
        names = self._names
        cb, eb = self._cand_bounds, self._extra_bounds
        for lo, texts in self._chunks(texts_of):
            for d in range(lo, lo + len(texts)):
                if cb[d] == cb[d + 1] and eb[d] == eb[d + 1]:
                    continue
                text = texts[d - lo]
                rows = [
                    (
                        self.cand_start[r],
                        self.cand_end[r],
                        names[self.cand_pos[r]] or "",
                        names[self.cand_lemma[r]],
                    )
                    for r in range(cb[d], cb[d + 1])
                ]
                rows += [
                    (self.extra_start[r], self.extra_end[r], "X", None)
                    for r in range(eb[d], eb[d + 1])
                ]
                rows.sort(key=lambda r: (r[0], r[1]))
                taken = order[bounds[d] : bounds[d + 1]]
                occ = list(zip(c["start"][taken].tolist(), c["end"][taken].tolist(), strict=True))
                occ += noise_spans(text)
                seen: set[tuple[int, int]] = set()
                for start, end, pos, lemma in rows:
                    if (start, end) in seen:
                        continue
                    seen.add((start, end))
                    token = text[start:end]
                    if not candidate_is_used(token, pos):
                        continue
                    if any(a < end and start < b for a, b in occ):
                        continue
                    memo_key = (token.casefold(), lemma, candidate_fuzzy_rules(token, pos))
                    if memo_key not in memo:
                        memo[memo_key] = (
                            fuzzy_link(token, targets, rules=memo_key[2])
                            if _fuzzy_eligible(token, lex, lemma=lemma)
                            else None
                        )
                    link = memo[memo_key]
                    if link is None:
                        continue
                    groups.add(link.node)
                    via = link.node if link.node in lex.canonical else None
                    sig = self._sig(link.node, FUZZY, link.score, via=via, surface=token)
                    self.store.add(d, start, end, sig, _FUZZY_PHASE)

    # --------------------------------------------------------------------------- results
    def _name_entities(self) -> None:
        """Name every group (groups whose names slug alike are one entity) and count it."""
        ctx, lex = self.ctx, self.lex
        for _ in range(3):
            by_slug: dict[str, str] = {}
            merged = False
            for root, ms in sorted(ctx.by_root().items()):
                slug = slugify(_choose_name(ms, lex)[0])
                if slug in by_slug:
                    ctx.groups.union(by_slug[slug], root)
                    merged = True
                by_slug.setdefault(slug, root)
            if not merged:
                break
        c = self.store.columns()
        sig_entity = np.full(len(self._sigs), -1, dtype="int32")
        self.named: list[tuple[str, str, str]] = []  # (label, entity_id, name)
        rows = []
        for e, (_root, ms) in enumerate(sorted(ctx.by_root().items())):
            name, label = _choose_name(ms, lex)
            entity_id = slugify(name)
            self.named.append((label, entity_id, name))
            for m in ms:
                sig_entity[m.sid] = e
            rows.append(entity_row(self.thread_id, entity_id, name, label, ms))
        entity = sig_entity[c["sig"]]
        if len(entity):
            pairs = np.unique(entity.astype("int64") * (self.n_docs + 1) + c["doc"])
            doc_counts = np.bincount(pairs // (self.n_docs + 1), minlength=len(rows))
            for e, row in enumerate(rows):
                row["doc_count"] = int(doc_counts[e])
        self.sig_entity = sig_entity
        self._entity_rows = rows
        self._final_columns = c
        self._final, self._final_bounds = _by_doc(c["doc"], c["start"], c["end"], self.n_docs)

    def entities(self) -> pd.DataFrame:
        """The ``entities`` table: one row per entity, by mention count then entity_id."""
        if not self._linked or not self._entity_rows:
            return S.ENTITIES.empty()
        frame = pd.DataFrame(self._entity_rows).sort_values(
            ["mention_count", S.ENTITY_ID], ascending=[False, True], kind="mergesort"
        )
        return S.ENTITIES.conform(frame)

    def mention_counts(self) -> np.ndarray:
        """Mentions per document."""
        return np.diff(self._final_bounds) if self._linked else np.zeros(self.n_docs, "int64")

    def mention_rows(
        self, lo: int, hi: int, doc_ids: Sequence[str], kinds: Sequence[str]
    ) -> pd.DataFrame:
        """The ``mentions`` rows of documents ``lo`` .. ``hi - 1`` (by document, then start).

        Args:
            doc_ids, kinds: the doc_id and doc_kind of those documents.

        ``sentence_id`` and ``sentence_compound`` are left missing for the caller.
        """
        if not self._linked:
            raise StageInputError("ThreadLinker: call link() before reading mentions")
        c, order, bounds = self._final_columns, self._final, self._final_bounds
        rows = order[bounds[lo] : bounds[hi]]
        n = len(rows)
        if not n:
            return S.MENTIONS.empty()
        docs = c["doc"][rows] - lo
        per_doc = np.diff(bounds[lo : hi + 1])
        index = np.arange(n) - np.repeat(bounds[lo:hi] - bounds[lo], per_doc)
        sigs = [self._sigs[s] for s in c["sig"][rows].tolist()]
        entity = self.sig_entity[c["sig"][rows]].tolist()
        named = self.named
        doc_list = docs.tolist()
        dtypes = S.MENTIONS.dtypes

        def column(name: str, values: Iterable) -> pd.api.extensions.ExtensionArray:
            return pd.array(list(values), dtype=dtypes[name])

        frame = pd.DataFrame(
            {
                S.THREAD_ID: column(S.THREAD_ID, [self.thread_id] * n),
                S.MENTION_ID: column(
                    S.MENTION_ID,
                    (f"{doc_ids[d]}/m{i}" for d, i in zip(doc_list, index.tolist(), strict=True)),
                ),
                S.DOC_ID: column(S.DOC_ID, (doc_ids[d] for d in doc_list)),
                S.DOC_KIND: column(S.DOC_KIND, (kinds[d] for d in doc_list)),
                S.SENTENCE_ID: column(S.SENTENCE_ID, [None] * n),
                S.START_CHAR: column(S.START_CHAR, c["start"][rows].tolist()),
                S.END_CHAR: column(S.END_CHAR, c["end"][rows].tolist()),
                S.TEXT: column(S.TEXT, (m.surface for m in sigs)),
                S.LABEL: column(S.LABEL, (named[e][0] for e in entity)),
                S.ENTITY_ID: column(S.ENTITY_ID, (named[e][1] for e in entity)),
                S.ENTITY_NAME: column(S.ENTITY_NAME, (named[e][2] for e in entity)),
                "link_method": column("link_method", (m.method for m in sigs)),
                "link_score": np.fromiter((float(m.score) for m in sigs), "float64", count=n),
                "sentence_compound": np.full(n, np.nan),
            },
            copy=False,
        )
        return S.MENTIONS.conform(frame)
