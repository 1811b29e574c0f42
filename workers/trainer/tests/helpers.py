"""Shared test fixtures: tiny generated records (numpy images) and a stub reward scorer."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any, Sequence

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sgg_trainer.events import validate_event  # noqa: E402

CLASSES = ["person", "hat", "table", "cup"]
PREDICATES = ["wearing", "on", "near"]

# Small model dimensions so a step takes milliseconds.
TINY_OPTIONS = {"image_size": 32, "patch_size": 8, "d_model": 32, "n_heads": 2, "encoder_layers": 1, "decoder_layers": 1, "max_positions": 160}


def make_records(folder: Path, n: int = 4) -> Path:
    """Writes n records (64×48 .npy images with coloured rectangles) to folder/train.jsonl."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(n):
        w, h = 64, 48
        img = np.zeros((h, w, 3), dtype=np.uint8)
        objs = [{"id": "person.1", "bbox": [4 + i, 6, 30, 44]}, {"id": "hat.2", "bbox": [10, 2, 24, 10]}]
        if i % 2:
            objs.append({"id": "table.3", "bbox": [34, 20, 62, 46]})
        for k, o in enumerate(objs):
            x1, y1, x2, y2 = o["bbox"]
            img[y1:y2, x1:x2, k % 3] = 200
        np.save(folder / f"img{i}.npy", img)
        rels = [{"subject": "person.1", "predicate": "wearing", "object": "hat.2"}]
        if i % 2:
            rels.append({"subject": "table.3", "predicate": "near", "object": "person.1"})
        lines.append(json.dumps({"image_id": f"img{i}", "width": w, "height": h, "objects": objs, "relationships": rels, "image": f"img{i}.npy"}))
    (folder / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "train.jsonl"


def write_config(folder: Path, **overrides: Any) -> Path:
    cfg = {"schema_version": 1, "kind": "sft", "model": "tiny", "model_options": TINY_OPTIONS, "data": {"train": ["train.jsonl"]},
           "batch_size": 2, "micro_batch_size": 2, "prompts_per_step": 2, "group_size": 4, "max_completion_length": 40,
           "seed": 42, "threads": 2, "optimizer": {"lr": 1e-3}}
    cfg.update(overrides)
    path = folder / "config.json"
    path.write_text(json.dumps(cfg), encoding="utf-8")
    return path


class StubScorer:
    """Stands in for the TypeScript reward service: format = 1 when the completion parses as a JSON
    answer (fenced or bare); node = fraction of ground-truth classes named. Same call shape as HttpScorer."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, items: Sequence[dict[str, Any]], preset: str, weights: dict[str, float]) -> list[dict[str, Any]]:
        self.calls.append({"items": list(items), "preset": preset, "weights": weights})
        out = []
        for it in items:
            text = it["completion"].strip()
            if text.startswith("```json"):
                text = text[len("```json"):].rstrip("`").strip()
            try:
                ans = json.loads(text)
                ok = isinstance(ans, dict) and "objects" in ans and "relationships" in ans
            except (json.JSONDecodeError, ValueError):
                ok = False
            gt_classes = {o["id"].split(".")[0] for o in it["gt"]["objects"]}
            named = {c for c in gt_classes if c in it["completion"]}
            node = len(named) / max(1, len(gt_classes))
            fmt = 1.0 if ok else 0.0
            out.append({"total": weights.get("format", 1.0) * fmt + node, "values": {"format": fmt, "edge_hard": node}, "failed": not ok})
        return out


def parse_events(text: str) -> list[dict[str, Any]]:
    """Every stdout line must be one valid event."""
    evs = []
    for line in text.splitlines():
        ev = json.loads(line)
        validate_event(ev)
        evs.append(ev)
    return evs


def stream() -> io.StringIO:
    return io.StringIO()
