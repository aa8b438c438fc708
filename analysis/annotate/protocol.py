"""What annotation needs from an entity linker: the :class:`Linker` protocol.

Annotation sits below linking in the layers (``ingest -> annotate -> linking -> compare``), so it
never imports :mod:`analysis.linking`; the caller passes a linker in (the pipeline and the command
line pass :class:`analysis.linking.RuleLinker`; tests pass stand-ins). A linker works a thread at a
time in two passes:

1. **inventory pass**: :meth:`ThreadLinking.add_doc` is called once per annotated document of the
   thread, in corpus order, with the model's entity spans and the candidate tokens; the linker
   keeps only integers and the thread's distinct names.
2. **link pass**: :meth:`ThreadLinking.link` runs the rules against the finished inventory,
   reading texts a range of documents at a time through ``texts_of(lo, hi)``; the results are then
   read a range of documents at a time with :meth:`ThreadLinking.mention_rows`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd


@runtime_checkable
class ThreadLinking(Protocol):
    """The linking of one thread (see the module docstring for the two passes)."""

    def add_doc(
        self,
        *,
        doc_id: str | None = None,
        is_article: bool,
        position: float,
        spans: Iterable[tuple[int, int, str, int]] = (),
        candidates: Iterable[tuple[int, int, str, str | None]] = (),
    ) -> int:
        """Inventory pass: register the next document; returns its index in the thread."""
        ...

    def link(
        self, texts_of: Callable[[int, int], list[str]], rank: np.ndarray | None = None
    ) -> None:
        """Link pass: run the rules; ``rank`` is each document's place in thread order."""
        ...

    def mention_counts(self) -> np.ndarray:
        """Mentions per document, in the order the documents were added."""
        ...

    def mention_rows(
        self, lo: int, hi: int, doc_ids: Sequence[str], kinds: Sequence[str]
    ) -> pd.DataFrame:
        """The ``mentions`` rows of documents ``lo .. hi - 1`` (sentence columns left missing)."""
        ...

    def entities(self) -> pd.DataFrame:
        """The thread's ``entities`` table."""
        ...


@runtime_checkable
class Linker(Protocol):
    """A factory of per-thread linkings, with what annotation needs to know before linking."""

    def version(self) -> str:
        """A digest of the rules and word lists; part of the link cache key."""
        ...

    def keeps_candidate(self, text: str, pos: str | None) -> bool:
        """Whether a candidate token can matter to linking (others are dropped before the
        inventory pass; the output must be the same either way)."""
        ...

    def thread(self, thread_id: str) -> ThreadLinking:
        """A fresh linking for one thread."""
        ...
