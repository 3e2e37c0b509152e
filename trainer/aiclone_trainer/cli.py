"""Command line: `python trainer/train_qlora.py --dataset D --base B --out O [...]`."""

from __future__ import annotations

import argparse

from .events import claim_stdout


def parse_args(argv: list[str] | None = None):
    p = argparse.ArgumentParser(
        prog="train_qlora.py",
        description="LoRA/QLoRA fine-tune on a chat dataset; writes <out>/adapter.gguf, <out>/peft/, <out>/metrics.json. "
        "Progress: JSON lines on stdout. Exit 0 completed, 1 failed, 143 stopped by SIGTERM/SIGINT (checkpoint saved).",
    )
    p.add_argument("--dataset", required=True, help="folder with train.jsonl (and val.jsonl for the fidelity report)")
    p.add_argument("--base", required=True, help="base model: a .gguf file or a Hugging Face model folder")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--max-steps", type=int, default=None, help="stop after this many optimizer steps (overrides --epochs)")
    p.add_argument("--rank", type=int, default=16)
    p.add_argument("--alpha", type=float, default=32.0)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--batch-size", type=int, default=4)
    p.add_argument("--grad-accum", type=int, default=1)
    p.add_argument("--dropout", type=float, default=0.05)
    p.add_argument("--cutoff", type=int, default=None, help="max tokens per sample (default: 95th percentile, 32..2048)")
    p.add_argument("--checkpoint-every", type=int, default=0, help="save <out>/checkpoints/step-N every N steps (0: never)")
    p.add_argument("--resume", action="store_true", help="continue from the latest checkpoint in <out>/checkpoints")
    p.add_argument("--init-adapter", default=None,
                   help="a parent run's peft/ folder: start the LoRA from its weights (same base model; its rank "
                   "and alpha are used)")
    p.add_argument("--preference", choices=["dpo", "orpo", "off"], default="off",
                   help="add a preference objective on preferences.jsonl (the owner's corrections: their text "
                   "preferred over the clone's draft) to the SFT loss (default: off)")
    p.add_argument("--preference-min-pairs", type=int, default=8,
                   help="run the preference objective only with at least this many pairs (default: 8)")
    p.add_argument("--preference-beta", type=float, default=None,
                   help="DPO's beta, or ORPO's lambda (default: 0.1)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--cpu", action="store_true", help="train on CPU even when CUDA is present")
    p.add_argument("--gradient-checkpointing", choices=["auto", "on", "off"], default="auto",
                   help="recompute activations in the backward pass: far less memory, ~30%% more time (auto: on)")
    p.add_argument("--cache-dir", default=None, help="where converted GGUF tokenizers are cached (default: $AICLONE_TRAINER_CACHE, else none)")
    p.add_argument("--eval-prompts", type=int, default=40,
                   help="held-out messages the runtime's fidelity report answers (recorded in metrics.json)")
    p.add_argument("--eval-new-tokens", type=int, default=48, help="reply length cap for that report")
    p.add_argument("--eval-max-samples", type=int, default=64, help="val samples used for perplexity")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    claim_stdout()
    a = parse_args(argv)
    from .train import TrainConfig, run

    cfg = TrainConfig(
        dataset=a.dataset, base=a.base, out=a.out, epochs=a.epochs, max_steps=a.max_steps, rank=a.rank,
        alpha=a.alpha, lr=a.lr, batch_size=a.batch_size, grad_accum=a.grad_accum, dropout=a.dropout,
        cutoff=a.cutoff, checkpoint_every=a.checkpoint_every, resume=a.resume, seed=a.seed, force_cpu=a.cpu,
        eval_max_samples=a.eval_max_samples, eval_prompts=a.eval_prompts, eval_new_tokens=a.eval_new_tokens, cache_dir=a.cache_dir,
        gradient_checkpointing=a.gradient_checkpointing, init_adapter=a.init_adapter,
        preference=a.preference, preference_min_pairs=a.preference_min_pairs, preference_beta=a.preference_beta,
    )
    return run(cfg)
