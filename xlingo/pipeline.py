"""The engine: read -> segment -> embed -> align -> check -> report, as one typed API.

``diff`` is what ``xlingo diff`` runs; ``check`` builds on ``build_story`` and
``make_report`` for whole feeds.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from xlingo.align import AlignParams, align_documents
from xlingo.check.base import CheckContext, Rule
from xlingo.check.runner import run_checks, selected_rules
from xlingo.config import Settings
from xlingo.model import Document, GroupEntry, Report, RowLevels, RuleInfo, Signature, Story
from xlingo.embed import load_encoder
from xlingo.check.rules.spans import divergence_scores
from xlingo.embed.base import Embedder, EmbeddingStore, TokenEncoder, TokenStates
from xlingo.errors import InputError
from xlingo.glossary import GlossaryEntry, load_glossary
from xlingo.read import expand_paths, read_document, unique_ids
from xlingo.segment import segment

__all__ = ["Engine", "diff", "diff_documents"]


class Engine:
    """Holds what a run shares across stories: the encoder, the string cache, the rules."""

    def __init__(self, settings: Settings | None = None, store: EmbeddingStore | None = None,
                 align_params: AlignParams | None = None) -> None:
        self.settings = settings or Settings()
        self.align_params = align_params or AlignParams()
        self.encoder = load_encoder(self.settings.model)
        self.embedder = Embedder(self.encoder, store=store)
        self.rules: list[Rule] = selected_rules(self.settings)
        self.glossary: list[GlossaryEntry] = [e for g in self.settings.glossary for e in load_glossary(g)]
        self.timings: dict[str, float] = {"embed": 0.0, "align": 0.0, "check": 0.0}

    def _timed_embed(self, texts: Sequence[str]) -> np.ndarray:
        t0 = time.perf_counter()
        try:
            return self.embedder(texts)
        finally:
            self.timings["embed"] += time.perf_counter() - t0

    def build_story(self, documents: Sequence[Document], context: Sequence[Document] = (),
                    story_id: str = "story") -> Story:
        """Segment, embed, align and check one story's versions."""
        docs = list(documents)
        if len(docs) < 2:
            raise InputError(f"story {story_id}: need at least two language versions, got {len(docs)}")
        for d in (*docs, *context):
            if not d.sentences:
                segment(d, presplit=self.settings.presplit)
            if not d.sentences:
                raise InputError(f"{d.path}: no sentences found")
        t0 = time.perf_counter()
        token_memo = self.embedder.embed_with_tokens([s.text for d in docs for s in d.sentences])
        self.timings["embed"] += time.perf_counter() - t0
        embed_before = self.timings["embed"]
        t0 = time.perf_counter()
        rows = align_documents(docs, self._timed_embed, self.align_params)
        self.timings["align"] += time.perf_counter() - t0 - (self.timings["embed"] - embed_before)
        story = Story(id=story_id, documents=docs, alignment=rows, context=list(context))
        vectors = {(d.id, s.i): v for d in docs
                   for s, v in zip(d.sentences, self._timed_embed([s.text for s in d.sentences]))}
        ctx = CheckContext(story=story, embed=self._timed_embed, sentence_vectors=vectors,
                           glossary=self.glossary, token_states=self._token_states(token_memo))
        t0 = time.perf_counter()
        story.findings = run_checks(ctx, self.rules, self.settings)
        for row, score in zip(story.alignment, divergence_scores(ctx)):
            row.divergence = score
        self.timings["check"] += time.perf_counter() - t0
        return story

    def _token_states(self, memo: dict[str, TokenStates]) -> Callable[[Sequence[str]], list[TokenStates]] | None:
        """Token states for a story's checks: those of the embedding pass, else one pass more."""
        if not isinstance(self.encoder, TokenEncoder):
            return None
        encoder = self.encoder

        def token_states(texts: Sequence[str]) -> list[TokenStates]:
            missing = [t for t in dict.fromkeys(texts) if t not in memo]
            if missing:
                memo.update(zip(missing, encoder.encode_tokens(missing)))
            return [memo[t] for t in texts]

        return token_states

    def components(self) -> dict[str, dict[str, object]]:
        """The parameters of the stages besides the settings: alignment, each rule's options, row levels."""
        out: dict[str, dict[str, object]] = {"align": {k.removeprefix("align."): v
                                                       for k, v in self.align_params.thresholds()}}
        out.update({f"rules.{r.code}": dict(sorted(r.opts.items())) for r in self.rules})
        out["levels"] = RowLevels().to_dict()
        return out

    def signature(self) -> Signature:
        """Version, model, rule set and a hash of every setting of this run."""
        return self.settings.signature(self.encoder.name, [r.code for r in self.rules], self.components())

    def report(self, stories: list[Story], grouping: Sequence[GroupEntry] = ()) -> Report:
        """The report of these stories, with deterministic stats."""
        docs = [d for s in stories for d in s.documents]
        stats = {
            "stories": len(stories),
            "documents": len(docs),
            "sentences": sum(len(d.sentences) for d in docs),
            "rows": sum(len(s.alignment) for s in stories),
            "findings": sum(len(s.findings) for s in stories),
            "strings_embedded": self.embedder.strings_requested,
        }
        rules = {r.code: RuleInfo(r.code, r.name, r.summary, r.severity, r.doc()) for r in self.rules}
        return Report(signature=self.signature(), stories=stories, stats=stats, grouping=list(grouping),
                      rules=rules, fail_on=self.settings.fail_on, timings=dict(self.timings))


def diff_documents(documents: Sequence[Document], *, context: Sequence[Document] = (),
                   settings: Settings | None = None, story_id: str | None = None,
                   engine: Engine | None = None) -> Report:
    """Align and check already-read documents (the versions of one story)."""
    engine = engine or Engine(settings)
    story = engine.build_story(documents, context, story_id or _story_id(documents))
    return engine.report([story])


def diff(paths: Sequence[str | Path], *, langs: Sequence[str] | None = None, context: Sequence[str | Path] = (),
         settings: Settings | None = None, engine: Engine | None = None) -> Report:
    """Read the versions of one story (files, or one folder) and report where they diverge.

    ``langs`` forces the languages in the order of the (expanded) paths.
    """
    files = expand_paths([str(p) for p in paths])
    if len(files) < 2:
        raise InputError(f"need at least two language versions, got {len(files)}: {', '.join(files)}")
    if langs and len(langs) != len(files):
        raise InputError(f"--lang names {len(langs)} languages for {len(files)} files")
    docs = [read_document(f, lang=langs[k] if langs else None) for k, f in enumerate(files)]
    unique_ids(docs)
    ctx_docs = [read_document(f, doc_id=f"context:{Path(f).stem}") for f in expand_paths([str(c) for c in context])]
    return diff_documents(docs, context=ctx_docs, settings=settings, engine=engine)


def _story_id(documents: Sequence[Document]) -> str:
    parents = {Path(d.path).parent.name for d in documents}
    return parents.pop() if len(parents) == 1 and "" not in parents else "story"
