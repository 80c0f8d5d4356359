"""XL2xx: proper names across versions — spelled differently, translated word by word, re-cased."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from xlingo.check.base import CheckContext, Rule, register
from xlingo.language import primary_language, zipf
from xlingo.model import Finding, Severity, Span
from xlingo.names import (
    COMPOUNDING,
    CONNECTOR_ARTICLES,
    CONNECTORS,
    DETERMINERS,
    GENITIVE_S,
    NOUN_CAPITALISING,
    Cluster,
    Mention,
    NameIndex,
    Slot,
    calibrated,
    char_similarity,
    contains_words,
    content_words,
    equivalent,
    fold,
    has_shape,
    is_ordinary,
    name_spans,
    nativeness,
    relation,
    same_word,
    shared_words,
    slots,
    split_words,
    story_names,
    tokenize,
)


def _content_row_ids(ctx: CheckContext) -> set[int]:
    return {k for k, _ in ctx.content_rows()}


def _langs(ctx: CheckContext, docs: Sequence[str]) -> str:
    return ", ".join(dict.fromkeys(ctx.story.document(d).lang for d in docs))


def _mention_span(ctx: CheckContext, m: Mention) -> Span:
    return ctx.span(m.doc, m.start, m.end)


def _quote(text: str) -> str:
    return f"`{' '.join(text.split())}`"


# --------------------------------------------------------------------------- XL201


def _localised(m: Mention, ref: Mention, langs: Sequence[str]) -> bool:
    """An established rendering in the mention's language, not a broken name: every replaced
    word is a common word of that language, or a known word there that is more at home in it
    than the other form (``München``/``Munich``, ``Thoune``/``Thun``, ``Mont Rose``/``Monte
    Rosa``). A name that keeps some of its words and replaces others (``Granit Cloud``) is never
    a localisation."""
    shared, own = shared_words(m, ref)
    _, theirs = shared_words(ref, m)
    if shared or not own:
        return False
    others = [x for x in langs if x != m.lang]
    for x in own:
        y = max(theirs, key=lambda w: char_similarity(x, w)) if theirs else ""
        ax, ay = m.accented(x), ref.accented(y) if y else ""
        if zipf(ax, m.lang) >= 3.0:
            continue
        gain = nativeness([ax], m.lang, others) - (nativeness([ay], m.lang, others) if ay else -3.0)
        if zipf(ax, m.lang) < 1.5 or gain < 1.0:
            return False
    return True


def _prefix_change(m: Mention, ref: Mention) -> bool:
    """Both names end with the same words and differ only before them: a title or a given name
    (``Mme Keller``/``Anna Keller``), not a rendering of the name."""
    ca, cb = m.content, ref.content
    k = 0
    while k < min(len(ca), len(cb)) and same_word(ca[-1 - k], cb[-1 - k], m.lang, ref.lang):
        k += 1
    return k > 0 and not set(ca[:-k]) & set(cb[:-k])


def _acronym(m: Mention, word: str) -> bool:
    """The mention writes this (folded) word in capitals: an acronym."""
    return any(fold(t.text) == word and t.text.isupper() and len(t.text) >= 2 for t in tokenize(m.text))


def _translated_words(m: Mention, ref: Mention, others: Sequence[str]) -> list[str]:
    """Replaced words of ``m`` that are ordinary words of its language."""
    _, own = shared_words(m, ref)
    return [w for w in own if is_ordinary([m.accented(w)], m.lang, others)]


def _classes(ms: Sequence[Mention]) -> list[list[Mention]]:
    out: list[list[Mention]] = []
    for m in ms:
        for c in out:
            if equivalent(m, c[0]):
                c.append(m)
                break
        else:
            out.append([m])
    return out


@register
class NameInconsistent(Rule):
    """A proper name reads differently in one version than in the others.

    ## What it does
    Extracts the names of every version (people, companies, products, places, publications),
    matches them across the versions of each row (same words up to case, accents, hyphens,
    inflection; close spelling; words kept and words replaced) and flags the version whose form
    the other versions, the context documents and the do-not-translate glossary do not use.
    The more sources agree on the other form, the higher the severity; a version that uses
    both forms is flagged where it departs from the story. Established localisations (a
    place name that is a common word of the language, ``München``/``Munich``) are left alone.

    ## Why is this bad?
    A brand spelled or half-translated differently in one edition reads as another company;
    readers cannot search for it, and the edition looks careless.

    ## Example
    ```
    en: Granite Cloud opened a data centre in Lisbon.
    fr: Granite Cloud a ouvert un centre de données à Lisbonne.
    pt: A Nuvem Granite abriu um centro de dados em Lisboa.      <- name partly translated
    de: Granit Cloud eröffnete ein Rechenzentrum in Lissabon.    <- name misspelled
    ```

    ## Use instead
    ```
    pt: A Granite Cloud abriu um centro de dados em Lisboa.
    de: Granite Cloud eröffnete ein Rechenzentrum in Lissabon.
    ```
    """

    code = "XL201"
    name = "name-inconsistent"
    severity = Severity.ERROR
    levels = {
        Severity.ERROR: "two or more independent sources (other versions, context documents, the glossary) agree on the other form",
        Severity.WARNING: "a single source has the other form",
    }
    summary = "A proper name is spelled or rendered differently in this version"
    options = {"max_words": 4.0, "min_word_z": 1.5}

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        idx = story_names(ctx)
        rows = _content_row_ids(ctx)
        for k in sorted(idx.clusters):
            if k not in rows:
                continue
            for cl in idx.clusters[k]:
                yield from self._cluster(ctx, idx, cl)

    def _cluster(self, ctx: CheckContext, idx: NameIndex, cl: Cluster) -> Iterator[Finding]:
        classes = _classes(cl.mentions)
        if len(classes) < 2:
            return
        sup = [idx.support(c[0].words, c[0].lang) for c in classes]
        total = [len(v) + len(c) + int(g) for v, c, g in sup]
        best = max(range(len(classes)), key=lambda i: (total[i], len({m.doc for m in classes[i]}), len(classes[i])))
        if total.count(total[best]) > 1:  # no form wins: vote word by word
            yield from self._by_words(ctx, idx, cl, classes)
            return
        versions, context, glossary = sup[best]
        for i, cls in enumerate(classes):
            if i == best:
                continue
            for m in cls:
                if any(equivalent(m, o) for o in classes[best] if o.doc == m.doc):
                    continue
                rels = [(relation(m, o), o) for o in classes[best]]
                rels = [(r, o) for r, o in rels if r and r[0] in ("variant", "partial")]
                if not rels:
                    continue
                rel, ref = max(rels, key=lambda x: x[0][1])
                independent = total[best] - (m.doc in versions)
                if independent < 1 or not self._comparable(ctx, m, ref, rel[0], idx):
                    continue
                where = self._sources(ctx, idx, m, versions, context, glossary)
                yield self._finding(ctx, idx, cl, m, ref, rel[0], classes[best], where,
                                    Severity.ERROR if independent >= 2 else Severity.WARNING)

    def _by_words(self, ctx: CheckContext, idx: NameIndex, cl: Cluster,
                  classes: list[list[Mention]]) -> Iterator[Finding]:
        """No form is the majority's (``Granit Cloud``/``Nuvem Granite``/``Granite Cloud``): take
        the form each of whose words most versions use, flag the words the others replaced."""
        def support(word: str, lang: str) -> set[str]:
            docs = {m.doc for m in cl.mentions if any(same_word(word, w, lang, m.lang) for w in m.content)}
            return docs | {d for d in idx.context if any(same_word(word, w) for o in idx.mentions[d] for w in o.content)}

        scored = []
        for i, cls in enumerate(classes):
            sups = [support(w, cls[0].lang) for w in cls[0].content]
            if sups and all(len(x) >= 2 for x in sups):
                scored.append((sum(map(len, sups)), i))
        if not scored or [x for x, _ in scored].count(max(scored)[0]) > 1:
            return
        pivot = classes[max(scored)[1]]
        ref = pivot[0]
        for cls in classes:
            if cls is pivot:
                continue
            for m in cls:
                rel = relation(m, ref)
                if not rel or rel[0] not in ("variant", "partial") or not self._comparable(ctx, m, ref, rel[0], idx):
                    continue
                _, own = shared_words(m, ref)
                _, theirs = shared_words(ref, m)
                if not own or not theirs or any(len(support(x, m.lang)) >= 2 for x in own):
                    continue
                backing = [support(y, ref.lang) - {m.doc} for y in theirs]
                independent = min(map(len, backing))
                if independent < 1:
                    continue
                docs = set().union(*backing)
                where = self._sources(ctx, idx, m, {d for d in docs if d in idx.versions},
                                      {d for d in docs if d in idx.context}, False, word_by_word=True)
                yield self._finding(ctx, idx, cl, m, ref, rel[0], pivot, where,
                                    Severity.ERROR if independent >= 2 else Severity.WARNING)

    def _comparable(self, ctx: CheckContext, m: Mention, ref: Mention, kind: str, idx: NameIndex) -> bool:
        """A difference worth a finding: short names (long capitalised runs are titles and menus
        more often than names), not a localisation, not a title or given name put before the
        same surname; a word replaced in a partial rendering must mean what it replaces
        (``Nuvem``/``Cloud``, not ``Contact``/``Press``)."""
        if max(len(m.content), len(ref.content)) > self.opts["max_words"]:
            return False
        _, own = shared_words(m, ref)
        _, theirs = shared_words(ref, m)
        if kind == "partial" and (_prefix_change(m, ref) or not self._same_meaning(ctx, m, ref, own, theirs)):
            return False
        if own and all(_acronym(m, w) for w in own) and all(_acronym(ref, w) for w in theirs):
            return False  # acronyms and legal forms follow the language (SERI/SEFRI, AG/SA)
        return not _localised(m, ref, list(idx.langs.values()) + ["en"])

    def _same_meaning(self, ctx: CheckContext, m: Mention, ref: Mention, own: list[str], theirs: list[str]) -> bool:
        """Every replaced word has a counterpart among the words it replaced, by word-level
        similarity calibrated on the story's other name words."""
        if not own or not theirs:
            return False
        a = [m.accented(w) for w in own]
        b = [ref.accented(w) for w in theirs]
        idx = story_names(ctx)
        pool = list(dict.fromkeys(w for d in idx.versions for o in idx.mentions[d] for w in content_words(
            split_words(o.text, True)) if w not in a and w not in b))
        step = max(1, len(pool) // 200)
        z = calibrated(ctx.embed, a, b, pool[::step][:200] or b)
        return bool((z.max(axis=1) >= self.opts["min_word_z"]).all())

    @staticmethod
    def _kept_by_all(ctx: CheckContext, cl: Cluster, m: Mention, words: Sequence[str]) -> bool:
        """Every other version of the row writes these words of the name as they are."""
        others = {d for d, ids in ctx.rows[cl.row].cells.items() if ids} - {m.doc}
        return all(others <= {o.doc for o in cl.mentions if any(same_word(w, x) for x in o.content)}
                   for w in words)

    @staticmethod
    def _sources(ctx: CheckContext, idx: NameIndex, m: Mention, versions: set[str], context: set[str],
                 glossary: bool, word_by_word: bool = False) -> str:
        where = [d for d in idx.versions if d in versions and d != m.doc]
        out = []
        if where:
            out.append(f"going by the words {_langs(ctx, where)} use" if word_by_word else f"in {_langs(ctx, where)}")
        if context:
            out.append("in the context documents")
        if glossary:
            out.append("in the glossary")
        if m.doc in versions:
            out.append("elsewhere in this version")
        return " and ".join(out)

    def _finding(self, ctx: CheckContext, idx: NameIndex, cl: Cluster, m: Mention, ref: Mention, kind: str,
                 best: list[Mention], where: str, severity: Severity) -> Finding:
        surface = Counter(" ".join(o.text.split()) for o in best if o.doc != m.doc).most_common(1)
        expected = surface[0][0] if surface else ref.text
        translated = _translated_words(m, ref, idx.other_langs(m.lang))
        how = ("partly translated" if translated else "changed") if kind == "partial" else \
            ("a word of the name translated" if translated else "spelled differently")
        if translated and shared_words(m, ref)[0] and severity > Severity.WARNING \
                and not self._kept_by_all(ctx, cl, m, shared_words(ref, m)[1]):
            severity = Severity.WARNING  # a localised descriptor (Estádio Etihad): a convention as often as a slip
        related = [_mention_span(ctx, o) for o in cl.mentions if o.doc != m.doc]
        return ctx.finding(self, m.doc, m.start, m.end, f"{_quote(m.text)} here, {_quote(expected)} {where} ({how})",
                           row=cl.row, related=related, suggestion=expected, severity=severity)


# --------------------------------------------------------------------------- XL202


_Ref = tuple[str, tuple[str, ...], str, list[Span]]  # a known name: text, folded words, source, where seen


@dataclass
class _Literal:
    doc: str
    row: int
    start: int
    end: int
    reference: str
    source: str  # glossary | context | versions
    backers: list[Span]
    strong: bool
    score: float
    slot: bool = False  # found in a name slot of the row (after a cue, in parentheses...)


@register
class NameTranslatedLiterally(Rule):
    """A proper name rendered word by word into the version's language.

    ## What it does
    Finds the words a version puts where a name belongs — the name a do-not-translate glossary
    term, a context document or the other versions give — when those words are ordinary words
    of the version's language, share almost no letters with the name, and mean the same thing
    (the story's multilingual encoder, scored against the story's background similarity). With
    no glossary and no context, the versions themselves decide: a name-like span in the same
    place of every version (after "according to"/"selon"/"laut"/"segundo", after "via", in
    parentheses or quotes) kept in its original words in some versions and turned into
    ordinary words in others. When every version (three or more) renders the slot in its own
    ordinary words, at least two of them meaning the same and one of them a word no dictionary
    knows, while the row's other names agree, each rendering is flagged with no proposal.
    Where the original is known, the finding proposes it.

    ## Why is this bad?
    A newspaper, band or product translated word by word no longer names anything: readers
    cannot find the source, and the sentence may read as a description instead of a citation.

    ## Example
    ```
    de: Laut dem Northern Valley Courier stiegen die Mieten um 8 %.
    pt: Segundo o Northern Valley Courier, os aluguéis subiram 8 %.
    fr: Selon le Courrier de la vallée du Nord, les loyers ont augmenté de 8 %.   <- translated
    ```

    ## Use instead
    ```
    fr: Selon le Northern Valley Courier, les loyers ont augmenté de 8 %.
    ```
    """

    code = "XL202"
    name = "name-translated-literally"
    severity = Severity.ERROR
    levels = {
        Severity.ERROR: "the original name is known (a do-not-translate glossary term, a context document, two versions keeping it, or one while the row's other names agree), or every version (three or more) words it differently and one rendering is no word at all",
        Severity.WARNING: "only one version keeps the name and the row's other names do not agree: which form is right is unclear",
    }
    summary = "A proper name was translated word by word"
    options = {"max_char_similarity": 0.7, "min_z": 3.0, "min_z_slot": 1.5, "min_word_z": 2.0,
               "background": 300.0}

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        idx = story_names(ctx)
        rows = _content_row_ids(ctx)
        refs = self._references(ctx, idx)
        found = self._from_slots(ctx, idx, rows, refs) + self._from_references(ctx, idx, rows, refs)

        def fit(x: _Literal) -> int:  # word by word: as many content words as the name
            text = ctx.story.document(x.doc).text[x.start:x.end]
            return abs(len(content_words(split_words(text))) - len(content_words(split_words(x.reference))))

        # one finding per span: slots first, then the name that fits its words best, the longest
        # name explained (not "Valley Courier" for "Northern Valley Courier"), the most similar
        kept: list[_Literal] = []
        for lit in sorted(found, key=lambda x: (-x.slot, fit(x), -len(content_words(split_words(x.reference))),
                                                -x.score, x.doc, x.start)):
            if all(o.doc != lit.doc or lit.end <= o.start or lit.start >= o.end for o in kept):
                kept.append(lit)
        for lit in sorted(kept, key=lambda x: (x.row, x.doc, x.start)):
            where = {"glossary": "the do-not-translate glossary has",
                     "context": "the context documents name it"}.get(lit.source, "other versions keep")
            langs = _langs(ctx, list(dict.fromkeys(s.doc for s in lit.backers))) if lit.backers else ""
            doc = ctx.story.document(lit.doc)
            text = doc.text[lit.start:lit.end]
            if lit.reference:
                msg = (f"{_quote(text)} reads as a word-by-word translation of the name {_quote(lit.reference)}"
                       f" ({where} {_quote(lit.reference)}{' in ' + langs if langs and lit.source == 'versions' else ''})")
            else:
                others = " / ".join(_quote(b.text) for b in lit.backers)
                msg = (f"{_quote(text)} reads as a name translated word by word: every version words it "
                       f"differently ({others} in {langs}) although the other names of the sentence are written "
                       "alike; use the name in its original form")
            yield ctx.finding(self, lit.doc, lit.start, lit.end, msg, row=lit.row, related=lit.backers,
                              suggestion=lit.reference or None,
                              severity=Severity.ERROR if lit.strong else Severity.WARNING)

    # -- known names: glossary terms, context names, names of a row kept in other versions
    def _references(self, ctx: CheckContext, idx: NameIndex) -> list[_Ref]:
        refs: list[_Ref] = []
        for term in idx.glossary_terms:
            words = split_words(term)
            backers = [_mention_span(ctx, m) for d in idx.versions + idx.context for m in idx.uses(d, words)]
            if len(content_words(words)) >= 2 and (backers or any(idx.support(words)[:2])):
                refs.append((term, words, "glossary", backers))
        for d in idx.context:
            text = ctx.story.document(d).text
            for m in idx.mentions[d]:
                # the name and its prefixes and suffixes ("Hong Kong" + "South China Morning Post")
                toks = tokenize(text, m.start, m.end)
                for a, b in {(0, len(toks))} | {(0, j) for j in range(2, len(toks))} | {(i, len(toks)) for i in range(1, len(toks) - 1)}:
                    part = toks[a:b]
                    words = split_words(text[part[0].start:part[-1].end])
                    if (len(content_words(words)) >= 2 and words[0] in content_words(words[:1]) and words[-1]
                            in content_words(words[-1:]) and not any(equivalent(words, r[1]) for r in refs)):
                        refs.append((text[part[0].start:part[-1].end], words, "context",
                                     [ctx.span(d, part[0].start, part[-1].end)]))
        return refs

    def _from_slots(self, ctx: CheckContext, idx: NameIndex, rows: set[int], refs: list[_Ref]) -> list[_Literal]:
        out: list[_Literal] = []
        for k in sorted(rows):
            groups: dict[tuple[str, int], dict[str, Slot]] = defaultdict(dict)
            for d in idx.versions:
                span = ctx.row_span(k, d)
                if not span:
                    continue
                seen: Counter[str] = Counter()
                for s in slots(ctx.story.document(d).text, *span, ctx.story.document(d).lang, d):
                    groups[(s.kind, seen[s.kind])][d] = s
                    seen[s.kind] += 1
            for group in groups.values():
                if len(group) >= 2:
                    out += self._slot_group(ctx, idx, k, group, refs)
        return out

    def _slot_group(self, ctx: CheckContext, idx: NameIndex, k: int, group: dict[str, Slot],
                    refs: list[_Ref]) -> list[_Literal]:
        known: list[tuple[str, str, list[Span]]] = []  # (reference, source, backers)
        foreign: dict[str, tuple[str, ...]] = {}
        for d, s in group.items():
            for e in s.ends:
                for text, words, source, backers in refs:
                    if equivalent(s.words(e), words):
                        known.append((text, source, backers + [ctx.span(d, *s.span(e))]))
            t = s.tight()  # a name kept in its own words ("Northern Valley Courier" in a German text)
            if len(content_words(s.words(t))) >= 2 and not is_ordinary(s.words(t, True), s.lang, idx.other_langs(s.lang)):
                foreign[d] = s.words(t)
        if not known and not foreign:
            return (self._slot_group_by_context(ctx, idx, k, group, refs)
                    or self._slot_group_unanchored(ctx, idx, k, group))
        if known:
            reference, source, backers = known[0]
            ref_words = split_words(reference)
            strong = True
        else:
            forms = Counter(" ".join(w) for w in foreign.values())
            form = forms.most_common(1)[0][0]
            keepers = [d for d, w in foreign.items() if " ".join(w) == form]
            s0 = group[keepers[0]]
            reference = ctx.story.document(keepers[0]).text[slice(*s0.span(s0.tight()))]
            ref_words, source = split_words(reference), "versions"
            backers = [ctx.span(d, *group[d].span(group[d].tight())) for d in keepers]
            strong = len(keepers) >= 2 or idx.row_names_agree(k)
        n = len(content_words(ref_words))
        if n < 2 or not _translatable(reference, idx):
            return []
        out = []
        for d, s in group.items():
            if d in foreign or any(b.doc == d for b in backers):
                continue
            e = s.choose(n)
            start, end = s.span(e)
            text = ctx.story.document(d).text[start:end]
            if not self._rendering(text, reference, s.lang, idx):
                continue
            z = float(calibrated(ctx.embed, [reference], [text], self._background(ctx, idx, k))[0, 0])
            if z < self.opts["min_z_slot"]:
                continue
            out.append(_Literal(d, k, start, end, reference, source, backers, strong, z, slot=True))
        return out

    def _slot_group_by_context(self, ctx: CheckContext, idx: NameIndex, k: int, group: dict[str, Slot],
                               refs: list[_Ref]) -> list[_Literal]:
        """Every version words the slot its own way and none keeps a name: the context document's
        name that the slots render best (fitting their word counts, then meaning), if any."""
        best: tuple | None = None
        for text, words, source, backers in refs:
            n = len(content_words(words))
            if n < 2 or not _translatable(text, idx):
                continue
            spans = {d: s.span(s.choose(n)) for d, s in group.items()}
            texts = {d: ctx.story.document(d).text[a:b] for d, (a, b) in spans.items()}
            ok = {d: t for d, t in texts.items() if self._rendering(t, text, group[d].lang, idx)}
            if not ok:
                continue
            z = calibrated(ctx.embed, [text], list(ok.values()), self._background(ctx, idx, k))[0]
            hits = {d: float(zi) for d, zi in zip(ok, z) if zi >= self.opts["min_z_slot"]}
            if not hits:
                continue
            counts = [len(content_words(split_words(texts[d]))) for d in hits]
            explained = sum(min(c, n) for c in counts)  # words of the slots the name accounts for
            fit = sum(abs(c - n) for c in counts)
            key = (-len(hits), -explained, fit, -float(np.mean(list(hits.values()))))
            if best is None or key < best[0]:
                best = (key, text, source, backers, hits, spans)
        if best is None:
            return []
        _, text, source, backers, hits, spans = best
        return [_Literal(d, k, *spans[d], text, source, backers, True, z, slot=True)
                for d, z in hits.items()]

    def _slot_group_unanchored(self, ctx: CheckContext, idx: NameIndex, k: int,
                               group: dict[str, Slot]) -> list[_Literal]:
        """No glossary, no context, no version keeps the name: every version (three or more) words
        the name slot differently, in ordinary words of its language, one of them a word no
        dictionary knows, at least two of them meaning the same, while other names of the row read
        the same in every version."""
        shared = [c for c in idx.clusters.get(k, []) if len(c.docs) >= len(idx.versions)
                  and all(equivalent(m, c.mentions[0]) for m in c.mentions)]
        if len(group) < 3 or len(group) < len(idx.versions) or not shared:
            return []
        spans: dict[str, tuple[int, int]] = {}
        for d, s in group.items():
            e = s.ends[-1]
            if len(content_words(s.words(e))) < 2 or not is_ordinary(s.words(e, True), s.lang, idx.other_langs(s.lang)):
                return []
            spans[d] = s.span(e)
        texts = {d: ctx.story.document(d).text[a:b] for d, (a, b) in spans.items()}
        docs = sorted(texts)
        if any(char_similarity(texts[a], texts[b]) >= self.opts["max_char_similarity"]
               for i, a in enumerate(docs) for b in docs[i + 1:]):
            return []
        if not any(len(w) >= 6 and zipf(w, group[d].lang) == 0.0
                   for d in docs for w in content_words(split_words(texts[d], True))):
            return []
        z = calibrated(ctx.embed, [texts[d] for d in docs], [texts[d] for d in docs], self._background(ctx, idx, k))
        agreement = float(z[~np.eye(len(docs), dtype=bool)].max())  # two renderings at least mean the same
        if agreement < self.opts["min_z_slot"]:
            return []
        return [_Literal(d, k, *spans[d], "", "versions", [ctx.span(o, *spans[o]) for o in docs if o != d],
                         True, agreement, slot=True) for d in docs]

    def _rendering(self, text: str, name: str, lang: str, idx: NameIndex) -> bool:
        """Could ``text`` be ``name`` rendered word by word into ``lang``? As many content words
        (fewer where words compound), few words or letters in common, ordinary words of ``lang``."""
        words, ref = split_words(text, True), split_words(name)
        cw, n = content_words(words), len(content_words(ref))
        lo = max(1, -(-n // 2)) if lang in COMPOUNDING else max(2, n - 1)
        if not lo <= len(cw) <= n + 1:
            return False
        shared = [a for a, w in zip(words, split_words(text)) if w in content_words([w]) and
                  any(same_word(w, r) for r in ref)]
        if len(shared) * 2 > len(cw) or char_similarity(text, name) >= self.opts["max_char_similarity"]:
            return False
        if any(zipf(w, lang) < 3.0 for w in shared) or any(has_shape(t) for t in text.split()):
            return False  # keeps a proper word or a code of the name: a changed form (XL201), not a rendering
        return is_ordinary(words, lang, idx.other_langs(lang))

    def _word_by_word(self, ctx: CheckContext, idx: NameIndex, name: str, text: str, row: int) -> bool:
        """At least half the words of the name have a counterpart among the words of ``text``
        (word-level similarity, calibrated on the words of the story's name-like spans)."""
        ref = content_words(split_words(name, True))
        cand = content_words(split_words(text, True))
        if not ref or not cand:
            return False
        words = list(dict.fromkeys(w for t in self._background(ctx, idx, row) for w in content_words(split_words(t, True))))
        z = calibrated(ctx.embed, ref, cand, words[:int(self.opts["background"])])
        return float(np.mean(z.max(axis=1) >= self.opts["min_word_z"])) >= 0.5

    def _background(self, ctx: CheckContext, idx: NameIndex, row: int) -> list[str]:
        """Name-like spans of the story outside row ``row``, from one deterministic sample of
        at most ``background`` spans, to calibrate similarities (the row itself holds the
        renderings being judged)."""
        sample = ctx.cached(_background_sample, int(self.opts["background"]))
        texts = [t for t, k in sample if k != row]
        return texts if len(texts) >= 8 else [t for t, _ in sample]

    def _from_references(self, ctx: CheckContext, idx: NameIndex, rows: set[int],
                         refs: list[_Ref]) -> list[_Literal]:
        """Any name-like span that translates a known name the version lacks (encoder-scored);
        names a context document gives need a version that keeps them, names of the row two."""
        tasks: list[tuple[str, tuple[str, ...], str, list[Span], str, list[int]]] = []
        for text, words, source, backers in refs:
            keepers = [d for d in idx.versions if idx.uses(d, words) or contains_words(ctx.story.document(d).text, words)]
            if source == "context" and not keepers:
                continue  # rendered by every version: maybe an established name (a country, an agency); slots only
            tasks += [(text, words, source, backers, d, sorted(rows)) for d in idx.versions if d not in keepers]
        for k in sorted(rows):
            for cl in idx.clusters.get(k, []):
                # a name kept in its original words: not made of its own version's ordinary words
                multi = [m for m in cl.mentions if len(m.content) >= 2
                         and not is_ordinary(split_words(m.text, True), m.lang, idx.other_langs(m.lang))]
                if not multi:
                    continue
                ref = multi[0]
                keepers = [m for m in multi if equivalent(m, ref)]
                if len({m.doc for m in keepers}) < 2:
                    continue  # one version's word alone: only a name slot (after a cue...) says more
                for d in idx.versions:
                    span = ctx.row_span(k, d)
                    if d in cl.docs or not span or contains_words(ctx.row_text(k, d), ref.words):
                        continue
                    tasks.append((" ".join(ref.text.split()), ref.words, "versions",
                                  [_mention_span(ctx, m) for m in keepers], d, [k]))
        out: list[_Literal] = []
        for text, words, source, backers, d, krows in tasks:
            doc = ctx.story.document(d)
            lang = primary_language(doc.lang)
            others = idx.other_langs(lang)
            if is_ordinary(split_words(text, True), lang, others) or not _translatable(text, idx):
                continue  # made of this language's words (a rendering would look the same), or untranslatable
            n = len(content_words(words))
            cands: list[tuple[int, int, int]] = []
            for k in krows:
                span = ctx.row_span(k, d)
                if not span:
                    continue
                agreed = [m for cl in idx.clusters.get(k, []) if len(cl.docs) >= 2 for m in cl.mentions if m.doc == d]
                for s, e, _ in name_spans(doc.text, *span, lang):
                    if any(a.start <= s and e <= a.end for a in agreed):
                        continue  # inside a name the versions agree on
                    if lang not in NOUN_CAPITALISING and _sentence_initial(doc.text, span[0], s):
                        continue
                    if self._rendering(doc.text[s:e], text, lang, idx):
                        cands.append((k, s, e))
            if not cands:
                continue
            by_row: dict[int, list[tuple[int, int]]] = defaultdict(list)
            for k, s, e in cands:
                by_row[k].append((s, e))
            for k, spans in by_row.items():
                texts = [" ".join(doc.text[s:e].split()) for s, e in spans]
                z = calibrated(ctx.embed, [text], texts, self._background(ctx, idx, k))[0]
                ok = [i for i in range(len(spans)) if z[i] >= self.opts["min_z"]
                      and self._word_by_word(ctx, idx, text, texts[i], k)]
                if ok:  # a word-by-word rendering has as many content words as the name
                    i = min(ok, key=lambda i: (abs(len(content_words(split_words(texts[i]))) - n), -z[i]))
                    s, e = spans[i]
                    out.append(_Literal(d, k, s, e, text, source, backers, True, float(z[i])))
        return out


def _translatable(name: str, idx: NameIndex) -> bool:
    """Every word of the name is a known word of some language of the story (or English): a
    name with a word no dictionary has (``Muztagh``) is kept, not translated, word by word."""
    langs = list(dict.fromkeys([*idx.langs.values(), "en"]))
    return all(max(zipf(w, x) for x in langs) >= 2.5 for w in content_words(split_words(name, True)))


def _sentence_initial(text: str, cell_start: int, s: int) -> bool:
    """True when nothing but punctuation precedes ``s`` in its sentence."""
    before = text[cell_start:s].rstrip()
    return not before or before[-1] in ".!?:«“\"„—–"


# --------------------------------------------------------------------------- XL203


@dataclass(frozen=True)
class _Word:
    """One word of a name mention, with its casing pattern."""

    doc: str
    start: int
    end: int
    text: str
    key: str
    initial: bool  # first word of a mention at a sentence start: its first letter says nothing
    sentence: int


def _name_words(m: Mention, text: str) -> Iterator[_Word]:
    """The words of a mention whose casing says something: not connectors, not a lower-case
    common word, not part of a web or e-mail address."""
    for t in tokenize(m.text):
        w, s = t.text, m.start + t.start
        key = "".join(split_words(w))
        if len(_letters(w)) < 2 or key in CONNECTORS or key in CONNECTOR_ARTICLES or key in DETERMINERS:
            continue
        if max(zipf(w.lower(), m.lang), zipf(w.lower(), "en")) >= (5.0 if not w.islower() else 2.5):
            continue  # an ordinary word ("toolbox"), or one too common to tell ("IT"/"It", "US"/"us")
        if text[s - 1:s] in (".", "@", "/") or re.match(r"[.@/]\w", text[s + len(w):s + len(w) + 2]):
            continue
        yield _Word(m.doc, s, s + len(w), w, key, m.initial and s == m.start, m.sentence)


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalpha())


def _pattern(text: str, n: int) -> str:
    return "".join("A" if c.isupper() else "a" for c in _letters(text)[:n])


def _recase(text: str, pattern: str) -> str:
    """``text`` with its letters cased like ``pattern`` (``A``/``a``; extra letters kept)."""
    out, i = [], 0
    for c in text:
        if c.isalpha() and i < len(pattern):
            c = c.upper() if pattern[i] == "A" else c.lower()
            i += 1
        out.append(c)
    return "".join(out)


def _deliberate_caps(word: str, lang: str) -> bool:
    """Internal capitals that cut the word into known words or acronyms (``ChatGPT``,
    ``ByteDance``), not into fragments (``ByTedance``, ``GiTHub``): a brand's own casing that a
    flattened majority (``Chatgpt``) does not outvote."""
    parts = re.findall(r"[A-Z]{2,}(?![a-z])|[A-Z][a-z]+|[a-z]+|[A-Z]", _letters(word))
    if len(parts) < 2:
        return False
    return all(p.isupper() and len(p) >= 2 or (len(p) >= 2 and max(zipf(p.lower(), lang), zipf(p.lower(), "en")) >= 3.0)
               or (k == 0 and p.islower()) for k, p in enumerate(parts))


def _house_style(a: str, b: str) -> bool:
    """``NASA`` against ``Nasa``: an acronym written as a word, a newsroom's choice."""
    def title(x: str) -> bool:
        return x[:1] == "A" and set(x[1:]) <= {"a"}

    return (set(a) == {"A"} and title(b)) or (set(b) == {"A"} and title(a))


@register
class NameCasing(Rule):
    """A name cased differently from the way the story writes it everywhere else.

    ## What it does
    Collects every word of every name mention across all versions and context documents
    and flags the occurrences whose casing departs from the casing most versions use
    (``GiTHub`` where the others write ``GitHub``), the context documents breaking ties;
    and, inside one version, the minority casing of a name it writes two ways (``Acme`` and
    ``ACME``). The first letter of a sentence-initial word and all-capitals sentences are
    ignored, and so is an acronym written as a word in one whole version (``NASA``/``Nasa``,
    a newsroom's style).

    ## Why is this bad?
    Brands and product names are trademarks with a fixed spelling; a broken casing looks like
    a typo, or like a different product.

    ## Example
    ```
    en: The code is hosted on GitHub.
    fr: Le code est hébergé sur GitHub.
    pt: O código está hospedado no GiTHub.
    ```

    ## Use instead
    ```
    pt: O código está hospedado no GitHub.
    ```
    """

    code = "XL203"
    name = "name-casing"
    severity = Severity.WARNING
    summary = "A name is cased differently from the rest of the story"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        idx = story_names(ctx)
        rows = _content_row_ids(ctx)
        groups: dict[str, list[_Word]] = defaultdict(list)
        for d in idx.versions + idx.context:
            for m in idx.mentions[d]:
                if not m.shouting:
                    for w in _name_words(m, idx.texts[d]):
                        groups[w.key].append(w)
        for key in sorted(groups, key=lambda k: (-len(k), k)):  # genitive forms join their base
            genitive = all(idx.langs[w.doc] in GENITIVE_S and w.text[-1:] == "s" for w in groups[key])
            for base in (key[:-1], key[:-2]):
                if genitive and base in groups and key in (base + "s", base + "es"):
                    groups[base] += groups.pop(key)
                    break
        for key in sorted(groups):
            yield from self._group(ctx, idx, groups[key], rows)

    def _group(self, ctx: CheckContext, idx: NameIndex, g: list[_Word], rows: set[int]) -> Iterator[Finding]:
        n = min(len(_letters(w.text)) for w in g)
        form = {w: _pattern(w.text, n) for w in g}
        if len({f[1:] for f in form.values()}) < 2 and len({form[w] for w in g if not w.initial}) < 2:
            return
        seen = Counter(form[w] for w in g if not w.initial)
        for w in g:  # a sentence-initial word shows the casing of all but its first letter
            if w.initial:
                fits = [f for f in seen if f[1:] == form[w][1:]]
                form[w] = max(fits, key=lambda f: (seen[f], f)) if fits else form[w]
        users: dict[str, set[str]] = defaultdict(set)
        count: Counter[str] = Counter()
        for w in g:
            users[form[w]].add(w.doc)
            count[form[w]] += 1

        def weight(f: str) -> tuple[int, int, int]:
            """Documents using a casing (versions and context alike), then context use, then mentions."""
            return len(users[f]), len(users[f] - set(idx.versions)), count[f]

        # an all-lower-case form (an address, a handle) never sets the casing of a name
        canon = max(users, key=lambda f: ("A" in f, weight(f), f))
        example = next(w for w in sorted(g, key=lambda w: w.initial) if form[w] == canon)
        for w in g:
            f = form[w]
            if w.doc not in idx.versions or f == canon or (w.initial and f[1:] == canon[1:]):
                continue
            k = idx.row_of.get((w.doc, w.sentence))
            if k is None or k not in rows:
                continue
            own = sum(1 for o in g if o.doc == w.doc and form[o] == canon)
            mine = sum(1 for o in g if o.doc == w.doc and form[o] == f)
            within = own >= 2 * mine  # this version's own habit, clearly
            others = users[canon] - {w.doc}
            if not within and (not others or weight(canon)[:2] <= weight(f)[:2] or _house_style(f, canon)
                               or (f.count("A") > canon.count("A") and _deliberate_caps(w.text, idx.langs[w.doc]))):
                continue
            peers = [o for o in g if o.doc != w.doc and form[o] == canon and idx.row_of.get((o.doc, o.sentence)) == k]
            where = []
            if peers:
                where.append(f"in {_langs(ctx, [o.doc for o in peers])}")
            elif others & set(idx.versions):
                where.append(f"in {_langs(ctx, [d for d in idx.versions if d in others])}")
            if others & set(idx.context):
                where.append("in the context documents")
            if within:
                where.append(f"elsewhere in this version ({own}×)")
            related = [ctx.span(o.doc, o.start, o.end) for o in peers] or [ctx.span(example.doc, example.start, example.end)]
            pattern = canon if not w.initial else _pattern(w.text, 1) + canon[1:]
            yield ctx.finding(self, w.doc, w.start, w.end,
                              f"{_quote(w.text)} here, {_quote(example.text)} {' and '.join(where)}",
                              row=k, related=related, suggestion=_recase(w.text, pattern))


def _background_sample(ctx: CheckContext, size: int) -> list[tuple[str, int]]:
    """A deterministic sample of at most ``size`` name-like spans of the story's content rows,
    each with the row it comes from."""
    idx = story_names(ctx)
    pool: dict[str, int] = {}
    for k, _ in ctx.content_rows():
        for d in idx.versions:
            if cell := ctx.row_span(k, d):
                doc = ctx.story.document(d)
                for s, e, _ in name_spans(doc.text, *cell, doc.lang):
                    pool.setdefault(" ".join(doc.text[s:e].split()), k)
    items = list(pool.items())
    step = max(1, len(items) // size)
    return items[::step][:size]
