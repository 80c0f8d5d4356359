"""Helpers for tests and benchmarks: build aligned stories by hand, no model needed.

``story_from_rows`` turns a list of rows (language -> sentence, or None for
an empty cell) into a :class:`~xlingo.model.Story` whose documents,
sentence offsets and alignment are exactly as written, so a rule can be
tested on a precise situation.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from xlingo.annotate.context import CheckContext
from xlingo.embed.base import TokenStates
from xlingo.model import Document, Row, Sentence, Story

_HASHED_WORD = re.compile(r"\w+")


def story_from_rows(rows: Sequence[dict[str, str | list[str] | None]], story_id: str = "story",
                    context: dict[str, str] | None = None) -> Story:
    """A story with one document per language; each row's cell is a sentence, a list of sentences or None."""
    langs = list(dict.fromkeys(lang for row in rows for lang in row))
    texts = {lang: "" for lang in langs}
    sentences: dict[str, list[Sentence]] = {lang: [] for lang in langs}
    out_rows: list[Row] = []
    for row in rows:
        cells: dict[str, tuple[int, ...]] = {}
        for lang in langs:
            cell = row.get(lang)
            items = [] if cell is None else [cell] if isinstance(cell, str) else list(cell)
            ids = []
            for sent in items:
                if texts[lang]:
                    texts[lang] += " "
                start = len(texts[lang])
                texts[lang] += sent
                sentences[lang].append(Sentence(len(sentences[lang]), start, start + len(sent), sent))
                ids.append(len(sentences[lang]) - 1)
            cells[lang] = tuple(ids)
        out_rows.append(Row(cells=cells, similarity=None))
    docs = [Document(id=lang, path=f"{lang}.txt", text=texts[lang], lang=lang, sentences=sentences[lang])
            for lang in langs]
    ctx_docs = []
    for name, text in (context or {}).items():
        d = Document(id=name, path=f"{name}.txt", text=text, lang=name.split("-")[0])
        d.sentences = [Sentence(0, 0, len(text), text)]
        ctx_docs.append(d)
    return Story(id=story_id, documents=docs, alignment=out_rows, context=ctx_docs)


def _bucket(word: str, dim: int) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little") % dim


def hashed_embed(texts: Sequence[str], dim: int = 256) -> np.ndarray:
    """A deterministic bag-of-words embedding (not cross-lingual): for logic tests only."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for k, text in enumerate(texts):
        for word in _HASHED_WORD.findall(text.lower()):
            out[k, _bucket(word, dim)] += 1.0
        n = np.linalg.norm(out[k])
        out[k] = out[k] / n if n else out[k]
    return out


def hashed_tokens(text: str, dim: int = 256) -> TokenStates:
    """Token states of the hashed encoder: one one-hot vector per word."""
    words = list(_HASHED_WORD.finditer(text))
    vecs = np.zeros((len(words), dim), dtype=np.float32)
    for k, m in enumerate(words):
        vecs[k, _bucket(m.group().lower(), dim)] = 1.0
    return TokenStates([(m.start(), m.end()) for m in words], vecs)


class HashedEncoder:
    """The hashed bag-of-words encoder (``--model hashed-test``), with token states: fast and
    deterministic, for tests and plumbing benchmarks only (not cross-lingual)."""

    name = "hashed-test"
    dim = 256
    token_layer = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return hashed_embed(texts, self.dim)

    def encode_tokens(self, texts: Sequence[str]) -> list[TokenStates]:
        return [hashed_tokens(t, self.dim) for t in texts]

    def encode_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenStates]]:
        return self.encode(texts), self.encode_tokens(texts)


def context_for(story: Story, embed=hashed_embed, **kwargs) -> CheckContext:
    """A check context over a hand-built story (fake embeddings unless given). Annotations given
    (e.g. ``boilerplate={...}``) count as done: their annotator will not run on it."""
    ctx = CheckContext(story=story, embed=embed, **kwargs)
    ctx.annotated.update(name for name in ("boilerplate", "copies", "words", "margins") if name in kwargs)
    return ctx
