"""The labelled-positions-only loss equals transformers' full-logits loss, values and gradients."""

import pytest
import torch
from aiclone_trainer.data import IGNORE_INDEX
from aiclone_trainer.loss import causal_lm_loss, supports_labelled_only
from aiclone_trainer.modeling import wrap_lora
from transformers import LlamaConfig, LlamaForCausalLM


def _tiny_lora_llama(seed: int = 0):
    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=96, hidden_size=16, intermediate_size=32, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=64, tie_word_embeddings=True,
    )
    model = wrap_lora(LlamaForCausalLM(config), rank=4, alpha=8, dropout=0.0)
    for name, p in model.named_parameters():
        if "lora_B" in name:  # PEFT starts B at zero; move it so the adapter matters for the gradients
            torch.nn.init.normal_(p, std=0.1)
    return model


def _batch():
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(0, 96, (3, 12), generator=g)
    mask = torch.ones_like(ids)
    mask[1, 9:] = 0  # right padding, as the trainer's collate does
    mask[2, 5:] = 0
    labels = torch.full_like(ids, IGNORE_INDEX)
    labels[0, 4:8] = ids[0, 4:8]
    labels[0, 10:] = ids[0, 10:]
    labels[1, 3:9] = ids[1, 3:9]
    labels[2, 1:5] = ids[2, 1:5]
    return ids, mask, labels


def _loss_and_grads(model, fn):
    model.zero_grad(set_to_none=True)
    loss = fn()
    loss.backward()
    return loss.detach(), {n: p.grad.clone() for n, p in model.named_parameters() if p.requires_grad}


def test_labelled_only_loss_matches_full_logits_loss():
    model = _tiny_lora_llama()
    model.train()
    assert supports_labelled_only(model)
    ids, mask, labels = _batch()
    full, full_grads = _loss_and_grads(model, lambda: model(input_ids=ids, attention_mask=mask, labels=labels).loss)
    mine, my_grads = _loss_and_grads(model, lambda: causal_lm_loss(model, ids, mask, labels))
    assert torch.isfinite(full)
    torch.testing.assert_close(mine, full, rtol=1e-5, atol=1e-6)
    assert set(my_grads) == set(full_grads) and full_grads
    for name, grad in full_grads.items():
        torch.testing.assert_close(my_grads[name], grad, rtol=1e-4, atol=1e-6, msg=name)


def test_other_heads_fall_back_to_the_library_loss():
    model = _tiny_lora_llama()
    ids, mask, labels = _batch()
    model.get_base_model().config.final_logit_softcapping = 30.0  # a head this module does not reproduce
    assert not supports_labelled_only(model)
    with torch.no_grad():
        expected = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        assert causal_lm_loss(model, ids, mask, labels) == pytest.approx(float(expected))


def _token_nll(model, ids, mask, labels):
    """Each labelled token's loss from the library's full logits, one row at a time (the hand computation)."""
    logits = model(input_ids=ids, attention_mask=mask).logits.float()
    logp = torch.log_softmax(logits[:, :-1], dim=-1)
    targets = labels[:, 1:]
    rows = []
    for i in range(ids.size(0)):
        keep = targets[i] != IGNORE_INDEX
        rows.append(-logp[i][keep].gather(-1, targets[i][keep][:, None]).squeeze(-1))
    return rows


@pytest.mark.parametrize("softcap", [None, 30.0])
def test_sample_weights_multiply_each_samples_token_losses(softcap):
    model = _tiny_lora_llama()
    model.get_base_model().config.final_logit_softcapping = softcap  # both the labelled-only and library paths
    ids, mask, labels = _batch()
    weights = torch.tensor([2.0, 1.0, 0.5])
    with torch.no_grad():
        rows = _token_nll(model, ids, mask, labels)
        n_tokens = sum(len(r) for r in rows)
        expected = sum(float(w) * float(r.sum()) for w, r in zip(weights, rows)) / n_tokens
        plain = causal_lm_loss(model, ids, mask, labels)
        assert causal_lm_loss(model, ids, mask, labels, weights) == pytest.approx(expected, rel=1e-5)
        # weight 1 everywhere is the unweighted loss; 2 everywhere doubles it (no renormalisation per batch)
        assert causal_lm_loss(model, ids, mask, labels, torch.ones(3)) == pytest.approx(float(plain), rel=1e-6)
        assert causal_lm_loss(model, ids, mask, labels, torch.full((3,), 2.0)) == pytest.approx(2 * float(plain), rel=1e-5)
        assert float(plain) == pytest.approx(sum(float(r.sum()) for r in rows) / n_tokens, rel=1e-5)
