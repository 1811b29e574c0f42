"""GRPO arithmetic (method.md e.1 steps 3, 5 and 7), free of any model code so it can be checked by hand.

Shapes: completions and per-token tensors are [N, L] with N = prompts × G (the G copies of a prompt
adjacent); rewards and advantages are [N].
"""

from __future__ import annotations

import torch


def group_advantages(rewards: torch.Tensor, group_size: int, eps: float = 1e-4) -> torch.Tensor:
    """A_j = (R_j − mean(R)) / (std(R) + eps) within each group, std with Bessel's correction (G − 1).
    A group of identical rewards gets A = 0."""
    r = rewards.double().view(-1, group_size)
    mean = r.mean(dim=1, keepdim=True)
    std = r.std(dim=1, unbiased=True, keepdim=True)
    return ((r - mean) / (std + eps)).view(-1).to(rewards.dtype)


def group_std(rewards: torch.Tensor, group_size: int) -> torch.Tensor:
    """Per-group Bessel std [N / G]."""
    return rewards.double().view(-1, group_size).std(dim=1, unbiased=True)


def completion_mask(completions: torch.Tensor, eos_id: int) -> torch.Tensor:
    """1 for tokens up to and including the first EOS, 0 after it; a row without EOS is all ones."""
    is_eos = completions == eos_id
    n, length = completions.shape
    first = torch.where(is_eos.any(dim=1), is_eos.int().argmax(dim=1), torch.full((n,), length, dtype=torch.long))
    idx = torch.arange(length).unsqueeze(0)
    return (idx <= first.unsqueeze(1)).to(torch.float32)


def kl_term(logp: torch.Tensor, ref_logp: torch.Tensor) -> torch.Tensor:
    """Per-token KL estimate exp(ref − logp) − (ref − logp) − 1 (k3 estimator, always >= 0)."""
    d = ref_logp - logp
    return torch.exp(d) - d - 1


def clipped_token_loss(logp: torch.Tensor, old_logp: torch.Tensor, advantages: torch.Tensor, clip_eps: float,
                       beta: float = 0.0, ref_logp: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """ℓ_t = −min(ρ_t·A, clip(ρ_t, 1 − ε, 1 + ε)·A) + β·KL_t with ρ_t = exp(logp − old_logp).
    Returns the per-token loss [N, L] and a [N, L] flag of tokens where the clipped branch was taken."""
    ratio = torch.exp(logp - old_logp)
    a = advantages.unsqueeze(1)
    unclipped = ratio * a
    clipped = torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * a
    loss = -torch.min(unclipped, clipped)
    if beta > 0:
        if ref_logp is None:
            raise ValueError("beta > 0 needs reference log-probs")
        loss = loss + beta * kl_term(logp, ref_logp)
    return loss, (clipped < unclipped).to(torch.float32)


def aggregate(loss: torch.Tensor, mask: torch.Tensor, kind: str = "bnpo", max_completion_length: int = 0) -> torch.Tensor:
    """bnpo: Σ ℓ·mask / max(1, Σ mask); grpo: mean over rows of per-row masked means;
    dr_grpo: Σ ℓ·mask / (rows × max_completion_length)."""
    if kind == "bnpo":
        return (loss * mask).sum() / mask.sum().clamp(min=1.0)
    if kind == "grpo":
        return ((loss * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)).mean()
    if kind == "dr_grpo":
        return (loss * mask).sum() / (loss.shape[0] * max_completion_length)
    raise ValueError(f"unknown aggregation {kind!r}")
