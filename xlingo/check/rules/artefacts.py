"""XL5xx: machine-translation artefacts and typography — hyphens, doubled words, brackets, acronyms."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from xlingo.check.base import CheckContext, Rule, register
from xlingo.language import primary_language, zipf
from xlingo.model import Document, Finding, Severity
from xlingo.names import initials

_ALPHA = r"[^\W\d_]"
_WORD = re.compile(r"\w+")


def _cells(ctx: CheckContext) -> Iterator[tuple[int, dict[str, tuple[int, int]]]]:
    """Content rows as ``{doc id: (start, end)}`` of their non-boilerplate cells."""
    for k, row in ctx.content_rows():
        spans = {}
        for doc in ctx.documents:
            ids = [i for i in row.cells.get(doc.id, ()) if (doc.id, i) not in ctx.boilerplate]
            if ids:
                spans[doc.id] = (doc.sentence(ids[0]).start, doc.sentence(ids[-1]).end)
        if spans:
            yield k, spans


def _row_of(ctx: CheckContext) -> dict[tuple[str, int], int]:
    """(doc id, sentence id) -> content row, for every sentence that is not boilerplate."""
    return {(d, i): k for k, row in ctx.content_rows() for d, ids in row.cells.items() for i in ids
            if (d, i) not in ctx.boilerplate}


def _locate(doc: Document, starts: list[int], pos: int, rows: dict[tuple[str, int], int]) -> int | None:
    """The content row of the sentence holding the character at ``pos`` (None when unaligned);
    ``starts`` are the sentences' start offsets."""
    n = bisect_right(starts, pos) - 1
    return rows.get((doc.id, doc.sentences[n].i)) if n >= 0 and pos < doc.sentences[n].end else None


def _mostly_upper(text: str) -> bool:
    """A headline or label set in capitals: acronym casing means nothing there."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 8 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def _related(ctx: CheckContext, spans: dict[str, tuple[int, int]], doc_id: str) -> list:
    return [ctx.span(d, *se) for d, se in spans.items() if d != doc_id]


# --- XL501 -----------------------------------------------------------------------------------

_SPACED_HYPHEN = re.compile(rf"(?<!\w)(?P<left>\w+)[ \u00a0\u202f](?P<hyphen>[-\u2010\u2011])(?P<right>{_ALPHA}\w*|\d\w*)")
# Words before which a hyphen legitimately attaches to the next word (German/Dutch/Nordic
# suspended compounds: "Textilindustrie und -handel", "wateraanvoer en -afvoer",
# "bilproduktion och -försäljning").
_SUSPENSION_WORDS = {
    "de": {"und", "oder", "sowie", "bzw", "beziehungsweise", "noch", "als", "wie", "bis"},
    "nl": {"en", "of", "tot"},
    "da": {"og", "eller"}, "nb": {"og", "eller"}, "no": {"og", "eller"}, "sv": {"och", "eller", "samt"},
}
# Enclitic pronouns joined by a hyphen in the languages that write them so ("dá-se", "dit-il").
_CLITICS = {
    "pt": {"se", "me", "te", "lhe", "lhes", "o", "a", "os", "as", "lo", "la", "los", "las", "no", "na",
           "nos", "nas", "vos"},
    "fr": {"il", "elle", "ils", "elles", "on", "je", "tu", "nous", "vous", "t", "moi", "toi", "le", "la",
           "les", "lui", "leur", "y", "en", "ce", "être"},
}
_DASH_CHARS = "-\u2013\u2014"
# a dash with space (or the text's edge) on both sides; its position is the dash's
_OPEN_DASH = re.compile(r"(?:(?<=\s)|(?<![\s\S]))[-\u2013\u2014](?=\s|$)")
_SENTENCE_END = re.compile(r"[.!?\n]")


@register
class SpaceBeforeHyphen(Rule):
    """Space inserted before the hyphen of a compound.

    ## What it does
    Finds ``word -word`` where a hyphen attaches to the following word but is
    separated from the preceding one, as machine translation often leaves
    compounds: ``E -Mail``, ``EU -Kommission``, ``dá -se``. It flags the spot when the
    compound is attested: the joined form (``E-Mail`` or ``EMail``) appears in the
    document, another version or a context document, or wordfreq knows the closed
    compound; or the first part is an acronym or a single letter; or the second part
    is an enclitic pronoun (Portuguese, French). Dashes used as punctuation
    (`` - `` or en/em dashes), ranges and negative numbers, the closing dash of a
    parenthetical ``- … -word`` and suspended compounds (German
    ``Ein- und -ausfuhr``, ``Industrie und -handel``) are left alone.

    ## Why is this bad?
    A broken compound looks sloppy, breaks search and hyphenation, and is a telltale
    of unedited machine output.

    ## Example
    ```
    de: Schicken Sie uns eine E -Mail zur Antwort der EU -Kommission.
    pt: Dá -se prioridade às obras urgentes.
    ```

    ## Use instead
    ```
    de: Schicken Sie uns eine E-Mail zur Antwort der EU-Kommission.
    pt: Dá-se prioridade às obras urgentes.
    ```
    """

    code = "XL501"
    name = "space-before-hyphen"
    severity = Severity.WARNING
    summary = "A compound split by a space before its hyphen (E -Mail)"
    options = {"min_joined_zipf": 1.5}

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        # every lookup below is a set or a bisection: linear in the story's size, whatever the input
        vocab = {d.id: _Vocabulary(d.text) for d in (*ctx.documents, *ctx.context_documents)}
        corpus = _Vocabulary.union(vocab.values())
        dashes = {d.id: _Dashes(d.text) for d in ctx.documents}
        for k, spans in _cells(ctx):
            for doc_id, (start, end) in spans.items():
                doc = ctx.story.document(doc_id)
                lang = primary_language(doc.lang)
                for m in _SPACED_HYPHEN.finditer(doc.text, start, end):
                    left, right = m["left"], m["right"]
                    joined = f"{left}-{right}".casefold()
                    seen = joined in corpus.pairs or f"{left}{right}".casefold() in corpus.words
                    if not (seen or self._compound(dashes[doc_id], m, lang)):
                        continue
                    a, b = m.start(), m.end()
                    others = [d for d in ctx.documents if d.id != doc_id and joined in vocab[d.id].pairs]
                    where = f"; `{left}-{right}` in " + ", ".join(d.id for d in others) if others else ""
                    yield ctx.finding(self, doc, a, b, f"space before the hyphen in `{doc.text[a:b]}`{where}",
                                      row=k, related=_related(ctx, spans, doc_id),
                                      suggestion=f"{left}{m['hyphen']}{right}")

    def _compound(self, dashes: _Dashes, m: re.Match, lang: str) -> bool:
        """Whether ``left -right`` is a compound (not a dash, range or suspended compound)."""
        left, right = m["left"], m["right"]
        if right[0].isdigit() or left.casefold() in _SUSPENSION_WORDS.get(lang, ()):
            return False
        if dashes.open_before(m.start()):
            return False  # closing dash of a parenthetical "- ... -word"
        if left.isupper() or len(left) == 1:  # E -Mail, EU -Kommission, CO2 -Steuer
            return True
        if right.casefold() in _CLITICS.get(lang, ()):
            return True
        return zipf(f"{left}{right}".casefold(), lang) >= self.opts["min_joined_zipf"]


class _Vocabulary:
    """The case-folded words of a text and its hyphenated pairs (``e-mail`` in ``die e-mail-adresse``)."""

    def __init__(self, text: str = "") -> None:
        self.words: set[str] = set()
        self.pairs: set[str] = set()
        prev = None
        for m in _WORD.finditer(text.casefold()):
            self.words.add(m.group())
            if prev is not None and prev.end() + 1 == m.start() and m.string[prev.end()] == "-":
                self.pairs.add(f"{prev.group()}-{m.group()}")
            prev = m

    @classmethod
    def union(cls, parts) -> _Vocabulary:
        out = cls()
        for p in parts:
            out.words |= p.words
            out.pairs |= p.pairs
        return out


class _Dashes:
    """Sentence ends and free-standing dashes of a text, for "is a dash open before here" queries."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ends = [m.start() for m in _SENTENCE_END.finditer(text)]
        self.open = [m.start() for m in _OPEN_DASH.finditer(text)]

    def open_before(self, pos: int) -> bool:
        """A dash with space on both sides (or at the start) between the sentence start and ``pos``."""
        n = bisect_left(self.ends, pos)
        lo = self.ends[n - 1] + 1 if n else 0
        k = bisect_left(self.open, lo)
        if k < len(self.open) and self.open[k] < pos - 1:
            return True
        p = pos - 1  # a dash right before the word: "- x -word"
        return p >= lo and self.text[p] in _DASH_CHARS and (p == 0 or self.text[p - 1].isspace())


# --- XL502 -----------------------------------------------------------------------------------

# Grammatical doubles: relative pronoun + article (de "die die", nl "dat dat"), reflexives
# (fr "nous nous"), conjunction + reflexive (pt "se se"), "that that" / "had had" (en), the
# pronoun "them" + the negation (pl "na nie nie spojrzał": he did not look at them).
_LEGIT_DOUBLES = {
    "de": {"der", "die", "das", "den", "dem", "sie", "es", "ihr"},
    "nl": {"dat", "die"},
    "en": {"that", "had"},
    "fr": {"nous", "vous"},
    "pt": {"se", "do", "da", "dos", "das"},  # "diferente do do ano passado": preposition + the one of
    "pl": {"nie"},
}
_LAUGHTER = re.compile(r"(?i)h[aeiou]|[aeiou]h")  # "ha ha", "hi hi", "ah ah": a laugh, in any Latin script
# a word right after a hyphen ends a compound (Jae-in in): not the first of a pair
_DOUBLED = re.compile(rf"(?<![\w\-‐])(?P<w>{_ALPHA}+)(?P<gap>[ \u00a0]+)(?P<v>{_ALPHA}+)(?!\w)")
_LETTER_NAME = re.compile(rf"{_ALPHA}{{1,2}}")


def _doubles(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match]:
    pos, end = start, len(text) if end is None else end
    while True:
        m = _DOUBLED.search(text, pos, end)
        if m is None:
            return
        if m["w"].casefold() == m["v"].casefold():
            yield m
        pos = m.start("v")


def _spelled_acronym(text: str, m: re.Match) -> bool:
    """A short word doubled next to another short word: letter names spelling an acronym out
    (Arabic ``سي إن إن`` for CNN, ``بي بي سي`` for BBC)."""
    if len(m["w"]) > 2:
        return False
    before = text[max(0, m.start() - 4):m.start()].split()
    after = text[m.end():m.end() + 4].split()
    return any(_LETTER_NAME.fullmatch(w.strip(".,;:")) for w in before[-1:] + after[:1])


@register
class DoubledWord(Rule):
    """The same word twice in a row.

    ## What it does
    Flags a word repeated with only spaces between (``the the``, ``de de``). Repeats
    that the grammar produces are allowed per language: German relative pronoun plus
    article (``die die``, ``das das``), Dutch ``dat dat``, French reflexives
    (``nous nous``, ``vous vous``), Portuguese ``se se`` and ``do do``, English ``that that``
    and ``had had``, Polish ``nie nie`` (*them* and *not*); so are laughter (``ha ha``),
    letter names spelling an acronym out (Arabic ``سي إن إن``) and a word after a hyphen
    (``Jae-in in``). Repeats separated by punctuation
    (``die, die``) never match.
    Capitalised repeats inside a sentence are names (``Bora Bora``), and a repeat is
    accepted when another version of the row repeats a word too (deliberate
    emphasis carried over).

    ## Why is this bad?
    Doubled words are typing or machine-translation slips that a reader notices at once.

    ## Example
    ```
    en: The the committee will meet again in May.
    it: Il comitato si riunirà di di nuovo a maggio.
    ```

    ## Use instead
    ```
    en: The committee will meet again in May.
    it: Il comitato si riunirà di nuovo a maggio.
    ```
    """

    code = "XL502"
    name = "doubled-word"
    severity = Severity.WARNING
    summary = "The same word twice in a row (the the)"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for k, spans in _cells(ctx):
            hits = {}
            for doc_id, (start, end) in spans.items():
                doc = ctx.story.document(doc_id)
                legit = _LEGIT_DOUBLES.get(primary_language(doc.lang), set())
                hits[doc_id] = [m for m in _doubles(doc.text, start, end)
                                if m["w"].casefold() not in legit and not self._name(doc, m)
                                and not _LAUGHTER.fullmatch(m["w"]) and not _spelled_acronym(doc.text, m)]
            for doc_id, found in hits.items():
                if any(h for d, h in hits.items() if d != doc_id):
                    continue  # every version repeats something: emphasis, not a slip
                doc = ctx.story.document(doc_id)
                for m in found:
                    yield ctx.finding(self, doc, m.start(), m.end(), f"doubled word `{doc.text[m.start():m.end()]}`",
                                      row=k, related=_related(ctx, spans, doc_id), suggestion=m["w"])

    @staticmethod
    def _name(doc: Document, m: re.Match) -> bool:
        """Both parts capitalised, the first not opening a sentence: a name such as ``Bora Bora``."""
        if not (m["w"][0].isupper() and m["v"][0].isupper()):
            return False
        before = doc.text[max(0, m.start() - 200):m.start()].rstrip()
        return not (not before or before[-1] in ".!?:\"“”„«»")


# --- XL503 -----------------------------------------------------------------------------------

_BRACKETS = {")": "(", "]": "[", "}": "{"}
# quote mark -> the openers it can close (German „…“ ‚…‘, English “…” ‘…’, French « », Nordic » «, ” ”;
# a closing quote typed with the opening glyph, “…“, as Chinese and Japanese input methods often leave it)
_QUOTE_CLOSES = {
    "“": "„“\"", "”": "„“”\"", "‘": "‚", "’": "‘‚", "»": "«", "«": "»", "›": "‹", "‹": "›", '"': '"“„”',
    "」": "「", "』": "『",
}
_QUOTE_OPENS = set("„‚“”«»‹›\"「『‘")
_FAMILY = {**{c: "bracket" for c in "()[]{}"}, **{c: "quote" for c in "„‚“”‘’«»‹›\"「」『』"}}
_ENUMERATOR = re.compile(r"(?:^|[\s(])(?:\w{1,3})\s?$")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;…])\s*$")


@dataclass(frozen=True)
class Unmatched:
    """A bracket or quote mark with no partner in its paragraph."""

    pos: int
    mark: str
    opening: bool
    partner: str = ""  # the closing mark that did not fit, for a mismatched pair
    maybe: bool = False  # ``’`` after punctuation with nothing open: a closing quote only if one is open before

    @property
    def family(self) -> str:
        return _FAMILY[self.mark]


def unmatched_marks(text: str) -> list[Unmatched]:
    """Brackets and quotes of ``text`` without a partner, paragraph by paragraph.

    Quotes follow every convention at once („…“ ‚…‘ “…” ‘…’ «…» »…« ”…”, and ``‘`` closed by
    ``‘`` or ``'`` after a word); ``’`` between letters is an apostrophe, ``"`` after a digit an
    inch mark (unless it closes a quoted number: ``"007"``), ``x)`` an enumerator.
    Quotes left open at the end of a paragraph whose successor opens with a quote mark
    continue there (multi-paragraph quotations). A quote mark ending the first paragraph with
    nothing open closes a quotation opened before the text (an excerpt that begins inside one:
    ``… irgendwas.“``): it only balances an opener of a later paragraph, as a ``’`` after
    punctuation does.
    """
    out: list[Unmatched] = []
    paragraphs = []
    pos = 0
    for para in text.split("\n"):
        paragraphs.append((pos, para))
        pos += len(para) + 1
    first = next((n for n, (_, para) in enumerate(paragraphs) if para.strip()), 0)
    for n, (base, para) in enumerate(paragraphs):
        stack: list[Unmatched] = []
        for i, c in enumerate(para):
            if c not in _FAMILY and c != "'":
                continue
            prev, nxt = para[i - 1] if i else " ", para[i + 1] if i + 1 < len(para) else " "
            if c in "'‘" and not prev.isspace() and not nxt.isalnum() and stack and stack[-1].mark == "‘":
                stack.pop()  # ‘…‘ or ‘…': the opening quote's glyph, or a straight one, typed to close it
                continue
            if c == "'":
                if prev in ".,;:!?…" and not nxt.isalnum():  # ‘… / …,' zei hij: a straight quote typed to close
                    out.append(Unmatched(base + i, "’", opening=False, maybe=True))  # a quote opened paragraphs before?
                continue
            here = Unmatched(base + i, c, opening=False)
            if c in "([{":
                if not (c == "(" and prev in ":;"):  # not an emoticon
                    stack.append(Unmatched(base + i, c, opening=True))
            elif c in _BRACKETS:
                if _close(stack, _BRACKETS[c], out):
                    continue
                inner = [j for j, m in enumerate(stack) if m.family == "bracket"]
                if inner:  # "{ … )": one mismatched pair, reported at its opener
                    out.append(Unmatched(stack[inner[-1]].pos, stack[inner[-1]].mark, True, partner=c))
                    del stack[inner[-1]]
                elif not (c == ")" and (_ENUMERATOR.search(para, 0, i) or prev in ":;")):
                    out.append(here)
            elif c == '"' and prev.isdigit() and not _quoted_number(para, i, base, stack):
                continue  # inch mark
            elif c == "’" and (prev.isalpha() and nxt.isalpha() or not any(m.mark in "‘‚" for m in stack)):
                if prev in ".,;:!?…" and not nxt.isalnum():  # tonen,’ zei hij: a quote opened paragraphs before?
                    out.append(Unmatched(base + i, c, opening=False, maybe=True))
                continue  # else an apostrophe
            elif c == "‘" and not (stack and stack[-1].mark == "‚") and (prev.isalnum() or nxt.isdigit()
                                                                        or nxt.isspace()):
                continue  # apostrophe typed as an opening quote ('90s, O‘Neill)
            elif c in _QUOTE_CLOSES and _close(stack, _QUOTE_CLOSES[c], out):
                continue
            elif c in _QUOTE_CLOSES and n == first and _EDGE_AFTER.match(para[i + 1:]):
                # the first paragraph ends a quotation it never opened: the text begins inside one
                out.append(Unmatched(base + i, c, opening=False, maybe=True))
            elif c in _QUOTE_OPENS:
                if any(m.mark == c for m in stack) and _SENTENCE_END.search(para, 0, i):
                    continue  # « at the start of each quoted paragraph or sentence: the quote goes on
                stack.append(Unmatched(base + i, c, opening=True))
            else:
                out.append(here)
        nxt_para = paragraphs[n + 1][1].lstrip() if n + 1 < len(paragraphs) else ""
        if nxt_para[:1] in _QUOTE_OPENS or nxt_para[:1] in _QUOTE_CLOSES:
            stack = [m for m in stack if m.family != "quote"]
        out.extend(stack)
    marks = _across_paragraphs(sorted(out, key=lambda m: m.pos), [b for b, _ in paragraphs])
    return _quotation_edges([m for m in marks if not m.maybe], paragraphs)


def _quoted_number(para: str, i: int, base: int, stack: list[Unmatched]) -> bool:
    """The ``"`` at ``i`` closes a quotation of a number alone (``"007"``): the quote left open
    last stands right before its digits, so it is no inch mark."""
    j = i - 1
    while j >= 0 and (para[j].isdigit() or para[j] in ".,"):
        j -= 1
    return j >= 0 and para[j] == '"' and bool(stack) and stack[-1].mark == '"' and stack[-1].pos == base + j


def _across_paragraphs(marks: list[Unmatched], starts: list[int], reach: int = 8) -> list[Unmatched]:
    """Drop a quote left open at a paragraph's end with the unmatched closing quote of one of
    the next ``reach`` paragraphs (or a ``’`` or straight ``'`` after punctuation there): one
    quotation over several paragraphs (« … / … », ‘… / …,’ zei hij, ‘… / …')."""
    para = {m.pos: sum(1 for b in starts if b <= m.pos) for m in marks}
    dropped: set[int] = set()
    for i, o in enumerate(marks):
        if o.family != "quote" or not o.opening or o.partner or o.pos in dropped:
            continue
        for c in marks[i + 1:]:
            if c.pos in dropped or c.family != "quote" or para[c.pos] == para[o.pos] \
                    or c.maybe and o.mark not in _QUOTE_CLOSES[c.mark]:
                continue
            if para[c.pos] - para[o.pos] <= reach and o.mark in _QUOTE_CLOSES.get(c.mark, ""):
                dropped |= {o.pos, c.pos}
            break
    return [m for m in marks if m.pos not in dropped]


_EDGE_AFTER = re.compile(r"^[\s.,;:!?…)\]]*$")


def _quotation_edges(marks: list[Unmatched], paragraphs: list[tuple[int, str]], reach: int = 8) -> list[Unmatched]:
    """A quotation over several paragraphs opens at the start of one paragraph and closes at
    the end of a later one, each paragraph between re-opening it or not (conventions differ):
    a quote mark left alone at a paragraph's start or end is balanced when a paragraph within
    ``reach`` ends or starts (respectively) with a quote mark."""
    starts = [b for b, _ in paragraphs]
    opens_para = [p.lstrip()[:1] in _FAMILY and _FAMILY[p.lstrip()[:1]] == "quote" for _, p in paragraphs]
    closes_para = [p.rstrip(" .,;:!?…")[-1:] in _FAMILY and _FAMILY[p.rstrip(" .,;:!?…")[-1:]] == "quote"
                   for _, p in paragraphs]

    def keep(m: Unmatched) -> bool:
        if m.family != "quote":
            return True
        n = sum(1 for b in starts if b <= m.pos) - 1
        base, para = paragraphs[n]
        at_start = not para[:m.pos - base].strip()
        at_end = bool(_EDGE_AFTER.match(para[m.pos - base + 1:]))
        if at_end and any(opens_para[max(0, n - reach):n]):
            return False
        return not (at_start and any(closes_para[n + 1:n + 1 + reach]))

    return [m for m in marks if keep(m)]


def _close(stack: list[Unmatched], openers: str, out: list[Unmatched]) -> bool:
    """Pop the nearest opener in ``openers``; openers of its family above it are unmatched.

    Openers of the other family stay open: ``( « ) »`` interleaves, but balances.
    """
    for j in range(len(stack) - 1, -1, -1):
        m = stack[j]
        if m.mark in openers:
            above = stack[j + 1:]
            out.extend(x for x in above if x.family == m.family)
            stack[j:] = [x for x in above if x.family != m.family]
            return True
    return False


@register
class UnbalancedBrackets(Rule):
    """Unbalanced parentheses, brackets or quotation marks.

    ## What it does
    Pairs brackets and quotation marks through each paragraph, in every language's
    conventions at once (German „…“ and »…«, French « … », English “…” and ‘…’,
    straight quotes), telling apostrophes, inch marks and list enumerators (``a)``)
    apart, and letting a quotation run over several sentences or paragraphs (a text whose
    first paragraph closes a quotation it never opened begins inside one: an excerpt). An
    unmatched mark is flagged in its row when the other versions of that row are
    balanced in the same family (brackets or quotes); when every version shows the
    same gap, it comes from the source and is left alone.

    ## Why is this bad?
    A lost closing quote or parenthesis changes what is attributed to whom, and
    marks a cut-and-paste or machine-translation slip.

    ## Example
    ```
    fr: Le ministre a parlé d'une « réforme historique.
    de: Der Minister sprach von einer „historischen Reform“.
    ```

    ## Use instead
    ```
    fr: Le ministre a parlé d'une « réforme historique ».
    ```
    """

    code = "XL503"
    name = "unbalanced-brackets"
    severity = Severity.WARNING
    summary = "A parenthesis, bracket or quotation mark without its partner"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        rows = _row_of(ctx)
        by_row: dict[int, dict[str, list[Unmatched]]] = defaultdict(lambda: defaultdict(list))
        for doc in ctx.documents:
            starts = [s.start for s in doc.sentences]
            for m in unmatched_marks(doc.text):
                k = _locate(doc, starts, m.pos, rows)
                if k is not None:
                    by_row[k][doc.id].append(m)
        cells = dict(_cells(ctx))
        for k in sorted(by_row):
            families = {d: {x.family for x in xs} for d, xs in by_row[k].items()}
            for doc_id, marks in by_row[k].items():
                elsewhere = set().union(*(f for d, f in families.items() if d != doc_id))
                for m in marks:
                    if m.family in elsewhere:
                        continue
                    what = (f"`{m.mark}` closed by `{m.partner}`" if m.partner else
                            f"`{m.mark}` opened here is never closed" if m.opening else f"`{m.mark}` closes nothing")
                    yield ctx.finding(self, doc_id, m.pos, m.pos + 1, f"{what} (balanced in the other versions)",
                                      row=k, related=_related(ctx, cells.get(k, {}), doc_id))


# --- XL504 / XL505: acronyms -------------------------------------------------------------------

_ROMAN = re.compile(r"^[IVXLC]+$")


def _acronyms(text: str, start: int, end: int) -> list[re.Match]:
    """All-capital tokens of two or more letters (not roman numerals) in ``text[start:end]``."""
    return [m for m in _WORD.finditer(text, start, end)
            if 2 <= len(m[0]) <= 8 and m[0].isupper() and sum(c.isalpha() for c in m[0]) >= 2
            and not _ROMAN.match(m[0])]


def _caps(word: str) -> int:
    return sum(c.isupper() for c in word)


def _mixed_acronym(word: str) -> bool:
    """``APIs``, ``iOS``, ``PhD``: mostly capitals, at least two, and some lower case (not ``YouTube``)."""
    letters = sum(c.isalpha() for c in word)
    return _caps(word) >= 2 and any(c.islower() for c in word) and 2 * _caps(word) >= letters


@register
class AcronymCasing(Rule):
    """Acronym whose casing changed against the other versions.

    ## What it does
    Compares, row by row, the words that have two or more capitals in some version
    (``APIs``, ``CPUs``, ``iOS``, ``PhD``) with the same words in the other versions
    and flags a version that writes them with other casing (``APIS``, ``Cpus``, ``IOS``).
    The form most versions use wins; on a tie, the mixed-case form does, since it
    carries information that upper-casing loses. Conventions such as German
    ``Nato`` beside ``NATO`` are not flagged (no mixed-case form involved), nor are
    headlines set in capitals.

    ## Why is this bad?
    ``APIS`` reads as a different word (or a shout), ``IOS`` is not Apple's ``iOS``:
    mechanical upper-casing by a translation tool changes names and plurals.

    ## Example
    ```
    en: The new processors double the speed of CPUs.
    de: Die neuen Prozessoren verdoppeln die Geschwindigkeit von CPUS.
    ```

    ## Use instead
    ```
    de: Die neuen Prozessoren verdoppeln die Geschwindigkeit von CPUs.
    ```
    """

    code = "XL504"
    name = "acronym-casing"
    severity = Severity.WARNING
    summary = "An acronym cased differently from the other versions (APIs -> APIS)"

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        for k, spans in _cells(ctx):
            words = {}
            for doc_id, (start, end) in spans.items():
                text = ctx.story.document(doc_id).text
                if not _mostly_upper(text[start:end]):
                    words[doc_id] = list(_WORD.finditer(text, start, end))
            keys = {m[0].casefold() for ms in words.values() for m in ms if _mixed_acronym(m[0])}
            forms: dict[str, dict[str, list[re.Match]]] = defaultdict(lambda: defaultdict(list))
            for doc_id, ms in words.items():
                for m in ms:
                    if m[0].casefold() in keys:
                        forms[m[0].casefold()][doc_id].append(m)
            for per_doc in forms.values():
                variants = Counter(v for ms in per_doc.values() for v in {m[0] for m in ms})
                if len(variants) < 2:
                    continue
                ref = max(variants, key=lambda v: (_mixed_acronym(v), variants[v], -_caps(v), v))
                users = sorted(d for d, ms in per_doc.items() if any(m[0] == ref for m in ms))
                for doc_id, ms in per_doc.items():
                    for m in ms:
                        if m[0] != ref:
                            yield ctx.finding(self, doc_id, m.start(), m.end(),
                                              f"`{m[0]}` here, `{ref}` in {', '.join(users)}", row=k,
                                              related=_related(ctx, {d: spans[d] for d in users}, doc_id),
                                              suggestion=ref)


def _definitions(text: str) -> set[str]:
    """Acronyms that ``text`` defines: ``Mundial da Saúde (OMS)`` or ``OMS (Organização Mundial …)``."""
    out = set()
    for m in re.finditer(r"\(\s*([^()]{2,80}?)\s*\)", text):
        inner = m[1]
        if re.fullmatch(r"[A-ZÀ-Þ]{2,8}", inner):
            words = re.findall(r"\w+", text[max(0, m.start() - 120):m.start()])
            if initials(words[-len(inner) - 3:]).endswith(inner.casefold()):
                out.add(inner)
        else:
            before = re.search(r"([A-ZÀ-Þ]{2,8})\s*$", text[max(0, m.start() - 120):m.start()])
            if before and initials(re.findall(r"\w+", inner)).startswith(before[1].casefold()):
                out.add(before[1])
    return out


@register
class AcronymNotLocalised(Rule):
    """Foreign acronym kept where the document itself uses a local one.

    ## What it does
    Learns acronym pairs from the story: an acronym in one version's row is linked
    to the acronym that stands in the same place in another version (the same form,
    or the only acronym left on each side). When one document links two different
    acronyms to the same counterpart (``OMS`` and ``WHO`` both standing for ``OMS``),
    they are alternatives, and the document's own convention is the one it defines
    with an expansion (``Organização Mundial da Saúde (OMS)``), else the one it uses
    most, else (on a tie) the one no other language (version or context document)
    uses; unless defined, it must stand for the counterpart in at least
    ``min_local_rows`` rows.
    Each use of the other form is flagged: a warning when the document defines its
    local form, else information. Uses as the first part of a hyphenated compound
    (``UN-Sicherheitsrat``) are accepted unless the local form is also used so. Two
    acronyms of one row never count as alternatives.

    ## Why is this bad?
    Mixing ``WHO`` and ``OMS`` (or ``UN`` and ``ONU``) in one article makes readers
    wonder whether two things are meant; it is the mark of a partly edited machine
    translation.

    ## Example
    ```
    fr: L'OMS lance une alerte. L'OMS recommande des vaccins.
    pt: A Organização Mundial da Saúde (OMS) lança um alerta. A WHO recomenda vacinas.
    ```

    ## Use instead
    ```
    pt: A Organização Mundial da Saúde (OMS) lança um alerta. A OMS recomenda vacinas.
    ```
    """

    code = "XL505"
    name = "acronym-not-localised"
    severity = Severity.INFO
    levels = {
        Severity.WARNING: "the document defines its local acronym with an expansion",
        Severity.INFO: "the local acronym is only the one the document uses most",
    }
    summary = "A foreign acronym beside the local one the document also uses (WHO beside OMS)"
    options = {"min_local_rows": 2.0}

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        occurrences: dict[str, list[tuple[int, re.Match]]] = defaultdict(list)
        # links[doc][(other doc, its acronym)][our acronym] = rows where they stand in the same place
        links: dict[str, dict[tuple[str, str], dict[str, set[int]]]] = defaultdict(
            lambda: defaultdict(lambda: defaultdict(set)))
        cells = dict(_cells(ctx))
        for k, spans in cells.items():
            acr = {}
            for doc_id, (start, end) in spans.items():
                text = ctx.story.document(doc_id).text
                acr[doc_id] = [] if _mostly_upper(text[start:end]) else _acronyms(text, start, end)
                occurrences[doc_id].extend((k, m) for m in acr[doc_id])
            for d in acr:
                for w in acr:
                    if primary_language(ctx.story.document(d).lang) == primary_language(ctx.story.document(w).lang):
                        continue
                    mine = list(dict.fromkeys(m[0] for m in acr[d]))
                    theirs = list(dict.fromkeys(m[0] for m in acr[w]))
                    for a in set(mine) & set(theirs):
                        links[d][(w, a)][a].add(k)
                    rest_d = [a for a in mine if a not in theirs]
                    rest_w = [a for a in theirs if a not in mine]
                    if len(rest_d) == 1 and len(rest_w) == 1:
                        links[d][(w, rest_w[0])][rest_d[0]].add(k)
        for doc in ctx.documents:
            yield from self._doc(ctx, doc, occurrences[doc.id], links[doc.id], cells)

    def _doc(self, ctx: CheckContext, doc: Document, occ: list[tuple[int, re.Match]],
             links: dict[tuple[str, str], dict[str, set[int]]], cells: dict) -> Iterator[Finding]:
        counts = Counter(m[0] for _, m in occ)
        rows_of: dict[str, set[int]] = defaultdict(set)
        for k, m in occ:
            rows_of[m[0]].add(k)
        defined = _definitions(doc.text)
        lang = primary_language(doc.lang)
        foreign_texts = [d.text for d in (*ctx.documents, *ctx.context_documents) if primary_language(d.lang) != lang]
        flagged: dict[str, tuple[str, str, bool]] = {}
        for (other, counterpart), linked in sorted(links.items()):
            # two acronyms of one row name different things, never alternatives
            group = {a for a in linked if not any(rows_of[a] & rows_of[b] for b in linked if b != a)}
            if len(group) < 2:
                continue
            abroad = {a for a in group if any(re.search(rf"(?<!\w){a}(?!\w)", t) for t in foreign_texts)}
            local = _pick(group & defined) or _majority(group, counts) or _pick(group - abroad)
            if local is None or (local not in defined and len(linked[local]) < self.opts["min_local_rows"]):
                continue
            for a in sorted(group - {local}):
                flagged.setdefault(a, (local, f"{counterpart} in {other}", local in defined))
        compound_locals = {m[0] for _, m in occ if doc.text[m.end():m.end() + 1] == "-"}
        for k, m in sorted(occ, key=lambda x: x[1].start()):
            if m[0] not in flagged:
                continue
            local, seen, strong = flagged[m[0]]
            if doc.text[m.end():m.end() + 1] == "-" and local not in compound_locals:
                continue  # UN-Sicherheitsrat beside UNO: compounds keep the short form
            why = "and defines it" if strong else f"{counts[local]} times"
            yield ctx.finding(self, doc, m.start(), m.end(),
                              f"`{m[0]}` here, but this document writes `{local}` ({why}) for the same "
                              f"acronym (`{seen}`)", row=k, related=_related(ctx, cells.get(k, {}), doc.id),
                              suggestion=local, severity=Severity.WARNING if strong else Severity.INFO)


def _pick(candidates: set[str]) -> str | None:
    return next(iter(candidates)) if len(candidates) == 1 else None


def _majority(group: set[str], counts: Counter) -> str | None:
    ranked = sorted(group, key=lambda a: -counts[a])
    return ranked[0] if counts[ranked[0]] > counts[ranked[1]] else None
