"""Cross-validated threshold of XL803's counterpart test (``same_name_z``), by document.

XL803 lets a name stand as a substitution only when no word of the other versions means the
same by the encoder (calibrated z-score below ``same_name_z``). Candidates come from clean
NTREX stories (EN/DE/FR/PT: every candidate that reaches the test is a false alarm unless the
test stops it) and from the perturbation suite's entity swaps (the swapped-in name must pass).
Folds are documents: each fold's threshold is chosen on the other folds (the middle of the
best balanced accuracy's plateau over a grid) and scored on its own; the mean held-out figure is printed.

    python benchmarks/cv_name_threshold.py [../shared/data/ntrex-dev] [--folds 5]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ntrex import DEFAULT_CACHE, DEFAULT_DATA, cached_engine, documents, load_documents  # noqa: E402
from perturb import ntrex_suite  # noqa: E402

from xlingo.check.rules import invariants  # noqa: E402
from xlingo.config import Settings  # noqa: E402

GRID = np.arange(0.0, 8.01, 0.5)


def collect(folder: str, cache: str, per_type: int) -> list[tuple[str, float, bool]]:
    """(document, z of the candidate's best counterpart, is a real substitution) per candidate."""
    records: list[tuple[str, float, bool]] = []
    state = {"doc": "", "gold": None}
    rule = invariants.NameSubstituted

    scored = rule.counterpart_z

    def recording(ctx, k, phrase, docs, besides=()):
        z = scored(ctx, k, phrase, docs, besides)
        if len(docs) > 1 and np.isfinite(z):  # the candidate substitute of one version, tested against the others
            gold = state["gold"]
            real = gold is not None and gold[1] == phrase
            records.append((state["doc"], z, real))
        return float("-inf")  # never a counterpart here: every candidate reaches the recorder

    rule.counterpart_z = staticmethod(recording)
    engine = cached_engine(cache, Settings(select=("XL803",)))
    try:
        for doc_id, versions in load_documents(folder, ["en", "de", "fr", "pt"]):
            state.update(doc=doc_id, gold=None)
            engine.build_story(documents(versions), story_id=doc_id)
        for case in ntrex_suite(folder, engine.embedder, per_type=per_type):
            if case.kind != "entity":
                continue
            line = case.versions[case.lang][case.line]
            state.update(doc=case.id.split("-", 2)[-1], gold=(case.lang, line[case.gold[0]:case.gold[1]]))
            engine.build_story(documents(case.versions), story_id=case.id)
    finally:
        rule.counterpart_z = staticmethod(scored)
        engine.encoder.save()
    return records


def balanced_accuracy(z: np.ndarray, real: np.ndarray, t: float) -> float:
    passed = z < t  # below the threshold: no counterpart, a substitution
    tpr = passed[real].mean() if real.any() else 1.0
    tnr = (~passed[~real]).mean() if (~real).any() else 1.0
    return (tpr + tnr) / 2


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--per-type", type=int, default=12)
    ap.add_argument("--cache", default=str(DEFAULT_CACHE))
    args = ap.parse_args(argv)
    recs = collect(args.folder, args.cache, args.per_type)
    docs = sorted({d for d, _, _ in recs})
    fold_of = {d: i % args.folds for i, d in enumerate(docs)}
    z = np.array([r[1] for r in recs])
    real = np.array([r[2] for r in recs])
    folds = np.array([fold_of[r[0]] for r in recs])
    print(f"candidates: {len(recs)} ({real.sum()} real substitutions) from {len(docs)} documents")
    print("z of real substitutions:", sorted(np.round(z[real], 2).tolist()))
    print("z of clean candidates:  ", sorted(np.round(z[~real], 2).tolist()))
    scores, chosen = [], []
    for f in range(args.folds):
        train, test = folds != f, folds == f
        if not test.any():
            continue  # a fold without candidates says nothing
        scores_t = [balanced_accuracy(z[train], real[train], t) for t in GRID]
        plateau = [t for t, sc in zip(GRID, scores_t) if sc == max(scores_t)]
        best = float(np.median(plateau))  # the middle of the best thresholds, not an edge
        chosen.append(best)
        scores.append(balanced_accuracy(z[test], real[test], best))
        print(f"fold {f}: threshold {best:.1f}, held-out balanced accuracy {scores[-1]:.3f} ({test.sum()} candidates)")
    print(f"cross-validated balanced accuracy {np.mean(scores):.3f}; thresholds chosen {sorted(set(chosen))}; "
          f"median {np.median(chosen):.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
