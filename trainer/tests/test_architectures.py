"""The per-architecture GGUF fixtures load back into transformers unchanged; adapters get each
architecture's layout; a base of another architecture is refused before anything loads.
(llama.cpp's side of the comparison: cli/test/architectureParity.int.test.ts.)"""

import dataclasses
import json

import numpy as np
import pytest
import torch

import arch_fixtures as af
from aiclone_trainer.gguf_export import SUPPORTED_ARCHS, adapter_tensors, check_base_architecture, permute_rows

from conftest import run_train


def _load(path):
    from transformers import AutoModelForCausalLM

    return AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32)


def test_supported_architectures_are_the_fixture_ones():
    assert SUPPORTED_ARCHS == set(af.ARCH_SPECS)


@pytest.mark.parametrize("arch", sorted(af.ARCH_SPECS))
def test_fixture_gguf_loads_back_into_transformers_unchanged(arch, tmp_path):
    path, written = af.build(arch, tmp_path)
    assert check_base_architecture(path) == arch
    loaded = _load(path)
    spec = af.ARCH_SPECS[arch]
    cfg = loaded.config
    assert cfg.model_type == arch
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads  # Qwen2Config has none
    assert (cfg.num_attention_heads, cfg.num_key_value_heads, head_dim) == (spec.heads, spec.kv_heads, spec.head_dim)
    assert cfg.num_hidden_layers == spec.layers and cfg.tie_word_embeddings == spec.tied
    assert af.max_weight_difference(written, loaded) == 0.0
    ids = torch.tensor([[5, 17, 200, 33, 7, 99]])
    with torch.no_grad():
        assert torch.equal(written(ids).logits, loaded(ids).logits)


def test_qwen3_gguf_needs_head_dim_128_in_transformers(tmp_path):
    # transformers 4.57.6 maps no attention.key_length for qwen3 GGUFs: head_dim stays Qwen3Config's 128.
    spec = dataclasses.replace(af.ARCH_SPECS["qwen3"], head_dim=16)
    vocab = af.build_bpe_vocab()
    path = af.write_gguf(tmp_path / "qwen3-h16.gguf", af.random_model(spec, len(vocab.tokens)), spec, vocab)
    with pytest.raises(RuntimeError, match="size mismatch"):
        _load(path)


@pytest.mark.parametrize("arch", ["qwen2", "qwen3"])
def test_qwen_adapters_keep_hf_row_order(arch):
    rng = np.random.default_rng(1)
    n_head, n_kv, head_dim, hidden, r = 4, 2, 8, 32, 3
    sd = {
        "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight": rng.standard_normal((n_head * head_dim, r)),
        "base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight": rng.standard_normal((n_kv * head_dim, r)),
        "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight": rng.standard_normal((r, hidden)),
        # biases and q/k norms have no LoRA: nothing of theirs is exported
        "base_model.model.model.layers.0.self_attn.q_proj.bias": rng.standard_normal(n_head * head_dim),
        "base_model.model.model.layers.0.self_attn.q_norm.weight": rng.standard_normal(head_dim),
    }
    out = adapter_tensors(sd, arch, n_head, n_kv)
    assert sorted(out) == ["blk.0.attn_k.weight.lora_b", "blk.0.attn_q.weight.lora_a", "blk.0.attn_q.weight.lora_b"]
    q_b = sd["base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"]
    k_b = sd["base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight"]
    np.testing.assert_array_equal(out["blk.0.attn_q.weight.lora_b"], q_b.astype(np.float32))
    np.testing.assert_array_equal(out["blk.0.attn_k.weight.lora_b"], k_b.astype(np.float32))
    llama = adapter_tensors(sd, "llama", n_head, n_kv)
    np.testing.assert_array_equal(llama["blk.0.attn_k.weight.lora_b"], permute_rows(k_b, n_head, n_kv).astype(np.float32))


def test_check_base_architecture_names_the_unsupported_one(tmp_path):
    gguf, _ = af.build("llama", tmp_path, architecture="gpt2")
    with pytest.raises(ValueError, match=r"architecture 'gpt2' is not supported; supported: llama, qwen2, qwen3"):
        check_base_architecture(gguf)
    folder = tmp_path / "hf"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "phi3"}))
    with pytest.raises(ValueError, match="'phi3' is not supported"):
        check_base_architecture(folder)
    (folder / "config.json").write_text(json.dumps({"model_type": "qwen2"}))
    assert check_base_architecture(folder) == "qwen2"
    assert check_base_architecture(tmp_path / "missing.gguf") is None


def test_trainer_refuses_an_unsupported_base_before_starting(tmp_path, dataset):
    gguf, _ = af.build("llama", tmp_path / "m", architecture="gpt2")
    proc, events = run_train(dataset, gguf, tmp_path / "out", timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert [e["event"] for e in events] == ["failed"]
    assert "architecture 'gpt2' is not supported; supported: llama, qwen2, qwen3" in events[0]["reason"]
    assert not (tmp_path / "out").exists()


def test_trainer_exports_a_qwen3_adapter(tmp_path, dataset):
    from gguf import GGUFReader

    gguf, _ = af.build("qwen3", tmp_path / "m")
    out = tmp_path / "out"
    proc, events = run_train(dataset, gguf, out, "--max-steps", "2", "--rank", "4", "--eval-prompts", "1")
    assert proc.returncode == 0, proc.stderr
    assert events[0]["architecture"] == "qwen3" and events[-1]["event"] == "completed"
    reader = GGUFReader(str(out / "adapter.gguf"))
    arch = reader.fields["general.architecture"]
    assert bytes(arch.parts[arch.data[0]]).decode() == "qwen3"
    shapes = {t.name: tuple(int(x) for x in t.shape) for t in reader.tensors}  # ggml order: ne[0] first
    spec = af.ARCH_SPECS["qwen3"]
    assert len(shapes) == spec.layers * 7 * 2
    assert shapes["blk.1.attn_q.weight.lora_a"] == (spec.hidden, 4)
    assert shapes["blk.1.attn_q.weight.lora_b"] == (4, spec.heads * spec.head_dim)
    assert shapes["blk.1.attn_k.weight.lora_b"] == (4, spec.kv_heads * spec.head_dim)
    assert shapes["blk.1.attn_output.weight.lora_a"] == (spec.heads * spec.head_dim, 4)
