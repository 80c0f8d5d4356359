"""docs/rules.md is generated from the code and must stay current."""
from __future__ import annotations

from pathlib import Path

from xlingo.check.docs import rules_markdown

DOC = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_rules_doc_is_current():
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), \
        "docs/rules.md is stale: run `python -m xlingo.check.docs > docs/rules.md`"
