"""Training records, the SFT target text (method.md b.5) and the SFT augmentation (e.2).

A shard is a JSON-lines file; each line is one record:
`{"image_id", "width", "height", "objects": [{"id", "bbox": [x1, y1, x2, y2]}],
  "relationships": [{"subject", "predicate", "object"}], "image": "<path>"}`
with boxes in original-image pixels. `image` is a PNG/JPEG (read with Pillow) or a `.npy` array
(H×W×3 uint8); relative paths resolve against `image_root` or the shard's folder.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np


@dataclass
class Record:
    image_id: str
    width: int
    height: int
    objects: list[dict[str, Any]]
    relationships: list[dict[str, Any]]
    image: str  # absolute path

    def gt(self) -> dict[str, Any]:
        """Ground truth for the reward service: pixel boxes, only the keys of the answer schema (b.2)."""
        return {
            "objects": [{"id": o["id"], "bbox": list(o["bbox"])} for o in self.objects],
            "relationships": [{"subject": r["subject"], "predicate": r["predicate"], "object": r["object"]} for r in self.relationships],
        }


def load_records(paths: Sequence[str], base_dir: Optional[Path] = None, image_root: Optional[str] = None, limit: int = 0) -> list[Record]:
    """Reads every shard in order; raises ValueError naming the file and line of a bad record."""
    out: list[Record] = []
    for p in paths:
        path = Path(p)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        root = Path(image_root) if image_root else path.parent
        if not root.is_absolute() and base_dir is not None:
            root = base_dir / root
        with path.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    r = json.loads(line)
                    img = Path(r["image"])
                    rec = Record(str(r["image_id"]), int(r["width"]), int(r["height"]), list(r["objects"]), list(r.get("relationships", [])), str(img if img.is_absolute() else root / img))
                    for o in rec.objects:
                        if not isinstance(o.get("id"), str) or len(o.get("bbox", [])) != 4:
                            raise ValueError("objects need a string id and a four-number bbox")
                except (KeyError, TypeError, ValueError) as e:
                    raise ValueError(f"{path}:{n}: bad record ({e})") from None
                out.append(rec)
                if limit and len(out) >= limit:
                    return out
    return out


def load_image(path: str) -> np.ndarray:
    """Returns the image as H×W×3 uint8 (RGB)."""
    if path.endswith(".npy"):
        arr = np.load(path)
    else:
        try:
            from PIL import Image  # Debian python3-pil; optional when shards carry .npy images
        except ImportError as e:  # pragma: no cover - depends on the platform
            raise RuntimeError(f"reading {path} needs Pillow (python3-pil); export images as .npy instead") from e
        with Image.open(path) as im:
            arr = np.asarray(im.convert("RGB"))
    if arr.ndim == 2:
        arr = np.stack([arr] * 3, axis=-1)
    if arr.ndim != 3 or arr.shape[2] < 3:
        raise ValueError(f"{path}: expected an H×W×3 image, got shape {arr.shape}")
    return np.ascontiguousarray(arr[:, :, :3]).astype(np.uint8)


# --- SFT target (b.5) -------------------------------------------------------------------------------

def to_grid(v: float, size: float) -> int:
    """Pixel coordinate to the 0..1000 grid: divide, then multiply, then truncate toward zero (b.5)."""
    return math.trunc(v / size * 1000)


def _dumps(obj: Any) -> str:
    # Python's json.dumps defaults: ", " and ": " separators, ASCII escapes, keys in insertion order.
    return json.dumps(obj)


def format_answer(objects: Sequence[dict[str, Any]], relationships: Sequence[dict[str, Any]]) -> str:
    """The b.5 layout of a graph whose boxes are already in the model's space (written as given)."""
    o_parts = [_dumps({"id": o["id"], "bbox": list(o["bbox"])}) for o in objects]
    r_parts = [_dumps({"subject": r["subject"], "predicate": r["predicate"], "object": r["object"]}) for r in relationships]
    return "```json\n{\n  \"objects\": [\n" + ",\n".join(o_parts) + "\n  ],\n  \"relationships\": [\n" + ",\n".join(r_parts) + "\n  ]\n}\n```\n"


def grid_objects(objects: Sequence[dict[str, Any]], width: float, height: float) -> list[dict[str, Any]]:
    """Objects with pixel boxes converted to the 0..1000 grid (b.5)."""
    out = []
    for o in objects:
        x1, y1, x2, y2 = o["bbox"]
        out.append({"id": o["id"], "bbox": [to_grid(x1, width), to_grid(y1, height), to_grid(x2, width), to_grid(y2, height)]})
    return out


def sft_target_text(objects: Sequence[dict[str, Any]], relationships: Sequence[dict[str, Any]], width: float, height: float) -> str:
    """The assistant text of an SFT example, byte for byte as b.5 specifies (pixel boxes → 0..1000 grid)."""
    return format_answer(grid_objects(objects, width, height), relationships)


def category(obj_id: str) -> str:
    """The class part of an id: text before the first dot (spec 0.3)."""
    return obj_id.split(".", 1)[0]


def augment(objects: Sequence[dict[str, Any]], relationships: Sequence[dict[str, Any]], rng: random.Random) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Shuffles the objects, renumbers ids `<class>.<k>` (k = 1..n in the new order, counted over all
    objects as the reference does) and rewrites relationships through the old→new map, keeping their order."""
    objs = [dict(o) for o in objects]
    rng.shuffle(objs)
    mapping: dict[str, str] = {}
    for k, o in enumerate(objs, 1):
        new_id = f"{category(o['id'])}.{k}"
        mapping[o["id"]] = new_id
        o["id"] = new_id
    rels = [{**r, "subject": mapping.get(r["subject"], r["subject"]), "object": mapping.get(r["object"], r["object"])} for r in relationships]
    return objs, rels


def sft_example_text(rec: Record, visit: int, rng: random.Random) -> str:
    """The target of `rec` on its `visit`-th draw (1-based): augmented from the second visit with
    probability 0.5 (a uniform draw strictly greater than 0.5, e.2)."""
    objects, rels = rec.objects, rec.relationships
    if visit >= 2 and rng.random() > 0.5:
        objects, rels = augment(objects, rels, rng)
    return sft_target_text(objects, rels, rec.width, rec.height)


def vocabulary_from(records: Sequence[Record], vocab_file: Optional[str] = None) -> tuple[list[str], list[str]]:
    """Class and predicate names: from a VG150-style vocab file (index 0 = background, skipped) when
    given, else sorted from the records."""
    if vocab_file:
        raw = json.loads(Path(vocab_file).read_text(encoding="utf-8"))
        classes = [c for c in raw["objects"] if c != "__background__"]
        preds = [p for p in raw["predicates"] if p != "__background__"]
        return classes, preds
    classes = sorted({category(o["id"]) for r in records for o in r.objects})
    preds = sorted({rel["predicate"] for r in records for rel in r.relationships})
    return classes, preds
