"""The floors of the unsure words, from clean NTREX news (``python benchmarks/unsure_words.py``).

A content word is shaded as *unsure* (``Row.unsure_words``) when the meaning model's chance that
the other versions do not carry it reaches a floor, or, in a row of three or more versions, its
chance that one version alone lacks it while the others carry it (a word left out there,
:func:`~xlingo.annotate.words.lone_gaps`) reaches another. Each floor is the chance that
``--share`` (2 %) of the content words of clean professional news reach, one per number of
versions in the row (two: no vote; three: a vote of two; four or more), since chances run higher
the fewer versions vote.
Every document is checked in the settings of ``ntrex_clean.py``: 4-way (en/de/fr/pt, es/it/nl/pl),
3-way in mixed scripts and 2-way pairs in five scripts; with ``--cv-models`` each by the meaning
model trained without it. Folds are
documents: each fold's floors are chosen on the other folds and the share of its own content words
that reach them is counted (the held-out figure), as are the words per 100 sentences at the floors
chosen on every document, which ``xlingo/annotate/words.py`` ships as ``UNSURE_FLOORS`` and
``GAP_FLOORS``.

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
from xlingo.annotate.words import GAP_FLOORS, UNSURE_FLOORS, find_word_events, lone_gaps, unsure  # noqa: E402
from xlingo.config import Settings  # noqa: E402

SETTINGS = (("en", "de", "fr", "pt"), ("es", "it", "nl", "pl"), ("es", "ru", "it"), ("en", "ar", "fr"),
            ("de", "zh", "pt"), ("nl", "ja", "pl"), ("en", "de"), ("fr", "pt"), ("en", "ru"), ("en", "zh"),
            ("en", "ar"), ("en", "ja"), ("en", "pl"), ("es", "it"), ("nl", "de"))


def chances(engine, versions: dict[str, list[str]], doc: str, model) -> tuple[np.ndarray, np.ndarray, int]:
    """The chances of every content word of the story the engine's word analysis sees (that the
    other versions do not carry it; that one alone lacks it, in rows of three or more versions),
    and its sentences."""
    ctx = aligned_context(engine, versions, doc, model)
    find_word_events(ctx)
    rows = list(ctx.words.rows.values()) if ctx.words else []
    content = [(row, d, (cell.weight >= CONTENT_WEIGHT) & cell.seen) for row in rows for d, cell in row.cells.items()]
    alone = [unsure(row, d)[keep] for row, d, keep in content]
    gaps = [lone_gaps(row, d)[0][keep] for row, d, keep in content if len(row.cells) >= 3]
    return (np.concatenate(alone) if alone else np.zeros(0), np.concatenate(gaps) if gaps else np.zeros(0),
            sum(len(d.sentences) for d in ctx.story.documents))


def floor_for(values: np.ndarray, share: float) -> float:
    """The chance that ``share`` of ``values`` reach."""
    return float(np.quantile(values, 1.0 - share)) if len(values) else 1.0


def summarise(found: dict[int, list[tuple[str, np.ndarray, int]]], shipped_floors: dict[int, float], share: float,
              folds: int, label: str) -> dict[str, dict]:
    """Per number of versions: the held-out share at the floors each fold's other folds choose,
    the floor on every document, and what the shipped floor marks."""
    fold = lambda doc: zlib.crc32(doc.encode()) % folds  # noqa: E731
    out = {}
    for kind, items in found.items():
        held_words = held_reached = 0
        for f in range(folds):
            train = np.concatenate([v for d, v, _ in items if fold(d) != f] or [np.zeros(0)])
            test = np.concatenate([v for d, v, _ in items if fold(d) == f] or [np.zeros(0)])
            held_words += len(test)
            held_reached += int((test >= floor_for(train, share)).sum())
        every = np.concatenate([v for _, v, _ in items])
        sentences = sum(n for *_, n in items)
        chosen, shipped = floor_for(every, share), shipped_floors[kind]
        r = out[str(kind)] = {
            "settings": ["/".join(s) for s in SETTINGS if len(s) >= min(shipped_floors)
                         and min(len(s), max(shipped_floors)) == kind],
            "sentences": sentences, "content_words": len(every),
            "held_out_share": round(held_reached / max(held_words, 1), 4), "floor": round(chosen, 4),
            "shipped_floor": shipped, "shipped_share": round(float((every >= shipped).mean()), 4),
            "shipped_per_100_sentences": round(100 * float((every >= shipped).sum()) / max(sentences, 1), 2)}
        print(f"{label}, {kind} versions: {r['content_words']} content words, {sentences} sentences; held-out share "
              f"at the folds' floors {r['held_out_share']:.4f}; floor on every document {r['floor']:.4f}; shipped "
              f"{shipped}: share {r['shipped_share']:.4f}, {r['shipped_per_100_sentences']:.1f} per 100 sentences")
    return out


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
    # per kind of floor and number of versions: (document, chances, sentences)
    found: dict[str, dict[int, list[tuple[str, np.ndarray, int]]]] = {
        "unsure": {n: [] for n in UNSURE_FLOORS}, "gap": {n: [] for n in GAP_FLOORS}}
    try:
        for langs in SETTINGS:
            for doc, versions in load_documents(args.folder, langs)[:args.docs]:
                alone, gaps, sentences = chances(engine, versions, doc, folds.get(f"ntrex:{doc}"))
                found["unsure"][min(len(langs), max(UNSURE_FLOORS))].append((doc, alone, sentences))
                if len(langs) >= 3:
                    found["gap"][min(len(langs), max(GAP_FLOORS))].append((doc, gaps, sentences))
    finally:
        engine.encoder.save()
    result = {"data": "ntrex-dev", "cross_validated": bool(args.cv_models), "share": args.share,
              "versions": summarise(found["unsure"], UNSURE_FLOORS, args.share, args.folds, "unsure"),
              "gaps": summarise(found["gap"], GAP_FLOORS, args.share, args.folds, "one version lacks")}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
