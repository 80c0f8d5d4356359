"""xlingo: cross-language translation consistency checker.

Align the language versions of one story sentence by sentence with a
multilingual sentence encoder and report where they diverge::

    import xlingo
    report = xlingo.diff(["de.txt", "pt.txt", "fr.txt"])
    print(report.to_json())
"""
from __future__ import annotations

__version__ = "0.1.0"

from xlingo.errors import XlingoError
from xlingo.pipeline import Settings, diff, diff_documents
from xlingo.report.model import Finding, Report, Row, Severity, Story

__all__ = [
    "__version__", "XlingoError", "Settings", "diff", "diff_documents",
    "Finding", "Report", "Row", "Severity", "Story",
]
