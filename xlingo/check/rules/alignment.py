"""XL0xx: findings of the alignment itself — sentences with no counterpart, rows out of line."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from xlingo.check.base import CheckContext, Rule, register
from xlingo.check.probes import cut_gain, cut_spans
from xlingo.check.wording import languages
from xlingo.model import Finding, Severity
from xlingo.stats import MAD_TO_SIGMA, median_mad


def _words(text: str) -> int:
    return len(text.split())


def _says_something(text: str) -> bool:
    """Not punctuation alone (a closing quotation mark the segmenter left on its own): something to translate."""
    return any(ch.isalnum() for ch in text)


def _gap_offset(ctx: CheckContext, k: int, doc: str) -> int:
    """Where a missing sentence would go in ``doc``: the end of its last sentence before row ``k``."""
    for prev in range(k - 1, -1, -1):
        span = ctx.row_span(prev, doc)
        if span:
            return span[1]
    return 0


def _unmatched_rows(ctx: CheckContext) -> Iterator[tuple[int, list[str], list[str]]]:
    """Rows where some versions have (non-boilerplate) text and others have none: (row, present, absent).
    Punctuation alone (a closing quotation mark the segmenter left on its own) is nothing to translate."""
    for k, row in ctx.content_rows():
        present = [d for d, ids in row.cells.items() if ids and not ctx.is_boilerplate(d, ids)
                   and _says_something(ctx.row_text(k, d))]
        absent = [d for d, ids in row.cells.items() if not ids]
        if present and absent:
            yield k, present, absent


def merged_drop(ctx: CheckContext, k: int, doc: str) -> tuple[float, int, list[str]] | None:
    """Where every other version of row ``k`` (two or more) holds two sentences or more there (the
    aligner may have merged into the row a sentence ``doc`` lacks, next to one it has): how much
    closer to ``doc`` they all come once their first sentence, or their last, is cut out of each,
    as the least over them of the share of their cosine distance the cut closes
    (:func:`xlingo.check.probes.cut_gain`, under the row score's second encoder), at the end
    where that is larger; with that end (0 or -1) and those versions. None where the row has no
    such shape or there is no second encoder. A version that says what the cut sentence says,
    in one sentence or two, pulls the others away once it is cut; a version that dropped it is
    the others without it."""
    row = ctx.rows[k]
    ids = row.cells.get(doc, ())
    others = [d for d, h in row.cells.items() if d != doc and h]
    if (ctx.second_embed is None or not ids or ctx.is_boilerplate(doc, ids) or len(others) < 2
            or any(len(row.cells[d]) < 2 or ctx.is_boilerplate(d, row.cells[d]) for d in others)):
        return None
    here = ctx.row_text(k, doc)
    least = []
    for end in (0, -1):
        cuts = [ctx.row_sentences(k, d)[end] for d in others]
        if not all(_says_something(cut.text) for cut in cuts):
            least.append(float("-inf"))
            continue
        gains = []
        for d, cut in zip(others, cuts):
            start, text = ctx.row_span(k, d)[0], ctx.row_text(k, d)
            gains.append(cut_gain(ctx.second_embed, text, cut_spans(text, [(cut.start - start, cut.end - start)]),
                                  [here]))
        least.append(min(gains))
    at = int(np.argmax(least))
    return float(least[at]), -at, others


@register
class MissingSentence(Rule):
    """Sentence present in most versions, missing in one.

    ## What it does
    Flags a version that has no counterpart for a sentence that the majority of the
    other versions have, at the place where the sentence should be. Punctuation alone (a
    closing quotation mark the segmenter left on its own) is nothing to translate. A
    sentence dropped next to one the version keeps may leave no row empty: the aligner
    merges it with its neighbour in the versions that have it. Where every other version
    (two or more) holds two sentences or more in a row, the first or last of them is missing
    from this version when cutting it out of all of them brings them closer to this one (a
    version that says the same in one sentence pulls them away once it is cut).

    ## Why is this bad?
    A dropped sentence silently removes information (a figure, a denial, a source)
    from one language edition only; readers of that edition never learn it.

    ## Example
    ```
    de: Die Firma bestreitet den Bericht. Sie nannte ihn „falsch“.
    fr: L'entreprise dément le rapport. Elle l'a qualifié de « faux ».
    pt: A empresa nega o relatório.            <- second sentence missing
    ```

    ## Use instead
    ```
    pt: A empresa nega o relatório. Ela o classificou como "falso".
    ```
    """

    code = "XL001"
    name = "missing-sentence"
    severity = Severity.ERROR
    levels = {
        Severity.ERROR: "three or more versions and the missing sentence has at least `min_words` words",
        Severity.WARNING: "two versions (nothing tells which side is right) or a sentence shorter than `min_words` "
                          "words; or the first or last sentence of a row where every other version (two or more) "
                          "holds two sentences or more, when cutting it out of each of them brings them all "
                          "closer to this version by at least `merged_gain` of their cosine distance (the row "
                          "score's second encoder): the aligner merged the sentence this version lacks with its "
                          "neighbour",
    }
    summary = "A sentence the other versions have is missing in this one"
    # merged_gain: benchmarks/merged_drop.py, by document-level cross-validation within its clean-text budget
    options = {"min_words": 4.0, "merged_gain": 0.019}

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        yield from self._unmatched(ctx)
        yield from self._merged(ctx)

    def _merged(self, ctx: CheckContext) -> Iterator[Finding]:
        """A sentence the others merged into a row with its neighbour that this version lacks, found
        by :func:`merged_drop`, at the end of this version's cell where it would stand."""
        for k, row in ctx.content_rows():
            for doc, ids in row.cells.items():
                found = ctx.cached(merged_drop, k, doc)
                if found is None or found[0] < self.opts["merged_gain"]:
                    continue
                gain, end, others = found
                related = [ctx.span(d, (s := ctx.row_sentences(k, d)[end]).start, s.end) for d in others]
                where = ctx.row_span(k, doc)[end]
                langs = languages(ctx, others)
                yield ctx.finding(self, doc, where, where,
                                  f"missing here: `{_clip(related[0].text)}` ({langs}) has no translation in this "
                                  f"version (merged there with its neighbour; cut out of theirs, their cosine distance "
                                  f"to this version changes by {-gain:+.0%})", row=k, related=related,
                                  severity=Severity.WARNING)

    def _unmatched(self, ctx: CheckContext) -> Iterator[Finding]:
        """A row where a majority of the versions have text and this one has none."""
        n = len(ctx.documents)
        for k, present, absent in _unmatched_rows(ctx):
            if len(present) * 2 <= n:
                continue  # a minority has it: an addition, see XL002
            related = [ctx.span(d, *ctx.row_span(k, d)) for d in present]
            short = _words(related[0].text) < self.opts["min_words"]
            severity = Severity.WARNING if short or n == 2 else Severity.ERROR
            for doc in absent:
                at = _gap_offset(ctx, k, doc)
                langs = languages(ctx, present)
                yield ctx.finding(self, doc, at, at, f"missing here: `{_clip(related[0].text)}` ({langs}) has no translation in this version",
                                  row=k, related=related, severity=severity)


@register
class ExtraSentence(Rule):
    """Sentence found in only a minority of the versions.

    ## What it does
    Flags a sentence that has no counterpart in most other versions: text added by
    the translator, a leftover from another story, or (with two versions) the other
    side of an omission.

    ## Why is this bad?
    Added sentences make claims the original never made, and usually come from a
    copy-paste accident or an over-eager rewrite.

    ## Example
    ```
    en: The council approved the budget.
    es: El consejo aprobó el presupuesto. El alcalde dimitirá mañana.   <- extra
    ```

    ## Use instead
    ```
    es: El consejo aprobó el presupuesto.
    ```
    """

    code = "XL002"
    name = "extra-sentence"
    severity = Severity.WARNING
    levels = {
        Severity.WARNING: "the extra sentence has at least `min_words` words",
        Severity.INFO: "a sentence shorter than `min_words` words (a caption, a dateline)",
    }
    summary = "A sentence that most other versions do not have"
    options = {"min_words": 4.0}

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        n = len(ctx.documents)
        for k, present, absent in _unmatched_rows(ctx):
            if len(present) * 2 > n:
                continue
            for doc in present:
                start, end = ctx.row_span(k, doc)
                short = _words(ctx.story.document(doc).text[start:end]) < self.opts["min_words"]
                langs = languages(ctx, absent)
                yield ctx.finding(self, doc, start, end, f"not in {langs}: added here, or left out there", row=k,
                                  severity=Severity.INFO if short else self.severity)


def agreements(vecs: np.ndarray) -> np.ndarray:
    """Per text, its mean cosine to the others (unit vectors, one per version of a row)."""
    vecs = np.asarray(vecs, dtype=np.float64)
    vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    return ((vecs @ vecs.T).sum(axis=1) - 1.0) / max(1, len(vecs) - 1)


@register
class MeaningShift(Rule):
    """Aligned row whose similarity is far below the rest of the story.

    ## What it does
    Compares each aligned row's cross-lingual similarity with the story's other rows
    (a robust z-score against the median) and, where the row is clearly out of line,
    asks the row score's second encoder (USE v3, whose cosines keep unrelated sentences
    far from translations) how well the versions agree: it flags the version that agrees
    least with the others when that agreement is at most ``max_second_agreement``. A
    faithful translation the span encoder finds unusually far (a headline, a paraphrase)
    stays well above it. Without a second encoder, the row must instead lie
    ``max_similarity_margin`` below the story's median.

    ## Why is this bad?
    A low-similarity row usually means a mistranslation, a garbled machine output or
    a sentence that was replaced by another one.

    ## Example
    ```
    en: Prices rose by two percent in March.
    it: I prezzi sono aumentati del due per cento a marzo.
    de: Der Himmel war im März meistens bewölkt.      <- says something else
    ```

    ## Use instead
    ```
    de: Die Preise stiegen im März um zwei Prozent.
    ```
    """

    code = "XL003"
    name = "meaning-shift"
    severity = Severity.WARNING
    summary = "A row much less similar across versions than the story's other rows"
    # min_z and max_second_agreement (with the second encoder), max_similarity_margin (without it): chosen by
    # document-level cross-validation, benchmarks/cv_meaning_shift.py
    options = {"min_z": 2.0, "min_rows": 5.0, "max_similarity_margin": 0.08, "max_second_agreement": 0.3}

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        scored = [(k, row) for k, row in ctx.content_rows()
                  if row.similarity is not None and sum(1 for ids in row.cells.values() if ids) >= 2]
        if len(scored) < self.opts["min_rows"]:
            return
        sims = np.array([row.similarity for _, row in scored])
        median, mad = median_mad(sims)
        mad = mad or 1e-3
        for k, row in scored:
            z = (median - row.similarity) / (MAD_TO_SIGMA * mad)
            if z < self.opts["min_z"]:
                continue
            docs = [d for d, ids in row.cells.items() if ids]
            texts = [ctx.row_text(k, d) for d in docs]
            if ctx.second_embed is not None:
                agreement = agreements(ctx.second_embed(texts))
                if agreement.min() > self.opts["max_second_agreement"]:
                    continue
            elif median - row.similarity < self.opts["max_similarity_margin"]:
                continue
            else:
                agreement = agreements(ctx.embed(texts))
            worst = docs[int(np.argmin(agreement))]
            start, end = ctx.row_span(k, worst)
            others = [ctx.span(d, *ctx.row_span(k, d)) for d in docs if d != worst]
            which = "and this one least" if len(docs) > 2 else "two versions: either may be the one that changed"
            yield ctx.finding(self, worst, start, end,
                              f"this sentence may say something else: the versions agree much less here than in "
                              f"the rest of the story (similarity {row.similarity:.2f}, usually {median:.2f}), {which}",
                              row=k, related=others)


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
