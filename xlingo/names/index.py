"""Names matched across the versions of a story: relations between mentions, row clusters, support."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from xlingo.language import primary_language, zipf
from xlingo.names.mentions import RARE_ZIPF, Mention, Token, extract, has_shape, mention_of, sentence_style, tokenize
from xlingo.names.words import char_similarity, content_words, same_word, split_words
from xlingo.stats import UnionFind

if TYPE_CHECKING:
    from xlingo.annotate.context import CheckContext


# --------------------------------------------------------------------------- relations


def bucket(words: Sequence[str]) -> str:
    """A key that :func:`equivalent` forms always share (the first letters of the name)."""
    return "".join(words)[:3]


def equivalent(a: Mention | Sequence[str], b: Mention | Sequence[str], lang_a: str = "", lang_b: str = "") -> bool:
    """One name in two forms: same words up to case, accents, inflection, hyphens and spaces."""
    wa = a.words if isinstance(a, Mention) else tuple(a)
    wb = b.words if isinstance(b, Mention) else tuple(b)
    la = a.lang if isinstance(a, Mention) else lang_a
    lb = b.lang if isinstance(b, Mention) else lang_b
    if "".join(wa) == "".join(wb):
        return True
    ca, cb = content_words(wa), content_words(wb)
    return bool(ca) and len(ca) == len(cb) and all(same_word(x, y, la, lb) for x, y in zip(ca, cb))


def shared_words(a: Mention, b: Mention) -> tuple[list[str], list[str]]:
    """Content words of ``a`` found in ``b`` and those not found (inflection-tolerant)."""
    shared, own = [], []
    cb = b.content
    for w in a.content:
        (shared if any(same_word(w, v, a.lang, b.lang) for v in cb) else own).append(w)
    return shared, own


#: Relations between two mentions, strongest first.
RELATIONS = ("same", "variant", "partial", "short")


_RELATION_MEMO: dict[tuple, tuple[str, float] | None] = {}


def relation(a: Mention, b: Mention, min_similarity: float = 0.8) -> tuple[str, float] | None:
    """How two mentions of different versions relate: ``same`` name, spelling ``variant``,
    ``partial`` rendering (words kept and words replaced), ``short`` form (one holds the
    other), or None. Memoised on the forms (rows dense with one repeated name stay fast)."""
    key = (a.words, a.text, a.lang, b.words, b.text, b.lang, min_similarity)
    if key not in _RELATION_MEMO:
        if len(_RELATION_MEMO) >= 200_000:
            _RELATION_MEMO.clear()
        _RELATION_MEMO[key] = _relation(a, b, min_similarity)
    return _RELATION_MEMO[key]


def _relation(a: Mention, b: Mention, min_similarity: float) -> tuple[str, float] | None:
    if equivalent(a, b):
        return "same", 1.0
    ca, cb = a.content, b.content
    if not ca or not cb:
        return None
    if len(ca) == len(cb) and min(len(a.key), len(b.key)) >= 4 and _may_reach(a.text, b.text, min_similarity):
        sim = char_similarity(a.text, b.text)
        if sim >= min_similarity:
            return "variant", sim
    shared_a, own_a = shared_words(a, b)
    if not shared_a or max(len(w) for w in shared_a) < 3:
        return None
    _, own_b = shared_words(b, a)
    share = len(shared_a) / max(len(ca), len(cb))
    if own_a and own_b and max(map(len, own_a + own_b)) > 3:
        return "partial", share
    return "short", share


def _rank(rel: tuple[str, float]) -> tuple[int, float]:
    return -RELATIONS.index(rel[0]), rel[1]


# --------------------------------------------------------------------------- index


@dataclass
class Cluster:
    """The mentions of one name in one row, across versions."""

    row: int
    mentions: list[Mention]

    @property
    def docs(self) -> list[str]:
        return list(dict.fromkeys(m.doc for m in self.mentions))


class NameIndex:
    """Every document's name mentions, their rows, and the row clusters of one story.

    ``docs`` are ``(id, lang, text, [(sentence id, start, end)], is_version)``; ``rows`` map
    each row index to ``{doc id: (sentence ids)}``.
    """

    def __init__(self, docs: Sequence[tuple[str, str, str, Sequence[tuple[int, int, int]], bool]],
                 rows: Sequence[dict[str, tuple[int, ...]]], glossary_terms: Sequence[str] = (),
                 min_similarity: float = 0.8) -> None:
        self.min_similarity = min_similarity
        self.langs = {d: primary_language(lang) for d, lang, *_ in docs}
        self.texts = {d: text for d, _, text, *_ in docs}
        self.versions = [d for d, *_, is_version in docs if is_version]
        self.context = [d for d, *_, is_version in docs if not is_version]
        self.glossary_terms = list(glossary_terms)
        self._sentence_spans = {d: list(spans) or [(-1, 0, len(text))] for d, _, text, spans, _ in docs}
        self._spans_by_id = {d: {i: (s0, s1) for i, s0, s1 in spans} for d, spans in self._sentence_spans.items()}
        first = {d: extract(text, lang, spans, d) for d, lang, text, spans, _ in docs}
        self.mentions = self._add_known(first)
        self.row_of: dict[tuple[str, int], int] = {}
        for k, cells in enumerate(rows):
            for d, ids in cells.items():
                for i in ids:
                    self.row_of[(d, i)] = k
        self.by_row: dict[int, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
        for d in self.versions:
            for m in self.mentions[d]:
                k = self.row_of.get((d, m.sentence))
                if k is not None:
                    self.by_row[k][d].append(m)
        for k, cells in enumerate(rows):
            self._add_row_variants(k, cells)
        self.clusters: dict[int, list[Cluster]] = {k: self._cluster(k, cells) for k, cells in self.by_row.items()}
        self._buckets: dict[str, dict[str, list[Mention]]] = {d: defaultdict(list) for d in self.mentions}
        for d, ms in self.mentions.items():
            for m in ms:
                self._buckets[d][bucket(m.words)].append(m)

    # -- pass 2: names known from anywhere in the story
    def _add_known(self, first: dict[str, list[Mention]]) -> dict[str, list[Mention]]:
        known: dict[tuple[str, ...], bool] = {}
        for ms in first.values():
            for m in ms:
                strong = m.evidence in ("shape", "capital") or len(m.content) >= 2
                if strong and m.content:
                    known[m.words] = known.get(m.words, False) or any(has_shape(w) for w in m.text.split())
        out: dict[str, list[Mention]] = {}
        for d, ms in first.items():
            lang, text = self.langs[d], self.texts[d]
            found = list(ms)
            for sent, s0, s1 in self._sentence_spans[d]:
                toks = tokenize(text, s0, s1)
                shouting, _ = sentence_style(toks)
                folded = [split_words(t.text) for t in toks]
                index: dict[str, list[int]] = defaultdict(list)
                for i, f in enumerate(folded):
                    if f:
                        index[f[0][:3]].append(i)
                for words, shaped in known.items():
                    for i in index.get(words[0][:3], ()):
                        n = self._match_len(words, folded, toks, i, lang)
                        t0 = toks[i]
                        if n and (t0.upper_initial or (shaped and zipf(t0.text, lang) < RARE_ZIPF)):
                            found.append(mention_of(d, lang, text, toks[i:i + n], sent, "known", shouting))
            out[d] = _non_overlapping(found)
        return out

    @staticmethod
    def _match_len(words: tuple[str, ...], folded: list[tuple[str, ...]], toks: Sequence[Token], i: int,
                   lang: str) -> int:
        """Number of tokens from ``i`` that spell ``words`` (hyphenated tokens hold several)."""
        k, n = 0, 0
        while k < len(words):
            if i + n >= len(folded) or (n and not toks[i + n].joined):
                return 0
            f = folded[i + n]
            if len(f) > len(words) - k or not all(same_word(a, b, lang, "") for a, b in zip(f, words[k:k + len(f)])):
                return 0
            k += len(f)
            n += 1
        return n

    # -- pass 3: a name of the row, spelled close enough in a version where capitals said nothing
    def _add_row_variants(self, k: int, cells: dict[str, tuple[int, ...]]) -> None:
        row = self.by_row.get(k)
        if not row:
            return
        spans = self._spans_by_id
        for d in self.versions:
            ids = cells.get(d, ())
            if not ids:
                continue
            missing = [o for od, ms in list(row.items()) if od != d for o in ms
                       if len(o.key) >= 4 and not any(relation(v, o, self.min_similarity) for v in row.get(d, []))]
            if not missing:
                continue
            lang, text = self.langs[d], self.texts[d]
            names = list(dict.fromkeys(o.text for o in missing))  # a name the others share: once
            sizes = {n: sorted({max(1, n - 1), n, n + 1}) for n in {len(tokenize(name)) for name in names}}
            added = []
            for i in ids:
                if i not in spans[d]:
                    continue
                windows = _windows(text, tokenize(text, *spans[d][i]), max(s for ss in sizes.values() for s in ss))
                for name in names:
                    for size in sizes[len(tokenize(name))]:
                        for win, w in windows.get(size, ()):
                            if _may_reach(w, name, self.min_similarity) and char_similarity(w, name) >= self.min_similarity:
                                added.append(mention_of(d, lang, text, win, i, "row", False))
            if added:
                row[d] = _non_overlapping(row.get(d, []) + added)
                self.mentions[d] = _non_overlapping(self.mentions[d] + [m for m in row[d] if m.evidence == "row"])

    # -- clusters of a row
    def _cluster(self, k: int, cells: dict[str, list[Mention]]) -> list[Cluster]:
        nodes = [m for d in cells for m in cells[d]]
        sets = UnionFind(range(len(nodes)))
        pos = {id(m): i for i, m in enumerate(nodes)}
        docs = list(cells)
        for ai, a_doc in enumerate(docs):
            for b_doc in docs[ai + 1:]:
                for a, b in self._mutual_best(cells[a_doc], cells[b_doc]):
                    sets.union(pos[id(a)], pos[id(b)])
        groups: dict[int, list[Mention]] = defaultdict(list)
        for i, m in enumerate(nodes):
            groups[sets.find(i)].append(m)
        return [Cluster(k, sorted(g, key=lambda m: (self.versions.index(m.doc), m.start))) for g in groups.values()]

    def _mutual_best(self, xs: Sequence[Mention], ys: Sequence[Mention]) -> list[tuple[Mention, Mention]]:
        """Pairs of mentions of two versions, each the other's closest relation, taken in rounds:
        the mentions one round leaves are paired among themselves in the next."""
        rel = {(i, j): r for i, x in enumerate(xs) for j, y in enumerate(ys)
               if (r := relation(x, y, self.min_similarity)) is not None}
        by_x: dict[int, list[int]] = defaultdict(list)
        by_y: dict[int, list[int]] = defaultdict(list)
        for i, j in rel:  # grouped once: linear in the pairs, not quadratic
            by_x[i].append(j)
            by_y[j].append(i)
        pairs: list[tuple[Mention, Mention]] = []
        while by_x:  # mutual best pairs, then again among the mentions they leave (a misspelt
            # ``Trum`` in a row where the same version writes ``Trump`` too, which took the pair first)
            best_x = {i: max(js, key=lambda j: _rank(rel[(i, j)])) for i, js in by_x.items()}
            best_y = {j: max(ixs, key=lambda i: _rank(rel[(i, j)])) for j, ixs in by_y.items()}
            found = [(i, j) for i, j in best_x.items() if best_y.get(j) == i]
            if not found:
                break
            pairs += [(xs[i], ys[j]) for i, j in found]
            done_x, done_y = {i for i, _ in found}, {j for _, j in found}
            by_x = {i: left for i, js in by_x.items()
                    if i not in done_x and (left := [j for j in js if j not in done_y])}
            by_y = {j: left for j, ixs in by_y.items()
                    if j not in done_y and (left := [i for i in ixs if i not in done_x])}
        return pairs

    # -- evidence
    def uses(self, doc: str, words: Sequence[str], lang: str = "") -> list[Mention]:
        """Mentions of ``doc`` equivalent to a name form."""
        return [m for m in self._buckets.get(doc, {}).get(bucket(words), []) if equivalent(m, words, "", lang)]

    def support(self, words: Sequence[str], lang: str = "") -> tuple[set[str], set[str], bool]:
        """Versions and context documents that use a form anywhere, and whether a do-not-translate
        glossary term is that form."""
        versions = {d for d in self.versions if self.uses(d, words, lang)}
        context = {d for d in self.context if self.uses(d, words, lang)
                   or contains_words(self.texts[d], words)}
        glossary = any(equivalent(split_words(t), words) for t in self.glossary_terms)
        return versions, context, glossary

    def other_langs(self, lang: str) -> list[str]:
        """Languages against which ``lang``'s words are judged native or foreign (English included)."""
        return [x for x in dict.fromkeys([*self.langs.values(), "en"]) if x != lang]

    def row_names_agree(self, k: int) -> bool:
        """True when the row holds names that every one of its versions writes the same way."""
        agreeing = [c for c in self.clusters.get(k, []) if len(c.docs) >= 2
                    and all(equivalent(m, c.mentions[0]) for m in c.mentions)]
        disagreeing = [c for c in self.clusters.get(k, []) if len(c.docs) >= 2
                       and not all(equivalent(m, c.mentions[0]) for m in c.mentions)]
        return bool(agreeing) and not disagreeing


def story_names(ctx: CheckContext) -> NameIndex:
    """The story's :class:`NameIndex` (versions, context documents, do-not-translate terms),
    built once per check context (``ctx.cached``)."""
    return ctx.cached(_name_index)


def _name_index(ctx: CheckContext) -> NameIndex:
    docs = [(d.id, d.lang, d.text, [(s.i, s.start, s.end) for s in d.sentences], role)
            for role, ds in ((True, ctx.documents), (False, ctx.context_documents)) for d in ds]
    dnt = [e.term for e in ctx.glossary if getattr(e, "dnt", False)]
    return NameIndex(docs, [r.cells for r in ctx.rows], dnt)


def contains_words(text: str, words: Sequence[str]) -> bool:
    """The folded text holds the words in sequence (word boundaries respected)."""
    return bool(words) and f" {' '.join(words)} " in _haystack(text)


@lru_cache(maxsize=256)
def _haystack(text: str) -> str:
    return " " + " ".join(split_words(text)) + " "


def _windows(text: str, toks: Sequence[Token], longest: int) -> dict[int, list[tuple[list[Token], str]]]:
    """Runs of ``size`` tokens (up to ``longest``) that may spell a name, by size, in order: the
    first token capitalised or shaped, the others joined to it, the last no short word in lower
    case (a name ends with none: ``Rapid Wien am`` spells *Rapid Vienna* closer than ``Rapid
    Wien`` does); with their text."""
    out: dict[int, list[tuple[list[Token], str]]] = defaultdict(list)
    for a, first in enumerate(toks):
        if not (first.upper_initial or _shaped(first.text)):
            continue
        for size in range(1, longest + 1):
            if a + size > len(toks) or (size > 1 and not toks[a + size - 1].joined):
                break
            win = list(toks[a:a + size])
            if size == 1 or not (win[-1].text.islower() and len(win[-1].text) <= 3):
                out[size].append((win, text[win[0].start:win[-1].end]))
    return out


@lru_cache(maxsize=65536)
def _shaped(word: str) -> bool:
    return has_shape(word)


@lru_cache(maxsize=65536)
def _folded_length(text: str) -> int:
    return len("".join(split_words(text)))


def _may_reach(a: str, b: str, least: float) -> bool:
    """Whether :func:`char_similarity` of ``a`` and ``b`` can reach ``least``: the ratio of a
    match is at most twice the shorter folded length over the sum of both (exact bound)."""
    if least <= 0:
        return True
    la, lb = _folded_length(a), _folded_length(b)
    return la > 0 and lb > 0 and 2.0 * min(la, lb) / (la + lb) >= least


def _non_overlapping(ms: list[Mention]) -> list[Mention]:
    """Longest mentions first; drop any that overlaps one already kept."""
    kept: list[Mention] = []
    taken: set[int] = set()
    for m in sorted(ms, key=lambda m: (-(m.end - m.start), m.evidence == "known", m.start)):
        if taken.isdisjoint(range(m.start, m.end)):
            kept.append(m)
            taken.update(range(m.start, m.end))
    return sorted(kept, key=lambda m: m.start)

