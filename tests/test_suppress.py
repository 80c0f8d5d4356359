"""Suppressions: a per-document ``xlingo: ignore[...]`` pragma and the ``.xlingo-ignore`` file."""
from __future__ import annotations

from pathlib import Path

import pytest
from test_check_cli import fake_engine, make_feed, run  # noqa: F401  (the hash encoder and marker rule: BAD = error)

from xlingo.check.base import CheckContext, Rule
from xlingo.check.runner import run_checks
from xlingo.config import Settings
from xlingo.errors import ConfigError
from xlingo.model import Severity
from xlingo.suppress import IgnoreFile
from xlingo.testing import context_for, story_from_rows


class Flag(Rule):
    """Test rule.

    What it does: flags each word given in ``words`` under its code.
    Why is this bad? Test only. Example: none. Use instead: nothing.
    """

    name = "flag"
    severity = Severity.ERROR
    summary = "test"

    def __init__(self, code: str, word: str) -> None:
        super().__init__()
        self.code, self.word = code, word

    def check(self, ctx: CheckContext):
        for d in ctx.documents:
            at = d.text.find(self.word)
            if at >= 0:
                yield ctx.finding(self, d, at, at + len(self.word), f"{self.word} here")


ROWS = [{"de": "Der Kurier meldete 640 Fälle.", "fr": "Le Courrier a signalé 460 cas.", "ja": "新聞は640件と報じた。"},
        {"de": "Die Stadt reagierte.", "fr": "La ville a réagi.", "ja": "市は対応した。"}]
RULES = [Flag("XL202", "Courrier"), Flag("XL101", "460"), Flag("XL501", "Stadt"), Flag("XL401", "市"),
         Flag("XL503", "ignore")]  # the last one hits a pragma line: it is not story text


def found(rows, folder: Path | None = None, monkeypatch=None) -> set[tuple[str, str]]:
    if folder is not None:
        monkeypatch.chdir(folder)
    story = story_from_rows(rows)
    for d in story.documents:
        d.path = f"feeds/{d.lang}/story.{d.lang}.txt"
        if "xlingo:" in d.sentences[0].text:  # the pragma on a line of its own
            i = d.sentences[0].end
            d.text = d.text[:i] + "\n" + d.text[i + 1:]
    return {(f.rule, f.lang) for f in run_checks(context_for(story), RULES, Settings())}


def test_no_suppression_flags_everything(tmp_path, monkeypatch):
    assert found(ROWS, tmp_path, monkeypatch) == {("XL202", "fr"), ("XL101", "fr"), ("XL501", "de"), ("XL401", "ja")}


@pytest.mark.parametrize("pragma", ["<!-- xlingo: ignore[XL202, XL1] -->", "# xlingo: ignore[XL202,XL101]",
                                    "xlingo: ignore[xl202,XL10]"])
def test_a_pragma_ignores_its_rules_in_its_document_only(pragma, tmp_path, monkeypatch):
    rows = [{**ROWS[0], "fr": [pragma, ROWS[0]["fr"]]}, ROWS[1]]
    got = found(rows, tmp_path, monkeypatch)
    assert got == {("XL501", "de"), ("XL401", "ja")}  # the pragma line itself is not flagged either


def test_a_bare_pragma_silences_the_document_and_mentions_in_prose_do_not(tmp_path, monkeypatch):
    rows = [{**ROWS[0], "de": ["xlingo: ignore", ROWS[0]["de"]]}, ROWS[1]]
    assert found(rows, tmp_path, monkeypatch) == {("XL202", "fr"), ("XL101", "fr"), ("XL401", "ja")}
    prose = [{**ROWS[0], "fr": "Le Courrier écrit que xlingo: ignore[XL202] est une commande, 460 cas."}, ROWS[1]]
    assert ("XL202", "fr") in found(prose, tmp_path, monkeypatch)


def test_the_ignore_file_takes_fingerprints_and_rule_path_globs(tmp_path, monkeypatch):
    story = story_from_rows(ROWS)
    for d in story.documents:
        d.path = f"feeds/{d.lang}/story.{d.lang}.txt"
    fp = next(f.fingerprint for f in run_checks(context_for(story), RULES, Settings()) if f.rule == "XL101")
    (tmp_path / ".xlingo-ignore").write_text(f"# judged false positives\n{fp}  # 460 vs 640 is a typo upstream\n"
                                             "XL5,XL40 feeds/*/story.??.txt\n", encoding="utf-8")
    assert found(ROWS, tmp_path, monkeypatch) == {("XL202", "fr")}


def test_globs_match_the_file_that_holds_a_record(tmp_path, monkeypatch):
    """A JSON Lines record's path is ``feed.jsonl#L3``: per-path settings and ignore-file globs match
    ``feed.jsonl`` (was: never, so `[per-path."feeds/*.jsonl"]` did nothing for feeds)."""
    from xlingo.config import Overrides
    from xlingo.model import Origin

    monkeypatch.chdir(tmp_path)
    story = story_from_rows(ROWS)
    for line, d in enumerate(story.documents, 1):
        d.path, d.origin = f"feeds/wire.jsonl#L{line}", Origin("feeds/wire.jsonl", line)
    per_path = Settings(per_path=(("feeds/*.jsonl", Overrides(ignore=("XL2",))),))
    assert {f.rule for f in run_checks(context_for(story), RULES, per_path)} == {"XL101", "XL501", "XL401"}
    (tmp_path / ".xlingo-ignore").write_text("XL101,XL4 feeds/wire.jsonl\n", encoding="utf-8")
    assert {f.rule for f in run_checks(context_for(story), RULES, per_path)} == {"XL501"}


@pytest.mark.parametrize("glob", ["feeds/[ab]/*", "feeds/[!c]/*", "feeds/a/*"])
def test_a_rule_a_per_path_override_selects_runs_whatever_its_glob(glob):
    """Rules were chosen by matching each glob against itself: `[per-path."feeds/[ab]/*"] select = ["XL101"]`
    never ran XL101 anywhere, in silence."""
    from xlingo.check.runner import selected_rules
    from xlingo.config import Overrides

    settings = Settings(select=("XL2",), per_path=((glob, Overrides(select=("XL101",))),))
    assert "XL101" in {r.code for r in selected_rules(settings)}
    assert "XL101" not in {r.code for r in selected_rules(Settings(select=("XL2",)))}


@pytest.mark.parametrize("spelling", ["./feeds/{lang}/s.txt", "{root}/feeds/{lang}/s.txt", "{lang}/s.txt"])
def test_globs_match_however_the_path_was_spelled(tmp_path, monkeypatch, spelling):
    """`[per-path."feeds/legacy/*"]` (config in the repository's root) and `.xlingo-ignore` lines
    held only for paths typed exactly so: not for `./feeds/...`, an absolute path (CI's
    `$GITHUB_WORKSPACE/feeds`) or a run from the feeds folder (the config's, found upwards)."""
    from xlingo.config import load_settings

    (tmp_path / "feeds").mkdir()
    config = '[tool.xlingo.per-path."feeds/fr/*"]\nignore = ["XL2"]\n'
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    (tmp_path / ".xlingo-ignore").write_text("XL501 feeds/de/*\n", encoding="utf-8")
    if spelling.startswith("{lang}"):  # from the feeds folder: the config is found upwards
        monkeypatch.chdir(tmp_path / "feeds")
        settings, ignore_file_here = load_settings(), False
    else:
        monkeypatch.chdir(tmp_path)
        settings, ignore_file_here = load_settings(), True
    story = story_from_rows(ROWS)
    for d in story.documents:
        d.path = spelling.format(root=tmp_path, lang=d.lang)
    rules = {(f.rule, f.lang) for f in run_checks(context_for(story), RULES, settings)}
    assert ("XL202", "fr") not in rules and ("XL101", "fr") in rules
    assert (("XL501", "de") in rules) is not ignore_file_here


@pytest.mark.parametrize("line", ["XL202", "fr/*.txt", "XL202 a b", "QQ1 feeds/*", "12345"])
def test_a_malformed_ignore_line_is_a_config_error_naming_it(line):
    with pytest.raises(ConfigError, match=r"\.xlingo-ignore:2: expected"):
        IgnoreFile.parse(f"# ok\n{line}\n")


def test_an_ignore_file_with_a_byte_order_mark_is_read(tmp_path):
    from xlingo.suppress import load_ignore_file

    (tmp_path / ".xlingo-ignore").write_bytes(b"\xef\xbb\xbfXL101 *.txt\n")
    assert load_ignore_file(tmp_path).patterns == ((("XL101",), "*.txt"),)


@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x1c", "\x85", "\x0b", "\x0c"])
def test_a_comment_holding_a_unicode_line_break_stays_a_comment(brk):
    """A finding's path or text quoted in a comment cannot add a `CODES PATH-GLOB` line."""
    parsed = IgnoreFile.parse(f"0123456789abcdef  # XL101 de feed/{brk}XL *{brk}: text{brk}XL1 *\r\n")
    assert parsed == IgnoreFile(frozenset({"0123456789abcdef"}), ())


def test_check_honours_the_ignore_file_and_a_bad_one_is_exit_2(fake_engine, tmp_path, monkeypatch):
    feed = make_feed(tmp_path / "feed", {1: "BAD"})
    monkeypatch.chdir(tmp_path)
    assert run(str(feed), "--no-cache", "-f", "json").exit_code == 1
    (tmp_path / ".xlingo-ignore").write_text("XL900 */train.de.txt\n", encoding="utf-8")
    assert run(str(feed), "--no-cache", "-f", "json").exit_code == 0
    (tmp_path / ".xlingo-ignore").write_text("XL900\n", encoding="utf-8")
    bad = run(str(feed), "--no-cache", "-f", "json")
    assert bad.exit_code == 2 and ".xlingo-ignore:1" in bad.output
