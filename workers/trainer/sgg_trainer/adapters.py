"""One small interface between the training loops and a model family.

The loops (sft.py, grpo.py) only call these methods, so the tiny CPU model and Hugging Face chat models
share all training code. Shapes: a prepared batch holds B prompts; `sample` returns [B·n, L] completion
ids with the n copies of a prompt adjacent (PAD after EOS); log-prob tensors are [B·n, L] float32.
"""

from __future__ import annotations

import copy
import json
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from .config import ConfigError
from .data import Record, load_image, sft_example_text
from .id_constraint import relation_id_keep, relation_id_mask
from .models.tiny_vlm import TinyVLM, TinyVLMConfig, export_onnx
from .tokenizer import SceneGraphTokenizer


@dataclass
class SamplingParams:
    temperature: float = 1.0
    top_p: float = 1.0
    top_k: int = 0
    max_new_tokens: int = 1024
    # Relationship ends limited to ids the answer has written (config.constrain_relation_ids; tiny model).
    constrain_ids: bool = False


class ModelAdapter(ABC):
    """What the loops need from a model. `model` is the trainable module; `train_module` is what the
    forward passes with gradients call (the DDP wrapper in a distributed run, else `model`)."""

    model: nn.Module
    train_module: nn.Module

    @property
    @abstractmethod
    def eos_id(self) -> int: ...

    @property
    @abstractmethod
    def pad_id(self) -> int: ...

    @abstractmethod
    def box_scale(self, rec: Record) -> tuple[float, float]:
        """The model's box space for this image (b.4)."""

    @abstractmethod
    def prepare(self, records: Sequence[Record], system: str | Sequence[str], variant: str) -> Any:
        """Encodes prompt + image of each record (system: `plain` | `think`, or one of them per record;
        variant: `closed` | `open`)."""

    @abstractmethod
    def repeat(self, batch: Any, n: int) -> Any:
        """The batch with each prompt repeated n times, copies adjacent."""

    @abstractmethod
    def rows(self, batch: Any, start: int, end: int) -> Any:
        """Prompts start..end-1 of the batch (micro-batching)."""

    @abstractmethod
    def sample(self, batch: Any, n: int, params: SamplingParams, generator: Optional[torch.Generator]) -> torch.Tensor:
        """n completions per prompt from the current weights, no gradients: [B·n, L] ids."""

    @abstractmethod
    def completion_logprobs(self, batch: Any, completions: torch.Tensor, temperature: float, module: Optional[nn.Module] = None,
                            constrain_ids: bool = False) -> torch.Tensor:
        """Teacher-forced log-probs of each completion token, logits divided by `temperature` (e.1 step 6).
        `batch` already holds one prompt per completion row. `constrain_ids`: under the relationship-id rule
        the completions were sampled with (SamplingParams.constrain_ids), where the adapter has one."""

    @abstractmethod
    def sft_loss(self, batch: Any, targets: Sequence[str]) -> tuple[torch.Tensor, int]:
        """Summed token cross-entropy over the whole chat sequence except padding and image tokens (e.2),
        and the number of tokens it sums over."""

    @abstractmethod
    def sft_target(self, rec: Record, visit: int, rng: Any) -> str:
        """The assistant text for an SFT draw (b.5 plus augmentation)."""

    @abstractmethod
    def decode(self, ids: torch.Tensor) -> list[str]:
        """Text of each completion row up to (not including) its first EOS."""

    @abstractmethod
    def save(self, out_dir: Path) -> None: ...

    @abstractmethod
    def load(self, in_dir: Path) -> None: ...

    def export(self, out_dir: Path) -> None:
        raise NotImplementedError(f"{type(self).__name__} has no export")

    def frozen_copy(self) -> nn.Module:
        """A frozen copy of the current weights (the KL reference model)."""
        ref = copy.deepcopy(self.model).eval()
        for p in ref.parameters():
            p.requires_grad_(False)
        return ref


def per_record(system: str | Sequence[str], n: int) -> list[str]:
    """The system prompt kind of each of n records."""
    if isinstance(system, str):
        return [system] * n
    if len(system) != n:
        raise ValueError(f"{len(system)} system prompts for {n} records")
    return list(system)


# --- tiny -------------------------------------------------------------------------------------------

@dataclass
class TinyBatch:
    pixel_values: torch.Tensor  # [B, 3, S, S], 0..1
    prompt_ids: torch.Tensor  # [B, P]


class TinyAdapter(ModelAdapter):
    """The in-trainer tiny model over the scene-graph tokenizer. Box space: the 0..1000 grid."""

    def __init__(self, tokenizer: SceneGraphTokenizer, options: dict[str, Any], from_checkpoint: bool = False) -> None:
        self.tokenizer = tokenizer
        opts = dict(options)
        if not from_checkpoint and opts.pop("coord_embedding", True):
            # The model learns coordinates faster when it knows which tokens are bins (tiny_vlm.py).
            opts.update(coord_offset=tokenizer.coord_offset, coord_bins=tokenizer.coord_bins)
        self.model_config = TinyVLMConfig(vocab_size=tokenizer.vocab_size, **opts)
        self.model = TinyVLM(self.model_config)
        self.train_module = self.model
        self._image_cache: dict[str, torch.Tensor] = {}

    @property
    def eos_id(self) -> int:
        return self.tokenizer.eos_id

    @property
    def pad_id(self) -> int:
        return self.tokenizer.pad_id

    def box_scale(self, rec: Record) -> tuple[float, float]:
        return (1000.0, 1000.0)

    def pixels(self, rec: Record) -> torch.Tensor:
        """[3, S, S] in 0..1: bilinear resize (align_corners=False, no antialias) of the RGB image."""
        hit = self._image_cache.get(rec.image)
        if hit is None:
            arr = torch.from_numpy(load_image(rec.image)).permute(2, 0, 1).float().unsqueeze(0) / 255.0
            s = self.model_config.image_size
            hit = F.interpolate(arr, size=(s, s), mode="bilinear", align_corners=False)[0]
            if len(self._image_cache) < 4096:  # small images; re-reading PNGs every step dominates on CPU
                self._image_cache[rec.image] = hit
        return hit

    def prepare(self, records: Sequence[Record], system: str | Sequence[str], variant: str) -> TinyBatch:
        pix = torch.stack([self.pixels(r) for r in records])
        prompt = torch.tensor([self.tokenizer.encode_prompt(s, variant) for s in per_record(system, len(records))], dtype=torch.long)
        return TinyBatch(pix, prompt)

    def repeat(self, batch: TinyBatch, n: int) -> TinyBatch:
        return TinyBatch(batch.pixel_values.repeat_interleave(n, 0), batch.prompt_ids.repeat_interleave(n, 0))

    def rows(self, batch: TinyBatch, start: int, end: int) -> TinyBatch:
        return TinyBatch(batch.pixel_values[start:end], batch.prompt_ids[start:end])

    def sample(self, batch: TinyBatch, n: int, params: SamplingParams, generator: Optional[torch.Generator]) -> torch.Tensor:
        rep = self.repeat(batch, n)
        was_training = self.model.training
        self.model.eval()
        with torch.no_grad():
            memory = self.model.encode_image(rep.pixel_values)
            mask = relation_id_mask(self.tokenizer) if params.constrain_ids else None
            out = self.model.generate(memory, rep.prompt_ids, params.max_new_tokens, self.eos_id, self.pad_id,
                                      params.temperature, params.top_p, params.top_k, generator, mask)
        self.model.train(was_training)
        return out

    def completion_logprobs(self, batch: TinyBatch, completions: torch.Tensor, temperature: float, module: Optional[nn.Module] = None,
                            constrain_ids: bool = False) -> torch.Tensor:
        m = module if module is not None else self.train_module
        p = batch.prompt_ids.shape[1]
        ids = torch.cat([batch.prompt_ids, completions], dim=1)
        logits = m(batch.pixel_values, ids[:, :-1])[:, p - 1:, :] / temperature  # positions that predict the completion
        keep = relation_id_keep(self.tokenizer, completions) if constrain_ids else None
        if keep is not None:
            logits = logits.masked_fill(~keep, float("-inf"))
        logp = logits.log_softmax(-1)
        return logp.gather(-1, completions.unsqueeze(-1)).squeeze(-1)

    def sft_loss(self, batch: TinyBatch, targets: Sequence[str]) -> tuple[torch.Tensor, int]:
        seqs = [batch.prompt_ids[i].tolist() + self.tokenizer.encode_answer(t, quantize=True) for i, t in enumerate(targets)]
        t_max = max(len(s) for s in seqs)
        ids = torch.full((len(seqs), t_max), self.pad_id, dtype=torch.long)
        for i, s in enumerate(seqs):
            ids[i, : len(s)] = torch.tensor(s)
        labels = ids[:, 1:]
        logits = self.train_module(batch.pixel_values, ids[:, :-1])
        mask = labels != self.pad_id  # the tiny model has no image tokens in the sequence
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), labels.reshape(-1), reduction="none")
        return (loss * mask.reshape(-1)).sum(), int(mask.sum())

    def sft_target(self, rec: Record, visit: int, rng: Any) -> str:
        return sft_example_text(rec, visit, rng)

    def decode(self, ids: torch.Tensor) -> list[str]:
        return [self.tokenizer.decode(row.tolist()) for row in ids]

    def save(self, out_dir: Path) -> None:
        out_dir.mkdir(parents=True, exist_ok=True)
        torch.save(self.model.state_dict(), out_dir / "model.pt")
        meta = {"adapter": "tiny", "model_config": asdict(self.model_config), "tokenizer": self.tokenizer.to_dict()}
        (out_dir / "model.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")

    def load(self, in_dir: Path) -> None:
        self.model.load_state_dict(torch.load(in_dir / "model.pt", map_location="cpu"))

    def export(self, out_dir: Path) -> None:
        export_onnx(self.model, out_dir)
        (Path(out_dir) / "tokenizer.json").write_text(json.dumps(self.tokenizer.to_dict(), indent=2), encoding="utf-8")


def load_tiny(checkpoint: Path) -> TinyAdapter:
    """A tiny adapter rebuilt from a checkpoint folder (tokenizer and dimensions come from model.json)."""
    meta = json.loads((checkpoint / "model.json").read_text(encoding="utf-8"))
    cfg = dict(meta["model_config"])
    cfg.pop("vocab_size")
    # Checkpoints written before these options existed were trained without them.
    cfg.setdefault("patch_sincos", False)
    cfg.setdefault("coord_bins", 0)
    a = TinyAdapter(SceneGraphTokenizer.from_dict(meta["tokenizer"]), cfg, from_checkpoint=True)
    a.load(checkpoint)
    return a


# --- Hugging Face (Qwen2-VL / Qwen2.5-VL) ------------------------------------------------------------

QWEN_IMAGE_TOKEN_IDS = (151652, 151653, 151655)  # vision start, vision end, image pad (e.2)


class HFAdapter(ModelAdapter):
    """Qwen2-VL / Qwen2.5-VL through transformers. UNVERIFIED: transformers is not installed where this
    was written and no GPU was used; the calls follow the transformers chat-template API and need a run
    on a GPU machine before being trusted. Sampling uses `generate` (no vLLM)."""

    def __init__(self, path: str, options: dict[str, Any], classes: Sequence[str], predicates: Sequence[str]) -> None:
        try:
            import transformers  # noqa: F401  (lazy: the tiny model must not need it)
        except ImportError as e:
            raise RuntimeError(f'model "hf:{path}" needs the Python package transformers (with a GPU build of torch); it is not installed') from e
        from transformers import AutoModelForVision2Seq, AutoProcessor

        self.path = path
        self.classes, self.predicates = list(classes), list(predicates)
        self.processor = AutoProcessor.from_pretrained(path, min_pixels=options.get("min_pixels", 3136), max_pixels=options.get("max_pixels", 401408))
        self.processor.tokenizer.padding_side = "left"  # generation continues on the right
        dtype = getattr(torch, options.get("torch_dtype", "bfloat16"))
        self.model = AutoModelForVision2Seq.from_pretrained(path, torch_dtype=dtype, attn_implementation=options.get("attn_implementation", "sdpa"))
        self.train_module = self.model
        self.qwen25 = "2.5" in path or "qwen2_5" in type(self.model).__name__.lower()

    @property
    def eos_id(self) -> int:
        return int(self.processor.tokenizer.eos_token_id)

    @property
    def pad_id(self) -> int:
        return int(self.processor.tokenizer.pad_token_id)

    def box_scale(self, rec: Record) -> tuple[float, float]:
        if not self.qwen25:
            return (1000.0, 1000.0)
        # Qwen2.5-VL boxes are in the resized image's pixels (b.4): grid × 14.
        from PIL import Image
        with Image.open(rec.image) as im:
            thw = self.processor.image_processor(images=[im.convert("RGB")], return_tensors="pt")["image_grid_thw"][0]
        return (float(thw[2] * 14), float(thw[1] * 14))

    def _messages(self, system: str, variant: str) -> list[dict[str, Any]]:
        from .prompts import PLAIN_SYSTEM, THINK_SYSTEM, user_prompt
        return [{"role": "system", "content": THINK_SYSTEM if system == "think" else PLAIN_SYSTEM},
                {"role": "user", "content": [{"type": "image"}, {"type": "text", "text": user_prompt(variant, self.classes, self.predicates)}]}]

    def prepare(self, records: Sequence[Record], system: str | Sequence[str], variant: str) -> dict[str, Any]:
        from PIL import Image
        texts = [self.processor.apply_chat_template(self._messages(s, variant), add_generation_prompt=True) for s in per_record(system, len(records))]
        images = [Image.open(r.image).convert("RGB") for r in records]
        return {"texts": texts, "images": images}

    def repeat(self, batch: dict[str, Any], n: int) -> dict[str, Any]:
        return {"texts": [t for t in batch["texts"] for _ in range(n)], "images": [im for im in batch["images"] for _ in range(n)]}

    def _inputs(self, texts: Sequence[str], images: Sequence[Any]) -> dict[str, torch.Tensor]:
        enc = self.processor(text=list(texts), images=list(images), return_tensors="pt", padding=True)
        return {k: v.to(self.model.device) for k, v in enc.items()}

    def rows(self, batch: dict[str, Any], start: int, end: int) -> dict[str, Any]:
        return {"texts": batch["texts"][start:end], "images": batch["images"][start:end]}

    def sample(self, batch: dict[str, Any], n: int, params: SamplingParams, generator: Optional[torch.Generator]) -> torch.Tensor:
        rep = self.repeat(batch, n)
        inputs = self._inputs(rep["texts"], rep["images"])
        with torch.no_grad():
            out = self.model.generate(**inputs, do_sample=params.temperature > 0, temperature=params.temperature, top_p=params.top_p,
                                      top_k=params.top_k, max_new_tokens=params.max_new_tokens, pad_token_id=self.pad_id)
        return out[:, inputs["input_ids"].shape[1]:].cpu()

    def completion_logprobs(self, batch: dict[str, Any], completions: torch.Tensor, temperature: float, module: Optional[nn.Module] = None,
                            constrain_ids: bool = False) -> torch.Tensor:
        m = module if module is not None else self.train_module
        inputs = self._inputs(batch["texts"], batch["images"])
        comp = completions.to(self.model.device)
        p = inputs["input_ids"].shape[1]
        inputs["input_ids"] = torch.cat([inputs["input_ids"], comp], 1)
        inputs["attention_mask"] = torch.cat([inputs["attention_mask"], torch.ones_like(comp)], 1)
        logits = m(**inputs).logits[:, p - 1:-1, :].float()
        return (logits / temperature).log_softmax(-1).gather(-1, comp.unsqueeze(-1)).squeeze(-1).cpu()

    def sft_loss(self, batch: dict[str, Any], targets: Sequence[str]) -> tuple[torch.Tensor, int]:
        texts = [t + target + self.processor.tokenizer.eos_token for t, target in zip(batch["texts"], targets)]
        inputs = self._inputs(texts, batch["images"])
        labels = inputs["input_ids"].clone()
        mask = inputs["attention_mask"].bool()
        for tok in QWEN_IMAGE_TOKEN_IDS:
            mask &= labels != tok
        logits = self.train_module(**inputs).logits[:, :-1, :].float()
        lab, msk = labels[:, 1:], mask[:, 1:]
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), lab.reshape(-1), reduction="none")
        return (loss * msk.reshape(-1)).sum().cpu(), int(msk.sum())

    def sft_target(self, rec: Record, visit: int, rng: Any) -> str:
        return sft_example_text(rec, visit, rng)

    def decode(self, ids: torch.Tensor) -> list[str]:
        out = []
        for row in ids.tolist():
            if self.eos_id in row:
                row = row[: row.index(self.eos_id)]
            out.append(self.processor.tokenizer.decode(row, skip_special_tokens=True))
        return out

    def save(self, out_dir: Path) -> None:
        self.model.save_pretrained(out_dir)
        self.processor.save_pretrained(out_dir)
        (out_dir / "model.json").write_text(json.dumps({"adapter": "hf", "base": self.path}), encoding="utf-8")

    def load(self, in_dir: Path) -> None:
        from transformers import AutoModelForVision2Seq
        state = AutoModelForVision2Seq.from_pretrained(in_dir, torch_dtype=self.model.dtype).state_dict()
        self.model.load_state_dict(state)


def build_adapter(model: str, options: dict[str, Any], classes: Sequence[str], predicates: Sequence[str], init_checkpoint: Optional[Path] = None) -> ModelAdapter:
    """`tiny` or `hf:<path>`; `init_checkpoint` (a checkpoint folder) supplies starting weights and, for
    the tiny model, its tokenizer."""
    if model == "tiny":
        if init_checkpoint is not None:
            return load_tiny(Path(init_checkpoint))
        opts = dict(options)
        tok = SceneGraphTokenizer(list(classes), list(predicates), int(opts.pop("max_id", 50)), int(opts.pop("coord_bins", 101)))
        try:
            return TinyAdapter(tok, opts)
        except TypeError as e:  # an unknown option name
            raise ConfigError("model_options", str(e)) from None
        except ValueError as e:
            raise ConfigError("model_options", str(e)) from None
    if model.startswith("hf:"):
        return HFAdapter(str(init_checkpoint) if init_checkpoint else model[3:], options, classes, predicates)
    raise ValueError(f"unknown model {model!r}")
