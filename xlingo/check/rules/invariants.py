"""XL801, XL802: invariants of meaning that hold in every language, compared row by row.

A faithful translation keeps a statement's polarity and the direction of its comparisons (and
the people, places and organisations it names: XL803, :mod:`xlingo.check.rules.name_swaps`).
Each rule reads one invariant off every version of a row (:mod:`xlingo.check.invariants`) and
votes: with three or more
versions, the value two or more versions share is the story's and a version alone with another
value is flagged; when no value has a majority the versions disagree pairwise and the row is
reported as such, without outvoting anyone. With two versions nothing can be voted and the
severity is lower.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from xlingo.annotate import annotate
from xlingo.check.base import CheckContext, Rule, register
from xlingo.check.invariants import Cue, directions, implicit_negative, negations, negator_words, soft_negatives
from xlingo.check.probes import cut_gain, cut_spans
from xlingo.check.wording import languages
from xlingo.language import primary_language
from xlingo.model import Finding, Severity, Span

if TYPE_CHECKING:
    from xlingo.annotate.divergence import RowWords


def vote(values: dict[str, object]) -> tuple[object, list[str]] | None:
    """The value most versions share (two or more, more than any other value) and the versions
    that depart from it; None when no value has such a majority."""
    counts = Counter(values.values()).most_common()
    if counts[0][1] < 2 or (len(counts) > 1 and counts[1][1] == counts[0][1]):
        return None
    top = counts[0][0]
    return top, [d for d, v in values.items() if v != top]


def _cue_spans(ctx: CheckContext, k: int, doc: str, cues: Sequence[Cue]) -> list[Span]:
    start = ctx.row_span(k, doc)[0]
    return [ctx.span(doc, start + c.start, start + c.end) for c in cues]


def _quote(cues: Sequence[Cue]) -> str:
    return " / ".join(dict.fromkeys(f"`{c.text}`" for c in cues))


@dataclass(frozen=True)
class PolarityCandidate:
    """A negation one version has where the others have none (``added``), or lacks where two or
    more others have one (``lost``). ``agree``: the N-way vote, the versions on the other side
    all have as many negations as each other (two or more of them). :meth:`gain` is the
    encoder's evidence, asked for only when the vote leaves the case undecided."""

    kind: str  # "added" | "lost"
    doc: str
    row: int
    start: int
    end: int
    cue: str
    voters: list[str]  # the versions on the other side
    related: list[Span]
    agree: bool
    probes: tuple[tuple[str, str, tuple[str, ...]], ...]  # (text with the negation, text without, the other side)

    def gain(self, ctx: CheckContext) -> float:
        """How much closer the version with the negation comes to the other side once the
        negation is cut out (a negation slipped into a faithful translation pulls it away from
        the others; one that renders a paraphrase does not). Encodes one string per probe."""
        return max((ctx.cached(_gain, text, cut, others) for text, cut, others in self.probes), default=float("-inf"))


@register
class PolarityMismatch(Rule):
    """A version says the opposite: a negation added or lost in translation.

    ## What it does
    Finds the negations of every version of a row from each language's closed class of
    negators and n-words (``not``/``never``/``nobody``, ``nicht``/``kein``, ``ne ... pas``,
    ``não``/``nunca``, ``не``/``никогда``, 不/没, ない/ません, لا/لم/لن...; negative concord
    such as ``no ... nada`` is one negation, French ``ne ... que`` none) and locates each
    through the row's word alignment: a negation counts as rendered in another version when
    that version has a negation, or a word that entails one (*without*, *fail*, *refuse*,
    *only*, *sole*, a negative prefix or suffix on an ordinary word: *impossible*, *unklar*,
    *невозможно*, *powerless*, *machtlos*), where the negation's neighbouring words have their
    counterparts, unless that word is aligned to another negative word of the first version
    (``imposibles`` / ``niepraktyczne`` render each other, not a ``no`` beside them). A version
    with more negations than every other, one of which no other version renders, has an
    **added** negation; a version with fewer than every other, where two or more others have a
    negation it does not render, has **lost** one (reported on its clause that lacks it). A
    negation bearing on a word that entails one (*not unusual*, *ninguém fica indiferente*,
    *n'arrêtez pas*) may cancel and is not compared.

    The N-way vote decides first: only a version alone against two or more versions that agree
    with each other (as many negations each) can be warned about; with two versions, or when
    the others disagree among themselves, the finding is info and the encoder is not asked.
    Translators move polarity into other words often (*no later than* / *spätestens*, litotes
    such as *n'a pas faibli* / *remained high*): about 1 voted candidate per 100 sentences of
    clean news. So a voted candidate is weighed by the encoder: the version with the negation
    is encoded once more with that negation cut out; when that closes enough of its distance to
    every version of the other side (a negation slipped into an otherwise faithful sentence),
    it is a warning, otherwise info.

    ## Why is this bad?
    A lost or added "not" reverses the statement while every other word matches: sentence
    similarity barely moves, and the reader of that edition is told the opposite.

    ## Example
    ```
    en: The mayor did not approve the plan.
    de: Der Bürgermeister hat den Plan nicht gebilligt.
    fr: Le maire a approuvé le plan.                 <- negation lost
    ```

    ## Use instead
    ```
    fr: Le maire n'a pas approuvé le plan.
    ```
    """

    code = "XL801"
    levels = {
        Severity.WARNING: "three or more versions, the negation added or lost in this one only while the "
                          "others agree with each other, and cutting it out closes its distance to every one "
                          "of them (``gain`` at least ``added_gain`` or ``lost_gain``)",
        Severity.INFO: "two versions (no vote), the other versions disagreeing among themselves, a smaller "
                       "gain (a paraphrase is as likely), or no word alignment to locate the negation",
    }
    name = "polarity-mismatch"
    severity = Severity.WARNING
    summary = "A negation the other versions have is missing here, or one they lack is added"
    requires = ("boilerplate", "words")
    # words on each side of a negation whose counterparts locate it; the least encoder gain of a
    # warning (document-level cross-validation on ntrex-dev: benchmarks/cv_invariants.py)
    # a link below ``min_link`` similarity is noise of the aligner's mutual argmax
    options = {"reach": 3, "min_link": 0.3, "added_gain": 0.0202, "lost_gain": 0.1518}

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for c in self.candidates(ctx):
            severity = Severity.WARNING if self.strong(ctx, c) else Severity.INFO
            where = languages(ctx, c.voters)
            message = (f"negation {c.cue} here, none where its words stand in {where}" if c.kind == "added"
                       else f"no negation here where {where} have one ({c.cue})")
            yield ctx.finding(self, c.doc, c.start, c.end, f"{message}: the statement may be reversed",
                              row=c.row, related=c.related, severity=severity)

    def strong(self, ctx: CheckContext, c: PolarityCandidate) -> bool:
        """A warning: the versions on the other side agree (the vote), and the encoder's gain
        reaches ``added_gain`` / ``lost_gain``. The encoder is asked only then."""
        return c.agree and c.gain(ctx) >= self.opts[f"{c.kind}_gain"]

    def candidates(self, ctx: CheckContext) -> Iterator[PolarityCandidate]:
        """Every added or lost negation of the story."""
        annotate(ctx, self.requires)
        for k, texts in ctx.compared_rows():
            langs = {d: ctx.story.document(d).lang for d in texts}
            negs = {d: negations(t, langs[d]) for d, t in texts.items()}
            counts = {d: len(v) for d, v in negs.items()}
            if len(set(counts.values())) == 1:
                continue
            rw = ctx.words.rows.get(k) if ctx.words is not None else None
            if rw is None or not all(d in rw.cells for d in texts):
                yield from self._by_count(ctx, k, texts, negs)
                continue
            marks = Polarity(ctx, k, rw, texts, langs, negs, int(self.opts["reach"]), self.opts["min_link"])
            for d in texts:
                others = [o for o in texts if o != d]
                agree = len(others) >= 2 and len({counts[o] for o in others}) == 1
                if counts[d] > max(counts[o] for o in others):
                    added = [c for c in marks.hard[d] if not marks.cancelled(d, c)
                             and all(marks.matched(d, c, o) is False for o in others)]
                    if added:
                        cues = [negs[d][i] for i in added]
                        start = ctx.row_span(k, d)[0]
                        compared = tuple(texts[o] for o in others)
                        yield PolarityCandidate("added", d, k, start + cues[0].start, start + cues[-1].end,
                                                _quote(cues), others,
                                                [ctx.span(o, *ctx.row_span(k, o)) for o in others], agree,
                                                tuple((texts[d], _cut(texts[d], c, langs[d]), compared) for c in cues))
                if counts[d] < min(counts[o] for o in others) and len(others) >= 2:
                    yield from self._lost(ctx, k, d, others, marks, negs, texts, agree)

    def _lost(self, ctx: CheckContext, k: int, d: str, others: list[str], marks: Polarity,
              negs: dict[str, list[Cue]], texts: dict[str, str], agree: bool) -> Iterator[PolarityCandidate]:
        """A negation of another version that ``d`` does not render, where some third version
        renders it or has its own negation that ``d`` does not render either."""
        for y in others:
            for i in marks.hard[y]:
                if marks.cancelled(y, i) or marks.matched(y, i, d) is not False:
                    continue
                rendering = [z for z in others if z != y and (marks.matched(y, i, z) or any(
                    marks.matched(z, j, d) is False for j in marks.hard[z] if not marks.cancelled(z, j)))]
                if not rendering:
                    continue
                related = [s for o in [y, *rendering] for s in _cue_spans(ctx, k, o, negs[o])]
                yield PolarityCandidate("lost", d, k, *marks.counterpart(y, i, d), _quote([negs[y][i]]),
                                        [y, *rendering], related, agree and len(rendering) == len(others) - 1,
                                        ((texts[y], _cut(texts[y], negs[y][i], ctx.story.document(y).lang),
                                          (texts[d],)),))
                return

    def _by_count(self, ctx: CheckContext, k: int, texts: dict[str, str],
                  negs: dict[str, list[Cue]]) -> Iterator[PolarityCandidate]:
        """Without a word alignment: a version alone with more negations than two or more
        others that agree, where no version has a word that entails a negation (no gain: info)."""
        counts = {d: len(v) for d, v in negs.items()}
        voted = vote(counts)
        if voted is None or any(implicit_negative(t, ctx.story.document(d).lang) for d, t in texts.items()):
            return
        top, odd = voted
        for d in odd:
            if counts[d] > top:
                others = [o for o in texts if o != d]
                start = ctx.row_span(k, d)[0]
                yield PolarityCandidate("added", d, k, start + negs[d][0].start, start + negs[d][-1].end,
                                        _quote(negs[d]), others, [ctx.span(o, *ctx.row_span(k, o)) for o in others],
                                        False, ())


def _cut(text: str, cue: Cue, lang: str) -> str:
    """``text`` without the negator words of negation ``cue`` (``ne`` and ``pas`` of ``ne
    circule pas``, ``no`` and ``nadie`` of ``no vino nadie``: the words between stay)."""
    parts = [c for c in negator_words(text, lang) if cue.start <= c.start and c.end <= cue.end] or [cue]
    return cut_spans(text, [(c.start, c.end) for c in parts])


def _gain(ctx: CheckContext, text: str, cut: str, others: tuple[str, ...]) -> float:
    """How much of its cosine distance to each of ``others`` ``text`` closes once its negation
    is cut out (``cut``): the least share over ``others`` (every version must agree)."""
    return cut_gain(ctx.embed, text, cut, others)


_BREAK = re.compile(r"[,;:.!?()—–]")
#: Languages whose negation follows what it negates (Japanese ``...ではない``).
HEAD_FINAL = frozenset({"ja", "ko", "tr"})


class Polarity:
    """Where the negations of a row's versions stand, in words of the row's word alignment."""

    def __init__(self, ctx: CheckContext, k: int, rw: RowWords, texts: dict[str, str], langs: dict[str, str],
                 negs: dict[str, list[Cue]], reach: int, min_link: float) -> None:
        self.rw, self.reach = rw, reach
        self.links = {pair: pa.links & (pa.sim >= min_link) for pair, pa in rw.pairs.items()}
        self.hard: dict[str, list[int]] = {}  # per version: the cue numbers of its negations
        self.cue_words: dict[str, list[list[int]]] = {}
        self.marked: dict[str, set[int]] = {}  # words of a negation or of a word that entails one
        self.soft: dict[str, set[int]] = {}
        self.lexical: dict[str, set[int]] = {}  # soft words of the lexicon (not by a prefix)
        self.negators: dict[str, set[int]] = {}  # words of the language's negators, whatever their use
        self.texts, self.langs = texts, {d: primary_language(lang) for d, lang in langs.items()}
        self.base = {d: ctx.row_span(k, d)[0] for d in texts}
        for d, text in texts.items():
            base = self.base[d]
            words = rw.cells[d].words.words
            starts = np.array([w.start for w in words])
            ends = np.array([w.end for w in words])

            def covered(c: Cue) -> list[int]:
                s, e = base + c.start, base + c.end
                return [int(i) for i in np.flatnonzero((starts < e) & (ends > s))]

            self.cue_words[d] = [covered(c) for c in negs[d]]
            self.hard[d] = [i for i, w in enumerate(self.cue_words[d]) if w]
            self.soft[d] = {i for c in soft_negatives(text, langs[d]) for i in covered(c)}
            self.lexical[d] = {i for c in soft_negatives(text, langs[d], prefixed=False) for i in covered(c)}
            self.negators[d] = {i for c in negator_words(text, langs[d]) for i in covered(c)}
            self.marked[d] = self.soft[d] | self.negators[d]

    def _near(self, d: str, idx: list[int], reach: int | None = None) -> set[int]:
        """Words within ``reach`` of the given ones, inside their clause (no punctuation between)."""
        reach = self.reach if reach is None else reach
        words = self.rw.cells[d].words.words
        text, base = self.texts[d], self.base[d]

        def joined(a: int, b: int) -> bool:
            return not _BREAK.search(text[words[a].end - base:words[b].start - base])

        out = set()
        for i in idx:
            out.add(i)
            for step in (-1, 1):
                j = i
                while 0 <= j + step < len(words) and abs(j + step - i) <= reach and joined(min(j, j + step), max(j, j + step)):
                    j += step
                    out.add(j)
        return out

    def cancelled(self, d: str, cue: int) -> bool:
        """The negation bears on a word that entails one (``not unusual``, ``ne ... pas sans``,
        ``nicht ohne``, ``ninguém fica indiferente``): two negations that may cancel, or one a
        translation may carry in either word. A negation bears on what follows it (what precedes
        it in a head-final language such as Japanese), up to two words on, and on the words
        inside a frame (``n'arrêtez pas``); a word that entails a negation right before it may
        carry the same negation (``sans rien``)."""
        idx = self.cue_words[d][cue]
        neg = [i for i in idx if i in self.negators[d]] or idx
        lo, hi = min(neg), max(neg)
        near = self._near(d, neg)
        inside = set(range(lo, hi + 1)) - set(neg)
        if self.langs[d] in HEAD_FINAL:
            scope, by = {j for j in near if lo - 2 <= j < lo}, hi + 1
        else:
            scope, by = {j for j in near if hi < j <= hi + 2}, lo - 1
        return bool(self.soft[d] & (scope | inside)) or by in self.lexical[d] & near

    def _mapped(self, d: str, cue: int, e: str) -> list[int]:
        links = self.links[(d, e)]
        return sorted({int(j) for i in self._near(d, self.cue_words[d][cue]) for j in np.flatnonzero(links[i])})

    def matched(self, d: str, cue: int, e: str) -> bool | None:
        """Whether version ``e`` has a negation (or a word that entails one) where the words
        around negation ``cue`` of ``d`` stand in it; None when none of them is aligned and
        ``e`` has such a word somewhere (without any, ``e`` renders no negation at all). A word
        of ``e`` aligned to another negation of ``d`` or to a word of ``d`` that entails one
        (``imposibles`` / ``niepraktyczne``) renders that word, not this negation."""
        mapped = self._mapped(d, cue, e)
        if not mapped:
            return None if self.marked[e] else False
        own = set(self.cue_words[d][cue])
        elsewhere = sorted((self.soft[d] | {i for ws in self.cue_words[d] for i in ws}) - own)
        echoed = {int(j) for j in np.flatnonzero(self.links[(d, e)][elsewhere].any(axis=0))} if elsewhere else set()
        return bool(self._near(e, mapped) & (self.marked[e] - echoed))

    def counterpart(self, d: str, cue: int, e: str) -> tuple[int, int]:
        """Character span of the clause(s) of ``e`` holding the words linked to negation ``cue``
        of ``d`` and to the words around it (the whole cell when none is): where ``e`` lacks the
        negation, which a missing word cannot point at more closely."""
        ws = self.rw.cells[e].words.words
        own = [int(j) for i in self.cue_words[d][cue] for j in np.flatnonzero(self.links[(d, e)][i])]
        mapped = own + self._mapped(d, cue, e) or [0, len(ws) - 1]
        clause = self._near(e, [min(mapped), max(mapped)], reach=len(ws))
        return ws[min(clause)].start, ws[max(clause)].end


@register
class ComparisonReversed(Rule):
    """A comparison points the other way in one version (more/less, higher/lower, above/below).

    ## What it does
    Reads the comparison words of every version of a row (``more``/``less``, ``höher``/
    ``niedrigere``, ``plus``/``moins``, ``больше``/``меньше``, 更多/更少, 以上/以下...) and its
    words of change (``rose``/``fell``, ``stieg``/``sank``, ``Umsatzwachstum``, ``augmenté``/
    ``baissé``, 增加/减少, 増加/減少...) with their direction. A version whose comparison words all point one way while every other version's
    point the other way is flagged; with three or more versions the others must agree. French
    ``ne ... plus`` (no longer), ``de plus`` (moreover) and a comparison word after a negator
    (``nicht mehr``) are not comparisons; *more*/*less* before an adjective are not read
    either (``plus faible`` says what ``inferior`` says), only before *than* or a number, and
    words of position only before a number (*above 2 %*, ``boven de 10``; not a ball that
    dropped *over* a keeper, nor Dutch ``onder`` for *among*).

    ## Why is this bad?
    "More than" turned into "less than" keeps every number and name; only the direction changes,
    and with it the news.

    ## Example
    ```
    en: Sales were higher than last year.
    de: Der Umsatz war höher als im Vorjahr.
    pt: As vendas foram menores do que no ano passado.    <- reversed
    ```

    ## Use instead
    ```
    pt: As vendas foram maiores do que no ano passado.
    ```
    """

    code = "XL802"
    levels = {
        Severity.ERROR: "two or more other versions agree on the direction of the comparison, all read from "
                        "comparison words (more/less, higher/lower: a closed class)",
        Severity.WARNING: "one other version only (no vote), or a word of change decides (rose/fell: an open "
                          "class, a version's other change word may be one the tables lack)",
    }
    name = "comparison-reversed"
    severity = Severity.ERROR
    summary = "A comparison word points the other way than in the other versions"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for k, texts in ctx.compared_rows():
            cues = {d: directions(t, ctx.story.document(d).lang) for d, t in texts.items()}
            signs = {d: frozenset(c.direction for c in v) for d, v in cues.items()}
            for d, own in signs.items():
                others = [o for o in texts if o != d]
                if len(own) != 1 or not all(len(signs[o]) == 1 for o in others):
                    continue
                if all(signs[o] == {-next(iter(own))} for o in others):
                    if len(texts) == 2 and d != next(iter(texts)):
                        continue  # two versions: one finding (on the first), the other related
                    start = ctx.row_span(k, d)[0]
                    related = [s for o in others for s in _cue_spans(ctx, k, o, cues[o])]
                    yield ctx.finding(self, d, start + cues[d][0].start, start + cues[d][-1].end,
                                      f"{_quote(cues[d])} here, {_quote([c for o in others for c in cues[o]])} "
                                      f"in {languages(ctx, others)}: the comparison points the other way",
                                      row=k, related=related,
                                      severity=Severity.ERROR if len(others) >= 2 and not any(
                                          c.change for o in [d, *others] for c in cues[o]) else Severity.WARNING)
