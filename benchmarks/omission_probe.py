"""XL701's drop probe: clause drops it finds against the gaps it raises on clean news, cross-validated.

The N-way vote finds gaps in one version that two or more others share; on clean news its strongest
gaps are as strong as a dropped clause, so by itself it shows them as information. The drop probe
(``SpanOmission.confirmed``) raises a gap to a warning where a weighed sum of three signals
(``SpanOmission.probe_signals``) reaches ``probe_floor``: the log of the vote's evidence, the share of
their distance to this version that the versions with the missing words close once those words are
cut from them (``drop_gain``), and how much shorter than usual this version is against them in the
story (``length_deficit``). This script
records the three for every gap from ``probe_vote`` (the encoder is asked for no weaker gap) in

- clause drops (``perturb.py``'s clause type, one version of a three-version NTREX story): a drop is
  found when a probe warning falls on the dropped clause;
- clean NTREX stories, every document in four versions (en/de/fr/pt and es/it/nl/pl) and in
  ``--triples`` random three-language versions of its 12 languages (seeded; other scripts than the
  Latin one): every probe warning there is counted as a false alarm, whatever it points at.

The weights are a class-balanced logistic regression of drops against clean gaps; the floor is the
highest that keeps the probe within ``--budget`` warnings per 100 clean sentences. Both are chosen by
document-level cross-validation (weights and floor fitted on each fold's other documents, recall and
cost counted on its own); the figures quoted are the held-out ones, with and without the length
signal. Fitted on every document, they are what XL701 ships. With ``--cv-models`` each story is
checked by the meaning model trained without its document.

    python benchmarks/omission_probe.py ../shared/data/ntrex-dev --cv-models DIR
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mqm import fold_models  # noqa: E402
from ntrex import DEFAULT_CACHE, DEFAULT_DATA, cached_engine, documents, load_documents  # noqa: E402
from perturb import gold_in_document, is_hit, ntrex_suite, suite_languages  # noqa: E402

from xlingo.check.rules.spans import NEVER, SpanOmission  # noqa: E402
from xlingo.config import Settings  # noqa: E402
from xlingo.model import Severity  # noqa: E402
from xlingo.output import write_atomic  # noqa: E402

SETTINGS = (("en", "de", "fr", "pt"), ("es", "it", "nl", "pl"))
FOLDS = 5
SIGNALS = ("vote", "gain", "length")


class RecordingOmission(SpanOmission):
    """XL701 with the probe open to every gap from ``probe_vote``, recording each probed gap's
    signals (log vote, drop gain, length deficit; keyed by version, row and counterpart spans)."""

    def __init__(self) -> None:
        super().__init__({"probe_floor": -NEVER})
        self.seen: dict[tuple, tuple[float, float, float]] = {}

    def confirmed(self, ctx, ev, n_versions, sev, opts):
        found = super().confirmed(ctx, ev, n_versions, sev, opts)
        if found[1]:
            self.seen[(ev.doc, ev.row, tuple(ev.related))] = self.probe_signals(ctx, ev)
        return found


def probed(story, rule: RecordingOmission) -> list[tuple[object, tuple[float, float, float]]]:
    """The story's XL701 warnings the probe raised, with their signals."""
    out = []
    for f in story.findings:
        key = (f.doc, f.row, tuple((s.doc, s.start, s.end) for s in f.related))
        if f.rule == "XL701" and f.severity == Severity.WARNING and key in rule.seen:
            out.append((f, rule.seen[key]))
    return out


def clean_stories(folder: str, triples: int, seed: int) -> list[tuple[str, dict[str, list[str]]]]:
    """Every document in each 4-way setting, and in ``triples`` random three of its languages."""
    out = [(doc, versions) for langs in SETTINGS for doc, versions in load_documents(folder, langs)]
    rng = random.Random(seed)
    langs = suite_languages(folder)
    for doc, versions in load_documents(folder, langs):
        out += [(doc, {lg: versions[lg] for lg in rng.sample(langs, 3)}) for _ in range(triples)]
    return out


def probe_arguments(doc: str, cases: str, budget: float, budget_help: str, json_path: str) -> argparse.ArgumentParser:
    """The command line a probe's benchmark shares: the data, the fold models, the suite's draws of
    ``cases``, the clean stories, the budget, the cache and where the figures go."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT_DATA), help="ntrex-dev folder")
    ap.add_argument("--cv-models", help="folder of fold meaning models (training/train_meaning.py --cv-out)")
    ap.add_argument("--per-type", type=int, default=40, help=f"{cases} drawn per seed")
    ap.add_argument("--seeds", default="13,7", help=f"comma-separated seeds of the {cases}' draws")
    ap.add_argument("--triples", type=int, default=3, help="clean three-language stories per document")
    ap.add_argument("--triple-seed", type=int, default=3, help="seed of the clean stories' languages")
    ap.add_argument("--budget", type=float, default=budget, help=budget_help)
    ap.add_argument("--cache", default=str(DEFAULT_CACHE))
    ap.add_argument("--json", default=json_path)
    return ap


def collect_with(args: argparse.Namespace, rule, code: str, settings: Settings, collect: Callable) -> tuple:
    """``collect`` run by an engine of these ``settings`` whose rule ``code`` is the recording ``rule``,
    on the draws and stories ``args`` names (the encoder's store saved whatever happens)."""
    engine = cached_engine(args.cache, settings)
    engine.rules = [rule if r.code == code else r for r in engine.rules]
    try:
        return collect(engine, rule, args.folder, fold_models(args.cv_models), args.per_type,
                       [int(s) for s in args.seeds.split(",")], args.triples, args.triple_seed)
    finally:
        engine.encoder.save()


def suite_probes(engine, rule, probed: Callable, folder: str, folds: dict, kind: str, per_type: int,
                 seeds: Sequence[int]) -> list[dict]:
    """Perturbation-suite cases of ``kind``, each: its document, the values ``probed`` records for
    the probe's findings at the perturbation, and whether another warning already finds it. ``rule``
    records into ``rule.seen``; each story is checked by the meaning model trained without it."""
    cases = []
    for seed in seeds:
        for case in ntrex_suite(folder, engine.embedder, per_type=per_type, seed=seed):
            if case.kind != kind:
                continue
            doc = case.id.split("-", 2)[2]
            engine.meaning_model = folds.get(f"ntrex:{doc}")
            rule.seen.clear()
            story = engine.build_story(documents(case.versions), story_id=case.id)
            gold = gold_in_document(case)
            found = probed(story, rule)
            raised = {id(f) for f, _ in found}
            cases.append({"document": doc, "at_gold": [x for f, x in found if is_hit(f, case, gold)],
                          "caught_without": any(is_hit(f, case, gold) for f in story.findings
                                                if f.severity >= Severity.WARNING and id(f) not in raised)})
    return cases


def clean_probes(engine, rule, probed: Callable, folds: dict,
                 stories: Sequence[tuple[str, dict[str, list[str]]]]) -> Iterator[tuple[str, dict, int, list]]:
    """Per clean story: its document, versions, sentences and the values ``probed`` records there."""
    for doc, versions in stories:
        engine.meaning_model = folds.get(f"ntrex:{doc}")
        rule.seen.clear()
        docs = documents(versions)
        story = engine.build_story(docs, story_id=doc)
        yield doc, versions, sum(len(d.sentences) for d in docs), [x for _, x in probed(story, rule)]


def collect(engine, rule: RecordingOmission, folder: str, folds: dict, per_type: int,
            seeds: Sequence[int], triples: int, triple_seed: int) -> tuple[list[dict], list[dict], dict[str, int]]:
    """Clause-drop cases (each: document, the signals of the probed gaps at the gold, caught
    without the probe), clean probed gaps (document, signals), and clean sentences per document."""
    cases = suite_probes(engine, rule, probed, folder, folds, "clause", per_type, seeds)
    clean, sentences = [], {}
    for doc, _, n, found in clean_probes(engine, rule, probed, folds, clean_stories(folder, triples, triple_seed)):
        sentences[doc] = sentences.get(doc, 0) + n
        clean += [{"document": doc, "signals": x} for x in found]
    return cases, clean, sentences


class Probe:
    """Weights of the chosen signals and a floor: a gap is a warning where their weighed sum
    reaches the floor."""

    def __init__(self, cases: list[dict], clean: list[dict], sentences: int, budget: float,
                 signals: Sequence[str] = SIGNALS) -> None:
        self.use = [SIGNALS.index(s) for s in signals]
        x = np.array([self._x(g) for c in cases for g in c["at_gold"]] + [self._x(c["signals"]) for c in clean])
        y = np.array([1] * sum(len(c["at_gold"]) for c in cases) + [0] * len(clean))
        fit = LogisticRegression(class_weight="balanced").fit(x, y)
        self.weights = fit.coef_[0]
        sums = np.sort([self.sum(c["signals"]) for c in clean])[::-1]
        allowed = int(budget * sentences / 100)  # clean warnings within the budget
        self.floor = float(sums[allowed]) + 1e-9 if allowed < len(sums) else -NEVER

    def _x(self, signals: tuple[float, float, float]) -> list[float]:
        return [signals[i] for i in self.use]

    def sum(self, signals: tuple[float, float, float]) -> float:
        return float(np.dot(self.weights, self._x(signals)))

    def warns(self, signals: tuple[float, float, float]) -> bool:
        return self.sum(signals) >= self.floor

    def score(self, cases: list[dict], clean: list[dict], sentences: int) -> tuple[float, float]:
        """(recall of the clause drops, probe warnings per 100 clean sentences)."""
        found = sum(c["caught_without"] or any(self.warns(g) for g in c["at_gold"]) for c in cases)
        cost = sum(self.warns(c["signals"]) for c in clean)
        return found / max(len(cases), 1), 100 * cost / max(sentences, 1)


def cross_validate(cases: list[dict], clean: list[dict], sentences: dict[str, int], budget: float,
                   signals: Sequence[str] = SIGNALS) -> dict:
    """Weights and floor fitted on each fold's other documents, scored on its own."""
    docs = sorted(set(sentences) | {c["document"] for c in cases})
    fold_of = {d: i % FOLDS for i, d in enumerate(docs)}
    found = cost = 0.0
    for k in range(FOLDS):
        def part(xs: list[dict], inside: bool) -> list[dict]:
            return [x for x in xs if (fold_of[x["document"]] == k) == inside]
        train_sent = sum(n for d, n in sentences.items() if fold_of[d] != k)
        test_sent = sum(n for d, n in sentences.items() if fold_of[d] == k)
        probe = Probe(part(cases, False), part(clean, False), train_sent, budget, signals)
        test_cases = part(cases, True)
        recall, per_100 = probe.score(test_cases, part(clean, True), test_sent)
        found += recall * len(test_cases)
        cost += per_100 * test_sent / 100
    return {"signals": list(signals), "recall": round(found / max(len(cases), 1), 3),
            "warnings_per_100": round(100 * cost / max(sum(sentences.values()), 1), 3)}


def main(argv: Sequence[str] | None = None) -> int:
    ap = probe_arguments(__doc__, "clause drops", 0.1, "probe warnings per 100 clean sentences allowed",
                         "reports/bench/omission_probe.json")
    args = ap.parse_args(argv)
    cases, clean, sentences = collect_with(args, RecordingOmission(), "XL701", Settings(select=("XL7",)), collect)
    total = sum(sentences.values())
    without = sum(c["caught_without"] for c in cases) / max(len(cases), 1)
    held = [cross_validate(cases, clean, sentences, args.budget, signals)
            for signals in (SIGNALS, ("vote", "gain"), ("vote", "length"))]
    probe = Probe(cases, clean, total, args.budget)
    at = probe.score(cases, clean, total)
    chosen = {f"probe_{s}_weight": round(float(w), 3) for s, w in zip(SIGNALS, probe.weights)}
    chosen["probe_floor"] = round(probe.floor, 3)
    print(f"clause drops: {len(cases)} ({sum(bool(c['at_gold']) for c in cases)} with a vote gap at the drop); "
          f"clean sentences: {total}, probed gaps there: {len(clean)}; budget {args.budget} warnings per 100")
    print(f"without the probe: recall {without:.3f}")
    for h in held:
        print(f"cross-validated by document, signals {'+'.join(h['signals'])}: recall {h['recall']:.3f}, "
              f"probe warnings per 100 clean sentences {h['warnings_per_100']:.3f}")
    print(f"fitted on every document: {', '.join(f'{k} {v:g}' for k, v in chosen.items())} "
          f"(recall {at[0]:.3f}, {at[1]:.3f} per 100 on the same data)")
    out = {"benchmark": "omission_probe", "data": "ntrex-dev", "clause_drops": len(cases),
           "drops_with_a_vote_gap": sum(bool(c["at_gold"]) for c in cases), "clean_sentences": total,
           "clean_probed_gaps": len(clean), "clean_triples_per_document": args.triples,
           "budget_per_100": args.budget, "cross_validated_models": bool(args.cv_models),
           "recall_without_probe": round(without, 3), "cross_validated": held, "chosen": chosen,
           "fitted_recall": round(at[0], 3), "fitted_warnings_per_100": round(at[1], 3)}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(Path(args.json), json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
