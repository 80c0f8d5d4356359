"""Benchmark the span-level divergence rules (XL701-XL705) on a perturbation suite.

Usage::

    python benchmarks/divergence.py ../shared/data/textberg-dev [--json reports/bench/divergence.json]
        [--stories 23] [--states CACHE.pkl] [--speed-sample 120]

Per detector: recall and precision on the perturbation suite (:mod:`perturb`; a finding is
a hit when its span, or one of its related spans, overlaps the gold span in the perturbed
version of the perturbed row; every other finding in a perturbed story counts against
precision), false positives per 100 sentences on the clean stories (Text+Berg gold 1-1 rows,
two versions, in stories of 10 rows and as one story of all of them; made-up news stories,
four versions) by severity, the ROC-AUC for perturbed rows against the other rows of the perturbed
stories of the same source (made-up or Text+Berg: their score levels differ) of four
row scores (``cosine``: the lowest cosine of the row's pairs of versions, negated; ``second_cosine``:
the same under the row model's second encoder; ``margin``:
:func:`~xlingo.annotate.divergence.row_divergence`, the margin against the story's usual one;
``row_score``: ``Row.divergence``, the calibrated chance of an accuracy error, whose model never saw
Text+Berg), and throughput: sentences per
second of the encoder alone, of one pass giving sentence vectors and token states
(``encode_with_tokens``), and of the span analysis, as a ratio to the encoder alone measured
in the same run.

``--states`` keeps the encoder output (and its timings) in a pickle, so a rerun skips the
model; the span rules are timed afresh on every run.
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from encoded import second_embed  # noqa: E402
from perturb import Case, build_suite, read_textberg  # noqa: E402

from xlingo.annotate.divergence import pair_cosines, pair_scores, row_divergence  # noqa: E402
from xlingo.annotate.rows import load_row_model  # noqa: E402
from xlingo.check.base import CheckContext  # noqa: E402
from xlingo.check.rules.spans import (  # noqa: E402
    GarbledStructure,
    SentenceDivergence,
    SpanAddition,
    SpanMistranslation,
    SpanOmission,
    divergence_scores,
)
from xlingo.model import Finding, Story  # noqa: E402
from xlingo.testing import story_from_rows  # noqa: E402

RULES = [SpanOmission(), SpanAddition(), SpanMistranslation(), SentenceDivergence(), GarbledStructure()]


def encode_all(texts: list[str], states: str | None, speed_sample: int) -> tuple[dict, dict]:
    """Sentence vector and token states per text (cached in ``states`` if given), and
    throughput figures measured on a sample when the model runs."""
    memo: dict = {}
    speed: dict = {}
    if states and Path(states).exists():
        with open(states, "rb") as fh:
            memo, speed = pickle.load(fh)
    missing = [t for t in texts if t not in memo]
    if not missing:
        return memo, {**speed, "encoder_timings_from": states}
    from xlingo.embed import load_encoder

    enc = load_encoder("e5-small")
    if not speed:
        sample = missing[:speed_sample]
        enc.encode(sample[:8])  # warm-up
        t0 = time.perf_counter()
        enc.encode(sample)
        t_enc = time.perf_counter() - t0
        t0 = time.perf_counter()
        enc.encode_with_tokens(sample)
        t_both = time.perf_counter() - t0
        speed = {"sample": len(sample), "encoder_sent_per_s": len(sample) / t_enc,
                 "encode_with_tokens_sent_per_s": len(sample) / t_both}
    sv, ts = enc.encode_with_tokens(missing)
    memo.update((t, (v, s)) for t, v, s in zip(missing, sv, ts))
    if states:
        with open(states, "wb") as fh:
            pickle.dump((memo, speed), fh)
    return memo, speed


def context(story: Story, memo: dict) -> CheckContext:
    def embed(texts):
        return np.stack([memo[t][0] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)

    def tokens(texts):
        return [memo[t][1] for t in texts]

    vectors = {(d.id, s.i): memo[s.text][0] for d in story.documents for s in d.sentences}
    return CheckContext(story=story, embed=embed, sentence_vectors=vectors, token_states=tokens,
                        second_embed=second_embed(load_row_model().second_encoder))


def run_rules(ctx: CheckContext) -> list[Finding]:
    return [f for rule in RULES for f in rule.check(ctx)]


def gold_span(story: Story, case: Case) -> tuple[int, int]:
    doc = story.document(case.lang)
    s0 = doc.sentence(story.alignment[case.row].cells[case.lang][0]).start
    return s0 + case.gold[0], s0 + case.gold[1]


def is_hit(f: Finding, case: Case, gold: tuple[int, int]) -> bool:
    if f.row != case.row:
        return False
    if f.doc == case.lang and f.start < gold[1] and f.end > gold[0]:
        return True
    return any(r.doc == case.lang and r.start < gold[1] and r.end > gold[0] for r in f.related)


def auc(pos: list[float], neg: list[float]) -> float | None:
    if not pos or not neg:
        return None
    p, n = np.array(pos), np.array(neg)
    return float(((p[:, None] > n[None, :]).sum() + 0.5 * (p[:, None] == n[None, :]).sum()) / (len(p) * len(n)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("textberg", help="folder with dev.de, dev.fr, dev.defr (Text+Berg)")
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--stories", type=int, default=23, help="Text+Berg stories of 10 rows (default 23)")
    ap.add_argument("--states", help="pickle caching encoder output between runs")
    ap.add_argument("--speed-sample", type=int, default=120, help="texts timed for throughput")
    args = ap.parse_args()

    clean, perturbed = build_suite(args.textberg, max_stories=args.stories)
    whole = Case("textberg-whole", "clean", read_textberg(args.textberg, min_words=1), source="textberg_whole")
    texts = sorted({t for c in [*clean, *perturbed, whole] for r in c.rows for t in r.values()})
    memo, speed = encode_all(texts, args.states, args.speed_sample)

    codes = [r.code for r in RULES]
    # clean stories: false positives per 100 sentences
    fp = {src: Counter() for src in ("textberg", "madeup", "textberg_whole")}
    sentences = Counter()
    t_check, n_check = 0.0, 0
    for case in [*clean, whole]:
        story = story_from_rows(case.rows)
        ctx = context(story, memo)
        t0 = time.perf_counter()
        found = run_rules(ctx)
        if case is not whole:
            t_check += time.perf_counter() - t0
        n = sum(len(d.sentences) for d in story.documents)
        if case is not whole:
            n_check += n
        sentences[case.source] += n
        for f in found:
            fp[case.source][(f.rule, f.severity.value)] += 1
            fp[case.source][("any", f.severity.value)] += 1

    # perturbed stories: recall and precision per detector
    hits = defaultdict(Counter)  # rule -> kind -> cases hit
    hits_warn = defaultdict(Counter)
    total = Counter()
    tp, allf = Counter(), Counter()
    pos_div: dict[str, dict[str, list[float]]] = {v: defaultdict(list) for v in ("cosine", "second_cosine", "margin",
                                                                                         "row_score")}
    neg_div: dict[str, dict[str, list[float]]] = {v: defaultdict(list) for v in pos_div}  # by source
    for case in perturbed:
        story = story_from_rows(case.rows)
        ctx = context(story, memo)
        found = run_rules(ctx)
        gold = gold_span(story, case)
        key = f"{case.source}:{case.kind}"
        total[key] += 1
        got = {code: False for code in [*codes, "any"]}
        got_w = dict(got)
        for f in found:
            hit = is_hit(f, case, gold)
            allf[f.rule] += 1
            allf["any"] += 1
            if hit:
                tp[f.rule] += 1
                tp["any"] += 1
                got[f.rule] = got["any"] = True
                if f.severity.value != "info":
                    got_w[f.rule] = got_w["any"] = True
        for code in got:
            hits[code][key] += got[code]
            hits_warn[code][key] += got_w[code]
        cosine = [-min(c.values(), default=1.0) for c in pair_scores(story, ctx.embed, ctx.sentence_vectors)[0]]
        second = [-min(c.values(), default=1.0) for c in pair_cosines(story, ctx.second_embed)]
        variants = {"cosine": cosine, "second_cosine": second,
                    "margin": row_divergence(story, ctx.embed, ctx.sentence_vectors), "row_score": divergence_scores(ctx)}
        for name, divs in variants.items():
            for k, v in enumerate(divs):
                (pos_div[name][key].append(v) if k == case.row else neg_div[name][case.source].append(v))

    report = {"suite": {"clean_stories": len(clean), "perturbed_cases": dict(total),
                        "sentences_clean": dict(sentences)},
              "detectors": {}, "fp_per_100_sentences": {}, "row_divergence_auc": {}, "throughput": {}}
    print(f"clean sentences: {dict(sentences)}; perturbed cases: {sum(total.values())}")
    print("\nrecall (any severity / warning+) per perturbation, precision per detector")
    kinds = sorted(total)
    print(f"{'':7s}" + "".join(f"{k.split(':')[0][:2] + ':' + k.split(':')[1][:6]:>10s}" for k in kinds)
          + "   recall  prec")
    for code in [*codes, "any"]:
        n_tot = sum(total.values())
        rec = sum(hits[code].values()) / n_tot
        prec = tp[code] / allf[code] if allf[code] else None
        cells = "".join(f"{f'{hits[code][k]}/{total[k]}':>10s}" for k in kinds)
        print(f"{code:7s}{cells}   {rec:.3f}  {'-' if prec is None else f'{prec:.3f}'}")
        report["detectors"][code] = {
            "recall": rec, "recall_warning_or_error": sum(hits_warn[code].values()) / n_tot,
            "precision": prec, "findings": allf[code], "hits": tp[code],
            "recall_by_kind": {k: hits[code][k] / total[k] for k in kinds},
        }
    print("\nfalse positives per 100 sentences on clean stories (error / warning / info)")
    for src, counts in fp.items():
        per = {}
        for code in [*codes, "any"]:
            per[code] = {sev: 100 * counts[(code, sev)] / max(1, sentences[src]) for sev in ("error", "warning", "info")}
        report["fp_per_100_sentences"][src] = per
        line = "  ".join(f"{c} {v['error']:.1f}/{v['warning']:.1f}/{v['info']:.1f}" for c, v in per.items())
        print(f"  {src:9s} {line}")
    print("\nrow_divergence ROC-AUC, perturbed row vs the other rows of perturbed stories of its source")
    for name in pos_div:
        report["row_divergence_auc"][name] = {k: auc(pos_div[name][k], neg_div[name][k.split(":")[0]]) for k in kinds}
        vals = [v for v in report["row_divergence_auc"][name].values() if v is not None]
        report["row_divergence_auc"][name]["mean"] = float(np.mean(vals)) if vals else None
        print(f"  {name:10s} " + ", ".join(f"{k} {v:.2f}" for k, v in report["row_divergence_auc"][name].items()
                                           if v is not None))
    check_rate = n_check / t_check if t_check else None
    report["throughput"] = {**speed, "span_rules_sent_per_s": check_rate}
    if speed:
        enc = speed["encoder_sent_per_s"]
        both = speed["encode_with_tokens_sent_per_s"]
        # the pipeline today: sentence pass + a token pass + the rules; with encode_with_tokens: one pass + rules
        separate = 1 / (1 / enc + 1 / both + 1 / check_rate)
        shared = 1 / (1 / both + 1 / check_rate)
        report["throughput"].update({"ratio_separate_token_pass": separate / enc, "ratio_one_pass": shared / enc})
        print(f"\nthroughput: encoder alone {enc:.1f} sent/s; encode_with_tokens {both:.1f} sent/s; span rules "
              f"{check_rate:.0f} sent/s -> pipeline with a separate token pass {separate / enc:.2f}x, "
              f"with one shared pass {shared / enc:.2f}x the encoder alone")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
