"""The persistent embedding cache: round trips, checks, corruption and concurrent writers."""
from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from xlingo.cache import EmbeddingCache, default_cache_path, text_key
from xlingo.embed.base import Embedder
from xlingo.testing import hashed_embed


def vec(seed: int, dim: int = 8) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=dim).astype(np.float32)
    return v / np.linalg.norm(v)


class CountingEncoder:
    """A fake encoder that records what it was asked to embed."""

    name = "fake-hash"
    dim = 256

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen += list(texts)
        return hashed_embed(texts, self.dim)


def test_round_trip_per_model(tmp_path: Path) -> None:
    with EmbeddingCache(tmp_path / "c.sqlite") as cache:
        cache.put_many("m1", {"a": vec(1), "b": vec(2)})
        got = cache.get_many("m1", ["a", "b", "c", "a"])
        assert sorted(got) == ["a", "b"]
        np.testing.assert_array_equal(got["a"], vec(1))
        assert got["a"].dtype == np.float32 and got["a"].flags.writeable
        assert cache.get_many("m2", ["a"]) == {}
        assert (cache.hits, cache.misses) == (2, 2)
    with EmbeddingCache(tmp_path / "c.sqlite") as again:
        np.testing.assert_array_equal(again.get_many("m1", ["b"])["b"], vec(2))


def test_a_new_dimension_for_a_model_drops_its_old_vectors(tmp_path: Path, caplog) -> None:
    with EmbeddingCache(tmp_path / "c.sqlite") as cache:
        cache.put_many("m", {"a": vec(1, 8)})
        with caplog.at_level(logging.WARNING, logger="xlingo.cache"):
            cache.put_many("m", {"b": vec(2, 16)})
        assert "now gives 16-dim vectors (was 8)" in caplog.text
        assert list(cache.get_many("m", ["a", "b"])) == ["b"]


def test_blobs_of_the_wrong_size_or_not_finite_are_misses(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    with EmbeddingCache(path) as cache:
        cache.put_many("m", {"a": vec(1)})
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO vectors VALUES ('m', ?, ?)", (text_key("short"), b"\x00" * 12))
    conn.execute("INSERT INTO vectors VALUES ('m', ?, ?)", (text_key("nan"), np.full(8, np.nan, "<f4").tobytes()))
    conn.commit()
    conn.close()
    with EmbeddingCache(path) as cache:
        assert list(cache.get_many("m", ["a", "short", "nan"])) == ["a"]


def test_a_corrupt_database_is_moved_aside_and_rebuilt(tmp_path: Path, caplog) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"then garbage bytes where the pages should be " * 100)
    with caplog.at_level(logging.WARNING, logger="xlingo.cache"), EmbeddingCache(path) as cache:
        assert cache.get_many("m", ["a"]) == {}
        cache.put_many("m", {"a": vec(1)})
        assert list(cache.get_many("m", ["a"])) == ["a"]
    assert "was corrupt" in caplog.text and "moved aside" in caplog.text
    aside = list(tmp_path.glob("c.sqlite.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"SQLite format 3\x00then garbage")


def test_a_file_that_is_no_database_is_never_touched(tmp_path: Path, caplog) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"my notes, not a cache " * 100)
    with caplog.at_level(logging.WARNING, logger="xlingo.cache"), EmbeddingCache(path) as cache:
        cache.put_many("m", {"a": vec(1)})
        assert cache.get_many("m", ["a"]) == {}
    assert "not an SQLite database; left untouched" in caplog.text and "continuing without it" in caplog.text
    assert path.read_bytes() == b"my notes, not a cache " * 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt", "notes.txt.lock"]


def test_an_unusable_location_disables_the_cache_with_a_warning(tmp_path: Path, caplog) -> None:
    (tmp_path / "file").write_text("x")
    with caplog.at_level(logging.WARNING, logger="xlingo.cache"), EmbeddingCache(tmp_path / "file" / "c.sqlite") as c:
        c.put_many("m", {"a": vec(1)})
        assert c.get_many("m", ["a"]) == {}
    assert "continuing without it" in caplog.text


def test_default_path_follows_xlingo_cache_dir(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XLINGO_CACHE_DIR", str(tmp_path))
    assert default_cache_path() == tmp_path / "embeddings.sqlite"


def test_a_rerun_embeds_nothing_and_an_edit_embeds_only_what_changed(tmp_path: Path) -> None:
    texts = ["Erster Satz.", "Zweiter Satz.", "Dritter Satz."]
    first = CountingEncoder()
    with EmbeddingCache(tmp_path / "c.sqlite") as cache:
        Embedder(first, store=cache)(texts)
    assert sorted(first.seen) == sorted(texts)
    again = CountingEncoder()
    with EmbeddingCache(tmp_path / "c.sqlite") as cache:
        emb = Embedder(again, store=cache)
        out = emb(texts)
    assert again.seen == [] and emb.strings_embedded == 0
    np.testing.assert_allclose(out, hashed_embed(texts), rtol=0, atol=0)
    edited = CountingEncoder()
    with EmbeddingCache(tmp_path / "c.sqlite") as cache:
        Embedder(edited, store=cache)([texts[0], "Zweiter, geänderter Satz.", texts[2]])
    assert edited.seen == ["Zweiter, geänderter Satz."]


WRITER = """
import sys, numpy as np
from xlingo.cache import EmbeddingCache
path, tag = sys.argv[1], sys.argv[2]
with EmbeddingCache(path) as cache:
    for batch in range(40):
        items = {f"{tag}-{batch}-{k}": np.full(16, batch + k, dtype=np.float32) for k in range(25)}
        items.update({f"shared-{batch}-{k}": np.full(16, -1, dtype=np.float32) for k in range(5)})
        cache.put_many("m", items)
        assert len(cache.get_many("m", list(items))) == len(items)
print("ok")
"""


def test_two_processes_writing_at_once_do_not_corrupt_the_cache(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for tag in ("p1", "p2")]
    results = [p.communicate(timeout=240) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    assert all("ok" in out and "WARNING" not in err for out, err in results)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0] == 2 * 40 * 25 + 40 * 5
    conn.close()


@pytest.mark.parametrize("bad", [b"", b"SQLite format 3\x00" + b"\xff" * 200])
def test_truncated_or_damaged_headers_are_recovered(tmp_path: Path, bad: bytes) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(bad)
    with EmbeddingCache(path) as cache:
        cache.put_many("m", {"a": vec(1)})
        assert list(cache.get_many("m", ["a"])) == ["a"]


def test_token_states_round_trip_as_float16_and_a_bad_blob_is_a_miss(tmp_path: Path) -> None:
    from xlingo.embed.base import TokenStates

    states = TokenStates([(0, 3), (4, 9)], np.stack([vec(1), vec(2)]))
    with EmbeddingCache(tmp_path / "c.sqlite") as cache:
        cache.put_tokens("m#tokens", {"Der Rat": states, "leer": TokenStates([], np.zeros((0, 8), np.float32))})
        got = cache.get_tokens("m#tokens", ["Der Rat", "leer", "missing"])
        assert set(got) == {"Der Rat", "leer"}
        assert got["Der Rat"].offsets == [(0, 3), (4, 9)] and got["Der Rat"].vectors.dtype == np.float16
        np.testing.assert_allclose(got["Der Rat"].vectors, states.vectors, atol=1e-3)
        assert got["leer"].offsets == [] and cache.get_tokens("other", ["Der Rat"]) == {}
        cache._connection().execute("UPDATE tokens SET vecs = x'00' WHERE model = 'm#tokens'")
        assert cache.get_tokens("m#tokens", ["Der Rat"]) == {}


def test_embedder_keeps_token_states_in_the_store_so_a_new_run_encodes_nothing(tmp_path: Path) -> None:
    from xlingo.testing import HashedEncoder

    class Counting(HashedEncoder):
        calls = 0

        def encode_with_tokens(self, texts):
            Counting.calls += 1
            return super().encode_with_tokens(texts)

    with EmbeddingCache(tmp_path / "c.sqlite") as cache:
        first = Embedder(Counting(), store=cache).tokens(["Die Stadt baut.", "Le pont."])
    with EmbeddingCache(tmp_path / "c.sqlite") as cache:
        emb = Embedder(Counting(), store=cache)
        again = emb.tokens(["Die Stadt baut.", "Le pont."])
        assert emb.counters.forward_calls == 0 and emb.counters.tokens_from_store == 2
    assert Counting.calls == 1
    assert [t.offsets for t in again] == [t.offsets for t in first]
    np.testing.assert_array_equal(again[0].vectors, first[0].vectors)  # cold results are float16-rounded too


def test_checked_stories_round_trip_and_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    from xlingo.cache import story_key

    key, other = story_key(["story", 1, {"b": 2, "a": 1}]), story_key(["story", 2])
    assert key == story_key(["story", 1, {"a": 1, "b": 2}]) and key != other  # canonical JSON
    data = {"id": "s1", "text": "Ünïcödé \ud800 kept", "score": 0.1 + 0.2}
    with EmbeddingCache(tmp_path / "c.sqlite") as cache:
        cache.put_stories({key: data, other: {"id": "s2"}})
    with EmbeddingCache(tmp_path / "c.sqlite") as cache:
        assert cache.get_stories([key, story_key(["absent"])]) == {key: data}
    with sqlite3.connect(tmp_path / "c.sqlite") as conn:
        conn.execute("UPDATE stories SET story = ? WHERE key = ?", (b"not zlib", other))
    with EmbeddingCache(tmp_path / "c.sqlite") as cache:
        assert cache.get_stories([key, other]) == {key: data}


def test_the_code_digest_covers_the_package_and_is_stable(monkeypatch) -> None:
    import xlingo.cache as cache_module

    first = cache_module.code_digest()
    assert first == cache_module.code_digest() and len(first) == 64
    cache_module.code_digest.cache_clear()
    monkeypatch.setattr(cache_module, "LOGIC_PACKAGES", (*cache_module.LOGIC_PACKAGES, "numpy-but-not-installed"))
    try:
        assert cache_module.code_digest() != first
    finally:
        cache_module.code_digest.cache_clear()
