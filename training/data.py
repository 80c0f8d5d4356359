"""Word-level examples for the meaning model from the three kinds of data, with document ids.

Every example is one word of version ``d`` seen against version ``e`` of the same row:
:func:`xlingo.annotate.meaning.pair_features` and a label (1 = its meaning is missing from
``e`` / marked as an accuracy error). Examples carry their dataset and document, so folds
can be split by document.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from encoded import EncodedTexts  # noqa: E402
from mqm import accuracy_spans, read_mqm, story_of  # noqa: E402
from synthetic import Perturbation, build  # noqa: E402

from xlingo.annotate.meaning import analyse_words  # noqa: E402
from xlingo.annotate.wordalign import align_words, word_states  # noqa: E402
from xlingo.testing import story_from_rows  # noqa: E402

NTREX_LANGS = ("ar", "de", "en", "es", "fr", "it", "ja", "nl", "pl", "pt", "ru", "zh")


@dataclass
class Examples:
    """Feature rows with labels, dataset names and document ids."""

    x: list[np.ndarray] = field(default_factory=list)
    y: list[np.ndarray] = field(default_factory=list)
    doc: list[str] = field(default_factory=list)  # one per block
    kind: list[str] = field(default_factory=list)  # one per block
    meta: list[dict] = field(default_factory=list)  # one per block (where the words are)

    def add(self, x: np.ndarray, y: np.ndarray, doc: str, kind: str, meta: dict) -> None:
        keep = y >= 0
        self.x.append(x[keep])
        self.y.append(y[keep])
        self.doc.append(doc)
        self.kind.append(kind)
        self.meta.append(meta)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Features, labels, documents, data sets and example types (per word)."""
        x = np.concatenate(self.x)
        y = np.concatenate(self.y)
        doc = np.concatenate([[d] * len(b) for d, b in zip(self.doc, self.y)])
        kind = np.concatenate([[k] * len(b) for k, b in zip(self.kind, self.y)])
        sub = np.concatenate([[m.get("type", k)] * len(b) for k, m, b in zip(self.kind, self.meta, self.y)])
        return x, y, doc, kind, sub


def _overlap_labels(words, spans: list[tuple[int, int]]) -> np.ndarray:
    return np.array([float(any(w.start < e and s < w.end for s, e in spans)) for w in words])


# --- MQM ----------------------------------------------------------------------------------

def mqm_examples(paths: list[str], enc: EncodedTexts, ex: Examples) -> None:
    for (talk, system), segs in read_mqm(paths).items():
        story = story_of(segs)
        src, tgt = segs[0]["src"], segs[0]["tgt"]
        sw = analyse_words(story, enc.token_states, enc.embed)
        target = story.document(tgt)
        for k, row in sw.rows.items():
            start = target.sentences[story.alignment[k].cells[tgt][0]].start
            y = _overlap_labels(row.cells[tgt].words.words, [(s + start, e + start) for s, e in accuracy_spans(segs[k])])
            ex.add(sw.features(k, tgt, src), y, f"mqm:{talk}", "mqm", {"system": system, "seg": segs[k]["seg"]})


# --- SwissGov-RSD -------------------------------------------------------------------------

def swissgov_pairs(folder: str) -> list[tuple[str, dict]]:
    out = []
    for lang in ("de", "fr"):
        path = Path(folder) / f"gold_admin_{lang}.jsonl"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                out.append((lang, {**json.loads(line), "_n": n}))
    return out


def swissgov_story(item: dict, lang: str, enc: EncodedTexts):
    from swissgov_rsd import document

    from xlingo.align import align_pair
    from xlingo.model import Row, Story

    a = document("a", item["text_a"], "en")
    b = document("b", item["text_b"], lang)
    src, tgt = [s.text for s in a.sentences], [s.text for s in b.sentences]
    beads = align_pair(src, tgt, enc.window_embed(src, tgt))
    return Story(id="pair", documents=[a, b],
                 alignment=[Row(cells={a.id: tuple(x), b.id: tuple(y)}) for x, y in beads])


def token_labels(text: str, labels: list[float]) -> list[tuple[int, int, float]]:
    return [(m.start(), m.end(), float(v)) for m, v in zip(re.finditer(r"\S+", text), labels)]


def swissgov_examples(folder: str, enc: EncodedTexts, ex: Examples) -> None:
    for lang, item in swissgov_pairs(folder):
        story = swissgov_story(item, lang, enc)
        sw = analyse_words(story, enc.token_states, enc.embed)
        gold = {"a": token_labels(item["text_a"], item["labels_a"]), "b": token_labels(item["text_b"], item["labels_b"])}
        for k, row in sw.rows.items():
            for d, e in (("a", "b"), ("b", "a")):
                y = []
                for w in row.cells[d].words.words:
                    vals = [v for s, t, v in gold[d] if s < w.end and w.start < t]
                    y.append(-1.0 if not vals or min(vals) < 0 else float(max(vals) > 0))
                ex.add(sw.features(k, d, e), np.array(y), f"swissgov:{lang}:{item['_n']}", "swissgov",
                       {"row": k, "side": d})


# --- synthetic divergences over NTREX -----------------------------------------------------

def ntrex_lines(folder: str) -> tuple[dict[str, list[str]], list[str]]:
    docs = (Path(folder) / "docs.tsv").read_text(encoding="utf-8").split("\n")
    docs = [d.strip() for d in docs if d.strip()]
    lines = {lang: (Path(folder) / f"ntrex.{lang}").read_text(encoding="utf-8").split("\n")[:len(docs)]
             for lang in NTREX_LANGS}
    return lines, docs


def ntrex_suite(folder: str, seed: int = 13) -> tuple[dict[str, list[str]], list[str], list[Perturbation]]:
    lines, docs = ntrex_lines(folder)
    return lines, docs, build(lines, docs, per_row=2, seed=seed)


def synthetic_examples(folder: str, enc: EncodedTexts, ex: Examples, seed: int = 13) -> None:
    lines, docs, suite = ntrex_suite(folder, seed)
    rows_of: dict[str, list[int]] = {}
    for k, d in enumerate(docs):
        rows_of.setdefault(d, []).append(k)
    for p in suite:
        rng = np.random.default_rng([seed, p.row, 7])
        others = [x for x in NTREX_LANGS if x != p.lang]
        m = int(rng.integers(1, 4))
        chosen = [p.lang] + [others[int(i)] for i in rng.permutation(len(others))[:m]]
        ks = rows_of[docs[p.row]]
        rows = [{lang: (p.text if (lang == p.lang and k == p.row) else lines[lang][k]) for lang in chosen} for k in ks]
        story = story_from_rows(rows)
        k = ks.index(p.row)
        near = sorted(range(len(ks)), key=lambda j: abs(j - k))[:7]  # enough rows for the story's usual values
        sw = analyse_words(story, enc.token_states, enc.embed, rows=sorted(near))
        row = sw.rows.get(k)
        if row is None:
            continue
        dk = story.document(p.lang)
        base = dk.sentences[story.alignment[k].cells[p.lang][0]].start
        clean = word_states(p.clean, enc.token_states([p.clean])[0])
        removed = [i for i, w in enumerate(clean.words) if w.start < p.removed[1] and p.removed[0] < w.end]
        for d in chosen:
            for e in chosen:
                if d == e:
                    continue
                words = row.cells[d].words.words
                if d == p.lang:
                    y = _overlap_labels(words, [(base + p.new[0], base + p.new[1])] if p.new[1] > p.new[0] else [])
                elif e == p.lang and removed:
                    mine = row.cells[d].words
                    links = align_words(clean, mine).links
                    y = links[removed].any(axis=0).astype(float)
                else:
                    y = np.zeros(len(words))
                role = "changed" if d == p.lang else "against-changed" if e == p.lang else "untouched"
                ex.add(sw.features(k, d, e), y, f"ntrex:{docs[p.row]}", "synthetic",
                       {"row": p.row, "type": f"{p.kind}:{role}", "d": d, "e": e})
