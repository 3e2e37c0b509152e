"""End-to-end runs of train_qlora.py on the tiny random llama GGUF (CPU, fp32 LoRA)."""

import json
import os
import signal
import subprocess

import numpy as np
from conftest import run_train, train_cmd

LR = ["--lr", "5e-2"]
LAYER_TENSORS = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]


def test_training_lowers_assistant_loss_and_exports_gguf_adapter(tiny_gguf, dataset, tmp_path):
    out = tmp_path / "out"
    proc, events = run_train(dataset, tiny_gguf, out, "--max-steps", "12", "--rank", "4", "--alpha", "8", *LR)
    assert proc.returncode == 0, proc.stderr[-3000:]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "started" and kinds[-1] == "completed" and kinds.count("progress") == 12
    progress = [e for e in events if e["event"] == "progress"]
    for key in ("step", "total_steps", "epoch", "loss", "learning_rate", "tokens_per_second", "eta_seconds"):
        assert key in progress[0]
    assert progress[-1]["step"] == 12 and progress[-1]["eta_seconds"] == 0
    losses = [e["loss"] for e in progress]
    assert np.mean(losses[-3:]) < np.mean(losses[:3])

    metrics = json.loads((out / "metrics.json").read_text())
    ppl = metrics["eval"]["perplexity"]
    assert ppl["adapted"]["perplexity"] < ppl["base"]["perplexity"]  # val shares the train distribution
    contract = metrics["prompt_contract"]
    assert contract["template"] == "aiclone-fallback-v1" and contract["endOfTurn"] == "</s>"
    assert (out / "peft" / "adapter_config.json").is_file()

    from gguf import GGUFReader

    reader = GGUFReader(str(out / "adapter.gguf"))

    def field(name):
        f = reader.fields[name]
        value = f.parts[f.data[0]]
        return bytes(value).decode() if f.types[0].name == "STRING" else value[0]

    assert field("general.type") == "adapter"
    assert field("general.architecture") == "llama"
    assert field("adapter.type") == "lora"
    assert json.loads(field("aiclone.prompt_contract")) == contract  # what the runtime prompts with
    assert reader.fields["adapter.lora.alpha"].types[0].name == "FLOAT32" and field("adapter.lora.alpha") == 8.0
    tensors = {t.name: t for t in reader.tensors}
    expected = {f"blk.0.{n}.weight.lora_{ab}" for n in LAYER_TENSORS for ab in "ab"}
    assert set(tensors) == expected
    hidden, ffn, r = 8, 32, 4
    in_out = {"attn_q": (hidden, hidden), "attn_k": (hidden, hidden), "attn_v": (hidden, hidden),
              "attn_output": (hidden, hidden), "ffn_gate": (hidden, ffn), "ffn_up": (hidden, ffn),
              "ffn_down": (ffn, hidden)}
    for name, (n_in, n_out) in in_out.items():
        a, b = tensors[f"blk.0.{name}.weight.lora_a"], tensors[f"blk.0.{name}.weight.lora_b"]
        assert a.tensor_type.name == "F32" and b.tensor_type.name == "F32"
        assert list(a.shape) == [n_in, r]  # ggml ne
        assert list(b.shape) == [r, n_out]
    assert np.abs(np.asarray(tensors["blk.0.attn_q.weight.lora_b"].data)).sum() > 0  # B moved off zero


def _losses(events):
    return {e["step"]: e["loss"] for e in events if e["event"] == "progress"}


def test_sigterm_saves_checkpoint_and_resume_matches_uninterrupted_run(tiny_gguf, dataset, tmp_path):
    steps = ["--max-steps", "30", "--rank", "4", "--checkpoint-every", "10", *LR]
    ref_proc, ref_events = run_train(dataset, tiny_gguf, tmp_path / "ref", *steps)
    assert ref_proc.returncode == 0, ref_proc.stderr[-3000:]
    reference = _losses(ref_events)
    assert (tmp_path / "ref" / "checkpoints" / "step-10").is_dir()

    out = tmp_path / "out"
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false"}
    proc = subprocess.Popen(train_cmd(dataset, tiny_gguf, out, *steps), stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env)
    events = []
    for line in proc.stdout:
        events.append(json.loads(line))
        if events[-1]["event"] == "progress" and events[-1]["step"] == 3:
            proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=120) == 143
    assert events[-1]["event"] == "stopped"
    stopped_at = events[-1]["step"]
    assert 3 <= stopped_at < 30
    assert events[-1]["checkpoint"] == str(out / "checkpoints" / f"step-{stopped_at}")
    assert (out / "checkpoints" / f"step-{stopped_at}" / "state.pt").is_file()
    assert not (out / "adapter.gguf").exists()

    proc2, events2 = run_train(dataset, tiny_gguf, out, *steps, "--resume")
    assert proc2.returncode == 0, proc2.stderr[-3000:]
    assert events2[0]["event"] == "started" and events2[0]["start_step"] == stopped_at
    resumed = _losses(events2)
    assert min(resumed) == stopped_at + 1 and max(resumed) == 30
    for step, loss in resumed.items():
        assert abs(loss - reference[step]) < 1e-4 * max(1.0, abs(reference[step])), step
    assert (out / "adapter.gguf").is_file()


def test_bad_dataset_reports_failed_event(tiny_gguf, tmp_path):
    d = tmp_path / "bad"
    d.mkdir()
    (d / "train.jsonl").write_text('{"messages": [{"role": "user", "content": "hi"}]}\n')
    proc, events = run_train(d, tiny_gguf, tmp_path / "out")
    assert proc.returncode == 1
    assert events[-1]["event"] == "failed" and "train.jsonl:1" in events[-1]["reason"]
