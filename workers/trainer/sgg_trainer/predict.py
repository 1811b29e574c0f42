"""Greedy predictions of one checkpoint over a records shard, in the reference's prediction-file form.

    python -m sgg_trainer.predict --checkpoint run/checkpoints/step-00000100 --config run/config.json \
        --records run/data/eval.jsonl --out run/predictions/step-00000100.jsonl [--max-images N] [--system think] \
        [--relation-ids constrained|free]

Writes one JSON object per line, `{"image_id", "response", "box_scale": [sx, sy]}` (method.md e.3: greedy
decoding, the think system prompt for GRPO checkpoints and the plain one for SFT checkpoints, the run's
prompt variant; `--system` overrides the system prompt, e.g. to score an SFT checkpoint under the prompt
GRPO will train it with; `--relation-ids` overrides the config's constrain_relation_ids). The file appears whole or not at all (written beside it, then renamed), so a reader never
sees half a set. Progress goes to stderr; stdout gets one summary line. Exit codes: 0 done, 2 bad arguments
or config, 1 any other failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Optional, Sequence

from .config import ConfigError, RunConfig, load_config


class PredictError(ValueError):
    """A problem with the arguments (missing checkpoint, unreadable shard); exit code 2."""


def system_prompt_for(checkpoint: Path, config: RunConfig) -> str:
    """`think` for a GRPO-trained checkpoint, `plain` for an SFT one (e.3); the kind comes from the
    checkpoint's state.json, falling back to the run config."""
    state = checkpoint / "state.json"
    kind = config.kind
    if state.is_file():
        kind = str(json.loads(state.read_text(encoding="utf-8")).get("kind", kind))
    return "think" if kind == "grpo" else "plain"


def predict(checkpoint: Path, config_path: Path, records_path: Path, out: Path, max_images: int = 0,
            max_new_tokens: int = 0, batch_size: int = 0, system: Optional[str] = None,
            constrain_ids: Optional[bool] = None) -> int:
    """Decodes every record of the shard (at most `max_images`, 0 = all) and writes the prediction file;
    returns the number of predictions written."""
    import torch

    from .adapters import SamplingParams, build_adapter
    from .data import load_records, vocabulary_from

    if not (checkpoint / "model.json").is_file():
        raise PredictError(f"--checkpoint {checkpoint}: not a checkpoint folder (no model.json)")
    if not records_path.is_file():
        raise PredictError(f"--records {records_path}: no such file")
    if not config_path.is_file():
        raise PredictError(f"--config {config_path}: no such file")
    c = load_config(config_path)
    base_dir = config_path.resolve().parent
    try:
        records = load_records([str(records_path)], None, c.data.image_root, max_images)
    except ValueError as e:
        raise PredictError(f"--records: {e}") from None
    torch.set_num_threads(c.threads or max(1, os.cpu_count() or 1))
    vocab_file = c.data.vocab_file
    if vocab_file and not Path(vocab_file).is_absolute():
        vocab_file = str(base_dir / vocab_file)
    classes, predicates = vocabulary_from(records, vocab_file)
    # The checkpoint supplies the weights (and, for the tiny model, its tokenizer).
    adapter = build_adapter(c.model, c.model_options, classes, predicates, checkpoint)
    adapter.model.eval()
    system = system or system_prompt_for(checkpoint, c)
    limit = max_new_tokens or c.eval.max_new_tokens or c.max_completion_length
    constrain = c.constrain_relation_ids if constrain_ids is None else constrain_ids
    params = SamplingParams(0.0, 1.0, 0, limit, constrain)  # temperature 0: greedy
    step = batch_size or c.micro_batch_size
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    started = time.time()
    with tmp.open("w", encoding="utf-8") as f:
        for i in range(0, len(records), step):
            chunk = records[i : i + step]
            ids = adapter.sample(adapter.prepare(chunk, system, c.prompt_variant), 1, params, None)
            for rec, text in zip(chunk, adapter.decode(ids)):
                line = {"image_id": rec.image_id, "response": text, "box_scale": list(adapter.box_scale(rec))}
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
            print(f"predicted {min(i + step, len(records))}/{len(records)} images", file=sys.stderr, flush=True)
    os.replace(tmp, out)
    print(json.dumps({"images": len(records), "out": str(out.resolve()), "system": system, "constrain_relation_ids": constrain,
                      "elapsed_s": round(time.time() - started, 3)}), flush=True)
    return len(records)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="sgg_trainer.predict", description="Greedy predictions of a checkpoint over a records shard")
    ap.add_argument("--checkpoint", required=True, type=Path, help="checkpoint folder (<run>/checkpoints/step-NNNNNNNN)")
    ap.add_argument("--config", required=True, type=Path, help="the run's config.json")
    ap.add_argument("--records", required=True, type=Path, help="records shard (JSON lines)")
    ap.add_argument("--out", required=True, type=Path, help="prediction file to write (JSON lines)")
    ap.add_argument("--max-images", type=int, default=0, help="predict at most this many records (0 = all)")
    ap.add_argument("--max-new-tokens", type=int, default=0, help="token limit (0 = the config's)")
    ap.add_argument("--batch-size", type=int, default=0, help="images per forward pass (0 = micro_batch_size)")
    ap.add_argument("--system", choices=("plain", "think"), default=None, help="system prompt (default: think for GRPO checkpoints, plain otherwise)")
    ap.add_argument("--relation-ids", choices=("constrained", "free"), default=None,
                    help="relationship ends limited to listed objects or not (default: the config's constrain_relation_ids)")
    args = ap.parse_args(argv)
    if args.max_images < 0 or args.max_new_tokens < 0 or args.batch_size < 0:
        print("--max-images, --max-new-tokens and --batch-size must be >= 0", file=sys.stderr)
        return 2
    try:
        predict(args.checkpoint, args.config, args.records, args.out, args.max_images, args.max_new_tokens, args.batch_size, args.system,
                None if args.relation_ids is None else args.relation_ids == "constrained")
        return 0
    except (ConfigError, PredictError) as e:
        print(str(e), file=sys.stderr)
        return 2
    except Exception as e:  # noqa: BLE001 - any other failure: traceback on stderr, exit 1
        traceback.print_exc(file=sys.stderr)
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
