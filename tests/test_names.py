"""Name candidates, their matching across versions, name slots and word judgements (no model)."""
from __future__ import annotations

import numpy as np
import pytest

from xlingo.names import (
    NameIndex,
    calibrated,
    case_stems,
    char_similarity,
    equivalent,
    extract,
    fold,
    has_shape,
    is_ordinary,
    name_ends,
    name_spans,
    relation,
    same_word,
    slots,
    split_words,
    tokenize,
    word_zipf,
)


def texts(ms):
    return [m.text for m in ms]


def index(rows: list[dict[str, str]], context: dict[str, str] | None = None) -> NameIndex:
    """A NameIndex over rows of one sentence per language."""
    docs, cells = {}, []
    for row in rows:
        cell = {}
        for lang, sent in row.items():
            text, spans = docs.setdefault(lang, ["", []])
            start = len(text) + (1 if text else 0)
            docs[lang][0] = (text + " " if text else "") + sent
            spans.append((len(spans), start, start + len(sent)))
            cell[lang] = (len(spans) - 1,)
        cells.append(cell)
    spec = [(lang, lang, t, s, True) for lang, (t, s) in docs.items()]
    spec += [(name, name.split("-")[0], t, [], False) for name, t in (context or {}).items()]
    return NameIndex(spec, cells)


# --------------------------------------------------------------------------- tokens


def test_tokenize_splits_elisions_hyphens_and_possessives():
    toks = tokenize("Selon l'Agence, Acme's team met Jean-Pierre d’Ornano at H20-Chips.")
    assert [t.text for t in toks] == ["Selon", "l'", "Agence", "Acme", "team", "met", "Jean", "Pierre",
                                      "d’", "Ornano", "at", "H20", "Chips"]
    agence = toks[2]
    assert agence.joined and not agence.initial  # "l'" then "Agence": one word, mid-sentence
    assert toks[7].joined and toks[7].gap == "-"
    assert not toks[3].joined  # a comma between "Agence" and "Acme"
    assert toks[0].initial and tokenize("Done. Next")[1].initial


def test_tokenize_offsets_point_into_the_text():
    text = "x O'Neill (via Acme)"
    for t in tokenize(text):
        assert text[t.start:t.end] == t.text


@pytest.mark.parametrize("word,expected", [
    ("iPhone", True), ("GitHub", True), ("ByteDance", True), ("H20", True), ("A380", True), ("ACME", True),
    ("Paris", False), ("Jean-Pierre", False), ("10h30", False), ("2e", False), ("km2", False), ("I", False),
])
def test_shape_of_a_name(word, expected):
    assert has_shape(word) is expected


# --------------------------------------------------------------------------- extraction


def test_capitals_mid_sentence_make_names_in_english_and_romance_languages():
    en = extract("Yesterday the Bank of England met officials from São Paulo and Marta Oliveira.", "en")
    assert texts(en) == ["Bank of England", "São Paulo", "Marta Oliveira"]
    fr = extract("Le maire de Lyon a rencontré la Banque de France et l'Office fédéral.", "fr")
    assert texts(fr) == ["Lyon", "Banque de France", "Office"]


def test_common_sentence_initial_words_are_not_names_but_rare_ones_are():
    assert texts(extract("Yesterday prices rose.", "en")) == []
    assert texts(extract("Zentrix raised prices.", "en")) == ["Zentrix"]
    # a rare-enough sentence-initial word before a name belongs to it
    assert texts(extract("Granite Cloud opened an office.", "en")) == ["Granite Cloud"]
    assert texts(extract("Yesterday Granite Cloud opened an office.", "en")) == ["Granite Cloud"]


@pytest.mark.parametrize("lang, text, names", [
    # an inflected form of the language's own, rare as a form but unknown to English, begins the sentence
    ("pl", "Uśmiechając się, Holloway podziękował kibicom.", ["Holloway"]),
    ("pt", "Encharcados, os adeptos aplaudiram Fairbanks.", ["Fairbanks"]),
    ("it", "Sconsolati, i tifosi lasciarono lo stadio di Udine.", ["Udine"]),
    ("fr", "Abasourdis, les supporteurs ont quitté le stade.", []),
    # a name at the start of a sentence is still one: known in English too, or rare everywhere
    ("pl", "Holloway podziękował kibicom.", ["Holloway"]),
    ("es", "Fairbanks agradeció el apoyo.", ["Fairbanks"]),
    ("pl", "Wolkowicz podziękował kibicom.", ["Wolkowicz"]),
])
def test_a_sentence_initial_word_of_the_language_is_no_name_where_capitals_say_little(lang, text, names):
    assert texts(extract(text, lang)) == names


def test_german_nouns_are_not_names_unless_rare_or_shaped():
    de = extract("Die Regierung kaufte bei Zentrix neue Chips und ein iPhone für die Kommission.", "de")
    assert texts(de) == ["Zentrix", "iPhone"]


def test_inflected_german_nouns_count_as_common():
    assert texts(extract("Das Ende des Tals und des Massivs.", "de")) == []


def test_headlines_and_shouting_do_not_make_every_word_a_name():
    assert texts(extract("Rents Rise Sharply Across Northern Towns", "en")) == []
    assert texts(extract("PRICES RISE AGAIN IN THE NORTH", "en")) == []


def test_hyphenated_compound_keeps_only_the_name_part():
    de = extract("Sie bestellten H20-Chips und Zentrix-ähnliche Geräte.", "de")
    assert texts(de) == ["H20", "Zentrix"]


def test_story_evidence_finds_names_that_local_capitals_hide():
    idx = index([
        {"fr": "La Deutsche Bank et Peter Keller ont signé avec Apple.",
         "de": "Die Deutsche Bank und Peter Keller unterzeichneten mit Apple.",
         "en": "Apple signed with Deutsche Bank and Peter Keller."},
        {"fr": "Selon la Deutsche Bank, rien ne change.",
         "de": "Laut der Deutschen Bank ändert sich nichts.",
         "en": "Nothing changes, Deutsche Bank said."},
    ])
    de = texts(idx.mentions["de"])
    assert "Deutsche Bank" in de and "Deutschen Bank" in de and "Peter Keller" in de and "Apple" in de
    assert "Apple" in texts(idx.mentions["en"])  # sentence-initial, known from the other versions


def test_row_variant_is_found_where_capitals_say_nothing():
    idx = index([{"en": "We use Granite Cloud now.", "fr": "Nous utilisons Granite Cloud.",
                  "de": "Wir nutzen jetzt Granit Cloud."}])
    assert "Granit Cloud" in texts(idx.by_row[0]["de"])
    (cluster,) = [c for c in idx.clusters[0] if len(c.docs) == 3]
    assert sorted(m.text for m in cluster.mentions) == ["Granit Cloud", "Granite Cloud", "Granite Cloud"]


def test_a_row_variant_ends_with_no_short_word_in_lower_case():
    # "Rapid Wien am" spells *Rapid Vienna* closer than "Rapid Wien" does; a name ends with no "am"
    idx = index([{"it": "I Rangers ospitano il Rapid Vienna giovedì.",
                  "fr": "Les Rangers reçoivent le Rapid Vienna jeudi.",
                  "de": "Die Rangers empfangen Rapid Wien am Donnerstag."}])
    assert "Rapid Wien" in texts(idx.by_row[0]["de"])
    assert "Rapid Wien am" not in texts(idx.by_row[0]["de"])


# --------------------------------------------------------------------------- matching


@pytest.mark.parametrize("a,b", [
    ("GitHub", "Github"), ("Zürich", "Zurich"), ("Granite-Cloud", "Granite Cloud"), ("GraniteCloud", "Granite Cloud"),
    ("U.S.", "US"),
])
def test_equivalent_forms(a, b):
    assert equivalent(split_words(a), split_words(b))


def test_a_declined_name_word_has_its_plain_form_only_where_the_language_declines_names():
    assert case_stems("hacketta", "pl") == ["hackett"] and case_stems("foleyem", "pl") == ["foley"]
    assert case_stems("пайнса", "ru") == ["пайнс"]
    assert case_stems("hacketta", "es") == [] and case_stems("hackett", "pl") == []


def test_inflection_is_one_name_only_where_the_language_inflects():
    assert same_word("googles", "google", "de", "en")
    assert same_word("deutschen", "deutsche", "de", "fr")
    assert not same_word("granit", "granite", "de", "en")
    assert not same_word("paris", "pari", "fr", "fr")
    assert same_word("minis", "mini", "pt", "en") and same_word("iphone", "iphones", "de", "fr")
    assert not same_word("minis", "mini", "pt", "pt")
    # both inflected, each its own way: the Dutch genitive -s, the Polish genitive -a
    assert same_word("hacketts", "hacketta", "nl", "pl") and same_word("hacketta", "hacketts", "pl", "nl")
    assert not same_word("hacketts", "hackera", "nl", "pl")


def _m(text, lang):
    (m,) = extract(f"x {text} x", lang)
    return m


def test_relations_between_versions():
    assert relation(_m("Granite Cloud", "en"), _m("Granite Cloud", "fr"))[0] == "same"
    assert relation(_m("Zentriks Labs", "fr"), _m("Zentrix Labs", "en"))[0] == "variant"
    assert relation(_m("Nuvem Granite", "pt"), _m("Granite Cloud", "en"))[0] == "partial"
    assert relation(_m("Granite", "pt"), _m("Granite Cloud", "en"))[0] == "short"
    assert relation(_m("Lisboa", "pt"), _m("Porto", "en")) is None


def test_char_similarity_ignores_case_accents_and_spacing():
    assert char_similarity("São-Paulo", "sao paulo") == 1.0
    assert char_similarity("Northern Valley Courier", "Courrier de la vallée du Nord") < 0.5


# --------------------------------------------------------------------------- slots and spans


def _slot_texts(text, lang):
    return [(s.kind, [text[slice(*s.span(e))] for e in s.ends]) for s in slots(text, 0, len(text), lang)]


def test_slots_after_attribution_cues():
    assert _slot_texts("Selon le Courrier de la vallée du Nord, les loyers montent.", "fr") == [
        ("source", ["Courrier", "Courrier de la vallée", "Courrier de la vallée du Nord"])]
    assert _slot_texts("Laut dem Kurier des nördlichen Tals stiegen die Mieten.", "de") == [
        ("source", ["Kurier", "Kurier des nördlichen Tals"])]
    assert _slot_texts("According to the Northern Valley Courier, rents rose.", "en") == [
        ("source", ["Northern", "Northern Valley", "Northern Valley Courier"])]
    assert _slot_texts("Dem Kurier des nördlichen Tals zufolge stiegen die Mieten.", "de") == [
        ("source", ["Kurier des nördlichen Tals"])]


def test_parenthesised_slots_whatever_the_preposition():
    assert _slot_texts("Ein Bericht (über Nordtal Kurier) erschien.", "de") == [("paren", ["Nordtal Kurier"])]
    assert _slot_texts("Un rapport (via Courrier du Nord) est paru.", "fr") == [
        ("paren", ["Courrier", "Courrier du Nord"])]


def test_lower_case_words_after_a_cue_are_no_slot():
    assert _slot_texts("Selon le journal local, le pont fermera.", "fr") == []


def test_name_grammar_per_language():
    toks = tokenize("Réserve fédérale a annoncé")
    assert [toks[e].text for e in name_ends(toks, 0, "fr")] == ["Réserve", "fédérale"]
    toks = tokenize("Bank of England raised rates")
    assert [toks[e].text for e in name_ends(toks, 0, "en")] == ["Bank", "England"]
    toks = tokenize("Kurier des nördlichen Tals stiegen")
    assert [toks[e].text for e in name_ends(toks, 0, "de")] == ["Kurier", "Tals"]


def test_name_spans_start_at_capitals():
    text = "o Correio do Vale informou"
    spans = [text[s:e] for s, e, _ in name_spans(text, 0, len(text), "pt")]
    assert spans == ["Correio", "Correio do Vale", "Correio do Vale informou", "Vale", "Vale informou"]


# --------------------------------------------------------------------------- words


def test_ordinary_words_of_a_language_and_kept_foreign_names():
    langs = ["fr", "pt", "en"]
    assert is_ordinary(split_words("Kurier des nördlichen Tals", True), "de", langs)
    assert not is_ordinary(split_words("Northern Valley Courier", True), "de", langs)
    assert is_ordinary(split_words("Courrier de la vallée du Nord", True), "fr", ["de", "pt", "en"])
    assert not is_ordinary(split_words("Zentrix Labs", True), "fr", ["de", "en"])


def test_nonce_compounds_of_ordinary_words_count_as_ordinary():
    assert word_zipf("morgenkurier", "de") >= 2.5
    assert word_zipf("zentrixlabs", "de") < 2.0


def test_calibrated_scores_do_not_depend_on_the_encoder_scale():
    rng = np.random.default_rng(0)
    base = rng.normal(size=(12, 16)).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    vocab = {f"s{i}": base[i] for i in range(12)}
    vocab["near"] = base[0] * 0.9 + base[1] * 0.1
    vocab["near"] /= np.linalg.norm(vocab["near"])

    def wide(texts):
        return np.stack([vocab[t] for t in texts])

    def squeezed(texts):  # every cosine pushed into a narrow high band, as some encoders do
        v = np.concatenate([wide(texts) * 0.3, np.ones((len(texts), 1), dtype=np.float32)], axis=1)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    bg = [f"s{i}" for i in range(2, 12)]
    for embed in (wide, squeezed):
        z = calibrated(embed, ["s0"], ["near", "s5"], bg)[0]
        assert z[0] > 3.0 and z[0] > z[1]


def test_a_name_keeps_its_identity_under_case_endings_written_the_way_each_language_does():
    # made up names and endings (pl, ru, tr, fi), folded as the names index folds them
    assert same_word(fold("Ovie’go"), fold("Ovie"), "pl", "en")  # a foreign name's ending after an apostrophe
    assert same_word(fold("Kovačicia"), fold("Kovačić"), "pl", "hr")  # ć declines with an i
    assert same_word(fold("Oxfordzie"), fold("Oxford"), "pl", "en")  # locative: d -> dzie
    assert same_word(fold("Detroicie"), fold("Detroit"), "pl", "en")  # t -> cie
    assert same_word(fold("Trump’ın"), fold("Trump"), "tr", "en")  # Turkish suffixes after the apostrophe
    assert same_word(fold("Bordeaux’ssa"), fold("Bordeaux"), "fi", "fr")
    assert not same_word(fold("Oxfordzie"), fold("Oxfort"), "pl", "en")  # another name
    assert not same_word(fold("Trump’ın"), fold("Trump"), "en", "de")  # English writes no such suffix
    assert not same_word(fold("Ovie’go"), fold("Ovie"), "en", "de")


@pytest.mark.parametrize(("word", "name_word", "expected"), [
    ("Стэмфорд", "Stamford", True), ("Бридж", "Bridge", True), ("Генри", "Henry", True),  # h as g, dge as дж
    ("Уотсон", "Watson", True), ("Грегора", "Gregor", True), ("ワトソン", "Watson", True), ("Янг", "Young", True),
    ("Мост", "Bridge", False), ("Новый", "New", False), ("Порода", "Breed", False),  # translations
    ("Белый", "White", False), ("Почта", "Post", False), ("الأبيض", "White", False),
    # short names, a soft c, z as s, a silent h, g as j, doubled letters
    ("Джей", "Jay", True), ("Йен", "Ian", True), ("Пенс", "Pence", True), ("Пас", "Paz", True),
    ("Джонни", "Johnny", True), ("Джеффа", "Geoff", True), ("Мэтью", "Matthew", True), ("Дила", "Diehl", True),
    ("Дом", "House", False), ("Город", "City", False), ("Зелёный", "Green", False), ("Западная", "West", False),
    ("Джоном", "Jon", True), ("Рамом", "Rahm", True), ("Новой", "New", False),  # declined; not a declined word
    ("Бубба", "Webb", False),  # one consonant in common, another first sound
])
def test_a_name_word_written_by_its_sounds_in_another_script_is_transliterated(word, name_word, expected):
    from xlingo.names import transliterated

    assert transliterated(word, name_word) is expected


def test_a_katakana_run_is_a_word_of_its_own():
    from xlingo.names import katakana_spaced, name_words, word_found

    words = name_words(katakana_spaced("決勝ゴールは終了間際にニコ・サルトーリが決めた。"))  # no space around it
    assert word_found("sartori", words) and word_found("nico", words)
    assert not word_found("sastre", words)


def test_soft_and_hard_signs_do_not_split_a_transliterated_word():
    from xlingo.names import translit_words, word_found

    assert translit_words("Канье Ньютон, Объединённых") == ["kane", "nyuton", "obedinennykh"]
    assert word_found("kanye", translit_words("Канье Уэст"))  # the name kept by its sounds


@pytest.mark.parametrize(("a", "b", "alike"), [
    ("Уэйда Симса", "Wayde Sims", True), ("Микронезии", "Micronésie", True), ("Обамы", "Obama", True),
    ("Teksasem", "Texas", True), ("Франсуа Бушар", "Francois Bouchard", True),  # declined, transliterated
    ("Brexit", "Burnaston", False),  # a short skeleton (brst) inside a longer one (brnstn) is no name's sound
    ("Pelley", "Burnaston", False),
    ("James", "Sims", False),  # a consonant more at the start (ms/sms) is no case ending
    ("Stanów", "West", False),  # nor one more after two (st/stn): many names begin so
    ("Трампом", "Trump", True),
    ("Джоном", "Jonem", True),  # a case ending each
    ("Britain", "Burneston", False), ("Brentonby", "Britain", False),  # half alike by one order of difflib only
])
def test_names_sound_alike_across_transliterations_not_by_a_few_shared_consonants(a, b, alike):
    from xlingo.names import sounds_alike

    assert (sounds_alike(a, b) >= 0.7) is alike
    assert sounds_alike(a, b) == sounds_alike(b, a)


def test_name_words_are_the_words_a_name_can_be_written_with():
    from xlingo.names import name_words

    assert name_words("Sites such as Tornvik, where the drama stays (BBC) 2018") == [
        "sites", "tornvik", "bbc", "2018"]
    assert name_words("Дуайер забил в «Джайантс» гол") == ["duayer", "dzhayants"]
    assert name_words("德怀尔 Pep Guardiola 告诉记者") == ["dehuaier", "pep", "guardiola", "gaosujizhe"]


@pytest.mark.parametrize(("name", "expected"), [
    ("National Hurricane Center", True), ("Select Committee on Artificial Intelligence", True),
    ("Department of Justice", True), ("Centers for Disease Control", True),
    ("South China Morning Post", False), ("Washington Examiner", False), ("Red Harbor Institute", False),
    ("Drought Monitor", False),
])
def test_an_institution_is_told_by_its_head_noun(name, expected):
    from xlingo.names import institution

    assert institution(name) is expected
