"""Settings: precedence, selection semantics, per-language overrides, bad config."""
from __future__ import annotations

import pytest

from xlingo.config import Settings, load_settings
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
