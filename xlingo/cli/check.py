"""``xlingo check``: a CI gate for translated feeds, with ruff's manners.

Parses its arguments and calls :func:`xlingo.feed_check.check_feed` (read, embed, group, check
every story, report, baseline), writes every requested format from the one report and exits 0
(clean), 1 (findings at or above ``--fail-on``) or 2 (usage, config, input or internal error).
"""
from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from xlingo.baseline import BaselineEntry, load_baseline, write_baseline
from xlingo.cache import EmbeddingCache
from xlingo.cli import options as opt
from xlingo.cli.app import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    app,
    emit,
    fail,
    parse_outputs,
    refuse_empty_paths,
    setup_logging,
    user_errors,
)
from xlingo.config import runtime_setting
from xlingo.embed.threads import set_threads
from xlingo.errors import ConfigError
from xlingo.feed import Problems, read_feed
from xlingo.feed_check import FeedOptions, FeedRun, check_feed
from xlingo.group import GroupParams
from xlingo.model import Report
from xlingo.output import distinct_outputs, output_target
from xlingo.report.escape import terminal_line
from xlingo.report.github import grouping_lines

log = logging.getLogger("xlingo.check")

HELP = """Check a feed of translated stories; exit 1 if any finding is at or above --fail-on.

PATHS are files or folders (searched recursively): .txt/.md/.html documents (language from a
name.de.txt suffix, else detected; Markdown and HTML read for their prose), .jsonl records
({"text": ..., "lang", "story", "title", "url", "format": text|html|markdown} optional) and RSS/Atom
feeds (.xml/.rss/.atom; one per language is fine).

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
item without text, a repeat of a document (same text, language and story) and a story with only one
version are skipped with a warning; --strict makes
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
    """The embedding cache: --no-cache, else --cache, else ``cache`` in the config, else the default.
    A named cache file is written: never an input (a damaged cache is moved aside and rebuilt)."""
    if no_cache and cache:
        raise ConfigError(f"--no-cache and --cache {cache} ask for opposite things: give one of them")
    if no_cache:
        return None
    setting = cache or runtime_setting("cache", config)
    if setting is False:
        return None
    if setting is None or setting is True:
        return EmbeddingCache()
    output_target(setting)
    return EmbeddingCache(setting)


def text_extras(report: Report, stale: list[BaselineEntry] | None) -> str:
    """What the text output adds for feeds: the grouping and stale baseline entries."""
    lines = ["", "grouping:"] + [f"  {line}" for line in grouping_lines(report)]
    if stale:
        lines.append(f"baseline: {sum(e.count for e in stale)} recorded findings are no longer found "
                     f"(fixed?); refresh the baseline with --write-baseline")
        lines += [f"  stale: {e.rule} [{e.lang}] {e.path}: {e.excerpt}" for e in stale]
    return "".join(terminal_line(line) + "\n" for line in lines)


def print_timings(run: FeedRun) -> None:
    """Where the time went: feed phases, per-story components, the encoder's honest counters."""
    c = run.counters
    parts = [f"{k} {v:.2f}s" for k, v in run.phases.items()]
    use = run.engine.encoder_use
    checked = [sum(v[i] for k, v in use.items() if k.startswith("check.")) for i in (0, 1)]
    use = {**use, "check": checked} if checked[0] else use
    comps = [f"{k} {v:.2f}s" + (f" ({use[k][1]} strings in {use[k][0]} calls)" if use.get(k, [0])[0] else "")
             for k, v in run.engine.timings.items()]
    typer.echo("timings: " + ", ".join(parts), err=True)
    typer.echo("  per story: " + ", ".join(comps), err=True)
    rules = [f"{k.removeprefix('check.')} {v[1]} strings in {v[0]} calls" for k, v in sorted(use.items())
             if k.startswith("check.") and v[0]]
    if rules:
        typer.echo("  the check's encoder strings by rule: " + ", ".join(rules), err=True)
    if run.engine.encoder_seconds:  # a wave's seconds are shared among its components by characters
        typer.echo("  encoder seconds by component: " + ", ".join(
            f"{k} {v:.2f}s" for k, v in sorted(run.engine.encoder_seconds.items())), err=True)
    loads = {e.encoder.name: getattr(e.encoder, "load_seconds", 0.0)
             for e in (run.engine.embedder, *run.engine.other_embedders.values())}
    if any(loads.values()):  # the shipped encoders load lazily, on the first string not in the cache
        typer.echo("  model weights loaded on first use (within the encoders' seconds): "
                   + ", ".join(f"{name} {s:.2f}s" for name, s in loads.items() if s), err=True)
    if run.stories_reused:
        typer.echo(f"  stories unchanged since a checked run, taken from the cache: {run.stories_reused}", err=True)
    typer.echo(f"  encoder: {c.seconds:.2f}s, {c.strings_encoded} strings in {c.forward_calls} forward calls "
               f"(mean batch {c.mean_batch:.1f}); from the cache: {c.vectors_from_store} vectors, "
               f"{c.tokens_from_store} token states; rest {max(0.0, sum(run.phases.values()) - c.seconds):.2f}s",
               err=True)
    sentences = max(1, run.report.stats.get("sentences", 0))
    for name, aligner in sorted(run.engine.other_embedders.items()):
        a = aligner.counters
        typer.echo(f"  other encoder {name} (alignment, row score): {a.seconds:.2f}s, {a.strings_encoded} strings "
                   f"({a.strings_encoded / sentences:.2f} per sentence) in {a.forward_calls} forward calls", err=True)


@app.command("check", help=HELP)
@user_errors
def check_command(
    paths: Annotated[list[str], typer.Argument(help="Feed files and folders.", show_default=False)],
    story: Annotated[Optional[str], typer.Option("--story", help="Every document without a \"story\" field is a version of this story.")] = None,
    no_group: Annotated[bool, typer.Option("--no-group", help="All given documents are versions of one story.")] = False,
    same_language: Annotated[bool, typer.Option("--same-language-versions", help="Two documents in one language may be versions of one story.")] = False,
    fail_on: Annotated[Optional[str], typer.Option("--fail-on", help="Lowest severity that fails the check: error, warning or info (default: config, else error).")] = None,
    exit_zero: opt.ExitZero = False,
    baseline: Annotated[Optional[str], typer.Option("--baseline", help="Report only findings not recorded in this baseline file.")] = None,
    write_baseline_to: Annotated[Optional[str], typer.Option("--write-baseline", help="Record all current findings in this baseline file (--baseline is then ignored) and exit 0.")] = None,
    cache: Annotated[Optional[str], typer.Option("--cache", help="Embedding cache file (default: embeddings.sqlite in $XLINGO_CACHE_DIR or the user cache folder).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the embedding cache.")] = False,
    executor: Annotated[str, typer.Option("--executor", help="Where the per-story work runs: local (this process) or ray (a Ray cluster; pip install xlingo[ray]).")] = "local",
    ray_address: Annotated[Optional[str], typer.Option("--ray-address", help="Ray cluster to join (default: $RAY_ADDRESS, else a local cluster).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="Ray actors per phase (default: the cluster's CPUs, at most 8).")] = None,
    threads: opt.Threads = None,
    timings: opt.Timings = False,
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
    refuse_empty_paths({"PATHS": paths, "--glossary": glossary, "--config": config, "--output-file": output_files,
                        "--baseline": baseline, "--write-baseline": write_baseline_to, "--cache": cache})
    if story is not None and not story.strip():  # e.g. --story "$STORY" with STORY unset: not "group them"
        fail(f"--story {story!r}: an empty story name")
    outputs = parse_outputs(formats or ["text"], output_files)
    settings = opt.build_settings(config=config, model=model, select=select, ignore=ignore, severity=severity,
                                  glossary=glossary, presplit=presplit, fail_on=fail_on, extend_select=extend_select)
    if show_settings:
        typer.echo(opt.show_settings(settings), nl=False)
        raise typer.Exit(EXIT_CLEAN)
    entries = load_baseline(baseline) if baseline and not write_baseline_to else None
    problems = Problems(strict=strict)
    feed = read_feed(paths, problems)
    targets = [p for _, p in outputs if p] + ([write_baseline_to] if write_baseline_to else [])
    distinct_outputs(targets)
    for target in targets:
        output_target(target)  # refuse an input, a folder or a device before the work, not after
    set_threads(threads if threads is not None else runtime_setting("threads", config))
    options = FeedOptions(story=story, no_group=no_group, group=GroupParams(same_language=same_language),
                          default_id=Path(paths[0]).name or "feed", executor=executor, workers=workers,
                          ray_address=ray_address)
    store = open_cache(config, cache, no_cache)
    try:
        with reporter(progress_enabled(quiet)) as progress:
            run = check_feed(feed, settings, problems=problems, store=store, options=options, baseline=entries,
                             progress=progress)
    finally:
        if store is not None:
            store.close()
    report, result = run.report, run.baseline
    log.info("embedded %d new strings (%d requested)", run.engine.embedder.strings_embedded,
             run.engine.embedder.strings_requested)
    if timings:
        print_timings(run)
    if write_baseline_to:
        n = write_baseline(write_baseline_to, report)
        typer.echo(f"xlingo: wrote {n} findings to baseline {write_baseline_to}", err=True)
    emit(report, outputs, text_extra=text_extras(report, result.stale if result else None),
         color=False if no_color else None, statistics=statistics)
    if problems.failure():
        fail(problems.failure())
    failing = sum(1 for _, f in report.findings if report.failing(f))
    raise typer.Exit(EXIT_FINDINGS if failing and not exit_zero and not write_baseline_to else EXIT_CLEAN)
