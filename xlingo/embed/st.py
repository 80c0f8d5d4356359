"""Any sentence-transformers model as an xlingo encoder, loaded strictly offline.

Model specifics (prompt prefix such as e5's ``passage: ``, pooling, normalisation, maximum
length) come from the model folder itself, so callers only ever pass plain sentences. Besides
sentence vectors the encoder exposes contextual token states from a middle layer (the
SimAlign / awesome-align recipe: layer 8 of 12 aligns words across languages best), with
character offsets into the caller's text.
"""
from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from xlingo.embed.base import TokenStates, surface_tokens
from xlingo.errors import ModelError


class _DropDefaultPromptNotice(logging.Filter):
    """Hides sentence-transformers' load-time notice that a default prompt is configured."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Default prompt name is set to" not in record.getMessage()


@contextmanager
def _quiet_loading() -> Iterator[None]:
    """Silence the weight-loading progress bar and the default-prompt notice while a model loads."""
    from transformers.utils import logging as hf_logging

    st_logger = logging.getLogger("sentence_transformers.base.model")
    notice = _DropDefaultPromptNotice()
    bar_was_on = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    st_logger.addFilter(notice)
    try:
        yield
    finally:
        st_logger.removeFilter(notice)
        if bar_was_on:
            hf_logging.enable_progress_bar()


def _local_folder(name_or_path: str | os.PathLike[str]) -> Path:
    """The local folder of a model: the path itself, or a hub model's snapshot in the HF cache."""
    path = Path(name_or_path).expanduser()
    if path.is_dir():
        return path.resolve()
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(str(name_or_path), local_files_only=True))
    except Exception:  # not a repo id, or not cached: both mean "cannot be had offline"
        raise ModelError(
            f"cannot load model '{name_or_path}': it is neither a model folder nor in the local "
            "Hugging Face cache, and no model hub is reachable; pass --model with the path of a "
            "sentence-transformers model folder (or 'e5-small' / 'use-v3')") from None


def folder_fingerprint(folder: Path) -> str:
    """A short digest of a model folder's file names, sizes and mtimes (changes when it does)."""
    h = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        st = f.stat()
        h.update(f"{f.relative_to(folder).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:12]


def _configure_threads(threads: int | None) -> None:
    """Use ``threads`` torch threads; by default the policy of :mod:`xlingo.embed.threads`."""
    from xlingo.embed.threads import apply_threads

    apply_threads(threads)


class SentenceTransformerEncoder:
    """A sentence-transformers model (local folder or cached hub name) behind the Encoder protocol."""

    def __init__(self, name_or_path: str | os.PathLike[str], device: str = "cpu", *,
                 name: str | None = None, token_layer: int | None = None,
                 batch_size: int = 32, threads: int | None = None) -> None:
        """Load the model offline; ``token_layer`` defaults to two thirds of the depth."""
        folder = _local_folder(name_or_path)
        _configure_threads(threads)
        from sentence_transformers import SentenceTransformer

        try:
            with _quiet_loading():
                self.model = SentenceTransformer(str(folder), device=device, local_files_only=True,
                                                 trust_remote_code=False)
        except (OSError, ValueError, KeyError, RuntimeError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ModelError(f"cannot load model '{name_or_path}' from {folder}: {reason}") from None
        self.model.eval()
        label = folder.name if Path(name_or_path).expanduser().is_dir() else str(name_or_path)
        self.name = name or f"{label}@{folder_fingerprint(folder)}"
        self.dim = int(self.model.get_embedding_dimension() or len(self.model.encode(["x"])[0]))
        self.batch_size = batch_size
        default = self.model.default_prompt_name
        self.prompt = (self.model.prompts.get(default) or "") if default else ""
        depth = getattr(self._transformer_config(), "num_hidden_layers", None)
        self.token_layer = token_layer if token_layer is not None else round(2 * (depth or 12) / 3)
        if depth is not None and not 0 <= self.token_layer <= depth:
            raise ModelError(f"token layer {self.token_layer} is outside 0..{depth} for {self.name}")

    def _transformer_config(self) -> Any:
        """The Hugging Face config of the model's transformer, or None if it has none."""
        return getattr(getattr(self.model[0], "model", None), "config", None)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit sentence vectors, ``(n, dim)`` float32, with the model's own default prompt."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self.model.encode(list(texts), batch_size=self.batch_size, convert_to_numpy=True,
                                 normalize_embeddings=True, show_progress_bar=False)
        return np.ascontiguousarray(vecs, dtype=np.float32)

    def encode_tokens(self, texts: Sequence[str]) -> list[TokenStates]:
        """Token states of layer ``token_layer`` for each text (no specials, no prompt tokens)."""
        return self.encode_with_tokens(texts)[1]

    def encode_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenStates]]:
        """Sentence vectors (equal to :meth:`encode`) and token states from one forward pass."""
        import torch
        from sentence_transformers.util import batch_to_device
        from torch.nn.functional import normalize

        config = self._transformer_config()
        if config is None or not hasattr(config, "output_hidden_states"):
            raise ModelError(f"model {self.name} has no transformer layers to take token states from")
        texts = list(texts)
        sentence = np.zeros((len(texts), self.dim), dtype=np.float32)
        states: list[TokenStates | None] = [None] * len(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        prompt = self.prompt or None
        config.output_hidden_states = True
        try:
            with torch.inference_mode():
                for start in range(0, len(order), self.batch_size):
                    idx = order[start:start + self.batch_size]
                    batch = [texts[i] for i in idx]
                    features = batch_to_device(self.model.preprocess(batch, prompt=prompt), self.model.device)
                    out = self.model(features)
                    vecs = normalize(out["sentence_embedding"], p=2, dim=1).float().cpu().numpy()
                    hidden = out["all_layer_embeddings"][self.token_layer]
                    layer = normalize(hidden, p=2, dim=2).float().cpu().numpy()
                    spans = self._token_spans(batch, features["input_ids"], features["attention_mask"])
                    for row, i in enumerate(idx):
                        keep, offsets = spans[row]
                        sentence[i] = vecs[row]
                        states[i] = TokenStates(offsets=offsets, vectors=layer[row, keep])
        finally:
            config.output_hidden_states = False
        return sentence, states  # type: ignore[return-value]

    def _token_spans(self, batch: list[str], input_ids: Any, attention_mask: Any,
                     ) -> list[tuple[list[int], list[tuple[int, int]]]]:
        """For each text: the token positions that cover its characters and their ``(start, end)``.

        Offsets come from the tokenizer on the prompted text; the prompt's length is subtracted,
        prompt and special tokens are dropped, and a span's leading blanks (the metaspace ``▁``
        stands for the space or zero-width character before a word) are trimmed, so
        ``text[start:end]`` is the token's surface. Tokens left with an empty span (a bare ``▁``)
        are dropped.
        """
        p = len(self.prompt)
        enc = self.model.tokenizer([self.prompt + t for t in batch], return_offsets_mapping=True,
                                   return_special_tokens_mask=True, truncation=True,
                                   max_length=self.model.max_seq_length)
        result = []
        for row, text in enumerate(batch):
            if enc["input_ids"][row] != input_ids[row][attention_mask[row].bool()].tolist():
                raise RuntimeError(f"tokenizer offsets disagree with the model input for {self.name}")
            result.append(surface_tokens(text, enc["offset_mapping"][row], enc["special_tokens_mask"][row], p))
        return result
