"""Encoder requests of many stories answered together: one forward pass per wave, not per call.

The aligner, the annotators and the rules of a story ask for strings as they go (alignment
windows, merged cells, name renderings), a few at a time. :class:`WaveBatcher` runs up to
``width`` stories at once, each in a thread with its own :class:`BatchedService`, by turns; a
request for strings the run does not know blocks its story. The stories run in two cohorts:
when every story of one is blocked or done, the requests of that *wave* are encoded together
(sorted by story and request order, so waves and batches are the same on every run) in a thread
of their own, while the other cohort's stories go on. Python work still runs one story at a
time, but beside the encoder instead of after it, and the encoder sees full batches.
"""
from __future__ import annotations

import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import numpy as np

from xlingo.embed.base import Embedder, TokenStates

T = TypeVar("T")
R = TypeVar("R")
PROMPT_CHARS = 12  # characters a string's prompt and special tokens weigh when a pass's seconds are shared
TOKEN_MEMO_LIMIT = 2_000  # token states kept in memory between waves when a store has them (memory flat in feed size)
FEED_CHUNK = 256  # strings per step of a feed's sentence pass (the encoder batches inside each step)
#: The interpreter's thread switch interval while stories run beside an encoding wave: the encoder
#: takes the interpreter back between its operations at once, not after Python's default 5 ms
#: (beside a busy Python thread a forward pass took 6x its time with 5 ms, 1.1x with 0.1 ms).
SWITCH_INTERVAL = 1e-4


def feed_chunks(texts: Sequence[str], todo: Collection[str]) -> list[list[str]]:
    """The lists a feed's sentence pass encodes, one encoder call each: per :data:`FEED_CHUNK`
    texts (in feed order), those of ``todo`` met there first. A text's vector depends, by ~1e-7,
    on the texts in its forward batch (matrix kernels for another number of rows sum in another
    order), enough to move a score across a rounding step; so every executor (this process, Ray's
    actors) encodes exactly these lists and the reports stay byte-identical."""
    seen: set[str] = set()
    out = []
    for k in range(0, len(texts), FEED_CHUNK):
        chunk = [t for t in dict.fromkeys(texts[k:k + FEED_CHUNK]) if t in todo and t not in seen]
        seen.update(chunk)
        if chunk:
            out.append(chunk)
    return out


@dataclass
class _Request:
    order: tuple[int, int]  # (story index, request number): the wave's deterministic order
    asks: list[tuple[Embedder, list[str], bool]]  # (encoder service, strings, with token states)
    component: str
    done: bool = False

    def known(self, flying: Collection[tuple[int, str]] = ()) -> bool:
        """Whether every string is known already (a string of the wave in flight is not, even
        where its vector has just arrived: what a story may do never depends on timing)."""
        return all(t in e._memo and (not tokens or t in e._tokens) and (id(e), t) not in flying
                   for e, texts, tokens in self.asks for t in texts)

    def strings(self) -> set[str]:
        return {t for _, texts, _ in self.asks for t in texts}


@dataclass
class _Flight:
    """A wave being encoded in a thread of its own."""

    wave: list[_Request]
    strings: frozenset[tuple[int, str]]  # (id of the encoder service, string)
    finished: bool = False
    error: BaseException | None = None


class BatchedService:
    """One story's view of the run's encoder service (the :class:`Embedder` interface)."""

    clock = staticmethod(time.thread_time)  # the story's own work, not its waits

    def __init__(self, batcher: WaveBatcher, index: int) -> None:
        self.batcher = batcher
        self.embedder = batcher.embedder
        self.index = index
        self.component = ""
        self._seq = 0

    @property
    def has_tokens(self) -> bool:
        return self.embedder.has_tokens

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self._wait(texts, tokens=False)
        return self.embedder(texts)

    def tokens(self, texts: Sequence[str]) -> list[TokenStates]:
        self._wait(texts, tokens=True)
        return self.embedder.tokens(texts)

    def prefetch(self, texts: Sequence[str], tokens: bool = False) -> None:
        self._wait(texts, tokens=tokens and self.has_tokens)

    def together(self, embedders: Sequence[Embedder | None]) -> list[Callable[[Sequence[str]], np.ndarray]]:
        """One embedding function per service of ``embedders`` (None: the run's own, through
        this view), each asking for its strings in *all* of them in one wave request: the
        aligner, which embeds the same windows with every encoder in turn, waits once per round
        and every encoder sees the whole wave's windows in one batch."""
        group = [e or self.embedder for e in embedders]

        def fn(embedder: Embedder) -> Callable[[Sequence[str]], np.ndarray]:
            def embed(texts: Sequence[str]) -> np.ndarray:
                self._ask([(e, list(texts), False) for e in group])
                return embedder(texts)
            return embed

        return [fn(e) for e in group]

    def _wait(self, texts: Sequence[str], tokens: bool) -> None:
        self._ask([(self.embedder, list(texts), tokens)])

    def _ask(self, asks: list[tuple[Embedder, list[str], bool]]) -> None:
        self._seq += 1
        self.batcher.request(_Request((self.index, self._seq), asks, self.component))


_MAIN = -1  # the turn of the thread that serves waves and starts stories


@dataclass
class WaveBatcher(Generic[T, R]):
    """Runs jobs in threads, their encoder requests served in waves, one wave encoded while the
    other half of the stories runs.

    Only one story runs at a time, by turns (no two threads compete for the interpreter): a
    story runs until it asks for unknown strings or ends, then hands the turn on. Stories run in
    two cohorts of ``width // 2``: when every running story is blocked, their requests become a
    wave, encoded in a thread of its own (the encoders' forward passes release the interpreter)
    while the stories of the wave before go on. Which requests make a wave, and in what order,
    depends only on the stories, never on timing: a wave is formed once the wave before is done
    and every story that could run is blocked, and a string counts as known only once its wave
    is done. So waves and batches are the same on every run.
    """

    embedder: Embedder
    width: int = 16
    waves: int = 0
    use: dict[str, list[int]] = field(default_factory=dict)  # component -> [waves it had strings encoded in, strings]
    #: component -> the run's model's seconds for its strings (a pass's seconds shared by characters)
    seconds: dict[str, float] = field(default_factory=dict)
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _turn: int = _MAIN
    _ready: deque[int] = field(default_factory=deque)
    _pending: list[_Request] = field(default_factory=list)
    _flight: _Flight | None = None
    _encoding: ThreadPoolExecutor | None = None  # the one thread that encodes waves, during ``map``

    def request(self, req: _Request) -> None:
        flight = self._flight
        if req.known(flight.strings if flight is not None else ()):
            return
        with self._cond:
            self._pending.append(req)
            self._hand_on()
            while not (req.done and self._turn == req.order[0]):
                self._cond.wait()

    def _hand_on(self) -> None:
        self._turn = self._ready.popleft() if self._ready else _MAIN
        self._cond.notify_all()

    def map(self, jobs: Sequence[T], fn: Callable[[T, BatchedService], R]) -> list[R]:
        """``fn(job, service)`` for every job, results in job order."""
        results: list[R | None] = [None] * len(jobs)
        errors: list[BaseException] = []
        alive = following = 0
        cohort = max(1, self.width // 2)

        def work(k: int) -> None:
            nonlocal alive
            with self._cond:
                while self._turn != k:
                    self._cond.wait()
            try:
                results[k] = fn(jobs[k], BatchedService(self, k))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller below
                errors.append(exc)
            finally:
                with self._cond:
                    alive -= 1
                    self._hand_on()

        switch = sys.getswitchinterval()
        sys.setswitchinterval(min(switch, SWITCH_INTERVAL))
        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="xlingo-wave") as self._encoding, self._cond:
                while True:
                    # a cohort while no wave is in flight, the other one beside a wave in flight
                    while alive < (cohort if self._flight is None else self.width) and following < len(jobs) \
                            and not errors:
                        alive += 1
                        self._ready.append(following)
                        threading.Thread(target=work, args=(following,), daemon=True).start()
                        following += 1
                    if self._ready:
                        self._hand_on()
                        while self._turn != _MAIN:
                            self._cond.wait()
                    landed = self._land()
                    if self._pending:
                        self._launch(landed)
                    elif not self._ready and not alive and (following == len(jobs) or errors):
                        break
        finally:
            self._encoding = None
            sys.setswitchinterval(switch)
        if errors:
            raise errors[0]
        return results  # type: ignore[return-value]

    def _land(self) -> list[_Request]:
        """Wait for the wave in flight (every story is blocked or done); its stories may go on."""
        flight, self._flight = self._flight, None
        if flight is None:
            return []
        while not flight.finished:
            self._cond.wait()
        if flight.error is not None:
            raise flight.error
        for r in flight.wave:
            r.done = True
            self._ready.append(r.order[0])
        return flight.wave

    def _launch(self, landed: list[_Request]) -> None:
        """Encode the pending requests as one wave in a thread of its own. Token states held in
        memory are first cut to those of this wave and of the one that just landed (a store
        still has the others): memory flat in feed size."""
        wave = sorted(self._pending, key=lambda r: r.order)
        self._pending = []
        self.waves += 1
        services = list(dict.fromkeys([self.embedder, *(e for r in wave for e, _, _ in r.asks)]))
        keep = set().union(*(r.strings() for r in (*landed, *wave)))
        for embedder in services:
            if embedder.store is not None and len(embedder._tokens) > TOKEN_MEMO_LIMIT:
                embedder.forget_tokens(keep)
        flight = _Flight(wave, frozenset((id(e), t) for r in wave for e, texts, _ in r.asks for t in texts))
        self._flight = flight
        assert self._encoding is not None  # only map launches waves
        self._encoding.submit(self._encode, flight, services)

    def _encode(self, flight: _Flight, services: list[Embedder]) -> None:
        """Per encoder service (the run's own first, the others in the order the wave first asks
        them), the wave's strings with token states in one pass, the others in another."""
        try:
            for embedder in services:
                asked = [(r, texts, tokens) for r in flight.wave for e, texts, tokens in r.asks if e is embedder]
                encoded: list[str] = []
                spent: list[tuple[list[str], float]] = []  # the strings of each pass and its seconds
                for want_tokens in (True, False):
                    texts = [t for _, ts, tokens in asked if tokens == want_tokens for t in ts]
                    if texts:
                        embedder.last_encoded = []
                        t0 = embedder.counters.seconds
                        embedder.prefetch(texts, tokens=want_tokens)
                        encoded += embedder.last_encoded
                        spent.append((embedder.last_encoded, embedder.counters.seconds - t0))
                if encoded and embedder is self.embedder:  # the run's model: by the component that asked first
                    self._count(encoded, [(r.component, ts) for r, ts, _ in asked], spent)
        except BaseException as exc:  # noqa: BLE001 - raised in the thread that waits for the wave
            flight.error = exc
        finally:
            with self._cond:
                flight.finished = True
                self._cond.notify_all()

    def _count(self, encoded: list[str], asked: list[tuple[str, list[str]]],
               spent: Sequence[tuple[list[str], float]] = ()) -> None:
        first: dict[str, str] = {}
        for component, texts in asked:
            for t in texts:
                first.setdefault(t, component)
        components = [first[t] for t in encoded]
        for component in dict.fromkeys(components):
            self.use.setdefault(component, [0, 0])[0] += 1
        for component in components:
            self.use[component][1] += 1
        for texts, seconds in spent:  # each string's share: its characters and the prompt's (its tokens, roughly)
            weights = [len(t) + PROMPT_CHARS for t in texts]
            total = sum(weights) or 1
            for t, w in zip(texts, weights):
                self.seconds[first[t]] = self.seconds.get(first[t], 0.0) + seconds * w / total
