"""XL801, XL802: polarity and comparison direction across versions (XL803: test_rules_name_swaps.py).

Every sentence here is made up for these tests (no seed text), in Latin, Cyrillic, Chinese,
Japanese and Arabic script; the "no finding" cases are paraphrases a translator may choose.
"""
from __future__ import annotations

import pytest

from tests.rule_rows import lexicon_embed, lexicon_tokens, run
from xlingo.check.invariants import directions, implicit_negative, negations
from xlingo.check.rules.invariants import ComparisonReversed, PolarityMismatch, vote
from xlingo.model import Severity

#: The made-up encoder's gains are not the real one's: any gain makes a warning here.
ANY_GAIN = {"added_gain": 0.0, "lost_gain": 0.0}


def polarity(rows, token_states=lexicon_tokens, options=ANY_GAIN):
    return run(PolarityMismatch, rows, embed=lexicon_embed, token_states=token_states, options=options)


# --------------------------------------------------------------------------- cues


@pytest.mark.parametrize("text,lang,n", [
    ("The ferry does not run on Sundays.", "en", 1),
    ("The ferry doesn't run and never will.", "en", 2),
    ("Die Fähre fährt sonntags nicht.", "de", 1),
    ("Es gab keinen Ausweg.", "de", 1),
    ("De veerboot vaart niet op zondag.", "nl", 1),
    ("Le bac ne circule pas le dimanche.", "fr", 1),
    ("Le bac ne circule jamais et personne ne s'en plaint.", "fr", 2),
    ("Il ne reste que deux places.", "fr", 0),  # ne ... que: only
    ("No vino nadie a la reunión.", "es", 1),  # negative concord: one negation
    ("Non è venuto nessuno.", "it", 1),
    ("Ninguém disse nada.", "pt", 1),
    ("Prom nie kursuje w niedziele.", "pl", 1),
    ("Паром не ходит по воскресеньям.", "ru", 1),
    ("Никто ничего не сказал.", "ru", 1),
    ("渡轮周日不运行。", "zh", 1),
    ("不过，渡轮非常准时。", "zh", 0),  # 不过 however, 非常 very
    ("他特别喜欢无人机。", "zh", 0),  # 特别 especially, 无人机 drone
    ("这不是问题，他没有钱。", "zh", 2),
    ("不，我们下周再来。", "zh", 0),  # 不 alone between clause marks: the answer "no"
    ("他说：不，我们不去。", "zh", 1),  # the answer, then a negated verb
    ("明日は雨かもしれない。", "ja", 0),  # maybe
    ("行かなければならない。", "ja", 0),  # must
    ("Not only the mayor came.", "en", 0),
    ("フェリーは日曜日に運航しません。", "ja", 1),
    ("乗客は少ない。", "ja", 0),  # 少ない few
    ("لا تعمل العبارة يوم الأحد.", "ar", 1),
    ("لم يحضر الوزير ولا نائبه.", "ar", 1),
    ("The ferry runs every day.", "en", 0),
    ("你明天会不会来？", "zh", 0),  # A-not-A: a yes/no question
    ("工程不到三天就完成了。", "zh", 0),  # 不到 + number: less than
    ("我做不到。", "zh", 1),
    ("明日までに提出しなければなりません。", "ja", 0),  # must (polite)
    ("年齢に関係なく参加できます。", "ja", 0),  # regardless of
    ("Biegał niczym wiatr.", "pl", 0),  # niczym: like
    ("Это сведёт на нет все усилия.", "ru", 0),  # свести на нет: reduce to nothing
    ("Liga-me, nem que seja por um minuto.", "pt", 0),  # nem que: even if
    ("Il a fait un grand pas en avant.", "fr", 0),  # pas: a step
    ("Il a fait pas mal de progrès.", "fr", 0),  # pas mal: quite a lot
    ("Elle s'en souviendra à jamais.", "fr", 0),  # à jamais: forever
    ("Rien de nouveau à Lyon.", "fr", 1),
    ("Não só o prefeito aprovou o plano, mas também o conselho.", "pt", 0),
    ("لا يزال الجسر مغلقا.", "ar", 0),  # still: the verb of continuing, negated
    ("ولا تزال المفاوضات جارية، لا سيما في الشمال.", "ar", 0),  # still ... especially
    ("لا يزور الوزير الجسر.", "ar", 1),  # not: another verb (visit) after the same letters
    ("عاد اللاعب إلى ناديه ولم شمله مع زملائه القدامى.", "ar", 0),  # لمّ الشمل: reunited
    ("تعمل الجمعية على لم شمل الأسر اللاجئة.", "ar", 0),
    ("لم يشمل القرار المدارس الخاصة.", "ar", 1),  # the negator before the jussive: did not include
    ("渡轮晚点不止一个小时。", "zh", 0),  # 不止: more than
    ("这座桥别有一番风味。", "zh", 0),  # 别有: has a special (flavour)
    ("市长不同意这个计划。", "zh", 1),  # 不同意 disagree: a word longer than 不同 (different)
    ("言うまでもなく、橋は閉鎖された。", "ja", 0),  # needless to say
    ("台風は勢力をなくしている。", "ja", 0),  # なくす: to lose
    ("フェリーは運休を余儀なくされた。", "ja", 0),  # 余儀なくされる: was forced to
    ("やむを得ず、橋を閉鎖した。", "ja", 0),  # やむを得ず: unavoidably
    ("フェリーは運休しなかった。", "ja", 1),
    ("Die Zahl der Anträge ist so hoch wie nie zuvor.", "de", 0),  # as never before: a record
    ("Los precios subieron como nunca antes.", "es", 0),
    ("Цены на жильё выросли как никогда раньше.", "ru", 0),
    ("Ceny wzrosły jak nigdy dotąd.", "pl", 0),
    ("The river rose like never before.", "en", 0),
    ("Der Fluss ist nie so hoch gestiegen.", "de", 1),  # never on its own negates
    ("Come mai non è venuto?", "it", 1),  # come mai: how come; the non stays
])
def test_negations_per_language(text, lang, n):
    assert len(negations(text, lang)) == n


def test_an_editors_insertion_does_not_split_ne_pas():
    assert [c.text for c in negations("Elle « ne [s']attendait pas » à gagner.", "fr")] == ["ne [s']attendait pas"]


@pytest.mark.parametrize("text,lang", [
    ("The talks failed to produce a deal.", "en"), ("It is impossible to say.", "en"),
    ("Sie ging ohne Schirm.", "de"), ("C'est une décision injuste.", "fr"), ("Он ушёл без зонта.", "ru"),
    ("The villagers felt powerless.", "en"), ("Die Bürger fühlten sich machtlos.", "de"),  # negative suffixes
    ("They sell non-food items.", "en"), ("Für nichtkirchliche Träger gilt das auch.", "de"),
    ("O relógio deixou de funcionar.", "pt"), ("Por fin dejó de llover.", "es"), ("Лифт перестал работать.", "ru"),
    ("Por fin paró de llover.", "es"), ("O relógio parou de funcionar.", "pt"),  # parar de: to stop doing
    ("طالب المحامي بعدم نشر الصور.", "ar"), ("غادر الحافلة وبدون تذكرة.", "ar"),  # clitics: by not, and without
    ("أُغلق الطريق لغياب الحراسة.", "ar"),
])
def test_implicit_negatives(text, lang):
    assert implicit_negative(text, lang)


@pytest.mark.parametrize("text", ["بدأ المهرجان في موعده.", "وصل القطار إلى بغداد.", "عبر الفريق الجسر لكن المدرب بقي."])
def test_no_implicit_negative_in_arabic_words_that_only_begin_with_a_clitic_letter(text):
    assert not implicit_negative(text, "ar")


def test_directions_read_comparisons_not_no_longer():
    assert [c.direction for c in directions("Sales were higher than expected.", "en")] == [1]
    assert [c.direction for c in directions("Il y a eu moins de ventes.", "fr")] == [-1]
    assert directions("Les ventes ont été moins fortes.", "fr") == []  # moins fortes may be "weaker"
    assert directions("Le bac ne circule plus.", "fr") == []  # ne ... plus: no longer
    assert directions("Die Fähre ist nicht mehr in Betrieb.", "de") == []
    assert directions("De plus, le bac est neuf.", "fr") == []  # de plus: moreover
    assert [c.direction for c in directions("销量低于预期。", "zh")] == [-1]
    assert [c.direction for c in directions("Продажи оказались выше ожиданий.", "ru")] == [1]


def test_vote_majority_and_split():
    assert vote({"a": 1, "b": 1, "c": 0}) == (1, ["c"])
    assert vote({"a": 0, "b": 1, "c": 2}) is None
    assert vote({"a": 1, "b": 1, "c": 0, "d": 0}) is None


# --------------------------------------------------------------------------- XL801


def test_lost_negation_is_voted_against_the_odd_version():
    rows = [{"en": "The ferry will not run during the storm.", "de": "Die Fähre fährt während des Sturms nicht.",
             "ru": "Во время шторма паром не будет ходить.", "fr": "Le bac circulera pendant la tempête."}]
    found = polarity(rows)
    assert [(f.lang, f.severity) for f in found] == [("fr", Severity.WARNING)]
    assert "circulera" in found[0].text and {s.lang for s in found[0].related} == {"en", "de", "ru"}


def test_added_negation_in_japanese_points_at_the_cue():
    rows = [{"en": "Passengers can board at the north gate.", "zh": "乘客可以在北门登船。",
             "ja": "乗客は北門から乗船できません。"}]
    found = polarity(rows)
    assert [(f.lang, f.text, f.severity) for f in found] == [("ja", "ません", Severity.WARNING)]


def test_arabic_version_with_added_negation():
    rows = [{"en": "The minister attended the meeting.", "es": "El ministro asistió a la reunión.",
             "ar": "لم يحضر الوزير الاجتماع."}]
    found = polarity(rows)
    assert [(f.lang, f.text) for f in found] == [("ar", "لم")]


@pytest.mark.parametrize("rows", [
    # negative concord and a French "ne ... jamais": one negation each
    [{"en": "Nobody came to the hearing.", "es": "No vino nadie a la audiencia.",
      "fr": "Personne n'est jamais venu à l'audience."}],
    # a lexicalised negation where the others say "not"
    [{"en": "The minister was unable to attend.", "de": "Der Minister konnte nicht teilnehmen.",
      "fr": "Le ministre n'a pas pu venir."}],
    [{"en": "The talks failed to produce a deal.", "de": "Die Gespräche brachten keine Einigung.",
      "fr": "Les pourparlers n'ont pas abouti à un accord."}],
    # a merged sentence: two sentences in one version, one in the others
    [{"en": ["The bridge is closed.", "Cars cannot cross it."],
      "de": "Die Brücke ist gesperrt und Autos können sie nicht überqueren.",
      "fr": "Le pont est fermé et les voitures ne peuvent pas le traverser."}],
    # a double negation in one version, a plain word in the others
    [{"en": "Delays are not unusual.", "de": "Verspätungen sind normal.", "fr": "Les retards sont fréquents."}],
    # "does not stop doing" (no para de, não para de) for "keeps doing"
    [{"it": "Continua a piovere su tutta la costa.", "es": "No para de llover en toda la costa.",
      "pt": "Não para de chover em toda a costa."}],
    # "not only": no negation
    [{"en": "Not only the mayor approved the plan.", "de": "Der Bürgermeister hat den Plan gebilligt.",
      "fr": "Le maire a approuvé le plan."}],
    # Arabic says "asked for not publishing" with the negating noun, a preposition written onto it
    [{"en": "The lawyer asked the court not to publish the photos.",
      "fr": "L'avocat a demandé au tribunal de ne pas publier les photos.",
      "ar": "طالب المحامي المحكمة بعدم نشر الصور."}],
    # Arabic "reunited" (لمّ الشمل) written with the letters of a negator
    [{"en": "The striker returned to his club and was reunited with his old teammates.",
      "es": "El delantero volvió a su club y se reunió con sus antiguos compañeros.",
      "ar": "عاد المهاجم إلى ناديه ولم شمله مع زملائه القدامى."}],
])
def test_paraphrases_of_polarity_are_not_flagged(rows):
    assert [f for f in polarity(rows) if f.severity >= Severity.WARNING] == []


def test_added_negation_in_russian_against_two_agreeing_versions():
    rows = [{"en": "The bridge reopened today.", "es": "El puente reabrieron hoy.", "ru": "Мост сегодня не открыли."}]
    assert [(f.lang, f.text, f.severity) for f in polarity(rows)] == [("ru", "не", Severity.WARNING)]


def test_lost_negation_in_arabic():
    rows = [{"en": "The minister did not attend the meeting.", "es": "El ministro no asistió a la reunión.",
             "ar": "حضر الوزير الاجتماع."}]
    assert [(f.lang, f.severity) for f in polarity(rows)] == [("ar", Severity.WARNING)]


def test_a_prefixed_word_before_an_added_negation_does_not_cancel_it():
    """``inusuales no cerraron``: the negation bears on the verb after it, not on the adjective."""
    rows = [{"en": "Rare storms closed the bridge.", "de": "Seltene Stürme sperrten die Brücke.",
             "es": "Las tormentas inusuales no cerraron el puente."}]
    assert [(f.lang, f.text, f.severity) for f in polarity(rows)] == [("es", "no", Severity.WARNING)]


def test_a_negative_word_the_others_share_does_not_hide_an_added_negation():
    """``imposibles`` is rendered by ``impossible`` / ``unmöglichen``; those words do not render the
    ``no`` added after it."""
    rows = [{"en": "The impossible hats flooded the market.", "de": "Die unmöglichen Hüte überschwemmten den Markt.",
             "es": "Los sombreros imposibles no inundaron el mercado."}]
    assert [(f.lang, f.text, f.severity) for f in polarity(rows)] == [("es", "no", Severity.WARNING)]


@pytest.mark.parametrize("rows", [
    # litotes: a negation on a prefixed antonym two words on
    [{"en": "Everyone was moved by the film.", "de": "Alle waren vom Film bewegt.",
      "pt": "Ninguém ficou indiferente ao filme."}],
    # double negation (negative concord) in Russian and Polish, one negation elsewhere
    [{"en": "Nobody said anything.", "ru": "Никто ничего не сказал.", "pl": "Nikt nic nie powiedział."}],
    # the negation moved to the main clause by the translator
    [{"en": "I don't think the bridge will reopen.", "fr": "Je pense que le pont ne rouvrira pas.",
      "de": "Ich glaube nicht, dass die Brücke wieder öffnet."}],
    # "no one" and "personne", "not only ... but also" in Portuguese
    [{"en": "No one approved the plan.", "fr": "Personne n'a approuvé le plan.", "de": "Niemand hat den Plan gebilligt."}],
    [{"en": "Not only the mayor but also the council approved the plan.", "de": "Bürgermeister und Rat billigten den Plan.",
      "pt": "Não só o prefeito, mas também o conselho aprovou o plano."}],
    # "not the only one" for "one of many"
    [{"en": "Lyon is one of many cities with a tram.", "de": "Lyon ist eine von vielen Städten mit Straßenbahn.",
      "fr": "Lyon n'est pas la seule ville avec un tramway."}],
    # a lexical negation: "stopped" / "deixou de"
    [{"en": "The old ferry stopped running.", "de": "Die alte Fähre fährt nicht mehr.", "pt": "O velho bac deixou de circular."}],
    # "far from" / "lejos de" doing something is not doing it
    [{"en": "Far from closed, the bridge stayed open after the storms.",
      "es": "Lejos de cerrar el puente, las tormentas lo dejaron abierto.",
      "de": "Die Stürme sperrten die Brücke nicht, sie blieb offen."}],
    # "outside" a time or place is not in it; what "has yet to" happen has not happened
    [{"en": "The bridge closed outside the storms.", "es": "Cerraron el puente fuera de las tormentas.",
      "de": "Die Brücke war nicht während der Stürme gesperrt."}],
    [{"en": "The storms have yet to close the bridge.", "es": "Las tormentas aún no cerraron el puente.",
      "de": "Die Stürme sperrten die Brücke noch nicht."}],
])
def test_legitimate_renderings_of_polarity_raise_nothing(rows):
    assert [f for f in polarity(rows) if f.severity >= Severity.WARNING] == []


def test_the_encoder_is_not_asked_where_the_vote_cannot_decide():
    """Two versions: the finding stays info and no string with the negation cut out is encoded."""
    asked = []

    def embed(texts):
        asked.extend(texts)
        return lexicon_embed(texts)

    rows = [{"en": "The school reopened on Monday.", "de": "Die Schule wurde am Montag nicht wieder geöffnet."}]
    found = run(PolarityMismatch, rows, embed=embed, token_states=lexicon_tokens, options=ANY_GAIN)
    assert [(f.lang, f.severity) for f in found] == [("de", Severity.INFO)]
    assert not any("Montag wieder" in t for t in asked)


def test_a_negation_elsewhere_in_the_row_does_not_excuse_a_lost_one():
    """A negative word in another clause (``unusual``) is not where the lost negation stood."""
    rows = [{"en": "The ferry will not run during the storm, which is unusual.",
             "de": "Die Fähre fährt während des Sturms nicht, was ungewöhnlich ist.",
             "fr": "Le bac circulera pendant la tempête, ce qui est inhabituel."}]
    assert [(f.lang, f.severity) for f in polarity(rows)] == [("fr", Severity.WARNING)]


def test_a_negation_that_does_not_pull_its_version_away_is_info():
    """Cutting the negation out must bring the version closer to the others by ``added_gain``."""
    rows = [{"en": "Passengers can board at the north gate.", "zh": "乘客可以在北门登船。",
             "ja": "乗客は北門から乗船できません。"}]
    found = polarity(rows, options={"added_gain": 0.5})
    assert [(f.lang, f.text, f.severity) for f in found] == [("ja", "ません", Severity.INFO)]


def test_two_versions_report_the_extra_negation_as_info():
    rows = [{"en": "The school reopened on Monday.", "de": "Die Schule wurde am Montag nicht wieder geöffnet."}]
    found = polarity(rows)
    assert [(f.lang, f.text, f.severity) for f in found] == [("de", "nicht", Severity.INFO)]


def test_without_token_states_only_an_outvoted_count_is_reported_as_info():
    rows = [{"en": "The mayor did not approve the plan.", "de": "Der Bürgermeister hat den Plan nicht gebilligt.",
             "fr": "Le maire n'a pas approuvé le plan.", "es": "El alcalde no aprobó el plan.",
             "it": "Il sindaco ha approvato il piano e non il bilancio, non oggi."}]
    found = run(PolarityMismatch, rows)
    assert [(f.lang, f.severity) for f in found] == [("it", Severity.INFO)]


# --------------------------------------------------------------------------- XL802


@pytest.mark.parametrize("rows,lang,word", [
    ([{"en": "Ticket sales rose by 5 percent.", "de": "Der Kartenverkauf stieg um 5 Prozent.",
       "fr": "Les ventes de billets ont baissé de 5 pour cent."}], "fr", "baissé"),
    ([{"zh": "门票销量增加了百分之五。", "en": "Ticket sales increased by 5 percent.",
       "ja": "チケットの売り上げは5パーセント減少した。"}], "ja", "減少"),
])
def test_a_change_in_the_other_direction_is_flagged(rows, lang, word):
    """A warning, not an error: the tables of change words are open-class and partial."""
    found = run(ComparisonReversed, rows)
    assert [(f.lang, f.text, f.severity) for f in found] == [(lang, word, Severity.WARNING)]


def test_a_change_inside_a_german_compound_is_read():
    rows = [{"en": "Sales growth slowed to 2 percent.", "de": "Das Umsatzwachstum verlangsamte sich auf 2 Prozent.",
             "fr": "La croissance des ventes a ralenti à 2 pour cent."}]
    assert [c.direction for c in directions(rows[0]["de"], "de")] == [1]
    assert run(ComparisonReversed, rows) == []


def test_reversed_comparison_is_flagged():
    rows = [{"en": "Sales were higher than last year.", "de": "Der Umsatz war höher als im Vorjahr.",
             "pt": "As vendas foram menores do que no ano passado."}]
    found = run(ComparisonReversed, rows)
    assert [(f.lang, f.text, f.severity) for f in found] == [("pt", "menores", Severity.ERROR)]


@pytest.mark.parametrize("rows", [
    [{"en": "More than 300 people attended.", "fr": "Plus de 300 personnes étaient présentes.",
      "ru": "Присутствовали более 300 человек."}],
    [{"en": "The ferry no longer runs.", "fr": "Le bac ne circule plus.", "de": "Die Fähre fährt nicht mehr."}],
    [{"en": "Prices rose, but fewer people bought.", "es": "Los precios subieron, pero menos gente compró.",
      "it": "I prezzi sono saliti, ma meno persone hanno comprato."}],
    # one team goes down and another up, in either order (Italian "sale" is not in the tables)
    [{"es": "Los Tigres bajan al sexto puesto y Valmora sube al tercero.",
      "it": "Mentre i Tigres scendono al sesto posto, il Valmora sale al terzo."}],
])
def test_matching_comparisons_are_not_flagged(rows):
    assert run(ComparisonReversed, rows) == []


@pytest.mark.parametrize("rows", [
    [{"en": "The ball dropped over the keeper and fell into the net.",
      "ar": "سقطت الكرة أعلى الحارس وسقطت في الشباك."}],  # over the keeper: a place, not a comparison
    [{"nl": "Vooral onder jonge kiezers kan de steun nog hoger worden.",  # onder: among
      "de": "Vor allem bei jungen Wählern kann die Zustimmung noch höher werden."}],
])
def test_words_of_position_compare_only_amounts(rows):
    assert run(ComparisonReversed, rows) == []
    rows = [{"en": "Inflation stayed below 2 percent.", "nl": "De inflatie bleef boven de 2 procent.",
             "de": "Die Inflation blieb unterhalb von 2 Prozent."}]
    assert [(f.lang, f.text) for f in run(ComparisonReversed, rows)] == [("nl", "boven")]
