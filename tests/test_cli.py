"""The CLI's manners: --version, -h, exit codes of diff, one crash policy, --statistics,
--show-settings, --extend-select, --lang validation, and ``xlingo render`` of a saved report.

Model-free: the encoder is a bag-of-words hash and the rules one marker rule (BAD: error, WARN: warning).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_check_cli import HashEncoder, MarkerRule
from typer.testing import CliRunner

import xlingo
import xlingo.cli  # noqa: F401  (registers the commands)
from xlingo.cli.app import app
from xlingo.config import RuleSpec


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr("xlingo.pipeline.load_encoder", lambda spec=None: HashEncoder())
    monkeypatch.setattr("xlingo.pipeline.selected_rules",
                        lambda settings: [MarkerRule()] if settings.enabled("XL900") else [])
    for where in ("xlingo.check.base.rule_catalogue", "xlingo.pipeline.rule_catalogue"):
        monkeypatch.setattr(where, lambda: [RuleSpec("XL900", "marker", frozenset({"min_len"}))])
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.delenv("XLINGO_DEBUG", raising=False)


def story(root: Path, de_mark: str = "BAD") -> list[str]:
    root.mkdir(parents=True, exist_ok=True)
    de = root / "zug.de.txt"
    fr = root / "zug.fr.txt"
    de.write_text(f"Zug eins fährt.\nZug zwei {de_mark} hält.\nZug drei endet.\n", encoding="utf-8")
    fr.write_text("Train un part.\nTrain deux s'arrête.\nTrain trois finit.\n", encoding="utf-8")
    return [str(de), str(fr)]


def cli(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, list(args), env=env)


def one_line_error(result, needle: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("xlingo: error: "), result.stderr
    assert needle in result.stderr and "Traceback" not in result.stderr


def test_version_and_short_help() -> None:
    for flag in ("--version", "-V"):
        result = cli(flag)
        assert result.exit_code == 0 and result.stdout == f"xlingo {xlingo.__version__}\n"
    assert cli("-h").exit_code == 0 and "diff" in cli("-h").stdout
    assert cli("diff", "-h").exit_code == 0 and "--extend-select" in cli("diff", "-h", env={"COLUMNS": "200"}).stdout


@pytest.mark.parametrize("mark, args, code", [
    ("BAD", [], 1), ("BAD", ["--exit-zero"], 0), ("WARN", [], 0), ("WARN", ["--fail-on", "warning"], 1),
    ("calm", [], 0), ("BAD", ["--ignore", "XL900"], 0), ("BAD", ["--ignore", "XL9"], 0),
    ("BAD", ["--ignore", "XL9", "--extend-select", "XL900"], 1),
])
def test_diff_exits_1_when_findings_reach_fail_on(fake, tmp_path, mark, args, code) -> None:
    result = cli("diff", *story(tmp_path, mark), "--no-color", *args)
    assert result.exit_code == code, result.output


def test_diff_takes_fail_on_from_the_config_also_for_junit(fake, tmp_path, monkeypatch) -> None:
    paths = story(tmp_path / "s", "WARN")
    (tmp_path / "xlingo.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("diff", *paths, "-f", "junit")
    assert result.exit_code == 1 and "<failure " in result.stdout


@pytest.mark.parametrize("args, needle", [
    (["--select", "XL99"], "unknown rule selector 'XL99'"),
    (["--ignore", "number-mismatch"], "unknown rule selector 'number-mismatch'"),
    (["--extend-select", "XL1O1"], "unknown rule selector 'XL1O1'"),
    (["--severity", "XL7=error"], "unknown rule selector 'XL7'"),
    (["--severity", "XL900"], "expected CODE=error|warning|info"),
    (["--lang", "German,fr"], "'German' is not a known language tag"),
    (["--lang", "de,xx"], "'xx' is not a known language tag"),
    (["--fail-on", "fatal"], "severity must be error, warning or info"),
    (["--fail-on", ""], "severity must be error, warning or info, not ''"),
    (["--select", ""], "--select '': no rule selector given"),
    (["--select", " , "], "--select ' , ': no rule selector given"),
])
def test_bad_options_are_one_line_and_exit_2(fake, tmp_path, args, needle) -> None:
    one_line_error(cli("diff", *story(tmp_path), *args), needle)


def test_two_outputs_to_one_file_are_refused_before_the_work(fake, tmp_path) -> None:
    out = tmp_path / "report.json"
    (tmp_path / "alias.json").symlink_to(out)
    for args in (["-f", f"json:{out}", "-f", f"sarif:{out}"], ["-f", "json", "-f", "sarif", "-o", str(out),
                                                              "-o", str(tmp_path / "alias.json")]):
        one_line_error(cli("diff", *story(tmp_path / "s"), *args), "two outputs to the same file")
    one_line_error(cli("check", str(tmp_path / "s"), "--no-group", "--no-cache", "-f", f"json:{out}",
                       "--write-baseline", str(out)), "two outputs to the same file")
    assert not out.exists()


def test_diff_refuses_an_output_over_an_input_before_the_work(fake, tmp_path, monkeypatch) -> None:
    de, fr = story(tmp_path)
    glossary = tmp_path / "terms.csv"
    glossary.write_text("term,de\nZug,Zug\n", encoding="utf-8")
    monkeypatch.setattr("xlingo.pipeline.diff", lambda *a, **k: pytest.fail("the work ran"))
    for target in (de, str(glossary)):
        one_line_error(cli("diff", de, fr, "-g", str(glossary), "-f", f"json:{target}"), "over an input file")
    one_line_error(cli("diff", de, fr, "-f", f"json:{tmp_path}"), "is a folder")


def test_a_version_given_twice_is_one_line_and_exit_2(fake, tmp_path) -> None:
    de, fr = story(tmp_path)
    (tmp_path / "alias.txt").symlink_to(de)
    one_line_error(cli("diff", de, fr, de), "the same file given twice")
    one_line_error(cli("diff", str(tmp_path / "alias.txt"), fr, de), "the same file given twice")


@pytest.mark.parametrize("option", ["PATHS", "--context", "render"])
def test_an_empty_path_is_an_error_not_the_current_folder(fake, tmp_path, monkeypatch, option) -> None:
    """`xlingo diff de.txt "$FR"` with FR unset read every text file of the current folder as versions
    (or, with `-c "$CTX"`, as context)."""
    de, fr = story(tmp_path / "here")
    monkeypatch.chdir(tmp_path / "here")
    args = {"PATHS": ["diff", de, ""], "--context": ["diff", de, fr, "-c", ""], "render": ["render", ""]}[option]
    one_line_error(cli(*args), "an empty path")


def test_an_empty_model_name_is_an_error_not_the_default_model(fake, tmp_path) -> None:
    """`--model "$MODEL"` with MODEL unset ran the default model, under a signature of its own."""
    one_line_error(cli("diff", *story(tmp_path), "--model", ""), "--model: an empty model name")


def test_a_version_given_as_context_too_is_one_line_and_exit_2(fake, tmp_path) -> None:
    """`diff story/ -c story/`: the versions were also read as the context that names things correctly."""
    de, fr = story(tmp_path)
    one_line_error(cli("diff", de, fr, "-c", str(tmp_path)), "given both as a version and as context")


def test_context_files_of_one_name_keep_their_own_paths(fake, tmp_path) -> None:
    """Two context files both called notes.txt were both `context:notes`: a span in the second was
    located in the first."""
    de, fr = story(tmp_path / "story")
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notes.txt").write_text(f"Zug {folder} fährt.\n", encoding="utf-8")
    result = cli("diff", de, fr, "-c", str(tmp_path / "a" / "notes.txt"), "-c", str(tmp_path / "b" / "notes.txt"),
                 "-f", "json")
    context = json.loads(result.stdout)["stories"][0]["context"]
    assert len({d["id"] for d in context}) == 2, context


@pytest.mark.parametrize("args, needle", [
    (["diff", "a.txt", "b.txt", "--threads", "0"], "Invalid value for '--threads'"),
    (["diff", "a.txt", "b.txt", "--no-such-option"], "No such option: --no-such-option"),
    (["diff"], "Missing argument 'paths'"),
    (["check", "feed", "--workers", "many"], "Invalid value for '--workers'"),
])
def test_usage_errors_of_the_script_are_one_line_and_exit_2(monkeypatch, capsys, args, needle) -> None:
    """What the ``xlingo`` script prints for a usage error typer parses, not a usage box."""
    monkeypatch.setattr("sys.argv", ["xlingo", *args])
    with pytest.raises(SystemExit) as stop:
        xlingo.cli.main()
    out, err = capsys.readouterr()
    assert stop.value.code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("xlingo: error: ") and needle in err, err


@pytest.mark.parametrize("body, needle", [
    ("glossary = 5\n", "glossary: expected a string or a list"),
    ("context = ['en.txt']\n", "context: unknown key"),
    ("[rules.XL900]\nmin_len = nan\n", "must be a finite number"),
    ("[rules.XL900]\nmin_lenn = 2\n", "unknown option 'min_lenn'"),
    ("select = ''\n", "select (config): no rule selector given"),
    ("a = " + "[" * 100_000 + "]" * 100_000 + "\n", "invalid TOML: nested too deeply"),
    ("select = []\n", "select (config): no rule selector given"),
])
def test_bad_config_is_one_line_and_exit_2(fake, tmp_path, body, needle) -> None:
    (tmp_path / "xlingo.toml").write_text(body, encoding="utf-8")
    one_line_error(cli("diff", *story(tmp_path / "s"), "--config", str(tmp_path / "xlingo.toml")), needle)


def test_an_internal_error_is_one_line_and_a_traceback_only_when_debugging(fake, tmp_path, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr("xlingo.pipeline.Engine.build_story", boom)
    paths = story(tmp_path)
    one_line_error(cli("diff", *paths), "internal error, a bug in xlingo")
    assert "--debug" in cli("diff", *paths).stderr
    for result in (cli("--debug", "diff", *paths), cli("diff", *paths, env={"XLINGO_DEBUG": "1"})):
        assert result.exit_code == 2 and "Traceback" in result.stderr and "kaputt" in result.stderr


def test_a_reader_that_stops_early_is_not_an_error() -> None:
    """`xlingo rules | head -0`: no "error: I/O: Broken pipe" line, the shell's SIGPIPE status."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "from xlingo.cli import main; main()", "rules"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=Path(xlingo.__file__).parent.parent)
    proc.stdout.close()  # before xlingo writes anything
    assert proc.wait(timeout=120) == 141
    assert proc.stderr.read() == b""
    proc.stderr.close()


def test_python_dash_m_runs_the_command() -> None:
    """`python -m xlingo rules XL101`, as a user without the script on PATH runs it."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "xlingo", "rules", "XL101"], capture_output=True, text=True,
                          cwd=Path(xlingo.__file__).parent.parent, timeout=120)
    assert proc.returncode == 0 and proc.stdout.startswith("# XL101"), proc.stderr


def test_rules_command_follows_the_crash_policy() -> None:
    one_line_error(cli("rules", "XL999"), "unknown rule 'XL999'")
    result = cli("rules", "number-mismatch")
    assert result.exit_code == 0 and result.stdout.startswith("# XL101 number-mismatch")


def test_rules_command_lists_a_code_prefix_as_select_reads_it() -> None:
    listed = cli("rules", "xl1").stdout.splitlines()
    assert listed and all(line.startswith("XL1") for line in listed)
    assert {"XL101", "XL102"} <= {line.split()[0] for line in listed}
    assert cli("rules", "XL10").stdout.count("\n") == len([x for x in listed if x.startswith("XL10")])


def test_statistics_and_show_settings(fake, tmp_path) -> None:
    result = cli("diff", *story(tmp_path), "--statistics", "--no-color")
    assert "    1  XL900  marker" in result.stdout
    result = cli("diff", *story(tmp_path), "--show-settings", "--presplit", "--ignore", "XL900")
    assert result.exit_code == 0
    assert 'model = "e5-small"' in result.stdout and "presplit = true" in result.stdout
    assert 'ignore = ["XL900"]' in result.stdout and "align.max_window = " in result.stdout


def test_render_reproduces_every_format_from_the_saved_json(fake, tmp_path) -> None:
    paths = story(tmp_path)
    saved = tmp_path / "report.json"
    assert cli("diff", *paths, "-f", "json", "-o", str(saved)).exit_code == 1
    for fmt in ("sarif", "junit", "github", "codeclimate", "html", "text", "json"):
        direct = cli("diff", *paths, "-f", fmt, "--no-color")
        again = cli("render", str(saved), "-f", fmt, "--no-color")
        assert again.exit_code == 0, again.output
        assert again.stdout == direct.stdout, fmt
    out = tmp_path / "page.html"
    assert cli("render", str(saved), "-f", "html", "-o", str(out)).exit_code == 0 and out.read_text().startswith("<!")


@pytest.mark.parametrize("content, needle", [
    ("{not json", "not a JSON report"),
    ('{"schema": "xlingo.report/1"}', "not a valid xlingo report"),
    ('{"schema": NaN}', "not a JSON report: NaN is not a JSON number"),
])
def test_render_refuses_what_is_not_a_report(tmp_path, content, needle) -> None:
    path = tmp_path / "r.json"
    path.write_text(content, encoding="utf-8")
    one_line_error(cli("render", str(path), "-f", "sarif"), needle)
    one_line_error(cli("render", str(tmp_path / "missing.json")), "no such file")


@pytest.mark.parametrize("edit, needle", [
    (lambda s: s["findings"][0].update(doc="zz"), "stories/0/findings/0: a document the story does not have"),
    (lambda s: s["findings"][0].update(row=99), "stories/0/findings/0/row: a row the alignment does not have"),
    (lambda s: s["alignment"][0]["cells"].update(de=[99]), "alignment/0/cells/de: a sentence the document does not have"),
    (lambda s: s["alignment"][0]["cells"].update(zz=[0]), "alignment/0/cells: 'zz' is not a version of the story"),
])
def test_render_refuses_a_report_whose_references_dangle(fake, tmp_path, edit, needle) -> None:
    """What the schema cannot say: a finding or cell naming what the story lacks (was: KeyError, or a lost finding)."""
    saved = tmp_path / "report.json"
    assert cli("diff", *story(tmp_path), "-f", "json", "-o", str(saved)).exit_code == 1
    data = json.loads(saved.read_text(encoding="utf-8"))
    edit(data["stories"][0])
    saved.write_text(json.dumps(data), encoding="utf-8")
    for fmt in ("text", "html"):
        one_line_error(cli("render", str(saved), "-f", fmt), needle)


def test_render_never_replaces_its_report_and_refuses_deep_nesting(fake, tmp_path) -> None:
    saved = tmp_path / "report.json"
    assert cli("diff", *story(tmp_path), "-f", "json", "-o", str(saved)).exit_code == 1
    kept = saved.read_bytes()
    one_line_error(cli("render", str(saved), "-f", f"html:{saved}"), "refusing to write an output over an input file")
    assert saved.read_bytes() == kept
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    one_line_error(cli("render", str(deep)), "not a JSON report: nested too deeply")


def test_an_unwritable_step_summary_is_a_warning_and_later_formats_are_written(fake, tmp_path) -> None:
    out = tmp_path / "r.sarif"
    result = cli("diff", *story(tmp_path), "-f", "github", "-f", f"sarif:{out}",
                 env={"GITHUB_STEP_SUMMARY": str(tmp_path / "no" / "such" / "dir" / "summary.md")})
    assert result.exit_code == 1, result.output
    assert "cannot write the GitHub step summary" in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
