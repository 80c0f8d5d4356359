"""XL201, XL203: a proper name spelled, rendered or cased differently in one version."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from xlingo.check.base import CheckContext, Rule, register
from xlingo.check.wording import languages, quoted
from xlingo.language import zipf
from xlingo.model import Finding, Severity
from xlingo.names import (
    CONNECTOR_ARTICLES,
    CONNECTORS,
    DETERMINERS,
    GENITIVE_S,
    Cluster,
    Mention,
    NameIndex,
    calibrated,
    case_stems,
    cased,
    char_similarity,
    content_words,
    equivalent,
    fold,
    institution,
    is_latin,
    is_ordinary,
    is_title,
    katakana_spaced,
    letters,
    name_words,
    nativeness,
    relation,
    romanisation_key,
    same_word,
    shared_words,
    split_words,
    story_names,
    tokenize,
    word_found,
)
from xlingo.names.places import is_city, is_place, same_place

# --------------------------------------------------------------------------- XL201

#: Zipf frequency from which a word is a common word of its language (``vista``, ``Raum``), not a
#: word a name keeps from its original.
COMMON_ZIPF = 4.0


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
    (``Mme Keller``/``Anna Keller``), not a rendering of the name. An institution's head noun
    takes no title or given name (``Viva Commission``/``Wildlife Commission``: the name changed),
    nor does a city (``Largo Beach``/``Long Beach``; its names in other languages are known)."""
    ca, cb = m.content, ref.content
    k = 0
    while k < min(len(ca), len(cb)) and same_word(ca[-1 - k], cb[-1 - k], m.lang, ref.lang):
        k += 1
    return k > 0 and not set(ca[:-k]) & set(cb[:-k]) and not institution(ref.text) and not is_city(ref.text)


def _descriptor_moved(m: Mention, ref: Mention) -> bool:
    """The replaced words stand at the other end of the name than the words they replace
    (``Liga Europa``/``Europa League``, ``Carolina do Sul``/``South Carolina``): the
    descriptor follows the word order of the version's language, as localisations do."""
    _, own = shared_words(m, ref)
    _, theirs = shared_words(ref, m)
    ca, cb = m.content, ref.content
    if not own or not theirs or len(own) == len(ca) or len(theirs) == len(cb):
        return False
    head = ca[:len(own)] == own and cb[-len(theirs):] == theirs
    tail = ca[-len(own):] == own and cb[:len(theirs)] == theirs
    return head or tail


def _kept_words_foreign_common(m: Mention, ref: Mention) -> bool:
    """A kept word is a common word of the other form's language and foreign to this version's
    (``Granite`` in ``Nuvem Granite``): a name made of ordinary words, half translated."""
    shared, _ = shared_words(m, ref)
    return any(zipf(ref.accented(w), ref.lang) >= 3.0 and nativeness([m.accented(w)], m.lang, [ref.lang]) <= -1.5
               for w in shared)


def _title_before_known_name(m: Mention, ref: Mention, idx: NameIndex) -> bool:
    """Only the first word differs and the rest is a name the story also uses on its own
    (``Senador Jeff Flake``/``Senator Jeff Flake`` where ``Flake`` appears alone): a title."""
    ca, cb = m.content, ref.content
    if len(ca) < 2 or len(ca) != len(cb) or same_word(ca[0], cb[0], m.lang, ref.lang):
        return False
    if not all(same_word(x, y, m.lang, ref.lang) for x, y in zip(ca[1:], cb[1:])):
        return False
    rest = ca[1:]
    return any(len(o.content) < len(ca) and o.content and set(o.content) <= set(rest)
               for d in idx.versions + idx.context for o in idx.mentions[d])


def _common_word_for_kept_name_word(ctx: CheckContext, cl: Cluster, m: Mention, ref: Mention, idx: NameIndex) -> bool:
    """``m`` puts a common word of its language where every other version of the row keeps the
    name's own word (``Mogollon Raum`` for *Mogollon Rim*): the name garbled by translation, whatever
    the word means."""
    _, own = shared_words(m, ref)
    _, theirs = shared_words(ref, m)
    translated = _translated_words(m, ref, idx.other_langs(m.lang))
    return bool(own) and all(w in translated or _common_here(m, w) for w in own) \
        and NameInconsistent._kept_by_all(ctx, cl, m, theirs)


def _common_here(m: Mention, word: str) -> bool:
    """``word`` of ``m`` is a common word of its language, whether or not of others too (``vista``
    in Portuguese, as in Italian; not ``gazette`` in Dutch): not what a name keeps from its original."""
    return zipf(m.accented(word), m.lang) >= COMMON_ZIPF


def _translated_throughout(m: Mention, ref: Mention) -> bool:
    """The words ``m`` shares with ``ref`` are common words of its own language too (``Artificial``
    in ``Centro Conjunto de Inteligência Artificial``): a name translated word for word, cognates
    and all, not half translated; whether it should have been is XL202's question."""
    shared = [w for w in shared_words(m, ref)[0]  # a place's name is no cognate (London), unless a word too (Kim)
              if not is_place(m.accented(w)) or is_ordinary([m.accented(w)], m.lang, [ref.lang])]
    return bool(shared) and all(zipf(m.accented(w), m.lang) >= 3.5 and nativeness([m.accented(w)], m.lang, [ref.lang]) >= -0.5
                                for w in shared)


def _keeps_original(m: Mention, ref: Mention, idx: NameIndex) -> bool:
    """``m`` keeps the name's words where ``ref`` put common words of its own language
    (``Europa League`` against ``Liga Europa``): the others localised, this version did not, and
    keeping a name as it is is no slip."""
    _, theirs = shared_words(ref, m)
    return bool(theirs) and all(_common_here(ref, w) for w in theirs) \
        and not _translated_words(m, ref, idx.other_langs(m.lang))


def _descriptor_translated(cl: Cluster, m: Mention, ref: Mention, idx: NameIndex) -> bool:
    """Every other version that writes ``ref``'s form has, where ``m``'s words differ, common words
    of its own language, at home there more than in the story's other languages (``Estadio``,
    ``Estádio`` where a German version keeps the *Stadio* of *Stadio San Paolo*): they translated a
    word of the name, ``m`` kept it, however alike the two look. A word common in every language
    (``John``), or foreign to one of them (the *Research* of *Microsoft Research* in German), is
    the name's own."""
    writers = [o for o in cl.mentions if o.doc != m.doc and equivalent(o, ref)]

    def translates(o: Mention) -> bool:
        _, theirs = shared_words(o, m)
        words = [o.accented(w) for w in theirs]
        return bool(words) and all(_common_here(o, w) for w in theirs) \
            and nativeness(words, o.lang, idx.other_langs(o.lang)) >= 1.0

    return bool(writers) and all(translates(o) for o in writers)


def _acronym(m: Mention, word: str) -> bool:
    """The mention writes this (folded) word in capitals: an acronym."""
    return any(fold(t.text) == word and t.text.isupper() and len(t.text) >= 2 for t in tokenize(m.text))


def _ordinary(m: Mention, idx: NameIndex, sharing: frozenset[str] = frozenset()) -> bool:
    """The mention is made of ordinary words of its language (as much at home there as in any
    other language of the story but the ``sharing`` ones)."""
    return is_ordinary(split_words(m.text, True), m.lang, [x for x in idx.other_langs(m.lang) if x not in sharing])


def _shared_translation(writers: Sequence[Mention], idx: NameIndex) -> bool:
    """Two or more languages write this form, each in ordinary words of its own, about as much at
    home in each as in the others (``Parlamento Europeo`` in Spanish and Italian): a translation
    they happen to share, not the name's own form that others would have to keep (``Granite
    Cloud``, English words a French version keeps)."""
    langs = frozenset(m.lang for m in writers)
    return len(langs) >= 2 and all(
        _ordinary(m, idx, langs) and nativeness(content_words(split_words(m.text, True)), m.lang, langs) >= -0.5
        for m in writers)


def _translated_words(m: Mention, ref: Mention, others: Sequence[str]) -> list[str]:
    """Replaced words of ``m`` that are ordinary words of its language."""
    _, own = shared_words(m, ref)
    return [w for w in own if is_ordinary([m.accented(w)], m.lang, others)]


def _classes(ms: Sequence[Mention]) -> list[list[Mention]]:
    """The mentions grouped by form: one name in two forms (:func:`equivalent`), or with a city
    each names as its language does (``Rapid Vienne`` / ``Rapid Vienna``)."""
    out: list[list[Mention]] = []
    for m in ms:
        for c in out:
            if equivalent(m, c[0]) or _same_but_cities(m, c[0]):
                c.append(m)
                break
        else:
            out.append([m])
    return out


def _class_support(idx: NameIndex, cls: Sequence[Mention]) -> tuple[set[str], set[str], bool]:
    """:meth:`NameIndex.support` of a class of mentions: of its first form, and of the forms that
    differ from it only by a city's name (:func:`_same_but_cities`)."""
    forms = {m.words: m for m in cls if m.words == cls[0].words or _same_but_cities(m, cls[0])}
    parts = [idx.support(m.words, m.lang) for m in forms.values()]
    return set().union(*(v for v, _, _ in parts)), set().union(*(c for _, c, _ in parts)), any(g for *_, g in parts)


def _same_but_cities(a: Mention, b: Mention) -> bool:
    """Word for word the same name (spelt alike), but for a city's name in each language (GeoNames)."""
    ca, cb = a.content, b.content
    return len(ca) == len(cb) and ca != cb and all(x == y or same_place(x, y) for x, y in zip(ca, cb))


@register
class NameInconsistent(Rule):
    """A proper name reads differently in one version than in the others.

    ## What it does
    Extracts the names of every version (people, companies, products, places, publications),
    matches them across the versions of each row (same words up to case, accents, hyphens,
    inflection; close spelling; words kept and words replaced) and flags the version whose form
    the other versions, the context documents and the do-not-translate glossary do not use.
    The more sources agree on the other form, the higher the severity (forms that differ only
    by a city's name, each version naming it in its language, are one); a version that uses
    both forms is flagged where it departs from the story; so is a version that puts a common
    word of its language where every other version keeps the name's word, whatever the word
    means (the name garbled or half translated), or that turns words of a name of several into
    ordinary words of its language where every other version, two or more, keeps them
    (``Rápido Viena`` for *Rapid Vienna*: no language localises them). Established
    localisations (a place name that is a common word of the language, ``München``/``Munich``;
    a city named as the version's language names it, also inside another name, by GeoNames'
    names of cities: ``Rapid Viena``/``Rapid Vienna``), place adjectives
    (``Belfaster``, ``New Yorker``), a name romanised by each language's convention
    (``Wladimir``/``Vladimir``, ``Poutine``/``Putin``) and a title before a name the story also uses alone
    (``Senador Jeff Flake``) are left alone, and so is a name translated word for word whose
    shared words are common words of the version's language too (``Centro Regional de Pesquisa
    Climática``: whether it should be translated is XL202's question); a descriptor translated and moved where the
    version's language puts it (``Coupe Betfred``, ``Liga Europa``) is info unless a context
    document or the glossary pins the other form, and a version that keeps the name's own words
    where the others localised them (``Europa League``) is not flagged.

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
        Severity.WARNING: "a single source has the other form, or a word of the name is translated into a common "
                          "word of the version that some other version does not keep, or that is spelled like the "
                          "word every other version keeps and means it (a localised descriptor: `Estadio San Paolo` "
                          "for `Stadio San Paolo`)",
        Severity.INFO: "a descriptor translated and put where the version's language puts it (`Coupe Betfred` for "
                       "`Betfred Cup`, `Liga Europa` for `Europa League`), no context document or glossary entry "
                       "pinning the other form: professional translators localise descriptors so",
    }
    summary = "A proper name is spelled or rendered differently in this version"
    options = {"max_words": 4.0, "min_word_z": 1.5}

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        idx = story_names(ctx)
        rows = {k for k, _ in ctx.content_rows()}
        for k in sorted(idx.clusters):
            if k not in rows:
                continue
            for cl in idx.clusters[k]:
                yield from self._cluster(ctx, idx, cl)

    def _cluster(self, ctx: CheckContext, idx: NameIndex, cl: Cluster) -> Iterator[Finding]:
        classes = _classes(cl.mentions)
        if len(classes) < 2:
            return
        sup = [_class_support(idx, c) for c in classes]
        total = [len(v) + len(c) + int(g) for v, c, g in sup]
        best = max(range(len(classes)), key=lambda i: (total[i], len({m.doc for m in classes[i]}), len(classes[i])))
        if total.count(total[best]) > 1:  # no form wins: vote word by word
            yield from self._by_words(ctx, idx, cl, classes)
            return
        versions, context, glossary = sup[best]
        shared = not context and not glossary and _shared_translation(classes[best], idx)
        for i, cls in enumerate(classes):
            if i == best:
                continue
            for m in cls:
                if any(equivalent(m, o) for o in classes[best] if o.doc == m.doc):
                    continue
                if shared and _ordinary(m, idx):
                    continue  # each language's own rendering of a name the others translate too
                rels = [(relation(m, o), o) for o in classes[best]]
                rels = [(r, o) for r, o in rels if r and r[0] in ("variant", "partial")]
                if not rels:
                    continue
                rel, ref = max(rels, key=lambda x: x[0][1])
                independent = total[best] - (m.doc in versions)
                if independent < 1 or not self._comparable(ctx, cl, m, ref, rel[0], idx):
                    continue
                where = self._sources(ctx, idx, m, versions, context, glossary)
                yield self._finding(ctx, idx, cl, m, ref, rel[0], classes[best], where,
                                    Severity.ERROR if independent >= 2 else Severity.WARNING,
                                    pinned=bool(context) or glossary)

    def _by_words(self, ctx: CheckContext, idx: NameIndex, cl: Cluster,
                  classes: list[list[Mention]]) -> Iterator[Finding]:
        """No form is the majority's (``Granit Cloud``/``Nuvem Granite``/``Granite Cloud``): take
        the form each of whose words most versions use, flag the words the others replaced. A
        version in a script without capitals that has no mention of the name uses a word it writes
        by its sounds (``ニコ・サルトーリ``, *Nico Sartori*)."""
        named = {m.doc for m in cl.mentions}
        sounds = {d: found for d, found in self._sounds(ctx, cl, cased).items() if d not in named}

        def support(word: str, lang: str) -> set[str]:
            docs = {m.doc for m in cl.mentions if any(same_word(word, w, lang, m.lang) for w in m.content)}
            return docs | {d for d in idx.context if any(same_word(word, w) for o in idx.mentions[d] for w in o.content)} \
                | {d for d, found in sounds.items() if any(word_found(w, found) for w in [word, *case_stems(word, lang)])}

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
                if not rel or rel[0] not in ("variant", "partial") or not self._comparable(ctx, cl, m, ref, rel[0], idx):
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
                                    Severity.ERROR if independent >= 2 else Severity.WARNING,
                                    pinned=any(d in idx.context for d in docs))

    def _comparable(self, ctx: CheckContext, cl: Cluster, m: Mention, ref: Mention, kind: str, idx: NameIndex) -> bool:
        """A difference worth a finding: short names (long capitalised runs are titles and menus
        more often than names), not a localisation, not a title (nameparser's list: ``Senador``/
        ``Senator``) or given name put before the same surname (but a common word of the version that
        means nothing of the one every other version keeps: ``Hoop Daddy``), not a city's name in the version's
        language (GeoNames); a word replaced in a partial rendering must mean what it replaces
        (``Nuvem``/``Cloud``, not ``Contact``/``Press``)."""
        if max(len(m.content), len(ref.content)) > self.opts["max_words"]:
            return False
        if same_place(m.text, ref.text):
            return False  # one city as each language names it (Nueva York / New York)
        _, own = shared_words(m, ref)
        _, theirs = shared_words(ref, m)
        if any(words and all(is_title(w) for w in words) for words in (own, theirs)):
            return False  # a title as the language writes it (Senador/Senator Jeff Flake, Mme/Anna Keller)
        if kind == "partial":
            common = _common_word_for_kept_name_word(ctx, cl, m, ref, idx)
            if _prefix_change(m, ref):
                if not (common and self._garbles(ctx, cl, m, ref, own, theirs, idx)):
                    return False
            elif not (common or self._same_meaning(ctx, m, ref, own, theirs)):
                return False
        if kind == "partial" and _keeps_original(m, ref, idx) \
                or kind == "variant" and _descriptor_translated(cl, m, ref, idx):
            return False
        if kind == "partial" and _translated_throughout(m, ref):
            return False
        if own and all(_acronym(m, w) for w in own) and all(_acronym(ref, w) for w in theirs):
            return False  # acronyms and legal forms follow the language (SERI/SEFRI, AG/SA)
        if _title_before_known_name(m, ref, idx):
            return False
        if own and all(any(romanisation_key(x) == romanisation_key(y) for y in theirs) for x in own):
            return False  # one name romanised by each language's convention (Wladimir/Vladimir, Poutine/Putin)
        if self._translates_words_others_keep(ctx, cl, m, ref):
            return True
        if own and all(any(same_place(x, y) for y in theirs) for x in own):
            return False  # a place named as the version's language names it (Rapid Viena / Rapid Vienna)
        return not _localised(m, ref, list(idx.langs.values()) + ["en"])

    @classmethod
    def _translates_words_others_keep(cls, ctx: CheckContext, cl: Cluster, m: Mention, ref: Mention) -> bool:
        """The version turns words of the name into ordinary words of its own language (``Rapide
        Lisbonne``, ``Rápido Lisboa``) that every other version, two or more, keeps as they are
        (*Rapid Lisbon*): no localisation, since no other language localises them. The name's
        other words are kept, inflected, or a place's, which each language names its own way
        (``Lisbonne``); a name of one word rendered otherwise is the language's name for it
        (``Kreml``, ``Chine``). Each word is paired with the kept word it looks most like."""
        theirs = ref.content
        if len({d for d, ids in ctx.rows[cl.row].cells.items() if ids} - {m.doc}) < 2:
            return False
        changed = []
        for x in m.content:
            y = max(theirs, key=lambda w: char_similarity(x, w), default="")
            if same_word(x, y, m.lang, m.lang) or is_place(ref.accented(y)):
                continue
            if not is_ordinary([m.accented(x)], m.lang, []):
                return False
            changed.append(y)
        return 0 < len(changed) < len(m.content) and cls._kept_by_all(ctx, cl, m, changed)

    def _garbles(self, ctx: CheckContext, cl: Cluster, m: Mention, ref: Mention, own: list[str], theirs: list[str],
                 idx: NameIndex) -> bool:
        """Where a title or a given name would stand, before the surname both keep, ``m`` puts common
        words of its language (:func:`_common_word_for_kept_name_word`), one for each word of ``ref``,
        that mean nothing of them and name no one in the other versions: the name garbled (``Hoop
        Daddy`` for *Puff Daddy*). Not where ``m``'s version writes ``ref`` too (a relative of the
        same surname: ``Johna Moonfielda`` beside *David Moonfield*), nor before a place, whose part
        the language may name its own way (``Baixa de Manhattan``)."""
        named = [w for d in idx.versions if d != m.doc for o in idx.mentions[d] for w in o.content]
        writes_ref = any(o.doc == m.doc and all(any(same_word(w, x, ref.lang, o.lang) for x in o.content)
                                                for w in ref.content) for o in cl.mentions)
        return len(own) == len(theirs) and not any(word_found(w, named) for w in own) and not writes_ref \
            and not is_place(" ".join(ref.accented(w) for w in shared_words(ref, m)[0])) \
            and not self._same_meaning(ctx, m, ref, own, theirs)

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
        """Every other version of the row writes these words of the name as they are, or by their
        sounds in another script (``Карнеги-Меллона`` keeps *Carnegie Mellon*)."""
        others = {d for d, ids in ctx.rows[cl.row].cells.items() if ids} - {m.doc}
        scripts = NameInconsistent._sounds(ctx, cl, is_latin)
        return all(others <= {o.doc for o in cl.mentions if any(same_word(w, x) for x in o.content)}
                   | {d for d, found in scripts.items() if word_found(w, found)} for w in words)

    @staticmethod
    def _sounds(ctx: CheckContext, cl: Cluster, skip: Callable[[str], bool]) -> dict[str, list[str]]:
        """The words, in Latin letters, of the row's versions whose text ``skip`` leaves (not in
        Latin letters, or without capitals): names there are written by their sounds (a run of
        katakana, which Japanese writes foreign names in, is a word)."""
        return {d: name_words(katakana_spaced(text)) for d, ids in ctx.rows[cl.row].cells.items()
                if ids and not skip(text := ctx.row_text(cl.row, d))}

    @staticmethod
    def _sources(ctx: CheckContext, idx: NameIndex, m: Mention, versions: set[str], context: set[str],
                 glossary: bool, word_by_word: bool = False) -> str:
        where = [d for d in idx.versions if d in versions and d != m.doc]
        out = []
        if where:
            out.append(f"going by the words {languages(ctx, where)} use" if word_by_word else f"in {languages(ctx, where)}")
        if context:
            out.append("in the context documents")
        if glossary:
            out.append("in the glossary")
        if m.doc in versions:
            out.append("elsewhere in this version")
        return " and ".join(out)

    def _finding(self, ctx: CheckContext, idx: NameIndex, cl: Cluster, m: Mention, ref: Mention, kind: str,
                 best: list[Mention], where: str, severity: Severity, pinned: bool = False) -> Finding:
        """``pinned``: a context document or the glossary writes the other form."""
        surface = Counter(" ".join(o.text.split()) for o in best if o.doc != m.doc).most_common(1)
        expected = surface[0][0] if surface else ref.text
        translated = _translated_words(m, ref, idx.other_langs(m.lang))
        how = ("partly translated" if translated else "changed") if kind == "partial" else \
            ("a word of the name translated" if translated else "spelled differently")
        (shared, own), theirs = shared_words(m, ref), shared_words(ref, m)[1]
        if translated and shared and severity > Severity.WARNING \
                and (not self._kept_by_all(ctx, cl, m, theirs)
                     or kind == "variant" and self._same_meaning(ctx, m, ref, own, theirs)):
            # a localised descriptor (Estádio Etihad), or one spelled like the word every other version
            # keeps and meaning it (Estadio San Paolo for Stadio San Paolo): a convention as often as a slip
            severity = Severity.WARNING
        if translated and _descriptor_moved(m, ref) and not pinned and not _kept_words_foreign_common(m, ref):
            severity = Severity.INFO  # in the language's word order (Coupe Betfred): how translators localise
        related = [ctx.span(o.doc, o.start, o.end) for o in cl.mentions if o.doc != m.doc]
        return ctx.finding(self, m.doc, m.start, m.end, f"{quoted(m.text)} here, {quoted(expected)} {where} ({how})",
                           row=cl.row, related=related, suggestion=expected, severity=severity)


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
        if len(letters(w)) < 2 or key in CONNECTORS or key in CONNECTOR_ARTICLES or key in DETERMINERS:
            continue
        if max(zipf(w.lower(), m.lang), zipf(w.lower(), "en")) >= (5.0 if not w.islower() else 2.5):
            continue  # an ordinary word ("toolbox"), or one too common to tell ("IT"/"It", "US"/"us")
        if text[s - 1:s] in (".", "@", "/") or re.match(r"[.@/]\w", text[s + len(w):s + len(w) + 2]):
            continue
        yield _Word(m.doc, s, s + len(w), w, key, m.initial and s == m.start, m.sentence)


def _pattern(text: str, n: int) -> str:
    return "".join("A" if c.isupper() else "a" for c in letters(text)[:n])


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
    """Internal capitals that cut the word into known words or acronyms (``PayPal``,
    ``YouTube``, ``SoundCloud``), not into fragments (``SouNdcloud``, ``GiTHub``): a brand's own
    casing that a flattened majority (``Paypal``) does not outvote."""
    parts = re.findall(r"[A-Z]{2,}(?![a-z])|[A-Z][a-z]+|[a-z]+|[A-Z]", letters(word))
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
        rows = {k for k, _ in ctx.content_rows()}
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
        n = min(len(letters(w.text)) for w in g)
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
                where.append(f"in {languages(ctx, [o.doc for o in peers])}")
            elif others & set(idx.versions):
                where.append(f"in {languages(ctx, [d for d in idx.versions if d in others])}")
            if others & set(idx.context):
                where.append("in the context documents")
            if within:
                where.append(f"elsewhere in this version ({own}×)")
            related = [ctx.span(o.doc, o.start, o.end) for o in peers] or [ctx.span(example.doc, example.start, example.end)]
            pattern = canon if not w.initial else _pattern(w.text, 1) + canon[1:]
            yield ctx.finding(self, w.doc, w.start, w.end,
                              f"{quoted(w.text)} here, {quoted(example.text)} {' and '.join(where)}",
                              row=k, related=related, suggestion=_recase(w.text, pattern))
