"""Continuing from a parent adapter (--init-adapter): the run starts from the parent's LoRA weights."""

import json

from conftest import run_train as _run_train


# Three runs, the first converting the tokenizer: generous on a shared 2-core machine.
def run_train(*args):
    return _run_train(*args, timeout=900)


PARENT = ["--max-steps", "12", "--rank", "4", "--alpha", "8", "--lr", "5e-2"]
# A learning rate too small to move anything: what the run reports is the weights it started from.
FROZEN = ["--max-steps", "1", "--lr", "1e-12"]


def _ppl(out):
    return json.loads((out / "metrics.json").read_text())["eval"]["perplexity"]


def _first_loss(events):
    return next(e["loss"] for e in events if e["event"] == "progress")


def test_continued_run_starts_from_the_parents_weights(tiny_gguf, dataset, tmp_path):
    parent_out = tmp_path / "parent"
    proc, parent_events = run_train(dataset, tiny_gguf, parent_out, *PARENT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    parent_ppl = _ppl(parent_out)
    assert parent_ppl["adapted"]["perplexity"] < parent_ppl["base"]["perplexity"]

    child_out = tmp_path / "child"
    proc, child_events = run_train(dataset, tiny_gguf, child_out, *FROZEN, "--init-adapter", str(parent_out / "peft"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    fresh_out = tmp_path / "fresh"
    proc, fresh_events = run_train(dataset, tiny_gguf, fresh_out, *FROZEN, "--rank", "4", "--alpha", "8")
    assert proc.returncode == 0, proc.stderr[-3000:]

    child_ppl, fresh_ppl = _ppl(child_out), _ppl(fresh_out)
    # The child's held-out loss is where the parent ended; a fresh LoRA (B = 0) is the base model's.
    assert abs(child_ppl["adapted"]["mean_nll"] - parent_ppl["adapted"]["mean_nll"]) < 1e-4, (child_ppl, parent_ppl)
    assert abs(fresh_ppl["adapted"]["mean_nll"] - fresh_ppl["base"]["mean_nll"]) < 1e-4, fresh_ppl
    assert child_ppl["adapted"]["mean_nll"] < fresh_ppl["adapted"]["mean_nll"] - 0.01
    # Same seed, same first batch: the fresh run's first loss is the parent's first, the child's is far below.
    assert abs(_first_loss(fresh_events) - _first_loss(parent_events)) < 1e-5
    assert _first_loss(child_events) < _first_loss(parent_events) - 0.01

    started = child_events[0]
    assert started["event"] == "started" and started["init_adapter"] == str(parent_out / "peft")
    assert started["rank"] == 4 and started["alpha"] == 8.0  # the parent's shape, not the default rank 16
    metrics = json.loads((child_out / "metrics.json").read_text())
    assert metrics["init_adapter"]["rank"] == 4 and metrics["config"]["init_adapter"] == str(parent_out / "peft")


def test_init_adapter_that_is_not_a_lora_folder_fails_with_a_reason(tiny_gguf, dataset, tmp_path):
    empty = tmp_path / "not-peft"
    empty.mkdir()
    proc, events = run_train(dataset, tiny_gguf, tmp_path / "out", "--max-steps", "1", "--init-adapter", str(empty))
    assert proc.returncode == 1
    assert events[-1]["event"] == "failed" and "no adapter_config.json" in events[-1]["reason"]
