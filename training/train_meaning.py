"""Train the word-level meaning model that ships as ``xlingo/check/meaning_model.json``.

Usage (from the repository root)::

    python training/train_meaning.py [--ntrex ../shared/data/ntrex-dev]
        [--swissgov ../shared/data/swissgov-rsd-train] [--mqm ../shared/data/mqm-ted-ende/mqm_ted_ende.tsv]
        [--cache DIR] [--out xlingo/check/meaning_model.json] [--cv-out DIR] [--folds 5]

Examples (:mod:`data`): synthetic divergences over the multi-way NTREX news (exact labels),
SwissGov-RSD's token labels and the accuracy spans of MQM (real reviewers). Folds are split
by *document* (a news story, an administration page pair, a talk); held-out-by-document scores
are printed per data set, and each fold's model (trained without its documents) is written to
``--cv-out`` for the benchmarks, so their figures are cross-validated too. The model is a
logistic regression on standardised features with datasets weighted equally; its output is
calibrated by isotonic regression on the out-of-fold predictions. Everything is seeded and
single-threaded: the same data gives a byte-identical file. Encoder output is cached under
``--cache`` (outside the repository).
"""
from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import (  # noqa: E402
    Examples,
    EncodedTexts,
    mqm_examples,
    ntrex_suite,
    swissgov_examples,
    swissgov_pairs,
    synthetic_examples,
)

from mqm import read_mqm  # noqa: E402

from xlingo.check.meaning import FEATURES, MeaningModel  # noqa: E402

VERSION = "1"
SEED = 13


def fold_of(doc: str, k: int) -> int:
    """A document's fold: stable across runs and machines."""
    return int(hashlib.sha256(doc.encode()).hexdigest(), 16) % k


def balanced_weights(kind: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each data set weighs the same in total."""
    w = np.ones(len(kind))
    for name in np.unique(kind):
        m = kind == name
        w[m] = 1.0 / m.sum()
    return w * len(kind) / len(np.unique(kind))


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, tuple]:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=2000, random_state=SEED)
    lr.fit((x - mean) / scale, y, sample_weight=w)
    return mean, scale, ((lr.coef_.T.astype(np.float64), lr.intercept_.astype(np.float64)),)


def calibration(raw: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Isotonic map from raw output to observed rate, as the breakpoints of a piecewise-linear curve."""
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0)
    iso.fit(raw, y, sample_weight=w)
    return np.asarray(iso.X_thresholds_, dtype=np.float64), np.asarray(iso.y_thresholds_, dtype=np.float64)


def make_model(mean, scale, layers, cx, cy) -> MeaningModel:
    return MeaningModel(FEATURES, mean, scale, layers, cx, cy, VERSION, "")


def collect(args) -> Examples:
    ex = Examples()
    t0 = time.perf_counter()
    if args.mqm:
        enc = EncodedTexts("mqm", args.cache)
        segs = read_mqm([args.mqm])
        enc.ensure([t for ss in segs.values() for s in ss for t in (s["source"], s["target"])])
        mqm_examples([args.mqm], enc, ex)
        print(f"mqm: {sum(len(y) for y, k in zip(ex.y, ex.kind) if k == 'mqm')} words "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)
    if args.swissgov:
        enc = EncodedTexts("swissgov", args.cache)
        swissgov_examples(args.swissgov, enc, ex)
        print(f"swissgov: {sum(len(y) for y, k in zip(ex.y, ex.kind) if k == 'swissgov')} words "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)
    if args.ntrex:
        enc = EncodedTexts("ntrex", args.cache)
        lines, _, suite = ntrex_suite(args.ntrex, SEED)
        enc.ensure([lines[lang][k] for k in range(len(lines["en"])) for lang in sorted(lines)] + [p.text for p in suite])
        synthetic_examples(args.ntrex, enc, ex, SEED)
        print(f"synthetic: {sum(len(y) for y, k in zip(ex.y, ex.kind) if k == 'synthetic')} words "
              f"({time.perf_counter() - t0:.0f} s)", flush=True)
    return ex


def report(name: str, y: np.ndarray, p: np.ndarray) -> dict:
    from sklearn.metrics import average_precision_score, roc_auc_score

    out = {"words": int(len(y)), "positives": int(y.sum())}
    if 0 < y.sum() < len(y):
        out.update(auc=float(roc_auc_score(y, p)), ap=float(average_precision_score(y, p)))
        print(f"  {name:<10} held out by document: word ROC-AUC {out['auc']:.3f}, AP {out['ap']:.3f} "
              f"(base rate {y.mean():.3f}, {len(y)} words)")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ntrex", default="../shared/data/ntrex-dev")
    ap.add_argument("--swissgov", default="../shared/data/swissgov-rsd-train")
    ap.add_argument("--mqm", default="../shared/data/mqm-ted-ende/mqm_ted_ende.tsv")
    ap.add_argument("--cache", help="folder for encoder output and features (default: system temp)")
    ap.add_argument("--out", default="xlingo/check/meaning_model.json")
    ap.add_argument("--cv-out", help="write each fold's model here (for cross-validated benchmarks)")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    t0 = time.perf_counter()
    ex = collect(args)
    x, y, doc, kind = ex.arrays()
    folds = np.array([fold_of(d, args.folds) for d in doc])
    w = balanced_weights(kind, y)
    raw = np.zeros(len(y))
    fold_models = []
    for f in range(args.folds):
        tr = folds != f
        mean, scale, layers = fit(x[tr], y[tr], w[tr])
        model = make_model(mean, scale, layers, np.array([0.0, 1.0]), np.array([0.0, 1.0]))
        raw[~tr] = model.raw(x[~tr])
        fold_models.append((mean, scale, layers))
    print(f"held-out-by-document scores ({args.folds} folds):")
    scores = {name: report(name, y[kind == name], raw[kind == name]) for name in np.unique(kind)}
    scores["all"] = report("all", y, raw)
    cx, cy = calibration(raw, y, w)
    if args.cv_out:
        Path(args.cv_out).mkdir(parents=True, exist_ok=True)
        for f, (mean, scale, layers) in enumerate(fold_models):
            out = folds != f
            fx, fy = calibration(raw[out], y[out], w[out])
            held = sorted(set(doc[folds == f].tolist()))
            text = make_model(mean, scale, layers, fx, fy).to_json()
            Path(args.cv_out, f"fold{f}.json").write_text(text, encoding="utf-8")
            Path(args.cv_out, f"fold{f}.docs").write_text("\n".join(held) + "\n", encoding="utf-8")
    mean, scale, layers = fit(x, y, w)
    text = make_model(mean, scale, layers, cx, cy).to_json()
    tmp = Path(args.out).with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.out)
    print(f"wrote {args.out} (sha256 {hashlib.sha256(text.encode()).hexdigest()[:12]}) in "
          f"{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
