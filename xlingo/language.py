"""Language identification (py3langid, offline), for documents and single sentences."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """ISO 639-1 code of the most probable language of ``text``."""
    lang, _ = _identifier().classify(text)
    return str(lang)


def language_probabilities(text: str, candidates: list[str] | tuple[str, ...] | None = None) -> dict[str, float]:
    """Normalised probabilities over ``candidates`` (or all languages) for ``text``."""
    ident = _identifier()
    ranked = ident.rank(text)
    probs = {str(lang): float(p) for lang, p in ranked}
    if candidates:
        probs = {lang: probs.get(lang, 0.0) for lang in candidates}
        total = sum(probs.values()) or 1.0
        probs = {lang: p / total for lang, p in probs.items()}
    return probs
