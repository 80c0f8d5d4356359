"""Throughput of ``xlingo check`` against the encoder's own limit, measured in one run.

Feeds of N stories (default 100, 300, 1000) are cut from NTREX-128 dev (DE/PT/FR; windows of 4-6
consecutive sentences of one document, each a story given by its ``story`` field). Each size runs
in a fresh process, after the model is loaded:

* **encoder pass**: one batched pass over the feed's distinct sentences (what the physics requires);
* **cold**: :func:`xlingo.feed_check.check_feed` with an empty cache;
* **warm**: the same feed again, cache filled (a new engine: nothing in memory); unchanged
  stories are taken from the cache;
* **warm re-check**: the same, every story checked again from the cached vectors and token states
  (what a run costs when only the code or the settings changed);
* **warm process**: the warm run as a user re-runs it, in a fresh process (imports not counted):
  whether it loads any model weights.

It prints and writes per size: sentences (and distinct ones), strings encoded, forward calls,
mean batch, which component asked for what, cold throughput as a fraction of the encoder pass
(target >= 0.8), warm time as a fraction of cold (target <= 0.1, zero forward passes), peak RSS
after the model, by the end of the cold run (before the report is rendered) and at the end, and
the vectors kept per encoder (the memory summary compares the sizes);
the same for the ``use-v3`` tier; a one-story ``diff`` split into start-up, encoder and rest; and
with ``--ray`` a feed (``--ray-size``) on a local Ray cluster with 1 and 2 workers (speed-up, JSON
identical to the local run). ``--policy`` measures the encoder's thread and batch policy (strings per
second of sentences, windows and names for 1 and all threads and several padded-token budgets, and
whether the thread count changes the vectors); ``--grouping N,...`` times the grouping of synthetic
feeds of N sentences, exact and blocked, and how many documents the two place alike. ``--ab REPS
--widths A,B`` alternates, in one process, cold runs of the first size in waves of A and of B
stories, each after its own encoder pass and beside a probe of what a second thread gains on the
machine at that moment.

    python benchmarks/throughput.py --sizes 100,300 --policy --grouping 3000,10000,30000,100000
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "ntrex-dev"
LANGS = ("de", "pt", "fr")


def read_ntrex(folder: Path) -> tuple[list[str], dict[str, list[str]]]:
    """Document id per line and the lines of each language."""
    docs = (folder / "docs.tsv").read_text(encoding="utf-8").splitlines()
    lines = {lang: (folder / f"ntrex.{lang}").read_text(encoding="utf-8").splitlines() for lang in LANGS}
    return [d.split("\t")[0] for d in docs], lines


def cut_stories(folder: Path, n: int) -> list[dict]:
    """``n`` stories, each a window of consecutive sentences of one document in every language:
    first disjoint windows of 6, then windows shifted and shortened (so larger feeds repeat
    sentences, as real feeds repeat boilerplate and updated stories)."""
    doc_ids, lines = read_ntrex(folder)
    spans: dict[str, list[int]] = {}
    for i, d in enumerate(doc_ids):
        spans.setdefault(d, []).append(i)
    out: list[dict] = []
    seen: set[tuple[int, int]] = set()
    for length, shift in ((6, 0), (6, 3), (5, 1), (4, 2), (5, 4), (4, 0), (6, 5), (5, 2), (4, 3), (3, 1), (3, 0)):
        for d, idx in spans.items():
            for start in range(shift, len(idx) - length + 1, length):
                key = (idx[start], length)
                if key in seen:
                    continue
                seen.add(key)
                sel = idx[start:start + length]
                out.append({"id": f"s{len(out):04d}", "versions": {
                    lang: " ".join(lines[lang][i].strip() for i in sel) for lang in LANGS}})
                if len(out) == n:
                    return out
    raise SystemExit(f"only {len(out)} stories can be cut from {folder}")


def feed_documents(stories: list[dict]) -> list:
    from xlingo.feed import FeedDocument
    from xlingo.model import Document

    return [FeedDocument(Document(id=f"{s['id']}.{lang}", path=f"{s['id']}.{lang}.txt", text=text, lang=lang),
                         story=s["id"]) for s in stories for lang, text in s["versions"].items()]


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _run_figures(run, wall: float) -> dict:
    c = run.counters
    use = {k: {"forward_calls": v[0], "strings": v[1]} for k, v in run.engine.encoder_use.items() if v[0]}
    checked = [sum(v[i] for k, v in run.engine.encoder_use.items() if k.startswith("check.")) for i in (0, 1)]
    if checked[0]:
        use["check"] = {"forward_calls": checked[0], "strings": checked[1]}
    return {"wall_s": round(wall, 2), **c.to_dict(), "rest_s": round(wall - c.seconds, 2),
            "phases_s": {k: round(v, 2) for k, v in run.phases.items()},
            "components_s": {k: round(v, 2) for k, v in run.engine.timings.items()},
            "encoder_use": dict(sorted(use.items())), "stories_reused": run.stories_reused,
            "encoder_s_by_component": {k: round(v, 2) for k, v in sorted(run.engine.encoder_seconds.items())},
            "align_encoders": {name: e.counters.to_dict() for name, e in sorted(run.engine.other_embedders.items())},
            "encoders_loaded": [e.encoder.name for e in (run.engine.embedder, *run.engine.other_embedders.values())
                                if getattr(e.encoder, "is_loaded", True)],
            "findings": run.report.stats["findings"], "stories": run.report.stats["stories"]}


def warm_process_child(data: Path, size: int, model: str, cache: Path) -> dict:
    """A warm re-run in this fresh process, as ``xlingo check`` runs again on an unchanged feed."""
    from xlingo.cache import EmbeddingCache
    from xlingo.config import Settings
    from xlingo.feed import Problems
    from xlingo.feed_check import check_feed

    stories = cut_stories(data, size)
    with EmbeddingCache(cache) as store:
        t0 = time.perf_counter()
        run = check_feed(feed_documents(stories), Settings(model=model), problems=Problems(), store=store)
        wall = time.perf_counter() - t0
    return {**_run_figures(run, wall), "torch_imported": "torch" in sys.modules,
            "report_sha256": __import__("hashlib").sha256(run.report.to_json().encode()).hexdigest()}


def child(data: Path, size: int, model: str, executor: str, workers: int | None, cache_dir: Path | None = None) -> dict:
    """One size in this fresh process: encoder pass, cold run, warm runs (the cache left in
    ``cache_dir`` when given)."""
    from xlingo.cache import EmbeddingCache
    from xlingo.config import Settings
    from xlingo.embed import load_encoder
    from xlingo.feed import Problems
    from xlingo.feed_check import FeedOptions, check_feed
    from xlingo.segment import segment

    t0 = time.perf_counter()
    encoder = load_encoder(model)
    encoder.encode(["."])  # the shipped encoders load lazily: load now, outside the timed runs
    startup = time.perf_counter() - t0
    for name in Settings(model=model).align_encoders:  # the alignment's other encoders too (memory "after the models")
        if name not in ("model", model):
            load_encoder(name).encode(["."])
    stories = cut_stories(data, size)
    docs = feed_documents(stories)
    texts: list[str] = []
    for fd in docs:
        d = fd.document
        segment(d)
        texts += [s.text for s in d.sentences]
        d.sentences = []
    distinct = list(dict.fromkeys(texts))
    t0, cpu0 = time.perf_counter(), time.process_time()
    for k in range(0, len(distinct), 64):  # the encoder alone: one batched pass over the same sentences
        encoder.encode(distinct[k:k + 64])
    encoder_pass, encoder_pass_cpu = time.perf_counter() - t0, time.process_time() - cpu0
    rss_model = peak_rss_mib()
    settings = Settings(model=model)
    options = FeedOptions(executor=executor, workers=workers)
    out: dict = {"size": size, "model": model, "executor": executor, "workers": workers,
                 "sentences": len(texts), "distinct_sentences": len(distinct),
                 "startup_s": round(startup, 2), "encoder_pass_s": round(encoder_pass, 2),
                 "encoder_pass_cpu_s": round(encoder_pass_cpu, 2),
                 "encoder_sentences_per_s": round(len(distinct) / encoder_pass, 1)}
    with tempfile.TemporaryDirectory(prefix="xlingo-throughput-") as tmp:
        cache = Path(cache_dir or tmp) / "embeddings.sqlite"
        for phase in ("cold", "warm_recheck", "warm"):
            phase_options = replace(options, reuse_stories=phase != "warm_recheck")
            if phase == "cold":
                out["two_thread_speedup"] = two_thread_speedup()
            with EmbeddingCache(cache) as store:
                t0, cpu0 = time.perf_counter(), time.process_time()
                run = check_feed(feed_documents(stories), settings, problems=Problems(), store=store,
                                 options=phase_options)
                wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
            out[phase] = {**_run_figures(run, wall), "cpu_s": round(cpu, 2)}
            if phase == "cold":  # before the report is rendered (the JSON below holds the whole feed)
                out["peak_rss_cold_run_mib"] = peak_rss_mib()
                out["memo_strings"] = {e.encoder.name: len(e._memo)
                                       for e in (run.engine.embedder, *run.engine.other_embedders.values())}
            sha = __import__("hashlib").sha256(run.report.to_json().encode()).hexdigest()
            if phase == "cold":
                out["report_sha256"] = sha
            elif sha != out["report_sha256"]:
                raise SystemExit(f"the {phase} run's report differs from the cold run's")
    out["cold_fraction_of_encoder_pass"] = round(encoder_pass / out["cold"]["wall_s"], 3)
    # CPU seconds (this process, all its threads): the same ratio, less at the mercy of a shared machine's
    # load; not for Ray, whose workers' CPU is not this process's
    out["cold_cpu_fraction_of_encoder_pass"] = (round(encoder_pass_cpu / out["cold"]["cpu_s"], 3)
                                                if executor == "local" else None)
    out["warm_fraction_of_cold"] = round(out["warm"]["wall_s"] / out["cold"]["wall_s"], 3)
    out["warm_recheck_fraction_of_cold"] = round(out["warm_recheck"]["wall_s"] / out["cold"]["wall_s"], 3)
    out["peak_rss_mib"] = peak_rss_mib()
    out["rss_after_model_mib"] = rss_model
    out["encoder_threads"] = _torch_threads()
    return out


def two_thread_speedup(seconds: float = 1.0) -> float:
    """How much more work two threads do than one in the same time, right now (a fixed torch
    matrix product, one torch thread each): about 2 on two idle cores, 1 or less when the
    machine's other jobs leave one core (how far wall-time ratios of one run can be trusted)."""
    import threading

    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    a, w = torch.randn(256, 384), torch.randn(384, 1536)

    def work(n: int) -> None:
        for _ in range(n):
            a @ w

    t0 = time.perf_counter()
    work(20)
    n = max(20, int(20 * seconds / max(1e-3, time.perf_counter() - t0)))
    t0 = time.perf_counter()
    work(n)
    one = time.perf_counter() - t0
    both = [threading.Thread(target=work, args=(n,)) for _ in range(2)]
    t0 = time.perf_counter()
    for t in both:
        t.start()
    for t in both:
        t.join()
    torch.set_num_threads(threads)
    return round(2 * one / (time.perf_counter() - t0), 2)


def ab_child(data: Path, size: int, model: str, reps: int, widths: list[int]) -> list[dict]:
    """Cold runs of one feed in waves of each of ``widths`` stories, alternated (ABBA...) in this
    one process, each after its own batched encoder pass over the same sentences: the ratios of a
    shared machine's load are compared within minutes."""
    import hashlib

    import xlingo.feed_check as feed_check
    from xlingo.cache import EmbeddingCache
    from xlingo.config import Settings
    from xlingo.embed import load_encoder
    from xlingo.feed import Problems
    from xlingo.feed_check import check_feed
    from xlingo.segment import segment

    encoder = load_encoder(model)
    encoder.encode(["."])
    for name in Settings(model=model).align_encoders:
        if name not in ("model", model):
            load_encoder(name).encode(["."])
    stories = cut_stories(data, size)
    texts: list[str] = []
    for fd in feed_documents(stories):
        segment(fd.document)
        texts += [s.text for s in fd.document.sentences]
    distinct = list(dict.fromkeys(texts))
    out = []
    for rep in range(reps):
        for width in (widths if rep % 2 == 0 else widths[::-1]):
            feed_check.WAVE_WIDTH = width
            t0, cpu0 = time.perf_counter(), time.process_time()
            for k in range(0, len(distinct), 64):
                encoder.encode(distinct[k:k + 64])
            ref_wall, ref_cpu = time.perf_counter() - t0, time.process_time() - cpu0
            load = os.getloadavg()[0]
            speedup = two_thread_speedup()
            with tempfile.TemporaryDirectory(prefix="xlingo-ab-") as tmp, \
                    EmbeddingCache(Path(tmp) / "embeddings.sqlite") as store:
                t0, cpu0 = time.perf_counter(), time.process_time()
                run = check_feed(feed_documents(stories), Settings(model=model), problems=Problems(), store=store)
                wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
            row = {"rep": rep, "wave_width": width,
                   "encoder_pass_s": round(ref_wall, 2),
                   "encoder_pass_cpu_s": round(ref_cpu, 2), "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),
                   "fraction": round(ref_wall / wall, 3), "cpu_fraction": round(ref_cpu / cpu, 3),
                   "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2),
                   "two_thread_speedup_before": speedup, "two_thread_speedup_after": two_thread_speedup(),
                   "strings_encoded": run.counters.strings_encoded, "forward_calls": run.counters.forward_calls,
                   "encoder_s": round(run.counters.seconds, 2),
                   "encoder_s_by_component": {k: round(v, 2) for k, v in sorted(run.engine.encoder_seconds.items())},
                   "phases_s": {k: round(v, 2) for k, v in run.phases.items()},
                   "report_sha256": hashlib.sha256(run.report.to_json().encode()).hexdigest()}
            print(f"ab {row}", file=sys.stderr, flush=True)
            out.append(row)
    return out


def _torch_threads() -> int | None:
    torch = sys.modules.get("torch")
    return torch.get_num_threads() if torch is not None else None


def diff_child(data: Path, model: str) -> dict:
    """A one-story ``xlingo diff`` as a user runs it: start-up (imports, model), encoder, rest."""
    t0 = time.perf_counter()
    from xlingo.config import Settings
    from xlingo.model import Document
    from xlingo.pipeline import Engine, diff_documents

    engine = Engine(Settings(model=model))
    startup = time.perf_counter() - t0
    story = cut_stories(data, 1)[0]
    docs = [Document(id=lang, path=f"{lang}.txt", text=text, lang=lang) for lang, text in story["versions"].items()]
    t0 = time.perf_counter()
    diff_documents(docs, engine=engine)
    wall = time.perf_counter() - t0
    enc = engine.embedder.counters
    embedders = [engine.embedder, *engine.other_embedders.values()]
    load = sum(getattr(e.encoder, "load_seconds", 0.0) for e in embedders)  # lazy: loaded by the first string
    encoder = sum(e.counters.seconds for e in embedders) - load
    return {"model": engine.encoder.name, "startup_s": round(startup + load, 2), "model_load_s": round(load, 2),
            "encoder_s": round(encoder, 2), "rest_s": round(wall - load - encoder, 2),
            "forward_calls": enc.forward_calls, "strings_encoded": enc.strings_encoded}


def policy_child(data: Path, model: str, threads: list[int], budgets: list[int], reps: int) -> dict:
    """The thread and batch policy, measured: strings per second of each kind the pipeline encodes
    (feed sentences; alignment windows, two sentences joined; name-like spans of 1-3 words) for
    each thread count and padded-token budget per batch, interleaved ``reps`` times (the best
    kept, as the machine is shared), and whether the vectors differ between thread counts."""
    import torch

    from xlingo.embed import load_encoder
    from xlingo.segment import segment

    encoder = load_encoder(model)
    texts: list[str] = []
    for fd in feed_documents(cut_stories(data, 40)):
        segment(fd.document)
        texts += [s.text for s in fd.document.sentences]
    sentences = texts[::4][:96]
    windows = [f"{a} {b}" for a, b in zip(texts[1::8], texts[2::8])][:48]
    words = [w.strip(".,;:()\"'") for t in texts for w in t.split()]
    names = list(dict.fromkeys(" ".join(words[k:k + 1 + k % 3]) for k in range(0, len(words), 7)
                               if words[k][:1].isupper()))[:192]
    kinds = {"sentences": sentences, "windows": windows, "names": names}
    best: dict[str, float] = {}
    reference: dict[tuple[str, int], np.ndarray] = {}
    identical = True
    load = [round(os.getloadavg()[0], 2)]
    for _ in range(reps):
        for n in threads:
            torch.set_num_threads(n)
            for budget in budgets:
                getattr(encoder, "loaded", lambda: encoder)().batch_tokens = budget
                for kind, xs in kinds.items():
                    t0 = time.perf_counter()
                    vecs = encoder.encode(xs)
                    rate = len(xs) / (time.perf_counter() - t0)
                    key = f"threads={n} budget={budget} {kind}"
                    best[key] = round(max(best.get(key, 0.0), rate), 1)
                    ref = reference.setdefault((kind, budget), vecs)
                    identical = identical and bool(np.array_equal(ref, vecs))
        load.append(round(os.getloadavg()[0], 2))
    return {"model": model, "strings": {k: len(v) for k, v in kinds.items()}, "threads": threads,
            "budgets": budgets, "repetitions": reps, "cpus": os.cpu_count(), "load_1min": load,
            "strings_per_s": best, "same_vectors_whatever_the_threads": identical}


def synthetic_feed(sentences: int, dim: int = 384, seed: int = 0) -> tuple[list, dict]:
    """Stories of 4-8 sentences in DE/PT/FR as noisy renderings of random fact directions around
    a shared topic (what encoders give: translations close, everything else not orthogonal)."""
    from xlingo.model import Document, Sentence

    rng = np.random.default_rng(seed)
    topic = rng.normal(size=dim)
    topic /= np.linalg.norm(topic)
    docs, vectors, k = [], {}, 0
    while sum(len(v) for v in vectors.values()) < sentences:
        n = 4 + k % 5
        facts = rng.normal(size=(n, dim))
        facts /= np.linalg.norm(facts, axis=1, keepdims=True)
        for lang in LANGS:
            v = 0.6 * facts + 0.5 * topic + 0.25 * rng.normal(size=(n, dim)) / np.sqrt(dim)
            d = Document(id=f"s{k}.{lang}", path=f"s{k}.{lang}.txt", text="x", lang=lang)
            d.sentences = [Sentence(i, 0, 1, "x") for i in range(n)]
            docs.append(d)
            vectors[d.id] = (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)
        k += 1
    return docs, vectors


def grouping_child(sizes: list[int], exact_max: int) -> list[dict]:
    """Grouping time of synthetic feeds, exact (all sentence pairs) and blocked (nearby documents), and
    whether the two place every document alike."""
    from xlingo.group import group_documents

    out = []
    for n in sizes:
        docs, vectors = synthetic_feed(n)
        row: dict = {"sentences": sum(len(v) for v in vectors.values()), "documents": len(docs)}
        placed = {}
        for how, limit in (("exact", 10**12), ("blocked", 0)):
            if how == "exact" and n > exact_max:
                continue
            t0 = time.process_time()
            g = group_documents(docs, vectors, exact_limit=limit)
            row[f"{how}_cpu_s"] = round(time.process_time() - t0, 2)
            placed[how] = [(e.doc, e.relation, e.story or e.related_to) for e in g.entries]
        row["peak_rss_mib"] = peak_rss_mib()
        if len(placed) == 2:
            row["same_placement"] = round(sum(a == b for a, b in zip(placed["exact"], placed["blocked"]))
                                          / len(docs), 4)
        out.append(row)
        print(f"grouping {row}", flush=True)
    return out


def spawn(args: list[str]) -> dict:
    cmd = [sys.executable, __file__, *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def show(r: dict) -> None:
    cold, warm, recheck = r["cold"], r["warm"], r["warm_recheck"]
    print(f"{r['model']:>10} {r['executor']}{'' if r['workers'] is None else ' x' + str(r['workers'])} "
          f"{r['size']:>5} stories: {r['sentences']} sentences ({r['distinct_sentences']} distinct); cold "
          f"{cold['wall_s']} s: {cold['strings_encoded']} strings in {cold['forward_calls']} forward calls "
          f"(mean batch {cold['mean_batch']}), encoder {cold['encoder_s']} s, rest {cold['rest_s']} s; "
          f"encoder pass {r['encoder_pass_s']} s -> cold = {r['cold_fraction_of_encoder_pass']} of the encoder's "
          f"throughput ({r.get('cold_cpu_fraction_of_encoder_pass')} in CPU seconds); warm {warm['wall_s']} s = {r['warm_fraction_of_cold']} of cold ({warm['stories_reused']} "
          f"stories reused), {warm['forward_calls']} forward calls; warm re-check {recheck['wall_s']} s = "
          f"{r['warm_recheck_fraction_of_cold']} of cold, {recheck['forward_calls']} forward calls; "
          f"peak RSS {r['peak_rss_mib']} MiB", flush=True)
    print(f"{'':>17} cold encoder use: {cold['encoder_use']}", flush=True)
    print(f"{'':>17} cold encoder seconds by component: {cold['encoder_s_by_component']}", flush=True)
    if "peak_rss_cold_run_mib" in r:
        beyond = r["peak_rss_cold_run_mib"] - r["rss_after_model_mib"]
        print(f"{'':>17} memory: {r['rss_after_model_mib']} MiB after the model, peak {r['peak_rss_cold_run_mib']} "
              f"MiB by the end of the cold run ({beyond:.1f} beyond the model; vectors kept: {r['memo_strings']}), "
              f"{r['peak_rss_mib']} MiB with the report rendered and the warm runs", flush=True)
    if "warm_process" in r:
        w = r["warm_process"]
        print(f"{'':>17} warm run in a fresh process: {w['wall_s']} s, {w['stories_reused']} stories reused, "
              f"encoders loaded: {w['encoders_loaded'] or 'none'}, torch imported: {w['torch_imported']}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA, help="NTREX-128 dev folder")
    ap.add_argument("--sizes", default="100,300,1000", help="stories per feed, comma-separated")
    ap.add_argument("--model", default="e5-small")
    ap.add_argument("--tier", default="use-v3", help="second encoder measured on the smallest size ('' to skip)")
    ap.add_argument("--ray", action="store_true", help="also a feed on a local Ray cluster, 1 and 2 workers")
    ap.add_argument("--ray-size", type=int, help="stories of the Ray feed (default: the smallest size)")
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench" / "throughput.json")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    ap.add_argument("--diff-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--warm-child", nargs=3, help=argparse.SUPPRESS)
    ap.add_argument("--policy", action="store_true", help="also measure threads x batch token budgets")
    ap.add_argument("--policy-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--ab", type=int, default=0, metavar="REPS",
                    help="also the first size's cold run in waves of each of --widths stories, alternated REPS "
                         "times each in one process")
    ap.add_argument("--ab-child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--widths", default="16,64", metavar="A,B", help="with --ab: the two wave widths to alternate")
    ap.add_argument("--grouping", default="", help="synthetic feed sizes (sentences) to time the grouping at")
    ap.add_argument("--grouping-exact-max", type=int, default=30_000, help="largest size also grouped exactly")
    args = ap.parse_args()
    if args.child:
        size, model, executor, workers = args.child
        print(json.dumps(child(args.data, int(size), model, executor, int(workers) if workers != "-" else None,
                               args.cache_dir)))
        return
    if args.warm_child:
        size, model, cache = args.warm_child
        print(json.dumps(warm_process_child(args.data, int(size), model, Path(cache))))
        return
    if args.diff_child:
        print(json.dumps(diff_child(args.data, args.model)))
        return
    if args.ab_child:
        widths = [int(w) for w in args.widths.split(",")]
        print(json.dumps(ab_child(args.data, int(args.sizes.split(",")[0]), args.model, args.ab, widths)))
        return
    if args.policy_child:
        cpus = sorted({1, os.cpu_count() or 1})
        print(json.dumps(policy_child(args.data, args.model, cpus, [128, 512, 2048], 2)))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    result: dict = {"benchmark": "throughput", "data": "ntrex-dev " + "/".join(LANGS), "sizes": sizes,
                    "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                                "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
                                "load_1min": round(os.getloadavg()[0], 2)},
                    "runs": []}
    def save() -> None:  # after every step: a long run that fails late keeps what it measured
        from xlingo.output import write_atomic

        args.out.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(args.out, json.dumps(result, indent=2) + "\n")

    if args.grouping:
        result["grouping"] = grouping_child([int(x) for x in args.grouping.split(",")], args.grouping_exact_max)
        save()
    if args.policy:
        p = spawn(["--policy-child", "--model", args.model])
        result["policy"] = p
        for key, rate in p["strings_per_s"].items():
            print(f"policy {key}: {rate} strings/s", flush=True)
        print(f"policy: same vectors whatever the threads: {p['same_vectors_whatever_the_threads']}; "
              f"load {p['load_1min']}", flush=True)
        save()
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="xlingo-throughput-") as tmp:
            r = spawn(["--child", str(size), args.model, "local", "-", "--cache-dir", tmp])
            r["warm_process"] = spawn(["--warm-child", str(size), args.model, str(Path(tmp) / "embeddings.sqlite")])
        r["warm_process_fraction_of_cold"] = round(r["warm_process"]["wall_s"] / r["cold"]["wall_s"], 3)
        show(r)
        result["runs"].append(r)
        save()
    if len(result["runs"]) > 1:
        beyond = {r["size"]: round(r["peak_rss_cold_run_mib"] - r["rss_after_model_mib"], 1) for r in result["runs"]}
        steps = list(beyond.items())
        # each size in its own process: its peak by the end of the cold run less its own with the models
        result["memory"] = {
            "beyond_model_mib": {str(n): mib for n, mib in steps},
            "growth_per_1000_stories_mib": {f"{a}->{b}": round(1000 * (y - x) / (b - a), 1)
                                            for (a, x), (b, y) in zip(steps, steps[1:])}}
        print(f"memory beyond the model by the end of the cold run, by size: "
              f"{result['memory']['beyond_model_mib']} MiB", flush=True)
        save()
    if args.tier and sizes:
        r = spawn(["--child", str(sizes[0]), args.tier, "local", "-"])
        show(r)
        result["tier"] = r
        save()
    if not sizes:
        print(f"wrote {args.out}")
        return
    d = spawn(["--diff-child", "--model", args.model])
    print(f"one-story diff: start-up {d['startup_s']} s, encoder {d['encoder_s']} s, rest {d['rest_s']} s "
          f"({d['strings_encoded']} strings in {d['forward_calls']} calls)", flush=True)
    result["one_story_diff"] = d
    save()
    if args.ray:
        ray_size = args.ray_size or sizes[0]
        local = next((r for r in result["runs"] if r["size"] == ray_size), None)
        if local is None:
            local = spawn(["--child", str(ray_size), args.model, "local", "-"])
            show(local)
            result["ray_local_reference"] = local
        ray_runs = []
        for w in (1, 2):
            ray_runs.append(spawn(["--child", str(ray_size), args.model, "ray", str(w)]))
            show(ray_runs[-1])
            result["ray"] = {"runs": ray_runs}
            save()
        result["ray"] = {
            "runs": ray_runs,
            "speedup_2_over_1": round(ray_runs[0]["cold"]["wall_s"] / ray_runs[1]["cold"]["wall_s"], 2),
            "json_identical_to_local": all(r["report_sha256"] == local["report_sha256"] for r in ray_runs)}
        print(f"ray: 2 workers {result['ray']['speedup_2_over_1']}x faster than 1; JSON identical to the local run: "
              f"{result['ray']['json_identical_to_local']}", flush=True)
    if args.ab and sizes:
        rows = spawn(["--ab-child", "--ab", str(args.ab), "--sizes", str(sizes[0]), "--model", args.model,
                      "--widths", args.widths])
        for width in dict.fromkeys(r["wave_width"] for r in rows):
            mine = [r for r in rows if r["wave_width"] == width]
            print(f"waves of {width} stories: fraction of the encoder pass "
                  f"{[r['fraction'] for r in mine]} (CPU {[r['cpu_fraction'] for r in mine]}), wall "
                  f"{[r['wall_s'] for r in mine]} s, loads {[r['load_before'] for r in mine]}, two-thread "
                  f"speed-up {[r['two_thread_speedup_before'] for r in mine]}", flush=True)
        result["ab_widths"] = {"size": sizes[0], "runs": rows,
                        "same_report": len({r["report_sha256"] for r in rows}) == 1}
        print(f"same report every run: {result['ab_widths']['same_report']}", flush=True)
    save()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
