"""Run the selected rules over one story and apply the user's selection and severities."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from xlingo.check.base import CheckContext, Rule, all_rules
from xlingo.config import Settings
from xlingo.model import Finding
from xlingo.suppress import document_pragmas, load_ignore_file


def selected_rules(settings: Settings) -> list[Rule]:
    """Instances of every rule enabled for at least one language or path, by code (a rule a per-path
    override selects runs, whatever its glob: each finding is then kept only where it is enabled)."""
    langs = [lang for lang, _ in settings.per_language]
    rules = [cls(settings.options_for(cls.code)) for cls in all_rules()
             if settings.enabled(cls.code) or any(settings.enabled(cls.code, lang=lg) for lg in langs)
             or any(cls.code.startswith(p) for _, ov in settings.per_path for p in ov.select)]
    return rules


def run_checks(ctx: CheckContext, rules: list[Rule], settings: Settings,
               on_rule: Callable[[Rule], None] | None = None) -> list[Finding]:
    """Findings of ``rules`` on ``ctx``, filtered and re-graded per language/path, deduplicated;
    those suppressed by a document's pragma or the ``.xlingo-ignore`` file dropped. ``on_rule`` is
    told each rule as it starts (the engine counts the encoder's work per rule). Per-path settings
    and ignore-file globs match the file holding a document (``feed.jsonl``, not ``feed.jsonl#L3``)."""
    paths = {d.id: d.source for d in (*ctx.documents, *ctx.context_documents)}
    pragmas = {d.id: document_pragmas(d) for d in (*ctx.documents, *ctx.context_documents)}
    ignored = load_ignore_file()
    seen: set[tuple] = set()
    out: list[Finding] = []
    for rule in rules:
        if on_rule is not None:
            on_rule(rule)
        for f in rule.check(ctx):
            path = paths.get(f.doc)
            if not settings.enabled(f.rule, lang=f.lang, path=path):
                continue
            if pragmas[f.doc].suppresses(f) or ignored.suppresses(f, path or ""):
                continue
            f = replace(f, severity=settings.severity_for(f.rule, f.severity, lang=f.lang, path=path))
            key = (f.rule, f.doc, f.start, f.end, f.message)
            if key not in seen:
                seen.add(key)
                out.append(f)
    return sorted(out, key=Finding.sort_key)
