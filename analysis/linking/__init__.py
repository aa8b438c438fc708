"""Entity linking: mentions -> canonical entities across a thread.

The rules live in :mod:`analysis.linking.linker` (its docstring gives the method). Annotation drives
them through the :class:`analysis.annotate.protocol.Linker` protocol; :class:`RuleLinker` is the
implementation the pipeline and the command line pass in.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from analysis import config
from analysis.linking.linker import ThreadLinker, candidate_is_used, link_thread

__all__ = ["RuleLinker", "ThreadLinker", "candidate_is_used", "link_thread"]


class RuleLinker:
    """The suite's rule-based linker (an :class:`analysis.annotate.protocol.Linker`).

    Args:
        lexicon_dir: folder of the alias, demonym, flag and not-entity lists.
    """

    def __init__(self, *, lexicon_dir: Path | str = config.LEXICON_DIR) -> None:
        self.lexicon_dir = Path(lexicon_dir)

    def version(self) -> str:
        """sha256 over the linking code and every lexicon file (the link cache key)."""
        package = Path(__file__).parent
        parts = [p.read_text(encoding="utf-8") for p in sorted(package.glob("linker*.py"))]
        if self.lexicon_dir.is_dir():
            for path in sorted(p for p in self.lexicon_dir.rglob("*") if p.is_file()):
                parts += [path.relative_to(self.lexicon_dir).as_posix(), path.read_bytes().hex()]
        digest = hashlib.sha256()
        for part in parts:
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def keeps_candidate(self, text: str, pos: str | None) -> bool:
        return candidate_is_used(text, pos)

    def thread(self, thread_id: str) -> ThreadLinker:
        return ThreadLinker(thread_id, lexicon_dir=self.lexicon_dir)
