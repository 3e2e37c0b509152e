"""Held-out perplexity of the owner's replies, base vs adapted."""

from __future__ import annotations

import contextlib
import math
from typing import Any

import torch

from .data import IGNORE_INDEX, Example

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


def heldout_perplexity(model, examples: list[Example], device: str) -> dict[str, Any]:
    """Perplexity of the owner's held-out replies (and their end of turn), base vs adapted.

    Replies are judged as the person meets them by the runtime's fidelity report (generation through
    llama.cpp with the exported adapter); this part needs the model's own probabilities, so it runs here on
    the same token ids the runtime sends (the prompt parity test proves they are the same).
    """
    was_training = model.training
    model.eval()
    try:
        with _base_context(model):
            base = assistant_perplexity(model, examples, device)
        adapted = assistant_perplexity(model, examples, device)
    finally:
        model.train(was_training)
    return {"base": base, "adapted": adapted}
