"""Time ``xlingo diff`` and ``xlingo check`` on hostile input sizes, with the hashed test encoder.

Single-line inputs (no sentence mark, no line break) of growing size, each diffed against a
short French version and against a second single-line version of the same size; versions made of
many tiny sentences (``Satz 17.``), diffed against as many French ones, around the per-document
budget of sentences (over it: refused in one line; with ``--presplit`` and a blank line between
sentences, as pre-segmented paragraphs come); Markdown and HTML pages of growing size (links, code
blocks, tables, scripts: the markup readers), each against the short French version; then a whole
NTREX feed as one JSON Lines file (every document in every language, stories given) through
``xlingo check``. The hashed test encoder (``xlingo.testing.hashed_embed``) replaces the model, so
what is timed is reading, segmenting, aligning and every rule. Prints one line per input and
writes ``reports/bench/hostile_inputs.json``.

    python benchmarks/hostile_inputs.py --sizes 78000 312000 4680000 --tiny 1999 10000 --ntrex ../shared/data/ntrex-dev
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import xlingo.pipeline  # noqa: E402
from xlingo.config import Settings  # noqa: E402
from xlingo.errors import InputError  # noqa: E402
from xlingo.feed import Problems, read_feed  # noqa: E402
from xlingo.feed_check import check_feed  # noqa: E402
from xlingo.testing import hashed_embed  # noqa: E402

UNIT = "Die NVIDIA -H20 Chips wurden geliefert "
FRENCH = "Les puces H20 de NVIDIA ont été livrées la semaine dernière.\nLe prix n'a pas été communiqué.\n"


class HashEncoder:
    """Deterministic bag-of-words vectors: no model, so the figures time xlingo's own work."""

    name = "test-hash"
    dim = 256

    def encode(self, texts):
        return hashed_embed(texts, self.dim)


def single_line(path: Path, size: int, unit: str = UNIT) -> Path:
    path.write_text((unit * (size // len(unit) + 1))[:size].rstrip() + "\n", encoding="utf-8")
    return path


def tiny_sentences(path: Path, n: int, word: str, sep: str) -> Path:
    path.write_text(sep.join(f"{word} {k}." for k in range(n)) + "\n", encoding="utf-8")
    return path


MARKDOWN_BLOCK = ("## Lieferung {k}\n\nDie [NVIDIA -H20 Chips](https://example.org/{k}?id=640) wurden **geliefert** "
                  "&amp; bezahlt.\n\n```\nid = {k}\n```\n\n| Chip | Zahl |\n|---|---|\n| H20 | {k} |\n\n")
HTML_BLOCK = ("<h2>Lieferung {k}</h2>\n<p>Die <a href=\"/{k}?id=640\">NVIDIA -H20 Chips</a> wurden <b>geliefert</b>"
              " &amp; bezahlt.<img src=\"c.png\" width=\"640\"></p>\n<script>var id = {k};</script>\n")


def markup_page(path: Path, size: int, block: str) -> Path:
    """A Markdown or HTML page of about ``size`` characters: headings, links, code, a table or a script."""
    parts, total, k = [], 0, 0
    while total < size:
        parts.append(block.format(k=k))
        total += len(parts[-1])
        k += 1
    path.write_text("".join(parts), encoding="utf-8")
    return path


def timed_diff(paths: list[Path], settings: Settings | None = None) -> tuple[float, int]:
    t0 = time.perf_counter()
    report = xlingo.pipeline.diff(paths, settings=settings)
    return time.perf_counter() - t0, int(report.stats["findings"])


def refused_row(exc: InputError, folder: Path, **row: object) -> dict:
    """A run refused in one line, without the temporary folder in its message."""
    refused = str(exc).replace(f"{folder}{os.sep}", "")
    print(f"diff  {row['input']}: refused: {refused}", flush=True)
    return {**row, "refused": refused}


def ntrex_feed(ntrex: Path, out: Path) -> tuple[Path, int, int]:
    """Every NTREX document in every language as one JSON Lines record, stories given."""
    docs = (ntrex / "docs.tsv").read_text(encoding="utf-8").splitlines()
    n_records = 0
    with open(out, "w", encoding="utf-8") as fh:
        for lang_file in sorted(ntrex.glob("ntrex.*")):
            lang = lang_file.suffix[1:]
            lines = lang_file.read_text(encoding="utf-8").splitlines()
            by_doc: dict[str, list[str]] = {}
            for doc, line in zip(docs, lines):
                by_doc.setdefault(doc.split("\t")[0], []).append(line)
            for doc, text in by_doc.items():
                fh.write(json.dumps({"story": doc, "lang": lang, "text": "\n".join(text)}, ensure_ascii=False) + "\n")
                n_records += 1
    return out, n_records, out.stat().st_size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[78_000, 312_000, 1_500_000, 4_680_000])
    ap.add_argument("--tiny", type=int, nargs="*", default=[1_999, 10_000],
                    help="numbers of tiny sentences per version (the budget is 2,000 per document)")
    ap.add_argument("--markup", type=int, nargs="*", default=[30_000, 1_500_000],
                    help="sizes of a Markdown and an HTML page (links, code, tables, scripts) to diff")
    ap.add_argument("--pair-max", type=int, default=312_000,
                    help="largest size also diffed against a second line of its size")
    ap.add_argument("--ntrex", type=Path, default=ROOT.parent / "shared" / "data" / "ntrex-dev")
    ap.add_argument("--out", type=Path, default=ROOT / "reports" / "bench" / "hostile_inputs.json")
    args = ap.parse_args()
    xlingo.pipeline.load_encoder = lambda spec=None: HashEncoder()
    results: dict = {"machine": platform.processor() or platform.machine(), "cpus": os.cpu_count(), "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        fr = folder / "v.fr.txt"
        fr.write_text(FRENCH, encoding="utf-8")
        for size in args.sizes:
            big = single_line(folder / f"big{size}.de.txt", size)
            pairs = [("short French", fr)]
            if size <= args.pair_max:
                pairs.append(("same-size line", single_line(folder / f"o{size}.fr.txt", size, "Les puces NVIDIA -H20 livrées ")))
            for against, other in pairs:
                try:
                    seconds, findings = timed_diff([big, other])
                except InputError as exc:  # over the per-document budget: refused in one line
                    results["runs"].append(refused_row(exc, folder, input=f"single line of {size:,} characters",
                                                       against=against))
                    continue
                row = {"input": f"single line of {size:,} characters", "against": against, "seconds": round(seconds, 2),
                       "findings": findings}
                results["runs"].append(row)
                print(f"diff  {size:>10,} chars, one line, vs {against:<15} {seconds:8.2f} s  ({findings} findings)",
                      flush=True)
        for size in args.markup:
            for kind, suffix, block in (("Markdown", "md", MARKDOWN_BLOCK), ("HTML", "html", HTML_BLOCK)):
                label = f"{kind} page of {size:,} characters"
                page = markup_page(folder / f"m{size}.de.{suffix}", size, block)
                t0 = time.perf_counter()
                try:
                    seconds, findings = timed_diff([page, fr])
                except InputError as exc:  # read, then refused over the sentence budget: how long that takes
                    results["runs"].append({**refused_row(exc, folder, input=label, against="short French"),
                                            "seconds": round(time.perf_counter() - t0, 2)})
                    continue
                results["runs"].append({"input": label, "against": "short French", "seconds": round(seconds, 2),
                                        "findings": findings})
                print(f"diff  {label}, vs short French: {seconds:8.2f} s  ({findings} findings)", flush=True)
        for n in args.tiny:
            for layout, sep, settings in (("one line", " ", None), ("presplit, blank line between", "\n\n",
                                                                     Settings(presplit=True))):
                label = f"{n:,} tiny sentences, {layout}"
                pair = [tiny_sentences(folder / f"t{n}.de.txt", n, "Satz", sep),
                        tiny_sentences(folder / f"t{n}.fr.txt", n, "Phrase", sep)]
                try:
                    seconds, findings = timed_diff(pair, settings)
                except InputError as exc:
                    results["runs"].append(refused_row(exc, folder, input=label, against="as many French"))
                    continue
                results["runs"].append({"input": label, "against": "as many French", "seconds": round(seconds, 2),
                                        "findings": findings})
                print(f"diff  {label}, vs as many French: {seconds:8.2f} s  ({findings} findings)", flush=True)
        if (args.ntrex / "docs.tsv").exists():
            feed, records, size = ntrex_feed(args.ntrex, folder / "ntrex.jsonl")
            t0 = time.perf_counter()
            problems = Problems()
            docs = read_feed([str(feed)], problems)
            run = check_feed(docs, Settings(), problems=problems)
            seconds = time.perf_counter() - t0
            row = {"input": f"NTREX feed: {records} records, {size:,} bytes", "seconds": round(seconds, 2),
                   "stories": run.report.stats["stories"], "findings": run.report.stats["findings"]}
            results["runs"].append(row)
            print(f"check NTREX feed {records} records ({size:,} bytes), {row['stories']} stories: {seconds:.2f} s", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
