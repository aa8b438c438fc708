"""Where the numbers come from: versions, sources per thread, content notes.

``versions()`` lists the model and libraries behind a set of results (notebooks, report).
``thread_sources()`` gives each thread's article title, source file, format, capture date and
article URL (from the workspace's ``ingest_summary.json`` and ``sources.json``), and
``caption_lines()`` turns them into the lines every figure's caption file carries. No run date is
kept here, so captions and tables stay byte-identical across reruns; the report alone prints the
run date.

Content notes: none is assumed. :func:`content_note` returns the note given on the command line
(text or a file), else the sidecar ``<input>.note.md`` files next to the inputs, else the neutral
:data:`NEUTRAL_NOTE`.
"""

from __future__ import annotations

import json
import platform
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import __version__
from analysis import schema as S
from analysis.config import ROOT, SEED

LIBRARIES = (
    "spacy",
    "pandas",
    "numpy",
    "pyarrow",
    "vaderSentiment",
    "scikit-learn",
    "matplotlib",
    "py3langid",
    "rapidfuzz",
    "jellyfish",
)

#: The note every page and notebook carries when no thread-specific note is given.
NEUTRAL_NOTE = (
    "Comments are shown as posted, as data for analysis; the suite does not endorse them."
)
#: Workspace file holding article URLs given with ``--article-url`` (thread_id -> URL).
SOURCES_FILE = "sources.json"
INGEST_SUMMARY = "ingest_summary.json"


def versions() -> pd.DataFrame:
    """One row per component: ``component``, ``version``.

    Lists Python, this suite, the spaCy pipeline actually loaded (package name and version, read
    from its meta without importing the package) and the libraries in :data:`LIBRARIES`.
    """
    from analysis.annotate.nlp import model_location

    rows = [
        ("python", platform.python_version()),
        ("discourse-analytics", __version__),
        ("random seed", str(SEED)),
    ]
    try:
        name, path = model_location()
        rows.append((f"spaCy pipeline ({name})", path.name.rsplit("-", 1)[-1]))
    except Exception as exc:  # noqa: BLE001 - provenance must not fail the report
        rows.append(("spaCy pipeline", f"not found: {exc}"))
    for lib in LIBRARIES:
        try:
            rows.append((lib, metadata.version(lib)))
        except metadata.PackageNotFoundError:
            rows.append((lib, "not installed"))
    return pd.DataFrame(rows, columns=["component", "version"])


# ---------------------------------------------------------------------------------------------
# Sources per thread
# ---------------------------------------------------------------------------------------------


def save_article_urls(in_dir: Path, urls: Sequence[str], thread_ids: Sequence[str]) -> Path:
    """Record ``--article-url`` values (one per thread, in corpus order) in ``sources.json``.

    Raises:
        ValueError: more URLs than threads.
    """
    if len(urls) > len(thread_ids):
        raise ValueError(f"{len(urls)} --article-url values for {len(thread_ids)} thread(s)")
    path = Path(in_dir) / SOURCES_FILE
    old = article_urls(in_dir)
    old.update(dict(zip(thread_ids, urls, strict=False)))
    path.write_text(json.dumps(old, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def article_urls(in_dir: Path | None) -> dict[str, str]:
    """thread_id -> article URL recorded in the workspace (empty when none was given)."""
    path = Path(in_dir) / SOURCES_FILE if in_dir is not None else None
    if path is None or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _summary(in_dir: Path | None) -> dict:
    path = Path(in_dir) / INGEST_SUMMARY if in_dir is not None else None
    if path is None or not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}


def _thread_rows(corpus: pd.DataFrame):
    """Per thread id (as a string, in corpus order): ``(id, row positions, article titles
    (None when missing), comment row positions)``, from one grouping pass over the corpus."""
    codes, uniques = pd.factorize(corpus[S.THREAD_ID].astype(str), use_na_sentinel=False)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
    kinds = corpus[S.DOC_KIND]
    is_article = (kinds == S.ARTICLE).fillna(False).to_numpy(dtype=bool)
    is_comment = (kinds == S.COMMENT).fillna(False).to_numpy(dtype=bool)
    titles = corpus["title"]
    has_title = titles.notna().to_numpy(dtype=bool)
    for i, key in enumerate(uniques):
        # A missing thread id equals no thread id (as in a filter by ``== id``): no rows.
        pos = order[bounds[i] : bounds[i + 1]] if not pd.isna(key) else order[:0]
        art = pos[is_article[pos] & has_title[pos]]
        yield key, pos, [titles.iloc[j] for j in art[:1]], pos[is_comment[pos]]


def thread_sources(corpus: pd.DataFrame | None, in_dir: Path | None = None) -> pd.DataFrame:
    """One row per thread, in corpus order.

    Returns:
        Columns: thread_id, title, source_file, source_format, article_file, captured_at,
        article_url, comment_count.
    """
    columns = [
        S.THREAD_ID,
        "title",
        "source_file",
        "source_format",
        "article_file",
        "captured_at",
        "article_url",
        "comment_count",
    ]
    if corpus is None or corpus.empty:
        return pd.DataFrame(columns=columns)
    summary = _summary(in_dir)
    by_thread = {t.get("thread_id"): t for t in summary.get("threads", []) if isinstance(t, dict)}
    urls = article_urls(in_dir)
    rows = []
    for thread_id, docs, article, comments in _thread_rows(corpus):
        first = comments if len(comments) else docs
        info = by_thread.get(thread_id, {})
        rows.append(
            {
                S.THREAD_ID: thread_id,
                "title": str(article[0]) if article else "",
                "source_file": str(corpus["source_file"].iloc[first[0]]) if len(first) else "",
                "source_format": str(corpus["source_format"].iloc[first[0]]) if len(first) else "",
                "article_file": str(info.get("article_file") or ""),
                "captured_at": str(summary.get("captured_at") or ""),
                "article_url": urls.get(thread_id, ""),
                "comment_count": len(comments),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def caption_lines(sources: pd.DataFrame, *, max_threads: int = 5) -> list[str]:
    """Provenance lines for a caption file: sources, capture date, URL, software versions.

    Several threads beyond ``max_threads`` are summarised as "and k more threads".
    """
    lines = []
    for r in sources.head(max_threads).itertuples(index=False):
        parts = [f"Thread {r.thread_id}"]
        if r.title:
            parts.append(f"article “{r.title}”")
        if r.article_url:
            parts.append(str(r.article_url))
        parts.append(f"comments from {r.source_file} ({r.source_format})")
        parts.append(f"captured {r.captured_at}" if r.captured_at else "capture date not given")
        lines.append(", ".join(parts))
    if len(sources) > max_threads:
        rest = len(sources) - max_threads
        lines.append(f"and {rest} more thread{'s' if rest != 1 else ''} (see the report)")
    lines.append(software_line())
    return lines


def software_line() -> str:
    """Suite, model and the libraries the numbers depend on, in one line (no date)."""
    from analysis.annotate.nlp import model_location

    parts = [f"discourse-analytics {__version__}"]
    try:
        name, path = model_location()
        parts.append(f"spaCy pipeline {name} {path.name.rsplit('-', 1)[-1]}")
    except Exception:  # noqa: BLE001 - provenance must not fail a figure
        parts.append("spaCy pipeline not found")
    for lib in ("spacy", "vaderSentiment", "scikit-learn"):
        try:
            parts.append(f"{lib} {metadata.version(lib)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{lib} not installed")
    return f"Software: {', '.join(parts)}; random seed {SEED}"


# ---------------------------------------------------------------------------------------------
# Content notes
# ---------------------------------------------------------------------------------------------


def sidecar_paths(path: Path) -> list[Path]:
    """Where a note for input ``path`` may sit: ``a.note.md`` and ``a.csv.note.md``."""
    path = Path(path)
    return [path.with_suffix(".note.md"), path.with_name(path.name + ".note.md")]


def _resolve(path: str | Path) -> Path:
    p = Path(path)
    return p if p.is_absolute() or p.exists() else ROOT / p


def content_note(note: str | Path | None = None, inputs: Iterable[str | Path] = ()) -> str:
    """The content note for a set of threads.

    Args:
        note: text, or the path of a file holding it (``--content-note TEXT|FILE``).
        inputs: the input files; a sidecar ``<input>.note.md`` beside one supplies its note.

    Returns:
        The note (several sidecars are joined, each once), or :data:`NEUTRAL_NOTE`.
    """
    if note is not None and str(note).strip():
        p = Path(str(note))
        if len(str(note)) < 4096 and p.is_file():
            return " ".join(p.read_text(encoding="utf-8").split())
        return " ".join(str(note).split())
    found: list[str] = []
    for item in inputs:
        if not str(item):
            continue
        for side in sidecar_paths(_resolve(item)):
            if side.is_file():
                text = " ".join(side.read_text(encoding="utf-8").split())
                if text and text not in found:
                    found.append(text)
                break
    return " ".join(found) if found else NEUTRAL_NOTE
