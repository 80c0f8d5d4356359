"""Story grouping: versions, related articles and unrelated documents.

Unit tests build sentence vectors by hand: each "fact" is a random direction, a translation of a
sentence is its fact plus a little noise, and every sentence shares a topic component so that
unrelated sentences are not orthogonal (as with real encoders). The model-marked tests run the
real default encoder on the seeds and on a made-up feed (tests/data/group_feed.jsonl).
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from xlingo.group import GroupParams, background, group_documents, pair_stats
from xlingo.model import Document, Sentence

DIM = 64
DATA = Path(__file__).parent / "data"
SEEDS = Path(__file__).parent.parent / "fixtures" / "seeds"


class Facts:
    """Random fact directions around a shared topic, and noisy renderings of them."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        self.topic = self._unit(self.rng.normal(size=DIM))
        self.facts: list[np.ndarray] = []

    @staticmethod
    def _unit(v: np.ndarray) -> np.ndarray:
        return (v / np.linalg.norm(v)).astype(np.float32)

    def new(self, n: int) -> list[int]:
        start = len(self.facts)
        self.facts += [self._unit(self.rng.normal(size=DIM)) for _ in range(n)]
        return list(range(start, start + n))

    def render(self, ids: list[int], noise: float = 0.25) -> np.ndarray:
        return np.stack([self._unit(0.6 * self.facts[i] + 0.5 * self.topic + noise * self._unit(self.rng.normal(size=DIM)))
                         for i in ids])


def doc(doc_id: str, lang: str, n: int) -> Document:
    d = Document(id=doc_id, path=f"{doc_id}.txt", text=" ".join(f"Sentence {k} here." for k in range(n)), lang=lang)
    d.sentences = [Sentence(k, 0, 1, f"Sentence {k} here.") for k in range(n)]
    return d


def relations(grouping) -> dict[str, tuple[str, str | None]]:
    return {e.doc: (e.relation, e.story or e.related_to) for e in grouping.entries}


def test_translations_form_one_story_with_related_context_and_an_unrelated_document() -> None:
    f = Facts()
    story = f.new(8)
    vectors = {"de": f.render(story), "fr": f.render(story), "pt": f.render(story),
               "en-related": f.render(story[1:4] + f.new(6), noise=0.35),
               "en-other": f.render(f.new(9))}
    docs = [doc("de", "de", 8), doc("fr", "fr", 8), doc("pt", "pt", 8), doc("en-related", "en", 9),
            doc("en-other", "en", 9)]
    g = group_documents(docs, vectors)
    assert relations(g) == {"de": ("version", "de"), "fr": ("version", "de"), "pt": ("version", "de"),
                            "en-related": ("related", "de"), "en-other": ("unrelated", None)}
    (s,) = g.stories
    assert [d.id for d in s.versions] == ["de", "fr", "pt"] and [d.id for d in s.context] == ["en-related"]
    scores = {e.doc: e.score for e in g.entries}
    assert scores["de"] == pytest.approx(1.0) and scores["en-related"] > 0.5 > scores["en-other"]


def test_two_stories_in_one_feed_are_kept_apart() -> None:
    f = Facts(1)
    a, b = f.new(6), f.new(7)
    vectors = {"a-de": f.render(a), "b-de": f.render(b), "a-fr": f.render(a), "b-fr": f.render(b)}
    docs = [doc("a-de", "de", 6), doc("b-de", "de", 7), doc("a-fr", "fr", 6), doc("b-fr", "fr", 7)]
    g = group_documents(docs, vectors)
    assert [[d.id for d in s.versions] for s in g.stories] == [["a-de", "a-fr"], ["b-de", "b-fr"]]


def test_documents_in_one_language_are_not_versions_unless_allowed() -> None:
    f = Facts(2)
    story = f.new(6)
    vectors = {"x": f.render(story), "y": f.render(story)}
    docs = [doc("x", "en", 6), doc("y", "en", 6)]
    assert relations(group_documents(docs, vectors)) == {"x": ("unrelated", None), "y": ("unrelated", None)}
    allowed = group_documents(docs, vectors, GroupParams(same_language=True))
    assert relations(allowed) == {"x": ("version", "x"), "y": ("version", "x")}


def test_same_facts_in_another_order_are_related_not_a_version() -> None:
    f = Facts(3)
    story = f.new(8)
    shuffled = [story[k] for k in (5, 2, 7, 0, 3, 6, 1, 4)]
    vectors = {"de": f.render(story), "fr": f.render(story), "es": f.render(shuffled)}
    g = group_documents([doc("de", "de", 8), doc("fr", "fr", 8), doc("es", "es", 8)], vectors)
    assert relations(g)["es"] == ("related", "de")


def test_a_partial_rendering_is_related_not_a_version() -> None:
    f = Facts(4)
    story = f.new(10)
    vectors = {"de": f.render(story), "fr": f.render(story), "it": f.render(story[:3])}
    g = group_documents([doc("de", "de", 10), doc("fr", "fr", 10), doc("it", "it", 3)], vectors)
    assert relations(g)["it"] == ("related", "de")


def test_fixed_stories_are_kept_and_free_documents_grouped_around_them() -> None:
    f = Facts(5)
    a, b = f.new(6), f.new(6)
    vectors = {"a1": f.render(a), "a2": f.render(a), "b1": f.render(b), "b2": f.render(b),
               "a-near": f.render(a[:3] + f.new(3), noise=0.3)}
    docs = [doc("a1", "de", 6), doc("a2", "en", 6), doc("b1", "de", 6), doc("b2", "fr", 6), doc("a-near", "it", 6)]
    g = group_documents(docs, vectors, fixed={"given": ["a1", "a2"]})
    assert relations(g) == {"a1": ("version", "given"), "a2": ("version", "given"), "b1": ("version", "b1"),
                            "b2": ("version", "b1"), "a-near": ("related", "given")}


def test_pair_stats_coverage_order_and_length_ratio() -> None:
    eye = np.eye(4, dtype=np.float32)
    same = pair_stats(eye, eye, center=0.0, scale=0.1, match_z=1.0)
    assert (same.coverage, same.order, same.length_ratio, same.score) == (1.0, 1.0, 1.0, 1.0)
    reversed_ = pair_stats(eye, eye[::-1], center=0.0, scale=0.1, match_z=1.0)
    assert reversed_.coverage == 1.0 and reversed_.order == 0.0
    weak = pair_stats(eye, eye * 0.05, center=0.0, scale=0.1, match_z=1.0)
    assert weak.coverage == 0.0 and weak.matches == []
    short = pair_stats(eye[:2], eye, center=0.0, scale=0.1, match_z=1.0)
    assert short.coverage == 1.0 and short.length_ratio == 0.5


def test_background_leaves_out_counterparts() -> None:
    eye = np.eye(4, dtype=np.float32)
    near = (eye + 0.3 * np.roll(eye, 1, axis=1)) / np.sqrt(1.09)
    center, scale = background({"a": eye, "b": near}, {"a": "de", "b": "fr"})
    assert center == pytest.approx(0.0) and scale == pytest.approx(1e-3)
    assert background({"a": eye}, {"a": "de"}) == (0.0, 1.0)


@pytest.fixture(scope="session")
def encoder():
    """The real default encoder, loaded once per test session."""
    from xlingo.embed import load_encoder

    return load_encoder("e5-small")


def _segmented(docs: list[Document]) -> list[Document]:
    from xlingo.segment import segment

    return [segment(d) for d in docs]


@pytest.mark.model
def test_seeds_group_into_one_story_with_related_and_unrelated_documents(encoder) -> None:
    from xlingo.feed import Problems, read_feed

    docs = _segmented([fd.document for fd in read_feed([str(SEEDS)], Problems())])
    vectors = {d.id: encoder.encode([s.text for s in d.sentences]) for d in docs}
    g = group_documents(docs, vectors)
    rel = {e.path.rsplit("/", 1)[-1][:3]: (e.relation, e.lang) for e in g.entries}
    assert rel == {"000": ("related", "en"), "001": ("version", "de"), "002": ("version", "pt"),
                   "003": ("version", "fr"), "004": ("unrelated", "en")}
    (story,) = g.stories
    assert [d.path.rsplit("/", 1)[-1][:3] for d in story.context] == ["000"]


@pytest.mark.model
def test_made_up_feed_groups_as_written(encoder) -> None:
    records = [json.loads(line) for line in (DATA / "group_feed.jsonl").read_text(encoding="utf-8").splitlines()]
    docs = _segmented([Document(id=r["url"], path=r["url"], text=r["text"], lang=r["lang"]) for r in records])
    vectors = {d.id: encoder.encode([s.text for s in d.sentences]) for d in docs}
    g = group_documents(docs, vectors)
    expected = {}
    for r in records:
        event, _, kind = r["url"].partition("-")
        first = next(x["url"] for x in records if x["url"].startswith(event + "-") and x["url"].count("-") == 1)
        expected[r["url"]] = {"related-" + r["lang"]: ("related", first),
                              "unrelated-" + r["lang"]: ("unrelated", None)}.get(kind, ("version", first))
    assert relations(g) == expected


def _feed(seed: int, stories: int):
    """A feed of several stories in three languages, a related and an unrelated article each."""
    f = Facts(seed)
    docs, vectors = [], {}
    for k in range(stories):
        facts = f.new(5 + k % 4)
        for lang in ("de", "fr", "pt"):
            docs.append(doc(f"s{k}-{lang}", lang, len(facts)))
            vectors[f"s{k}-{lang}"] = f.render(facts)
        docs.append(doc(f"s{k}-rel", "en", 8))
        vectors[f"s{k}-rel"] = f.render(facts[:3] + f.new(5), noise=0.35)
        docs.append(doc(f"s{k}-other", "en", 6))
        vectors[f"s{k}-other"] = f.render(f.new(6))
    return docs, vectors


@pytest.mark.parametrize("same_language", [False, True])
def test_blocked_search_groups_as_the_exact_search(same_language: bool) -> None:
    docs, vectors = _feed(7, 12)
    params = GroupParams(same_language=same_language)
    exact = group_documents(docs, vectors, params)
    blocked = group_documents(docs, vectors, params, exact_limit=0)
    assert relations(blocked) == relations(exact)
    assert [e.score for e in blocked.entries] == [e.score for e in exact.entries]
    assert [([d.id for d in s.versions], [d.id for d in s.context]) for s in blocked.stories] == \
        [([d.id for d in s.versions], [d.id for d in s.context]) for s in exact.stories]
    assert sum(r == "version" for r, _ in relations(exact).values()) >= 36  # the feed is not trivial


def test_blocked_neighbours_of_a_larger_feed_agree_with_the_exact_ones() -> None:
    from xlingo.group import blocked_neighbours, document_vector, exact_neighbours

    rng = np.random.default_rng(3)
    base = rng.normal(size=(600, 32)).astype(np.float32)
    sents = np.concatenate([base + 0.3 * rng.normal(size=base.shape).astype(np.float32) for _ in range(2)])
    sents /= np.linalg.norm(sents, axis=1, keepdims=True)
    owner = np.arange(len(sents)) // 6
    lang = np.where(np.arange(len(sents)) < 600, "de", "fr")
    dv = np.stack([document_vector(sents[owner == d]) for d in range(owner.max() + 1)])
    best_e, top_e = exact_neighbours(sents, owner, lang, False)
    best_b, top_b = blocked_neighbours(sents, owner, lang, False, dv, nearby=20)  # 20 of 199 documents
    for lg in ("de", "fr"):  # best matches in the other language (translations): found among nearby documents
        other = lang != lg
        assert np.mean(best_b[lg][other] == best_e[lg][other]) > 0.95
    translation = (np.arange(len(sents)) + 600) % len(sents)
    assert np.mean((top_e == translation[:, None]).any(axis=1)) > 0.95
    assert np.mean((top_b == translation[:, None]).any(axis=1)) > 0.95  # the votes that matter
    full_b, full_top = blocked_neighbours(sents, owner, lang, False, dv, nearby=len(dv))
    assert all(np.array_equal(full_b[lg], best_e[lg]) for lg in ("de", "fr"))
