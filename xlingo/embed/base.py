"""Stage 3, embed: the small encoder interface and the per-run string cache."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Encoder(Protocol):
    """Turns strings into L2-normalised float32 vectors; model details live behind it."""

    name: str  # stable identifier, used in signatures and cache keys
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as an ``(n, dim)`` float32 array of unit vectors."""
        ...


@dataclass
class TokenStates:
    """Contextual token vectors of one text, with character offsets into that text."""

    offsets: list[tuple[int, int]]
    vectors: np.ndarray  # (n_tokens, dim), unit rows


@runtime_checkable
class TokenEncoder(Encoder, Protocol):
    """An encoder that also exposes contextual token states (for span-level checks)."""

    def encode_tokens(self, texts: Sequence[str]) -> list[TokenStates]:
        """Token states of each text (special tokens and prompts removed)."""
        ...

    def encode_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenStates]]:
        """Sentence vectors and token states from one forward pass."""
        ...


class EmbeddingStore(Protocol):
    """A persistent map from (model, text) to vector, e.g. an SQLite cache."""

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None: ...


class Embedder:
    """Embeds each distinct string once per run, optionally backed by a persistent store."""

    def __init__(self, encoder: Encoder, store: EmbeddingStore | None = None, batch_size: int = 64) -> None:
        self.encoder = encoder
        self.store = store
        self.batch_size = batch_size
        self._memo: dict[str, np.ndarray] = {}
        self.strings_embedded = 0  # strings that went through the encoder
        self.strings_requested = 0  # distinct strings asked for

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts`` (duplicates and previously seen strings cost nothing)."""
        self._fill(texts, tokens=None)
        if not texts:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])

    def embed_with_tokens(self, texts: Sequence[str]) -> dict[str, TokenStates]:
        """Embed ``texts`` like a call does, and return the token states that the same forward
        pass produced (for strings not embedded before; empty if the encoder has none)."""
        tokens: dict[str, TokenStates] = {}
        self._fill(texts, tokens=tokens if isinstance(self.encoder, TokenEncoder) else None)
        return tokens

    def _fill(self, texts: Sequence[str], tokens: dict[str, TokenStates] | None) -> None:
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        self.strings_requested += len(missing)
        if missing and self.store is not None:
            self._memo.update(self.store.get_many(self.encoder.name, missing))
            missing = [t for t in missing if t not in self._memo]
        if not missing:
            return
        fresh: dict[str, np.ndarray] = {}
        for k in range(0, len(missing), self.batch_size):
            chunk = missing[k:k + self.batch_size]
            if tokens is not None:
                raw, states = self.encoder.encode_with_tokens(chunk)  # type: ignore[attr-defined]
                tokens.update(zip(chunk, states))
            else:
                raw = self.encoder.encode(chunk)
            vecs = np.asarray(raw, dtype=np.float32)
            if vecs.shape != (len(chunk), self.encoder.dim) or not np.all(np.isfinite(vecs)):
                raise RuntimeError(f"encoder {self.encoder.name} returned bad vectors {vecs.shape}")
            fresh.update(zip(chunk, vecs))
        self.strings_embedded += len(fresh)
        self._memo.update(fresh)
        if self.store is not None:
            self.store.put_many(self.encoder.name, fresh)
