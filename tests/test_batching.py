"""Wave batching: the encoder requests of stories running together are served in one pass each
wave, deterministically, in story order (fake encoder; no model)."""
from __future__ import annotations

import pytest

from xlingo.embed.base import Embedder
from xlingo.embed.batching import SWITCH_INTERVAL, WaveBatcher
from xlingo.testing import HashedEncoder


class Recording(HashedEncoder):
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        return super().encode(texts)


def job(k: int, service) -> list[float]:
    """Three rounds of requests, each depending on the last answer (as the aligner's do)."""
    out = []
    for step in range(3):
        vec = service([f"story {k} step {step} word{len(out)}", "shared string"])
        out.append(round(float(vec[0].sum()), 6))
    return out


@pytest.mark.parametrize("width", [1, 4, 16])
def test_results_are_the_same_whatever_the_width(width):
    expected = [job(k, Embedder(HashedEncoder())) for k in range(10)]
    batcher = WaveBatcher(Embedder(HashedEncoder()), width)
    assert batcher.map(list(range(10)), job) == expected


def test_one_forward_call_per_wave_in_story_order():
    encoder = Recording()
    batcher = WaveBatcher(Embedder(encoder, batch_size=1000), width=10)
    batcher.map(list(range(10)), job)
    assert len(encoder.calls) == 6 == batcher.waves  # two cohorts of five stories, three steps each
    wave = ["shared string", *(f"story {k} step 0 word0" for k in range(5))]
    # one batch for the whole wave, longest strings first, equal lengths in story order (no padding)
    assert encoder.calls[0] == sorted(wave, key=len, reverse=True)
    assert encoder.calls[0][:2] == ["story 0 step 0 word0", "story 1 step 0 word0"]
    # the second cohort asked for the shared string while the first wave was in flight: not encoded twice
    assert encoder.calls[1] == [f"story {k} step 0 word0" for k in range(5, 10)]


def test_a_wave_encodes_while_the_other_cohort_runs():
    import threading

    started = threading.Event()  # set by the first story of the second cohort

    class Waiting(HashedEncoder):
        overlapped: list[bool] = []

        def encode(self, texts):
            if not self.overlapped:  # the first wave waits for the other cohort to start
                self.overlapped.append(started.wait(timeout=10))
            return super().encode(texts)

    def marking(k, service):
        if k == 2:
            started.set()
        return job(k, service)

    batcher = WaveBatcher(Embedder(Waiting()), width=4)
    assert batcher.map(list(range(4)), marking) == [job(k, Embedder(HashedEncoder())) for k in range(4)]
    assert Waiting.overlapped == [True]


def test_waves_do_not_depend_on_timing():
    import random
    import time

    class Jittery(Recording):
        def __init__(self, seed: int) -> None:
            super().__init__()
            self.rng = random.Random(seed)

        def encode(self, texts):
            time.sleep(self.rng.random() * 0.01)
            return super().encode(texts)

    def uneven(k, service):  # stories of different lengths, some asking what another cohort asks
        out = []
        for step in range(k % 4 + 1):
            time.sleep(0.002 * ((k * 7 + step) % 3))
            service([f"step {step}"])  # known at once, or once the wave that has it lands
            out.append(float(service([f"story {k} step {step}"])[0].sum()))
        return out

    runs = []
    for seed in (1, 2, 3):
        encoder = Jittery(seed)
        results = WaveBatcher(Embedder(encoder, batch_size=1000), width=6).map(list(range(15)), uneven)
        runs.append((results, encoder.calls))
    assert runs[0] == runs[1] == runs[2]


def test_an_error_in_one_story_is_raised_once_the_others_are_done():
    def failing(k, service):
        if k == 3:
            raise ValueError("bad story")
        return job(k, service)

    with pytest.raises(ValueError, match="bad story"):
        WaveBatcher(Embedder(HashedEncoder()), width=4).map(list(range(8)), failing)


def test_the_thread_setting_reaches_torch():
    torch = pytest.importorskip("torch")
    from xlingo.embed.threads import apply_threads, set_threads

    before = torch.get_num_threads()
    try:
        set_threads(1)
        assert torch.get_num_threads() == 1
    finally:
        set_threads(None)
        apply_threads(before)


def test_token_batches_hold_the_budget_longest_first():
    from xlingo.embed.bert import token_batches

    lengths = [5, 40, 5, 300, 40, 6]
    batches = token_batches(lengths, budget=90, most=256)
    assert [i for b in batches for i in b] == [3, 1, 4, 5, 0, 2]  # longest first, ties in input order
    assert all(len(b) * lengths[b[0]] <= 90 or len(b) == 1 for b in batches)
    assert batches[0] == [3]  # a text over the budget goes alone
    assert token_batches([], 90, 256) == []
    assert [len(b) for b in token_batches([4] * 10, budget=1000, most=3)] == [3, 3, 3, 1]


def test_automatic_threads_are_the_idle_cpus(monkeypatch):
    from xlingo.embed import threads

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(threads, "available_cpus", lambda: 8)
    monkeypatch.setattr(threads.os, "getloadavg", lambda: (6.7, 0.0, 0.0))
    assert threads.policy_threads() == 2  # 8 CPUs, 6.7 busy of which one is this process: 2 idle
    monkeypatch.setattr(threads.os, "getloadavg", lambda: (1.0, 0.0, 0.0))
    assert threads.policy_threads() == 8  # only this process ran: every CPU
    monkeypatch.setattr(threads.os, "getloadavg", lambda: (12.0, 0.0, 0.0))
    assert threads.policy_threads() == 1  # never fewer than one
    assert threads.policy_threads(3) == 3  # --threads wins
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    assert threads.policy_threads() is None  # the environment decides


def test_token_batches_do_not_pad_short_texts_to_long_ones():
    from xlingo.embed.bert import token_batches

    lengths = [60, 8, 58, 7, 9, 55, 8]
    batches = token_batches(lengths, budget=512, most=256, fill=0.8)
    assert batches == [[0, 2, 5], [4, 1, 6], [3]]  # the one-word names are not padded to 60 tokens
    assert token_batches(lengths, budget=512, most=256, fill=0.0) == [[0, 2, 5, 4, 1, 6, 3]]


def test_encoders_asked_together_share_each_wave():
    """The aligner embeds a round's windows with every encoder in turn: one wave request asks all
    of them, so each encoder gets the whole wave in one call and the second asks nothing new."""
    def aligning(other_embedder):
        def job(k, service):
            first, second = service.together([other_embedder, None])
            out = []
            for step in range(2):
                texts = [f"window {k}.{step}", f"window {k}.{step} longer"]
                out.append(round(float(first(texts)[0].sum() + second(texts)[1].sum()), 6))
            return out
        return job

    plain = Embedder(HashedEncoder())  # each encoder on its own
    expected = [aligning(Embedder(HashedEncoder()))(k, plain) for k in range(5)]
    main, other = Recording(), Recording()
    batcher = WaveBatcher(Embedder(main, batch_size=1000), width=5)
    assert batcher.map(list(range(5)), aligning(Embedder(other, batch_size=1000))) == expected
    assert batcher.waves == 4 and len(main.calls) == len(other.calls) == 4  # two cohorts, two rounds
    assert sorted(other.calls[0]) == sorted(main.calls[0]) and len(main.calls[0]) == 4


def test_a_waves_encoder_seconds_are_shared_among_its_components_by_characters():
    import time

    class Slow(HashedEncoder):
        def encode(self, texts):
            time.sleep(0.002 * sum(len(t) for t in texts))
            return super().encode(texts)

    def asks(k, service):
        service.component = "names"
        service(["Oslo"])  # short: a small share of the wave's seconds
        service.component = "windows"
        service([f"window {k} " + "long text " * 20])
        return k

    embedder = Embedder(Slow())
    batcher = WaveBatcher(embedder, width=4)
    assert batcher.map(list(range(4)), asks) == [0, 1, 2, 3]
    spent = batcher.seconds
    assert set(spent) == {"names", "windows"} and spent["windows"] > 5 * spent["names"]
    assert sum(spent.values()) == pytest.approx(embedder.counters.seconds)


def test_an_engine_keeps_numpy_blas_on_one_thread():
    threadpoolctl = pytest.importorskip("threadpoolctl")
    from xlingo.config import Settings
    from xlingo.pipeline import Engine

    controller = threadpoolctl.ThreadpoolController()
    with controller.limit(limits=2, user_api="blas"):  # what numpy starts with on two cores
        Engine(Settings(model="hashed-test"))
        blas = threadpoolctl.threadpool_info()
        assert blas and all(i["num_threads"] == 1 for i in blas if i["user_api"] == "blas")


def test_feed_chunks_are_the_local_sentence_pass_calls():
    from xlingo.embed.batching import FEED_CHUNK, feed_chunks

    texts = [f"Satz {k}." for k in range(FEED_CHUNK + 10)] + ["Satz 3."]  # one text twice
    todo = {t for t in texts if not t.endswith("7.")} | {"Никогда не встречался."}  # a text not in the feed
    chunks = feed_chunks(texts, todo)
    assert [len(c) for c in chunks] == [FEED_CHUNK - 25, 9]  # 25 numbers below 256 end in 7; 257; "Satz 3." seen
    assert chunks[0][:3] == ["Satz 0.", "Satz 1.", "Satz 2."] and "Satz 7." not in chunks[0]
    assert sum(len(c) for c in chunks) == len(set(chunks[0]) | set(chunks[1]))  # each text once
    assert feed_chunks(texts, set()) == []


def test_the_switch_interval_is_short_while_stories_run_and_restored_after():
    import sys

    seen = []

    def noting(k, service):
        seen.append(sys.getswitchinterval())
        return job(k, service)

    before = sys.getswitchinterval()
    WaveBatcher(Embedder(HashedEncoder()), width=4).map(list(range(4)), noting)
    assert sys.getswitchinterval() == before and seen == pytest.approx([min(before, SWITCH_INTERVAL)] * 4)
