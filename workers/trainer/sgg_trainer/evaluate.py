"""Periodic greedy evaluation during training: decode the eval records, score them with the reward
service, report `eval/*` metrics. Runs on rank 0 only (it has no collective operations)."""

from __future__ import annotations

from .adapters import SamplingParams
from .context import Context


def maybe_evaluate(ctx: Context, step: int, system: str) -> None:
    c = ctx.config
    if not c.eval.every or step % c.eval.every or not ctx.dist.main or not ctx.eval_records or ctx.scorer is None:
        return
    recs = ctx.eval_records[: c.eval.max_images]
    params = SamplingParams(0.0, 1.0, 0, c.eval.max_new_tokens or c.max_completion_length, c.constrain_relation_ids)  # greedy (e.3)
    texts: list[str] = []
    for i in range(0, len(recs), c.micro_batch_size):
        chunk = recs[i : i + c.micro_batch_size]
        texts += ctx.adapter.decode(ctx.adapter.sample(ctx.adapter.prepare(chunk, system, c.prompt_variant), 1, params, None))
    items = [{"completion": t, "gt": r.gt(), "image_size": [r.width, r.height], "box_scale": list(ctx.adapter.box_scale(r))} for t, r in zip(texts, recs)]
    scored = ctx.scorer(items, c.reward.preset, c.reward.weights)
    n = len(scored)
    values = {"eval/reward_total": sum(s["total"] for s in scored) / n, "eval/failure_rate": sum(bool(s.get("failed")) for s in scored) / n}
    for name in scored[0].get("values", {}):
        values[f"eval/{name}"] = sum(float(s["values"][name]) for s in scored) / n
    ctx.events.metric(step, values)
