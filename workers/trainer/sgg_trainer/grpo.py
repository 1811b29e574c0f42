"""GRPO (method.md e.1): sample G completions per prompt, score them with the reward service, group
advantages, one clipped policy-gradient update per generation batch (bnpo aggregation), optional KL to
the initial policy, AdamW with linear decay and gradient clipping."""

from __future__ import annotations

import time
from typing import Any, Optional

import torch

from .adapters import SamplingParams
from .context import Context, clip_and_step, finish
from .evaluate import maybe_evaluate
from .losses import aggregate, clipped_token_loss, completion_mask, group_advantages, group_std, kl_term
from .runtime import all_reduce_sum, step_generator


def _num(v: Any) -> Optional[float]:
    return None if v is None else float(v)


def run_grpo(ctx: Context) -> int:
    c, a = ctx.config, ctx.adapter
    g_size = c.group_size
    params = SamplingParams(c.sampling.temperature, c.sampling.top_p, c.sampling.top_k, c.max_completion_length, c.constrain_relation_ids)
    step = ctx.start_step
    while step < ctx.total_steps:
        t0 = time.time()
        _, idx = ctx.step_indices(step)
        recs = [ctx.records[i] for i in idx]
        lr = ctx.lr()

        # 1-2. sample G completions per prompt (copies adjacent) with the current weights.
        batch = a.prepare(recs, "think", c.prompt_variant)
        completions = a.sample(batch, g_size, params, step_generator(c.seed, step, ctx.dist.rank))
        mask = completion_mask(completions, a.eos_id)
        texts = a.decode(completions)

        # 4. rewards from the service, per completion.
        items = []
        for j, text in enumerate(texts):
            r = recs[j // g_size]
            items.append({"completion": text, "gt": r.gt(), "image_size": [r.width, r.height], "box_scale": list(a.box_scale(r))})
        scored = ctx.scorer(items, c.reward.preset, c.reward.weights)  # type: ignore[misc]
        rewards = torch.tensor([float(s["total"]) for s in scored], dtype=torch.float32)

        # 5. advantages within each group.
        adv = group_advantages(rewards, g_size)

        # 6-7. log-probs, clipped objective, bnpo over each micro-batch; gradients accumulate.
        rep = a.repeat(batch, g_size)
        n = completions.shape[0]
        mb = c.micro_batch_size
        n_micro = (n + mb - 1) // mb
        kl_sum = clip_sum = loss_sum = 0.0
        for s in range(0, n, mb):
            e = min(n, s + mb)
            sub, comp, m = a.rows(rep, s, e), completions[s:e], mask[s:e]
            # Under the same relationship-id rule as the sampling, so the ratio is that of the policy drawn from.
            logp = a.completion_logprobs(sub, comp, c.sampling.temperature, constrain_ids=c.constrain_relation_ids)
            old = logp.detach()  # num_iterations = 1: ρ = 1 numerically, gradients still flow through logp
            ref = None
            if ctx.ref_model is not None:
                with torch.no_grad():
                    ref = a.completion_logprobs(sub, comp, c.sampling.temperature, module=ctx.ref_model, constrain_ids=c.constrain_relation_ids)
            tok_loss, clipped = clipped_token_loss(logp, old, adv[s:e], c.clip_eps, c.beta, ref)
            loss = aggregate(tok_loss, m, c.loss_aggregation, c.max_completion_length)
            (loss / n_micro).backward()
            loss_sum += float(loss.detach()) / n_micro
            clip_sum += float((clipped * m).sum())
            if ref is not None:
                kl_sum += float((kl_term(logp.detach(), ref) * m).sum())
        grad_norm = clip_and_step(ctx)
        step += 1

        # Metrics over all processes.
        names = sorted({k for s_ in scored for k, v in s_.get("values", {}).items() if v is not None})
        comp_sums = [sum(_num(s_["values"].get(k)) or 0.0 for s_ in scored) for k in names]
        comp_counts = [float(sum(s_["values"].get(k) is not None for s_ in scored)) for k in names]
        stds = group_std(rewards, g_size)
        local = [float(n), float(rewards.sum()), float((rewards.double() ** 2).sum()), float(stds.sum()), float((stds == 0).sum()),
                 float(len(stds)), float(mask.sum()), clip_sum, kl_sum, float(sum(bool(s_.get("failed")) for s_ in scored)), loss_sum]
        tot = all_reduce_sum(local + comp_sums + comp_counts, ctx.dist)
        cnt, r_sum, r_sq, std_sum, zero_std, groups, tok, clip_t, kl_t, failed, loss_t = tot[:11]
        mean = r_sum / cnt
        var = max(0.0, (r_sq - cnt * mean * mean) / max(1.0, cnt - 1))
        if step % c.log_every == 0 or step == ctx.total_steps:
            values = {
                "reward/total_mean": mean, "reward/total_std": var ** 0.5, "reward/group_std_mean": std_sum / groups,
                "frac_reward_zero_std": zero_std / groups, "completion_length": tok / cnt, "clip_ratio": clip_t / max(1.0, tok),
                "failure_rate": failed / cnt, "loss": loss_t / ctx.dist.world, "grad_norm": grad_norm, "lr": lr,
                "samples_per_s": cnt / max(time.time() - t0, 1e-9),
            }
            if c.beta > 0:
                values["kl"] = kl_t / max(1.0, tok)
            k = len(names)
            for i, name in enumerate(names):
                values[f"reward/{name}"] = tot[11 + i] / max(1.0, tot[11 + k + i])
            ctx.events.metric(step, values)
        if c.rollout_every and step % c.rollout_every == 0:
            r0 = recs[0]
            ctx.events.rollout(step, r0.image_id, [
                {"text": texts[j], "reward": float(rewards[j]), "values": scored[j].get("values", {}), "advantage": float(adv[j]),
                 "length": int(mask[j].sum()), "failed": bool(scored[j].get("failed"))} for j in range(g_size)],
                image_size=[r0.width, r0.height], box_scale=list(a.box_scale(r0)))
        maybe_evaluate(ctx, step, system="think")
        if ctx.should_checkpoint(step):
            ctx.checkpoint(step)
    finish(ctx, step)
    return step
