"""Command line: `python -m sgg_trainer --config run/config.json --run-dir run/ [--resume]`.

Several processes: `torchrun --nproc_per_node N -m sgg_trainer ...` (WORLD_SIZE > 1 → DDP; gloo on CPU).
Exit codes: 0 done, 2 bad config, 1 any other failure (a `done` event with status "failed" is printed).
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

from .config import ConfigError, load_config
from .events import EventWriter
from .rewards import Scorer

if TYPE_CHECKING:
    from .context import Context


def train(config_path: Path, run_dir: Path, resume: bool = False, scorer: Optional[Scorer] = None, events: Optional[EventWriter] = None) -> "Context":
    """Runs one training run and returns its context (model, step). Relative data paths resolve against the
    config's folder."""
    from .context import build_context
    from .grpo import run_grpo
    from .sft import run_sft

    c = load_config(config_path)
    ctx = build_context(c, run_dir, base_dir=config_path.resolve().parent, resume=resume, scorer=scorer, events=events)
    ctx.start_step = run_sft(ctx) if c.kind == "sft" else run_grpo(ctx)
    return ctx


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="sgg_trainer", description="SFT and GRPO training for scene-graph generation")
    ap.add_argument("--config", required=True, type=Path, help="run config (JSON)")
    ap.add_argument("--run-dir", required=True, type=Path, help="folder for checkpoints and exports")
    ap.add_argument("--resume", action="store_true", help="continue from the newest checkpoint in the run folder")
    args = ap.parse_args(argv)
    import os
    events = EventWriter(enabled=int(os.environ.get("RANK", "0")) == 0)
    try:
        train(args.config, args.run_dir, args.resume, events=events)
        return 0
    except ConfigError as e:
        events.log(str(e), level="error", field=e.field)
        events.done(0, "failed", error=str(e))
        return 2
    except Exception as e:  # noqa: BLE001 - report every failure as an event, details on stderr
        traceback.print_exc(file=sys.stderr)
        events.log(f"{type(e).__name__}: {e}", level="error")
        events.done(0, "failed", error=f"{type(e).__name__}: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
