"""Sentence alignment on Text+Berg dev (de-fr): xlingo's aligner against Bertalign's algorithm.

Usage::

    python benchmarks/align_textberg.py ../shared/data/textberg-dev --model e5-small \\
        --json reports/bench/align_textberg.json

PATH holds ``dev.de``, ``dev.fr`` (one sentence a line) and ``dev.defr`` (gold beads,
``[de ids]:[fr ids]``). Both aligners run in the same process with the same encoder, each
behind its own :class:`~xlingo.embed.base.Embedder`, so strings embedded and encoder time
are counted separately. Scores follow Vecalign's ``score.py`` convention (Sennrich & Volk
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
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xlingo.align import NEG, AlignParams, Bead, EmbedFn, align_pair, best_path  # noqa: E402
from xlingo.embed import load_encoder  # noqa: E402
from xlingo.embed.base import Embedder, Encoder  # noqa: E402

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

class _Timed:
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


Aligner = Callable[[list[str], list[str], "EmbedFn | Sequence[EmbedFn]"], list[Bead]]


def run(name: str, fn: Aligner, src: list[str], tgt: list[str], gold: list[Bead], encoders: Sequence[Encoder]) -> dict:
    """Align with a fresh string cache per encoder; scores, strings embedded, and the time split.

    With several encoders the aligner gets one embedding function each; strings embedded are
    those of the first, seconds those of all."""
    timed = [_Timed(e) for e in encoders]
    embedders = [Embedder(t) for t in timed]
    t = time.perf_counter()
    beads = fn(src, tgt, embedders[0] if len(embedders) == 1 else embedders)
    total = time.perf_counter() - t
    sentences = len(src) + len(tgt)
    seconds = sum(x.seconds for x in timed)
    strings = embedders[0].strings_embedded
    return {
        "aligner": name,
        **score(beads, gold),
        "beads": len(beads),
        "sentences": sentences,
        "strings_embedded": strings,
        "strings_per_sentence": strings / sentences,
        "chars_embedded": timed[0].chars,
        "encoder_sentences_per_s": sum(e.strings_embedded for e in embedders) / seconds if seconds else None,
        "seconds_embed": seconds,
        "seconds_align": total - seconds,
        "unaligned": unaligned(beads, gold, sentences),
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path, help="folder with dev.de, dev.fr, dev.defr")
    ap.add_argument("--model", default="e5-small")
    ap.add_argument("--second", default=None, help="a second encoder whose scores xlingo's aligner averages in")
    ap.add_argument("--second-sentences-only", action="store_true",
                    help="embed only the sentences with the second encoder (its windows approximated)")
    ap.add_argument("--json", type=Path, default=Path("reports/bench/align_textberg.json"))
    args = ap.parse_args(argv)
    src, tgt = read_lines(args.path / "dev.de"), read_lines(args.path / "dev.fr")
    gold = read_gold(args.path / "dev.defr")
    encoder = load_encoder(args.model)
    encoders = [encoder] + ([load_encoder(args.second)] if args.second else [])
    params = AlignParams()
    if args.second and args.second_sentences_only:
        def aligner(s: list[str], t: list[str], e: Sequence[EmbedFn]) -> list[Bead]:
            return align_pair(s, t, e[0], params, sentence_embed=e[1])
    else:
        def aligner(s: list[str], t: list[str], e: EmbedFn | Sequence[EmbedFn]) -> list[Bead]:
            return align_pair(s, t, e, params)
    ours = run("xlingo", aligner, src, tgt, gold, encoders)
    base = run("bertalign-algo", bertalign, src, tgt, gold, [encoder])
    result = {
        "data": "Text+Berg dev de-fr", "model": args.model, "second_model": args.second,
        "second_sentences_only": bool(args.second and args.second_sentences_only),
        "encoders": [e.name for e in encoders],
        "params": dict(params.thresholds()), "bertalign_params": BertalignParams().__dict__,
        "xlingo": ours, "bertalign_algo": base,
        "strings_ratio_xlingo_over_bertalign": ours["strings_embedded"] / base["strings_embedded"],
        "chars_ratio_xlingo_over_bertalign": ours["chars_embedded"] / base["chars_embedded"],
    }
    for r in (ours, base):
        u = r["unaligned"]
        print(f"{r['aligner']:>15}: strict P/R/F1 {r['strict']['precision']:.3f}/{r['strict']['recall']:.3f}/"
              f"{r['strict']['f1']:.3f}  lax F1 {r['lax']['f1']:.3f}  strings {r['strings_embedded']} "
              f"({r['strings_per_sentence']:.2f}/sentence)  embed {r['seconds_embed']:.1f}s "
              f"align {r['seconds_align']:.2f}s  unaligned {u['predicted']} (gold {u['gold']}, "
              f"false {u['false']} = {u['false_per_100_sentences']:.1f}/100 sentences)")
    print(f"embedded, xlingo / bertalign-algo: strings {result['strings_ratio_xlingo_over_bertalign']:.2f}, "
          f"characters {result['chars_ratio_xlingo_over_bertalign']:.2f}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
