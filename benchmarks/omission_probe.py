"""XL701's drop probe: clause drops it finds against the gaps it raises on clean news, cross-validated.

The N-way vote finds gaps in one version that two or more others share; on clean news its strongest
gaps are as strong as a dropped clause, so by itself it shows them as information. The drop probe
(``xlingo.check.rules.spans.drop_gain``) raises a gap to a warning where the vote's evidence
reaches ``probe_vote`` and cutting the missing words from the versions that have them brings those
versions closer to this one by ``probe_gain``. This script measures, for every pair of floors on a
grid:

- recall: the share of clause drops (``perturb.py``'s clause type, one version of a three-version
  NTREX story) with a probe warning at the dropped clause;
- cost: probe warnings per 100 sentences of clean NTREX stories, every document in four versions
  (en/de/fr/pt and es/it/nl/pl) and in ``--triples`` random three-language versions of its 12
  languages (seeded; other scripts than the Latin one), counted as false alarms whatever they
  point at.

The floors are chosen by document-level cross-validation: on each fold's other documents, the pair
with the highest recall whose cost stays within ``--budget``; the figures quoted are those of the
held-out documents. The pair chosen on every document is what XL701 ships (its options
``probe_vote``, ``probe_gain``). With ``--cv-models`` each story is checked by the meaning model
trained without its document.

    python benchmarks/omission_probe.py ../shared/data/ntrex-dev --cv-models DIR
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mqm import fold_models  # noqa: E402
from ntrex import DEFAULT_CACHE, DEFAULT_DATA, cached_engine, documents, load_documents  # noqa: E402
from perturb import NTREX_LANGS, gold_in_document, is_hit, ntrex_suite  # noqa: E402

from xlingo.check.rules.spans import NEVER, SpanOmission, drop_gain  # noqa: E402
from xlingo.config import Settings  # noqa: E402
from xlingo.model import Severity  # noqa: E402

VOTES = (2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0)
GAINS = (0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3)
SETTINGS = (("en", "de", "fr", "pt"), ("es", "it", "nl", "pl"))
FOLDS = 5


class RecordingOmission(SpanOmission):
    """XL701 with the probe open to every gap from the lowest floor on the grid, recording each
    probed gap's vote and drop gain (keyed by version, row and counterpart spans)."""

    def __init__(self) -> None:
        super().__init__({"probe_vote": min(VOTES), "probe_gain": -NEVER})
        self.seen: dict[tuple, tuple[float, float]] = {}

    def confirmed(self, ctx, ev, n_versions, sev, opts):
        found = super().confirmed(ctx, ev, n_versions, sev, opts)
        if found[1]:
            self.seen[(ev.doc, ev.row, tuple(ev.related))] = (ev.vote, ctx.cached(drop_gain, ev.doc, ev.row,
                                                                                    tuple(ev.related)))
        return found


def probed(story, rule: RecordingOmission) -> list[tuple[object, float, float]]:
    """The story's XL701 warnings the probe raised, with their vote and gain."""
    out = []
    for f in story.findings:
        key = (f.doc, f.row, tuple((s.doc, s.start, s.end) for s in f.related))
        if f.rule == "XL701" and f.severity == Severity.WARNING and key in rule.seen:
            out.append((f, *rule.seen[key]))
    return out


def clean_stories(folder: str, triples: int, seed: int) -> list[tuple[str, dict[str, list[str]]]]:
    """Every document in each 4-way setting, and in ``triples`` random three of its languages."""
    out = [(doc, versions) for langs in SETTINGS for doc, versions in load_documents(folder, langs)]
    rng = random.Random(seed)
    for doc, versions in load_documents(folder, NTREX_LANGS):
        out += [(doc, {lg: versions[lg] for lg in rng.sample(NTREX_LANGS, 3)}) for _ in range(triples)]
    return out


def collect(engine, rule: RecordingOmission, folder: str, folds: dict, per_type: int,
            seeds: Sequence[int], triples: int, triple_seed: int) -> tuple[list[dict], list[dict], dict[str, int]]:
    """Clause-drop cases (each: document, probe (vote, gain) pairs at the gold, caught without the
    probe), clean probe warnings (document, vote, gain), and clean sentences per document."""
    cases = []
    for seed in seeds:
        for case in ntrex_suite(folder, engine.embedder, per_type=per_type, seed=seed):
            if case.kind != "clause":
                continue
            doc = case.id.split("-", 2)[2]
            engine.meaning_model = folds.get(f"ntrex:{doc}")
            rule.seen.clear()
            story = engine.build_story(documents(case.versions), story_id=case.id)
            gold = gold_in_document(case)
            found = probed(story, rule)
            raised = {id(f) for f, _, _ in found}
            cases.append({"document": doc, "at_gold": [(v, g) for f, v, g in found if is_hit(f, case, gold)],
                          "caught_without": any(is_hit(f, case, gold) for f in story.findings
                                                if f.severity >= Severity.WARNING and id(f) not in raised)})
    clean, sentences = [], {}
    for doc, versions in clean_stories(folder, triples, triple_seed):
        engine.meaning_model = folds.get(f"ntrex:{doc}")
        rule.seen.clear()
        docs = documents(versions)
        story = engine.build_story(docs, story_id=doc)
        sentences[doc] = sentences.get(doc, 0) + sum(len(d.sentences) for d in docs)
        clean += [{"document": doc, "vote": v, "gain": g} for _, v, g in probed(story, rule)]
    return cases, clean, sentences


def score(cases: list[dict], clean: list[dict], sentences: int, vote: float, gain: float) -> tuple[float, float]:
    """(recall of the clause drops, probe warnings per 100 clean sentences) at floors ``vote``, ``gain``."""
    found = sum(c["caught_without"] or any(v >= vote and g >= gain for v, g in c["at_gold"]) for c in cases)
    cost = sum(1 for c in clean if c["vote"] >= vote and c["gain"] >= gain)
    return found / max(len(cases), 1), 100 * cost / max(sentences, 1)


def choose(cases: list[dict], clean: list[dict], sentences: int, budget: float) -> tuple[float, float]:
    """The grid's floors with the highest recall within ``budget`` (then the lowest cost, then the
    highest floors)."""
    best = max(((score(cases, clean, sentences, v, g), v, g) for v in VOTES for g in GAINS),
               key=lambda x: (x[0][1] <= budget, x[0][0], -x[0][1], x[1], x[2]))
    return best[1], best[2]


def cross_validate(cases: list[dict], clean: list[dict], sentences: dict[str, int], budget: float) -> dict:
    """Floors chosen on each fold's other documents, scored on its own."""
    docs = sorted(set(sentences) | {c["document"] for c in cases})
    fold_of = {d: i % FOLDS for i, d in enumerate(docs)}
    held = {"cases": 0, "found": 0.0, "sentences": 0, "cost": 0.0, "floors": []}
    for k in range(FOLDS):
        def part(xs: list[dict], inside: bool) -> list[dict]:
            return [x for x in xs if (fold_of[x["document"]] == k) == inside]
        train_sent = sum(n for d, n in sentences.items() if fold_of[d] != k)
        test_sent = sum(n for d, n in sentences.items() if fold_of[d] == k)
        v, g = choose(part(cases, False), part(clean, False), train_sent, budget)
        test_cases = part(cases, True)
        recall, cost = score(test_cases, part(clean, True), test_sent, v, g)
        held["cases"] += len(test_cases)
        held["found"] += recall * len(test_cases)
        held["sentences"] += test_sent
        held["cost"] += cost * test_sent / 100
        held["floors"].append([v, g])
    return {"recall": round(held["found"] / max(held["cases"], 1), 3),
            "warnings_per_100": round(100 * held["cost"] / max(held["sentences"], 1), 3), "floors": held["floors"]}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT_DATA), help="ntrex-dev folder")
    ap.add_argument("--cv-models", help="folder of fold meaning models (training/train_meaning.py --cv-out)")
    ap.add_argument("--per-type", type=int, default=40, help="clause drops drawn per seed")
    ap.add_argument("--seeds", default="13,7", help="comma-separated seeds of the clause-drop draws")
    ap.add_argument("--triples", type=int, default=3, help="clean three-language stories per document")
    ap.add_argument("--triple-seed", type=int, default=3, help="seed of the clean stories' languages")
    ap.add_argument("--budget", type=float, default=0.1, help="probe warnings per 100 clean sentences allowed")
    ap.add_argument("--cache", default=str(DEFAULT_CACHE))
    ap.add_argument("--json", default="reports/bench/omission_probe.json")
    args = ap.parse_args(argv)
    engine = cached_engine(args.cache, Settings(select=("XL7",)))
    rule = RecordingOmission()
    engine.rules = [rule if r.code == "XL701" else r for r in engine.rules]
    try:
        cases, clean, sentences = collect(engine, rule, args.folder, fold_models(args.cv_models), args.per_type,
                                          [int(s) for s in args.seeds.split(",")], args.triples, args.triple_seed)
    finally:
        engine.encoder.save()
    total = sum(sentences.values())
    grid = {f"{v:g}/{g:g}": dict(zip(("recall", "warnings_per_100"), (round(x, 3) for x in score(
        cases, clean, total, v, g)))) for v in VOTES for g in GAINS}
    off = score(cases, clean, total, NEVER, NEVER)
    chosen = choose(cases, clean, total, args.budget)
    cv = cross_validate(cases, clean, sentences, args.budget)
    print(f"clause drops: {len(cases)}; clean sentences: {total}; budget {args.budget} warnings per 100")
    print(f"without the probe: recall {off[0]:.3f}")
    print(f"cross-validated by document: recall {cv['recall']:.3f}, probe warnings per 100 clean sentences "
          f"{cv['warnings_per_100']:.3f} (floors per fold {cv['floors']})")
    at = score(cases, clean, total, *chosen)
    print(f"chosen on every document: probe_vote {chosen[0]:g}, probe_gain {chosen[1]:g} "
          f"(recall {at[0]:.3f}, {at[1]:.3f} per 100 on the same data)")
    out = {"benchmark": "omission_probe", "data": "ntrex-dev", "clause_drops": len(cases), "clean_sentences": total,
           "clean_triples_per_document": args.triples,
           "budget_per_100": args.budget, "cross_validated_models": bool(args.cv_models),
           "recall_without_probe": round(off[0], 3), "cross_validated": cv,
           "chosen": {"probe_vote": chosen[0], "probe_gain": chosen[1]}, "grid": grid}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
