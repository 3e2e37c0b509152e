"""The preference objective on the owner's corrections: DPO or ORPO over preferences.jsonl.

A pair is a prompt (the system message and the turns up to the user's), `chosen` (what the owner wrote)
and `rejected` (the clone's draft they corrected). Both replies are scored as the SFT loss scores a reply:
the reply's tokens and its end of turn, through the prompt contract, summed log-probabilities.

- DPO (Rafailov et al. 2023): -log σ(β·((log π(c) − log π_ref(c)) − (log π(r) − log π_ref(r)))), the
  reference being the same model with the LoRA adapter disabled (no second model in memory); its
  log-probabilities do not change during the run, so they are computed once before the first step.
- ORPO (Hong et al. 2024): λ·−log σ(log odds(c) − log odds(r)), odds(y) = P(y)/(1 − P(y)) with P(y) the
  mean per-token probability (exp of the mean log-probability). ORPO's SFT half is the run's own SFT loss
  (the owner's corrected replies are samples of train.jsonl). No reference model.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import torch
import torch.nn.functional as F

from .data import IGNORE_INDEX, DatasetError, Example, _read_records, check_messages, tokenize_conversation
from .loss import _causal_lm, supports_labelled_only

OBJECTIVES = ("dpo", "orpo", "off")
DEFAULT_MIN_PAIRS = 8
DEFAULT_BETA = {"dpo": 0.1, "orpo": 0.1}
MAX_MEASURED_PAIRS = 256  # the margin figures are measured on at most this many pairs


@dataclass
class PreferencePair:
    messages: list[dict[str, str]]
    chosen: str
    rejected: str
    correction_id: str


def load_preferences(path: Path) -> list[PreferencePair]:
    """preferences.jsonl as the dataset format declares it; no file: no pairs."""
    if not path.is_file():
        return []
    pairs = []
    for where, record in _read_records(path):
        if not isinstance(record, dict):
            raise DatasetError(f"{where}: expected a preference pair object")
        messages = check_messages(where, record.get("messages"), need_assistant=False)
        for key in ("chosen", "rejected", "correctionId"):
            if not isinstance(record.get(key), str) or not record[key]:
                raise DatasetError(f"{where}: {key} must be a non-empty string")
        pairs.append(PreferencePair(messages, record["chosen"], record["rejected"], record["correctionId"]))
    return pairs


def tokenize_pairs(formatter, pairs: list[PreferencePair], fit: Callable[[Example], Example]) -> list[tuple[Example, Example]]:
    """(chosen, rejected) examples labelled on the reply only; a pair whose reply is cut away entirely is dropped."""
    out = []
    for pair in pairs:
        sides = tuple(
            fit(tokenize_conversation(formatter, [*pair.messages, {"role": "assistant", "content": text}], True))
            for text in (pair.chosen, pair.rejected)
        )
        if all(e.trainable_tokens > 0 for e in sides):
            out.append(sides)
    return out


def _collate(examples: list[Example], pad_id: int, device: str):
    width = max(len(e.input_ids) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE_INDEX, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    for i, e in enumerate(examples):
        ids[i, : len(e.input_ids)] = torch.tensor(e.input_ids)
        labels[i, : len(e.labels)] = torch.tensor(e.labels)
        mask[i, : len(e.input_ids)] = 1
    return ids.to(device), mask.to(device), labels.to(device)


def sequence_logps(model, input_ids: torch.Tensor, attention_mask: torch.Tensor, labels: torch.Tensor):
    """(sum of the labelled tokens' log-probabilities, their count), one value per row."""
    targets = labels[:, 1:]
    keep = targets != IGNORE_INDEX
    if supports_labelled_only(model):  # the LM head on the labelled positions only, as the SFT loss does
        inner = _causal_lm(model)
        hidden = inner.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        logits = inner.lm_head(hidden[:, :-1][keep]).float()
    else:
        logits = model(input_ids=input_ids, attention_mask=attention_mask).logits[:, :-1][keep].float()
    token_logp = logits.log_softmax(-1).gather(-1, targets[keep][:, None]).squeeze(-1)
    rows = keep.nonzero()[:, 0]
    sums = torch.zeros(labels.size(0), dtype=token_logp.dtype, device=token_logp.device).index_add(0, rows, token_logp)
    return sums, keep.sum(-1)


def pair_logps(model, batch: list[tuple[Example, Example]], pad_id: int, device: str):
    """Summed log-probabilities and token counts of the chosen and the rejected replies of a batch of pairs."""
    examples = [c for c, _ in batch] + [r for _, r in batch]
    sums, counts = sequence_logps(model, *_collate(examples, pad_id, device))
    n = len(batch)
    return sums[:n], sums[n:], counts[:n], counts[n:]


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta: float) -> torch.Tensor:
    """Mean DPO loss over the pairs: -log σ(β·((π_c − ref_c) − (π_r − ref_r))), log-probabilities summed per reply."""
    logits = beta * ((policy_chosen - ref_chosen) - (policy_rejected - ref_rejected))
    return -F.logsigmoid(logits).mean()


def orpo_loss(chosen_mean_logp, rejected_mean_logp, beta: float) -> torch.Tensor:
    """ORPO's odds-ratio term, λ·-log σ(log odds_c − log odds_r), from mean per-token log-probabilities (< 0)."""
    # A mean log-probability of exactly 0 (P = 1) has infinite odds: kept just below it.
    chosen_mean_logp = chosen_mean_logp.clamp(max=-1e-6)
    rejected_mean_logp = rejected_mean_logp.clamp(max=-1e-6)
    log_odds = (chosen_mean_logp - rejected_mean_logp) - (
        torch.log1p(-torch.exp(chosen_mean_logp)) - torch.log1p(-torch.exp(rejected_mean_logp))
    )
    return -beta * F.logsigmoid(log_odds).mean()


def pair_batch(step: int, pairs: list, batch_size: int, seed: int) -> list:
    """The pairs an optimizer step trains on: a deterministic shuffle per pass, as the SFT batches."""
    per_pass = -(-len(pairs) // batch_size)
    epoch, index = divmod(step, per_pass)
    order = list(range(len(pairs)))
    random.Random(seed * 7919 + 17 + epoch).shuffle(order)
    return [pairs[i] for i in order[index * batch_size : (index + 1) * batch_size]]


@torch.no_grad()
def reference_logps(model, pairs: list[tuple[Example, Example]], pad_id: int, device: str, batch_size: int):
    """The reference's (adapter disabled) summed log-probabilities of every pair's replies: (chosen, rejected) lists."""
    was_training = model.training
    model.eval()
    chosen: list[float] = []
    rejected: list[float] = []
    try:
        with model.disable_adapter():
            for i in range(0, len(pairs), batch_size):
                c, r, _, _ = pair_logps(model, pairs[i : i + batch_size], pad_id, device)
                chosen += c.tolist()
                rejected += r.tolist()
    finally:
        model.train(was_training)
    return chosen, rejected


@torch.no_grad()
def measure_margins(model, pairs: list[tuple[Example, Example]], pad_id: int, device: str, batch_size: int) -> dict[str, Any]:
    """How much more likely the model finds the owner's text than the clone's draft, over the pairs.

    margin: the mean of log P(chosen) − log P(rejected) (summed over each reply's tokens); per token: the
    same with mean per-token log-probabilities (independent of the replies' lengths); accuracy: the share
    of pairs with a positive margin.
    """
    pairs = pairs[:MAX_MEASURED_PAIRS]
    was_training = model.training
    model.eval()
    margins: list[float] = []
    per_token: list[float] = []
    try:
        for i in range(0, len(pairs), batch_size):
            c, r, nc, nr = pair_logps(model, pairs[i : i + batch_size], pad_id, device)
            margins += (c - r).tolist()
            per_token += (c / nc - r / nr).tolist()
    finally:
        model.train(was_training)
    n = len(margins)
    return {
        "pairs": n,
        "margin": sum(margins) / n,
        "marginPerToken": sum(per_token) / n,
        "accuracy": sum(1 for m in margins if m > 0) / n,
    }


def decide(objective: str, min_pairs: int, pairs: int) -> dict[str, Any]:
    """Whether the objective runs, and why not when it does not (`off`, or fewer pairs than the minimum)."""
    if objective not in OBJECTIVES:
        raise ValueError(f"--preference must be one of {', '.join(OBJECTIVES)}")
    if min_pairs < 1:
        raise ValueError("--preference-min-pairs must be >= 1")
    if objective == "off":
        return {"ran": False, "reason": "off"}
    if pairs < min_pairs:
        return {"ran": False, "reason": "tooFewPairs"}
    return {"ran": True, "reason": None}
