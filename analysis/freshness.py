"""Stage stamps: skip a stage of ``discourse run`` whose outputs are already fresh.

After a stage runs, :func:`record` writes ``<workspace>/.stamps/<stage>.json``: a key (SHA-256
over the stage's name, its options, the bytes of every input file and the code version) and the
SHA-256 of every output file. :func:`is_fresh` says a stage may be skipped only when the key is
the same now and every output file is still there with the same bytes. So a changed input
table (a new corpus carries a new fingerprint, see :func:`analysis.tables.corpus_fingerprint`),
option, lexicon, source file of the suite or installed version of a library the results depend
on reruns the stage, and a deleted or edited output does too. :func:`forget` drops a stamp
before a stage runs, so a run that fails half way is never taken for fresh.

Only the ``run`` command reuses outputs (``--rerun`` turns it off); the single-stage commands
and the Python API always recompute.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from analysis import config

__all__ = ["STAMP_DIR", "code_version", "forget", "is_fresh", "record", "stage_key"]

STAMP_DIR = ".stamps"
#: Installed distributions whose versions can change results (models included).
DISTRIBUTIONS = (
    "en_core_web_sm",
    "spacy",
    "vaderSentiment",
    "langid",
    "numpy",
    "pandas",
    "pyarrow",
    "scipy",
    "scikit-learn",
    "matplotlib",
)
_CHUNK = 1 << 20


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _tree_files(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file() and "__pycache__" not in p.parts)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the suite's code and lexicons and the versions of the libraries it uses."""
    h = hashlib.sha256()
    for root in (config.ROOT / "analysis", config.LEXICON_DIR):
        for path in _tree_files(root) if Path(root).is_dir() else []:
            h.update(str(path.relative_to(config.ROOT)).encode())
            h.update(file_digest(path).encode())
    for name in DISTRIBUTIONS:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "absent"
        h.update(f"{name}=={version}\n".encode())
    return h.hexdigest()


def stage_key(stage: str, *, inputs: Iterable[Path], options: Mapping[str, object]) -> str:
    """The key of one run of ``stage``: its options, its input files' bytes and the code.

    Missing input files count as missing (so a table appearing later changes the key).
    """
    h = hashlib.sha256(f"{stage}\n{code_version()}\n".encode())
    h.update(json.dumps(options, sort_keys=True, default=str).encode())
    for path in sorted({Path(p) for p in inputs}, key=str):
        digest = file_digest(path) if path.is_file() else "missing"
        h.update(f"\n{path.name}:{digest}".encode())
    return h.hexdigest()


def _stamp_path(workspace: Path, stage: str) -> Path:
    return Path(workspace) / STAMP_DIR / f"{stage}.json"


def is_fresh(workspace: Path, stage: str, key: str) -> bool:
    """Whether ``stage``'s recorded run has this key and all its outputs are unchanged."""
    path = _stamp_path(workspace, stage)
    try:
        stamp = json.loads(path.read_text(encoding="utf-8"))
        outputs = dict(stamp["outputs"])
        if stamp["key"] != key or not outputs:
            return False
    except (OSError, ValueError, KeyError, TypeError):
        return False
    for name, digest in outputs.items():
        file = Path(name)
        if not file.is_file() or file_digest(file) != digest:
            return False
    return True


def record(workspace: Path, stage: str, key: str, outputs: Iterable[Path]) -> Path:
    """Write ``stage``'s stamp: ``key`` and the digest of each existing output file."""
    path = _stamp_path(workspace, stage)
    path.parent.mkdir(parents=True, exist_ok=True)
    digests = {str(Path(p).resolve()): file_digest(Path(p)) for p in outputs if Path(p).is_file()}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"key": key, "outputs": digests}, indent=1), encoding="utf-8")
    tmp.replace(path)
    return path


def forget(workspace: Path, stage: str) -> None:
    """Drop ``stage``'s stamp (before running it)."""
    _stamp_path(workspace, stage).unlink(missing_ok=True)


def folder_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` (the outputs of a stage that writes a folder)."""
    return _tree_files(folder) if Path(folder).is_dir() else []
