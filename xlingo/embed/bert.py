"""A BERT encoder in plain torch, loaded straight from a sentence-transformers folder.

For the default model the sentence-transformers and transformers imports cost more start-up
than the model itself; this module reads ``config.json``, ``model.safetensors`` and
``tokenizer.json`` directly and runs the same computation (BERT with absolute positions, GELU,
post-LayerNorm; mean pooling over all tokens, prompt included; unit vectors), so ``xlingo diff``
on one story starts in the time torch takes to import. Sentence vectors and token states come
from one forward pass; token offsets are the tokenizer's, less the prompt.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from xlingo.embed.base import TokenStates, surface_tokens
from xlingo.embed.threads import apply_threads
from xlingo.errors import ModelError

#: Padded tokens per forward batch (texts x longest). Measured on a 2-core machine
#: (``benchmarks/throughput.py``, ``policy``): large batches of short names and small batches of long
#: windows run fastest per token; a budget of a few hundred tokens keeps both near their best.
BATCH_TOKENS = 512
#: A batch's shortest text is at least this fraction of its longest: the small mixed waves of a
#: feed's stories (alignment windows, cells, one-word names) padded a third of their tokens; at 0.9
#: the strings the stories of a 100-story NTREX feed asked for took 21 % less CPU (35.3 s against 27.9 s).
MIN_FILL = 0.9


def token_batches(lengths: Sequence[int], budget: int, most: int, fill: float = MIN_FILL) -> list[list[int]]:
    """Indices of texts in batches, longest first (ties in input order): each batch holds at most
    ``most`` texts and at most ``budget`` padded tokens (its first text's length times its size),
    and no text shorter than ``fill`` times its first (padding is work the encoder throws away)."""
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    out: list[list[int]] = []
    k = 0
    while k < len(order):
        first = max(1, lengths[order[k]])
        size = max(1, min(most, budget // first, len(order) - k))
        n = 1
        while n < size and lengths[order[k + n]] >= fill * first:
            n += 1
        out.append(order[k:k + n])
        k += n
    return out


class BertEncoder:
    """Sentence vectors and token states of a BERT sentence-transformers folder, without
    sentence-transformers (see the module docs)."""

    def __init__(self, folder: str | Path, *, name: str, token_layer: int, batch_size: int = 256,
                 batch_tokens: int = BATCH_TOKENS, threads: int | None = None) -> None:
        import torch
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        self.threads = threads
        apply_threads(threads)
        folder = Path(folder)
        try:
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
            st_config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
            prompts = json.loads((folder / "config_sentence_transformers.json").read_text(encoding="utf-8"))
            weights = load_file(str(folder / "model.safetensors"))
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except (OSError, ValueError, KeyError) as exc:
            raise ModelError(f"cannot load the BERT model in {folder}: {exc}") from None
        if config.get("model_type") != "bert" or config.get("position_embedding_type", "absolute") != "absolute":
            raise ModelError(f"{folder} is not a plain BERT model")
        self.torch = torch
        self.name = name
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        self.dim = int(config["hidden_size"])
        self.token_layer = token_layer
        self.batch_size = batch_size  # texts per forward batch, at most
        self.batch_tokens = batch_tokens  # padded tokens per forward batch, at most (one text at least)
        self.max_length = int(st_config.get("max_seq_length") or config["max_position_embeddings"])
        default = prompts.get("default_prompt_name")
        self.prompt = prompts.get("prompts", {}).get(default, "") if default else ""
        self.pad_id = int(config.get("pad_token_id") or 0)
        self.tokenizer.enable_truncation(max_length=self.max_length)
        self.tokenizer.no_padding()
        self.w = {k.removeprefix("bert."): v.float() for k, v in weights.items()}

    def _ln(self, x, prefix: str):
        return self.torch.nn.functional.layer_norm(x, (self.dim,), self.w[f"{prefix}.weight"],
                                                   self.w[f"{prefix}.bias"], self.eps)

    def _linear(self, x, prefix: str):
        return self.torch.nn.functional.linear(x, self.w[f"{prefix}.weight"], self.w[f"{prefix}.bias"])

    def _forward(self, ids, mask, keep_layer: int | None):
        """Last hidden states and (if asked) those of ``keep_layer`` (0 = embeddings)."""
        torch, F = self.torch, self.torch.nn.functional
        b, t = ids.shape
        x = (F.embedding(ids, self.w["embeddings.word_embeddings.weight"])
             + self.w["embeddings.position_embeddings.weight"][:t][None]
             + self.w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = self._ln(x, "embeddings.LayerNorm")
        kept = x if keep_layer == 0 else None
        bias = None
        if not bool(mask.all()):
            bias = torch.zeros((b, 1, 1, t), dtype=x.dtype).masked_fill(~mask.bool()[:, None, None, :],
                                                                       torch.finfo(x.dtype).min)
        hd = self.dim // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}"

            def split(y):
                return y.view(b, t, self.heads, hd).transpose(1, 2)

            q = split(self._linear(x, f"{p}.attention.self.query"))
            k = split(self._linear(x, f"{p}.attention.self.key"))
            v = split(self._linear(x, f"{p}.attention.self.value"))
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=bias).transpose(1, 2).reshape(b, t, self.dim)
            x = self._ln(self._linear(a, f"{p}.attention.output.dense") + x, f"{p}.attention.output.LayerNorm")
            h = F.gelu(self._linear(x, f"{p}.intermediate.dense"))
            x = self._ln(self._linear(h, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
            if keep_layer == i + 1:
                kept = x
        return x, kept

    def _run(self, texts: Sequence[str], tokens: bool) -> tuple[np.ndarray, list[TokenStates] | None]:
        torch = self.torch
        texts = list(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        states: list[TokenStates | None] = [None] * len(texts)
        if not texts:
            return out, [] if tokens else None
        apply_threads(self.threads)  # the policy follows the machine's load
        p = len(self.prompt)
        encs_all = self.tokenizer.encode_batch([self.prompt + t for t in texts])
        with torch.inference_mode():
            for idx in token_batches([len(e.ids) for e in encs_all], self.batch_tokens, self.batch_size):
                encs = [encs_all[i] for i in idx]
                t = len(encs[0].ids)
                ids = torch.full((len(idx), t), self.pad_id, dtype=torch.long)
                mask = torch.zeros((len(idx), t), dtype=torch.long)
                for row, e in enumerate(encs):
                    ids[row, :len(e.ids)] = torch.tensor(e.ids, dtype=torch.long)
                    mask[row, :len(e.ids)] = 1
                last, layer = self._forward(ids, mask, self.token_layer if tokens else None)
                m = mask[..., None].to(last.dtype)
                pooled = (last * m).sum(1) / m.sum(1).clamp(min=1e-9)
                out[idx] = torch.nn.functional.normalize(pooled, p=2, dim=1).numpy()
                if tokens:
                    unit = torch.nn.functional.normalize(layer, p=2, dim=2).numpy()
                    for row, (i, e) in enumerate(zip(idx, encs)):
                        states[i] = self._states(texts[i], e, unit[row], p)
        return out, states  # type: ignore[return-value]

    @staticmethod
    def _states(text: str, enc, layer: np.ndarray, p: int) -> TokenStates:
        """Token states of one text: prompt and special tokens dropped, offsets into ``text`` with
        leading blanks (the metaspace) trimmed; tokens left empty are dropped."""
        keep, offsets = surface_tokens(text, enc.offsets, enc.special_tokens_mask, p)
        return TokenStates(offsets=offsets, vectors=np.ascontiguousarray(layer[keep]))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit sentence vectors, ``(n, dim)`` float32, with the model's default prompt."""
        return self._run(texts, tokens=False)[0]

    def encode_tokens(self, texts: Sequence[str]) -> list[TokenStates]:
        return self._run(texts, tokens=True)[1]  # type: ignore[return-value]

    def encode_with_tokens(self, texts: Sequence[str]) -> tuple[np.ndarray, list[TokenStates]]:
        """Sentence vectors and token states of layer ``token_layer`` from one forward pass."""
        vecs, states = self._run(texts, tokens=True)
        return vecs, states  # type: ignore[return-value]
