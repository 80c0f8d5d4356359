"""Perturbation suites: stories with one version perturbed (``python benchmarks/perturb.py``).

**NTREX suite** (:func:`ntrex_suite`, what ``main`` runs): stories are chunks of ``--story-lines``
lines of one ``ntrex-dev`` document in ``--versions`` languages (the perturbed one and others
drawn at random from the folder's ``ntrex.LANG`` files), and one line of one version is
perturbed, generated from the data with a fixed seed. Types, each made in the languages it can be made in programmatically:
``entity`` (a name replaced by a name of another document of the corpus), ``negation`` (a
negator inserted at the language's finite auxiliary, or the only negation removed), ``clause``
(a comma-delimited clause dropped), ``sentence`` (a line dropped), ``number`` (a digit
changed), ``literal`` (the ordinary English words of a kept multiword name replaced by the
encoder's nearest word of the language's corpus vocabulary), ``duplicate`` (3-5 words
repeated), ``untranslated`` (the English line, or the French one for English, left in place)
and ``verb`` (a word with the language's verb inflection replaced by another such word of the
corpus). Every story goes through the whole engine with the real default model; a hit is a
finding at warning or above on the perturbed version overlapping the perturbed span (within
two characters of a removal); precision is hits over all findings at warning or above on the
perturbed stories; *shown* is the share of cases with a finding of any level (information
included: what a reviewer reading the whole report sees) on the perturbed span; *unsure* the share
of cases the viewer shades, below any finding (``Row.unsure_words``): a word of the perturbed span,
or, in its row, a word of another version marked as missing from the perturbed one alone, which the
story without the perturbation does not mark (a clause dropped, a word replaced). The translations
of NTREX have real errors of their own (a misspelt name, a wrong unit, an unclosed quote),
which every story cut from them carries: *new-only* precision counts only the findings the story
did not have before its perturbation (same rule, version and text), i.e. what the perturbation
made the checker say. With ``--review`` (the file of findings a person has read that
``ntrex_clean.py`` reads), *reviewed* precision also counts as right a finding that is no hit but
that the review marks a defect of the data: the estimate of how often a finding is right. Recall,
the precisions and *shown* are printed per type, hits and findings per rule.

The draw itself uses the engine's encoder and its name and negation finding (which names to
swap, where a negator goes), so a change to those draws other cases from the same seed. To
compare two versions of the code on the same cases, draw once with ``--suite FILE`` (written
when absent, read when present); the JSON report carries the suite's digest either way.

    python benchmarks/perturb.py [../shared/data/ntrex-dev] [--per-type 12] [--ignore XL8] [--show]
        [--review benchmarks/reviews/ntrex-dev.tsv] [--suite cases.json]

**Row suite** (:func:`build_suite`, used by ``benchmarks/divergence.py``) for span-level
divergence detectors. A *case* is a small story (rows of language -> sentence) in which exactly one version of one
row was changed, with the gold span of the change in that version (sentence offsets). Kinds:

* ``drop``: a clause or a stretch of 2-4 words around a content word removed (gold: the
  words on both sides of the gap);
* ``number``: a number's digits changed (gold: the number);
* ``entity``: a name replaced by another name of the same document (gold: the new name);
* ``negate``: a negation added or removed (hand-written cases, plus German ``nicht`` before
  the last word of a main clause);
* ``order``: a window of 4-7 words shuffled (gold: the window);
* ``loop``: a phrase of 3-5 words repeated right after itself (gold: the repetition);
* ``replace``: the whole sentence replaced by a sentence of another story in the same
  language (gold: the sentence);
* hand-written ``swap`` (a different word for a key term) and ``comparison`` (a comparison
  that no longer compares) cases in en/es/it/pt/de/fr.

Sources: Text+Berg de-fr gold 1-1 rows (two versions, path given), and the made-up news
stories below in three or four of en/de/fr/es/it/pt. Everything is seeded, so a suite is the
same on every run.
"""
from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from wordfreq import zipf_frequency

MARK = re.compile(r"⟦(.*?)⟧")
TOKEN = re.compile(r"\S+")
WORDS = re.compile(r"[^\W_]+(?:[-'’.,][^\W_]+)*")
NUMBER = re.compile(r"\d+(?:[.,'’]\d+)*")


@dataclass
class Case:
    """One story with one perturbed cell (or none, for a clean story)."""

    id: str
    kind: str  # "clean" or the perturbation kind
    rows: list[dict[str, str]]
    lang: str | None = None  # the perturbed version
    row: int | None = None
    gold: tuple[int, int] | None = None  # span in rows[row][lang] (sentence offsets)
    source: str = ""  # "textberg" | "madeup"
    meta: dict = field(default_factory=dict)


# --- made-up stories (written for this suite) -------------------------------------------

STORIES: list[list[dict[str, str]]] = [
    [  # a city budget
        {"en": "The city council of Valmora approved a budget of 48 million euros for the new bridge on Tuesday.",
         "es": "El consejo municipal de Valmora aprobó el martes un presupuesto de 48 millones de euros para el nuevo puente.",
         "it": "Il consiglio comunale di Valmora ha approvato martedì un bilancio di 48 milioni di euro per il nuovo ponte.",
         "pt": "A câmara municipal de Valmora aprovou na terça-feira um orçamento de 48 milhões de euros para a nova ponte."},
        {"en": "Construction will start in March and should last about three years.",
         "es": "Las obras comenzarán en marzo y deberían durar unos tres años.",
         "it": "I lavori inizieranno a marzo e dovrebbero durare circa tre anni.",
         "pt": "As obras começarão em março e deverão durar cerca de três anos."},
        {"en": "Mayor Elena Ruskin said the old bridge had become too dangerous for heavy lorries.",
         "es": "La alcaldesa Elena Ruskin dijo que el viejo puente se había vuelto demasiado peligroso para los camiones pesados.",
         "it": "La sindaca Elena Ruskin ha detto che il vecchio ponte era diventato troppo pericoloso per i camion pesanti.",
         "pt": "A presidente da câmara, Elena Ruskin, disse que a velha ponte se tinha tornado demasiado perigosa para os camiões pesados."},
        {"en": "Two opposition members voted against the plan, citing the cost.",
         "es": "Dos concejales de la oposición votaron en contra del plan, alegando el coste.",
         "it": "Due consiglieri dell'opposizione hanno votato contro il piano, citando il costo.",
         "pt": "Dois vereadores da oposição votaram contra o plano, invocando o custo."},
        {"en": "The bridge will carry around 20,000 vehicles a day, more than twice the current traffic.",
         "es": "El puente soportará unos 20.000 vehículos al día, más del doble del tráfico actual.",
         "it": "Il ponte sosterrà circa 20.000 veicoli al giorno, più del doppio del traffico attuale.",
         "pt": "A ponte suportará cerca de 20.000 veículos por dia, mais do dobro do tráfego atual."},
        {"en": "A temporary ferry service will run while the works are under way.",
         "es": "Un servicio temporal de ferry funcionará mientras duren las obras.",
         "it": "Un servizio temporaneo di traghetti sarà attivo durante i lavori.",
         "pt": "Um serviço temporário de ferry funcionará enquanto durarem as obras."},
    ],
    [  # a museum exhibition
        {"de": "Das Stadtmuseum von Lindau zeigt ab Freitag 120 Zeichnungen des Malers Karl Obermayr.",
         "fr": "Le musée municipal de Lindau présente à partir de vendredi 120 dessins du peintre Karl Obermayr.",
         "es": "El museo municipal de Lindau expone desde el viernes 120 dibujos del pintor Karl Obermayr.",
         "it": "Il museo civico di Lindau espone da venerdì 120 disegni del pittore Karl Obermayr."},
        {"de": "Die meisten Werke wurden noch nie öffentlich ausgestellt.",
         "fr": "La plupart des œuvres n'ont jamais été exposées au public.",
         "es": "La mayoría de las obras nunca se han expuesto al público.",
         "it": "La maggior parte delle opere non è mai stata esposta al pubblico."},
        {"de": "Sie stammen aus dem Nachlass seiner Tochter, die 2019 gestorben ist.",
         "fr": "Elles proviennent de la succession de sa fille, décédée en 2019.",
         "es": "Proceden del legado de su hija, fallecida en 2019.",
         "it": "Provengono dall'eredità di sua figlia, morta nel 2019."},
        {"de": "Die Ausstellung dauert bis Ende September und kostet zwölf Euro Eintritt.",
         "fr": "L'exposition dure jusqu'à fin septembre et l'entrée coûte douze euros.",
         "es": "La exposición dura hasta finales de septiembre y la entrada cuesta doce euros.",
         "it": "La mostra dura fino alla fine di settembre e l'ingresso costa dodici euro."},
        {"de": "Kinder unter 16 Jahren haben freien Eintritt.",
         "fr": "L'entrée est gratuite pour les enfants de moins de 16 ans.",
         "es": "Los niños menores de 16 años entran gratis.",
         "it": "I bambini sotto i 16 anni entrano gratis."},
        {"de": "Die Kuratorin rechnet mit mehr Besuchern als im vergangenen Jahr.",
         "fr": "La commissaire s'attend à plus de visiteurs que l'année dernière.",
         "es": "La comisaria espera más visitantes que el año pasado.",
         "it": "La curatrice prevede più visitatori dell'anno scorso."},
    ],
    [  # quarterly results
        {"en": "The furniture maker Nordhaus reported a net profit of 312 million dollars for the third quarter.",
         "de": "Der Möbelhersteller Nordhaus meldete für das dritte Quartal einen Nettogewinn von 312 Millionen Dollar.",
         "pt": "A fabricante de móveis Nordhaus registou um lucro líquido de 312 milhões de dólares no terceiro trimestre.",
         "fr": "Le fabricant de meubles Nordhaus a annoncé un bénéfice net de 312 millions de dollars pour le troisième trimestre."},
        {"en": "Sales rose by 7 percent, mainly thanks to strong demand in Asia.",
         "de": "Der Umsatz stieg um 7 Prozent, vor allem dank der starken Nachfrage in Asien.",
         "pt": "As vendas subiram 7 por cento, sobretudo graças à forte procura na Ásia.",
         "fr": "Les ventes ont augmenté de 7 pour cent, surtout grâce à une forte demande en Asie."},
        {"en": "The company plans to open four new factories in Vietnam next year.",
         "de": "Das Unternehmen plant, im nächsten Jahr vier neue Fabriken in Vietnam zu eröffnen.",
         "pt": "A empresa planeia abrir quatro novas fábricas no Vietname no próximo ano.",
         "fr": "L'entreprise prévoit d'ouvrir quatre nouvelles usines au Vietnam l'année prochaine."},
        {"en": "Chief executive Mara Lindqvist warned that higher wood prices could weigh on margins.",
         "de": "Vorstandschefin Mara Lindqvist warnte, dass höhere Holzpreise die Margen belasten könnten.",
         "pt": "A presidente executiva Mara Lindqvist avisou que preços mais altos da madeira poderão pesar nas margens.",
         "fr": "La directrice générale Mara Lindqvist a averti que la hausse des prix du bois pourrait peser sur les marges."},
        {"en": "The shares closed 3.5 percent higher in Stockholm.",
         "de": "Die Aktie schloss in Stockholm 3,5 Prozent höher.",
         "pt": "As ações fecharam em alta de 3,5 por cento em Estocolmo.",
         "fr": "L'action a clôturé en hausse de 3,5 pour cent à Stockholm."},
        {"en": "Analysts had expected a smaller profit.",
         "de": "Analysten hatten mit einem geringeren Gewinn gerechnet.",
         "pt": "Os analistas esperavam um lucro menor.",
         "fr": "Les analystes s'attendaient à un bénéfice plus faible."},
    ],
    [  # floods
        {"es": "Las lluvias torrenciales obligaron a evacuar a 1.500 personas en la provincia de Orsena.",
         "it": "Le piogge torrenziali hanno costretto all'evacuazione 1.500 persone nella provincia di Orsena.",
         "pt": "As chuvas torrenciais obrigaram à retirada de 1.500 pessoas na província de Orsena.",
         "en": "Torrential rain forced the evacuation of 1,500 people in the province of Orsena."},
        {"es": "El río Calvo superó su nivel máximo en la madrugada del domingo.",
         "it": "Il fiume Calvo ha superato il livello massimo nella notte di domenica.",
         "pt": "O rio Calvo ultrapassou o nível máximo na madrugada de domingo.",
         "en": "The Calvo river rose above its highest level early on Sunday."},
        {"es": "No hay víctimas mortales, según los servicios de emergencia.",
         "it": "Non ci sono vittime, secondo i servizi di emergenza.",
         "pt": "Não há vítimas mortais, segundo os serviços de emergência.",
         "en": "There are no deaths, according to the emergency services."},
        {"es": "Varias carreteras siguen cortadas y cuarenta escuelas permanecerán cerradas el lunes.",
         "it": "Diverse strade restano chiuse e quaranta scuole rimarranno chiuse lunedì.",
         "pt": "Várias estradas continuam cortadas e quarenta escolas permanecerão fechadas na segunda-feira.",
         "en": "Several roads remain closed and forty schools will stay shut on Monday."},
        {"es": "Los meteorólogos prevén más lluvia para el miércoles.",
         "it": "I meteorologi prevedono altra pioggia per mercoledì.",
         "pt": "Os meteorologistas preveem mais chuva para quarta-feira.",
         "en": "Forecasters expect more rain on Wednesday."},
        {"es": "El gobierno regional ha pedido ayuda al ejército.",
         "it": "Il governo regionale ha chiesto aiuto all'esercito.",
         "pt": "O governo regional pediu ajuda ao exército.",
         "en": "The regional government has asked the army for help."},
    ],
    [  # a marathon
        {"de": "Die Kenianerin Ruth Achieng hat am Sonntag den Marathon von Genf in 2:21:09 Stunden gewonnen.",
         "fr": "La Kényane Ruth Achieng a remporté dimanche le marathon de Genève en 2 h 21 min 09 s.",
         "it": "La keniana Ruth Achieng ha vinto domenica la maratona di Ginevra in 2 ore 21 minuti e 9 secondi.",
         "en": "Kenya's Ruth Achieng won the Geneva marathon on Sunday in 2:21:09."},
        {"de": "Das ist der neue Streckenrekord.",
         "fr": "C'est le nouveau record du parcours.",
         "it": "È il nuovo record del percorso.",
         "en": "That is the new course record."},
        {"de": "Bei den Männern siegte der Äthiopier Dawit Bekele knapp vor seinem Landsmann.",
         "fr": "Chez les hommes, l'Éthiopien Dawit Bekele s'est imposé de justesse devant son compatriote.",
         "it": "Tra gli uomini ha vinto l'etiope Dawit Bekele, di poco davanti al suo connazionale.",
         "en": "In the men's race, Ethiopia's Dawit Bekele won narrowly ahead of his compatriot."},
        {"de": "Rund 14.000 Läuferinnen und Läufer gingen an den Start.",
         "fr": "Environ 14 000 coureuses et coureurs ont pris le départ.",
         "it": "Circa 14.000 atlete e atleti hanno preso il via.",
         "en": "Around 14,000 runners took part."},
        {"de": "Wegen der Hitze wurden zusätzliche Wasserstellen eingerichtet.",
         "fr": "En raison de la chaleur, des points d'eau supplémentaires ont été installés.",
         "it": "A causa del caldo sono stati allestiti punti d'acqua supplementari.",
         "en": "Extra water stations were set up because of the heat."},
        {"de": "Die Veranstalter wollen das Rennen im nächsten Jahr auf Oktober verschieben.",
         "fr": "Les organisateurs veulent déplacer la course en octobre l'an prochain.",
         "it": "Gli organizzatori vogliono spostare la gara a ottobre il prossimo anno.",
         "en": "The organisers want to move the race to October next year."},
    ],
    [  # a telescope
        {"fr": "Des astronomes de l'observatoire de Pic Tallon ont découvert une comète inconnue.",
         "es": "Astrónomos del observatorio de Pic Tallon han descubierto un cometa desconocido.",
         "pt": "Astrónomos do observatório de Pic Tallon descobriram um cometa desconhecido.",
         "de": "Astronomen der Sternwarte Pic Tallon haben einen unbekannten Kometen entdeckt."},
        {"fr": "Elle passera à environ 90 millions de kilomètres de la Terre en janvier.",
         "es": "Pasará a unos 90 millones de kilómetros de la Tierra en enero.",
         "pt": "Passará a cerca de 90 milhões de quilómetros da Terra em janeiro.",
         "de": "Er wird im Januar in etwa 90 Millionen Kilometern Entfernung an der Erde vorbeiziehen."},
        {"fr": "Selon la chercheuse Anaïs Vidrel, elle sera visible avec de simples jumelles.",
         "es": "Según la investigadora Anaïs Vidrel, será visible con unos simples prismáticos.",
         "pt": "Segundo a investigadora Anaïs Vidrel, será visível com uns simples binóculos.",
         "de": "Laut der Forscherin Anaïs Vidrel wird er schon mit einem einfachen Fernglas sichtbar sein."},
        {"fr": "Le télescope utilisé a été mis en service il y a seulement deux ans.",
         "es": "El telescopio utilizado entró en servicio hace solo dos años.",
         "pt": "O telescópio utilizado entrou em funcionamento há apenas dois anos.",
         "de": "Das verwendete Teleskop wurde erst vor zwei Jahren in Betrieb genommen."},
        {"fr": "La comète met environ 4000 ans à faire le tour du Soleil.",
         "es": "El cometa tarda unos 4000 años en dar la vuelta al Sol.",
         "pt": "O cometa demora cerca de 4000 anos a dar a volta ao Sol.",
         "de": "Der Komet braucht etwa 4000 Jahre für einen Umlauf um die Sonne."},
        {"fr": "Il n'existe aucun risque de collision.",
         "es": "No existe ningún riesgo de colisión.",
         "pt": "Não existe qualquer risco de colisão.",
         "de": "Es besteht keinerlei Kollisionsgefahr."},
    ],
]

# Hand-written faults: (story, row, lang, perturbed sentence with the gold span in ⟦ ⟧, kind).
# ⟦⟧ alone marks where dropped words were.
HAND: list[tuple[int, int, str, str, str]] = [
    (0, 0, "it", "Il consiglio comunale di Valmora ha approvato martedì un bilancio di 48 ⟦⟧ di euro per il nuovo ponte.", "drop"),
    (0, 2, "es", "La alcaldesa Elena Ruskin dijo que el viejo puente ⟦no⟧ se había vuelto demasiado peligroso para los camiones pesados.", "negate"),
    (0, 3, "pt", "Dois vereadores da oposição votaram ⟦a favor do⟧ plano, invocando o custo.", "swap"),
    (0, 4, "en", "The bridge will carry around 20,000 vehicles a day, more than ⟦the current⟧.", "comparison"),
    (0, 1, "pt", "As obras começarão em ⟦maio⟧ e deverão durar cerca de três anos.", "swap"),
    (1, 0, "fr", "Le musée municipal de Lindau présente à partir de ⟦lundi⟧ 120 dessins du peintre Karl Obermayr.", "swap"),
    (1, 1, "it", "La maggior parte delle opere ⟦è stata spesso⟧ esposta al pubblico.", "negate"),
    (1, 5, "es", "La comisaria espera más visitantes que ⟦⟧.", "comparison"),
    (1, 4, "de", "Kinder unter 16 Jahren haben ⟦keinen⟧ freien Eintritt.", "negate"),
    (2, 1, "pt", "As vendas ⟦caíram⟧ 7 por cento, sobretudo graças à forte procura na Ásia.", "swap"),
    (2, 3, "fr", "La directrice générale Mara Lindqvist a averti que la hausse des prix ⟦⟧ pourrait peser sur les marges.", "drop"),
    (2, 5, "de", "Analysten hatten mit einem ⟦höheren⟧ Gewinn gerechnet.", "swap"),
    (2, 2, "en", "The company plans to ⟦close⟧ four new factories in Vietnam next year.", "swap"),
    (3, 2, "pt", "⟦Há⟧ vítimas mortais, segundo os serviços de emergência.", "negate"),
    (3, 3, "it", "Diverse strade restano chiuse e quaranta scuole rimarranno ⟦aperte⟧ lunedì.", "swap"),
    (3, 1, "en", "The Calvo river rose above its ⟦⟧ early on Sunday.", "drop"),
    (4, 0, "it", "La keniana Ruth Achieng ha vinto domenica la maratona di ⟦Losanna⟧ in 2 ore 21 minuti e 9 secondi.", "entity"),
    (4, 2, "fr", "Chez les hommes, l'Éthiopien Dawit Bekele s'est imposé ⟦largement⟧ devant son compatriote.", "swap"),
    (4, 5, "de", "Die Veranstalter wollen das Rennen im nächsten Jahr ⟦nicht⟧ auf Oktober verschieben.", "negate"),
    (5, 1, "es", "Pasará a unos 90 millones de kilómetros de ⟦Marte⟧ en enero.", "entity"),
    (5, 3, "pt", "O telescópio utilizado entrou em funcionamento há ⟦mais de vinte⟧ anos.", "swap"),
    (5, 5, "de", "Es besteht ⟦ein hohes⟧ Kollisionsrisiko.", "negate"),
    (5, 4, "fr", "La comète met environ 4000 ans ⟦de plus que à faire le tour⟧.", "comparison"),
]


# --- Text+Berg --------------------------------------------------------------------------

def read_textberg(folder: str | Path, src: str = "de", tgt: str = "fr", min_words: int = 4) -> list[dict[str, str]]:
    """Gold 1-1 rows of a Text+Berg split (``dev.de``, ``dev.fr``, ``dev.defr``), in order,
    both sides with at least ``min_words`` tokens."""
    folder = Path(folder)
    a = (folder / f"dev.{src}").read_text(encoding="utf-8").split("\n")
    b = (folder / f"dev.{tgt}").read_text(encoding="utf-8").split("\n")
    rows = []
    for line in (folder / f"dev.{src}{tgt}").read_text(encoding="utf-8").splitlines():
        left, right = (part.strip("[] ") for part in line.split(":"))
        if left and right and "," not in left and "," not in right:
            sa, sb = a[int(left)].strip(), b[int(right)].strip()
            if sa and sb and len(sa.split()) >= min_words and len(sb.split()) >= min_words:
                rows.append({src: sa, tgt: sb})
    return rows


# --- automatic perturbations ------------------------------------------------------------

def _tokens(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in TOKEN.finditer(text)]


def _wordlike(tok: str) -> bool:
    return any(c.isalnum() for c in tok)


def _gap_gold(text: str, at: int) -> tuple[int, int]:
    """The words on both sides of position ``at`` (the place of a removal)."""
    toks = [(m.start(), m.end()) for m in WORDS.finditer(text)]
    left = [t for t in toks if t[1] <= at]
    right = [t for t in toks if t[0] >= at]
    start = left[-1][0] if left else (right[0][0] if right else at)
    end = right[0][1] if right else (left[-1][1] if left else at)
    return start, end


def _join(text: str, start: int, end: int, insert: str = "") -> tuple[str, int]:
    """``text`` with ``[start, end)`` replaced by ``insert``, spaces tidied; where it went."""
    head, tail = text[:start].rstrip(), text[end:].lstrip()
    sep = " " if head and tail and tail[0] not in ".,;:!?)" else ""
    if insert:
        return head + (" " if head else "") + insert + sep + tail, len(head) + (1 if head else 0)
    return head + sep + tail, len(head) + len(sep) if head else 0


def drop(text: str, lang: str, rng: random.Random) -> tuple[str, tuple[int, int]] | None:
    """Remove a comma-delimited clause, or 2-4 words around the rarest word."""
    clauses = [m for m in re.finditer(r",[^,;]{8,60}(?=[,;.])", text) if len(m.group().split()) <= 8]
    if clauses and rng.random() < 0.5:
        m = rng.choice(clauses)
        new, at = _join(text, m.start(), m.end())
        return new, _gap_gold(new, at)
    toks = [t for t in _tokens(text) if _wordlike(text[t[0]:t[1]])]
    if len(toks) < 6:
        return None
    cand = list(range(1, len(toks) - 1))
    k = min(cand, key=lambda i: (zipf_frequency(text[toks[i][0]:toks[i][1]], lang), rng.random()))
    width = rng.randint(1, 3)
    lo = max(1, k - rng.randint(0, width - 1))
    hi = min(len(toks) - 1, lo + width)
    new, at = _join(text, toks[lo][0], toks[hi - 1][1])
    return new, _gap_gold(new, at)


def number(text: str, lang: str, rng: random.Random) -> tuple[str, tuple[int, int]] | None:
    """Change one digit of a number (never to the same value)."""
    nums = list(NUMBER.finditer(text))
    if not nums:
        return None
    m = rng.choice(nums)
    digits = [i for i, c in enumerate(m.group()) if c.isdigit()]
    i = rng.choice(digits)
    old = m.group()[i]
    new_digit = rng.choice([d for d in "123456789" if d != old])
    value = m.group()[:i] + new_digit + m.group()[i + 1:]
    return text[:m.start()] + value + text[m.end():], (m.start(), m.start() + len(value))


def _names(text: str, lang: str, others: list[str]) -> list[tuple[int, int]]:
    """Names: capitalised, rare, not sentence-initial, and written the same in another version."""
    toks = _tokens(text)
    out = []
    for k, (s, e) in enumerate(toks):
        w = text[s:e].strip(".,;:!?()«»\"'")
        if (k > 0 and len(w) > 2 and w[:1].isupper() and w[1:].islower() and zipf_frequency(w, lang) < 3.0
                and any(re.search(rf"\b{re.escape(w)}\b", o) for o in others)):
            out.append((s, s + len(w)))
    return out


def entity(text: str, lang: str, rng: random.Random, pool: list[str],
           others: list[str]) -> tuple[str, tuple[int, int]] | None:
    """Replace a name by another name of the story."""
    names = _names(text, lang, others)
    if not names:
        return None
    s, e = rng.choice(names)
    candidates = [p for p in pool if p != text[s:e] and p not in text]
    if not candidates:
        return None
    new = rng.choice(candidates)
    return text[:s] + new + text[e:], (s, s + len(new))


def negate_de(text: str, lang: str, rng: random.Random) -> tuple[str, tuple[int, int]] | None:
    """German: ``nicht`` before the last word of a main clause when that word is lower-case
    (a verb part, participle or adjective: German nouns are capitalised)."""
    if lang != "de" or re.search(r"\b(nicht|kein\w*|nie)\b", text, re.I) or "," in text:
        return None
    toks = [t for t in _tokens(text) if _wordlike(text[t[0]:t[1]])]
    if len(toks) < 5 or not text[toks[-1][0]].islower():
        return None
    s = toks[-1][0]
    return text[:s] + "nicht " + text[s:], (s, s + 5)


def order(text: str, lang: str, rng: random.Random) -> tuple[str, tuple[int, int]] | None:
    """Shuffle a window of 4-7 words (the shuffle must change the order)."""
    toks = _tokens(text)
    if len(toks) < 7:
        return None
    width = min(len(toks) - 1, rng.randint(4, 7))
    lo = rng.randint(0, len(toks) - width)
    words = [text[s:e] for s, e in toks[lo:lo + width]]
    shuffled = words[:]
    for _ in range(10):
        rng.shuffle(shuffled)
        if shuffled != words:
            break
    start, end = toks[lo][0], toks[lo + width - 1][1]
    new = " ".join(shuffled)
    return text[:start] + new + text[end:], (start, start + len(new))


def loop(text: str, lang: str, rng: random.Random) -> tuple[str, tuple[int, int]] | None:
    """Repeat a phrase of 3-5 words right after itself."""
    toks = _tokens(text)
    if len(toks) < 6:
        return None
    width = rng.randint(3, min(5, len(toks) - 2))
    lo = rng.randint(0, len(toks) - width - 1)
    start, end = toks[lo][0], toks[lo + width - 1][1]
    phrase = text[start:end]
    return text[:end] + " " + phrase + text[end:], (end + 1, end + 1 + len(phrase))


def replace(text: str, lang: str, rng: random.Random, pool: list[str]) -> tuple[str, tuple[int, int]] | None:
    """Another story's sentence in the same language instead of this one."""
    candidates = [p for p in pool if p != text]
    if not candidates:
        return None
    new = rng.choice(candidates)
    return new, (0, len(new))


AUTO = {"drop": drop, "number": number, "entity": entity, "negate": negate_de, "order": order, "loop": loop,
        "replace": replace}


def _perturb_story(rows: list[dict[str, str]], sid: str, source: str, rng: random.Random,
                   kinds: list[str], foreign: dict[str, list[str]] | None = None) -> list[Case]:
    langs = list(rows[0])
    def others(r: dict[str, str], lang: str) -> list[str]:
        return [t for lg, t in r.items() if lg != lang]

    pools = {lang: sorted({r[lang][s:e] for r in rows for s, e in _names(r[lang], lang, others(r, lang))})
             for lang in langs}
    cases = []
    for kind in kinds:
        fn = AUTO[kind]
        tries = [(k, lang) for k in range(len(rows)) for lang in langs]
        rng.shuffle(tries)
        for k, lang in tries:
            text = rows[k][lang]
            if kind == "entity":
                out = fn(text, lang, rng, pools[lang], others(rows[k], lang))
            elif kind == "replace":
                out = fn(text, lang, rng, (foreign or {}).get(lang, []))
            else:
                out = fn(text, lang, rng)
            if out is None or out[0] == text:
                continue
            new_rows = [dict(r) for r in rows]
            new_rows[k][lang] = out[0]
            cases.append(Case(f"{sid}-{kind}", kind, new_rows, lang, k, out[1], source, {"original": text}))
            break
    return cases


def _hand_cases() -> list[Case]:
    out = []
    for n, (story, k, lang, marked, kind) in enumerate(HAND):
        m = MARK.search(marked)
        before, inside, after = marked[:m.start()], m.group(1), marked[m.end():]
        if inside:
            text, gold = before + inside + after, (len(before), len(before) + len(inside))
        else:
            text, at = _join(before + after, len(before), len(before))
            gold = _gap_gold(text, at)
        rows = [dict(r) for r in STORIES[story]]
        original = rows[k][lang]
        rows[k][lang] = text
        out.append(Case(f"hand{n}-{kind}", kind, rows, lang, k, gold, "madeup", {"original": original}))
    return out


def build_suite(textberg: str | Path | None = None, *, story_rows: int = 10, max_stories: int = 30,
                seed: int = 13) -> tuple[list[Case], list[Case]]:
    """(clean stories, perturbed cases): made-up stories and Text+Berg chunks of ``story_rows``."""
    rng = random.Random(seed)
    clean: list[Case] = [Case(f"madeup{i}", "clean", [dict(r) for r in s], source="madeup")
                         for i, s in enumerate(STORIES)]
    perturbed = _hand_cases()
    auto = ["drop", "number", "entity", "order", "loop", "replace"]

    def foreign(stories: list[list[dict[str, str]]], i: int) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for n, story in enumerate(stories):
            if n != i:
                for r in story:
                    for lang, t in r.items():
                        out.setdefault(lang, []).append(t)
        return out

    for i, s in enumerate(STORIES):
        perturbed += _perturb_story(s, f"madeup{i}", "madeup", rng, auto, foreign(STORIES, i))
    if textberg:
        rows = read_textberg(textberg)
        chunks = [rows[k:k + story_rows] for k in range(0, len(rows) - story_rows + 1, story_rows)][:max_stories]
        for i, chunk in enumerate(chunks):
            clean.append(Case(f"tb{i}", "clean", chunk, source="textberg"))
            perturbed += _perturb_story(chunk, f"tb{i}", "textberg", rng, [*auto, "negate"], foreign(chunks, i))
    return clean, perturbed


# --- NTREX stories, one version perturbed, evaluated through the whole engine ------------

NTREX_LANGS = ("en", "de", "fr", "es", "pt", "it", "nl", "pl", "ru", "zh", "ja", "ar")
TYPES = ("entity", "negation", "clause", "sentence", "number", "literal", "duplicate", "untranslated", "verb")
CASED = frozenset(NTREX_LANGS) - {"zh", "ja", "ar"}
UNSPACED = frozenset({"zh", "ja"})
#: The languages each type can be generated in (names need capitals; literal renderings a
#: space-delimited vocabulary; verbs a recognisable inflection).
TYPE_LANGS = {
    "entity": tuple(sorted(CASED)),
    "literal": ("de", "es", "fr", "it", "nl", "pl", "pt", "ru"),
    "verb": tuple(sorted(frozenset(NTREX_LANGS) - {"zh", "ar"})),
}
#: Finite auxiliaries and copulas after (or before) which a negator goes, per language.
_NEG_INSERT = {
    "en": ("after", "is are was were will can could would should has have had may might must does did", "not"),
    "de": ("after", "ist sind war waren wird werden hat haben hatte hatten kann können konnte muss soll sollte "
                    "will würde würden", "nicht"),
    "nl": ("after", "is zijn was waren heeft hebben had wordt worden zal kan moet", "niet"),
    "es": ("before", "es son era eran fue fueron ha han había será puede pueden está están", "no"),
    "it": ("before", "è sono era erano ha hanno aveva sarà può possono", "non"),
    "pt": ("before", "é são era eram foi foram tem têm será pode podem está estão há", "não"),
    "pl": ("before", "jest są był była było byli będzie może mają ma", "nie"),
    "ru": ("before", "был была было были будет может могут является стал стала стали", "не"),
}
_FR_AUX = "est sont était étaient a ont avait avaient sera seront peut peuvent doit doivent va vont".split()
_ZH_NEG = (("有", "没"), ("是", "不"), ("会", "不"), ("能", "不"), ("可以", "不"), ("要", "不"))
_JA_NEG = (("ました", "ませんでした"), ("ます", "ません"), ("です", "ではありません"), ("である", "ではない"))
#: Inflections that mark a verb form, per language (past tense or participle).
_VERB = {
    "en": r"[a-z]{4,}ed", "de": r"ge[a-zäöüß]{3,}(?:t|en)", "nl": r"ge[a-z]{3,}[dt]",
    "fr": r"[a-zéèêàâîôûç]{3,}é", "es": r"[a-záéíóúñ]{3,}(?:ó|aron|ieron|[^b]ado|ido)",
    "pt": r"[a-záéíóúãõâêôç]{3,}(?:ou|aram|ado|ido)", "it": r"[a-zàèéìòù]{3,}(?:ato|ito|uto)",
    "pl": r"[a-ząćęłńóśźż]{3,}(?:ł|ła|ło|li|ły)", "ru": r"[а-яё]{3,}(?:л|ла|ло|ли)",
    "ja": r"[\u4e00-\u9fff]{2}(?=し|さ|する)",
}
_CLAUSE_SEP = re.compile(r"[,，、،]")
_NUM = re.compile(r"\d+")


@dataclass
class StoryCase:
    """A story (``{lang: lines}``) whose ``lang`` version was perturbed at line ``line``."""

    id: str
    kind: str
    lang: str
    versions: dict[str, list[str]]
    line: int
    gold: tuple[int, int]  # in the perturbed line (a point, start == end, for a removal)
    original: str


class _Data:
    """What the generators draw on: the corpus's lines, its names and vocabularies."""

    def __init__(self, docs: list[tuple[str, dict[str, list[str]]]], rng: random.Random, embed) -> None:
        self.docs, self.rng, self.embed = docs, rng, embed
        self._names: dict[str, list[tuple[str, str]]] = {}
        self._vocab: dict[str, tuple[list[str], object]] = {}
        self._verbs: dict[str, list[str]] = {}

    def names(self, lang: str) -> list[tuple[str, str]]:
        """(document, name) pairs of the corpus in ``lang`` that another version writes alike."""
        if lang not in self._names:
            from xlingo.names import extract
            out = []
            for doc, versions in self.docs:
                other = "de" if lang == "en" else "en"
                for line, ref in zip(versions[lang], versions[other]):
                    for m in extract(line, lang):
                        if not m.initial and _kept(m.text, ref):
                            out.append((doc, m.text))
            self._names[lang] = sorted(set(out))
        return self._names[lang]

    def verbs(self, lang: str) -> list[str]:
        if lang not in self._verbs:
            pat = re.compile(_VERB[lang])
            words = Counter(w for _, v in self.docs for line in v[lang] for w in
                            (pat.findall(line) if lang in UNSPACED else re.findall(r"\w+", line))
                            if lang in UNSPACED or pat.fullmatch(w))
            self._verbs[lang] = sorted(w for w, n in words.items() if n >= 2)
        return self._verbs[lang]

    def translate_word(self, word: str, lang: str) -> str | None:
        """The word of ``lang``'s corpus vocabulary nearest to ``word`` by the encoder."""
        if lang not in self._vocab:
            words = Counter(w.lower() for _, v in self.docs for line in v[lang] for w in re.findall(r"[^\W\d_]{3,}", line))
            vocab = sorted(w for w, n in words.items() if n >= 2 and zipf_frequency(w, lang) >= 3.0
                           and zipf_frequency(w, lang) > zipf_frequency(w, "en") + 0.5)
            self._vocab[lang] = (vocab, self.embed(vocab))
        vocab, vecs = self._vocab[lang]
        if not vocab:
            return None
        best = vocab[int((vecs @ self.embed([word.lower()])[0]).argmax())]
        return None if best == word.lower() else best


def _kept(name: str, text: str) -> bool:
    """Every word of the name appears in ``text`` (across scripts)."""
    from anyascii import anyascii

    from xlingo.names import fold
    words = re.findall(r"[a-z0-9]+", fold(anyascii(text)))
    return all(any(w == x or (len(x) >= 5 and w.startswith(x[:-2]) and abs(len(w) - len(x)) <= 3) for w in words)
               for x in re.findall(r"[a-z0-9]{3,}", fold(anyascii(name))))


def _p_entity(line: str, lang: str, row: dict[str, str], data: _Data, doc: str):
    from xlingo.names import extract
    ms = [m for m in extract(line, lang) if not m.initial and all(_kept(m.text, t) for lg, t in row.items() if lg != lang)]
    if not ms:
        return None
    m = data.rng.choice(ms)
    pool = [n for d, n in data.names(lang) if d != doc and len(n.split()) == len(m.text.split())
            and not any(_kept(n, t) for t in row.values())]
    if not pool:
        return None
    new = data.rng.choice(pool)
    return line[:m.start] + new + line[m.end:], (m.start, m.start + len(new))


_CLAUSE_END = re.compile(r"[,;:.!?，；：。！？]")


def _negated(line: str, start: int, end: int, lang: str) -> bool:
    """The clause of the auxiliary at ``start..end`` already holds a negation: a second one would
    stutter (``no es`` -> ``no no es``) or cancel it (``zijn niet ... geen``), not reverse the clause."""
    from xlingo.check.invariants import negations
    cuts = [m.start() for m in _CLAUSE_END.finditer(line)]
    lo = max([c for c in cuts if c < start], default=-1)
    hi = min([c for c in cuts if c >= end], default=len(line))
    return any(lo < c.start and c.end <= hi + 1 for c in negations(line, lang))


def _p_negation(line: str, lang: str, row: dict[str, str], data: _Data, doc: str):
    from xlingo.check.invariants import negation_cues, negations
    if len(negations(line, lang)) == 1 and data.rng.random() < 0.5:
        cues = negation_cues(line, lang)
        if lang == "ja":
            for neg, pos in (("ませんでした", "ました"), ("ません", "ます"), ("ない", "る")):
                if neg in line:
                    at = line.index(neg)
                    return line[:at] + pos + line[at + len(neg):], (at, at + len(pos))
            return None
        out, shift, at = line, 0, cues[0].start
        for c in cues:
            parts = [(c.start, c.end)] if lang != "fr" else [(m.start() + c.start, m.end() + c.start)
                                                              for m in re.finditer(r"n['’]|ne\b|\w+$", line[c.start:c.end])]
            for s, e in parts:
                s, e = s - shift, e - shift
                e2 = e + (1 if e < len(out) and out[e] == " " and not out[s:e].endswith(("'", "’")) else 0)
                out = out[:s] + out[e2:]
                shift += e2 - s
        return out, (at, at)
    if lang == "fr":
        m = next((m for m in re.finditer(r"\b(" + "|".join(_FR_AUX) + r")\b", line)
                  if not _negated(line, m.start(), m.end(), lang)), None)
        if not m or m.start() == 0:
            return None
        neg = ("n'" if m.group()[0] in "aeéiou" else "ne ") + m.group() + " pas"
        return line[:m.start()] + neg + line[m.end():], (m.start(), m.start() + len(neg))
    if lang == "zh":
        from xlingo.annotate.wordalign import split_words
        words = {(w.start, w.end) for w in split_words(line)}
        for word, neg in _ZH_NEG:  # the word on its own (not 是 of 是否, whether), in a clause not negated yet
            for m in re.finditer(re.escape(word), line):
                at = m.start()
                if at > 0 and (at, m.end()) in words and not _negated(line, at, m.end(), lang):
                    return line[:at] + neg + line[at:], (at, at + len(neg) + len(word))
        return None
    if lang == "ja":
        for pos, neg in _JA_NEG:
            at = line.find(pos)
            if at > 0:
                return line[:at] + neg + line[at + len(pos):], (at, at + len(neg))
        return None
    if lang == "ar":
        m = re.search(r"(?<=\s)ي\w{2,}", line)
        if not m:
            return None
        return line[:m.start()] + "لا " + line[m.start():], (m.start(), m.start() + 2)
    where, words, neg = _NEG_INSERT[lang]
    m = next((m for m in re.finditer(r"(?<!\w)(" + "|".join(words.split()) + r")(?!\w)", line)
              if not _negated(line, m.start(), m.end(), lang)), None)
    if not m or m.start() == 0:
        return None
    if where == "after":
        return line[:m.end()] + " " + neg + line[m.end():], (m.end() + 1, m.end() + 1 + len(neg))
    return line[:m.start()] + neg + " " + line[m.start():], (m.start(), m.start() + len(neg))


def _p_clause(line: str, lang: str, row: dict[str, str], data: _Data, doc: str):
    cuts = [m.start() for m in _CLAUSE_SEP.finditer(line)]
    end = len(line.rstrip(".!?。！？\"'”»"))
    spans = [(a, b) for a, b in zip(cuts, cuts[1:] + [end]) if b - a < len(line) / 2
             and (b - a >= 8 if lang in UNSPACED else len(line[a:b].split()) >= 3)]
    if not spans:
        return None
    a, b = data.rng.choice(spans)
    return line[:a] + line[b:], (a, a)


def _p_number(line: str, lang: str, row: dict[str, str], data: _Data, doc: str):
    nums = list(_NUM.finditer(line))
    if not nums:
        return None
    m = data.rng.choice(nums)
    digits = m.group()
    i = data.rng.randrange(len(digits))
    choices = [d for d in "0123456789" if d != digits[i] and not (i == 0 and d == "0")]
    new = digits[:i] + data.rng.choice(choices) + digits[i + 1:]
    return line[:m.start()] + new + line[m.end():], (m.start(), m.end())


def _p_literal(line: str, lang: str, row: dict[str, str], data: _Data, doc: str):
    from xlingo.names import extract
    others = [t for lg, t in row.items() if lg != lang]
    for m in data.rng.sample(extract(line, lang), k=len(extract(line, lang))):
        words = m.text.split()
        if len(words) < 2 or not any(_kept(m.text, t) for t in others):
            continue
        ordinary = [w for w in words if zipf_frequency(w.lower(), "en") >= 3.5 and zipf_frequency(w.lower(), lang) < 3.0]
        if not ordinary:
            continue
        out = []
        for w in words:
            t = data.translate_word(w, lang) if w in ordinary else None
            out.append(t[:1].upper() + t[1:] if t else w)
        new = " ".join(out)
        if new.lower() == m.text.lower():
            continue
        return line[:m.start] + new + line[m.end:], (m.start, m.start + len(new))
    return None


def _p_duplicate(line: str, lang: str, row: dict[str, str], data: _Data, doc: str):
    if lang in UNSPACED:
        if len(line) < 16:
            return None
        n = data.rng.randint(4, 8)
        a = data.rng.randrange(0, len(line) - n - 2)
        return line[:a + n] + line[a:a + n] + line[a + n:], (a + n, a + 2 * n)
    toks = list(re.finditer(r"\S+", line))
    if len(toks) < 7:
        return None
    n = data.rng.randint(3, 5)
    i = data.rng.randrange(0, len(toks) - n)
    a, b = toks[i].start(), toks[i + n - 1].end()
    phrase = line[a:b].rstrip(",.;:")
    end = a + len(phrase)
    return line[:end] + " " + phrase + line[end:], (end + 1, end + 1 + len(phrase))


def _p_verb(line: str, lang: str, row: dict[str, str], data: _Data, doc: str):
    pat = re.compile(_VERB[lang])
    found = list(pat.finditer(line)) if lang in UNSPACED else \
        [m for m in re.finditer(r"\w+", line) if pat.fullmatch(m.group())]
    pool = data.verbs(lang)
    if not found or len(pool) < 10:
        return None
    m = data.rng.choice(found)
    new = data.rng.choice([v for v in pool if v[:4] != m.group()[:4]])
    return line[:m.start()] + new + line[m.end():], (m.start(), m.start() + len(new))


_GENERATORS = {"entity": _p_entity, "negation": _p_negation, "clause": _p_clause, "number": _p_number,
               "literal": _p_literal, "duplicate": _p_duplicate, "verb": _p_verb}


def suite_languages(folder: str | Path) -> tuple[str, ...]:
    """The folder's languages (:func:`ntrex.ntrex_languages`), those of :data:`NTREX_LANGS` first in
    its order (the draws of a 12-language folder stay what they were), then the others."""
    from ntrex import ntrex_languages

    found = ntrex_languages(folder)
    if "en" not in found:
        raise SystemExit(f"{folder}: the suite needs the English version (ntrex.en): names and untranslated "
                         "sentences are drawn from it")
    return tuple(lg for lg in NTREX_LANGS if lg in found) + tuple(lg for lg in found if lg not in NTREX_LANGS)


def type_languages(kind: str, present: Sequence[str]) -> tuple[str, ...]:
    """The languages of ``present`` a type can be made in: those with the resources its generator
    needs (capitals, a vocabulary, auxiliaries, verb inflections); any language for the others."""
    if kind in TYPE_LANGS:
        return tuple(lg for lg in TYPE_LANGS[kind] if lg in present)
    made_in = (*_NEG_INSERT, "fr", "zh", "ja", "ar") if kind == "negation" else present
    return tuple(lg for lg in present if lg in made_in)


def ntrex_suite(folder: str | Path, embed, *, per_type: int = 12, story_lines: int = 8, versions: int = 3,
                seed: int = 13) -> list[StoryCase]:
    """``per_type`` cases of each type, the perturbed language cycling through the languages
    the type can be made in; each story a chunk of ``story_lines`` lines of one document, in
    the perturbed language and ``versions - 1`` others drawn at random."""
    from ntrex import load_documents

    rng = random.Random(seed)
    present = suite_languages(folder)
    docs = load_documents(folder, present)
    chunks = [(doc, {lg: v[lg][k:k + story_lines] for lg in present})
              for doc, v in docs for k in range(0, len(v[present[0]]), story_lines) if len(v[present[0]]) - k >= 4]
    data = _Data(docs, rng, embed)
    cases = []
    for kind in TYPES:
        langs = type_languages(kind, present)
        for n in range(per_type if langs else 0):
            lang = langs[n % len(langs)]
            for _ in range(300):
                doc, chunk = rng.choice(chunks)
                others = rng.sample([lg for lg in present if lg != lang], versions - 1)
                k = rng.randrange(len(chunk[lang]))
                line = chunk[lang][k]
                row = {lg: chunk[lg][k] for lg in [lang, *others]}
                if kind == "sentence":
                    out = ("", (0, 0))
                elif kind == "untranslated":
                    src = "en" if lang != "en" else "fr"
                    out = (chunk[src][k], (0, len(chunk[src][k]))) if src in chunk and src not in others else None
                else:
                    out = _GENERATORS[kind](line, lang, row, data, doc)
                if out is None or out[0] == line:
                    continue
                story = {lg: list(chunk[lg]) for lg in [lang, *others]}
                if kind == "sentence":
                    del story[lang][k]
                else:
                    story[lang][k] = out[0]
                cases.append(StoryCase(f"{kind}{n}-{lang}-{doc}", kind, lang, story, k, out[1], line))
                break
    return cases


def write_suite(path: str | Path, cases: Sequence[StoryCase], draw: dict[str, int]) -> None:
    """Save drawn cases and the settings they were drawn with (``draw``) as JSON, atomically."""
    import json

    from xlingo.output import write_atomic

    text = json.dumps({"draw": draw, "cases": [asdict(c) for c in cases]}, ensure_ascii=False, indent=1)
    write_atomic(Path(path), text + "\n")


def read_suite(path: str | Path) -> tuple[list[StoryCase], dict[str, int]]:
    """Cases saved by :func:`write_suite`, and the settings they were drawn with."""
    import json

    saved = json.loads(Path(path).read_text(encoding="utf-8"))
    return [StoryCase(**{**c, "gold": tuple(c["gold"])}) for c in saved["cases"]], saved["draw"]


def suite_digest(cases: Sequence[StoryCase]) -> str:
    """A short digest of the cases: two reports with the same digest scored the same stories."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps([asdict(c) for c in cases], ensure_ascii=False).encode()).hexdigest()[:16]


def gold_in_document(case: StoryCase) -> tuple[int, int]:
    """The gold span as offsets into the perturbed version's text (lines joined by newlines)."""
    lines = case.versions[case.lang]
    offset = sum(len(t) + 1 for t in lines[:case.line])
    if case.kind == "sentence":
        at = offset if case.line < len(lines) else max(0, offset - 1)
        return at, at
    return offset + case.gold[0], offset + case.gold[1]


def is_hit(f, case: StoryCase, gold: tuple[int, int], slack: int = 2) -> bool:
    """A finding on the perturbed version overlapping the gold span (near it, for a removal)."""
    if f.doc != case.lang:
        return False
    if gold[0] == gold[1]:
        return f.start - slack <= gold[0] <= f.end + slack
    return f.start < gold[1] and f.end > gold[0] or (f.start == f.end and gold[0] <= f.start <= gold[1])


def unperturbed(case: StoryCase) -> dict[str, list[str]]:
    """The story's versions as they were before the perturbation."""
    lines = list(case.versions[case.lang])
    if case.kind == "sentence":
        lines.insert(case.line, case.original)
    else:
        lines[case.line] = case.original
    return {**case.versions, case.lang: lines}


def shaded(story, before, case: StoryCase, gold: tuple[int, int]) -> bool:
    """Whether the viewer shades the perturbation: an unsure word on its span, or, in the row
    holding it, a word of another version marked as missing from the perturbed version alone that
    the story without the perturbation (``before``) does not mark."""
    known = {(u.word.doc, u.word.text, u.missing_from) for row in before.alignment for u in row.unsure_words}
    doc = story.document(case.lang)
    for row in story.alignment:
        ids = row.cells.get(case.lang)
        if not ids:
            continue
        start, end = doc.sentences_span(ids)
        if not start <= gold[0] <= end:
            continue
        if any(u.word.doc == case.lang and u.word.start < max(gold[1], gold[0] + 1) and u.word.end > gold[0]
               or u.missing_from == (case.lang,) and (u.word.doc, u.word.text, u.missing_from) not in known
               for u in row.unsure_words):
            return True
    return False


def data_defects(findings, hits, review: dict, document: str) -> int:
    """How many of ``findings``, not ``hits`` of the perturbation, a person's review of the
    clean document marks as defects of the data itself (a misspelt name, an unclosed quote)."""
    from ntrex_clean import verdict_of

    return sum(1 for f in findings if f not in hits and verdict_of(review, document, f) == "defect")


def finding_key(f) -> tuple[str, str, str]:
    """What makes two findings of a story and its perturbed copy the same: rule, version, text."""
    return f.rule, f.doc, " ".join(f.text.split())


def main(argv=None) -> int:
    import json
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from mqm import fold_models
    from ntrex import DEFAULT_CACHE, DEFAULT_DATA, cached_engine, documents
    from ntrex_clean import read_review

    from xlingo.config import Settings
    from xlingo.model import Severity

    ap = argparse.ArgumentParser(description="Perturbation suite on NTREX stories: recall and precision per type.")
    ap.add_argument("folder", nargs="?", default=str(DEFAULT_DATA), help="ntrex-dev folder")
    ap.add_argument("--per-type", type=int, default=12)
    ap.add_argument("--story-lines", type=int, default=8)
    ap.add_argument("--versions", type=int, default=3)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--ignore", default="", help="rule codes or prefixes to switch off (e.g. XL8 for a 'before')")
    ap.add_argument("--cache", default=str(DEFAULT_CACHE))
    ap.add_argument("--show", action="store_true", help="print every case and its findings")
    ap.add_argument("--cv-models", help="folder of fold models (training/train_meaning.py --cv-out): each story "
                    "is checked by the meaning model trained without its document")
    ap.add_argument("--types", default="", help="comma-separated types to run (the cases are drawn as for all types)")
    ap.add_argument("--review", help="findings read by a person (ntrex_clean.py's TSV): reviewed precision")
    ap.add_argument("--suite", help="the drawn cases as JSON: read when the file exists (its seed and sizes "
                    "replace the options'), else drawn and written there: the same cases for two versions of the code")
    ap.add_argument("--json", default="reports/bench/perturb.json")
    args = ap.parse_args(argv)
    review = read_review(args.review) if args.review else None
    only = {t for t in args.types.split(",") if t}
    ignore = tuple(c for c in args.ignore.split(",") if c)
    engine = cached_engine(args.cache, Settings(ignore=ignore))
    try:
        if args.suite and Path(args.suite).exists():
            cases, draw = read_suite(args.suite)
            vars(args).update(draw)
        else:
            cases = ntrex_suite(args.folder, engine.embedder, per_type=args.per_type, story_lines=args.story_lines,
                                versions=args.versions, seed=args.seed)
            if args.suite:
                write_suite(args.suite, cases, {"seed": args.seed, "per_type": args.per_type,
                                                "story_lines": args.story_lines, "versions": args.versions})
        stats: dict[str, Counter] = {k: Counter() for k in TYPES}
        caught_by: dict[str, Counter] = {k: Counter() for k in TYPES}
        by_rule: Counter[tuple[str, str]] = Counter()  # (rule, "hits" | "findings")
        folds = fold_models(args.cv_models)
        for case in cases:
            if only and case.kind not in only:
                continue
            if args.cv_models:
                engine.meaning_model = folds[f"ntrex:{case.id.split('-', 2)[2]}"]
            story = engine.build_story(documents(case.versions), story_id=case.id)
            gold = gold_in_document(case)
            flagged = [f for f in story.findings if f.severity >= Severity.WARNING]
            hits = [f for f in flagged if is_hit(f, case, gold)]
            shown = any(is_hit(f, case, gold) for f in story.findings)
            before = engine.build_story(documents(unperturbed(case)), story_id=case.id)
            stats[case.kind]["unsure"] += shaded(story, before, case, gold)
            known = {finding_key(f) for f in before.findings if f.severity >= Severity.WARNING}
            new = [f for f in flagged if finding_key(f) not in known]
            st = stats[case.kind]
            st["cases"] += 1
            st["recalled"] += bool(hits)
            st["shown"] += shown
            st["hits"] += len(hits)
            st["findings"] += len(flagged)
            st["new_hits"] += sum(1 for f in new if f in hits)
            st["new"] += len(new)
            if review is not None:
                st["defects"] += data_defects(flagged, hits, review, case.id.split("-", 2)[2])
            caught_by[case.kind].update({f.rule for f in hits})
            by_rule.update((f.rule, "findings") for f in flagged)
            by_rule.update((f.rule, "hits") for f in hits)
            if args.show:
                text = case.versions[case.lang][case.line] if case.kind != "sentence" else case.original
                print(f"{case.id} {'HIT' if hits else 'miss'} [{case.lang}:{case.line}] {case.original}\n"
                      f"    -> {text[:case.gold[0]]}⟦{text[case.gold[0]:case.gold[1]]}⟧{text[case.gold[1]:]}")
                for f in flagged:
                    print(f"    {'+' if f in hits else '-' if f in new else '='} {f.rule} {f.severity.value} {f.lang} row {f.row} [{f.text[:60]}]")
    finally:
        engine.encoder.save()
    result = {}
    print(f"{'type':13} cases  recall  precision  (hits/findings at warning+)  new-only  "
          f"{'reviewed  ' if review is not None else ''}shown  unsure  caught by")
    for kind in TYPES:
        st = stats[kind]
        if only and kind not in only:
            continue
        rec = st["recalled"] / st["cases"] if st["cases"] else 0.0
        prec = st["hits"] / st["findings"] if st["findings"] else 0.0
        prec_new = st["new_hits"] / st["new"] if st["new"] else None  # the perturbation made it say nothing new
        prec_reviewed = (st["hits"] + st["defects"]) / st["findings"] if st["findings"] else 0.0
        langs = sorted({c.lang for c in cases if c.kind == kind})
        shown = st["shown"] / st["cases"] if st["cases"] else 0.0
        unsure = st["unsure"] / st["cases"] if st["cases"] else None
        result[kind] = {"cases": st["cases"], "recall": round(rec, 3), "precision": round(prec, 3), "shown": round(shown, 3),
                        "unsure": None if unsure is None else round(unsure, 3),
                        "hits": st["hits"], "findings": st["findings"], "precision_new": None if prec_new is None else round(prec_new, 3),
                        "new_hits": st["new_hits"], "new_findings": st["new"], "languages": langs,
                        "caught_by": dict(caught_by[kind].most_common())}
        if review is not None:
            result[kind].update(precision_reviewed=round(prec_reviewed, 3), data_defects=st["defects"])
        print(f"{kind:13} {st['cases']:5}  {rec:6.2f}  {prec:9.2f}  ({st['hits']}/{st['findings']})  "
              f"{'-' if prec_new is None else f'{prec_new:.2f}':>8}  "
              f"{f'{prec_reviewed:8.2f}  ' if review is not None else ''}{shown:5.2f}  "
              f"{'-' if unsure is None else f'{unsure:.2f}':>6}  "
              f"{', '.join(f'{r}:{n}' for r, n in caught_by[kind].most_common(4))}")
    rules = sorted({r for r, _ in by_rule})
    print("per rule, over all perturbed stories: hits/findings at warning+ (precision)")
    print("    " + "  ".join(f"{r} {by_rule[(r, 'hits')]}/{by_rule[(r, 'findings')]}" for r in rules))
    out = {"data": "ntrex-dev", "seed": args.seed, "per_type": args.per_type, "story_lines": args.story_lines,
           "versions": args.versions, "suite": suite_digest(cases), "ignore": list(ignore),
           "cross_validated": bool(args.cv_models), "model": engine.encoder.name,
           **({"review": Path(args.review).as_posix()} if args.review else {}), "types": result,
           "rules": {r: {"hits": by_rule[(r, "hits")], "findings": by_rule[(r, "findings")]} for r in rules}}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
