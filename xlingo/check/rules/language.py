"""XL4xx: text in the wrong language — left untranslated or copied from another version."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations

from wordfreq import available_languages

from xlingo.check.base import CheckContext, Rule, register
from xlingo.language import language_probabilities, zipf_frequency
from xlingo.model import Document, Finding, Sentence, Severity

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_TOKEN = re.compile(r"\w+")
COPIED_NOTE = "copied-verbatim"  # ctx.notes key: {(doc id, sentence id): source doc id}


def base_lang(lang: str) -> str:
    """``pt-BR`` -> ``pt``."""
    return re.split(r"[-_]", lang)[0].lower()


@lru_cache(maxsize=1)
def _wordfreq_langs() -> frozenset[str]:
    return frozenset(available_languages())


@lru_cache(maxsize=200_000)
def _zipf(word: str, lang: str) -> float:
    return zipf_frequency(word, lang) if lang in _wordfreq_langs() else 0.0


def _is_plain_word(word: str) -> bool:
    """An ordinary word: not an acronym (``UN``) nor a brand with inner capitals (``iPhone``)."""
    return not (len(word) > 1 and (word.isupper() or any(c.isupper() for c in word[1:])))


def distinctive_words(text: str, lang: str, other: str, gap: float = 1.5, floor: float = 3.0) -> tuple[int, int]:
    """How many words of ``text`` are common in ``lang`` but not ``other``, and the reverse.

    A word counts for a language when its Zipf frequency there is at least ``floor``
    and ``gap`` above the other language's: names, numbers and shared loans count for neither.
    """
    n_lang = n_other = 0
    for w in _WORD.findall(text):
        if not _is_plain_word(w):
            continue
        w = w.lower()
        a, b = _zipf(w, lang), _zipf(w, other)
        if a >= floor and a - b >= gap:
            n_lang += 1
        elif b >= floor and b - a >= gap:
            n_other += 1
    return n_lang, n_other


def lowercase_words(text: str) -> int:
    """Words that are neither names, acronyms nor codes (start lowercase, no inner capitals)."""
    return sum(1 for w in _WORD.findall(text) if w[0].islower() and _is_plain_word(w))


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def _sentences(ctx: CheckContext, k: int, doc: Document) -> list[Sentence]:
    return [s for s in ctx.row_sentences(k, doc) if (doc.id, s.i) not in ctx.boilerplate]


def _lang_name(code: str) -> str:
    try:
        from babel import Locale

        return Locale.parse(code).english_name or code
    except Exception:  # unknown or malformed code
        return code


@register
class CopiedVerbatim(Rule):
    """Sentence copied verbatim from a version in another language.

    ## What it does
    Compares each sentence with its counterparts in the other versions of the same
    row (case-folded, punctuation ignored) and flags a sentence that is identical or
    nearly identical to a counterpart in a different language. Language identification
    of the shared text tells which version holds the copy. Sentences made mostly of
    names, numbers and codes (a product list, a score line) are skipped: they read
    the same in every language.

    ## Why is this bad?
    A sentence pasted from the source (or another edition) instead of translated is
    unreadable for the edition's audience and usually marks a step the translation
    workflow skipped.

    ## Example
    ```
    fr: Le ministre a démissionné mardi soir.
    de: Le ministre a démissionné mardi soir.     <- the French text, untranslated
    ```

    ## Use instead
    ```
    de: Der Minister ist am Dienstagabend zurückgetreten.
    ```
    """

    code = "XL402"
    name = "copied-verbatim"
    severity = Severity.WARNING
    levels = {
        Severity.WARNING: "the copied sentence is in the other version's language",
        Severity.INFO: "the sentence is in neither version's language (both hold a copy of foreign text)",
    }
    summary = "A sentence identical to its counterpart in another language"
    options = {"min_ratio": 0.9, "min_words": 3.0, "min_word_share": 0.4, "lang_margin": 0.3}
    phase = 9  # before XL401, which leaves sentences flagged here alone

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        flagged: dict[tuple[str, int], tuple[int, str, Severity]] = {}

        def flag(doc: Document, sents: list[Sentence], k: int, source: Document, severity: Severity) -> None:
            for s in sents:
                old = flagged.get((doc.id, s.i))
                if old is None or old[2] < severity:
                    flagged[(doc.id, s.i)] = (k, source.id, severity)

        langs = _candidate_langs(ctx)
        margin = self.opts["lang_margin"]
        for k, _ in ctx.content_rows():
            docs = [d for d in ctx.documents if _sentences(ctx, k, d)]
            for a, b in combinations(docs, 2):
                la, lb = base_lang(a.lang), base_lang(b.lang)
                if la == lb:
                    continue
                for sa, sb in self._matches(_units(_sentences(ctx, k, a)), _units(_sentences(ctx, k, b))):
                    probs = language_probabilities(" ".join(s.text for s in sa), langs)
                    pa, pb = probs.get(la, 0.0), probs.get(lb, 0.0)
                    top = max(probs, key=probs.__getitem__)
                    if top == la and pa - pb >= margin:
                        flag(b, sb, k, a, self.severity)
                    elif top == lb and pb - pa >= margin:
                        flag(a, sa, k, b, self.severity)
                    else:  # the text is in neither language: both hold a copy of it
                        flag(a, sa, k, b, Severity.INFO)
                        flag(b, sb, k, a, Severity.INFO)
        # XL401 leaves the clear copies alone; text in neither language is still its to judge
        ctx.notes[COPIED_NOTE] = {key: src for key, (_, src, sev) in flagged.items() if sev == self.severity}
        for (doc_id, sid), (k, src, severity) in sorted(flagged.items(), key=lambda x: (x[1][0], x[0])):
            doc, source = ctx.story.document(doc_id), ctx.story.document(src)
            s = doc.sentence(sid)
            msg = (f"sentence identical to the {source.lang} version (`{source.id}`): "
                   f"not translated into {doc.lang}" if severity == self.severity else
                   f"sentence identical to its counterpart in `{source.id}`, in neither {doc.lang} nor {source.lang}")
            yield ctx.finding(self, doc, s.start, s.end, msg, row=k,
                              related=[ctx.span(source, *ctx.row_span(k, source))], severity=severity)

    def _matches(self, units_a: list[list[Sentence]], units_b: list[list[Sentence]]
                 ) -> Iterator[tuple[list[Sentence], list[Sentence]]]:
        """Pairs of units (a sentence or a whole cell) that are copies of each other."""
        for ua in units_a:
            text = " ".join(s.text for s in ua)
            n = lowercase_words(text)
            ta = _tokens(text)
            if n < self.opts["min_words"] or n < self.opts["min_word_share"] * len(ta):
                continue  # names, numbers and codes read the same everywhere
            for ub in units_b:
                if len(ua) > 1 and len(ub) > 1:
                    continue  # two whole cells: their sentences are compared one by one
                tb = _tokens(" ".join(s.text for s in ub))
                if SequenceMatcher(None, ta, tb, autojunk=False).ratio() >= self.opts["min_ratio"]:
                    yield ua, ub
                    break


def _candidate_langs(ctx: CheckContext) -> list[str]:
    """Languages a sentence of the story may be in: the versions', the context's and English."""
    return sorted({"en", *(base_lang(d.lang) for d in (*ctx.documents, *ctx.context_documents))} - {"und"})


def _units(sents: list[Sentence]) -> list[list[Sentence]]:
    """Each sentence of a cell alone, then the whole cell when it holds several."""
    return [[s] for s in sents] + ([sents] if len(sents) > 1 else [])


@register
class WrongLanguage(Rule):
    """Sentence written in another language than its version's.

    ## What it does
    Identifies the language of every sentence (py3langid over the story's languages,
    English and the context documents' languages) and flags a sentence that is
    confidently in another language than its document. Short sentences and those made
    of names, numbers and acronyms are unreliable, so the rule also requires a minimum
    number of common words that belong to the other language and not to the
    document's (Zipf frequencies from wordfreq), and a clear majority of them. A
    sentence in the language of another version of the story is most likely
    untranslated text; sentences XL402 reports as copies of another version are
    not repeated.

    ## Why is this bad?
    Text left in the source language (or in a pivot language such as English) is
    lost on the edition's readers and often signals a failed or skipped translation.

    ## Example
    ```
    pt: O governo anunciou novas medidas. The measures take effect on Monday.
    es: El gobierno anunció nuevas medidas. Las medidas entran en vigor el lunes.
    ```

    ## Use instead
    ```
    pt: O governo anunciou novas medidas. As medidas entram em vigor na segunda-feira.
    ```
    """

    code = "XL401"
    name = "wrong-language"
    severity = Severity.WARNING
    summary = "A sentence confidently in another language than its version"
    options = {"min_prob": 0.9, "min_words": 5.0, "max_own_share": 0.25}

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        copied = ctx.notes.get(COPIED_NOTE, {})
        version_langs = {base_lang(d.lang): d for d in reversed(ctx.documents)}
        candidates = _candidate_langs(ctx)
        for k, _ in ctx.content_rows():
            for doc in ctx.documents:
                own = base_lang(doc.lang)
                if own == "und":
                    continue
                for s in _sentences(ctx, k, doc):
                    if (doc.id, s.i) in copied:
                        continue
                    found = self._foreign(s.text, own, candidates)
                    if found is None:
                        continue
                    lang, _ = found
                    source = version_langs.get(lang)
                    related = []
                    where = ""
                    if source is not None and source.id != doc.id:
                        where = f", the language of version `{source.id}`: left untranslated?"
                        span = ctx.row_span(k, source)
                        related = [ctx.span(source, *span)] if span else []
                    yield ctx.finding(
                        self, doc, s.start, s.end,
                        f"this sentence is in {_lang_name(lang)}, not {_lang_name(own)}{where}",
                        row=k, related=related)

    def _foreign(self, text: str, own: str, candidates: list[str]) -> tuple[str, float] | None:
        """The language ``text`` is confidently in, when it is not ``own``."""
        cands = sorted({*candidates, own})
        probs = language_probabilities(text, cands)
        lang = max(cands, key=lambda c: probs[c])
        if lang == own or probs[lang] < self.opts["min_prob"]:
            return None
        n_own, n_foreign = distinctive_words(text, own, lang)
        if n_foreign < self.opts["min_words"] or n_own > self.opts["max_own_share"] * n_foreign:
            return None
        return lang, probs[lang]
