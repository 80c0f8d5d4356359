"""The alignment's encoders in the config tree and the engine: which encoders align, what the
signature says, and that ``Row.similarity`` stays under the run's model."""
from __future__ import annotations

import re
from dataclasses import fields

import pytest
from test_align import _concepts, doc, lexicon_embed, lexicon_sentence

from xlingo.align import AlignParams
from xlingo.config import DEFAULT_ALIGN_ENCODERS, Settings, settings_from_table
from xlingo.errors import ConfigError
from xlingo.pipeline import Engine
from xlingo.testing import HashedEncoder


class LexiconEncoder:
    """Cross-lingual over the made-up words of ``test_align`` (every script)."""

    name, dim = "lexicon@test", 96

    def encode(self, texts):
        return lexicon_embed(texts)


@pytest.fixture
def engines(monkeypatch):
    """Engines whose ``lexicon`` encoder is :class:`LexiconEncoder` (nothing real is loaded)."""
    def load(spec=None):
        return LexiconEncoder() if spec == "lexicon" else HashedEncoder()

    monkeypatch.setattr("xlingo.pipeline.load_encoder", load)

    def make(**align):
        return Engine(Settings(model="hashed-test", **align))

    return make


def _story():
    """Russian and Chinese versions in made-up words: Chinese merges two sentences and adds one."""
    story = _concepts(6)
    ru = [lexicon_sentence("ru", c) for c in story]
    zh = [lexicon_sentence("zh", c) for c in story[:2]] + [lexicon_sentence("zh", story[2] + story[3])] + \
        [lexicon_sentence("zh", [300, 301, 302])] + [lexicon_sentence("zh", c) for c in story[4:]]
    return [doc("ru", ru), doc("zh", zh)]


def test_the_configured_encoder_aligns(engines):
    engine = engines(align_encoders=("lexicon",))
    rows = engine.build_story(_story()).alignment
    assert [r.cells for r in rows] == [
        {"ru": (0,), "zh": (0,)}, {"ru": (1,), "zh": (1,)}, {"ru": (2, 3), "zh": (2,)},
        {"ru": (), "zh": (3,)}, {"ru": (4,), "zh": (4,)}, {"ru": (5,), "zh": (5,)}]
    # Row.similarity is the run's model's (the hashed encoder knows no cross-lingual word: ~0)
    assert all(r.similarity is None or abs(r.similarity) < 0.5 for r in rows)
    assert engine.embedder.strings_requested >= len(_story()[0].sentences) + len(_story()[1].sentences)
    assert engine.other_embedders["lexicon"].strings_requested > 0


def test_the_run_model_alone_cannot_align_across_scripts(engines):
    rows = engines(align_encoders=("model",)).build_story(_story()).alignment
    assert {"ru": (2, 3), "zh": (2,)} not in [r.cells for r in rows]


def test_the_signature_names_the_alignment_encoders_as_loaded(engines):
    lexicon = engines(align_encoders=("lexicon", "model")).signature()
    alone = engines(align_encoders=("model",)).signature()
    assert dict(lexicon.settings)["align.encoders"] == ["lexicon@test", "hashed-test"]
    assert dict(alone.settings)["align.encoders"] == ["hashed-test"]
    assert lexicon != alone
    assert engines(align_encoders=("lexicon", "model"), align_sentences_only=("model",)).signature() != lexicon


def test_align_table_is_read():
    s = settings_from_table({"align": {"encoders": ["use-v3"], "skip": -0.4, "max-window": 3}}, "x.toml")
    assert s.align_encoders == ("use-v3",) and s.align_sentences_only == ()
    assert dict(s.align_options) == {"skip": -0.4, "max_window": 3.0}
    assert "align.skip" in s.signature("m", []).changed
    assert settings_from_table({}, "x.toml").align_encoders == DEFAULT_ALIGN_ENCODERS


def test_every_aligner_parameter_can_be_set_in_the_config_file():
    table = {f.name.replace("_", "-"): 2 for f in fields(AlignParams)}
    s = settings_from_table({"align": table}, "x.toml")
    assert dict(s.align_options) == {f.name: 2.0 for f in fields(AlignParams)}


def test_align_options_reach_the_engine(engines):
    engine = engines(align_options=(("skip", -0.25), ("max_window", 3.0)))
    assert engine.align_params.skip == -0.25 and engine.align_params.max_window == 3


@pytest.mark.parametrize("table,needle", [
    ({"encoders": []}, "align.encoders"),
    ({"encoders": ["use-v3"], "sentences-only": ["model"]}, "'model', which is not in align.encoders"),
    ({"encoders": ["use-v3"], "sentences-only": ["use-v3"]}, "at least one"),
    ({"skip": "low"}, "align.skip: expected a number"),
    ({"max-window": 0}, "align.max-window"),
    ({"content-letters": -1}, "align.content-letters"),
    ({"content-letters": 2.5}, "align.content-letters"),
    ({"window": 3}, "align.window: unknown key"),
])
def test_bad_align_table_is_one_line(table, needle):
    with pytest.raises(ConfigError, match=re.escape(needle)):
        settings_from_table({"align": table}, "x.toml")


@pytest.mark.model
def test_default_engine_aligns_merge_split_drop_and_insertion_in_four_scripts(engine):
    """The real default alignment (USE v3 and e5-small averaged) through the engine: Chinese
    merges two sentences, Russian splits one, Arabic drops one and adds one of its own."""
    from test_align import _check_rows, four_script_story

    docs, expected = four_script_story()
    assert engine.settings.align_encoders == DEFAULT_ALIGN_ENCODERS
    rows = engine.build_story(docs).alignment
    _check_rows(rows, docs)
    cells = [r.cells for r in rows]
    assert all(c in cells for c in expected)
    assert len(rows) == 7
    assert all(r.similarity is not None and r.similarity > 0.7 for r in rows if sum(map(bool, r.cells.values())) > 1)
