"""XL201-XL203 on hand-built stories.

The XL202 cases need cross-lingual similarity: ``concept_embed`` below is a bag-of-concepts
stand-in for a multilingual encoder (translations of a word share a concept), enough to test the
logic without a model; the ``model`` tests at the end run the real default encoder.
"""
from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from xlingo.check.base import all_rules
from xlingo.check.rules.literal_names import NameTranslatedLiterally
from xlingo.check.rules.name_spelling import NameCasing, NameInconsistent
from xlingo.glossary import GlossaryEntry
from xlingo.model import Severity
from xlingo.testing import context_for, story_from_rows

CONCEPTS = {
    # a newspaper, a think tank, a band, a product: the words of invented names, in translation
    "courrier": "courier", "correio": "courier", "kurier": "courier", "corriere": "courier",
    "vallée": "valley", "vale": "valley", "tals": "valley", "tal": "valley", "valle": "valley",
    "nord": "north", "norte": "north", "nördlichen": "north", "northern": "north",
    "institut": "institute", "instituto": "institute", "harbor": "port", "porto": "port", "hafen": "port",
    "rouge": "red", "vermelho": "red", "roten": "red", "rot": "red",
    "lanterne": "lantern", "lanterna": "lantern", "linterna": "lantern", "laterne": "lantern",
    "argent": "silver", "prata": "silver", "plata": "silver", "silberne": "silver", "d": "of", "de": "of",
    "kingdom": "kingdom", "königreich": "kingdom", "royaume": "kingdom", "reino": "kingdom",
    "united": "united", "vereinigte": "united", "uni": "united", "unido": "united",
    "nuvem": "cloud", "motor": "engine", "centro": "center", "pesquisa": "research", "climática": "climate",
    "conseil": "board", "conselho": "board", "estadio": "stadium", "stadio": "stadium", "estádio": "stadium",
}


def concept_embed(texts, dim: int = 1024) -> np.ndarray:
    """Unit bag-of-concepts vectors: ``vallée`` and ``Valley`` land on the same dimension."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for k, text in enumerate(texts):
        for w in re.findall(r"\w+", text.lower()):
            c = CONCEPTS.get(w, w)
            out[k, int.from_bytes(hashlib.blake2b(c.encode(), digest_size=4).digest(), "little") % dim] += 1
        out[k] /= np.linalg.norm(out[k]) or 1.0
    return out


FILL = [  # ordinary rows around the row under test: a story has more than one sentence
    {"de": "Die Stadtverwaltung will nun neue Regeln vorlegen.",
     "fr": "La municipalité veut maintenant présenter de nouvelles règles.",
     "pt": "A câmara municipal quer agora apresentar novas regras."},
    {"de": "Bürgermeister Rui Tavares sprach am Mittwoch von einer Krise.",
     "fr": "Le maire Rui Tavares a parlé mercredi d'une crise.",
     "pt": "O presidente da câmara Rui Tavares falou na quarta-feira de uma crise."},
    {"de": "Vermieter kritisierten den Plan scharf.", "fr": "Les propriétaires ont vivement critiqué le plan.",
     "pt": "Os senhorios criticaram duramente o plano."},
    {"de": "Die Abstimmung im Stadtrat ist für Oktober geplant.",
     "fr": "Le vote au conseil municipal est prévu pour octobre.",
     "pt": "A votação na assembleia municipal está prevista para outubro."},
]


def run(rule, rows, context=None, embed=None, **kwargs):
    story = story_from_rows(rows, context=context)
    ctx = context_for(story, **({"embed": embed} if embed else {}), **kwargs)
    return story, list(rule().check(ctx))


def flagged_then_fixed(row, lang, fixed):
    """XL201's findings on ``row`` as (version, text, suggestion, severity), asserting there are none
    once version ``lang`` reads ``fixed``."""
    assert run(NameInconsistent, [{**row, lang: fixed}], embed=concept_embed)[1] == []
    return [(f.doc, f.text, f.suggestion, f.severity) for f in run(NameInconsistent, [row], embed=concept_embed)[1]]


def test_rules_are_registered_with_docs():
    codes = {r.code: r for r in all_rules()}
    for rule in (NameInconsistent, NameTranslatedLiterally, NameCasing):
        assert codes[rule.code] is rule
        doc = rule.doc()
        for part in ("What it does", "Why is this bad?", "Example", "Use instead"):
            assert part in doc


# --------------------------------------------------------------------------- XL201

BRAND = [
    {"en": "Granite Cloud opened a data centre in Lisbon on Monday.",
     "fr": "Granite Cloud a ouvert lundi un centre de données à Lisbonne.",
     "pt": "A Nuvem Granite abriu na segunda-feira um centro de dados em Lisboa.",
     "de": "Granit Cloud eröffnete am Montag ein Rechenzentrum in Lissabon."},
    {"en": "Chief executive Marta Oliveira met Peter Keller in Munich.",
     "fr": "La directrice générale Marta Oliveira a rencontré Peter Keller à Munich.",
     "pt": "A diretora-executiva Marta Oliveira reuniu-se com Peter Keller em Munique.",
     "de": "Vorstandschefin Marta Oliveira traf Peter Keller in München."},
]


def test_brand_misspelled_or_partly_translated_in_one_version_each():
    story, found = run(NameInconsistent, BRAND, embed=concept_embed)
    assert {(f.doc, f.text, f.severity) for f in found} == {
        ("pt", "Nuvem Granite", Severity.ERROR), ("de", "Granit Cloud", Severity.ERROR)}
    for f in found:
        doc = story.document(f.doc)
        assert doc.text[f.start:f.end] == f.text and f.row == 0
        assert f.suggestion == "Granite Cloud"
        assert {r.lang for r in f.related} == {"en", "fr", "pt", "de"} - {f.lang}
    pt = next(f for f in found if f.doc == "pt")
    assert "partly translated" in pt.message and "`Granite Cloud` in en, fr" in pt.message


def test_a_misspelling_beside_the_right_spelling_in_its_own_version_is_flagged():
    # a merged row: the Dutch version writes the name three times, once misspelt; the others write
    # it as often, so the misspelling is the one left over when the others' mentions are paired
    rows = [{"es": "La senadora criticó al presidente Donald Kowalczyk en marzo. Hizo campaña contra Kowalczyk en "
                   "Ohio y dice que vencerá a Kowalczyk.",
             "it": "La senatrice ha criticato il presidente Donald Kowalczyk a marzo. Ha fatto campagna contro "
                   "Kowalczyk in Ohio e dice che batterà Kowalczyk.",
             "nl": "De senator bekritiseerde president Donald Kowalczyk in maart. Ze voerde campagne tegen Kowalczk "
                   "in Ohio en zegt dat ze Kowalczyk zal verslaan."}]
    _, found = run(NameInconsistent, rows)
    assert [(f.doc, f.text, f.severity) for f in found] == [("nl", "Kowalczk", Severity.ERROR)]
    rows[0]["nl"] = rows[0]["nl"].replace("Kowalczk", "Kowalczyk")
    assert run(NameInconsistent, rows)[1] == []


def test_names_that_agree_and_place_names_localised_are_not_flagged():
    # Lisbon/Lisbonne/Lisboa/Lissabon and Munich/München/Munique are localisations, people agree
    story, found = run(NameInconsistent, BRAND, embed=concept_embed)
    assert all(f.row == 0 and "Granite" in f.suggestion for f in found)


def test_exonyms_common_in_each_language_are_not_flagged():
    rows = [{"en": "Vienna and Geneva signed a deal with Brazil, Mayor Anna Keller said.",
             "es": "Viena y Ginebra firmaron un acuerdo con Brasil, dijo la alcaldesa Anna Keller.",
             "pt": "Viena e Genebra assinaram um acordo com o Brasil, disse a presidente Anna Keller.",
             "fr": "Vienne et Genève ont signé un accord avec le Brésil, a déclaré la maire Anna Keller."}]
    assert run(NameInconsistent, rows)[1] == []


def test_place_names_inside_a_story_follow_each_language():
    rows = [{"en": "The fair moves from Basel to Lucerne.", "de": "Die Messe zieht von Basel nach Luzern.",
             "fr": "La foire quitte Bâle pour Lucerne."}]
    assert run(NameInconsistent, rows)[1] == []


def test_acronyms_legal_forms_and_titles_may_differ_between_versions():
    rows = [{"en": "Zentrix AG hired Anna Keller from the SERI.", "de": "Zentrix AG stellte Anna Keller vom SERI ein.",
             "fr": "Zentrix SA a engagé Mme Keller du SEFRI."}]
    assert run(NameInconsistent, rows)[1] == []


def test_a_word_before_an_institutions_head_is_part_of_its_name_not_a_title():
    # the words before "Commission" are the name itself: one replaced is the name changed, however the
    # rest ends alike; a title before a person's surname (Mme Keller / Anna Keller) is still left alone
    row = {"en": "The Silver Lake Commission closed the bay, Commissioner Anna Keller said.",
           "fr": "La Silver Lake Commission a fermé la baie, a déclaré Mme Keller.",
           "es": "La Silver Lake Commission cerró la bahía, dijo la comisionada Anna Keller.",
           "pt": "A Prata Lake Commission fechou a baía, disse a comissária Anna Keller.",
           "ru": "Комиссия Silver Lake Commission закрыла залив, сообщила Анна Келлер."}
    assert flagged_then_fixed(row, "pt", row["pt"].replace("Prata", "Silver")) == [
        ("pt", "Prata Lake Commission", "Silver Lake Commission", Severity.ERROR)]
    assert "partly translated" in run(NameInconsistent, [row], embed=concept_embed)[1][0].message


def test_a_name_written_in_katakana_counts_as_kept_by_its_sounds():
    # one other Latin-script version keeps "Sartori" and the Japanese writes it by its sounds, with
    # no space around it: two versions against "Sastre"; a Japanese name of other sounds keeps nothing
    row = {"pt": "O golo decisivo foi marcado por Nico Sartori no último minuto.",
           "ja": "決勝ゴールは終了間際にニコ・サルトーリが決めた。",
           "es": "El gol decisivo lo marcó Nico Sastre en el último minuto."}
    assert flagged_then_fixed(row, "ja", "決勝ゴールは終了間際にニコ・ロッシが決めた。") == [
        ("es", "Nico Sastre", "Nico Sartori", Severity.ERROR)]


def test_a_city_renamed_by_a_word_is_flagged_and_its_exonym_is_not():
    # a city takes no title or given name: a word put before its kept part is the name changed
    # (``Largo`` for *Long*); the name a language gives the city (GeoNames) is no slip
    row = {"en": "The festival moves from New Orleans to Long Beach in May.",
           "de": "Das Festival zieht im Mai von New Orleans nach Long Beach.",
           "es": "El festival se traslada en mayo de Nueva Orleans a Largo Beach.",
           "pt": "O festival muda-se em maio de Nova Orleães para Long Beach."}
    assert flagged_then_fixed(row, "es", row["es"].replace("Largo", "Long")) == [
        ("es", "Largo Beach", "Long Beach", Severity.ERROR)]


def test_a_name_turned_into_words_of_the_language_is_flagged_where_every_other_version_keeps_it():
    # "Rapide"/"Rápido" for a club's "Rapid" that two other versions keep as it is: no language
    # localises it, so it is no localisation, though the city is named as the language names it
    rows = [{"fr": "Le Rapide Lisbonne reçoit le champion jeudi soir au stade.",
             "it": "Il Rapid Lisbon ospita i campioni giovedì sera allo stadio.",
             "es": "El Rapid Lisbon recibe al campeón el jueves por la noche en el estadio."}]
    _, found = run(NameInconsistent, rows, embed=concept_embed)
    assert [(f.doc, f.text, f.suggestion, f.severity) for f in found] == [
        ("fr", "Rapide Lisbonne", "Rapid Lisbon", Severity.ERROR)]
    row = {"pt": "O Rápido Lisboa recebe o campeão na quinta-feira à noite no estádio.",
           "pl": "Rapid Lisbon podejmie mistrzów w czwartek wieczorem na stadionie.",
           "de": "Rapid Lisbon empfängt den Meister am Donnerstagabend im Stadion."}
    assert flagged_then_fixed(row, "pt", row["pt"].replace("Rápido", "Rapid")) == [
        ("pt", "Rápido Lisboa", "Rapid Lisbon", Severity.ERROR)]


@pytest.mark.parametrize("row, misspelt", [
    ({"pt": "Na terça-feira, o Senador Jeff Flake votou contra o projeto.",
      "en": "On Tuesday, Senator Jeff Flake voted against the bill.",
      "pl": "We wtorek Senator Jeff Flake głosował przeciwko projektowi."}, ("Flake", "Flakke")),
    ({"es": "El lunes, el Príncipe Harry visitó el hospital de Cardiff.",
      "en": "On Monday, Prince Harry visited the hospital in Cardiff.",
      "fr": "Lundi, le Prince Harry a visité l'hôpital de Cardiff."}, ("Harry", "Harri")),
    ({"fr": "Le budget a été présenté jeudi par Mme Keller.",
      "it": "Il bilancio è stato presentato giovedì da Anna Keller.",
      "es": "El presupuesto fue presentado el jueves por Anna Keller."}, None),
])
def test_a_title_as_the_language_writes_it_is_no_name_changed(row, misspelt):
    # "Senador"/"Príncipe" spell the title two other versions keep; "Mme" puts a title where they
    # write the given name: the person is the same, the name unchanged; the name after it misspelt is found
    assert run(NameInconsistent, [row], embed=concept_embed)[1] == []
    if misspelt:
        first = next(iter(row))
        row = {**row, first: row[first].replace(*misspelt)}
        assert [f.doc for f in run(NameInconsistent, [row], embed=concept_embed)[1]] == [first]


def test_a_word_of_the_name_the_others_translate_is_no_misspelling_where_a_version_keeps_it():
    # "Estadio"/"Estádio" translate the *Stadio* of Naples' stadium, which the German keeps: the two
    # look alike, but the others' word is their language's own; "John" is everyone's, so "Jonh" is a slip
    rows = [{"de": "Liverpool spielt am Mittwoch im Stadio San Paolo in Neapel.",
             "es": "El Liverpool juega el miércoles en el Estadio San Paolo de Nápoles.",
             "pt": "O Liverpool joga na quarta-feira no Estádio San Paolo em Nápoles."}]
    assert run(NameInconsistent, rows, embed=concept_embed)[1] == []
    rows = [{"es": "Una mujer fue atacada en Jonh Street, en el centro de la ciudad.",
             "it": "Una donna è stata aggredita in John Street, nel centro della città.",
             "nl": "Een vrouw werd aangevallen in John Street, in het centrum van de stad."}]
    assert [(f.doc, f.text) for f in run(NameInconsistent, rows, embed=concept_embed)[1]] == [("es", "Jonh Street")]
    # "Research" is English, the German and Portuguese keep it: the name's own word, not a translation
    rows = [{"fr": "Il a ensuite dirigé Microsoft Reasearch en Asie.", "en": "He then ran Microsoft Research in Asia.",
             "de": "Danach leitete er Microsoft Research in Asien.",
             "pt": "Depois dirigiu a Microsoft Research na Ásia."}]
    found = run(NameInconsistent, rows, embed=concept_embed)[1]
    assert [(f.doc, f.text) for f in found] == [("fr", "Microsoft Reasearch")]


@pytest.mark.parametrize("row, lang", [
    ({"es": "El Liverpool juega en el Estadio Marassi el miércoles.",
      "nl": "Liverpool speelt woensdag in het Stadio Marassi in Genua.",
      "pl": "Liverpool zagra w środę na Stadio Marassi w Genui."}, "es"),
    ({"pt": "O Liverpool joga na quarta-feira no Estádio Marassi em Génova.",
      "de": "Liverpool spielt am Mittwoch im Stadio Marassi in Genua.",
      "en": "Liverpool play at the Stadio Marassi in Genoa on Wednesday."}, "pt"),
])
def test_a_descriptor_translated_where_every_other_version_keeps_it_is_a_warning(row, lang):
    # "Estadio" is spelled like the *Stadio* the others keep and means it: localised, not garbled
    found = run(NameInconsistent, [row], embed=concept_embed)[1]
    assert [(f.doc, f.severity) for f in found] == [(lang, Severity.WARNING)]


def test_a_common_word_spelled_like_a_kept_name_word_but_meaning_another_stays_an_error():
    row = {"es": "El fundador de Gatos Foundation habló el lunes.", "nl": "De oprichter van Gates Foundation sprak maandag.",
           "pl": "Założyciel Gates Foundation przemówił w poniedziałek."}
    found = run(NameInconsistent, [row], embed=concept_embed)[1]
    assert [(f.doc, f.text, f.severity) for f in found] == [("es", "Gatos Foundation", Severity.ERROR)]


def test_words_turned_against_one_other_version_are_no_vote_of_other_languages():
    # the check itself, below the vote: one other version keeping "Rapid" says nothing of what
    # other languages do; two do
    from xlingo.names import story_names

    row = {"fr": "Le Rapide Lisbonne reçoit le champion jeudi soir.",
           "it": "Il Rapid Lisbon ospita i campioni giovedì sera."}
    for extra, expected in (({}, False), ({"de": "Rapid Lisbon empfängt den Meister am Donnerstagabend."}, True)):
        ctx = context_for(story_from_rows([{**row, **extra}]), embed=concept_embed)
        cl = next(c for c in story_names(ctx).clusters[0] if any(m.lang == "fr" for m in c.mentions))
        m = next(x for x in cl.mentions if x.lang == "fr")
        ref = next(x for x in cl.mentions if x.lang == "it")
        assert NameInconsistent._translates_words_others_keep(ctx, cl, m, ref) is expected


def test_versions_that_differ_only_by_a_citys_name_vote_as_one_form():
    # fr and it write the club alike but for the city, each in its language: one form, two
    # versions, against pt's "Rápido"; the same name with pt's own city's name is no finding
    rows = [{"pt": "O Rápido de Viena recebe o campeão na quinta-feira à noite.",
             "fr": "Le Rapid Vienne reçoit le champion jeudi soir.",
             "it": "Il Rapid Vienna ospita i campioni giovedì sera."}]
    _, found = run(NameInconsistent, rows, embed=concept_embed)
    assert [(f.doc, f.text, f.severity) for f in found] == [("pt", "Rápido de Viena", Severity.ERROR)]
    rows[0]["pt"] = "O Rapid de Viena recebe o campeão na quinta-feira à noite."
    assert run(NameInconsistent, rows, embed=concept_embed)[1] == []


@pytest.mark.parametrize("row", [
    # the name's head noun as the language writes it, where the others keep "Europa League"
    {"fr": "Le club jouera la Ligue Europa la saison prochaine.",
     "it": "Il club giocherà la Europa League la prossima stagione.",
     "de": "Der Klub spielt nächste Saison in der Europa League."},
    # a town's rare name in the language, which no gazetteer lists: a localisation, not a word turned
    {"fr": "Le festival de Thoune ouvre ses portes vendredi.",
     "it": "Il festival di Thun apre i battenti venerdì.",
     "es": "El festival de Thun abre sus puertas el viernes."},
    # a name of one word as the language names it (a river), a word of the language too
    {"pt": "Os barcos do Lago Vorsa para o Amazonas levam a bandeira: \"O rio é nosso.\"",
     "de": "Boote vom Vorsasee bis zum Amazon tragen die Flagge: „Der Fluss gehört uns.“",
     "zh": "从 Vorsa 湖到 Amazon 的船上挂着旗帜：“河流属于我们。”"},
    # the name's word kept, though it is a word of the language too, and the city localised
    {"pt": "O Real Lisboa recebe o campeão na quinta-feira à noite.",
     "es": "El Real Lisbon recibe al campeón el jueves por la noche.",
     "it": "Il Real Lisbon ospita i campioni giovedì sera."},
    # the kept word declined (Polish), not turned into another word
    {"pl": "Kibice Rapidu Lisbon świętowali do rana.",
     "it": "I tifosi del Rapid Lisbon hanno festeggiato fino al mattino.",
     "es": "Los aficionados del Rapid Lisbon celebraron hasta la mañana."},
    # one other version only, though this one keeps the name elsewhere: no vote of other languages
    {"fr": "Le Rapide Lisbonne reçoit le champion jeudi soir au stade, où le Rapid Lisbon n'a jamais perdu.",
     "it": "Il Rapid Lisbon ospita i campioni giovedì sera allo stadio, dove non ha mai perso."},
    # a country as the language names it, an ordinary word too: no gazetteer lists it
    {"fr": "Le Chili a rappelé son ambassadeur jeudi.",
     "de": "Chile hat am Donnerstag seinen Botschafter zurückgerufen.",
     "pt": "O Chile chamou o seu embaixador na quinta-feira."},
])
def test_a_localised_kept_declined_or_lone_rendering_is_no_finding(row):
    assert run(NameInconsistent, [row], embed=concept_embed)[1] == []


def test_a_name_word_replaced_by_a_common_word_is_flagged_however_the_others_keep_it():
    # pt puts an ordinary word (common in Italian too) where every other version keeps "Gazette"; the
    # place name the versions share is no cognate that would make it a name translated word for word
    row = {"nl": "Volgens de London Gazette stak het bataljon het kanaal over in dichte mist.",
           "it": "Secondo la London Gazette, il battaglione attraversò il canale nella nebbia fitta.",
           "pt": "Segundo o London Vista, o batalhão atravessou o canal num nevoeiro cerrado."}
    fixed = "Segundo a London Gazette, o batalhão atravessou o canal num nevoeiro cerrado."
    assert flagged_then_fixed(row, "pt", fixed) == [("pt", "London Vista", "London Gazette", Severity.ERROR)]


def test_a_version_in_another_script_keeps_a_name_word_it_writes_by_its_sounds():
    # ru writes Mogollon Rim in Cyrillic letters: it keeps "Rim" as much as en and fr do, so the Italian
    # common word in its place is the name garbled; with ru translating it (plateau), no vote says so
    rows = [{"en": "Heavy rain is expected on the Mogollon Rim in Arizona.",
             "fr": "De fortes pluies sont attendues sur le Mogollon Rim en Arizona.",
             "it": "Sul Mogollon Bordo in Arizona sono attese forti piogge.",
             "ru": "На Моголлон-Рим в Аризоне ожидаются сильные дожди."}]
    _, found = run(NameInconsistent, rows, embed=concept_embed)
    assert [(f.doc, f.text) for f in found] == [("it", "Mogollon Bordo")]
    rows[0]["ru"] = "На плато Моголлон в Аризоне ожидаются сильные дожди."
    assert run(NameInconsistent, rows, embed=concept_embed)[1] == []


@pytest.mark.parametrize("pl", ["Deana Hacketta", "Dean Hackett"])
def test_a_declined_name_is_kept_by_the_sounds_another_script_writes_as_much_as_its_plain_form(pl):
    # es and pl spell the surname apart (one t or two) and zh writes it by its sounds, which fit
    # both: no vote either way, whether or not pl declines the name (Hacketta: genitive -a)
    rows = [{"pl": f"Owen Pryce podał do kapitana {pl}, ale Ian Foley przejął piłkę.",
             "es": "Owen Pryce pasó al capitán Dean Hacket, pero Ian Foley recuperó el balón.",
             "zh": "普赖斯传球给队长迪恩·哈克特，但伊恩·弗利抢断了球。"}]
    assert run(NameInconsistent, rows, embed=concept_embed)[1] == []


def test_no_majority_form_votes_word_by_word():
    rows = [{"de": "Die Einnahmen gehen an die Cloud-Sparte Vulkanis Engine.",
             "pt": "As receitas vão para a unidade de nuvem, o Volkanis Motor.",
             "fr": "Les revenus vont à l'unité cloud, Volkanis Engine."}]
    _, found = run(NameInconsistent, rows, embed=concept_embed)
    assert {(f.doc, f.text) for f in found} == {("de", "Vulkanis Engine"), ("pt", "Volkanis Motor")}
    assert all(f.suggestion == "Volkanis Engine" for f in found)


def test_a_partial_rendering_is_flagged_beside_a_kept_word_the_version_writes_as_a_name_of_its_own():
    rows = [{"en": "Ryan Zinke said that Washington can use its navy, as the Washington Examiner reported.",
             "it": "Ryan Zinke ha detto che Washington può usare la marina, come riporta il Washington Investigatori.",
             "de": "Ryan Zinke sagte, Washington könne die Marine einsetzen, wie der Washington Examiner berichtete."}]
    _, found = run(NameTranslatedLiterally, [rows[0]] + FILL, embed=concept_embed)
    assert [(f.doc, f.text) for f in found] == [("it", "Washington Investigatori")]


def test_a_partial_rendering_is_flagged_whether_the_replaced_word_is_a_translation_or_not(monkeypatch):
    rows = [{"en": "She joined Zentrix Media in May.", "pt": "Ela entrou na Zentrix Media em maio.",
             "fr": "Elle a rejoint Zentrix Presse en mai."}]
    monkeypatch.setitem(CONCEPTS, "presse", "media")
    _, found = run(NameInconsistent, rows, embed=concept_embed)  # a translation of the word
    assert [(f.doc, f.text, f.suggestion) for f in found] == [("fr", "Zentrix Presse", "Zentrix Media")]
    monkeypatch.delitem(CONCEPTS, "presse")
    # every other version keeps `Media`: a common French word in its place garbles the name, whatever it means
    _, found = run(NameInconsistent, rows, embed=concept_embed)
    assert [(f.doc, f.text, f.suggestion) for f in found] == [("fr", "Zentrix Presse", "Zentrix Media")]


def test_inflected_names_in_german_are_the_same_name():
    rows = [{"de": "Die Kunden der Deutschen Bank und Zentrix' Partner klagen.",
             "fr": "Les clients de la Deutsche Bank et les partenaires de Zentrix se plaignent.",
             "en": "Deutsche Bank clients and Zentrix partners complain."}]
    assert run(NameInconsistent, rows)[1] == []


def test_a_romance_plural_of_a_brand_is_the_same_name():
    rows = [{"pt": "A Valtrix fechará a sua fábrica de Zorbas em Oxford.",
             "es": "Valtrix cerrará su fábrica de Zorbas en Oxford.",
             "en": "Valtrix will close its Zorba plant in Oxford.",
             "de": "Valtrix wird sein Zorba-Werk in Oxford schließen."}]
    assert run(NameInconsistent, rows)[1] == []
    rows[0]["pt"] = "A Valtrix fechará a sua fábrica de Zorbos em Oxford."
    assert [f.doc for f in run(NameInconsistent, rows)[1]] == ["pt"]


def test_a_name_translated_word_for_word_cognates_and_all_is_not_half_translated():
    rows = [{"en": "The Regional Climate Research Center opened in Braga.",
             "de": "Das Regional Climate Research Center wurde in Braga eröffnet.",
             "fr": "Le Regional Climate Research Center a ouvert à Braga.",
             "pt": "O Centro Regional de Pesquisa Climática abriu em Braga."}]
    assert run(NameInconsistent, rows, embed=concept_embed)[1] == []
    rows[0]["pt"] = "O Centro Regional Climate Research abriu em Braga."  # English words kept beside Portuguese
    assert [f.doc for f in run(NameInconsistent, rows, embed=concept_embed)[1]] == ["pt"]


def test_two_versions_that_each_keep_their_own_form_are_left_alone():
    rows = [{"de": "Der Zug fährt durch das Valsorin nach Norden.", "fr": "Le train traverse la Valsorine vers le nord."},
            {"de": "Im Valsorin liegt viel Schnee.", "fr": "Dans la Valsorine, il y a beaucoup de neige."}]
    assert run(NameInconsistent, rows)[1] == []


def test_two_versions_one_of_which_also_uses_the_other_form_is_a_warning():
    rows = [{"de": "Wir nutzen Zentrix Labs seit Jahren.", "fr": "Nous utilisons Zentrix Labs depuis des années."},
            {"de": "Zentriks Labs hat den Vertrag verlängert.", "fr": "Zentrix Labs a prolongé le contrat."}]
    _, found = run(NameInconsistent, rows)
    assert [(f.doc, f.row, f.text, f.severity) for f in found] == [("de", 1, "Zentriks Labs", Severity.WARNING)]
    assert "elsewhere in this version" in found[0].message


def test_context_document_settles_two_versions():
    rows = [{"de": "Zentriks Labs hat den Vertrag verlängert.", "fr": "Zentrix Labs a prolongé le contrat."}]
    assert run(NameInconsistent, rows)[1] == []
    _, found = run(NameInconsistent, rows, context={"en-wire": "Zentrix Labs extended the contract, it said."})
    assert [(f.doc, f.text, f.suggestion) for f in found] == [("de", "Zentriks Labs", "Zentrix Labs")]
    assert "context documents" in found[0].message


def test_do_not_translate_glossary_settles_two_versions():
    rows = [{"de": "Zentriks Labs hat den Vertrag verlängert.", "fr": "Zentrix Labs a prolongé le contrat."}]
    _, found = run(NameInconsistent, rows, glossary=[GlossaryEntry("Zentrix Labs", dnt=True)])
    assert [(f.doc, f.suggestion) for f in found] == [("de", "Zentrix Labs")]
    assert "glossary" in found[0].message


def test_boilerplate_rows_are_skipped():
    _, found = run(NameInconsistent, BRAND, boilerplate={("de", 0), ("pt", 0), ("fr", 0), ("en", 0)})
    assert found == []


# --------------------------------------------------------------------------- XL202

COURIER = {"de": "Laut dem Northern Valley Courier stiegen die Mieten in Porto um acht Prozent.",
           "pt": "Segundo o Northern Valley Courier, os aluguéis no Porto subiram oito por cento.",
           "fr": "Selon le Courrier de la vallée du Nord, les loyers à Porto ont augmenté de huit pour cent."}


def test_name_translated_in_one_version_kept_in_the_others():
    story, found = run(NameTranslatedLiterally, [COURIER] + FILL, embed=concept_embed)
    assert len(found) == 1
    f = found[0]
    assert (f.rule, f.doc, f.row, f.severity) == ("XL202", "fr", 0, Severity.ERROR)
    assert f.text == "Courrier de la vallée du Nord" == story.document("fr").text[f.start:f.end]
    assert f.suggestion == "Northern Valley Courier"
    assert sorted(r.lang for r in f.related) == ["de", "pt"]


def test_a_rendering_that_is_not_the_names_words_one_by_one_is_a_warning():
    # a localised title: fewer words than the name, one of them no translation of a word of it
    rows = [dict(COURIER, fr="Selon le Courrier du Nord, les loyers à Porto ont augmenté de huit pour cent.")]
    _, found = run(NameTranslatedLiterally, rows + FILL, embed=concept_embed)
    assert [(f.doc, f.text, f.severity) for f in found] == [("fr", "Courrier du Nord", Severity.WARNING)]


def test_a_quoted_phrase_is_not_a_name():
    rows = [{"de": "Er schrieb: „The Man Formerly Known As Northern Valley“.",
             "pt": "Ele escreveu: \"The Man Formerly Known As Northern Valley\".",
             "fr": "Il a écrit : « L'homme autrefois connu comme vallée du Nord »."}] + FILL
    assert run(NameTranslatedLiterally, rows, embed=concept_embed)[1] == []


def test_a_transliteration_of_another_name_of_the_row_is_no_rendering_of_the_name_it_was_paired_with():
    from xlingo.check.rules.literal_names import _Literal
    from xlingo.names import story_names

    row = {"es": "El rapero, antes llamado Lucky Harbor o J. Marlo, cambió de nombre.",
           "it": "Il rapper, prima chiamato Lucky Harbor o J. Marlo, ha cambiato nome.",
           "ru": "Рэпер, раньше известный как Счастливая гавань или Джей Марло, сменил имя."}
    story = story_from_rows([row])
    ctx = context_for(story, embed=concept_embed)
    text = story.document("ru").text

    def paired(words: str) -> bool:
        at = text.index(words)
        lit = _Literal("ru", 0, at, at + len(words), "Lucky Harbor", "versions", [], True, 3.0, slot=True)
        return NameTranslatedLiterally._another_name(ctx, story_names(ctx), lit)

    assert paired("Джей Марло")  # J. Marlo transliterated: another name of the list
    assert not paired("Счастливая гавань")  # Lucky Harbor translated word by word: still a rendering of it


def test_name_kept_in_every_version_is_fine():
    rows = [dict(COURIER, fr="Selon le Northern Valley Courier, les loyers à Porto ont augmenté de huit pour cent.")]
    assert run(NameTranslatedLiterally, rows + FILL, embed=concept_embed)[1] == []


def test_think_tank_translated_in_subject_position():
    rows = [{"de": "Der Red Harbor Institute veröffentlichte am Montag eine Studie über Energiepreise.",
             "fr": "L'Institut du Port rouge a publié lundi une étude sur les prix de l'énergie.",
             "pt": "O Red Harbor Institute publicou na segunda-feira um estudo sobre os preços da energia."}] + FILL
    _, found = run(NameTranslatedLiterally, rows, embed=concept_embed)
    assert [(f.doc, f.text, f.suggestion, f.severity) for f in found] == [
        ("fr", "Institut du Port rouge", "Red Harbor Institute", Severity.ERROR)]


def test_a_public_institution_translated_whole_is_information():
    # news translates a board's, a centre's, a committee's name as a rule; a think tank's it keeps
    rows = [{"de": "Der Red Harbor Board veröffentlichte am Montag eine Studie über Energiepreise.",
             "fr": "Le Conseil du Port rouge a publié lundi une étude sur les prix de l'énergie.",
             "pt": "O Red Harbor Board publicou na segunda-feira um estudo sobre os preços da energia."}] + FILL
    _, found = run(NameTranslatedLiterally, rows, embed=concept_embed)
    assert [(f.doc, f.text, f.severity) for f in found] == [("fr", "Conseil du Port rouge", Severity.INFO)]


def test_band_name_translated_among_spanish_italian_french():
    rows = [{"es": "El grupo Silver Lantern actuará en Valencia en julio.",
             "it": "La band Silver Lantern suonerà a Valencia a luglio.",
             "fr": "Le groupe Lanterne d'argent jouera à Valence en juillet."},
            {"es": "Las entradas se agotaron en dos horas.", "it": "I biglietti sono andati esauriti in due ore.",
             "fr": "Les billets se sont vendus en deux heures."},
            {"es": "La cantante Ines Arroyo habló de su gira.", "it": "La cantante Ines Arroyo ha parlato del tour.",
             "fr": "La chanteuse Ines Arroyo a parlé de la tournée."}]
    _, found = run(NameTranslatedLiterally, rows, embed=concept_embed)
    assert [(f.doc, f.text, f.suggestion) for f in found] == [("fr", "Lanterne d'argent", "Silver Lantern")]


def test_context_document_names_the_original_of_a_slot_every_version_translated():
    rows = [{"de": "Ein Bericht (über Kurier des nördlichen Tals) nennt acht Prozent.",
             "pt": "Um relatório (via Correio do Vale do Norte) cita oito por cento.",
             "fr": "Un rapport (via Courrier de la vallée du Nord) cite huit pour cent."}] + FILL
    context = {"en-article": "Rents in Porto rose eight percent, the Northern Valley Courier reported on Tuesday."}
    assert run(NameTranslatedLiterally, rows, embed=concept_embed)[1] == []  # no one keeps it, nothing names it
    _, found = run(NameTranslatedLiterally, rows, context=context, embed=concept_embed)
    assert {(f.doc, f.text) for f in found} == {("de", "Kurier des nördlichen Tals"), ("pt", "Correio do Vale do Norte"),
                                                 ("fr", "Courrier de la vallée du Nord")}
    assert all(f.suggestion == "Northern Valley Courier" and f.severity == Severity.ERROR for f in found)
    assert all(f.related[0].doc == "en-article" for f in found)


def test_glossary_term_rendered_word_by_word_outside_a_slot():
    rows = [{"de": "Der Northern Valley Courier berichtete über steigende Mieten.",
             "fr": "Le Courrier de la vallée du Nord a parlé de la hausse des loyers.",
             "pt": "O Northern Valley Courier noticiou a subida das rendas."}] + FILL
    glossary = [GlossaryEntry("Northern Valley Courier", dnt=True)]
    _, found = run(NameTranslatedLiterally, rows, embed=concept_embed, glossary=glossary)
    assert [(f.doc, f.text, f.severity, f.suggestion) for f in found] == [
        ("fr", "Courrier de la vallée du Nord", Severity.ERROR, "Northern Valley Courier")]
    assert "glossary" in found[0].message


def test_common_noun_phrases_after_a_cue_are_not_names():
    rows = [{"en": "According to the local newspaper, the bridge will close in May.",
             "fr": "Selon le journal local, le pont fermera en mai.",
             "de": "Laut der Lokalzeitung wird die Brücke im Mai geschlossen.",
             "pt": "Segundo o jornal local, a ponte fechará em maio."}]
    assert run(NameTranslatedLiterally, rows, embed=concept_embed)[1] == []


def test_official_names_every_version_renders_are_not_flagged():
    rows = [{"de": "Laut dem Bundesamt für Statistik stiegen die Preise in Bern um zwei Prozent.",
             "fr": "Selon l'Office fédéral de la statistique, les prix à Berne ont augmenté de deux pour cent.",
             "it": "Secondo l'Ufficio federale di statistica, i prezzi a Berna sono aumentati del due per cento."},
            {"de": "Die Schweizerische Nationalbank reagierte nicht.", "fr": "La Banque nationale suisse n'a pas réagi.",
             "it": "La Banca nazionale svizzera non ha reagito."}]
    assert run(NameTranslatedLiterally, rows, embed=concept_embed)[1] == []


def test_country_names_in_running_text_are_not_literal_translations_of_the_context():
    rows = [{"de": "Das Vereinigte Königreich begrüßte die Einigung.", "fr": "Le Royaume-Uni a salué l'accord.",
             "pt": "O Reino Unido saudou o acordo."}] + FILL
    context = {"en-article": "The deal was welcomed by the United Kingdom on Monday."}
    assert run(NameTranslatedLiterally, rows, context=context, embed=concept_embed)[1] == []


# --------------------------------------------------------------------------- XL203


def test_broken_brand_casing_in_one_version():
    rows = [{"en": "The code is hosted on GitHub.", "fr": "Le code est hébergé sur GitHub.",
             "pt": "O código está hospedado no GiTHub.", "de": "Der Code liegt auf GitHub."}]
    story, found = run(NameCasing, rows)
    assert [(f.doc, f.text, f.suggestion, f.severity) for f in found] == [("pt", "GiTHub", "GitHub", Severity.WARNING)]
    assert story.document("pt").text[found[0].start:found[0].end] == "GiTHub"
    assert sorted(r.lang for r in found[0].related) == ["de", "en", "fr"]


def test_casing_varies_inside_one_version():
    rows = [{"de": "Acme baut ein Werk.", "fr": "Acme construit une usine."},
            {"de": "Acme stellt ein.", "fr": "Acme embauche."},
            {"de": "Der Chef von ACME sprach.", "fr": "Le patron d'Acme a parlé."}]
    _, found = run(NameCasing, rows)
    assert [(f.doc, f.row, f.text, f.suggestion) for f in found] == [("de", 2, "ACME", "Acme")]


def test_newsroom_acronym_style_and_sentence_starts_are_not_flagged():
    rows = [{"en": "NASA launched a probe.", "fr": "La Nasa a lancé une sonde.", "de": "Die NASA startete eine Sonde."},
            {"en": "Scientists at NASA cheered.", "fr": "Les scientifiques de la Nasa ont applaudi.",
             "de": "Forscher der NASA jubelten."},
            {"en": "The app runs on eBay.", "fr": "L'application tourne sur eBay.", "de": "EBay nutzt die App."}]
    assert run(NameCasing, rows)[1] == []


def test_brand_casing_outvoted_by_a_flattened_form_is_not_flagged():
    rows = [{"en": "The assistant runs on ChatGPT.", "fr": "L'assistant fonctionne avec Chatgpt.",
             "de": "Der Assistent läuft mit Chatgpt."}]
    assert run(NameCasing, rows)[1] == []


def test_an_all_lower_case_form_does_not_set_the_casing():
    rows = [{"en": "See github for the code.", "fr": "Voir github pour le code.", "de": "Siehe GitHub für den Code."}]
    assert run(NameCasing, rows)[1] == []


def test_shouting_headlines_are_ignored():
    rows = [{"en": "GITHUB ACQUIRES ZENTRIX", "fr": "GITHUB RACHÈTE ZENTRIX", "de": "GITHUB KAUFT ZENTRIX"},
            {"en": "GitHub bought Zentrix.", "fr": "GitHub a racheté Zentrix.", "de": "GitHub kaufte Zentrix."}]
    assert run(NameCasing, rows)[1] == []


# --------------------------------------------------------------------------- real encoder


@pytest.mark.model
def test_literal_translations_with_the_default_encoder(embedder):
    _, found = run(NameTranslatedLiterally, [COURIER] + FILL, embed=embedder)
    assert [(f.doc, f.text, f.suggestion) for f in found] == [
        ("fr", "Courrier de la vallée du Nord", "Northern Valley Courier")]
    rows = [{"de": "Der Red Harbor Institute veröffentlichte am Montag eine Studie über Energiepreise.",
             "fr": "L'Institut du Port rouge a publié lundi une étude sur les prix de l'énergie.",
             "pt": "O Red Harbor Institute publicou na segunda-feira um estudo sobre os preços da energia."}] + FILL
    _, found = run(NameTranslatedLiterally, rows, embed=embedder)
    assert [(f.doc, f.text) for f in found] == [("fr", "Institut du Port rouge")]


@pytest.mark.model
def test_context_name_with_the_default_encoder(embedder):
    rows = [{"de": "Laut dem Kurier des nördlichen Tals stiegen die Mieten in Porto um acht Prozent.",
             "pt": "Segundo o Correio do Vale do Norte, os aluguéis no Porto subiram oito por cento.",
             "fr": "Selon le Courrier de la vallée du Nord, les loyers à Porto ont augmenté de huit pour cent."}] + FILL
    context = {"en-article": "Rents in Porto rose eight percent last year, the Northern Valley Courier reported."}
    _, found = run(NameTranslatedLiterally, rows, context=context, embed=embedder)
    assert {f.doc for f in found} == {"de", "pt", "fr"}
    assert all(f.suggestion == "Northern Valley Courier" for f in found)


@pytest.mark.model
def test_no_literal_translation_in_clean_official_text_with_the_default_encoder(embedder):
    rows = [{"de": "Laut dem Bundesamt für Statistik stiegen die Preise in Bern um zwei Prozent.",
             "fr": "Selon l'Office fédéral de la statistique, les prix à Berne ont augmenté de deux pour cent.",
             "it": "Secondo l'Ufficio federale di statistica, i prezzi a Berna sono aumentati del due per cento."},
            {"de": "Das Vereinigte Königreich und Deutschland begrüßten dies.",
             "fr": "Le Royaume-Uni et l'Allemagne ont salué l'accord.",
             "it": "Il Regno Unito e la Germania hanno accolto l'accordo."}]
    assert run(NameTranslatedLiterally, rows, embed=embedder,
               context={"en-article": "The United Kingdom welcomed it."})[1] == []


@pytest.mark.model
def test_no_list_no_context_every_version_translating_the_name(embedder):
    """Rule 3(c) with no glossary, no context and no version keeping the name: the slot is worded
    differently in every version (one rendering is not even a word), other names agree."""
    rows = [{"de": "Laut Kestrel Analytics (über Nördlichen Talkurier) fiel die Zahl freier Wohnungen in Porto um ein Drittel.",
             "fr": "Selon Kestrel Analytics (via Courrier de la vallée du Nord), le nombre de logements vacants à Porto a baissé d'un tiers.",
             "pt": "Segundo a Kestrel Analytics (via Correio do Vale do Norte), o número de casas vagas no Porto caiu um terço."}] + FILL
    _, found = run(NameTranslatedLiterally, rows, embed=embedder)
    assert {f.doc for f in found} == {"de", "fr", "pt"}
    assert all(f.suggestion is None and "every version words it differently" in f.message for f in found)
    assert {f.text for f in found} >= {"Courrier de la vallée du Nord", "Correio do Vale do Norte"}


@pytest.mark.model
def test_no_list_no_context_translated_institution_is_not_flagged(embedder):
    rows = [{"de": "Laut Kestrel Analytics (über das Statistische Landesamt) fiel die Zahl freier Wohnungen in Porto um ein Drittel.",
             "fr": "Selon Kestrel Analytics (via l'Office régional de la statistique), le nombre de logements vacants à Porto a baissé d'un tiers.",
             "pt": "Segundo a Kestrel Analytics (via o Instituto Regional de Estatística), o número de casas vagas no Porto caiu um terço."}] + FILL
    assert run(NameTranslatedLiterally, rows, embed=embedder)[1] == []


def test_a_name_transliterated_into_another_script_is_not_a_literal_translation():
    class Langs:
        @staticmethod
        def other_langs(lang):
            return ["en", "de"]

    rule = NameTranslatedLiterally()
    assert not rule._rendering("Сан-Диего", "San Diego", "ru", Langs())  # the same name in Cyrillic letters
    assert not rule._rendering("Ред Харбор", "Red Harbor", "ru", Langs())
    assert rule._rendering("Красная гавань", "Red Harbor", "ru", Langs())  # its words translated
    # every word written by its sounds, though each is an ordinary Russian word too (пенс: a penny)
    assert not rule._rendering("Майк Пенс", "Mike Pence", "ru", Langs())
    assert not rule._rendering("Джонни Инглиш", "Johnny English", "ru", Langs())
    assert rule._rendering("Голубой дом", "Blue House", "ru", Langs())  # translated: no word sounds alike
    assert not rule._rendering("Западная Вирджиния", "West Virginia", "ru", Langs())  # the compass turned too


EXAMINER = {"es": "Según el Harbor Examiner, el puerto cerrará en mayo.",
            "en": "According to the Harbor Examiner, the port will close in May.",
            "it": "Secondo il Harbor Investigatore, il porto chiuderà a maggio."}


def test_a_word_of_a_kept_name_turned_in_place_into_an_ordinary_word_is_flagged():
    _, found = run(NameTranslatedLiterally, [EXAMINER] + FILL, embed=concept_embed)
    assert [(f.doc, f.text, f.suggestion) for f in found] == [("it", "Harbor Investigatore", "Harbor Examiner")]
    cyrillic = {"en": "The band Silver Breed played in Bristol.", "pt": "A banda Silver Breed tocou em Bristol.",
                "ru": "Группа Silver Порода выступила в Бристоле."}
    _, found = run(NameTranslatedLiterally, [cyrillic] + FILL, embed=concept_embed)
    assert [(f.doc, f.text) for f in found] == [("ru", "Silver Порода")]


def test_xl202_leaves_a_partial_rendering_alone_when_the_others_spell_the_name_two_ways():
    rows = {"es": "El Harbor Examiner cerrará su redacción en mayo.", "en": "The Harbor Examinor will close its newsroom in May.",
            "it": "Il Harbor Investigatore chiuderà la sua redazione a maggio."}
    assert run(NameTranslatedLiterally, [rows] + FILL, embed=concept_embed)[1] == []
    rows["en"] = "The Harbor Examiner will close its newsroom in May."  # spelled alike: a partial rendering
    assert [f.doc for f in run(NameTranslatedLiterally, [rows] + FILL, embed=concept_embed)[1]] == ["it"]


@pytest.mark.parametrize("rows", [
    # a title and a lake's descriptor translated before the kept name
    [{"en": "Queen Elsbeth visited Lake Tavora on Monday.", "de": "Königin Elsbeth besuchte am Montag den Lago Tavora.",
      "ru": "Королева Эльсбет посетила озеро Тавора в понедельник."}],
    # a compound of the language's own, hyphenated
    [{"en": "The Tavora Rim trail reopened.", "de": "Der Wanderweg am Tavora-Rand wurde wieder geöffnet.",
      "pt": "O trilho do Tavora Rim reabriu."}],
    # a country's name localised beside a kept acronym, a club's acronym
    [{"en": "BBC Tavoria reported it first.", "de": "BBC Tavoria berichtete zuerst darüber.",
      "pt": "A BBC Escócia noticiou-o primeiro."}],
    # two translations sharing a word, their other words cognates
    [{"en": "The Judiciary Committee voted.", "es": "Votó el Comité Judicial.", "pt": "Votou o Comité Judiciário."}],
    # the name kept by every version, in Latin letters inside a Chinese and a Russian text
    [{"en": "The Harbor Examiner reported it first.", "zh": "Harbor Examiner 首先报道了此事。",
      "ru": "Первым об этом сообщил Harbor Examiner."}],
    # two transliterations of one name; the Dutch one's second word happens to be a Dutch word
    [{"es": "El número ha bajado desde que Kim Jong-un llegó al poder hace siete años.",
      "nl": "Het aantal is gedaald sinds Kim Jong-un zeven jaar geleden aan de macht kwam.",
      "pl": "Liczba spadła, odkąd siedem lat temu Kim Dzong Un przejął władzę."}],
    # names transliterated into Cyrillic, their words frequent Russian words (``Уотсон``, ``Бридж``)
    [{"en": "Bubba Watson and Webb Simpson won the morning round.",
      "ru": "Бубба Уотсон и Уэбб Симпсон выиграли утренний раунд."}],
    [{"en": "The match will be played at Stamford Bridge on Sunday.",
      "ru": "Матч пройдёт на стадионе Стэмфорд Бридж в воскресенье."}],
    [{"en": "On the show, presenter Kirsty Young asked him about it.",
      "ru": "В передаче ведущая Кирсти Янг спросила его об этом."}],
    # a kept word another name of the row holds too: the country rendered, not the war
    [{"en": "Since 2018 North Korea has wanted a formal end to the Korea War.",
      "pl": "Od 2018 roku Korea Północna chce formalnego zakończenia wojny koreańskiej."}],
])
def test_titles_descriptors_compounds_cognates_and_kept_names_are_not_partial_renderings(rows):
    assert run(NameTranslatedLiterally, rows + FILL, embed=concept_embed)[1] == []


def test_a_translation_two_languages_share_is_no_form_another_language_must_keep():
    # made up: the European Parliament, translated alike in Spanish and Italian, declined in Polish
    rows = [{"es": "Anunció su candidatura al Parlamento Europeo el sábado.",
             "it": "Ha annunciato la sua candidatura al Parlamento Europeo sabato.",
             "nl": "Hij maakte zaterdag zijn kandidatuur voor het Europees Parlement bekend.",
             "pl": "W sobotę ogłosił chęć startu w wyborach do Parlamentu Europejskiego."}]
    assert run(NameInconsistent, rows + FILL)[1] == []
    # a name two versions keep in its own words is still one to keep (Morning Post, not Poranna Poczta)
    rows = [{"en": "The Harbor Morning Post reported it on Saturday.",
             "de": "Die Harbor Morning Post berichtete am Samstag darüber.",
             "pl": "Harbor Poranna Poczta poinformowała o tym w sobotę."}]
    assert [f.doc for f in run(NameInconsistent, rows + FILL, embed=concept_embed)[1]] == ["pl"]


@pytest.mark.parametrize("rows, doc, text", [
    # a given name the other versions keep, replaced by an ordinary German word
    ({"en": "The try by Warwick Quennell was converted by Oduya.",
      "de": "Den Versuch von Buchstabe Quennell verwandelte Oduya.",
      "fr": "L'essai de Warwick Quennell a été transformé par Oduya."}, "de", "Buchstabe Quennell"),
    # the first word of a newspaper's name translated, the rest kept
    ({"en": "A trader told the Evening News that the pig was locked up.",
      "nl": "Een handelaar vertelde de Avond News dat het varken was opgesloten.",
      "de": "Ein Händler sagte den Evening News, das Schwein sei eingesperrt worden."}, "nl", "Avond News"),
    # one of the versions keeping the name declines it (Polish), the other does not
    ({"pl": "Oduya podwyższył przyłożenie Warwicka Quennella.",
      "de": "Den Versuch von Buchstabe Quennell verwandelte Oduya.",
      "fr": "L'essai de Warwick Quennell a été transformé par Oduya."}, "de", "Buchstabe Quennell"),
    # a French version, a surname no dictionary knows whole (its parts are French words)
    ({"en": "The try by Warwick McDowall was converted by Oduya.",
      "fr": "L'essai de Londres McDowall a été transformé par Oduya.",
      "de": "Den Versuch von Warwick McDowall verwandelte Oduya."}, "fr", "Londres McDowall"),
    # kept in lower-case-title French, so no title: a given name
    ({"it": "Il rapper Che Oduya cambia nome.", "fr": "Le rappeur Kanye Oduya change de nom.",
      "es": "El rapero Kanye Oduya cambia de nombre."}, "it", "Che Oduya"),
    # a Cyrillic version turns the first word of a shop's name kept in Latin letters
    ({"en": "It will host Fragrance Shop kiosks.", "ru": "Там будут киоски Масок Shop.",
      "de": "Es wird Kioske von Fragrance Shop geben."}, "ru", "Масок Shop"),
    # one version keeps it in Latin letters, another writes it by its sounds in its own script
    ({"en": "The Baker Cup starts on Friday.", "ru": "Кубок Бейкера стартует в пятницу.",
      "es": "La Panadero Cup empieza el viernes."}, "es", "Panadero Cup"),
    ({"en": "The Baker Cup starts on Friday.", "ar": "تنطلق بطولة كأس بيكر يوم الجمعة.",
      "es": "La Panadero Cup empieza el viernes."}, "es", "Panadero Cup"),
    # one version keeps the name, another keeps its own word capitalised and translates the rest
    ({"nl": "Hij speelde de beiaard van de Riverside Church.", "fr": "Il jouait le carillon de l'église Riverside.",
      "es": "Tocaba el carillón de la Ribera Church."}, "es", "Ribera Church"),
])
def test_a_name_word_every_other_version_keeps_is_flagged_even_before_the_kept_ones(rows, doc, text):
    _, found = run(NameTranslatedLiterally, [rows] + FILL, embed=concept_embed)
    assert [(f.doc, f.text) for f in found] == [(doc, text)]


@pytest.mark.parametrize("rows", [
    # a title each language translates; German writes `Queen` too, as a word of its own
    {"en": "Queen Elizabeth opened the bridge on Monday.", "de": "Königin Elizabeth eröffnete am Montag die Brücke.",
     "fr": "La reine Elizabeth a inauguré le pont lundi."},
    {"en": "Queen Elizabeth opened the bridge on Monday.", "de": "Queen Elizabeth eröffnete am Montag die Brücke.",
     "es": "Reina Elizabeth inauguró el puente el lunes."},
    # a lake's descriptor (kept by one version, translated in lower case by another); a city's name in Spanish
    {"en": "They walked around Lake Tahoe in June.", "de": "Sie wanderten im Juni um den Lake Tahoe.",
     "es": "Caminaron alrededor del Lago Tahoe en junio."},
    {"en": "They walked around Lake Tahoe in June.", "fr": "Ils ont fait le tour du lac Tahoe en juin.",
     "es": "Caminaron alrededor del Lago Tahoe en junio."},
    # a team's name run together with its keeper's by one version: the keeper's name is kept whole
    {"fr": "Le tir fut repoussé par le gardien des Rangers Allan McGregor.",
     "pt": "O remate foi travado pelo guarda-redes do Rangers, Allan McGregor.",
     "de": "Der Schuss wurde vom Rangers-Torhüter Allan McGregor abgewehrt."},
    {"it": "I procuratori di New York chiedono la pena.", "nl": "De aanklagers in New York eisen de straf.",
     "es": "Los fiscales de Nueva York piden la pena."},
    # a given name declined in Polish
    {"es": "El hijo de Sarah Palin fue detenido.", "it": "Il figlio di Sarah Palin è stato arrestato.",
     "pl": "Syn Sary Palin został aresztowany."},
    # the version in another script translates the word too (the baker's cup): a word each may render
    {"en": "The Baker Cup starts on Friday.", "ru": "Кубок пекаря стартует в пятницу.",
     "es": "La Panadero Cup empieza el viernes."},
])
def test_a_title_a_descriptor_an_exonym_or_a_declined_given_name_before_a_kept_word_is_no_rendering(rows):
    assert run(NameTranslatedLiterally, [rows] + FILL, embed=concept_embed)[1] == []


def test_a_common_word_meaning_nothing_of_a_word_every_other_version_keeps_garbles_the_name():
    # where a title or a given name would stand, a common word of the version that means nothing of
    # the word the others keep (*hoop*, hope, for "Jazzy") is the name garbled, not a given name
    row = {"en": "The rapper once known as Jazzy Moonfield opened the festival.",
           "de": "Der Rapper, einst als Jazzy Moonfield bekannt, eröffnete das Festival.",
           "nl": "De rapper die ooit bekendstond als Hoop Moonfield opende het festival."}
    assert flagged_then_fixed(row, "nl", row["nl"].replace("Hoop", "Jazzy")) == [
        ("nl", "Hoop Moonfield", "Jazzy Moonfield", Severity.ERROR)]

    # nor is a relative of the same surname the version names beside him (``Johna``, John's)
    row = {"pl": "Wielebny David Moonfield, syn Johna Moonfielda, przemówił.", "en": "Reverend David Moonfield spoke.",
           "es": "El reverendo David Moonfield habló."}
    assert run(NameInconsistent, [row], embed=concept_embed)[1] == []
    # before a place, the common word may be how the language names its part of it
    row = {"en": "The shop opened in Lower Manhattan on Monday.", "de": "Der Laden eröffnete am Montag in Lower Manhattan.",
           "pt": "A loja abriu na Baixa de Manhattan na segunda-feira."}
    assert run(NameInconsistent, [row], embed=concept_embed)[1] == []
