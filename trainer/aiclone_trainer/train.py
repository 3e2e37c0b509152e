"""The training run: data, model, LoRA loop with checkpoints/resume/SIGTERM, export and report."""

from __future__ import annotations

import json
import math
import random
import shutil
import signal
import sys
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .data import IGNORE_INDEX, ChatFormatter, DatasetError, Example, default_cutoff, length_stats, load_jsonl, load_samples, tokenize_conversation, truncate
from .events import emit
from .memory import limit_heap_fragmentation, peak_rss_bytes, release_free_memory

EXIT_STOPPED = 143  # 128 + SIGTERM: "stopped on request"; the last stdout line says {"event":"stopped"}
KEEP_CHECKPOINTS = 3


@dataclass
class TrainConfig:
    dataset: str
    base: str
    out: str
    epochs: int = 3
    max_steps: int | None = None
    rank: int = 16
    alpha: float = 32.0
    lr: float = 2e-4
    batch_size: int = 4
    grad_accum: int = 1
    cutoff: int | None = None
    checkpoint_every: int = 0
    resume: bool = False
    seed: int = 42
    dropout: float = 0.05
    warmup_ratio: float = 0.03
    eval_max_samples: int = 64
    # Read from metrics.json by the runtime's fidelity report (generation happens there, through llama.cpp).
    eval_prompts: int = 40
    eval_new_tokens: int = 48
    force_cpu: bool = False
    cache_dir: str | None = None
    # "auto": on. Activations, not weights, dominate a LoRA's memory: a 7B QLoRA on CUDA, and on the CPU
    # SmolLM2-135M at batch 4 x 160 tokens (2.4 GB of saved activations per step without it, ~0.2 GB with).
    gradient_checkpointing: str = "auto"
    # A parent run's peft/ folder: the LoRA starts from its weights instead of B = 0 (continue training).
    init_adapter: str | None = None
    # The preference objective on preferences.jsonl (the owner's corrections): dpo, orpo or off; it runs only
    # with at least preference_min_pairs pairs. beta: DPO's β, or ORPO's λ (None: 0.1 for both).
    preference: str = "off"
    preference_min_pairs: int = 8
    preference_beta: float | None = None


class _StopFlag:
    def __init__(self) -> None:
        self.signum: int | None = None

    def install(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._handle)

    def _handle(self, signum, _frame) -> None:
        self.signum = signum

    @property
    def set(self) -> bool:
        return self.signum is not None


def _validate(cfg: TrainConfig) -> None:
    checks = [
        (cfg.epochs >= 1, "--epochs must be >= 1"),
        (cfg.max_steps is None or cfg.max_steps >= 1, "--max-steps must be >= 1"),
        (cfg.rank >= 1, "--rank must be >= 1"),
        (cfg.alpha > 0, "--alpha must be > 0"),
        (cfg.lr > 0, "--lr must be > 0"),
        (cfg.batch_size >= 1, "--batch-size must be >= 1"),
        (cfg.grad_accum >= 1, "--grad-accum must be >= 1"),
        (cfg.cutoff is None or cfg.cutoff >= 8, "--cutoff must be >= 8"),
        (cfg.checkpoint_every >= 0, "--checkpoint-every must be >= 0"),
        (cfg.preference in ("dpo", "orpo", "off"), "--preference must be dpo, orpo or off"),
        (cfg.preference_min_pairs >= 1, "--preference-min-pairs must be >= 1"),
        (cfg.preference_beta is None or cfg.preference_beta > 0, "--preference-beta must be > 0"),
    ]
    for ok, message in checks:
        if not ok:
            raise ValueError(message)


def _collate(batch: list[Example], pad_id: int, device: str):
    import torch

    width = max(len(e.input_ids) for e in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE_INDEX, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    weights = torch.tensor([e.weight for e in batch], dtype=torch.float32)
    for i, e in enumerate(batch):
        n = len(e.input_ids)
        ids[i, :n] = torch.tensor(e.input_ids)
        labels[i, :n] = torch.tensor(e.labels)
        mask[i, :n] = 1
    return ids.to(device), labels.to(device), mask.to(device), weights.to(device), int(mask.sum())


def _latest_checkpoint(ckpt_root: Path) -> Path | None:
    found = []
    for p in ckpt_root.glob("step-*"):
        if p.is_dir() and (p / "state.pt").is_file() and p.name[5:].isdigit():
            found.append((int(p.name[5:]), p))
    return max(found)[1] if found else None


def _save_checkpoint(model, optimizer, scheduler, step: int, ckpt_root: Path, fingerprint: dict) -> Path:
    import torch

    ckpt_root.mkdir(parents=True, exist_ok=True)
    final = ckpt_root / f"step-{step}"
    tmp = ckpt_root / f".step-{step}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    model.save_pretrained(str(tmp / "adapter"))
    state = {
        "step": step,
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "torch_rng": torch.get_rng_state(),
        "python_rng": random.getstate(),
        "fingerprint": fingerprint,
    }
    if torch.cuda.is_available():
        state["cuda_rng"] = torch.cuda.get_rng_state_all()
    torch.save(state, tmp / "state.pt")
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)  # a checkpoint either exists whole or not at all
    olds = sorted((int(p.name[5:]), p) for p in ckpt_root.glob("step-*") if p.name[5:].isdigit())
    for _, p in olds[:-KEEP_CHECKPOINTS]:
        shutil.rmtree(p, ignore_errors=True)
    return final


def _load_checkpoint(model, optimizer, scheduler, path: Path, fingerprint: dict, device: str) -> int:
    import torch
    from peft import set_peft_model_state_dict
    from peft.utils import load_peft_weights

    state = torch.load(path / "state.pt", map_location="cpu", weights_only=False)
    if state.get("fingerprint") != fingerprint:
        raise ValueError(
            f"--resume: checkpoint {path} was made with other settings "
            f"({state.get('fingerprint')} vs {fingerprint}); use another --out or drop --resume"
        )
    set_peft_model_state_dict(model, load_peft_weights(str(path / "adapter"), device=device))
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    torch.set_rng_state(state["torch_rng"])
    random.setstate(state["python_rng"])
    if "cuda_rng" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda_rng"])
    return int(state["step"])


def _batch_for(global_batch: int, examples: list[Example], batch_size: int, seed: int) -> list[Example]:
    """Deterministic order per epoch, so a resumed run sees exactly the batches it would have."""
    per_epoch = math.ceil(len(examples) / batch_size)
    epoch, index = divmod(global_batch, per_epoch)
    order = list(range(len(examples)))
    random.Random(seed * 100003 + epoch).shuffle(order)
    return [examples[i] for i in order[index * batch_size : (index + 1) * batch_size]]


def file_sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _dataset_stats(dataset: Path) -> dict[str, Any]:
    path = dataset / "stats.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def dataset_system_prompt(stats: dict[str, Any], conversations: list[list[dict[str, str]]]) -> str | None:
    """The system prompt the dataset was built with: stats.json says it; else the one all samples share."""
    if "systemPrompt" in stats:
        return stats["systemPrompt"]
    prompts = {c[0]["content"] if c and c[0]["role"] == "system" else None for c in conversations}
    return prompts.pop() if len(prompts) == 1 else None


def read_parent_adapter(folder: str) -> dict[str, Any]:
    """The parent's LoRA shape from its adapter_config.json; a folder that is no PEFT LoRA is refused."""
    path = Path(folder)
    config_path = path / "adapter_config.json"
    if not config_path.is_file():
        raise ValueError(f"--init-adapter {folder}: no adapter_config.json (expected a run's peft/ folder)")
    config = json.loads(config_path.read_text(encoding="utf-8"))
    if config.get("peft_type") != "LORA" or not isinstance(config.get("r"), int):
        raise ValueError(f"--init-adapter {folder}: not a LoRA adapter ({config.get('peft_type')})")
    return {"path": str(path), "rank": int(config["r"]), "alpha": float(config.get("lora_alpha", config["r"]))}


def load_parent_weights(model, folder: str, device: str) -> None:
    """Copies the parent's LoRA weights in; every LoRA tensor must be there (same base model, same shape)."""
    from peft import get_peft_model_state_dict, set_peft_model_state_dict
    from peft.utils import load_peft_weights

    weights = load_peft_weights(folder, device=device)
    expected = get_peft_model_state_dict(model)
    missing = sorted(set(expected) - set(weights))
    wrong = sorted(k for k in expected if k in weights and tuple(weights[k].shape) != tuple(expected[k].shape))
    if missing or wrong:
        raise ValueError(
            f"--init-adapter {folder}: does not fit this base model ({len(missing)} LoRA tensors missing, "
            f"{len(wrong)} of another shape, e.g. {(missing or wrong)[0]}); continue only from an adapter of the same base"
        )
    set_peft_model_state_dict(model, weights)


class _Preference:
    """The preference pairs of the dataset, whether the objective runs on them, and its figures."""

    def __init__(self, cfg: TrainConfig, dataset: Path, formatter, fit) -> None:
        from .preference import DEFAULT_BETA, decide, load_preferences, tokenize_pairs

        raw = load_preferences(dataset / "preferences.jsonl")
        self.pairs = tokenize_pairs(formatter, raw, fit)
        self.cfg = cfg
        self.beta = cfg.preference_beta or DEFAULT_BETA.get(cfg.preference, 0.1)
        decision = decide(cfg.preference, cfg.preference_min_pairs, len(self.pairs))
        self.ran = decision["ran"]
        self.reference: tuple[list[float], list[float]] | None = None
        self.losses: list[float] = []
        self.report: dict[str, Any] = {
            "objective": cfg.preference, "minPairs": cfg.preference_min_pairs, "beta": self.beta,
            "pairsInDataset": len(raw), "pairs": len(self.pairs), **decision,
        }

    def prepare(self, model, pad_id: int, device: str, start_step: int) -> None:
        """Before the first step: the reference's log-probabilities (DPO) and the margins before training."""
        from .preference import measure_margins, reference_logps

        if self.ran and self.cfg.preference == "dpo":
            self.reference = reference_logps(model, self.pairs, pad_id, device, self.cfg.batch_size)
        if self.pairs:
            self.report["before"] = {**measure_margins(model, self.pairs, pad_id, device, self.cfg.batch_size),
                                     "step": start_step}

    def loss(self, model, step: int, pad_id: int, device: str):
        """The preference loss of one optimizer step's batch of pairs (added to the SFT loss)."""
        import torch

        from .preference import dpo_loss, orpo_loss, pair_batch, pair_logps

        index = pair_batch(step, list(range(len(self.pairs))), self.cfg.batch_size, self.cfg.seed)
        c, r, nc, nr = pair_logps(model, [self.pairs[i] for i in index], pad_id, device)
        if self.reference is not None:
            ref_c = torch.tensor([self.reference[0][i] for i in index], device=c.device, dtype=c.dtype)
            ref_r = torch.tensor([self.reference[1][i] for i in index], device=c.device, dtype=c.dtype)
            return dpo_loss(c, r, ref_c, ref_r, self.beta)
        return orpo_loss(c / nc, r / nr, self.beta)

    def finish(self, model, pad_id: int, device: str) -> dict[str, Any]:
        from .preference import measure_margins

        if self.pairs:
            self.report["after"] = measure_margins(model, self.pairs, pad_id, device, self.cfg.batch_size)
        if self.losses:
            self.report["firstLoss"], self.report["finalLoss"] = self.losses[0], self.losses[-1]
        return self.report


def run(cfg: TrainConfig) -> int:
    stop = _StopFlag()
    stop.install()
    try:
        return _run(cfg, stop)
    except (DatasetError, ValueError, FileNotFoundError) as e:
        emit("failed", reason=str(e))
        return 1
    except Exception as e:  # noqa: BLE001 - every failure must reach the platform as an event
        traceback.print_exc(file=sys.stderr)
        emit("failed", reason=f"{type(e).__name__}: {e}")
        return 1


def _run(cfg: TrainConfig, stop: _StopFlag) -> int:
    _validate(cfg)
    from .gguf_export import check_base_architecture

    check_base_architecture(cfg.base)  # before the dataset and the model load: an unsupported base fails at once
    parent = read_parent_adapter(cfg.init_adapter) if cfg.init_adapter else None  # likewise a bad parent
    limit_heap_fragmentation()
    dataset = Path(cfg.dataset)
    out = Path(cfg.out)
    train_samples = load_samples(dataset / "train.jsonl")
    train_convs = [messages for messages, _ in train_samples]
    val_path = dataset / "val.jsonl"
    # A small dataset may hold nothing out: train anyway, and say so where the fidelity report would be.
    val_convs = load_jsonl(val_path) if val_path.is_file() and val_path.stat().st_size > 0 else []

    import torch
    from peft import get_peft_model_state_dict
    from transformers import get_linear_schedule_with_warmup

    from .gguf_export import gguf_architecture, write_adapter_gguf
    from .loss import causal_lm_loss
    from .metrics import heldout_perplexity
    from .modeling import BaseRef, base_specials, load_base_model, load_tokenizer, plan_device, wrap_lora
    from .prompt_contract import GGUF_KEY, derive_contract

    base = BaseRef.parse(cfg.base)
    tokenizer = load_tokenizer(base, cfg.cache_dir)
    contract = derive_contract(tokenizer, base_specials(base, tokenizer), train_convs[:200])
    stats = _dataset_stats(dataset)  # stats.json, read once: the system prompt and how val was made
    contract.system_prompt = dataset_system_prompt(stats, train_convs)
    contract.base_sha256 = file_sha256(base.path) if base.gguf_file else None
    formatter = ChatFormatter(tokenizer, contract)
    raw_train = [tokenize_conversation(formatter, c, weight=w) for c, w in train_samples]
    lengths = [len(e.input_ids) for e in raw_train]
    cutoff = cfg.cutoff or default_cutoff(lengths)
    keep_first = tokenizer.bos_token_id is not None

    def fit(e: Example) -> Example:
        return truncate(e, cutoff, keep_first and e.input_ids[:1] == [tokenizer.bos_token_id])

    train = [x for x in (fit(e) for e in raw_train) if x.trainable_tokens > 0]
    if not train:
        raise DatasetError(f"{dataset / 'train.jsonl'}: no sample keeps assistant tokens within cutoff {cutoff}")
    # Turns held out inside a session (a small upload): only each sample's last reply is unseen in training.
    last_only = (stats.get("heldOut") or {}).get("source") == "turns"
    val = [
        x for x in (fit(tokenize_conversation(formatter, c, last_only)) for c in val_convs[: cfg.eval_max_samples])
        if x.trainable_tokens > 0
    ]

    preference = _Preference(cfg, dataset, formatter, fit)
    plan = plan_device(cfg.force_cpu)
    torch.manual_seed(cfg.seed)
    random.seed(cfg.seed)
    checkpointing = cfg.gradient_checkpointing in ("on", "auto")
    if parent:  # the parent's shape: its weights only fit a LoRA of its rank
        cfg.rank, cfg.alpha = parent["rank"], parent["alpha"]
    model = load_base_model(base, plan, gradient_checkpointing=checkpointing)
    model = wrap_lora(model, cfg.rank, cfg.alpha, cfg.dropout)
    if parent:
        load_parent_weights(model, parent["path"], plan.device)
    arch = gguf_architecture(base.path) if base.gguf_file else model.config.model_type
    n_head = model.config.num_attention_heads
    n_head_kv = getattr(model.config, "num_key_value_heads", None) or n_head

    batches_per_epoch = math.ceil(len(train) / cfg.batch_size)
    steps_per_epoch = math.ceil(batches_per_epoch / cfg.grad_accum)
    total_steps = cfg.max_steps or cfg.epochs * steps_per_epoch
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=0.0)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(cfg.warmup_ratio * total_steps), total_steps)

    # The base by file name, not path: a checkpoint uploaded by one worker resumes on another machine.
    fingerprint = {
        "base": Path(base.path).name, "rank": cfg.rank, "alpha": cfg.alpha, "lr": cfg.lr, "batch_size": cfg.batch_size,
        "grad_accum": cfg.grad_accum, "cutoff": cutoff, "seed": cfg.seed, "total_steps": total_steps,
        "train_samples": len(train),
        # Only for a continued run: a checkpoint made before --init-adapter existed still resumes.
        **({"init_adapter": True} if parent else {}),
        **({"preference": [cfg.preference, preference.beta, len(preference.pairs)]} if preference.ran else {}),
    }
    ckpt_root = out / "checkpoints"
    start_step = 0
    resumed_from = None
    if cfg.resume:
        latest = _latest_checkpoint(ckpt_root)
        if latest is not None:
            start_step = _load_checkpoint(model, optimizer, scheduler, latest, fingerprint, plan.device)
            resumed_from = str(latest)
    preference.prepare(model, tokenizer.pad_token_id, plan.device, start_step)

    emit(
        "started",
        total_steps=total_steps, start_step=start_step, resumed_from=resumed_from,
        train_samples=len(train), val_samples=len(val), cutoff=cutoff, length_stats=length_stats(lengths),
        epochs=cfg.epochs, steps_per_epoch=steps_per_epoch, rank=cfg.rank, alpha=cfg.alpha, lr=cfg.lr,
        batch_size=cfg.batch_size, grad_accum=cfg.grad_accum, architecture=arch, template=formatter.template_name,
        trainable_params=sum(p.numel() for p in params), gradient_checkpointing=checkpointing,
        init_adapter=parent["path"] if parent else None,
        preference={k: preference.report[k] for k in ("objective", "ran", "reason", "pairs", "minPairs", "beta")},
        **plan.describe(),
    )

    model.train()
    on_cuda = plan.device == "cuda"
    if on_cuda:
        torch.cuda.reset_peak_memory_stats()
    step = start_step
    losses: list[float] = []
    started = time.monotonic()
    tokens_seen = 0
    last_ckpt: Path | None = None
    while step < total_steps:
        if stop.set:
            path = None
            if step > start_step:
                path = _save_checkpoint(model, optimizer, scheduler, step, ckpt_root, fingerprint)
                emit("checkpoint", path=str(path), step=step)
            elif last_ckpt is None:
                path = _latest_checkpoint(ckpt_root)
            emit("stopped", step=step, total_steps=total_steps, checkpoint=str(path) if path else None,
                 signal=signal.Signals(stop.signum).name)
            return EXIT_STOPPED
        optimizer.zero_grad(set_to_none=True)
        step_loss = 0.0
        for micro in range(cfg.grad_accum):
            batch = _batch_for(step * cfg.grad_accum + micro, train, cfg.batch_size, cfg.seed)
            ids, labels, mask, weights, n_tokens = _collate(batch, tokenizer.pad_token_id, plan.device)
            loss = causal_lm_loss(model, ids, mask, labels, weights) / cfg.grad_accum
            loss.backward()
            step_loss += float(loss.detach())
            tokens_seen += n_tokens
        pref_loss = None
        if preference.ran:
            pref = preference.loss(model, step, tokenizer.pad_token_id, plan.device)
            pref.backward()
            pref_loss = float(pref.detach())
            preference.losses.append(pref_loss)
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        lr_now = scheduler.get_last_lr()[0]
        optimizer.step()
        scheduler.step()
        step += 1
        losses.append(step_loss)
        elapsed = time.monotonic() - started
        done = step - start_step
        emit(
            "progress", step=step, total_steps=total_steps, epoch=round(step / steps_per_epoch, 4),
            loss=step_loss, **({"preference_loss": pref_loss} if pref_loss is not None else {}), learning_rate=lr_now, tokens_per_second=tokens_seen / elapsed if elapsed > 0 else None,
            eta_seconds=(total_steps - step) * elapsed / done,
            peak_memory_bytes=torch.cuda.max_memory_allocated() if on_cuda else peak_rss_bytes(),
            peak_rss_bytes=peak_rss_bytes(),
        )
        if cfg.checkpoint_every and step % cfg.checkpoint_every == 0 and step < total_steps:
            last_ckpt = _save_checkpoint(model, optimizer, scheduler, step, ckpt_root, fingerprint)
            emit("checkpoint", path=str(last_ckpt), step=step)

    train_seconds = time.monotonic() - started
    train_peak_rss = peak_rss_bytes()
    release_free_memory()
    # Past the last step the run finishes its outputs even if asked to stop: they take seconds.
    out.mkdir(parents=True, exist_ok=True)
    peft_dir = out / "peft"
    model.save_pretrained(str(peft_dir))
    state = {k: v.detach().float().cpu().numpy() for k, v in get_peft_model_state_dict(model).items()}
    shapes = write_adapter_gguf(
        out / "adapter.gguf", state, arch, cfg.alpha, n_head, n_head_kv, metadata={GGUF_KEY: contract.to_json()}
    )

    preference_report = preference.finish(model, tokenizer.pad_token_id, plan.device)
    report = {"perplexity": heldout_perplexity(model, val, plan.device)} if val else {
        "skipped": "no-held-out", "detail": "val.jsonl is missing or empty: nothing was held out to measure on"
    }
    metrics: dict[str, Any] = {
        "base": str(base.path),
        "architecture": arch,
        "template": formatter.template_name,
        "prompt_contract": json.loads(contract.to_json()),
        "config": {**asdict(cfg), "cutoff": cutoff},
        "device": plan.describe(),
        "dataset": {
            "train_samples": len(train), "val_samples": len(val), "token_lengths": length_stats(lengths),
            "weighted_samples": sum(1 for e in train if e.weight != 1), "weight_sum": sum(e.weight for e in train),
        },
        "train": {
            "steps": step, "start_step": start_step, "total_steps": total_steps, "seconds": train_seconds,
            "first_loss": losses[0] if losses else None, "final_loss": losses[-1] if losses else None,
            "losses": losses,
            "tokens": tokens_seen,
            "tokens_per_second": tokens_seen / train_seconds if train_seconds > 0 else None,
            # GPU memory on CUDA, else the process's peak RSS up to the end of the last step.
            "peak_memory_bytes": torch.cuda.max_memory_allocated() if on_cuda else train_peak_rss,
            "peak_rss_bytes": train_peak_rss,
        },
        "peak_rss_bytes": peak_rss_bytes(),
        "adapter": {"gguf": "adapter.gguf", "peft": "peft", "tensors": len(shapes)},
        "init_adapter": parent,
        "preference": preference_report,
        "eval": report,
    }
    tmp = out / "metrics.json.tmp"
    tmp.write_text(json.dumps(metrics, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(out / "metrics.json")
    emit(
        "completed", steps=step, total_steps=total_steps, final_loss=metrics["train"]["final_loss"],
        adapter_gguf=str(out / "adapter.gguf"), peft_dir=str(peft_dir), metrics=str(out / "metrics.json"),
        perplexity=report.get("perplexity"), seconds=train_seconds, peak_rss_bytes=peak_rss_bytes(),
    )
    return 0
