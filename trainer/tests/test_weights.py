"""Sample weights through train_qlora.py: the same run with every sample weighted 2 starts from twice the loss."""

import json

from conftest import run_train


def _reweight(dataset, weight: float) -> None:
    path = dataset / "train.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    path.write_text("".join(json.dumps({**s, "weight": weight}) + "\n" for s in lines), encoding="utf-8")


def _first_loss(dataset, base, out):
    proc, events = run_train(dataset, base, out, "--max-steps", "1", "--rank", "4")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return next(e["loss"] for e in events if e["event"] == "progress")


def test_weights_scale_the_loss_of_their_samples_in_a_run(tiny_gguf, dataset, tmp_path):
    plain = _first_loss(dataset, tiny_gguf, tmp_path / "plain")
    _reweight(dataset, 2.0)
    doubled = _first_loss(dataset, tiny_gguf, tmp_path / "doubled")
    assert abs(doubled - 2 * plain) < 1e-4 * plain, (plain, doubled)
    metrics = json.loads((tmp_path / "doubled" / "metrics.json").read_text())
    assert metrics["dataset"]["weighted_samples"] == 12 and metrics["dataset"]["weight_sum"] == 24.0


def test_a_weight_out_of_bounds_fails_the_run_naming_the_line(tiny_gguf, dataset, tmp_path):
    _reweight(dataset, 11)
    proc, events = run_train(dataset, tiny_gguf, tmp_path / "out", "--max-steps", "1")
    assert proc.returncode == 1
    assert events[-1]["event"] == "failed" and "train.jsonl:1: weight must be" in events[-1]["reason"]
