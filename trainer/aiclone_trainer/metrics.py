"""Fidelity report on held-out conversations: perplexity of the owner's tokens and style of replies."""

from __future__ import annotations

import contextlib
import math
import re
import statistics
from typing import Any

import torch

from .data import IGNORE_INDEX, ChatFormatter, Example

# Emoji and pictographs, dingbats, flags, variation selectors' usual companions.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f1e6-\U0001f1ff\U00002300-\U000023ff\U00002b00-\U00002bff]"
)


def _base_context(model):
    return model.disable_adapter() if hasattr(model, "disable_adapter") else contextlib.nullcontext()


@torch.no_grad()
def assistant_perplexity(model, examples: list[Example], device: str) -> dict[str, float] | None:
    total_nll, total_tokens = 0.0, 0
    for ex in examples:
        ids = torch.tensor([ex.input_ids], device=device)
        labels = torch.tensor([ex.labels], device=device)
        logits = model(input_ids=ids).logits.float()
        shift_logits, shift_labels = logits[:, :-1], labels[:, 1:]
        n = int((shift_labels != IGNORE_INDEX).sum())
        if n == 0:
            continue
        nll = torch.nn.functional.cross_entropy(
            shift_logits.reshape(-1, shift_logits.size(-1)), shift_labels.reshape(-1),
            ignore_index=IGNORE_INDEX, reduction="sum",
        )
        total_nll += float(nll)
        total_tokens += n
    if total_tokens == 0:
        return None
    mean = total_nll / total_tokens
    return {"perplexity": math.exp(min(mean, 700.0)), "mean_nll": mean, "tokens": total_tokens}


def style_profile(replies: list[str]) -> dict[str, Any]:
    if not replies:
        return {"count": 0}
    lengths = [len(r) for r in replies]
    chars = sum(lengths) or 1
    emoji_counts = [len(_EMOJI.findall(r)) for r in replies]
    letters = [next((c for c in r if c.isalpha()), None) for r in replies]
    with_letter = [c for c in letters if c is not None]
    endings = {"period": 0, "exclamation": 0, "question": 0, "ellipsis": 0, "emoji": 0, "other": 0, "empty": 0}
    for r in replies:
        s = r.rstrip()
        if not s:
            endings["empty"] += 1
        elif s.endswith("...") or s.endswith("…"):
            endings["ellipsis"] += 1
        elif s[-1] == ".":
            endings["period"] += 1
        elif s[-1] == "!":
            endings["exclamation"] += 1
        elif s[-1] == "?":
            endings["question"] += 1
        elif _EMOJI.match(s[-1]):
            endings["emoji"] += 1
        else:
            endings["other"] += 1
    n = len(replies)
    return {
        "count": n,
        "median_length_chars": statistics.median(lengths),
        "emoji_per_100_chars": 100.0 * sum(emoji_counts) / chars,
        "share_with_emoji": sum(1 for c in emoji_counts if c) / n,
        "lowercase_start_share": (sum(1 for c in with_letter if c.islower()) / len(with_letter)) if with_letter else None,
        "endings": {k: v / n for k, v in endings.items()},
    }


@torch.no_grad()
def generate_reply(model, tokenizer, prompt_ids: list[int], device: str, max_new_tokens: int) -> str:
    ids = torch.tensor([prompt_ids], device=device)
    out = model.generate(
        input_ids=ids,
        attention_mask=torch.ones_like(ids),
        max_new_tokens=max_new_tokens,
        do_sample=False,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    return tokenizer.decode(out[0, ids.shape[1]:], skip_special_tokens=True).strip()


def fidelity_report(
    model,
    tokenizer,
    formatter: ChatFormatter,
    val_conversations: list[list[dict[str, str]]],
    val_examples: list[Example],
    device: str,
    cutoff: int,
    max_prompts: int = 8,
    max_new_tokens: int = 40,
    samples: int = 4,
) -> dict[str, Any]:
    was_training = model.training
    model.eval()
    use_cache = model.config.use_cache
    model.config.use_cache = True
    try:
        with _base_context(model):
            base_ppl = assistant_perplexity(model, val_examples, device)
        adapted_ppl = assistant_perplexity(model, val_examples, device)

        owner, base_replies, adapted_replies, side_by_side = [], [], [], []
        for conv in val_conversations[:max_prompts]:
            last = max(i for i, m in enumerate(conv) if m["role"] == "assistant")
            prompt_text = formatter.render_prompt(conv[:last])
            add_special = not formatter.uses_chat_template
            prompt_ids = tokenizer(prompt_text, add_special_tokens=add_special)["input_ids"]
            prompt_ids = prompt_ids[-max(8, cutoff - max_new_tokens):]
            with _base_context(model):
                base_reply = generate_reply(model, tokenizer, prompt_ids, device, max_new_tokens)
            adapted_reply = generate_reply(model, tokenizer, prompt_ids, device, max_new_tokens)
            owner.append(conv[last]["content"])
            base_replies.append(base_reply)
            adapted_replies.append(adapted_reply)
            if len(side_by_side) < samples:
                user_turns = [m["content"] for m in conv[:last] if m["role"] == "user"]
                side_by_side.append({
                    "prompt": user_turns[-1] if user_turns else "",
                    "owner": conv[last]["content"],
                    "base": base_reply,
                    "adapted": adapted_reply,
                })
    finally:
        model.config.use_cache = use_cache
        model.train(was_training)

    return {
        "perplexity": {"base": base_ppl, "adapted": adapted_ppl},
        "style": {
            "owner": style_profile(owner),
            "base": style_profile(base_replies),
            "adapted": style_profile(adapted_replies),
            "generation": {"greedy": True, "max_new_tokens": max_new_tokens, "prompts": len(owner)},
        },
        "samples": side_by_side,
    }
