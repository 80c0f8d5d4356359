"""XL101 on what clean translations do to numbers: ordinals, bare degrees, match clocks, two
roundings of one unit conversion, a measure given in both units, idioms, scale words and number
words of other scripts. Made-up sentences (no seed or data text); each cause has a case that must
still be flagged.
"""
from __future__ import annotations

import pytest

from xlingo.check.quantities import extract_quantities
from xlingo.check.rules.numbers import NumberMismatch
from xlingo.model import Severity
from xlingo.testing import context_for, story_from_rows


def findings(rows):
    return [(f.lang, f.text, f.severity) for f in NumberMismatch().check(context_for(story_from_rows(rows)))]


@pytest.mark.parametrize("row", [
    # French ordinal written with a grave accent
    {"en": "It was her 12th visit to the valley.", "de": "Es war ihr 12. Besuch im Tal.",
     "fr": "C'était sa 12è visite dans la vallée.", "pt": "Foi a sua 12.ª visita ao vale."},
    # a bare "degrees" is Fahrenheit in one version, Celsius in the others
    {"en": "It was a pleasant 77 degrees on the pier.", "de": "Auf dem Steg waren es angenehme 25 Grad.",
     "fr": "Il faisait 25 degrés sur la jetée.", "pt": "Estavam 25º no cais."},
    # a match clock and the minute it falls in
    {"en": "Okafor equalised on 41:12.", "de": "Okafor glich in der 42. Minute aus.",
     "fr": "Okafor a égalisé à 41:12.", "pt": "Okafor empatou aos 41:12."},
    # one version gives the measure in both units, another only converted
    {"en": "Foam was seen 8 miles off the cape.", "de": "Schaum wurde 8 Meilen vor dem Kap gesichtet.",
     "fr": "De l'écume a été vue à 13 km (8 milles) du cap.", "pt": "Foi vista espuma a 13 km do cabo."},
    # "100 percent" rendered as an adverb
    {"en": "She is 100 percent sure of the date.", "de": "Sie ist sich des Datums zu 100 Prozent sicher.",
     "fr": "Elle est sûre à 100 % de la date.", "pt": "Ela tem a certeza absoluta da data."},
    # the short end of a range of years
    {"en": "The 1950-53 war never formally ended.", "pl": "Wojna z lat 1950–1953 nigdy formalnie się nie skończyła.",
     "de": "Der Krieg von 1950 bis 1953 endete nie offiziell.", "es": "La guerra de 1950-53 nunca terminó oficialmente."},
    # a season's code and an apostrophe year stand for the year by its last two digits
    {"en": "The label showed its SS19 collection in Paris.", "nl": "Het label toonde zijn SS19-collectie in Parijs.",
     "pl": "Marka pokazała w Paryżu kolekcję na lato 2019.", "es": "La marca presentó su colección primavera-verano 2019."},
    {"en": "The class of '98 met again.", "fr": "La promotion de 1998 s'est retrouvée.",
     "ru": "Выпуск 1998 года снова встретился."},
    # a year inside a German compound (not an identifier such as COVID-19)
    {"en": "The bag was the star of the SS19 line.", "de": "Die Tasche war der Star der Sommer-2019-Kollektion.",
     "fr": "Le sac était la vedette de la collection PE19.", "pt": "A mala foi a estrela da coleção de 2019."},
    # a century in Roman numerals, after or before the word for it, in four languages and two scripts
    {"de": "Der Streit geht auf einen Krieg im 19. Jahrhundert zurück.",
     "pt": "A disputa remonta a uma guerra no século XIX.", "zh": "这一争端可追溯到十九世纪的一场战争。",
     "fr": "Le différend remonte à une guerre du XIXe siècle."},
    {"en": "The feud goes back to a 19th-century war.", "pl": "Spór sięga wojny z XIX wieku.",
     "ru": "Спор восходит к войне XIX века.", "it": "La disputa risale a una guerra del secolo XIX."},
    # a decade in words, in five languages and three scripts
    {"en": "She says it happened at a party in the 1980s.", "ar": "تدعي أن ذلك حدث في حفلة في الثمانينيات.",
     "es": "Dice que ocurrió en una fiesta en los años ochenta.", "ru": "Она говорит, что это случилось в восьмидесятые.",
     "de": "Sie sagt, es sei auf einer Party in den Achtzigerjahren passiert."},
    # a range of inches joined the Japanese and Chinese way, converted to centimetres in German
    {"en": "Forecasters expect 2 to 4 inches of rain.", "ja": "予報では2から4インチの雨が降る。",
     "zh": "预计降雨量为2到4英寸。", "de": "Erwartet werden 5 bis 10 Zentimeter Regen."},
    # a match clock in Chinese minutes and seconds, the minute it falls in in German
    {"en": "Bouchard levelled with a power play goal on 27:37.", "zh": "布沙尔在27分37秒的一记大力射门扳平比分。",
     "de": "Bouchard glich mit einem Power-Play-Treffer in der 28. Minute aus.",
     "pt": "Bouchard empatou com um golo aos 27:37."},
    # yards as Chinese and Japanese write them, converted in German; a bare degree in Arabic
    {"en": "He got the pass about 30 yards from goal.", "de": "Er bekam den Pass etwa 27 Meter vor dem Tor.",
     "zh": "他在距离球门大约30码处接到传球。", "ja": "彼はゴールから約30ヤードでパスを受けた。"},
    {"en": "It was a sunny 80 degrees outside.", "fr": "Il faisait 26 degrés dehors.",
     "ar": "كانت درجة الحرارة 80 درجة في الخارج."},
    # a measure counted in Chinese numerals (两英尺, two feet), converted elsewhere
    {"en": "The straw hat has a two-foot wide brim.", "zh": "这顶草帽有两英尺宽的帽檐。",
     "de": "Der Strohhut hat einen 60 Zentimeter breiten Rand.", "pt": "O chapéu de palha tem uma aba de 61 cm."},
    # Arabic units in the accusative after a number (رطلاً, قدماً), converted elsewhere
    {"ar": "رفع الرياضي ثقلاً يزن 440 رطلاً.", "de": "Der Athlet hob ein Gewicht von 200 Kilogramm.",
     "es": "El atleta levantó un peso de 200 kilos."},
    {"ar": "بلغ ارتفاع الموج 30 قدماً.", "fr": "Les vagues ont atteint 9 mètres.", "it": "Le onde hanno raggiunto 9 metri."},
    # a wind speed in miles (per hour, as the wind speed says) against its conversion in km/h
    {"ja": "嵐の最大風速は75マイルだった。", "de": "Der Sturm erreichte Windgeschwindigkeiten von 120 km/h.",
     "nl": "De storm had windsnelheden van 121 km/u."},
    # a temperature on the Fahrenheit scale written in Chinese and Russian, in Celsius elsewhere
    {"en": "It was 80 degrees Fahrenheit and sunny.", "zh": "外面气温高达80华氏度，阳光明媚。",
     "de": "Es war 27 Grad warm und sonnig.", "ru": "Было 80 градусов по Фаренгейту и солнечно."},
])
def test_clean_renderings_are_not_mismatches(row):
    assert findings([row]) == []


@pytest.mark.parametrize("row,expected", [
    ({"en": "It was her 12th visit to the valley.", "de": "Es war ihr 12. Besuch im Tal.",
      "fr": "C'était sa 21è visite dans la vallée.", "pt": "Foi a sua 12.ª visita ao vale."}, ("fr", "21è")),
    ({"en": "It was a pleasant 77 degrees on the pier.", "de": "Auf dem Steg waren es angenehme 35 Grad.",
      "fr": "Il faisait 25 degrés sur la jetée.", "pt": "Estavam 25º no cais."}, ("de", "35")),
    ({"en": "She is 100 percent sure of the date.", "de": "Sie ist sich des Datums zu 100 Prozent sicher.",
      "fr": "Elle est sûre à 100 % de la date.", "pt": "Ela tem 10 % de certeza da data."}, ("pt", "10 %")),
    ({"en": "The 1950-53 war never formally ended.", "pl": "Wojna z lat 1950–1954 nigdy formalnie się nie skończyła.",
      "de": "Der Krieg von 1950 bis 1953 endete nie offiziell."}, ("pl", "1954")),
    ({"en": "The label showed its SS19 collection in Paris.", "nl": "Het label toonde zijn SS18-collectie in Parijs.",
      "pl": "Marka pokazała w Paryżu kolekcję na lato 2019.", "es": "La marca presentó su colección primavera-verano 2019."},
     ("nl", "Het label toonde zijn SS18-collectie in Parijs.")),  # no 2019 in it
    ({"de": "Der Streit geht auf einen Krieg im 19. Jahrhundert zurück.",
      "fr": "Le différend remonte à une guerre du XIXe siècle.", "pt": "A disputa remonta a uma guerra no século XVIII."},
     ("pt", "A disputa remonta a uma guerra no século XVIII.")),  # the others' 19 is not there
    ({"en": "It was 80 degrees Fahrenheit and sunny.", "zh": "外面气温高达90华氏度，阳光明媚。",
      "de": "Es war 27 Grad warm und sonnig."}, ("zh", "90")),
    # a bare 度 is Celsius to a Japanese reader: a Fahrenheit figure kept unconverted is a slip
    ({"ja": "外は86度で晴れていた。", "fr": "Il faisait 30 degrés au soleil.", "de": "Es waren sonnige 30 Grad."},
     ("ja", "86")),
    ({"ar": "رفع الرياضي ثقلاً يزن 640 رطلاً.", "de": "Der Athlet hob ein Gewicht von 200 Kilogramm.",
      "es": "El atleta levantó un peso de 200 kilos."}, ("ar", "640")),
    ({"en": "Forecasters expect 2 to 4 inches of rain.", "ja": "予報では2から4インチの雨が降る。",
      "zh": "预计降雨量为2到4英寸。", "de": "Erwartet werden 2 bis 4 Zentimeter Regen."}, ("de", "2 bis 4")),
    ({"en": "She says it happened at a party in the 1980s.", "ar": "تدعي أن ذلك حدث في حفلة.",
      "fr": "Elle dit que cela s'est produit lors d'une fête dans les années 1980."},
     ("ar", "تدعي أن ذلك حدث في حفلة.")),  # no decade at all
    ({"en": "Bouchard levelled with a power play goal on 27:37.", "zh": "布沙尔在29分37秒的一记大力射门扳平比分。",
      "pt": "Bouchard empatou com um golo aos 27:37."}, ("zh", "29分37秒")),
    ({"en": "He got the pass about 30 yards from goal.", "de": "Er bekam den Pass etwa 27 Meter vor dem Tor.",
      "zh": "他在距离球门大约50码处接到传球。", "ja": "彼はゴールから約30ヤードでパスを受けた。"}, ("zh", "50")),
    ({"en": "It was a sunny 80 degrees outside.", "fr": "Il faisait 26 degrés dehors.",
      "ar": "كانت درجة الحرارة 90 درجة في الخارج."}, ("ar", "90")),
    ({"en": "The straw hat has a two-foot wide brim.", "zh": "这顶草帽有五英尺宽的帽檐。",
      "de": "Der Strohhut hat einen 60 Zentimeter breiten Rand.", "pt": "O chapéu de palha tem uma aba de 61 cm."},
     ("zh", "这顶草帽有五英尺宽的帽檐。")),  # the others' 60 cm is not there
])
def test_a_changed_number_is_still_flagged(row, expected):
    assert [(lang, text) for lang, text, _ in findings([row])] == [expected]


def test_two_roundings_of_one_conversion_agree_in_two_versions():
    # a 500-pound boar: 227 kg exactly, 250 kg rounded; 85 mph: 137 km/h, 135 km/h
    rows = [{"fr": "Le sanglier de 250 kg a été capturé.", "pt": "O javali de 227 quilos foi capturado."},
            {"fr": "Des rafales jusqu'à 135 km/h sont attendues.", "pt": "Esperam-se rajadas até 137 km/h."}]
    assert findings(rows) == []
    changed = [{"fr": "Le sanglier de 250 kg a été capturé.", "pt": "O javali de 327 quilos foi capturado."}]
    assert {lang for lang, _, _ in findings(changed)} == {"fr", "pt"}
    # a round figure that is no conversion is not rounded away
    plain = [{"fr": "Le sanglier de 250 kg a été capturé.", "pt": "O javali de 231 quilos foi capturado."}]
    assert {lang for lang, _, _ in findings(plain)} == {"fr", "pt"}


def test_a_number_written_out_in_the_unit_of_another_version_is_no_number_missing():
    # two metres, said in a Russian compound (Двухметровый), where Spanish says it in metres and
    # Italian in centimetres: the spelling is compared with every version's figure
    row = {"es": "El pívot, que mide más de dos metros, creció en Lyon.", "it": "Il centro di 198 cm è cresciuto a Lione.",
           "ru": "Двухметровый центровой вырос в Лионе."}
    assert findings([row]) == []
    for ru in ("Трёхметровый центровой вырос в Лионе.", "Центровой вырос в Лионе."):
        assert findings([{**row, "ru": ru}]) == [("ru", ru, Severity.ERROR)]


@pytest.mark.parametrize("row, expected", [
    # 3 inches: 7.62 cm, rounded down by two versions and to the half by one
    ({"de": "Die Schneedecke soll 7,5 bis 15 Zentimeter erreichen.",
      "fr": "La neige devrait atteindre 7 à 15 centimètres.", "pt": "A neve deve chegar a 7 a 15 centímetros."},
     ("de", "7,5")),
    # 1 inch kept in one version, 2,5 cm in another, 3 cm in the third
    ({"pl": "Spadnie od 3 do 5 cm deszczu.", "ja": "雨量は1から2インチになる見込み。",
      "it": "Cadranno da 2,5 a 5 cm di pioggia."}, ("pl", "3")),
    # 80 °F: 26.7 °C
    ({"es": "Hacía casi 30 grados.", "ru": "Было почти 27 градусов.", "nl": "Het was bijna 27 graden."}, ("es", "30")),
])
def test_a_rounding_of_one_converted_measure_against_a_majority_is_information(row, expected):
    assert findings([row]) == [(*expected, Severity.INFO)]


@pytest.mark.parametrize("row, expected", [
    ({"de": "Die Schneedecke soll 9 bis 15 Zentimeter erreichen.",
      "fr": "La neige devrait atteindre 7 à 15 centimètres.", "pt": "A neve deve chegar a 7 a 15 centímetros."},
     ("de", "9")),
    ({"es": "El barco mide 48 metros.", "ru": "Длина судна 84 метра.", "nl": "Het schip is 48 meter lang."}, ("ru", "84")),
])
def test_a_measure_no_one_conversion_explains_stays_an_error_against_a_majority(row, expected):
    assert findings([row]) == [(*expected, Severity.ERROR)]


@pytest.mark.parametrize("row", [
    {"en": "About 3.4 million people watched the final.", "ru": "Финал посмотрели около 3,4 млн человек.",
     "zh": "约有340万人观看了决赛。", "ar": "شاهد النهائي نحو 3.4 مليون شخص.", "ja": "決勝は約340万人が視聴した。",
     "pl": "Finał obejrzało około 3,4 mln osób."},
    {"en": "More than 6.5 million people fled.", "zh": "已有650多万人逃离。", "ru": "Бежали более 6,5 млн человек."},
    {"en": "Six million people need help.", "ru": "Шесть миллионов человек нуждаются в помощи.",
     "ar": "ستة ملايين شخص بحاجة إلى المساعدة."},
    {"en": "Rain of up to 6 inches is expected.", "zh": "预计降雨量最高可达15厘米。", "ru": "Ожидается до 15 см осадков."},
    {"en": "Winds reached 50 miles per hour.", "ru": "Ветер достигал 80 км/ч.", "ar": "بلغت سرعة الرياح 80 كم/ساعة."},
    {"en": "Only 38% believe him.", "ar": "يعتقد38% فقط أنه صادق.", "ru": "Верят ему лишь 38 процентов."},
])
def test_scale_words_units_and_number_words_of_other_scripts(row):
    assert findings([row]) == []


def test_a_changed_figure_in_another_script_is_still_flagged():
    row = {"en": "About 3.4 million people watched the final.", "ru": "Финал посмотрели около 3,4 млн человек.",
           "zh": "约有430万人观看了决赛。", "ar": "شاهد النهائي نحو 3.4 مليون شخص."}
    assert findings([row]) == [("zh", "430万", Severity.ERROR)]


def test_a_share_changed_in_one_version_is_no_missing_number_in_those_writing_the_percent_in_words():
    row = {"pt": "As vendas caíram 4,2% em julho.", "nl": "De verkoop daalde in juli met 4,8 procent.",
           "ja": "7月の売り上げは4.8％減となった。"}
    assert findings([row]) == [("pt", "4,2%", Severity.ERROR)]


def test_scripts_without_spaces_read_scales_written_onto_the_digits():
    [q] = extract_quantities("超过 2000万人收看了", "zh")
    assert q.value == 20_000_000
    [q] = extract_quantities("5千米", "zh")[:1]
    assert q.value == 5 and q.unit == "km"  # 千米 is a kilometre, not five thousand metres


def test_the_same_digits_in_another_unit_are_flagged_and_say_so():
    rows = [{"fr": "Entre 5 et 10 cm de pluie sont attendus.", "pt": "Esperam-se entre 5 e 10 mm de chuva."}]
    found = list(NumberMismatch().check(context_for(story_from_rows(rows))))
    assert {(f.lang, f.text) for f in found} == {("fr", "5 et 10"), ("pt", "5 e 10")}  # one cause, one finding
    assert [f.message for f in found if f.lang == "pt"] == ["`5`, `10` here in mm; fr use cm"]


def test_one_number_in_another_unit_is_its_own_finding_beside_a_changed_one():
    rows = [{"de": "Es fielen 5 cm Schnee bei -3 Grad.", "es": "Cayeron 5 cm de nieve a -3 grados.",
             "ru": "Выпало 5 мм снега при -8 градусах."}]
    found = sorted((f.text, f.message) for f in NumberMismatch().check(context_for(story_from_rows(rows))))
    assert [t for t, _ in found] == ["5", "8"] and "(cm; here mm)" in found[0][1]


def test_a_clock_time_most_versions_agree_on_is_a_warning_where_it_differs():
    rows = [{"en": "The ferry leaves at 4 p.m. today.", "de": "Die Fähre legt heute um 15 Uhr ab.",
             "fr": "Le bac part à 15h aujourd'hui."}]
    assert findings(rows) == [("en", "4 p.m.", Severity.WARNING)]
    rows = [{"en": "Okafor scored on 15:46.", "pt": "Okafor marcou aos 15:16.", "ru": "Окафор забил на 15:16."}]
    assert findings(rows) == [("en", "15:46", Severity.WARNING)]
    # minutes no clock shows (a slip of one digit): still a time, the one the others agree on is wanted
    rows = [{"fr": "Okafor a marqué à 3:85.", "pt": "Okafor marcou aos 3:35.", "ar": "سجل أوكافور في الدقيقة 3:35"}]
    assert findings(rows) == [("fr", "3:85", Severity.WARNING)]


def test_a_match_clock_written_with_a_colon_carries_the_minutes_and_seconds_others_write_apart():
    """Made up (es, zh, ja): ``13:10`` on a match clock where the others say 13 minutes 10 seconds."""
    rows = [{"es": "Sullivan marcó en el minuto 13:10 y Cownie igualó en el 15:16.",
             "zh": "沙利文在13点10分进球，考尼在15分16秒扳平。",
             "ja": "サリバンが 13 分 10 秒に点を返し、15 分 16 秒にコウニーが同点とした。"}]
    assert findings(rows) == []
    rows = [{"es": "El primer gol llegó en el minuto 3:45.", "zh": "首开纪录是在3分35秒。",
             "ja": "開始後 3 分 35 秒に最初のゴールを決めた。"}]
    assert [(lang, sev) for lang, _, sev in findings(rows)] == [("es", Severity.ERROR)]
    # a clock time's parts match numbers, never require them: a time the other versions read
    # otherwise (``5：30`` with a full-width colon, ``17.30`` with no hour word) flags nothing
    rows = [{"de": "Die beste Zeit ist samstags um 17:30 Uhr, so eine Studie.",
             "zh": "调查发现，最佳时间是周六下午5：30。", "pt": "A hora perfeita são as 17:30 de sábado."}]
    assert findings(rows) == []
    rows = [{"nl": "De beste tijd is 17:30 op een zaterdag.", "ja": "最適な時間は土曜日午後5時半と判明。",
             "pl": "Najlepszą porą jest godzina 17.30 w sobotę."}]
    assert findings(rows) == []


@pytest.mark.parametrize("rows", [
    [{"en": "The ferry leaves at 3 p.m. today.", "de": "Die Fähre legt heute um 15 Uhr ab.",
      "fr": "Le bac part cet après-midi."}],  # a time left out
    [{"en": "The ferry leaves at 4 p.m. today.", "de": "Die Fähre legt heute um 15 Uhr ab."}],  # a tie: time zones
])
def test_a_time_left_out_or_a_tie_is_not_flagged(rows):
    assert findings(rows) == []


@pytest.mark.parametrize("row", [
    {"en": "He said it would be more than one and fewer than 48.", "de": "Er sagte, es seien mehr als einer und weniger als 48.",
     "ru": "Он сказал, что их будет больше одного и меньше сорока восьми."},
    {"en": "It was her 36th meeting with voters.", "de": "Es war ihr 36. Treffen mit Wählern.",
     "es": "Fue su trigésimo sexto encuentro con los votantes."},
    {"en": "The 20-year-old forward scored.", "de": "Der 20-jährige Stürmer traf.", "pl": "Dwudziestoletni napastnik strzelił gola."},
    {"en": "Six million more people need help.", "de": "Sechs Millionen weitere Menschen brauchen Hilfe.",
     "fr": "Six autres millions de personnes ont besoin d'aide."},
    # declined, as num2words declines it (ё written е)
    {"en": "The levy may rise by up to 3% next year.", "es": "El recargo podría subir hasta un 3% el año próximo.",
     "ru": "Сбор может вырасти до трех процентов в следующем году."},
    {"en": "The 2-metre wall fell.", "it": "Il muro di 2 metri è crollato.", "ru": "Двухметровая стена рухнула."},
    {"en": "The 3 bridges reopened.", "pl": "3 mosty ponownie otwarto.", "uk": "Три мости знову відкрили."},
    # Arabic writes a preposition, a conjunction and the article onto the number word
    {"en": "He is 20 years older than the mayor.", "fr": "Il a 20 ans de plus que la maire.",
     "ar": "وهو أكبر من رئيسة البلدية بعشرين عامًا."},
    {"en": "The boy was 13 when he left and 18 when he came back.",
     "fr": "Le garçon avait 13 ans quand il est parti et 18 ans à son retour.",
     "ar": "كان الصبي في الثالثة عشرة عندما غادر وفي الثامنة عشرة عندما عاد."},
])
def test_a_number_written_out_in_words_is_the_number(row):
    assert findings([row]) == []


def test_a_number_dropped_from_a_version_is_still_flagged():
    row = {"en": "The 48 candidates met in Tartu.", "de": "Die 48 Kandidaten trafen sich in Tartu.",
           "ru": "Кандидаты встретились в Тарту."}
    assert [(lang, sev) for lang, _, sev in findings([row])] == [("ru", Severity.ERROR)]
    # a word that only begins like a declined number (тренер, трех) is no number
    row = {"en": "The levy may rise by up to 3% next year.", "es": "El recargo podría subir hasta un 3% el año próximo.",
           "ru": "Сбор может вырасти в следующем году, сообщил тренер."}
    assert [(lang, sev) for lang, _, sev in findings([row])] == [("ru", Severity.ERROR)]


@pytest.mark.parametrize("text,lang,value", [
    ("売却額は1億2,500万ポンドだった。", "ja", 125_000_000),
    ("年に1億2千万ポンドの収益。", "ja", 120_000_000),
    ("1 万 5 千ドルのジャケット", "ja", 15_000),
    ("2百万ドルを集めた。", "ja", 2_000_000),
    ("共有3亿5000万用户。", "zh", 350_000_000),
])
def test_a_number_written_with_several_cjk_scales_is_one_number(text, lang, value):
    assert [q.value for q in extract_quantities(text, lang) if not q.soft] == [value]


def test_a_cjk_compound_number_changed_is_still_flagged():
    rows = [{"en": "The chain was sold for £125m.", "de": "Die Kette wurde für 125 Mio. Pfund verkauft.",
             "ja": "チェーンは1億3,500万ポンドで売却された。"}]
    assert [(lang, text) for lang, text, _ in findings(rows)] == [("ja", "1億3,500万")]


def test_polish_units_in_their_cases_and_ranges():
    rows = [{"en": "The 550 pound hog was found 30 yards away.", "pl": "Blisko 250-kilogramową świnię znaleziono 27 metrów dalej."},
            {"en": "Forecasters expect 2 to 4 inches of rain.", "pl": "Prognozy mówią o opadach od 5 do 10 cm."}]
    assert findings(rows) == []


def test_dutch_kilometres_per_hour_are_a_speed():
    rows = [{"en": "Winds of 85 miles per hour were measured.", "nl": "Er werden windsnelheden van 137 km/u gemeten.",
             "de": "Es wurden Windgeschwindigkeiten von 137 km/h gemessen."}]
    assert findings(rows) == []


def test_versions_that_each_write_their_own_figure_are_each_warned():
    # made up (es, it, de): no two versions agree on the fee; two at least are wrong, no vote says which
    rows = [{"es": "La entrada cuesta 12 euros.", "it": "L'ingresso costa 15 euro.", "de": "Der Eintritt kostet 13 Euro."}]
    found = list(NumberMismatch().check(context_for(story_from_rows(rows))))
    assert sorted((f.lang, f.text, f.severity) for f in found) == [
        ("de", "13 Euro", Severity.WARNING), ("es", "12 euros", Severity.WARNING), ("it", "15 euro", Severity.WARNING)]
    assert all("disagree with each other" in f.message and len(f.related) == 2 for f in found)
    agreed = [{"es": "La entrada cuesta 12 euros.", "it": "L'ingresso costa 12 euro.", "de": "Der Eintritt kostet 13 Euro."}]
    found = list(NumberMismatch().check(context_for(story_from_rows(agreed))))
    assert [(f.lang, f.severity) for f in found] == [("de", Severity.ERROR)]  # a majority: the odd one out
    unrelated = [{"es": "La entrada cuesta 12 euros.", "it": "L'ingresso costa 15 euro.",
                  "de": "Der Eintritt kostet 2024 Euro."}]  # a year-like figure is no slip for a fee
    assert list(NumberMismatch().check(context_for(story_from_rows(unrelated)))) == []


def test_figures_in_different_units_are_no_three_way_disagreement():
    # made up (en, de, pt): inches converted to centimetres, one version in millimetres (a unit slip, XL101's
    # unit finding), not three figures that disagree
    rows = [{"en": "Up to 2 inches of rain are expected.", "de": "Erwartet werden bis zu 5 cm Regen.",
             "pt": "Esperam-se até 5 mm de chuva."}]
    found = list(NumberMismatch().check(context_for(story_from_rows(rows))))
    assert not any("disagree with each other" in f.message for f in found)


def test_a_score_written_with_a_colon_is_its_numbers():
    # made up (en, es, pl): Polish writes the score 38:17 where the others write 38-17
    rows = [{"en": "Ayrford beat Kelso 38-17 on Saturday.", "es": "El Ayrford venció al Kelso por 38-17 el sábado.",
             "pl": "Ayrford pokonał Kelso 38:17 w sobotę."}]
    assert list(NumberMismatch().check(context_for(story_from_rows(rows)))) == []
    changed = [dict(rows[0], pl="Ayrford pokonał Kelso 36:17 w sobotę.")]
    found = list(NumberMismatch().check(context_for(story_from_rows(changed))))
    assert found and all(f.lang == "pl" for f in found)


@pytest.mark.parametrize("lang, text, age, other", [
    ("pl", "Czterdziestodwuletni mechanik nagrywał protest telefonem.", 42, 43),
    ("ru", "Сорокадвухлетний механик снимал протест на телефон.", 42, 43),
])
def test_an_age_written_as_one_compound_word_is_the_number(lang, text, age, other):
    # made up: "a 42-year-old mechanic" (en, es) where Polish and Russian write the age into one adjective
    rows = [{"en": f"A {age}-year-old mechanic filmed the protest on his phone.",
             "es": f"Un mecánico de {age} años grabó la protesta con su teléfono.", lang: text}]
    assert list(NumberMismatch().check(context_for(story_from_rows(rows)))) == []
    rows = [{k: v.replace(str(age), str(other)) for k, v in rows[0].items()}]  # the compound says 42, not 43
    assert [f.lang for f in NumberMismatch().check(context_for(story_from_rows(rows)))] == [lang]


@pytest.mark.parametrize("row, changed", [
    ({"en": "The fire spread over 10 miles of forest.", "nl": "Het vuur verspreidde zich over 11 mijl bos.",
      "es": "El fuego se extendió por 10 millas de bosque."}, "nl"),
    ({"ru": "Пожар охватил 10 миль леса.", "de": "Das Feuer breitete sich über 14 Meilen Wald aus.",
      "en": "The fire spread over 10 miles of forest."}, "de"),
])
def test_a_small_figure_is_no_rounding_of_its_neighbour_in_the_same_unit(row, changed):
    # 11 miles is 17.7 km, 14 miles 22.5 km: no figure a writer picks, so 10 miles is no rounding of them
    assert {lang for lang, _, _ in findings([row])} == {changed}


@pytest.mark.parametrize("row, changed", [
    ({"pt": "Faltam doze jogos e a equipa lidera por quatro pontos.", "zh": "还剩十二场比赛，球队领先四分。",
      "ja": "残り52試合で、チームは4ポイントリードしている。"}, "ja"),
    ({"de": "Die Mannschaft liegt acht Punkte vorn.", "ru": "Команда опережает соперников на восемь очков.",
      "fr": "L'équipe mène de 3 points."}, "fr"),
])
def test_digits_against_a_number_two_versions_spell_out_alike_are_a_warning(row, changed):
    found = findings([row])
    assert [(lang, sev) for lang, _, sev in found] == [(changed, Severity.WARNING)]


@pytest.mark.parametrize("row", [
    # the digits say the same number
    {"pt": "Faltam doze jogos.", "zh": "还剩十二场比赛。", "ja": "残り12試合。"},
    # one version alone spells it out: no vote
    {"en": "Twelve games remain.", "de": "Es bleiben 13 Spiele.", "fr": "Il reste des matchs."},
    # "one" is an article as often as a number
    {"en": "It is one of the games left.", "es": "Es uno de los partidos que quedan.", "it": "È una delle 3 partite rimaste."},
])
def test_spelled_out_numbers_without_two_agreeing_versions_or_with_the_same_digits_are_fine(row):
    assert [(lang, sev) for lang, _, sev in findings([row]) if sev >= Severity.WARNING] == []


@pytest.mark.parametrize("text, lang, months", [
    ("一年前的 10 月 1 日举行了公投。", "zh", [10]), ("2018年10月1日に投票が行われた。", "ja", [10]),
    ("투표는 10월 1일에 열렸다.", "ko", [10]), ("他9月份入伍。", "zh", [9]),
    ("三个月后他回来了。", "zh", []), ("3个月后他回来了。", "zh", []), ("3ヶ月間滞在した。", "ja", []),
    ("3개월 동안 머물렀다.", "ko", []),
])
def test_a_month_written_with_digits_in_chinese_japanese_korean_is_a_month(text, lang, months):
    assert [int(q.value) for q in extract_quantities(text, lang) if q.kind == "month"] == months


def test_a_month_changed_beside_a_version_that_names_none_is_a_tie():
    row = {"zh": "特雷克现年26岁，9月份入伍后随军进驻伊拉克一年。", "de": "Track, 26, war ein Jahr lang im Irak.",
           "es": "Track, de 26 años, se alistó en septiembre y pasó un año en Irak."}
    assert findings([row]) == []
    changed = dict(row, zh=row["zh"].replace("9月份", "1月份"))
    assert sorted((lang, sev) for lang, _, sev in findings([changed])) == [
        ("es", Severity.WARNING), ("zh", Severity.WARNING)]


@pytest.mark.parametrize("text", ["Sie war sich 80%ig sicher.", "Er ist 80-prozentig überzeugt.",
                                  "eine 80%ige Mehrheit"])
def test_a_german_percentage_made_an_adjective_is_a_percentage(text):
    assert [(q.value, q.kind) for q in extract_quantities(text, "de") if not q.soft] == [(80, "percent")]


def test_a_german_percentage_adjective_is_compared_as_a_percentage():
    row = {"de": "Sie war sich 80%ig sicher.", "en": "She was 80 percent sure.", "fr": "Elle était sûre à 80 %."}
    assert findings([row]) == []
    assert [lang for lang, _, _ in findings([dict(row, de="Sie war sich 30%ig sicher.")])] == ["de"]


@pytest.mark.parametrize("row, slipped", [
    ({"it": "Il film ricorda i classici come 007.", "en": "The film recalls classics such as 007.",
      "ja": "この映画は407のような名作を思わせる。"}, "ja"),  # a leading zero typed as another digit
    ({"de": "Der Zug fuhr um 03:15 ab.", "fr": "Le train est parti à 03:15.", "ru": "Поезд ушёл в 83:15."}, "ru"),
    ({"es": "Viaja hacia el norte a 19 kilómetros por hora.", "pt": "Desloca-se para norte a 11 quilómetros por hora.",
      "pl": "Przesuwa się na północ z prędkością 19 kilometrów na godzinę."}, "pt"),
])
def test_a_figure_typed_with_one_digit_changed_is_a_slip_for_the_others(row, slipped):
    assert [lang for lang, _, _ in findings([row])] == [slipped]


def test_numbers_one_digit_apart_in_their_own_roles_are_not_slips():
    row = {"en": "The 19 boys and 11 girls left at 10.", "de": "Die 19 Jungen und 11 Mädchen gingen um 10.",
           "pl": "19 chłopców i 11 dziewczynek wyszło o 10."}
    assert findings([row]) == []
    row = {"en": "In 2019 some 45 people came.", "fr": "En 2019, quelque 45 personnes sont venues.",
           "es": "En 2019 vinieron unas cuarenta y cinco personas."}
    assert findings([row]) == []


def test_a_number_no_spell_out_library_can_write_in_the_language_does_not_crash():
    # num2words fails on some Polish ordinals (150000: IndexError inside the library)
    row = {"en": "The city has 150,000 residents.", "de": "Die Stadt hat 150.000 Einwohner.",
           "pl": "Miasto ma wielu mieszkańców."}
    assert [lang for lang, _, _ in findings([row])] == ["pl"]


@pytest.mark.parametrize("lang, said, plain", [
    ("pl", "Zgromadzenie opuściło dzielnicę w latach trzydziestych ubiegłego wieku.",  # the thirties of the last century
     "Zgromadzenie opuściło wtedy dzielnicę."),
    ("ar", "غادرت الجماعة الحي في ثلاثينيات القرن العشرين.", "غادرت الجماعة الحي آنذاك."),
])
def test_a_decade_said_in_words_with_its_century_is_no_missing_year(lang, said, plain):
    row = {"en": "The congregation left the district in the 1930s.",
           "fr": "La congrégation a quitté le quartier dans les années 1930.", lang: said}
    assert findings([row]) == []
    assert [found for found, _, _ in findings([dict(row, **{lang: plain})])] == [lang]  # no decade at all


@pytest.mark.parametrize("lang, text", [
    ("ja", "彼女は200mおよび400mで優勝した。"),  # a unit glued to the number, a kana right after
    ("zh", "她在200m和400m比赛中夺冠。"),
])
def test_a_number_with_a_latin_unit_glued_before_cjk_text_is_read(lang, text):
    row = {"en": "She won the 200 m and the 400 m.", "nl": "Ze won de 200 m en de 400 m.", lang: text}
    assert findings([row]) == []
    changed = text.replace("400m", "800m")
    assert [(lg, t, sev) for lg, t, sev in findings([{**row, lang: changed}])] == [(lang, "800m", Severity.ERROR)]


@pytest.mark.parametrize("row", [
    {"en": "The hats were shown in the SS19 collection.", "nl": "De hoeden werden getoond in de collectie voor 2019.",
     "ja": "帽子はパリのSS19コレクションで発表された。"},  # a season's short year against kana
    {"en": "North Korea wants a formal end to the 1950-53 war.", "pl": "Korea Północna chce formalnie zakończyć wojnę z lat 1950-1953.",
     "ja": "北朝鮮は1950～53年の戦争の正式な終結を求めている。"},  # a range of years joined by a wave dash
])
def test_short_years_beside_japanese_text_are_years(row):
    assert findings([row]) == []


def test_a_dotted_time_with_a_clock_word_and_impossible_minutes_is_a_wrong_time():
    row = {"nl": "De veerboot vertrekt donderdag om 6.75 uur uit de haven.",
           "de": "Die Fähre legt am Donnerstag um 6.15 Uhr ab.", "ru": "Паром отходит в четверг в 6:15 утра."}
    assert findings([row]) == [("nl", "6.75 uur", Severity.WARNING)]
    assert findings([dict(row, nl="De veerboot vertrekt donderdag om 6.15 uur uit de haven.")]) == []
    duration = {"en": "The crossing took 2.75 h.", "fr": "La traversée a duré 2.75 h.", "de": "Die Überfahrt dauerte 2,75 h."}
    assert findings([duration]) == []  # no clock word: a duration, not a time


@pytest.mark.parametrize("text", ["球队周六在主场以4-1获胜。", "球队星期三在主场以4-1获胜。"])
def test_a_chinese_day_of_the_week_is_no_number(text):
    assert [q.value for q in extract_quantities(text, "zh")] == [4, 1]  # 周六 is Saturday, 星期三 Wednesday
    row = {"zh": text, "es": "El equipo ganó 4-1 en casa.", "it": "La squadra ha vinto 4-1 in casa."}
    assert findings([row]) == []
    assert findings([dict(row, it="La squadra ha vinto 4-3 in casa.")]) == [("it", "3", Severity.ERROR)]


@pytest.mark.parametrize("lang, text", [
    ("ru", "Налог может вырасти до трёх процентов."),  # genitive, with ё
    ("ru", "Налог может вырасти до трех процентов."),  # ё written е
    ("pl", "Podatek może wzrosnąć do trzech procent."),
])
def test_a_declined_number_word_is_its_number(lang, text):
    assert [(q.value, q.kind) for q in extract_quantities(text, lang)] == [(3, "percent")]
    row = {lang: text, "nl": "De belasting kan tot drie procent stijgen.", "zh": "税率可能高达3%。"}
    assert findings([row]) == []
    assert findings([dict(row, zh="税率可能高达2%。")]) == [("zh", "2%", Severity.WARNING)]



def test_a_month_no_calendar_has_is_a_wrong_month():
    row = {"zh": "她表示将在11月的选举后作出决定。", "en": "She said she would decide after the November election.",
           "de": "Sie sagte, sie werde nach der Wahl im November entscheiden."}
    assert findings([row]) == []
    assert findings([dict(row, zh="她表示将在91月的选举后作出决定。")]) == [("zh", "91月", Severity.ERROR)]


@pytest.mark.parametrize("lang, text, value", [
    ("zh", "渡轮下午三点出发。", 180), ("zh", "渡轮晚上十点半出发。", 630), ("ja", "フェリーは午後3時15分に出発する。", 195),
    ("ar", "تغادر العبارة الساعة 3 مساءً.", 180),
])
def test_a_clock_time_said_with_a_part_of_the_day_is_a_time(lang, text, value):
    assert [(q.value, q.kind) for q in extract_quantities(text, lang)] == [(value, "time")]


@pytest.mark.parametrize("text", ["会议持续了3个小时。", "他提出了三点建议。"])  # hours counted, three points
def test_an_hour_count_or_a_list_of_points_is_no_clock_time(text):
    assert all(q.kind != "time" for q in extract_quantities(text, "zh"))


def test_a_time_two_versions_say_with_a_part_of_the_day_outvotes_another():
    row = {"ar": "تغادر العبارة الساعة 3 مساءً يوم الخميس.", "zh": "渡轮周四下午三点出发。",
           "ru": "Паром отходит в четверг в 15:00."}
    assert findings([row]) == []
    assert findings([dict(row, ru="Паром отходит в четверг в 18:00.")]) == [("ru", "18:00", Severity.WARNING)]


@pytest.mark.parametrize("rtl", [
    ("ar", "للإبلاغ اتصلوا بالرقم 234 567 0700 مجانًا."),
    ("he", "לדיווח התקשרו למספר 234 567 0700 בחינם."),
])
def test_a_telephone_number_typed_in_shown_order_in_right_to_left_text_is_the_same_number(rtl):
    lang, text = rtl
    row = {"en": "To report it, call 0700 567 234 free of charge.", lang: text,
           "de": "Hinweise nimmt die Hotline 0700 567 234 kostenlos entgegen."}
    assert findings([row]) == []
    # the same digits in their typed order in left-to-right text are another number
    wrong = findings([dict(row, de="Hinweise nimmt die Hotline 234 567 0700 kostenlos entgegen.")])
    assert [(lang, severity) for lang, _, severity in wrong] == [("de", Severity.ERROR)]


@pytest.mark.parametrize("lang, text, value", [
    ("en", "Call 0700 567 234 today.", 700567234), ("de", "Rufen Sie 030 1234 5678 an.", 3012345678),
    ("ar", "اتصل على 234 567 0700 اليوم.", 700567234), ("fr", "Elle compte 1 250 000 habitants.", 1250000),
])
def test_groups_of_digits_that_are_no_thousands_are_one_telephone_number(lang, text, value):
    assert [q.value for q in extract_quantities(text, lang)] == [value]
