"""Sentence alignment on Text+Berg dev (de-fr): xlingo's aligner against Bertalign's algorithm.

Usage::

    python benchmarks/align_textberg.py [../shared/data/textberg-dev] [--encoders use-v3,e5-small] \\
        [--sentences-only e5-small] [--json reports/bench/align_textberg.json]

PATH holds ``dev.de``, ``dev.fr`` (one sentence a line) and ``dev.defr`` (gold beads,
``[de ids]:[fr ids]``). xlingo's aligner runs with the engine's default alignment encoders
unless ``--encoders`` says otherwise; Bertalign's algorithm with ``--baseline-model``. Every
encoder sits behind its own :class:`~xlingo.embed.base.Embedder`, so strings embedded and
encoder time are counted per encoder. xlingo's aligner runs uncached (its time split embed /
align is real); the baseline's vectors may come from ``--cache``. Scores follow Vecalign's ``score.py`` convention (Sennrich & Volk
2011): strict = a proposed bead equals a gold bead; lax = it overlaps one on both sides;
precision over every proposed bead (insertions and deletions included), recall over gold
beads with both sides non-empty.

The Bertalign baseline is a re-implementation from the paper's description (Liu & Zhu
2023): pass 1 finds 1-1 anchors with a DP over each source sentence's top-k target
sentences; pass 2 runs a DP in a band around them with every bead of up to ``max_align``
sentences, scored by the cosine of embedded concatenations (neighbour margin and length
penalty as in its defaults), skip score -0.1.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import pickle
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xlingo.align import NEG, AlignParams, Bead, EmbedFn, align_pair, best_path  # noqa: E402
from xlingo.config import DEFAULT_ALIGN_ENCODERS, DEFAULT_MODEL, MAIN_MODEL  # noqa: E402
from xlingo.embed import load_encoder  # noqa: E402
from xlingo.embed.base import Embedder, Encoder  # noqa: E402
from xlingo.output import write_atomic  # noqa: E402

# --- data and scoring -----------------------------------------------------------------------

def read_lines(path: Path) -> list[str]:
    """One sentence a line, surrounding blanks removed (the files are tokenised)."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]


def read_gold(path: Path) -> list[Bead]:
    """Gold beads, ``[de ids]:[fr ids]`` a line."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            a, b = line.split(":")
            out.append((tuple(ast.literal_eval(a)), tuple(ast.literal_eval(b))))
    return out


def _overlaps(t: Bead, g: Bead) -> bool:
    return bool(set(t[0]) & set(g[0])) and bool(set(t[1]) & set(g[1]))


def score(test: Sequence[Bead], gold: Sequence[Bead]) -> dict[str, dict[str, float]]:
    """Strict and lax precision/recall/F1, Vecalign's convention."""
    test = sorted({b for b in test if b[0] or b[1]})
    gold = sorted({b for b in gold if b[0] or b[1]})
    gold_set, test_set = set(gold), set(test)
    gold_nz = [g for g in gold if g[0] and g[1]]
    test_nz = [t for t in test if t[0] and t[1]]
    by_src: dict[int, list[Bead]] = {}
    for g in gold:
        for i in g[0]:
            by_src.setdefault(i, []).append(g)
    out = {}
    for name, p_hits, r_hits in (
        ("strict", sum(t in gold_set for t in test), sum(g in test_set for g in gold_nz)),
        ("lax", sum(t in gold_set or any(_overlaps(t, g) for i in t[0] for g in by_src.get(i, ()))
                    for t in test),
         sum(any(_overlaps(g, t) for t in test_nz) for g in gold_nz)),
    ):
        p = p_hits / len(test) if test else 0.0
        r = r_hits / len(gold_nz) if gold_nz else 0.0
        out[name] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    return out


def unaligned(test: Sequence[Bead], gold: Sequence[Bead], sentences: int) -> dict[str, float]:
    """Sentences left without counterpart (1-0 / 0-1) against gold insertions/deletions."""
    pred = {(side, i) for a, b in test for side, ids, other in ((0, a, b), (1, b, a)) if not other for i in ids}
    true = {(side, i) for a, b in gold for side, ids, other in ((0, a, b), (1, b, a)) if not other for i in ids}
    false = len(pred - true)
    return {"predicted": len(pred), "gold": len(true), "correct": len(pred & true), "false": false,
            "false_per_100_sentences": 100.0 * false / sentences}


# --- Bertalign's algorithm (re-implemented from its description) -----------------------------

@dataclass(frozen=True)
class BertalignParams:
    max_align: int = 5  # most sentences in a bead, both sides together
    top_k: int = 3  # target candidates per source sentence in pass 1
    win: int = 5  # half-width of pass 2's band around the anchors
    skip: float = -0.1  # score of a 1-0 / 0-1 bead
    margin: bool = True  # subtract the mean similarity to the sentences just outside the windows
    len_penalty: bool = True  # multiply by log2(1 + shorter / longer), in characters


def bertalign(src: list[str], tgt: list[str], embed: EmbedFn, p: BertalignParams = BertalignParams()) -> list[Bead]:
    """Two-pass alignment: 1-1 anchors from top-k candidates, then a banded many-to-many DP."""
    n, m = len(src), len(tgt)
    sizes = range(1, p.max_align)
    win_src = {k: _windows(src, k) for k in sizes if k <= n}
    win_tgt = {k: _windows(tgt, k) for k in sizes if k <= m}
    vec_src = {k: np.asarray(embed(w), dtype=np.float64) for k, w in win_src.items()}  # every window
    vec_tgt = {k: np.asarray(embed(w), dtype=np.float64) for k, w in win_tgt.items()}
    anchors = _first_pass(vec_src[1] @ vec_tgt[1].T, p.top_k)
    mask = _band_from_anchors(anchors, n, m, p.win)
    len_src = {k: np.array([len(t) for t in w], dtype=np.float64) for k, w in win_src.items()}
    len_tgt = {k: np.array([len(t) for t in w], dtype=np.float64) for k, w in win_tgt.items()}
    gains = {(1, 0): np.full((n + 1, m + 1), p.skip), (0, 1): np.full((n + 1, m + 1), p.skip)}
    ratio = len_tgt[1].sum() / len_src[1].sum()
    for a in vec_src:
        for b in vec_tgt:
            if a + b > p.max_align:
                continue
            sim = vec_src[a] @ vec_tgt[b].T
            if p.margin:  # similarity to the sentences just outside the other side's window
                sim = sim - 0.5 * (_neighbour_mean(vec_src[a] @ vec_tgt[1].T, b)
                                   + _neighbour_mean(vec_tgt[b] @ vec_src[1].T, a).T)
            if p.len_penalty:
                la, lb = ratio * len_src[a][:, None], len_tgt[b][None, :]
                sim = sim * np.log2(1 + np.minimum(la, lb) / np.maximum(la, lb))
            g = np.full((n + 1, m + 1), NEG)
            g[a:, b:] = sim
            gains[(a, b)] = g
    for g in gains.values():
        g[~mask] = NEG
    return best_path(gains, n, m)


def _windows(texts: list[str], k: int) -> list[str]:
    return [" ".join(texts[i:i + k]) for i in range(len(texts) - k + 1)]


def _neighbour_mean(sim: np.ndarray, size: int) -> np.ndarray:
    """``sim`` is (vectors, sentences); entry ``[r, s]`` of the result is the mean of ``sim`` over
    the sentences just before and just after the window of ``size`` sentences starting at ``s``."""
    count = sim.shape[1]
    starts = np.arange(count - size + 1)
    left, right = starts - 1, starts + size
    has_left, has_right = left >= 0, right < count
    total = (np.where(has_left, sim[:, np.maximum(left, 0)], 0.0)
             + np.where(has_right, sim[:, np.minimum(right, count - 1)], 0.0))
    return total / np.maximum(has_left.astype(int) + has_right, 1)


def _first_pass(sim: np.ndarray, top_k: int) -> list[tuple[int, int]]:
    """1-1 anchors: the monotone matching of greatest total similarity among top-k candidates."""
    n, m = sim.shape
    k = min(top_k, m)
    top = np.argsort(-sim, axis=1, kind="stable")[:, :k]
    allowed = np.full((n + 1, m + 1), NEG)
    rows = np.repeat(np.arange(n), k)
    allowed[rows + 1, top.ravel() + 1] = sim[rows, top.ravel()]
    free = np.zeros((n + 1, m + 1))  # skips cost nothing in pass 1
    gains = {(1, 1): allowed, (1, 0): free, (0, 1): free}
    return [(a[0], b[0]) for a, b in best_path(gains, n, m) if a and b]


def _band_from_anchors(anchors: list[tuple[int, int]], n: int, m: int, win: int) -> np.ndarray:
    """DP cells whose target position lies within ``win`` of the anchor path at that source position."""
    xs = np.array([0] + [i + 1 for i, _ in anchors] + [n], dtype=np.float64)
    ys = np.array([0] + [j + 1 for _, j in anchors] + [m], dtype=np.float64)
    rows = np.arange(n + 1)
    lo = np.floor(np.interp(rows - win, xs, ys)) - win
    hi = np.ceil(np.interp(rows + win, xs, ys)) + win
    cols = np.arange(m + 1)
    return (cols[None, :] >= lo[:, None]) & (cols[None, :] <= hi[:, None])


# --- encoders and the run -------------------------------------------------------------------

class VectorStore:
    """An on-disk map from text to vector for one encoder (a pickle, rewritten atomically), so
    that re-runs and cross-validation run on cached vectors."""

    def __init__(self, folder: Path, encoder_name: str) -> None:
        self.path = folder / (re.sub(r"[^\w.-]+", "_", encoder_name) + ".pkl")
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.is_file():
            self.vectors = pickle.loads(self.path.read_bytes())
        self.dirty = 0

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        return {t: self.vectors[t] for t in texts if t in self.vectors}

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        self.vectors.update(items)
        self.dirty += len(items)
        if self.dirty >= 500:
            self.save()

    def save(self) -> None:
        """Write the map, merged with what other runs wrote meanwhile, atomically."""
        if self.dirty:
            if self.path.is_file():
                self.vectors = {**pickle.loads(self.path.read_bytes()), **self.vectors}
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(self.vectors, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, self.path)
            self.dirty = 0


class TimedEncoder:
    """An encoder wrapper that adds up the seconds spent encoding and the characters encoded."""

    def __init__(self, encoder: Encoder) -> None:
        self.inner = encoder
        self.name = encoder.name
        self.dim = encoder.dim
        self.seconds = 0.0
        self.chars = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        t = time.perf_counter()
        out = self.inner.encode(texts)
        self.seconds += time.perf_counter() - t
        self.chars += sum(len(x) for x in texts)
        return out


def default_encoders() -> list[str]:
    """The engine's default alignment encoders, ``model`` resolved to the default model."""
    return [DEFAULT_MODEL if n == MAIN_MODEL else n for n in DEFAULT_ALIGN_ENCODERS]


def encoder_stats(embedders: Sequence[Embedder], timed: Sequence[TimedEncoder], sentences: int) -> dict:
    """Per encoder: distinct strings asked for (and per sentence), strings encoded, seconds."""
    return {t.name: {"strings_requested": e.strings_requested,
                     "strings_per_sentence": round(e.strings_requested / max(sentences, 1), 3),
                     "strings_encoded": e.strings_embedded, "chars_encoded": t.chars,
                     "seconds": round(t.seconds, 2)}
            for e, t in zip(embedders, timed)}


Aligner = Callable[[list[str], list[str], Sequence[EmbedFn]], list[Bead]]


def run(name: str, fn: Aligner, src: list[str], tgt: list[str], gold: list[Bead], encoders: Sequence[Encoder],
        cache: Path | None = None) -> dict:
    """Align, each encoder behind its own :class:`Embedder` (a fresh memo; the on-disk cache
    when given); scores, strings embedded per encoder, and the time split embed/align."""
    timed = [TimedEncoder(e) for e in encoders]
    stores = [VectorStore(cache, e.name) if cache else None for e in encoders]
    embedders = [Embedder(t, store=s) for t, s in zip(timed, stores)]
    t = time.perf_counter()
    beads = fn(src, tgt, embedders)
    total = time.perf_counter() - t
    for s in stores:
        if s:
            s.save()
    sentences = len(src) + len(tgt)
    seconds = sum(x.seconds for x in timed)
    strings = sum(e.strings_requested for e in embedders)
    return {
        "aligner": name,
        **score(beads, gold),
        "by_type": by_type(beads, gold),
        "errors": errors(beads, gold),
        "beads": len(beads),
        "beads_proposed": beads,
        "sentences": sentences,
        "strings_requested": strings,
        "strings_per_sentence": strings / sentences,
        "encoders": encoder_stats(embedders, timed, sentences),
        "seconds_embed": seconds,
        "seconds_align": total - seconds,
        "unaligned": unaligned(beads, gold, sentences),
    }


def by_type(test: Sequence[Bead], gold: Sequence[Bead]) -> dict[str, dict[str, float]]:
    """Strict precision and recall per bead shape (shapes of more than two a side pooled as "other")."""
    def kind(b: Bead) -> str:
        k = f"{len(b[0])}-{len(b[1])}"
        return k if k in ("1-1", "2-1", "1-2", "0-1", "1-0") else "other"

    test_set, gold_set = set(test), set(gold)
    out = {}
    for k in ("1-1", "2-1", "1-2", "0-1", "1-0", "other"):
        ts, gs = [t for t in test if kind(t) == k], [g for g in gold if kind(g) == k]
        if ts or gs:
            out[k] = {"precision": round(sum(t in gold_set for t in ts) / len(ts), 4) if ts else 0.0,
                      "recall": round(sum(g in test_set for g in gs) / len(gs), 4) if gs else 0.0,
                      "gold": len(gs), "proposed": len(ts)}
    return out


def errors(test: Sequence[Bead], gold: Sequence[Bead]) -> dict[str, dict[str, int]]:
    """Strict errors per exact bead shape: gold beads missed (by the gold shape) and proposed
    beads that are no gold bead (by the proposed shape)."""
    test_set, gold_set = set(test), set(gold)

    def shape(b: Bead) -> str:
        return f"{len(b[0])}-{len(b[1])}"

    missed: dict[str, int] = {}
    wrong: dict[str, int] = {}
    for g in gold:
        if g not in test_set:
            missed[shape(g)] = missed.get(shape(g), 0) + 1
    for t in test:
        if t not in gold_set:
            wrong[shape(t)] = wrong.get(shape(t), 0) + 1
    def most_first(counts: dict[str, int]) -> dict[str, int]:
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    return {"missed_gold": most_first(missed), "wrong_proposed": most_first(wrong)}


def out_of_reach(bead: Bead, gold: Sequence[Bead], params: AlignParams) -> str | None:
    """Why no monotone aligner of these shapes can propose this gold bead, or None: a side not
    contiguous, a shape beyond ``max_window``/``max_bead``, or crossing another gold bead."""
    a, b = bead
    if list(a) != list(range(a[0], a[-1] + 1)) or list(b) != list(range(b[0], b[-1] + 1)):
        return "not contiguous"
    if max(len(a), len(b)) > params.max_window or len(a) + len(b) > params.max_bead:
        return "beyond the bead shapes"
    if any(c and d and ((c[0] > a[-1] and d[-1] < b[0]) or (c[-1] < a[0] and d[0] > b[-1])) for c, d in gold):
        return "crossing another gold bead"
    return None


def print_errors(test: Sequence[Bead], gold: Sequence[Bead], src: list[str], tgt: list[str],
                 params: AlignParams) -> None:
    """Each missed gold bead with the proposed beads that overlap it, why it is out of reach
    where it is, and the sentences' texts; then how many gold beads are within reach."""
    test_set = set(test)
    pairs = [g for g in gold if g[0] and g[1]]
    for g in gold:
        if g in test_set:
            continue
        near = [t for t in test if set(t[0]) & set(g[0]) or set(t[1]) & set(g[1])]
        reach = out_of_reach(g, gold, params) if g[0] and g[1] else None
        print(f"missed {len(g[0])}-{len(g[1])} {list(g[0])}:{list(g[1])}  proposed instead: "
              + "  ".join(f"{list(a)}:{list(b)}" for a, b in near) + (f"  (out of reach: {reach})" if reach else ""))
        for side, ids, texts in (("de", g[0], src), ("fr", g[1], tgt)):
            for i in ids:
                print(f"    {side} {i:>4} {texts[i][:110]}")
    within = sum(out_of_reach(g, gold, params) is None for g in pairs)
    print(f"gold beads with both sides within reach: {within} of {len(pairs)} (strict recall ceiling {within / len(pairs):.3f})")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path, nargs="?", default=Path("../shared/data/textberg-dev"),
                    help="folder with dev.de, dev.fr, dev.defr")
    ap.add_argument("--encoders", default=",".join(default_encoders()),
                    help="encoders whose scores xlingo's aligner averages (default: the engine's)")
    ap.add_argument("--sentences-only", default="", help="of --encoders, those of which only sentences are embedded")
    ap.add_argument("--baseline-model", default=DEFAULT_MODEL, help="the encoder of Bertalign's algorithm")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override an AlignParams field")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "xlingo-align-bench",
                    help="vector cache folder for the baseline's ~4 strings per sentence ('none': none); "
                         "xlingo's aligner always runs uncached, so that its encoder time is real")
    ap.add_argument("--json", type=Path, default=Path("reports/bench/align_textberg.json"))
    ap.add_argument("--errors", action="store_true", help="print every gold bead xlingo's aligner misses")
    args = ap.parse_args(argv)
    src, tgt = read_lines(args.path / "dev.de"), read_lines(args.path / "dev.fr")
    gold = read_gold(args.path / "dev.defr")
    names = args.encoders.split(",")
    only = [n for n in args.sentences_only.split(",") if n]
    cache = None if str(args.cache) == "none" else args.cache
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    encoders = [load_encoder(n) for n in names]
    params = AlignParams().with_options((k, float(v)) for k, v in (item.split("=") for item in args.set))

    def aligner(s: list[str], t: list[str], e: Sequence[EmbedFn]) -> list[Bead]:
        return align_pair(s, t, [f for n, f in zip(names, e) if n not in only], params,
                          sentence_embed=[f for n, f in zip(names, e) if n in only])

    ours = run("xlingo", aligner, src, tgt, gold, encoders)  # uncached: its encoder time is real
    if args.errors:
        print_errors(ours.pop("beads_proposed"), gold, src, tgt, params)
    else:
        ours.pop("beads_proposed")
    base = run("bertalign-algo", lambda s, t, e: bertalign(s, t, e[0]), src, tgt, gold,
               [load_encoder(args.baseline_model)], cache)
    base.pop("beads_proposed")
    result = {
        "data": "Text+Berg dev de-fr, whole document", "encoders": names, "sentences_only": only,
        "params": dict(params.thresholds()), "bertalign_params": BertalignParams().__dict__,
        "bertalign_model": args.baseline_model, "xlingo": ours, "bertalign_algo": base,
        "strings_ratio_xlingo_over_bertalign": ours["strings_requested"] / base["strings_requested"],
    }
    for r in (ours, base):
        u = r["unaligned"]
        print(f"{r['aligner']:>15}: strict P/R/F1 {r['strict']['precision']:.3f}/{r['strict']['recall']:.3f}/"
              f"{r['strict']['f1']:.3f}  lax F1 {r['lax']['f1']:.3f}  embed {r['seconds_embed']:.1f}s "
              f"align {r['seconds_align']:.2f}s  unaligned {u['predicted']} (gold {u['gold']}, "
              f"false {u['false']} = {u['false_per_100_sentences']:.2f}/100 sentences)")
        for name, e in r["encoders"].items():
            print(f"{'':>17}{name}: {e['strings_requested']} strings ({e['strings_per_sentence']:.2f}/sentence), "
                  f"{e['strings_encoded']} encoded in {e['seconds']:.1f}s")
        print(f"{'':>17}" + "  ".join(f"{k} P/R {v['precision']:.3f}/{v['recall']:.3f} ({v['gold']})"
                                       for k, v in r["by_type"].items()))
        print(f"{'':>17}missed gold by shape: {r['errors']['missed_gold']}")
        print(f"{'':>17}wrong proposed by shape: {r['errors']['wrong_proposed']}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(args.json, json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
