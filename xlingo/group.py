"""Story grouping: which feed documents are versions of one story, related articles, or unrelated.

Every signal is rank-based or relative to the feed or the story, so the thresholds hold for
encoders that spread cosines very differently (e5 crowds everything into 0.8-0.97, USE spreads
0-0.9; see ``shared/notes/models.md``):

* **coverage**: the share of the shorter document's sentences matched to a sentence of the other
  document that is its mutual nearest neighbour among *all* the feed's sentences in the two
  languages and stands out from the feed's background similarity (a robust z-score: median and
  MAD over sentence pairs of different documents that are not best matches);
* **order**: the share of concordant pairs among those matches (translations keep the order of
  their sentences, an article rewritten from the same facts does not need to);
* **length ratio**: versions of one story have similar sentence counts.

Two documents are versions of each other when all three pass. Versions are merged into stories
greedily, strongest pair first, one document per language, and a document joins a story only if
it is a version of at least ``min_link`` of its members.

A document left outside every story is **related** to a story when at least two (and 10%) of its
informative sentences (three words or more) reach half-way up *the story's own scale*: 0 is the story's background (the similarity
of its unmatched sentence pairs), 1 its translation level (the median similarity of its version
matches, at least ``match_z`` feed SDs above 0), and a sentence's level is its best match
averaged over the versions in other languages. A related document is passed to that story as context (it may name
things correctly); anything else is **unrelated**.

Only candidate pairs are compared: each document's nearest documents by document vector (the
normalised mean of its sentence vectors) and by votes of its sentences' nearest neighbours.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from xlingo.model import Document, GroupEntry
from xlingo.stats import robust_spread

_BACKGROUND_SAMPLE = 2000  # sentences sampled (each side) for the feed background
_SENTENCE_NEIGHBOURS = 3  # nearest sentences of other documents that vote for candidate pairs
_MIN_BACKGROUND = 20  # unmatched sentence pairs a story needs for its own background (else the feed's)
_MIN_WORDS = 3  # words a sentence needs to count as evidence that a document is related
_WORD = re.compile(r"\w+")
_BLOCK = 512  # rows of a similarity block, at most
_BLOCK_CELLS = 4_000_000  # similarities in one block, at most (memory flat whatever the feed's size)
EXACT_LIMIT = 10_000  # sentences searched exactly (all pairs); beyond, among nearby documents (blocking)


@dataclass(frozen=True)
class GroupParams:
    """Thresholds of the grouping (calibrated on made-up stories and Text+Berg windows)."""

    match_z: float = 2.0  # a sentence match stands this many robust SDs above the feed background
    min_coverage: float = 0.6  # share of the shorter document's sentences in such matches
    min_order: float = 0.8  # share of concordant pairs among the matches
    min_length_ratio: float = 0.5  # sentence counts, shorter over longer
    min_link: float = 0.5  # share of a story's members a joining document must be a version of
    related_level: float = 0.5  # on a story's scale: 0 its unmatched background, 1 its translation level
    related_matches: int = 2  # sentences of a related document at that level or above
    related_share: float = 0.1  # and at least this share of its sentences
    candidates: int = 10  # documents compared per document: nearest by vector, and by sentence votes
    same_language: bool = False  # may two documents in one language be versions of each other?


@dataclass
class PairStats:
    """How two documents' sentences match."""

    coverage: float
    order: float
    length_ratio: float
    matches: list[tuple[int, int, float]]  # (sentence of a, sentence of b, cosine), mutual and strong
    unmatched: np.ndarray  # cosines of the sentence pairs that are not matches

    def is_version(self, params: GroupParams) -> bool:
        return (self.coverage >= params.min_coverage and self.order >= params.min_order
                and self.length_ratio >= params.min_length_ratio)

    @property
    def score(self) -> float:
        return self.coverage * self.order


@dataclass
class StoryGroup:
    """The versions of one story and the related documents passed to it as context."""

    id: str
    versions: list[Document]
    context: list[Document] = field(default_factory=list)


@dataclass
class Grouping:
    """Stories to check, and how every document was placed."""

    stories: list[StoryGroup]
    entries: list[GroupEntry]


def document_vector(vectors: np.ndarray) -> np.ndarray:
    """The normalised mean of a document's sentence vectors."""
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean


def background(vectors: Mapping[str, np.ndarray], langs: Mapping[str, str]) -> tuple[float, float]:
    """Median and robust SD (1.4826 MAD) of the similarity of sentences that are not counterparts.

    Sentence pairs of different documents in different languages (any two documents when all share
    one language), leaving out each sentence's best match in each other document, which may be its
    translation; sampled deterministically in large feeds.
    """
    ids = [d for d in vectors if len(vectors[d])]
    if len(ids) < 2:
        return 0.0, 1.0
    mat = np.concatenate([vectors[d] for d in ids])
    owner = np.concatenate([np.full(len(vectors[d]), k) for k, d in enumerate(ids)])
    lang = np.array([langs[d] for d in ids])[owner]
    rng = np.random.default_rng(0)
    rows = np.sort(rng.choice(len(mat), min(len(mat), _BACKGROUND_SAMPLE), replace=False))
    cols = np.sort(rng.choice(len(mat), min(len(mat), _BACKGROUND_SAMPLE), replace=False))
    sims = mat[rows] @ mat[cols].T
    starts = np.flatnonzero(np.r_[True, owner[cols][1:] != owner[cols][:-1]])
    best = np.repeat(np.maximum.reduceat(sims, starts, axis=1), np.diff(np.r_[starts, len(cols)]), axis=1)
    keep = (owner[rows][:, None] != owner[cols][None, :]) & (sims < best)
    cross = keep & (lang[rows][:, None] != lang[cols][None, :])
    values = sims[cross] if np.any(cross) else sims[keep]
    if values.size == 0:
        return 0.0, 1.0
    return robust_spread(values, floor=1e-3)


def pair_stats(a: np.ndarray, b: np.ndarray, center: float, scale: float, match_z: float,
               mutual: np.ndarray | None = None) -> PairStats:
    """Mutual best matches of two documents' sentences that stand out from the background.

    ``mutual`` (``len(a) x len(b)`` booleans) says which pairs are mutual best matches; by default,
    within the two documents. In a feed, :func:`group_documents` asks for more: mutual best
    matches among all the feed's sentences in the two languages.
    """
    sims = a @ b.T
    if mutual is None:
        mutual = np.zeros(sims.shape, dtype=bool)
        best_b = sims.argmax(axis=1)
        mutual[np.arange(len(a)), best_b] = sims.argmax(axis=0)[best_b] == np.arange(len(a))
    matches = [(int(i), int(j), float(sims[i, j])) for i, j in zip(*np.nonzero(mutual))
               if (sims[i, j] - center) / scale >= match_z]
    mask = np.ones(sims.shape, dtype=bool)
    for i, j, _ in matches:
        mask[i, j] = False
    shorter, longer = sorted((len(a), len(b)))
    return PairStats(coverage=len(matches) / shorter, order=_concordance([j for _, j, _ in matches]),
                     length_ratio=shorter / longer, matches=matches, unmatched=sims[mask])


def _concordance(positions: list[int]) -> float:
    """Share of pairs in increasing order (1.0 with fewer than two)."""
    pairs = [(p, q) for k, p in enumerate(positions) for q in positions[k + 1:]]
    return sum(q > p for p, q in pairs) / len(pairs) if pairs else 1.0


def exact_neighbours(sents: np.ndarray, owner: np.ndarray, lang: np.ndarray,
                     same_language: bool) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every sentence's best match in each language (-1: none) and its ``_SENTENCE_NEIGHBOURS``
    nearest sentences (-1 where fewer), other documents only, and other languages unless
    ``same_language``: all pairs, a block of rows at a time."""
    best_in, top = _empty_matches(len(sents), lang)
    every = np.arange(len(sents))
    block = _block_rows(len(sents))
    for start in range(0, len(sents), block):
        rows = every[start:start + block]
        sims = sents[rows] @ sents.T
        sims[owner[rows, None] == owner[None, :]] = -np.inf
        _keep_matches(sims, rows, every, lang, same_language, best_in, top)
    return best_in, top


def blocked_neighbours(sents: np.ndarray, owner: np.ndarray, lang: np.ndarray, same_language: bool,
                       doc_vectors: np.ndarray, nearby: int = 64) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """What :func:`exact_neighbours` finds, searched only among the sentences of each document's
    ``nearby`` nearest documents by document vector (blocking): the work grows with the feed's
    documents squared over its sentences squared (36x less for six-sentence documents) plus a
    linear part, and memory stays at one block. With ``nearby`` at least the documents less one
    it is the exact search."""
    best_in, top = _empty_matches(len(sents), lang)
    bounds = np.r_[0, np.cumsum(np.bincount(owner, minlength=len(doc_vectors)))]
    k = min(nearby, len(doc_vectors) - 1)
    block = _block_rows(len(doc_vectors))
    for start in range(0, len(doc_vectors), block):
        doc_sims = doc_vectors[start:start + block] @ doc_vectors.T
        doc_sims[np.arange(len(doc_sims)), np.arange(start, start + len(doc_sims))] = -np.inf
        near = np.sort(np.argpartition(-doc_sims, k - 1, axis=1)[:, :k], axis=1)
        for a, docs in zip(range(start, start + len(doc_sims)), near):
            rows = np.arange(bounds[a], bounds[a + 1])
            if len(rows):
                cols = np.concatenate([np.arange(bounds[d], bounds[d + 1]) for d in docs])
                _keep_matches(sents[rows] @ sents[cols].T, rows, cols, lang, same_language, best_in, top)
    return best_in, top


def _empty_matches(n: int, lang: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """No best match per language, no neighbours yet (-1) for ``n`` sentences."""
    return ({lg: np.full(n, -1) for lg in np.unique(lang).tolist()},
            np.full((n, min(_SENTENCE_NEIGHBOURS, n)), -1))


def _keep_matches(sims: np.ndarray, rows: np.ndarray, cols: np.ndarray, lang: np.ndarray, same_language: bool,
                  best_in: dict[str, np.ndarray], top: np.ndarray) -> None:
    """Record the best match per language and the nearest sentences of sentences ``rows`` from
    their similarities ``sims`` to sentences ``cols`` (-inf where excluded)."""
    for lg, best in best_in.items():
        in_lang = np.where(lang[cols][None, :] == lg, sims, -np.inf)
        found = in_lang.argmax(axis=1)
        best[rows] = np.where(np.isfinite(in_lang[np.arange(len(rows)), found]), cols[found], -1)
    if not same_language:
        sims[lang[rows][:, None] == lang[cols][None, :]] = -np.inf
    m = min(top.shape[1], sims.shape[1])
    pick = np.argpartition(-sims, m - 1, axis=1)[:, :m]
    top[rows, :m] = np.where(np.isfinite(np.take_along_axis(sims, pick, axis=1)), cols[pick], -1)


def _block_rows(columns: int) -> int:
    """Rows of a similarity block against ``columns`` columns (at most ``_BLOCK_CELLS`` cells)."""
    return max(16, min(_BLOCK, _BLOCK_CELLS // max(1, columns)))


class _Grouper:
    def __init__(self, docs: Sequence[Document], vectors: Mapping[str, np.ndarray], params: GroupParams,
                 exact_limit: int = EXACT_LIMIT) -> None:
        self.exact_limit = exact_limit
        self.docs = {d.id: d for d in docs}
        self.vectors = vectors
        self.params = params
        self.center, self.scale = background(vectors, {d.id: d.lang for d in docs})
        self._stats: dict[tuple[str, str], PairStats] = {}
        ids = list(self.docs)
        self._start = dict(zip(ids, np.cumsum([0] + [len(vectors[i]) for i in ids[:-1]]).tolist()))
        self._best_in: dict[str, np.ndarray] = {}  # language -> each sentence's best match in that language
        self.neighbours = self._scan(ids)

    def _scan(self, ids: list[str]) -> dict[str, set[str]]:
        """One pass over the feed's sentences.

        Records each sentence's best match per language (for feed-level mutual matches) and picks
        candidate pairs: each document's nearest documents by document vector, and those its
        sentences' nearest neighbours vote for. Exact up to ``exact_limit`` sentences; beyond, each
        document's sentences are searched among its nearest documents only (:func:`blocked_neighbours`).
        Memory stays at one block of rows.
        """
        out: dict[str, set[str]] = {i: set() for i in ids}
        if len(ids) < 2:
            return out
        sents = np.ascontiguousarray(np.concatenate([self.vectors[i] for i in ids]), dtype=np.float32)
        owner = np.concatenate([np.full(len(self.vectors[i]), n) for n, i in enumerate(ids)])
        lang = np.array([self.docs[i].lang for i in ids])[owner]
        dv = np.stack([document_vector(self.vectors[i]) for i in ids])
        if len(sents) > self.exact_limit:
            self._best_in, top = blocked_neighbours(sents, owner, lang, self.params.same_language, dv)
        else:
            self._best_in, top = exact_neighbours(sents, owner, lang, self.params.same_language)
        votes: Counter[tuple[int, int]] = Counter()
        for r, cols in enumerate(top):
            votes.update((int(owner[r]), int(owner[c])) for c in cols if c >= 0)
        by_doc: dict[int, Counter[int]] = {}
        for (a, b), v in votes.items():
            by_doc.setdefault(a, Counter())[b] += v
            by_doc.setdefault(b, Counter())[a] += v
        k = min(self.params.candidates, len(ids) - 1)
        block = _block_rows(len(ids))
        for start in range(0, len(ids), block):
            doc_sims = dv[start:start + block] @ dv.T
            doc_sims[np.arange(len(doc_sims)), np.arange(start, start + len(doc_sims))] = -np.inf
            for row in range(start, start + len(doc_sims)):
                sims = doc_sims[row - start]
                near = list(np.argsort(-sims, kind="stable")[:k])
                near += sorted(by_doc.get(row, {}), key=lambda c: (-by_doc[row][c], -sims[c]))[:k]
                for col in near:
                    out[ids[row]].add(ids[col])
                    out[ids[col]].add(ids[row])
        return out

    def _mutual(self, a: str, b: str) -> np.ndarray:
        """Which sentence pairs of ``a`` and ``b`` are each other's best match in the whole feed."""
        ra = np.arange(len(self.vectors[a])) + self._start[a]
        rb = np.arange(len(self.vectors[b])) + self._start[b]
        a_to_b = self._best_in[self.docs[b].lang][ra]
        b_to_a = self._best_in[self.docs[a].lang][rb]
        return (a_to_b[:, None] == rb[None, :]) & (b_to_a[None, :] == ra[:, None])

    def stats(self, a: str, b: str) -> PairStats:
        key = (a, b) if a < b else (b, a)
        if key not in self._stats:
            self._stats[key] = pair_stats(self.vectors[key[0]], self.vectors[key[1]], self.center, self.scale,
                                          self.params.match_z, self._mutual(*key))
        return self._stats[key]

    def may_pair(self, a: str, b: str) -> bool:
        return self.params.same_language or self.docs[a].lang != self.docs[b].lang

    def is_version(self, a: str, b: str) -> bool:
        return b in self.neighbours[a] and self.may_pair(a, b) and self.stats(a, b).is_version(self.params)

    def cluster(self, free: Sequence[str]) -> list[list[str]]:
        """Greedy merging of version pairs, strongest first, one document per language."""
        free_set = set(free)
        edges = sorted(((self.stats(a, b).score, a, b) for a in free for b in self.neighbours[a]
                        if b in free_set and a < b and self.is_version(a, b)), key=lambda e: (-e[0], e[1], e[2]))
        cluster_of = {d: [d] for d in free}
        for _, a, b in edges:
            ca, cb = cluster_of[a], cluster_of[b]
            if ca is cb:
                continue
            if not self.params.same_language and {self.docs[x].lang for x in ca} & {self.docs[y].lang for y in cb}:
                continue
            linked = sum(self.is_version(x, y) for x in ca for y in cb)
            if linked / (len(ca) * len(cb)) < self.params.min_link:
                continue
            ca.extend(cb)
            for d in cb:
                cluster_of[d] = ca
        order = {d: k for k, d in enumerate(free)}
        unique = {id(c): c for c in cluster_of.values()}.values()
        return sorted((sorted(c, key=order.__getitem__) for c in unique), key=lambda c: order[c[0]])

    def _informative(self, doc: str) -> np.ndarray:
        """Which sentences of ``doc`` carry content (``.``, ``Endlich .`` are close to everything)."""
        return np.array([len(_WORD.findall(s.text)) >= _MIN_WORDS for s in self.docs[doc].sentences], dtype=bool)

    def _best(self, doc: str, others: Sequence[str]) -> np.ndarray:
        """For each sentence of ``doc``: its best cosine in each of ``others``, averaged.

        Only informative sentences count, on both sides (the others get -inf).
        """
        best = []
        for o in others:
            sims = self.vectors[doc] @ self.vectors[o].T
            sims[:, ~self._informative(o)] = -np.inf
            best.append(sims.max(axis=1) if sims.shape[1] else np.full(len(sims), -np.inf))
        out = np.mean(best, axis=0)
        out[~self._informative(doc)] = -np.inf
        return out

    def scale_of(self, members: Sequence[str]) -> tuple[float, float]:
        """The story's scale: its unmatched background (0) and its translation matches (1).

        The span is at least ``match_z`` feed SDs, so that a story with few matches (or with much
        text that has no counterpart) does not make everything look related to it.
        """
        pairs = [self.stats(a, b) for k, a in enumerate(members) for b in members[k + 1:]]
        unmatched = np.concatenate([s.unmatched for s in pairs])
        matched = [c for s in pairs for _, _, c in s.matches]
        low = float(np.median(unmatched)) if unmatched.size >= _MIN_BACKGROUND else self.center
        high = float(np.median(matched)) if matched else low
        return low, max(high, low + self.params.match_z * self.scale)

    def levels(self, doc: str, members: Sequence[str], scale: tuple[float, float]) -> np.ndarray:
        """How well each sentence of ``doc`` matches the story, on the story's scale, best first.

        Versions in ``doc``'s own language are left out when there are others: same-language
        similarity runs higher than the story's cross-language scale.
        """
        lang = self.docs[doc].lang
        others = [m for m in members if self.docs[m].lang != lang] or list(members)
        low, high = scale
        return np.sort((self._best(doc, others) - low) / (high - low))[::-1]

    def hits(self, levels: np.ndarray) -> int:
        """How many sentences reach the related level."""
        return int(np.sum(levels >= self.params.related_level))

    def related(self, levels: np.ndarray) -> bool:
        hits = self.hits(levels)
        return hits >= self.params.related_matches and hits >= self.params.related_share * np.isfinite(levels).sum()


def group_documents(docs: Sequence[Document], vectors: Mapping[str, np.ndarray], params: GroupParams = GroupParams(),
                    fixed: Mapping[str, Sequence[str]] | None = None, exact_limit: int = EXACT_LIMIT) -> Grouping:
    """Group documents (unique ids; sentence vectors by id) into stories.

    ``fixed`` maps story ids to the ids of their versions as the user gave them; those stories are
    kept as they are, and the other documents are grouped among themselves. A document outside
    every story is compared with the stories it is near; the closest has the most sentences at the
    related level (then the highest level). Its score is the level of its ``related_matches``-th
    best sentence on that story's scale (0: the story's unmatched background, 1: its translation
    matches). Feeds of more than ``exact_limit`` sentences search nearest sentences among nearby
    documents only (blocking).
    """
    g = _Grouper(docs, vectors, params, exact_limit)
    members_of: dict[str, list[str]] = {sid: list(m) for sid, m in (fixed or {}).items()}
    taken = {d for m in members_of.values() for d in m}
    for cluster in g.cluster([d.id for d in docs if d.id not in taken]):
        if len(cluster) > 1:
            members_of[_story_id(cluster[0], members_of)] = cluster
    scales = {sid: g.scale_of(m) for sid, m in members_of.items() if len(m) > 1}
    story_of = {d: sid for sid, m in members_of.items() for d in m}
    context: dict[str, list[str]] = {sid: [] for sid in members_of}
    entries = []
    for doc in docs:
        sid = story_of.get(doc.id)
        if sid is not None:
            others = [m for m in members_of[sid] if m != doc.id]
            score = float(np.mean([g.stats(doc.id, m).score for m in others])) if others else None
            entries.append(GroupEntry(doc=doc.id, path=doc.path, lang=doc.lang, story=sid, relation="version",
                                      score=score))
            continue
        near = [s for s, m in members_of.items() if s in scales and g.neighbours[doc.id] & set(m)]
        ranked = sorted(((g.levels(doc.id, members_of[s], scales[s]), s) for s in near),
                        key=lambda t: (-g.hits(t[0]), -(_level(t[0], params.related_matches) or -np.inf), t[1]))
        best = ranked[0] if ranked else None
        related = best is not None and g.related(best[0])
        if related:
            context[best[1]].append(doc.id)
        entries.append(GroupEntry(doc=doc.id, path=doc.path, lang=doc.lang, story=None,
                                  relation="related" if related else "unrelated",
                                  score=_level(best[0], params.related_matches) if best else None,
                                  related_to=best[1] if related else None))
    stories = [StoryGroup(sid, [g.docs[d] for d in m], [g.docs[d] for d in context[sid]])
               for sid, m in members_of.items()]
    return Grouping(stories=stories, entries=entries)


def _level(levels: np.ndarray, k: int) -> float | None:
    level = levels[min(k, len(levels)) - 1] if len(levels) else -np.inf
    return float(level) if np.isfinite(level) else None


def _story_id(first: str, taken: Mapping[str, object]) -> str:
    sid, n = first, 1
    while sid in taken:
        n += 1
        sid = f"{first}-{n}"
    return sid
