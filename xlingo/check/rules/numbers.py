"""XL1xx: numbers, amounts, currencies and number formats compared across the versions of a row.

All three rules share one analysis per story (``ctx.cached``):
the quantities of every version's cell (:mod:`xlingo.check.quantities`), grouped
across versions by value. A group is what the versions say about one number;
a version that lacks a group the others have is out of line.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from xlingo.check.base import CheckContext, Rule, register
from xlingo.check.quantities import (
    Quantity,
    currencies_conflict,
    extract_quantities,
    format_number,
    one_conversion,
    same_measure,
    same_value,
    spelled_out,
)
from xlingo.check.wording import languages
from xlingo.model import Document, Finding, Severity


@dataclass
class _Group:
    """One number as the versions of a row write it: doc id -> quantity."""

    members: dict[str, Quantity] = field(default_factory=dict)

    @property
    def hard(self) -> list[Quantity]:
        return [q for q in self.members.values() if not q.soft]

    @property
    def votes(self) -> int:
        """The versions that state it: a clock time's hour or minutes read as a number match one
        another version writes apart (``13:10`` / ``13 分 10 秒``) but state none of their own."""
        return sum(1 for q in self.members.values() if not q.part)

    @property
    def kind(self) -> str:
        qs = self.hard or list(self.members.values())
        return qs[0].kind

    @property
    def rep(self) -> Quantity:
        """A representative: the first hard member (or the first member)."""
        return (self.hard or list(self.members.values()))[0]


@dataclass
class _RowNumbers:
    k: int
    docs: list[Document]
    quantities: dict[str, list[Quantity]]
    groups: list[_Group]


def _analyse(ctx: CheckContext) -> list[_RowNumbers]:
    """Quantities and their cross-version groups for every content row (computed once per context)."""
    return ctx.cached(_row_numbers)


def _row_numbers(ctx: CheckContext) -> list[_RowNumbers]:
    out = []
    for k, row in ctx.content_rows():
        docs = ctx.content_documents(row)
        quantities: dict[str, list[Quantity]] = {}
        for d in docs:
            span = ctx.row_span(row, d)
            assert span is not None
            quantities[d.id] = [q.shifted(span[0]) for q in extract_quantities(d.text[span[0]:span[1]], d.lang)]
        out.append(_RowNumbers(k, docs, quantities, _group(docs, quantities)))
    return out


def _group(docs: list[Document], quantities: dict[str, list[Quantity]]) -> list[_Group]:
    """Group quantities across versions: exact values first, then rounding / other-convention readings."""
    groups: list[_Group] = []
    rank = {(d.id, q.start): (i + 0.5) / len(quantities[d.id])  # where in the row's numbers it stands, 0..1
            for d in docs for i, q in enumerate(quantities[d.id])}

    def distance(g: _Group, d: str, q: Quantity) -> float:
        """How far apart in the order of the row's numbers ``q`` and the group's members stand."""
        return sum(abs(rank[(d, q.start)] - rank[(o, m.start)]) for o, m in g.members.items()) / len(g.members)

    for d in docs:
        for q in sorted(quantities[d.id], key=lambda q: q.soft):  # spelled-out words match last
            fits = [g for g in groups if d.id not in g.members and all(
                same_value(q, m) == 2 and not currencies_conflict(q.currency, m.currency) and _joinable(q, m)
                for m in g.members.values())]
            if fits:  # the same value twice (``3-3``): the group most versions joined (one version
                # repeating a number leaves the others' single mention in one group), then the
                # occurrence that stands where the others have it
                min(fits, key=lambda g: (-len(g.members), distance(g, d.id, q))).members[d.id] = q
            else:
                groups.append(_Group({d.id: q}))
    merged = True
    while merged:
        merged = False
        for i, a in enumerate(groups):
            for b in groups[i + 1:]:
                if not set(a.members) & set(b.members) and (all(
                        same_value(x, y, use_alt=True) and _joinable(x, y)
                        for x in a.members.values() for y in b.members.values()) or _converted(a, b)):
                    a.members.update(b.members)
                    groups.remove(b)
                    merged = True
                    break
            if merged:
                break
    return groups


def _article_one(q: Quantity) -> bool:
    """A *one* in words, which is also the indefinite article in most languages (``uma``,
    ``un``, ``ein``, ``een``): it says nothing of a ``1`` in digits."""
    return q.soft and q.kind == "number" and q.value == 1 and not any(c.isdigit() for c in q.text)


def _joinable(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities of one value may be one number of the row: not a digit and an article's
    *one* (``2-1`` beside ``uma reviravolta ... 2-6``: the ``6`` is the slip, not the ``1`` missing)."""
    return not ((_article_one(a) and not b.soft) or (_article_one(b) and not a.soft))


def _converted(a: _Group, b: _Group) -> bool:
    """Two groups of one measure, some version converting the unit (``40 miles`` / ``64 km`` /
    ``60 km``): roundings of a conversion need not agree to the digit."""
    qs = [*a.members.values(), *b.members.values()]
    return len({q.unit for q in qs}) > 1 and all(same_measure(x, y) for x in a.members.values()
                                                for y in b.members.values())


def _context_quantities(ctx: CheckContext) -> list[Quantity]:
    return ctx.cached(_hard_context_quantities)


def _hard_context_quantities(ctx: CheckContext) -> list[Quantity]:
    return [q for d in ctx.context_documents for q in extract_quantities(d.text, d.lang) if not q.soft]


def _in_context(ctx: CheckContext, g: _Group) -> bool:
    return any(same_value(c, m) for c in _context_quantities(ctx) for m in g.hard)


def _quote(ctx: CheckContext, g: _Group, exclude: str) -> tuple[str, str, list]:
    """(`a` / `b`, "en, pt", related spans) for a group's members outside one version."""
    members = [(d, q) for d, q in g.members.items() if d != exclude]
    texts = " / ".join(f"`{q.text}`" for _, q in members)
    langs = languages(ctx, [d for d, _ in members])
    return texts, langs, [ctx.span(d, q.start, q.end) for d, q in members]


def _agreed_time(g: _Group, n: int) -> bool:
    """A clock time most versions (not a tie) write alike: another time in one version is a slip."""
    return g.kind == "time" and 2 * len(g.members) > n and len(g.members) >= 2


def _converted_here(g: _Group, own: list[Quantity]) -> bool:
    """The version states the group's measure in another unit (``16 km`` beside ``10 miles``
    the others write, while a third version writes both)."""
    return any(q.unit and m.unit and q.unit != m.unit and same_measure(q, m) for q in own for m in g.members.values())


def _closeness(g: _Group, q: Quantity) -> float:
    a, b = g.rep.value, q.value
    ratio = abs(math.log10(float(a) / float(b))) if a and b else 6.0
    return (2.0 if q.kind == g.kind else 0.0) - min(ratio, 6.0)


#: A code of capital letters and digits written together (``H20``, ``HER2``, ``F-35``, ``COVID-19``,
#: ``A320``): a model, a gene, an aircraft. The number readers leave numbers glued to letters alone;
#: a code is compared as a whole, by its letters, across the versions.
_CODE = re.compile(r"(?<![A-Za-z0-9\-‐.,])([A-Z][A-Za-z]{0,5})([-‐]?)(\d{1,5})([A-Za-z]{0,3})(?![A-Za-z0-9]|[-‐.,]\d)")


def _codes_of(text: str, read: Iterable[Quantity] = ()) -> dict[tuple[str, str], list[re.Match[str]]]:
    """The codes of ``text`` by their letters before and after the digits (case folded), but those
    whose digits the number readers read (``read``, offsets in ``text``: ``SS19`` is a year)."""
    out: dict[tuple[str, str], list[re.Match[str]]] = {}
    spans = [(q.start, q.end) for q in read]
    for m in _CODE.finditer(text):
        if m.group(1)[1:].islower() and not m.group(2):
            continue  # a word run into a number (``Tor2``), not a code
        if not any(a < m.end(3) and m.start(3) < b for a, b in spans):
            out.setdefault((m.group(1).upper(), m.group(4).upper()), []).append(m)
    return out


@register
class NumberMismatch(Rule):
    """Numbers, amounts, percentages and dates that differ between versions.

    ## What it does
    Reads every number of each version of a row the way its language writes numbers (decimal
    comma or point, thousands separators, scale words such as ``Milliarden``/``billion``/
    ``bilhões``, percentages, currencies, dates) and compares the values across versions. A
    number the other versions agree on that is different or missing in one version is flagged
    there, at the differing number (or on the sentence when it is missing); the numbers of a
    sentence that stand in another unit than in the other versions (``5 a 10 mm`` for ``5 à
    10 cm``) are one finding, one cause. Rounding (``14
    billion`` for ``13.7 billion``), ``10%``/``10 Prozent`` and spelled-out small numbers
    (``zwei``/``2``; not *one*, also the article: ``uma``, ``un`` stand for no ``1``) are tolerated, but where two or more versions spell out the same number (two
    or more: ``doze`` / ``十二``) a version that writes other digits in its place gets a warning;
    model codes such as ``A320`` or ``COVID-19`` are not numbers
    (they are compared whole, below). Missing numbers up to ``small_max`` are not flagged (often
    spelled out or turned into an ordinal word). With two versions, or a tie, both sides are
    flagged as warnings unless a context document says which one is right; a version that
    writes no figure of that kind (one spelled out in words not read here, ``مليوني دولار``, or
    left out; a month counts as stated however it is written) abstains, so two versions that
    disagree beside it are a tie; a plain number (not
    an amount, share or scaled figure) missing on one side of a tie is not flagged; where the
    side without the number writes a value of its own in each version (``2`` and ``3`` against
    ``2,5`` twice: one inch rounded three ways), or where the two sides may both round one measure
    converted from a whole figure of the other measurement system (``290 kg`` / ``300 kg`` for
    640 lb, ``27`` / ``30`` degrees for 80 °F), the finding is information, and so it is for one
    version against a majority (``7`` cm where two others write ``7,5`` for 3 inches: translators
    converting on their own round apart). Clock times
    and match clocks (``13.30 Uhr``/``1.30pm``, ``下午三点``, ``3 مساءً``, ``27:37``, ``27分37秒``) are compared on a
    12-hour dial: a different time in one version is a warning when most versions (not a tie)
    agree on theirs (one no clock shows too: ``4.90 uur``), a time left out is never flagged; a
    colon time with no clock word (``13:10``) also reads as its two numbers where other versions
    write minutes and seconds apart (``13 分 10 秒``), numbers that match but require none. A
    month no calendar has (``91月``) is a slip for the others' month. A code of capital letters and
    digits written together (``H20``, ``HER2``, ``F-35``, ``COVID-19``) is compared whole: one whose
    digits no other version writes, where others write the same letters with other digits
    (``H200`` / *H20*), is an error where two or more others do, else a warning.
    What clean translations do is read as the same number: ordinals (``12th``, ``12.``,
    ``12è``, ``12.ª``), also a century in Roman numerals (``século XIX``, ``XIXe siècle``,
    ``XIX века`` for ``19. Jahrhundert``); a bare "degrees" as Celsius or Fahrenheit (``80
    degrees``/``27 Grad``), and the scales as other scripts write them (``80华氏度``, ``80 градусов по
    Фаренгейту``);
    a unit converted (``10 miles``/``16 km``, ``30码``/``27 Meter``), also when one version gives both, and over a range
    however a language joins it (``2から4インチ``, ``2到4英寸``, ``5 bis 10 cm``); two roundings
    of one conversion of a round figure (``227 kg`` and ``250 kg`` for 500 lb); "100 percent"
    said as "absolutely"; a month by name or by digits (``septiembre``, ``9月``, ``9월``), and a day of
    the week as no number (``周六``, Saturday); scale
    words and number words of other scripts (``3,4 млн``,
    ``340万``, ``550多万``, ``1億2,500万``, ``3.4 مليون``, ``шесть миллионов``, ``трёх процентов``, ``trzech``,
    with the unit after them: ``两英尺``);
    a number written out in words
    (num2words' cardinals and ordinals, case endings and compounds allowed: ``сорока восьми``,
    ``trigésimo sexto``, ``dwudziestoletni``); and a year of the others where this version says a
    decade or a century in words (``الثمانينيات``, ``los años ochenta``, ``ubiegłego wieku``: not compared).

    ## Why is this bad?
    A wrong figure is the most damaging translation error in news: readers of one language get
    another amount, date or share than the others.

    ## Example
    ```
    de: Der Umsatz stieg auf 13,7 Milliarden Dollar.
    en: Revenue rose to $13.7 billion.
    pt: A receita subiu para 17,3 bilhões de dólares.      <- digits swapped
    ```

    ## Use instead
    ```
    pt: A receita subiu para 13,7 bilhões de dólares.
    ```
    """

    code = "XL101"
    name = "number-mismatch"
    severity = Severity.ERROR
    levels = {
        Severity.ERROR: "more versions agree on the number than differ from it (unless both figures may round one "
                        "converted measure), or two or more others write the code's letters with other digits",
        Severity.WARNING: "a tie (two versions, or as many on each side, versions that state no such figure "
                          "left aside) that no context document settles, three or more versions that each "
                          "write a value of their own, digits where two or more versions spell out another number, "
                          "or a code one other version writes with other digits",
        Severity.INFO: "values of their own in three or more versions, a tie, or one version against a majority, "
                       "where all may round one measure "
                       "converted from a whole figure of the other measurement system (`2` / `2,5` / `3` cm for one "
                       "inch, `290 kg` / `300 kg` for 640 lb); a tie whose other side does not agree with itself "
                       "either: each of those versions writes a value of its own that could stand for the number",
    }
    summary = "A number, amount or date differs from the other versions (read locale-aware)"
    options = {"small_max": 12.0}

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for rn in _analyse(ctx):
            yield from self._row(ctx, rn)
            yield from self._disputed(ctx, rn)
            yield from self._codes(ctx, rn)

    def _codes(self, ctx: CheckContext, rn: _RowNumbers) -> Iterator[Finding]:
        """A code whose digits no other version writes, where others write the same letters with
        other digits (``HER3`` / *HER2*, ``H200`` / *H20*): an error where two or more others do, else
        a warning."""
        codes, starts = {}, {}
        for d in rn.docs:
            starts[d.id] = start = ctx.row_span(rn.k, d)[0]
            codes[d.id] = _codes_of(ctx.row_text(rn.k, d), [q.shifted(-start) for q in rn.quantities[d.id]])
        for d in rn.docs:
            for key, found in codes[d.id].items():
                theirs = {e: codes[e][key] for e in codes if e != d.id and key in codes[e]}
                for m in found:
                    if not theirs or any(m.group(3) == x.group(3) for ms in theirs.values() for x in ms):
                        continue
                    forms = " / ".join(dict.fromkeys(f"`{x.group(0)}`" for ms in theirs.values() for x in ms))
                    yield ctx.finding(self, d, starts[d.id] + m.start(), starts[d.id] + m.end(),
                                      f"`{m.group(0)}` here, but {forms} in {languages(ctx, list(theirs))}",
                                      row=rn.k, severity=Severity.ERROR if len(theirs) >= 2 else Severity.WARNING,
                                      related=[ctx.span(e, starts[e] + x.start(), starts[e] + x.end())
                                               for e, ms in theirs.items() for x in ms])

    def _disputed(self, ctx: CheckContext, rn: _RowNumbers) -> Iterator[Finding]:
        """Three or more versions, each with a value of its own for one number (``12`` / ``15`` /
        ``13``): two at least are wrong and no vote says which, so each is a warning (information
        where all may round one converted measure, :func:`one_conversion`). Each other
        version must have exactly one number alone in its value, in the same unit (another unit is
        a conversion or a unit slip, judged above), that could be a slip for it."""
        if len(rn.docs) < 3:
            return
        alone = {d.id: [g.rep for g in rn.groups if list(g.members) == [d.id] and g.hard and g.kind != "time"]
                 for d in rn.docs}
        for d in rn.docs:
            for q in alone[d.id]:
                theirs = [[o for o in alone[e.id] if o.kind == q.kind and o.unit == q.unit and o.value != q.value
                           and _plausible(q, o) and _plausible(o, q)] for e in rn.docs if e.id != d.id]
                if any(len(t) != 1 for t in theirs):
                    continue
                others = [e for e in rn.docs if e.id != d.id]
                converted = all(one_conversion(q, t[0]) for t in theirs)
                yield ctx.finding(self, d, q.start, q.end,
                                  f"`{q.text}` here, but {' / '.join(f'`{t[0].text}`' for t in theirs)} in "
                                  f"{languages(ctx, [e.id for e in others])}: the versions disagree with each other"
                                  + ("; all may round one measure converted from the other measurement system"
                                     if converted else ""),
                                  row=rn.k, related=[ctx.span(e.id, t[0].start, t[0].end) for e, t in zip(others, theirs)],
                                  severity=Severity.INFO if converted else Severity.WARNING)

    def _row(self, ctx: CheckContext, rn: _RowNumbers) -> Iterator[Finding]:
        n = len(rn.docs)
        if n < 2:
            return
        for d in rn.docs:
            wanted = [g for g in rn.groups if d.id not in g.members and 2 * g.votes >= _voters(rn, d.id, g)
                      and (g.hard and g.kind != "time" or g.kind == "month" or _agreed_time(g, n) or _spelled_alike(g))
                      and not _converted_here(g, rn.quantities[d.id])]
            cands = [h for h in rn.groups if d.id in h.members and 2 * len(h.members) <= n]
            pairs = sorted(((_closeness(g, h.members[d.id]), i, j) for i, g in enumerate(wanted)
                            for j, h in enumerate(cands)
                            if _can_stand_for(h.members[d.id], g) and _plausible(g.rep, h.members[d.id])),
                           key=lambda p: (-p[0], p[1], p[2]))
            assigned: dict[int, int] = {}
            for _, i, j in pairs:
                if i not in assigned and j not in assigned.values():
                    assigned[i] = j
            found = [(self._finding(ctx, rn, d, g, cand), _unit_clash(g, cand, d.id)) for i, g in enumerate(wanted)
                     for cand in [cands[assigned[i]] if i in assigned else None]]
            by_clash: dict[tuple, list[Finding]] = {}  # (unit clash, severity) -> its findings
            for f, clash in found:
                if f is not None and clash:
                    by_clash.setdefault((clash, f.severity), []).append(f)
            for f, clash in found:
                if f is None:
                    continue
                same = by_clash.get((clash, f.severity), []) if clash else []
                if len(same) < 2:
                    yield f
                elif f is same[0]:
                    yield self._one_unit(ctx, rn, d, same, clash)

    def _one_unit(self, ctx: CheckContext, rn: _RowNumbers, d: Document, same: list[Finding],
                  clash: tuple[str, tuple[str, ...]]) -> Finding:
        """One finding for the numbers of a version that stand in another unit than in the other
        versions (``5 a 10 mm`` for ``5 à 10 cm``): one cause, one finding."""
        here, units = clash
        same = sorted(same, key=lambda f: f.start)
        numbers = ", ".join(f"`{f.text}`" for f in same)
        langs = languages(ctx, [s.doc for f in same for s in f.related])
        related = tuple(dict.fromkeys(s for f in same for s in f.related))
        return ctx.finding(self, d, same[0].start, same[-1].end,
                           f"{numbers} here in {here}; {langs} use {', '.join(units)}", row=rn.k,
                           related=related, severity=same[0].severity)

    def _finding(self, ctx: CheckContext, rn: _RowNumbers, d: Document, g: _Group,
                 cand: _Group | None) -> Finding | None:
        """Flag ``d`` for lacking ``g`` (``cand``: what it says instead), or None when it should not be."""
        sup, opp = g.votes, len(rn.docs) - len(g.members)  # a version without the figure votes against
        severity = None if sup > opp else Severity.WARNING
        tie = sup == opp or 2 * sup == _voters(rn, d.id, g)  # also beside versions that state no such figure
        pinned = False  # a context document writes the group's figure and not this version's
        if tie:  # a context document may say which side is right
            in_g, in_c = _in_context(ctx, g), cand is not None and _in_context(ctx, cand)
            if in_c and not in_g:
                return None
            if in_g and not in_c:
                severity, pinned = None, True
        texts, langs, related = _quote(ctx, g, d.id)
        if _spelled_alike(g):  # a number the others spell out alike: its digits here only
            if cand is None:
                return None
            severity = Severity.WARNING
        if g.kind == "time":
            if cand is None:
                return None  # a time left out: often said as "in the afternoon"
            severity = Severity.WARNING  # versions may convert a time zone
        note = ""
        if severity is not None and tie and _scattered(rn, g):
            severity, note = Severity.INFO, "; the versions without it disagree with each other too"
        elif not pinned and cand is not None and _one_rounding(g, cand.members[d.id]):
            severity, note = Severity.INFO, "; both may round one measure converted from the other measurement system"
        if cand is not None:
            q = cand.members[d.id]
            if clash := _unit_clash(g, cand, d.id):  # the same digits in another unit (5 mm / 5 cm)
                texts += f" ({', '.join(clash[1])}; here {clash[0]})"
            return ctx.finding(self, d, q.start, q.end, f"`{q.text}` here, but {texts} in {langs}{note}", row=rn.k,
                               related=related, severity=severity, suggestion=_suggest(q, g.rep.value, d.lang))
        rep = g.rep
        if g.kind == "month" or (rep.kind == "number" and rep.scale == 1
                                 and rep.value <= Decimal(str(self.opts["small_max"]))):
            return None
        if all(q.value == 100 for q in g.hard) and any(q.kind == "percent" for q in g.hard):
            return None  # "100 percent certain" is also said "absolutely", "totalmente": an idiom, not a figure
        if any(spelled_out(ctx.row_text(rn.k, d), d.lang, q.value) for q in g.members.values()):
            return None  # written out in words (сорока восьми, trigésimo sexto), in any version's unit
            # (Двухметровый, two metres, where the others write `dos metros` / `198 cm`)
        if _year_like(rep) and (_CENTURY.search(ctx.row_text(rn.k, d)) or _DECADE.search(ctx.row_text(rn.k, d))):
            return None  # a decade or a century in words (w latach trzydziestych ubiegłego wieku, 本世纪之初,
            # الثمانينيات, los años ochenta)
        if severity is not None and not rep.qualified:
            return None  # two versions, one drops a plain number: too often an editorial choice
        span = ctx.row_span(rn.k, d)
        assert span is not None
        return ctx.finding(self, d, span[0], span[1], f"{texts} in {langs}; this version has no such number", row=rn.k,
                           related=related, severity=severity)


def _voters(rn: _RowNumbers, doc: str, g: _Group) -> int:
    """The versions that decide whether ``g`` is wanted from ``doc``: all of them, but where
    ``doc`` writes a figure of ``g``'s kind, a version that writes none abstains (its figure is
    spelled out in words not read here, ``مليوني دولار``, or left out), so that two versions that
    disagree beside it are a tie. The severity still counts every version: an error needs a
    majority of all of them. A month states one however it is written (``septiembre``, ``9月``)."""
    def states(d: str) -> bool:
        return any((not q.soft or q.kind == "month") and q.kind == g.kind for q in rn.quantities[d])

    return sum(1 for e in rn.docs if states(e.id)) if states(doc) else len(rn.docs)


def _one_rounding(g: _Group, q: Quantity) -> bool:
    """``q`` and every member of ``g`` in its unit may all round one measure converted from the
    other measurement system (:func:`one_conversion`: ``7`` cm where two others write ``7,5`` for
    3 inches), however many versions agree on either figure: translators converting on their own
    round apart, so a majority says nothing of which rounding is the slip."""
    same_unit = [m for m in g.members.values() if m.unit == q.unit]
    return bool(same_unit) and all(one_conversion(m, q) for m in same_unit)


def _spelled_alike(g: _Group) -> bool:
    """Two or more versions spell out the same number, two or more (``doze`` / ``十二``,
    ``three per cent`` / ``trzy procent``): a figure as much as digits are, though a word's
    number may be an idiom, so a different figure in digits elsewhere is a warning at most and
    a version without it is not flagged."""
    return len(g.members) >= 2 and g.kind in ("number", "percent") and g.rep.value >= 2 \
        and all(q.soft and not any(c.isdigit() for c in q.text) for q in g.members.values())


def _scattered(rn: _RowNumbers, g: _Group) -> bool:
    """Whether the versions without ``g`` each write a value that could stand for it (one that
    ``g``'s versions do not also write), but no one value is shared by all of them (``2`` and
    ``3`` where two others write ``2,5``: a converted figure rounded three ways), so no version is
    singled out."""
    outside = [e.id for e in rn.docs if e.id not in g.members]
    stand_ins = [{id(h) for h in rn.groups if e in h.members and not h.members.keys() & g.members.keys()
                  and _can_stand_for(h.members[e], g) and _plausible(g.rep, h.members[e])} for e in outside]
    return len(outside) >= 2 and all(stand_ins) and not set.intersection(*stand_ins)


def _unit_clash(g: _Group, cand: _Group | None, doc: str) -> tuple[str, tuple[str, ...]] | None:
    """(this version's unit, the others' units) where ``doc``'s number for ``g`` has another unit."""
    if cand is None:
        return None
    q = cand.members[doc]
    units = {m.unit for m in g.members.values()} - {None}
    return (q.unit, tuple(sorted(units))) if q.unit and units and q.unit not in units else None


def _plausible(a: Quantity, b: Quantity) -> bool:
    """Whether ``b`` looks like a slip for ``a``, not an unrelated number.

    Same order of magnitude, within 50 %, the same digits transposed, the same
    digits at another power of ten (a scale slip: ``Millionen`` for ``billion``), or
    as many digits written with one of them changed (a typing slip: ``19`` / ``11``,
    ``007`` / ``407``, ``02:30`` / ``72:30``); a year never stands for a non-year.
    """
    if a.kind == "month" or b.kind == "month" or not a.value or not b.value:
        return True
    if _year_like(a) != _year_like(b):
        return False
    x, y = a.value, b.value
    if x.adjusted() == y.adjusted() or max(x, y) <= Decimal("1.5") * min(x, y):
        return True
    dx, dy = x.normalize().as_tuple().digits, y.normalize().as_tuple().digits
    return sorted(dx) == sorted(dy) or _one_digit_apart(a, b)


def _one_digit_apart(a: Quantity, b: Quantity) -> bool:
    """The same number of digits written, two or more, one of them different, in the same scale."""
    da, db = re.sub(r"\D", "", a.text), re.sub(r"\D", "", b.text)
    return a.scale == b.scale and len(da) == len(db) >= 2 and sum(p != q for p, q in zip(da, db)) == 1


#: The word for a century, which a version that says a decade or a century in words has (*the
#: 1930s*: ``w latach trzydziestych ubiegłego wieku``, ``ثلاثينيات القرن العشرين``).
_CENTURY = re.compile(r"(?i)\b(?:centur(?:y|ies)|jahrhunderts?|si[eè]cles?|siglos?|s[eé]culos?|secol[oi]|eeuw(?:en)?|"
                      r"wiek(?:u|ów)?|стол[еé]ти[яей]|век[аеу]?|القرن)\b|世纪|世紀")


#: A decade in words, without the century (*the 1980s*: ``الثمانينيات``, ``los años ochenta``, ``gli anni
#: Ottanta``, ``os anos oitenta``, ``les années quatre-vingt``, ``de jaren tachtig``, ``die Achtzigerjahre``,
#: ``восьмидесятые``, ``lata osiemdziesiąte``): the closed class of each language's decade words.
_DECADE = re.compile(
    r"(?i)(?:ال)?(?:عشرين|ثلاثين|أربعين|خمسين|ستين|سبعين|ثمانين|تسعين)ي?ات|"
    r"\b(?:años|década\s+de\s+los|anni|anos|années|jaren)\s+(?:veinte|treinta|cuarenta|cincuenta|sesenta|setenta|"
    r"ochenta|noventa|venti|trenta|quaranta|cinquanta|sessanta|settanta|ottanta|novanta|vinte|trinta|quarenta|"
    r"oitenta|vingt|trente|quarante|cinquante|soixante(?:-dix)?|quatre-vingts?(?:-dix)?|twintig|dertig|veertig|"
    r"vijftig|zestig|zeventig|tachtig|negentig)\b|"
    r"\b(?:zwanziger|dreißiger|vierziger|fünfziger|sechziger|siebziger|achtziger|neunziger)\w*|"
    r"\b(?:двадцат|тридцат|сороков|пятидесят|шестидесят|семидесят|восьмидесят|девяност)(?:ые|ых|ыми|ым)\b|"
    r"\b(?:dwudziest|trzydziest|czterdziest|pięćdziesiąt|sześćdziesiąt|siedemdziesiąt|osiemdziesiąt|"
    r"dziewięćdziesiąt)(?:e|ych|ymi|ym)\b")


def _year_like(q: Quantity) -> bool:
    return q.kind == "number" and q.scale == 1 and not q.grouped and q.value == int(q.value) \
        and 1000 <= q.value <= 2100


def _can_stand_for(q: Quantity, g: _Group) -> bool:
    """Whether ``q`` may be what a version wrote in place of ``g`` (same sort of quantity)."""
    if (q.kind == "time") != (g.kind == "time"):
        return False
    if q.soft and q.kind not in ("month", "time") or (q.kind == "month") != (g.kind == "month"):
        return False
    return {q.kind, g.kind} != {"percent", "money"}


def _suggest(q: Quantity, expected: Decimal, lang: str) -> str | None:
    """``q``'s text with its digits replaced by the expected value in its own scale and locale."""
    if q.soft or q.kind not in ("number", "money", "percent") or q.num_start == q.num_end:
        return None
    mantissa = expected / q.scale
    if mantissa != mantissa.quantize(Decimal("0.01")) or mantissa >= (10 ** 7 if q.scale == 1 else 1000):
        return None
    digits = format_number(mantissa.normalize(), lang, q.grouped)
    a, b = q.num_start - q.start, q.num_end - q.start
    return q.text[:a] + digits + q.text[b:]


@register
class CurrencyMismatch(Rule):
    """The same amount in another currency than the other versions.

    ## What it does
    Where the versions of a row agree on an amount but name different currencies (``$16
    billion`` against ``16 Milliarden Euro``), flags the version whose currency the others do
    not share. ``$`` fits any dollar (``US$``, ``dollars américains``); ``¥`` fits yen and yuan.
    With two versions both are flagged.

    ## Why is this bad?
    Dollars and euros are not interchangeable: readers get the amount wrong by the exchange
    rate, and the translator probably took the currency from habit rather than from the source.

    ## Example
    ```
    en: Nvidia sold chips worth $16 billion.
    de: Nvidia verkaufte Chips für 16 Milliarden Euro.      <- euros
    fr: Nvidia a vendu des puces pour 16 milliards de dollars.
    ```

    ## Use instead
    ```
    de: Nvidia verkaufte Chips für 16 Milliarden US-Dollar.
    ```
    """

    code = "XL102"
    name = "currency-mismatch"
    severity = Severity.WARNING
    summary = "The versions agree on an amount but not on its currency"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for rn in _analyse(ctx):
            for g in rn.groups:
                priced = {d: q for d, q in g.members.items() if q.currency}
                agree = {d: sum(o != d and not currencies_conflict(q.currency, p.currency) for o, p in priced.items())
                         for d, q in priced.items()}
                for d, q in priced.items():
                    against = [(o, p) for o, p in priced.items() if currencies_conflict(q.currency, p.currency)]
                    if not against or any(agree[o] < agree[d] for o, _ in against):
                        continue  # the others are the odd ones
                    texts = " / ".join(f"`{p.text}`" for _, p in against)
                    langs = languages(ctx, [o for o, _ in against])
                    yield ctx.finding(self, d, q.start, q.end,
                                      f"`{q.text}` here, {texts} in {langs}: same amount, another currency",
                                      row=rn.k, related=[ctx.span(o, p.start, p.end) for o, p in against])


@register
class NumberFormat(Rule):
    """A number written in another language's convention.

    ## What it does
    Flags a number whose separators are those of another locale (Babel's locale data):
    ``13.7 Milliarden`` in German, where ``.`` groups thousands and the decimal mark is ``,``;
    ``1,234.5`` in French; ``1.500.000`` in English. A lone separator that could group thousands
    (``1.500``) is only flagged when the other versions show it was meant the other way (``1 500``
    in fr, while ``1.500`` in en reads 1.5); a lone separator that cannot group (``13.7`` in de)
    only next to a scale word, a percent or a currency, so that clock times and references are
    left alone. Swiss ``1'234.50`` is consistent and not flagged.

    ## Why is this bad?
    Readers take ``1.500`` for one and a half in English and for fifteen hundred in German: a
    format copied from the source language silently changes the number.

    ## Example
    ```
    de: Der Umsatz stieg auf 13.7 Milliarden Dollar.        <- English decimal point
    en: Some 1.500 people came.                             <- fr: 1 500 personnes
    ```

    ## Use instead
    ```
    de: Der Umsatz stieg auf 13,7 Milliarden Dollar.
    en: Some 1,500 people came.
    ```
    """

    code = "XL103"
    name = "number-format"
    severity = Severity.WARNING
    summary = "A number uses the decimal or thousands separator of another language"

    def check(self, ctx: CheckContext) -> Iterable[Finding]:
        for rn in _analyse(ctx):
            flagged: set[tuple[str, int]] = set()
            for g in rn.groups:
                for d, q in g.members.items():
                    if q.alt is None or q.soft:
                        continue
                    others = [p for o, p in g.members.items() if o != d]
                    if _votes(q.alt, others) > _votes(q.value, others):
                        lang = ctx.story.document(d).lang
                        wanted = format_number((q.alt / q.scale).normalize(), lang, q.alt >= 1000 * q.scale)
                        texts, langs, related = _quote(ctx, g, d)
                        flagged.add((d, q.num_start))
                        yield ctx.finding(
                            self, d, q.num_start, q.num_end,
                            f"`{q.text}` reads as {_plain(q.value / q.scale)} in {lang}, but {texts} in {langs} "
                            f"say {_plain(q.alt / q.scale)}: write `{wanted}`",
                            row=rn.k, related=related, suggestion=wanted)
            for d, qs in rn.quantities.items():
                for q in qs:
                    swiss = q.currency == frozenset({"CHF"})  # Swiss amounts take a decimal point
                    if q.foreign and (q.grouped or q.qualified) and not swiss and (d, q.num_start) not in flagged:
                        lang = ctx.story.document(d).lang
                        wanted = format_number((q.value / q.scale).normalize(), lang, q.grouped)
                        yield ctx.finding(self, d, q.num_start, q.num_end,
                                          f"`{q.text}` uses another language's separators; {lang} writes `{wanted}`",
                                          row=rn.k, suggestion=wanted)


def _votes(value: Decimal, others: list[Quantity]) -> float:
    """How strongly the other versions read ``value``: unambiguous readings count 1, ambiguous 0.5."""
    v = 0.0
    for p in others:
        if p.value == value:
            v += 1.0 if p.alt is None else 0.5
        elif p.alt == value:
            v += 0.5
    return v


def _plain(x: Decimal) -> str:
    return format(x.normalize(), "f")
