"""The special tokens as the GGUF file declares them, and a tokenizer made to agree with them.

transformers 4.57.6 builds a GGUF tokenizer with eos and bos swapped (`integrations/ggml.py`: SmolLM2's
`eos_token` comes out as `<|im_start|>`, the tiny llama's as `<s>`) and with `add_bos_token` true where the
file says false. llama.cpp, which serves the clone, reads the GGUF's own keys, so the trainer takes them
from there too: a model trained to end its turn with the wrong token never stops in the runtime.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class GgufSpecials:
    bos_id: int | None
    eos_id: int | None
    eot_id: int | None
    add_bos: bool
    tokens: tuple[str, ...]

    def text(self, token_id: int | None) -> str | None:
        return self.tokens[token_id] if token_id is not None and 0 <= token_id < len(self.tokens) else None


def _field(reader, key: str) -> Any:
    field = reader.fields.get(key)
    if field is None:
        return None
    value = field.parts[field.data[0]]
    if field.types and field.types[0].name == "STRING":
        return bytes(value).decode("utf-8")
    return value.tolist()[0] if hasattr(value, "tolist") else value


def read_gguf_specials(path: Path) -> GgufSpecials:
    from gguf import GGUFReader

    reader = GGUFReader(str(path))
    tokens_field = reader.fields.get("tokenizer.ggml.tokens")
    if tokens_field is None:
        raise ValueError(f"{path}: the GGUF has no tokenizer (tokenizer.ggml.tokens)")
    tokens = tuple(bytes(tokens_field.parts[i]).decode("utf-8", "replace") for i in tokens_field.data)
    model = _field(reader, "tokenizer.ggml.model")
    add_bos = _field(reader, "tokenizer.ggml.add_bos_token")
    if add_bos is None:
        # llama.cpp's default when the key is absent: SentencePiece vocabularies prepend BOS, BPE ones do not.
        add_bos = model == "llama"

    def token_id(key: str) -> int | None:
        value = _field(reader, key)
        return int(value) if value is not None else None

    return GgufSpecials(
        bos_id=token_id("tokenizer.ggml.bos_token_id"),
        eos_id=token_id("tokenizer.ggml.eos_token_id"),
        eot_id=token_id("tokenizer.ggml.eot_token_id"),
        add_bos=bool(add_bos),
        tokens=tokens,
    )


def apply_gguf_specials(tokenizer, specials: GgufSpecials):
    """Sets bos/eos (and add_bos) on a transformers tokenizer from the GGUF's own metadata."""
    bos, eos = specials.text(specials.bos_id), specials.text(specials.eos_id)
    if bos is not None:
        tokenizer.bos_token = bos
    if eos is not None:
        tokenizer.eos_token = eos
    if hasattr(tokenizer, "add_bos_token"):
        try:
            tokenizer.add_bos_token = specials.add_bos
        except AttributeError:  # some fast tokenizers expose it read-only; BOS is added by the contract anyway
            pass
    return tokenizer
