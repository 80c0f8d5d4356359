"""XL6xx: boilerplate — text that belongs to no version of the story (credits, link lists, footers).

The marking itself is the "boilerplate" annotator (:mod:`xlingo.annotate.boilerplate`), which runs
whenever any selected rule needs it; XL601 only reports the blocks it marked.
"""
from __future__ import annotations

from collections.abc import Iterator

from xlingo.annotate import annotate
from xlingo.annotate.boilerplate import OPTIONS, PROTOTYPES
from xlingo.check.base import CheckContext, Rule, register
from xlingo.model import Finding, Severity

__all__ = ["PROTOTYPES", "Boilerplate"]


@register
class Boilerplate(Rule):
    """Text that belongs to no version of the story.

    ## What it does
    Marks sentences that only one version has (every other cell of their rows is
    empty) and that look like page furniture rather than story: off-topic against
    the rest of their document (similarity to the document's aligned sentences far
    below theirs); closer to a few English prototypes of furniture (translation
    notice, "see also", share and feedback prompts, credits; the multilingual
    encoder recognises them in any language) than to the story; a photo or agency
    credit (``©``, ``/Handout``, ``Foto: Name/Agentur``); a fragment of fewer than
    two words and eight letters (stray marks, extraction debris); or a list item or short
    line without final punctuation (a headline in a "See also" list) that is less
    on-topic than a typical sentence and sits at the start or end of the document
    or next to other marked sentences. Marked sentences go to ``ctx.boilerplate``
    and the other rules (omission, addition, …) skip them; one info finding reports
    each contiguous block. The rule is conservative: a sentence missing from the
    other versions but on-topic is a real omission and stays.

    ## Why is this bad?
    Boilerplate is not a translation problem, but left in the comparison it shows up
    as false omissions and additions and buries the real ones.

    ## Example
    ```
    de: Der Stadtrat genehmigte den Haushalt. Lesen Sie auch: Neuer Trainer für den FC
    fr: Le conseil municipal a approuvé le budget.
    ```

    ## Use instead
    Nothing to translate: the block is marked and left out of the comparison, or removed.
    ```
    de: Der Stadtrat genehmigte den Haushalt.
    fr: Le conseil municipal a approuvé le budget.
    ```
    """

    code = "XL601"
    name = "boilerplate"
    severity = Severity.INFO
    summary = "Credits, link lists and footers present in one version only (not compared)"
    options = OPTIONS  # they tune the "boilerplate" annotator
    requires = ("boilerplate",)

    def check(self, ctx: CheckContext) -> Iterator[Finding]:
        annotate(ctx, self.requires, options={"boilerplate": self.opts})
        for block in ctx.boilerplate_blocks:
            doc = ctx.story.document(block.doc)
            first, last = doc.sentence(block.sentences[0]), doc.sentence(block.sentences[-1])
            n = len(block.sentences)
            yield ctx.finding(self, doc, first.start, last.end,
                              f"{n} sentence{'s' * (n > 1)} only in {doc.lang}, marked as boilerplate "
                              f"({', '.join(block.reasons)}); left out of the comparison", row=block.row)
