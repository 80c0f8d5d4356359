"""XL501-XL505: MT artefacts and typography on hand-built stories (no model)."""
from __future__ import annotations

from xlingo.check.rules.artefacts import (
    AcronymCasing,
    AcronymNotLocalised,
    DoubledWord,
    SpaceBeforeHyphen,
    UnbalancedBrackets,
    unmatched_marks,
)
from xlingo.model import Severity
from xlingo.testing import context_for, story_from_rows


def _run(rule, rows, **kw):
    return list(rule.check(context_for(story_from_rows(rows, **kw))))


# --- XL501 space-before-hyphen -------------------------------------------------------------------

def test_space_before_hyphen_in_compounds():
    rows = [{"de": "Schicken Sie eine E -Mail zur Frage der EU -Kommission.",
             "pt": "Envie um e-mail sobre a pergunta da Comissão."},
            {"de": "Das Software -Update kommt am Freitag.", "pt": "Dá -se prioridade à atualização de sexta-feira."}]
    findings = _run(SpaceBeforeHyphen(), rows)
    assert [(f.doc, f.text, f.suggestion) for f in findings] == [
        ("de", "E -Mail", "E-Mail"), ("de", "EU -Kommission", "EU-Kommission"),
        ("de", "Software -Update", "Software-Update"), ("pt", "Dá -se", "Dá-se")]
    assert all(f.severity == Severity.WARNING for f in findings)
    assert "`E-Mail` in pt" in findings[0].message


def test_joined_form_in_another_version_is_evidence():
    rows = [{"fr": "La vague de Covid -19 a ralenti en mars.", "en": "The Covid-19 wave slowed in March."}]
    assert [f.text for f in _run(SpaceBeforeHyphen(), rows)] == ["Covid -19"]


def test_acronym_with_digits_before_a_spaced_hyphen():
    rows = [{"de": "Die CO2 -Steuer steigt.", "es": "El impuesto sobre el CO2 sube."}]
    assert [f.text for f in _run(SpaceBeforeHyphen(), rows)] == ["CO2 -Steuer"]


def test_dashes_ranges_negatives_and_suspended_compounds_are_fine():
    rows = [{"de": "Die Preise – so die Studie – steigen; Paris - Berlin dauert acht Stunden.",
             "en": "Prices - the report says - are rising."},
            {"de": "Nachts fällt die Temperatur auf -5 Grad, 1990 -2000 war es milder.",
             "en": "At night it drops to -5 degrees."},
            {"de": "Textilindustrie und -handel sowie Obstanbau und -verkauf leiden.",
             "en": "The textile industry and trade suffer."},
            {"de": "Er erreichte den Gipfel - trotz des Sturms -am Abend.",
             "en": "He reached the summit - despite the storm - in the evening."},
            {"nl": "De land- en tuinbouw en -visserij groeien.", "en": "Farming and fishing grow."}]
    assert _run(SpaceBeforeHyphen(), rows) == []


# --- XL502 doubled-word --------------------------------------------------------------------------

def test_doubled_words():
    rows = [{"en": "The the committee will meet again in May.", "it": "Il comitato si riunirà di nuovo a maggio."},
            {"en": "It will vote on the budget.", "it": "Voterà sul sul bilancio."},
            {"en": "Nothing else.", "es": "Nada más que que decir."}]
    findings = _run(DoubledWord(), rows)
    assert [(f.doc, f.text, f.suggestion) for f in findings] == [
        ("en", "The the", "The"), ("it", "sul sul", "sul"), ("es", "que que", "que")]


def test_grammatical_doubles_names_and_punctuation_are_fine():
    rows = [{"de": "Menschen, die die Regeln brechen, zahlen. Ich weiß, dass das das Beste ist.",
             "fr": "Nous nous sommes trompés, et vous vous en doutiez.",
             "pt": "Não sei se se trata de um erro.", "nl": "Hij zegt dat dat niet klopt.",
             "en": "He said that that was wrong. The ones who, who knows, stayed.",
             "pl": "Dostał listy, ale nawet na nie nie spojrzał."},
            {"de": "Der Urlaub auf Bora Bora war teuer.", "fr": "Les vacances à Bora Bora étaient chères.",
             "pt": "As férias em Bora Bora foram caras.", "nl": "De vakantie op Bora Bora was duur.",
             "en": "The holiday on Bora Bora was expensive."}]
    assert _run(DoubledWord(), rows) == []


def test_emphasis_repeated_in_every_version_is_kept():
    rows = [{"de": "Das war sehr sehr knapp.", "fr": "C'était très très serré."}]
    assert _run(DoubledWord(), rows) == []


# --- XL503 unbalanced-brackets -------------------------------------------------------------------

def test_unclosed_guillemet_and_parenthesis():
    rows = [{"fr": "Le ministre a parlé d'une « réforme historique.",
             "de": "Der Minister sprach von einer „historischen Reform“.",
             "en": "The minister spoke of a “historic reform” (in Paris."}]
    findings = _run(UnbalancedBrackets(), rows)
    assert sorted((f.doc, f.text) for f in findings) == [("en", "("), ("fr", "«")]
    assert "never closed" in findings[0].message
    assert all(f.end - f.start == 1 for f in findings)


def test_stray_closer_and_mismatched_pair():
    rows = [{"es": "El informe (publicado en marzo) se retrasó).", "en": "The report (published in March) was late."},
            {"es": "Vea la revista {número 4).", "en": "See the magazine (issue 4)."}]
    findings = _run(UnbalancedBrackets(), rows)
    assert [(f.text, f.message.split(" (")[0]) for f in findings] == [
        (")", "`)` closes nothing"), ("{", "`{` closed by `)`")]


def test_quotes_across_sentences_apostrophes_and_conventions_are_fine():
    rows = [{"de": "„Wir haben gewonnen.", "fr": "« Nous avons gagné.", "en": "“We won."},
            {"de": "Das ist toll“, sagte sie. Er nannte es ‚knapp‘.", "fr": "C’est super », dit-elle.",
             "en": "That’s great,” she said. It’s the ‘90s again."},
            {"de": "Das Buch »Die Reise« erscheint (im Mai).",
             "fr": "Le livre « Le voyage » paraît (en mai).",
             "en": "The book 'The Journey' (out in May) has a 27\" cover."},
            {"de": "Punkte: a) Preis, b) Ort :(", "fr": "Points : a) prix, b) lieu.",
             "en": "Points: a) price, b) place."}]
    assert _run(UnbalancedBrackets(), rows) == []


def test_french_quotation_reopened_at_each_sentence_start():
    rows = [{"fr": "« Nous sommes partis tôt.", "de": "„Wir brachen früh auf."},
            {"fr": "« Le soir, il neigeait. »", "de": "Abends schneite es.“"}]
    assert _run(UnbalancedBrackets(), rows) == []


def test_imbalance_shared_by_every_version_is_left_alone():
    rows = [{"fr": "Il a dit : « Nous partons", "pt": "Ele disse: « Partimos"}]
    assert _run(UnbalancedBrackets(), rows) == []


def test_a_single_quote_closed_by_its_own_glyph_or_a_straight_one_is_balanced():
    assert unmatched_marks("De naam ‘Welsh Assembly‘ wordt ‘Welsh Parliament'.") == []
    assert unmatched_marks("Ze zei ‘we gaan‘ en ging. Het was in de jaren ‘90.") == []
    assert [m.mark for m in unmatched_marks("Ze zei: ‘We gaan naar huis.")] == ["‘"]
    assert [m.mark for m in unmatched_marks("Она сказала: «Мы идём домой.")] == ["«"]
    # a quoted number is closed by its quote, an inch mark after digits stays one
    assert unmatched_marks('مثل "007" و"مهمة مستحيلة" تقدمان الكوميديا.') == []
    assert unmatched_marks('Bought with a 6" screen, "it works", he said.') == []
    assert [m.mark for m in unmatched_marks('The "6" screen.')] == []


def test_quote_continuing_over_paragraphs():
    text = "“We left early.\n“In the evening it snowed.”"
    assert unmatched_marks(text) == []
    assert [m.mark for m in unmatched_marks("“We left early.\nIn the evening it snowed.")] == ["“"]
    # made up (nl, it): a quotation opened in one paragraph, closed two paragraphs on by a ’ after punctuation
    assert unmatched_marks("Hij zei: ‘We gaan vroeg weg.\nHet was koud.\nMaar we kwamen aan,’ zei hij.") == []
    assert unmatched_marks("Disse: ‘Partiamo presto.\nArriviamo tardi,’ ha aggiunto.") == []
    assert [m.mark for m in unmatched_marks("Hij zei: ‘We gaan vroeg weg.\nHet was koud.")] == ["‘"]
    assert unmatched_marks("De spelers,’ zei de trainer, ‘zijn moe.’") == []  # a ’ after a comma opens nothing
    assert [m.mark for m in unmatched_marks("« Nous partons.\nIl a dit,’ puis rien.\nIl neigeait. »")] == []
    # ... or by a straight one typed to close it (nl)
    assert unmatched_marks("Hij zei: ‘Het onderzoek begint pas.\nIk vraag iedereen ons te bellen.'") == []
    assert unmatched_marks("De spelers' bus kwam laat.\nHij zei: ‘We gaan.") != []


def test_a_text_that_begins_inside_a_quotation_is_balanced():
    """Made up (de, pl, en, ja): an excerpt whose first paragraph closes a quotation opened before it,
    then a multi-paragraph quotation; a closing mark with no opener later on is still unbalanced."""
    assert unmatched_marks("Er sah sie nicht an.“\nSie sagte: „Es reißt ein Loch.\nAber wir machen weiter.“") == []
    assert unmatched_marks("\nNawet na nie nie spojrzał”.\nMówi: „To boli.\nAle musimy żyć dalej.”") == []
    assert unmatched_marks('He did not look at them."\nShe said: "It rips a hole.\nBut we carry on."') == []
    assert unmatched_marks("彼は目を合わせなかった。」\n彼女は「家族に穴が開いた。\nでも生きていく。」") == []
    assert [m.mark for m in unmatched_marks('The police thanked everyone.\nThe search for justice."\nHe was 20.')] == ['"']
    assert [m.mark for m in unmatched_marks("Er sah sie nicht an.“\nSie sagte: „Es reißt ein Loch.")] == ["„"]


# --- XL504 acronym-casing ------------------------------------------------------------------------

def test_upper_cased_plural_acronyms():
    rows = [{"en": "The processors double the speed of CPUs and iOS apps.",
             "de": "Die Prozessoren verdoppeln die Geschwindigkeit von CPUS und IOS-Apps.",
             "fr": "Les processeurs doublent la vitesse des Cpus et des applications iOS."}]
    findings = _run(AcronymCasing(), rows)
    assert sorted((f.doc, f.text, f.suggestion) for f in findings) == [
        ("de", "CPUS", "CPUs"), ("de", "IOS", "iOS"), ("fr", "Cpus", "CPUs")]
    assert "`CPUs` in en" in next(f.message for f in findings if f.text == "CPUS")


def test_two_versions_prefer_the_mixed_case_acronym():
    rows = [{"es": "Las APIs son públicas.", "it": "Le APIS sono pubbliche."}]
    assert [(f.doc, f.text) for f in _run(AcronymCasing(), rows)] == [("it", "APIS")]


def test_house_styles_and_headlines_are_not_acronym_casing():
    rows = [{"en": "NATO and YouTube said no.", "de": "Die Nato und Youtube sagten nein.",
             "fr": "L'OTAN et YouTube ont dit non."},
            {"en": "NEW CPUS FOR EVERYONE", "de": "Neue CPUs für alle", "fr": "Des CPUs pour tous"}]
    assert _run(AcronymCasing(), rows) == []


# --- XL505 acronym-not-localised -----------------------------------------------------------------

OMS_ROWS = [
    {"fr": "L'Organisation mondiale de la santé (OMS) lance une alerte.",
     "pt": "A Organização Mundial da Saúde (OMS) lança um alerta."},
    {"fr": "L'OMS recommande des vaccins.", "pt": "A WHO recomenda vacinas."},
    {"fr": "L'OMS enverra des experts.", "pt": "A OMS enviará peritos."},
]


def test_foreign_acronym_beside_the_defined_local_one():
    findings = _run(AcronymNotLocalised(), OMS_ROWS)
    assert [(f.doc, f.text, f.row, f.suggestion, f.severity) for f in findings] == [
        ("pt", "WHO", 1, "OMS", Severity.WARNING)]
    assert "OMS in fr" in findings[0].message and "defines it" in findings[0].message


def test_local_convention_learnt_from_use_and_other_versions():
    rows = [{"de": "Die UNO tagt in Genf.", "pt": "A ONU reúne-se em Genebra."},
            {"de": "Die UNO fordert eine Waffenruhe.", "pt": "A ONU pede um cessar-fogo."},
            {"de": "Die UNO schickt Hilfe.", "pt": "A UN envia ajuda."},
            {"de": "Der UN-Sicherheitsrat schweigt.", "pt": "O Conselho de Segurança da ONU cala-se."}]
    findings = _run(AcronymNotLocalised(), rows, context={"en-1": "The UN sends aid."})
    assert [(f.doc, f.text, f.row, f.severity) for f in findings] == [("pt", "UN", 2, Severity.INFO)]


def test_compounds_unrelated_acronyms_and_single_uses_are_fine():
    rows = [{"de": "Die EU und die NATO beraten.", "fr": "L'UE et l'OTAN se concertent."},
            {"de": "Die EU zahlt.", "fr": "L'UE paie."},
            {"de": "Die NATO wartet.", "fr": "L'OTAN attend."},
            {"de": "Die UNO tagt.", "fr": "L'ONU se réunit."},
            {"de": "Der UN-Sicherheitsrat schweigt.", "fr": "Le Conseil de sécurité de l'ONU se tait."},
            {"de": "Die UNO hilft.", "fr": "L'ONU aide."}]
    assert _run(AcronymNotLocalised(), rows) == []
    once = [OMS_ROWS[1], {"fr": "L'OMS coûte cher.", "pt": "A OMS custa caro."}]
    assert _run(AcronymNotLocalised(), once) == []  # one use each: no convention proven
