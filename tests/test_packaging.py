"""Packaging: one version, typed package, the pre-commit hook (touched stories only, CPU torch), docs."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from test_check_cli import fake_engine  # noqa: F401  (hash encoder, marker rule: BAD = error)

import xlingo
from xlingo.cli.precommit import split_args, story_paths

ROOT = Path(__file__).resolve().parent.parent


def test_the_version_is_written_in_one_place():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert tool["dynamic"]["version"] == {"attr": "xlingo.__version__"}
    release = re.match(r"(\d+\.\d+\.\d+)((a|b|rc|\.dev)\d+)?$", xlingo.__version__)
    assert release, xlingo.__version__  # PEP 440
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{release[1]}]" in changelog
    assert (ROOT / "xlingo" / "py.typed").is_file()
    assert "py.typed" in tool["package-data"]["xlingo"]


def test_the_pre_commit_hook_passes_filenames_and_installs_cpu_torch():
    yaml = pytest.importorskip("yaml")
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["pass_filenames"] is True and hook["language"] == "python"
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts[hook["entry"]] == "xlingo.cli.precommit:main"
    deps = hook["additional_dependencies"]
    assert any(d.startswith("--extra-index-url=") and d.endswith("/whl/cpu") for d in deps)
    assert "torch==2.13.0" in deps


def story_tree(root: Path) -> Path:
    for rel in ("feeds/train/train.de.txt", "feeds/train/train.fr.txt", "feeds/train/train.it.txt",
                "feeds/train/bus.de.txt", "feeds/train/bus.fr.txt",
                "feeds/weather/de.txt", "feeds/weather/fr.txt", "feeds/wire.jsonl", "feeds/train/notes.csv"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x\n", encoding="utf-8")
    return root


def test_a_touched_version_brings_its_story_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.chdir(story_tree(tmp_path))
    assert story_paths(["feeds/train/train.fr.txt"]) == [
        "feeds/train/train.de.txt", "feeds/train/train.fr.txt", "feeds/train/train.it.txt"]
    assert story_paths(["feeds/weather/fr.txt", "feeds/weather/de.txt", "feeds/wire.jsonl"]) == [
        "feeds/weather", "feeds/wire.jsonl"]
    for name in ("news[1].de.txt", "news[1].fr.txt", "news1.de.txt", "news1.fr.txt"):  # glob characters in a name
        (Path("feeds/train") / name).write_text("x\n", encoding="utf-8")
    assert story_paths(["feeds/train/news[1].fr.txt"]) == ["feeds/train/news[1].de.txt", "feeds/train/news[1].fr.txt"]
    options, files = split_args(["--baseline", "base.json", "--fail-on", "warning", "feeds/train/bus.de.txt"])
    assert (options, files) == (["--baseline", "base.json", "--fail-on", "warning"], ["feeds/train/bus.de.txt"])


def test_the_hook_checks_the_touched_story(fake_engine, tmp_path, monkeypatch, capsys):  # noqa: F811
    from test_check_cli import sentences

    from xlingo.cli.precommit import main

    monkeypatch.chdir(tmp_path)
    for lang in ("de", "fr", "it"):
        (tmp_path / f"train.{lang}.txt").write_text(sentences("train", 4, {1: "BAD"} if lang == "fr" else {}),
                                                     encoding="utf-8")
        (tmp_path / f"bus.{lang}.txt").write_text(sentences("bus", 4, {2: "BAD"} if lang == "de" else {}),
                                                   encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["--no-cache", "-f", "json", "--fail-on", "error", "train.it.txt"])
    assert done.value.code == 1
    out = capsys.readouterr().out
    assert '"train.fr.txt"' in out.replace("\\\\", "/") or "train.fr.txt" in out
    assert "bus." not in out  # the untouched story is not checked
    with pytest.raises(SystemExit) as nothing:
        main(["--no-cache", "README"])
    assert nothing.value.code == 0
    with pytest.raises(SystemExit) as usage:  # a usage error: one line, as from `xlingo` itself
        main(["--no-such-option", "train.it.txt"])
    err = capsys.readouterr().err
    assert usage.value.code == 2 and err.count("\n") == 1 and err.startswith("xlingo: error: No such option")


def test_ci_docs_install_from_a_tag_with_cpu_torch_and_keep_two_caches():
    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert not re.search(r"pip install xlingo\b", doc)  # not published: no bare PyPI install
    assert re.search(r'pip install "xlingo @ git\+https://\S+@v\d+\.\d+\.\d+"', doc)
    assert "--index-url https://download.pytorch.org/whl/cpu" in doc
    keys = re.findall(r"key: (.+)", doc)
    assert any("model" in k and "steps.install.outputs.version" in k for k in keys)
    assert any("embeddings" in k for k in keys) and not any("hashFiles('feeds" in k for k in keys)
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "pass_filenames: true" in doc and "pass_filenames: true" in hooks
