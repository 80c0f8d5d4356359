"""``xlingo check``: a CI gate for translated feeds, with ruff's manners.

Reads a feed (folders of text files, JSON Lines, RSS/Atom), groups its documents into stories
(:mod:`xlingo.group`) unless told the stories, checks every story with the :class:`Engine`,
applies a baseline, writes every requested format from the one report and exits 0 (clean),
1 (findings at or above ``--fail-on``) or 2 (usage, config, input or internal error).
"""
from __future__ import annotations

import logging
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

import numpy as np
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xlingo.baseline import BaselineEntry, BaselineResult, apply_baseline, load_baseline, write_baseline
from xlingo.cache import EmbeddingCache
from xlingo.cli import options as opt
from xlingo.cli.app import EXIT_CLEAN, EXIT_FINDINGS, app, fail, parse_outputs, setup_logging, user_errors
from xlingo.config import Settings, cache_setting
from xlingo.model import Document, GroupEntry, Report
from xlingo.embed.base import EmbeddingStore
from xlingo.errors import InputError
from xlingo.feed import FeedDocument, Problems, read_feed
from xlingo.group import Grouping, GroupParams, StoryGroup, group_documents
from xlingo.output import output_target, write_atomic
from xlingo.pipeline import Engine
from xlingo.read import unique_ids
from xlingo.report.escape import terminal_safe
from xlingo.report.formats import render
from xlingo.report.github import grouping_lines, write_step_summary
from xlingo.segment import segment

log = logging.getLogger("xlingo.check")
_EMBED_BATCH = 256

HELP = """Check a feed of translated stories; exit 1 if any finding is at or above --fail-on.

PATHS are files or folders (searched recursively): .txt/.md documents (language from a name.de.txt
suffix, else detected), .jsonl records ({"text": ..., "lang", "story", "title", "url"} optional)
and RSS/Atom feeds (.xml/.rss/.atom; one per language is fine).

Documents are grouped into stories by their content: versions of one story (translations, one
per language), related articles (passed to that story as context) and unrelated ones (not
checked); the grouping is part of every output. A "story" field in JSON Lines, --story or
--no-group decide instead.

Exit codes: 0 clean, 1 findings at or above --fail-on (default from config, else error), 2 usage,
config, input or internal error (one line on stderr). The output format never changes the exit
code; --exit-zero always exits 0 unless there is an error.

Bad input: a missing path, an empty folder, malformed XML (file:line:col), XML declaring
entities (entity bombs, external entities) and a feed where no story has two versions are errors.
A bad JSON Lines record (invalid JSON, not an object with "text", a wrong field type, a "lang"
that is not a language tag; file:line) is reported and skipped: the rest is checked and
reported, then the run exits 2. A file over 20 MiB, an empty, binary or undecodable file, a feed
item without text and a story with only one version are skipped with a warning; --strict makes
each of those an error at once.
"""


def progress_enabled(quiet: bool) -> bool:
    """A progress bar only for a person at a terminal: not in CI, not when stderr is redirected."""
    return not quiet and not os.environ.get("CI") and sys.stderr.isatty()


class Reporter:
    """Progress on stderr: a rich bar on a TTY, else quiet log lines (shown with -v)."""

    def __init__(self, bar: Progress | None) -> None:
        self.bar = bar
        self._task: Any = None

    def start(self, what: str, total: int) -> None:
        log.info("%s: %d", what, total)
        if self.bar is not None:
            if self._task is not None:
                self.bar.update(self._task, visible=False)
            self._task = self.bar.add_task(what, total=total)

    def advance(self, n: int = 1, note: str | None = None) -> None:
        if note:
            log.info("%s", note)
        if self.bar is not None and self._task is not None:
            self.bar.advance(self._task, n)


@contextmanager
def reporter(enabled: bool) -> Iterator[Reporter]:
    if not enabled:
        yield Reporter(None)
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)
    with bar:
        yield Reporter(bar)


def open_cache(config: str | None, cache: str | None, no_cache: bool) -> EmbeddingCache | None:
    """The embedding cache: --no-cache, else --cache, else ``cache`` in the config, else the default."""
    if no_cache:
        return None
    if cache:
        return EmbeddingCache(cache)
    setting = cache_setting(config)
    if setting is False:
        return None
    return EmbeddingCache() if setting is None or setting is True else EmbeddingCache(setting)


def embed_feed(docs: Sequence[Document], embed: Callable[[Sequence[str]], np.ndarray],
               progress: Reporter) -> dict[str, np.ndarray]:
    """Sentence vectors of every document, by document id (each distinct sentence embedded once)."""
    texts = list(dict.fromkeys(s.text for d in docs for s in d.sentences))
    progress.start("embedding sentences", len(texts))
    table: dict[str, np.ndarray] = {}
    for k in range(0, len(texts), _EMBED_BATCH):
        chunk = texts[k:k + _EMBED_BATCH]
        table.update(zip(chunk, embed(chunk)))
        progress.advance(len(chunk))
    return {d.id: np.stack([table[s.text] for s in d.sentences]) for d in docs}


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


def name_documents(grouping: Grouping) -> None:
    """Inside each story, versions are named by language and context as ``context:<id>`` (as in diff)."""
    renamed: dict[str, str] = {}
    for sg in grouping.stories:
        old = [d.id for d in sg.versions + sg.context]
        for d in sg.versions:
            d.id = d.lang
        unique_ids(sg.versions)
        for d in sg.context:
            d.id = f"context:{d.id}"
        renamed.update(zip(old, (d.id for d in sg.versions + sg.context)))
    for e in grouping.entries:
        e.doc = renamed.get(e.doc, e.doc)


def text_extras(report: Report, stale: list[BaselineEntry] | None) -> str:
    """What the text output adds for feeds: the grouping and stale baseline entries."""
    lines = ["", "grouping:"] + [f"  {line}" for line in grouping_lines(report)]
    if stale:
        lines.append(f"baseline: {sum(e.count for e in stale)} recorded findings are no longer found "
                     f"(fixed?); refresh the baseline with --write-baseline")
        lines += [f"  stale: {e.rule} [{e.lang}] {e.path}: {e.excerpt}" for e in stale]
    return terminal_safe("\n".join(lines)) + "\n"


def emit_all(report: Report, outputs: list[tuple[str, str | None]], color: bool | None,
             stale: list[BaselineEntry] | None, statistics: bool = False) -> None:
    """Every requested format (files written atomically); the GitHub step summary with ``github``."""
    for name, path in outputs:
        if name == "text" and path is None:
            from xlingo.report.render_text import print_report

            print_report(report, color=color, statistics=statistics)
            sys.stdout.write(text_extras(report, stale))
            continue
        text = render(report, name, **({"statistics": statistics} if name == "text" else {}))
        if name == "text":
            text += text_extras(report, stale)
        if path is None:
            sys.stdout.write(text)
        else:
            write_atomic(path, text)
        if name == "github":
            write_step_summary(report)
    sys.stdout.flush()


@dataclass
class CheckRun:
    """What one check of a feed produced."""

    report: Report
    engine: Engine
    baseline: BaselineResult | None


def run_check(feed: list[FeedDocument], settings: Settings, *, problems: Problems, store: EmbeddingStore | None = None,
              story: str | None = None, no_group: bool = False, params: GroupParams = GroupParams(),
              baseline: list[BaselineEntry] | None = None, default_id: str = "feed",
              progress: Reporter | None = None) -> CheckRun:
    """Segment, embed, group and check a feed; apply the baseline; the report with its stats."""
    progress = progress or Reporter(None)
    engine = Engine(settings, store=store)
    feed = _segmented(feed, settings.presplit, problems)
    vectors = embed_feed([fd.document for fd in feed], engine.embedder, progress)
    grouping = decide_grouping(feed, vectors, story=story, no_group=no_group, params=params, default_id=default_id)
    name_documents(grouping)
    relations = Counter(e.relation for e in grouping.entries)
    log.info("grouped %d documents: %d stories, %d related, %d unrelated", len(grouping.entries),
             len(grouping.stories), relations["related"], relations["unrelated"])
    for sg in grouping.stories:
        if len(sg.versions) < 2:
            problems.skip(f"story {sg.id}: only one version ({sg.versions[0].path}); not checked")
    checkable = [sg for sg in grouping.stories if len(sg.versions) > 1]
    if not checkable:
        raise InputError(f"nothing checked: no story has two versions among the {len(feed)} documents "
                         "(--story or --no-group name the versions of one story)")
    progress.start("checking stories", len(checkable))
    stories = []
    for sg in checkable:
        stories.append(engine.build_story(sg.versions, sg.context, sg.id))
        progress.advance(note=f"story {sg.id}: {len(sg.versions)} versions, {len(sg.context)} context, "
                              f"{len(stories[-1].findings)} findings")
    result = apply_baseline(stories, baseline) if baseline is not None else None
    report = engine.report(stories, grouping.entries)
    report.stats["inputs_skipped"] = len(problems.skipped)
    if result is not None:
        report.stats.update(baseline_suppressed=result.suppressed, baseline_stale=result.stale_count)
    return CheckRun(report=report, engine=engine, baseline=result)


@app.command("check", help=HELP)
@user_errors
def check_command(
    paths: Annotated[list[str], typer.Argument(help="Feed files and folders.", show_default=False)],
    story: Annotated[Optional[str], typer.Option("--story", help="Every document without a \"story\" field is a version of this story.")] = None,
    no_group: Annotated[bool, typer.Option("--no-group", help="All given documents are versions of one story.")] = False,
    same_language: Annotated[bool, typer.Option("--same-language-versions", help="Two documents in one language may be versions of one story.")] = False,
    fail_on: Annotated[Optional[str], typer.Option("--fail-on", help="Lowest severity that fails the check: error, warning or info (default: config, else error).")] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even with findings (errors still exit 2).")] = False,
    baseline: Annotated[Optional[str], typer.Option("--baseline", help="Report only findings not recorded in this baseline file.")] = None,
    write_baseline_to: Annotated[Optional[str], typer.Option("--write-baseline", help="Record all current findings in this baseline file (--baseline is then ignored) and exit 0.")] = None,
    cache: Annotated[Optional[str], typer.Option("--cache", help="Embedding cache file (default: embeddings.sqlite in $XLINGO_CACHE_DIR or the user cache folder).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the embedding cache.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Every input skipped with a warning is an error (exit 2) instead.")] = False,
    model: opt.Model = None,
    formats: opt.Formats = [],  # noqa: B006
    output_files: opt.OutputFiles = [],  # noqa: B006
    select: opt.Select = None,
    extend_select: opt.ExtendSelect = None,
    ignore: opt.Ignore = None,
    severity: opt.Severities = [],  # noqa: B006
    glossary: opt.Glossary = [],  # noqa: B006
    config: opt.Config = None,
    presplit: opt.Presplit = False,
    statistics: opt.Statistics = False,
    show_settings: opt.ShowSettings = False,
    no_color: opt.NoColor = False,
    verbose: opt.Verbose = 0,
    quiet: opt.Quiet = False,
) -> None:
    setup_logging(verbose, quiet)
    outputs = parse_outputs(formats or ["text"], output_files)
    settings = opt.build_settings(config=config, model=model, select=select, ignore=ignore, severity=severity,
                                  glossary=glossary, presplit=presplit, fail_on=fail_on, extend_select=extend_select)
    if show_settings:
        typer.echo(opt.show_settings(settings), nl=False)
        raise typer.Exit(EXIT_CLEAN)
    entries = load_baseline(baseline) if baseline and not write_baseline_to else None
    problems = Problems(strict=strict)
    feed = read_feed(paths, problems)
    for target in [p for _, p in outputs if p] + ([write_baseline_to] if write_baseline_to else []):
        output_target(target)  # refuse an input, a folder or a device before the work, not after
    store = open_cache(config, cache, no_cache)
    try:
        with reporter(progress_enabled(quiet)) as progress:
            run = run_check(feed, settings, problems=problems, store=store, story=story, no_group=no_group,
                            params=GroupParams(same_language=same_language), baseline=entries,
                            default_id=Path(paths[0]).name or "feed", progress=progress)
    finally:
        if store is not None:
            store.close()
    report, result = run.report, run.baseline
    log.info("embedded %d new strings (%d requested)", run.engine.embedder.strings_embedded,
             run.engine.embedder.strings_requested)
    if write_baseline_to:
        n = write_baseline(write_baseline_to, report)
        typer.echo(f"xlingo: wrote {n} findings to baseline {write_baseline_to}", err=True)
    emit_all(report, outputs, False if no_color else None, result.stale if result else None, statistics)
    if problems.failure():
        fail(problems.failure())
    failing = sum(1 for _, f in report.findings if report.failing(f))
    raise typer.Exit(EXIT_FINDINGS if failing and not exit_zero and not write_baseline_to else EXIT_CLEAN)


def _segmented(feed: list[FeedDocument], presplit: bool, problems: Problems) -> list[FeedDocument]:
    """Segment every document; one without sentences is skipped with a warning."""
    kept = []
    for fd in feed:
        try:
            segment(fd.document, presplit=presplit)
        except InputError as exc:  # over the size budget
            problems.skip(f"{exc}; skipped")
            continue
        if fd.document.sentences:
            kept.append(fd)
        else:
            problems.skip(f"{fd.document.path}: no sentences found; skipped")
    if not kept:
        raise InputError("nothing to check: no document has any sentences")
    return kept
