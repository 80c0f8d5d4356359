"""Settings: precedence, selection semantics, per-language overrides, bad config."""
from __future__ import annotations

import re

import pytest

from xlingo.config import Overrides, RuleSpec, Settings, load_settings, runtime_setting, settings_from_table
from xlingo.errors import ConfigError
from xlingo.model import Severity


def test_pyproject_table_is_found(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.xlingo]\nignore = ["XL5"]\nfail-on = "warning"\n[tool.xlingo.severity]\nXL003 = "error"\n'
        '[tool.xlingo.per-language.fr]\nignore = ["XL101"]\n[tool.xlingo.rules.XL003]\nmin_z = 5\n',
        encoding="utf-8")
    s = load_settings(start=tmp_path)
    assert s.fail_on is Severity.WARNING
    assert not s.enabled("XL501") and s.enabled("XL101") and not s.enabled("XL101", lang="fr")
    assert s.severity_for("XL003", Severity.WARNING) is Severity.ERROR
    assert s.options_for("XL003") == {"min_z": 5.0}


def test_longest_prefix_wins():
    s = Settings(select=("XL", "XL501"), ignore=("XL5",))
    assert s.enabled("XL501") and not s.enabled("XL502") and s.enabled("XL101")


def test_cli_over_config():
    s = Settings(model="a").with_cli(model="b", select=None)
    assert s.model == "b" and s.select == ("XL",)


@pytest.mark.parametrize("body,needle", [
    ("[tool.xlingo]\nfail-on = 'fatal'\n", "severity"),
    ("[tool.xlingo]\nunknown = 1\n", "unknown key"),
    ("[tool.xlingo\n", "invalid TOML"),
])
def test_bad_config(tmp_path, body, needle):
    (tmp_path / "pyproject.toml").write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=needle):
        load_settings(start=tmp_path)


CATALOGUE = [RuleSpec("XL101", "number-mismatch", frozenset({"small_max"})), RuleSpec("XL102", "currency-mismatch"),
             RuleSpec("XL501", "space-before-hyphen")]


@pytest.mark.parametrize("settings, needle", [
    (Settings(select=("XL99",)), "unknown rule selector 'XL99'"),
    (Settings(select=("XL1O1",)), "unknown rule selector 'XL1O1'"),
    (Settings(ignore=("number-mismach",)), "ignore: unknown rule selector"),
    (Settings(severity=(("XL7", Severity.ERROR),)), "severity: unknown rule selector 'XL7'"),
    (Settings(per_language=(("fr", Overrides(ignore=("XL9",))),)), "per-language.fr.ignore"),
    (Settings(per_path=(("a/*", Overrides(select=("ZZ",))),)), "per-path.a/"),
    (Settings(rule_options=(("XL101", (("small_maxx", 1.0),)),)), "unknown option 'small_maxx' \\(known: small_max\\)"),
    (Settings(rule_options=(("XL1", (("small_max", 1.0),)),)), "one rule code"),
])
def test_unknown_selectors_and_options_are_errors(settings, needle):
    with pytest.raises(ConfigError, match=needle):
        settings.validate_rules(CATALOGUE)


def test_selectors_may_be_codes_prefixes_or_names():
    s = Settings(select=("XL1", "space-before-hyphen"), ignore=("xl102",)).validate_rules(CATALOGUE)
    assert s.select == ("XL1", "XL501") and s.ignore == ("XL102",)
    assert s.enabled("XL101") and s.enabled("XL501") and not s.enabled("XL102")


@pytest.mark.parametrize("table, needle", [
    ({"rules": {"XL101": {"small_max": float("nan")}}}, "rules.XL101.small_max: must be a finite number"),
    ({"rules": {"XL101": {"small_max": float("inf")}}}, "must be a finite number"),
    ({"rules": {"XL101": {"small_max": "12"}}}, "expected a number"),
    ({"presplit": "yes"}, "presplit: expected true or false"),
    ({"glossary": 5}, "glossary: expected a string or a list"),
    ({"context": ["en.txt"]}, "context: unknown key"),
    ({"per-language": {"fr": {"ignor": ["XL1"]}}}, "per-language.fr.ignor: unknown key"),
    ({"severity": {"XL101": "fatal"}}, "severity.XL101: must be error, warning or info"),
    ({"cache": 3}, "cache: expected"),
    ({"per-language": {"French": {"ignore": ["XL1"]}}}, "per-language.French: not a language tag"),
    ({"per-language": {"xx": {"ignore": ["XL1"]}}}, "per-language.xx: not a language tag"),
    ({"model": " "}, "model: String should have at least 1 character"),  # was: the default model, in silence
    ({"model": 5}, "model: expected a string"),
])
def test_config_types_and_ranges(table, needle):
    with pytest.raises(ConfigError, match=re.escape(needle)):
        settings_from_table(table, "x.toml")


def test_per_language_keys_are_language_tags_as_documents_carry_them():
    """``[per-language.pt-BR]`` applies to a ``pt-BR`` document (whose tag is normalised to ``pt-br``)."""
    s = settings_from_table({"per-language": {"pt-BR": {"ignore": ["XL101"]}, "ZH_hant": {"ignore": ["XL5"]}}}, "x.toml")
    assert not s.enabled("XL101", lang="pt-br") and s.enabled("XL101", lang="de")
    assert not s.enabled("XL501", lang="zh-hant")
    regional = settings_from_table({"per-language": {"de": {"ignore": ["XL1"]}, "de-CH": {"select": ["XL101"]}}},
                                   "x.toml")
    assert not regional.enabled("XL102", lang="de-de") and not regional.enabled("XL101", lang="de")
    assert regional.enabled("XL101", lang="de-ch") and regional.enabled("XL101", lang="fr")


def test_show_settings_keeps_a_hostile_key_on_its_line():
    shown = Settings(per_path=(("a\x1b[31m\n::error::x", Overrides(ignore=("XL5",))),)).show()
    assert "\x1b" not in shown and "\n::error" not in shown
    assert "per-path.a<U+001B>[31m<U+000A>::error::x.ignore = [\"XL5\"]" in shown.splitlines()


def test_paths_in_a_config_found_upwards_are_taken_from_its_folder(tmp_path, monkeypatch):
    """Running from a subfolder (was: terms.csv looked up in the subfolder, an error)."""
    from xlingo.config import runtime_setting

    (tmp_path / "xlingo.toml").write_text('glossary = ["terms.csv"]\ncache = "c.sqlite"\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    assert load_settings().glossary == ("../terms.csv",)
    assert runtime_setting("cache") == "../c.sqlite"
    monkeypatch.chdir(tmp_path)
    assert load_settings().glossary == ("terms.csv",) and runtime_setting("cache") == "c.sqlite"
    assert load_settings("xlingo.toml").glossary == ("terms.csv",)


def test_a_config_with_a_byte_order_mark_is_read(tmp_path):
    (tmp_path / "xlingo.toml").write_bytes(b"\xef\xbb\xbffail-on = 'warning'\n")
    assert load_settings(start=tmp_path).fail_on is Severity.WARNING


def test_tool_that_is_not_a_table_is_one_line(tmp_path):
    (tmp_path / "pyproject.toml").write_text("tool = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[tool\] must be a table"):
        load_settings(start=tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool]\nxlingo = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a table"):
        load_settings(start=tmp_path)


def test_extend_select_adds_to_select():
    s = settings_from_table({"select": ["XL1"], "extend-select": ["XL501"]}, "x.toml")
    assert s.select == ("XL1", "XL501")


def test_a_config_from_a_pipe_is_read_once_for_every_setting(tmp_path):
    # `--config <(...)`: the pipe gives its text once; the output settings and the runtime keys both see it
    import os
    import threading

    fifo = tmp_path / "config.fifo"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "w", encoding="utf-8") as fh:
            fh.write('threads = 3\nignore = ["XL501"]\n')

    writer = threading.Thread(target=feed)
    writer.start()
    settings = load_settings(str(fifo))
    writer.join()
    assert "XL501" in settings.ignore
    second: list[object] = []
    reader = threading.Thread(target=lambda: second.append(runtime_setting("threads", str(fifo))), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert second == [3]  # read again, the pipe would have waited for a writer that never comes
