"""The ``ray`` executor: the embed phase and the per-story phase of a feed on a Ray cluster.

* **Embed** (map): the sentences the cache does not know go through Ray Data's ``map_batches``
  with a callable class, :class:`EmbedBatch`, so the model is loaded once per actor
  (``concurrency`` = the number of workers); each batch gives vectors and token states together.
  The batches are the local run's encoder calls (:func:`~xlingo.embed.batching.feed_chunks`): a
  vector depends, by ~1e-7, on the texts encoded with it.
* **Stories** (map): :class:`StoryWorker` actors, each with its own :class:`~xlingo.pipeline.Engine`
  (model loaded once per actor), check chunks of stories, their encoder requests batched in
  waves (:mod:`xlingo.embed.batching`). Stories travel with the vectors and token states of their
  sentences and the vectors of the strings their rules declare (encoded on the driver for the
  whole feed in one pass, :class:`~xlingo.pipeline.DeclaresStrings`); the worker hands back
  the stories, the strings it had to encode (alignment windows, names, merged cells) and its
  counters.
* **Merge** (reduce): results come back in job order; only the driver writes the embedding
  cache (workers read it when its file is reachable from their node, and hand new entries
  back). The report is byte-identical to the local run's.

The cluster is ``RAY_ADDRESS`` (or ``--ray-address``) when set, else a local one started here.
Ray is an optional extra: ``pip install xlingo[ray]``.
"""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from xlingo.config import Settings
from xlingo.embed.base import EncoderCounters, TokenStates
from xlingo.embed.batching import feed_chunks
from xlingo.errors import ConfigError
from xlingo.model import Story

MAX_WORKERS = 8
STORIES_PER_CALL = 8  # at most this many stories per actor call, their encoder requests batched in waves


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError("--executor ray needs Ray: pip install 'xlingo[ray]'") from None
    return ray


def pack_tokens(states: TokenStates) -> bytes:
    """Token states as bytes: n and dim (int32), offsets (int32 pairs), float16 vectors."""
    v = np.asarray(states.vectors, dtype="<f2")
    n, dim = (v.shape if v.ndim == 2 else (0, 0))
    return (np.array([n, dim], dtype="<i4").tobytes() + np.asarray(states.offsets, dtype="<i4").reshape(-1, 2).tobytes()
            + v.tobytes())


def unpack_tokens(blob: bytes) -> TokenStates:
    n, dim = (int(x) for x in np.frombuffer(blob[:8], dtype="<i4"))
    offsets = np.frombuffer(blob[8:8 + 8 * n], dtype="<i4").reshape(n, 2)
    vectors = np.frombuffer(blob[8 + 8 * n:], dtype="<f2").reshape(n, dim).astype(np.float16)
    return TokenStates([(int(a), int(b)) for a, b in offsets], vectors)


def connect(address: str | None = None, num_cpus: int | None = None) -> Any:
    """Join the cluster at ``address`` (else ``RAY_ADDRESS``), or start a local one (with
    ``num_cpus``) whose workers import this copy of xlingo; the ``ray`` module."""
    ray = _ray()
    if ray.is_initialized():
        return ray
    address = address or os.environ.get("RAY_ADDRESS") or None
    kwargs: dict[str, Any] = {"address": address, "log_to_driver": False, "include_dashboard": False}
    if address is None:
        root = str(Path(__file__).resolve().parent.parent)
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH", "")) if p)
        kwargs.update(runtime_env={"env_vars": {"PYTHONPATH": path}}, num_cpus=num_cpus)
    ray.init(**kwargs)
    return ray


class EmbedBatch:
    """Ray Data callable class: one encoder per actor; a batch of texts -> vectors and token states."""

    def __init__(self, model: str | None) -> None:
        from xlingo.embed import load_encoder
        from xlingo.embed.base import Embedder

        self.embedder = Embedder(load_encoder(model))

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Rows in: each a JSON list of texts to encode in one call (:func:`~xlingo.embed.batching.feed_chunks`);
        a row per text out."""
        units = [json.loads(str(unit)) for unit in batch["texts"]]
        texts = [t for unit in units for t in unit]
        before = self.embedder.counters.seconds
        for unit in units:
            self.embedder.prefetch(unit, tokens=True)
        vectors = self.embedder(texts)
        tokens = self.embedder.half_tokens(texts) if self.embedder.has_tokens else {}
        self.embedder.forget_tokens()
        seconds = (self.embedder.counters.seconds - before) / max(1, len(texts))  # the encoder's time, per text
        return {"text": np.array(texts, dtype=object), "vector": vectors, "encoder_s": np.full(len(texts), seconds),
                "tokens": np.array([pack_tokens(tokens[t]) if t in tokens else b"" for t in texts], dtype=object)}


class ReadOnlyCache:
    """The driver's embedding cache as a worker sees it (when the file is reachable from its
    node): it reads, and hands new entries back instead of writing them."""

    def __init__(self, path: str) -> None:
        from xlingo.cache import EmbeddingCache

        self.cache = EmbeddingCache(path)

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        return self.cache.get_many(model, texts)

    def get_tokens(self, model: str, texts: Sequence[str]) -> dict[str, TokenStates]:
        return self.cache.get_tokens(model, texts)

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        """Nothing: the driver writes."""

    def put_tokens(self, model: str, items: dict[str, TokenStates]) -> None:
        """Nothing: the driver writes."""


class StoryWorker:
    """A Ray actor holding one engine: checks stories handed to it with their sentences' encodings."""

    def __init__(self, settings: Settings, glossary: list, cache: str | None = None) -> None:
        from xlingo.pipeline import Engine

        store = ReadOnlyCache(cache) if cache and Path(cache).is_file() else None
        self.engine = Engine(replace(settings, glossary=()), store=store)
        self.engine.glossary = glossary  # loaded by the driver: paths need not exist on this node
        self.engine.embedder.collect_new = True

    def check(self, jobs: list[Any], vectors: dict[str, np.ndarray], tokens: dict[str, bytes]) -> tuple:
        """Check a chunk of stories together (their encoder requests served in waves); the
        stories, the new encodings, the encoder counters and the time per component."""
        from xlingo.embed.batching import WaveBatcher

        embedder = self.embedder
        embedder.remember(vectors, {t: unpack_tokens(b) for t, b in tokens.items()})
        before = replace(embedder.counters)
        timings = dict(self.engine.timings)
        batcher = WaveBatcher(embedder, width=len(jobs))
        stories = batcher.map(jobs, lambda job, service: self.engine.build_story(
            list(job.versions), list(job.context), job.id, service=service))
        counters = embedder.counters
        delta = EncoderCounters(counters.strings_encoded - before.strings_encoded,
                                counters.forward_calls - before.forward_calls, counters.seconds - before.seconds)
        new_vectors, new_tokens = embedder.new_vectors, embedder.new_tokens
        embedder.new_vectors, embedder.new_tokens = {}, {}
        embedder.forget_tokens()
        spent = {k: v - timings.get(k, 0.0) for k, v in self.engine.timings.items()}
        return (stories, new_vectors, {t: pack_tokens(s) for t, s in new_tokens.items()}, delta,
                (spent, batcher.use, batcher.seconds))

    @property
    def embedder(self) -> Any:
        return self.engine.embedder


class RayExecutor:
    """Runs a feed's embed and per-story phases on Ray (see the module docs)."""

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        ray = connect(address)
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self.workers = workers or max(1, min(MAX_WORKERS, cpus))

    def embed(self, engine: Any, texts: Sequence[str], progress: Any) -> None:
        import ray

        embedder = engine.embedder
        progress.start("embedding sentences", len(texts))
        with_tokens, vec_only = embedder.missing(texts, tokens=embedder.has_tokens)
        units = feed_chunks(texts, {*with_tokens, *vec_only})  # the local run's encoder calls, one by one
        todo = [t for unit in units for t in unit]
        if todo:
            ds = ray.data.from_items([{"texts": json.dumps(u)} for u in units],
                                     override_num_blocks=min(self.workers, len(units)))
            out = ds.map_batches(EmbedBatch, fn_constructor_kwargs={"model": engine.settings.model},
                                 batch_size=1, concurrency=self.workers, num_cpus=1,
                                 batch_format="numpy").take_all()
            vectors = {str(r["text"]): np.asarray(r["vector"], dtype=np.float32) for r in out}
            tokens = {str(r["text"]): unpack_tokens(bytes(r["tokens"])) for r in out if len(r["tokens"])}
            embedder.counters.strings_encoded += len(todo)
            embedder.counters.seconds += float(sum(r["encoder_s"] for r in out))
            engine.add_encoder_seconds({"feed": float(sum(r["encoder_s"] for r in out))})
            embedder.counters.forward_calls += len(units)
            embedder.keep(vectors, tokens)
        if embedder.store is not None:
            embedder.forget_tokens()
        progress.advance(len(texts))

    def stories(self, engine: Any, jobs: Sequence[Any], progress: Any) -> list[Story]:
        import ray
        from ray.util import ActorPool

        progress.start("checking stories", len(jobs))
        if not jobs:
            return []
        actor = ray.remote(num_cpus=1)(StoryWorker)
        glossary_ref = ray.put(engine.glossary)
        cache = getattr(engine.embedder.store, "path", None)
        pool = ActorPool([actor.remote(engine.settings, glossary_ref, str(cache) if cache else None)
                          for _ in range(min(self.workers, len(jobs)))])
        embedder = engine.embedder
        declared = {job.id: engine.declared_strings(job.versions, job.context) for job in jobs}
        engine.prefetch_declared([t for texts in declared.values() for t in texts])  # one pass, on the driver

        def submit(a: Any, chunk: list[Any]) -> Any:
            texts = list(dict.fromkeys(t for job in chunk for t in job.texts()))
            tokens = embedder.half_tokens(texts) if embedder.has_tokens else {}
            texts = list(dict.fromkeys([*texts, *(t for job in chunk for t in declared[job.id])]))
            payload = (dict(zip(texts, embedder(texts))), {t: pack_tokens(s) for t, s in tokens.items()})
            if embedder.store is not None:
                embedder.forget_tokens()
            return a.check.remote(chunk, *payload)

        size = max(1, min(STORIES_PER_CALL, -(-len(jobs) // self.workers)))  # every worker gets work
        chunks = [list(jobs[k:k + size]) for k in range(0, len(jobs), size)]
        stories: list[Story] = []
        for chunk, (done, vectors, tokens, counters, spent) in zip(chunks, pool.map(submit, chunks)):
            embedder.keep(vectors, {t: unpack_tokens(b) for t, b in tokens.items()})
            embedder.counters.add(counters)
            for k, v in spent[0].items():
                engine.timings[k] = engine.timings.get(k, 0.0) + v
            for k, (calls, strings) in spent[1].items():
                used = engine.encoder_use.setdefault(k, [0, 0])
                used[0], used[1] = used[0] + calls, used[1] + strings
            engine.add_encoder_seconds(spent[2])
            stories.extend(done)
            progress.advance(len(chunk))
        return stories
