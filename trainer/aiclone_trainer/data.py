"""Chat dataset loading and tokenization with loss only on the assistant (owner) tokens."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .prompt_contract import PromptContract

IGNORE_INDEX = -100
ROLES = ("system", "user", "assistant")

class DatasetError(ValueError):
    pass


MAX_WEIGHT = 10.0  # the dataset format's bound (domain/artifacts/datasetFormat.schema.json)


def _read_records(path: Path):
    """(where, record) for each non-empty line of a JSONL file; a line that is no JSON is refused."""
    if not path.is_file():
        raise DatasetError(f"{path}: file not found")
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                yield where, json.loads(line)
            except json.JSONDecodeError as e:
                raise DatasetError(f"{where}: not valid JSON ({e.msg})") from None


def check_messages(where: str, messages: Any, need_assistant: bool = True) -> list[dict[str, str]]:
    if not isinstance(messages, list) or not messages:
        raise DatasetError(f'{where}: expected {{"messages": [...]}} with at least one message')
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") not in ROLES or not isinstance(m.get("content"), str):
            raise DatasetError(f"{where}: messages[{i}] must be {{role: system|user|assistant, content: string}}")
    if need_assistant and not any(m["role"] == "assistant" for m in messages):
        raise DatasetError(f"{where}: no assistant message to learn from")
    return [{"role": m["role"], "content": m["content"]} for m in messages]


def sample_weight(where: str, record: dict[str, Any]) -> float:
    """A sample's `weight` (absent = 1): a number in (0, 10], as the dataset format allows."""
    weight = record.get("weight", 1.0)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= MAX_WEIGHT:
        raise DatasetError(f"{where}: weight must be a number > 0 and <= {MAX_WEIGHT:g}")
    return float(weight)


def load_samples(path: Path) -> list[tuple[list[dict[str, str]], float]]:
    """Each sample's messages and its loss weight (the owner's corrections may weigh more than 1)."""
    samples = []
    for where, record in _read_records(path):
        messages = record.get("messages") if isinstance(record, dict) else None
        samples.append((check_messages(where, messages), sample_weight(where, record)))
    if not samples:
        raise DatasetError(f"{path}: no samples")
    return samples


def load_jsonl(path: Path) -> list[list[dict[str, str]]]:
    return [messages for messages, _ in load_samples(path)]


class ChatFormatter:
    """Renders conversations through the prompt contract and tokenizes them the way the runtime will."""

    def __init__(self, tokenizer: Any, contract: PromptContract):
        self.tokenizer = tokenizer
        self.contract = contract
        self.template_name = contract.template
        self.bos_id = tokenizer.convert_tokens_to_ids(contract.bos_token) if contract.add_bos else None
        # Generation stops where a turn ends: the contract's end-of-turn token (and EOS, which llama.cpp stops on).
        stops = {tokenizer.convert_tokens_to_ids(contract.end_of_turn), tokenizer.eos_token_id}
        self.stop_ids = sorted(i for i in stops if isinstance(i, int) and i >= 0)

    def _ids(self, text: str, offsets: bool = False):
        enc = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=offsets)
        head = [self.bos_id] if self.bos_id is not None else []
        ids = head + list(enc["input_ids"])
        if not offsets:
            return ids, None
        return ids, [(0, 0)] * len(head) + [tuple(o) for o in enc["offset_mapping"]]

    def prompt_ids(self, messages: list[dict[str, str]]) -> list[int]:
        """Token ids that ask the model for the next assistant reply."""
        text, _ = self.contract.render(messages, generation_prompt=True)
        return self._ids(text)[0]

    def render_with_spans(self, messages: list[dict[str, str]]) -> tuple[str, list[tuple[int, int]]]:
        return self.contract.render(messages, generation_prompt=False)


@dataclass
class Example:
    input_ids: list[int]
    labels: list[int]
    weight: float = 1.0  # the sample's loss is multiplied by it

    @property
    def trainable_tokens(self) -> int:
        return sum(1 for x in self.labels if x != IGNORE_INDEX)


def tokenize_conversation(
    formatter: ChatFormatter, messages: list[dict[str, str]], last_reply_only: bool = False, weight: float = 1.0
) -> Example:
    text, spans = formatter.render_with_spans(messages)
    if last_reply_only:  # earlier replies of a held-out sample may be training targets elsewhere
        spans = spans[-1:]
    ids, offsets = formatter._ids(text, offsets=True)
    labels = [IGNORE_INDEX] * len(ids)
    for k, (a, b) in enumerate(offsets):
        if b <= a:
            continue  # BOS and tokens without a span
        for s, e in spans:
            if a < e and b > s:  # token overlaps an assistant reply or its end of turn
                labels[k] = ids[k]
                break
    return Example(ids, labels, weight)


def truncate(example: Example, cutoff: int, keep_first: bool) -> Example:
    """Keeps the end of a long conversation (the reply to learn is last) and the BOS token."""
    if len(example.input_ids) <= cutoff:
        return example
    head = 1 if keep_first else 0
    ids = example.input_ids[:head] + example.input_ids[len(example.input_ids) - (cutoff - head) :]
    labels = [IGNORE_INDEX] * head + example.labels[len(example.labels) - (cutoff - head) :]
    return Example(ids, labels, example.weight)


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
