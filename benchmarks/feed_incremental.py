"""Incremental ``xlingo check`` on a feed: cold run, warm re-run, re-run after editing 5% of stories.

The feed: ``--stories`` German/French story pairs cut from the Text+Berg dev text (1 to
``--max-beads`` consecutive gold alignment beads each, in a JSON Lines file with story ids) plus the seed
texts as given (text files without language tags, grouped by content). Each phase runs in a fresh
process through :func:`xlingo.feed_check.check_feed` with the same SQLite embedding cache, and
reports the sentences in the feed, the strings the encoder embedded, wall time, check time and
peak memory (``ru_maxrss``), and how many texts span-level rules asked the encoder for token
states (those are not in the cache). The warm run must embed nothing; the edit run changes one
French sentence in 5% of the stories. Writes ``reports/bench/feed_incremental.json``
(``--ignore XL7 --out ...`` measures without the span-level rules).

    python benchmarks/feed_incremental.py --textberg ../shared/data/textberg-dev
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"
DEFAULT_TEXTBERG = ROOT.parent / "shared" / "data" / "textberg-dev"


def build_feed(textberg: Path, stories: int, max_beads: int, out: Path) -> dict[str, list[str]]:
    """Write the feed into ``out``: ``textberg.jsonl`` and the seed files. Returns French lines by story.

    Story k holds ``1 + k % max_beads`` aligned beads (1-1, 1-2, ... sentence groups) of the gold
    alignment, with any insertion or deletion between them: its two versions may differ a little.
    """
    de = (textberg / "dev.de").read_text(encoding="utf-8").split("\n")
    fr = (textberg / "dev.fr").read_text(encoding="utf-8").split("\n")
    beads = [tuple(json.loads(side) for side in line.strip().split(":"))
             for line in (textberg / "dev.defr").read_text(encoding="utf-8").splitlines() if line.strip()]
    chunks: list[list[tuple[list[int], list[int]]]] = [[]]
    for src, tgt in beads:
        full = sum(1 for a, b in chunks[-1] if a and b)
        if src and tgt and full >= 1 + (len(chunks) - 1) % max_beads:
            chunks.append([])
        chunks[-1].append((src, tgt))
    chunks = [c for c in chunks if any(a for a, _ in c) and any(b for _, b in c)]
    if len(chunks) < stories:
        raise SystemExit(f"Text+Berg dev gives {len(chunks)} stories of up to {max_beads} beads, fewer than {stories}")
    out.mkdir(parents=True, exist_ok=True)
    french: dict[str, list[str]] = {}
    with open(out / "textberg.jsonl", "w", encoding="utf-8") as fh:
        for k, chunk in enumerate(chunks[:stories]):
            sid = f"tb{k:03d}"
            de_lines = [de[i].strip() for src, _ in chunk for i in src]
            french[sid] = [fr[i].strip() for _, tgt in chunk for i in tgt]
            fh.write(json.dumps({"story": sid, "lang": "de", "text": "\n".join(de_lines)}, ensure_ascii=False) + "\n")
            fh.write(json.dumps({"story": sid, "lang": "fr", "text": "\n".join(french[sid])}, ensure_ascii=False) + "\n")
    for f in sorted(SEEDS.glob("0*.txt")):
        shutil.copyfile(f, out / f.name)
    return french


def edit_feed(out: Path, french: dict[str, list[str]], share: float) -> list[str]:
    """Change the last French sentence of every ``1/share``-th story; the ids of the edited stories."""
    step = max(1, round(1 / share))
    edited = sorted(french)[::step]
    lines = (out / "textberg.jsonl").read_text(encoding="utf-8").splitlines()
    rewritten = []
    for line in lines:
        record = json.loads(line)
        if record["story"] in edited and record["lang"] == "fr":
            sents = record["text"].split("\n")
            sents[-1] = sents[-1].rstrip(" .") + " (mise à jour) ."
            record["text"] = "\n".join(sents)
        rewritten.append(json.dumps(record, ensure_ascii=False))
    (out / "textberg.jsonl").write_text("\n".join(rewritten) + "\n", encoding="utf-8")
    return edited


def child(feed: Path, cache: Path, model: str, ignore: tuple[str, ...]) -> dict:
    """One phase, in this (fresh) process: check the feed, measure, return the figures."""
    t0 = time.perf_counter()
    from xlingo.cache import EmbeddingCache
    from xlingo.config import Settings
    from xlingo.embed import load_encoder
    from xlingo.feed import Problems, read_feed
    from xlingo.feed_check import FeedOptions, check_feed

    encoder = load_encoder(model)  # loaded once per process: the engine gets this same object
    token_texts: list[str] = []
    if hasattr(encoder, "encode_tokens"):  # count the token-state passes of span-level rules (not cached)
        encode_tokens = encoder.encode_tokens

        def counting(texts):
            token_texts.extend(texts)
            return encode_tokens(texts)

        encoder.encode_tokens = counting
    problems = Problems()
    docs = read_feed([str(feed)], problems)
    with EmbeddingCache(cache) as store:
        t1 = time.perf_counter()
        run = check_feed(docs, Settings(model=model, ignore=ignore), problems=problems, store=store,
                         options=FeedOptions(default_id=feed.name))
        t2 = time.perf_counter()
        hits = store.hits
    report = run.report
    seeds = {Path(g.path).name[:3]: g.relation for g in report.grouping if Path(g.path).name[:3].isdigit()}
    return {
        "stories": report.stats["stories"], "documents": report.stats["documents"],
        "sentences": report.stats["sentences"], "strings_requested": run.engine.embedder.strings_requested,
        "strings_embedded": run.engine.embedder.strings_embedded, "cache_hits": hits,
        "token_state_texts": len(token_texts), "findings": report.stats["findings"], "seed_grouping": seeds,
        "wall_s": round(time.perf_counter() - t0, 2), "check_s": round(t2 - t1, 2),
        "embed_s": round(report.timings.get("encoder", 0.0), 2), **run.counters.to_dict(),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_phase(name: str, feed: Path, cache: Path, model: str, ignore: tuple[str, ...]) -> dict:
    cmd = [sys.executable, __file__, "--child", str(feed), "--cache-file", str(cache), "--model", model]
    cmd += [f"--ignore={','.join(ignore)}"] if ignore else []
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode != 0:
        raise RuntimeError(f"{name} run failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = round(time.perf_counter() - t0, 2)
    print(f"{name:>5}: {result['sentences']} sentences, {result['strings_embedded']} strings embedded "
          f"({result['strings_requested']} requested, {result['cache_hits']} from cache), "
          f"{result['token_state_texts']} token-state texts, check {result['check_s']} s, "
          f"process {result['process_wall_s']} s, peak {result['peak_rss_mib']} MiB", flush=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--textberg", type=Path, default=DEFAULT_TEXTBERG, help="folder with dev.de, dev.fr, dev.defr")
    ap.add_argument("--stories", type=int, default=200)
    ap.add_argument("--max-beads", type=int, default=2, help="stories hold 1..N aligned beads (sentence groups)")
    ap.add_argument("--edit-share", type=float, default=0.05)
    ap.add_argument("--model", default=None, help="encoder (default: e5-small, else use-v3 if it cannot load)")
    ap.add_argument("--ignore", default="", help="rule codes or prefixes to leave out, comma-separated (e.g. XL7)")
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench" / "feed_incremental.json")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--cache-file", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    ignore = tuple(c.strip().upper() for c in args.ignore.split(",") if c.strip())
    if args.child:
        print(json.dumps(child(args.child, args.cache_file, args.model, ignore)))
        return
    model = args.model or "e5-small"
    with tempfile.TemporaryDirectory(prefix="xlingo-bench-") as tmp:
        feed, cache = Path(tmp) / "feed", Path(tmp) / "embeddings.sqlite"
        french = build_feed(args.textberg, args.stories, args.max_beads, feed)
        try:
            runs = {"cold": run_phase("cold", feed, cache, model, ignore)}
        except RuntimeError as exc:
            if args.model or "ModelError" not in str(exc):
                raise SystemExit(str(exc)) from None
            print("e5-small cannot be loaded here; using use-v3", file=sys.stderr)
            model = "use-v3"
            runs = {"cold": run_phase("cold", feed, cache, model, ignore)}
        runs["warm"] = run_phase("warm", feed, cache, model, ignore)
        edited = edit_feed(feed, french, args.edit_share)
        runs["edit"] = run_phase("edit", feed, cache, model, ignore)
        cache_mib = round(cache.stat().st_size / 2**20, 2)
    result = {
        "benchmark": "feed_incremental", "model": model, "ignore": list(ignore), "textberg_stories": args.stories, "max_beads": args.max_beads,
        "edited_stories": len(edited), "edit_share": args.edit_share, "cache_file_mib": cache_mib,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_1min": round(os.getloadavg()[0], 2)},
        "runs": runs,
        "warm_embeds_nothing": runs["warm"]["strings_embedded"] == 0,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    if not result["warm_embeds_nothing"]:
        raise SystemExit("the warm run embedded strings: the cache does not work")


if __name__ == "__main__":
    main()
