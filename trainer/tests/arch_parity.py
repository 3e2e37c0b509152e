#!/usr/bin/env python3
"""Helper for runtime's architecture parity test (and usable by hand).

  arch_parity.py prepare OUT [--arch A ...]   random F32 GGUF per architecture + a tiny chat dataset
  arch_parity.py logprobs SPEC.json OUT.json   HF (+PEFT) next-token log-probs for fixed token ids

prepare writes OUT/<arch>/<arch>.gguf, OUT/dataset/{train,val}.jsonl and OUT/unsupported/gpt2.gguf (a
llama-layout file that claims general.architecture=gpt2, for refusal tests), checks that transformers
loads each GGUF back to exactly the weights written, and prints {"models": {arch: path}, "unsupported",
"dataset", "vocab_size"} as JSON.

SPEC.json: {"ids": [[int, ...], ...], "models": [{"arch": A, "base": X.gguf, "peft": DIR}, ...]}.
OUT.json: {arch: {"base": P, "adapted": P}}, P[sequence][position] = {"ids": top-k ids, "logprobs": ...}
of the distribution that follows ids[0..position], from the GGUF as transformers loads it, F32.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's aiclone_trainer, not an installed one
sys.path.insert(0, str(HERE))

TOP_K = 10


def prepare(out: Path, archs: list[str]) -> dict:
    import torch
    from transformers import AutoModelForCausalLM

    import arch_fixtures as af

    models = {}
    for arch in archs:
        path, written = af.build(arch, out / arch)
        loaded = AutoModelForCausalLM.from_pretrained(str(path.parent), gguf_file=path.name, dtype=torch.float32)
        diff = af.max_weight_difference(written, loaded)
        if diff != 0.0:
            raise SystemExit(f"{path}: transformers loads weights that differ from those written by {diff}")
        models[arch] = str(path)
    unsupported, _ = af.build("llama", out / "unsupported", architecture="gpt2")
    dataset = af.write_dataset(out / "dataset")
    vocab_size = len(af.build_bpe_vocab().tokens)
    return {"models": models, "unsupported": str(unsupported), "dataset": str(dataset), "vocab_size": vocab_size}


def _top(logprobs, k: int) -> list[list[dict]]:
    values, ids = logprobs.topk(k, dim=-1)
    return [
        [{"ids": i.tolist(), "logprobs": [round(float(x), 6) for x in v]} for i, v in zip(seq_ids, seq_values)]
        for seq_ids, seq_values in zip(ids, values)
    ]


def logprobs(spec: dict) -> dict:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    torch.set_grad_enabled(False)
    ids = torch.tensor(spec["ids"], dtype=torch.long)
    result = {}
    for m in spec["models"]:
        base_path = Path(m["base"])
        model = AutoModelForCausalLM.from_pretrained(str(base_path.parent), gguf_file=base_path.name, dtype=torch.float32)
        model.eval()
        base = model(input_ids=ids).logits.float().log_softmax(-1)
        adapted_model = PeftModel.from_pretrained(model, m["peft"])
        adapted_model.eval()
        adapted = adapted_model(input_ids=ids).logits.float().log_softmax(-1)
        result[m["arch"]] = {"base": _top(base, TOP_K), "adapted": _top(adapted, TOP_K)}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("out", type=Path)
    p.add_argument("--arch", action="append", dest="archs")
    q = sub.add_parser("logprobs")
    q.add_argument("spec", type=Path)
    q.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.command == "prepare":
        import arch_fixtures as af

        print(json.dumps(prepare(args.out, args.archs or list(af.ARCH_SPECS))))
    else:
        args.out.write_text(json.dumps(logprobs(json.loads(args.spec.read_text()))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
