"""GPU figures for the trainer on a 7B-shaped model with random weights (speed and memory do not depend
on the weights' values): builds a Llama-2-7B-shaped checkpoint on the GPU, a synthetic chat dataset, runs
train_qlora.py on it (QLoRA 4-bit when bitsandbytes is importable, else bf16 LoRA) and prints tokens/s,
step time and peak GPU memory. Needs CUDA.

    python trainer/bench_gpu.py --tokenizer DIR --work /tmp/aiclone-gpu [--steps 20] [--batch-size 4] [--seq 512]
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent


def build_base(work: Path, tokenizer: Path, args: argparse.Namespace, device: str) -> Path:
    from transformers import LlamaConfig, LlamaForCausalLM

    base = work / "base-7b-random"
    if (base / "config.json").is_file():
        return base
    config = LlamaConfig(
        vocab_size=32000, hidden_size=args.hidden, intermediate_size=args.ffn, num_hidden_layers=args.layers,
        num_attention_heads=args.heads, num_key_value_heads=args.kv_heads, max_position_embeddings=4096,
        torch_dtype="bfloat16",
    )
    torch.manual_seed(0)
    started = time.monotonic()
    with torch.device(device):
        model = LlamaForCausalLM(config).to(torch.bfloat16)
    params = sum(p.numel() for p in model.parameters())
    model.save_pretrained(str(base), safe_serialization=True, max_shard_size="5GB")
    for f in tokenizer.iterdir():
        shutil.copy(f, base / f.name)
    print(f"base: Llama-shaped, {params / 1e9:.2f} B parameters, random bf16, written in {time.monotonic() - started:.0f} s", flush=True)
    del model
    if device == "cuda":
        torch.cuda.empty_cache()
    return base


def build_dataset(work: Path, n_train: int, words: int) -> Path:
    ds = work / "dataset"
    ds.mkdir(parents=True, exist_ok=True)
    vocab = "привет как дела сегодня завтра работа встреча hello sure later coffee maybe ok отлично".split()

    def conv(i: int) -> str:
        reply = " ".join(vocab[(i * 7 + k * 3) % len(vocab)] for k in range(words))
        return json.dumps({"messages": [
            {"role": "system", "content": "Ты — Аня."},
            {"role": "user", "content": f"вопрос номер {i}: что нового?"},
            {"role": "assistant", "content": reply},
        ]}, ensure_ascii=False)

    (ds / "train.jsonl").write_text("\n".join(conv(i) for i in range(n_train)) + "\n", encoding="utf-8")
    (ds / "val.jsonl").write_text("\n".join(conv(10_000 + i) for i in range(8)) + "\n", encoding="utf-8")
    return ds


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--tokenizer", required=True, type=Path)
    p.add_argument("--work", required=True, type=Path)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--seq", type=int, default=512)
    p.add_argument("--layers", type=int, default=32)
    p.add_argument("--hidden", type=int, default=4096)
    p.add_argument("--ffn", type=int, default=11008)
    p.add_argument("--heads", type=int, default=32)
    p.add_argument("--kv-heads", type=int, default=32)
    p.add_argument("--cpu", action="store_true", help="smoke-test the script on the CPU (use a small shape)")
    p.add_argument("--gradient-checkpointing", choices=["auto", "on", "off"], default="auto")
    args = p.parse_args()
    if not args.cpu and not torch.cuda.is_available():
        print("no CUDA device", file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    device = "cpu" if args.cpu else "cuda"
    print(f"device: {'cpu' if args.cpu else torch.cuda.get_device_name(0)}, torch {torch.__version__}", flush=True)
    base = build_base(args.work, args.tokenizer, args, device)
    # Replies long enough that every sample fills the cutoff, so tokens/s is measured at --seq tokens.
    dataset = build_dataset(args.work, n_train=max(64, args.steps * args.batch_size), words=args.seq)
    out = args.work / "out"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, str(HERE / "train_qlora.py"), "--dataset", str(dataset), "--base", str(base),
           "--out", str(out), "--max-steps", str(args.steps), "--batch-size", str(args.batch_size),
           "--cutoff", str(args.seq), "--eval-prompts", "2", "--eval-new-tokens", "16", "--eval-max-samples", "8",
           "--gradient-checkpointing", args.gradient_checkpointing] + (["--cpu"] if args.cpu else [])
    started = time.monotonic()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.monotonic() - started
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0:
        print(proc.stderr[-4000:], file=sys.stderr)
        print(events[-1] if events else "no events", file=sys.stderr)
        return proc.returncode
    start = next(e for e in events if e["event"] == "started")
    progress = [e for e in events if e["event"] == "progress"]
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    train = metrics["train"]
    steady = progress[len(progress) // 2:]  # the second half, past warm-up
    step_s = (train["seconds"]) / max(1, train["steps"] - train["start_step"])
    print(json.dumps({
        "device": start.get("device"), "dtype": start.get("dtype"), "quantization": start.get("quantization"),
        "trainable_params": start.get("trainable_params"), "gradient_checkpointing": start.get("gradient_checkpointing"), "steps": train["steps"], "batch_size": args.batch_size,
        "seq": args.seq, "train_seconds": round(train["seconds"], 2), "seconds_per_step": round(step_s, 3),
        "tokens_per_second": round(train["tokens_per_second"], 1),
        "tokens_per_second_steady": round(steady[-1]["tokens_per_second"], 1) if steady else None,
        "peak_memory_gib": round(train["peak_memory_bytes"] / 2**30, 2) if train["peak_memory_bytes"] else None,
        "adapter_gguf_mib": round((out / "adapter.gguf").stat().st_size / 2**20, 1),
        "final_loss": train["final_loss"], "wall_seconds": round(wall, 1),
    }, indent=1), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
