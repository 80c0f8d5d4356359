"""The plain-torch BERT runtime of the default model gives what sentence-transformers gives."""
from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.model

TEXTS = ["Le conseil a approuvé un budget de 48 millions d'euros pour le pont.",
         "Die Ausstellung dauert bis Ende September.", "東京の人口は約千四百万人です。", "x",
         "O conselho aprovou o orçamento. \u200bDepois, a sessão terminou."]


def test_vectors_and_token_states_match_sentence_transformers():
    from xlingo.embed.bert import BertEncoder
    from xlingo.embed.provision import ENCODER_NAME, TOKEN_LAYER, ensure_default_model
    from xlingo.embed.st import SentenceTransformerEncoder

    folder = ensure_default_model()
    ours = BertEncoder(folder, name=ENCODER_NAME, token_layer=TOKEN_LAYER, batch_size=2)
    ref = SentenceTransformerEncoder(folder, name=ENCODER_NAME, token_layer=TOKEN_LAYER)
    a, ta = ours.encode_with_tokens(TEXTS)
    b, tb = ref.encode_with_tokens(TEXTS)
    assert np.min(np.sum(a * b, axis=1)) > 0.99999
    np.testing.assert_allclose(ours.encode(TEXTS), ref.encode(TEXTS), atol=1e-5)
    for x, y in zip(ta, tb):
        assert x.offsets == y.offsets
        assert np.min(np.sum(x.vectors * y.vectors, axis=1)) > 0.9999
