"""XL401 wrong-language and XL402 copied-verbatim on hand-built stories (no model)."""
from __future__ import annotations

from xlingo.annotate.copies import Copy
from xlingo.check.rules.language import CopiedVerbatim, WrongLanguage
from xlingo.language import title_cased
from xlingo.model import Severity
from xlingo.testing import context_for, story_from_rows

CLEAN = [
    {"de": "Die Stadtverwaltung hat am Montag einen neuen Radweg entlang des Flusses eröffnet.",
     "fr": "La municipalité a inauguré lundi une nouvelle piste cyclable le long de la rivière.",
     "pt": "A câmara municipal inaugurou na segunda-feira uma nova ciclovia ao longo do rio."},
    {"de": "Der Weg ist vier Kilometer lang und verbindet zwei Stadtteile.",
     "fr": "La piste mesure quatre kilomètres et relie deux quartiers.",
     "pt": "A ciclovia tem quatro quilómetros e liga dois bairros."},
    {"de": "Anwohner hatten seit Jahren sicherere Wege für Kinder gefordert.",
     "fr": "Les riverains réclamaient depuis des années des trajets plus sûrs pour les enfants.",
     "pt": "Os moradores pediam há anos percursos mais seguros para as crianças."},
]


def _run(rows, *rules, **kw):
    ctx = context_for(story_from_rows(rows, **kw))
    out = []
    for rule in sorted(rules, key=lambda r: r.code):
        out += list(rule.check(ctx))
    return out, ctx


# --- XL401 ---------------------------------------------------------------------------------------

def test_english_sentence_left_in_a_portuguese_version():
    rows = [{"pt": "O governo anunciou novas regras para o aluguer de casas.",
             "es": "El gobierno anunció nuevas normas para el alquiler de viviendas."},
            {"pt": "The new rules will take effect at the beginning of next month.",
             "es": "Las nuevas normas entrarán en vigor a principios del próximo mes."}]
    findings, _ = _run(rows, WrongLanguage())
    assert [(f.rule, f.doc, f.row, f.severity) for f in findings] == [("XL401", "pt", 1, Severity.WARNING)]
    assert "English" in findings[0].message and "Portuguese" in findings[0].message
    assert findings[0].text.startswith("The new rules")


def test_sentence_in_the_language_of_another_version_points_at_it():
    # French, but not a copy of the French version's sentence (copies are XL402's, even when it is ignored)
    rows = CLEAN[:2] + [{"de": "Les habitants du quartier demandaient depuis longtemps des chemins sûrs pour leurs petits.",
                         "fr": CLEAN[2]["fr"], "pt": CLEAN[2]["pt"]}]
    findings, _ = _run(rows, WrongLanguage())
    assert [(f.doc, f.row) for f in findings] == [("de", 2)]
    assert "version `fr`" in findings[0].message and "untranslated" in findings[0].message
    assert [r.doc for r in findings[0].related] == ["fr"]


def test_clean_story_has_no_wrong_language():
    findings, _ = _run(CLEAN, WrongLanguage())
    assert findings == []


def test_names_numbers_and_short_lines_are_not_judged():
    rows = [{"de": "Olympique Lyon – Ajax Amsterdam 2:1 (Dembélé 34., Tadić 71.)",
             "it": "Olympique Lyon – Ajax Amsterdam 2:1 (Dembélé 34., Tadić 71.)"},
            {"de": "Thank you very much.", "it": "Grazie mille."},
            {"de": "Nächste Station: Piccadilly Circus, Covent Garden, Leicester Square.",
             "it": "Prossima fermata: Piccadilly Circus, Covent Garden, Leicester Square."}]
    findings, _ = _run(rows, WrongLanguage())
    assert findings == []


def test_a_quoted_foreign_title_inside_a_sentence_is_fine():
    rows = [{"de": "Die Band spielte zum Abschluss ihren alten Hit „All You Need Is Love“ vor vollem Haus.",
             "nl": "De band speelde als afsluiter haar oude hit 'All You Need Is Love' voor een volle zaal."}]
    findings, _ = _run(rows, WrongLanguage())
    assert findings == []


def test_copied_sentences_are_left_to_xl402():
    rows = CLEAN[:1] + [{"de": CLEAN[1]["fr"], "fr": CLEAN[1]["fr"], "pt": CLEAN[1]["pt"]}]
    findings, ctx = _run(rows, WrongLanguage(), CopiedVerbatim())
    assert [f.rule for f in findings] == ["XL402"]
    assert ctx.copies == {("de", 1): Copy(row=1, source="fr", certain=True)}


# --- XL402 ---------------------------------------------------------------------------------------

def test_sentence_copied_from_the_french_version():
    rows = CLEAN[:1] + [{"de": "Le ministre a démissionné mardi soir après trois ans de mandat.",
                         "fr": "Le ministre a démissionné mardi soir après trois ans de mandat.",
                         "pt": "O ministro demitiu-se na terça-feira à noite, após três anos de mandato."}]
    findings, _ = _run(rows, CopiedVerbatim())
    assert [(f.rule, f.doc, f.row, f.severity) for f in findings] == [("XL402", "de", 1, Severity.WARNING)]
    assert [r.doc for r in findings[0].related] == ["fr"]
    assert "fr version" in findings[0].message


def test_near_verbatim_copy_with_case_and_punctuation_changes():
    rows = [{"it": "el museo reabre el viernes, tras dos años de obras!",
             "es": "El museo reabre el viernes tras dos años de obras."}]
    findings, _ = _run(rows, CopiedVerbatim())
    assert [f.doc for f in findings] == ["it"]


def test_english_source_pasted_into_two_versions():
    text = "The bridge will be closed to traffic for repairs until the end of June."
    rows = [{"en": text, "de": text, "pt": text},
            {"en": "A ferry replaces it.", "de": "Eine Fähre ersetzt sie.", "pt": "Um ferry substitui-a."}]
    findings, _ = _run(rows, CopiedVerbatim())
    assert sorted((f.doc, f.severity) for f in findings) == [("de", Severity.WARNING), ("pt", Severity.WARNING)]
    assert all(f.related[0].doc == "en" for f in findings)


def test_text_in_a_third_language_is_an_info_copy_and_left_to_xl401():
    text = "The bridge will be closed to traffic for repairs until the end of June."
    rows = CLEAN + [{"de": text, "fr": text, "pt": "A ponte vai fechar para obras até ao fim de junho."}]
    findings, _ = _run(rows, CopiedVerbatim(), WrongLanguage())
    assert sorted((f.rule, f.doc, f.severity) for f in findings) == [
        ("XL401", "de", Severity.WARNING), ("XL401", "fr", Severity.WARNING),
        ("XL402", "de", Severity.INFO), ("XL402", "fr", Severity.INFO)]


def test_a_copy_split_over_two_sentences_is_found():
    rows = [{"fr": ["La réunion est reportée.", "Elle aura lieu la semaine prochaine à la mairie."],
             "nl": "La réunion est reportée. Elle aura lieu la semaine prochaine à la mairie.",
             "en": "The meeting is postponed until next week at the town hall."}]
    findings, _ = _run(rows, CopiedVerbatim())
    assert [f.doc for f in findings] == ["nl"]


def test_every_copied_sentence_of_a_cell_is_flagged():
    rows = [{"es": ["Llueve desde el lunes.", "Los ríos se desbordan en el norte.", "La escuela cerró."],
             "it": ["Llueve desde el lunes.", "Los ríos se desbordan en el norte.", "La scuola ha chiuso."]}]
    findings, _ = _run(rows, CopiedVerbatim())
    assert [(f.doc, f.text) for f in findings] == [
        ("it", "Llueve desde el lunes."), ("it", "Los ríos se desbordan en el norte.")]


def test_product_lists_and_names_read_the_same_everywhere():
    products = "iPhone 15 Pro Max, Galaxy S24 Ultra, Pixel 8 Pro"
    rows = [{"de": products, "fr": products},
            {"de": "FC Porto – Benfica 2:2", "fr": "FC Porto – Benfica 2:2"}]
    findings, _ = _run(rows, CopiedVerbatim())
    assert findings == []


def test_same_language_variants_may_share_sentences():
    text = "O presidente da câmara apresentou o orçamento para o próximo ano."
    findings, _ = _run([{"pt-BR": text, "pt-PT": text}], CopiedVerbatim())
    assert findings == []


def test_clean_story_has_no_copies():
    findings, _ = _run(CLEAN, CopiedVerbatim())
    assert findings == []


def test_a_sentence_in_a_language_no_version_is_in_is_flagged():
    # German left in the English version of an English-Russian-Arabic story
    rows = [{"en": "The museum reopened its east wing after two years of repairs.",
             "ru": "Музей вновь открыл восточное крыло после двух лет ремонта.",
             "ar": "أعاد المتحف فتح جناحه الشرقي بعد عامين من الترميم."},
            {"en": "Die Eintrittspreise bleiben für Kinder und Studenten weiterhin unverändert.",
             "ru": "Цены на билеты для детей и студентов остаются прежними.",
             "ar": "تبقى أسعار التذاكر للأطفال والطلاب دون تغيير."}]
    findings, _ = _run(rows, WrongLanguage())
    assert [(f.doc, f.row) for f in findings] == [("en", 1)]
    assert "German" in findings[0].message


def test_a_short_headline_left_in_english_is_flagged_unless_the_other_versions_keep_its_words():
    rows = [{"pl": "Muzeum otwiera wschodnie skrzydło po remoncie.", "de": "Museum öffnet Ostflügel nach Renovierung.",
             "ja": "博物館が改修後に東棟を再開。"},
            {"pl": "Storm leaves thousands without power across the coast",
             "de": "Sturm lässt Tausende an der Küste ohne Strom", "ja": "嵐で沿岸の数千人が停電"}]
    findings, _ = _run(rows, WrongLanguage())
    assert [(f.doc, f.row) for f in findings] == [("pl", 1)]
    # an English title every version keeps is a title, not text left untranslated
    title = "Songs From The Long Road Home Tonight"
    rows[1] = {"pl": title, "de": f"„{title}“", "ja": f"「{title}」"}
    assert _run(rows, WrongLanguage())[0] == []


def test_a_headline_in_title_case_is_identified_in_lower_case():
    # capitals in every word make a character n-gram identifier unsure of English; folded, it is not
    rows = [{"es": "El museo reabre su ala este tras la reforma.", "ru": "Музей вновь открывает восточное крыло.",
             "it": "Il museo riapre l'ala est dopo i lavori."},
            {"es": "Killer Dog Bites German Postman To Death",
             "ru": "Собака-убийца насмерть загрызла немецкого почтальона",
             "it": "Cane assassino sbrana a morte un postino tedesco"}]
    findings, _ = _run(rows, WrongLanguage())
    assert [(f.doc, f.row) for f in findings] == [("es", 1)] and "English" in findings[0].message
    # a headline in title case in the version's own language is its own
    rows[1]["es"] = "Un Perro Asesino Mata A Mordiscos A Un Cartero Alemán"
    assert _run(rows, WrongLanguage())[0] == []


def test_title_case():
    assert title_cased("Killer Storm Hits The Coast".split())
    assert title_cased("Storm Leaves Thousands to Fend for Themselves".split())
    assert not title_cased("Der Sturm traf die Küste am Montag".split()) and not title_cased(["Two", "Words"])
