"""Catalogue severity = shown severity = gate: a rule gives only the severities it documents."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

import xlingo.cli  # noqa: F401  (registers the commands)
from xlingo.check.base import CheckContext, Rule, all_rules, register
from xlingo.cli.app import app
from xlingo.model import Severity
from xlingo.testing import context_for, story_from_rows


def test_graded_rules_document_every_level_and_the_catalogue_one():
    graded = [r for r in all_rules() if r.levels]
    assert {"XL001", "XL101", "XL201", "XL202", "XL701"} <= {r.code for r in graded}
    for r in graded:
        assert r.severity in r.levels
        doc = r.doc()
        assert "## Severity" in doc
        for sev in r.levels:
            assert f"**{sev.value}**" in doc


def test_rules_command_shows_the_levels():
    out = CliRunner().invoke(app, ["rules", "XL202"]).output
    assert "## Severity" in out and "**error** (catalogue)" in out and "**warning**" in out


class _Undocumented(Rule):
    """Test rule.

    What it does: flags every document at a severity it does not document.
    Why is this bad? Test only. Example: none. Use instead: nothing.
    """

    code = "XL990"
    name = "undocumented"
    severity = Severity.WARNING
    summary = "test"

    def check(self, ctx: CheckContext):
        d = ctx.documents[0]
        yield ctx.finding(self, d, 0, 1, "x", severity=Severity.ERROR)


def test_a_finding_at_an_undocumented_severity_is_a_bug():
    ctx = context_for(story_from_rows([{"de": "Ein Satz.", "fr": "Une phrase."}]))
    with pytest.raises(ValueError, match="XL990: severity error is not one of its documented levels"):
        list(_Undocumented().check(ctx))


def test_levels_must_include_the_catalogue_severity():
    class Bad(_Undocumented):
        __doc__ = _Undocumented.__doc__
        code = "XL991"
        levels = {Severity.ERROR: "always"}

    with pytest.raises(ValueError, match="catalogue severity warning"):
        register(Bad)


STORY = {  # invented: every version words the source's name differently (no list, no context)
    "de": "Laut Kestrel Analytics (über Nördlichen Talkurier) fiel die Zahl freier Wohnungen in Porto um ein Drittel.\n"
          "Die Stadtverwaltung will nun neue Regeln vorlegen.\n"
          "Bürgermeister Rui Tavares sprach am Mittwoch von einer Krise.\n"
          "Vermieter kritisierten den Plan scharf.\n",
    "fr": "Selon Kestrel Analytics (via Courrier de la vallée du Nord), le nombre de logements vacants à Porto a baissé d'un tiers.\n"
          "La municipalité veut maintenant présenter de nouvelles règles.\n"
          "Le maire Rui Tavares a parlé mercredi d'une crise.\n"
          "Les propriétaires ont vivement critiqué le plan.\n",
    "pt": "Segundo a Kestrel Analytics (via Correio do Vale do Norte), o número de casas vagas no Porto caiu um terço.\n"
          "A câmara municipal quer agora apresentar novas regras.\n"
          "O presidente da câmara Rui Tavares falou na quarta-feira de uma crise.\n"
          "Os senhorios criticaram duramente o plano.\n",
}


@pytest.mark.model
def test_a_name_translated_word_by_word_fails_the_gate_with_default_settings(tmp_path: Path):
    for lang, text in STORY.items():
        (tmp_path / f"rents.{lang}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "junit.xml"
    result = CliRunner().invoke(app, ["check", str(tmp_path), "--no-group", "--presplit", "--no-cache",
                                      "--select", "XL202", "--format", "junit", "-o", str(out)])
    assert result.exit_code == 1, result.output
    cases = {c.get("name"): c for c in ET.parse(out).getroot().iter("testcase")}
    fr = [c for name, c in cases.items() if name.startswith("fr:")]
    assert fr and fr[0].find("failure") is not None
    assert "XL202" in fr[0].find("failure").text
