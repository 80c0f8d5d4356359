"""NTREX-128 multi-way news for the benchmarks: stories by document, and a cached real encoder.

``../shared/data/ntrex-dev/`` holds one file per language (``ntrex.de``...), line k of every
file being the same sentence, and ``docs.tsv`` naming the document of each line. A story is a
document: its versions are the same lines in several language files, joined with newlines
(each line a paragraph) and segmented as a user's file would be.

The encoder is the whole cost, so :class:`CachedEncoder` keeps sentence vectors and token
states of every string it has seen in a pickle under the temp folder (``--cache``): a second
run of a benchmark costs alignment and checks only.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xlingo.embed.base import TokenStates  # noqa: E402
from xlingo.model import Document  # noqa: E402
from xlingo.segment import segment  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "ntrex-dev"
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "xlingo-bench-cache"
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")  # a language tag: de, pt-BR, zh_Hant


def ntrex_languages(folder: str | Path) -> tuple[str, ...]:
    """The languages of an NTREX folder: the ``LANG`` of each ``ntrex.LANG`` file beside its
    ``docs.tsv``, sorted."""
    folder = Path(folder)
    if not (folder / "docs.tsv").is_file():
        raise SystemExit(f"{folder}: no docs.tsv (not an NTREX folder)")
    return tuple(sorted(p.suffix[1:] for p in folder.glob("ntrex.*") if p.is_file() and _TAG.fullmatch(p.suffix[1:])))


def load_documents(folder: str | Path, langs: Sequence[str]) -> list[tuple[str, dict[str, list[str]]]]:
    """``(document id, {lang: lines})`` in file order, for the given languages (one line and exit 2
    for a folder that is no NTREX folder or lacks one of them)."""
    folder = Path(folder)
    missing = sorted(set(langs) - set(ntrex_languages(folder)))
    if missing:
        raise SystemExit(f"{folder}: no {', '.join(f'ntrex.{x}' for x in missing)}")
    ids = [line.split("\t")[0].strip() for line in (folder / "docs.tsv").read_text(encoding="utf-8").splitlines()]
    lines = {lang: (folder / f"ntrex.{lang}").read_text(encoding="utf-8").splitlines() for lang in langs}
    for lang, ls in lines.items():
        if len(ls) != len(ids):
            raise SystemExit(f"ntrex.{lang}: {len(ls)} lines, docs.tsv has {len(ids)}")
    out: list[tuple[str, dict[str, list[str]]]] = []
    for k, doc in enumerate(ids):
        if not out or out[-1][0] != doc:
            out.append((doc, {lang: [] for lang in langs}))
        for lang in langs:
            out[-1][1][lang].append(lines[lang][k].strip())
    return out


def documents(versions: dict[str, list[str]]) -> list[Document]:
    """One segmented :class:`Document` per language, lines joined as paragraphs."""
    docs = []
    for lang, lines in versions.items():
        doc = Document(id=lang, path=f"{lang}.txt", text="\n".join(lines), lang=lang)
        docs.append(segment(doc))
    return docs


class CachedEncoder:
    """Wraps a token encoder; vectors and token states of seen strings come from a pickle."""

    def __init__(self, encoder, folder: str | Path) -> None:
        self.inner = encoder
        self.name, self.dim = encoder.name, encoder.dim
        key = hashlib.sha256(encoder.name.encode()).hexdigest()[:12]
        self.path = Path(folder) / f"encoder-{key}.pkl"
        self.memo: dict[str, tuple[np.ndarray, TokenStates | None]] = {}
        if self.path.exists():
            with self.path.open("rb") as fh:
                self.memo = pickle.load(fh)
        self.dirty = False

    def _fill(self, texts: Sequence[str], tokens: bool) -> None:
        missing = [t for t in dict.fromkeys(texts)
                   if t not in self.memo or (tokens and self.memo[t][1] is None)]
        if not missing:
            return
        if tokens:
            vecs, states = self.inner.encode_with_tokens(missing)
            for t, v, s in zip(missing, vecs, states):
                self.memo[t] = (v, TokenStates(s.offsets, s.vectors.astype(np.float16)))
        else:
            for t, v in zip(missing, self.inner.encode(missing)):
                self.memo[t] = (v, None)
        self.dirty = True

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self._fill(texts, tokens=False)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.memo[t][0] for t in texts])

    def encode_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenStates]]:
        self._fill(texts, tokens=True)
        states = [self.memo[t][1] for t in texts]
        return self.encode(texts), [TokenStates(s.offsets, s.vectors.astype(np.float32)) for s in states]

    def encode_tokens(self, texts: Sequence[str]) -> list[TokenStates]:
        return self.encode_with_tokens(texts)[1]

    def save(self) -> None:
        """Write the pickle atomically if anything new was encoded."""
        if not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(self.memo, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)
        self.dirty = False


def aligned_context(engine, versions: dict[str, list[str]], story_id: str, meaning_model=None):
    """A check context over the story of ``versions``, embedded and aligned by the engine (no
    annotator or rule run yet: a benchmark runs the ones it studies)."""
    from xlingo.annotate.context import CheckContext
    from xlingo.model import Story

    story = Story(id=story_id, documents=documents(versions))
    engine.process(story, disable=[c for c in engine.component_names if c not in ("embed", "align")])
    return CheckContext(story=story, embed=engine.embedder, token_states=engine.embedder.tokens,
                        meaning_model=meaning_model)


def cached_engine(cache: str | Path, settings=None):
    """An :class:`~xlingo.pipeline.Engine` with the default model behind a :class:`CachedEncoder`."""
    from xlingo.embed.base import Embedder
    from xlingo.pipeline import Engine

    engine = Engine(settings)
    engine.encoder = CachedEncoder(engine.encoder, cache)
    engine.embedder = Embedder(engine.encoder)
    return engine
