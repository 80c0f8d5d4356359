"""A learned word-level divergence model: does this word's meaning appear in that version?

For every word of version ``d`` of a row and every other version ``e``, :func:`pair_features`
describes the word from the encoder's contextual token states and its alignments (the row's
word alignment of :mod:`xlingo.annotate.wordalign`, already computed for the span rules):

- its best cosine to the words of ``e``, raw and against the story's usual value for the pair
  (free translations have lower cosines throughout), the rival-aware evidence, whether itermax
  and mutual argmax link it, how much its match prefers another word, its neighbours' cosines
  and the length of the unlinked run it sits in;
- the N-way vote, with three or more versions: whether the word has a counterpart in the third
  versions, and whether *those* counterparts have one in ``e`` (the others' agreement about it);
- interactions a linear model cannot form itself: how far below the story's usual cosine the
  word is, weighted by its meaning, and unlinked meaning;
- what it is: frequency weight (``wordfreq``), number (and whether its value is in ``e``),
  name, same spelling in ``e``, position, length ratio of the cells, and the row's sentence
  margin against the story's usual margin.

- within the row: the word's best cosine against the row's median (which word of *this*
  sentence is worst matched), and the same on *centred* vectors (each cell's mean vector taken
  out, so the sentence's shared topic does not make every word look matched);
- the vote, sharpened: the best of the third versions against this one (a word the others
  match well and this version does not), the lowest presence in ``e`` of its counterparts in
  the third versions, a spelling (name, number, rare word) that a third version repeats but
  ``e`` does not, and a name whose spelling ``e`` lacks;
- a single word replaced by one of another meaning (the sentence otherwise intact), seen from
  both sides: the word's rank among its row's best cosines, how its counterpart in ``e`` is
  matched back against *that* row's median, and the N-way agreement against it: how much better
  its counterparts in ``e`` and in a third version match *each other* than it matches ``e``.

A small model (a one-hidden-layer network, plain numbers in ``meaning_model.json``, no pickle)
maps them to the probability that the word's meaning is missing from ``e``, then Platt scaling
(fitted on the held-out folds' outputs) to a probability that means the same across data sets
and languages. A span's *score* is a second Platt scaling of its highest word probability to the
chance a professional reviewer marks it as an accuracy error, fitted on every held-out MQM word;
severities are thresholds on that score, chosen so that clean multi-way news the model did not
see stays within the clean-text budget.
``training/train_meaning.py`` rebuilds the file.

With three or more versions, :func:`vote` combines a word's probability of missing from a
version with that of its counterparts in the third versions (the N-way vote), from which
:func:`xlingo.annotate.divergence.vote_gaps` finds omitted stretches.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from xlingo.annotate.divergence import CONTENT_WEIGHT, Params, RowWords, _number_readings, evidence
from xlingo.annotate.shipped import digest_tag, shipped_text
from xlingo.annotate.wordalign import mutual_argmax
from xlingo.language import zipf

FEATURES = (
    "best", "best_vs_story", "evidence", "linked", "mutual", "rival_gap", "context_best", "context_min",
    "unlinked_run", "weight", "zipf", "number", "number_in_other", "number_not_in_other", "same_form",
    "name", "position", "length_ratio", "row_margin", "third_count", "third_present", "third_other_present",
    "third_agree", "n_versions_3plus", "short_cell", "below_story", "weighted_below", "weighted_unlinked",
    "best_vs_row", "centered_best", "centered_vs_row", "third_best_max", "gap_to_thirds", "third_other_min",
    "form_in_third_not_here", "name_form_missing", "rank_in_row", "counterpart_vs_row", "thirds_agree_gap",
)


@dataclass(frozen=True)
class PairStats:
    """Story-level reference values of one ordered pair of versions."""

    best_median: float  # median best cosine of the pair's content words in the story
    margin_median: float  # median sentence margin of the pair's rows


def _best_of(sim: np.ndarray) -> np.ndarray:
    return sim.max(axis=1) if sim.shape[1] else np.zeros(sim.shape[0])


def story_stats(rows: dict[int, RowWords], margins: list[dict] | None = None) -> dict[tuple[str, str], PairStats]:
    """Per ordered pair of versions: the story's median content-word best cosine and row margin."""
    best: dict[tuple[str, str], list[float]] = {}
    for row in rows.values():
        for (d, e), pa in row.pairs.items():
            c = row.cells[d]
            keep = (c.weight >= CONTENT_WEIGHT) & c.seen
            best.setdefault((d, e), []).extend(_best_of(pa.sim)[keep].tolist())
    out = {}
    for pair, vals in best.items():
        ms = [m[_key(m, *pair)] for m in (margins or []) if _key(m, *pair) is not None]
        out[pair] = PairStats(float(np.median(vals)) if vals else 0.8, float(np.median(ms)) if ms else 0.0)
    return out


def _key(m: dict, d: str, e: str) -> tuple[str, str] | None:
    return (d, e) if (d, e) in m else (e, d) if (e, d) in m else None


def _runs_len(unlinked: np.ndarray) -> np.ndarray:
    """For each position, the length of the run of True it sits in (0 when False)."""
    out = np.zeros(len(unlinked))
    i = 0
    while i < len(unlinked):
        if not unlinked[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(unlinked) and unlinked[j + 1]:
            j += 1
        out[i:j + 1] = j - i + 1
        i = j + 1
    return out


def _vs_row(best: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Each word's value against the row's median over its content words (0 when it has none)."""
    ref = best[keep] if keep.any() else best
    return best - (float(np.median(ref)) if len(ref) else 0.0)


def centered_best(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Best cosine of each word of ``a`` to a word of ``b`` once each cell's mean vector (what
    every word of the sentence shares: its topic, its language) is taken out, so what is left
    is what tells the words apart."""
    if not len(a) or not len(b):
        return np.zeros(len(a))
    ca, cb = a - a.mean(axis=0), b - b.mean(axis=0)
    ca /= np.maximum(np.linalg.norm(ca, axis=1, keepdims=True), 1e-9)
    cb /= np.maximum(np.linalg.norm(cb, axis=1, keepdims=True), 1e-9)
    return (ca @ cb.T).max(axis=1)


def _rank(best: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Each word's share of the row's content words (``keep``) matched worse than it (0 = worst)."""
    ref = np.sort(best[keep] if keep.any() else best)
    return np.searchsorted(ref, best, side="left") / max(len(ref), 1)


def thirds_agree_gap(row: RowWords, d: str, e: str) -> np.ndarray:
    """Per word of ``d``: the most by which its best counterparts in ``e`` and in a third
    version match each other better than it matches ``e`` (0 with two versions): the others
    agree on something here that this word is not."""
    sim = row.pairs[(d, e)].sim
    n = sim.shape[0]
    if not sim.shape[1]:
        return np.zeros(n)
    best, je = sim.max(axis=1), sim.argmax(axis=1)
    out = np.zeros(n)
    for f in row.cells:
        sf = row.pairs[(d, f)].sim if f not in (d, e) else None
        if sf is None or not sf.shape[1]:
            continue
        out = np.maximum(out, row.pairs[(e, f)].sim[je, sf.argmax(axis=1)] - best)
    return out


def _window(x: np.ndarray, w: int, fn) -> np.ndarray:
    """``fn`` (``np.mean`` or ``np.min``) of each value's neighbours, up to ``w`` on each side (the
    value itself when it has none), vectorised: the mean sums the neighbours left to right, as
    ``np.mean`` of the short window does, so the values are the same to the bit."""
    n = len(x)
    if n < 2:
        return np.array(x, dtype=float)
    idx = np.arange(n)[:, None] + np.array([o for o in range(-w, w + 1) if o])[None, :]
    present = (idx >= 0) & (idx < n)
    vals = x[np.clip(idx, 0, n - 1)]
    if fn is np.min:
        return np.where(present, vals, np.inf).min(axis=1)
    total = np.zeros(n)
    for col in range(vals.shape[1]):
        total = total + np.where(present[:, col], vals[:, col], 0.0)
    return total / present.sum(axis=1)


def pair_features(row: RowWords, d: str, e: str, stats: dict[tuple[str, str], PairStats],
                  margin: float | None = None) -> np.ndarray:
    """Features (``len(FEATURES)`` columns) of each word of ``d`` with respect to version ``e``."""
    a, b = row.cells[d], row.cells[e]
    pa = row.pairs[(d, e)]
    n = len(a.words)
    sim = pa.sim
    best = _best_of(sim)
    st = stats.get((d, e), PairStats(0.8, 0.0))
    ev = evidence(pa, Params())
    linked = pa.links.any(axis=1).astype(float)
    mutual = mutual_argmax(sim).any(axis=1).astype(float) if sim.size else np.zeros(n)
    if sim.shape[1]:
        j = sim.argmax(axis=1)
        rival = sim.max(axis=0)[j] - best  # how much better the counterpart matches another word
    else:
        rival = np.ones(n)
    rel = best - st.best_median
    ctx_best = _window(rel, 2, np.mean) if n else rel
    ctx_min = _window(rel, 1, np.min) if n else rel
    run = np.log1p(_runs_len(linked == 0))
    weight = a.weight
    freq = np.array([zipf(w.text.casefold(), a.lang) / 8.0 for w in a.words.words])
    number = np.array([v is not None for v in a.values], dtype=float)
    readings = _number_readings(b)
    in_other = np.array([v is not None and v in readings for v in a.values], dtype=float)
    not_in_other = np.array([v is not None and bool(readings) and v not in readings for v in a.values], dtype=float)
    forms = {w.text.casefold() for w in b.words.words}
    same = np.array([len(w.text) > 2 and w.text.casefold() in forms for w in a.words.words], dtype=float)
    name = a.key.astype(float) * (1 - number)
    position = np.arange(n) / max(n - 1, 1)
    length_ratio = np.full(n, np.log((len(b.words) + 1) / (n + 1)))
    row_margin = np.full(n, 0.0 if margin is None else margin - st.margin_median)
    thirds = [f for f in row.cells if f not in (d, e)]
    content = (weight >= CONTENT_WEIGHT) & a.seen
    if sim.shape[1]:
        back = _best_of(row.pairs[(e, d)].sim)
        back_vs_row = _vs_row(back, (b.weight >= CONTENT_WEIGHT) & b.seen)[sim.argmax(axis=1)]
    else:
        back_vs_row = np.zeros(n)
    cbest = centered_best(a.words.vectors.astype(np.float64), b.words.vectors.astype(np.float64))
    long_form = np.array([len(w.text) > 2 for w in a.words.words])
    in_third = np.zeros(n, dtype=bool)
    for f in thirds:
        ff = {w.text.casefold() for w in row.cells[f].words.words}
        in_third |= np.array([w.text.casefold() in ff for w in a.words.words], dtype=bool)
    if thirds:
        present = []
        other_present = []
        agree = []
        for f in thirds:
            sf = row.pairs[(d, f)].sim
            bf = _best_of(sf) - stats.get((d, f), st).best_median
            present.append(bf)
            if sf.shape[1]:
                jf = sf.argmax(axis=1)
                fe = _best_of(row.pairs[(f, e)].sim) - stats.get((f, e), st).best_median
                other_present.append(fe[jf])
                agree.append(bf * 0 + (fe[jf] > 0) * (bf > 0))
            else:
                other_present.append(np.zeros(n))
                agree.append(np.zeros(n))
        third_present = np.mean(present, axis=0)
        third_other = np.mean(other_present, axis=0)
        third_agree = np.mean(agree, axis=0)
        third_max = np.max(present, axis=0)
        third_other_min = np.min(other_present, axis=0)
    else:
        third_present = third_other = third_max = third_other_min = rel
        third_agree = (rel > 0).astype(float)
    cols = [best, rel, ev, linked, mutual, rival, ctx_best, ctx_min, run, weight, freq, number, in_other,
            not_in_other, same, name, position, length_ratio, row_margin, np.full(n, float(len(thirds))),
            third_present, third_other, third_agree, np.full(n, float(len(row.cells) >= 3)),
            np.full(n, float(n <= 4)), np.minimum(rel, 0.0), np.maximum(-rel, 0.0) * weight, (1 - linked) * weight,
            _vs_row(best, content), cbest, _vs_row(cbest, content), third_max, rel - third_max, third_other_min,
            (in_third & long_form & (same == 0)).astype(float), name * (1 - same), _rank(best, content),
            back_vs_row, thirds_agree_gap(row, d, e)]
    return np.stack(cols, axis=1).astype(np.float64) if n else np.zeros((0, len(FEATURES)))


# --- the shipped model ----------------------------------------------------------------------

@dataclass(frozen=True)
class MeaningModel:
    """Standardisation, a logistic or one-hidden-layer network, and Platt scaling."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]  # (weights, bias) per layer; relu between
    calib_a: float  # Platt scaling of the network's logit: sigmoid(a * logit + b)
    calib_b: float
    version: str
    digest: str
    absent_at: float = 0.5  # probability above which 1 % of clean words lie: a word counts as absent
    span_a: float = 1.0  # Platt scaling of a span's word probability to the chance a reviewer marks it
    span_b: float = 0.0
    levels: tuple[tuple[str, float], ...] = ()  # (severity, lowest span score), chosen on held-out clean news
    base_rate: float = 0.06  # share of words labelled missing in the (weighted) training data: the vote's neutral level

    def severity_score(self, name: str, default: float) -> float:
        """The span score from which a finding gets severity ``name`` (``info``, ``warning``,
        ``error``, ``pair_warning`` for two versions; ``vote_warning`` and ``vote_error`` on the
        N-way vote's evidence of an omission), chosen in training so that clean held-out news
        stays within the clean-text budget."""
        return dict(self.levels).get(name, default)

    def span_score(self, p: float) -> float:
        """The chance a professional reviewer marks a span as an accuracy error, from the highest
        word probability in it (Platt scaling fitted on every held-out MQM word)."""
        q = min(max(p, 1e-6), 1 - 1e-6)
        return float(1.0 / (1.0 + np.exp(-(self.span_a * np.log(q / (1 - q)) + self.span_b))))

    def logit(self, x: np.ndarray) -> np.ndarray:
        """The network's log-odds for each row of ``x``."""
        h = (x - self.mean) / self.scale
        for k, (w, b) in enumerate(self.layers):
            h = h @ w + b
            if k < len(self.layers) - 1:
                h = np.maximum(h, 0.0)
        return h[:, 0]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Calibrated probability that each word's meaning is missing from the other version."""
        if not len(x):
            return np.zeros(0)
        return 1.0 / (1.0 + np.exp(-(self.calib_a * self.logit(x) + self.calib_b)))

    def to_json(self) -> str:
        body = {"version": self.version, "features": list(self.features), "mean": _r(self.mean),
                "scale": _r(self.scale), "layers": [{"w": _r(w), "b": _r(b)} for w, b in self.layers],
                "calibration": {"a": round(self.calib_a, 6), "b": round(self.calib_b, 6)},
                "span_calibration": {"a": round(self.span_a, 6), "b": round(self.span_b, 6)},
                "absent_at": round(self.absent_at, 6), "base_rate": round(self.base_rate, 6),
                "severity_scores": {k: round(v, 6) for k, v in self.levels}}
        return json.dumps(body, indent=1, sort_keys=True) + "\n"


def _r(a: np.ndarray) -> list:
    return np.round(np.asarray(a, dtype=np.float64), 6).tolist()


def model_from_json(text: str) -> MeaningModel:
    """Read a model file (its digest is the SHA-256 of the text)."""
    body = json.loads(text)
    if tuple(body["features"]) != FEATURES:
        raise ValueError("meaning model: its features are not the ones this version computes")
    layers = tuple((np.array(layer["w"], dtype=np.float64), np.array(layer["b"], dtype=np.float64))
                   for layer in body["layers"])
    return MeaningModel(tuple(body["features"]), np.array(body["mean"]), np.array(body["scale"]), layers,
                        float(body["calibration"]["a"]), float(body["calibration"]["b"]), body["version"],
                        hashlib.sha256(text.encode()).hexdigest()[:12], float(body.get("absent_at", 0.5)),
                        float(body.get("span_calibration", {}).get("a", 1.0)),
                        float(body.get("span_calibration", {}).get("b", 0.0)),
                        tuple(sorted(body.get("severity_scores", {}).items())), float(body.get("base_rate", 0.06)))


MODEL_FILE = "meaning_model.json"


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> MeaningModel:
    """The shipped model (or the one at ``path``)."""
    return model_from_json(shipped_text(MODEL_FILE, path))


def model_tag(model: MeaningModel | None = None) -> float:
    """The model's digest as a number (rule options are numbers; it goes into the report signature)."""
    return digest_tag((model or load_model()).digest)


# --- a story's rows, analysed --------------------------------------------------------------

def row_margins(story, embed, rows: list[int] | None = None, top: int = 4) -> dict[int, dict[tuple[str, str], float]]:
    """Per row, per pair of versions: cell cosine minus the mean of each side's ``top`` cosines
    to the other version's sentences outside the row. A cell's vector is the normalised mean of
    its sentence vectors, so nothing is encoded beyond the sentences themselves."""
    sent: dict[str, np.ndarray] = {}
    for doc in story.documents:
        sent[doc.id] = np.asarray(embed([s.text for s in doc.sentences]), dtype=np.float64) if doc.sentences \
            else np.zeros((0, 1))
    out: dict[int, dict[tuple[str, str], float]] = {}
    for k in (range(len(story.alignment)) if rows is None else rows):
        cells = story.alignment[k].cells
        vec = {}
        for d, ids in cells.items():
            if ids:
                v = sent[d][list(ids)].mean(axis=0)
                vec[d] = v / (np.linalg.norm(v) or 1.0)
        m = {}
        names = list(vec)
        for x, d in enumerate(names):
            for e in names[x + 1:]:
                bg = []
                for a, b in ((d, e), (e, d)):
                    mask = np.ones(len(sent[b]), dtype=bool)
                    mask[list(cells[b])] = False
                    if mask.any():
                        bg.append(float(np.sort(sent[b][mask] @ vec[a])[::-1][:top].mean()))
                m[(d, e)] = float(vec[d] @ vec[e]) - (float(np.mean(bg)) if bg else 0.0)
        out[k] = m
    return out


@dataclass
class StoryWords:
    """Word alignments of a story's rows, the story's pair statistics and row margins."""

    rows: dict[int, RowWords]
    stats: dict[tuple[str, str], PairStats]
    margins: dict[int, dict[tuple[str, str], float]]

    def features(self, k: int, d: str, e: str) -> np.ndarray:
        m = self.margins.get(k, {})
        key = _key(m, d, e)
        return pair_features(self.rows[k], d, e, self.stats, m[key] if key else None)


def analyse_words(story, tokens, embed, rows: list[int] | None = None,
                  docs: dict[int, list[str]] | None = None) -> StoryWords:
    """Align the words of every pair of versions in the given rows (see :func:`align_row`)."""
    from xlingo.annotate.divergence import align_row

    ks = range(len(story.alignment)) if rows is None else rows
    out = {k: r for k in ks if (r := align_row(story, k, tokens, Params(), (docs or {}).get(k))) is not None}
    margins = row_margins(story, embed, list(out)) if embed is not None else {}
    return StoryWords(out, story_stats(out, list(margins.values())), margins)


def _presence(p: np.ndarray, absent_at: float) -> np.ndarray:
    return 1.0 - np.clip(p / (2.0 * absent_at), 0.0, 1.0)


def fill_presence(sw: StoryWords, model: MeaningModel | None = None) -> None:
    """Set every row's ``probability[(d, e)]`` (the model's probability that the word is missing
    from ``e``) and ``presence[(d, e)]``: 1 - that probability over twice ``absent_at``, clipped,
    so a presence of 0.5 is the point above which 1 % of the words of clean translations lie;
    with three or more versions, the probability after the N-way vote (:func:`vote`) in
    ``voted``."""
    model = model or load_model()
    for k, row in sw.rows.items():
        for (d, e) in row.pairs:
            p = model(sw.features(k, d, e))
            p[~row.cells[d].seen] = 0.0
            row.probability[(d, e)] = p
            row.presence[(d, e)] = _presence(p, model.absent_at)
        row.neutral = model.base_rate
        if len(row.cells) >= 3:
            for (d, c) in row.pairs:
                row.voted[(d, c)] = vote(row, d, c, model.base_rate)


def _logit(p: np.ndarray | float) -> np.ndarray:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(q / (1 - q))


def vote(row: RowWords, d: str, c: str, neutral: float) -> np.ndarray:
    """The N-way vote: per word of ``d``, the probability that it is missing from ``c`` once the
    other versions have spoken. Each third version ``e`` that has the word (its probability of
    missing from ``e`` below ``neutral``, and a word of ``e`` linked to it) adds the evidence of
    those counterparts (their mean probability of missing from ``c``) to the word's own, in
    log-odds relative to ``neutral``, averaged over the third versions (they are not independent
    witnesses, and the scale stays the same with three versions or six): two versions that share a phrase and both find it missing
    from ``c`` say more than either alone, and a counterpart that ``c`` has speaks against it.
    Words no third version has keep their own probability, and so do numbers and names, which
    other rules compare by value and spelling (a figure legitimately converted, a name
    transliterated, would be outvoted)."""
    p = row.probability[(d, c)]
    thirds = [e for e in row.cells if e not in (d, c)]
    z = _logit(p)
    for e in thirds:
        links = row.pairs[(d, e)].links
        has = (row.probability[(d, e)] < neutral) & links.any(axis=1)
        there = row.probability[(e, c)]
        q = np.array([there[links[i]].mean() if has[i] else neutral for i in range(len(p))])
        z = z + (_logit(q) - _logit(neutral)) / len(thirds)
    voted = 1.0 / (1.0 + np.exp(-z))
    key = row.cells[d].key
    voted[key] = p[key]
    return voted


def missing(row: RowWords, d: str) -> np.ndarray:
    """Per word of ``d``: the model's probability that it is missing from every other version
    (the lowest over them)."""
    return np.min([row.probability[(d, e)] for e in row.others(d)], axis=0)


def missing_mass(row: RowWords, d: str) -> float:
    """Meaning of ``d``'s words that no other version has: the sum of word weight x
    :func:`missing`."""
    return float((row.cells[d].weight * missing(row, d)).sum())


def row_score(row: RowWords) -> float:
    """0..1: how much of any version's meaning is missing from the others (``1 - exp(-mass / 2)``
    of the version with the largest :func:`missing_mass`)."""
    return float(1.0 - np.exp(-max(missing_mass(row, d) for d in row.cells) / 2.0))
