"""Supervised fine-tuning (method.md e.2): plain system prompt, the b.5 target text, token cross-entropy
over the whole sequence except padding and image tokens; augmentation from an example's second draw.
Optionally a share of draws under the think prompt with tagged targets (config.think_prompt_ratio)."""

from __future__ import annotations

import random
import time

import torch

from .context import Context, clip_and_step, finish
from .evaluate import maybe_evaluate
from .runtime import all_reduce_sum
from .tokenizer import ANSWER_CLOSE, ANSWER_OPEN, THINK_CLOSE, THINK_OPEN


def augmentation_rng(seed: int, step: int, index: int) -> random.Random:
    # Depends only on (seed, step, record): a resumed run augments exactly as the first attempt would.
    return random.Random(f"{seed}:{step}:{index}")


def uses_think_prompt(seed: int, step: int, index: int, ratio: float) -> bool:
    """Whether draw (step, record) is taught under the think system prompt (config.think_prompt_ratio);
    like the augmentation, a function of (seed, step, record) only."""
    return ratio > 0 and random.Random(f"{seed}:{step}:{index}:system").random() < ratio


def think_wrapped(text: str) -> str:
    """The b.3 layout with an empty reasoning part around a b.5 target."""
    return f"{THINK_OPEN}{THINK_CLOSE}{ANSWER_OPEN}{text}{ANSWER_CLOSE}"


def run_sft(ctx: Context) -> int:
    c, a = ctx.config, ctx.adapter
    step = ctx.start_step
    while step < ctx.total_steps:
        t0 = time.time()
        epoch, idx = ctx.step_indices(step)
        # Every epoch draws each example once; without augmentation every draw counts as the first (e.2).
        visit = epoch + 1 if c.augment else 1
        lr = ctx.lr()
        chunks = [idx[i : i + c.micro_batch_size] for i in range(0, len(idx), c.micro_batch_size)]
        loss_sum, tok_sum = 0.0, 0
        for chunk in chunks:
            think = [uses_think_prompt(c.seed, step, i, c.think_prompt_ratio) for i in chunk]
            targets = [a.sft_target(ctx.records[i], visit, augmentation_rng(c.seed, step, i)) for i in chunk]
            targets = [think_wrapped(t) if th else t for t, th in zip(targets, think)]
            systems = ["think" if th else "plain" for th in think]
            # One forward pass per micro-batch (DDP expects one per backward).
            total, ntok = a.sft_loss(a.prepare([ctx.records[i] for i in chunk], systems, c.prompt_variant), targets)
            # Mean per micro-batch, averaged over the accumulation (as the reference trainer does).
            (total / max(1, ntok) / len(chunks)).backward()
            loss_sum += float(total.detach())
            tok_sum += ntok
        grad_norm = clip_and_step(ctx)
        step += 1
        loss_sum, tok_sum, n_ex = all_reduce_sum([loss_sum, float(tok_sum), float(len(idx))], ctx.dist)
        if step % c.log_every == 0 or step == ctx.total_steps:
            dt = max(time.time() - t0, 1e-9)
            ctx.events.metric(step, {"loss": loss_sum / max(1.0, tok_sum), "lr": lr, "grad_norm": grad_norm, "tokens": tok_sum,
                                     "samples_per_s": n_ex / dt, "epoch": step / ctx.steps_per_epoch})
        maybe_evaluate(ctx, step, system="plain")
        if ctx.should_checkpoint(step):
            ctx.checkpoint(step)
    finish(ctx, step)
    return step
