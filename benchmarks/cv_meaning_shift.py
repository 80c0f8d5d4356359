"""Cross-validated floors of XL003 (meaning-shift), by document.

XL003 flags a row whose cross-lingual similarity is far below the story's median (robust z-score
at least ``min_z``) and whose versions agree little under the row score's second encoder (the
least agreeing version's mean cosine to the others at most ``max_second_agreement``); without a
second encoder, a row at least ``max_similarity_margin`` below the median instead (chosen at the
``min_z`` chosen with the second encoder).
Negatives: every row of clean NTREX stories (professional translation; 4-way and 2-way settings,
other scripts too). Positives: the same stories with one version's line replaced by a line of
another document in that language (a sentence that says something else), counted where the
aligner keeps the replaced sentence in a row with other versions (left alone, it is XL001 /
XL002's). Folds are documents: each fold's floors are those with the highest recall whose false
alarms on the other folds stay within ``--budget`` per 100 sentences, scored on its own fold; the
held-out false alarms and recall are printed.

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

from xlingo.check.rules.alignment import agreements  # noqa: E402
from xlingo.config import Settings  # noqa: E402
from xlingo.output import write_atomic  # noqa: E402
from xlingo.stats import MAD_TO_SIGMA, median_mad  # noqa: E402

MARGINS = np.round(np.arange(0.02, 0.2001, 0.01), 3)
MIN_ZS = (2.0, 2.5, 3.0, 3.5)
AGREEMENTS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4)
SETTINGS = "en,de,fr,pt;en,de;fr,pt;es,it,nl,pl;en,zh;en,ja;en,ar;en,ru"


def row_scores(story, second) -> list[tuple[float, float, float, dict[str, tuple[int, ...]]]]:
    """(robust z, margin below the median, least agreement under ``second``, cells) of every row
    with two or more versions."""
    rows = [r for r in story.alignment if r.similarity is not None and sum(1 for ids in r.cells.values() if ids) >= 2]
    if len(rows) < 5:
        return []
    sims = np.array([r.similarity for r in rows])
    median, mad = median_mad(sims)
    mad = mad or 1e-3
    out = []
    for r in rows:
        texts = []
        for d, ids in r.cells.items():
            if ids:
                doc = story.document(d)
                texts.append(doc.text[doc.sentence(ids[0]).start:doc.sentence(ids[-1]).end])
        out.append(((median - r.similarity) / (MAD_TO_SIGMA * mad), median - r.similarity,
                    float(agreements(second(texts)).min()), r.cells))
    return out


def collect(engine, folder, langs, rng: random.Random) -> list[dict]:
    """Per document: sentence count, clean rows' (z, margin, agreement), and the replaced row's."""
    second = engine.other_embedders[engine.second_encoder]
    docs = load_documents(folder, langs)
    out = []
    for i, (doc_id, versions) in enumerate(docs):
        story = engine.build_story(documents(versions), story_id=doc_id)
        clean = [s[:3] for s in row_scores(story, second)]
        n = sum(len(d.sentences) for d in story.documents)
        lang = rng.choice(langs)
        k = rng.randrange(len(versions[lang]))
        other = docs[(i + 1 + rng.randrange(len(docs) - 1)) % len(docs)][1][lang]
        changed = {lg: list(v) for lg, v in versions.items()}
        changed[lang][k] = rng.choice(other)
        pstory = engine.build_story(documents(changed), story_id=doc_id + "-replaced")
        doc = next(d for d in pstory.documents if d.lang == lang)
        start = sum(len(t) + 1 for t in changed[lang][:k])
        sent = {s.i for s in doc.sentences if start <= s.start < start + len(changed[lang][k]) + 1}
        hit = [s[:3] for s in row_scores(pstory, second) if set(s[3].get(doc.id, ())) & sent]
        out.append({"doc": doc_id, "setting": "/".join(langs), "sentences": n, "clean": clean, "positive": hit})
    return out


def flagged(score: tuple[float, float, float], floors: tuple[str, float, float]) -> bool:
    """Whether XL003 flags a row at ``floors``: ("second", min_z, max agreement) or ("margin", min_z, margin)."""
    z, margin, agreement = score
    kind, min_z, floor = floors
    return z >= min_z and (agreement <= floor if kind == "second" else margin >= floor)


def score(items: list[dict], floors: tuple[str, float, float]) -> tuple[float, float]:
    """(false alarms per 100 sentences, recall of the replaced sentences kept in a row) at ``floors``."""
    fa = sum(sum(flagged(s, floors) for s in it["clean"]) for it in items)
    n = sum(it["sentences"] for it in items)
    kept = [it for it in items if it["positive"]]
    found = [any(flagged(s, floors) for s in it["positive"]) for it in kept]
    return 100 * fa / max(n, 1), float(np.mean(found)) if found else 0.0


def choose(items: list[dict], grid: list[tuple[str, float, float]], budget: float) -> tuple[str, float, float]:
    """The floors with the highest recall within ``budget`` (then the fewest false alarms, then the
    strictest)."""
    def key(floors):
        fa, rec = score(items, floors)
        return fa <= budget, rec, -fa, floors[1], -floors[2] if floors[0] == "second" else floors[2]
    return max(grid, key=key)


def cross_validate(items: list[dict], grid: list[tuple[str, float, float]], folds: int, budget: float,
                   seed: int) -> dict:
    order = sorted({it["doc"] for it in items})
    random.Random(seed).shuffle(order)
    fold_of = {d: i % folds for i, d in enumerate(order)}
    fa = rec = 0.0
    per_fold = []
    for f in range(folds):
        train = [it for it in items if fold_of[it["doc"]] != f]
        test = [it for it in items if fold_of[it["doc"]] == f]
        floors = choose(train, grid, budget)
        a, r = score(test, floors)
        per_fold.append({"floors": list(floors[1:]), "false_alarms_per_100": round(a, 3), "recall": round(r, 3)})
        fa, rec = fa + a / folds, rec + r / folds
    return {"false_alarms_per_100": round(fa, 3), "recall": round(rec, 3), "per_fold": per_fold}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT_DATA))
    ap.add_argument("--settings", default=SETTINGS, help="language sets, ';'-separated")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--budget", type=float, default=0.05,
                    help="false alarms per 100 sentences allowed (a twentieth of the 1-warning budget of all rules)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cache", default=str(DEFAULT_CACHE))
    ap.add_argument("--json", default="reports/bench/cv_meaning_shift.json")
    args = ap.parse_args(argv)
    engine = cached_engine(args.cache, Settings(select=("XL003",)))
    rng = random.Random(args.seed)
    items = []
    try:
        for langs in args.settings.split(";"):
            items += collect(engine, args.folder, langs.split(","), rng)
    finally:
        engine.encoder.save()
    kept = sum(bool(it["positive"]) for it in items)
    print(f"{len(items)} stories, {sum(it['sentences'] for it in items)} sentences; the replaced sentence kept in a "
          f"row with other versions in {kept}")
    out = {"data": "ntrex-dev", "settings": args.settings, "folds": args.folds, "budget_per_100": args.budget,
           "replaced": len(items), "replaced_kept_in_a_row": kept}
    for name in ("second", "margin"):  # the fallback's margin at the min_z chosen with the second encoder
        grid = [("second", z, a) for z in MIN_ZS for a in AGREEMENTS] if name == "second" else \
            [("margin", out["second"]["chosen"][0], float(m)) for m in MARGINS]
        cv = cross_validate(items, grid, args.folds, args.budget, args.seed)
        chosen = choose(items, grid, args.budget)
        fa, rec = score(items, chosen)
        label = "min_z, max_second_agreement" if name == "second" else "min_z, max_similarity_margin"
        print(f"{name}: cross-validated false alarms/100 {cv['false_alarms_per_100']:.3f}, recall {cv['recall']:.3f}; "
              f"on all documents {label} = {chosen[1]:g}, {chosen[2]:g} ({fa:.3f}, {rec:.3f})")
        for f, p in enumerate(cv["per_fold"]):
            print(f"    fold {f}: {p['floors']}  false alarms/100 {p['false_alarms_per_100']:.3f}  recall {p['recall']:.2f}")
        out[name] = {**cv, "chosen": list(chosen[1:]), "in_sample": {"false_alarms_per_100": round(fa, 3),
                                                                     "recall": round(rec, 3)}}
    current = ("margin", 3.5, 0.06)
    out["before"] = dict(zip(("false_alarms_per_100", "recall"), (round(x, 3) for x in score(items, current))))
    print(f"before (min_z 3.5, margin 0.06, no second encoder): {out['before']}")
    by_setting = {}
    for it in items:
        by_setting.setdefault(it["setting"], []).append(it)
    out["per_setting"] = {s: {name: dict(zip(("false_alarms_per_100", "recall"), (round(x, 3) for x in score(
        its, ("second", *out["second"]["chosen"]) if name == "second" else current)))) for name in ("second", "before")}
        for s, its in by_setting.items()}
    write_atomic(args.json, json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
