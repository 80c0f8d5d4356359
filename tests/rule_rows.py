"""Made-up rows, word alignments and encoders for the rule tests.

Every sentence here is made up (no seed text). :data:`FILL` puts ordinary rows around the row
under test; :data:`CONCEPTS` is a small lexicon whose words mean the same across languages, from
which :func:`lexicon_tokens` and :func:`lexicon_embed` make token states and sentence vectors
(:func:`token_states` and :func:`sentence_vectors` do for any made-up word vectors).
"""
from __future__ import annotations

import hashlib

import numpy as np

from xlingo.annotate.wordalign import split_words
from xlingo.embed.base import TokenStates
from xlingo.testing import context_for, story_from_rows

FILL = [  # ordinary rows around the row under test
    {"en": "The council met again on Thursday evening.", "de": "Der Rat tagte am Donnerstagabend erneut.",
     "fr": "Le conseil s'est de nouveau réuni jeudi soir.", "ru": "Совет снова собрался в четверг вечером.",
     "zh": "理事会周四晚上再次开会。", "ja": "評議会は木曜日の夜に再び会合を開いた。",
     "ar": "اجتمع المجلس مرة أخرى مساء الخميس.", "es": "El consejo volvió a reunirse el jueves por la noche.",
     "pt": "O conselho voltou a reunir-se na quinta-feira à noite.",
     "it": "Il consiglio si è riunito di nuovo giovedì sera.", "pl": "Rada zebrała się ponownie w czwartek wieczorem.",
     "nl": "De raad kwam donderdagavond opnieuw bijeen.", "bg": "Съветът отново заседава в четвъртък вечерта.",
     "sv": "Rådet sammanträdde igen på torsdagskvällen."},
]


#: Made-up word alignment for the polarity tests: the words of one line mean the same (the real
#: encoder's token states do this); a word of no line gets a vector of its own.
CONCEPTS = [
    "the der die das le la el a o", "ferry fähre паром bac 渡轮 フェリー", "will wird будет",
    "run runs fährt ходить circulera circule 运行 運航", "during während время pendant",
    "storm sturms шторма tempête", "not nicht не ne pas n' 不 ません لا لم no não nie",
    "passengers 乘客 乗客", "can 可以 でき", "board 登船 乗船", "north 北门 北門", "gate",
    "minister minister ministre ministro الوزير", "attended attend venir teilnehmen يحضر asistió", "meeting الاجتماع reunión",
    "unable konnte pu", "bridge brücke pont", "is ist est", "closed gesperrt fermé",
    "cars autos voitures", "cross überqueren traverser", "it sie le", "and und et",
    "delays verspätungen retards", "unusual ungewöhnlich inhabituel", "which was ce", "school schule", "reopened geöffnet", "monday montag",
    "mayor bürgermeister maire", "approved gebilligt approuvé", "plan", "hat a",
    "talks gespräche pourparlers", "failed brachten abouti", "deal einigung accord",
    "today heute aujourd'hui", "river fluss",
    "bridge мост puente", "reopened открыли reabrieron", "storms stürme tormentas", "closed sperrten cerraron",
    "rare seltene inusuales", "attended حضر", "film filme", "everyone alle ninguém",
    "impossible unmöglichen imposibles", "hats hüte sombreros", "flooded überschwemmten inundaron",
    "market markt mercado",
]
CONCEPT = {w: k for k, line in enumerate(CONCEPTS) for w in line.split()}
DIM = 128


def word_vector(word: str) -> np.ndarray:
    """A unit vector per word: its :data:`CONCEPTS` line's axis plus a little noise, else noise alone."""
    key = word.casefold()
    seed = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "little")
    noise = np.random.default_rng(seed).standard_normal(DIM)
    v = np.eye(DIM)[CONCEPT[key]] + 0.05 * noise if key in CONCEPT else noise
    return v / np.linalg.norm(v)


def token_states(texts, vector) -> list[TokenStates]:
    """Token states of ``texts``: one vector per word, ``vector(word)``."""
    out = []
    for t in texts:
        words = split_words(t)
        vecs = np.stack([vector(w.text) for w in words]) if words else np.zeros((0, len(vector(""))))
        out.append(TokenStates(offsets=[(w.start, w.end) for w in words], vectors=vecs.astype(np.float32)))
    return out


def sentence_vectors(texts, vector) -> np.ndarray:
    """Sentence vectors of ``texts``: the normalised sum of ``vector(word)`` over their words."""
    out = []
    for t in texts:
        v = np.sum([vector(w.text) for w in split_words(t)] or [np.zeros(len(vector("")))], axis=0)
        out.append(v / (np.linalg.norm(v) or 1.0))
    return np.array(out, dtype=np.float32)


def lexicon_tokens(texts):
    """Token states in which the words of a :data:`CONCEPTS` line align across languages."""
    return token_states(texts, word_vector)


def lexicon_embed(texts):
    """Sentence vectors from the same lexicon: the normalised sum of the word vectors."""
    return sentence_vectors(texts, word_vector)


def run(rule, rows, embed=None, token_states=None, options=None):
    """The findings of ``rule`` (a class, with ``options``) on ``rows`` after the :data:`FILL` rows."""
    langs = list(rows[0])
    story = story_from_rows([{lg: r[lg] for lg in langs} for r in FILL] + rows)
    kwargs = {} if embed is None else {"embed": embed}
    ctx = context_for(story, token_states=token_states, **kwargs)
    return [f for f in rule(options).check(ctx)]
