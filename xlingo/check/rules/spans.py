"""XL7xx: meaning divergence below the sentence: which words of a version have no counterpart.

The five rules read one analysis per story, the "words" annotator's ``ctx.words``
(:mod:`xlingo.annotate.words`): every content row's cells are split into words with contextual
vectors from the encoder's token states (from the same forward pass as the sentence vectors),
the words of every pair of versions are aligned, and the learned meaning model
(:mod:`xlingo.annotate.meaning`, shipped as plain numbers) gives each word its probability of
having no counterpart in each other version; spans and the N-way vote are built from those
(:func:`xlingo.annotate.divergence.row_events`). An encoder without token states
(``ctx.token_states is None``, e.g. USE) turns XL701-XL703 and XL705 off; XL704 reads the
calibrated row score (:mod:`xlingo.annotate.rows`), from the sentence signals alone in that case.

Every XL701-XL703 finding shows a *score*: the estimated chance that a professional reviewer
marks the span as an accuracy error (the span's highest word probability, Platt-scaled on every
held-out MQM word). Severities are floors on it stored with the model, chosen in training so that
clean multi-way news the model did not see stays within the clean-text budget; with three or more
versions an error needs every other version to agree (the vote); with two versions nothing can
be voted (quality estimation): findings are at most warnings, from a floor of their own. XL705's
gaps count from the warning floor. With three or more versions the N-way vote's evidence of an
omission (:func:`xlingo.annotate.divergence.vote_gaps`) has floors of its own (``vote_info``,
``vote_warn``, ``vote_error``; a model without them leaves the vote silent). The model's digest is the rules' ``model`` option, so it is part
of the report signature.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from xlingo.annotate import annotate
from xlingo.annotate.divergence import (
    Event,
    RowWords,
    pair_divergence,
    repeated_ngrams,
    typical_margins,
    word_weight,
)
from xlingo.annotate.meaning import MeaningModel, load_model, missing_mass, model_tag
from xlingo.annotate.rows import load_row_model, row_model_tag, row_scores
from xlingo.annotate.wordalign import split_words
from xlingo.annotate.words import WordAnalysis as _Analysis
from xlingo.check.base import CheckContext, Rule, register
from xlingo.check.probes import cut_gain, cut_spans
from xlingo.check.quantities import Quantity, extract_quantities, measure_spans, same_value
from xlingo.check.wording import languages
from xlingo.model import Finding, Severity, Span
from xlingo.names.words import sounds_alike
from xlingo.stats import MAD_TO_SIGMA, median_mad


def analysis(ctx: CheckContext) -> _Analysis | None:
    """Word alignment, span events and their scores for the story's content rows (the "words"
    annotator's result; run here only when the engine has not run it, e.g. in a unit test)."""
    annotate(ctx, ["words"])
    return ctx.words


def divergence_scores(ctx: CheckContext) -> list[float]:
    """Calibrated 0..1 divergence per row (for ``Row.divergence``): sentence margins, and the
    meaning the model finds missing when the encoder has token states."""
    annotate(ctx, ["margins", "words"])
    return row_scores(ctx)


def model_floors(model: MeaningModel) -> dict[str, float]:
    """The span-score floors of each severity stored with ``model``."""
    floors = {"info_score": model.severity_score("info", 0.5), "warn_score": model.severity_score("warning", 0.7),
              "error_score": model.severity_score("error", 0.9)}
    return {**floors, "pair_warn_score": model.severity_score("pair_warning", floors["error_score"]),
            "vote_info": model.severity_score("vote_info", NEVER), "vote_warn": model.severity_score("vote_warning", NEVER),
            "vote_error": model.severity_score("vote_error", NEVER)}


NEVER = 1e9  # a floor no evidence reaches (a model without vote floors)


class _ModelFloors(Rule):
    """A rule whose score floors, where not given as options, come from the meaning model in use
    (the shipped one, or the one a benchmark puts in the context)."""

    def __init__(self, options: dict[str, float] | None = None) -> None:
        self.given = dict(options or {})
        super().__init__({**self.fixed_options(), **self.floors(load_model()), **self.given})

    def fixed_options(self) -> dict[str, float]:
        """Options that do not depend on the model in use."""
        return {}

    @staticmethod
    def floors(model: MeaningModel) -> dict[str, float]:
        """This rule's options taken from ``model``."""
        raise NotImplementedError

    def options_for(self, ctx: CheckContext) -> dict[str, float]:
        """The options in effect for this story."""
        return {**self.opts, **self.floors(ctx.meaning_model), **self.given} if ctx.meaning_model else self.opts


_NUMBER_ONLY = re.compile(r"[\d\s.,:/%'’+-]+")


def _numbers_only(ctx: CheckContext, ev: Event) -> bool:
    """What the other versions have here is a number and nothing else (``27:37``, ``2``)."""
    return bool(ev.related) and all(_NUMBER_ONLY.fullmatch(ctx.story.document(d).text[s:e]) for d, s, e in ev.related)


def _quantities_alone(text: str, lang: str) -> list[Quantity]:
    """The quantities of ``text`` when, besides them and their units, it carries no content word
    (``820,000``, ``6-foot-6``, ``1,98 m pour 98 kg``); else none."""
    quantities = extract_quantities(text, lang)
    rest = list(text)
    for s, e in [*measure_spans(text, lang, quantities), *((q.start, q.end) for q in quantities)]:
        rest[s:e] = " " * (e - s)
    if any(len(w.text) >= 3 and word_weight(w.text, lang) >= 0.5 for w in split_words("".join(rest))
           if w.text[0].isalpha()):
        return []
    return quantities


def _measured(text: str, lang: str) -> bool:
    """``text`` states a measure (a number with its unit) and, besides numbers, carries no
    content word (``6-foot-6``, ``1,98 m pour 98 kg``)."""
    quantities = _quantities_alone(text, lang)
    return bool(measure_spans(text, lang, quantities)) if quantities else False


def _numbers_stated_there(ctx: CheckContext, ev: Event) -> bool:
    """This version's span is numbers and nothing more, and every version said to lack them states
    each of them in its own way (``820,000`` / ``82万``, ``350,000`` / ``350 тыс.``, ``200 miles`` /
    ``320 km``): the word alignment compares digits, XL101 compares values (units converted, read
    in the row's context)."""
    if ev.kind == "omission" or not ev.related:
        return False
    doc = ctx.story.document(ev.doc)
    if not _quantities_alone(doc.text[ev.start:ev.end], doc.lang):
        return False
    at = ctx.row_span(ev.row, doc)[0]
    own = [q for q in extract_quantities(ctx.row_text(ev.row, doc), doc.lang)
           if q.start < ev.end - at and q.end > ev.start - at]
    for d in dict.fromkeys(d for d, _, _ in ev.related):
        other = ctx.story.document(d)
        theirs = extract_quantities(ctx.row_text(ev.row, other), other.lang)
        if not all(any(same_value(q, t, use_alt=True) for t in theirs) for q in own):
            return False
    return bool(own)


def _measures_only(ctx: CheckContext, ev: Event) -> bool:
    """This version and the others state a measure here and nothing more (``6-foot-6`` /
    ``1,98 m``, ``40 miles`` / ``64 km``): a unit converted, which XL101 reads in every unit.
    For an omission, this version's row states a measure of its own."""
    if not ev.related:
        return False
    doc = ctx.story.document(ev.doc)
    here = bool(measure_spans(ctx.row_text(ev.row, doc), doc.lang)) if ev.kind == "omission" else \
        _measured(doc.text[ev.start:ev.end], doc.lang)
    return here and all(_measured(ctx.story.document(d).text[s:e], ctx.story.document(d).lang) for d, s, e in ev.related)


def _names_only(ctx: CheckContext, ev: Event) -> bool:
    """What this version leaves out is a name and nothing else: every word the other versions have
    there is capitalised (``Wayde`` of "Wayde Sims", ``Rapid`` of "Rapid Wien", ``Trump`` of "Trump
    said", ``Elite League``, ``St. Martin's``: a possessive's letter is no word), in every version
    that has it (a German noun alone does not make it); a version in a script without capitals has
    it written as one of those names sounds (``ジェインズ`` for *Jaynes*, ``جاينز``)."""
    if ev.kind != "omission" or not ev.related:
        return False
    capitalised, sounded = [], []  # the name as capitals show it, and as scripts without them write it
    for d, s, e in ev.related:
        text = ctx.story.document(d).text[s:e]
        if not any(c.lower() != c.upper() for c in text):
            sounded.append(text)
            continue
        words = [w.text for w in split_words(text) if w.text[0].isalpha() and len(w.text) > 1]
        if not words or not all(w[0].isupper() for w in words):
            return False
        capitalised.append(text)
    return bool(capitalised) and all(max(sounds_alike(u, c) for c in capitalised) >= 0.7 for u in sounded)


def _strongest(events: list[Event], scores: list[float], kind: str) -> list[tuple[Event, float]]:
    """The events of ``kind`` with their scores, one per version, row and counterpart spans: the
    best-scoring place of a gap that the model found twice (two stretches around one missing name)."""
    best: dict[tuple, tuple[Event, float]] = {}
    for ev, score in zip(events, scores):
        key = (ev.doc, ev.row, tuple(sorted(ev.related)))
        if ev.kind == kind and (key not in best or score > best[key][1]):
            best[key] = (ev, score)
    return list(best.values())


def drop_gain(ctx: CheckContext, doc: str, row: int, related: tuple[tuple[str, int, int], ...]) -> float:
    """How much closer the versions that have the words ``related`` come to version ``doc`` once
    those words are cut from them, under the row score's second encoder (whose cosines spread where
    the span encoder's crowd): the mean over those versions of the share of their cosine distance
    that the cut closes (:func:`xlingo.check.probes.cut_gain`). A dropped clause leaves ``doc`` a
    faithful translation of the rest, so the cut brings the others to it; words the version renders
    in other terms, or elsewhere in the row, pull them away once cut."""
    here = ctx.row_text(row, doc)
    gains = []
    for d in dict.fromkeys(x for x, _, _ in related):
        start = ctx.row_span(row, d)[0]
        text = ctx.row_text(row, d)
        gains.append(cut_gain(ctx.second_embed, text, cut_spans(text, [(s - start, e - start) for x, s, e in related
                                                                       if x == d]), [here]))
    return sum(gains) / len(gains)


def _row_letters(ctx: CheckContext) -> dict[str, list[int]]:
    """Per version, the letters (characters other than spaces) of its cell in each row."""
    return {d.id: [sum(not c.isspace() for c in ctx.row_text(j, d)) for j in range(len(ctx.rows))]
            for d in ctx.documents}


_LENGTH_SPREAD = 0.05  # the least spread of a story's log length ratios (a story of near-identical rows)
_MOST_DEFICIT = 4.0  # far shorter (or longer) than usual says no more further out


def length_deficit(ctx: CheckContext, doc: str, row: int, others: tuple[str, ...]) -> float:
    """How much shorter version ``doc`` is in ``row`` than each of ``others``, against how the two
    compare over the story: per other version, the row's log ratio of their letters (characters
    other than spaces) as a robust z-score over the story's rows where both have text (positive:
    shorter than usual); the least of them, within ±4. A dropped clause shortens the row against
    every version that has it; a translation's own length spreads within the story's norm. 0 where
    fewer than three rows compare."""
    letters = ctx.cached(_row_letters)
    deficits = []
    for other in others:
        pairs = list(zip(letters[doc], letters[other]))
        ratios = np.log([a / b for a, b in pairs if a and b])
        mine, theirs = pairs[row]
        if len(ratios) < 3 or not mine or not theirs:
            return 0.0
        median, mad = median_mad(ratios)
        deficits.append((median - np.log(mine / theirs)) / (MAD_TO_SIGMA * mad + _LENGTH_SPREAD))
    return float(np.clip(min(deficits), -_MOST_DEFICIT, _MOST_DEFICIT)) if deficits else 0.0


def _settled(ctx: CheckContext, ev: Event, sev: Severity | None) -> Severity | None:
    """``sev``, information where what the event is about is judged elsewhere or carries no claim."""
    if sev is not None and sev > Severity.INFO and (_numbers_only(ctx, ev) or _measures_only(ctx, ev)
                                                    or _numbers_stated_there(ctx, ev)):
        return Severity.INFO  # XL101 reads numbers the way each language writes them, and has judged these
    if sev is not None and sev > Severity.INFO and _names_only(ctx, ev):
        return Severity.INFO  # a shortened reference or a dropped attribution: the claim stays
    return sev


def _same_gap(a: Event, b: Event) -> bool:
    """Two events of one version and row whose counterpart spans overlap in some version: one gap
    the vote found from two places."""
    return a.doc == b.doc and a.row == b.row and any(
        d == e and s < t2 and s2 < t for d, s, t in a.related for e, s2, t2 in b.related)


def _clip(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


class _SpanRule(_ModelFloors):
    """Shared severity policy of XL701-XL703: thresholds on the event's score."""

    kind = ""
    options = {"min_mass": 0.5, "error_mass": 1.0, "info_score": 0.5, "warn_score": 0.7, "error_score": 0.9,
               "pair_warn_score": 0.9, "vote_info": NEVER, "vote_warn": NEVER, "vote_error": NEVER}  # not given: model
    levels = {
        Severity.ERROR: "three or more versions, every other version agrees (not disputed), score from "
                        "`error_score`, at least `error_mass` of meaning (a content word) or a number or name",
        Severity.WARNING: "score from `warn_score` (with two versions, no vote: from `pair_warn_score`), or an "
                          "error-level span where the other versions disagree with each other too",
        Severity.INFO: "score from `info_score`; an omission with three or more versions also from the N-way "
                       "vote's evidence (`vote_info`, and `vote_warn` / `vote_error` where the model has them); "
                       "any score where what the other versions have is a number only, where both sides state a "
                       "measure and nothing more (`6-foot-6` / `1,98 m`), or where this version's numbers are "
                       "stated there in other words (`820,000` / `82万`): XL101 judges numbers and converts units",
    }
    requires = ("words",)

    floors = staticmethod(model_floors)  # chosen in training on held-out clean news

    def fixed_options(self) -> dict[str, float]:
        """``model``: the shipped meaning model's digest (for the report signature)."""
        return {"model": model_tag()}

    def severity_of(self, ev: Event, n_versions: int, score: float,
                    opts: dict[str, float] | None = None) -> Severity | None:
        """With a vote (3+ versions): ERROR from ``error_score`` when every other version agrees,
        WARNING from ``warn_score``, INFO from ``info_score``. With two versions nothing can be
        voted (quality estimation): WARNING from ``pair_warn_score``, INFO from ``info_score``.
        An omission also gets INFO from the N-way vote's evidence ``vote_info``, WARNING from
        ``vote_warn`` and ERROR from ``vote_error`` (every other version agreeing), whichever is higher; one the vote alone found
        gets its severity from the vote only. Spans carrying less meaning than ``min_mass``
        (function words) need a number or name; an error needs ``error_mass``, a content word's
        worth (a lone connective, *though* / *jedoch*, is a warning at most)."""
        o = opts or self.opts
        if ev.mass < o["min_mass"] and not ev.key:
            return None
        by_vote = self._by_vote(ev, n_versions, o)
        by_score = None if ev.by_vote else self._by_score(ev, n_versions, score, o)
        found = by_score or by_vote if by_vote is None or by_score is None else max(by_vote, by_score)
        if found == Severity.ERROR and ev.mass < o["error_mass"] and not ev.key:
            return Severity.WARNING
        return found

    @staticmethod
    def _by_vote(ev: Event, n_versions: int, o: dict[str, float]) -> Severity | None:
        """An omission's severity from the N-way vote's evidence (three or more versions)."""
        if ev.kind != "omission" or n_versions < 3 or ev.vote <= 0:
            return None
        if ev.vote >= o["vote_error"] and len(ev.holders) >= n_versions - 1 and not ev.disputed:
            return Severity.ERROR
        if ev.vote >= o["vote_warn"]:
            return Severity.WARNING
        return Severity.INFO if ev.vote >= o["vote_info"] else None

    @staticmethod
    def _by_score(ev: Event, n_versions: int, score: float, o: dict[str, float]) -> Severity | None:
        if n_versions >= 3:
            if score >= o["error_score"] and len(ev.holders) >= n_versions - 1:
                return Severity.WARNING if ev.disputed else Severity.ERROR
            if score >= o["warn_score"]:
                return Severity.WARNING
        elif score >= o["pair_warn_score"]:
            return Severity.WARNING
        return Severity.INFO if score >= o["info_score"] else None

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        an = analysis(ctx)
        if an is None:
            return
        opts = self.options_for(ctx)
        judged = []  # (event, score, versions, level without the probe, level, raised by the probe)
        for ev, score in _strongest(an.events, an.scores, self.kind):
            n = len(an.rows[ev.row].cells)
            found = self.severity_of(ev, n, score, opts)
            sev, probed = self.confirmed(ctx, ev, n, found, opts)
            sev = _settled(ctx, ev, sev)
            judged.append((ev, score, n, _settled(ctx, ev, found) if probed else sev, sev, probed))
        warned = [ev for ev, _, _, _, sev, probed in judged
                  if sev is not None and sev >= Severity.WARNING and not probed]
        for ev, score, n, found, sev, probed in sorted(judged, key=lambda j: (j[5], -j[0].vote)):  # probe's last
            if probed and sev == Severity.WARNING:
                if any(_same_gap(ev, other) for other in warned):
                    sev, probed = found, False  # a gap already shown from another place keeps its own level
                else:
                    warned.append(ev)
            if sev is None:
                continue
            f = self.finding(ctx, ev, sev)
            note = "; two versions, no vote" if n < 3 else \
                "; the other versions also disagree with each other here" if ev.disputed else ""
            if probed and sev == Severity.WARNING:
                note += self.confirmation(ctx, ev)
            yield replace(f, message=f"{f.message} (likelihood of a real error {score:.0%}{note})")

    def confirmed(self, ctx: CheckContext, ev: Event, n_versions: int, sev: Severity | None,
                  opts: dict[str, float]) -> tuple[Severity | None, bool]:
        """``sev``, or higher where a second opinion confirms the event (none by default); and
        whether that opinion raised it."""
        return sev, False

    def confirmation(self, ctx: CheckContext, ev: Event) -> str:
        """What the second opinion that raised the event found, for its message."""
        return ""

    def related(self, ctx: CheckContext, ev: Event) -> list[Span]:
        return [ctx.span(d, s, e) for d, s, e in ev.related]

    def finding(self, ctx: CheckContext, ev: Event, sev: Severity) -> Finding:  # pragma: no cover
        raise NotImplementedError


def _quote(ctx: CheckContext, spans: list[Span]) -> str:
    seen: dict[str, str] = {}
    for s in spans:
        seen.setdefault(s.doc, f"`{_clip(s.text, 40)}`")
    langs = ", ".join(ctx.story.document(d).lang for d in seen)
    return f"{' / '.join(seen.values())} in {langs}"


@register
class SpanOmission(_SpanRule):
    """Words the other versions share have no counterpart in this version.

    ## What it does
    With three or more versions, finds words (a figure, a qualifier, a clause) that two or
    more versions share - their counterparts align with each other - and that have no
    counterpart in this version, and points at the place where they should be (the words
    around the gap), with the missing words of the other versions as related spans. Word
    correspondence comes from the encoder's contextual token states (SimAlign-style word
    alignment); numbers are compared by value, rare words by spelling.

    ## Why is this bad?
    A dropped word often carries the meaning of the sentence - "48 million" becomes "48",
    "not" or "only" disappears - while the sentence as a whole still looks like a good
    translation, so sentence-level similarity does not see it.

    ## Example
    ```
    es: El consejo aprobó un presupuesto de 48 millones de euros.
    pt: O conselho aprovou um orçamento de 48 milhões de euros.
    it: Il consiglio ha approvato un bilancio di 48 di euro.      <- "milioni" missing
    ```

    ## Use instead
    ```
    it: Il consiglio ha approvato un bilancio di 48 milioni di euro.
    ```
    """

    code = "XL701"
    name = "span-omission"
    severity = Severity.ERROR
    summary = "Words the other versions share have no counterpart in this version"
    kind = "omission"
    # the drop probe: a logistic fit of its three signals, its floor within 0.1 warnings per 100 clean
    # sentences (benchmarks/omission_probe.py, which cross-validates both by document)
    options = {**_SpanRule.options, "probe_vote": 2.0, "probe_vote_weight": 2.642, "probe_gain_weight": 3.772,
               "probe_length_weight": 0.698, "probe_floor": 6.62}
    levels = {**_SpanRule.levels,
              Severity.WARNING: _SpanRule.levels[Severity.WARNING] + "; or, with three or more versions, a gap "
                                "the N-way vote found (evidence from `probe_vote`) that the drop probe confirms: "
                                "`probe_vote_weight` x the log of the vote's evidence, plus `probe_gain_weight` x "
                                "the share of their cosine distance that cutting the missing words out of the "
                                "versions that have them closes to this one (under the row score's second "
                                "encoder), plus `probe_length_weight` x how much shorter than usual this version "
                                "is against them (a z-score over the story's rows), reaches `probe_floor`",
              Severity.INFO: _SpanRule.levels[Severity.INFO] + "; whatever the score or the vote when all that is "
                             "left out is a name: on clean news that is a shortened reference (`Sims` for `Wayde "
                             "Sims`, `he said` for `Trump said`); XL803 judges a name that another one replaces"}

    def confirmed(self, ctx: CheckContext, ev: Event, n_versions: int, sev: Severity | None,
                  opts: dict[str, float]) -> tuple[Severity | None, bool]:
        """A warning where the vote's gap (three or more versions) passes the drop probe: its
        :meth:`probe_signals` weighed by the rule's options reach ``probe_floor``. The encoder is
        asked only for gaps from ``probe_vote`` that could reach it (the gain is at most 1)."""
        if (sev is not None and sev >= Severity.WARNING) or n_versions < 3 or ctx.second_embed is None \
                or ev.vote < opts["probe_vote"] or (ev.mass < opts["min_mass"] and not ev.key):
            return sev, False
        vote, deficit = self._cheap_signals(ctx, ev)
        without_gain = opts["probe_vote_weight"] * vote + opts["probe_length_weight"] * deficit
        if opts["probe_gain_weight"] >= 0 and without_gain + opts["probe_gain_weight"] < opts["probe_floor"]:
            return sev, False  # not even a cut that closed the whole distance (a gain of 1) would do: no encoder
        if without_gain + opts["probe_gain_weight"] * self._gain(ctx, ev) >= opts["probe_floor"]:
            return Severity.WARNING, True
        return sev, False

    @classmethod
    def probe_signals(cls, ctx: CheckContext, ev: Event) -> tuple[float, float, float]:
        """The log of the vote's evidence, the distance the cut closes (:func:`drop_gain`) and how
        much shorter the version is than those that have the words (:func:`length_deficit`)."""
        vote, deficit = cls._cheap_signals(ctx, ev)
        return vote, cls._gain(ctx, ev), deficit

    @staticmethod
    def _cheap_signals(ctx: CheckContext, ev: Event) -> tuple[float, float]:
        """The signals no encoder is asked for: the log of the vote's evidence and the length deficit."""
        holders = tuple(dict.fromkeys(d for d, _, _ in ev.related))
        return float(np.log(ev.vote)), ctx.cached(length_deficit, ev.doc, ev.row, holders)

    @staticmethod
    def _gain(ctx: CheckContext, ev: Event) -> float:
        return ctx.cached(drop_gain, ev.doc, ev.row, tuple(ev.related))

    def confirmation(self, ctx: CheckContext, ev: Event) -> str:
        _, gain, deficit = self.probe_signals(ctx, ev)
        return (f"; drop probe: without these words the others come {gain:+.0%} of their distance closer to this "
                f"version, which is {deficit:.1f} spreads shorter than usual against them")

    def finding(self, ctx: CheckContext, ev: Event, sev: Severity) -> Finding:
        related = self.related(ctx, ev)
        return ctx.finding(self, ev.doc, ev.start, ev.end,
                           f"left out: {_quote(ctx, related)} has nothing corresponding in this version (around "
                           f"`{_clip(ctx.story.document(ev.doc).text[ev.start:ev.end], 40)}`)", row=ev.row,
                           related=related, severity=sev)


@register
class SpanAddition(_SpanRule):
    """Words of this version have no counterpart in any other version.

    ## What it does
    Finds words of one version that align with nothing in the other versions of the row
    (an inserted qualifier, a negation, an invented detail). The related spans point at the
    place in the other versions where the words would be. With two versions an addition on
    one side may equally be an omission on the other: the finding is then a warning at most.

    ## Why is this bad?
    Added words make claims the source never made; a single added "not" or "up to"
    changes what the reader is told.

    ## Example
    ```
    de: Kinder unter 16 Jahren haben freien Eintritt.
    fr: L'entrée est gratuite pour les enfants de moins de 16 ans.
    en: Children under 16 get in free, except on weekends.   <- added condition
    ```

    ## Use instead
    ```
    en: Children under 16 get in free.
    ```
    """

    code = "XL702"
    name = "span-addition"
    severity = Severity.WARNING
    summary = "Words of this version have no counterpart in the other versions"
    kind = "addition"

    def finding(self, ctx: CheckContext, ev: Event, sev: Severity) -> Finding:
        related = self.related(ctx, ev)
        langs = languages(ctx, [d for d, _, _ in ev.related])
        return ctx.finding(self, ev.doc, ev.start, ev.end,
                           f"`{_clip(ctx.story.document(ev.doc).text[ev.start:ev.end], 40)}` is not in {langs}: "
                           "added here, or left out there", row=ev.row, related=related, severity=sev)


@register
class SpanMistranslation(_SpanRule):
    """Words of this version stand where the other versions say something else.

    ## What it does
    Finds words of one version that align with nothing in the others, at a place where the
    other versions share words that this version lacks: the version says ``X`` where the
    others say ``Y``. With three or more versions the others must agree with each other;
    with two, both sides are flagged (at most as warnings).

    ## Why is this bad?
    A swapped figure, a wrong term or a reversed verb keeps the sentence fluent and similar
    as a whole, yet tells the reader something else.

    ## Example
    ```
    en: Sales rose by 7 percent.
    de: Der Umsatz stieg um 7 Prozent.
    pt: As vendas caíram 7 por cento.      <- "fell" instead of "rose"
    ```

    ## Use instead
    ```
    pt: As vendas subiram 7 por cento.
    ```
    """

    code = "XL703"
    name = "span-mistranslation"
    severity = Severity.ERROR
    summary = "Words of this version stand where the other versions say something else"
    kind = "mistranslation"

    def finding(self, ctx: CheckContext, ev: Event, sev: Severity) -> Finding:
        related = self.related(ctx, ev)
        return ctx.finding(self, ev.doc, ev.start, ev.end,
                           f"`{_clip(ctx.story.document(ev.doc).text[ev.start:ev.end], 40)}` here says something "
                           f"else than {_quote(ctx, related)}", row=ev.row, related=related, severity=sev)


@register
class SentenceDivergence(Rule):
    """A row's versions say different things: the estimated chance of an accuracy error is high.

    ## What it does
    Reads each row's calibrated score (``Row.divergence``, :mod:`xlingo.annotate.rows`): the
    estimated chance that a professional reviewer marks an accuracy error in the row, from a small
    model over signals the pipeline already has (sentence cosine and its margin over unrelated
    sentences of the story, length ratio, numbers of one version missing from another, words left
    untranslated, and the word-level meaning model's view of both sides). Severities are floors on
    that score stored with the model, chosen by document-level cross-validation so that clean
    professional translations stay within the clean-text budget. The score alone gives information:
    its higher floors, fitted on clean news in Latin scripts, misfired on untouched versions in
    other scripts (7 of 8 warnings in the perturbation suite). With three or more versions the
    finding goes to the version whose pairs are out of line while the others agree with each other;
    with two versions nothing tells which side is wrong (quality estimation): it goes to the side
    with more meaning unmatched, the other side as its counterpart.
    A warning takes the margin's own test: a version no closer to the others than unrelated
    sentences of the story (its margin against the story's usual one) while the others agree
    (information with two versions, when both are that far apart).

    ## Why is this bad?
    A row whose versions diverge is a sentence replaced by another one, a mistranslation, an
    omission or addition, or a misalignment hiding a missing sentence.

    ## Example
    ```
    en: Forecasters expect more rain on Wednesday.
    es: Los meteorólogos prevén más lluvia para el miércoles.
    it: Il governo ha chiesto aiuto all'esercito.     <- says something else
    ```

    ## Use instead
    ```
    it: I meteorologi prevedono altra pioggia per mercoledì.
    ```
    """

    code = "XL704"
    name = "sentence-divergence"
    severity = Severity.WARNING
    levels = {
        Severity.WARNING: "three or more versions, one no closer to the others than unrelated sentences "
                          "(`min_divergence`) while they agree (`max_agreeing`)",
        Severity.INFO: "score from `info`; two versions (nothing tells which side is wrong): score from "
                       "`info_pair`, or both no closer than unrelated sentences (`min_divergence_pair`)",
    }
    summary = "A row's versions diverge in meaning (calibrated chance of an accuracy error)"
    options = {"min_rows": 5.0, "info": 0.5, "info_pair": 0.5,  # score floors; not given: the row model's
               "min_divergence": 0.8, "min_divergence_pair": 0.95, "max_agreeing": 0.4}  # the margin's own test
    requires = ("boilerplate", "margins", "words")

    def __init__(self, options: dict[str, float] | None = None) -> None:
        model = load_row_model()
        self.given = dict(options or {})
        super().__init__({"model": row_model_tag(model), **self._floors(model), **self.given})

    @classmethod
    def _floors(cls, model) -> dict[str, float]:
        """The model's floors this rule reads (the score gives information only)."""
        return {k: v for k, v in model.floors.items() if k in cls.options}

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        if len(ctx.rows) < self.opts["min_rows"]:
            return
        annotate(ctx, self.requires)
        scores = ctx.cached(row_scores)
        opts = {**self.opts, **self._floors(ctx.row_model), **self.given} if ctx.row_model else self.opts
        margins = ctx.margins or []
        typical = typical_margins(margins)
        for k, _ in ctx.content_rows():
            m = margins[k] if k < len(margins) else {}
            present = [d.id for d in ctx.documents if any(d.id in p for p in m)]
            if len(present) < 2:
                continue
            div = {p: pair_divergence(v, typical[p]) for p, v in m.items()}
            floor = opts["info"] if len(present) >= 3 else opts["info_pair"]
            by_score = Severity.INFO if scores[k] >= floor else None
            d, alone = self._culprit(ctx, k, present, div)
            unrelated = self._unrelated(d, present, div, opts)
            sev = unrelated if by_score is None else max(by_score, unrelated) if unrelated is not None else by_score
            if sev is None:
                continue
            span = ctx.row_span(k, d)
            related = [ctx.span(o, *ctx.row_span(k, o)) for o in present if o != d]
            what = (f"this row's versions differ in meaning: likelihood of a real error {round(100 * scores[k])}%"
                    if by_score is not None else "this version is no closer to the others than unrelated sentences "
                    "of the story")  # the margin's own test: the row model may think otherwise
            yield ctx.finding(self, d, span[0], span[1],
                              what + ("" if alone or len(present) < 3 else " (the other versions disagree too)"),
                              row=k, related=related, severity=sev)

    @staticmethod
    def _unrelated(d: str, present: list[str], div: dict[tuple[str, str], float],
                   opts: dict[str, float]) -> Severity | None:
        """The margin's own test, whatever the score: ``d`` is no closer to the other versions than
        unrelated sentences of the story (pair divergence at least ``min_divergence``) while they
        agree with each other (a warning), or, with two versions, both are (information)."""
        mine = [v for p, v in div.items() if d in p]
        rest = [v for p, v in div.items() if d not in p]
        if len(present) >= 3:
            ok = min(mine) >= opts["min_divergence"] and max(rest, default=0.0) <= opts["max_agreeing"]
            return Severity.WARNING if ok else None
        return Severity.INFO if min(mine) >= opts["min_divergence_pair"] else None

    @staticmethod
    def _culprit(ctx: CheckContext, k: int, present: list[str], div: dict[tuple[str, str], float]) -> tuple[str, bool]:
        """The version to flag, and whether it alone is out of line. Three or more versions: the one
        whose closest pair diverges most, alone when every pair without it diverges less. Two: the
        side with more meaning unmatched (the later version when the word view is missing)."""
        if len(present) >= 3:
            mine = {d: min(v for p, v in div.items() if d in p) for d in present}
            d = max(present, key=lambda x: (mine[x], -present.index(x)))
            rest = [v for p, v in div.items() if d not in p]
            return d, not rest or max(rest) < mine[d]
        row = ctx.words.rows.get(k) if ctx.words is not None else None
        if row is None or set(row.cells) != set(present):
            return present[-1], True
        mass = {d: missing_mass(row, d) for d in present}
        return max(reversed(present), key=lambda x: mass[x]), True


@register
class GarbledStructure(_ModelFloors):
    """A version's sentence loops or breaks off where the others read normally.

    ## What it does
    Looks for broken structure that the other versions of the row do not share: a phrase of
    two or more words repeated at once (looping output), and, with three or more versions,
    a sentence with several separate stretches that the others share and it lacks (a
    comparison that compares nothing, a fragment; numbers that differ are XL101's). Signals come from word alignment and
    n-gram repetition, not word lists. Scrambled word order is not flagged: token
    alignment cannot tell it from the legitimate reordering between languages (German
    verb-final clauses against Romance ones).

    ## Why is this bad?
    Looping and broken sentences are typical machine-translation or editing
    accidents; they still score as good translations at sentence level because most of the
    same words are there.

    ## Example
    ```
    de: Die Ausstellung dauert bis Ende September.
    fr: L'exposition dure jusqu'à fin septembre.
    it: La mostra dura fino dura fino alla fine di settembre.   <- loops
    ```

    ## Use instead
    ```
    it: La mostra dura fino alla fine di settembre.
    ```
    """

    code = "XL705"
    name = "garbled-structure"
    severity = Severity.WARNING
    levels = {
        Severity.WARNING: "a phrase repeated at once where no other version repeats one (looping output)",
        Severity.INFO: "several separate stretches the other versions share are missing (a broken sentence, or a "
                       "free one: on clean professional news 1 of 4 such findings was a real defect, and the "
                       "perturbation suite's dropped clauses never raised one)",
    }
    summary = "A sentence loops or breaks off where the other versions read normally"
    options = {"min_gaps": 2.0, "min_gap_mass": 1.5, "gap_score": 0.7}
    requires = ("words",)

    @staticmethod
    def floors(model: MeaningModel) -> dict[str, float]:
        """``gap_score`` (a gap's lowest span score): the model's warning floor."""
        return {"gap_score": model_floors(model)["warn_score"]}

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        an = analysis(ctx)
        if an is None:
            return
        for k, row in an.rows.items():
            yield from self._loops(ctx, k, row)
            yield from self._broken(ctx, an, k, row)

    def _loops(self, ctx: CheckContext, k: int, row: RowWords) -> Iterator[Finding]:
        reps = {d: repeated_ngrams(c, ctx.story.document(d).text) for d, c in row.cells.items()}
        for d, found in reps.items():
            if not found or any(reps[e] for e in row.others(d)):
                continue
            cell = row.cells[d]
            for i, j in found:
                s, e = cell.words.words[i].start, cell.words.words[j].end
                related = [ctx.span(o, *ctx.row_span(k, o)) for o in row.others(d)]
                yield ctx.finding(self, d, s, e, f"`{_clip(ctx.story.document(d).text[s:e], 40)}` is repeated; "
                                  "the other versions say it once", row=k, related=related)

    def _broken(self, ctx: CheckContext, an: _Analysis, k: int, row: RowWords) -> Iterator[Finding]:
        if len(row.cells) < 3:
            return
        floor = self.options_for(ctx)["gap_score"]
        for d, cell in row.cells.items():
            evs = [ev for ev, score in zip(an.events, an.scores) if ev.row == k and ev.doc == d
                   and ev.kind in ("omission", "mistranslation") and score >= floor and not ev.by_vote
                   and not _numbers_only(ctx, ev)]  # a number that differs is XL101's, not a broken sentence
            mass = sum(ev.mass for ev in evs)
            if len(evs) < self.opts["min_gaps"] or mass < self.opts["min_gap_mass"]:
                continue
            s, e = min(ev.start for ev in evs), max(ev.end for ev in evs)
            related = [ctx.span(o, *ctx.row_span(k, o)) for o in row.others(d)]
            yield ctx.finding(self, d, s, e, f"{len(evs)} separate parts of what the other versions say are "
                              "missing from this sentence: it may read broken or garbled", row=k, related=related,
                              severity=Severity.INFO)
