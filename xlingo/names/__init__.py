"""Proper names across the versions of a story: candidates, counterparts, literal renderings.

Reusable by any rule, in three layers:

* :mod:`~xlingo.names.words` holds the lexicon (folding, word frequencies);
  :func:`tokenize` and :func:`extract` (:mod:`~xlingo.names.mentions`) find name candidates in one text, language-aware:
  words with internal capitals or digits (``iPhone``, ``H20``), acronyms, rare capitalised
  words, capitalised words mid-sentence where the language keeps common nouns lower-case
  (not German, which capitalises every noun), joined into multiword names over connectors
  (``of``, ``de la``, ``von``, ``van der``...). A second pass (:class:`NameIndex`) adds the
  occurrences of names found elsewhere in the story (a German ``Apple``, a sentence-initial
  ``Zentrix``), so that capitals that say nothing locally are read with the story's evidence;
  a third adds, row by row, close spellings of the other versions' names (a German
  ``Granit Cloud``, made of words that are common nouns there).
* :func:`relation` and :class:`NameIndex` (:mod:`~xlingo.names.index`) match candidates across the versions of a row:
  same name (casefold, accents, hyphens/spaces, genitive ``-s`` and German adjective endings
  ignored), spelling variant (character similarity), partial rendering (words shared and
  words replaced) or short form; :meth:`NameIndex.support` counts which documents use a form.
* :func:`slots`, :func:`name_spans`, :func:`is_ordinary` and :func:`calibrated` (:mod:`~xlingo.names.slots`) locate the
  words a version put where a name belongs (after "according to"/"selon"/"laut"/"segundo",
  "via", in parentheses or quotes, or any name-like span) and judge whether they are a
  word-by-word rendering: ordinary words of the version's language (wordfreq), little
  character overlap with the name, high cross-lingual similarity relative to the story's
  background similarity.
* :func:`~xlingo.names.places.same_place` knows a city's names in other languages (GeoNames).
"""
from xlingo.names.index import (
    RELATIONS,
    Cluster,
    NameIndex,
    bucket,
    contains_words,
    equivalent,
    relation,
    shared_words,
    story_names,
)
from xlingo.names.mentions import (
    INITIAL_JOIN_ZIPF,
    RARE_ZIPF,
    Mention,
    Token,
    connector_run,
    extract,
    has_shape,
    letters,
    mention_of,
    sentence_style,
    token_evidence,
    tokenize,
)
from xlingo.names.slots import (
    ANY_CUES,
    FUNCTION_ZIPF,
    POST_CUES,
    SOURCE_CUES,
    Slot,
    calibrated,
    name_ends,
    name_spans,
    slots,
)
from xlingo.names.words import (
    COMPOUNDING,
    CONNECTOR_ARTICLES,
    CONNECTORS,
    DECLINING,
    DETERMINERS,
    ELISIONS,
    GENITIVE_S,
    LOWER_CASE_COMMON,
    NOUN_CAPITALISING,
    ONE_SOUND,
    SENTENCE_CASE,
    at_home,
    base_zipf,
    capitalised_inside,
    case_stems,
    cased,
    char_similarity,
    content_words,
    fold,
    initials,
    institution,
    is_latin,
    is_ordinary,
    is_title,
    katakana_spaced,
    latin_words,
    name_words,
    nativeness,
    romanisation_key,
    same_word,
    sounds_alike,
    split_words,
    translit_words,
    transliterated,
    word_found,
    word_zipf,
)

__all__ = [
    "ANY_CUES",
    "COMPOUNDING",
    "CONNECTORS",
    "CONNECTOR_ARTICLES",
    "Cluster",
    "DECLINING",
    "DETERMINERS",
    "ELISIONS",
    "FUNCTION_ZIPF",
    "GENITIVE_S",
    "INITIAL_JOIN_ZIPF",
    "Mention",
    "LOWER_CASE_COMMON",
    "NOUN_CAPITALISING",
    "ONE_SOUND",
    "NameIndex",
    "POST_CUES",
    "RARE_ZIPF",
    "RELATIONS",
    "SENTENCE_CASE",
    "SOURCE_CUES",
    "Slot",
    "Token",
    "at_home",
    "base_zipf",
    "bucket",
    "calibrated",
    "capitalised_inside",
    "case_stems",
    "cased",
    "char_similarity",
    "connector_run",
    "contains_words",
    "content_words",
    "equivalent",
    "extract",
    "fold",
    "initials",
    "has_shape",
    "institution",
    "letters",
    "is_latin",
    "is_ordinary",
    "is_title",
    "katakana_spaced",
    "latin_words",
    "mention_of",
    "name_ends",
    "name_spans",
    "name_words",
    "nativeness",
    "relation",
    "romanisation_key",
    "same_word",
    "sentence_style",
    "shared_words",
    "slots",
    "sounds_alike",
    "split_words",
    "story_names",
    "token_evidence",
    "tokenize",
    "translit_words",
    "transliterated",
    "word_found",
    "word_zipf",
]
