"""Cross-validated similarity margin of XL003 (``max_similarity_margin``), by document.

XL003 flags a row whose cross-lingual similarity is far below the story's median (robust z-score
at least ``min_z``, and at least ``margin`` below the median). Negatives: every row of clean NTREX
stories (professional translation; 4-way EN/DE/FR/PT and the 2-way pairs). Positives: the same
stories with one version's line replaced by a line of another document in that language (a
sentence that says something else). Folds are documents: each fold's margin is the smallest on
the grid whose false alarms on the other folds stay within ``--budget`` per 100 sentences, scored
on its own fold; the held-out false alarms and recall are printed.

    python benchmarks/cv_meaning_shift.py [../shared/data/ntrex-dev] [--folds 5]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ntrex import DEFAULT_CACHE, DEFAULT_DATA, cached_engine, documents, load_documents  # noqa: E402

from xlingo.config import Settings  # noqa: E402
from xlingo.output import write_atomic  # noqa: E402
from xlingo.stats import MAD_TO_SIGMA, median_mad  # noqa: E402

GRID = np.round(np.arange(0.02, 0.2001, 0.01), 3)


def row_scores(story) -> list[tuple[float, float, dict[str, tuple[int, ...]]]]:
    """(robust z, margin below the median, cells) of every row with two or more versions."""
    rows = [r for r in story.alignment if r.similarity is not None and sum(1 for ids in r.cells.values() if ids) >= 2]
    if len(rows) < 5:
        return []
    sims = np.array([r.similarity for r in rows])
    median, mad = median_mad(sims)
    mad = mad or 1e-3
    return [((median - r.similarity) / (MAD_TO_SIGMA * mad), median - r.similarity, r.cells) for r in rows]


def collect(engine, folder, langs, rng: random.Random, min_z: float) -> list[dict]:
    """Per document: sentence count, clean rows' margins (those past ``min_z``), and the replaced row's."""
    docs = load_documents(folder, langs)
    out = []
    for i, (doc_id, versions) in enumerate(docs):
        story = engine.build_story(documents(versions), story_id=doc_id)
        clean = [m for z, m, _ in row_scores(story) if z >= min_z]
        n = sum(len(d.sentences) for d in story.documents)
        lang = rng.choice(langs)
        k = rng.randrange(len(versions[lang]))
        other = docs[(i + 1 + rng.randrange(len(docs) - 1)) % len(docs)][1][lang]
        changed = {lg: list(v) for lg, v in versions.items()}
        changed[lang][k] = rng.choice(other)
        pdocs = documents(changed)
        pstory = engine.build_story(pdocs, story_id=doc_id + "-replaced")
        doc = next(d for d in pstory.documents if d.lang == lang)
        start = sum(len(t) + 1 for t in changed[lang][:k])
        sent = {s.i for s in doc.sentences if start <= s.start < start + len(changed[lang][k]) + 1}
        hit = [m if z >= min_z else -1.0 for z, m, cells in row_scores(pstory) if set(cells.get(doc.id, ())) & sent]
        out.append({"doc": doc_id, "sentences": n, "clean": clean, "positive": max(hit, default=-1.0)})
    return out


def score(items: list[dict], margin: float) -> tuple[float, float]:
    """(false alarms per 100 sentences, recall of replaced sentences) at a margin."""
    fa = sum(sum(m >= margin for m in it["clean"]) for it in items)
    n = sum(it["sentences"] for it in items)
    return 100 * fa / max(n, 1), float(np.mean([it["positive"] >= margin for it in items]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--settings", default="en,de,fr,pt;en,de;fr,pt", help="language sets, ';'-separated")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--budget", type=float, default=0.05,
                    help="false alarms per 100 sentences allowed (a twentieth of the 1-warning budget of all rules)")
    ap.add_argument("--min-z", type=float, default=3.5)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cache", default=str(DEFAULT_CACHE))
    ap.add_argument("--json", default="reports/bench/cv_meaning_shift.json")
    args = ap.parse_args(argv)
    engine = cached_engine(args.cache, Settings(select=("XL003",)))
    rng = random.Random(args.seed)
    items = []
    try:
        for langs in args.settings.split(";"):
            items += collect(engine, args.folder, langs.split(","), rng, args.min_z)
    finally:
        engine.encoder.save()
    order = sorted({it["doc"] for it in items})
    random.Random(args.seed).shuffle(order)
    fold_of = {d: i % args.folds for i, d in enumerate(order)}
    held = []
    for f in range(args.folds):
        train = [it for it in items if fold_of[it["doc"]] != f]
        test = [it for it in items if fold_of[it["doc"]] == f]
        margin = next((float(m) for m in GRID if score(train, m)[0] <= args.budget), float(GRID[-1]))
        held.append((margin, *score(test, margin)))
        print(f"fold {f}: margin {margin:.2f}  held-out false alarms/100 {held[-1][1]:.3f}  recall {held[-1][2]:.2f}")
    fa, rec = float(np.mean([h[1] for h in held])), float(np.mean([h[2] for h in held]))
    chosen = next((float(m) for m in GRID if score(items, m)[0] <= args.budget), float(GRID[-1]))
    print(f"cross-validated: false alarms/100 {fa:.3f}  recall {rec:.2f}; margin on all documents {chosen:.2f}")
    for m in GRID[::2]:
        print(f"    margin {m:.2f}: false alarms/100 {score(items, m)[0]:.3f}  recall {score(items, m)[1]:.2f}")
    out = {"data": "ntrex-dev", "settings": args.settings, "folds": args.folds, "budget_per_100": args.budget,
           "min_z": args.min_z, "cv_false_alarms_per_100": round(fa, 3), "cv_recall": round(rec, 3),
           "margin": chosen, "per_fold": [{"margin": m, "false_alarms_per_100": round(a, 3), "recall": round(r, 3)}
                                          for m, a, r in held]}
    write_atomic(args.json, json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
