"""xlingo: cross-language translation consistency checker.

Align the language versions of one story sentence by sentence with a
multilingual sentence encoder and report where they diverge::

    import xlingo
    report = xlingo.diff(["de.txt", "pt.txt", "fr.txt"])
    print(report.to_json())

The engine (and its model runtime) is imported on first use, so that
``import xlingo`` and ``xlingo rules`` stay fast.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "diff": "xlingo.pipeline", "diff_documents": "xlingo.pipeline", "Engine": "xlingo.pipeline",
    "check_feed": "xlingo.feed_check", "FeedOptions": "xlingo.feed_check",
    "Settings": "xlingo.config", "load_settings": "xlingo.config",
    "Report": "xlingo.model", "Story": "xlingo.model", "Row": "xlingo.model",
    "Finding": "xlingo.model", "Severity": "xlingo.model", "Document": "xlingo.model",
    "XlingoError": "xlingo.errors",
}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'xlingo' has no attribute {name!r}")
