"""The preference objective: DPO/ORPO losses on hand-computed values, the pairs file, and the margin moving."""

import json
import math

import pytest
import torch
from aiclone_trainer.data import IGNORE_INDEX, DatasetError, Example
from aiclone_trainer.preference import (
    decide,
    dpo_loss,
    load_preferences,
    measure_margins,
    orpo_loss,
    pair_logps,
    reference_logps,
    sequence_logps,
)
from test_dataset_format import validator
from test_loss import _batch, _tiny_lora_llama, _token_nll

T = torch.tensor


def _log_sigmoid(x: float) -> float:
    return -math.log(1 + math.exp(-x))


def test_dpo_loss_on_hand_computed_values():
    # pair 1: policy gains 1 nat on chosen, loses 1 on rejected vs the reference: β·(1 − (−1)) = 0.2
    # pair 2: the policy moved the wrong way by 0.5 on each side: β·(−0.5 − 0.5) = −0.1
    loss = dpo_loss(T([-10.0, -5.0]), T([-12.0, -4.5]), T([-11.0, -4.5]), T([-11.0, -5.0]), beta=0.1)
    expected = -(_log_sigmoid(0.2) + _log_sigmoid(-0.1)) / 2
    assert float(loss) == pytest.approx(expected, rel=1e-6)
    assert float(loss) == pytest.approx((0.598139 + 0.744397) / 2, abs=1e-5)
    # Equal policy and reference: log 2, whatever the log-probabilities.
    assert float(dpo_loss(T([-3.0]), T([-7.0]), T([-3.0]), T([-7.0]), beta=0.5)) == pytest.approx(math.log(2))


def test_orpo_loss_on_hand_computed_values():
    def log_odds(mean_logp: float) -> float:
        p = math.exp(mean_logp)
        return math.log(p / (1 - p))

    c, r = -0.5, -1.0  # log odds 0.4326 and −0.5413
    expected = -0.25 * _log_sigmoid(log_odds(c) - log_odds(r))
    assert float(orpo_loss(T([c]), T([r]), beta=0.25)) == pytest.approx(expected, rel=1e-6)
    assert expected == pytest.approx(0.25 * 0.32035, abs=1e-4)
    # The draft more likely than the owner's text costs more than the other way round.
    assert float(orpo_loss(T([r]), T([c]), 1.0)) > float(orpo_loss(T([c]), T([r]), 1.0))


@pytest.mark.parametrize("softcap", [None, 30.0])
def test_sequence_logps_sum_each_rows_labelled_token_log_probabilities(softcap):
    model = _tiny_lora_llama()
    model.get_base_model().config.final_logit_softcapping = softcap
    ids, mask, labels = _batch()
    with torch.no_grad():
        rows = _token_nll(model, ids, mask, labels)
        sums, counts = sequence_logps(model, ids, mask, labels)
    torch.testing.assert_close(sums, torch.stack([-r.sum() for r in rows]), rtol=1e-5, atol=1e-5)
    assert counts.tolist() == [len(r) for r in rows]


def test_decide():
    assert decide("off", 8, 100) == {"ran": False, "reason": "off"}
    assert decide("dpo", 8, 7) == {"ran": False, "reason": "tooFewPairs"}
    assert decide("orpo", 8, 8) == {"ran": True, "reason": None}
    with pytest.raises(ValueError):
        decide("ppo", 8, 8)


PAIR = {
    "messages": [{"role": "system", "content": "You are Alex."}, {"role": "user", "content": "coming?"}],
    "chosen": "ya 5 min", "rejected": "Yes, I will be there shortly.", "correctionId": "c1",
}


@pytest.mark.parametrize(
    "record, ok",
    [
        (PAIR, True),
        ({**PAIR, "chosen": ""}, False),
        ({k: v for k, v in PAIR.items() if k != "correctionId"}, False),
        ({**PAIR, "messages": [{"role": "bot", "content": "x"}]}, False),
        ({**PAIR, "rejected": 3}, False),
    ],
)
def test_a_pair_the_schema_allows_is_one_the_trainer_loads(tmp_path, record, ok):
    assert (list(validator("preferencePair").iter_errors(record)) == []) == ok
    path = tmp_path / "preferences.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    if ok:
        [pair] = load_preferences(path)
        assert (pair.messages, pair.chosen, pair.rejected, pair.correction_id) == (
            PAIR["messages"], PAIR["chosen"], PAIR["rejected"], "c1")
    else:
        with pytest.raises(DatasetError):
            load_preferences(path)
    assert load_preferences(tmp_path / "absent.jsonl") == []


def _pairs(n: int, seed: int = 3) -> list[tuple[Example, Example]]:
    """Pairs on a shared random prompt: the chosen and rejected replies are different random tokens."""
    g = torch.Generator().manual_seed(seed)
    pairs = []
    for _ in range(n):
        prompt = torch.randint(0, 96, (6,), generator=g).tolist()
        sides = []
        for _ in range(2):
            reply = torch.randint(0, 96, (4,), generator=g).tolist()
            sides.append(Example(prompt + reply, [IGNORE_INDEX] * 6 + reply))
        pairs.append(tuple(sides))
    return pairs


@pytest.mark.parametrize("objective", ["dpo", "orpo"])
def test_training_on_the_objective_moves_the_margin_towards_the_chosen_reply(objective):
    model = _tiny_lora_llama(seed=5)
    pairs = _pairs(8)
    before = measure_margins(model, pairs, 0, "cpu", 4)
    ref_c, ref_r = reference_logps(model, pairs, 0, "cpu", 4)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=2e-2)
    model.train()
    for step in range(20):
        batch = pairs[(step % 2) * 4 : (step % 2) * 4 + 4]
        c, r, nc, nr = pair_logps(model, batch, 0, "cpu")
        if objective == "dpo":
            k = (step % 2) * 4
            loss = dpo_loss(c, r, T(ref_c[k : k + 4]), T(ref_r[k : k + 4]), beta=0.5)
        else:
            loss = orpo_loss(c / nc, r / nr, beta=1.0)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    after = measure_margins(model, pairs, 0, "cpu", 4)
    assert before["pairs"] == after["pairs"] == 8
    assert after["margin"] > before["margin"] + 0.5, (before, after)
    assert after["accuracy"] > before["accuracy"]
    assert after["marginPerToken"] > before["marginPerToken"]


def _write_pairs(dataset, n: int) -> None:
    from conftest import OWNER_REPLIES, PROMPTS

    with (dataset / "preferences.jsonl").open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({
                "messages": [{"role": "system", "content": "You are Alex."},
                             {"role": "user", "content": PROMPTS[i % len(PROMPTS)]}],
                "chosen": OWNER_REPLIES[i % len(OWNER_REPLIES)],
                "rejected": "Certainly! I would be glad to help you with that request.",
                "correctionId": f"c{i}",
            }, ensure_ascii=False) + "\n")


def test_a_run_with_dpo_reports_the_pairs_and_the_margin_moving(tiny_gguf, dataset, tmp_path):
    from conftest import run_train

    _write_pairs(dataset, 10)
    out = tmp_path / "out"
    proc, events = run_train(dataset, tiny_gguf, out, "--max-steps", "12", "--rank", "4", "--lr", "5e-2",
                             "--preference", "dpo", "--preference-beta", "0.5")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert events[0]["preference"] == {"objective": "dpo", "ran": True, "reason": None, "pairs": 10,
                                       "minPairs": 8, "beta": 0.5}
    progress = [e for e in events if e["event"] == "progress"]
    assert all("preference_loss" in e for e in progress)
    report = json.loads((out / "metrics.json").read_text())["preference"]
    assert report["ran"] and report["pairs"] == 10 and report["pairsInDataset"] == 10
    assert report["after"]["margin"] > report["before"]["margin"], report
    assert report["finalLoss"] < report["firstLoss"]


def test_too_few_pairs_leave_the_objective_off_and_still_measure_the_margin(tiny_gguf, dataset, tmp_path):
    from conftest import run_train

    _write_pairs(dataset, 3)
    out = tmp_path / "out"
    proc, events = run_train(dataset, tiny_gguf, out, "--max-steps", "2", "--rank", "4", "--preference", "orpo")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert all("preference_loss" not in e for e in events if e["event"] == "progress")
    report = json.loads((out / "metrics.json").read_text())["preference"]
    assert (report["ran"], report["reason"], report["pairs"]) == (False, "tooFewPairs", 3)
    assert report["before"]["pairs"] == report["after"]["pairs"] == 3
    assert "firstLoss" not in report
