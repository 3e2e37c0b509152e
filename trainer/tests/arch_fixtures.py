"""Small random-weight models of each architecture we support, written as GGUF files llama.cpp loads.

They stand in for real weights (which nothing may download): a model built from a transformers config,
written with the tensor names, metadata keys and row layout that llama.cpp's convert_hf_to_gguf.py
produces for that architecture, F32 throughout so the two runtimes can be compared to float precision.

The tokenizer is a byte-level BPE with explicit merges, trained here on a few lines of chat text. The
tiny llama GGUF's SentencePiece vocabulary would also load, but transformers rebuilds its merges from
the scores on every load (92 s on 2 cores for 32k tokens), and its qwen2/qwen3 tokenizer converter only
reads byte-level BPE vocabularies; real Qwen (and SmolLM2, a llama) ship byte-level BPE too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

# Text the tokenizer's merges are learned from: the chat layout the trainer renders (aiclone-fallback-v1)
# and the kind of replies the tests train on, so the dataset tokenizes into few tokens.
_CORPUS = [
    "### System:\nYou are Alex.\n\n### User:\nare you coming?\n\n### Assistant:\nyo ok see ya\n\n",
    "### User:\ncan you send the file\n\n### Assistant:\nlol sure thing\n\n",
    "### User:\nwant to grab lunch\n\n### Assistant:\nnah not today, maybe later\n\n",
    "### User:\ndid you see the game\n\n### Assistant:\nyep on it, call me later\n\n",
    "The quick brown fox jumps over the lazy dog. Hello world, how are you today? I am fine, thanks.",
]


@dataclass(frozen=True)
class ArchSpec:
    """One test model: the transformers config and how llama.cpp's converter lays it out."""

    arch: str  # general.architecture, also transformers' model_type
    hidden: int = 64
    layers: int = 2
    heads: int = 4
    kv_heads: int = 2  # < heads: grouped-query attention
    head_dim: int = 16
    ffn: int = 128
    tied: bool = False  # no output.weight: the LM head is token_embd (Qwen3-0.6B, Qwen2.5-0.5B)
    qkv_bias: bool = False  # Qwen2: q/k/v projections carry biases
    qk_norm: bool = False  # Qwen3: RMSNorm over each head of q and k
    permute_qk: bool = False  # llama: convert_hf_to_gguf permutes q/k rows (rotary layout)
    tokenizer_pre: str = "default"


ARCH_SPECS: dict[str, ArchSpec] = {
    "llama": ArchSpec("llama", permute_qk=True, tokenizer_pre="llama-bpe"),
    "qwen2": ArchSpec("qwen2", qkv_bias=True, tokenizer_pre="qwen2"),
    # transformers 4.57.6 reads no attention.key_length for qwen3 GGUFs, so head_dim stays Qwen3Config's
    # default 128 (as in every released dense Qwen3); a GGUF with another head size does not load there.
    "qwen3": ArchSpec("qwen3", head_dim=128, tied=True, qk_norm=True, tokenizer_pre="qwen2"),
}

RMS_EPS = 1e-6
ROPE_THETA = 10000.0
CONTEXT = 512


@dataclass
class BpeVocab:
    tokens: list[str]
    merges: list[str]
    token_types: list[int]  # gguf TokenType: 1 normal, 3 control


def build_bpe_vocab(vocab_size: int = 512) -> BpeVocab:
    """Byte-level BPE: specials (0..2), the 256 byte symbols, then merges learned from _CORPUS."""
    import json

    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(_CORPUS * 4, trainer=trainer)
    model = json.loads(tok.to_str())["model"]
    vocab: dict[str, int] = model["vocab"]
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])]
    assert tokens[: len(SPECIAL_TOKENS)] == SPECIAL_TOKENS and len(tokens) == len(vocab)
    merges = [m if isinstance(m, str) else " ".join(m) for m in model["merges"]]
    types = [3 if t in SPECIAL_TOKENS else 1 for t in tokens]
    return BpeVocab(tokens, merges, types)


def hf_config(spec: ArchSpec, vocab_size: int):
    from transformers import AutoConfig

    kwargs = dict(
        vocab_size=vocab_size,
        hidden_size=spec.hidden,
        intermediate_size=spec.ffn,
        num_hidden_layers=spec.layers,
        num_attention_heads=spec.heads,
        num_key_value_heads=spec.kv_heads,
        head_dim=spec.head_dim,
        max_position_embeddings=CONTEXT,
        rms_norm_eps=RMS_EPS,
        rope_theta=ROPE_THETA,
        tie_word_embeddings=spec.tied,
        bos_token_id=0,
        eos_token_id=0,
        pad_token_id=0,
    )
    if spec.arch == "llama":
        kwargs["attention_bias"] = False
    return AutoConfig.for_model(spec.arch, **kwargs)


def random_model(spec: ArchSpec, vocab_size: int, seed: int = 0):
    """A transformers model with random weights large enough to give peaked, distinct next-token
    distributions (the default init gives nearly uniform ones, where top-5 comparisons mean little)."""
    import torch
    from transformers import AutoModelForCausalLM

    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(hf_config(spec, vocab_size), dtype=torch.float32)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.copy_(1.0 + 0.2 * torch.randn(p.shape, generator=gen))
            elif name.endswith(".bias"):
                p.copy_(0.5 * torch.randn(p.shape, generator=gen))
            elif "embed_tokens" in name or "lm_head" in name:
                # Through the final RMSNorm, logits get a standard deviation of about 3 (tied or not).
                p.copy_(torch.randn(p.shape, generator=gen) * 3 / spec.hidden**0.5)
            else:  # linear (out, in): unit-variance outputs for unit-variance inputs
                p.copy_(torch.randn(p.shape, generator=gen) / p.shape[1] ** 0.5)
    model.eval()
    return model


def _permute(w: np.ndarray, n_head: int) -> np.ndarray:
    # convert_hf_to_gguf.LlamaModel.permute (the same as aiclone_trainer.gguf_export.permute_rows).
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def gguf_tensors(model, spec: ArchSpec) -> dict[str, np.ndarray]:
    """The model's weights under llama.cpp's names and in its layout (numpy shapes as in PyTorch)."""
    sd = {k: v.detach().float().numpy() for k, v in model.state_dict().items()}
    out: dict[str, np.ndarray] = {"token_embd.weight": sd["model.embed_tokens.weight"]}
    for i in range(spec.layers):
        p = f"model.layers.{i}."
        q, k = sd[p + "self_attn.q_proj.weight"], sd[p + "self_attn.k_proj.weight"]
        if spec.permute_qk:
            q, k = _permute(q, spec.heads), _permute(k, spec.kv_heads)
        b = f"blk.{i}."
        out |= {
            b + "attn_norm.weight": sd[p + "input_layernorm.weight"],
            b + "attn_q.weight": q,
            b + "attn_k.weight": k,
            b + "attn_v.weight": sd[p + "self_attn.v_proj.weight"],
            b + "attn_output.weight": sd[p + "self_attn.o_proj.weight"],
            b + "ffn_norm.weight": sd[p + "post_attention_layernorm.weight"],
            b + "ffn_gate.weight": sd[p + "mlp.gate_proj.weight"],
            b + "ffn_up.weight": sd[p + "mlp.up_proj.weight"],
            b + "ffn_down.weight": sd[p + "mlp.down_proj.weight"],
        }
        if spec.qkv_bias:
            for x in "qkv":
                out[b + f"attn_{x}.bias"] = sd[p + f"self_attn.{x}_proj.bias"]
        if spec.qk_norm:
            out[b + "attn_q_norm.weight"] = sd[p + "self_attn.q_norm.weight"]
            out[b + "attn_k_norm.weight"] = sd[p + "self_attn.k_norm.weight"]
    out["output_norm.weight"] = sd["model.norm.weight"]
    if not spec.tied:
        out["output.weight"] = sd["lm_head.weight"]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def write_gguf(path: Path, model, spec: ArchSpec, vocab: BpeVocab, architecture: str | None = None) -> Path:
    """Writes `model` as an F32 GGUF; `architecture` overrides general.architecture (refusal tests)."""
    from gguf import GGUFWriter, LlamaFileType

    arch = architecture or spec.arch
    writer = GGUFWriter(str(path), arch)
    writer.add_name(f"aiclone-test-{spec.arch}")
    writer.add_file_type(LlamaFileType.ALL_F32)
    writer.add_context_length(CONTEXT)
    writer.add_embedding_length(spec.hidden)
    writer.add_block_count(spec.layers)
    writer.add_feed_forward_length(spec.ffn)
    writer.add_head_count(spec.heads)
    writer.add_head_count_kv(spec.kv_heads)
    writer.add_layer_norm_rms_eps(RMS_EPS)
    writer.add_rope_freq_base(ROPE_THETA)
    writer.add_vocab_size(len(vocab.tokens))
    if spec.arch == "llama":
        writer.add_rope_dimension_count(spec.head_dim)
    if spec.head_dim * spec.heads != spec.hidden:
        writer.add_key_length(spec.head_dim)
        writer.add_value_length(spec.head_dim)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(spec.tokenizer_pre)
    writer.add_token_list(vocab.tokens)
    writer.add_token_types(vocab.token_types)
    writer.add_token_merges(vocab.merges)
    writer.add_bos_token_id(0)
    writer.add_eos_token_id(0)
    writer.add_pad_token_id(0)
    writer.add_add_bos_token(False)
    for name, arr in gguf_tensors(model, spec).items():
        writer.add_tensor(name, arr)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def build(arch: str, folder: Path, seed: int = 0, architecture: str | None = None):
    """Random `arch` model -> folder/<arch>.gguf; returns (path, the transformers model written)."""
    spec = ARCH_SPECS[arch]
    vocab = build_bpe_vocab()
    model = random_model(spec, len(vocab.tokens), seed)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{architecture or arch}.gguf"
    return write_gguf(folder / name, model, spec, vocab, architecture), model


def max_weight_difference(written, loaded) -> float:
    """Largest |Δ| over all parameters of two models of the same config (tied heads compared once)."""
    a, b = written.state_dict(), loaded.state_dict()
    if set(a) != set(b):
        raise AssertionError(f"parameter names differ: {sorted(set(a) ^ set(b))}")
    return max(float((a[k].float() - b[k].float()).abs().max()) for k in a)


_REPLIES = ["yo ok see ya", "lol sure thing", "nah not today", "yep on it", "maybe later", "call me later"]
_PROMPTS = ["are you coming?", "can you send the file", "want to grab lunch", "did you see the game"]


def write_dataset(folder: Path, train: int = 8, val: int = 2) -> Path:
    """train.jsonl / val.jsonl of short system+user+assistant conversations."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    for name, n, offset in (("train.jsonl", train, 0), ("val.jsonl", val, train)):
        with (folder / name).open("w", encoding="utf-8") as f:
            for i in range(offset, offset + n):
                messages = [
                    {"role": "system", "content": "You are Alex."},
                    {"role": "user", "content": _PROMPTS[i % len(_PROMPTS)]},
                    {"role": "assistant", "content": _REPLIES[i % len(_REPLIES)]},
                ]
                f.write(json.dumps({"messages": messages}) + "\n")
    return folder
