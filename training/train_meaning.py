"""Train the word-level meaning model that ships as ``xlingo/annotate/meaning_model.json``.

Usage (from the repository root)::

    python training/train_meaning.py [--ntrex ../shared/data/ntrex-dev]
        [--swissgov ../shared/data/swissgov-rsd-train] [--mqm ../shared/data/mqm-ted-ende/mqm_ted_ende.tsv]
        [--cache DIR] [--out xlingo/annotate/meaning_model.json] [--cv-out DIR] [--folds 5]

Examples (:mod:`data`): synthetic divergences over the multi-way NTREX news (exact labels),
SwissGov-RSD's token labels and the accuracy spans of MQM (real reviewers). Folds are split
by *document* (a news story, an administration page pair, a talk); held-out-by-document scores
are printed per data set, and each fold's model (trained without its documents) is written to
``--cv-out`` for the benchmarks, so their figures are cross-validated too. The synthetic
divergences come from ``training/synthetic.py``, not from the perturbations of
``benchmarks/perturb.py``, and ``perturb.py --cv-models`` checks each story with the model
trained without its document.

The model is a one-hidden-layer network (:data:`HIDDEN` units; logistic regression with 0) on
standardised features, data sets weighted equally; its output is calibrated by Platt scaling on
the out-of-fold predictions. Then, all on held-out predictions:

- ``absent_at``: the probability above which 1 % of the clean words lie (a word counts as absent);
- the *span calibration*: Platt scaling of the word probability to the chance that an MQM
  reviewer marks the word as part of an accuracy error, fitted on every MQM word (~119,000, so
  it is stable from fold to fold, unlike a fit on the few spans that happen to fire);
- the *severity floors* on that span score: the span analysis runs on every clean NTREX
  document (four versions and two, languages drawn per document), each with the fold model
  trained without it, and each floor is the lowest that keeps the events within
  :data:`CLEAN_BUDGET` per 100 sentences; the fold models get floors chosen on the other folds,
  and the clean-text cost of those is printed (cross-validated).

Everything is seeded and single-threaded: the same data gives a byte-identical file. Encoder
output and features are cached under ``--cache`` (outside the repository).
"""
from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field, replace  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import (  # noqa: E402
    EncodedTexts,
    Examples,
    mqm_examples,
    ntrex_lines,
    ntrex_suite,
    swissgov_examples,
    synthetic_examples,
)
from mqm import read_mqm  # noqa: E402

from xlingo.annotate.meaning import FEATURES, MeaningModel  # noqa: E402

VERSION = "3"
SEED = 13
HIDDEN = 32  # hidden units of the network (0: logistic regression)


def fold_of(doc: str, k: int) -> int:
    """A document's fold: stable across runs and machines."""
    return int(hashlib.sha256(doc.encode()).hexdigest(), 16) % k


def balanced_weights(kind: np.ndarray) -> np.ndarray:
    """Each data set weighs the same in total."""
    w = np.ones(len(kind))
    for name in np.unique(kind):
        m = kind == name
        w[m] = 1.0 / m.sum()
    return w * len(kind) / len(np.unique(kind))


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, hidden: int = HIDDEN) -> tuple[np.ndarray, np.ndarray, tuple]:
    """A one-hidden-layer network (``hidden`` ReLU units; logistic regression when 0) on
    standardised features, examples weighted by ``w``; seeded, so the same data gives the same
    numbers."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    if not hidden:
        lr = LogisticRegression(C=1.0, max_iter=2000, random_state=SEED)
        lr.fit(z, y, sample_weight=w)
        return mean, scale, ((lr.coef_.T.astype(np.float64), lr.intercept_.astype(np.float64)),)
    net = MLPClassifier(hidden_layer_sizes=(hidden,), alpha=1e-3, batch_size=min(512, len(y) // 2), learning_rate_init=1e-3,
                        max_iter=40, early_stopping=True, validation_fraction=0.1, n_iter_no_change=4,
                        random_state=SEED)
    net.fit(z, y, sample_weight=w)
    return mean, scale, tuple((c.astype(np.float64), b.astype(np.float64))
                              for c, b in zip(net.coefs_, net.intercepts_))


def calibration(logit: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Platt scaling of held-out log-odds (strictly monotone: it keeps every distinction)."""
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e6, max_iter=1000, random_state=SEED)
    lr.fit(logit[:, None], y, sample_weight=w)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def make_model(mean, scale, layers, a: float = 1.0, b: float = 0.0, span: tuple[float, float] = (1.0, 0.0),
               absent_at: float = 0.5, levels: dict[str, float] | None = None, base_rate: float = 0.06) -> MeaningModel:
    return MeaningModel(FEATURES, mean, scale, layers, a, b, VERSION, "", absent_at, *span,
                        tuple(sorted((levels or {}).items())), base_rate)


def choose_floors(ntrex: str, cache: str | None, cv: list[MeaningModel], fold_docs: dict[str, int],
                  folds: int) -> tuple[dict[str, float], list[MeaningModel]]:
    """Severity floors chosen on every clean NTREX document, and each fold model with floors
    chosen on the other folds' documents; prints their cross-validated clean-text cost."""
    ev = clean_events(ntrex, cache, {d: cv[f] for d, f in fold_docs.items()})
    all_docs = set(ev.doc) | {d for d, _ in ev.sentences}
    levels = severity_scores(ev, all_docs)
    cv = [replace(m, levels=tuple(sorted(severity_scores(
        ev, {d for d in all_docs if fold_of(d, folds) != f}).items()))) for f, m in enumerate(cv)]
    print("  severity floors (clean NTREX news, held out): " + ", ".join(f"{k} {v:.3f}" for k, v in levels.items()))
    print("  span findings per 100 clean sentences, each fold's documents with floors chosen on the others: "
          + ", ".join(f"{k} {v:.2f}" for k, v in clean_rates(ev, cv, folds).items()))
    return levels, cv


def floors_only(args) -> None:
    """Keep the networks of ``--cv-in`` (fold models) and ``--out`` and choose their floors again."""
    from xlingo.annotate.meaning import load_model

    paths = sorted(Path(args.cv_in).glob("fold*.json"))
    cv = [replace(load_model(str(p)), base_rate=args.base_rate) for p in paths]
    fold_docs = {d: f for f, p in enumerate(paths) for d in p.with_suffix(".docs").read_text(encoding="utf-8").split()}
    levels, cv = choose_floors(args.ntrex, args.cache, cv, fold_docs, len(paths))
    write_models(args, cv, fold_docs, replace(load_model(args.out), base_rate=args.base_rate,
                                              levels=tuple(sorted(levels.items()))))


def write_models(args, cv: list[MeaningModel], fold_docs: dict[str, int], model: MeaningModel) -> None:
    if args.cv_out:
        Path(args.cv_out).mkdir(parents=True, exist_ok=True)
        for f, m in enumerate(cv):
            held = sorted(d for d, g in fold_docs.items() if g == f)
            Path(args.cv_out, f"fold{f}.json").write_text(m.to_json(), encoding="utf-8")
            Path(args.cv_out, f"fold{f}.docs").write_text("\n".join(held) + "\n", encoding="utf-8")
    text = model.to_json()
    tmp = Path(args.out).with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.out)
    print(f"wrote {args.out} (sha256 {hashlib.sha256(text.encode()).hexdigest()[:12]})")


def clean_quantile(p: np.ndarray, y: np.ndarray, w: np.ndarray, q: float = 0.99) -> float:
    """The probability that a share ``q`` of the clean words (label 0, data sets weighted
    equally) stay below."""
    neg = y == 0
    order = np.argsort(p[neg])
    cum = np.cumsum(w[neg][order])
    return float(p[neg][order][np.searchsorted(cum, q * cum[-1])])


def span_calibration(p: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Platt scaling of held-out *word* probabilities on MQM to the chance that a professional
    reviewer marks the word as part of an accuracy error (fitted on every held-out MQM word, so
    it rests on tens of thousands of examples, not on the few spans that happen to fire)."""
    if len(np.unique(y)) < 2:
        return 1.0, 0.0
    q = np.clip(p, 1e-6, 1 - 1e-6)
    return calibration(np.log(q / (1 - q)), y, w)


# findings per 100 sentences of clean news each severity may cost (the span rules' share of the
# clean-text budget of issue 9: <= 0.2 errors and <= 1 warning per 100 sentences, all rules together;
# measured on gold rows of four languages drawn per document, while the pipeline on whole stories
# with its own alignment raised two to three times as many: with 0.1 warnings and 0.02 errors here,
# model v3 gave 0.33 warnings and 0.21 errors per 100 sentences on en/de/fr/pt, benchmarks/ntrex_clean.py,
# mostly a name one version leaves out. Errors: no clean event on gold rows may reach one)
CLEAN_BUDGET = {"info": 0.5, "warning": 0.05, "error": 0.0, "pair_warning": 0.1}
# the N-way vote's omissions: what they may add to the span findings above (events the span score
# leaves below that severity); 0 = the vote never raises an omission to that severity. The vote's
# evidence is discounted by how the rest of the row aligns (divergence.drop_evidence), so a freer or
# condensed rendering does not look like a dropped clause; still, the strongest gaps left on clean
# NTREX are real omissions of its translations (a Japanese version without "said the minister after
# meeting ...", a Russian one without the boat's name), as strong as a dropped clause. With 0.25
# warnings per 100 clean sentences (held-out floors) the perturbation suite's clause drops rose from
# 0 to 1 of 12 while the vote warned 5 times on versions nobody had changed: the vote shows its gaps
# as information only, and makes no errors (see --vote-budget). Since the vote's evidence of a gap
# is corroborated (divergence.corroboration: the geometric mean of the two strongest holders'), the
# suite's clause drops the vote shows at info rose from 2 to 3 of 12 (held-out floors), but the top of
# the clean distribution is unchanged: real omissions of the NTREX translations (a Russian version
# without "aboard a boat called Monkey Business", a German one without "in the last two decades").
# With --vote-budget 0.1 (measured with the weaker of the two holders' evidence) the suite's clause
# drops went from 0 to 1 of 12 at warning (precision 1/6) for 0.30 N-way warnings per 100 clean
# sentences (held out, from 0.07): not worth the clean budget. Measured again with the drop probe in
# place (--vote-budget 0.25, held-out floors 6.9-8.0): clause drops at warning rose 9 -> 11 of 24 on
# one draw and 3 -> 5 on another, while clean warnings rose 0.2-0.35 per 100 sentences (4-way
# en/de/fr/pt 0.76 -> 0.98, es/ru/it 0.90 -> 1.26), about half of them real omissions of the
# translations ("according to Nielsen", "in the last two decades") and half free renderings, a name
# spelt out or an acronym: still not shipped. A gap the vote shows may still become
# a warning in XL701 where its drop probe confirms it (a second encoder's opinion, with floors of its
# own: benchmarks/omission_probe.py).
VOTE_BUDGET = {"vote_info": 0.5, "vote_warning": 0.0, "vote_error": 0.0}


@dataclass
class CleanEvents:
    """Span events the model raises on clean multi-way news: score, versions in the row, whether
    every other version agrees (an error candidate), the document; and sentences seen."""

    score: list[float] = field(default_factory=list)
    versions: list[int] = field(default_factory=list)
    unanimous: list[bool] = field(default_factory=list)
    doc: list[str] = field(default_factory=list)
    vote: list[float] = field(default_factory=list)  # the N-way vote's evidence of an omission (0: none)
    by_vote: list[bool] = field(default_factory=list)  # found by the vote alone
    sentences: dict[tuple[str, bool], int] = field(default_factory=dict)  # (document, n-way) -> sentences


def clean_events(folder: str, cache: str | None, models: dict[str, MeaningModel]) -> CleanEvents:
    """Run the span analysis on every clean NTREX document (each with the fold model trained without
    it), once with four versions and once with two, languages drawn per document with a fixed seed."""
    from xlingo.check.base import CheckContext
    from xlingo.check.rules.spans import analysis
    from xlingo.testing import story_from_rows

    enc = EncodedTexts("ntrex", cache)
    lines, docs = ntrex_lines(folder)
    rows_of: dict[str, list[int]] = {}
    for k, d in enumerate(docs):
        rows_of.setdefault(d, []).append(k)
    out = CleanEvents()
    langs = sorted(lines)
    for d, ks in rows_of.items():
        rng = np.random.default_rng([SEED, int(hashlib.sha256(d.encode()).hexdigest()[:8], 16)])
        drawn = [langs[int(i)] for i in rng.permutation(len(langs))]
        for chosen in (drawn[:4], drawn[4:6]):
            story = story_from_rows([{lang: lines[lang][k] for lang in chosen} for k in ks])
            ctx = CheckContext(story=story, embed=enc.embed, token_states=enc.token_states,
                               meaning_model=models[f"ntrex:{d}"])
            an = analysis(ctx)
            min_mass = 0.5
            for ev, sc in zip(an.events, an.scores):
                if ev.mass < min_mass and not ev.key:
                    continue
                n = len(an.rows[ev.row].cells)
                out.score.append(sc)
                out.versions.append(n)
                out.unanimous.append(len(ev.holders) >= n - 1 and not ev.disputed)
                out.doc.append(f"ntrex:{d}")
                out.vote.append(ev.vote if ev.kind == "omission" and n >= 3 else 0.0)
                out.by_vote.append(ev.by_vote)
            out.sentences[(f"ntrex:{d}", len(chosen) > 2)] = len(ks) * len(chosen)
    return out


def clean_rates(ev: CleanEvents, models: list[MeaningModel], k: int) -> dict[str, float]:
    """Cross-validated clean-text cost of the floors: span findings per 100 sentences on each
    fold's documents with the floors its model got from the other folds' documents (the vote's
    included)."""
    count = {"N-way error": 0, "N-way warning+": 0, "2-way warning": 0}
    sent = {True: 0, False: 0}
    for (d, many), v in ev.sentences.items():
        sent[many] += v
    for sc, n, un, d, vote, alone in zip(ev.score, ev.versions, ev.unanimous, ev.doc, ev.vote, ev.by_vote):
        floors = dict(models[fold_of(d, k)].levels)
        if n >= 3:
            voted_error = vote > 0 and vote >= floors.get("vote_error", np.inf) and un
            voted = vote > 0 and vote >= floors.get("vote_warning", np.inf)
            count["N-way error"] += (sc >= floors["error"] and un and not alone) or voted_error
            count["N-way warning+"] += (sc >= floors["warning"] and not alone) or voted
        else:
            count["2-way warning"] += sc >= floors["pair_warning"]
    return {name: 100 * c / max(sent[not name.startswith("2")], 1) for name, c in count.items()}


def _floor(scores: np.ndarray, sentences: int, per_100: float) -> float:
    """The lowest score floor that keeps ``scores`` at or below ``per_100`` per 100 sentences."""
    allowed = int(per_100 * sentences / 100)
    top = np.sort(scores)[::-1]
    return float(top[allowed]) + 1e-6 if allowed < len(top) else 0.0


def severity_scores(ev: CleanEvents, docs: set[str]) -> dict[str, float]:
    """Per severity, the span-score floor that keeps the clean documents ``docs`` within
    :data:`CLEAN_BUDGET` (chosen on documents the models scoring them did not see)."""
    alone = np.array(ev.by_vote, dtype=bool)
    keep = np.array([d in docs for d in ev.doc], dtype=bool) & ~alone
    score = np.array(ev.score)[keep]
    nway = np.array(ev.versions)[keep] >= 3
    unanimous = np.array(ev.unanimous)[keep]
    sent_n = sum(v for (d, many), v in ev.sentences.items() if many and d in docs)
    sent_2 = sum(v for (d, many), v in ev.sentences.items() if not many and d in docs)
    info = _floor(score[nway], sent_n, CLEAN_BUDGET["info"])
    warning = max(info, _floor(score[nway], sent_n, CLEAN_BUDGET["warning"]))
    error = max(warning, _floor(score[nway & unanimous], sent_n, CLEAN_BUDGET["error"]))
    # the vote's floors, on what the span score leaves below each severity
    mine = np.array([d in docs for d in ev.doc], dtype=bool) & (np.array(ev.versions) >= 3)
    vote, sc, un = np.array(ev.vote)[mine], np.array(ev.score)[mine], np.array(ev.unanimous)[mine]
    below_warning = (alone[mine] | (sc < warning)) & (vote > 0)
    below_error = (alone[mine] | (sc < error) | ~un) & (vote > 0)
    below_info = (alone[mine] | (sc < info)) & (vote > 0)
    floors = {"info": info, "warning": warning, "error": error,
              "pair_warning": max(info, _floor(score[~nway], sent_2, CLEAN_BUDGET["pair_warning"]))}
    lowest = 0.0
    for name, below in (("vote_info", below_info), ("vote_warning", below_warning), ("vote_error", below_error & un)):
        if VOTE_BUDGET[name] > 0:
            floors[name] = lowest = max(lowest, _floor(vote[below], sent_n, VOTE_BUDGET[name]))
    return floors


def _code_digest() -> str:
    """Digest of the code that computes the examples (cached features are reused while it holds)."""
    here = Path(__file__).resolve().parent
    files = [here / "data.py", here / "synthetic.py", here.parent / "xlingo/annotate/meaning.py",
             here.parent / "xlingo/annotate/wordalign.py", here.parent / "xlingo/annotate/divergence.py",
             here.parent / "benchmarks/encoded.py", here.parent / "benchmarks/mqm.py",
             here.parent / "benchmarks/swissgov_rsd.py"]
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:10]


def _cached(name: str, source: str, args, build) -> tuple[np.ndarray, ...]:
    """Examples of one data set: (x, y, doc, kind, sub), from the feature cache or built and cached."""
    folder = Path(args.cache) if args.cache else Path(EncodedTexts("none").path.parent)
    path = folder / f"features-{name}-{_code_digest()}-{hashlib.sha256(source.encode()).hexdigest()[:8]}.npz"
    if path.exists():
        z = np.load(path, allow_pickle=False)
        return z["x"], z["y"], z["doc"], z["kind"], z["sub"]
    t0 = time.perf_counter()
    ex = Examples()
    build(ex)
    x, y, doc, kind, sub = ex.arrays()
    folder.mkdir(parents=True, exist_ok=True)
    np.savez(path, x=x, y=y, doc=doc, kind=kind, sub=sub)
    print(f"{name}: {len(y)} words ({time.perf_counter() - t0:.0f} s)", flush=True)
    return x, y, doc, kind, sub


def collect(args) -> tuple[np.ndarray, ...]:
    """All examples: features, labels, document ids, data set names, example types."""
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
    ap.add_argument("--cv-in", help="with --floors-only: the fold models (and .docs) whose floors to choose again")
    ap.add_argument("--floors-only", action="store_true", help="keep the networks of --cv-in and --out, choose the "
                    "severity floors again (after a change to how spans are built from word probabilities)")
    ap.add_argument("--vote-budget", type=float, default=VOTE_BUDGET["vote_warning"], help="warnings per 100 clean "
                    "sentences the N-way vote's omissions may add (0: none; the vote makes no errors)")
    ap.add_argument("--base-rate", type=float, default=None, help="with --floors-only: the training base rate "
                    "(default: the one stored in the model)")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(1)
    VOTE_BUDGET.update(vote_warning=args.vote_budget)
    if args.floors_only:
        from xlingo.annotate.meaning import load_model

        if args.base_rate is None:
            args.base_rate = load_model(args.out).base_rate
        floors_only(args)
        return
    t0 = time.perf_counter()
    x, y, doc, kind, sub = collect(args)
    folds = np.array([fold_of(d, args.folds) for d in doc])
    w = balanced_weights(kind)
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
    base_rate = float(np.average(y, weights=w))
    prob = 1.0 / (1.0 + np.exp(-(ca * raw + cb)))
    absent_at = clean_quantile(prob, y, w)
    mqm = kind == "mqm"
    span = span_calibration(prob[mqm], y[mqm], np.ones(int(mqm.sum()))) if mqm.any() else (1.0, 0.0)
    print(f"  a word counts as absent above probability {absent_at:.3f} (1 % of clean words, held out)")
    print(f"  span calibration (held-out MQM words) a={span[0]:.3f} b={span[1]:.3f}")
    cv = []
    for f, (mean, scale, layers) in enumerate(fold_models):
        out = folds != f
        fa, fb = calibration(raw[out], y[out], w[out])
        fp = 1.0 / (1.0 + np.exp(-(fa * raw[out] + fb)))
        fm = out & mqm
        fspan = span_calibration(fp[mqm[out]], y[fm], np.ones(int(fm.sum()))) if fm.any() else span
        cv.append(make_model(mean, scale, layers, fa, fb, fspan, clean_quantile(fp, y[out], w[out]),
                             base_rate=float(np.average(y[out], weights=w[out]))))
    levels: dict[str, float] = {}
    fold_docs = {d: int(f) for d, f in zip(doc.tolist(), folds)}
    if args.ntrex:
        levels, cv = choose_floors(args.ntrex, args.cache, cv, fold_docs, args.folds)
    mean, scale, layers = fit(x, y, w)
    write_models(args, cv, fold_docs, make_model(mean, scale, layers, ca, cb, span, absent_at, levels, base_rate))
    print(f"trained in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
