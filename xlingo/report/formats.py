"""Output formats: each is a renderer ``render(report) -> str`` over the one report model."""
from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from xlingo.model import Report

#: format name -> module under xlingo.report holding ``render(report, **options) -> str``
FORMATS: dict[str, str] = {
    "text": "render_text",
    "json": "render_json",
    "sarif": "sarif",
    "junit": "junit",
    "github": "github",
    "codeclimate": "codeclimate",
    "html": "html",
}


def renderer(name: str) -> Callable[..., str]:
    """The render function of an output format."""
    if name not in FORMATS:
        raise ValueError(f"unknown format {name!r} (known: {', '.join(FORMATS)})")
    return import_module(f"xlingo.report.{FORMATS[name]}").render


def render(report: Report, name: str, **options: object) -> str:
    """Render ``report`` in format ``name``."""
    return renderer(name)(report, **options)
