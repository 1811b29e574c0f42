"""Decoding constraint for the tiny model: a relationship end may only name an object the answer has
already listed (config.constrain_relation_ids). Token layout (tokenizer.py): an object is
`OBJ_OPEN class DOT number …`, a relationship `REL_OPEN class DOT number REL_PRED pred REL_OBJ class DOT
number REL_CLOSE`, and MID separates the objects from the relationships.

The rule is part of the policy: rollouts are drawn from it and GRPO's log-probabilities are taken under
it (`relation_id_keep`), so the loss never moves probability onto tokens the decoder can never draw."""

from __future__ import annotations

from typing import Callable, Optional, Sequence

import torch

from .tokenizer import DOT, MID, OBJ_OPEN, REL_OBJ, REL_OPEN, SceneGraphTokenizer


class _Rule:
    def __init__(self, tok: SceneGraphTokenizer) -> None:
        self.rel_open, self.rel_obj, self.mid, self.obj_open, self.dot = (tok.id_of(s, "struct") for s in (REL_OPEN, REL_OBJ, MID, OBJ_OPEN, DOT))
        self.vocab_size = tok.vocab_size

    def at_end(self, prefix: Sequence[int]) -> bool:
        """Whether the next token is a relationship end's class or number (cheap; checked first)."""
        ends = (self.rel_open, self.rel_obj)
        return bool(prefix) and (prefix[-1] in ends or (len(prefix) >= 3 and prefix[-1] == self.dot and prefix[-3] in ends))

    def allowed(self, prefix: Sequence[int]) -> Optional[list[int]]:
        """Token ids the next token may take after the completion tokens `prefix`; None: any token."""
        if not self.at_end(prefix) or self.mid not in prefix:
            return None
        pick = None if prefix[-1] in (self.rel_open, self.rel_obj) else prefix[-2]  # None: the class of an end
        m = list(prefix).index(self.mid)
        listed = [(prefix[i + 1], prefix[i + 3]) for i in range(m - 3) if prefix[i] == self.obj_open]
        allowed = sorted({c for c, _ in listed} if pick is None else {n for c, n in listed if c == pick})
        return allowed or None  # nothing to point at: leave the model's choice (the reward scores it)


def relation_id_mask(tok: SceneGraphTokenizer) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """`mask(generated [B, t], logits [B, V]) -> logits` with -inf on every class token (right after a
    relationship end opens) or number token (right after its class and dot) that no listed object has."""
    rule = _Rule(tok)

    def mask(generated: torch.Tensor, logits: torch.Tensor) -> torch.Tensor:
        out = logits
        t = generated.shape[1]
        if t == 0:
            return out
        # Only rows at a relationship end are converted to lists (a few per step), so the per-token cost
        # stays small at large batches and long completions.
        last = generated[:, -1]
        ends = (last == rule.rel_open) | (last == rule.rel_obj)
        if t >= 3:
            before = generated[:, -3]
            ends |= (last == rule.dot) & ((before == rule.rel_open) | (before == rule.rel_obj))
        for b in ends.nonzero().flatten().tolist():
            allowed = rule.allowed(generated[b].tolist())
            if allowed is None:
                continue
            if out is logits:
                out = logits.clone()
            keep = out[b, allowed].clone()
            out[b] = float("-inf")
            out[b, allowed] = keep
        return out

    return mask


def relation_id_keep(tok: SceneGraphTokenizer, completions: torch.Tensor) -> Optional[torch.Tensor]:
    """For teacher-forced completions [B, L]: bool [B, L, V], True where position t's token may be drawn
    given the tokens before it (the rule of `relation_id_mask`); None when no position is restricted."""
    rule = _Rule(tok)
    keep: Optional[torch.Tensor] = None
    for b, row in enumerate(completions.tolist()):
        for t in range(1, len(row)):
            if not rule.at_end(row[max(0, t - 3) : t]):
                continue
            allowed = rule.allowed(row[:t])
            if allowed is None:
                continue
            if keep is None:
                keep = torch.ones(*completions.shape, rule.vocab_size, dtype=torch.bool)
            keep[b, t] = False
            keep[b, t, allowed] = True
    return keep
