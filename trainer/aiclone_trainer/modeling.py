"""Base model loading (GGUF file or Hugging Face folder), device choice and the LoRA wrapper."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from .gguf_tokens import GgufSpecials, apply_gguf_specials, read_gguf_specials
from .memory import release_free_memory

LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


@dataclass
class BaseRef:
    """Where the base model lives: `folder` for from_pretrained, `gguf_file` name inside it or None."""

    folder: Path
    gguf_file: str | None

    @staticmethod
    def parse(path: str) -> "BaseRef":
        p = Path(path).expanduser().resolve()
        if p.is_file():
            if p.suffix.lower() != ".gguf":
                raise ValueError(f"--base {path}: a file base must be a .gguf model")
            return BaseRef(p.parent, p.name)
        if p.is_dir():
            if not (p / "config.json").is_file():
                raise ValueError(f"--base {path}: folder has no config.json (expected a Hugging Face model folder)")
            return BaseRef(p, None)
        raise ValueError(f"--base {path}: no such file or folder")

    @property
    def path(self) -> Path:
        return self.folder / self.gguf_file if self.gguf_file else self.folder

    def kwargs(self) -> dict[str, Any]:
        return {"gguf_file": self.gguf_file} if self.gguf_file else {}


@dataclass
class DevicePlan:
    device: str  # "cuda" | "cpu"
    dtype: torch.dtype
    quantization: str  # "bnb-4bit" | "none"

    def describe(self) -> dict[str, str]:
        return {"device": self.device, "dtype": str(self.dtype).removeprefix("torch."), "quantization": self.quantization}


def plan_device(force_cpu: bool = False) -> DevicePlan:
    if not force_cpu and torch.cuda.is_available():
        if importlib.util.find_spec("bitsandbytes") is not None:
            return DevicePlan("cuda", torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16, "bnb-4bit")
        dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float32
        return DevicePlan("cuda", dtype, "none")
    return DevicePlan("cpu", torch.float32, "none")


def load_tokenizer(base: BaseRef, cache_dir: str | None = None):
    """Loads the tokenizer; a GGUF's is converted (tens of seconds for a 32k vocab) and cached when asked."""
    import hashlib
    import os
    import shutil

    import transformers
    from transformers import AutoTokenizer

    cache_dir = cache_dir or os.environ.get("AICLONE_TRAINER_CACHE")
    if base.gguf_file and cache_dir:
        st = base.path.stat()
        key = hashlib.sha256(
            f"{base.path}|{st.st_size}|{st.st_mtime_ns}|{transformers.__version__}".encode()
        ).hexdigest()[:24]
        cached = Path(cache_dir) / "tokenizers" / key
        if (cached / "tokenizer_config.json").is_file():
            tok = AutoTokenizer.from_pretrained(str(cached))
        else:
            tok = AutoTokenizer.from_pretrained(str(base.folder), **base.kwargs())
            tmp = cached.with_name(f".{key}.{os.getpid()}.tmp")
            tok.save_pretrained(str(tmp))
            shutil.rmtree(cached, ignore_errors=True)
            tmp.rename(cached)
    else:
        tok = AutoTokenizer.from_pretrained(str(base.folder), **base.kwargs())
    apply_gguf_specials(tok, base_specials(base, tok))
    if tok.pad_token_id is None:
        tok.pad_token = tok.unk_token if tok.unk_token is not None else tok.eos_token
    return tok


def base_specials(base: BaseRef, tokenizer) -> GgufSpecials:
    """BOS/EOS/EOT and add-BOS as llama.cpp will use them: from the GGUF's keys, else from the HF tokenizer."""
    if base.gguf_file:
        return read_gguf_specials(base.path)
    vocab = tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))
    return GgufSpecials(
        bos_id=tokenizer.bos_token_id, eos_id=tokenizer.eos_token_id, eot_id=None,
        add_bos=bool(getattr(tokenizer, "add_bos_token", False)), tokens=tuple(vocab),
    )


def load_base_model(base: BaseRef, plan: DevicePlan, gradient_checkpointing: bool = False):
    from transformers import AutoModelForCausalLM

    kwargs: dict[str, Any] = dict(base.kwargs())
    if plan.quantization == "bnb-4bit":
        from transformers import BitsAndBytesConfig

        kwargs["quantization_config"] = BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_use_double_quant=True,
            bnb_4bit_compute_dtype=plan.dtype,
        )
    if plan.device == "cuda":
        # Straight onto the GPU: a 7B model in bf16 would otherwise pass through 15 GB of host memory.
        kwargs["device_map"] = {"": 0}
    kwargs["dtype"] = plan.dtype
    model = AutoModelForCausalLM.from_pretrained(str(base.folder), **kwargs)
    # A GGUF base is dequantized through numpy copies of every tensor; hand that memory back before training.
    release_free_memory()
    if plan.quantization == "bnb-4bit":
        from peft import prepare_model_for_kbit_training

        model = prepare_model_for_kbit_training(
            model,
            use_gradient_checkpointing=gradient_checkpointing,
            gradient_checkpointing_kwargs={"use_reentrant": False},
        )
    elif gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        # The frozen embeddings give no grad; checkpointed blocks need an input that requires one.
        model.enable_input_require_grads()
    model.config.use_cache = False
    return model


def wrap_lora(model, rank: int, alpha: float, dropout: float):
    from peft import LoraConfig, get_peft_model

    present = {name.rsplit(".", 1)[-1] for name, _ in model.named_modules()}
    missing = [t for t in LORA_TARGETS if t not in present]
    if missing:
        raise ValueError(f"base model has no {', '.join(missing)} layers; only llama-style models are supported")
    config = LoraConfig(
        r=rank,
        lora_alpha=alpha,
        lora_dropout=dropout,
        target_modules=LORA_TARGETS,
        bias="none",
        task_type="CAUSAL_LM",
    )
    return get_peft_model(model, config)
