"""The floors of the unsure words, from clean NTREX news (``python benchmarks/unsure_words.py``).

A content word is shaded as *unsure* (``Row.unsure_words``) when the meaning model's chance that
the other versions do not carry it reaches a floor. The floor is the chance that ``--share`` (2 %)
of the content words of clean professional news reach, one per number of versions in the row (two:
no vote; three: a vote of two; four or more), since chances run higher the fewer versions vote.
Every document is checked in the settings of ``ntrex_clean.py``: 4-way (en/de/fr/pt, es/it/nl/pl),
3-way in mixed scripts and 2-way pairs in five scripts; with ``--cv-models`` each by the meaning
model trained without it. Folds are
documents: each fold's floors are chosen on the other folds and the share of its own content words
that reach them is counted (the held-out figure), as are the words per 100 sentences at the floors
chosen on every document, which ``xlingo/annotate/words.py`` ships as ``UNSURE_FLOORS``.

    python benchmarks/unsure_words.py [../shared/data/ntrex-dev] --cv-models DIR [--share 0.02]
"""
from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mqm import fold_models  # noqa: E402
from ntrex import DEFAULT_CACHE, DEFAULT_DATA, aligned_context, cached_engine, load_documents  # noqa: E402

from xlingo.annotate.divergence import CONTENT_WEIGHT  # noqa: E402
from xlingo.annotate.words import UNSURE_FLOORS, find_word_events, unsure  # noqa: E402
from xlingo.config import Settings  # noqa: E402

SETTINGS = (("en", "de", "fr", "pt"), ("es", "it", "nl", "pl"), ("es", "ru", "it"), ("en", "ar", "fr"),
            ("de", "zh", "pt"), ("nl", "ja", "pl"), ("en", "de"), ("fr", "pt"), ("en", "ru"), ("en", "zh"),
            ("en", "ar"), ("en", "ja"), ("en", "pl"), ("es", "it"), ("nl", "de"))


def chances(engine, versions: dict[str, list[str]], doc: str, model) -> tuple[np.ndarray, int]:
    """The chances of every content word of the story the engine's word analysis sees, and its sentences."""
    ctx = aligned_context(engine, versions, doc, model)
    find_word_events(ctx)
    out = [unsure(row, d)[(cell.weight >= CONTENT_WEIGHT) & cell.seen]
           for row in (ctx.words.rows.values() if ctx.words else ()) for d, cell in row.cells.items()]
    return (np.concatenate(out) if out else np.zeros(0)), sum(len(d.sentences) for d in ctx.story.documents)


def floor_for(values: np.ndarray, share: float) -> float:
    """The chance that ``share`` of ``values`` reach."""
    return float(np.quantile(values, 1.0 - share)) if len(values) else 1.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT_DATA), help="ntrex-dev folder")
    ap.add_argument("--cv-models", help="fold models (training/train_meaning.py --cv-out): each document is "
                    "scored by the model trained without it")
    ap.add_argument("--share", type=float, default=0.02, help="share of clean content words at or above a floor")
    ap.add_argument("--docs", type=int, help="only the first N documents (a quick look)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--cache", default=str(DEFAULT_CACHE))
    ap.add_argument("--json", default="reports/bench/unsure_words.json")
    args = ap.parse_args(argv)
    engine = cached_engine(args.cache, Settings(select=("XL701",)))
    folds = fold_models(args.cv_models)
    found: dict[int, list[tuple[str, np.ndarray, int]]] = {n: [] for n in UNSURE_FLOORS}  # (document, chances, sentences)
    try:
        for langs in SETTINGS:
            kind = min(len(langs), max(UNSURE_FLOORS))
            for doc, versions in load_documents(args.folder, langs)[:args.docs]:
                values, sentences = chances(engine, versions, doc, folds.get(f"ntrex:{doc}"))
                found[kind].append((doc, values, sentences))
    finally:
        engine.encoder.save()
    fold = lambda doc: zlib.crc32(doc.encode()) % args.folds  # noqa: E731
    result = {"data": "ntrex-dev", "cross_validated": bool(args.cv_models), "share": args.share, "versions": {}}
    for kind, items in found.items():
        held_words = held_reached = 0
        for f in range(args.folds):
            train = np.concatenate([v for d, v, _ in items if fold(d) != f] or [np.zeros(0)])
            test = np.concatenate([v for d, v, _ in items if fold(d) == f] or [np.zeros(0)])
            held_words += len(test)
            held_reached += int((test >= floor_for(train, args.share)).sum())
        every = np.concatenate([v for _, v, _ in items])
        sentences = sum(n for *_, n in items)
        chosen, shipped = floor_for(every, args.share), UNSURE_FLOORS[kind]
        result["versions"][str(kind)] = {
            "settings": ["/".join(s) for s in SETTINGS if min(len(s), max(UNSURE_FLOORS)) == kind],
            "sentences": sentences, "content_words": len(every),
            "held_out_share": round(held_reached / max(held_words, 1), 4), "floor": round(chosen, 4),
            "shipped_floor": shipped, "shipped_share": round(float((every >= shipped).mean()), 4),
            "shipped_per_100_sentences": round(100 * float((every >= shipped).sum()) / max(sentences, 1), 2)}
        r = result["versions"][str(kind)]
        print(f"{kind} versions: {r['content_words']} content words, {sentences} sentences; held-out share at the folds' "
              f"floors {r['held_out_share']:.4f}; floor on every document {r['floor']:.4f}; shipped {shipped}: "
              f"share {r['shipped_share']:.4f}, {r['shipped_per_100_sentences']:.1f} per 100 sentences")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
