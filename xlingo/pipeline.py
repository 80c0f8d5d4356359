"""The engine: one story through an ordered list of named components, as one typed API.

``read -> segment -> embed -> align -> annotate -> check``: each component has a name, the
fields it ``assigns`` and the fields it ``requires`` (spaCy's ``@Language.component``). The
annotators run are exactly those the selected rules and the report need (:func:`xlingo.annotate.plan`),
so ``--ignore XL7`` skips word alignment and ignoring a rule never changes another's findings.
Every component is timed the same way; the encoder's own time and calls are counted apart
(:class:`~xlingo.embed.base.EncoderCounters`).

``diff`` is what ``xlingo diff`` runs; :mod:`xlingo.feed_check` builds whole feeds on
``build_story`` and ``report``.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from xlingo.align import AlignParams, align_documents
from xlingo.annotate import Annotator, plan
from xlingo.annotate.meaning import load_model
from xlingo.annotate.rows import load_row_model
from xlingo.check.base import CheckContext, Rule, rule_catalogue
from xlingo.check.runner import run_checks, selected_rules
from xlingo.config import MAIN_MODEL, Settings
from xlingo.embed import load_encoder
from xlingo.embed.base import Embedder, EmbeddingStore, TokenStates
from xlingo.embed.threads import limit_array_threads
from xlingo.errors import InputError
from xlingo.glossary import GlossaryEntry, load_glossary
from xlingo.model import Document, GroupEntry, Report, RowLevels, RuleInfo, Signature, Story
from xlingo.read import expand_paths, read_document, unique_ids
from xlingo.segment import segment

__all__ = ["Component", "DeclaresStrings", "Engine", "diff", "diff_documents", "stage_parameters", "story_stats"]

REPORT_NEEDS = ("divergence", "unsure-words")  # fields every report carries (``Row.divergence``, ``Row.unsure_words``)


class EncoderService(Protocol):
    """What a story's components ask the encoder through: :class:`Embedder` or a batched view."""

    has_tokens: bool

    def __call__(self, texts: Sequence[str]) -> np.ndarray: ...

    def tokens(self, texts: Sequence[str]) -> list[TokenStates]: ...

    def prefetch(self, texts: Sequence[str], tokens: bool = False) -> None: ...

    def together(self, embedders: Sequence[Embedder | None]) -> list[Callable[[Sequence[str]], np.ndarray]]: ...


class DeclaresStrings(Protocol):
    """A rule that can tell, from a story's documents alone (segmented, not yet aligned), strings
    it will ask the encoder for (name renderings, name contexts...). The engine asks every rule
    that has this method before the stories run (:meth:`Engine.declared_strings`) and encodes
    what they declare for the whole feed in one batched pass, so the stories find those strings
    known and the rule's own requests cost nothing. Declaring is an optimisation: a string the
    rule asks for without declaring it is encoded then; one declared and never asked for costs
    one encoding. It must be cheap and depend on the documents only."""

    def encoder_strings(self, documents: Sequence[Document], context: Sequence[Document]) -> Iterable[str]: ...


@dataclass(frozen=True)
class Component:
    """A named step of the per-story pipeline."""

    name: str
    assigns: tuple[str, ...]
    requires: tuple[str, ...]
    run: Callable[[CheckContext], None]


class Engine:
    """Holds what a run shares across stories: the encoder service, the rules, the components."""

    def __init__(self, settings: Settings | None = None, store: EmbeddingStore | None = None,
                 align_params: AlignParams | None = None) -> None:
        self.settings = (settings or Settings()).validate_rules(rule_catalogue())
        limit_array_threads()
        self.align_params = align_params or AlignParams().with_options(self.settings.align_options)
        self.encoder = load_encoder(self.settings.model)
        self.embedder = Embedder(self.encoder, store=store)
        self.second_encoder = load_row_model().second_encoder  # the row score's second opinion
        self.other_embedders: dict[str, Embedder] = {  # besides the run's model: the alignment's, the row score's
            name: Embedder(load_encoder(name), store=store)
            for name in dict.fromkeys([*self.settings.align_encoders, self.second_encoder])
            if name not in (MAIN_MODEL, self.settings.model)}
        self.rules: list[Rule] = selected_rules(self.settings)
        self.glossary: list[GlossaryEntry] = [e for g in self.settings.glossary for e in load_glossary(g)]
        self.annotators: list[Annotator] = plan({*REPORT_NEEDS, *(r for rule in self.rules for r in rule.requires)})
        self.components: list[Component] = self._components()
        self.timings: dict[str, float] = {c.name: 0.0 for c in self.components}
        self.encoder_use: dict[str, list[int]] = {}  # component -> [forward calls, strings encoded]
        #: component -> seconds the run's model encoded for it ("feed": the feed's sentence pass;
        #: a wave of several components' strings is shared among them by characters)
        self.encoder_seconds: dict[str, float] = {}
        self._lock = threading.Lock()
        self.meaning_model = None  # None: the shipped one (benchmarks set cross-validated fold models)

    @property
    def component_names(self) -> list[str]:
        return [c.name for c in self.components]

    def _components(self) -> list[Component]:
        out = [Component("embed", ("sentence_vectors", "token_states"), ("sentences",), self._embed),
               Component("align", ("alignment", "Row.similarity"), ("sentence_vectors",), self._align)]
        for a in self.annotators:
            options = self.settings.options_for(a.tuned_by) if a.tuned_by else {}
            out.append(Component(a.name, a.assigns, ("alignment", *a.requires),
                                 _annotator_step(a, options)))
        needs = tuple(sorted({r for rule in self.rules for r in rule.requires}))
        out.append(Component("check", ("findings",), needs, self._check))
        return out

    def build_story(self, documents: Sequence[Document], context: Sequence[Document] = (),
                    story_id: str = "story", service: EncoderService | None = None) -> Story:
        """Segment, embed, align, annotate and check one story's versions."""
        docs = list(documents)
        if len(docs) < 2:
            raise InputError(f"story {story_id}: need at least two language versions, got {len(docs)}")
        for d in (*docs, *context):
            if not d.sentences:
                segment(d, presplit=self.settings.presplit)
            if not d.sentences:
                raise InputError(f"{d.path}: no sentences found")
        return self.process(Story(id=story_id, documents=docs, context=list(context)), service=service)

    def process(self, story: Story, disable: Sequence[str] = (), service: EncoderService | None = None) -> Story:
        """Run the components (except those named in ``disable``, e.g. ``"align"`` for a story
        whose alignment is given) on ``story``, in order, timing each. ``service`` answers the
        story's encoder requests (default: the engine's :class:`Embedder`; a
        :class:`~xlingo.embed.batching.BatchedService` when stories run in waves)."""
        unknown = set(disable) - set(self.component_names)
        if unknown:
            raise ValueError(f"no component named {', '.join(sorted(unknown))}")
        if service is None:  # one story on its own (diff): its declared strings in one pass first
            self.prefetch_declared(self.declared_strings(story.documents, story.context))
        service = service or self.embedder
        ctx = CheckContext(story=story, embed=service, glossary=self.glossary, meaning_model=self.meaning_model,
                           second_embed=service.together([self.other_embedders.get(self.second_encoder)])[0])
        counters = self.embedder.counters
        clock = getattr(service, "clock", time.perf_counter)
        for component in self.components:
            if component.name in disable:
                continue
            if service is not self.embedder:
                service.component = component.name  # type: ignore[union-attr]
            t0, calls, strings, spent = clock(), counters.forward_calls, counters.strings_encoded, counters.seconds
            component.run(ctx)
            with self._lock:
                self.timings[component.name] += clock() - t0
                if service is self.embedder and component.name != "check":  # the check counts per rule
                    self._count_encoder_use(component.name, calls, strings, spent)
        return story

    def declared_strings(self, documents: Sequence[Document], context: Sequence[Document] = ()) -> list[str]:
        """The distinct strings the selected rules declare for a story (:class:`DeclaresStrings`)."""
        out: list[str] = []
        for rule in self.rules:
            declare = getattr(rule, "encoder_strings", None)
            if declare is not None:
                out.extend(declare(documents, context))
        return list(dict.fromkeys(out))

    def prefetch_declared(self, texts: Sequence[str]) -> None:
        """Encode the declared ``texts`` the run does not know, in one batched pass (counted as
        the ``prefetch`` component's encoder use)."""
        counters = self.embedder.counters
        calls, strings, spent = counters.forward_calls, counters.strings_encoded, counters.seconds
        self.embedder.prefetch(texts)
        if counters.forward_calls > calls:
            with self._lock:
                self._count_encoder_use("prefetch", calls, strings, spent)

    def _count_encoder_use(self, component: str, calls: int, strings: int, spent: float) -> None:
        """Charge ``component`` with the encoder's calls, strings and seconds since the counters
        read ``calls``, ``strings`` and ``spent`` (the caller holds the lock)."""
        counters = self.embedder.counters
        used = self.encoder_use.setdefault(component, [0, 0])
        used[0] += counters.forward_calls - calls
        used[1] += counters.strings_encoded - strings
        self.add_encoder_seconds({component: counters.seconds - spent})

    def add_encoder_seconds(self, seconds: dict[str, float]) -> None:
        """Count the run's model's seconds by component (:attr:`encoder_seconds`)."""
        for component, s in seconds.items():
            if s > 0:
                self.encoder_seconds[component] = self.encoder_seconds.get(component, 0.0) + s

    def _embed(self, ctx: CheckContext) -> None:
        service = ctx.embed
        texts = [s.text for d in ctx.documents for s in d.sentences]
        service.prefetch(texts, tokens=True)  # type: ignore[attr-defined]
        vectors = service(texts)
        ctx.sentence_vectors = dict(zip(((d.id, s.i) for d in ctx.documents for s in d.sentences), vectors))
        ctx.token_states = service.tokens if service.has_tokens else None  # type: ignore[attr-defined]

    def _align(self, ctx: CheckContext) -> None:
        """Align with the configured encoders (``align.encoders``; the run's model through the
        story's service); ``Row.similarity`` always under the run's model. The encoders that embed
        windows are asked together (one wave request for all of them per aligner round)."""
        names = self.settings.align_encoders
        sentences_only = self.settings.align_sentences_only
        windowed = [n for n in names if n not in sentences_only]
        fns = ctx.embed.together([self.other_embedders.get(n) for n in windowed])  # type: ignore[attr-defined]
        ctx.story.alignment = align_documents(
            ctx.documents, fns, self.align_params,
            sentence_embed=ctx.embed.together([self.other_embedders.get(n) for n in names  # type: ignore[attr-defined]
                                               if n in sentences_only]),
            similarity_embed=ctx.embed)

    def align_encoder_names(self) -> list[str]:
        """The alignment's encoders as loaded (name and version), in ``align.encoders`` order."""
        return [(self.other_embedders[n].encoder.name if n in self.other_embedders else self.encoder.name)
                for n in self.settings.align_encoders]

    def _check(self, ctx: CheckContext) -> None:
        """The rules' findings; the strings each rule has encoded are counted as ``check.<code>``."""
        service = ctx.embed
        counters = self.embedder.counters
        running: list = [None, 0, 0, 0.0]  # the rule running (plain embedder), forward calls, strings and seconds then

        def settle(rule: Rule | None) -> None:
            if running[0] is not None and counters.forward_calls > running[1]:
                with self._lock:
                    used = self.encoder_use.setdefault(f"check.{running[0].code}", [0, 0])
                    used[0] += counters.forward_calls - running[1]
                    used[1] += counters.strings_encoded - running[2]
                    self.add_encoder_seconds({f"check.{running[0].code}": counters.seconds - running[3]})
            running[:] = [rule, counters.forward_calls, counters.strings_encoded, counters.seconds]

        def on_rule(rule: Rule) -> None:
            if service is self.embedder:
                settle(rule)
            elif hasattr(service, "component"):  # a batched view: its waves count by component
                service.component = f"check.{rule.code}"

        ctx.story.findings = run_checks(ctx, self.rules, self.settings, on_rule=on_rule)
        if service is self.embedder:
            settle(None)

    def signature(self, extra: dict[str, dict[str, object]] | None = None) -> Signature:
        """Version, model, rule set and a hash of every setting of this run (``extra``: parameters of
        stages outside the engine, e.g. feed grouping)."""
        parameters = stage_parameters(self.rules, self.align_params)
        parameters["align"]["encoders"] = self.align_encoder_names()
        parameters.update(extra or {})
        return self.settings.signature(self.encoder.name, [r.code for r in self.rules], parameters)

    def run_timings(self) -> dict[str, float]:
        """Seconds per component, the encoder's share of them, and the encoder's counters."""
        out = dict(self.timings)
        out["encoder"] = self.embedder.counters.seconds
        for name, embedder in sorted(self.other_embedders.items()):
            out[f"encoder.{name}"] = embedder.counters.seconds
        spent = self.embedder.counters.seconds + sum(e.counters.seconds for e in self.other_embedders.values())
        out["rest"] = max(0.0, sum(self.timings.values()) - spent)
        return out

    def report(self, stories: list[Story], grouping: Sequence[GroupEntry] = (),
               extra: dict[str, dict[str, object]] | None = None) -> Report:
        """The report of these stories, with stats derived from the stories alone."""
        rules = {r.code: RuleInfo(r.code, r.name, r.summary, r.severity, r.doc()) for r in self.rules}
        return Report(signature=self.signature(extra), stories=stories, stats=story_stats(stories),
                      grouping=list(grouping), rules=rules, fail_on=self.settings.fail_on,
                      timings=self.run_timings())


def stage_parameters(rules: Sequence[Rule], align: AlignParams) -> dict[str, dict[str, object]]:
    """The parameters of the stages besides the settings: alignment, each rule's options, row levels."""
    out: dict[str, dict[str, object]] = {"align": {k.removeprefix("align."): v for k, v in align.thresholds()}}
    out.update({f"rules.{r.code}": dict(sorted(r.opts.items())) for r in rules})
    out["levels"] = RowLevels().to_dict()
    rows = load_row_model()
    out["divergence"] = {"row_model": rows.digest, "second_encoder": load_encoder(rows.second_encoder).name,
                         "meaning_model": load_model().digest}  # Row.divergence
    return out


def story_stats(stories: Sequence[Story]) -> dict[str, int]:
    """Deterministic counts of a report: from the stories, never from a process's state."""
    docs = [d for s in stories for d in s.documents]
    return {
        "stories": len(stories),
        "documents": len(docs),
        "sentences": sum(len(d.sentences) for d in docs),
        "rows": sum(len(s.alignment) for s in stories),
        "findings": sum(len(s.findings) for s in stories),
    }


def _annotator_step(annotator: Annotator, options: dict[str, float]) -> Callable[[CheckContext], None]:
    def step(ctx: CheckContext) -> None:
        annotator.run(ctx, options or None)
        ctx.annotated.add(annotator.name)

    return step


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
    first: dict[Path, int] = {}
    for k, f in enumerate(files):
        if first.setdefault(Path(f).resolve(), k) != k:
            raise InputError(f"{f}: the same file given twice (also as {files[first[Path(f).resolve()]]})")
    if len(files) < 2:
        raise InputError(f"need at least two language versions, got {len(files)}: {', '.join(files)}")
    if langs and len(langs) != len(files):
        raise InputError(f"--lang names {len(langs)} languages for {len(files)} files")
    docs = [read_document(f, lang=langs[k] if langs else None) for k, f in enumerate(files)]
    unique_ids(docs)
    ctx_files = expand_paths([str(c) for c in context])
    for f in ctx_files:
        if Path(f).resolve() in first:
            raise InputError(f"{f}: given both as a version and as context ({files[first[Path(f).resolve()]]})")
    ctx_docs = [read_document(f, doc_id=f"context:{Path(f).stem}") for f in ctx_files]
    unique_ids(ctx_docs)
    return diff_documents(docs, context=ctx_docs, settings=settings, engine=engine)


def _story_id(documents: Sequence[Document]) -> str:
    parents = {Path(d.path).parent.name for d in documents}
    return parents.pop() if len(parents) == 1 and "" not in parents else "story"
