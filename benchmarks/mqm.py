"""Detection of real translation errors marked by professional reviewers (MQM TSV files).

Usage::

    python benchmarks/mqm.py [TSV ...] [--cv-models DIR] [--cache DIR] [--json reports/bench/mqm.json]

Input: files in the MQM TSV format of google/wmt-mqm-human-evaluation (``system doc doc_id
seg_id rater source target category severity``, the error span marked ``<v>…</v>`` in the
target); default ``../shared/data/mqm-ted-ende/mqm_ted_ende.tsv``. Each (document, system) is
read as a two-version story (source and that system's translation, one row per segment) and
run through the span rules (XL701-XL705) with the learned meaning model. The language pair of a
file is ``--langs`` (``zh-en``), else read from its name as the WMT files name it
(``mqm_newstest2021_zhen.tsv``: Chinese into English), else identified from its text.

Printed:

- **segment level**, *major accuracy error* (a Major ``Accuracy/*`` mark) against *no error*
  (no mark at all): ROC-AUC of xlingo's segment score, **length-matched** (segments binned by
  source length in words, the AUC computed within bins and pooled by their pairs, so short
  segments do not decide it), plain ROC-AUC, and recall at <= 5 % false alarms. Segment
  scores: the translation's missing meaning (``words``: word weight x the model's probability
  that the word has no counterpart in the source, summed), the highest score of a finding in
  the row (``findings``: the rules' stated likelihood of a real error, XL704's on either
  version, XL701-XL703's on the translation), and xlingo's ``Row.divergence`` (``row``: the
  calibrated chance of an accuracy error, :mod:`xlingo.annotate.rows`);
- **span level**, character-level precision/recall/F1 of the findings' spans (per severity
  floor) and of the words the model counts as absent (probability above the model's
  ``absent_at``, chosen in training on held-out clean words, not on MQM) against the marked
  accuracy spans (Major and Minor), whitespace not counted, summed over the corpus (the WMT23
  QE task 2 convention).

``--cv-models DIR`` (written by ``training/train_meaning.py --cv-out DIR``) holds one model per
fold with the documents it was trained without: every story is then scored by a model that
never saw its document, so the figures are cross-validated. Without it the shipped model is
used (it was trained on this data set: figures are then optimistic, and marked so).
``--cv-row-models DIR`` (``training/train_row_model.py --cv-out DIR``, the same folds) does the
same for the row model behind ``row`` and XL704.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from encoded import EncodedTexts, second_embed  # noqa: E402

from xlingo.annotate.meaning import load_model, missing_mass  # noqa: E402
from xlingo.annotate.rows import load_row_model  # noqa: E402
from xlingo.check.base import CheckContext  # noqa: E402
from xlingo.language import detect_language, language_tag  # noqa: E402
from xlingo.model import Severity  # noqa: E402
from xlingo.output import write_atomic  # noqa: E402
from xlingo.testing import story_from_rows  # noqa: E402

ACCURACY = "Accuracy/"
FLOORS = {"info": Severity.INFO, "warning": Severity.WARNING, "error": Severity.ERROR, "absent words": None}


_PAIR_IN_NAME = re.compile(r"(?:^|[_.-])([a-z]{2})-?([a-z]{2})$")


def language_pair(path: str, sources: list[str], targets: list[str], given: str | None = None) -> tuple[str, str]:
    """The (source, target) languages of an MQM file: ``given`` (``en-de``), else the file name's
    last part (``..._ende``) where the languages identified in a sample of its sources and
    targets confirm one of the two (``..._data`` is no Danish-Tamil file), else those identified."""
    if given:
        src, _, tgt = given.partition("-")
        if not (language_tag(src) and language_tag(tgt)) or src == tgt:
            raise SystemExit(f"--langs {given}: give two different language tags, source first (en-de)")
        return src, tgt
    found = detect_language(" ".join(sources[:200])), detect_language(" ".join(targets[:200]))
    m = _PAIR_IN_NAME.search(Path(path).stem.lower())
    if m and m.group(1) != m.group(2) and (m.group(1) == found[0] or m.group(2) == found[1]):
        return m.group(1), m.group(2)
    if "und" in found or found[0] == found[1]:
        raise SystemExit(f"{path}: cannot tell its languages from its name or text; give --langs SRC-TGT")
    return found


def read_mqm(paths: list[str], langs: str | None = None) -> dict[tuple[str, str], list[dict]]:
    """Per (document, system): its segments in order, each with source, clean target, the
    marked errors ``(start, end, category, severity)`` in character offsets of the clean target,
    and the file's language pair (``src``, ``tgt``; see :func:`language_pair`)."""
    segs: dict[tuple[str, str, int], dict] = {}
    for path in paths:
        mine: list[dict] = []  # this file's segments
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
            missing = {"system", "doc", "seg_id", "source", "target", "category", "severity"} - set(reader.fieldnames or [])
            if missing:
                raise SystemExit(f"{path}: not an MQM TSV file (no column {', '.join(sorted(missing))})")
            for r in reader:
                tgt = r["target"]
                clean = re.sub(r"</?v>", "", tgt)
                key = (r["doc"], r["system"], int(r["seg_id"]))
                if key not in segs:
                    segs[key] = {"source": r["source"], "target": clean, "errors": []}
                    mine.append(segs[key])
                seg = segs[key]
                if r["category"].lower() in ("no-error", "no error"):
                    continue
                m = re.search(r"<v>(.*?)</v>", tgt)
                s = len(re.sub(r"</?v>", "", tgt[:m.start()])) if m else 0
                seg["errors"].append((s, s + (len(m.group(1)) if m else 0), r["category"], r["severity"]))
        src, tgt = language_pair(path, [x["source"] for x in mine], [x["target"] for x in mine], langs)
        for x in mine:
            x.update(src=src, tgt=tgt)
    out: dict[tuple[str, str], list[dict]] = {}
    for (doc, system, seg_id), seg in sorted(segs.items()):
        out.setdefault((doc, system), []).append({**seg, "seg": seg_id})
    return out


def accuracy_spans(seg: dict) -> list[tuple[int, int]]:
    return [(s, e) for s, e, c, _ in seg["errors"] if c.startswith(ACCURACY) and e > s]


def label(seg: dict) -> int | None:
    """1 = a Major accuracy error, 0 = no error marked at all, None = anything else."""
    if any(c.startswith(ACCURACY) and sev.lower() == "major" for _, _, c, sev in seg["errors"]):
        return 1
    return 0 if not seg["errors"] else None


def story_of(segs: list[dict]):
    """The two-version story of one (document, system): its source and target languages' documents."""
    return story_from_rows([{s["src"]: s["source"], s["tgt"]: s["target"]} for s in segs])


def fold_models(folder: str | None, load=load_model, pattern: str = "fold*.json") -> dict[str, object]:
    """Document -> the fold model trained without it (``--cv-out`` of ``training/train_meaning.py``,
    or of ``training/train_row_model.py`` with ``load_row_model`` and ``row*.json``)."""
    if not folder:
        return {}
    out = {}
    for path in sorted(Path(folder).glob(pattern)):
        model = load(str(path))
        for doc in Path(path.with_suffix(".docs")).read_text(encoding="utf-8").split():
            out[doc] = model
    return out


def length_matched_auc(scores: np.ndarray, labels: np.ndarray, lengths: np.ndarray, bins: int = 5) -> float:
    """ROC-AUC computed within bins of equal length quantiles, pooled by each bin's pairs."""
    from sklearn.metrics import roc_auc_score

    edges = np.unique(np.quantile(lengths, np.linspace(0, 1, bins + 1)[1:-1]))
    which = np.searchsorted(edges, lengths, side="right")
    num = den = 0.0
    for b in np.unique(which):
        m = which == b
        pos, neg = labels[m].sum(), (1 - labels[m]).sum()
        if pos and neg:
            num += roc_auc_score(labels[m], scores[m]) * pos * neg
            den += pos * neg
    return num / den if den else float("nan")


def recall_at(scores: np.ndarray, labels: np.ndarray, fpr: float = 0.05) -> float:
    from sklearn.metrics import roc_curve

    f, t, _ = roc_curve(labels, scores)
    return float(t[f <= fpr].max()) if (f <= fpr).any() else 0.0


def char_mask(text: str, spans: list[tuple[int, int]]) -> np.ndarray:
    m = np.zeros(len(text), dtype=bool)
    for s, e in spans:
        m[s:e] = True
    return m & ~np.array([c.isspace() for c in text], dtype=bool)


def _f1(tp: float, n_pred: float, n_gold: float) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def cv_threshold_spans(words: list[tuple], grid: int = 40) -> dict:
    """Words whose probability reaches a threshold, the threshold chosen per document on the
    *other* documents (best character F1 there): a cross-validated span figure."""
    doc, prob, size, hit, gold_of = [], [], [], [], {}
    for d, text, gold, ws in words:
        g = char_mask(text, gold)
        gold_of[d] = gold_of.get(d, 0) + int(g.sum())
        for a, b, v in ws:
            own = char_mask(text, [(a, b)])
            doc.append(d)
            prob.append(v)
            size.append(int(own.sum()))
            hit.append(int((own & g).sum()))
    doc, prob, size, hit = np.array(doc), np.array(prob), np.array(size), np.array(hit)
    cands = np.unique(np.quantile(prob, np.linspace(0.5, 0.999, grid))) if len(prob) else np.array([1.0])

    def counts(m: np.ndarray, t: float) -> tuple[int, int]:
        on = m & (prob >= t)
        return int(hit[on].sum()), int(size[on].sum())

    tp = n_pred = 0
    chosen = []
    for d in sorted(gold_of):
        train = doc != d
        n_gold = sum(v for k, v in gold_of.items() if k != d)
        best = max(cands, key=lambda t: _f1(*counts(train, t), n_gold)[2])
        chosen.append(float(best))
        a, b = counts(~train, best)
        tp, n_pred = tp + a, n_pred + b
    p, r, f = _f1(tp, n_pred, sum(gold_of.values()))
    return {"precision": p, "recall": r, "f1": f, "thresholds": chosen}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", default=["../shared/data/mqm-ted-ende/mqm_ted_ende.tsv"])
    ap.add_argument("--cv-models", help="folder of fold models (training/train_meaning.py --cv-out)")
    ap.add_argument("--cv-row-models", help="folder of fold row models (training/train_row_model.py --cv-out)")
    ap.add_argument("--cache", help="folder for cached encoder output (default: system temp)")
    ap.add_argument("--langs", help="the files' language pair, source first (en-de); default: from each file's "
                    "name (..._ende.tsv), else identified from its text")
    ap.add_argument("--json", default="reports/bench/mqm.json")
    args = ap.parse_args()
    for f in args.files:
        if not Path(f).is_file():
            raise SystemExit(f"no such file: {f}")
    import torch

    from xlingo.check.rules.spans import (
        GarbledStructure,
        SentenceDivergence,
        SpanAddition,
        SpanMistranslation,
        SpanOmission,
        analysis,
        divergence_scores,
    )

    torch.set_num_threads(1)
    rules = [SpanOmission(), SpanAddition(), SpanMistranslation(), SentenceDivergence(), GarbledStructure()]
    stories = read_mqm(args.files, args.langs)
    enc = EncodedTexts("mqm", args.cache)
    enc.ensure([t for ss in stories.values() for s in ss for t in (s["source"], s["target"])])
    folds = fold_models(args.cv_models)
    row_folds = fold_models(args.cv_row_models, load_row_model, "row*.json")
    rows = []  # per segment: label, length, scores
    words: list[tuple] = []  # per segment: document, target, marked spans, (start, end, probability) per word
    tp = {k: 0 for k in FLOORS}
    n_pred = {k: 0 for k in FLOORS}
    n_gold = 0
    t0 = time.perf_counter()
    n_sent = 0
    for (doc, system), segs in stories.items():
        story = story_of(segs)
        src, tgt = segs[0]["src"], segs[0]["tgt"]
        model = folds.get(f"mqm:{doc}")
        if args.cv_models and model is None:
            raise SystemExit(f"{args.cv_models}: no fold holds document mqm:{doc}")
        row_model = row_folds.get(f"mqm:{doc}")
        if args.cv_row_models and row_model is None:
            raise SystemExit(f"{args.cv_row_models}: no fold holds document mqm:{doc}")
        ctx = CheckContext(story=story, embed=enc.embed, token_states=enc.token_states, meaning_model=model,
                           row_model=row_model, second_embed=second_embed(load_row_model().second_encoder))
        findings = [f for rule in rules for f in rule.check(ctx) if f.doc == tgt or f.rule == "XL704"]
        an = analysis(ctx)
        row_div = divergence_scores(ctx)
        n_sent += 2 * len(segs)
        target = story.document(tgt)
        for k, seg in enumerate(segs):
            sent = target.sentences[story.alignment[k].cells[tgt][0]]
            row = an.rows.get(k)
            mass = missing_mass(row, tgt) if row is not None else 0.0
            mine = [f for f in findings if f.row == k]
            fscore = max((int(m.group(1)) / 100 for f in mine
                          if (m := re.search(r"likelihood of a real error (\d+)%", f.message))), default=0.0)
            rows.append((label(seg), len(seg["source"].split()), mass, fscore, row_div[k]))
            gold = char_mask(sent.text, accuracy_spans(seg))
            n_gold += int(gold.sum())
            if row is not None:
                words.append((doc, sent.text, accuracy_spans(seg), [
                    (w.start - sent.start, w.end - sent.start, float(v))
                    for w, v in zip(row.cells[tgt].words.words, row.probability[(tgt, src)])]))
            absent = [] if row is None else [
                (w.start - sent.start, w.end - sent.start)
                for w, v in zip(row.cells[tgt].words.words, row.presence[(tgt, src)]) if v < 0.5]
            for name, floor in FLOORS.items():
                spans = absent if name == "absent words" else [
                    (f.start - sent.start, f.end - sent.start) for f in mine
                    if f.severity >= floor and f.rule in ("XL701", "XL702", "XL703")]
                pred = char_mask(sent.text, spans)
                tp[name] += int((pred & gold).sum())
                n_pred[name] += int(pred.sum())
    secs = time.perf_counter() - t0
    keep = [r for r in rows if r[0] is not None]
    y = np.array([r[0] for r in keep])
    length = np.array([r[1] for r in keep])
    from sklearn.metrics import roc_auc_score

    result: dict = {"cross_validated": bool(args.cv_models), "rows_cross_validated": bool(args.cv_row_models),
                    "segments": len(rows),
                    "major_accuracy": int(y.sum()), "no_error": int((1 - y).sum()), "segment": {}, "span": {}}
    tag = "" if args.cv_models else " [shipped model: on the MQM data it was trained on, NOT cross-validated]"
    if not args.cv_row_models:
        tag += " [shipped row model: on its training data, row and findings NOT cross-validated]"
    print(f"MQM: {len(rows)} segments, {int(y.sum())} with a major accuracy error, {int((1 - y).sum())} with none{tag}")
    for i, name in ((2, "words"), (3, "findings"), (4, "row")):
        s = np.array([r[i] for r in keep])
        res = {"auc_length_matched": length_matched_auc(s, y, length), "auc": float(roc_auc_score(y, s)),
               "recall_at_5pct_fpr": recall_at(s, y)}
        result["segment"][name] = res
        print(f"  segment score {name:<9} ROC-AUC length-matched {res['auc_length_matched']:.3f} "
              f"(plain {res['auc']:.3f}), recall at <=5% false alarms {res['recall_at_5pct_fpr']:.3f}")
    for name in FLOORS:
        p = tp[name] / n_pred[name] if n_pred[name] else 0.0
        r = tp[name] / n_gold if n_gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        result["span"][name] = {"precision": p, "recall": r, "f1": f1, "predicted_chars": n_pred[name]}
        print(f"  spans {name:<12} character P {p:.3f} R {r:.3f} F1 {f1:.3f} ({n_pred[name]} chars flagged, "
              f"{n_gold} marked)")
    cv = cv_threshold_spans(words)
    result["span"]["words, threshold chosen by cross-validation"] = cv
    print(f"  spans words >= threshold chosen on the other documents: character P {cv['precision']:.3f} "
          f"R {cv['recall']:.3f} F1 {cv['f1']:.3f} (thresholds {', '.join(f'{t:.3f}' for t in cv['thresholds'])})")
    result["seconds"] = secs
    rules_rate, enc_rate = n_sent / secs, enc.sent_per_s()
    relative = (1 / enc_rate) / (1 / enc_rate + 1 / rules_rate)
    result["throughput"] = {"span_analysis_sent_per_s": rules_rate, "encoder_sent_per_s": enc_rate,
                            "relative_to_encoder_alone": relative}
    print(f"  throughput: span analysis and models (the row model's second encoder included) {rules_rate:.0f} "
          f"sentences/s, encoder alone {enc_rate:.0f} "
          f"sentences/s (one pass per sentence, measured when the cache was filled): encoder + analysis run at "
          f"{relative:.2f}x the encoder alone")
    write_atomic(args.json, json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
