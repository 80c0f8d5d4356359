"""XL202: a proper name translated word by word into the version's language."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
from anyascii import anyascii

from xlingo.check.base import CheckContext, Rule, register
from xlingo.check.wording import languages, quoted
from xlingo.language import primary_language, zipf
from xlingo.model import Finding, Severity, Span
from xlingo.names import (
    COMPOUNDING,
    LOWER_CASE_COMMON,
    NOUN_CAPITALISING,
    Mention,
    NameIndex,
    Slot,
    Token,
    calibrated,
    char_similarity,
    contains_words,
    content_words,
    equivalent,
    fold,
    has_shape,
    institution,
    is_latin,
    is_ordinary,
    name_spans,
    same_word,
    slots,
    sounds_alike,
    split_words,
    story_names,
    tokenize,
    translit_words,
    transliterated,
    word_found,
)
from xlingo.names.places import same_place

#: Points of the compass in place names, which every language renders (*West Virginia*,
#: ``Западная Вирджиния``), as a name's words may be written.
_COMPASS = frozenset("north south east west northern southern eastern western nord sud ost est ouest norte sur sul "
                     "este oeste leste noord zuid oost".split())


# --------------------------------------------------------------------------- XL202


@dataclass(frozen=True)
class KnownName:
    """A name whose original form is known, and where it was seen."""

    text: str
    words: tuple[str, ...]  # folded
    source: str  # glossary | context | versions
    backers: list[Span]


@dataclass(frozen=True)
class _Search:
    """Look for a word-by-word rendering of ``name`` in document ``doc``, in ``rows``."""

    name: KnownName
    doc: str
    rows: list[int]


@dataclass(frozen=True)
class _ContextFit:
    """How well the slots of a row render a context document's name."""

    key: tuple[int, int, int, float]  # smaller is better
    name: KnownName
    hits: dict[str, float]  # document -> calibrated similarity
    spans: dict[str, tuple[int, int]]


@dataclass
class _Literal:
    """One word-by-word rendering found, with the name it renders."""

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
    partial: bool = False  # some of the name's words kept, others turned (Mogollon Raum)


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
    Where the original is known, the finding proposes it. A span of more than ``max_words``
    content words is a quoted phrase or a title, not a name. A name the other versions keep
    may also be turned in part: in place, after a word kept as it is, a word of the name
    replaced by a capitalised ordinary word of the version's language, however well it
    translates the word (``Mogollon Raum`` for *Mogollon Rim*, ``Washington Investigatori`` for
    *Washington Examiner*; by spelling, the encoder is not asked), when the versions keeping
    it spell it alike (otherwise XL201 votes on the spelling). Translated words before every kept one
    are a title or a place's descriptor (``Lago Tahoe``, ``Königin Elizabeth``), and a
    compound's parts (``Golden-Gate-Brücke``) follow the language's rules: neither is flagged,
    unless two other versions keep the replaced word (declined or not: ``Stafforda``) where no
    title would stand so (foreign to one's language, or capitalised in a language that writes
    titles in lower case: ``Avond News`` for *Evening News*), the replacement neither an
    inflection (``Sary Palin``) nor a city's own name in the language (``Nueva York``).
    A public institution's name translated whole (a centre, a committee, a ministry) is
    information only where the versions alone say what it is: news translates those as a rule.

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
        Severity.ERROR: "the original name is known (a do-not-translate glossary term, a context document, or two versions keeping it and the rendering translating each of its words), or every version (three or more) words it differently and one rendering is no word at all",
        Severity.WARNING: "only the other versions say what the name is and one version alone keeps it, or the rendering is not the name's words one by one (a localised title such as `Die Drei vom Pfandhaus` for `Pawn Stars`): which form is right is unclear",
        Severity.INFO: "the whole name of an institution (a centre, a committee, a ministry: `Centro Nacional de Furacões` for `National Hurricane Center`) translated where only other versions keep it: news translates those as a rule; no glossary or context document pins it",
    }
    summary = "A proper name was translated word by word"
    options = {"max_words": 4.0, "max_char_similarity": 0.7, "min_z": 3.0, "min_z_slot": 1.5, "min_word_z": 2.0,
               "background": 64.0}

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        idx = story_names(ctx)
        rows = {k for k, _ in ctx.content_rows()}
        refs = self._references(ctx, idx)
        found = [x for x in (self._from_slots(ctx, idx, rows, refs) + self._from_references(ctx, idx, rows, refs)
                             + self._from_partial(ctx, idx, rows)) if not self._another_name(ctx, idx, x)]

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
            if lit.strong and lit.source == "versions" and lit.reference and not self._one_to_one(ctx, lit):
                lit.strong = False  # a localised title (Die Drei vom Pfandhaus), not the name's words one by one
            where = {"glossary": "the do-not-translate glossary has",
                     "context": "the context documents name it"}.get(lit.source, "other versions keep")
            langs = languages(ctx, list(dict.fromkeys(s.doc for s in lit.backers))) if lit.backers else ""
            doc = ctx.story.document(lit.doc)
            text = doc.text[lit.start:lit.end]
            if lit.reference:
                msg = (f"{quoted(text)} reads as a word-by-word translation of the name {quoted(lit.reference)}"
                       f" ({where} {quoted(lit.reference)}{' in ' + langs if langs and lit.source == 'versions' else ''})")
            else:
                others = " / ".join(quoted(b.text) for b in lit.backers)
                msg = (f"{quoted(text)} reads as a name translated word by word: every version words it "
                       f"differently ({others} in {langs}) although the other names of the sentence are written "
                       "alike; use the name in its original form")
            severity = Severity.ERROR if lit.strong else Severity.WARNING
            if lit.reference and not lit.partial and lit.source == "versions" and institution(lit.reference):
                severity = Severity.INFO  # news translates an institution's name as a rule
            yield ctx.finding(self, lit.doc, lit.start, lit.end, msg, row=lit.row, related=lit.backers,
                              suggestion=lit.reference or None, severity=severity)

    # -- known names: glossary terms, context names, names of a row kept in other versions
    def _references(self, ctx: CheckContext, idx: NameIndex) -> list[KnownName]:
        refs: list[KnownName] = []
        for term in idx.glossary_terms:
            words = split_words(term)
            backers = [ctx.span(m.doc, m.start, m.end) for d in idx.versions + idx.context for m in idx.uses(d, words)]
            if len(content_words(words)) >= 2 and (backers or any(idx.support(words)[:2])):
                refs.append(KnownName(term, words, "glossary", backers))
        for d in idx.context:
            text = ctx.story.document(d).text
            for m in idx.mentions[d]:
                # the name and its prefixes and suffixes ("Hong Kong" + "South China Morning Post")
                toks = tokenize(text, m.start, m.end)
                for a, b in {(0, len(toks))} | {(0, j) for j in range(2, len(toks))} | {(i, len(toks)) for i in range(1, len(toks) - 1)}:
                    part = toks[a:b]
                    words = split_words(text[part[0].start:part[-1].end])
                    if (len(content_words(words)) >= 2 and words[0] in content_words(words[:1]) and words[-1]
                            in content_words(words[-1:]) and not any(equivalent(words, r.words) for r in refs)):
                        refs.append(KnownName(text[part[0].start:part[-1].end], words, "context",
                                              [ctx.span(d, part[0].start, part[-1].end)]))
        return refs

    def _from_slots(self, ctx: CheckContext, idx: NameIndex, rows: set[int], refs: list[KnownName]) -> list[_Literal]:
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
                    refs: list[KnownName]) -> list[_Literal]:
        known: list[KnownName] = []  # seen where the slot is
        foreign: dict[str, tuple[str, ...]] = {}
        for d, s in group.items():
            for e in s.ends:
                for ref in refs:
                    if equivalent(s.words(e), ref.words):
                        known.append(replace(ref, backers=ref.backers + [ctx.span(d, *s.span(e))]))
            t = s.tight()  # a name kept in its own words ("Northern Valley Courier" in a German text)
            if len(content_words(s.words(t))) >= 2 and not is_ordinary(s.words(t, True), s.lang, idx.other_langs(s.lang)):
                foreign[d] = s.words(t)
        if not known and not foreign:
            return (self._slot_group_by_context(ctx, idx, k, group, refs)
                    or self._slot_group_unanchored(ctx, idx, k, group))
        if known:
            reference, source, backers = known[0].text, known[0].source, known[0].backers
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
        if not 2 <= n <= self.opts["max_words"] or not _translatable(reference, idx):
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
            z = float(calibrated(ctx.embed, [reference], [text], self._background(ctx, k))[0, 0])
            if z < self.opts["min_z_slot"]:
                continue
            out.append(_Literal(d, k, start, end, reference, source, backers, strong, z, slot=True))
        return out

    def _slot_group_by_context(self, ctx: CheckContext, idx: NameIndex, k: int, group: dict[str, Slot],
                               refs: list[KnownName]) -> list[_Literal]:
        """Every version words the slot its own way and none keeps a name: the context document's
        name that the slots render best (fitting their word counts, then meaning), if any."""
        best: _ContextFit | None = None
        for ref in refs:
            text, n = ref.text, len(content_words(ref.words))
            if n < 2 or not _translatable(text, idx):
                continue
            spans = {d: s.span(s.choose(n)) for d, s in group.items()}
            texts = {d: ctx.story.document(d).text[a:b] for d, (a, b) in spans.items()}
            ok = {d: t for d, t in texts.items() if self._rendering(t, text, group[d].lang, idx)}
            if not ok:
                continue
            z = calibrated(ctx.embed, [text], list(ok.values()), self._background(ctx, k))[0]
            hits = {d: float(zi) for d, zi in zip(ok, z) if zi >= self.opts["min_z_slot"]}
            if not hits:
                continue
            counts = [len(content_words(split_words(texts[d]))) for d in hits]
            explained = sum(min(c, n) for c in counts)  # words of the slots the name accounts for
            fit = sum(abs(c - n) for c in counts)
            key = (-len(hits), -explained, fit, -float(np.mean(list(hits.values()))))
            if best is None or key < best.key:
                best = _ContextFit(key, ref, hits, spans)
        if best is None:
            return []
        return [_Literal(d, k, *best.spans[d], best.name.text, best.name.source, best.name.backers, True, z, slot=True)
                for d, z in best.hits.items()]

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
        z = calibrated(ctx.embed, [texts[d] for d in docs], [texts[d] for d in docs], self._background(ctx, k))
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
        if len(shared) * 2 > len(cw) or max(char_similarity(text, name), char_similarity(anyascii(text), name)) \
                >= self.opts["max_char_similarity"]:  # the same letters, or the name transliterated (Сан-Диего)
            return False
        if any(zipf(w, lang) < 3.0 for w in shared) or any(has_shape(t) for t in text.split()):
            return False  # keeps a proper word or a code of the name: a changed form (XL201), not a rendering
        if not is_latin(text) and len(cw) == n and all(transliterated(a, b) or fold(b) in _COMPASS
                                                       for a, b in zip(cw, content_words(ref))):
            return False  # the name written by its sounds (Майк Пенс, whatever Пенс means in Russian), but
            # for a point of the compass, which every language turns (Западная Вирджиния)
        return is_ordinary(words, lang, idx.other_langs(lang))

    @staticmethod
    def _another_name(ctx: CheckContext, idx: NameIndex, lit: _Literal) -> bool:
        """The rendering sounds like another name the other versions write in its row, more than
        like the name it was paired with (``Пи Дидди``, *P. Diddy*, paired with *Puff Daddy* of
        the same list): that name transliterated, not this one translated."""
        if not lit.reference:
            return False
        text = ctx.story.document(lit.doc).text[lit.start:lit.end]
        cells = ctx.story.alignment[lit.row].cells
        names = {m.text for d in idx.versions if d != lit.doc for m in idx.mentions.get(d, [])
                 if m.sentence in cells.get(d, ())} - {lit.reference}
        alike = max((sounds_alike(text, n) for n in names), default=0.0)
        return alike >= 0.85 and alike > sounds_alike(text, lit.reference)  # 0.85: as word_found hears names

    def _word_by_word(self, ctx: CheckContext, name: str, text: str, row: int) -> bool:
        """At least half the words of the name have a counterpart among the words of ``text``."""
        return self._coverage(ctx, name, text, row) >= 0.5

    def _coverage(self, ctx: CheckContext, name: str, text: str, row: int) -> float:
        """The share of the name's words with a counterpart among the words of ``text``
        (word-level similarity, calibrated on the words of the story's name-like spans)."""
        ref = content_words(split_words(name, True))
        cand = content_words(split_words(text, True))
        if not ref or not cand:
            return 0.0
        words = list(dict.fromkeys(w for t in self._background(ctx, row) for w in content_words(split_words(t, True))))
        z = calibrated(ctx.embed, ref, cand, words[:int(self.opts["background"])])
        return float(np.mean(z.max(axis=1) >= self.opts["min_word_z"]))

    def _one_to_one(self, ctx: CheckContext, lit: _Literal) -> bool:
        """The rendering has as many content words as the name, each translating one of the
        name's words: the name itself turned word by word, not a localised title or a phrase."""
        text = ctx.story.document(lit.doc).text[lit.start:lit.end]
        n = len(content_words(split_words(lit.reference)))
        return (len(content_words(split_words(text))) == n and len({b.doc for b in lit.backers}) >= 2
                and self._coverage(ctx, lit.reference, text, lit.row) == 1.0)

    def _background(self, ctx: CheckContext, row: int) -> list[str]:
        """Name-like spans of the story outside row ``row``, from one deterministic sample of
        at most ``background`` spans, to calibrate similarities (the row itself holds the
        renderings being judged)."""
        sample = ctx.cached(_background_sample, int(self.opts["background"]))
        texts = [t for t, k in sample if k != row]
        return texts if len(texts) >= 8 else [t for t, _ in sample]

    @staticmethod
    def _searches(ctx: CheckContext, idx: NameIndex, rows: set[int], refs: list[KnownName]) -> list[_Search]:
        """Where to look for a rendering of a known name: every version that lacks a glossary
        or context name (a context name needs one version that keeps it), and the row's other
        versions for a name two versions of the row keep in its original words."""
        searches: list[_Search] = []
        for ref in refs:
            keepers = [d for d in idx.versions if idx.uses(d, ref.words)
                       or contains_words(ctx.story.document(d).text, ref.words)]
            if ref.source == "context" and not keepers:
                continue  # rendered by every version: maybe an established name (a country, an agency); slots only
            searches += [_Search(ref, d, sorted(rows)) for d in idx.versions if d not in keepers]
        for k in sorted(rows):
            for cl in idx.clusters.get(k, []):
                # a name kept in its original words: not made of its own version's ordinary words
                multi = [m for m in cl.mentions if len(m.content) >= 2
                         and not is_ordinary(split_words(m.text, True), m.lang, idx.other_langs(m.lang))]
                if not multi:
                    continue
                first = multi[0]
                kept = [m for m in multi if equivalent(m, first)]
                if len({m.doc for m in kept}) < 2:
                    continue  # one version's word alone: only a name slot (after a cue...) says more
                for d in idx.versions:
                    span = ctx.row_span(k, d)
                    if d in cl.docs or not span or contains_words(ctx.row_text(k, d), first.words):
                        continue
                    name = KnownName(" ".join(first.text.split()), first.words, "versions",
                                     [ctx.span(m.doc, m.start, m.end) for m in kept])
                    searches.append(_Search(name, d, [k]))
        return searches

    def _from_references(self, ctx: CheckContext, idx: NameIndex, rows: set[int],
                         refs: list[KnownName]) -> list[_Literal]:
        """Any name-like span that translates a known name the version lacks (encoder-scored)."""
        out: list[_Literal] = []
        for search in self._searches(ctx, idx, rows, refs):
            text, d = search.name.text, search.doc
            doc = ctx.story.document(d)
            lang = primary_language(doc.lang)
            others = idx.other_langs(lang)
            if is_ordinary(split_words(text, True), lang, others) or not _translatable(text, idx):
                continue  # made of this language's words (a rendering would look the same), or untranslatable
            n = len(content_words(search.name.words))
            if n > self.opts["max_words"]:
                continue  # a quoted phrase or a title, not a name
            cands: list[tuple[int, int, int]] = []
            for k in search.rows:
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
                z = calibrated(ctx.embed, [text], texts, self._background(ctx, k))[0]
                ok = [i for i in range(len(spans)) if z[i] >= self.opts["min_z"]
                      and self._word_by_word(ctx, text, texts[i], k)]
                if ok:  # a word-by-word rendering has as many content words as the name
                    i = min(ok, key=lambda i: (abs(len(content_words(split_words(texts[i]))) - n), -z[i]))
                    s, e = spans[i]
                    out.append(_Literal(d, k, s, e, text, search.name.source, search.name.backers, True, float(z[i])))
        return out


    def _from_partial(self, ctx: CheckContext, idx: NameIndex, rows: set[int]) -> list[_Literal]:
        """Names of the row that other versions keep, turned word by word in place after a kept
        word (``Mogollon Raum`` for *Mogollon Rim*, ``Washington Investigatori`` for *Washington
        Examiner*): the same words in the same order, some kept, the others ordinary words of the
        version's language where the name has ordinary words, by spelling alone (the encoder's
        word similarity does not tell a rendering from a garbled word: benchmarks/
        cv_name_threshold.py). Translated words before every kept one are a title or a place's
        descriptor (``Lago Tahoe``, ``Königin Elizabeth``); kept words that another name of the row
        holds too, a name of several words this version does not write either, may render that
        name (``Korea Północna``: *North Korea*, not *Korea War*)."""
        out: list[_Literal] = []
        for k in sorted(rows):
            row = idx.by_row.get(k, {})
            texts = {d: ctx.row_text(k, d) for d in idx.versions if ctx.row_span(k, d)}
            # the words of the row's versions in other scripts than Latin, transliterated: they
            # keep a name's word by its sounds (``رايدر``, ``Бейкера``), where no title would be;
            # and the words a Latin version capitalises inside a sentence in a language that writes
            # titles in lower case: a name's word kept there (``l'église Riverside``) is its own
            voiced = {d: translit_words(t) if not is_latin(t) else _capitalised(ctx, k, d)
                    for d, t in texts.items() if t.strip() and (not is_latin(t) or primary_language(
                        ctx.story.document(d).lang) in LOWER_CASE_COMMON)}
            for d in idx.versions:
                span = ctx.row_span(k, d)
                if not span:
                    continue
                doc = ctx.story.document(d)
                lang, toks = primary_language(doc.lang), tokenize(doc.text, *span)
                names = {n.key: n for o, ms in row.items() if o != d for n in ms
                         if 2 <= len(n.content) <= self.opts["max_words"]}
                for n in names.values():
                    if contains_words(ctx.row_text(k, d), n.words):
                        continue  # the version writes the name too
                    if any(char_similarity(m.text, n.text) >= 0.8 and not equivalent(m, n) for m in names.values()):
                        continue  # the others spell it two ways (Harbor Examiner / Examinor): XL201 votes on it
                    keepers = [m for o, ms in row.items() if o != d for m in ms if equivalent(m, n)]
                    for window in _partial_windows(toks, n, lang, self.opts["max_char_similarity"],
                                                   _fixed_words(keepers, {o: ws for o, ws in voiced.items()
                                                                          if o != d})):
                        form = fold(doc.text[window[0].start:window[-1].end])
                        if any(fold(m.text) == form for o, ms in row.items() if o != d for m in ms):
                            continue  # another version writes it so (Kim Jong beside Kim Dzong Un): a form, no rendering
                        kept = [w for t in window for w in split_words(t.text) if _holds([w], n.words)]
                        if kept and any(_holds(kept, m.words) and len(m.content) >= 2 and not _overlap(m, n)
                                        and not contains_words(ctx.row_text(k, d), m.words)
                                        for o, ms in row.items() if o != d for m in ms):
                            continue  # the kept words are another name's too, one this version does not
                            # write either: the window may render that one
                        if kept and not _holds(split_words(window[0].text), n.words) and any(
                                _holds(kept, m.content) and _holds(m.content, kept)
                                for o, ms in row.items() if o != d for m in ms):
                            continue  # the kept words after the turned ones are a whole name another version
                            # writes on its own (Allan McGregor of Rangers Allan McGregor): what stands before
                            # is another name run together with it, or a descriptor (Torhüter Allan McGregor)
                        out.append(_Literal(d, k, window[0].start, window[-1].end, n.text, "versions",
                                            [ctx.span(m.doc, m.start, m.end) for m in keepers],
                                            len({m.doc for m in keepers}) >= 2, 0.0, partial=True))
        return out


def _capitalised(ctx: CheckContext, k: int, d: str) -> list[str]:
    """The folded words version ``d`` capitalises inside the sentences of row ``k``."""
    text, (start, end) = ctx.story.document(d).text, ctx.row_span(k, d)
    return [fold(t.text) for t in tokenize(text, start, end)
            if t.upper_initial and not _sentence_initial(text, start, t.start)]


def _fixed_words(keepers: Sequence[Mention], sounded: dict[str, list[str]] | None = None) -> set[str]:
    """The folded words of a name that two or more other versions keep (declined or not), at
    least one of them where no title would stand so: a word foreign to its language (``Evening`` of *Evening News*
    in German), or capitalised inside a sentence of a language that writes titles in lower case
    (``Kanye`` in *le rappeur Kanye West*), or written by its sounds in another script than
    Latin (``sounded``: those versions' words, transliterated; ``رايدر``, ``Бейкера`` for a
    *Ryder*, a *Baker*: a title would be translated there), or kept capitalised by a version
    that translates the rest of the name in a language that writes titles in lower case
    (``sounded`` holds those words too: ``l'église Riverside``). Those are the name's own words, not
    a title or a descriptor that each language may translate (``Queen``, ``Lake``: common words
    of German too, which capitalises them, as English does before a name)."""
    if not keepers:
        return set()

    def own(m: Mention, w: str) -> bool:
        if zipf(m.accented(w), m.lang) < 3.0:
            return True
        return m.lang not in NOUN_CAPITALISING | {"en"} and not (m.initial and m.words[0] == w)

    def voices(w: str) -> set[str]:  # a short word sounds like too much to count
        return {o for o, ws in (sounded or {}).items()
                if len(w) >= 4 and all(word_found(x, ws) for x in translit_words(w))}

    # the first keeper's words that every keeper writes, declined or not (``Stafforda``/*Stafford*)
    words = {w for w in keepers[0].words if all(_holds([w], m.words) for m in keepers)}
    return {w for w in words if len({m.doc for m in keepers} | voices(w)) >= 2
            and (voices(w) or any(own(m, w) for m in keepers if w in m.words))}


def _partial_windows(toks: list[Token], n: Mention, lang: str, max_similarity: float,
                     fixed: set[str]) -> Iterator[list[Token]]:
    """Runs of joined tokens of a cell that spell name ``n`` word for word with some of its
    words replaced after a kept one, or before it where the replaced words are ``fixed`` (the
    other versions all keep them as the name's own) and begin with other letters (an inflected
    given name, ``Sary Palin``, is no rendering), the whole no city's name in ``lang``
    (``Nueva York``): each replacement capitalised, an ordinary word of ``lang``
    with other letters (below ``max_similarity``: not a spelling or a cognate, ``Judicial`` /
    ``Judiciário``) where the name's word is an ordinary word of its language or of English,
    and a kept word foreign to ``lang`` that is no acronym (the name's own, not two
    translations sharing a word: ``Comité``, nor ``BBC`` of *BBC Scotland*); every word
    capitalised, no acronym replaced (``FC``). A word of another script that sounds like the
    name's word is kept, transliterated (``Уотсон`` for *Watson*, ``Бридж`` for *Bridge*)."""
    parts: list[list[str]] = [[]]  # the name's runs of words between connectors (Mogollon Rim | Arizona)
    for t in tokenize(n.text):
        if content_words(split_words(t.text)) and len(split_words(t.text)) == 1:
            parts[-1].append(t.text)
        else:
            parts.append([])
    for words in (p for p in parts if len(p) >= 2):
        size = len(words)
        for i in range(len(toks) - size + 1):
            window = toks[i:i + size]
            after = toks[i + size] if i + size < len(toks) else None
            if (not all(t.joined for t in window[1:]) or any(t.gap in ("-", "‐") for t in window[1:])
                    or not all(t.upper_initial for t in window)
                    or after is not None and after.joined and after.upper_initial):
                continue  # a compound's parts (Golden-Gate-Brücke) follow the language's rules
            same = [same_word(fold(anyascii(t.text)), fold(anyascii(w))) or char_similarity(t.text, w) >= 0.8
                    or not is_latin(t.text) and transliterated(t.text, w)  # Уотсон, Бридж: transliterated
                    for t, w in zip(window, words)]
            if not any(same) or all(same):
                continue
            head = list(zip(window, words))[:same.index(True)]
            if head and (not all(_holds([x], list(fixed)) for _, w in head for x in split_words(w))
                         or any(fold(anyascii(t.text))[:3] == fold(anyascii(w))[:3] for t, w in head)
                         or same_place(n.text, " ".join(t.text for t in window))):
                continue  # translated words before every kept one: a title or a descriptor (Lago Tahoe),
                # an inflected given name (Sary Palin), a city's own name in the language (Nueva York)
            if all(is_ordinary(split_words(t.text, True), lang, [n.lang, "en"]) and zipf(t.text.lower(), lang) >= 2.0
                   or t.text.isupper() for t, kept in zip(window, same) if kept):
                continue  # no word of the name's own kept (an acronym says little: BBC Escócia; a word
                # no dictionary has whole is the name's, McDowall, whatever its parts)
            if all(t.upper_initial and zipf(t.text.lower(), lang) >= 3.0 and not t.text.isupper() and not w.isupper()
                   and max(char_similarity(w, t.text), char_similarity(anyascii(t.text), w)) < max_similarity
                   and max(zipf(w.lower(), n.lang), zipf(w.lower(), "en")) >= 3.0
                   and zipf(t.text.lower(), lang) > max(zipf(t.text.lower(), n.lang), zipf(t.text.lower(), "en"))
                   and not same_place(w, t.text) for t, w, kept in zip(window, words, same) if not kept):
                yield window


def _holds(words: Sequence[str], others: Sequence[str]) -> bool:
    """Every word is among the others, spelled alike (``glen``/``glenn``)."""
    return all(any(char_similarity(w, x) >= 0.8 for x in others) for w in words)


def _overlap(m: Mention, n: Mention) -> bool:
    """One name holds the other's words (*The High Breed* and *High Breed*, *Invaller Glenn
    Middleton* and *Glen Middleton*): forms of one name."""
    return _holds(m.content, n.words) or _holds(n.content, m.words)


def _translatable(name: str, idx: NameIndex) -> bool:
    """Every word of the name is a known word of some language of the story (or English): a
    name with a word no dictionary has (``Muztagh``) is kept, not translated, word by word."""
    langs = list(dict.fromkeys([*idx.langs.values(), "en"]))
    return all(max(zipf(w, x) for x in langs) >= 2.5 for w in content_words(split_words(name, True)))


def _sentence_initial(text: str, cell_start: int, s: int) -> bool:
    """True when nothing but punctuation precedes ``s`` in its sentence."""
    before = text[cell_start:s].rstrip()
    return not before or before[-1] in ".!?:«“\"„—–"


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
