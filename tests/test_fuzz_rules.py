"""Property-based tests (hypothesis) over the rules and the whole pipeline with the hashed test
encoder: any story, in any mix of scripts, gives findings that point into the text and a report
that serialises to strict JSON, never an exception."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_fuzz_inputs import TEXT, WORDS
from xlingo.check.runner import run_checks, selected_rules
from xlingo.config import Settings
from xlingo.glossary import GlossaryEntry
from xlingo.model import Document
from xlingo.pipeline import Engine, diff_documents
from xlingo.testing import context_for, hashed_embed, story_from_rows

FAST = settings(max_examples=40, deadline=None)
LANGS = ["de", "fr", "pt", "zh", "ja", "ko", "ar", "he", "th", "ru", "el", "pt-br"]
SENTENCE = st.lists(st.one_of(WORDS, st.text(min_size=1, max_size=8)), min_size=1, max_size=25).map(" ".join) \
    .filter(lambda s: s.strip() == s and s)
RULES = selected_rules(Settings())


class HashEncoder:
    name = "test-hash"
    dim = 64

    def encode(self, texts):
        return hashed_embed(texts, self.dim)


@FAST
@given(langs=st.lists(st.sampled_from(LANGS), min_size=2, max_size=3, unique=True),
       rows=st.lists(st.lists(st.one_of(SENTENCE, st.none()), min_size=3, max_size=3), min_size=1, max_size=6),
       glossary=st.booleans())
def test_every_rule_on_any_story(langs, rows, glossary) -> None:
    story = story_from_rows([{lang: cells[k] for k, lang in enumerate(langs)} for cells in rows])
    if any(not d.sentences for d in story.documents):
        return
    terms = [GlossaryEntry(term="Kelmor", dnt=True), GlossaryEntry(term="Brücke", translations={"fr": "pont"})] \
        if glossary else []
    ctx = context_for(story, embed=lambda t: hashed_embed(t, 64), glossary=terms)
    for f in run_checks(ctx, RULES, Settings()):
        doc = story.document(f.doc)
        assert 0 <= f.start <= f.end <= len(doc.text), (f.rule, f.start, f.end)


@FAST
@given(texts=st.lists(st.tuples(st.sampled_from(LANGS), TEXT.filter(str.strip)), min_size=2, max_size=3),
       presplit=st.booleans())
def test_the_whole_pipeline_gives_strict_json(texts, presplit) -> None:
    engine = _engine(presplit)
    docs = [Document(f"{lang}-{k}", f"{lang}.txt", text, lang) for k, (lang, text) in enumerate(texts)]
    try:
        report = diff_documents(docs, engine=engine)
    except Exception as exc:  # only "no sentences" is an expected refusal
        assert "no sentences" in str(exc), repr(exc)
        return
    data = json.loads(report.to_json(), parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    assert data["stories"][0]["documents"]


_ENGINES: dict[bool, Engine] = {}


def _engine(presplit: bool) -> Engine:
    if presplit not in _ENGINES:
        import xlingo.pipeline as pipeline

        original = pipeline.load_encoder
        pipeline.load_encoder = lambda spec=None: HashEncoder()
        try:
            _ENGINES[presplit] = Engine(Settings().with_cli(presplit=True) if presplit else Settings())
        finally:
            pipeline.load_encoder = original
    return _ENGINES[presplit]
