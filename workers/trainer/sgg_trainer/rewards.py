"""The reward service client: `POST <url>/score` (server/rewards/create-reward-server.ts).

Request: `{"items": [{"completion", "gt": {"objects", "relationships"}, "image_size": [w, h],
"box_scale": [sx, sy]}], "preset", "weights", "strict_format"}`; ground-truth boxes in original pixels,
completion boxes in the model's box space. Answer: `{"rewards": [{"total", "values": {...}, "failed"}]}`
in request order. A scorer is any callable with the signature of `Scorer`, so tests inject a stub.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any, Callable, Optional, Sequence

ScoreItem = dict[str, Any]
Scored = dict[str, Any]  # {"total": float, "values": {name: float}, "failed": bool}
Scorer = Callable[[Sequence[ScoreItem], str, dict[str, float]], list[Scored]]


class RewardServiceError(RuntimeError):
    pass


class HttpScorer:
    """Calls the reward service; retries transient connection errors a few times (the service may be
    starting), never a 4xx answer (a bad request stays bad)."""

    def __init__(self, url: str, timeout_s: float = 120.0, strict_format: bool = True, retries: int = 3) -> None:
        self.url = url.rstrip("/") + "/score"
        self.timeout_s, self.strict_format, self.retries = timeout_s, strict_format, retries

    def __call__(self, items: Sequence[ScoreItem], preset: str, weights: dict[str, float]) -> list[Scored]:
        body = json.dumps({"items": list(items), "preset": preset, "weights": weights, "strict_format": self.strict_format}).encode("utf-8")
        last: Optional[Exception] = None
        for attempt in range(self.retries + 1):
            req = urllib.request.Request(self.url, data=body, headers={"content-type": "application/json"}, method="POST")
            try:
                with urllib.request.urlopen(req, timeout=self.timeout_s) as resp:
                    out = json.loads(resp.read().decode("utf-8"))
                break
            except urllib.error.HTTPError as e:
                detail = e.read().decode("utf-8", "replace")[:500]
                raise RewardServiceError(f"reward service answered {e.code}: {detail}") from None
            except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
                last = e
                time.sleep(0.5 * 2 ** attempt)
        else:
            raise RewardServiceError(f"reward service at {self.url} unreachable: {last}")
        rewards = out.get("rewards") if isinstance(out, dict) else None
        if not isinstance(rewards, list) or len(rewards) != len(items):
            raise RewardServiceError(f"reward service returned {len(rewards) if isinstance(rewards, list) else 'no'} rewards for {len(items)} items")
        return rewards
