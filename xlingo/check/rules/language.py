"""XL4xx: text in the wrong language — left untranslated or copied from another version."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from wordfreq import available_languages

from xlingo.annotate import annotate
from xlingo.annotate.copies import OPTIONS as COPY_OPTIONS
from xlingo.annotate.copies import WORD as _WORD
from xlingo.annotate.copies import candidate_langs, content_sentences, is_plain_word
from xlingo.check.base import CheckContext, Rule, register
from xlingo.language import language_probabilities, normalised, primary_language, title_cased, zipf
from xlingo.model import Finding, Severity

__all__ = ["CopiedVerbatim", "WrongLanguage", "distinctive_words"]


@lru_cache(maxsize=1)
def _wordfreq_langs() -> frozenset[str]:
    return frozenset(available_languages())


@lru_cache(maxsize=1)
def _well_known_langs() -> frozenset[str]:
    """Languages with a large word list: text in one of them is told apart reliably, also when
    no version of the story is in it (a French sentence left in an English-Russian story)."""
    return frozenset(available_languages("large"))


def _zipf(word: str, lang: str) -> float:
    return zipf(word, lang) if lang in _wordfreq_langs() else 0.0


def distinctive_words(text: str, lang: str, other: str, gap: float = 1.5,
                      floor: float = 3.0) -> tuple[list[str], list[str]]:
    """The words of ``text`` common in ``lang`` but not ``other``, and the reverse (lower-cased).
    A word counts for a language when its Zipf frequency there is at least ``floor``
    and ``gap`` above the other language's: names, numbers and shared loans count for neither.
    """
    in_lang: list[str] = []
    in_other: list[str] = []
    for w in _WORD.findall(text):
        if not is_plain_word(w):
            continue
        w = w.lower()
        a, b = _zipf(w, lang), _zipf(w, other)
        if a >= floor and a - b >= gap:
            in_lang.append(w)
        elif b >= floor and b - a >= gap:
            in_other.append(w)
    return in_lang, in_other


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
    options = COPY_OPTIONS  # they tune the "copies" annotator
    requires = ("copies",)

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        annotate(ctx, self.requires, options={"copies": self.opts})
        for (doc_id, sid), copy in ctx.copies.items():
            doc, source = ctx.story.document(doc_id), ctx.story.document(copy.source)
            s = doc.sentence(sid)
            msg = (f"sentence identical to the {source.lang} version (`{source.id}`): "
                   f"not translated into {doc.lang}" if copy.certain else
                   f"sentence identical to its counterpart in `{source.id}`, in neither {doc.lang} nor {source.lang}")
            yield ctx.finding(self, doc, s.start, s.end, msg, row=copy.row,
                              related=[ctx.span(source, *ctx.row_span(copy.row, source))],
                              severity=None if copy.certain else Severity.INFO)


@register
class WrongLanguage(Rule):
    """Sentence written in another language than its version's.

    ## What it does
    Identifies the language of every sentence (py3langid over the story's languages,
    English and the context documents' languages, then over every language with a large word
    list, for text in a language no version is in; a headline in title case is read in lower
    case) and flags a sentence that is confidently
    in another language than its document. Short sentences and those made of names, numbers
    and acronyms are unreliable, so the rule also requires a minimum number of common words
    that belong to the other language and not to the document's (Zipf frequencies from
    wordfreq), and a clear majority of them; a short line (a headline of six words or more)
    needs fewer such words, none of the document's language and none that the other versions
    of the row also write (a title every version keeps is not left untranslated). A sentence
    in the language of another version of the story is most likely untranslated text;
    sentences XL402 reports as copies of another version are not repeated.

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
    options = {"min_prob": 0.9, "min_words": 5.0, "min_words_unshared": 3.0, "min_length_unshared": 6.0,
               "max_own_share": 0.25}
    requires = ("boilerplate", "copies")

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        annotate(ctx, self.requires)
        copied = {key for key, copy in ctx.copies.items() if copy.certain}  # XL402 reports those
        version_langs = {primary_language(d.lang): d for d in reversed(ctx.documents)}
        candidates = candidate_langs(ctx)
        wide = sorted({*candidates, *_well_known_langs()})
        for k, _ in ctx.content_rows():
            for doc in ctx.documents:
                own = primary_language(doc.lang)
                if own == "und":
                    continue
                others = " ".join(ctx.row_text(k, d) for d in ctx.documents if d.id != doc.id).lower()
                for s in content_sentences(ctx, k, doc):
                    if (doc.id, s.i) in copied:
                        continue
                    probs = language_probabilities(s.text)  # one identification, judged over both sets
                    found = self._foreign(s.text, own, normalised(probs, {*candidates, own}), others) \
                        or self._foreign(s.text, own, normalised(probs, {*wide, own}), others)
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

    def _foreign(self, text: str, own: str, probs: dict[str, float], others: str) -> tuple[str, float] | None:
        """The language ``text`` is confidently in by ``probs`` (over candidate languages, ``own``
        among them), when it is not ``own``. Short sentences (a
        headline of six words or more) need fewer words of that language, none of own's, and
        none that the other versions of the row (``others``, lower-cased) also write: a title
        kept in every version is not text left untranslated (nor, however long, is one in title
        case whose words the others all write)."""
        lang = max(sorted(probs), key=probs.__getitem__)
        if lang == own or probs[lang] < self.opts["min_prob"]:
            return None
        own_words, foreign = distinctive_words(text, own, lang)
        unshared = [w for w in foreign if not re.search(rf"(?<!\w){re.escape(w)}(?!\w)", others)]
        if len(foreign) >= self.opts["min_words"]:
            if len(own_words) > self.opts["max_own_share"] * len(foreign) or title_cased(text.split()) and not unshared:
                return None  # a title in title case that the other versions keep is a title
            return lang, probs[lang]
        if own_words or len(unshared) < self.opts["min_words_unshared"] or len(unshared) < len(foreign) \
                or len(_WORD.findall(text)) < self.opts["min_length_unshared"]:
            return None  # an interjection kept in English ("Thank you very much.") is a choice
        return lang, probs[lang]
