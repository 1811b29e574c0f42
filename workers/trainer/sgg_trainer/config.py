"""The run config: what a training run is told, validated before anything heavy starts.

The workbench writes `config.json` into the run directory; the same shape is validated on the TypeScript
side. Every error names the offending field as a dotted path (`optimizer.lr`), so the UI can point at it.
Defaults follow method.md e.1 (GRPO) and e.2 (SFT); the learning rate and gradient clipping defaults
depend on the kind, so they are filled in after the kind is known.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union, get_args, get_origin, get_type_hints

SCHEMA_VERSION = 1

REWARD_NAMES = ("format", "node_acc", "node_box", "edge_soft", "edge_hard", "edge_hard_relax")
REWARD_PRESETS = {
    "soft_recall": ("format", "node_acc", "node_box", "edge_soft"),
    "hard_recall": ("format", "edge_hard"),
    "hard_recall_relax": ("format", "edge_hard_relax"),
}

# Reference defaults that depend on the run kind (e.1 / e.2).
KIND_DEFAULTS = {
    "sft": {"lr": 1e-5, "max_grad_norm": 0.3, "warmup_ratio": 0.05, "epochs": 3.0},
    "grpo": {"lr": 6e-7, "max_grad_norm": 1.0, "warmup_ratio": 0.0, "epochs": 1.0},
}


class ConfigError(ValueError):
    """A config problem; `field` is the dotted path of the offending entry."""

    def __init__(self, field_path: str, message: str) -> None:
        super().__init__(f"config.{field_path}: {message}" if field_path else f"config: {message}")
        self.field = field_path


@dataclass
class DataConfig:
    """Where the training data lives. Shards are JSON-lines files of records (see data.py)."""

    train: list[str] = field(default_factory=list)
    eval: list[str] = field(default_factory=list)
    # Image paths in records are resolved relative to this folder (default: the shard's folder).
    image_root: Optional[str] = None
    # JSON file with "objects" and "predicates" lists (VG150 layout, index 0 = background, skipped).
    # When absent the tiny model's vocabulary is built from the training records.
    vocab_file: Optional[str] = None
    # Use at most this many training records (0 = all); handy for smoke runs.
    limit: int = 0


@dataclass
class RewardConfig:
    """The reward service request (method.md d.13)."""

    preset: str = "hard_recall"
    weights: dict[str, float] = field(default_factory=dict)
    service_url: Optional[str] = None
    strict_format: bool = True
    timeout_s: float = 120.0


@dataclass
class OptimizerConfig:
    """AdamW with decoupled weight decay; `lr` and `max_grad_norm` default by kind (None = kind default)."""

    lr: Optional[float] = None
    betas: list[float] = field(default_factory=lambda: [0.9, 0.999])
    eps: float = 1e-8
    weight_decay: float = 0.0
    max_grad_norm: Optional[float] = None


@dataclass
class ScheduleConfig:
    """Learning-rate schedule over the whole run: linear warmup then linear decay to 0, or constant."""

    type: str = "linear"
    warmup_ratio: Optional[float] = None


@dataclass
class SamplingConfig:
    """Sampling of GRPO completions (e.1 step 2)."""

    temperature: float = 1.0
    top_p: float = 0.9
    top_k: int = 50


@dataclass
class EvalConfig:
    """Periodic greedy evaluation on `data.eval` scored by the reward service (0 = off)."""

    every: int = 0
    max_images: int = 16
    max_new_tokens: int = 0  # 0: use max_completion_length


@dataclass
class RunConfig:
    """One training run. `kind` picks SFT or GRPO; `model` is `tiny` or `hf:<path or hub id>`."""

    kind: str = ""
    model: str = "tiny"
    schema_version: int = SCHEMA_VERSION
    # Weights to start from (a checkpoint folder of a previous run, e.g. SFT before GRPO).
    init_checkpoint: Optional[str] = None
    # Adapter-specific options (tiny: d_model, encoder_layers, ...; hf: torch_dtype, attn_implementation).
    model_options: dict[str, Any] = field(default_factory=dict)
    data: DataConfig = field(default_factory=DataConfig)
    prompt_variant: str = "closed"
    reward: RewardConfig = field(default_factory=RewardConfig)
    group_size: int = 8
    # GRPO: prompts per optimizer step over all processes (each gives group_size completions).
    prompts_per_step: int = 32
    # SFT: examples per optimizer step over all processes.
    batch_size: int = 128
    # SFT: the augmentation of e.2 (shuffle the objects and renumber their ids from an example's second
    # draw on, with probability 0.5). The reference always does it; off keeps every target in record order.
    augment: bool = True
    # SFT: the fraction of draws taught under the think system prompt with the target inside empty
    # `<think></think><answer>…</answer>` tags (b.3). The reference trains only the plain prompt (0): its
    # base models already follow the think prompt's layout. A model trained from random weights has never
    # seen that prompt, and GRPO's strict format reward then pays nothing for its graphs.
    think_prompt_ratio: float = 0.0
    # Tiny model: while decoding (GRPO rollouts, evaluation, predictions) a relationship end may only name
    # an object the answer has already listed. Off in the reference, whose models copy ids reliably; a model
    # trained from scratch often does not, and GRPO's rewards then score the whole answer 0.
    constrain_relation_ids: bool = False
    # Sequences per forward pass on one process; the step accumulates gradients over micro-batches.
    micro_batch_size: int = 8
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    beta: float = 0.0
    clip_eps: float = 0.2
    loss_aggregation: str = "bnpo"
    max_completion_length: int = 1024
    sampling: SamplingConfig = field(default_factory=SamplingConfig)
    # Number of optimizer steps; 0 = derived from epochs and the data size.
    max_steps: int = 0
    epochs: Optional[float] = None
    seed: int = 42
    checkpoint_every: int = 100
    # Keep only the newest N checkpoints (0 = keep all).
    keep_checkpoints: int = 0
    log_every: int = 1
    rollout_every: int = 1
    eval: EvalConfig = field(default_factory=EvalConfig)
    # Torch CPU threads (0 = all cores); torch on this platform defaults to 1.
    threads: int = 0
    # Write the final weights as ONNX (tiny model) to <run_dir>/onnx at the end.
    export_onnx: bool = False

    # --- derived, kind-dependent defaults -------------------------------------------------------
    @property
    def lr(self) -> float:
        return self.optimizer.lr if self.optimizer.lr is not None else KIND_DEFAULTS[self.kind]["lr"]

    @property
    def max_grad_norm(self) -> float:
        v = self.optimizer.max_grad_norm
        return v if v is not None else KIND_DEFAULTS[self.kind]["max_grad_norm"]

    @property
    def warmup_ratio(self) -> float:
        v = self.schedule.warmup_ratio
        return v if v is not None else KIND_DEFAULTS[self.kind]["warmup_ratio"]

    @property
    def num_epochs(self) -> float:
        return self.epochs if self.epochs is not None else KIND_DEFAULTS[self.kind]["epochs"]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# --- parsing ---------------------------------------------------------------------------------------

def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", str(tp))


def _coerce(value: Any, tp: Any, path: str) -> Any:
    """Checks `value` against the annotation `tp` and builds nested dataclasses."""
    origin = get_origin(tp)
    if origin is Union:  # Optional[X]
        args = [a for a in get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _coerce(value, args[0], path)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            raise ConfigError(path, f"expected an object, got {type(value).__name__}")
        return _from_dict(tp, value, path + ".")
    if origin is list:
        if not isinstance(value, list):
            raise ConfigError(path, f"expected a list, got {type(value).__name__}")
        (item_tp,) = get_args(tp)
        return [_coerce(v, item_tp, f"{path}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(path, f"expected an object, got {type(value).__name__}")
        _, val_tp = get_args(tp)
        return {k: _coerce(v, val_tp, f"{path}.{k}") for k, v in value.items()}
    if tp is Any:
        return value
    if tp is float:
        # JSON has one number type; accept integers for floats but never booleans.
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(path, f"expected a number, got {json.dumps(value)}")
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())):
            raise ConfigError(path, f"expected an integer, got {json.dumps(value)}")
        return int(value)
    if tp is bool:
        if not isinstance(value, bool):
            raise ConfigError(path, f"expected true or false, got {json.dumps(value)}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise ConfigError(path, f"expected a string, got {json.dumps(value)}")
        return value
    raise ConfigError(path, f"unsupported type {_type_name(tp)}")  # pragma: no cover


def _from_dict(cls: Any, raw: dict[str, Any], prefix: str) -> Any:
    hints = get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    for key in raw:
        if key not in names:
            raise ConfigError(prefix + key, "unknown field")
    kwargs = {k: _coerce(v, hints[k], prefix + k) for k, v in raw.items()}
    return cls(**kwargs)


def _check(cond: bool, path: str, message: str) -> None:
    if not cond:
        raise ConfigError(path, message)


def validate(c: RunConfig) -> RunConfig:
    """Semantic checks; raises ConfigError naming the first bad field."""
    _check(c.schema_version == SCHEMA_VERSION, "schema_version", f"unsupported version {c.schema_version} (this trainer reads {SCHEMA_VERSION})")
    _check(c.kind in ("sft", "grpo"), "kind", f'must be "sft" or "grpo", got {json.dumps(c.kind)}')
    _check(c.model == "tiny" or (c.model.startswith("hf:") and len(c.model) > 3), "model", f'must be "tiny" or "hf:<path>", got {json.dumps(c.model)}')
    _check(len(c.data.train) > 0, "data.train", "at least one training shard is required")
    _check(c.data.limit >= 0, "data.limit", "must be >= 0")
    _check(c.prompt_variant in ("closed", "open"), "prompt_variant", f'must be "closed" or "open", got {json.dumps(c.prompt_variant)}')
    _check(c.reward.preset in REWARD_PRESETS, "reward.preset", f"must be one of {', '.join(REWARD_PRESETS)}, got {json.dumps(c.reward.preset)}")
    for k in c.reward.weights:
        _check(k in REWARD_NAMES, f"reward.weights.{k}", f"unknown reward function (known: {', '.join(REWARD_NAMES)})")
    _check(c.reward.timeout_s > 0, "reward.timeout_s", "must be > 0")
    _check(c.group_size >= 2, "group_size", "must be >= 2 (advantages need a group std)")
    _check(c.prompts_per_step >= 1, "prompts_per_step", "must be >= 1")
    _check(c.batch_size >= 1, "batch_size", "must be >= 1")
    _check(c.micro_batch_size >= 1, "micro_batch_size", "must be >= 1")
    _check(0 <= c.think_prompt_ratio <= 1, "think_prompt_ratio", "must be in [0, 1]")
    o = c.optimizer
    _check(o.lr is None or o.lr >= 0, "optimizer.lr", "must be >= 0")
    _check(len(o.betas) == 2 and all(0 <= b < 1 for b in o.betas), "optimizer.betas", "must be two numbers in [0, 1)")
    _check(o.eps > 0, "optimizer.eps", "must be > 0")
    _check(o.weight_decay >= 0, "optimizer.weight_decay", "must be >= 0")
    _check(o.max_grad_norm is None or o.max_grad_norm > 0, "optimizer.max_grad_norm", "must be > 0")
    _check(c.schedule.type in ("linear", "constant"), "schedule.type", f'must be "linear" or "constant", got {json.dumps(c.schedule.type)}')
    w = c.schedule.warmup_ratio
    _check(w is None or 0 <= w < 1, "schedule.warmup_ratio", "must be in [0, 1)")
    _check(c.beta >= 0, "beta", "must be >= 0")
    _check(0 < c.clip_eps < 1, "clip_eps", "must be in (0, 1)")
    _check(c.loss_aggregation in ("bnpo", "grpo", "dr_grpo"), "loss_aggregation", 'must be "bnpo", "grpo" or "dr_grpo"')
    _check(c.max_completion_length >= 1, "max_completion_length", "must be >= 1")
    s = c.sampling
    _check(s.temperature > 0, "sampling.temperature", "must be > 0 (log-probs are divided by it)")
    _check(0 < s.top_p <= 1, "sampling.top_p", "must be in (0, 1]")
    _check(s.top_k >= 0, "sampling.top_k", "must be >= 0 (0 = off)")
    _check(c.max_steps >= 0, "max_steps", "must be >= 0")
    _check(c.epochs is None or c.epochs > 0, "epochs", "must be > 0")
    _check(c.checkpoint_every >= 0, "checkpoint_every", "must be >= 0 (0 = only at the end)")
    _check(c.keep_checkpoints >= 0, "keep_checkpoints", "must be >= 0")
    _check(c.log_every >= 1, "log_every", "must be >= 1")
    _check(c.rollout_every >= 0, "rollout_every", "must be >= 0 (0 = off)")
    _check(c.eval.every >= 0, "eval.every", "must be >= 0")
    _check(c.eval.max_images >= 1, "eval.max_images", "must be >= 1")
    _check(c.eval.every == 0 or len(c.data.eval) > 0, "data.eval", "eval.every > 0 needs an eval shard")
    _check(c.threads >= 0, "threads", "must be >= 0")
    if c.kind == "grpo" or c.eval.every > 0:
        _check(c.reward.service_url is None or c.reward.service_url.startswith(("http://", "https://")), "reward.service_url", "must be an http(s) URL")
    return c


def parse_config(raw: Any) -> RunConfig:
    """Builds and validates a RunConfig from decoded JSON."""
    if not isinstance(raw, dict):
        raise ConfigError("", "the config must be a JSON object")
    return validate(_from_dict(RunConfig, raw, ""))


def load_config(path: Union[str, Path]) -> RunConfig:
    """Reads `config.json`; data paths stay as written (resolved against the config's folder by data.py)."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        raise ConfigError("", f"not valid JSON ({e})") from None
    return parse_config(raw)
