"""Sentence alignment on realistic problems with exact gold, made from NTREX's multi-way news.

Usage::

    python benchmarks/align_synthetic.py [../shared/data/ntrex-dev] [--encoders use-v3,e5-small] \\
        [--sentences-only e5-small] [--cache DIR] [--json reports/bench/align_synthetic.json]
    python benchmarks/align_synthetic.py --cv --textberg ../shared/data/textberg-dev ...

NTREX's files are line-aligned: line k is the same sentence in every language. Each of its
documents becomes a story in four languages (chosen so that every pair of the twelve
languages occurs), and each version gets its own edits on lines no other version touches:
two adjacent sentences merged into one (2-1 against every other version), one sentence split
at a clause boundary (a comma or semicolon near its middle: 1-2), a sentence dropped (1-0),
a sentence of another document of the same language inserted (0-1). Because no line is
edited in two versions, the gold of every pair is exact: two sentences are in one bead when
they share a line. Scores follow Vecalign's ``score.py`` (see ``align_textberg.py``), per bead
type and per language pair; "false no counterpart" counts sentences left unaligned that the
gold aligns, per 100 sentences.

Vectors are cached on disk (``--cache``, default a folder in the system temp directory), so
re-runs and the cross-validation (``--cv``) run on cached vectors. ``--cv`` chooses the
aligner's scoring parameters by leave-one-document-out cross-validation over Text+Berg dev cut
into chunks of about 40 gold beads plus the NTREX stories: each document is scored with the
parameters that did best on all the others, and the pooled held-out figures are reported.
The encoders default to the engine's alignment encoders (``xlingo.config.DEFAULT_ALIGN_ENCODERS``).
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from align_textberg import TimedEncoder, VectorStore, default_encoders, read_gold, read_lines  # noqa: E402

from xlingo.align import AlignParams, Bead, align_versions  # noqa: E402
from xlingo.embed import load_encoder  # noqa: E402
from xlingo.embed.base import Embedder, Encoder  # noqa: E402
from xlingo.output import write_atomic  # noqa: E402

LANGS = ("en", "de", "fr", "pt", "es", "it", "nl", "pl", "ru", "zh", "ja", "ar")
BEAD_TYPES = ("1-1", "2-1", "1-2", "0-1", "1-0", "other")
_CLAUSE = re.compile(r"[,;，、；،]\s*")
_STOP = {"zh": "。", "ja": "。"}


# --- the problems ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """A sentence of an edited version and the NTREX lines it holds (none: inserted)."""

    text: str
    lines: tuple[int, ...]


@dataclass
class Problem:
    """Versions of one story and the exact gold beads of every pair (keys are version indices)."""

    name: str
    langs: list[str]
    versions: list[list[str]]
    gold: dict[tuple[int, int], list[Bead]]


def read_ntrex(path: Path) -> tuple[dict[str, list[str]], list[list[int]]]:
    """Lines of every language, and the line numbers of each document."""
    lines = {lang: read_lines(path / f"ntrex.{lang}") for lang in LANGS}
    ids = read_lines(path / "docs.tsv")
    docs: list[list[int]] = []
    for k, doc_id in enumerate(ids):
        if k == 0 or doc_id != ids[k - 1]:
            docs.append([])
        docs[-1].append(k)
    return lines, docs


def split_sentence(text: str, lang: str) -> tuple[str, str] | None:
    """Two sentences cut at the clause boundary nearest the middle (each ≥ a quarter), or None."""
    cuts = [m for m in _CLAUSE.finditer(text) if len(text) / 4 <= m.start() <= 3 * len(text) / 4]
    if not cuts:
        return None
    m = min(cuts, key=lambda c: abs(c.start() - len(text) / 2))
    head, tail = text[:m.start()].rstrip(), text[m.end():].strip()
    if not head or not tail:
        return None
    if tail[0].isalpha() and tail[0].lower() != tail[0].upper():
        tail = tail[0].upper() + tail[1:]
    return head + _STOP.get(lang, "."), tail


def _join(a: str, b: str, lang: str) -> str:
    return a + b if lang in _STOP else f"{a} {b}"


def _pick_languages(count: int, stories: int, rng: random.Random) -> list[list[str]]:
    """Language sets, greedily covering the least covered pairs first."""
    seen = {p: 0 for p in itertools.combinations(LANGS, 2)}
    out = []
    for _ in range(stories):
        cands = [sorted(rng.sample(LANGS, count), key=LANGS.index) for _ in range(60)]
        best = min(cands, key=lambda c: sum(seen[p] for p in itertools.combinations(c, 2)))
        for p in itertools.combinations(best, 2):
            seen[p] += 1
        rng.shuffle(best)  # the order decides which side is source: merges become 2-1 and 1-2
        out.append(best)
    return out


def make_stories(lines: dict[str, list[str]], docs: list[list[int]], seed: int = 13,
                 languages: int = 4, edits: int = 2) -> list[Problem]:
    """One story per document: ``languages`` versions, ``edits`` edits each, on disjoint lines."""
    rng = random.Random(seed)
    problems = []
    for doc_lines, langs in zip(docs, _pick_languages(languages, len(docs), rng)):
        used: set[int] = set()
        versions: dict[str, list[Unit]] = {lang: [Unit(lines[lang][k], (k,)) for k in doc_lines] for lang in langs}
        inserted: set[tuple[str, int]] = set()
        for lang in langs:
            done = tries = 0
            while done < edits and tries < 40:
                tries += 1
                kind = rng.choice(("merge", "split", "drop", "insert"))
                units = versions[lang]
                pos = rng.randrange(len(units))
                unit = units[pos]
                if kind == "insert":
                    around = {line for u in units[max(pos - 1, 0):pos + 1] for line in u.lines}
                    if (lang, pos) in inserted or around & used:
                        continue  # never between lines another edit joins or splits
                    used.update(around)
                    other = rng.choice([d for d in docs if d is not doc_lines])
                    units.insert(pos, Unit(lines[lang][rng.choice(other)], ()))
                    inserted.add((lang, pos))
                elif kind == "merge":
                    if pos + 1 >= len(units):
                        continue
                    nxt = units[pos + 1]
                    if (len(unit.lines) != 1 or len(nxt.lines) != 1 or nxt.lines[0] != unit.lines[0] + 1
                            or used & {*unit.lines, *nxt.lines}):
                        continue  # two consecutive lines, neither edited elsewhere
                    used.update((*unit.lines, *nxt.lines))
                    units[pos:pos + 2] = [Unit(_join(unit.text, nxt.text, lang), unit.lines + nxt.lines)]
                elif kind == "split":
                    halves = split_sentence(unit.text, lang)
                    if len(unit.lines) != 1 or used & set(unit.lines) or halves is None:
                        continue
                    used.update(unit.lines)
                    units[pos:pos + 1] = [Unit(h, unit.lines) for h in halves]
                else:
                    if len(unit.lines) != 1 or used & set(unit.lines):
                        continue
                    used.update(unit.lines)
                    del units[pos]
                done += 1
        problem = Problem(name=f"ntrex:{doc_lines[0]:04d}", langs=list(langs),
                          versions=[[u.text for u in versions[lang]] for lang in langs], gold={})
        for p, q in itertools.combinations(range(len(langs)), 2):
            gold = pair_gold(versions[langs[p]], versions[langs[q]])
            if ([i for a, _ in gold for i in a] != list(range(len(versions[langs[p]])))
                    or [j for _, b in gold for j in b] != list(range(len(versions[langs[q]])))):
                raise AssertionError(f"gold of {problem.name} {langs[p]}-{langs[q]} is not monotone")
            problem.gold[(p, q)] = gold
        problems.append(problem)
    return problems


def pair_gold(xs: Sequence[Unit], ys: Sequence[Unit]) -> list[Bead]:
    """Beads joining the sentences of two versions that share a line (exact, as no line is
    edited in both); a sentence sharing none is a 1-0 or 0-1. In reading order."""
    where: dict[int, list[int]] = {}
    for j, u in enumerate(ys):
        for line in u.lines:
            where.setdefault(line, []).append(j)
    beads: list[Bead] = []
    used_y: set[int] = set()
    i = 0
    while i < len(xs):
        ys_hit = sorted({j for line in xs[i].lines for j in where.get(line, ())})
        if not ys_hit:
            beads.append(((i,), ()))
            i += 1
            continue
        src = [i]  # grow the bead while a target sentence holds a line of the next source one
        tgt_lines = {line for j in ys_hit for line in ys[j].lines}
        while i + 1 < len(xs) and set(xs[i + 1].lines) & tgt_lines:
            i += 1
            src.append(i)
        beads.append((tuple(src), tuple(ys_hit)))
        used_y.update(ys_hit)
        i += 1
    beads += [((), (j,)) for j in range(len(ys)) if j not in used_y]
    px, py = _positions(xs), _positions(ys)
    return sorted(beads, key=lambda b: min([px[i] for i in b[0]] + [py[j] for j in b[1]]))


def _positions(units: Sequence[Unit]) -> list[float]:
    """A reading position per sentence: its first line; an inserted one, just after the one before."""
    out, last = [], -1.0
    for u in units:
        last = float(min(u.lines)) if u.lines else last + 0.01
        out.append(last)
    return out


def textberg_chunks(path: Path, size: int = 40) -> list[Problem]:
    """Text+Berg dev cut at gold bead boundaries into chunks of ``size`` beads, renumbered (a
    line the gold leaves out stays in its chunk's text, as in the whole document)."""
    src, tgt = read_lines(path / "dev.de"), read_lines(path / "dev.fr")
    gold = read_gold(path / "dev.defr")
    out = []
    s0 = t0 = 0
    for k in range(0, len(gold), size):
        part = gold[k:k + size]
        last = k + size >= len(gold)
        s1 = len(src) if last else max([s0 - 1] + [i for a, _ in part for i in a]) + 1
        t1 = len(tgt) if last else max([t0 - 1] + [j for _, b in part for j in b]) + 1
        beads = [(tuple(i - s0 for i in a), tuple(j - t0 for j in b)) for a, b in part]
        out.append(Problem(name=f"textberg:{k // size:02d}", langs=["de", "fr"],
                           versions=[src[s0:s1], tgt[t0:t1]], gold={(0, 1): beads}))
        s0, t0 = s1, t1
    return out


# --- vectors ---------------------------------------------------------------------------------

def load_encoders(names: Sequence[str]) -> list[Encoder]:
    """The encoders as the engine loads them (USE v3 with its default two threads)."""
    return [load_encoder(n) for n in names]


# --- scoring ---------------------------------------------------------------------------------

def bead_type(bead: Bead) -> str:
    t = f"{len(bead[0])}-{len(bead[1])}"
    return t if t in BEAD_TYPES else "other"


def count(test: Sequence[Bead], gold: Sequence[Bead]) -> dict:
    """Hit counts for Vecalign's strict/lax P/R overall and per bead type, and unaligned errors.

    Per type: precision over proposed beads of the type, recall over gold beads of the type
    (1-0 / 0-1 beads included, matched exactly, as they have nothing to overlap on one side).
    """
    test_set, gold_set = set(test), set(gold)
    by_src: dict[int, list[Bead]] = {}
    for g in gold:
        for i in g[0]:
            by_src.setdefault(i, []).append(g)

    def lax_t(t: Bead) -> bool:
        return t in gold_set or (bool(t[0]) and bool(t[1]) and any(
            set(t[1]) & set(g[1]) for i in t[0] for g in by_src.get(i, ())))

    test_nz = [t for t in test if t[0] and t[1]]

    def lax_g(g: Bead) -> bool:
        return g in test_set or (bool(g[0]) and bool(g[1]) and any(
            set(g[0]) & set(t[0]) and set(g[1]) & set(t[1]) for t in test_nz))

    c: dict = {"test": len(test), "gold_nz": sum(1 for g in gold if g[0] and g[1]),
               "strict_p": sum(t in gold_set for t in test), "lax_p": sum(map(lax_t, test)),
               "strict_r": sum(g in test_set for g in gold if g[0] and g[1]),
               "lax_r": sum(lax_g(g) for g in gold if g[0] and g[1])}
    for kind in BEAD_TYPES:
        ts = [t for t in test if bead_type(t) == kind]
        gs = [g for g in gold if bead_type(g) == kind]
        c[kind] = {"test": len(ts), "gold": len(gs), "strict_p": sum(t in gold_set for t in ts),
                   "lax_p": sum(map(lax_t, ts)), "strict_r": sum(g in test_set for g in gs),
                   "lax_r": sum(map(lax_g, gs))}
    pred = {(s, i) for a, b in test for s, ids, other in ((0, a, b), (1, b, a)) if not other for i in ids}
    true = {(s, i) for a, b in gold for s, ids, other in ((0, a, b), (1, b, a)) if not other for i in ids}
    c["sentences"] = sum(len(a) + len(b) for a, b in gold)
    c["false_unaligned"] = len(pred - true)
    c["missed_unaligned"] = len(true - pred)
    c["gold_unaligned"] = len(true)
    return c


def add(total: dict, c: dict) -> dict:
    for k, v in c.items():
        total[k] = add(total.get(k, {}), v) if isinstance(v, dict) else total.get(k, 0) + v
    return total


def prf(c: dict, test_key: str = "test", gold_key: str = "gold_nz") -> dict:
    out = {}
    for mode in ("strict", "lax"):
        p = c[f"{mode}_p"] / c[test_key] if c[test_key] else 0.0
        r = c[f"{mode}_r"] / c[gold_key] if c[gold_key] else 0.0
        out[mode] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}
    return out


def summary(c: dict) -> dict:
    out = prf(c)
    out["by_type"] = {k: {**prf(c[k], "test", "gold"), "test": c[k]["test"], "gold": c[k]["gold"]}
                      for k in BEAD_TYPES if c[k]["test"] or c[k]["gold"]}
    out["sentences"] = c["sentences"]
    out["false_no_counterpart_per_100"] = round(100.0 * c["false_unaligned"] / max(c["sentences"], 1), 3)
    out["missed_no_counterpart"] = c["missed_unaligned"]
    out["gold_no_counterpart"] = c["gold_unaligned"]
    return out


# --- running the aligner ---------------------------------------------------------------------

def solve(problem: Problem, embeds: Sequence[Embedder], params: AlignParams,
          sentences_only: Sequence[bool]) -> dict[tuple[int, int], list[Bead]]:
    """Beads of every gold pair of ``problem`` (several versions: with the N-way agreement pass);
    of the encoders flagged in ``sentences_only``, only sentences are embedded."""
    return align_versions(problem.versions, [e for e, o in zip(embeds, sentences_only) if not o], params,
                          sentence_embed=[e for e, o in zip(embeds, sentences_only) if o])


def evaluate(problems: Sequence[Problem], encoders: Sequence[Encoder], stores: Sequence[VectorStore],
             params: AlignParams, sentences_only: Sequence[bool]) -> tuple[dict[str, dict], dict]:
    """Counts per problem (pairs pooled) and run totals (strings asked for per encoder, seconds)."""
    per_problem: dict[str, dict] = {}
    timed = [TimedEncoder(e) for e in encoders]
    stats: dict = {"sentences": 0, "seconds_total": 0.0, "pairs": {},
                   "encoders": {t.name: {"strings_requested": 0, "strings_encoded": 0} for t in timed}}
    for problem in problems:
        embeds = [Embedder(t, store=s) for t, s in zip(timed, stores)]
        t0 = time.perf_counter()
        result = solve(problem, embeds, params, sentences_only)
        stats["seconds_total"] += time.perf_counter() - t0
        stats["sentences"] += sum(len(v) for v in problem.versions)
        for t, e in zip(timed, embeds):
            stats["encoders"][t.name]["strings_requested"] += e.strings_requested
            stats["encoders"][t.name]["strings_encoded"] += e.strings_embedded
        total: dict = {}
        for (p, q), gold in problem.gold.items():
            c = count(result[(p, q)], gold)
            add(total, c)
            key = "-".join(sorted((problem.langs[p], problem.langs[q])))
            key = f"{key} (Text+Berg)" if problem.name.startswith("textberg:") else key
            add(stats["pairs"].setdefault(key, {}), c)
        per_problem[problem.name] = total
    for t in timed:
        enc = stats["encoders"][t.name]
        enc["strings_per_sentence"] = round(enc["strings_requested"] / max(stats["sentences"], 1), 3)
        enc["seconds_uncached"] = round(t.seconds, 2)
    stats["seconds_encoder_uncached"] = sum(t.seconds for t in timed)
    for s in stores:
        s.save()
    return per_problem, stats


# --- cross-validation ------------------------------------------------------------------------

GRID = {
    "skip": (-0.3, -0.5, -0.7),
    "length_weight": (0.2, 0.3, 0.4),
    "member_floor": (0.25, 0.5, 0.75),
    "number_weight": (0.0, 0.25, 0.5, 1.0),
    "content_letters": (0, 8),
}


def grid(base: AlignParams, space: dict[str, Sequence[float]]) -> list[AlignParams]:
    names = list(space)
    return [replace(base, **{n: type(getattr(base, n))(v) for n, v in zip(names, vals)})
            for vals in itertools.product(*(space[n] for n in names))]


def objective(per_problem: dict[str, dict], names: Iterable[str]) -> float:
    """Mean over the two sources (Text+Berg chunks, NTREX stories), each pooled, of strict F1
    less 0.01 per false "no counterpart" per 100 sentences."""
    names = list(names)
    scores = []
    for prefix in ("textberg:", "ntrex:"):
        total: dict = {}
        for n in names:
            if n.startswith(prefix):
                add(total, per_problem[n])
        if total:
            scores.append(prf(total)["strict"]["f1"] - 0.01 * 100 * total["false_unaligned"] / total["sentences"])
    return float(np.mean(scores))


def cross_validate(results: list[tuple[AlignParams, dict[str, dict]]]) -> dict:
    """Leave-one-document-out: each document (a Text+Berg chunk, an NTREX story) is scored with
    the parameters best on all the others; the held-out counts are pooled per source."""
    names = sorted(results[0][1])
    totals = [{pre: {} for pre in ("textberg:", "ntrex:")} for _ in results]
    for k, (_, per) in enumerate(results):  # pooled counts per source, to leave one out by subtraction
        for n in names:
            add(totals[k]["textberg:" if n.startswith("textberg:") else "ntrex:"], per[n])
    held: dict[str, dict] = {"textberg:": {}, "ntrex:": {}}
    chosen: dict[str, int] = {}  # documents held out per configuration chosen
    varying = [k for k in dict(results[0][0].thresholds())
               if len({dict(p.thresholds())[k] for p, _ in results}) > 1]
    for n in names:
        src = "textberg:" if n.startswith("textberg:") else "ntrex:"

        def score(k: int) -> float:
            out = []
            for pre, total in totals[k].items():
                t = _minus(total, results[k][1][n]) if pre == src else total
                if t and t.get("sentences"):
                    out.append(prf(t)["strict"]["f1"] - t["false_unaligned"] / t["sentences"])
            return float(np.mean(out))

        best = max(range(len(results)), key=lambda k: (score(k), -k))
        key = _label(results[best][0], varying)
        chosen[key] = chosen.get(key, 0) + 1
        add(held[src], results[best][1][n])
    best_all = max(range(len(results)), key=lambda k: (objective(results[k][1], names), -k))
    return {**{f"{k.rstrip(':')}_cv": summary(v) for k, v in held.items() if v},
            "documents": len(names), "configurations": len(results),
            "chosen_held_out": dict(sorted(chosen.items(), key=lambda kv: -kv[1])),
            "chosen_on_all": dict(results[best_all][0].thresholds())}


def _label(params: AlignParams, names: Sequence[str]) -> str:
    values = dict(params.thresholds())
    return ", ".join(f"{k.removeprefix('align.')}={values[k]:g}" for k in names) or "defaults"


def _minus(total: dict, part: dict) -> dict:
    return {k: _minus(v, part.get(k, {})) if isinstance(v, dict) else v - part.get(k, 0) for k, v in total.items()}


# --- the run ---------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("path", type=Path, nargs="?", default=Path("../shared/data/ntrex-dev"))
    ap.add_argument("--encoders", default=",".join(default_encoders()),
                    help="encoders whose scores the aligner averages (default: the engine's)")
    ap.add_argument("--sentences-only", default="", help="of --encoders, those of which only sentences are embedded")
    ap.add_argument("--textberg", type=Path, default=None, help="also Text+Berg dev chunks (needed by --cv)")
    ap.add_argument("--cv", action="store_true", help="choose parameters by leave-one-document-out cross-validation")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "xlingo-align-bench")
    ap.add_argument("--languages", type=int, default=4, help="versions per story")
    ap.add_argument("--stories", type=int, default=None, help="only the first N stories (quick runs)")
    ap.add_argument("--grid", action="append", default=[], metavar="NAME=V1,V2,...",
                    help="the values --cv tries for a parameter (replaces the built-in grid)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="override a parameter")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    base = AlignParams().with_options((k, float(v)) for k, v in (item.split("=") for item in args.set))
    args.cache.mkdir(parents=True, exist_ok=True)
    lines, docs = read_ntrex(args.path)
    problems = make_stories(lines, docs, languages=args.languages)[:args.stories]
    if args.textberg:
        problems += textberg_chunks(args.textberg)
    names = args.encoders.split(",")
    only = [n in args.sentences_only.split(",") for n in names]
    encoders = load_encoders(names)
    stores = [VectorStore(args.cache, e.name) for e in encoders]
    label = "+".join(n + (".sentences" if o else "") for n, o in zip(names, only))
    if args.cv:
        space = grid(base, {k: tuple(map(float, v.split(","))) for k, v in (g.split("=") for g in args.grid)}
                     if args.grid else GRID)
        results = []
        for k, params in enumerate(space):
            per_problem, _ = evaluate(problems, encoders, stores, params, only)
            results.append((params, per_problem))
            print(f"[{k + 1}/{len(space)}] {dict(params.thresholds())}: "
                  f"objective {objective(per_problem, per_problem):.4f}", flush=True)
        out = {"encoders": label, "method": "leave-one-document-out over Text+Berg dev chunks and NTREX stories",
               **cross_validate(results)}
        for key in ("textberg_cv", "ntrex_cv"):
            if key not in out:
                continue
            s = out[key]
            print(f"{key}: strict F1 {s['strict']['f1']:.4f} lax F1 {s['lax']['f1']:.4f} "
                  f"false no-counterpart {s['false_no_counterpart_per_100']:.2f}/100")
            for kind, v in s["by_type"].items():
                print(f"  {kind:>5}: strict P/R {v['strict']['precision']:.3f}/{v['strict']['recall']:.3f} "
                      f"(gold {v['gold']}, proposed {v['test']})")
        print("chosen on all:", out["chosen_on_all"])
        path = args.json or Path(f"reports/bench/align_cv_{label}.json")
    else:
        params = base
        per_problem, stats = evaluate(problems, encoders, stores, params, only)
        out = {"data": "NTREX dev, synthetic edits" + (" + Text+Berg dev chunks" if args.textberg else ""),
               "encoders": label, "params": dict(params.thresholds())}
        for prefix in ("ntrex:", "textberg:"):
            total: dict = {}
            for n, c in per_problem.items():
                if n.startswith(prefix):
                    add(total, c)
            if total:
                out[prefix.rstrip(":")] = summary(total)
        out["by_language_pair"] = {k: {"strict_f1": summary(v)["strict"]["f1"], "lax_f1": summary(v)["lax"]["f1"],
                                       "false_no_counterpart_per_100": summary(v)["false_no_counterpart_per_100"]}
                                   for k, v in sorted(stats["pairs"].items())}
        out["sentences"] = stats["sentences"]
        out["encoder_use"] = stats["encoders"]
        out["seconds_align"] = round(stats["seconds_total"] - stats["seconds_encoder_uncached"], 2)
        out["seconds_embed_uncached"] = round(stats["seconds_encoder_uncached"], 2)
        for key in ("ntrex", "textberg"):
            if key not in out:
                continue
            s = out[key]
            print(f"{label}, {key}: strict P/R/F1 {s['strict']['precision']:.3f}/{s['strict']['recall']:.3f}/"
                  f"{s['strict']['f1']:.3f} lax F1 {s['lax']['f1']:.3f} false no-counterpart "
                  f"{s['false_no_counterpart_per_100']:.2f}/100")
            for kind, v in s["by_type"].items():
                print(f"  {kind:>5}: strict P/R {v['strict']['precision']:.3f}/{v['strict']['recall']:.3f} "
                      f"lax P/R {v['lax']['precision']:.3f}/{v['lax']['recall']:.3f} "
                      f"(gold {v['gold']}, proposed {v['test']})")
        worst = sorted(out["by_language_pair"].items(), key=lambda kv: kv[1]["strict_f1"])[:5]
        print("  weakest pairs:", ", ".join(f"{k} {v['strict_f1']:.3f}" for k, v in worst))
        for name, e in stats["encoders"].items():
            print(f"  {name}: {e['strings_per_sentence']} strings per sentence, {e['strings_encoded']} encoded "
                  f"(not cached) in {e['seconds_uncached']:.1f}s")
        print(f"  time: embed {out['seconds_embed_uncached']:.1f}s (uncached strings only), align {out['seconds_align']:.1f}s")
        path = args.json or Path("reports/bench/align_synthetic.json")
    write_atomic(path, json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
