"""XL803: the names of a row across versions (swapped, repeated, rendered).

Every sentence here is made up for these tests (no seed text), in Latin, Cyrillic, Chinese,
Japanese and Arabic script; the "no finding" cases are renderings a translator may choose.
"""
from __future__ import annotations

import hashlib
import re

import numpy as np
import pytest

from tests.rule_rows import DIM, FILL, lexicon_embed, lexicon_tokens, run, token_states, word_vector
from xlingo.check.rules.name_swaps import NameSubstituted
from xlingo.model import Severity
from xlingo.testing import context_for, story_from_rows


def test_substituted_place_name_across_scripts():
    rows = [{"en": "Minister Karin Dalby opened the bridge in Tervola.",
             "de": "Ministerin Karin Dalby eröffnete die Brücke in Tervola.",
             "ru": "Министр Карин Далби открыла мост в Терволе.",
             "fr": "La ministre Karin Dalby a inauguré le pont à Kuopio."}]
    found = run(NameSubstituted, rows)
    assert [(f.lang, f.text, f.severity) for f in found] == [("fr", "Kuopio", Severity.ERROR)]
    assert {s.text for s in found[0].related} == {"Tervola", "Терволе"}  # the Russian version is read too


def test_name_repeated_where_another_is_missing():
    rows = [{"en": "Karin Dalby thanked Olli Varga for the plan.", "fr": "Karin Dalby a remercié Olli Varga pour le plan.",
             "es": "Karin Dalby agradeció a Karin Dalby el plan."}]
    found = run(NameSubstituted, rows)
    assert [(f.lang, f.severity) for f in found] == [("es", Severity.ERROR)]
    assert found[0].text == "Karin Dalby" and found[0].start > rows[0]["es"].index("a Karin")


def _concept_embed(texts, dim: int = 512) -> np.ndarray:
    """Bag of words in which exonyms share a dimension (what the real encoder does for them)."""
    same = {"neapel": "naples", "napoli": "naples", "wiedniu": "vienna", "viena": "vienna", "rowerzysta": "cyclist",
            "ciclista": "cyclist"}
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for k, text in enumerate(texts):
        for w in re.findall(r"\w+", text.lower()):
            out[k, int.from_bytes(hashlib.blake2b(same.get(w, w).encode(), digest_size=4).digest(), "little") % dim] += 1
        out[k] /= np.linalg.norm(out[k]) or 1.0
    return out


@pytest.mark.parametrize("rows", [
    # an exonym is the same place
    [{"en": "The match in Naples ended late.", "de": "Das Spiel in Neapel endete spät.",
      "it": "La partita a Napoli è finita tardi."}],
    # a pronoun where the others repeat the name; names reordered
    [{"en": "Olli Varga met Karin Dalby, and Karin Dalby signed.",
      "fr": "Karin Dalby a rencontré Olli Varga, puis elle a signé.",
      "pl": "Olli Varga spotkał się z Karin Dalby, która podpisała."}],
    # a club's short name
    [{"en": "Livingston scored after 34 minutes.", "fr": "Livi a marqué à la 34e minute.",
      "pt": "O Livingston marcou aos 34 minutos."}],
    # a Cyrillic version transliterates every name
    [{"en": "Olli Varga flew to Tervola.", "ru": "Олли Варга улетел в Терволу.", "de": "Olli Varga flog nach Tervola."}],
    # and declines it where the others keep one spelling
    [{"en": "The prize went to Jon Rahm.", "ru": "Приз достался Джону Раму.", "es": "El premio fue para Jon Rahm."}],
    # a city declined in its own language's name, beside a word capitalised only as the sentence's first
    [{"en": "A cyclist was hurt in Vienna on Monday.", "es": "Un ciclista resultó herido en Viena el lunes.",
      "it": "Un ciclista è rimasto ferito a Vienna lunedì.", "pl": "Rowerzysta został ranny w Wiedniu w poniedziałek."}],
    # a US state half translated, its kept word spelt with a w for the v
    [{"en": "The mine in West Virginia closed.", "es": "La mina de West Virginia cerró.",
      "it": "La miniera in West Virginia ha chiuso.", "pl": "Kopalnia w Wirginii Zachodniej została zamknięta."}],
])
def test_renderings_of_the_same_names_are_not_flagged(rows):
    assert [f for f in run(NameSubstituted, rows, embed=_concept_embed) if f.severity >= Severity.WARNING] == []


def test_a_swapped_team_name_is_flagged():
    rows = [{"en": "Livingston 1 - 0 Kilmarnock: a goal by Menga.", "de": "Livingston gegen Kilmarnock 1:0: ein Tor von Menga.",
             "pt": "Livingston 1 - Brookline 0: golo de Menga."}]
    found = run(NameSubstituted, rows)
    assert [(f.lang, f.text) for f in found if f.severity >= Severity.WARNING] == [("pt", "Brookline")]


def test_a_version_in_chinese_that_keeps_the_name_in_latin_letters_votes():
    rows = [{"en": "The new bridge in Tervola opened on Monday.", "zh": "Tervola 的新桥于周一开通。",
             "fr": "Le nouveau pont de Kuopio a ouvert lundi."}]
    found = run(NameSubstituted, rows)
    assert [(f.lang, f.text, f.severity) for f in found] == [("fr", "Kuopio", Severity.ERROR)]
    rows = [{"en": "The new bridge in Tervola opened on Monday.", "zh": "特尔沃拉的新桥于周一开通。",
             "fr": "Le nouveau pont de Kuopio a ouvert lundi."}]
    # no vote, and no spelling to decide: each of the two Latin versions holds the other's name, both info
    assert sorted((f.lang, f.severity) for f in run(NameSubstituted, rows)) == [
        ("en", Severity.INFO), ("fr", Severity.INFO)]


@pytest.mark.model
def test_real_encoder_reads_exonyms_and_compounds_as_counterparts(embedder):
    rows = [{"en": "The match in Naples ended late on Tuesday.", "de": "Das Spiel in Neapel endete am Dienstag spät.",
             "it": "La partita a Napoli è finita tardi martedì."}]
    assert [f for f in run(NameSubstituted, rows, embed=embedder) if f.severity >= Severity.WARNING] == []
    rows = [{"en": "The match in Tervola ended late on Tuesday.", "de": "Das Spiel in Tervola endete am Dienstag spät.",
             "it": "La partita di Marco Bellini è finita tardi martedì."}]
    assert [(f.lang, f.text) for f in run(NameSubstituted, rows, embed=embedder)] == [("it", "Marco Bellini")]


def _flagged(rows, embed=_concept_embed, token_states=None):
    """XL803's warnings and errors, by default with the bag-of-words encoder that knows exonyms."""
    return [(f.lang, f.text, f.severity) for f in run(NameSubstituted, rows, embed=embed, token_states=token_states)
            if f.severity >= Severity.WARNING]


def _placed(rows, tokens):
    """XL803's warnings and errors as (version, text), with these token states."""
    return [(lang, text) for lang, text, _ in _flagged(rows, token_states=tokens)]


def _swap_then_fixed(row, lang, name, fixed):
    """XL803 flags ``name`` in ``lang`` alone, and nothing once that version reads ``fixed``."""
    assert [(lg, found) for lg, found, _ in _flagged([row])] == [(lang, name)]
    assert _flagged([{**row, lang: fixed}]) == []


@pytest.mark.parametrize("lang, text, city", [
    ("pt", "O ferry deixou Tampere na segunda-feira, disse o operador.", "Tampere"),
    ("ru", "Паром покинул Тампере в понедельник, сообщил оператор.", "Тампере"),
])
def test_a_city_for_another_city_is_a_swap_whatever_the_encoder_finds(lang, text, city):
    # the made-up encoder takes the new city for a word of the others ("Monday"); GeoNames knows
    # both cities' names, and neither is the other's
    rows = [{"en": "The ferry left Bergen on Monday, the operator said.",
             "de": "Die Fähre verließ Bergen am Montag, sagte der Betreiber.", lang: text}]
    embed = _alias_embed({city.lower(): "monday", "montag": "monday"})
    assert [(lg, found) for lg, found, _ in _flagged(rows, embed)] == [(lang, city)]


@pytest.mark.parametrize("lang, text, place", [
    ("en", "Much of the credit goes to Spain for the way he rebuilt the side.", "Spain"),  # a country
    ("es", "Gran parte del mérito es de Singapur por cómo reconstruyó el equipo.", "Singapur"),  # a city
])
def test_a_place_however_common_its_name_is_a_name_that_can_stand_for_another(lang, text, place):
    # word lists count country and city names among a language's commonest words; GeoNames knows them
    # for names, so one put where the others name a person is a swap, as any name would be
    row = {"it": "Gran parte del merito va a Holt per come ha ricostruito la squadra.",
           "nl": "Veel lof gaat naar Holt voor de manier waarop hij de ploeg herbouwde.", lang: text}
    _swap_then_fixed(row, lang, place, text.replace(place, "Holt"))


def test_a_name_of_two_letters_is_found_only_as_written():
    # spelling finds "Ri" in any text, so its swap for "Tornillo" went unseen; written out in two
    # other versions (in Cyrillic, by its sounds), it is missing where neither is
    row = {"es": "Aunque Ri repitió las quejas conocidas, su discurso fue moderado.",
           "ru": "Хотя Ри повторил известные жалобы, его речь была сдержанной.",
           "it": "Sebbene Tornillo abbia ripetuto le note lamentele, il suo discorso è stato moderato."}
    _swap_then_fixed(row, "it", "Tornillo", row["it"].replace("Tornillo", "Ri"))


def test_a_short_name_is_found_only_as_written_when_asked():
    from xlingo.names import extract, name_words

    ri = next(m for m in extract("Aunque Ri repitió las quejas.", "es") if m.text == "Ri")
    words = name_words("Sebbene Tornillo abbia ripetuto le lamentele, disse il dottor Lee.")
    assert not NameSubstituted._present(ri, words, short=True)
    assert NameSubstituted._present(ri, words)  # spelling alone finds two letters in any text
    assert NameSubstituted._present(ri, name_words("Хотя Ри повторил жалобы."), short=True)  # by its sounds


@pytest.mark.parametrize("third", [
    {"ru": "США хотят привлечь светил ИИ, сказал Ли."},
    {"zh": "李说，美国希望吸引人工智能领域的顶尖人才。"},  # no vote but the French one
    {"fr": "Selon le Dr Lee, les États-Unis veulent attirer des Sommités de l'IA."},
])
def test_acronyms_and_titles_of_two_letters_follow_each_language_and_are_no_names_missing(third):
    # "IA", "KI" and "ИИ" each abbreviate *artificial intelligence* in its language, "Dr" is a
    # title: none of them is a name the others write, so none is missing, and the capitalised noun
    # beside it replaces nothing
    rows = [{"fr": "Les États-Unis veulent attirer des Sommités de l'IA, a dit le Dr Lee.",
             "de": "Die USA wollen Koryphäen der KI anlocken, sagte Lee.", **third}]
    assert _flagged(rows) == []


def test_an_ordinary_word_that_names_a_city_too_is_no_name_one_version_alone_writes():
    # "Mau" (*bad*) is also a city GeoNames knows: the Portuguese writes it in a nickname, the Polish
    # translates the nickname; no name is missing there, though one standing in another's place would be
    from xlingo.names import extract, name_words

    texts = {"pt": 'Depois de o "Sr. Presidente Mau" Trump ter chamado Kim de "homem-foguete".',
             "pl": "Po tym, jak „Pan Zły Prezydent” Trump nazwał Kima „człowiekiem rakietą”.",
             "ja": "トランプが金を「ロケットマン」と呼んだ後。"}
    mentions = {d: extract(t, d, doc=d) for d, t in texts.items()}
    words = {d: name_words(t) for d, t in texts.items()}
    missing = NameSubstituted()._missing("pl", ["pt"], mentions, texts, words, ["ja"], ["pl", "pt", "ja"])
    assert [n.text for n in missing] == []


def test_an_acronym_put_for_a_country_two_versions_write_alike_is_a_swap_but_its_initials_are_not():
    row = {"pt": "Foi o início de uma nova era nas relações com o Chile, disse o ministro.",
           "es": "Fue el inicio de una nueva era en las relaciones con Chile, dijo el ministro.",
           "fr": "Ce fut le début d'une nouvelle ère dans les relations avec la MSNBC, a dit le ministre."}
    _swap_then_fixed(row, "fr", "MSNBC", row["fr"].replace("la MSNBC", "le Chili"))
    rows = [{"en": "It was the start of a new era in relations with the United Kingdom, the minister said.",
             "nl": "Het was het begin van een nieuw tijdperk in de betrekkingen met het United Kingdom, "
                   "zei de minister.",
             "fr": "Ce fut le début d'une nouvelle ère dans les relations avec le UK, a dit le ministre."}]
    assert _flagged(rows) == []  # the country's own initials


def test_a_city_named_in_each_language_is_no_city_for_another():
    rows = [{"en": "The ferry left Munich on Monday, the operator said.",
             "de": "Die Fähre verließ München am Montag, sagte der Betreiber.",
             "pt": "O ferry deixou Munique na segunda-feira, disse o operador."}]
    assert _flagged(rows, _alias_embed({"munique": "monday", "montag": "monday"})) == []


def test_a_person_swapped_with_the_first_name_kept_is_flagged_on_the_new_surname():
    rows = [{"en": "The report was written by Lena Vogt, the city's auditor.",
             "fr": "Le rapport a été rédigé par Lena Vogt, l'auditrice de la ville.",
             "es": "El informe fue redactado por Lena Okafor, la auditora de la ciudad."}]
    found = run(NameSubstituted, rows, embed=_concept_embed)
    assert [(f.lang, f.text, f.severity) for f in found] == [("es", "Lena Okafor", Severity.ERROR)]
    assert {(s.lang, s.text) for s in found[0].related} == {("en", "Lena Vogt"), ("fr", "Lena Vogt")}


@pytest.mark.parametrize("lang, text, word", [
    ("pt", "O livre foi defendido pelo guarda-redes Ewan Preocupado, disse o treinador.", "Preocupado"),
    ("nl", "De vrije trap werd gestopt door doelman Ewan Bezorgd, zei de trainer.", "Bezorgd"),
])
def test_a_surname_capitalised_inside_is_no_ordinary_word_the_version_translates(lang, text, word):
    # word lists count famous surnames (McCarthy, McGregor) among common English words, which made
    # the ordinary word put for one read as its translation; a capital inside is a name's own spelling
    row = {"fr": "Le coup franc a été arrêté par le gardien Ewan McCarthy, a dit l'entraîneur.",
           "it": "La punizione è stata parata dal portiere Ewan McCarthy, ha detto l'allenatore.", lang: text}
    _swap_then_fixed(row, lang, f"Ewan {word}", text.replace(word, "McCarthy"))


def test_a_surname_capitalised_inside_put_in_an_english_version_is_a_name_standing_for_another():
    row = {"es": "El alcalde Okafor inauguró el puente el lunes.",
           "de": "Bürgermeister Okafor eröffnete am Montag die Brücke.",
           "en": "Mayor McCarthy opened the bridge on Monday."}
    _swap_then_fixed(row, "en", "McCarthy", row["en"].replace("McCarthy", "Okafor"))


def test_capitalised_inside():
    from xlingo.names import capitalised_inside

    assert capitalised_inside("Ewan McCarthy") and capitalised_inside("Leonardo DiCaprio")
    assert not capitalised_inside("Ewan Mccarthy") and not capitalised_inside("NATO")
    assert not capitalised_inside("Москва") and not capitalised_inside("東京")


def test_a_person_swapped_in_a_cyrillic_version_is_a_warning_and_an_error_where_its_script_confirms_it():
    """Across scripts no spelling confirms that two names differ (a transliteration, an exonym, a
    declined form or a translated nickname fails it as a swap does): a warning; an error where
    another version writes the missing name in the same script."""
    rows = [{"en": "The coach, Tomas Berglund, praised the young players.",
             "de": "Der Trainer, Tomas Berglund, lobte die jungen Spieler.",
             "ru": "Тренер, Маркус Хольм, похвалил молодых игроков."}]
    assert _flagged(rows) == [("ru", "Маркус Хольм", Severity.WARNING)]
    rows[0]["bg"] = "Треньорът, Томас Берглунд, похвали младите играчи."
    assert _flagged(rows) == [("ru", "Маркус Хольм", Severity.ERROR)]


def test_a_place_swapped_in_a_cyrillic_version_is_flagged():
    rows = [{"en": "The ferry to Vardholm was cancelled because of the storm.",
             "pl": "Prom do Vardholm odwołano z powodu sztormu.",
             "ru": "Паром в Киркенесс отменили из-за шторма."}]
    assert _flagged(rows) == [("ru", "Киркенесс", Severity.WARNING)]


def test_a_surname_frequent_in_english_is_no_word_an_english_version_translates():
    # "Harlow" is common enough in English text to read as a word, which another language would
    # translate; an English version writing another word in its place has swapped the name
    rows = [{"fr": "Le navigateur Ned Harlow, 40 ans, a traversé l'Atlantique en solitaire.",
             "nl": "Zeiler Ned Harlow, 40 jaar, stak in zijn eentje de Atlantische Oceaan over.",
             "en": "The sailor Ned Sunday, 40, crossed the Atlantic alone."}]
    assert _flagged(rows) == [("en", "Ned Sunday", Severity.ERROR)]
    rows[0]["en"] = "The sailor Ned Harlow, 40, crossed the Atlantic alone."
    assert _flagged(rows) == []


def test_an_organisation_swapped_is_flagged_and_two_versions_only_inform():
    rows = [{"it": "Il contratto è stato firmato con Norvik Energia a marzo.",
             "es": "El contrato se firmó con Norvik Energia en marzo.",
             "pt": "O contrato foi assinado com a Baltara Holding em março."}]
    assert _flagged(rows) == [("pt", "Baltara Holding", Severity.ERROR)]
    two = [{lg: rows[0][lg] for lg in ("it", "pt")}]  # no vote, no spelling to decide: information
    assert ("pt", "Baltara Holding", Severity.INFO) in [(f.lang, f.text, f.severity) for f in run(NameSubstituted, two)]


@pytest.mark.parametrize("rows", [
    # the surname alone for the full name
    [{"en": "Minister Karin Dalby said the bridge would open in May.",
      "de": "Ministerin Karin Dalby sagte, die Brücke werde im Mai eröffnet.",
      "fr": "Selon Dalby, le pont ouvrira en mai."}],
    # a pronoun for the name, another name of the row kept
    [{"en": "Karin Dalby said the bridge in Tervola would open in May.",
      "es": "Karin Dalby dijo que el puente de Tervola abriría en mayo.",
      "it": "Ha detto che il ponte di Tervola aprirà a maggio."}],
    # a title where the others have the first name
    [{"en": "Ada Okoro said the school would reopen.", "de": "Ada Okoro sagte, die Schule werde wieder öffnen.",
      "fr": "Mme Okoro a déclaré que l'école rouvrirait."}],
    # a declined Russian name and a transliterated place, in a story of three versions
    [{"en": "The mayor thanked Olli Varga in Tervola.", "fr": "Le maire a remercié Olli Varga à Tervola.",
      "ru": "Мэр поблагодарил Олли Варгу в Терволе."}],
    # an exonym (the made-up encoder, like the real one, puts Neapel and Naples together)
    [{"en": "The ferry from Naples to Capri was late.", "fr": "Le ferry de Naples à Capri avait du retard.",
      "de": "Die Fähre von Neapel nach Capri hatte Verspätung."}],
    # an institution translated in every version, and in Cyrillic
    [{"en": "The European Union approved the plan on Friday.", "fr": "L'Union européenne a approuvé le plan vendredi.",
      "ru": "Европейский союз одобрил план в пятницу."}],
    # a city's exonym in Polish (GeoNames), a title before a kept surname
    [{"en": "Mayor Ida Brekke flew from Vienna to Oslo.", "pl": "Burmistrz Brekke poleciała z Wiednia do Oslo.",
      "de": "Bürgermeisterin Ida Brekke flog von Wien nach Oslo."}],
    # a transliterated name in Cyrillic, the Arabic version only voting where it keeps letters
    [{"en": "Coach Tomas Brekke praised the team.", "ru": "Тренер Томас Брекке похвалил команду.",
      "ar": "أشاد المدرب توماس بريكه بالفريق."}],
    # a spelling of the first name one letter longer, the surname kept
    [{"en": "Glen Ardwick asked for a penalty.", "es": "Glenn Ardwick pidió un penalti.",
      "it": "Glen Ardwick ha chiesto un rigore."}],
    # the rest of a name translated by a compound of the language's words that no word list holds
    [{"en": "The hats were shown at Oslo Autumn Fashion Week.",
      "nl": "De hoeden werden getoond op de Oslo Autumn Fashion Week.",
      "de": "Die Hüte wurden auf der Osloer Herbstmodewoche gezeigt."}],
])
def test_legitimate_renderings_of_names_in_three_versions_are_not_flagged(rows):
    # translations, exonyms, transliterations, titles and pronouns: no name put for another
    assert _flagged(rows) == []


@pytest.mark.parametrize("rows,expected", [
    # the new name spelt like an ordinary word of the others (``drama``): no name is written in lower case
    ([{"en": "Advocates said the problems are worse at larger sites such as Tornvik, where the drama stays hidden.",
       "es": "Los defensores dijeron que los problemas son peores en sitios grandes como Tornvik, donde el drama se oculta.",
       "pl": "Obrońcy stwierdzili, że problemy są gorsze w dużych ośrodkach takich jak Dramen, gdzie wszystko jest "
             "ukryte."}], [("pl", "Dramen", Severity.ERROR)]),
    # a first name kept and the surname swapped for one that is an ordinary English word: no title
    ([{"de": "Karen Kelley, Tochter des Autors Ivo Brand, sagte über den Brief: Es war schwer.",
       "en": "Brand's daughter Karen Stoltz, who was born later, said of the letter: it was hard.",
       "pl": "Córka autora, Ivo Branda, Karen Stoltz, powiedziała o liście: to było trudne."}],
     [("de", "Kelley", Severity.ERROR)]),
    ([{"fr": "Karen Stoltz, fille de l'auteur Ivo Brand, a dit de la lettre : c'était difficile.",
       "en": "Brand's daughter Karen Stoltz, who was born later, said of the letter: it was hard.",
       "pl": "Córka autora, Ivo Branda, Karen Stoltz, powiedziała o liście: to było trudne."}], []),
    # a place swapped where the version names a country sharing a few of its letters (``Britain``)
    ([{"en": "Production will halt at its plant in Kellmoor, near Derby, if Britain leaves.",
       "de": "Die Produktion im Werk in Burneston bei Derby wird unterbrochen, falls Großbritannien austritt.",
       "pl": "Produkcja w fabryce w Burneston koło Derby zostanie wstrzymana, jeśli Wielka Brytania wyjdzie."}],
     [("en", "Kellmoor", Severity.ERROR)]),
    # an acronym two other versions write alike, a name in its place; its own acronym, or the name spelt out
    ([{"en": "He also asked for the flag of the NKR to be shown at the rally.",
       "es": "También pidió que se mostrara la bandera del NKR en el mitin.",
       "nl": "Hij vroeg ook om de vlag van Kennard te tonen tijdens de bijeenkomst."}],
     [("nl", "Kennard", Severity.ERROR)]),
    ([{"en": "Both leaders said NATO would stay united.", "de": "Beide Politiker sagten, die NATO werde geeint bleiben.",
       "fr": "Les deux dirigeants ont affirmé que l'OTAN resterait unie."}], []),
    ([{"en": "Both leaders said NATO would stay united.", "de": "Beide Politiker sagten, die NATO werde geeint bleiben.",
       "fr": "Les deux dirigeants ont affirmé que l'Organisation du traité de l'Atlantique nord resterait unie."}], []),
    # a name the others write alike in two scripts, however common its word, and an acronym in its place
    ([{"en": "After questioning Simpson, the police said he had admitted it.",
       "ru": "Допросив Симпсона, полиция заявила, что он признался.",
       "it": "Dopo aver interrogato BMW, la polizia ha detto che aveva confessato."}], [("it", "BMW", Severity.ERROR)]),
    ([{"en": "After questioning Simpson, the police said he had admitted it.",
       "ru": "Допросив Симпсона, полиция заявила, что он признался.",
       "it": "Dopo aver interrogato Simpson, la polizia ha detto che aveva confessato."}], []),
    # a film title translated, and a title (``Mr.``) written apart: no name repeated for a missing one
    ([{"it": "Ha un po’ di Clouseau, un tocco di Mr Bean e una nota del tema di Momenti di Gloria.",
       "es": "Tiene un poco de Clouseau, un toque de Mr. Bean y una nota del tema de Carros de fuego."}], []),
])
def test_a_name_is_read_where_it_is_written_as_a_name(rows, expected):
    assert _flagged(rows) == expected


def test_a_name_of_no_language_s_words_is_rendered_by_a_name_not_by_an_ordinary_word():
    def embed(texts):  # the encoder puts the name beside an ordinary word of the version
        return _concept_embed([t.replace("Vardanyan", "processo") for t in texts])

    rows = [{"en": "The lawyers of Vardanyan had asked for a new trial in the spring.",
             "fr": "Les avocats de Vardanyan avaient demandé un nouveau procès au printemps.",
             "it": "Gli avvocati della DMZ avevano chiesto un nuovo processo in primavera."}]
    assert _flagged(rows, embed=embed) == [("it", "DMZ", Severity.ERROR)]


def test_names_of_no_language_s_words_are_one_name_only_where_their_spelling_says_so():
    """The encoder finds every person's name alike; spelling decides between names of no
    language's words in Latin letters (one missing name decides for its other versions, in any
    script), not between names with ordinary words, which may be translated."""
    from xlingo.check.rules.name_swaps import _apart
    from xlingo.names import extract

    def mention(text: str, lang: str, name: str):
        return next(m for m in extract(text, lang) if m.text == name)

    missing = [mention("Olimpijski skoczek Dalby mówi, że dorastał.", "pl", "Dalby"),
               mention("Олимпийский прыгун Далби говорит, что вырос.", "ru", "Далби")]
    own = [mention("Olympic diver Okonjo says he grew up.", "en", "Okonjo"),
           mention("Olympic diver Dalby says he grew up.", "en", "Dalby")]
    assert _apart(missing, own, ["en", "pl", "ru"]).tolist() == [[True, False], [True, False]]
    basin = [mention("Obszary w Wielkiej Kotlinie dostaną deszcz.", "pl", "Wielkiej Kotlinie")]
    great = mention("Aree come il Great Basin riceveranno pioggia.", "it", "Great Basin")
    assert _apart([great], basin, ["it", "pl"]).tolist() == [[False]]  # a translation, not a swap
    exonym = [mention("El partido en Nápoles terminó tarde.", "es", "Nápoles")]
    naples = mention("The match in Naples ended late.", "en", "Naples")
    assert _apart([naples], exonym, ["es", "en"]).tolist() == [[False]]
    assert _apart([], exonym, ["es", "en"]).shape == (0, 1)


def _tokens_with(pairs: dict[str, tuple[str, float]]):
    """Token states of random word vectors, except that each word of ``pairs`` is made this
    close (cosine) to the word it is paired with: the story's contextual states as the real
    encoder gives them for a swapped name (far) or a translated one (near)."""
    def vector(word: str) -> np.ndarray:
        key = word.casefold()
        if key in pairs:
            other, sim = pairs[key]
            base, noise = vector(other), word_vector(key + "#")
            noise = noise - (noise @ base) * base
            v = sim * base + np.sqrt(1 - sim ** 2) * noise / np.linalg.norm(noise)
        else:
            v = np.random.default_rng(int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(),
                                                     "little")).standard_normal(DIM)
        return v / np.linalg.norm(v)

    return lambda texts: token_states(texts, vector)


def _holding_embed(texts, dim: int = 512) -> np.ndarray:
    """Bag of words in which a holding is a group, in any language."""
    return _concept_embed([re.sub(r"(?i)\b(holding|gruppo|grupo)\b", "group", t) for t in texts], dim)


@pytest.mark.parametrize("sim,flagged", [(0.3, True), (0.9, False)])
def test_a_name_aligned_with_the_missing_one_is_judged_by_the_story_token_states(sim, flagged):
    # the other versions' words render "Holding" for the sentence encoder ("gruppo", "grupo"),
    # so only the word alignment tells whether "Baltara Holding" stands where "Norvik Energia" does
    rows = [{"it": "Il contratto è stato firmato con Norvik Energia, un gruppo svedese, a marzo.",
             "es": "El contrato se firmó con Norvik Energia, un grupo sueco, en marzo.",
             "pt": "O contrato foi assinado com a Baltara Holding, um grupo sueco, em março."}]
    tokens = _tokens_with({"baltara": ("norvik", sim), "holding": ("energia", sim)})
    found = [(f.lang, f.text) for f in run(NameSubstituted, rows, embed=_holding_embed, token_states=tokens)
             if f.severity >= Severity.WARNING]
    assert found == ([("pt", "Baltara Holding")] if flagged else [])
    assert [f for f in run(NameSubstituted, rows, embed=_holding_embed) if f.severity >= Severity.WARNING] == []


def _closest(rows, pairs, lang, name, missing):
    """Whether XL803 finds ``name`` of version ``lang`` closest to ``missing`` in every other
    version that spells it, under token states made by :func:`_tokens_with` from ``pairs``."""
    from xlingo.annotate import annotate
    from xlingo.check.rules.name_swaps import _closest_everywhere
    from xlingo.names import story_names

    story = story_from_rows([{lg: r[lg] for lg in rows[0]} for r in FILL] + rows)
    ctx = context_for(story, token_states=_tokens_with(pairs))
    annotate(ctx, ("words",))
    k = len(FILL)
    mentions = {d: [m for m in story_names(ctx).mentions[d] if m.sentence in ctx.story.alignment[k].cells[d]]
                for d in rows[0]}
    m = next(q for q in mentions[lang] if q.text == name)
    n = next(q for d in rows[0] if d != lang for q in mentions[d] if q.text == missing)
    return _closest_everywhere(ctx, k, lang, m, n, [d for d in rows[0] if d != lang])


@pytest.mark.parametrize("rows, pairs, closest", [
    # the substitute ends the French sentence, the missing name does not end the others: no word
    # around it to link, but the token states find it nearest the missing name in both versions
    ([{"fr": "Un homme a été poignardé vendredi dans un restaurant à l'est de Tervik.",
       "en": "A man was stabbed in a restaurant in east Belfast on Friday.",
       "de": "Ein Mann wurde am Freitag in einem Restaurant im Osten von Belfast niedergestochen."}],
     {"tervik": ("belfast", 0.45)}, True),
    # nearer another word in each version: it stands in no name's place
    ([{"fr": "Un homme a été poignardé vendredi dans un restaurant à l'est de Tervik.",
       "en": "A man was stabbed in a restaurant in east Belfast on Friday.",
       "de": "Ein Mann wurde am Freitag in einem Restaurant im Osten von Belfast niedergestochen."}],
     {}, False),
    # one version alone spells the missing name: no vote
    ([{"ru": "Мужчину ранили ножом в ресторане на востоке Тервика в пятницу.",
       "en": "A man was stabbed in a restaurant in east Belfast on Friday.",
       "de": "Ein Mann wurde am Freitag in einem Restaurant im Osten der Stadt niedergestochen."}],
     {"тервика": ("belfast", 0.45)}, False),
])
def test_a_name_nearest_the_missing_one_in_every_other_version_stands_in_its_place(rows, pairs, closest):
    lang, name = ("fr", "Tervik") if "fr" in rows[0] else ("ru", "Тервика")
    assert _closest(rows, pairs, lang, name, "Belfast") is closest


def test_a_city_named_in_each_language_is_an_exonym_even_where_the_encoder_does_not_know_it():
    # the made-up encoder knows no exonyms; GeoNames' names of the city do (Pressburg is Bratislava)
    rows = [{"en": "The ferry from Bratislava to Budapest was late.", "it": "Il battello da Bratislava a Budapest era in ritardo.",
             "de": "Das Schiff von Pressburg nach Budapest hatte Verspätung."}]
    ctx = context_for(story_from_rows(rows), embed=lexicon_embed)
    same = NameSubstituted()._exonyms(ctx, ["Bratislava", "Budapest"], ["Pressburg", "Tervola"],
                                      ["Bratislava", "Budapest", "Pressburg", "Tervola", "Capri"])
    assert same.tolist() == [[True, False], [False, False]]


def _mixed_embed(mixes: dict[str, dict[int, float]], noise: float = 0.02):
    """Unit vectors of named strings (any case) as mixes of concept axes plus a little noise;
    other strings get their own random directions."""
    def embed(texts):
        out = []
        for t in texts:
            seed = int.from_bytes(hashlib.blake2b(t.casefold().encode(), digest_size=4).digest(), "little")
            v = np.random.default_rng(seed).standard_normal(DIM)
            if t.casefold() in mixes:
                v = noise * v + sum(w * np.eye(DIM)[axis] for axis, w in mixes[t.casefold()].items())
            out.append(v / np.linalg.norm(v))
        return np.array(out, dtype=np.float32)
    return embed


#: What a second encoder (USE v3 in a real run) knows of names translated: США is near China (a
#: country), not China.
_second_embed = _mixed_embed({"silicon valley": {0: 1.0}, "кремниевую долину": {0: 1.0}, "china": {1: 1.0},
                              "китай": {1: 1.0}, "сша": {1: 1.0, 3: 1.0}}, noise=0.05)


@pytest.mark.parametrize("lang, text, more, expected", [
    ("ru", "Ли переехал в Кремниевую долину в 2010 году.", 1, "Кремниевую долину"),  # one capital per name
    ("ru", "Ли переехал в Кремниевую долину в 2010 году.", 0, "Кремниевую"),  # a one-word name: nothing more
    ("ru", "Нападающий «Небесно-голубых» забил мяч.", 0, "Небесно-голубых"),  # the rest of a hyphenated word
    ("es", "La Casa Blanca, en Washington.", 2, "Casa Blanca"),  # a comma ends the name
    ("pl", "Przeprowadził się do Doliny Krzemowej w 2010 roku.", 0, "Doliny Krzemowej"),  # both words capitalised
    ("en", "The team met Jean-Luc Picard today.", 0, "Jean-Luc Picard"),  # capitalised parts are the name's own
])
def test_a_phrase_takes_the_words_a_language_writes_after_a_names_capital(lang, text, more, expected):
    from xlingo.check.rules.name_swaps import _phrase
    from xlingo.names import extract

    first = next(m for m in extract(text, lang) if expected.startswith(m.text))
    assert _phrase(text, first, more) == expected


def test_a_name_the_second_encoder_finds_translated_is_an_exonym_unless_another_name_is_as_close():
    # e5 (here the lexicon, which knows no names) misses `Кремниевую долину` for *Silicon Valley*; USE v3 knows it
    from xlingo.names import extract

    text = "Ли переехал в Кремниевую долину, а не в Китай или США."
    rows = [{"en": "Lee moved to Silicon Valley, not to China or the US.", "ru": text}]
    found = {m.text: m for m in extract(text, "ru")}
    names = ["Lee", "Silicon Valley", "China", "US", "Ли", "Кремниевую", "Китай", "США"]
    written = (text, [found["Кремниевую"], found["США"]])
    plain = context_for(story_from_rows(rows), embed=lexicon_embed)
    assert NameSubstituted()._exonyms(plain, ["Silicon Valley"], ["Кремниевую", "США"], names, written).tolist() \
        == [[False, False]]  # no second encoder: e5 alone decides
    ctx = context_for(story_from_rows(rows), embed=lexicon_embed, second_embed=_second_embed)
    assert NameSubstituted()._exonyms(ctx, ["Silicon Valley"], ["Кремниевую", "США"], names, written).tolist() \
        == [[True, False]]
    strict = NameSubstituted({"translated_cos": 0.999})  # the option is the floor: above any cosine, no translation
    assert strict._exonyms(ctx, ["Silicon Valley"], ["Кремниевую", "США"], names, written).tolist() == [[False, False]]
    assert NameSubstituted()._exonyms(ctx, ["Silicon Valley"], [], names, (text, [])).shape == (1, 0)
    # США is near China, but `Китай` of the story nearer: another country, not China's name
    assert NameSubstituted()._exonyms(ctx, ["China"], ["США"], names, (text, [found["США"]])).tolist() == [[False]]
    # a candidate written as the story's names list it is not outdone by its own entry there
    own = (text, [found["Китай"]])
    assert NameSubstituted()._exonyms(plain, ["China"], ["Китай"], names, own).tolist() == [[False]]
    assert NameSubstituted()._exonyms(ctx, ["China"], ["Китай"], names, own).tolist() == [[True]]
    # the closest of unrelated phrases is no translation: its cosine is far under a translation's
    assert NameSubstituted()._exonyms(ctx, ["Silicon Valley"], ["США"], ["Lee"], (text, [found["США"]])).tolist() \
        == [[False]]


def test_a_name_the_encoder_finds_closer_to_another_versions_name_renders_that_one():
    # "Valdoria" is near the missing "Port Elsen" (a city of that country), but nearer "Republic of
    # Valdoria", which another version writes: one name renders one, so the city is missing. The
    # version's own names are no rivals (an encoder puts strings of one script together)
    rows = [{"en": "The summit in Port Elsen ended, the Republic of Valdoria said.",
             "ru": "Саммит в Valdoria завершился, заявила Республика Вальдория."}]
    embed = _mixed_embed({"port elsen": {0: 1.0}, "valdoria": {0: 0.6, 1: 0.8}, "republic of valdoria": {1: 1.0}})
    ctx = context_for(story_from_rows(rows), embed=embed)
    names = ["Port Elsen", "Republic of Valdoria", "Valdoria", "Lena Holm", "Kari Vik", "Oslo", "Tromsø", "Bergen"]
    theirs = ["Port Elsen", "Republic of Valdoria"]
    assert NameSubstituted()._exonyms(ctx, ["Port Elsen"], ["Valdoria"], names, rivals=theirs).tolist() == [[False]]
    assert NameSubstituted()._exonyms(ctx, ["Port Elsen"], ["Valdoria"], names).tolist() == [[True]]
    # the same holds for the second encoder's reading of a translated name
    from xlingo.names import extract

    text = rows[0]["ru"]
    written = (text, [m for m in extract(text, "ru") if m.text == "Valdoria"])
    second = _mixed_embed({"elsen": {0: 1.0}, "valdoria": {0: 0.6, 1: 0.8}, "republic of valdoria": {1: 1.0}})
    ctx = context_for(story_from_rows(rows), embed=_mixed_embed({}), second_embed=second)
    names[0] = theirs[0] = "Elsen"
    assert NameSubstituted()._exonyms(ctx, ["Elsen"], ["Valdoria"], names, written, rivals=theirs).tolist() \
        == [[False]]
    assert NameSubstituted()._exonyms(ctx, ["Elsen"], ["Valdoria"], names, written).tolist() == [[True]]


@pytest.mark.parametrize("rows, flagged", [
    # "Verano" is an ordinary Spanish word, but after the kept first name it is no title
    ([{"en": "The goal was scored by Tomas Brekke in the last minute.",
       "de": "Das Tor schoss Tomas Brekke in der letzten Minute.",
       "es": "El gol lo marcó Tomas Verano en el último minuto."}], ("es", "Tomas Verano")),
    # a first name one letter longer is the same name, not a short form: the surname is swapped
    ([{"es": "El gol lo marcó Glen Moorfield al final.",
       "nl": "Het doelpunt werd gemaakt door Glenn Moorfield op het einde.",
       "pl": "Bramkę zdobył Glenn Kubiak pod koniec meczu."}], ("pl", "Glenn Kubiak")),
    # "Mira" of the English version is the others' "Mira", not their "Brother Mira"
    ([{"en": "She chose the names Mira and Tavi Orrin for the boats.",
       "fr": "Elle a choisi les noms Mira et Brother Mira pour les bateaux.",
       "nl": "Ze koos de namen Mira en Brother Mira voor de boten."}], ("en", "Tavi Orrin")),
    # "Симпсон" is a common word for a word list; the Chinese version keeps "Simpson" in its letters
    ([{"ru": "Полиция допросила Симпсона в пятницу.", "zh": "警方周五询问了 Simpson。",
       "nl": "De politie ondervroeg Lefebvre op vrijdag."}], ("nl", "Lefebvre")),
    # "Marche" is an ordinary French word, but "Wojtkowiak" in its place is no word that translates it
    ([{"fr": "Le magasin a été ouvert par Anna Marche, la directrice.",
       "it": "Il negozio è stato aperto da Anna Marche, la direttrice.",
       "es": "La tienda fue abierta por Anna Wojtkowiak, la directora."}], ("es", "Anna Wojtkowiak")),
    # "Kelley" is known to German word lists only as the name every language writes; the English
    # version writes "Stafford", so no English word of the German version renders it
    ([{"en": "A late penalty was also claimed by Mark Stafford after a scramble.",
       "de": "Einen späten Strafstoß forderte auch Mark Kelley nach einem Gedränge.",
       "pt": "Mark Stafford também pediu um penálti tardio depois de uma confusão."}], ("de", "Kelley")),
], ids=["surname-after-kept-first-name", "first-name-one-letter-longer", "separate-name-written-too",
        "kept-in-latin-by-chinese", "surname-of-ordinary-words-for-a-name-of-none",
        "surname-every-language-writes-for-an-english-one"])
def test_a_name_put_for_another_is_an_error(rows, flagged):
    assert _flagged(rows) == [(*flagged, Severity.ERROR)]


def test_names_that_can_only_be_names_are_judged_by_the_word_alignment_without_searching_the_rows(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the rows were searched")

    monkeypatch.setattr(NameSubstituted, "counterpart_z", staticmethod(refuse))
    rows = [{"fr": "Le contrat a été signé avec Korvald Stenmark en mars.",
             "es": "El contrato se firmó con Korvald Stenmark en marzo.",
             "pt": "O contrato foi assinado com Quirino Tavolga em março."}]
    tokens = _tokens_with({"quirino": ("korvald", 0.5), "tavolga": ("stenmark", 0.5)})
    found = [(f.lang, f.text) for f in run(NameSubstituted, rows, embed=_concept_embed, token_states=tokens)
             if f.severity >= Severity.WARNING]
    assert found == [("pt", "Quirino Tavolga")]


def _slot_only(monkeypatch):
    """XL803 with the encoder finding a rendering of every name in the rows and the word
    alignment never linking two names (nor finding them alike, nor one nearest the other): only
    a name's neighbours can place it."""
    import xlingo.check.rules.name_swaps as name_swaps

    monkeypatch.setattr(NameSubstituted, "counterpart_z", staticmethod(lambda *a, **k: float("inf")))
    monkeypatch.setattr(NameSubstituted, "placement", staticmethod(lambda *a, **k: (False, 0.0)))
    monkeypatch.setattr(name_swaps, "_closest_everywhere", lambda *a, **k: False)


#: Token states in which the verbs of the rows below are one another's translations.
_SLOT_TOKENS = {"égalisa": ("empató", 0.9), "empatou": ("empató", 0.9), "wyrównał": ("empató", 0.9),
                "erzielte": ("marcó", 0.9)}


@pytest.mark.parametrize("rows,flagged", [
    # another name where the others' words around it say the missing one stood
    ([{"fr": "Après Marquardt, Korvald Stenmark égalisa pour Dundee.",
       "es": "Tras Marquardt, Korvald Stenmark empató para Dundee.",
       "pt": "Depois de Marquardt, Quirino Tavolga empatou para Dundee."}], [("pt", "Quirino Tavolga")]),
    # at the end of the sentence, after the verb
    ([{"fr": "Le but pour Dundee fut marqué par Korvald Stenmark.",
       "es": "El gol para Dundee lo marcó Korvald Stenmark.",
       "de": "Das Tor für Dundee erzielte Quirino Tavolga."}], [("de", "Quirino Tavolga")]),
])
def test_a_name_standing_where_the_others_have_another_is_flagged_by_its_neighbours(monkeypatch, rows, flagged):
    _slot_only(monkeypatch)
    tokens = _tokens_with(_SLOT_TOKENS)
    assert _placed(rows, tokens) == flagged


@pytest.mark.parametrize("rows", [
    # the new name stands elsewhere in the sentence, the missing one's place is empty
    [{"fr": "Après Marquardt, Korvald Stenmark égalisa pour Dundee.",
      "es": "Tras Marquardt, Korvald Stenmark empató para Dundee.",
      "pt": "Depois de Marquardt, empatou para Dundee com Quirino Tavolga."}],
    # a name made of ordinary words of its language translates the missing one
    [{"fr": "Après Marquardt, Pacyfik égalisa pour Dundee.", "es": "Tras Marquardt, Pacyfik empató para Dundee.",
      "nl": "Na Marquardt, Stille Oceaan empató voor Dundee."}],
    # a word made from the missing name (its people), capitalised in Polish
    [{"fr": "Après Marquardt, Tervola égalisa pour Dundee.", "es": "Tras Marquardt, Tervola empató para Dundee.",
      "pl": "Po Marquardcie Tervolczycy wyrównali dla Dundee."}],
    # a name sharing a word with the missing one renders it in part
    [{"fr": "Après Marquardt, Baja California égalisa pour Dundee.",
      "es": "Tras Marquardt, Baja California empató para Dundee.",
      "pl": "Po Marquardcie Półwysep Kalifornijski wyrównał dla Dundee."}],
])
def test_a_name_in_a_slot_of_its_own_or_rendering_the_missing_one_is_not_flagged(monkeypatch, rows):
    _slot_only(monkeypatch)
    tokens = _tokens_with(_SLOT_TOKENS)
    assert _placed(rows, tokens) == []


@pytest.mark.parametrize("de,flagged", [
    # the name the others write twice is written once, another name where its first occurrence stood
    ("Morbach sagte, der Plan sei gescheitert, und Anna Kelvane stimmte zu.", [("de", "Morbach")]),
    # written once, a pronoun or a first name for the other occurrence: nothing replaced
    ("Kelvane sagte, der Plan sei gescheitert, und sie stimmte zu.", []),
    ("Kelvane sagte, der Plan sei gescheitert, und Anna stimmte zu.", []),
])
def test_a_name_written_fewer_times_is_replaced_only_where_another_stands_in_its_place(monkeypatch, de, flagged):
    _slot_only(monkeypatch)
    rows = [{"en": "Kelvane said the plan failed, and Anna Kelvane agreed.",
             "fr": "Kelvane a dit que le plan avait échoué, et Anna Kelvane était d'accord.", "de": de}]
    tokens = _tokens_with({"sagte": ("said", 0.9), "dit": ("said", 0.9)})
    assert _placed(rows, tokens) == flagged


def _aligned_apart(monkeypatch):
    """XL803 with the encoder finding a rendering of every name in the rows, the word alignment
    linking the names and the token states keeping them apart: as for a swapped name."""
    monkeypatch.setattr(NameSubstituted, "counterpart_z", staticmethod(lambda *a, **k: float("inf")))
    monkeypatch.setattr(NameSubstituted, "placement", staticmethod(lambda *a, **k: (True, 0.5)))


@pytest.mark.parametrize("row", [
    # the Polish version writes Tervola once and its people where the others write Tervola again
    {"en": "Many in Tervola watched, and Tervola cheered.",
     "fr": "Beaucoup à Tervola ont regardé, et Tervola a applaudi.",
     "pl": "Wielu Tervolczyków oglądało, a Tervola wiwatowała."},
    # German and Dutch capitalise the people of Tervola, wholly missing from the Polish version,
    # which declines its own word for them
    {"de": "Viele Tervolaner sahen das Spiel im Stadion.",
     "nl": "Veel Tervolanen keken naar de wedstrijd in het stadion.",
     "pl": "Wielu Tervolczyków oglądało mecz na stadionie."},
    # spelled as its language writes the sound (a k for a hard c: Karvonia / Carvonia)
    {"de": "Viele Carvonier sahen das Spiel im Stadion.",
     "nl": "Veel Carvoniërs keken naar de wedstrijd in het stadion.",
     "pl": "Wielu Karvończyków oglądało mecz na stadionie."},
])
def test_a_word_made_from_a_name_renders_it_and_another_name_there_is_a_swap(monkeypatch, row):
    _aligned_apart(monkeypatch)
    tokens = _tokens_with({})
    assert _placed([row], tokens) == []
    people = row["pl"].split()[1]
    assert _placed([dict(row, pl=row["pl"].replace(people, "Morbachów"))], tokens) == [("pl", "Morbachów")]


def test_a_name_of_two_words_one_sounding_like_a_word_of_the_missing_name_is_another_name(monkeypatch):
    _aligned_apart(monkeypatch)
    rows = [{"de": "Das Spiel findet in Port Haynes statt.", "nl": "De wedstrijd vindt plaats in Port Haynes.",
             "pl": "Mecz odbędzie się w CBS News."}]
    assert _placed(rows, _tokens_with({})) == [("pl", "CBS News")]


def test_without_token_states_no_name_is_placed_by_its_neighbours(monkeypatch):
    _slot_only(monkeypatch)
    rows = [{"fr": "Après Marquardt, Korvald Stenmark égalisa pour Dundee.",
             "es": "Tras Marquardt, Korvald Stenmark empató para Dundee.",
             "pt": "Depois de Marquardt, Quirino Tavolga empatou para Dundee."}]
    assert [f for f in run(NameSubstituted, rows, embed=_concept_embed) if f.severity >= Severity.WARNING] == []


def test_a_title_acronym_translated_leaves_the_name_kept():
    # "CEO" follows its language ("prezes"): the company's name is kept, so nothing is missing
    rows = [{"it": "Kai Lund, CEO di Sinovation Ventures, ha parlato a Pechino.",
             "nl": "Kai Lund, CEO van Sinovation Ventures, sprak in Peking.",
             "pl": "Kai Lund, prezes firmy Sinovation Ventures z Doliny Krzemowej, przemawiał w Pekinie."}]
    assert _flagged(rows) == []


def test_a_german_name_whose_letters_split_into_rare_short_words_is_still_a_name():
    # ``Kaipov`` reads as *kai* + *pov*, two three-letter words German barely has: no compound
    rows = [{"en": "Officials said so at a conference in Tervola province.",
             "fr": "Les autorités l'ont dit lors d'une conférence dans la province de Tervola.",
             "de": "Die Beamten sagten es auf einer Konferenz in der Provinz Kaipov."}]
    assert _flagged(rows) == [("de", "Kaipov", Severity.ERROR)]
    rows[0]["de"] = "Die Beamten sagten es auf einer Konferenz in der Provinz Tervola."
    assert _flagged(rows) == []


@pytest.mark.parametrize("rows, flagged", [
    # one capitalised word mid-sentence, however common a word it is, stands where the others name a place
    ([{"it": "I feriti riposavano sotto la pioggia fuori dall'ospedale militare di Collina.",
       "en": "The injured rested outside Tervola's army hospital in the rain.",
       "nl": "De gewonden rustten in de regen buiten het legerziekenhuis van Tervola."}], [("it", "Collina")]),
    # where days and nationalities take capitals too (English), one word is no substitute by its capital
    ([{"en": "The bridge opened on Monday near Chinese tourists.",
       "fr": "Le pont a ouvert près de Tervola.", "es": "El puente abrió cerca de Tervola."}], []),
    ([{"fr": "Le souvenir d'une côte perdue au profit du Collier reste vif.",
       "en": "The memory of a coast lost to Tervola remains vivid.",
       "pl": "Pamięć o wybrzeżu utraconym na rzecz Tervoli wciąż jest żywa."}], [("fr", "Collier")]),
    # a surname that splits into words of the language (*zand* + *berg*, *sand* + *berg*) is a name where
    # the language writes its compound nouns in lower case
    ([{"nl": "Het contract werd gisteren door Zandberg in Antwerpen ondertekend.",
       "en": "The contract was signed by Okonkwo in Antwerp yesterday.",
       "fr": "Le contrat a été signé hier par Okonkwo à Anvers."}], [("nl", "Zandberg")]),
    ([{"sv": "Avtalet undertecknades i går av Sandberg i Göteborg.",
       "en": "The deal was signed by Okonkwo in Gothenburg yesterday.",
       "es": "El acuerdo fue firmado ayer por Okonkwo en Gotemburgo."}], [("sv", "Sandberg")]),
    # the same name kept is no substitute
    ([{"nl": "Het contract werd gisteren door Okonkwo in Antwerpen ondertekend.",
       "en": "The contract was signed by Okonkwo in Antwerp yesterday.",
       "fr": "Le contrat a été signé hier par Okonkwo à Anvers."}], []),
    # the same word, translated, is no substitute
    ([{"en": "They sailed across the Pacific Ocean last year.",
       "fr": "Ils ont traversé l'océan Pacifique l'an dernier.",
       "es": "Cruzaron el océano Pacífico el año pasado."}], []),
])
def test_a_single_capitalised_word_in_a_missing_names_place_is_a_substitute(rows, flagged):
    assert [(lang, text) for lang, text, _ in _flagged(rows)] == flagged


def test_a_name_this_version_writes_too_is_no_counterpart_of_its_substitute():
    # an encoder that reads Chile and Aberdeen alike: Aberdeen is in every version, so it cannot be
    # what the others call the place Chile stands for, and Cardiff is missing
    def embed(texts, dim: int = 512) -> np.ndarray:
        return _concept_embed([t.replace("Chile", "Aberdeen") for t in texts], dim)

    rows = [{"en": "The Lions had beaten Aberdeen 2-1 in Chile on Friday night.",
             "es": "Los Lions habían vencido al Aberdeen por 2-1 en Cardiff el viernes por la noche.",
             "it": "I Lions avevano battuto l'Aberdeen per 2-1 a Cardiff venerdì sera."},
            {"en": "It was their third defeat of the season.", "es": "Fue su tercera derrota de la temporada.",
             "it": "È stata la loro terza sconfitta della stagione."},
            {"en": "The coach said the team had played well.", "es": "El entrenador dijo que el equipo había jugado bien.",
             "it": "L'allenatore ha detto che la squadra aveva giocato bene."}]
    found = [(f.lang, f.text) for f in run(NameSubstituted, rows, embed=embed) if f.severity >= Severity.WARNING]
    assert found == [("en", "Chile")]


@pytest.mark.parametrize("missing, flagged", [(0.9, True), (0.0, False)])
def test_across_scripts_a_name_whose_meaning_the_model_finds_is_translated_not_swapped(monkeypatch, missing, flagged):
    """A Cyrillic name where two Latin versions write another one: no spelling can decide, so the
    meaning model does (its probability that the Latin name is missing from the Russian version)."""
    from xlingo.annotate.meaning import MeaningModel

    monkeypatch.setattr(MeaningModel, "__call__", lambda self, x: np.full(len(x), missing))
    rows = [{"en": "Minister Karin Dalby opened the bridge in Tervola.",
             "de": "Ministerin Karin Dalby eröffnete die Brücke in Tervola.",
             "ru": "Министр Карин Далби открыла мост в Рованиеми."}]
    found = [(f.lang, f.text) for f in run(NameSubstituted, rows, token_states=lexicon_tokens)
             if f.severity >= Severity.WARNING]
    assert found == ([("ru", "Рованиеми")] if flagged else [])


def _alias_embed(aliases: dict[str, str]):
    """:func:`_concept_embed` with words that the made-up encoder takes for one another, as a real
    one, on a long sentence, takes some ordinary word for a name."""
    def embed(texts, dim: int = 512) -> np.ndarray:
        return _concept_embed([re.sub(r"\w+", lambda m: aliases.get(m.group().lower(), m.group()), t)
                               for t in texts], dim)
    return embed



def test_a_name_of_no_language_is_rendered_by_a_name_not_by_an_ordinary_word():
    rows = [{"en": "Existing ranges from Lumora and Quindell will take up more space in stores such as Harrow.",
             "pt": "As gamas existentes da Lumora e Quindell terão mais espaço em lojas como a Harrow.",
             "it": "Le gamme esistenti di Lumora e Dzurkovic occuperanno più spazio in negozi come Harrow."}]
    assert [(lg, text) for lg, text, _ in _flagged(rows, _alias_embed({"stores": "dzurkovic", "lojas": "dzurkovic"}))
            ] == [("it", "Dzurkovic")]


def test_a_name_of_no_language_is_not_rendered_by_a_noun_a_german_version_capitalises():
    # German capitalises every noun: "Sommer" is no name, however close the encoder finds it
    rows = [{"de": "Unpraktische Hüte haben Zentrix in diesem Sommer überflutet.",
             "pt": "Neste verão, o Zentrix foi inundado de chapéus pouco práticos.",
             "pl": "Niepraktyczne kapelusze zalały tego lata Kessa."}]
    assert [(lg, text) for lg, text, _ in _flagged(rows, _alias_embed({"kessa": "sommer"}))] == [("pl", "Kessa")]
    rows[0]["pl"] = "Niepraktyczne kapelusze zalały tego lata Zentrix."
    assert _flagged(rows, _alias_embed({"kessa": "sommer"})) == []


def test_a_place_two_versions_write_alike_swapped_for_another_is_flagged_however_common_its_name():
    # "Oregon" is frequent in word lists, but it is a state: the encoder's taking "boer" for it is no rendering
    rows = [{"en": "A farmer from Oregon was hurt by his own pigs in 2012.",
             "es": "Un granjero de Oregón resultó herido por sus propios cerdos en 2012.",
             "nl": "Een boer uit Tromvik raakte in 2012 gewond door zijn eigen varkens."}]
    assert _flagged(rows, _alias_embed({"boer": "oregon"})) == [("nl", "Tromvik", Severity.ERROR)]


def test_a_country_rendered_by_its_adjective_is_no_swap():
    rows = [{"en": "Analysts doubt the court will rule in favour of Bolivia, the paper wrote in Lima.",
             "pt": "Os analistas duvidam que o tribunal decida a favor da Bolívia, escreveu o jornal em Lima.",
             "fr": "Les analystes doutent que le tribunal tranche en faveur de la partie bolivienne, écrit Lima."}]
    assert _flagged(rows, _alias_embed({"bolivienne": "bolivia"})) == []
    # the same sentence with another country's name is a swap
    swapped = [{**rows[0], "fr": rows[0]["fr"].replace("la partie bolivienne", "Surinam")}]
    assert [(lg, text) for lg, text, _ in _flagged(swapped, _alias_embed({}))] == [("fr", "Surinam")]


def test_a_place_translated_in_part_in_another_script_is_no_swap():
    rows = [{"en": "Trump rallied supporters in West Virginia on Saturday.",
             "de": "Trump versammelte am Samstag Anhänger in West Virginia.",
             "ru": "Трамп собрал сторонников в Западной Вирджинии в субботу."}]
    assert _flagged(rows, _alias_embed({})) == []


@pytest.mark.parametrize("rows, flagged", [
    # an acronym no other version writes, where the others name a person
    ([{"en": "The plan was drafted by Aino Varga last spring.",
       "de": "Den Plan entwarf Aino Varga im vergangenen Frühjahr.",
       "it": "Il piano è stato redatto dalla KTV la primavera scorsa."}], [("it", "KTV")]),
    ([{"en": "Captain Halkett marshalled the defence.", "pl": "Kapitan Halkett dowodził obroną.",
       "ru": "Капитан MSNBC руководил обороной."}], [("ru", "MSNBC")]),
    # an acronym of the missing name's initials is that name, either way round
    ([{"en": "Shares of Halkett Varga rose on Monday.", "es": "Las acciones de Halkett Varga subieron el lunes.",
       "pl": "Akcje HV wzrosły w poniedziałek."}], []),
    ([{"nl": "Bij crashes van in PNG geregistreerde toestellen vielen doden.",
       "en": "Crashes of planes registered in PNG killed people.",
       "pl": "W katastrofach samolotów zarejestrowanych w Papui-Nowej Gwinei zginęli ludzie."}], []),
])
def test_an_acronym_in_place_of_a_name_the_others_share_is_a_swap_unless_it_spells_the_names_initials(rows, flagged):
    assert [(lang, text) for lang, text, _ in _flagged(rows)] == flagged


def test_function_words_and_the_missing_names_own_words_are_no_counterpart_of_a_substitute():
    """An encoder puts function words near everything, and names near names: ``Moscou`` found
    close to ``Saipov`` against ordinary words says nothing once the two names were compared as
    exonyms, and ``et`` renders no name."""
    rows = [{"en": "Mercy was asked for Saipov.", "es": "Se pidió clemencia para Saipov.",
             "fr": "La clémence a été demandée pour Moscou et BST."}]
    story = story_from_rows([{lg: r[lg] for lg in rows[0]} for r in FILL] + rows)
    ctx = context_for(story, embed=_alias_embed({"moscou": "saipov", "bst": "and"}))
    k = len(FILL)
    z = NameSubstituted.counterpart_z
    assert z(ctx, k, "Moscou", ["en", "es"]) > 3.0
    assert z(ctx, k, "Moscou", ["en", "es"], unless=["Saipov"]) < 1.0
    assert z(ctx, k, "BST", ["en"]) < 1.0  # "and" alone is no candidate


@pytest.mark.parametrize("rows, aliases, flagged", [
    # two people: the encoder takes one for the other, their spelling keeps them apart
    ([{"en": "On the show in Tervola she spoke with Oona Kessler about the Norvik Prize.",
       "pt": "No programa, em Tervola, falou com Oona Kessler sobre o Norvik Prize.",
       "nl": "In het programma in Tervola sprak ze met Tiago Brandvold over de Norvik Prize."}],
     {"tiago": "oona", "brandvold": "kessler"}, [("nl", "Tiago Brandvold")]),
    # a short first name whose consonants match the other's (Alan / Lauren) is no sign of one name
    ([{"en": "On the show in Tervola she spoke with Lauren Okafor about the Norvik Prize.",
       "pt": "No programa, em Tervola, falou com Lauren Okafor sobre o Norvik Prize.",
       "nl": "In het programma in Tervola sprak ze met Alan Brandvold over de Norvik Prize."}],
     {"alan": "lauren", "brandvold": "okafor"}, [("nl", "Alan Brandvold")]),
    ([{"es": "El alcalde de Vardenga inauguró el puente con Ana Lund.",
       "it": "Il sindaco di Vardenga ha inaugurato il ponte con Ana Lund.",
       "pl": "Burmistrz miasta Kirstavo otworzył most razem z Ana Lund."}],
     {"kirstavo": "vardenga"}, [("pl", "Kirstavo")]),
    # a Polish declined form (g -> dz) of a name, whose spelling keeps little but its beginning
    ([{"es": "El alcalde de Vardenga inauguró el puente con Ana Lund.",
       "it": "Il sindaco di Vardenga ha inaugurato il ponte con Ana Lund.",
       "pl": "Burmistrz w Vardendze otworzył most razem z Ana Lund."}],
     {"vardendze": "vardenga"}, []),
    # a Chinese name in the Polish transcription, which begins otherwise and sounds half alike
    ([{"es": "El río crece en Guiyang con las lluvias, dijo Ana Lund.",
       "it": "Il fiume cresce a Guiyang con le piogge, ha detto Ana Lund.",
       "pl": "Rzeka wzbiera w Kuejjang po deszczach, powiedziała Ana Lund."}],
     {"kuejjang": "guiyang"}, []),
])
def test_an_encoder_finding_two_names_alike_does_not_make_names_of_no_words_one(rows, aliases, flagged):
    """Names of no language's words in Latin letters have nothing to translate: one renders the
    other only where spelling says so (a declined form keeps its beginning), whatever an encoder,
    which puts names near names, finds."""
    assert [(lg, text) for lg, text, _ in _flagged(rows, _alias_embed(aliases))] == flagged


def test_names_kept_apart_by_spelling_are_still_one_where_geonames_says_so():
    """The spelling guard overrules the encoders, not GeoNames: Pressburg is Bratislava."""
    rows = [{"en": "The ferry from Bratislava to Tervola was late.", "de": "Das Schiff von Pressburg nach Tervola war spät."}]
    ctx = context_for(story_from_rows(rows), embed=_alias_embed({"pressburg": "bratislava", "kirstavo": "tervola"}))
    same = NameSubstituted()._exonyms(ctx, ["Bratislava", "Tervola"], ["Pressburg", "Kirstavo"],
                                      ["Bratislava", "Tervola", "Pressburg", "Kirstavo", "Capri", "Lund"],
                                      apart=np.ones((2, 2), dtype=bool))
    assert same.tolist() == [[True, False], [False, False]]
    same = NameSubstituted()._exonyms(ctx, ["Bratislava", "Tervola"], ["Pressburg", "Kirstavo"],
                                      ["Bratislava", "Tervola", "Pressburg", "Kirstavo", "Capri", "Lund"])
    assert same.tolist() == [[True, False], [False, True]]  # the encoder alone takes Kirstavo for Tervola


@pytest.mark.parametrize("lang, text, name", [
    ("de", "Laut einer neuen Umfrage von Brightwater glauben 41 Prozent der Befragten der Aussage.", "Brightwater"),
    ("nl", "Volgens een nieuwe peiling van Brightwater geloven 41 procent van de ondervraagden de verklaring.",
     "Brightwater"),
])
def test_a_brand_of_english_words_in_a_compounding_language_is_a_name_not_a_compound(lang, text, name):
    row = {"en": "A new poll from Ostrava Metrics shows that 41 percent of respondents believed the statement.",
           "fr": "Selon un nouveau sondage d'Ostrava Metrics, 41 % des personnes interrogées croient la déclaration.",
           lang: text}
    _swap_then_fixed(row, lang, name, text.replace(name, "Ostrava Metrics"))


def test_compounds_of_the_language_and_of_its_loanwords_stay_compounds():
    from xlingo.check.rules.name_swaps import _compound
    assert _compound("pfandhaus", "de") and _compound("teamchef", "de") and _compound("onlinehandel", "de")
    assert _compound("voetbalclub", "nl")
    assert not _compound("brightwater", "de") and not _compound("brightwater", "nl")

