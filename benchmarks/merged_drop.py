"""XL001's merged-row probe: dropped sentences it finds against what it raises on clean news, cross-validated.

A sentence dropped from one version next to one it keeps often leaves no row empty: the aligner
merges the dropped sentence of the other versions with its neighbour, against that version's one
sentence (a headline before its lead, a short quote). XL001 then looks at rows where every other
version (two or more) holds one sentence more than a version (``merged_drop``): cutting the extra
sentence out of each of them brings them all closer to that version when it dropped it, and pulls
them away when it merged two sentences into one. This script records that gain for every such row
in

- sentence drops (``perturb.py``'s sentence type, one version of a three-version NTREX story): a
  drop is found when a probe warning falls on it, or another warning of the engine's default rules
  already does;
- clean NTREX stories, every document in four versions (en/de/fr/pt and es/it/nl/pl), in the
  three-version settings of ``ntrex_clean.py``'s mixed scripts (es/ru/it, en/ar/fr, de/zh/pt,
  nl/ja/pl: Chinese and Japanese split sentences otherwise, which makes merged rows common) and in
  ``--triples`` random three-language versions of its 12 languages (seeded): every candidate there
  is counted as a false alarm, whatever it points at.

The floor (``merged_gain``) is the lowest that keeps the probe within ``--budget`` warnings per 100
clean sentences in every setting (each 4-way and mixed-script setting, and the random triples
together): pooled, the Latin-script settings would hide the Chinese and Japanese ones. It is chosen
by document-level cross-validation (fitted on each fold's other documents, recall and cost counted
on its own), and the held-out figures are printed, pooled and for the worst setting. Fitted on
every document, it is what XL001 ships.

    python benchmarks/merged_drop.py ../shared/data/ntrex-dev --cv-models DIR
"""
from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ntrex import load_documents  # noqa: E402
from omission_probe import clean_probes, clean_stories, collect_with, probe_arguments, suite_probes  # noqa: E402

from xlingo.check.rules.alignment import MissingSentence, merged_drop  # noqa: E402
from xlingo.config import Settings  # noqa: E402
from xlingo.output import write_atomic  # noqa: E402

FOLDS = 5
MIXED = (("es", "ru", "it"), ("en", "ar", "fr"), ("de", "zh", "pt"), ("nl", "ja", "pl"))


class RecordingMissing(MissingSentence):
    """XL001 with the merged-row probe open to every candidate, recording each one's gain (keyed by
    version, row and place)."""

    def __init__(self) -> None:
        super().__init__({"merged_gain": float("-inf")})
        self.seen: dict[tuple[str, int | None, int], float] = {}

    def _merged(self, ctx):
        for f in super()._merged(ctx):
            self.seen[(f.doc, f.row, f.start)] = ctx.cached(merged_drop, f.row, f.doc)[0]
            yield f


def _probed(story, rule: RecordingMissing) -> list[tuple[object, float]]:
    """The story's XL001 findings from the merged-row probe, with their gains."""
    return [(f, rule.seen[key]) for f in story.findings if f.rule == "XL001" and (key := (f.doc, f.row, f.start))
            in rule.seen]


def collect(engine, rule: RecordingMissing, folder: str, folds: dict, per_type: int, seeds: Sequence[int],
            triples: int, triple_seed: int) -> tuple[list[dict], list[dict], dict[tuple[str, str], int]]:
    """Sentence-drop cases (each: document, the probe's gains at the drop, caught by another
    warning), clean candidates (document, setting, gain), and clean sentences per document and setting."""
    cases = suite_probes(engine, rule, _probed, folder, folds, "sentence", per_type, seeds)
    stories = clean_stories(folder, triples, triple_seed)
    stories += [story for langs in MIXED for story in load_documents(folder, langs)]
    clean, sentences = [], {}
    for doc, versions, n, gains in clean_probes(engine, rule, _probed, folds, stories):
        setting = "/".join(versions) if len(versions) == 4 or tuple(versions) in MIXED else "random triples"
        sentences[(doc, setting)] = sentences.get((doc, setting), 0) + n
        clean += [{"document": doc, "setting": setting, "gain": g} for g in gains]
    return cases, clean, sentences


def floor_within(clean: list[dict], sentences: dict[tuple[str, str], int], budget: float) -> float:
    """The lowest floor that keeps clean warnings within ``budget`` per 100 sentences in every setting."""
    floors = [float("-inf")]
    for setting in {s for _, s in sentences}:
        gains = sorted((c["gain"] for c in clean if c["setting"] == setting), reverse=True)
        allowed = int(budget * sum(n for (_, s), n in sentences.items() if s == setting) / 100)
        floors.append(gains[allowed] + 1e-6 if allowed < len(gains) else float("-inf"))
    return max(floors)


def per_100(clean: list[dict], sentences: dict[tuple[str, str], int], floor: float) -> dict[str, float]:
    """Probe warnings per 100 clean sentences at ``floor``, per setting and pooled (``all``)."""
    out = {}
    for setting in sorted({s for _, s in sentences}) + ["all"]:
        n = sum(v for (_, s), v in sentences.items() if setting in (s, "all"))
        out[setting] = 100 * sum(c["gain"] >= floor for c in clean if setting in (c["setting"], "all")) / max(n, 1)
    return out


def recall(cases: list[dict], floor: float) -> float:
    """The share of the sentence drops found at ``floor`` (or by another warning)."""
    return sum(c["caught_without"] or any(g >= floor for g in c["at_gold"]) for c in cases) / max(len(cases), 1)


def cross_validate(cases: list[dict], clean: list[dict], sentences: dict[tuple[str, str], int],
                   budget: float) -> dict:
    """The floor fitted on each fold's other documents, scored on its own: recall, and probe
    warnings per 100 clean sentences pooled and in the worst setting."""
    docs = sorted({d for d, _ in sentences} | {c["document"] for c in cases})
    fold_of = {d: i % FOLDS for i, d in enumerate(docs)}
    found, alarms, floors = 0.0, {}, []
    for k in range(FOLDS):
        def part(xs: list[dict], inside: bool) -> list[dict]:
            return [x for x in xs if (fold_of[x["document"]] == k) == inside]
        floor = floor_within(part(clean, False), {key: n for key, n in sentences.items() if fold_of[key[0]] != k},
                             budget)
        floors.append(round(floor, 3))
        found += recall(part(cases, True), floor) * len(part(cases, True))
        for c in part(clean, True):
            alarms[c["setting"]] = alarms.get(c["setting"], 0) + (c["gain"] >= floor)
    settings = {s for _, s in sentences}
    rates = {s: 100 * alarms.get(s, 0) / sum(n for (_, t), n in sentences.items() if t == s) for s in settings}
    return {"recall": round(found / max(len(cases), 1), 3),
            "warnings_per_100": round(100 * sum(alarms.values()) / max(sum(sentences.values()), 1), 3),
            "worst_setting": max(rates, key=rates.get), "worst_warnings_per_100": round(max(rates.values()), 3),
            "fold_floors": floors}


def main(argv: Sequence[str] | None = None) -> int:
    ap = probe_arguments(__doc__, "sentence drops", 0.05, "probe warnings per 100 clean sentences allowed in each "
                         "setting", "reports/bench/merged_drop.json")
    args = ap.parse_args(argv)
    cases, clean, sentences = collect_with(args, RecordingMissing(), "XL001", Settings(), collect)
    total = sum(sentences.values())
    held = cross_validate(cases, clean, sentences, args.budget)
    floor = floor_within(clean, sentences, args.budget)
    fitted = per_100(clean, sentences, floor)
    print(f"sentence drops: {len(cases)} ({sum(bool(c['at_gold']) for c in cases)} in a merged row the probe "
          f"sees); clean sentences: {total}, candidates there: {len(clean)}; budget {args.budget} per 100 per setting")
    print(f"without the probe: recall {recall(cases, float('inf')):.3f}")
    print(f"cross-validated by document: recall {held['recall']:.3f}, probe warnings per 100 clean sentences "
          f"{held['warnings_per_100']:.3f} pooled, {held['worst_warnings_per_100']:.3f} in {held['worst_setting']} "
          f"(fold floors {held['fold_floors']})")
    print(f"fitted on every document: merged_gain {floor:.3f} (recall {recall(cases, floor):.3f}; per 100 on the "
          f"same data: {', '.join(f'{s} {v:.3f}' for s, v in fitted.items())})")
    out = {"benchmark": "merged_drop", "data": "ntrex-dev", "sentence_drops": len(cases),
           "drops_in_a_merged_row": sum(bool(c["at_gold"]) for c in cases), "clean_sentences": total,
           "clean_candidates": len(clean), "clean_triples_per_document": args.triples,
           "budget_per_100_per_setting": args.budget, "cross_validated_models": bool(args.cv_models),
           "recall_without_probe": round(recall(cases, float("inf")), 3), "cross_validated": held,
           "chosen": {"merged_gain": round(floor, 3)}, "fitted_recall": round(recall(cases, floor), 3),
           "fitted_warnings_per_100": {s: round(v, 3) for s, v in fitted.items()}}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(Path(args.json), json.dumps(out, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
