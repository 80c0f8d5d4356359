"""Stage 2, segment: split each document into sentences with character offsets.

Sentence boundaries come from sentencex (rule-based, ~300 languages); every
paragraph break is a boundary too, and an ordinal's dot is none (:func:`_ordinals_joined`).
With ``presplit`` each non-empty line is one sentence (blank lines are skipped).
Sentence ids are always positions in ``doc.sentences``, which every later stage
indexes by; findings point at ``file:line:col`` through their character offsets.

Words of scripts written without spaces (Chinese, Japanese, Thai) are found by
:func:`word_units`: jieba for Chinese, MeCab for Japanese (both from ``wordfreq[cjk]``),
PyThaiNLP for Thai, one unit per character for Han and kana when a tokenizer is missing.

Budgets keep every later stage fast on hostile input: sentencex is fed pieces of
at most :data:`PARAGRAPH_CHUNK` characters (it is quadratic in the number of
sentences of one call for some scripts), and a sentence longer than
:data:`MAX_SENTENCE_CHARS` (a one-line file, a script without sentence marks) is
split at whitespace or punctuation, with a warning. A document of more than
:data:`MAX_SENTENCES` sentences is refused (:class:`InputError`): ``diff`` stops with that one
line, ``check`` skips the document with a warning.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from functools import lru_cache

import sentencex

from xlingo.errors import InputError, one_line
from xlingo.language import primary_language
from xlingo.model import Document, Sentence

log = logging.getLogger("xlingo.segment")

MAX_SENTENCE_CHARS = 1000
MAX_SENTENCES = 2000  # a story, not a book: alignment and several rules compare sentences pairwise
PARAGRAPH_CHUNK = 4000
# Where a piece may end, best first: after a sentence end (or, for an overlong sentence, a
# clause mark) and a space, after a space, anywhere.
_SENTENCE_END = re.compile(r"[.!?…]\s+|[。！？]")
_CLAUSE_MARK = re.compile(r"[.!?…;:,]\s+|[。！？；：，、]")
_SPACE = re.compile(r"\s+")


_HAN_KANA = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3005\u3006"
SPACELESS_RUN = re.compile(f"(?P<cjk>[{_HAN_KANA}]+)|(?P<thai>[\u0e00-\u0e7f]+)")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff]")


def word_units(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``[start, end)`` (one space-delimited word) as word spans: unchanged unless it holds
    Chinese, Japanese or Thai, whose runs are split into words and apart from other scripts
    (``英伟达H20芯片`` -> ``英伟达`` | ``H20`` | ``芯片``)."""
    end = len(text) if end is None else end
    if not SPACELESS_RUN.search(text, start, end):
        return [(start, end)]
    out: list[tuple[int, int]] = []
    pos = start
    for m in SPACELESS_RUN.finditer(text, start, end):
        if m.start() > pos:
            out.append((pos, m.start()))
        out += [(m.start() + a, m.start() + b) for a, b in _run_words(m.group(), "thai" if m["thai"] else "cjk")]
        pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


@lru_cache(maxsize=65536)
def _run_words(run: str, script: str) -> tuple[tuple[int, int], ...]:
    """Word offsets inside a run of one spaceless script."""
    words = _tokenize_run(run, script)
    if words is None:  # no tokenizer: characters for Han and kana, the whole run for Thai
        return tuple((k, k + 1) for k in range(len(run))) if script == "cjk" else ((0, len(run)),)
    out, pos = [], 0
    for w in words:
        k = run.find(w, pos)
        if not w or k < 0:
            return ((0, len(run)),)
        out.append((k, k + len(w)))
        pos = k + len(w)
    return tuple(out)


def _tokenize_run(run: str, script: str) -> list[str] | None:
    try:
        if script == "thai":
            from pythainlp.tokenize import word_tokenize

            return [w for w in word_tokenize(run, engine="newmm", keep_whitespace=False) if w.strip()]
        if _KANA.search(run):
            from wordfreq.mecab import mecab_tokenize

            return mecab_tokenize(run, "ja")
        import jieba

        jieba.setLogLevel(logging.WARNING)
        return [w for w, _, _ in jieba.tokenize(run, HMM=False)]
    except ImportError as exc:
        _warn_no_tokenizer(script, exc.name or str(exc))
        return None


@lru_cache(maxsize=None)
def _warn_no_tokenizer(script: str, module: str) -> None:
    log.warning("no word tokenizer for %s text (%s missing): %s", "Thai" if script == "thai" else "Chinese/Japanese",
                module, "runs kept whole" if script == "thai" else "one unit per character")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink ``[start, end)`` to exclude surrounding whitespace; None if blank."""
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return None
    lead = len(chunk) - len(chunk.lstrip())
    return start + lead, start + lead + len(stripped)


def _cut(text: str, start: int, end: int, limit: int, marks: re.Pattern[str]) -> int:
    """Where a piece of ``text[start:end]`` of at most ``limit`` characters should end."""
    if end - start <= limit:
        return end
    lo, hi = start + limit // 2, start + limit
    for pattern in (marks, _SPACE):
        last = None
        for m in pattern.finditer(text, lo, hi):
            last = m
        if last is not None:
            return last.end()
    return hi


def pieces(text: str, start: int, end: int, limit: int,
           marks: re.Pattern[str] = _CLAUSE_MARK) -> Iterator[tuple[int, int]]:
    """``[start, end)`` cut into consecutive pieces of at most ``limit`` characters, preferably
    after one of ``marks``, else at a space."""
    while start < end:
        cut = _cut(text, start, end, limit, marks)
        yield start, cut
        start = cut


_ORDINAL_END = re.compile(r"(?:^|\s)(\w+)\s+\d{1,4}\.\s*$|\d\.\s*$")
# German capitalises the noun an ordinal counts (``in der 28. Minute``): after an article or a
# preposition fused with one, a number's dot ends no sentence
_ORDINAL_ARTICLES = {"de": frozenset("der die das dem den des am im zum zur vom beim ins ans aufs".split())}


def _ordinals_joined(text: str, offset: int, bounds: list[dict], lang: str) -> list[tuple[int, int]]:
    """sentencex's boundaries (relative to ``offset``) as spans of ``text``, a piece that ends with a
    number's dot joined to the next where that one begins in lower case (Polish ``w 28. minucie``:
    a sentence of a cased script begins with a capital), or, in German, where an article stands
    before the number (``in der 28. Minute``): an ordinal."""
    articles = _ORDINAL_ARTICLES.get(lang, frozenset())
    spans: list[tuple[int, int]] = []
    for b in bounds:
        s, e = offset + b["start_index"], offset + b["end_index"]
        first = text[s:e].lstrip()[:1]
        end = _ORDINAL_END.search(text[slice(*spans[-1])]) if spans and (
            first.islower() or articles and first.isupper()) else None
        if end and (first.islower() or (end.group(1) or "").casefold() in articles):
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


def split_sentences(text: str, lang: str, *, name: str = "text") -> list[tuple[int, int]]:
    """Sentence spans of ``text``: paragraphs first, then sentencex inside each."""
    spans: list[tuple[int, int]] = []
    code = primary_language(lang)
    long_sentences = 0
    pos = 0
    for para in text.split("\n"):
        if para.strip():
            for c0, c1 in pieces(text, pos, pos + len(para), PARAGRAPH_CHUNK, _SENTENCE_END):
                for b0, b1 in _ordinals_joined(text, c0, sentencex.get_sentence_boundaries(code, text[c0:c1]), code):
                    span = _trimmed(text, b0, b1)
                    if span is None:
                        continue
                    if span[1] - span[0] > MAX_SENTENCE_CHARS:
                        long_sentences += 1
                        spans += [p for s, e in pieces(text, *span, MAX_SENTENCE_CHARS)
                                  if (p := _trimmed(text, s, e))]
                    else:
                        spans.append(span)
        pos += len(para) + 1
    if long_sentences:
        log.warning("%s: %d sentence(s) over %d characters split at spaces or punctuation", one_line(name),
                    long_sentences, MAX_SENTENCE_CHARS)
    return spans


def split_lines(text: str) -> list[tuple[int, int] | None]:
    """One span per line (None for blank lines), for pre-segmented input."""
    spans: list[tuple[int, int] | None] = []
    pos = 0
    for line in text.split("\n"):
        spans.append(_trimmed(text, pos, pos + len(line)))
        pos += len(line) + 1
    if spans and spans[-1] is None and text.endswith("\n"):
        spans.pop()
    return spans


def segment(doc: Document, presplit: bool = False) -> Document:
    """Fill ``doc.sentences`` in place and return the document."""
    if presplit:
        lines = split_lines(doc.text)
        long_lines = [i + 1 for i, span in enumerate(lines) if span and span[1] - span[0] > MAX_SENTENCE_CHARS]
        if long_lines:
            log.warning("%s: line(s) %s over %d characters skipped (--presplit: one sentence per line)", one_line(doc.path),
                        ", ".join(map(str, long_lines[:5])) + (" ..." if len(long_lines) > 5 else ""),
                        MAX_SENTENCE_CHARS)
        kept = [span for span in lines if span is not None and span[1] - span[0] <= MAX_SENTENCE_CHARS]
        doc.sentences = [Sentence(i, s, e, doc.text[s:e]) for i, (s, e) in enumerate(kept)]
    else:
        spans = split_sentences(doc.text, doc.lang, name=doc.path)
        doc.sentences = [Sentence(i, s, e, doc.text[s:e]) for i, (s, e) in enumerate(spans)]
    if len(doc.sentences) > MAX_SENTENCES:
        n = len(doc.sentences)
        doc.sentences = []
        raise InputError(f"{doc.path}: too long to check: {n:,} sentences (at most {MAX_SENTENCES:,} per "
                         "document; xlingo compares news stories, split longer texts)")
    return doc
