"""Shared fixtures: the real default model is loaded once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"


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
    """The bundled seed story (DE/PT/FR) diffed with the English article as context."""
    from xlingo.pipeline import diff

    return diff(sorted((FIXTURES / "story-h20").glob("*.txt")),
                context=[FIXTURES / "seeds" / "000_4787ca04b5f6f190.txt"], engine=engine)
