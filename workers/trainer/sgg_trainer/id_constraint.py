"""Decoding constraint for the tiny model: a relationship end may only name an object the answer has
already listed (config.constrain_relation_ids). Token layout (tokenizer.py): an object is
`OBJ_OPEN class DOT number …`, a relationship `REL_OPEN class DOT number REL_PRED pred REL_OBJ class DOT
number REL_CLOSE`, and MID separates the objects from the relationships."""

from __future__ import annotations

from typing import Callable

import torch

from .tokenizer import DOT, MID, OBJ_OPEN, REL_OBJ, REL_OPEN, SceneGraphTokenizer


def relation_id_mask(tok: SceneGraphTokenizer) -> Callable[[torch.Tensor, torch.Tensor], torch.Tensor]:
    """`mask(generated [B, t], logits [B, V]) -> logits` with -inf on every class token (right after a
    relationship end opens) or number token (right after its class and dot) that no listed object has."""
    rel_open, rel_obj, mid, obj_open, dot = (tok.id_of(s, "struct") for s in (REL_OPEN, REL_OBJ, MID, OBJ_OPEN, DOT))

    def mask(generated: torch.Tensor, logits: torch.Tensor) -> torch.Tensor:
        out = logits
        for b, row in enumerate(generated.tolist()):
            if not row or mid not in row:
                continue
            if row[-1] in (rel_open, rel_obj):
                pick = None  # the class of an end
            elif len(row) >= 3 and row[-1] == dot and row[-3] in (rel_open, rel_obj):
                pick = row[-2]  # the number of an end whose class is row[-2]
            else:
                continue
            m = row.index(mid)
            listed = [(row[i + 1], row[i + 3]) for i in range(m - 3) if row[i] == obj_open]
            allowed = sorted({c for c, _ in listed} if pick is None else {n for c, n in listed if c == pick})
            if not allowed:
                continue  # nothing to point at: leave the model's choice (the reward scores it)
            if out is logits:
                out = logits.clone()
            keep = out[b, allowed].clone()
            out[b] = float("-inf")
            out[b, allowed] = keep
        return out

    return mask
