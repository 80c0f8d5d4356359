"""``xlingo check`` end to end: exit codes, formats, bad input, baselines, cache, config.

Model-free tests swap the encoder for a bag-of-words hash (``xlingo.testing.hashed_embed``) and
the rules for one marker rule, so that the command's own logic is what is tested: documents are
"translations" when they share their words, a sentence with BAD is an error, with WARN a warning.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import xlingo.cli  # noqa: F401  (registers the commands)
from xlingo.check.base import CheckContext, Rule
from xlingo.cli.app import app
from xlingo.config import RuleSpec
from xlingo.model import Severity
from xlingo.testing import hashed_embed

SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"


class HashEncoder:
    """A deterministic, non-cross-lingual encoder that counts what it embeds."""

    name = "test-hash"
    dim = 256
    calls: list[str] = []

    def encode(self, texts):
        HashEncoder.calls += list(texts)
        return hashed_embed(texts, self.dim)


class MarkerRule(Rule):
    """Test rule.

    What it does: flags sentences holding BAD (error) or WARN (warning).
    Why is this bad? Test only.
    Example: BAD.
    Use instead: good.
    """

    code = "XL900"
    name = "marker"
    severity = Severity.ERROR
    levels = {Severity.ERROR: "BAD", Severity.WARNING: "WARN"}
    summary = "A marker word"
    options = {"min_len": 1.0}

    def check(self, ctx: CheckContext):
        for d in ctx.documents:
            for s in d.sentences:
                for word, sev in (("BAD", Severity.ERROR), ("WARN", Severity.WARNING)):
                    if word in s.text:
                        start = s.start + s.text.index(word)
                        yield ctx.finding(self, d, start, start + len(word), f"{word} here", severity=sev)


@pytest.fixture
def fake_engine(monkeypatch):
    """Hash encoder and marker rule instead of the real model and rules."""
    HashEncoder.calls = []
    monkeypatch.setattr("xlingo.pipeline.load_encoder", lambda spec=None: HashEncoder())
    monkeypatch.setattr("xlingo.pipeline.selected_rules", lambda settings: [MarkerRule()])
    catalogue = [RuleSpec(MarkerRule.code, MarkerRule.name)]
    for where in ("xlingo.check.base.rule_catalogue", "xlingo.pipeline.rule_catalogue"):
        monkeypatch.setattr(where, lambda: catalogue)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def sentences(topic: str, n: int, marks: dict[int, str] | None = None) -> str:
    marks = marks or {}
    return "\n".join(f"{topic}{k} {topic}word{k} {topic}fact{k * 7} {marks.get(k, '')}".strip() + "."
                     for k in range(n))


def make_feed(root: Path, de_marks: dict[int, str] | None = None) -> Path:
    """Story 'train' in de/fr/it (shared words), plus an unrelated English document."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "train.de.txt").write_text(sentences("train", 5, de_marks), encoding="utf-8")
    (root / "train.fr.txt").write_text(sentences("train", 5), encoding="utf-8")
    (root / "train.it.txt").write_text(sentences("train", 5), encoding="utf-8")
    (root / "weather.en.txt").write_text(sentences("weather", 4), encoding="utf-8")
    return root


def run(*args: str, cwd: Path | None = None, monkeypatch=None):
    if cwd is not None and monkeypatch is not None:
        monkeypatch.chdir(cwd)
    return CliRunner().invoke(app, ["check", *args])


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    return make_feed(tmp_path / "feed", {1: "BAD", 3: "WARN"})


def test_findings_at_or_above_fail_on_exit_1_and_json_carries_the_grouping(fake_engine, feed, tmp_path) -> None:
    result = run(str(feed), "--format", "json", "--cache", str(tmp_path / "c.sqlite"))
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    relations = {Path(g["path"]).name: (g["relation"], g["story"]) for g in data["grouping"]}
    assert relations == {"train.de.txt": ("version", "train.de"), "train.fr.txt": ("version", "train.de"),
                         "train.it.txt": ("version", "train.de"), "weather.en.txt": ("unrelated", None)}
    (story,) = data["stories"]
    assert [d["id"] for d in story["documents"]] == ["de", "fr", "it"]
    assert sorted(f["severity"] for f in story["findings"]) == ["error", "warning"]
    assert data["stats"]["inputs_skipped"] == 0


@pytest.mark.parametrize("args, code", [
    ([], 1), (["--exit-zero"], 0), (["--fail-on", "warning"], 1), (["--select", "XL9", "--ignore", "XL900"], 0),
])
def test_exit_codes(fake_engine, feed, tmp_path, args, code) -> None:
    result = run(str(feed), "--no-cache", "-f", "json", *args)
    assert result.exit_code == code, result.output


def test_warnings_alone_pass_by_default_and_fail_with_fail_on_from_config(fake_engine, tmp_path, monkeypatch) -> None:
    feed = make_feed(tmp_path / "feed", {2: "WARN"})
    assert run(str(feed), "--no-cache", "-f", "json").exit_code == 0
    (tmp_path / "xlingo.toml").write_text('fail-on = "warning"\ncache = false\n', encoding="utf-8")
    result = run(str(feed), "-f", "json", cwd=tmp_path, monkeypatch=monkeypatch)
    assert result.exit_code == 1, result.output
    assert run(str(feed), "-f", "json", "--fail-on", "error").exit_code == 0


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit", "github", "codeclimate"])
def test_the_exit_code_does_not_depend_on_the_format(fake_engine, feed, fmt) -> None:
    result = run(str(feed), "--no-cache", "--format", fmt)
    assert result.exit_code == 1, result.output
    assert result.stdout.strip()


def test_several_formats_go_to_their_files(fake_engine, feed, tmp_path) -> None:
    sarif, junit = tmp_path / "out" / "r.sarif", tmp_path / "r.xml"
    result = run(str(feed), "--no-cache", "-f", "json", "-o", str(junit), "-o", str(sarif))
    assert result.exit_code == 2 and "more --output-file values" in result.stderr
    result = run(str(feed), "--no-cache", "-f", "junit", "-o", str(junit), "-f", f"sarif:{sarif}", "-f", "json")
    assert result.exit_code == 1, result.output
    assert json.loads(sarif.read_text(encoding="utf-8"))["version"] == "2.1.0"
    assert junit.read_text(encoding="utf-8").startswith("<?xml")
    assert json.loads(result.stdout)["schema"] == "xlingo.report/2"


def test_an_output_file_that_its_format_overrides_is_an_error(fake_engine, feed, tmp_path) -> None:
    """`-f json:a.json -o b.json` wrote a.json and left b.json unwritten without a word."""
    result = run(str(feed), "--no-cache", "-f", f"json:{tmp_path / 'a.json'}", "-o", str(tmp_path / "b.json"))
    assert result.exit_code == 2 and "would be left unwritten" in result.stderr, result.output
    assert not (tmp_path / "a.json").exists()


def test_a_reader_that_stops_early_loses_no_output_file(fake_engine, feed, tmp_path, monkeypatch) -> None:
    """`xlingo check feed -f text -f sarif:x.sarif | head`: the text came first, the pipe broke and the
    SARIF file was never written (exit 141 all the same)."""
    def broken_pipe(*_, **__):
        raise BrokenPipeError

    monkeypatch.setattr("xlingo.report.render_text.print_report", broken_pipe)
    result = run(str(feed), "--no-cache", "-f", "text", "-f", f"sarif:{tmp_path / 'x.sarif'}")
    assert result.exit_code == 141 and (tmp_path / "x.sarif").is_file()


def test_a_saved_feed_report_renders_as_text_with_its_grouping(fake_engine, feed, tmp_path) -> None:
    """`xlingo render report.json -f text` left out the grouping the run's text output had."""
    run(str(feed), "--no-cache", "-f", f"text:{tmp_path / 'run.txt'}", "-f", f"json:{tmp_path / 'r.json'}")
    CliRunner().invoke(app, ["render", str(tmp_path / "r.json"), "-f", f"text:{tmp_path / 'again.txt'}"])
    again = (tmp_path / "again.txt").read_text(encoding="utf-8")
    assert "grouping:" in again and again == (tmp_path / "run.txt").read_text(encoding="utf-8")


def test_text_output_lists_findings_and_grouping(fake_engine, feed) -> None:
    result = run(str(feed), "--no-cache")
    assert result.exit_code == 1
    assert "XL900" in result.stdout and "grouping:" in result.stdout
    assert "unrelated: en " in result.stdout and "weather.en.txt" in result.stdout


def test_github_format_writes_the_step_summary(fake_engine, feed, tmp_path, monkeypatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run(str(feed), "--no-cache", "-f", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=")
    assert "## xlingo check" in summary.read_text(encoding="utf-8")
    summary.unlink()  # annotations in the log and a copy in a file: the summary once (was: twice)
    run(str(feed), "--no-cache", "-f", "github", "-f", f"github:{tmp_path / 'annotations.txt'}")
    assert summary.read_text(encoding="utf-8").count("## xlingo check") == 1


@pytest.mark.parametrize("make, message", [
    (lambda p: p / "missing", "no such file or directory"),
    (lambda p: (p / "empty").mkdir() or p / "empty", "folder holds no"),
    (lambda p: (p / "bad.xml").write_text("<rss><item></rss>") and p / "bad.xml", "bad.xml:1:"),
    (lambda p: (p / "bomb.xml").write_text('<!DOCTYPE r [<!ENTITY a "aaaa">]><rss>&a;</rss>') and p / "bomb.xml",
     "refused"),
])
def test_bad_input_is_one_line_and_exit_2(fake_engine, tmp_path, make, message) -> None:
    result = run(str(make(tmp_path)), "--no-cache")
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize("option", ["PATHS", "--baseline", "--write-baseline", "--cache", "--config", "--glossary"])
def test_an_empty_path_is_an_error_not_the_current_folder_or_no_option(fake_engine, feed, tmp_path, monkeypatch,
                                                                       option) -> None:
    """`xlingo check "$FEED"` with FEED unset checked the current folder; `--baseline "$B"` ran without
    the baseline (every accepted finding back), `--write-baseline ""` wrote none, in silence."""
    make_feed(tmp_path / "here", {1: "BAD"})
    args = ["", "--no-cache"] if option == "PATHS" else [str(feed), "--no-cache", option, ""]
    result = run(*args, cwd=tmp_path / "here", monkeypatch=monkeypatch)
    assert result.exit_code == 2 and f"{option}: an empty path" in result.stderr, result.output


def test_an_empty_path_after_a_format_is_an_error_not_standard_output(fake_engine, feed) -> None:
    """`-f "sarif:$OUT"` with OUT unset printed the SARIF into the log and wrote no file."""
    result = run(str(feed), "--no-cache", "-f", "sarif:")
    assert result.exit_code == 2 and "--format sarif:: an empty path" in result.stderr and not result.stdout


def test_broken_jsonl_lines_are_skipped_and_fail_the_run_after_the_report(fake_engine, tmp_path) -> None:
    lines = [json.dumps({"story": "s", "lang": lang, "text": sentences("train", 3)}) for lang in ("de", "fr")]
    f = tmp_path / "feed.jsonl"
    f.write_text(lines[0] + "\n{broken\n" + lines[1] + "\n", encoding="utf-8")
    result = run(str(f), "--no-cache", "-f", "json")
    assert result.exit_code == 2, result.output
    assert f"{f}:2:2: invalid JSON" in result.stderr and "1 bad input record" in result.stderr
    report = json.loads(result.stdout)
    assert report["stats"]["inputs_skipped"] == 1 and [s["id"] for s in report["stories"]] == ["s"]
    strict = run(str(f), "--no-cache", "--strict")
    assert strict.exit_code == 2 and "--strict" in strict.stderr


def test_a_story_with_one_version_is_skipped_with_a_warning(fake_engine, tmp_path) -> None:
    f = tmp_path / "feed.jsonl"
    f.write_text("\n".join(json.dumps({"story": s, "lang": lang, "text": sentences(s, 3)})
                           for s, lang in (("a", "de"), ("a", "fr"), ("b", "de"))) + "\n", encoding="utf-8")
    result = run(str(f), "--no-cache", "-f", "json")
    assert result.exit_code == 0 and "story b: only one version" in result.stderr
    assert [s["id"] for s in json.loads(result.stdout)["stories"]] == ["a"]
    assert run(str(f), "--no-cache", "--strict").exit_code == 2


def test_no_group_and_story_decide_the_story(fake_engine, feed) -> None:
    data = json.loads(run(str(feed), "--no-cache", "-f", "json", "--no-group").stdout)
    assert [s["id"] for s in data["stories"]] == ["feed"] and len(data["stories"][0]["documents"]) == 4
    data = json.loads(run(str(feed), "--no-cache", "-f", "json", "--story", "X").stdout)
    assert [s["id"] for s in data["stories"]] == ["X"]
    assert {g["relation"] for g in data["grouping"]} == {"version"}


def test_baseline_round_trip_and_stale_entries(fake_engine, feed, tmp_path) -> None:
    base = tmp_path / "baseline.json"
    written = run(str(feed), "--no-cache", "-f", "json", "--write-baseline", str(base))
    assert written.exit_code == 0 and "wrote 2 findings" in written.stderr
    again = run(str(feed), "--no-cache", "-f", "json", "--baseline", str(base))
    assert again.exit_code == 0, again.output
    stats = json.loads(again.stdout)["stats"]
    assert (stats["baseline_suppressed"], stats["baseline_stale"], stats["findings"]) == (2, 0, 0)
    make_feed(feed, {3: "WARN"})  # the de error fixed, a new one in fr
    (feed / "train.fr.txt").write_text(sentences("train", 5, {4: "BAD"}), encoding="utf-8")
    changed = run(str(feed), "--no-cache", "--baseline", str(base))
    assert changed.exit_code == 1
    assert "baseline: 1 recorded findings are no longer found" in changed.stdout
    assert "stale: XL900 [de]" in changed.stdout
    rewritten = run(str(feed), "--no-cache", "-f", "json", "--baseline", str(base), "--write-baseline", str(base))
    assert rewritten.exit_code == 0 and "wrote 2 findings" in rewritten.stderr


def test_an_output_never_replaces_the_baseline_config_or_ignore_file_it_read(fake_engine, feed, tmp_path,
                                                                          monkeypatch) -> None:
    base = tmp_path / "baseline.json"
    assert run(str(feed), "--no-cache", "--write-baseline", str(base)).exit_code == 0
    config = tmp_path / "xlingo.toml"
    config.write_text('fail-on = "error"\n', encoding="utf-8")
    (tmp_path / ".xlingo-ignore").write_text("# nothing ignored\n", encoding="utf-8")
    kept = {p: p.read_bytes() for p in (base, config, tmp_path / ".xlingo-ignore")}
    for args in (["--baseline", str(base), "-f", f"json:{base}"], ["--config", str(config), "-f", f"text:{config}"],
                 ["-f", "sarif:.xlingo-ignore"]):
        result = run(str(feed), "--no-cache", *args, cwd=tmp_path, monkeypatch=monkeypatch)
        assert result.exit_code == 2 and "refusing to write an output over an input file" in result.stderr, args
    assert {p: p.read_bytes() for p in kept} == kept


def test_the_cache_is_never_an_input_nor_a_folder(fake_engine, feed, tmp_path) -> None:
    """--cache naming an input (was: the input moved aside as a "corrupt cache" and replaced by a database)."""
    version = feed / "train.de.txt"
    kept = version.read_bytes()
    result = run(str(feed), "--cache", str(version))
    assert result.exit_code == 2 and "train.de.txt: refusing to write an output over an input file" in result.stderr
    assert version.read_bytes() == kept and sorted(p.name for p in feed.iterdir()) == [
        "train.de.txt", "train.fr.txt", "train.it.txt", "weather.en.txt"]
    result = run(str(feed), "--cache", str(tmp_path))
    assert result.exit_code == 2 and "is a folder, not a regular file" in result.stderr


def test_a_bad_baseline_is_exit_2(fake_engine, feed, tmp_path) -> None:
    base = tmp_path / "baseline.json"
    base.write_text("{}", encoding="utf-8")
    result = run(str(feed), "--no-cache", "--baseline", str(base))
    assert result.exit_code == 2 and "not a baseline file" in result.stderr
    base.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run(str(feed), "--no-cache", "--baseline", str(base))
    assert result.exit_code == 2 and "not a baseline file: JSON nested too deeply" in result.stderr


def test_an_internal_error_is_one_line_and_exit_2(fake_engine, feed, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr("xlingo.pipeline.Engine.build_story", boom)
    result = run(str(feed), "--no-cache")
    assert result.exit_code == 2
    assert result.stderr == (f"xlingo: error: internal error, a bug in xlingo {xlingo.__version__}: RuntimeError: kaputt "
                             "(run with --debug or XLINGO_DEBUG=1 for the traceback)\n")


def test_a_warm_rerun_embeds_nothing(fake_engine, feed, tmp_path) -> None:
    cache = tmp_path / "c.sqlite"
    assert run(str(feed), "--cache", str(cache), "-f", "json").exit_code == 1
    assert HashEncoder.calls
    HashEncoder.calls = []
    assert run(str(feed), "--cache", str(cache), "-f", "json").exit_code == 1
    assert HashEncoder.calls == []
    (feed / "train.fr.txt").write_text(sentences("train", 5).replace("trainfact14", "trainfact15"), encoding="utf-8")
    assert run(str(feed), "--cache", str(cache), "-f", "json").exit_code == 1
    assert "train2 trainword2 trainfact15." in HashEncoder.calls
    assert "train0 trainword0 trainfact0." not in HashEncoder.calls


def test_help_documents_exit_codes_and_bad_input() -> None:
    result = CliRunner().invoke(app, ["check", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for words in ("Exit codes", "--strict", "malformed XML", "--fail-on", "--write-baseline", "--no-cache"):
        assert words in result.stdout


@pytest.mark.model
def test_seeds_end_to_end(tmp_path) -> None:
    result = CliRunner().invoke(app, ["check", str(SEEDS), "-f", "json", "-f", f"text:{tmp_path / 'out.txt'}",
                                      "--cache", str(tmp_path / "c.sqlite")])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    relations = {Path(g["path"]).name[:3]: g["relation"] for g in data["grouping"]}
    assert relations == {"000": "related", "001": "version", "002": "version", "003": "version", "004": "unrelated"}
    (story,) = data["stories"]
    assert [d["lang"] for d in story["documents"]] == ["de", "pt", "fr"]
    assert [Path(c["path"]).name[:3] for c in story["context"]] == ["000"]
    assert any(f["severity"] == "error" for f in story["findings"])
    assert "grouping:" in (tmp_path / "out.txt").read_text(encoding="utf-8")


def test_timings_show_phases_components_and_encoder_counters(fake_engine, feed) -> None:
    result = run(str(feed), "--no-cache", "-f", "json", "--exit-zero", "--timings", "--threads", "1")
    assert result.exit_code == 0, result.output
    assert "timings: load" in result.stderr and ", segment " in result.stderr and "per story: embed" in result.stderr
    assert "forward calls" in result.stderr and "encoder" not in json.loads(result.stdout)["stats"]


@pytest.mark.parametrize("args, message", [(["--executor", "spark"], "unknown executor"),
                                           (["--threads", "0"], "--threads"),
                                           (["--story", " "], "--story ' ': an empty story name")])
def test_bad_executor_or_threads_exit_2_with_one_line(fake_engine, feed, args, message) -> None:
    result = run(str(feed), "--no-cache", *args)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_an_output_never_replaces_the_cache_database(fake_engine, feed, tmp_path) -> None:
    """`--cache c.db --write-baseline c.db` (or a report there): the database stays, the run is refused."""
    cache = tmp_path / "c.db"
    assert run(str(feed), "--cache", str(cache)).exit_code in (0, 1)
    kept = cache.read_bytes()
    for args in (["--write-baseline", str(cache)], ["-f", f"json:{cache}"]):
        result = run(str(feed), "--cache", str(cache), *args)
        assert result.exit_code == 2 and "refusing to write an output over an input file" in result.stderr, args
    assert cache.read_bytes() == kept


def test_no_cache_and_a_cache_path_together_are_one_line_and_exit_2(fake_engine, feed, tmp_path) -> None:
    result = run(str(feed), "--no-cache", "--cache", str(tmp_path / "c.db"))
    assert result.exit_code == 2 and "--no-cache and --cache" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "c.db").exists()
