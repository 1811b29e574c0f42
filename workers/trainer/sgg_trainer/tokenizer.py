"""A scene-graph vocabulary tokenizer for the tiny model.

Every token is a piece of the answer text of method.md b.5, so any token sequence decodes to text by
concatenation and the workbench's parser judges it like any model's answer (a garbled sequence simply
fails to parse). Token kinds:

* specials: padding, begin, end (EOS), and prompt tokens standing for the system prompt (plain / think)
  and the user prompt variant (closed / open); they decode to nothing;
* structure: the fixed pieces of the JSON answer (`"```json\\n{\\n  \\"objects\\": [\\n"`, `{"id": "`, ...)
  and the think/answer tags of b.3;
* class names and predicates (as they appear inside a JSON string), id numbers 1..max_id;
* coordinates: `coord_bins` values evenly spaced over the 0..1000 grid (101 bins = steps of 10).

`encode_answer` reads only canonical answers (the SFT target layout, optionally wrapped as
`<think></think><answer>…</answer>`); with `quantize=True` coordinates snap to the nearest bin.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from .data import format_answer

PAD, BOS, EOS = "<pad>", "<bos>", "<eos>"
SYS_PLAIN, SYS_THINK = "<sys:plain>", "<sys:think>"
PROMPT_CLOSED, PROMPT_OPEN = "<prompt:closed>", "<prompt:open>"
SPECIALS = (PAD, BOS, EOS, SYS_PLAIN, SYS_THINK, PROMPT_CLOSED, PROMPT_OPEN)

# Structural pieces of the b.5 target, in the order they appear.
HEAD = '```json\n{\n  "objects": [\n'
OBJ_OPEN = '{"id": "'
DOT = "."
BBOX_OPEN = '", "bbox": ['
COMMA = ", "
OBJ_CLOSE = "]}"
SEP = ",\n"
MID = '\n  ],\n  "relationships": [\n'
REL_OPEN = '{"subject": "'
REL_PRED = '", "predicate": "'
REL_OBJ = '", "object": "'
REL_CLOSE = '"}'
TAIL = "\n  ]\n}\n```\n"
THINK_OPEN, THINK_CLOSE, ANSWER_OPEN, ANSWER_CLOSE = "<think>", "</think>", "<answer>", "</answer>"
STRUCTURE = (HEAD, OBJ_OPEN, DOT, BBOX_OPEN, COMMA, OBJ_CLOSE, SEP, MID, REL_OPEN, REL_PRED, REL_OBJ, REL_CLOSE, TAIL,
             THINK_OPEN, THINK_CLOSE, ANSWER_OPEN, ANSWER_CLOSE)

_ID_RE = re.compile(r"^(.*)\.([0-9]+)$")


def _json_inner(s: str) -> str:
    """A name as it appears inside a JSON string written by json.dumps (quotes stripped)."""
    return json.dumps(s)[1:-1]


@dataclass
class SceneGraphTokenizer:
    classes: list[str]
    predicates: list[str]
    max_id: int = 50
    coord_bins: int = 101

    def __post_init__(self) -> None:
        if self.coord_bins < 2:
            raise ValueError("coord_bins must be >= 2")
        self.tokens: list[str] = []  # surface text per id (specials: their names)
        self.kind: list[str] = []
        self._add(SPECIALS, "special")
        self._add(STRUCTURE, "struct")
        self.id_offset = len(self.tokens)
        self._add([str(k) for k in range(1, self.max_id + 1)], "idnum")
        self.class_offset = len(self.tokens)
        self._add([_json_inner(c) for c in self.classes], "class")
        self.pred_offset = len(self.tokens)
        self._add([_json_inner(p) for p in self.predicates], "pred")
        self.coord_offset = len(self.tokens)
        self._add([str(self.bin_value(b)) for b in range(self.coord_bins)], "coord")
        self.index = {(k, t): i for i, (t, k) in enumerate(zip(self.tokens, self.kind))}
        self.class_index = {c: self.class_offset + i for i, c in enumerate(self.classes)}
        self.pred_index = {p: self.pred_offset + i for i, p in enumerate(self.predicates)}

    def _add(self, surfaces: Iterable[str], kind: str) -> None:
        for s in surfaces:
            self.tokens.append(s)
            self.kind.append(kind)

    # --- ids -------------------------------------------------------------------------------------
    @property
    def vocab_size(self) -> int:
        return len(self.tokens)

    def id_of(self, surface: str, kind: str = "special") -> int:
        return self.index[(kind, surface)]

    @property
    def pad_id(self) -> int:
        return self.id_of(PAD)

    @property
    def bos_id(self) -> int:
        return self.id_of(BOS)

    @property
    def eos_id(self) -> int:
        return self.id_of(EOS)

    def bin_value(self, b: int) -> int:
        """Grid value (0..1000) of coordinate bin b."""
        return math.floor(b * 1000 / (self.coord_bins - 1) + 0.5)

    def value_bin(self, v: float) -> int:
        """Nearest bin of a grid value, clamped to 0..1000; halves round up (like JavaScript's Math.round)."""
        return math.floor(min(max(v, 0), 1000) * (self.coord_bins - 1) / 1000 + 0.5)

    # --- prompts ---------------------------------------------------------------------------------
    def encode_prompt(self, system: str, variant: str) -> list[int]:
        """Prompt tokens: begin, system kind (`plain` | `think`), user prompt variant (`closed` | `open`)."""
        return [self.bos_id, self.id_of(SYS_THINK if system == "think" else SYS_PLAIN), self.id_of(PROMPT_OPEN if variant == "open" else PROMPT_CLOSED)]

    # --- answers ---------------------------------------------------------------------------------
    def _s(self, surface: str) -> int:
        return self.index[("struct", surface)]

    def _encode_id(self, obj_id: str) -> list[int]:
        m = _ID_RE.match(obj_id)
        if not m or m.group(1) not in self.class_index or not (1 <= int(m.group(2)) <= self.max_id) or str(int(m.group(2))) != m.group(2):
            raise ValueError(f"id {obj_id!r} is not <class>.<1..{self.max_id}> over this vocabulary")
        return [self.class_index[m.group(1)], self._s(DOT), self.id_offset + int(m.group(2)) - 1]

    def encode_graph(self, objects: Sequence[dict[str, Any]], relationships: Sequence[dict[str, Any]], think: bool = False, quantize: bool = True, eos: bool = True) -> list[int]:
        """Tokens of a graph whose boxes are already on the 0..1000 grid."""
        out: list[int] = []
        if think:
            out += [self._s(THINK_OPEN), self._s(THINK_CLOSE), self._s(ANSWER_OPEN)]
        out.append(self._s(HEAD))
        for i, o in enumerate(objects):
            if i:
                out.append(self._s(SEP))
            out.append(self._s(OBJ_OPEN))
            out += self._encode_id(o["id"])
            out.append(self._s(BBOX_OPEN))
            for j, v in enumerate(o["bbox"]):
                if j:
                    out.append(self._s(COMMA))
                b = self.value_bin(v)
                if not quantize and self.bin_value(b) != v:
                    raise ValueError(f"coordinate {v} is not on a bin (quantize=False)")
                out.append(self.coord_offset + b)
            out.append(self._s(OBJ_CLOSE))
        out.append(self._s(MID))
        for i, r in enumerate(relationships):
            if i:
                out.append(self._s(SEP))
            if r["predicate"] not in self.pred_index:
                raise ValueError(f"predicate {r['predicate']!r} is not in this vocabulary")
            out += [self._s(REL_OPEN), *self._encode_id(r["subject"]), self._s(REL_PRED), self.pred_index[r["predicate"]],
                    self._s(REL_OBJ), *self._encode_id(r["object"]), self._s(REL_CLOSE)]
        out.append(self._s(TAIL))
        if think:
            out.append(self._s(ANSWER_CLOSE))
        if eos:
            out.append(self.eos_id)
        return out

    def encode_answer(self, text: str, quantize: bool = True, eos: bool = True) -> list[int]:
        """Tokens of a canonical answer text (b.5 layout, optionally inside empty think + answer tags)."""
        think = False
        body = text
        wrap = THINK_OPEN + THINK_CLOSE + ANSWER_OPEN
        if body.startswith(wrap) and body.endswith(ANSWER_CLOSE):
            think, body = True, body[len(wrap):-len(ANSWER_CLOSE)]
        if not (body.startswith("```json\n") and body.endswith("\n```\n")):
            raise ValueError("not a canonical answer: expected a ```json fenced block")
        try:
            g = json.loads(body[len("```json\n"):-len("\n```\n")])
        except json.JSONDecodeError as e:
            raise ValueError(f"not a canonical answer: {e}") from None
        objects, rels = g["objects"], g["relationships"]
        # Re-serialising must give the same text: only the canonical layout is accepted.
        if format_answer(objects, rels) != body:
            raise ValueError("not a canonical answer: layout differs from the SFT target text")
        return self.encode_graph(objects, rels, think=think, quantize=quantize, eos=eos)

    def decode(self, ids: Iterable[int]) -> str:
        """Text of a token sequence: surfaces concatenated, stopping at the first EOS; specials vanish."""
        parts = []
        for i in ids:
            i = int(i)
            if i == self.eos_id:
                break
            if 0 <= i < len(self.tokens) and self.kind[i] != "special":
                parts.append(self.tokens[i])
        return "".join(parts)

    # --- persistence -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"kind": "scene-graph", "classes": self.classes, "predicates": self.predicates, "max_id": self.max_id, "coord_bins": self.coord_bins}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "SceneGraphTokenizer":
        return cls(list(d["classes"]), list(d["predicates"]), int(d["max_id"]), int(d["coord_bins"]))
