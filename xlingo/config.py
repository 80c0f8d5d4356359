"""Settings: defaults, ``[tool.xlingo]`` in pyproject.toml or ``xlingo.toml``, CLI flags.

Precedence is CLI over config file over defaults. A config file looks like::

    [tool.xlingo]                 # or top level of xlingo.toml
    model = "e5-small"
    select = ["XL"]               # code prefixes
    ignore = ["XL502"]
    fail-on = "error"
    glossary = "terms.csv"

    [tool.xlingo.severity]
    XL001 = "error"

    [tool.xlingo.rules.XL003]     # rule options
    min_divergence = 0.9

    [tool.xlingo.per-language.fr] # overrides for findings in one language
    ignore = ["XL505"]

    [tool.xlingo.per-path."feeds/legacy/*"]
    ignore = ["XL5"]
"""
from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from xlingo.errors import ConfigError
from xlingo.report.model import Severity

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_MODEL = "e5-small"


@dataclass(frozen=True)
class Overrides:
    """Rule selection and severities that apply to a language or a path."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()


@dataclass(frozen=True)
class Settings:
    """Everything that changes a run's output (all of it goes into the signature)."""

    model: str = DEFAULT_MODEL
    select: tuple[str, ...] = ("XL",)
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()
    rule_options: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()
    per_language: tuple[tuple[str, Overrides], ...] = ()
    per_path: tuple[tuple[str, Overrides], ...] = ()
    fail_on: Severity = Severity.ERROR
    glossary: tuple[str, ...] = ()
    presplit: bool = False

    def with_cli(self, **kwargs: Any) -> Settings:
        """A copy with the given non-None CLI values applied."""
        return replace(self, **{k: v for k, v in kwargs.items() if v is not None})

    def options_for(self, code: str) -> dict[str, float]:
        return dict(dict(self.rule_options).get(code, ()))

    def enabled(self, code: str, lang: str | None = None, path: str | None = None) -> bool:
        """Is rule ``code`` on, for findings in this language and path?"""
        on = _selected(code, self.select, self.ignore)
        for ov in self._overrides(lang, path):
            if ov.select and _matches(code, ov.select):
                on = True
            if _matches(code, ov.ignore):
                on = False
        return on

    def severity_for(self, code: str, default: Severity, lang: str | None = None, path: str | None = None) -> Severity:
        sev = _lookup_severity(code, self.severity) or default
        for ov in self._overrides(lang, path):
            sev = _lookup_severity(code, ov.severity) or sev
        return sev

    def _overrides(self, lang: str | None, path: str | None) -> list[Overrides]:
        out = [ov for pat, ov in self.per_path if path and fnmatch.fnmatch(path, pat)]
        out += [ov for lg, ov in self.per_language if lang and lg == lang]
        return out


def _matches(code: str, prefixes: tuple[str, ...]) -> bool:
    return any(code.startswith(p) for p in prefixes)


def _selected(code: str, select: tuple[str, ...], ignore: tuple[str, ...]) -> bool:
    """ruff semantics: the longest matching prefix wins between select and ignore."""
    best_sel = max((len(p) for p in select if code.startswith(p)), default=-1)
    best_ign = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return best_sel >= 0 and best_sel > best_ign


def _lookup_severity(code: str, table: tuple[tuple[str, Severity], ...]) -> Severity | None:
    hits = [(len(p), s) for p, s in table if code.startswith(p)]
    return max(hits)[1] if hits else None


def parse_severity(value: str, where: str) -> Severity:
    try:
        return Severity(str(value).lower())
    except ValueError:
        raise ConfigError(f"{where}: severity must be error, warning or info, not {value!r}") from None


def _codes(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of rule codes")
    return tuple(v.strip().upper() for v in value)


def _severities(table: Any, where: str) -> tuple[tuple[str, Severity], ...]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table of CODE = severity")
    return tuple(sorted((k.upper(), parse_severity(v, f"{where}.{k}")) for k, v in table.items()))


def _overrides(table: Any, where: str) -> tuple[tuple[str, Overrides], ...]:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table")
    out = []
    for key, sub in sorted(table.items()):
        if not isinstance(sub, dict):
            raise ConfigError(f"{where}.{key}: expected a table")
        out.append((key, Overrides(select=_codes(sub.get("select", []), f"{where}.{key}.select"),
                                   ignore=_codes(sub.get("ignore", []), f"{where}.{key}.ignore"),
                                   severity=_severities(sub.get("severity", {}), f"{where}.{key}.severity"))))
    return tuple(out)


KNOWN_KEYS = {"model", "select", "ignore", "severity", "rules", "per-language", "per-path", "fail-on",
              "glossary", "presplit", "cache", "context"}


def settings_from_table(table: dict[str, Any], where: str, base: Settings | None = None) -> Settings:
    """Settings from a parsed ``[tool.xlingo]`` table."""
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KNOWN_KEYS))})")
    s = base or Settings()
    kw: dict[str, Any] = {}
    if "model" in table:
        kw["model"] = str(table["model"])
    if "select" in table:
        kw["select"] = _codes(table["select"], f"{where}.select")
    if "ignore" in table:
        kw["ignore"] = _codes(table["ignore"], f"{where}.ignore")
    if "severity" in table:
        kw["severity"] = _severities(table["severity"], f"{where}.severity")
    if "fail-on" in table:
        kw["fail_on"] = parse_severity(table["fail-on"], f"{where}.fail-on")
    if "glossary" in table:
        g = table["glossary"]
        kw["glossary"] = (g,) if isinstance(g, str) else tuple(g)
    if "presplit" in table:
        kw["presplit"] = bool(table["presplit"])
    if "rules" in table:
        rules = table["rules"]
        if not isinstance(rules, dict):
            raise ConfigError(f"{where}.rules: expected a table per rule code")
        opts = []
        for code, sub in sorted(rules.items()):
            if not isinstance(sub, dict) or not all(isinstance(v, (int, float)) for v in sub.values()):
                raise ConfigError(f"{where}.rules.{code}: options must be numbers")
            opts.append((code.upper(), tuple(sorted((k, float(v)) for k, v in sub.items()))))
        kw["rule_options"] = tuple(opts)
    if "per-language" in table:
        kw["per_language"] = _overrides(table["per-language"], f"{where}.per-language")
    if "per-path" in table:
        kw["per_path"] = _overrides(table["per-path"], f"{where}.per-path")
    return replace(s, **kw)


def find_config(start: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The nearest ``xlingo.toml`` or ``pyproject.toml`` with ``[tool.xlingo]``, upwards from ``start``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in ("xlingo.toml", "pyproject.toml"):
            f = folder / name
            if f.is_file():
                data = load_toml(f)
                table = data if name == "xlingo.toml" else data.get("tool", {}).get("xlingo")
                if table is not None:
                    return f, table
    return None


def load_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def load_settings(config: str | None = None, start: Path | None = None) -> Settings:
    """Settings from an explicit config file, or the nearest one found, or defaults."""
    if config:
        path = Path(config)
        if not path.is_file():
            raise ConfigError(f"{config}: no such config file")
        data = load_toml(path)
        table = data.get("tool", {}).get("xlingo", {}) if path.name == "pyproject.toml" else data
        return settings_from_table(table, str(path))
    found = find_config(start)
    if not found:
        return Settings()
    path, table = found
    return settings_from_table(table, str(path))

