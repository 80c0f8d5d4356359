"""What a faithful translation keeps in every language: polarity and the direction of comparisons.

The cue tables are the grammars' closed classes, not words seen in any text: each language's
sentential negators, negative pronouns, determiners and adverbs (the n-words), and its
comparative quantity words (more/less, higher/lower, above/below). They are small and
closed, so they travel to any text.

* :func:`negations` finds negation events in a text. Languages with negative concord
  (``no ... nada``, ``не ... никогда``) put several cues on one negation, so there cues close
  together within a clause count once; French ``ne`` counts only with its second part or a
  negative subject (``ne ... pas``, ``personne ne``; ``ne ... que`` restricts, an expletive
  ``ne`` negates nothing).
* :func:`implicit_negative` says whether a text carries negation by other means: words that
  entail a negation (*without*, *fail*, *refuse*, *lack*, *hardly*, *sole*, *deny*; German
  *ohne*, *kaum*...; phrases such as *deixar de*, *dejar de*) or a word built from a negative
  prefix or suffix on an ordinary word (*impossible*, *unklar*, *inégal*, *невозможно*,
  *powerless*, *machtlos*). A translation may move a negation into such a word; a rule must
  then not call the versions' polarity different.
* Negators that negate nothing are not counted: Chinese A-not-A questions (会不会), French
  ``pas`` the noun (*un grand pas*), ``pas mal``, ``à jamais``; concessive ``nem que`` /
  ``ni que``; Russian ``на нет``; Japanese obligation (なければなりません) and *regardless*
  (に関係なく).
* :func:`directions` finds the comparison words of a text and its words of change (rise,
  fall) with their direction (+1 more, -1 less).
* :func:`soft_negatives` finds the words that carry a negation without being a negator
  (:data:`IMPLICIT_NEGATION`, negative prefixes), :func:`negator_words` every negator word
  whatever its use; XL801 reads both where a negation of another version stands.

Chinese is segmented into words (jieba, through :func:`xlingo.segment.word_units`) and its negation words counted (不是, 没有, 无法; not
特别 *especially* or 无人机 *drone*); Japanese is matched on characters, with the words that
merely contain a negative form (少ない *few*, かもしれない *maybe*, なければならない *must*)
excluded. A negator before an *only* word (*not only*, *nicht nur*) does not negate.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from xlingo.language import primary_language, zipf
from xlingo.segment import word_units

# --------------------------------------------------------------------------- lexicons

#: Sentential negators and n-words per language (closed classes from reference grammars).
NEGATION: dict[str, frozenset[str]] = {k: frozenset(v.split()) for k, v in {
    "en": "not n't no never nobody nothing none neither nowhere cannot",
    "de": "nicht kein keine keinen keinem keiner keines nie niemals niemand niemanden niemandem nichts "
          "nirgends nirgendwo weder",
    "nl": "niet geen nooit niemand niets nergens",
    "es": "no nunca jamás nadie nada ningún ninguno ninguna ningunos ningunas ni tampoco",
    "it": "non mai nessuno nessuna nessun niente nulla né neanche nemmeno neppure",
    "pt": "não nunca jamais ninguém nada nenhum nenhuma nenhuns nenhumas nem tampouco",
    "pl": "nie nigdy nikt nikogo nikomu nikim nic niczego nigdzie żaden żadna żadne żadnego "
          "żadnej żadnych żadnym żadnymi żadnemu ani",
    "ru": "не нет ни никогда никто никого никому никем ничто ничего ничем ничему нигде никуда "
          "никакой никакая никакое никакие никакого никакой никаких никаким нельзя",
    "ar": "لا لم لن ليس ليست ليسوا لست لسنا ليسا",
}.items()}
#: Languages with negative concord: several cues of one clause make one negation.
CONCORD = frozenset({"es", "it", "pt", "pl", "ru", "uk", "ar", "ro", "ca"})
#: French: the first part of the negation; it counts only with a second part within the clause.
FR_NE = frozenset({"ne", "n'"})
#: French second parts (``ne ... plus`` is a negation too, ``plus`` alone a comparison).
FR_SECOND = frozenset("pas plus jamais rien personne aucun aucune nul nulle ni guère point".split())
#: French negators that stay negators in idioms (``pas mal``, ``plus que jamais``).
FR_RAW = frozenset({"ne", "n'", "pas", "jamais", "rien", "aucun", "aucune", "ni", "nul", "nulle"})
#: French n-words that can be the subject before ``ne`` (``personne ne vient``).
FR_SUBJECT = frozenset("personne rien aucun aucune nul nulle".split())
#: French words that negate without ``ne`` (``pas encore``, ``jamais``); ``non`` mostly
#: prefixes a word (``non exécutif``) and is read as such.
FR_ALONE = frozenset("pas jamais aucun aucune rien".split())
#: Words before which ``pas`` is the noun *step* (``un grand pas``) and ``rien`` a noun (``un rien``).
FR_DETERMINERS = frozenset("un une le la les l' du des de d' au aux ce cet ces mon ton son nos vos leur leurs "
                           "premier premiers grand grands petit petits faux même quelques chaque".split())

#: Chinese and Japanese negators, matched on characters.
CJK_NEGATION = {
    "zh": re.compile(r"不|没|沒|未|无|無|非|别|別|勿|莫|否"),
    "ja": re.compile(r"ない|なかっ|なく|ません|ず[にとも、。]|せず|無い|無し|なし"),
}
#: Lexicalised compounds that contain a negative character but do not negate.
CJK_NOT_NEGATION = {
    "zh": re.compile(r"不过|不過|不断|不斷|不少|不仅|不僅|不但|不管|不论|不論|无论|無論|非常|未来|未來|否则|否則|"
                     r"不久|莫斯科|没收|沒收|除非|并非常|不妨|莫名|无数|無數|不同|不得不|非洲|无疑|無疑|"
                     r"不禁|毫不犹豫|不时|不時|非法|无线|無線|不错|不錯|不如说|不如說|不如|不二|不止|不凡|别有|別有|"
                     r"不到(?=[\d一二两三四五六七八九十百千万半几])"),
    "ja": re.compile(r"少な|危な|まもなく|間もなく|ほどなく|なくな|なくし|なくす|亡く|無線|ない[かし]?ものの|しれない|までもな|"
                     r"(?:なけれ?ば|なくては)(?:ならない|なりません|いけない|いけません)|ないと(?:いけ|だめ)|"
                     r"ざるを得|違いない|かねない|ほかない|しかない|だけでなく|のみならず|"
                     r"関係なく|(?:に|を)?(?:かかわらず|関わらず|拘らず|問わず)|余儀な|やむを得ず"),
}
#: Arabic conjunctions written onto the next word (و ف).
_AR_PREFIX = re.compile(r"^[وف](?=ل[ام]|لن|لي)")
#: Arabic proclitics written onto a noun or preposition: a conjunction (و ف), then a preposition
#: (ب ل ك): ``بعدم`` (*by not*), ``وبدون`` (*and without*), ``لغياب`` (*for the absence of*).
_AR_PROCLITICS = re.compile(r"^[وف]?[بلك]?")

#: Words whose meaning entails a negation (a translation may carry the negation in them): the
#: negative prepositions and adverbs (*without*, *hardly*), the downward-entailing *only* words
#: and adjectives (*sole*, *seul*, *único*: "not the only one" is "one of many"),
#: and the verbs whose meaning is "not do" (*fail*, *refuse*, *lack*, *prevent*). ``*`` ends a
#: stem (any ending); other entries match the whole word (or phrase). CJK entries match anywhere.
IMPLICIT_NEGATION: dict[str, tuple[str, ...]] = {k: tuple(v.split("|")) for k, v in {
    "en": "without|non|sole|solely|fail*|refus*|lack*|hardly|barely|scarcely|unable|absen*|deny|denie*|denied|ignor*|ceas*|"
          "until|unless|neither|nor|neglect*|avoid*|except*|instead|rather than|only|declin*|reject*|prevent*|"
          "stop|stops|stopped|stopping|ban|bans|banned|banning|miss|missed|misses|missing|no longer|few|little|far from|outside|yet to",
    "de": "ohne|kaum|einzig*|bestreit*|bestritt*|leugn*|vermiss*|versäum*|erst|aufgehört|aufhör*|weder|verweiger*|ablehn*|lehnt|lehnte|lehnten|abgelehnt|"
          "fehl*|scheiter*|gescheitert|unfähig*|außer|statt|anstatt|nur|verhinder*|stopp*|verbot*|verbiet*|"
          "vermeid*|vermied*|mangel*|wenige|wenig|alles andere als|weit davon entfernt|außerhalb",
    "nl": "zonder|nauwelijks|enige|ontken*|vermis*|gestopt|stopt*|weiger*|ontbr*|behalve|tenzij|slechts|alleen|mislukt*|verbod*|verbied*|vermijd*|"
          "vermeed*|pas|weinig|verre van|buiten",
    "fr": "sans|non|seul|seule|seuls|seules|nier|nie|nient|nié|niait|à peine|ignor*|cess*|arrêt*|refus*|échou*|manqu*|incapable*|sauf|à moins|seulement|uniquement|"
          "plutôt|empêch*|interdi*|évit*|rejet*|peu|ni|loin d*|hors d*|en dehors",
    "es": "sin|apenas|único|única|únicos|únicas|dej* de|para de|paras de|paran de|paro de|paramos de|paró de|"
          "pararon de|parar de|parado de|parando de|paraba de|paraban de|pare de|paren de|pares de|ignor*|negó|niega*|negar*|negaron|rechaz*|fracas*|incapaz*|salvo|excepto|solo|sólo|"
          "solamente|únicamente|en lugar|en vez|impid*|imped*|prohib*|evit*|carec*|falt*|poco|pocos|pocas|ni|lejos de|fuera de",
    "it": "senza|appena|unico|unica|unici|uniche|smett*|ignor*|cess*|rifiut*|fall*|manc*|incapac*|tranne|salvo|solo|soltanto|invece|"
          "impedi*|vieta*|vietat*|evit*|negat*|negò|nega|negano|poco|pochi|poche|né|lungi da|lontano da|tutt'altro che|fuori d*|al di fuori",
    "pt": "sem|mal|único|única|únicos|únicas|deix* de|para de|param de|paro de|paramos de|parou de|pararam de|"
          "parar de|parado de|parando de|parava de|paravam de|pare de|parem de|ignor*|cess*|recus*|falh*|falt*|incapaz*|exceto|salvo|só|apenas|somente|em vez|"
          "impedi*|impeç*|proib*|evit*|negou|nega*|rejeit*|pouco|poucos|poucas|nem|longe de|fora d*",
    "pl": "bez|ledwo|jedyn*|zaprzecz*|przesta*|odmów*|odmaw*|odmow*|brak*|zabrak*|nieudan*|oprócz|tylko|jedynie|zamiast|zakaz*|unik*|"
          "odrzuc*|uniemożliw*|mało|daleko od|daleki od|bynajmniej|poza",
    "ru": "без|едва|единствен*|отрица*|вряд|переста*|прекрат*|отказ*|нехват*|отсутств*|кроме|только|лишь|вместо|запрет*|избега*|избеж*|отклон*|"
          "провал*|мало|немного|далеко не|отнюдь|вне",
    "zh": "唯一|缺|拒|除了|只|仅|僅|失败|失敗|禁止|避免|而是|难以|難以|难|難|少",
    "ja": "唯一|拒|欠|除|だけ|のみ|失敗|禁止|避け|代わり|困難|難し|にくい|不|未|非|無|少",
    "ar": "الوحيد|الوحيدة|بدون|دون|رفض*|فشل*|نقص*|غياب|إلا|فقط|بدلا|منع*|تجنب*|غير|عدم|قليل*|بعيد* عن|البعيد* عن|خارج",
}.items()}
#: Negative prefixes that build antonyms from ordinary words (``im|possible``).
NEGATIVE_PREFIX: dict[str, tuple[str, ...]] = {
    "en": ("un", "in", "im", "il", "ir", "dis", "non"),
    "de": ("un", "nicht", "miss", "in"),
    "nl": ("on", "niet", "in"),
    "fr": ("in", "im", "il", "ir", "dés", "dé", "non", "mé"),
    "es": ("in", "im", "des", "i", "no"),
    "it": ("in", "im", "il", "ir", "dis", "s", "non"),
    "pt": ("in", "im", "des", "i", "ir", "não"),
    "pl": ("nie", "bez"),
    "ru": ("не", "без", "бес"),
}

#: Negative suffixes that build antonyms from ordinary words (``power|less``, ``macht|los``).
NEGATIVE_SUFFIX: dict[str, tuple[str, ...]] = {
    "en": ("less",),
    "de": ("los", "lose", "losen", "loser", "loses", "losem"),
    "nl": ("loos", "loze"),
}
#: Prefixes that negate whatever word they start (``nicht|walisisch``), save the words listed.
PLAIN_PREFIX = {"de": ("nicht", ("nichts",))}

#: Comparison words: direction +1 (more, higher, above) or -1 (less, lower, below).
COMPARISON: dict[str, dict[str, int]] = {lang: {w: d for d, ws in pair for w in ws.split()} for lang, pair in {
    "en": ((1, "more higher greater larger bigger most highest greatest largest biggest above exceeds "
               "exceeded"),
           (-1, "less fewer lower smaller least fewest lowest smallest below")),
    "de": ((1, "mehr höher höhere höheren höherer höheres größer größere größeren größerer meisten höchste "
               "höchsten oberhalb"),
           (-1, "weniger niedrigere niedrigeren kleinere kleineren kleinerer geringere geringeren "
                "wenigsten niedrigste niedrigsten unterhalb")),
    "nl": ((1, "meer hoger hogere groter grotere meeste hoogste boven"),
           (-1, "minder lager lagere kleiner kleinere minste laagste onder")),
    "fr": ((1, "plus supérieur supérieure supérieurs supérieures davantage au-dessus"),
           (-1, "moins inférieur inférieure inférieurs inférieures au-dessous")),
    "es": ((1, "más mayor mayores superior superiores"),
           (-1, "menos menor menores inferior inferiores")),
    "it": ((1, "più maggiore maggiori superiore superiori"),
           (-1, "meno minore minori inferiore inferiori")),
    "pt": ((1, "mais maior maiores superior superiores"),
           (-1, "menos menor menores inferior inferiores")),
    "pl": ((1, "więcej bardziej powyżej ponad"),
           (-1, "mniej poniżej")),
    "ru": ((1, "больше более выше свыше"),
           (-1, "меньше менее ниже")),
    "ar": ((1, "أكثر أعلى أكبر"),
           (-1, "أقل أدنى أصغر")),
}.items()}
#: Verbs and nouns of change with their direction (rise / fall), as stems: any ending.
CHANGE: dict[str, tuple[tuple[int, tuple[str, ...]], ...]] = {lang: tuple((d, tuple(ws.split())) for d, ws in pair)
                                                           for lang, pair in {
    "en": ((1, "increas rose rise risen rising grew grow climb soar"),
           (-1, "decreas fell fall declin drop shrank shrink plung slump")),
    "de": ((1, "stieg steig gestiegen wuchs wächst wachs zugenommen erhöh anstieg zunahm"),
           (-1, "sank sinkt sinken gesunken zurückgegangen verringer rückgang abnahm abgenommen")),
    "nl": ((1, "steeg stijg gestegen groei toegenomen verhoog"), (-1, "daal gedaald afgenomen verminder")),
    "fr": ((1, "augment hausse progressé progresse progression grimp croît croître croiss accroiss"),
           (-1, "baiss diminu recul chut")),
    "es": ((1, "aument subió subieron subida sube suben crec alza"),
           (-1, "disminu bajó bajaron bajada bajan cayó cayeron caída descen")),
    "it": ((1, "aument crebb cresc rialz"), (-1, "diminu calat calo scend ribass")),
    "pt": ((1, "aument subiu subiram subida sobe cresc"),
           (-1, "diminu caiu caíram caem baixou baixaram descer desce desceu desceram descida queda")),
    "pl": ((1, "wzrost wzrósł wzrosł wzrosn rosn zwiększ"), (-1, "spad spadł zmniejsz obniż")),
    "ru": ((1, "вырос выросл увелич повыс"), (-1, "снизил сниж упал упад сократ уменьш")),
}.items()}
#: Nouns of change that end compounds (``Umsatzwachstum``, ``Preisrückgang``).
COMPOUND_CHANGE = {"de": ((1, ("wachstum", "zuwachs", "anstieg")), (-1, ("rückgang",))),
                   "nl": ((1, ("groei", "stijging")), (-1, ("daling",)))}
CJK_CHANGE = {
    "zh": ((1, re.compile(r"增加|上升|增长|上涨|提高")), (-1, re.compile(r"减少|下降|下跌|降低"))),
    "ja": ((1, re.compile(r"増加|上昇|増え|上が")), (-1, re.compile(r"減少|低下|下落|減っ|下が"))),
}
#: Polish comparative stems (inflected like adjectives: ``wyższy``, ``wyższej``...).
PL_COMPARATIVE = ((1, ("wyższ", "większ")), (-1, ("niższ", "mniejsz")))
CJK_COMPARISON = {
    "zh": ((1, re.compile(r"更多|多于|多於|超过|超過|以上|高于|高於|更高|大于|大於|更大")),
           (-1, re.compile(r"更少|少于|少於|低于|低於|更低|以下|小于|小於|更小|不到"))),
    "ja": ((1, re.compile(r"以上|超え|上回|より多|より高|より大|増え")),
           (-1, re.compile(r"以下|未満|下回|より少|より低|より小|減っ"))),
}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|[^\W\d_]{1,3}['’]")
_ELIDED = re.compile(r"^([^\W\d_]{1,3})['’]([^\W\d_]+)$")
_BOUNDARY = re.compile(r"[,;:.!?()«»\"“”„—–]|\s-\s")  # not [ ]: an editor's insertion inside a clause
_CONCORD_WINDOW = 6  # tokens within which negative cues of one clause are one negation


@dataclass(frozen=True)
class Cue:
    """One cue in a text: character span and, for comparisons, its direction."""

    start: int
    end: int
    text: str
    direction: int = 0
    change: bool = False  # a word of change (rose, fell): an open class the tables cover only in part


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[tuple[int, int, str, int], ...]:
    """Lower-cased words with offsets and the clause number each falls in (elisions split);
    memoised: the negation, concord and comparison readings of a cell each ask."""
    clause_ends = [m.start() for m in _BOUNDARY.finditer(text)]
    out = []
    for m in _WORD.finditer(text):
        clause = bisect.bisect_left(clause_ends, m.start())
        w = m.group().lower().replace("’", "'")
        el = _ELIDED.match(w)
        if el and el.group(1) in ("n", "l", "d", "j", "s", "c", "qu", "m", "t"):
            cut = m.start() + len(el.group(1)) + 1
            out.append((m.start(), cut, el.group(1) + "'", clause))
            out.append((cut, m.end(), el.group(2), clause))
        else:
            out.append((m.start(), m.end(), w, clause))
    return tuple(out)


def negation_cues(text: str, lang: str) -> list[Cue]:
    """Every negation cue of a text (before concord merging)."""
    lang = primary_language(lang)
    if lang == "zh":
        return _chinese_cues(text)
    if lang in CJK_NEGATION:
        blocked = [(m.start(), m.end()) for m in CJK_NOT_NEGATION[lang].finditer(text)]
        return [Cue(m.start(), m.end(), m.group()) for m in CJK_NEGATION[lang].finditer(text)
                if not any(s <= m.start() < e for s, e in blocked)]
    toks = _tokens(text)
    only = ONLY.get(lang, ())
    idioms = IDIOMS.get(lang, ())
    words = [t[2] for t in toks]
    toks = [t for i, t in enumerate(toks) if not _interjection(text, t, words[i - 1] if i else "")
            and not (i + 1 < len(toks) and words[i + 1] in only)
            and not (tuple(words[i:i + 2]) in idioms or tuple(words[max(0, i - 1):i + 1]) in idioms)]
    if lang == "fr":
        return _french_cues(toks)
    lexicon = NEGATION.get(lang)
    if lexicon is None:
        return []
    out = []
    for s, e, w, _ in toks:
        if lang == "ar":
            w = _AR_PREFIX.sub("", w)
        if w in lexicon or (lang == "en" and w.endswith("n't")):
            out.append(Cue(s, e, text[s:e]))
    return out


_INTERJECTIONS = frozenset("no non nein não nee нет".split())
_OR = frozenset("or ou oder o of или lub".split())


#: Chinese negation words (after segmentation): negators and the words built on them.
ZH_NEGATION = frozenset("不 没 沒 没有 沒有 未 无 無 非 别 別 勿 莫 否 未能 无法 無法 并非 並非 从未 從未 从不 從不 决不 "
                        "绝不 絕不 毫无 毫無 尚未 未曾 无需 無需 不再 没能 不得".split())
_ZH_NEG_HEAD = "不没沒"


def _chinese_cues(text: str) -> list[Cue]:
    """Negation words of a Chinese text, split into words (:func:`~xlingo.segment.word_units`):
    不是, 没有, 无法; not 特别 or 无人机."""
    out = []
    units = word_units(text)
    ends = {e for _, e in units}
    for start, end in units:
        tok = text[start:end]
        if _a_not_a(text, start, end) or _zh_answer(text, start, end):
            continue
        # a compound that negates nothing, the word itself (不过) or cut by the segmenter where a
        # word ends (别|有); not the start of a longer word (不|同意, *disagree*)
        lexical = CJK_NOT_NEGATION["zh"].match(text, start)
        if lexical and lexical.end() >= end and lexical.end() in ends:
            continue
        if tok in ZH_NEGATION or (tok[0] in _ZH_NEG_HEAD and len(tok) <= 3):
            out.append(Cue(start, end, tok))
    return out


#: Chinese punctuation after which, or before which, a lone 不 is an answer, not a negator.
_ZH_CLAUSE_MARKS = "，,、。！!？?；;：:“”\"「」『』"


def _zh_answer(text: str, start: int, end: int) -> bool:
    """不 alone between clause marks (``不，那是因为我生气了``, *No, it's because I was angry*):
    the answer *no*, which negates no statement, as an interjection does."""
    before = text[:start].rstrip()
    return text[start:end] == "不" and (not before or before[-1] in _ZH_CLAUSE_MARKS) \
        and end < len(text) and text[end] in _ZH_CLAUSE_MARKS


def _a_not_a(text: str, start: int, end: int) -> bool:
    """会不会, 能不能, 有没有: a verb, the negator and the verb again ask a yes/no question."""
    verb = text[start + 1:end]
    return text[start] in _ZH_NEG_HEAD and bool(verb) and text[max(0, start - len(verb)):start] == verb


#: Word pairs in which a negator negates nothing: concessive conjunctions (``nem que seja``,
#: even if; ``ni que fuera``, as if), Russian ``на нет`` (to nothing: ``свести на нет``) and
#: Arabic ``لا يزال`` / ``لم يزل`` (*still*: the verb of continuing is negated to say it goes on)
#: and ``لا سيما`` (*especially*), with or without the conjunction written onto the negator; and
#: ``لمّ الشمل`` (*reunion*: the noun ``لمّ``, gathering, written ``لم`` without its vowel signs; the
#: negator ``لم`` takes the jussive, ``لم يشمل``, never the perfect or a noun); and *as never
#: before* (``wie nie zuvor``, ``como nunca``, ``как никогда``): a record, said as a comparison.
IDIOMS = {"en": (("like", "never"), ("as", "never")), "de": (("wie", "nie"), ("wie", "niemals")),
          "nl": (("als", "nooit"),), "fr": (("comme", "jamais"),), "it": (("come", "mai"),),
          "pl": (("jak", "nigdy"),),
          "pt": (("nem", "que"), ("como", "nunca")), "es": (("ni", "que"), ("como", "nunca")),
          "ru": (("на", "нет"), ("как", "никогда")),
          "ar": tuple((neg, verb) for neg in ("لا", "ولا", "فلا", "لم", "ولم") for verb in (
              "يزال", "تزال", "زال", "زالت", "يزالون", "تزالان", "يزالان", "نزال", "أزال", "يزل", "تزل", "سيما"))
          + tuple((gather, reunion) for gather in ("لم", "ولم") for reunion in (
              "شمل", "الشمل", "شمله", "شملها", "شملهم", "شملهما", "شملهن", "شملنا", "شملي"))}
#: "Only" words: a negator right before one (``not only``, ``nicht nur``) does not negate.
ONLY = {"en": ("only", "just"), "de": ("nur",), "fr": ("seulement",), "es": ("solo", "sólo", "solamente"),
        "it": ("solo", "soltanto"), "pt": ("só", "apenas", "somente"), "nl": ("alleen",), "pl": ("tylko",),
        "ru": ("только",)}


def _interjection(text: str, tok: tuple[int, int, str, int], prev: str) -> bool:
    """``No, no.`` or ``... or not.``: a negator standing alone before punctuation is outside the
    clause's polarity (translators keep or drop it freely)."""
    if prev in _OR:  # whether or not
        return True
    return tok[2] in _INTERJECTIONS and bool(re.match(r"\s*[,.!?;:—–]", text[tok[1]:tok[1] + 3]))


def _french_cues(toks: list[tuple[int, int, str, int]]) -> list[Cue]:
    """``ne``/``n'`` with a second part in its clause (one cue spanning both), second parts
    standing alone (``pas encore``, ``jamais``), and ``non``."""
    out, used = [], set()
    for i, (s, e, w, clause) in enumerate(toks):
        if w in FR_NE:
            for j in range(i + 1, min(i + 1 + _CONCORD_WINDOW, len(toks))):
                if toks[j][3] != clause:
                    break
                if toks[j][2] in FR_SECOND:  # ne ... plus jamais: one negation, every second part used
                    more = [x for x in range(j, min(j + 3, len(toks))) if toks[x][2] in FR_SECOND
                            and toks[x][3] == clause]
                    out.append(Cue(s, toks[more[-1]][1], ""))
                    used.update(more)
                    break
            else:  # a negative subject before it: "personne ne vient"
                subject = [j for j in range(max(0, i - 3), i) if toks[j][2] in FR_SUBJECT and toks[j][3] == clause]
                if subject:
                    out.append(Cue(toks[subject[0]][0], e, ""))
                    used.add(subject[0])
    for j, (s, e, w, _) in enumerate(toks):
        if j not in used and w in FR_ALONE and not _french_idiom(toks, j):
            out.append(Cue(s, e, ""))
    return sorted(out, key=lambda c: c.start)


def _french_idiom(toks: list[tuple[int, int, str, int]], j: int) -> bool:
    """A second part without ``ne`` that does not negate: ``plus que jamais``, ``le pire que
    j'ai jamais vu`` (ever), ``à jamais`` (forever), ``un grand pas`` (a step), ``pas mal``
    (quite a lot), ``un rien``."""
    w = toks[j][2]
    prev = toks[j - 1][2] if j else ""
    if w == "jamais":
        return prev == "à" or any(t[2] in ("que", "qu'", "si") for t in toks[max(0, j - 4):j])
    if w in ("pas", "rien") and prev in FR_DETERMINERS:
        return True
    return w == "pas" and j + 1 < len(toks) and toks[j + 1][2] == "mal"


def negations(text: str, lang: str) -> list[Cue]:
    """Negation events. In languages with negative concord, cues of one clause close together
    count once; elsewhere (``doesn't ... never``) each cue is a negation."""
    cues = negation_cues(text, lang)
    if not cues:
        return []
    if primary_language(lang) not in CONCORD:
        return [Cue(c.start, c.end, text[c.start:c.end]) for c in cues]
    toks = _tokens(text)
    pos = {s: (i, clause) for i, (s, _, _, clause) in enumerate(toks)}
    events: list[Cue] = []
    last: tuple[int, int] | None = None
    for c in cues:
        i, clause = pos.get(c.start, (-99, -1))
        if events and last is not None and last[1] == clause and i - last[0] <= _CONCORD_WINDOW:
            prev = events[-1]
            events[-1] = Cue(prev.start, c.end, text[prev.start:c.end])
        else:
            events.append(Cue(c.start, c.end, text[c.start:c.end]))
        last = (i, clause)
    return events


@lru_cache(maxsize=65536)
def _prefixed_antonym(word: str, lang: str) -> bool:
    """``word`` is a negative prefix on an ordinary word of the language (``impossible``). The
    Latin prefixes (*in-*, *des-*, *dis-*...) also begin many words that negate nothing
    (*impuesto*, *disappear*), so there the stem must have an adjective's ending (*possible*,
    *égal*, *correct*)."""
    plain = PLAIN_PREFIX.get(lang)
    if plain and word.startswith(plain[0]) and len(word) >= len(plain[0]) + 4 and not word.startswith(plain[1]):
        return True
    for x in NEGATIVE_SUFFIX.get(lang, ()):
        stem = word[:-len(x)]
        if word.endswith(x) and len(stem) >= 3 and max(zipf(stem, lang), zipf(stem.rstrip("s"), lang)) >= 3.0 \
                and zipf(word, lang) >= 1.5:
            return True
    for p in NEGATIVE_PREFIX.get(lang, ()):
        stem = word[len(p):]
        if word.startswith(p) and len(stem) >= 4 and zipf(stem, lang) >= 3.0 and zipf(word, lang) >= 1.5 \
                and zipf(stem, lang) > zipf(word, lang) \
                and (p not in LATIN_PREFIXES or stem.endswith(ADJECTIVE_ENDINGS)):
            return True
    return False


#: Negative prefixes that also start many plain words (``in|formato``, ``dis|appear``).
LATIN_PREFIXES = frozenset("in im il ir i dis des dés dé s mé".split())
#: Adjective endings of the Romance and English vocabulary those prefixes negate.
ADJECTIVE_ENDINGS = tuple("ble bles ble bile bili ível íveis al ales ais ale ali el ent ente entes ant ante "
                          "antes ect ecto ecta eto eta ete ile iles ar are ari ario aria ust uste usto usta "
                          "ive ivo iva if ife ique ico ica ous oso osa".split())


def soft_negatives(text: str, lang: str, prefixed: bool = True) -> list[Cue]:
    """Words that carry a negation without being a negator: those of :data:`IMPLICIT_NEGATION`
    and negative prefixes on ordinary words (``impossible``, ``unklar``, ``невозможно``)."""
    lang = primary_language(lang)
    entries = IMPLICIT_NEGATION.get(lang, ())
    if lang in CJK_NEGATION:
        return sorted((Cue(m.start(), m.end(), m.group()) for e in entries
                       for m in re.finditer(re.escape(e), text)), key=lambda c: c.start)
    out = []
    low = text.lower()
    for e in (e for e in entries if " " in e):  # phrases; * ends a stem (``deix* de``)
        pattern = re.escape(e).replace(r"\*", r"\w*")
        out += [Cue(m.start(), m.end(), text[m.start():m.end()]) for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", low)]
    words = {e for e in entries if not e.endswith("*") and " " not in e}
    stems = tuple(e[:-1] for e in entries if e.endswith("*") and " " not in e)
    for s, e, w, _ in _tokens(text):
        forms = {w, _AR_PROCLITICS.sub("", w)} - {""} if lang == "ar" else {w}
        if any(x in words or (stems and x.startswith(stems)) for x in forms) or (prefixed and _prefixed_antonym(w, lang)):
            out.append(Cue(s, e, text[s:e]))
    return sorted(out, key=lambda c: c.start)


def negator_words(text: str, lang: str) -> list[Cue]:
    """Every word of the language's negators, whatever its use here (``plus que jamais``,
    ``pas mal``, 别有): where one version has a negation, another may use the same word in an
    idiom that says the same."""
    lang = primary_language(lang)
    if lang in CJK_NEGATION:
        return negation_cues(text, lang)
    lexicon = NEGATION.get(lang, FR_RAW if lang == "fr" else frozenset())
    return [Cue(s, e, text[s:e]) for s, e, w, _ in _tokens(text)
            if (_AR_PREFIX.sub("", w) if lang == "ar" else w) in lexicon or (lang == "en" and w.endswith("n't"))]


def implicit_negative(text: str, lang: str) -> bool:
    """True when the text carries a negation in a word that entails it (see the module doc)."""
    return bool(soft_negatives(text, lang))


#: Words that make an analytic comparative (more/less + adjective): their direction depends on
#: the adjective (``plus faible`` = ``inferior``), so they count only before *than* or a number.
ANALYTIC = {k: frozenset(v.split()) for k, v in {
    "en": "more less", "de": "mehr weniger", "nl": "meer minder", "fr": "plus moins davantage",
    "es": "más menos", "it": "più meno", "pt": "mais menos", "pl": "więcej mniej bardziej",
    "ru": "больше меньше более менее", "ar": "أكثر أقل"}.items()}
#: Words of position, comparisons only before *than* or a number (``above 5 %``, ``boven de 10``): a
#: ball that dropped *over* a keeper, a vote *onder* (among) young voters compare nothing.
POSITIONAL = {k: frozenset(v.split()) for k, v in {
    "en": "above below", "de": "oberhalb unterhalb", "nl": "boven onder", "fr": "au-dessus au-dessous",
    "pl": "powyżej poniżej ponad", "ru": "свыше", "ar": "أعلى أدنى"}.items()}
THAN = {k: frozenset(v.split()) for k, v in {
    "en": "than of", "de": "als", "nl": "dan", "fr": "que qu' de d'", "es": "que de del", "it": "che di del della dei",
    "pt": "que do da de dos das", "pl": "niż", "ru": "чем", "ar": "من"}.items()}


def _before_amount(text: str, toks: list[tuple[int, int, str, int]], i: int, lang: str, article: bool = False) -> bool:
    """The comparison word stands before *than* or a number (``more than``, ``plus de 300``; with
    ``article``, also after a short word: ``boven de 10``)."""
    if i + 1 < len(toks) and toks[i + 1][2] in THAN.get(lang, ()):
        return True
    return bool(re.match(r"\s*(?:[^\W\d_]{1,3}\s+)?\d" if article else r"\s*\d", text[toks[i][1]:]))


def _not_comparative_plus(toks: list[tuple[int, int, str, int]], i: int) -> bool:
    """French ``plus`` in ``ne ... plus`` (no longer), ``non plus`` (either) or a clause-initial
    ``de plus`` (moreover)."""
    clause = toks[i][3]
    before = [t[2] for t in toks[max(0, i - _CONCORD_WINDOW):i] if t[3] == clause]
    if any(w in FR_NE for w in before) or before[-1:] == ["non"]:
        return True
    return before == ["de"] and (i + 1 == len(toks) or toks[i + 1][3] != clause)


def directions(text: str, lang: str) -> list[Cue]:
    """Comparison words of a text with their direction; right after a negator (``nicht mehr``,
    French ``ne ... plus``) it means *no longer*, not a comparison."""
    lang = primary_language(lang)
    if lang in CJK_COMPARISON:
        return sorted([*(Cue(m.start(), m.end(), m.group(), d) for d, pat in CJK_COMPARISON[lang]
                         for m in pat.finditer(text)),
                       *(Cue(m.start(), m.end(), m.group(), d, change=True) for d, pat in CJK_CHANGE[lang]
                         for m in pat.finditer(text))], key=lambda c: c.start)
    table = COMPARISON.get(lang, {})
    toks = _tokens(text)
    out = []
    for i, (s, e, w, clause) in enumerate(toks):
        d = table.get(w, 0)
        if lang == "pl" and not d:
            d = next((dd for dd, stems in PL_COMPARATIVE if w.startswith(stems)), 0)
        change = not d
        if not d:
            d = next((dd for dd, stems in CHANGE.get(lang, ()) if w.startswith(stems)), 0)
        if not d:
            d = next((dd for dd, parts in COMPOUND_CHANGE.get(lang, ()) if any(p in w for p in parts)), 0)
        if lang == "fr" and w == "plus" and _not_comparative_plus(toks, i):
            continue
        if i and toks[i - 1][2] in NEGATION.get(lang, ()):
            continue  # nicht mehr, não mais, no more: no longer, not a comparison
        if w in ANALYTIC.get(lang, ()) and not _before_amount(text, toks, i, lang):
            continue  # "plus faible" may say what "inferior" says: only "more than / plus de" count
        if w in POSITIONAL.get(lang, ()) and not _before_amount(text, toks, i, lang, article=True):
            continue
        if d:
            out.append(Cue(s, e, text[s:e], d, change))
    return out
