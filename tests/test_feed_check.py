"""The feed API (xlingo.feed_check): stages that copy instead of mutating, stats from the stories,
one batched encoder pass with token states, a warm run with no forward pass, and the Ray
executor giving byte-identical JSON (hashed test encoder; no model)."""
from __future__ import annotations

import pytest

from xlingo.cache import EmbeddingCache
from xlingo.check.base import Rule
from xlingo.config import Settings
from xlingo.feed import FeedDocument, Problems
from xlingo.feed_check import FeedOptions, check_feed
from xlingo.model import Document, Severity

STORIES = {
    "bridge": {
        "de": "Die Stadt baut eine neue Brücke über den Fluss. Sie kostet 12 Millionen Euro. "
              "Der Bau beginnt im März und dauert zwei Jahre. Radfahrer erhalten eine eigene Spur. "
              "Foto: Anna Berg/Stadtarchiv",
        "fr": "La ville construit un nouveau pont sur la rivière. Il coûte 21 millions d'euros. "
              "Les travaux commencent en mars et durent deux ans. Les cyclistes auront leur propre voie.",
        "es": "La ciudad construye un nuevo puente sobre el río. Cuesta 12 millones de euros. "
              "Las obras empiezan en marzo y duran dos años. Los ciclistas tendrán su propio carril.",
    },
    "museum": {
        "de": "Das Museum zeigt ab Juni Werke von Clara Vögeli. Die Ausstellung umfasst 80 Bilder. "
              "Der Eintritt ist für Kinder frei.",
        "fr": "Le musée présente dès juin des œuvres de Clara Vögeli. L'exposition compte 80 tableaux. "
              "L'entrée est gratuite pour les enfants.",
        "it": "Il museo presenta da giugno opere di Klara Fögeli. La mostra comprende 80 quadri. "
              "L'ingresso è gratuito per i bambini.",
    },
}


def feed() -> list[FeedDocument]:
    return [FeedDocument(Document(id=f"{sid}.{lang}", path=f"feed/{sid}.{lang}.txt", text=text, lang=lang), story=sid)
            for sid, versions in STORIES.items() for lang, text in versions.items()]


SETTINGS = Settings(model="hashed-test")


def test_check_feed_leaves_the_input_alone_and_derives_stats_from_the_stories():
    docs = feed()
    run = check_feed(docs, SETTINGS, problems=Problems())
    assert all(fd.document.sentences == [] and "." in fd.document.id for fd in docs)
    stats = run.report.stats
    assert stats["stories"] == 2 and stats["documents"] == 6
    assert stats["sentences"] == sum(len(d.sentences) for s in run.report.stories for d in s.documents)
    assert "strings_embedded" not in stats  # a process's counter, not a property of the report
    assert {d.id for d in run.report.stories[0].documents} == {"de", "fr", "es"}


def test_sentences_are_encoded_in_one_batched_pass_with_their_token_states():
    run = check_feed(feed(), SETTINGS, problems=Problems())
    c = run.counters
    sentences = run.report.stats["sentences"]
    assert c.strings_encoded >= sentences
    assert c.forward_calls <= 1 + 3 * run.report.stats["stories"]  # the feed pass, then a few per story
    # without a cache the token states wait in the run's scratch store (memory flat): read back, never re-encoded
    assert c.vectors_from_store == 0 and 0 < c.tokens_from_store <= sentences


def test_a_warm_run_on_an_unchanged_feed_runs_no_forward_pass(tmp_path):
    with EmbeddingCache(tmp_path / "cache.sqlite") as store:
        cold = check_feed(feed(), SETTINGS, problems=Problems(), store=store)
    with EmbeddingCache(tmp_path / "cache.sqlite") as store:
        warm = check_feed(feed(), SETTINGS, problems=Problems(), store=store, options=FeedOptions(reuse_stories=False))
    assert cold.counters.forward_calls > 0
    assert warm.counters.forward_calls == 0 and warm.counters.strings_encoded == 0
    assert warm.counters.tokens_from_store > 0 and warm.stories_reused == 0
    assert warm.report.to_json() == cold.report.to_json()


def test_a_warm_run_reuses_the_checked_stories_and_reads_no_token_state(tmp_path):
    with EmbeddingCache(tmp_path / "cache.sqlite") as store:
        cold = check_feed(feed(), SETTINGS, problems=Problems(), store=store)
    with EmbeddingCache(tmp_path / "cache.sqlite") as store:
        warm = check_feed(feed(), SETTINGS, problems=Problems(), store=store)
    assert cold.stories_reused == 0 and warm.stories_reused == 2
    assert warm.counters.forward_calls == 0 and warm.counters.tokens_from_store == 0
    assert sum(warm.engine.timings.values()) == 0.0  # no component ran
    assert warm.report.to_json() == cold.report.to_json()


def test_only_the_stories_whose_inputs_changed_are_checked_again(tmp_path):
    with EmbeddingCache(tmp_path / "cache.sqlite") as store:
        check_feed(feed(), SETTINGS, problems=Problems(), store=store)
    edited = feed()
    museum_it = next(fd for fd in edited if fd.document.id == "museum.it")
    museum_it.document.text = museum_it.document.text.replace("80 quadri", "60 quadri")
    with EmbeddingCache(tmp_path / "cache.sqlite") as store:
        run = check_feed(edited, SETTINGS, problems=Problems(), store=store)
    fresh = check_feed(edited, SETTINGS, problems=Problems())
    assert run.stories_reused == 1
    assert run.report.to_json() == fresh.report.to_json()
    assert any("60" in f.text for s in run.report.stories for f in s.findings)


def test_a_changed_setting_or_ignore_file_checks_every_story_again(tmp_path, monkeypatch):
    from xlingo.model import Severity

    monkeypatch.chdir(tmp_path)
    with EmbeddingCache(tmp_path / "cache.sqlite") as store:
        first = check_feed(feed(), SETTINGS, problems=Problems(), store=store)
    findings = [f for s in first.report.stories for f in s.findings]
    assert findings
    (tmp_path / ".xlingo-ignore").write_text(findings[0].fingerprint + "\n", encoding="utf-8")
    with EmbeddingCache(tmp_path / "cache.sqlite") as store:
        ignored = check_feed(feed(), SETTINGS, problems=Problems(), store=store)
    assert ignored.stories_reused == 0
    assert sum(len(s.findings) for s in ignored.report.stories) < len(findings)
    stricter = Settings(model="hashed-test", fail_on=Severity.WARNING)
    with EmbeddingCache(tmp_path / "cache.sqlite") as store:
        assert check_feed(feed(), stricter, problems=Problems(), store=store).stories_reused == 0


def test_an_unknown_executor_is_a_config_error():
    from xlingo.errors import ConfigError

    with pytest.raises(ConfigError, match="executor"):
        check_feed(feed(), SETTINGS, problems=Problems(), options=FeedOptions(executor="spark"))


@pytest.fixture(scope="module")
def ray_cluster():
    ray = pytest.importorskip("ray")
    from xlingo.ray_executor import connect

    connect(num_cpus=2)
    yield ray
    ray.shutdown()


@pytest.mark.ray
def test_ray_executor_gives_byte_identical_json_and_fills_the_cache(ray_cluster, tmp_path):
    local = check_feed(feed(), SETTINGS, problems=Problems())
    with EmbeddingCache(tmp_path / "cache.sqlite") as store:
        distributed = check_feed(feed(), SETTINGS, problems=Problems(), store=store,
                                 options=FeedOptions(executor="ray", workers=2))
    assert distributed.report.to_json() == local.report.to_json()
    assert distributed.counters.strings_encoded > 0
    with EmbeddingCache(tmp_path / "cache.sqlite") as store:  # the driver wrote what the workers encoded
        warm = check_feed(feed(), SETTINGS, problems=Problems(), store=store)
    assert warm.counters.forward_calls == 0
    assert warm.report.to_json() == local.report.to_json()
    with EmbeddingCache(tmp_path / "cache.sqlite") as store:  # and the workers read it
        warm_ray = check_feed(feed(), SETTINGS, problems=Problems(), store=store,
                              options=FeedOptions(executor="ray", workers=2))
    assert warm_ray.counters.forward_calls == 0 and warm_ray.report.to_json() == local.report.to_json()


NEGATED = {  # XL801 weighs the negation the German version alone has by encoding the sentence without it
    "de": "Die Ministerin besuchte am Montag Lyon. Sie sprach dort nicht mit dem Bürgermeister Jean Morel.",
    "fr": "La ministre a visité Lyon lundi. Elle y a parlé avec le maire Jean Morel.",
    "es": "La ministra visitó Lyon el lunes. Allí habló con el alcalde Jean Morel.",
}


def test_the_encoder_strings_of_the_check_are_counted_per_rule():
    docs = [FeedDocument(Document(id=f"visit.{lg}", path=f"visit.{lg}.txt", text=t, lang=lg), story="visit")
            for lg, t in NEGATED.items()]
    run = check_feed(docs + feed(), SETTINGS, problems=Problems())
    use = run.engine.encoder_use
    assert "check" not in use and use["check.XL801"][1] >= 1
    sentences = len({s.text for st in run.report.stories for d in st.documents for s in d.sentences})
    assert run.counters.strings_encoded == sentences + sum(v[1] for v in use.values())


def test_a_plain_engine_counts_the_check_per_rule_too():
    from xlingo.pipeline import Engine

    engine = Engine(SETTINGS)
    engine.build_story([Document(id=lg, path=f"{lg}.txt", text=t, lang=lg) for lg, t in NEGATED.items()])
    use = engine.encoder_use
    assert "check" not in use and use["check.XL801"][1] >= 1
    assert all(v[0] for k, v in use.items() if k.startswith("check."))  # no empty entries
    assert engine.embedder.counters.strings_encoded == sum(v[1] for v in use.values())


class DeclaringRule(Rule):
    """A test rule that declares the first word of every sentence and asks for them when checking."""

    code, name, severity, summary, requires = "XL999", "declaring", Severity.INFO, "test", ()

    def encoder_strings(self, documents, context):
        return [s.text.split()[0] for d in documents for s in d.sentences]

    def check(self, ctx):
        ctx.embed([s.text.split()[0] for d in ctx.documents for s in d.sentences])
        return []


def test_strings_a_rule_declares_are_encoded_for_the_whole_feed_in_one_pass(monkeypatch):
    from xlingo import pipeline

    real = pipeline.selected_rules
    monkeypatch.setattr(pipeline, "selected_rules", lambda settings: [*real(settings), DeclaringRule()])
    run = check_feed(feed(), SETTINGS, problems=Problems())
    use = run.engine.encoder_use
    firsts = {s.text.split()[0] for st in run.report.stories for d in st.documents for s in d.sentences}
    assert use["prefetch"] == [1, len(firsts)]  # every story's strings, one forward call
    assert "check.XL999" not in use  # the stories found them known
    sentences = len({s.text for st in run.report.stories for d in st.documents for s in d.sentences})
    assert run.counters.strings_encoded == sentences + sum(v[1] for v in use.values())


def test_a_story_on_its_own_encodes_its_declared_strings_first(monkeypatch):
    from xlingo import pipeline

    real = pipeline.selected_rules
    monkeypatch.setattr(pipeline, "selected_rules", lambda settings: [*real(settings), DeclaringRule()])
    engine = pipeline.Engine(SETTINGS)
    engine.build_story([Document(id=lg, path=f"{lg}.txt", text=t, lang=lg) for lg, t in NEGATED.items()])
    assert engine.encoder_use["prefetch"][0] == 1 and "check.XL999" not in engine.encoder_use
