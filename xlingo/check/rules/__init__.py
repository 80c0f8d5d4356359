"""Built-in rules; importing this package registers them all.

Code ranges: XL0xx alignment, XL1xx numbers, XL2xx names, XL3xx glossary,
XL4xx language, XL5xx artefacts and typography, XL6xx boilerplate,
XL7xx span-level meaning divergence, XL8xx invariants across languages
(polarity, comparisons, names).
"""
from importlib import import_module
from pkgutil import iter_modules

for _mod in iter_modules(__path__):
    import_module(f"{__name__}.{_mod.name}")
