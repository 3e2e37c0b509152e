"""The training loss: next-token cross-entropy over the labelled (assistant) positions only.

`model(..., labels=...)` projects every position of the batch onto the whole vocabulary before it drops the
unlabelled ones: for SmolLM2 (49k vocab) a batch of 4x160 tokens makes 126 MB of fp32 logits, and the
loss keeps several tensors of that size alive for the backward pass (logits, log-softmax, their grads).
Most positions are the system prompt and the other side of the chat, whose loss is ignored anyway. Here
the decoder's hidden states are gathered at the labelled positions first and only those go through the
LM head: same loss (mean over labelled tokens), a fraction of the memory and of the head's compute.
"""

from __future__ import annotations

import torch

from .data import IGNORE_INDEX

# Model types whose causal-LM forward is `lm_head(decoder(...).last_hidden_state)` with nothing after the
# head (no logit scaling or soft-capping). Others take the library's own full-logits loss.
_PLAIN_HEAD_TYPES = {"llama", "mistral", "qwen2", "qwen3"}


def _causal_lm(model):
    """The transformers *ForCausalLM under a PEFT wrapper (or the model itself)."""
    return model.get_base_model() if hasattr(model, "get_base_model") else model


def supports_labelled_only(model) -> bool:
    inner = _causal_lm(model)
    config = inner.config
    return (
        config.model_type in _PLAIN_HEAD_TYPES
        and getattr(config, "final_logit_softcapping", None) is None
        and getattr(config, "logit_scale", None) in (None, 1.0)
        and hasattr(inner, "model")
        and hasattr(inner, "lm_head")
    )


def _weighted_mean(nll: torch.Tensor, row_weights: torch.Tensor) -> torch.Tensor:
    """sum(weight of the token's sample x its loss) / number of labelled tokens (not the sum of weights)."""
    return (nll * row_weights).sum() / nll.numel()


def causal_lm_loss(
    model, input_ids: torch.Tensor, attention_mask: torch.Tensor, labels: torch.Tensor,
    weights: torch.Tensor | None = None,
) -> torch.Tensor:
    """Mean next-token cross-entropy over positions whose label is not IGNORE_INDEX (as transformers computes it).

    `weights` (one per row): each labelled token's loss is multiplied by its sample's weight and the sum is
    divided by the count of labelled tokens, as without weights. A batch of weight-1 samples gives exactly the
    unweighted loss; a sample of weight 2 counts as if it were there twice; weights are not renormalised per
    batch, so a batch made only of weight-2 corrections takes a step twice as large.
    """
    targets = labels[:, 1:]
    keep = targets != IGNORE_INDEX
    plain = weights is None or bool((weights == 1).all())
    if not supports_labelled_only(model):
        if plain:
            return model(input_ids=input_ids, attention_mask=attention_mask, labels=labels).loss
        logits = model(input_ids=input_ids, attention_mask=attention_mask).logits[:, :-1][keep].float()
    else:
        inner = _causal_lm(model)
        hidden = inner.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        # Position t predicts token t+1: the same shift as transformers' ForCausalLMLoss.
        logits = inner.lm_head(hidden[:, :-1][keep]).float()
    # An all-ignored batch gives nan, as the library's loss does (the trainer drops such samples up front).
    if plain:
        return torch.nn.functional.cross_entropy(logits, targets[keep])
    nll = torch.nn.functional.cross_entropy(logits, targets[keep], reduction="none")
    row_weights = weights.to(nll.dtype)[:, None].expand_as(targets)[keep]
    return _weighted_mean(nll, row_weights)
