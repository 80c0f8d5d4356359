"""Score xlingo's token-level divergence on SwissGov-RSD-format files (Spearman vs gold labels).

Usage::

    python benchmarks/swissgov_rsd.py [gold_admin_de.jsonl gold_admin_fr.jsonl] [--limit 0]
        [--cv-models DIR] [--cache DIR] [--json reports/bench/swissgov_rsd.json]

Each line of a file is a document pair: ``text_a`` (English) and ``text_b`` (the other
language), whitespace-tokenised, with ``labels_a`` / ``labels_b`` per token (0 = same
meaning, up to 1 = different, -1 = not annotated). The language of ``text_b`` is read from
the file name (``..._de.jsonl``), else detected.

What is scored: both documents are split into sentences (sentences over 80 words are cut
into chunks), encoded once (``encode_with_tokens``: sentence vectors and token states in one
pass), sentence-aligned with xlingo's aligner (``align_pair``), and every bead's words are
aligned (:mod:`xlingo.annotate.wordalign`). A word's score is the learned meaning model's
probability that it has no counterpart on the other side (:mod:`xlingo.annotate.meaning`);
sentences with no counterpart score 1. With ``--cv-models DIR`` (written by
``training/train_meaning.py --cv-out DIR``) each document pair is scored by the fold model
trained without it, so the Spearman figure is cross-validated by document; without it the
shipped model is used (trained on this data: optimistic, and marked so). Encoder output is
cached under ``--cache`` (default: the system temp folder). A whitespace token takes the highest score of the words it overlaps (punctuation
takes its left neighbour's); scores are then averaged over a window of +-2 tokens, as gold
spans are contiguous. Spearman correlation with the gold labels (tokens labelled -1 left
out) is reported per language and overall, with and without the window, and throughput. Each
word also carries its row's score (``Row.divergence``, :mod:`xlingo.annotate.rows`; with
``--cv-row-models DIR`` from ``training/train_row_model.py --cv-out DIR``, the fold row model
trained without the document): the Spearman of the row score alone, and of words and row mixed,
``(1 - a) * word + a * row``, ``a`` chosen for each fold of documents on the other folds.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from encoded import EncodedTexts, second_embed  # noqa: E402

from xlingo.align import align_pair  # noqa: E402
from xlingo.annotate import annotate  # noqa: E402
from xlingo.annotate.meaning import MeaningModel, analyse_words, fill_presence, load_model  # noqa: E402
from xlingo.annotate.rows import RowModel, load_row_model, row_scores  # noqa: E402
from xlingo.check.base import CheckContext  # noqa: E402
from xlingo.language import detect_language  # noqa: E402
from xlingo.model import Document, Row, Sentence, Story  # noqa: E402
from xlingo.output import write_atomic  # noqa: E402
from xlingo.segment import split_sentences  # noqa: E402

MAX_WORDS = 80
WINDOW = 2
TOKEN = re.compile(r"\S+")


def chunks(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans, long ones cut into pieces of at most ``MAX_WORDS`` tokens."""
    out = []
    for s, e in split_sentences(text, lang):
        toks = [(m.start() + s, m.end() + s) for m in TOKEN.finditer(text[s:e])]
        for k in range(0, len(toks), MAX_WORDS):
            part = toks[k:k + MAX_WORDS]
            out.append((part[0][0], part[-1][1]))
    return out


def document(doc_id: str, text: str, lang: str) -> Document:
    spans = chunks(text, lang)
    return Document(id=doc_id, path=f"{doc_id}.txt", text=text, lang=lang,
                    sentences=[Sentence(i, s, e, text[s:e]) for i, (s, e) in enumerate(spans)])


def score_pair(a: Document, b: Document, enc, model: MeaningModel,
               row_model: RowModel | None = None) -> dict[str, np.ndarray]:
    """Per word of each document (in document order): start, end, its divergence score and its
    row's score (``Row.divergence``)."""
    src, tgt = [s.text for s in a.sentences], [s.text for s in b.sentences]
    beads = align_pair(src, tgt, enc.window_embed(src, tgt))
    story = Story(id="pair", documents=[a, b], alignment=[Row(cells={a.id: tuple(x), b.id: tuple(y)}) for x, y in beads])
    sw = analyse_words(story, enc.token_states, enc.embed)
    fill_presence(sw, model)
    rows = sw.rows
    ctx = CheckContext(story=story, embed=enc.embed, token_states=enc.token_states, meaning_model=model,
                       row_model=row_model, second_embed=second_embed(load_row_model().second_encoder))
    annotate(ctx, ["boilerplate", "margins", "words"])
    row_score = row_scores(ctx)
    out: dict[str, list[tuple[int, int, float, float]]] = {a.id: [], b.id: []}
    for k, (x, y) in enumerate(beads):
        row = rows.get(k)
        for doc, ids in ((a, x), (b, y)):
            if not ids:
                continue
            if row is None:  # no counterpart: every word diverges
                s, e = doc.sentences_span(ids)
                out[doc.id] += [(m.start() + s, m.end() + s, 1.0, 1.0) for m in TOKEN.finditer(doc.text[s:e])]
                continue
            scores = row.probability[(doc.id, row.others(doc.id)[0])]
            out[doc.id] += [(w.start, w.end, float(v), row_score[k])
                            for w, v in zip(row.cells[doc.id].words.words, scores)]
    return {d: np.array(v, dtype=np.float64).reshape(-1, 4) for d, v in out.items()}


def token_scores(text: str, words: np.ndarray, column: int = 2) -> np.ndarray:
    """Per whitespace token: the highest score (``words[:, column]``) of the words it overlaps
    (else its left neighbour's)."""
    toks = [(m.start(), m.end()) for m in TOKEN.finditer(text)]
    out = np.full(len(toks), np.nan)
    if len(words):
        order = np.argsort(words[:, 0])
        ws, we, sc = words[order, 0], words[order, 1], words[order, column]
        for t, (s, e) in enumerate(toks):
            lo = int(np.searchsorted(we, s, side="right"))
            hi = int(np.searchsorted(ws, e, side="left"))
            vals = sc[lo:hi]
            vals = vals[np.isfinite(vals)]
            if len(vals):
                out[t] = vals.max()
    fill = float(np.nanmedian(out)) if np.isfinite(out).any() else 0.0
    for t in range(len(out)):
        if np.isnan(out[t]):
            out[t] = fill
        else:
            fill = out[t]
    return out


def smooth(x: np.ndarray, w: int) -> np.ndarray:
    if w <= 0 or len(x) == 0:
        return x
    padded = np.pad(x, w, mode="edge")
    return np.convolve(padded, np.ones(2 * w + 1) / (2 * w + 1), mode="valid")


def mix_by_document_cv(words: np.ndarray, row: np.ndarray, gold: np.ndarray, docs: np.ndarray,
                       row_folds: dict) -> tuple[np.ndarray, list[float]]:
    """``(1 - a) * words + a * row`` per token, ``a`` chosen for each fold of documents (the row
    models' folds, else 5 by a hash of the name) as the best Spearman on the other folds."""
    models: dict[int, int] = {}
    for m in row_folds.values():
        models.setdefault(id(m), len(models))
    fold = np.array([models[id(row_folds[d])] if d in row_folds else
                     int(hashlib.sha256(d.encode()).hexdigest(), 16) % 5 for d in docs])
    grid = np.linspace(0.0, 1.0, 11)
    out, chosen = np.zeros(len(words)), []
    for f in np.unique(fold):
        train = fold != f
        a = max(grid, key=lambda x: spearmanr((1 - x) * words[train] + x * row[train], gold[train])[0])
        out[~train] = (1 - a) * words[~train] + a * row[~train]
        chosen.append(float(a))
    return out, chosen


def lang_of(path: str, sample: str) -> str:
    m = re.search(r"_([a-z]{2})\.jsonl$", Path(path).name)
    return m.group(1) if m else detect_language(sample)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", help="JSONL files in the SwissGov-RSD format",
                    default=[f"../shared/data/swissgov-rsd-train/gold_admin_{x}.jsonl" for x in ("de", "fr")])
    ap.add_argument("--limit", type=int, default=0, help="documents per file (default 0 = all)")
    ap.add_argument("--cv-models", help="folder of fold models (training/train_meaning.py --cv-out)")
    ap.add_argument("--cv-row-models", help="folder of fold row models (training/train_row_model.py --cv-out)")
    ap.add_argument("--cache", help="folder for cached encoder output (default: system temp)")
    ap.add_argument("--json", default="reports/bench/swissgov_rsd.json", help="write the figures here")
    args = ap.parse_args()
    for f in args.files:
        if not Path(f).is_file():
            raise SystemExit(f"no such file: {f}")
    import torch

    torch.set_num_threads(1)
    enc = EncodedTexts("swissgov", args.cache)
    folds = {}
    if args.cv_models:
        for path in sorted(Path(args.cv_models).glob("fold*.json")):
            for doc in path.with_suffix(".docs").read_text(encoding="utf-8").split():
                folds[doc] = load_model(str(path))
    row_folds = {}
    if args.cv_row_models:
        for path in sorted(Path(args.cv_row_models).glob("row*.json")):
            for doc in path.with_suffix(".docs").read_text(encoding="utf-8").split():
                row_folds[doc] = load_row_model(str(path))
    per: dict[str, dict[str, list]] = {}
    stats = {"documents": 0, "tokens": 0, "sentences": 0, "seconds": 0.0}
    for path in args.files:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        docs = [(n, json.loads(ln)) for n, ln in enumerate(lines) if ln.strip()]
        docs = docs[:args.limit] if args.limit else docs
        lang = lang_of(path, docs[0][1]["text_b"] if docs else "")
        bucket = per.setdefault(lang, {"pred": [], "pred_raw": [], "gold": [], "row": [], "doc": []})
        t0 = time.perf_counter()
        for n, item in docs:
            a = document("a", item["text_a"], "en")
            b = document("b", item["text_b"], lang)
            model = folds.get(f"swissgov:{lang}:{n}")
            if args.cv_models and model is None:
                raise SystemExit(f"{args.cv_models}: no fold holds document swissgov:{lang}:{n}")
            row_model = row_folds.get(f"swissgov:{lang}:{n}")
            if args.cv_row_models and row_model is None:
                raise SystemExit(f"{args.cv_row_models}: no fold holds document swissgov:{lang}:{n}")
            scores = score_pair(a, b, enc, model or load_model(), row_model)
            for doc, labels in ((a, item["labels_a"]), (b, item["labels_b"])):
                raw = token_scores(doc.text, scores[doc.id])
                gold = np.array(labels, dtype=np.float64)
                if len(gold) != len(raw):
                    raise SystemExit(f"{path} {item.get('id')}: {len(gold)} labels for {len(raw)} tokens")
                keep = gold >= 0
                bucket["pred_raw"] += raw[keep].tolist()
                bucket["pred"] += smooth(raw, WINDOW)[keep].tolist()
                bucket["gold"] += gold[keep].tolist()
                bucket["row"] += token_scores(doc.text, scores[doc.id], column=3)[keep].tolist()
                bucket["doc"] += [f"swissgov:{lang}:{n}"] * int(keep.sum())
                stats["tokens"] += len(raw)
                stats["sentences"] += len(doc.sentences)
            stats["documents"] += 1
        stats["seconds"] += time.perf_counter() - t0
    result: dict[str, object] = {"limit_per_file": args.limit, "window": WINDOW, "by_language": {},
                                 "cross_validated": bool(args.cv_models)}
    if not args.cv_models:
        print("[shipped model: on the SwissGov-RSD data it was trained on, NOT cross-validated; pass --cv-models]")
    allp, allr, allg = [], [], []
    for lang, b in per.items():
        rho = spearmanr(b["pred"], b["gold"])[0]
        rho_raw = spearmanr(b["pred_raw"], b["gold"])[0]
        result["by_language"][lang] = {"spearman": rho, "spearman_no_window": rho_raw, "tokens": len(b["gold"])}
        print(f"en-{lang}: Spearman {rho:.3f} (no window {rho_raw:.3f}) over {len(b['gold'])} labelled tokens")
        allp += b["pred"]
        allr += b["pred_raw"]
        allg += b["gold"]
    result["overall"] = {"spearman": spearmanr(allp, allg)[0], "spearman_no_window": spearmanr(allr, allg)[0],
                         "tokens": len(allg)}
    row = np.concatenate([b["row"] for b in per.values()])
    docs = np.concatenate([b["doc"] for b in per.values()])
    allp_a, allg_a = np.array(allp), np.array(allg)
    result["overall"]["spearman_row_score"] = spearmanr(row, allg_a)[0]
    mixed, weights = mix_by_document_cv(allp_a, row, allg_a, docs, row_folds)
    result["overall"]["spearman_words_and_row"] = spearmanr(mixed, allg_a)[0]
    result["overall"]["row_weight_per_fold"] = weights
    print(f"  the row's score alone (Row.divergence): Spearman {result['overall']['spearman_row_score']:.3f}; "
          f"words and row mixed, the row's weight chosen on the other documents' folds "
          f"({', '.join(f'{w:.1f}' for w in weights)}): Spearman {result['overall']['spearman_words_and_row']:.3f}")
    secs = stats["seconds"] or 1e-9
    result["throughput"] = {**stats, "documents_per_s": stats["documents"] / secs,
                            "tokens_per_s": stats["tokens"] / secs, "sentences_per_s": stats["sentences"] / secs}
    print(f"overall: Spearman {result['overall']['spearman']:.3f} "
          f"(no window {result['overall']['spearman_no_window']:.3f}) over {len(allg)} tokens")
    print(f"throughput: {stats['documents']} document pairs, {stats['sentences']} sentences in {secs:.0f} s "
          f"({stats['sentences'] / secs:.1f} sentences/s, {stats['tokens'] / secs:.0f} tokens/s, model included)")
    write_atomic(args.json, json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
