"""Versioned JSON-line events on stdout: the trainer's only channel to the workbench.

One JSON object per line, flushed at once so the worker sees progress live. Shapes (v = 1):

* `{"v":1,"type":"metric","step":int,"values":{name: float}}`
* `{"v":1,"type":"checkpoint","step":int,"path":str}` (path: absolute checkpoint folder)
* `{"v":1,"type":"rollout","step":int,"prompt_id":str,"image_size":[w,h],"box_scale":[sx,sy],
   "completions":[{"text":str,"reward":float,"values":{...},"advantage":float,"length":int,"failed":bool}]}`
* `{"v":1,"type":"log","level":"info"|"warning"|"error","message":str}`
* `{"v":1,"type":"done","status":"completed"|"failed","step":int,...}`

Anything else (warnings of libraries, tracebacks) goes to stderr. Only rank 0 of a distributed run emits.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any, Optional, TextIO

EVENT_VERSION = 1
EVENT_TYPES = ("metric", "checkpoint", "rollout", "log", "done")

# Required keys and their Python types per event type, for validation in tests and on emit.
EVENT_FIELDS: dict[str, dict[str, tuple[type, ...]]] = {
    "metric": {"step": (int,), "values": (dict,)},
    "checkpoint": {"step": (int,), "path": (str,)},
    "rollout": {"step": (int,), "prompt_id": (str,), "completions": (list,)},
    "log": {"level": (str,), "message": (str,)},
    "done": {"status": (str,), "step": (int,)},
}


def _finite(x: Any) -> Any:
    """JSON has no NaN/Infinity; a non-finite number becomes null (the worker drops it)."""
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {k: _finite(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_finite(v) for v in x]
    return x


def validate_event(ev: dict[str, Any]) -> None:
    """Raises ValueError when `ev` is not a well-formed event of this version."""
    if ev.get("v") != EVENT_VERSION:
        raise ValueError(f"event version must be {EVENT_VERSION}")
    t = ev.get("type")
    if t not in EVENT_FIELDS:
        raise ValueError(f"unknown event type {t!r}")
    for key, types in EVENT_FIELDS[t].items():
        if key not in ev:
            raise ValueError(f"{t} event lacks {key!r}")
        if isinstance(ev[key], bool) or not isinstance(ev[key], types):
            raise ValueError(f"{t} event field {key!r} has type {type(ev[key]).__name__}")
    if t == "metric":
        for name, value in ev["values"].items():
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise ValueError(f"metric {name!r} is not a number")
    if t == "log" and ev["level"] not in ("info", "warning", "error"):
        raise ValueError(f"unknown log level {ev['level']!r}")
    if t == "done" and ev["status"] not in ("completed", "failed"):
        raise ValueError(f"unknown done status {ev['status']!r}")


class EventWriter:
    """Writes events to a stream (stdout by default); silent when `enabled` is false (ranks > 0)."""

    def __init__(self, stream: Optional[TextIO] = None, enabled: bool = True) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.enabled = enabled

    def emit(self, type_: str, **fields: Any) -> None:
        if not self.enabled:
            return
        ev = {"v": EVENT_VERSION, "type": type_, **_finite(fields)}
        validate_event(ev)
        self.stream.write(json.dumps(ev, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.stream.flush()

    def metric(self, step: int, values: dict[str, float]) -> None:
        self.emit("metric", step=step, values={k: float(v) for k, v in values.items()})

    def checkpoint(self, step: int, path: str) -> None:
        self.emit("checkpoint", step=step, path=path)

    def rollout(self, step: int, prompt_id: str, completions: list[dict[str, Any]], **extra: Any) -> None:
        self.emit("rollout", step=step, prompt_id=prompt_id, completions=completions, **extra)

    def log(self, message: str, level: str = "info", **extra: Any) -> None:
        self.emit("log", level=level, message=message, **extra)

    def done(self, step: int, status: str = "completed", **extra: Any) -> None:
        self.emit("done", step=step, status=status, **extra)
