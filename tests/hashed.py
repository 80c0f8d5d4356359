"""A model-free CLI harness for hardening tests: the hashed test encoder, every real rule."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

import xlingo.cli  # noqa: F401  (registers the commands)
from xlingo.cli.app import app
from xlingo.testing import hashed_embed


class HashEncoder:
    """Deterministic bag-of-words vectors (``xlingo.testing.hashed_embed``), no token states."""

    name = "test-hash"
    dim = 256

    def encode(self, texts):
        return hashed_embed(texts, self.dim)


@pytest.fixture
def hashed(monkeypatch):
    """Run the CLI with the hashed encoder and the real rules; returns ``run(*args)``."""
    monkeypatch.setattr("xlingo.pipeline.load_encoder", lambda spec=None: HashEncoder())
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args))

    return run


def crashed(result) -> bool:
    """A traceback, an exception that escaped, or an exit code outside 0/1/2."""
    escaped = result.exception is not None and not isinstance(result.exception, SystemExit)
    return escaped or result.exit_code not in (0, 1, 2) or "Traceback" in result.output
