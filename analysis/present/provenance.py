"""Versions of the model and libraries behind a set of results (for notebooks and the report)."""

from __future__ import annotations

import platform
from importlib import metadata

import pandas as pd

from analysis import __version__
from analysis.config import SEED

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
