"""Glossary files (CSV, TBX) and XL301 glossary-term on hand-built rows."""
from __future__ import annotations

import pytest

from xlingo.check.rules.glossary import GlossaryTerm, term_pattern
from xlingo.errors import InputError
from xlingo.glossary import GlossaryEntry, load_glossary
from xlingo.model import Severity
from xlingo.testing import context_for, story_from_rows

GLOSSARY = [
    GlossaryEntry("data protection", {"de": "Datenschutz", "fr": "protection des données",
                                      "pt": "proteção de dados", "es": "protección de datos"}, source="g.csv:2"),
    GlossaryEntry("Lakeside Gazette", dnt=True, source="g.csv:3"),
    GlossaryEntry("board", {"de": "Vorstand", "nl": "bestuur", "it": "consiglio"}, source="g.csv:4"),
]


def run(rows, glossary=GLOSSARY):
    story = story_from_rows(rows)
    return story, list(GlossaryTerm().check(context_for(story, glossary=glossary)))


# --------------------------------------------------------------------------- loading

def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_csv_glossary(tmp_path):
    p = write(tmp_path, "g.csv", "\ufeffterm,de,fr,pt-BR,dnt,note\n"
                                 "data protection,Datenschutz,protection des données,proteção de dados,,legal\n"
                                 "\n"
                                 "Lakeside Gazette,,,,yes,\n"
                                 "Kremlin,,,,,\n")
    entries = load_glossary(p)
    assert [(e.term, e.dnt, e.source) for e in entries] == [
        ("data protection", False, f"{p}:2"), ("Lakeside Gazette", True, f"{p}:4"), ("Kremlin", True, f"{p}:5")]
    assert entries[0].expected("de") == "Datenschutz"
    assert entries[0].expected("pt") == "proteção de dados"      # base language finds pt-BR
    assert entries[0].expected("fr-CA") == "protection des données"
    assert entries[0].expected("it") is None
    assert entries[1].expected("it") == "Lakeside Gazette"


def test_csv_with_semicolons_and_tabs(tmp_path):
    assert load_glossary(write(tmp_path, "a.csv", "term;de\nboard;Vorstand\n"))[0].expected("de") == "Vorstand"
    assert load_glossary(write(tmp_path, "b.tsv", "term\tnl\nboard\tbestuur\n"))[0].expected("nl") == "bestuur"


@pytest.mark.parametrize("text,message", [
    ("word,de\nboard,Vorstand\n", ":1: glossary header has no 'term' column"),
    ("term,de,de\nboard,Vorstand,Rat\n", ":1: column 'de' appears twice"),
    ("term,German\nboard,Vorstand\n", ":1: column 'German' is neither"),
    ("term,de,jp\nboard,Vorstand,取締役会\n", ":1: column 'jp' is not a language tag"),  # was: never applied
    ("term,de\nboard,Vorstand\n,Rat\n", ":3: empty 'term'"),
    ("term,de,dnt\nboard,Vorstand,maybe\n", ":2: 'dnt' must be"),
    ("term,de\nboard,Vorstand,extra\n", ":2: 3 fields, the header has 2"),
    ("term,de\n", ": glossary holds no entries"),
])
def test_bad_csv_names_file_and_line(tmp_path, text, message):
    p = write(tmp_path, "g.csv", text)
    with pytest.raises(InputError) as err:
        load_glossary(p)
    assert str(err.value).startswith(str(p)) and message in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_or_empty_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_glossary(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="empty"):
        load_glossary(write(tmp_path, "e.csv", ""))


TBX2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBXcoreStructV02" xml:lang="en">
 <martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
 <text><body>
  <termEntry id="t1">
   <langSet xml:lang="en"><tig><term>data protection</term></tig></langSet>
   <langSet xml:lang="de-DE"><tig><term>Datenschutz</term></tig></langSet>
   <langSet xml:lang="fr">
    <tig><term>protection de la vie privée</term>
         <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
    <tig><term>protection des données</term></tig>
   </langSet>
  </termEntry>
 </body></text>
</martif>
"""

TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="de" xmlns="urn:iso:std:iso:30042:ed-2">
 <text><body>
  <conceptEntry id="c1">
   <langSec xml:lang="nl"><termSec><term>bestuur</term></termSec></langSec>
   <langSec xml:lang="de"><termSec><term>Vorstand</term></termSec></langSec>
  </conceptEntry>
 </body></text>
</tbx>
"""


def test_tbx2_and_tbx3(tmp_path):
    [e] = load_glossary(write(tmp_path, "g.tbx", TBX2))
    assert e.term == "data protection" and e.source == f"{tmp_path / 'g.tbx'}:6"
    assert (e.expected("de"), e.expected("fr")) == ("Datenschutz", "protection des données")
    [e] = load_glossary(write(tmp_path, "h.tbx", TBX3))
    assert e.term == "Vorstand"  # the root's xml:lang is the source language
    assert e.expected("nl") == "bestuur"


@pytest.mark.parametrize("text,message", [
    ("<tbx xml:lang='en'><text><body>\n<conceptEntry>\n</body></text></tbx>", ":3: malformed TBX"),
    ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n<tbx><text/></tbx>', "entity declarations"),
    ("<html><body/></html>", ":1: not a TBX file"),
    ("<tbx><text><body>\n<conceptEntry><langSec xml:lang='en'><termSec><term> </term></termSec></langSec>"
     "</conceptEntry></body></text></tbx>", ":2: empty <term>"),
    ("<tbx><text><body></body></text></tbx>", "no entries"),
    ("<tbx><text><body>\n<conceptEntry><langSec xml:lang='cn'><termSec><term>董事会</term></termSec></langSec>"
     "</conceptEntry></body></text></tbx>", ":2: xml:lang 'cn' is not a language tag"),
])
def test_bad_tbx(tmp_path, text, message):
    p = write(tmp_path, "g.tbx", text)
    with pytest.raises(InputError) as err:
        load_glossary(p)
    assert message in str(err.value) and "\n" not in str(err.value)


# --------------------------------------------------------------------------- XL301

def test_pattern_is_word_bounded_case_insensitive_and_inflection_tolerant():
    p = term_pattern("Datenschutz")
    assert p.search("des Datenschutzes wegen") and p.search("DATENSCHUTZ") and p.search("Datenschutz-Grundverordnung")
    assert not p.search("Datenschutzbeauftragte")  # a compound needs its own entry
    assert term_pattern("data protection").search("data-protection rules")
    assert not term_pattern("board").search("the boardroom")


def test_other_rendering_is_flagged_on_the_whole_cell():
    rows = [{"en": "The data protection office fined the bank.",
             "de": "Die Datensicherheitsbehörde verhängte eine Strafe gegen die Bank.",
             "fr": "L'office de protection des données a infligé une amende à la banque."}]
    story, found = run(rows)
    assert [(f.rule, f.doc, f.severity, f.suggestion) for f in found] == [
        ("XL301", "de", Severity.ERROR, "Datenschutz")]
    assert found[0].text == story.document("de").text
    assert [r.text for r in found[0].related] == ["data protection", "protection des données"]


def test_term_left_untranslated_is_pointed_at():
    rows = [{"en": "The data protection office fined the bank.",
             "es": "La oficina de data protection multó al banco.",
             "pt": "O escritório de proteção de dados multou o banco."}]
    _, found = run(rows)
    assert [(f.doc, f.text) for f in found] == [("es", "data protection")]
    assert "left as is" in found[0].message and found[0].suggestion == "protección de datos"


def test_do_not_translate_name_near_miss_and_translation():
    rows = [{"en": "The Lakeside Gazette reported it first.",
             "de": "Die Lakeside Gazete berichtete zuerst.",
             "it": "La Gazzetta del Lago lo ha riportato per prima."}]
    _, found = run(rows)
    assert sorted((f.doc, f.text) for f in found) == [
        ("de", "Lakeside Gazete"), ("it", "La Gazzetta del Lago lo ha riportato per prima.")]
    assert all(f.suggestion == "Lakeside Gazette" for f in found)


def test_clean_rows_inflection_and_case():
    rows = [{"en": "The Board met; the data protection rules stay.",
             "de": "Der Vorstand tagte; die Regeln des Datenschutzes bleiben.",
             "nl": "Het bestuur vergaderde; de regels blijven.",
             "it": "Il Consiglio si è riunito; le regole restano."},
            {"en": "Readers of the LAKESIDE GAZETTE were told.", "de": "Die Leser der Lakeside Gazette erfuhren es."}]
    _, found = run(rows)
    assert found == []


def test_no_evidence_no_finding():
    # the term is nowhere in the row: a version lacking it is not an error
    rows = [{"en": "The bank was fined.", "de": "Die Bank wurde bestraft.", "fr": "La banque a été sanctionnée."}]
    assert run(rows)[1] == []
    # only the version that must carry it does: nothing to compare with
    rows = [{"de": "Der Datenschutz wurde verletzt.", "it": "La privacy è stata violata."}]
    assert run(rows)[1] == []
    assert run([{"en": "data protection", "de": "Schutz"}], glossary=[])[1] == []
