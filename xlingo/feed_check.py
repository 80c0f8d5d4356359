"""Checking a whole feed, as a library API: read -> embed (map) -> group (global) -> build stories
(map) -> report (reduce) -> baseline.

Every stage returns new objects (documents are copied when segmented or renamed, never changed
in place); the per-story work is stateless (a story's versions and context in, a
:class:`~xlingo.model.Story` out), so an executor may run it anywhere: ``"local"`` in
this process, ``"ray"`` on a Ray cluster (:mod:`xlingo.ray_executor`). The stats come from the
stories, so every executor gives the same report. ``xlingo check`` parses its arguments and
calls :func:`check_feed`.
"""
from __future__ import annotations

import logging
import os
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from xlingo.baseline import BaselineEntry, BaselineResult, apply_baseline
from xlingo.cache import EmbeddingCache, code_digest, story_key
from xlingo.config import Settings
from xlingo.embed.base import Embedder, EmbeddingStore, EncoderCounters
from xlingo.embed.batching import FEED_CHUNK, BatchedService, WaveBatcher
from xlingo.errors import ConfigError, InputError
from xlingo.feed import FeedDocument, Problems
from xlingo.group import Grouping, GroupParams, StoryGroup, group_documents
from xlingo.model import Document, GroupEntry, Report, Story
from xlingo.pipeline import Engine
from xlingo.read import unique_ids
from xlingo.segment import segment
from xlingo.suppress import load_ignore_file

__all__ = ["EXECUTORS", "Executor", "FeedOptions", "FeedRun", "LocalExecutor", "Progress", "StoryJob", "check_feed",
           "check_stories", "decide_grouping", "embed_feed", "name_documents", "segment_feed"]

log = logging.getLogger("xlingo.check")
EXECUTORS = ("local", "ray")
STORE_CHUNK = 64  # checked stories written to the store per transaction
#: stories in flight in the local executor (their encoder requests batched together). 64 against 16 on
#: the 100-story NTREX feed (``benchmarks/throughput.py --ab 2 --widths 16,64``), alternated in one
#: process: 16 forward calls instead of 35 and 59.4 against 62.1 CPU s on average (short strings cost
#: ~20 % less in calls of ~130 than of ~33), the same report
WAVE_WIDTH = 64


class Progress(Protocol):
    """Where a run reports its progress (a terminal bar, log lines, nothing)."""

    def start(self, what: str, total: int) -> None: ...

    def advance(self, n: int = 1, note: str | None = None) -> None: ...


class _Silent:
    def start(self, what: str, total: int) -> None:
        log.info("%s: %d", what, total)

    def advance(self, n: int = 1, note: str | None = None) -> None:
        if note:
            log.info("%s", note)


@dataclass(frozen=True)
class FeedOptions:
    """How a feed is split into stories and where the per-story work runs."""

    story: str | None = None  # every document without a story field is a version of this story
    no_group: bool = False  # all documents are versions of one story
    group: GroupParams = field(default_factory=GroupParams)
    default_id: str = "feed"
    executor: str = "local"  # "local" | "ray"
    workers: int | None = None  # Ray actors per phase (default: the cluster's CPUs, at most 8)
    ray_address: str | None = None  # default: RAY_ADDRESS, else a local cluster
    reuse_stories: bool = True  # take unchanged stories' results from the store (when it keeps stories)


@dataclass(frozen=True)
class StoryJob:
    """One story's stateless work: its versions and context documents (ids as reported)."""

    id: str
    versions: tuple[Document, ...]
    context: tuple[Document, ...] = ()

    def texts(self) -> list[str]:
        """The distinct sentence texts of its versions."""
        return list(dict.fromkeys(s.text for d in self.versions for s in d.sentences))


@dataclass
class FeedRun:
    """What one check of a feed produced, with honest figures of where the time went."""

    report: Report
    engine: Engine
    baseline: BaselineResult | None
    phases: dict[str, float] = field(default_factory=dict)  # seconds per feed phase
    stories_reused: int = 0  # stories whose result came from the store (unchanged since a run that checked them)

    @property
    def counters(self) -> EncoderCounters:
        return self.engine.embedder.counters


def check_feed(feed: Sequence[FeedDocument], settings: Settings, *, problems: Problems,
               store: EmbeddingStore | None = None, options: FeedOptions = FeedOptions(),
               baseline: list[BaselineEntry] | None = None, progress: Progress | None = None) -> FeedRun:
    """Segment, embed, group and check a feed; apply the baseline; the report with its stats.

    Without a ``store``, the run keeps its token states in a scratch store in a temporary folder
    (removed at the end), so that memory stays flat in the feed's size."""
    if options.executor not in EXECUTORS:
        raise ConfigError(f"unknown executor {options.executor!r}: expected one of {', '.join(EXECUTORS)}")
    if store is None:
        with tempfile.TemporaryDirectory(prefix="xlingo-run-") as scratch, \
                EmbeddingCache(Path(scratch) / "embeddings.sqlite") as scratch_store:
            return check_feed(feed, settings, problems=problems, store=scratch_store, options=options,
                              baseline=baseline, progress=progress)
    progress = progress or _Silent()
    phases: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        phases[name] = now - clock
        clock = now

    engine = Engine(settings, store=store)
    lap("load")  # the encoders and the rules
    segmented = segment_feed(feed, settings.presplit, problems)
    lap("segment")
    runner = _executor(options)
    vectors = embed_feed([fd.document for fd in segmented], engine, runner, progress)
    lap("embed")
    grouping = name_documents(decide_grouping(segmented, vectors, story=options.story, no_group=options.no_group,
                                              params=options.group, default_id=options.default_id))
    relations = Counter(e.relation for e in grouping.entries)
    log.info("grouped %d documents: %d stories, %d related, %d unrelated", len(grouping.entries),
             len(grouping.stories), relations["related"], relations["unrelated"])
    jobs = []
    for sg in grouping.stories:
        if len(sg.versions) < 2:
            problems.skip(f"story {sg.id}: only one version ({sg.versions[0].path}); not checked")
        else:
            jobs.append(StoryJob(sg.id, tuple(sg.versions), tuple(sg.context)))
    if not jobs:
        raise InputError(f"nothing checked: no story has two versions among the {len(segmented)} documents "
                         "(--story or --no-group name the versions of one story)")
    del vectors  # the grouping index is done: from here on only the embedder's one vector per string
    lap("group")
    stories, reused = check_stories(engine, jobs, runner, progress, store if options.reuse_stories else None)
    lap("stories")
    result = apply_baseline(stories, baseline) if baseline is not None else None
    report = engine.report(stories, grouping.entries, extra={"group": asdict(options.group)})
    report.stats["inputs_skipped"] = len(problems.skipped)
    if result is not None:
        report.stats.update(baseline_suppressed=result.suppressed, baseline_stale=result.stale_count)
    lap("report")
    report.timings.update({f"phase.{k}": v for k, v in phases.items()})
    return FeedRun(report=report, engine=engine, baseline=result, phases=phases, stories_reused=reused)


def check_stories(engine: Engine, jobs: Sequence[StoryJob], runner: Executor, progress: Progress,
                  store: EmbeddingStore | None = None) -> tuple[list[Story], int]:
    """The checked stories of ``jobs``, in order: those the ``store`` has checked before with the
    same inputs (:func:`story_inputs`), code and settings (:func:`run_cache_key`) taken from it, the others checked by
    ``runner`` and stored; and how many were taken."""
    get, put = getattr(store, "get_stories", None), getattr(store, "put_stories", None)
    if get is None or put is None:
        return runner.stories(engine, jobs, progress), 0
    run = run_cache_key(engine)
    keys = [story_key([run, story_inputs(job)]) for job in jobs]
    found = get(keys)
    todo = [k for k, key in enumerate(keys) if key not in found]
    checked = dict(zip(todo, runner.stories(engine, [jobs[k] for k in todo], progress) if todo else []))
    done = list(checked.items())
    for k in range(0, len(done), STORE_CHUNK):  # a chunk's JSON at a time (memory flat in feed size)
        put({keys[j]: story_data(story) for j, story in done[k:k + STORE_CHUNK]})
    return [checked[k] if k in checked else story_from_data(found[keys[k]], jobs[k])
            for k in range(len(jobs))], len(jobs) - len(todo)


def run_cache_key(engine: Engine) -> list:
    """What every story's result depends on besides its own inputs: the code
    (:func:`~xlingo.cache.code_digest`), the run's signature (version, encoders, rules, every
    setting), the glossary, the meaning model, the ``.xlingo-ignore`` file and the folders path
    globs are relative to (the current one, the config file's)."""
    model = engine.meaning_model
    return [code_digest(), engine.signature().to_dict(), [repr(g) for g in engine.glossary],
            None if model is None else model.digest, _ignore_entries(), os.getcwd(), engine.settings.per_path_root]


def story_inputs(job: StoryJob) -> list:
    """A story's own inputs: its id, documents (text, sentences, origin) and context."""
    def doc(d: Document) -> list:
        return [d.id, d.path, d.lang, d.title, d.text, [(s.i, s.start, s.end) for s in d.sentences],
                None if d.origin is None else [d.origin.path, d.origin.line, d.origin.anchors]]

    return [job.id, [doc(d) for d in job.versions], [doc(d) for d in job.context]]


def _ignore_entries() -> list:
    ignore = load_ignore_file()
    return [sorted(ignore.fingerprints), [list(p) for p in ignore.patterns]]


def story_data(story: Story) -> dict:
    """A checked story as JSON data, its row scores at full precision (the report rounds them)."""
    data = story.to_dict()
    for row, raw in zip(data["alignment"], story.alignment):
        row["similarity"], row["divergence"] = raw.similarity, raw.divergence
    return data


def story_from_data(data: dict, job: StoryJob) -> Story:
    """A story from :func:`story_data`, its documents' origins taken from the job (the key holds them)."""
    story = Story.from_dict(data)
    for d, given in zip([*story.documents, *story.context], [*job.versions, *job.context]):
        d.origin = given.origin
    return story


def segment_feed(feed: Sequence[FeedDocument], presplit: bool, problems: Problems) -> list[FeedDocument]:
    """Segmented copies of the feed's documents; one without sentences is skipped with a warning."""
    kept = []
    for fd in feed:
        doc = replace(fd.document, sentences=[])
        try:
            segment(doc, presplit=presplit)
        except InputError as exc:  # over the size budget
            problems.skip(f"{exc}; skipped")
            continue
        if doc.sentences:
            kept.append(replace(fd, document=doc))
        else:
            problems.skip(f"{fd.document.path}: no sentences found; skipped")
    if not kept:
        raise InputError("nothing to check: no document has any sentences")
    return kept


def embed_feed(docs: Sequence[Document], engine: Engine, executor: Executor | None = None,
               progress: Progress | None = None) -> dict[str, np.ndarray]:
    """Sentence vectors of every document, by document id: each distinct sentence encoded once, in
    full batches, with its token states from the same pass (kept in the store when there is one)."""
    texts = list(dict.fromkeys(s.text for d in docs for s in d.sentences))
    (executor or LocalExecutor()).embed(engine, texts, progress or _Silent())
    return {d.id: engine.embedder([s.text for s in d.sentences]) for d in docs}


def _embed_texts(embedder: Embedder, texts: Sequence[str], progress: Progress) -> None:
    """The unknown strings of each :data:`~xlingo.embed.batching.FEED_CHUNK` texts in one encoder
    call (what :func:`~xlingo.embed.batching.feed_chunks` gives the other executors)."""
    progress.start("embedding sentences", len(texts))
    for k in range(0, len(texts), FEED_CHUNK):
        chunk = texts[k:k + FEED_CHUNK]
        embedder.prefetch_new(chunk)
        if embedder.store is not None:
            embedder.forget_tokens()  # the store has them: memory stays flat over the feed
        progress.advance(len(chunk))


def decide_grouping(feed: Sequence[FeedDocument], vectors: dict[str, np.ndarray], *, story: str | None,
                    no_group: bool, params: GroupParams, default_id: str) -> Grouping:
    """Stories from the input (``story`` fields, --story, --no-group), the rest grouped by content."""
    docs = [fd.document for fd in feed]
    if no_group:
        sid = story or default_id
        entries = [GroupEntry(doc=d.id, path=d.path, lang=d.lang, story=sid, relation="version") for d in docs]
        return Grouping(stories=[StoryGroup(sid, docs)], entries=entries)
    fixed: dict[str, list[str]] = {}
    for fd in feed:
        sid = fd.story or story
        if sid is not None:
            fixed.setdefault(sid, []).append(fd.document.id)
    return group_documents(docs, vectors, params, fixed=fixed)


def name_documents(grouping: Grouping) -> Grouping:
    """The grouping with, inside each story, versions named by language and context as
    ``context:<id>`` (as in diff): renamed copies, the input's documents are left as they are."""
    renamed: dict[str, str] = {}
    stories = []
    for sg in grouping.stories:
        versions = [replace(d) for d in sg.versions]
        for d in versions:
            d.id = d.lang
        unique_ids(versions)
        context = [replace(d, id=f"context:{d.id}") for d in sg.context]
        renamed.update(zip((d.id for d in sg.versions + sg.context), (d.id for d in versions + context)))
        stories.append(StoryGroup(sg.id, versions, context))
    entries = [replace(e, doc=renamed.get(e.doc, e.doc)) for e in grouping.entries]
    return Grouping(stories=stories, entries=entries)


class Executor(Protocol):
    """Where the map phases of a feed run: the embed phase and the per-story phase."""

    def embed(self, engine: Engine, texts: Sequence[str], progress: Progress) -> None: ...

    def stories(self, engine: Engine, jobs: Sequence[StoryJob], progress: Progress) -> list[Story]: ...


class LocalExecutor:
    """Every phase in this process; stories ``width`` at a time, by turns, with wave batching."""

    def embed(self, engine: Engine, texts: Sequence[str], progress: Progress) -> None:
        """The run's model over every sentence with token states; beside it, in a thread each, the
        other encoders (the alignment's, the row score's second) over every sentence in one batched
        pass (not story by story as they align). The encoders' forward passes release the
        interpreter, so on a machine with a spare core they overlap; each encodes the same batches
        as alone, so the vectors are too."""
        with ThreadPoolExecutor(max_workers=max(1, len(engine.other_embedders))) as pool:
            others = [pool.submit(aligner.prefetch, texts) for aligner in engine.other_embedders.values()]
            spent = engine.embedder.counters.seconds
            _embed_texts(engine.embedder, texts, progress)
            engine.add_encoder_seconds({"feed": engine.embedder.counters.seconds - spent})
            for done in others:
                done.result()

    def __init__(self, width: int | None = None) -> None:
        self.width = width or WAVE_WIDTH

    def stories(self, engine: Engine, jobs: Sequence[StoryJob], progress: Progress) -> list[Story]:
        """Stories ``width`` at a time, their encoder requests served together in waves; first
        the strings the rules declare for them (:class:`~xlingo.pipeline.DeclaresStrings`), all
        stories' in one batched pass."""
        progress.start("checking stories", len(jobs))
        engine.prefetch_declared([t for job in jobs for t in engine.declared_strings(job.versions, job.context)])
        batcher: WaveBatcher[StoryJob, Story] = WaveBatcher(engine.embedder, self.width)

        def build(job: StoryJob, service: BatchedService) -> Story:
            story = engine.build_story(list(job.versions), list(job.context), job.id, service=service)
            progress.advance(note=f"story {job.id}: {len(job.versions)} versions, {len(job.context)} context, "
                                  f"{len(story.findings)} findings")
            return story

        out = batcher.map(jobs, build)
        for component, (waves, strings) in batcher.use.items():
            used = engine.encoder_use.setdefault(component, [0, 0])
            used[0], used[1] = used[0] + waves, used[1] + strings
        engine.add_encoder_seconds(batcher.seconds)
        if engine.embedder.store is not None:
            engine.embedder.forget_tokens()
        return out


def _executor(options: FeedOptions) -> Executor:
    if options.executor == "ray":
        from xlingo.ray_executor import RayExecutor

        return RayExecutor(address=options.ray_address, workers=options.workers)
    return LocalExecutor()
