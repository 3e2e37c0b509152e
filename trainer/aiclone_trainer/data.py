"""Chat dataset loading and tokenization with loss only on the assistant (owner) tokens."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

IGNORE_INDEX = -100
ROLES = ("system", "user", "assistant")

# Used when the tokenizer carries no chat template (e.g. a raw base model). The runtime must render
# prompts the same way; the template's name is recorded in metrics.json.
FALLBACK_TEMPLATE_NAME = "aiclone-fallback-v1"
_FALLBACK_HEADERS = {"system": "### System:\n", "user": "### User:\n", "assistant": "### Assistant:\n"}


class DatasetError(ValueError):
    pass


def load_jsonl(path: Path) -> list[list[dict[str, str]]]:
    if not path.is_file():
        raise DatasetError(f"{path}: file not found")
    conversations = []
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise DatasetError(f"{where}: not valid JSON ({e.msg})") from None
            messages = record.get("messages") if isinstance(record, dict) else None
            if not isinstance(messages, list) or not messages:
                raise DatasetError(f'{where}: expected {{"messages": [...]}} with at least one message')
            for i, m in enumerate(messages):
                if not isinstance(m, dict) or m.get("role") not in ROLES or not isinstance(m.get("content"), str):
                    raise DatasetError(
                        f"{where}: messages[{i}] must be {{role: system|user|assistant, content: string}}"
                    )
            if not any(m["role"] == "assistant" for m in messages):
                raise DatasetError(f"{where}: no assistant message to learn from")
            conversations.append([{"role": m["role"], "content": m["content"]} for m in messages])
    if not conversations:
        raise DatasetError(f"{path}: no samples")
    return conversations


class ChatFormatter:
    """Renders conversations to text and knows the character spans of assistant replies."""

    def __init__(self, tokenizer: Any):
        self.tokenizer = tokenizer
        self.uses_chat_template = bool(getattr(tokenizer, "chat_template", None))
        self.template_name = "tokenizer.chat_template" if self.uses_chat_template else FALLBACK_TEMPLATE_NAME
        self.eos = tokenizer.eos_token or ""

    def _render(self, messages: list[dict[str, str]], generation_prompt: bool) -> str:
        if self.uses_chat_template:
            return self.tokenizer.apply_chat_template(
                messages, tokenize=False, add_generation_prompt=generation_prompt
            )
        parts = []
        for m in messages:
            tail = self.eos if m["role"] == "assistant" else ""
            parts.append(f"{_FALLBACK_HEADERS[m['role']]}{m['content']}{tail}\n\n")
        if generation_prompt:
            parts.append(_FALLBACK_HEADERS["assistant"])
        return "".join(parts)

    def render_prompt(self, messages: list[dict[str, str]]) -> str:
        """Text that asks the model for the next assistant reply."""
        return self._render(messages, generation_prompt=True)

    def render_with_spans(self, messages: list[dict[str, str]]) -> tuple[str, list[tuple[int, int]]]:
        full = self._render(messages, generation_prompt=False)
        spans = []
        for i, m in enumerate(messages):
            if m["role"] != "assistant":
                continue
            before = self._render(messages[:i], generation_prompt=True) if i else ""
            through = self._render(messages[: i + 1], generation_prompt=False)
            if full.startswith(through) and through.startswith(before):
                start, end = len(before), len(through)
                # Trailing whitespace after the end-of-turn marker is formatting, not the owner's words.
                while end > start and full[end - 1].isspace():
                    end -= 1
            else:
                # Templates that rewrite earlier turns (rare): fall back to finding the content itself.
                start = full.find(m["content"], spans[-1][1] if spans else 0)
                if start < 0:
                    continue
                end = start + len(m["content"])
            spans.append((start, end))
        return full, spans


@dataclass
class Example:
    input_ids: list[int]
    labels: list[int]

    @property
    def trainable_tokens(self) -> int:
        return sum(1 for x in self.labels if x != IGNORE_INDEX)


def tokenize_conversation(formatter: ChatFormatter, messages: list[dict[str, str]]) -> Example:
    text, spans = formatter.render_with_spans(messages)
    tok = formatter.tokenizer
    add_special = not formatter.uses_chat_template  # chat templates already write BOS
    enc = tok(text, add_special_tokens=add_special, return_offsets_mapping=True)
    ids = list(enc["input_ids"])
    labels = [IGNORE_INDEX] * len(ids)
    for k, (a, b) in enumerate(enc["offset_mapping"]):
        if b <= a:
            continue  # special tokens added by the tokenizer have an empty span
        for s, e in spans:
            if a < e and b > s:  # token overlaps an assistant span
                labels[k] = ids[k]
                break
    return Example(ids, labels)


def truncate(example: Example, cutoff: int, keep_first: bool) -> Example:
    """Keeps the end of a long conversation (the reply to learn is last) and the BOS token."""
    if len(example.input_ids) <= cutoff:
        return example
    head = 1 if keep_first else 0
    ids = example.input_ids[:head] + example.input_ids[len(example.input_ids) - (cutoff - head) :]
    labels = [IGNORE_INDEX] * head + example.labels[len(example.labels) - (cutoff - head) :]
    return Example(ids, labels)


def default_cutoff(lengths: list[int], percentile: float = 0.95, floor: int = 32, cap: int = 2048) -> int:
    ordered = sorted(lengths)
    idx = min(len(ordered) - 1, max(0, math.ceil(percentile * len(ordered)) - 1))
    value = max(floor, min(cap, ordered[idx]))
    return int(math.ceil(value / 8) * 8)


def length_stats(lengths: list[int]) -> dict[str, int]:
    ordered = sorted(lengths)

    def pct(p: float) -> int:
        return ordered[min(len(ordered) - 1, max(0, math.ceil(p * len(ordered)) - 1))]

    return {"min": ordered[0], "p50": pct(0.5), "p95": pct(0.95), "max": ordered[-1]}
