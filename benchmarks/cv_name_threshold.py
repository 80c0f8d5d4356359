"""Cross-validated thresholds of XL803's two encoder searches, by document.

XL803 asks the encoder only what spelling leaves open, with one z-score (calibrated against
words of the story's other rows) per search:

* ``rendered_z``: whether a name the other versions share, missing from a version by spelling,
  is rendered there with other words (``système de surveillance`` for *Drought Monitor*);
* ``same_name_z``: whether the other versions render a name of that version, which none of them
  spells, with other words (also the exonym test's threshold).

A candidate below the threshold counts as a substitution. Candidates come from clean NTREX
stories (EN/DE/FR/PT and the 2-way EN/DE, FR/PT of ``ntrex_clean.py``: every candidate that
reaches a search is a false alarm unless the search stops it) and from the perturbation suite's entity swaps, under one or more suite seeds (the
swapped-in name must pass the ``same_name_z`` search; the name it replaced must pass the
``rendered_z`` search in the perturbed version). Folds are documents: each fold's threshold is
chosen on the other folds (the middle of the best balanced accuracy's plateau over a grid) and
scored on its own; the mean held-out figure is printed per search.

    python benchmarks/cv_name_threshold.py [../shared/data/ntrex-dev] [--folds 5] [--seeds 13,29]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from anyascii import anyascii

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ntrex import DEFAULT_CACHE, DEFAULT_DATA, cached_engine, documents, load_documents  # noqa: E402
from perturb import ntrex_suite  # noqa: E402

from xlingo.check.rules import invariants  # noqa: E402
from xlingo.config import Settings  # noqa: E402

GRID = np.arange(0.0, 8.01, 0.5)
SEARCHES = ("rendered_z", "same_name_z")
#: The clean settings of benchmarks/ntrex_clean.py: 4-way and the two 2-way pairs.
CLEAN = (["en", "de", "fr", "pt"], ["en", "de"], ["fr", "pt"])


def _words(text: str) -> set[str]:
    return {w for w in invariants._translit_words(anyascii(text)) if len(w) >= 3}


def collect(folder: str, cache: str, per_type: int, seeds: list[int]) -> list[tuple]:
    """(search, document, z of the candidate's best counterpart, is a real substitution, (story,
    row, version)) per candidate."""
    records: list[tuple] = []
    state: dict = {"doc": "", "case": None}
    rule = invariants.NameSubstituted

    found = rule._found

    def recording(self, search, ctx, k, phrase, docs, besides=()):
        z = rule.counterpart_z(ctx, k, phrase, docs, besides)
        if np.isfinite(z):
            case = state["case"]
            real = False
            if case is not None and search == "same_name_z":
                real = case["new"] == phrase
            elif case is not None:  # the replaced name, searched in the perturbed version
                real = docs == [case["lang"]] and bool(_words(phrase) & case["old"])
            x = docs[0] if search == "rendered_z" else next(
                d for d in ctx.rows[k].cells if d not in docs and invariants._cased(ctx.row_text(k, d)))
            records.append((search, state["doc"], z, real, (ctx.story.id, k, x)))
        return False  # never a counterpart here: every candidate reaches the recorder

    rule._found = recording
    engine = cached_engine(cache, Settings(select=("XL803",)))
    try:
        for langs in CLEAN:
            for doc_id, versions in load_documents(folder, langs):
                state.update(doc=doc_id, case=None)
                engine.build_story(documents(versions), story_id=f"{doc_id}-{'-'.join(langs)}")
        for seed in seeds:
            for case in ntrex_suite(folder, engine.embedder, per_type=per_type, seed=seed):
                if case.kind != "entity":
                    continue
                line = case.versions[case.lang][case.line]
                new = line[case.gold[0]:case.gold[1]]
                old = case.original[case.gold[0]:case.gold[1] + len(case.original) - len(line)]
                state.update(doc=case.id.split("-", 2)[-1],
                             case={"lang": case.lang, "new": new, "old": _words(old) - _words(new)})
                engine.build_story(documents(case.versions), story_id=case.id)
    finally:
        rule._found = found
        engine.encoder.save()
    return records


def balanced_accuracy(z: np.ndarray, real: np.ndarray, t: float) -> float:
    passed = z < t  # below the threshold: no counterpart, a substitution
    tpr = passed[real].mean() if real.any() else 1.0
    tnr = (~passed[~real]).mean() if (~real).any() else 1.0
    return (tpr + tnr) / 2


def cross_validate(recs: list[tuple[str, float, bool]], folds: int) -> None:
    """Print the held-out balanced accuracy of each fold's threshold, and their mean."""
    docs = sorted({d for d, _, _ in recs})
    fold_of = {d: i % folds for i, d in enumerate(docs)}
    z = np.array([r[1] for r in recs])
    real = np.array([r[2] for r in recs])
    fold = np.array([fold_of[r[0]] for r in recs])
    print(f"  candidates: {len(recs)} ({real.sum()} real substitutions) from {len(docs)} documents")
    print("  z of real substitutions:", sorted(np.round(z[real], 2).tolist()))
    print("  z of clean candidates:  ", sorted(np.round(z[~real], 2).tolist()))
    scores, chosen = [], []
    for f in range(folds):
        train, test = fold != f, fold == f
        if not test.any():
            continue  # a fold without candidates says nothing
        scores_t = [balanced_accuracy(z[train], real[train], t) for t in GRID]
        plateau = [t for t, sc in zip(GRID, scores_t) if sc == max(scores_t)]
        best = float(np.median(plateau))  # the middle of the best thresholds, not an edge
        chosen.append(best)
        scores.append(balanced_accuracy(z[test], real[test], best))
        print(f"  fold {f}: threshold {best:.1f}, held-out balanced accuracy {scores[-1]:.3f} ({test.sum()} candidates)")
    print(f"  cross-validated balanced accuracy {np.mean(scores):.3f}; thresholds chosen {sorted(set(chosen))}; "
          f"median {np.median(chosen):.1f}")


def events(recs: list[tuple]) -> list[tuple[str, float, float, bool]]:
    """One event per name tested as a substitute: (document, the lowest rendering z of a missing
    name of its row and version, its own counterpart z, is the real substitution). It is flagged
    when both are below their thresholds."""
    rendered: dict[tuple, float] = {}
    for search, _, z, _, key in recs:
        if search == "rendered_z":
            rendered[key] = min(rendered.get(key, np.inf), z)
    return [(doc, rendered.get(key, -np.inf), z, real) for search, doc, z, real, key in recs if search == "same_name_z"]


def joint(evs: list[tuple[str, float, float, bool]], folds: int, current: tuple[float, float]) -> None:
    """Both thresholds at once, by document folds: the pair with the highest recall of real
    substitutions on the other folds among those raising no more false alarms there than
    ``current`` does; held-out recall and false alarms printed for it and for ``current``."""
    docs = sorted({e[0] for e in evs})
    fold_of = {d: i % folds for i, d in enumerate(docs)}
    zr = np.array([e[1] for e in evs])
    zs = np.array([e[2] for e in evs])
    real = np.array([e[3] for e in evs])
    fold = np.array([fold_of[e[0]] for e in evs])

    def flagged(tr: float, ts: float, mask: np.ndarray) -> tuple[int, int]:
        hit = (zr < tr) & (zs < ts) & mask
        return int((hit & real).sum()), int((hit & ~real).sum())

    print(f"  events: {len(evs)} ({real.sum()} real substitutions) from {len(docs)} documents")
    totals = {"chosen": [0, 0], "current": [0, 0]}
    chosen = []
    for f in range(folds):
        train, test = fold != f, fold == f
        if not test.any():
            continue
        budget = flagged(*current, train)[1]
        best = max(((flagged(tr, ts, train)[0], -flagged(tr, ts, train)[1], -abs(tr - current[0]) - abs(ts - current[1]),
                     tr, ts) for tr in GRID for ts in GRID if flagged(tr, ts, train)[1] <= budget))
        pair = (float(best[3]), float(best[4]))
        chosen.append(pair)
        for name, (tr, ts) in (("chosen", pair), ("current", current)):
            tp, fp = flagged(tr, ts, test)
            totals[name][0] += tp
            totals[name][1] += fp
        print(f"  fold {f}: thresholds rendered_z {pair[0]:.1f} same_name_z {pair[1]:.1f}; held out: "
              f"{flagged(*pair, test)[0]}/{int((real & test).sum())} real flagged, {flagged(*pair, test)[1]} false alarms "
              f"(current: {flagged(*current, test)[0]}, {flagged(*current, test)[1]})")
    for name, (tp, fp) in totals.items():
        print(f"  cross-validated {name}: recall {tp}/{int(real.sum())} = {tp / max(1, real.sum()):.3f}, "
              f"false alarms {fp} of {int((~real).sum())} clean events")
    print(f"  thresholds chosen {sorted(set(chosen))}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--per-type", type=int, default=12)
    ap.add_argument("--seeds", default="13", help="perturbation suite seeds, comma-separated")
    ap.add_argument("--cache", default=str(DEFAULT_CACHE))
    args = ap.parse_args(argv)
    recs = collect(args.folder, args.cache, args.per_type, [int(s) for s in args.seeds.split(",")])
    for search in SEARCHES:
        print(f"{search}:")
        cross_validate([(d, z, real) for s, d, z, real, _ in recs if s == search], args.folds)
    print("both, at no more false alarms than the current thresholds:")
    opts = invariants.NameSubstituted.options
    joint(events(recs), args.folds, (opts["rendered_z"], opts["same_name_z"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
