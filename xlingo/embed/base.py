"""Stage 3, embed: the small encoder interface and the per-run string cache."""
from __future__ import annotations

import threading
import time
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

EmbedFn = Callable[[Sequence[str]], np.ndarray]  # strings -> (n, dim) unit vectors, what stages call


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
    """A persistent map from (model, text) to vector, e.g. an SQLite cache. A store may also keep
    token states (``get_tokens``/``put_tokens``, fp16), so that a warm run needs no forward pass."""

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]: ...

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None: ...


@dataclass
class EncoderCounters:
    """What the encoder really did in a run: honest figures for ``--timings`` and benchmarks."""

    strings_encoded: int = 0  # strings that went through a forward pass
    forward_calls: int = 0  # encoder calls (each one or more model batches)
    seconds: float = 0.0  # wall time inside the encoder
    vectors_from_store: int = 0
    tokens_from_store: int = 0

    @property
    def mean_batch(self) -> float:
        return self.strings_encoded / self.forward_calls if self.forward_calls else 0.0

    def to_dict(self) -> dict[str, float]:
        return {"strings_encoded": self.strings_encoded, "forward_calls": self.forward_calls,
                "mean_batch": round(self.mean_batch, 1), "encoder_s": round(self.seconds, 3),
                "vectors_from_store": self.vectors_from_store, "tokens_from_store": self.tokens_from_store}

    def add(self, other: EncoderCounters) -> None:
        for name in ("strings_encoded", "forward_calls", "seconds", "vectors_from_store", "tokens_from_store"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def half_precision(states: TokenStates) -> TokenStates:
    """Token states rounded to float16, as the cache keeps them (so cold and warm runs agree)."""
    return TokenStates(list(states.offsets), np.asarray(states.vectors, dtype=np.float16))


def full_precision(states: TokenStates) -> TokenStates:
    return TokenStates(states.offsets, np.asarray(states.vectors, dtype=np.float32))


class Embedder:
    """The run's one encoder service: each distinct string is encoded once, in batches, with its
    token states from the same forward pass when asked; a persistent store keeps both.

    Callers should ask for many strings at once (``prefetch``, or one call with all of a
    phase's strings): every call that misses the memo and the store is a forward call.
    """

    def __init__(self, encoder: Encoder, store: EmbeddingStore | None = None, batch_size: int = 256) -> None:
        self.encoder = encoder
        self.store = store
        self.batch_size = batch_size
        self._memo: dict[str, np.ndarray] = {}
        self._tokens: dict[str, TokenStates] = {}  # float16 vectors
        self.strings_embedded = 0  # strings that went through the encoder
        self.strings_requested = 0  # distinct strings asked for
        self.counters = EncoderCounters()
        self.new_tokens: dict[str, TokenStates] = {}  # filled when ``collect_new`` (for a driver to store)
        self.collect_new = False
        self.new_vectors: dict[str, np.ndarray] = {}
        self.last_encoded: list[str] = []  # the strings of the latest forward call (for per-caller counts)
        # the counters' updates: a story's thread reads the store while a wave encodes in another
        self._counting = threading.Lock()

    @property
    def has_tokens(self) -> bool:
        return isinstance(self.encoder, TokenEncoder)

    @property
    def token_model(self) -> str:
        """The store key of this encoder's token states (its name and token layer)."""
        return f"{self.encoder.name}#tokens@{getattr(self.encoder, 'token_layer', '')}"

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for ``texts`` (duplicates and previously seen strings cost nothing)."""
        self._fill(texts, tokens=False)
        if not texts:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])

    def tokens(self, texts: Sequence[str]) -> list[TokenStates]:
        """Token states for ``texts`` (float16-rounded), from the memo, the store or one pass."""
        self._fill(texts, tokens=True)
        return [full_precision(self._tokens[t]) for t in texts]

    def prefetch(self, texts: Sequence[str], tokens: bool = False) -> None:
        """Encode every string of ``texts`` not known yet, in full batches (vectors, and token
        states when ``tokens`` and the encoder has them)."""
        self._fill(texts, tokens=tokens and self.has_tokens)

    def together(self, embedders: Sequence[Embedder | None]) -> list[Embedder]:
        """The embedding function of each of ``embedders`` (None: this one). Called directly, each
        encodes on its own; a batched story view (:class:`~xlingo.embed.batching.BatchedService`)
        asks for a string in all of them at once."""
        return [e or self for e in embedders]

    def prefetch_new(self, texts: Sequence[str]) -> None:
        """Encode, with their token states, the strings of ``texts`` whose vectors are neither
        known nor stored; leave the token states of the others in the store (a story that needs
        them asks): a re-run whose stories are reused reads no token state."""
        if not self.has_tokens:
            self._fill(texts, tokens=False)
            return
        want = list(dict.fromkeys(texts))
        unknown = [t for t in want if t not in self._memo]
        if self.store is not None and unknown:
            found = self.store.get_many(self.encoder.name, unknown)
            with self._counting:
                self.counters.vectors_from_store += len(found)
                self.strings_requested += len(found)
            self._memo.update(found)
        self._fill([t for t in unknown if t not in self._memo], tokens=True)

    def forget_tokens(self, keep: Collection[str] = ()) -> None:
        """Drop the token states held in memory but those of ``keep`` (a store still has them):
        memory flat over a feed."""
        self._tokens = {t: s for t, s in self._tokens.items() if t in keep}

    def remember(self, vectors: dict[str, np.ndarray], tokens: dict[str, TokenStates] | None = None) -> None:
        """Know these vectors (and float16 token states) without storing them: a worker's inputs."""
        self._memo.update(vectors)
        self._tokens.update(tokens or {})

    def half_tokens(self, texts: Sequence[str]) -> dict[str, TokenStates]:
        """The float16 token states of ``texts`` as kept (memo, store or one pass)."""
        self._fill(texts, tokens=True)
        return {t: self._tokens[t] for t in texts}

    def missing(self, texts: Sequence[str], tokens: bool) -> tuple[list[str], list[str]]:
        """Take what the store has of ``texts``; the strings that still need a forward pass with
        token states, and those that need vectors only."""
        want = list(dict.fromkeys(texts))
        need_vec = [t for t in want if t not in self._memo]
        need_tok = [t for t in want if t not in self._tokens] if tokens else []
        with self._counting:
            self.strings_requested += len(need_vec)
        if self.store is not None:
            if need_vec:
                found = self.store.get_many(self.encoder.name, need_vec)
                with self._counting:
                    self.counters.vectors_from_store += len(found)
                self._memo.update(found)
            get_tokens = getattr(self.store, "get_tokens", None)
            if need_tok and get_tokens is not None:
                found_tok = get_tokens(self.token_model, need_tok)
                with self._counting:
                    self.counters.tokens_from_store += len(found_tok)
                self._tokens.update(found_tok)
        with_tokens = [t for t in need_tok if t not in self._tokens]
        both = set(with_tokens)
        return with_tokens, [t for t in need_vec if t not in self._memo and t not in both]

    def keep(self, vectors: dict[str, np.ndarray], tokens: dict[str, TokenStates]) -> None:
        """Take freshly encoded vectors and float16 token states (here or by a worker): memo,
        store, and the new entries a worker hands back."""
        fresh = {t: v for t, v in vectors.items() if t not in self._memo}  # keep vectors already known
        with self._counting:
            self.strings_embedded += len(fresh)
        self._memo.update(fresh)
        self._tokens.update(tokens)
        if self.collect_new:
            self.new_vectors.update(fresh)
            self.new_tokens.update(tokens)
        if self.store is not None:
            self.store.put_many(self.encoder.name, fresh)
            put_tokens = getattr(self.store, "put_tokens", None)
            if tokens and put_tokens is not None:
                put_tokens(self.token_model, tokens)

    def _fill(self, texts: Sequence[str], tokens: bool) -> None:
        with_tokens, vec_only = self.missing(texts, tokens)
        if not with_tokens and not vec_only:
            return
        fresh: dict[str, np.ndarray] = {}
        fresh_tok: dict[str, TokenStates] = {}
        t0 = time.perf_counter()
        for chunk in _by_length(with_tokens, self.batch_size):
            raw, states = self.encoder.encode_with_tokens(chunk)  # type: ignore[attr-defined]
            fresh.update(zip(chunk, self._checked(raw, len(chunk))))
            fresh_tok.update((t, half_precision(s)) for t, s in zip(chunk, states))
        for chunk in _by_length(vec_only, self.batch_size):
            fresh.update(zip(chunk, self._checked(self.encoder.encode(chunk), len(chunk))))
        with self._counting:
            self.counters.seconds += time.perf_counter() - t0
            self.counters.strings_encoded += len(with_tokens) + len(vec_only)
            self.counters.forward_calls += bool(with_tokens) + bool(vec_only)
        self.last_encoded = [*with_tokens, *vec_only]
        self.keep(fresh, fresh_tok)

    def _checked(self, raw: np.ndarray, n: int) -> np.ndarray:
        vecs = np.asarray(raw, dtype=np.float32)
        if vecs.shape != (n, self.encoder.dim) or not np.all(np.isfinite(vecs)):
            raise RuntimeError(f"encoder {self.encoder.name} returned bad vectors {vecs.shape}")
        return vecs


def _by_length(texts: Sequence[str], size: int) -> list[list[str]]:
    """``texts`` in chunks of ``size``, longest first (ties in input order): a chunk's strings have
    similar lengths, so a wave that mixes short names with long alignment windows pads nothing."""
    ordered = sorted(texts, key=len, reverse=True)
    return [ordered[k:k + size] for k in range(0, len(ordered), size)]


def _blank(char: str) -> bool:
    """Whitespace, or an invisible format/control character a tokenizer turns into a space."""
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def surface_tokens(text: str, offsets: Sequence[tuple[int, int]], special: Sequence[int],
                   prompt: int) -> tuple[list[int], list[tuple[int, int]]]:
    """The positions of ``text``'s own tokens and their spans in ``text``: ``prompt`` characters
    subtracted from the tokenizer's offsets, prompt and special tokens dropped, each span's leading
    blanks (the metaspace) trimmed, tokens left empty dropped."""
    keep, spans = [], []
    for pos, ((start, end), is_special) in enumerate(zip(offsets, special)):
        start, end = max(start, prompt) - prompt, end - prompt
        while start < end and _blank(text[start]):
            start += 1
        if is_special or start >= end:
            continue
        keep.append(pos)
        spans.append((start, end))
    return keep, spans
