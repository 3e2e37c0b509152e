"""PEFT LoRA weights -> GGUF LoRA adapter that llama.cpp (and node-llama-cpp) applies at load time.

Layout (verified against node-llama-cpp 3.22.1, see DESIGN.md): F32 tensors
`blk.N.<name>.weight.lora_a` with ggml ne [in, r] and `.lora_b` with ne [r, out]. numpy is row-major
and gguf reverses the dims, so lora_a is PEFT's lora_A.weight (r, in) as is and lora_b is
lora_B.weight (out, r) as is. llama.cpp scales B·A by adapter.lora.alpha / r, like PEFT.

llama.cpp's converter permutes the rows of q/k projection weights (rotary layout), and transformers
undoes that when it loads a GGUF, so an HF-side delta B·A for q/k must get the same row permutation
before it is added to the GGUF weight: P(W + B·A) = P·W + (P·B)·A. Only B's rows move.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

# HF module path suffix -> llama.cpp tensor base name.
HF_TO_GGUF = {
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
# Architectures whose q/k rows llama.cpp permutes on conversion (convert_hf_to_gguf.py LlamaModel).
PERMUTED_ARCHS = {"llama"}
# qwen2 (the registry's default base, Qwen2.5): same tensor names, no q/k permutation in llama.cpp's
# Qwen2Model converter. Only llama is verified end to end here (no Qwen2 GGUF exists on this machine).
SUPPORTED_ARCHS = {"llama", "qwen2", "qwen3"}

_KEY = re.compile(r"(?:^|\.)layers\.(\d+)\.(self_attn\.[qkvo]_proj|mlp\.(?:gate|up|down)_proj)\.lora_([AB])\.weight$")


def permute_rows(w: np.ndarray, n_head: int, n_head_kv: int | None = None) -> np.ndarray:
    """llama.cpp's convert_hf_to_gguf `permute`, applied to the first (output) axis."""
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def gguf_architecture(gguf_path: Path) -> str:
    from gguf import GGUFReader

    reader = GGUFReader(str(gguf_path))
    field = reader.fields.get("general.architecture")
    if field is None:
        raise ValueError(f"{gguf_path}: no general.architecture")
    return bytes(field.parts[field.data[0]]).decode("utf-8")


def check_base_architecture(base: str | Path) -> str | None:
    """The base's architecture (a GGUF's general.architecture, a folder's config.json model_type);
    ValueError naming it when adapters for it cannot be exported, so a run fails before loading anything.
    None when there is no such file or folder (BaseRef.parse says what is wrong with the path)."""
    import json

    p = Path(base).expanduser()
    if p.is_file() and p.suffix.lower() == ".gguf":
        arch = gguf_architecture(p)
    elif p.is_dir() and (p / "config.json").is_file():
        arch = json.loads((p / "config.json").read_text(encoding="utf-8")).get("model_type")
    else:
        return None
    if arch not in SUPPORTED_ARCHS:
        raise ValueError(
            f"--base {base}: architecture {arch!r} is not supported; supported: {', '.join(sorted(SUPPORTED_ARCHS))}"
        )
    return arch


def adapter_tensors(
    state_dict: dict[str, "np.ndarray"], arch: str, n_head: int, n_head_kv: int
) -> dict[str, np.ndarray]:
    """PEFT state dict (numpy, float) -> {gguf tensor name: float32 array}."""
    out: dict[str, np.ndarray] = {}
    for key, value in state_dict.items():
        m = _KEY.search(key)
        if not m:
            continue
        layer, module, ab = int(m.group(1)), m.group(2), m.group(3)
        name = HF_TO_GGUF[module]
        arr = np.ascontiguousarray(np.asarray(value, dtype=np.float32))
        if ab == "B" and arch in PERMUTED_ARCHS:
            if module == "self_attn.q_proj":
                arr = np.ascontiguousarray(permute_rows(arr, n_head, n_head))
            elif module == "self_attn.k_proj":
                arr = np.ascontiguousarray(permute_rows(arr, n_head, n_head_kv))
        out[f"blk.{layer}.{name}.weight.lora_{ab.lower()}"] = arr
    if not out:
        raise ValueError("no LoRA tensors found to export")
    return out


def write_adapter_gguf(
    path: Path,
    state_dict: dict[str, np.ndarray],
    arch: str,
    alpha: float,
    n_head: int,
    n_head_kv: int,
    name: str = "aiclone-lora",
    metadata: dict[str, str] | None = None,
) -> dict[str, tuple[int, ...]]:
    from gguf import GGUFWriter

    if arch not in SUPPORTED_ARCHS:
        raise ValueError(f"GGUF adapter export supports {sorted(SUPPORTED_ARCHS)}, base is {arch!r}")
    tensors = adapter_tensors(state_dict, arch, n_head, n_head_kv)
    tmp = path.with_name(path.name + ".tmp")
    writer = GGUFWriter(str(tmp), arch)  # writes general.architecture
    writer.add_string("general.type", "adapter")
    writer.add_string("general.name", name)
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", float(alpha))
    for key, value in (metadata or {}).items():  # llama.cpp ignores keys it does not know
        writer.add_string(key, value)
    for tensor_name in sorted(tensors, key=_tensor_order):
        writer.add_tensor(tensor_name, tensors[tensor_name])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    tmp.replace(path)
    return {k: v.shape for k, v in tensors.items()}


def _tensor_order(name: str) -> tuple[int, str]:
    return (int(name.split(".")[1]), name)
