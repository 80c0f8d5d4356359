"""XL301: glossary and do-not-translate terms, checked row by row across the versions."""
from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

from xlingo.check.base import CheckContext, Rule, register
from xlingo.glossary import GlossaryEntry
from xlingo.model import Finding, Severity


@lru_cache(maxsize=4096)
def term_pattern(phrase: str) -> re.Pattern[str]:
    """Case-insensitive, word-bounded pattern of a term, tolerant of cheap inflection.

    Words of four letters or more may take up to two more letters (plural and
    case endings: ``Datenschutzes``, ``données``/``donnée``... are not stems, so
    only endings are added, never removed); words are separated by any run of
    spaces or hyphens (``Daten-Schutz`` is not ``Datenschutz``, but ``data-protection``
    is ``data protection``).
    """
    words = [w for w in re.split(r"[\s\-‐]+", phrase.strip()) if w]
    parts = [re.escape(w) + (r"\w{0,2}" if len(w) >= 4 and w[-1].isalpha() else "") for w in words]
    return re.compile(r"(?<!\w)" + r"[\s\-‐]+".join(parts) + r"(?!\w)", re.IGNORECASE)


def _closest(text: str, expected: str, threshold: float) -> tuple[int, int] | None:
    """Span of the stretch of ``text`` that looks most like ``expected`` (a near miss), if any."""
    tokens = list(re.finditer(r"\w+(?:[-'’]\w+)*", text))
    n = len(expected.split())
    best, best_ratio = None, threshold
    for size in {max(1, n - 1), n, n + 1}:
        for i in range(len(tokens) - size + 1):
            a, b = tokens[i].start(), tokens[i + size - 1].end()
            ratio = SequenceMatcher(None, text[a:b].lower(), expected.lower()).ratio()
            if ratio > best_ratio:
                best, best_ratio = (a, b), ratio
    return best


def _start(ctx: CheckContext, k: int, doc) -> int:
    span = ctx.row_span(k, doc)
    assert span is not None
    return span[0]


@register
class GlossaryTerm(Rule):
    """A glossary term rendered otherwise than the glossary says, where the other versions use it.

    ## What it does
    For every glossary entry whose term (or its rendering in some language) appears in a row,
    checks each version of that row for the rendering the glossary requires in its language: the
    term itself for do-not-translate entries, else the language's translation. A version that
    lacks it while another version of the row evidently carries the term is flagged: at the
    source term left untranslated, at the closest near miss (``South Harbor Times``, similarity
    at least ``near_miss``), or on the whole sentence. Matching ignores case, respects word
    boundaries and lets words of four letters or more take up to two more letters
    (``Datenschutzes``, ``Nvidias``); other inflections (German compounds, changed stems) are not
    recognised. Languages the glossary says nothing about are not checked.

    ## Why is this bad?
    Terminology is a promise to readers and clients: a product name, a legal term or a house
    style that changes from one language to the next reads as another thing, and a
    do-not-translate name that got translated cannot be found.

    ## Example
    ```
    glossary: term,de,fr / data protection,Datenschutz,protection des données
    en: The data protection office fined the bank.
    de: Die Datensicherheitsbehörde verhängte eine Strafe.   <- not the glossary's term
    fr: L'office de protection des données a infligé une amende.
    ```

    ## Use instead
    ```
    de: Die Behörde für Datenschutz verhängte eine Strafe.
    ```
    """

    code = "XL301"
    name = "glossary-term"
    severity = Severity.ERROR
    summary = "A version lacks the glossary's rendering of a term the other versions carry"
    options = {"near_miss": 0.7}

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        if not ctx.glossary:
            return
        for k, row in ctx.content_rows():
            docs = ctx.content_documents(row)
            if len(docs) < 2:
                continue
            texts = {d.id: ctx.row_text(row, d) for d in docs}
            for entry in ctx.glossary:
                yield from self._entry(ctx, k, docs, texts, entry)

    def _entry(self, ctx: CheckContext, k: int, docs: list, texts: dict[str, str],
               entry: GlossaryEntry) -> Iterable[Finding]:
        expected = {d.id: entry.expected(d.lang) for d in docs}
        found: dict[str, re.Match[str]] = {}
        for d in docs:
            for phrase in (expected[d.id], entry.term):
                m = term_pattern(phrase).search(texts[d.id]) if phrase else None
                if m:
                    found[d.id] = m
                    break
        if not found:
            return
        for d in docs:
            want = expected[d.id]
            if not want or (d.id in found and term_pattern(want).search(texts[d.id])):
                continue
            evidence = [o for o in docs if o.id != d.id and o.id in found]
            if not evidence:
                continue
            start0 = _start(ctx, k, d)
            related = [ctx.span(o, _start(ctx, k, o) + found[o.id].start(), _start(ctx, k, o) + found[o.id].end())
                       for o in evidence]
            seen = " / ".join(f"`{found[o.id].group(0)}`" for o in evidence)
            langs = ", ".join(dict.fromkeys(o.lang for o in evidence))
            rule = "do-not-translate" if entry.dnt else "glossary"
            where = f"{rule}, {entry.source}" if entry.source else rule
            if d.id in found:  # the source term, left as is
                m = found[d.id]
                span, msg = (m.start(), m.end()), f"`{m.group(0)}` left as is; {d.lang} needs `{want}` ({where})"
            else:
                span = _closest(texts[d.id], want, self.opts["near_miss"])
                if span:
                    got = texts[d.id][span[0]:span[1]]
                    msg = f"`{got}` here, `{want}` expected ({where}; {seen} in {langs})"
                else:
                    span = (0, len(texts[d.id]))
                    msg = f"no `{want}` here ({where} for `{entry.term}`; {seen} in {langs})"
            yield ctx.finding(self, d, start0 + span[0], start0 + span[1], msg, row=k, related=related,
                              suggestion=want)
