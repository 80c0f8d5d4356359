"""Stage 7, report: renderers over the stage-neutral :class:`~xlingo.model.Report`, one module per format."""
