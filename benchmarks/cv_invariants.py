"""XL801's warning thresholds by document-level cross-validation on ntrex-dev (``python benchmarks/cv_invariants.py``).

Clean stories: every ``ntrex-dev`` document in EN/DE/FR/PT and in ``--triples`` random triples of
its 12 languages (seeded), run through the engine's embed and align stages. Perturbed stories:
``--cases`` chunks of ``--story-lines`` lines with a negation added to or removed from one line of
one version (the generator of ``benchmarks/perturb.py``, with another seed than its suite's).
Every XL801 candidate (:meth:`~xlingo.check.rules.invariants.PolarityMismatch.candidates`) the
N-way vote carries (two or more versions on the other side, agreeing with each other: the only
ones that can be warnings) is collected with its encoder gain; a candidate on a clean story is a
false alarm, one overlapping the perturbed span a hit.

Folds are documents. On the training documents, the pair of thresholds (``added_gain``,
``lost_gain``) that catches the most perturbations while keeping warnings on clean stories at
or under ``--budget`` per 100 sentences is chosen; the held-out documents are scored with it.
The cross-validated recall and clean-text rate are printed, and the thresholds chosen on all
documents (what ``PolarityMismatch.options`` holds).

    python benchmarks/cv_invariants.py [../shared/data/ntrex-dev] [--budget 0.15] [--folds 5]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import perturb  # noqa: E402
from ntrex import DEFAULT_CACHE, DEFAULT_DATA, aligned_context, cached_engine, load_documents  # noqa: E402

from xlingo.check.rules.invariants import PolarityMismatch  # noqa: E402
from xlingo.config import Settings  # noqa: E402

KINDS = ("added", "lost")


def candidates(engine, rule: PolarityMismatch, versions: dict[str, list[str]], story_id: str):
    """The story's voted XL801 candidates with their gains (embed and align by the engine,
    annotators by the rule)."""
    ctx = aligned_context(engine, versions, story_id)
    return ctx.story, [(c, c.gain(ctx)) for c in rule.candidates(ctx) if len(c.voters) >= 2 and c.agree]


def collect(folder: str, engine, triples: int, n_cases: int, story_lines: int, seed: int,
            limit: int | None = None) -> tuple[list, dict, int]:
    """(candidates as (doc, kind, gain, label), sentences per document, perturbed cases)."""
    rng = random.Random(seed)
    langs = list(perturb.suite_languages(folder))
    docs = load_documents(folder, langs)[:limit]
    rule = PolarityMismatch()
    rows: list[tuple[str, str, float, int]] = []
    sentences: dict[str, int] = {}
    for doc, v in docs:
        for combo in [("en", "de", "fr", "pt")] + [tuple(rng.sample(langs, 3)) for _ in range(triples)]:
            story, cands = candidates(engine, rule, {lg: v[lg] for lg in combo}, doc)
            sentences[doc] = sentences.get(doc, 0) + sum(len(d.sentences) for d in story.documents)
            rows += [(doc, c.kind, gain, 0) for c, gain in cands]
    data = perturb._Data(docs, rng, engine.embedder)
    chunks = [(doc, {lg: v[lg][k:k + story_lines] for lg in langs}) for doc, v in docs
              for k in range(0, len(v["en"]), story_lines) if len(v["en"]) - k >= 4]
    cases = 0
    for n in range(n_cases):
        lang = langs[n % len(langs)]
        for _ in range(300):
            doc, chunk = rng.choice(chunks)
            others = rng.sample([lg for lg in langs if lg != lang], 2)
            k = rng.randrange(len(chunk[lang]))
            line = chunk[lang][k]
            out = perturb._GENERATORS["negation"](line, lang, {lg: chunk[lg][k] for lg in [lang, *others]}, data, doc)
            if out is None or out[0] == line:
                continue
            versions = {lg: list(chunk[lg]) for lg in [lang, *others]}
            versions[lang][k] = out[0]
            case = perturb.StoryCase(f"negation{n}", "negation", lang, versions, k, out[1], line)
            gold = perturb.gold_in_document(case)
            _, cands = candidates(engine, rule, versions, case.id)
            rows += [(doc, c.kind, gain, 1 + n) for c, gain in cands if perturb.is_hit(c, case, gold)]  # label: the case
            cases += 1
            break
    return rows, sentences, cases


def choose(rows: list, sentences: int, budget: float) -> dict[str, float]:
    """Thresholds that recall the most cases with clean warnings at most ``budget`` per 100 sentences."""
    grid = {kind: sorted({0.0, *(g for _, kd, g, _ in rows if kd == kind)}) + [float("inf")] for kind in KINDS}
    best: tuple[int, float, dict[str, float]] | None = None
    for ta in grid["added"]:
        for tl in grid["lost"]:
            t = {"added": ta, "lost": tl}
            alarms = sum(1 for _, kd, g, lab in rows if lab == 0 and g >= t[kd])
            if 100 * alarms / max(sentences, 1) > budget:
                continue
            caught = len({lab for _, kd, g, lab in rows if lab > 0 and g >= t[kd]})
            if best is None or (caught, -alarms) > (best[0], best[1]):
                best = (caught, -alarms, t)
    return best[2] if best else {"added": float("inf"), "lost": float("inf")}


def main(argv=None) -> int:
    from xlingo.output import write_atomic

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT_DATA), help="ntrex-dev folder")
    ap.add_argument("--triples", type=int, default=3, help="random 3-language stories per document")
    ap.add_argument("--cases", type=int, default=144, help="perturbed negation cases (12 per language)")
    ap.add_argument("--story-lines", type=int, default=8)
    ap.add_argument("--seed", type=int, default=7, help="not the perturbation suite's 13")
    ap.add_argument("--budget", type=float, default=0.15, help="XL801 warnings per 100 clean sentences")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--docs", type=int, help="only the first N documents (a quick look)")
    ap.add_argument("--cache", default=str(DEFAULT_CACHE))
    ap.add_argument("--json", default="reports/bench/cv_invariants.json")
    args = ap.parse_args(argv)
    engine = cached_engine(args.cache, Settings(select=("XL801",)))
    try:
        rows, sentences, cases = collect(args.folder, engine, args.triples, args.cases, args.story_lines, args.seed,
                                         args.docs)
    finally:
        engine.encoder.save()
    fold = {doc: zlib.crc32(doc.encode()) % args.folds for doc in {r[0] for r in rows} | set(sentences)}
    caught, alarms = set(), 0
    for f in range(args.folds):
        train = [r for r in rows if fold[r[0]] != f]
        t = choose(train, sum(n for d, n in sentences.items() if fold[d] != f), args.budget)
        held = [r for r in rows if fold[r[0]] == f]
        caught |= {lab for _, kd, g, lab in held if lab > 0 and g >= t[kd]}
        alarms += sum(1 for _, kd, g, lab in held if lab == 0 and g >= t[kd])
        print(f"fold {f}: added_gain {t['added']:.4f}  lost_gain {t['lost']:.4f}")
    total = sum(sentences.values())
    chosen = choose(rows, total, args.budget)
    located = len({lab for *_, lab in rows if lab > 0})
    result = {"data": "ntrex-dev", "model": engine.encoder.name, "budget_per_100": args.budget, "cases": cases,
              "clean_sentences": total, "located": located,
              "cv_recall": round(len(caught) / max(cases, 1), 3), "cv_clean_warnings_per_100": round(100 * alarms / total, 3),
              "thresholds": {f"{k}_gain": round(v, 4) for k, v in chosen.items()}}
    print(f"{cases} negation cases, {located} located as candidates; {total} clean sentences")
    print(f"cross-validated: recall {result['cv_recall']:.3f}  clean warnings per 100 sentences "
          f"{result['cv_clean_warnings_per_100']:.3f}")
    print(f"on all documents: added_gain {chosen['added']:.4f}  lost_gain {chosen['lost']:.4f}")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(Path(args.json), json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
