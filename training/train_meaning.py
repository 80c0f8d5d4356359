"""Train the word-level meaning model that ships as ``xlingo/annotate/meaning_model.json``.

Usage (from the repository root)::

    python training/train_meaning.py [--ntrex ../shared/data/ntrex-dev]
        [--swissgov ../shared/data/swissgov-rsd-train] [--mqm ../shared/data/mqm-ted-ende/mqm_ted_ende.tsv]
        [--cache DIR] [--out xlingo/annotate/meaning_model.json] [--cv-out DIR] [--folds 5]

Examples (:mod:`data`): synthetic divergences over the multi-way NTREX news (exact labels),
SwissGov-RSD's token labels and the accuracy spans of MQM (real reviewers). Folds are split
by *document* (a news story, an administration page pair, a talk); held-out-by-document scores
are printed per data set, and each fold's model (trained without its documents) is written to
``--cv-out`` for the benchmarks, so their figures are cross-validated too. The model is a
logistic regression on standardised features with datasets weighted equally; its output is
calibrated by Platt scaling on the out-of-fold predictions. Everything is seeded and
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
    EncodedTexts,
    Examples,
    mqm_examples,
    ntrex_suite,
    swissgov_examples,
    synthetic_examples,
)
from mqm import read_mqm  # noqa: E402

from xlingo.annotate.meaning import FEATURES, MeaningModel  # noqa: E402

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


def calibration(logit: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Platt scaling of held-out log-odds (strictly monotone: it keeps every distinction)."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e6, max_iter=1000, random_state=SEED)
    lr.fit(logit[:, None], y, sample_weight=w)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def make_model(mean, scale, layers, a: float = 1.0, b: float = 0.0, span: tuple[float, float] = (1.0, 0.0),
               absent_at: float = 0.5) -> MeaningModel:
    return MeaningModel(FEATURES, mean, scale, layers, a, b, VERSION, "", absent_at, *span)


def clean_quantile(p: np.ndarray, y: np.ndarray, w: np.ndarray, q: float = 0.99) -> float:
    """The probability that a share ``q`` of the clean words (label 0, data sets weighted
    equally) stay below."""
    neg = y == 0
    order = np.argsort(p[neg])
    cum = np.cumsum(w[neg][order])
    return float(p[neg][order][np.searchsorted(cum, q * cum[-1])])


def mqm_spans(path: str, cache: str | None, models: dict[str, MeaningModel]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per span event of the MQM translations (each talk scored by the model trained without it):
    its highest word probability, whether it overlaps a marked accuracy error, its talk."""
    from mqm import accuracy_spans, story_of

    from xlingo.annotate.words import event_score
    from xlingo.check.base import CheckContext
    from xlingo.check.rules.spans import analysis

    enc = EncodedTexts("mqm", cache)
    p, y, docs = [], [], []
    for (talk, _), segs in read_mqm([path]).items():
        story = story_of(segs)
        ctx = CheckContext(story=story, embed=enc.embed, token_states=enc.token_states,
                           meaning_model=models[f"mqm:{talk}"])
        an = analysis(ctx)
        de = story.document("de")
        for ev in an.events:
            if ev.doc != "de":
                continue
            start = de.sentences[story.alignment[ev.row].cells["de"][0]].start
            gold = [(s + start, e + start) for s, e in accuracy_spans(segs[ev.row])]
            p.append(event_score(an.rows[ev.row], ev))
            y.append(float(any(s < ev.end and ev.start < e for s, e in gold)))
            docs.append(f"mqm:{talk}")
    return np.array(p), np.array(y), np.array(docs)


def span_calibration(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    if len(np.unique(y)) < 2:
        return 1.0, 0.0
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return calibration(np.log(q / (1 - q)), y, np.ones(len(y)))


def _code_digest() -> str:
    """Digest of the code that computes the examples (cached features are reused while it holds)."""
    here = Path(__file__).resolve().parent
    files = [here / "data.py", here / "synthetic.py", here.parent / "xlingo/annotate/meaning.py",
             here.parent / "xlingo/annotate/wordalign.py", here.parent / "xlingo/annotate/divergence.py"]
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:10]


def _cached(name: str, source: str, args, build) -> tuple[np.ndarray, ...]:
    """Examples of one data set: (x, y, doc, kind), from the feature cache or built and cached."""
    folder = Path(args.cache) if args.cache else Path(EncodedTexts("none").path.parent)
    path = folder / f"features-{name}-{_code_digest()}-{hashlib.sha256(source.encode()).hexdigest()[:8]}.npz"
    if path.exists():
        z = np.load(path, allow_pickle=False)
        return z["x"], z["y"], z["doc"], z["kind"]
    t0 = time.perf_counter()
    ex = Examples()
    build(ex)
    x, y, doc, kind = ex.arrays()
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(path, x=x, y=y, doc=doc, kind=kind)
    print(f"{name}: {len(y)} words ({time.perf_counter() - t0:.0f} s)", flush=True)
    return x, y, doc, kind


def collect(args) -> tuple[np.ndarray, ...]:
    """All examples: features, labels, document ids, data set names."""
    parts = []
    if args.mqm:
        def mqm(ex: Examples) -> None:
            enc = EncodedTexts("mqm", args.cache)
            segs = read_mqm([args.mqm])
            enc.ensure([t for ss in segs.values() for s in ss for t in (s["source"], s["target"])])
            mqm_examples([args.mqm], enc, ex)
        parts.append(_cached("mqm", str(Path(args.mqm).resolve()), args, mqm))
    if args.swissgov:
        parts.append(_cached("swissgov", str(Path(args.swissgov).resolve()), args,
                             lambda ex: swissgov_examples(args.swissgov, EncodedTexts("swissgov", args.cache), ex)))
    if args.ntrex:
        def synthetic(ex: Examples) -> None:
            enc = EncodedTexts("ntrex", args.cache)
            lines, _, suite = ntrex_suite(args.ntrex, SEED)
            enc.ensure([lines[lang][k] for k in range(len(lines["en"])) for lang in sorted(lines)]
                       + [p.text for p in suite])
            synthetic_examples(args.ntrex, enc, ex, SEED)
        parts.append(_cached("synthetic", str(Path(args.ntrex).resolve()), args, synthetic))
    return tuple(np.concatenate(cols) for cols in zip(*parts))


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
    ap.add_argument("--out", default="xlingo/annotate/meaning_model.json")
    ap.add_argument("--cv-out", help="write each fold's model here (for cross-validated benchmarks)")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    t0 = time.perf_counter()
    x, y, doc, kind = collect(args)
    folds = np.array([fold_of(d, args.folds) for d in doc])
    w = balanced_weights(kind, y)
    raw = np.zeros(len(y))
    fold_models = []
    for f in range(args.folds):
        tr = folds != f
        mean, scale, layers = fit(x[tr], y[tr], w[tr])
        raw[~tr] = make_model(mean, scale, layers).logit(x[~tr])
        fold_models.append((mean, scale, layers))
    print(f"held-out-by-document scores ({args.folds} folds):")
    scores = {name: report(name, y[kind == name], raw[kind == name]) for name in np.unique(kind)}
    scores["all"] = report("all", y, raw)
    ca, cb = calibration(raw, y, w)
    prob = 1.0 / (1.0 + np.exp(-(ca * raw + cb)))
    absent_at = clean_quantile(prob, y, w)
    print(f"  a word counts as absent above probability {absent_at:.3f} (1 % of clean words, held out)")
    cv = []
    for f, (mean, scale, layers) in enumerate(fold_models):
        out = folds != f
        fa, fb = calibration(raw[out], y[out], w[out])
        fp = 1.0 / (1.0 + np.exp(-(fa * raw[out] + fb)))
        cv.append(make_model(mean, scale, layers, fa, fb, absent_at=clean_quantile(fp, y[out], w[out])))
    span = (1.0, 0.0)
    if args.mqm:
        by_doc = {d: cv[f] for d, f in zip(doc, folds)}
        sp, sy, sdoc = mqm_spans(args.mqm, args.cache, by_doc)
        span = span_calibration(sp, sy)
        sfold = np.array([fold_of(d, args.folds) for d in sdoc])
        cv = [make_model(m.mean, m.scale, m.layers, m.calib_a, m.calib_b,
                         span_calibration(sp[sfold != f], sy[sfold != f]) if (sfold != f).any() else span,
                         m.absent_at) for f, m in enumerate(cv)]
        print(f"  mqm spans: {len(sy)} findings' spans, {int(sy.sum())} on a marked accuracy error; "
              f"span calibration a={span[0]:.3f} b={span[1]:.3f}")
    if args.cv_out:
        Path(args.cv_out).mkdir(parents=True, exist_ok=True)
        for f, m in enumerate(cv):
            held = sorted(set(doc[folds == f].tolist()))
            Path(args.cv_out, f"fold{f}.json").write_text(m.to_json(), encoding="utf-8")
            Path(args.cv_out, f"fold{f}.docs").write_text("\n".join(held) + "\n", encoding="utf-8")
    mean, scale, layers = fit(x, y, w)
    text = make_model(mean, scale, layers, ca, cb, span, absent_at).to_json()
    tmp = Path(args.out).with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.out)
    print(f"wrote {args.out} (sha256 {hashlib.sha256(text.encode()).hexdigest()[:12]}) in "
          f"{time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
