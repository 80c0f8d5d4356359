"""False positives of every registered rule on clean human translation (Text+Berg gold, 1-1 rows).

Text+Berg dev (``dev.de``, ``dev.fr``, one sentence per line, gold alignment
``dev.defr`` with 0-based line ids, ``[8, 9]:[10, 11, 12]``) is a careful human
translation, so every finding on its 1-1 rows is a false positive (or a real
slip of the translators: read them). Rules run on a hand-built story with the
fake bag-of-words embedding, so rules that need real cross-lingual similarity are
measured elsewhere.

    python benchmarks/rules_clean.py /path/to/textberg-dev --json reports/bench/rules_clean.json
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xlingo.check.base import CheckContext, all_rules  # noqa: E402
from xlingo.model import Finding  # noqa: E402
from xlingo.testing import context_for, story_from_rows  # noqa: E402

_LINK = re.compile(r"^\[([\d,\s]*)\]:\[([\d,\s]*)\]$")


def gold_rows(folder: str | Path, src: str = "de", tgt: str = "fr") -> list[dict[str, str]]:
    """The 1-1 rows of a Text+Berg gold alignment as ``{src: sentence, tgt: sentence}``."""
    folder = Path(folder)
    a = (folder / f"dev.{src}").read_text(encoding="utf-8").splitlines()
    b = (folder / f"dev.{tgt}").read_text(encoding="utf-8").splitlines()
    rows = []
    for line in (folder / f"dev.{src}{tgt}").read_text(encoding="utf-8").splitlines():
        m = _LINK.match(line.strip())
        if not m:
            continue
        left = [int(x) for x in m.group(1).split(",") if x.strip()]
        right = [int(x) for x in m.group(2).split(",") if x.strip()]
        if len(left) == 1 and len(right) == 1:
            rows.append({src: a[left[0]].strip(), tgt: b[right[0]].strip()})
    return rows


def run_rules(rows: Sequence[dict[str, str | None]], codes: Sequence[str] | None = None,
              embed=None) -> tuple[CheckContext, list[Finding]]:
    """Every registered rule (or those in ``codes``) over a story built from ``rows``, by code."""
    story = story_from_rows(rows)
    ctx = context_for(story) if embed is None else context_for(story, embed=embed)
    findings: list[Finding] = []
    for cls in all_rules():
        if codes is None or cls.code in codes:
            findings.extend(cls().check(ctx))
    return ctx, findings


def count_findings(rows: Sequence[dict[str, str | None]], codes: Sequence[str] | None = None,
                   embed=None) -> dict[str, int]:
    """Number of findings per rule code on a story built from ``rows`` (every rule listed, zeros too)."""
    _, findings = run_rules(rows, codes, embed)
    counts = Counter(f.rule for f in findings)
    return {c.code: counts.get(c.code, 0) for c in all_rules() if codes is None or c.code in codes}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", help="Text+Berg dev folder (dev.de, dev.fr, dev.defr)")
    ap.add_argument("--json", help="write the counts here")
    ap.add_argument("--show", action="store_true", help="print every finding")
    args = ap.parse_args(argv)
    rows = gold_rows(args.folder)
    ctx, findings = run_rules(rows)
    sentences = 2 * len(rows)
    counts = Counter(f.rule for f in findings)
    per_rule = {c.code: {"name": c.name, "findings": counts.get(c.code, 0),
                         "per_100_sentences": round(100 * counts.get(c.code, 0) / sentences, 2)}
                for c in all_rules()}
    result = {"data": "textberg-dev de-fr gold 1-1 rows", "rows": len(rows), "sentences": sentences,
              "rules": per_rule}
    if args.show:
        from ntrex_clean import sentence_of  # beside this script

        for f in findings:
            print(f"{f.rule} {f.severity.value:7} row {f.row} {f.lang}: {f.message}", file=sys.stderr)
            print(f"        {sentence_of(ctx.story, f)}", file=sys.stderr)
    text = json.dumps(result, ensure_ascii=False, indent=2) + "\n"
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
