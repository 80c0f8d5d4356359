"""Glossary and do-not-translate lists: terms that must appear as given, per language.

A CSV glossary has a header row. Column ``term`` is the source term; a column
per language code gives its required rendering there; an optional ``dnt``
column (``1``/``yes``/``true``) marks a term that must stay as is in every
language. A term with no language columns is a do-not-translate entry::

    term,de,fr,pt,dnt
    South Harbour Times,,,,yes
    data protection,Datenschutz,protection des données,proteção de dados,
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class GlossaryEntry:
    """One term: must stay as is (``dnt``) or be rendered as ``translations[lang]``."""

    term: str
    translations: dict[str, str] = field(default_factory=dict)
    dnt: bool = False
    source: str = ""  # "file:line", for messages

    def expected(self, lang: str) -> str | None:
        """What this term must read as in ``lang`` (None if the glossary says nothing)."""
        if self.dnt:
            return self.term
        return self.translations.get(lang)
