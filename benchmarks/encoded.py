"""Encoder output for benchmark and training data, kept on disk between runs.

One forward pass per distinct text (``encode_with_tokens``): the sentence vector and the token
states, stored as float16 in one ``.npz`` per cache name under a folder outside the repository
(default: ``xlingo-encoded`` in the system temp folder). Rerunning a benchmark or the training
script then costs no encoder time. A run uses every value in the stored precision, whether it
encoded it or read it, so a run on an empty cache gives what a run on a filled one gives.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from xlingo.embed.base import Embedder, TokenStates


def default_folder() -> Path:
    return Path(tempfile.gettempdir()) / "xlingo-encoded"


class EncodedTexts:
    """Sentence vectors and token states of texts, loaded from / saved to ``folder/name.npz``."""

    def __init__(self, name: str, folder: str | os.PathLike[str] | None = None, model: str = "e5-small") -> None:
        self.path = Path(folder or default_folder()) / f"{name}.npz"
        self.model = model
        self.vectors: dict[str, np.ndarray] = {}
        self.tokens: dict[str, TokenStates] = {}
        self.encoder_seconds = 0.0
        self.encoded = 0
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        z = np.load(self.path, allow_pickle=False)
        texts = [str(t) for t in z["texts"]]
        tv, to, bounds = z["tok_vectors"], z["tok_offsets"], z["bounds"]
        for i, t in enumerate(texts):
            a, b = int(bounds[i]), int(bounds[i + 1])
            self.vectors[t] = z["vectors"][i].astype(np.float32)
            self.tokens[t] = TokenStates([(int(s), int(e)) for s, e in to[a:b]], tv[a:b].astype(np.float32))
        if "encoder_seconds" in z:
            self.encoder_seconds = float(z["encoder_seconds"])
            self.encoded = int(z["encoded"])

    def save(self) -> None:
        texts = list(self.vectors)
        lens = [len(self.tokens[t].offsets) for t in texts]
        bounds = np.concatenate([[0], np.cumsum(lens)]).astype(np.int64)
        dim = next(iter(self.vectors.values())).shape[0] if texts else 0
        tv = np.concatenate([self.tokens[t].vectors for t in texts]) if texts else np.zeros((0, dim))
        to = np.array([o for t in texts for o in self.tokens[t].offsets], dtype=np.int32).reshape(-1, 2)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, texts=np.array(texts), vectors=np.stack([self.vectors[t] for t in texts]).astype(np.float16),
                 tok_vectors=tv.astype(np.float16), tok_offsets=to, bounds=bounds,
                 encoder_seconds=self.encoder_seconds, encoded=self.encoded)
        os.replace(tmp, self.path)

    def ensure(self, texts: Sequence[str], batch: int = 256, log: bool = True) -> None:
        """Encode the texts not cached yet (saving every ``batch`` texts)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if not missing:
            return
        from xlingo.embed import load_encoder

        enc = load_encoder(self.model)
        for k in range(0, len(missing), batch):
            chunk = missing[k:k + batch]
            t0 = time.perf_counter()
            sv, ts = enc.encode_with_tokens(chunk)
            self.encoder_seconds += time.perf_counter() - t0
            self.encoded += len(chunk)
            for t, v, s in zip(chunk, sv, ts):  # in the stored precision: a run on a filled cache reads the same
                self.vectors[t] = np.asarray(v, dtype=np.float16).astype(np.float32)
                self.tokens[t] = TokenStates(s.offsets, np.asarray(s.vectors, dtype=np.float16).astype(np.float32))
            self.save()
            if log:
                print(f"  encoded {min(k + batch, len(missing))}/{len(missing)} for {self.path.name} "
                      f"({self.encoded / max(self.encoder_seconds, 1e-9):.1f} sent/s)", flush=True)

    def token_states(self, texts: Sequence[str]) -> list[TokenStates]:
        self.ensure(texts, log=False)
        return [self.tokens[t] for t in texts]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.ensure(texts, log=False)
        return np.stack([self.vectors[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)

    def window_embed(self, *documents: Sequence[str], size: int = 6):
        """An embed function for an aligner over these documents' sentences: a window of
        consecutive sentences (joined by a space) gets the normalised mean of their cached
        vectors, so aligning costs no encoder pass beyond one per sentence. A window always gets
        that mean, even where an earlier run encoded its text, so what a run aligns does not
        depend on what the cache holds; any other text is encoded."""
        self.ensure([t for doc in documents for t in doc], log=False)
        windows: dict[str, np.ndarray] = {}
        for doc in documents:
            vecs = [self.vectors[t] for t in doc]
            for i in range(len(doc)):
                for j in range(i + 2, min(len(doc), i + size) + 1):
                    v = np.mean(vecs[i:j], axis=0)
                    windows.setdefault(" ".join(doc[i:j]), v / (np.linalg.norm(v) or 1.0))

        def embed(texts: Sequence[str]) -> np.ndarray:
            self.ensure([t for t in texts if t not in windows], log=False)
            known = [windows[t] if t in windows else self.vectors[t] for t in texts]
            return np.stack(known) if known else np.zeros((0, 384), dtype=np.float32)

        return embed

    def sent_per_s(self) -> float:
        """Throughput of the encoder alone while filling this cache (sentences per second)."""
        return self.encoded / self.encoder_seconds if self.encoder_seconds else float("nan")


@lru_cache(maxsize=None)
def second_embed(name: str) -> Embedder:
    """The embed function of the row model's second encoder ``name`` (``xlingo.embed.load_encoder``),
    vectors kept in memory for the process: USE v3 encodes ~700 sentences a second."""
    from xlingo.embed import load_encoder

    return Embedder(load_encoder(name))


def digest(parts: Sequence[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:10]
