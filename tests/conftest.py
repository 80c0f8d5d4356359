"""Shared fixtures: the real default model is loaded once per test session."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def engine():
    """One engine with the offline default model, shared by every end-to-end test."""
    from xlingo.pipeline import Engine

    return Engine()


@pytest.fixture(scope="session")
def embedder(engine):
    """The default model's cached embed function (unit vectors)."""
    return engine.embedder


@pytest.fixture(scope="session")
def seed_report(engine):
    """The bundled seed story (DE/PT/FR) diffed with the English article as context, read by paths
    relative to the repository (as a user in its root types them; the viewer screenshot shows them)."""
    from xlingo.pipeline import diff

    here = os.getcwd()
    os.chdir(ROOT)
    try:
        return diff(sorted(Path("fixtures/story-h20").glob("*.txt")),
                    context=[Path("fixtures/seeds/000_4787ca04b5f6f190.txt")], engine=engine)
    finally:
        os.chdir(here)
