"""The tiny vision-language model: a patch encoder over the image and a causal decoder with
cross-attention over the scene-graph tokenizer's vocabulary. A few million parameters; trains on CPU.

Spaces and units:
* `pixel_values`: float32 [B, 3, S, S], RGB in 0..1, S = `image_size` (the adapter resizes the image
  bilinearly, align_corners=False). The model normalises to -1..1 itself, so ONNX callers feed 0..1.
* `memory`: float32 [B, N, d] image features, N = (S / patch_size)².
* `input_ids`: int64 [B, T] token ids; `logits`: float32 [B, T, V] (unscaled, temperature 1).

Two inductive biases make it learn localisation in minutes from random weights (bench/train): fixed
2-D sine-cosine patch positions next to the learned ones, and coordinate-bin embeddings that share a
learned projection of Fourier features of the bin value (also in the tied output head).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import torch
import torch.nn.functional as F
from torch import nn

KV = tuple[torch.Tensor, torch.Tensor]


@dataclass
class TinyVLMConfig:
    vocab_size: int
    image_size: int = 128
    patch_size: int = 16
    d_model: int = 192
    n_heads: int = 6
    encoder_layers: int = 3
    decoder_layers: int = 4
    ffn_mult: int = 4
    max_positions: int = 1088
    # Fixed 2-D sine-cosine patch positions added to the learned ones: the decoder must turn "where in
    # the image" into coordinate tokens, and a randomly initialised position table gives it next to no
    # spatial signal at the start of training from scratch.
    patch_sincos: bool = True
    # Token ids [coord_offset, coord_offset + coord_bins) are coordinate bins (0 bins = none). Their
    # embeddings (input and tied output) get a learned projection of Fourier features of the bin value
    # added, so neighbouring bins start out similar and what is learned for one bin carries to the next.
    coord_offset: int = 0
    coord_bins: int = 0

    def __post_init__(self) -> None:
        if self.image_size % self.patch_size:
            raise ValueError("model_options.image_size must be a multiple of patch_size")
        if self.d_model % self.n_heads:
            raise ValueError("model_options.d_model must be a multiple of n_heads")
        if self.patch_sincos and self.d_model % 4:
            raise ValueError("model_options.d_model must be a multiple of 4 for sine-cosine patch positions")
        if self.coord_bins and not (0 <= self.coord_offset and self.coord_offset + self.coord_bins <= self.vocab_size):
            raise ValueError("model_options.coord_offset/coord_bins must lie inside the vocabulary")


class Attention(nn.Module):
    """Multi-head attention written out (no fused op) so that the KV cache and ONNX export are plain."""

    def __init__(self, d: int, h: int) -> None:
        super().__init__()
        self.h, self.dh = h, d // h
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.o = nn.Linear(d, d)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        return x.reshape(x.shape[0], x.shape[1], self.h, self.dh).transpose(1, 2)

    def project_kv(self, src: torch.Tensor) -> KV:
        k, v = self.kv(src).chunk(2, dim=-1)
        return self._split(k), self._split(v)

    def forward(self, x: torch.Tensor, kv: KV, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        q = self._split(self.q(x))
        att = torch.matmul(q, kv[0].transpose(-1, -2)) * (1.0 / math.sqrt(self.dh))
        if mask is not None:
            att = att + mask
        out = torch.matmul(att.softmax(dim=-1), kv[1]).transpose(1, 2)
        return self.o(out.reshape(out.shape[0], out.shape[1], -1))


def sincos_2d(grid: int, d: int) -> torch.Tensor:
    """[grid², d] fixed positions of a grid×grid patch layout (row-major): d/4 frequencies each of
    sin/cos over x and over y, wavelengths from 2 to about 4·grid patches."""
    k = d // 4
    freqs = math.pi / (2.0 ** torch.linspace(0.0, math.log2(2.0 * grid), k))
    ys, xs = torch.meshgrid(torch.arange(grid, dtype=torch.float32), torch.arange(grid, dtype=torch.float32), indexing="ij")
    ax, ay = xs.reshape(-1, 1) * freqs, ys.reshape(-1, 1) * freqs
    return torch.cat([ax.sin(), ax.cos(), ay.sin(), ay.cos()], dim=1)


def fourier_1d(n: int, k: int) -> torch.Tensor:
    """[n, 2k] sin/cos features of positions 0..n-1, wavelengths from 4 to 4n positions (log-spaced), so
    neighbours are close and the far ends of the range are far apart."""
    pos = torch.arange(n, dtype=torch.float32).unsqueeze(1)
    freqs = (math.pi / 2.0) / (2.0 ** torch.linspace(0.0, math.log2(max(2.0, n)), k))
    return torch.cat([(pos * freqs).sin(), (pos * freqs).cos()], dim=1)


def _ffn(d: int, mult: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(d, mult * d), nn.GELU(), nn.Linear(mult * d, d))


class EncoderLayer(nn.Module):
    def __init__(self, c: TinyVLMConfig) -> None:
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(c.d_model), nn.LayerNorm(c.d_model)
        self.attn = Attention(c.d_model, c.n_heads)
        self.ffn = _ffn(c.d_model, c.ffn_mult)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.ln1(x)
        x = x + self.attn(h, self.attn.project_kv(h))
        return x + self.ffn(self.ln2(x))


class DecoderLayer(nn.Module):
    def __init__(self, c: TinyVLMConfig) -> None:
        super().__init__()
        self.ln1, self.ln2, self.ln3 = nn.LayerNorm(c.d_model), nn.LayerNorm(c.d_model), nn.LayerNorm(c.d_model)
        self.self_attn = Attention(c.d_model, c.n_heads)
        self.cross_attn = Attention(c.d_model, c.n_heads)
        self.ffn = _ffn(c.d_model, c.ffn_mult)

    def forward(self, x: torch.Tensor, cross_kv: KV, mask: Optional[torch.Tensor], past: Optional[KV]) -> tuple[torch.Tensor, KV]:
        h = self.ln1(x)
        k, v = self.self_attn.project_kv(h)
        if past is not None:
            k, v = torch.cat([past[0], k], dim=2), torch.cat([past[1], v], dim=2)
        x = x + self.self_attn(h, (k, v), mask)
        x = x + self.cross_attn(self.ln2(x), cross_kv)
        return x + self.ffn(self.ln3(x)), (k, v)


class TinyVLM(nn.Module):
    def __init__(self, config: TinyVLMConfig) -> None:
        super().__init__()
        c = self.config = config
        n_patches = (c.image_size // c.patch_size) ** 2
        self.patchify = nn.Conv2d(3, c.d_model, kernel_size=c.patch_size, stride=c.patch_size)
        self.patch_pos = nn.Parameter(torch.randn(1, n_patches, c.d_model) * 0.02)
        if c.patch_sincos:
            # A buffer saved with the weights, so a checkpoint keeps the table it was trained with.
            self.register_buffer("patch_fixed", sincos_2d(c.image_size // c.patch_size, c.d_model).unsqueeze(0))
        self.encoder = nn.ModuleList(EncoderLayer(c) for _ in range(c.encoder_layers))
        self.enc_ln = nn.LayerNorm(c.d_model)
        self.tok_emb = nn.Embedding(c.vocab_size, c.d_model)
        self.pos_emb = nn.Embedding(c.max_positions, c.d_model)
        self.decoder = nn.ModuleList(DecoderLayer(c) for _ in range(c.decoder_layers))
        self.dec_ln = nn.LayerNorm(c.d_model)
        self.head = nn.Linear(c.d_model, c.vocab_size, bias=False)
        self.head.weight = self.tok_emb.weight  # tied: fewer parameters, faster start
        if c.coord_bins:
            self.register_buffer("coord_features", fourier_1d(c.coord_bins, 16))
            self.coord_proj = nn.Linear(32, c.d_model, bias=False)
        self.apply(self._init)

    @staticmethod
    def _init(m: nn.Module) -> None:
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    # --- image -----------------------------------------------------------------------------------
    def encode_image(self, pixel_values: torch.Tensor) -> torch.Tensor:
        """[B, 3, S, S] in 0..1 → memory [B, N, d]."""
        x = self.patchify(pixel_values * 2.0 - 1.0)
        x = x.flatten(2).transpose(1, 2) + self.patch_pos
        if self.config.patch_sincos:
            x = x + self.patch_fixed
        for layer in self.encoder:
            x = layer(x)
        return self.enc_ln(x)

    def cross_kv(self, memory: torch.Tensor) -> list[KV]:
        """Cross-attention keys/values per decoder layer, computed once per image for sampling."""
        return [layer.cross_attn.project_kv(memory) for layer in self.decoder]

    # --- text ------------------------------------------------------------------------------------
    def embedding_matrix(self) -> torch.Tensor:
        """[V, d] token embeddings, shared by the input and the tied output head."""
        w = self.tok_emb.weight
        c = self.config
        if not c.coord_bins:
            return w
        lo, hi = c.coord_offset, c.coord_offset + c.coord_bins
        return torch.cat([w[:lo], w[lo:hi] + self.coord_proj(self.coord_features), w[hi:]], dim=0)

    def decode(self, input_ids: torch.Tensor, memory: Optional[torch.Tensor] = None, cross: Optional[list[KV]] = None,
               past: Optional[list[KV]] = None) -> tuple[torch.Tensor, list[KV]]:
        """Causal decoder: logits [B, T, V] for `input_ids` following `past` (cached keys/values)."""
        start = 0 if past is None else past[0][0].shape[2]
        t = input_ids.shape[1]
        pos = torch.arange(start, start + t, device=input_ids.device).unsqueeze(0)
        emb = self.embedding_matrix()
        x = F.embedding(input_ids, emb) + self.pos_emb(pos)
        mask = None
        if past is None or t > 1:  # a cached single-token step sees every key; no mask needed
            # Query i may see keys 0..start+i; exports as Trilu and stays dynamic in T.
            mask = torch.triu(torch.full((t, start + t), float("-inf"), device=input_ids.device), diagonal=start + 1)
        if cross is None:
            assert memory is not None
            cross = self.cross_kv(memory)
        new_past: list[KV] = []
        for i, layer in enumerate(self.decoder):
            x, kv = layer(x, cross[i], mask, None if past is None else past[i])
            new_past.append(kv)
        return F.linear(self.dec_ln(x), emb), new_past

    def forward(self, pixel_values: torch.Tensor, input_ids: torch.Tensor) -> torch.Tensor:
        """Full teacher-forced pass: logits [B, T, V]."""
        return self.decode(input_ids, memory=self.encode_image(pixel_values))[0]

    # --- sampling --------------------------------------------------------------------------------
    @torch.no_grad()
    def generate(self, memory: torch.Tensor, prompt_ids: torch.Tensor, max_new_tokens: int, eos_id: int, pad_id: int,
                 temperature: float = 1.0, top_p: float = 1.0, top_k: int = 0, generator: Optional[torch.Generator] = None,
                 logits_mask: Optional[Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = None) -> torch.Tensor:
        """Samples completions with the KV cache; temperature 0 = greedy. Returns [B, L] ids, PAD after
        EOS, L <= max_new_tokens (trimmed when every row ended early). `logits_mask(generated [B, t],
        logits [B, V])` may set disallowed next tokens to -inf before filtering and sampling."""
        b = prompt_ids.shape[0]
        cross = self.cross_kv(memory)
        limit = min(max_new_tokens, self.config.max_positions - prompt_ids.shape[1])
        logits, past = self.decode(prompt_ids, cross=cross)
        out = torch.full((b, limit), pad_id, dtype=torch.long)
        done = torch.zeros(b, dtype=torch.bool)
        for t in range(limit):
            step_logits = logits[:, -1, :] if logits_mask is None else logits_mask(out[:, :t], logits[:, -1, :])
            nxt = sample_next(step_logits, temperature, top_p, top_k, generator)
            nxt = torch.where(done, torch.full_like(nxt, pad_id), nxt)
            out[:, t] = nxt
            done |= nxt == eos_id
            if bool(done.all()):
                return out[:, : t + 1]
            logits, past = self.decode(nxt.unsqueeze(1), cross=cross, past=past)
        return out


def filter_logits(logits: torch.Tensor, top_p: float, top_k: int) -> torch.Tensor:
    """Top-k then nucleus filtering on already temperature-scaled logits [B, V]; masked entries -inf.
    The top token always survives."""
    if top_k and top_k < logits.shape[-1]:
        kth = torch.topk(logits, top_k, dim=-1).values[:, -1:]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    if top_p < 1.0:
        sorted_logits, order = torch.sort(logits, descending=True, dim=-1)
        probs = sorted_logits.softmax(-1)
        # Drop a token when the mass before it already reaches top_p.
        drop = (probs.cumsum(-1) - probs) >= top_p
        drop[:, 0] = False
        logits = logits.masked_fill(torch.zeros_like(drop).scatter(-1, order, drop), float("-inf"))
    return logits


def sample_next(logits: torch.Tensor, temperature: float, top_p: float, top_k: int, generator: Optional[torch.Generator]) -> torch.Tensor:
    if temperature <= 0:
        return logits.argmax(-1)
    probs = filter_logits(logits / temperature, top_p, top_k).softmax(-1)
    return torch.multinomial(probs, 1, generator=generator).squeeze(1)


# --- ONNX -------------------------------------------------------------------------------------------

class _EncoderGraph(nn.Module):
    def __init__(self, m: TinyVLM) -> None:
        super().__init__()
        self.m = m

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.m.encode_image(pixel_values)


class _DecoderGraph(nn.Module):
    def __init__(self, m: TinyVLM) -> None:
        super().__init__()
        self.m = m

    def forward(self, input_ids: torch.Tensor, memory: torch.Tensor) -> torch.Tensor:
        return self.m.decode(input_ids, memory=memory)[0]


def parity_pixels(image_size: int) -> torch.Tensor:
    """Deterministic test image: pixel[0, c, y, x] = ((7c + 3y + 5x) mod 256) / 255 (easy to rebuild in TS)."""
    c = torch.arange(3).view(3, 1, 1)
    y = torch.arange(image_size).view(1, -1, 1)
    x = torch.arange(image_size).view(1, 1, -1)
    return (((7 * c + 3 * y + 5 * x) % 256).float() / 255.0).unsqueeze(0)


def export_onnx(model: TinyVLM, out_dir: str | Path, parity_ids: Optional[list[int]] = None, opset: int = 17) -> dict[str, Any]:
    """Writes `encoder.onnx` (pixel_values → memory), `decoder.onnx` (input_ids, memory → logits; full
    sequence, no cache) and `parity.json` (inputs and torch outputs for the TypeScript parity test).
    Dynamic axes: batch everywhere, seq on input_ids/logits."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model = model.eval()
    c = model.config
    pixels = parity_pixels(c.image_size)
    ids = torch.tensor([parity_ids or [1, 3, 5, 8]], dtype=torch.long)
    with torch.no_grad():
        memory = model.encode_image(pixels)
        logits = model.decode(ids, memory=memory)[0]
        torch.onnx.export(_EncoderGraph(model), (pixels,), str(out / "encoder.onnx"), input_names=["pixel_values"], output_names=["memory"],
                          dynamic_axes={"pixel_values": {0: "batch"}, "memory": {0: "batch"}}, opset_version=opset, do_constant_folding=True)
        torch.onnx.export(_DecoderGraph(model), (ids, memory), str(out / "decoder.onnx"), input_names=["input_ids", "memory"], output_names=["logits"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "memory": {0: "batch"}, "logits": {0: "batch", 1: "seq"}},
                          opset_version=opset, do_constant_folding=True)
    parity = {
        "pixel_values": {"shape": list(pixels.shape), "formula": "((7*c + 3*y + 5*x) % 256) / 255"},
        "input_ids": ids.tolist(),
        "memory": {"shape": list(memory.shape), "sum": float(memory.double().sum()), "first": memory.flatten()[:16].tolist()},
        "logits": {"shape": list(logits.shape), "values": logits.flatten().tolist()},
        "tolerance": 1e-4,
    }
    (out / "parity.json").write_text(json.dumps(parity), encoding="utf-8")
    (out / "model_config.json").write_text(json.dumps(asdict(c), indent=2), encoding="utf-8")
    return parity
