"""Clean-text budget: findings per 100 sentences by severity and rule on clean NTREX news.

NTREX-128 is professional human translation, so (nearly) every finding on it is a false alarm.
Each document of ``docs.tsv`` is one story, its versions the same lines in several languages,
run through the whole engine with the real default model: 4-way (EN/DE/FR/PT by default) and
2-way (``--pairs``). Target: at most 0.2 error and 1 warning per 100 sentences.

    python benchmarks/ntrex_clean.py [../shared/data/ntrex-dev] [--show warning] [--json reports/bench/ntrex_clean.json]

Vectors and token states are cached under the temp folder (``--cache``), so a second run
costs alignment and checks only.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ntrex import DEFAULT_CACHE, DEFAULT_DATA, cached_engine, documents, load_documents  # noqa: E402

from xlingo.config import Settings  # noqa: E402
from xlingo.model import Severity  # noqa: E402

SEVERITIES = ("error", "warning", "info")


def sentence_of(story, finding) -> str:
    """The text of the sentence that holds a finding's span."""
    doc = story.document(finding.doc)
    for s in doc.sentences:
        if s.start <= finding.start < s.end or s.start == finding.start:
            return " ".join(doc.text[s.start:s.end].split())
    return finding.text


def run_setting(engine, folder: str | Path, langs: Sequence[str], limit: int | None,
                show: Severity | None) -> dict:
    """Findings of every rule on every document's ``langs`` versions, counted per 100 sentences."""
    sentences = 0
    per_rule: Counter[tuple[str, str]] = Counter()
    for doc_id, versions in load_documents(folder, langs)[:limit]:
        docs = documents(versions)
        story = engine.build_story(docs, story_id=doc_id)
        sentences += sum(len(d.sentences) for d in docs)
        for f in story.findings:
            per_rule[(f.rule, f.severity.value)] += 1
            if show is not None and f.severity >= show:
                print(f"{'-'.join(langs)} {doc_id} {f.rule} {f.severity.value} row {f.row} {f.lang} "
                      f"[{f.text}] {f.message}\n    {sentence_of(story, f)}", file=sys.stderr)
    per_sev = Counter()
    for (_, sev), n in per_rule.items():
        per_sev[sev] += n
    return {
        "languages": list(langs), "sentences": sentences,
        "per_100": {s: round(100 * per_sev[s] / max(sentences, 1), 3) for s in SEVERITIES},
        "rules": {f"{rule} {sev}": {"findings": n, "per_100": round(100 * n / max(sentences, 1), 3)}
                  for (rule, sev), n in sorted(per_rule.items())},
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(DEFAULT_DATA), help="ntrex-dev folder")
    ap.add_argument("--langs", default="en,de,fr,pt", help="the N-way setting's languages")
    ap.add_argument("--pairs", default="en-de,fr-pt", help="2-way settings, comma-separated")
    ap.add_argument("--docs", type=int, help="only the first N documents")
    ap.add_argument("--cache", default=str(DEFAULT_CACHE), help="folder for cached vectors and token states")
    ap.add_argument("--select", default="XL", help="rule codes or prefixes to run (e.g. XL8)")
    ap.add_argument("--show", choices=SEVERITIES, help="print every finding at or above this severity")
    ap.add_argument("--json", default="reports/bench/ntrex_clean.json", help="write the figures here")
    args = ap.parse_args(argv)
    engine = cached_engine(args.cache, Settings(select=tuple(args.select.split(","))))
    show = Severity(args.show) if args.show else None
    settings = [args.langs.split(",")] + [p.split("-") for p in args.pairs.split(",") if p]
    results = []
    try:
        for langs in settings:
            res = run_setting(engine, args.folder, langs, args.docs, show)
            results.append(res)
            p = res["per_100"]
            print(f"{'/'.join(langs):12} {res['sentences']:5} sentences  per 100: "
                  f"error {p['error']:.2f}  warning {p['warning']:.2f}  info {p['info']:.2f}")
            for key, v in res["rules"].items():
                print(f"    {key:16} {v['findings']:4}  {v['per_100']:.2f}")
    finally:
        engine.encoder.save()
    out = {"data": "ntrex-dev", "documents": args.docs or "all", "model": engine.encoder.name,
           "settings": results}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
