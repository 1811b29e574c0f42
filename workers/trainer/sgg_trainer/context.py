"""Everything a loop needs, built once: records, adapter, optimizer, schedule, resume state, events.

Data order is a function of (seed, step) only: epoch e uses the permutation Random(seed + e); step s of
the epoch takes the next `per_step` indices (wrapping at the end so every step is full); rank r takes
every world-th of them. Hence a resumed run draws the same batches it would have drawn.
"""

from __future__ import annotations

import json
import math
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import torch

from .adapters import ModelAdapter, build_adapter
from .config import ConfigError, RunConfig
from .data import Record, load_records, vocabulary_from
from .events import EventWriter
from .rewards import HttpScorer, Scorer
from .runtime import (Dist, init_distributed, load_checkpoint, make_optimizer, newest_checkpoint, save_checkpoint,
                      set_threads, wrap_ddp)


@dataclass
class Context:
    config: RunConfig
    run_dir: Path
    dist: Dist
    events: EventWriter
    records: list[Record]
    eval_records: list[Record]
    adapter: ModelAdapter
    optimizer: torch.optim.Optimizer
    scheduler: Any
    per_step: int  # items (SFT examples or GRPO prompts) per optimizer step over all processes
    steps_per_epoch: int
    total_steps: int
    start_step: int = 0
    scorer: Optional[Scorer] = None
    ref_model: Optional[torch.nn.Module] = None
    started: float = field(default_factory=time.time)

    def step_indices(self, step: int) -> tuple[int, list[int]]:
        """(epoch, this rank's record indices) for 0-based optimizer step `step`."""
        n = len(self.records)
        epoch, pos = divmod(step, self.steps_per_epoch)
        perm = list(range(n))
        random.Random(self.config.seed + epoch).shuffle(perm)
        picked = [perm[(pos * self.per_step + i) % n] for i in range(self.per_step)]
        return epoch, picked[self.dist.rank :: self.dist.world]

    def checkpoint(self, step: int) -> Path:
        """Saves on rank 0 (all ranks hold the same weights) and announces it."""
        path = self.run_dir / "checkpoints"
        if self.dist.main:
            path = save_checkpoint(self.run_dir, step, self.adapter, self.optimizer, self.scheduler, self.config)
            self.events.checkpoint(step, str(path.resolve()))
        if self.dist.world > 1:
            torch.distributed.barrier()
        return path

    def should_checkpoint(self, step: int) -> bool:
        every = self.config.checkpoint_every
        return step == self.total_steps or (every > 0 and step % every == 0)

    def lr(self) -> float:
        return float(self.optimizer.param_groups[0]["lr"])


def build_context(c: RunConfig, run_dir: Path, base_dir: Optional[Path] = None, resume: bool = False,
                  scorer: Optional[Scorer] = None, events: Optional[EventWriter] = None) -> Context:
    d = init_distributed()
    set_threads(c)
    events = events or EventWriter(enabled=d.main)
    if not d.main:
        events.enabled = False
    run_dir.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(c.seed)  # the initial weights depend on the seed only

    records = load_records(c.data.train, base_dir, c.data.image_root, c.data.limit)
    if not records:
        raise ConfigError("data.train", "the training shards hold no records")
    eval_records = load_records(c.data.eval, base_dir, c.data.image_root, c.eval.max_images) if c.data.eval else []
    vocab_file = c.data.vocab_file
    if vocab_file and base_dir and not Path(vocab_file).is_absolute():
        vocab_file = str(base_dir / vocab_file)
    classes, predicates = vocabulary_from(records, vocab_file)
    init = Path(c.init_checkpoint) if c.init_checkpoint else None
    if init is not None and base_dir is not None and not init.is_absolute():
        init = base_dir / init
    adapter = build_adapter(c.model, c.model_options, classes, predicates, init)

    per_step = c.batch_size if c.kind == "sft" else c.prompts_per_step
    if per_step % d.world:
        # Unequal shares would give ranks different numbers of backward passes and hang DDP.
        raise ConfigError("batch_size" if c.kind == "sft" else "prompts_per_step", f"must be a multiple of the number of processes ({d.world})")
    steps_per_epoch = max(1, math.ceil(len(records) / per_step))
    total = c.max_steps or max(1, math.ceil(c.num_epochs * steps_per_epoch))
    ref = adapter.frozen_copy() if (c.kind == "grpo" and c.beta > 0) else None  # reference = initial policy
    optimizer, scheduler = make_optimizer(adapter, c, total)

    if scorer is None and (c.kind == "grpo" or c.eval.every > 0):
        if not c.reward.service_url:
            raise ConfigError("reward.service_url", "required for GRPO and for evaluation")
        scorer = HttpScorer(c.reward.service_url, c.reward.timeout_s, c.reward.strict_format)

    ctx = Context(c, run_dir, d, events, records, eval_records, adapter, optimizer, scheduler, per_step, steps_per_epoch, total,
                  scorer=scorer, ref_model=ref)
    existing = newest_checkpoint(run_dir)
    if existing is not None:
        if not resume:
            raise RuntimeError(f"{run_dir} already has checkpoints (newest {existing.name}); pass --resume to continue the run")
        state = load_checkpoint(existing, adapter, optimizer, scheduler)
        ctx.start_step = int(state["step"])
        events.log(f"resumed from {existing.name}", step=ctx.start_step)
    wrap_ddp(adapter, d)
    adapter.model.train()
    n_params = sum(p.numel() for p in adapter.model.parameters())
    events.log(f"{c.kind} run: {len(records)} records, {total} steps, {per_step} per step, {d.world} process(es), {n_params} parameters",
               parameters=n_params, total_steps=total, world_size=d.world)
    return ctx


def clip_and_step(ctx: Context) -> float:
    """Gradient clipping, optimizer and schedule step; returns the pre-clip gradient norm."""
    params = [p for p in ctx.adapter.model.parameters() if p.requires_grad]
    norm = torch.nn.utils.clip_grad_norm_(params, ctx.config.max_grad_norm)
    ctx.optimizer.step()
    ctx.scheduler.step()
    ctx.optimizer.zero_grad(set_to_none=True)
    return float(norm)


def finish(ctx: Context, step: int) -> None:
    """Final export (when asked) and the done event."""
    extra: dict[str, Any] = {}
    if ctx.config.export_onnx and ctx.dist.main:
        out = ctx.run_dir / "onnx"
        ctx.adapter.export(out)
        # Decoding rules the model was trained under, so the workers' ONNX decoder applies the same ones.
        generation = {"constrain_relation_ids": ctx.config.constrain_relation_ids}
        (out / "generation_config.json").write_text(json.dumps(generation, indent=2), encoding="utf-8")
        extra["export_path"] = str(out.resolve())
    ctx.events.done(step, "completed", elapsed_s=round(time.time() - ctx.started, 3), **extra)
