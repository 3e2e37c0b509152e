"""Assistant-only loss mask, and the GGUF adapter's q/k permutation against the transformers-loaded model."""

import numpy as np
import pytest
import torch

from aiclone_trainer.data import IGNORE_INDEX, ChatFormatter, default_cutoff, tokenize_conversation, truncate
from aiclone_trainer.gguf_export import adapter_tensors, permute_rows
from aiclone_trainer.modeling import BaseRef, base_specials, load_tokenizer
from aiclone_trainer.prompt_contract import derive_contract


@pytest.fixture(scope="module")
def tokenizer(tiny_gguf):
    return load_tokenizer(BaseRef.parse(str(tiny_gguf)))


def test_loss_mask_covers_only_assistant_replies(tokenizer, tiny_gguf):
    formatter = ChatFormatter(tokenizer, derive_contract(tokenizer, base_specials(BaseRef.parse(str(tiny_gguf)), tokenizer), []))
    conv = [
        {"role": "system", "content": "You are Alex."},
        {"role": "user", "content": "are you coming?"},
        {"role": "assistant", "content": "yo ok"},
        {"role": "user", "content": "really?"},
        {"role": "assistant", "content": "ya sure"},
    ]
    ex = tokenize_conversation(formatter, conv)
    trained = [t for t, label in zip(ex.input_ids, ex.labels) if label != IGNORE_INDEX]
    assert all(label in (IGNORE_INDEX, t) for t, label in zip(ex.input_ids, ex.labels))
    text = tokenizer.decode(trained)
    assert "yo ok" in text and "ya sure" in text
    assert "coming" not in text and "Alex" not in text and "really" not in text and "Assistant" not in text
    assert tokenizer.eos_token_id in trained  # the model learns to stop
    short = truncate(ex, 12, keep_first=True)
    assert len(short.input_ids) == 12 and short.input_ids[0] == ex.input_ids[0]
    assert short.labels[-1] == ex.labels[-1]


def test_an_opener_sample_trains_only_the_owners_turn(tokenizer, tiny_gguf):
    """A conversation the owner started: system, then the owner's turn, no user turn; only the turn is learnt."""
    formatter = ChatFormatter(tokenizer, derive_contract(tokenizer, base_specials(BaseRef.parse(str(tiny_gguf)), tokenizer), []))
    conv = [{"role": "system", "content": "You are Alex."}, {"role": "assistant", "content": "hey free tonight"}]
    ex = tokenize_conversation(formatter, conv)
    trained = [t for t, label in zip(ex.input_ids, ex.labels) if label != IGNORE_INDEX]
    text = tokenizer.decode(trained)
    assert "hey free tonight" in text
    assert "Alex" not in text and "System" not in text
    assert tokenizer.eos_token_id in trained


def test_default_cutoff_is_95th_percentile_rounded_and_capped():
    assert default_cutoff(list(range(1, 101))) == 96
    assert default_cutoff([5, 6]) == 32
    assert default_cutoff([10_000]) == 2048


def test_permute_rows_inverts_transformers_reverse_permute_with_gqa():
    from transformers.modeling_gguf_pytorch_utils import LlamaTensorProcessor

    rng = np.random.default_rng(0)
    n_head, n_kv, head_dim, hidden = 8, 2, 6, 16
    proc = LlamaTensorProcessor({"num_attention_heads": n_head, "num_key_value_heads": n_kv})
    for rows, kv in ((n_head * head_dim, n_head), (n_kv * head_dim, n_kv)):
        gguf_w = rng.standard_normal((rows, hidden)).astype(np.float32)
        hf_w = proc._reverse_permute_weights(gguf_w, n_head, kv)
        assert not np.array_equal(hf_w, gguf_w)
        np.testing.assert_array_equal(permute_rows(hf_w, n_head, kv), gguf_w)


def test_exported_lora_reproduces_merged_weights_in_gguf_layout(tiny_gguf):
    """W_gguf + s·B_gguf·A_gguf (llama.cpp's way) must equal permute(W_hf + s·B·A) for every target."""
    from gguf import GGUFReader
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(tiny_gguf.parent), gguf_file=tiny_gguf.name)
    cfg = model.config
    n_head, n_kv = cfg.num_attention_heads, cfg.num_key_value_heads
    raw = {t.name: np.asarray(t.data, dtype=np.float32) for t in GGUFReader(str(tiny_gguf)).tensors}
    rank, alpha = 4, 8.0
    scale = alpha / rank
    rng = np.random.default_rng(1)
    modules = {"self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k", "self_attn.v_proj": "attn_v",
               "self_attn.o_proj": "attn_output", "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up",
               "mlp.down_proj": "ffn_down"}
    state = {}
    for layer in range(cfg.num_hidden_layers):
        for mod in modules:
            w = model.get_submodule(f"model.layers.{layer}.{mod}").weight
            out_f, in_f = w.shape
            state[f"base_model.model.model.layers.{layer}.{mod}.lora_A.weight"] = rng.standard_normal((rank, in_f)).astype(np.float32)
            state[f"base_model.model.model.layers.{layer}.{mod}.lora_B.weight"] = rng.standard_normal((out_f, rank)).astype(np.float32)
    exported = adapter_tensors(state, "llama", n_head, n_kv)
    for layer in range(cfg.num_hidden_layers):
        for mod, gname in modules.items():
            w_hf = model.get_submodule(f"model.layers.{layer}.{mod}").weight.detach().numpy()
            a = state[f"base_model.model.model.layers.{layer}.{mod}.lora_A.weight"]
            b = state[f"base_model.model.model.layers.{layer}.{mod}.lora_B.weight"]
            kv = n_kv if mod == "self_attn.k_proj" else n_head
            to_gguf = (lambda m: permute_rows(m, n_head, kv)) if mod in ("self_attn.q_proj", "self_attn.k_proj") else (lambda m: m)
            w_gguf = raw[f"blk.{layer}.{gname}.weight"]
            # the base GGUF is what transformers dequantized: our permute maps HF back onto it exactly
            np.testing.assert_allclose(to_gguf(w_hf), w_gguf, rtol=0, atol=1e-6)
            lora_a = exported[f"blk.{layer}.{gname}.weight.lora_a"]
            lora_b = exported[f"blk.{layer}.{gname}.weight.lora_b"]
            assert lora_a.shape == (rank, w_hf.shape[1]) and lora_b.shape == (w_hf.shape[0], rank)
            llama_cpp_merged = w_gguf + scale * (lora_b @ lora_a)
            torch_merged = to_gguf((torch.from_numpy(w_hf) + scale * torch.from_numpy(b) @ torch.from_numpy(a)).numpy())
            np.testing.assert_allclose(llama_cpp_merged, torch_merged, rtol=1e-5, atol=1e-5)
