"""Every language end to end: a whole ``diff`` in many scripts with the hashed test encoder.

Texts are invented for these tests (a made-up story about a bridge), not taken from the seeds.
"""
from __future__ import annotations

import itertools
import json
import sys

import pytest

from tests.hashed import crashed, hashed  # noqa: F401  (fixture)
from xlingo.errors import InputError
from xlingo.language import language_tag, parse_language_tag, zipf_frequency
from xlingo.model import Document
from xlingo.segment import segment, split_sentences, word_units

STORY = {
    "de": "Die Stadt Kelmor eröffnete am Dienstag eine neue Brücke über den Fluss. Sie kostete 14 Millionen Euro.\n"
          "Bürgermeisterin Anja Verholt sprach von einem großen Tag.",
    "fr": "La ville de Kelmor a inauguré mardi un nouveau pont sur le fleuve. Il a coûté 14 millions d'euros.\n"
          "La maire Anja Verholt a parlé d'un grand jour.",
    "pt": "A cidade de Kelmor inaugurou na terça-feira uma nova ponte sobre o rio. Custou 14 milhões de euros.\n"
          "A presidente da câmara, Anja Verholt, falou de um grande dia.",
    "zh": "凯尔莫尔市周二开通了一座横跨河流的新桥。大桥耗资1400万欧元。\n市长安雅·维尔霍尔特称这是伟大的一天。",
    "ja": "ケルモール市は火曜日、川に架かる新しい橋を開通させた。橋の建設費は1400万ユーロだった。\n"
          "アニャ・フェアホルト市長は素晴らしい日だと述べた。",
    "ko": "켈모르 시는 화요일 강을 가로지르는 새 다리를 개통했다. 다리 건설에는 1400만 유로가 들었다.\n"
          "안야 페어홀트 시장은 위대한 날이라고 말했다.",
    "ar": "افتتحت مدينة كيلمور يوم الثلاثاء جسرا جديدا فوق النهر. وبلغت تكلفته 14 مليون يورو.\n"
          "وقالت رئيسة البلدية أنيا فيرهولت إنه يوم عظيم.",
    "he": "העיר קלמור חנכה ביום שלישי גשר חדש מעל הנהר. הוא עלה 14 מיליון אירו.\n"
          "ראש העיר אניה ורהולט דיברה על יום גדול.",
    "th": "เมืองเคลมอร์เปิดสะพานใหม่ข้ามแม่น้ำเมื่อวันอังคาร สะพานมีมูลค่า 14 ล้านยูโร\n"
          "นายกเทศมนตรีอันยา แวร์โฮลต์กล่าวว่าเป็นวันที่ยิ่งใหญ่",
    "ru": "Город Кельмор во вторник открыл новый мост через реку. Он обошёлся в 14 миллионов евро.\n"
          "Мэр Аня Верхольт назвала этот день великим.",
    "el": "Η πόλη Κέλμορ εγκαινίασε την Τρίτη μια νέα γέφυρα πάνω από τον ποταμό. Κόστισε 14 εκατομμύρια ευρώ.\n"
          "Η δήμαρχος Άνια Φέρχολτ μίλησε για μια μεγάλη μέρα.",
}
LANGS = sorted(STORY)


@pytest.fixture
def story_dir(tmp_path):
    for lang, text in STORY.items():
        (tmp_path / f"bridge.{lang}.txt").write_text(text + "\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("lang", [x for x in LANGS if x != "de"])
def test_diff_against_german_gives_a_report(hashed, story_dir, lang) -> None:
    result = hashed("diff", str(story_dir / "bridge.de.txt"), str(story_dir / f"bridge.{lang}.txt"), "-f", "json")
    assert not crashed(result) and result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    docs = report["stories"][0]["documents"]
    assert [d["lang"] for d in docs] == ["de", lang]
    assert all(d["sentences"] for d in docs)


def test_every_pair_of_scripts_and_every_format(hashed, story_dir) -> None:
    pairs = list(itertools.combinations(["zh", "ja", "ko", "ar", "he", "th", "ru", "el"], 2))
    for (a, b), fmt in zip(pairs, itertools.cycle(["text", "json", "sarif", "junit", "github", "codeclimate", "html"])):
        result = hashed("diff", str(story_dir / f"bridge.{a}.txt"), str(story_dir / f"bridge.{b}.txt"), "-f", fmt)
        assert not crashed(result) and result.exit_code in (0, 1), (a, b, fmt, result.output[-500:])


def test_a_whole_folder_of_eleven_languages(hashed, story_dir) -> None:
    result = hashed("diff", str(story_dir), "-f", "json")
    assert not crashed(result) and result.exit_code in (0, 1), result.output[-500:]
    assert len(json.loads(result.stdout)["stories"][0]["documents"]) == len(STORY)


def test_cjk_without_its_tokenizers_still_works(hashed, story_dir, monkeypatch, caplog) -> None:
    for module in ("jieba", "MeCab", "pythainlp", "pythainlp.tokenize"):
        monkeypatch.setitem(sys.modules, module, None)
    from xlingo.segment import _run_words

    _run_words.cache_clear()
    try:
        for lang in ("zh", "ja", "ko", "th"):
            result = hashed("diff", str(story_dir / "bridge.de.txt"), str(story_dir / f"bridge.{lang}.txt"), "-f", "json")
            assert not crashed(result) and result.exit_code in (0, 1), (lang, result.output[-500:])
        assert zipf_frequency("价值", "zh") > 3.0  # an exact look-up in wordfreq's list
    finally:
        _run_words.cache_clear()


def test_sentences_of_spaceless_and_right_to_left_scripts() -> None:
    for lang, n in (("zh", 3), ("ja", 3), ("ar", 3), ("he", 3), ("el", 3), ("ko", 3)):
        spans = split_sentences(STORY[lang], lang)
        assert len(spans) == n, (lang, [STORY[lang][s:e] for s, e in spans])
    assert len(split_sentences(STORY["th"], "th")) == 2  # no sentence marks in Thai: one per paragraph


def test_word_units_split_spaceless_runs_and_scripts_apart() -> None:
    text = "大桥耗资1400万欧元"
    units = [text[a:b] for a, b in word_units(text)]
    assert "1400" in units and "欧元" in units and "".join(units) == text
    assert [t for t in ("Brücke",) for a, b in word_units(t)] == ["Brücke"]
    th = "สะพานใหม่ข้ามแม่น้ำ"
    assert len(word_units(th)) >= 3 and "".join(th[a:b] for a, b in word_units(th)) == th
    ja = "新しい橋を開通させた"
    assert "橋" in [ja[a:b] for a, b in word_units(ja)]


def test_language_tags_are_validated_and_normalised() -> None:
    assert language_tag("de") == "de" and language_tag("pt_BR") == "pt-br" and language_tag("deu") == "de"
    assert language_tag("iw") == "he" and language_tag("zh-Hant") == "zh-hant"
    for bad in ("German", "", "e", "en-", "x", "123", "a" * 50, "dé"):
        assert language_tag(bad) is None, bad
    with pytest.raises(InputError, match=r"--lang: 'German' is not a language tag"):
        parse_language_tag("German", "--lang")


def test_a_document_with_a_bad_language_is_one_line(hashed, story_dir) -> None:
    from xlingo.read import read_document

    with pytest.raises(InputError, match="not a language tag"):
        read_document(story_dir / "bridge.de.txt", lang="German")
    named = story_dir / "bridge.German.txt"
    named.write_text(STORY["de"], encoding="utf-8")
    result = hashed("diff", str(named), str(story_dir / "bridge.fr.txt"), "-f", "json")
    assert result.exit_code in (0, 1) and json.loads(result.stdout)["stories"][0]["documents"][0]["lang"] == "de"


def test_segment_keeps_offsets_in_every_script() -> None:
    for lang, text in STORY.items():
        doc = segment(Document(lang, f"{lang}.txt", text, lang))
        assert doc.sentences and all(text[s.start:s.end] == s.text for s in doc.sentences)
