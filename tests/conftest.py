"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import pytest

from analysis import config


@pytest.fixture(scope="session")
def nlp():
    from analysis.annotate.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def seed_path():
    return config.SEED_FILE
