"""The engine of named components: which annotators run, and --ignore hiding exactly one rule's
findings (hashed test encoder, hand-built multilingual stories; no model)."""
from __future__ import annotations

import pytest

from xlingo.check.base import all_rules
from xlingo.config import Settings
from xlingo.pipeline import Engine
from xlingo.testing import story_from_rows

# An invented story in four languages with something for most rule families: a figure that
# differs, a name spelled differently, a sentence left in French, a copied sentence, a sentence
# missing in one version, a photo credit in one version only.
ROWS = [
    {"de": "Die Gemeinde Rosswil eröffnet im Mai eine neue Bibliothek am Bahnhof.",
     "fr": "La commune de Rosswil ouvre en mai une nouvelle bibliothèque à la gare.",
     "es": "El municipio de Rosswil abre en mayo una nueva biblioteca en la estación.",
     "it": "Il comune di Rosswil apre a maggio una nuova biblioteca alla stazione."},
    {"de": "Der Bau kostete 4,2 Millionen Franken und dauerte zwei Jahre.",
     "fr": "La construction a coûté 4,2 millions de francs et a duré deux ans.",
     "es": "La obra costó 2,4 millones de francos y duró dos años.",
     "it": "I lavori sono costati 4,2 milioni di franchi e sono durati due anni."},
    {"de": "Die Architektin Léonie Farquhar entwarf das helle Gebäude aus Holz.",
     "fr": "L'architecte Léonie Farquhar a conçu le bâtiment lumineux en bois.",
     "es": "La arquitecta Leoni Farkar diseñó el luminoso edificio de madera.",
     "it": "L'architetta Léonie Farquhar ha progettato il luminoso edificio in legno."},
    {"de": "Les enfants pourront y emprunter des livres et des jeux gratuitement chaque semaine.",
     "fr": "Les enfants pourront y emprunter des livres et des jeux gratuitement chaque semaine.",
     "es": "Los niños podrán tomar prestados libros y juegos gratis cada semana.",
     "it": "I bambini potranno prendere in prestito libri e giochi gratuitamente ogni settimana."},
    {"de": "Die Öffnungszeiten werden bis Ende Juni verlängert.",
     "fr": "Les horaires d'ouverture seront prolongés jusqu'à fin juin.",
     "es": None,
     "it": "L'orario di apertura sarà prolungato fino alla fine di giugno."},
    {"de": "Am Eröffnungstag spielt die Musikschule ab 14 Uhr im Park.",
     "fr": "Le jour de l'ouverture, l'école de musique joue dès 14 heures dans le parc.",
     "es": "El día de la inauguración, la escuela de música toca a partir de las 14 horas en el parque.",
     "it": "Il giorno dell'inaugurazione la scuola di musica suona dalle 16 nel parco."},
    {"de": "Der Eintritt zur Feier ist frei, eine Anmeldung ist nicht nötig.",
     "fr": "L'entrée à la fête est libre, aucune inscription n'est nécessaire.",
     "es": "La entrada a la fiesta es libre y no hace falta inscribirse.",
     "it": "L'ingresso alla festa è libero, non è necessaria l'iscrizione."},
    {"de": "Foto: Marta Quintel/Gemeinde Rosswil", "fr": None, "es": None, "it": None},
]


def findings(settings: Settings) -> list[tuple]:
    engine = Engine(settings)
    story = engine.process(story_from_rows(ROWS), disable=["align"])
    return sorted((f.rule, f.doc, f.start, f.end, f.message, f.severity.value) for f in story.findings)


@pytest.fixture(scope="module")
def everything() -> list[tuple]:
    return findings(Settings(model="hashed-test"))


def test_the_story_exercises_several_rule_families(everything):
    families = {f[0][:3] for f in everything}
    assert len(families) >= 4, families
    assert any(f[0] == "XL601" for f in everything)


@pytest.mark.parametrize("code", [cls.code for cls in all_rules()])
def test_ignoring_a_rule_hides_exactly_its_findings(code, everything):
    without = findings(Settings(model="hashed-test", ignore=(code,)))
    assert without == [f for f in everything if f[0] != code]


def test_a_photo_credit_is_boilerplate_whether_or_not_xl601_reports_it(everything):
    credit = [f for f in everything if f[1] == "de" and "Foto" in ROWS[-1]["de"]]
    assert any(f[0] == "XL601" for f in credit)
    without = findings(Settings(model="hashed-test", ignore=("XL601",)))
    assert not any(f[0] == "XL002" for f in without)


def test_ignoring_span_rules_skips_word_alignment():
    engine = Engine(Settings(model="hashed-test", ignore=("XL7", "XL801", "XL803")))  # XL801, XL803 read it too
    assert "words" not in engine.component_names and "margins" in engine.component_names
    full = Engine(Settings(model="hashed-test"))
    assert full.component_names[:2] == ["embed", "align"] and full.component_names[-1] == "check"
    assert {"boilerplate", "copies", "words", "unsure-words", "margins", "divergence"} <= set(full.component_names)


def test_only_what_the_selected_rules_need_runs():
    engine = Engine(Settings(model="hashed-test", select=("XL1",)))
    # every report carries the rows' divergence and unsure words; the latter need the word analysis, which
    # no selected rule asks for here, so they stay empty
    assert engine.component_names == ["embed", "align", "boilerplate", "unsure-words", "margins", "divergence",
                                      "check"]
