"""Cross-validated thresholds of XL803's encoder searches, by document.

XL803 asks the encoder only what spelling leaves open, with one z-score (calibrated against
words of the story's other rows) per search:

* ``rendered_z``: whether a name the other versions share, missing from a version by spelling,
  is rendered there with other words (``système de surveillance`` for *Drought Monitor*);
* ``same_name_z``: whether the other versions render a name of that version, which none of them
  spells, with other words (also the exonym test's threshold);
* ``translated_cos``: where neither finds a counterpart, the cosine from which the run's second
  encoder (USE v3) reads a name of the version, with the words its language writes after it, as
  a translation of the missing name (it must also be closer than the story's other names).

A candidate below the threshold counts as a substitution. Candidates come from clean NTREX stories
(the 4-way and 2-way settings of ``ntrex_clean.py`` and its 3-way mixed-script ones: every candidate
that reaches a search is a false alarm unless the search stops it) and from the perturbation suite's
entity swaps, under one or more suite seeds (the swapped-in name must pass the ``same_name_z``
search; the name it replaced must pass the ``rendered_z`` search in the perturbed version). Folds
are documents: each fold's threshold is chosen on the other folds (the middle of the best balanced
accuracy's plateau over a grid) and scored on its own; the mean held-out figure is printed per
search. Before any search, a name of the version that the row's word alignment links to a missing
one stands in its place when the story's token states keep them apart: below ``token_sim``, or below
``name_sim`` where both can only be names (no ordinary words; then no encoder is asked); both are
chosen by document folds at no more false alarms than the z-scores alone.

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

from xlingo.check.rules import name_swaps  # noqa: E402
from xlingo.config import Settings  # noqa: E402
from xlingo.names import cased, translit_words  # noqa: E402

GRID = np.arange(0.0, 8.01, 0.5)
SEARCHES = ("rendered_z", "same_name_z")
COS_GRID = np.round(np.arange(0.2, 0.801, 0.025), 3)
#: The clean settings of benchmarks/ntrex_clean.py: 4-way, the two 2-way pairs and the 3-way mixed scripts.
CLEAN = (["en", "de", "fr", "pt"], ["en", "de"], ["fr", "pt"], ["es", "ru", "it"], ["en", "ar", "fr"],
         ["de", "zh", "pt"], ["nl", "ja", "pl"])


def _words(text: str) -> set[str]:
    return {w for w in translit_words(anyascii(text)) if len(w) >= 3}


class Recorder:
    """Stands in for XL803's searches while a benchmark runs: records every candidate that reaches
    one (search, document, value, is a real substitution, key) and answers "no counterpart", so
    that every candidate reaches every search. Each method takes what the rule's method takes."""

    rule = name_swaps.NameSubstituted

    def __init__(self) -> None:
        self.records: list[tuple] = []
        self.doc = ""
        self.case: dict | None = None  # the entity swap of the story being checked (None: clean)
        self._saved = (self.rule._found, self.rule.placement, self.rule._second_opinion)

    def __enter__(self) -> Recorder:
        self.rule._found = lambda rule, *args, **kwargs: self.found(rule, *args, **kwargs)  # called as the rule's
        self.rule.placement = staticmethod(self.placing)
        self.rule._second_opinion = staticmethod(self.asking)
        return self

    def __exit__(self, *exc) -> None:
        found, placement, second = self._saved
        self.rule._found = found
        self.rule.placement = staticmethod(placement)
        self.rule._second_opinion = staticmethod(second)

    def found(self, rule, search, ctx, k, phrase, docs, besides=(), named=False, unless=()) -> bool:
        z = rule.counterpart_z(ctx, k, phrase, docs, besides, int(rule.opts["background"]), named=named,
                               unless=unless)
        if np.isfinite(z):
            case = self.case
            real = False
            if case is not None and search == "same_name_z":
                real = case["new"] == phrase
            elif case is not None:  # the replaced name, searched in the perturbed version
                real = docs == [case["lang"]] and bool(_words(phrase) & case["old"])
            x = docs[0] if search == "rendered_z" else next(
                d for d in ctx.rows[k].cells if d not in docs and cased(ctx.row_text(k, d)))
            key = (ctx.story.id, k, x) if search == "rendered_z" else (ctx.story.id, k, x, phrase)
            self.records.append((search, self.doc, z, real, key))
        return False

    def placing(self, ctx, k, x, m, n, others) -> tuple[bool, float]:
        linked, best = self._saved[1](ctx, k, x, m, n, others)
        real = self.case is not None and self.case["new"] == m.text
        langs = [d.lang for d in ctx.documents]
        search = "name_sim" if name_swaps._strong(m, langs) and name_swaps._strong(n, langs) else "token_sim"
        self.records.append((search, self.doc, best if linked else np.inf, real, (ctx.story.id, k, x, m.text)))
        return False, 1.0

    def asking(self, ctx, names, background, written) -> dict[int, tuple[int, str, float, float]]:
        answers = self._saved[2](ctx, names, background, written)
        mentions = written[1]
        for i, (best, _, cos, other) in answers.items():
            real = self.case is not None and self.case["new"] == mentions[best].text
            self.records.append(("translated_cos", self.doc, (cos, other), real, (ctx.story.id, names[i])))
        return {i: (best, phrase, -1.0, other) for i, (best, phrase, _, other) in answers.items()}


def collect(folder: str, cache: str, per_type: int, seeds: list[int]) -> list[tuple]:
    """(search, document, value, is a real substitution, key) per candidate (:class:`Recorder`)."""
    engine = cached_engine(cache, Settings(select=("XL803",)))
    try:
        with Recorder() as rec:
            for langs in CLEAN:
                for doc_id, versions in load_documents(folder, langs):
                    rec.doc, rec.case = doc_id, None
                    engine.build_story(documents(versions), story_id=f"{doc_id}-{'-'.join(langs)}")
            for seed in seeds:
                for case in ntrex_suite(folder, engine.embedder, per_type=per_type, seed=seed):
                    if case.kind != "entity":
                        continue
                    line = case.versions[case.lang][case.line]
                    new = line[case.gold[0]:case.gold[1]]
                    old = case.original[case.gold[0]:case.gold[1] + len(case.original) - len(line)]
                    rec.doc = case.id.split("-", 2)[-1]
                    rec.case = {"lang": case.lang, "new": new, "old": _words(old) - _words(new)}
                    engine.build_story(documents(case.versions), story_id=case.id)
    finally:
        engine.encoder.save()
    return rec.records


def below_z(z: np.ndarray, t: float) -> np.ndarray:
    """A z-score search: below the threshold, no counterpart (a substitution)."""
    return z < t


def below_floor(cos_other: np.ndarray, t: float) -> np.ndarray:
    """The second encoder's search: no translation unless the cosine reaches the floor and the
    story's closest other name (columns: cosine, closest other)."""
    return cos_other[:, 0] < np.maximum(t, cos_other[:, 1])


def balanced_accuracy(z: np.ndarray, real: np.ndarray, t: float, flagged=below_z) -> float:
    passed = flagged(z, t)
    tpr = passed[real].mean() if real.any() else 1.0
    tnr = (~passed[~real]).mean() if (~real).any() else 1.0
    return (tpr + tnr) / 2


def cross_validate(recs: list[tuple[str, object, bool]], folds: int, grid: np.ndarray = GRID,
                   flagged=below_z) -> None:
    """Print the held-out balanced accuracy of each fold's threshold, and their mean."""
    docs = sorted({d for d, _, _ in recs})
    fold_of = {d: i % folds for i, d in enumerate(docs)}
    z = np.array([r[1] for r in recs])
    real = np.array([r[2] for r in recs], dtype=bool)
    fold = np.array([fold_of[r[0]] for r in recs])
    first = z if z.ndim == 1 else z[:, 0]
    print(f"  candidates: {len(recs)} ({real.sum()} real substitutions) from {len(docs)} documents")
    print("  values of real substitutions:", sorted(np.round(first[real], 2).tolist()))
    print("  values of clean candidates:  ", sorted(np.round(first[~real], 2).tolist()))
    scores, chosen = [], []
    for f in range(folds):
        train, test = fold != f, fold == f
        if not test.any():
            continue  # a fold without candidates says nothing
        scores_t = [balanced_accuracy(z[train], real[train], t, flagged) for t in grid]
        plateau = [t for t, sc in zip(grid, scores_t) if sc == max(scores_t)]
        best = float(np.median(plateau))  # the middle of the best thresholds, not an edge
        chosen.append(best)
        scores.append(balanced_accuracy(z[test], real[test], best, flagged))
        print(f"  fold {f}: threshold {best:.3g}, held-out balanced accuracy {scores[-1]:.3f} ({test.sum()} candidates)")
    print(f"  cross-validated balanced accuracy {np.mean(scores):.3f}; thresholds chosen {sorted(set(chosen))}; "
          f"median {np.median(chosen):.3g}")


def events(recs: list[tuple], kind: str = "token_sim") -> list[tuple[str, float, float, float, bool]]:
    """One event per name tested as a substitute: (document, the lowest rendering z of a missing
    name of its row and version, its own counterpart z, its lowest token-state similarity to a
    missing name it is aligned with (inf if none), is the real substitution). It is flagged when
    the similarity is below ``token_sim`` (``name_sim`` for names that can only be names on
    both sides: ``kind``), or both z-scores below their thresholds."""
    rendered: dict[tuple, float] = {}
    same: dict[tuple, tuple[str, float, bool]] = {}
    token: dict[tuple, tuple[str, float, bool]] = {}
    for search, doc, z, real, key in recs:
        if search == "rendered_z":
            rendered[key] = min(rendered.get(key, np.inf), z)
        elif search == "same_name_z":
            same[key] = (doc, z, real)
        elif search == kind:
            token[key] = (doc, min(token.get(key, (doc, np.inf, real))[1], z), real)
    out = []
    for key in sorted(set(same) | set(token), key=str):
        doc, _, real = same.get(key) or token[key]
        out.append((doc, rendered.get(key[:3], -np.inf), same.get(key, (doc, np.inf, real))[1],
                    token.get(key, (doc, np.inf, real))[1], real))
    return out


def joint(evs: list[tuple[str, float, float, float, bool]], folds: int, current: dict[str, float],
          option: str = "token_sim") -> None:
    """``token_sim`` (or ``name_sim``) with the z thresholds as they are, by document folds: the value with the
    highest recall of real substitutions on the other folds among those raising no more false
    alarms there than the z-scores alone; held-out recall and false alarms printed for it and
    for the z-scores alone."""
    docs = sorted({e[0] for e in evs})
    fold_of = {d: i % folds for i, d in enumerate(docs)}
    zr, zs, tok = (np.array([e[i] for e in evs]) for i in (1, 2, 3))
    real = np.array([e[4] for e in evs])
    fold = np.array([fold_of[e[0]] for e in evs])
    by_z = (zr < current["rendered_z"]) & (zs < current["same_name_z"])

    def flagged(t: float, mask: np.ndarray) -> tuple[int, int]:
        hit = ((tok < t) | by_z) & mask
        return int((hit & real).sum()), int((hit & ~real).sum())

    grid = np.round(np.arange(0.0, 1.001, 0.05), 2)
    print(f"  events: {len(evs)} ({real.sum()} real substitutions) from {len(docs)} documents")
    totals = {"chosen": [0, 0], "z-scores alone": [0, 0]}
    chosen = []
    for f in range(folds):
        train, test = fold != f, fold == f
        if not test.any():
            continue
        budget = flagged(0.0, train)[1]
        ok = [t for t in grid if flagged(t, train)[1] <= budget]
        top = max(flagged(t, train)[0] for t in ok)
        plateau = [t for t in ok if flagged(t, train)[0] == top]
        t = float(plateau[len(plateau) // 2])  # the middle of the best values, not an edge
        chosen.append(t)
        for name, value in (("chosen", t), ("z-scores alone", 0.0)):
            tp, fp = flagged(value, test)
            totals[name][0] += tp
            totals[name][1] += fp
        print(f"  fold {f}: {option} {t:.2f}; held out: {flagged(t, test)[0]}/{int((real & test).sum())} real "
              f"flagged, {flagged(t, test)[1]} false alarms (z-scores alone: {flagged(0.0, test)[0]}, "
              f"{flagged(0.0, test)[1]})")
    for name, (tp, fp) in totals.items():
        print(f"  cross-validated, {name}: recall {tp}/{int(real.sum())} = {tp / max(1, real.sum()):.3f}, "
              f"false alarms {fp} of {int((~real).sum())} other candidates")
    print(f"  {option} chosen {sorted(set(chosen))}; median {np.median(chosen):.2f}")


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
        cross_validate([(d, z, real) for s, d, z, real, _ in recs if s == search and np.isfinite(z)], args.folds)
    print(f"translated_cos (now {name_swaps.NameSubstituted.options['translated_cos']}):")
    cross_validate([(d, v, real) for s, d, v, real, _ in recs if s == "translated_cos"], args.folds, COS_GRID,
                   below_floor)
    print("token_sim (a substitute aligned with a missing name), at no more false alarms than the z-scores alone:")
    joint(events(recs), args.folds, name_swaps.NameSubstituted.options)
    print("name_sim (the same, where both names can only be names), at no more false alarms than the z-scores alone:")
    joint(events(recs, "name_sim"), args.folds, name_swaps.NameSubstituted.options, "name_sim")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
