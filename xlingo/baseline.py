"""Baselines: accept today's findings, report only new ones.

``--write-baseline FILE`` records every current finding by its content fingerprint (rule,
language, normalised span text and counterpart texts, not the sentence around them; see
:func:`~xlingo.model.content_fingerprint`), with how often it occurs. ``--baseline FILE`` then hides up to that many occurrences of each fingerprint, in report
order, so a second copy of a known problem is still new. Baseline entries that are found fewer
times than recorded are *stale*: the problem was fixed, and the baseline can be rewritten.

The file is JSON::

    {"schema": "xlingo.baseline/2", "signature": "...",
     "findings": [{"fingerprint": "...", "rule": "XL101", "lang": "fr", "story": "...",
                   "path": "...", "excerpt": "...", "count": 1}, ...]}
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

from xlingo.errors import InputError
from xlingo.model import Finding, Report, Story
from xlingo.output import mark_input, write_atomic
from xlingo.read import read_bounded_text
from xlingo.report.escape import json_text

SCHEMA = "xlingo.baseline/2"
_OLD_SCHEMAS = {"xlingo.baseline/1": "its fingerprints covered whole sentences"}
EXCERPT_CHARS = 120
MAX_BASELINE_BYTES = 256 * 1024 * 1024
_FIELDS = {"fingerprint": str, "rule": str, "lang": str, "story": str, "path": str, "excerpt": str, "count": int}


@dataclass(frozen=True)
class BaselineEntry:
    """One accepted finding (by fingerprint) and how many times it occurred."""

    fingerprint: str
    rule: str
    lang: str
    story: str
    path: str
    excerpt: str
    count: int


@dataclass
class BaselineResult:
    """What applying a baseline did."""

    suppressed: int
    stale: list[BaselineEntry]  # entries found fewer times than recorded; ``count`` = occurrences missing

    @property
    def stale_count(self) -> int:
        return sum(e.count for e in self.stale)


def baseline_entries(report: Report) -> list[BaselineEntry]:
    """One entry per fingerprint of the report's findings, the first occurrence's details kept."""
    counts: Counter[str] = Counter()
    first: dict[str, tuple[Story, Finding]] = {}
    for story, f in report.findings:
        counts[f.fingerprint] += 1
        first.setdefault(f.fingerprint, (story, f))
    entries = []
    for fp, (story, f) in first.items():
        excerpt = " ".join(f.text.split())
        entries.append(BaselineEntry(fingerprint=fp, rule=f.rule, lang=f.lang, story=story.id,
                                     path=story.document(f.doc).path,
                                     excerpt=excerpt[:EXCERPT_CHARS] + ("…" if len(excerpt) > EXCERPT_CHARS else ""),
                                     count=counts[fp]))
    return sorted(entries, key=lambda e: (e.path, e.rule, e.fingerprint))


def write_baseline(path: str | Path, report: Report) -> int:
    """Write the report's findings as a baseline; the number of findings recorded."""
    entries = baseline_entries(report)
    data = {"schema": SCHEMA, "signature": str(report.signature), "findings": [asdict(e) for e in entries]}
    write_atomic(path, json_text(data))  # a path that is not UTF-8 (lone surrogates) escaped
    return sum(e.count for e in entries)


def load_baseline(path: str | Path) -> list[BaselineEntry]:
    """Read a baseline file, or raise :class:`InputError` saying what is wrong with it."""
    p = Path(path)
    try:
        data = json.loads(read_bounded_text(p, MAX_BASELINE_BYTES))
        mark_input(p)  # no output of this run may replace it
    except FileNotFoundError:
        raise InputError(f"{path}: no such baseline file (write one with --write-baseline)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read baseline: {exc.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a baseline file: invalid JSON ({exc})") from None
    except RecursionError:
        raise InputError(f"{path}: not a baseline file: JSON nested too deeply") from None
    if isinstance(data, dict) and data.get("schema") in _OLD_SCHEMAS:
        raise InputError(f"{path}: baseline written by an older xlingo ({_OLD_SCHEMAS[data['schema']]}); "
                         "write it again with --write-baseline")
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise InputError(f"{path}: not a baseline file (schema {found!r}, expected {SCHEMA!r})")
    items = data.get("findings")
    if not isinstance(items, list):
        raise InputError(f'{path}: not a baseline file: "findings" must be a list')
    entries = []
    for k, item in enumerate(items):
        if not isinstance(item, dict) or any(not isinstance(item.get(name), kind) for name, kind in _FIELDS.items()):
            raise InputError(f"{path}: baseline entry {k + 1} lacks a field or has a wrong type "
                             f"(needs {', '.join(_FIELDS)})")
        if item["count"] < 1 or isinstance(item["count"], bool):
            raise InputError(f"{path}: baseline entry {k + 1}: count must be a positive integer")
        entries.append(BaselineEntry(**{name: item[name] for name in _FIELDS}))
    return entries


def apply_baseline(stories: list[Story], entries: list[BaselineEntry]) -> BaselineResult:
    """Remove baselined findings from ``stories`` in place (count-aware, in report order)."""
    allowed: Counter[str] = Counter()
    for e in entries:
        allowed[e.fingerprint] += e.count
    suppressed = 0
    for story in stories:
        kept = []
        for f in sorted(story.findings, key=Finding.sort_key):
            if allowed[f.fingerprint] > 0:
                allowed[f.fingerprint] -= 1
                suppressed += 1
            else:
                kept.append(f)
        story.findings = kept
    stale = []
    for e in entries:
        missing = min(e.count, allowed[e.fingerprint])
        if missing > 0:
            allowed[e.fingerprint] -= missing
            stale.append(BaselineEntry(**{**asdict(e), "count": missing}))
    return BaselineResult(suppressed=suppressed, stale=stale)
