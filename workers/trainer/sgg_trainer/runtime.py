"""Pieces both loops share: process group, optimizer and schedule, seeding, checkpoints.

Checkpoints live in `<run_dir>/checkpoints/step-<NNNNNNNN>/`: the adapter's weights, `trainer.pt`
(optimizer, scheduler) and `state.json` (step, config). `state.json` is written last, into a temporary
folder that is renamed into place, so a folder without it is an interrupted write and is ignored on resume.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import torch
import torch.distributed as dist

from .adapters import ModelAdapter
from .config import RunConfig


@dataclass
class Dist:
    rank: int = 0
    world: int = 1

    @property
    def main(self) -> bool:
        return self.rank == 0


def init_distributed() -> Dist:
    """Joins the process group when started by torchrun (WORLD_SIZE > 1): gloo on CPU, nccl on GPUs."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return Dist()
    if not dist.is_initialized():
        dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
    return Dist(dist.get_rank(), dist.get_world_size())


def all_reduce_sum(values: list[float], d: Dist) -> list[float]:
    """Sums a list of numbers over processes (metrics, token counts)."""
    if d.world <= 1:
        return values
    t = torch.tensor(values, dtype=torch.float64)
    dist.all_reduce(t)
    return t.tolist()


def wrap_ddp(adapter: ModelAdapter, d: Dist) -> None:
    """Forward passes with gradients go through DDP so gradients are averaged over ranks (e.1 step 8)."""
    if d.world > 1:
        from torch.nn.parallel import DistributedDataParallel as DDP
        adapter.train_module = DDP(adapter.model)


def make_optimizer(adapter: ModelAdapter, c: RunConfig, total_steps: int) -> tuple[torch.optim.Optimizer, torch.optim.lr_scheduler.LambdaLR]:
    """AdamW + linear warmup (warmup_ratio of the run) + linear decay to 0, or a constant rate."""
    params = [p for p in adapter.model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=c.lr, betas=(c.optimizer.betas[0], c.optimizer.betas[1]), eps=c.optimizer.eps, weight_decay=c.optimizer.weight_decay)
    warmup = int(c.warmup_ratio * total_steps + 0.999999)  # ceil, as the reference's scheduler does

    def factor(step: int) -> float:
        if c.schedule.type == "constant":
            return 1.0
        if step < warmup:
            return (step + 1) / warmup  # the first update already gets a non-zero rate
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return opt, torch.optim.lr_scheduler.LambdaLR(opt, factor)


def set_threads(c: RunConfig) -> None:
    # torch on this platform starts with one thread; use the cores (or what the config says).
    torch.set_num_threads(c.threads or max(1, os.cpu_count() or 1))


def checkpoint_dir(run_dir: Path, step: int) -> Path:
    return run_dir / "checkpoints" / f"step-{step:08d}"


def newest_checkpoint(run_dir: Path) -> Optional[Path]:
    """The complete checkpoint with the highest step, or None."""
    root = run_dir / "checkpoints"
    if not root.is_dir():
        return None
    done = [p for p in root.iterdir() if p.name.startswith("step-") and (p / "state.json").is_file()]
    return max(done, key=lambda p: int(p.name[5:]), default=None)


def save_checkpoint(run_dir: Path, step: int, adapter: ModelAdapter, opt: torch.optim.Optimizer, sched: Any, c: RunConfig,
                    extra: Optional[dict[str, Any]] = None) -> Path:
    final = checkpoint_dir(run_dir, step)
    tmp = final.with_name(final.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    adapter.save(tmp)
    torch.save({"optimizer": opt.state_dict(), "scheduler": sched.state_dict()}, tmp / "trainer.pt")
    (tmp / "state.json").write_text(json.dumps({"step": step, "kind": c.kind, "config": c.to_dict(), **(extra or {})}, indent=2), encoding="utf-8")
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    if c.keep_checkpoints:
        old = sorted((p for p in final.parent.iterdir() if p.name.startswith("step-") and not p.name.endswith(".tmp")), key=lambda p: int(p.name[5:]))
        for p in old[: -c.keep_checkpoints]:
            shutil.rmtree(p, ignore_errors=True)
    return final


def load_checkpoint(path: Path, adapter: ModelAdapter, opt: torch.optim.Optimizer, sched: Any) -> dict[str, Any]:
    adapter.load(path)
    state = torch.load(path / "trainer.pt", map_location="cpu")
    opt.load_state_dict(state["optimizer"])
    sched.load_state_dict(state["scheduler"])
    return json.loads((path / "state.json").read_text(encoding="utf-8"))


def step_generator(seed: int, step: int, rank: int, salt: int = 0) -> torch.Generator:
    """A generator that depends only on (seed, step, rank): sampling after a resume repeats exactly."""
    g = torch.Generator()
    g.manual_seed((seed * 1_000_003 + step * 9_176 + rank * 131 + salt) % (2 ** 63))
    return g
