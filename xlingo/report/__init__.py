"""Stage 6, report: the one :class:`Report` model and the renderers over it."""
