"""The tiny model: KV-cache decoding matches the full pass, sampling filters, ONNX export."""

import json
import tempfile
import unittest
from pathlib import Path

import helpers
import onnx
import torch

from sgg_trainer.adapters import TinyAdapter, load_tiny
from sgg_trainer.tokenizer import SceneGraphTokenizer
from sgg_trainer.models.tiny_vlm import TinyVLM, TinyVLMConfig, export_onnx, filter_logits, fourier_1d, parity_pixels, sincos_2d


def small() -> TinyVLM:
    torch.manual_seed(0)
    opts = {k: v for k, v in helpers.TINY_OPTIONS.items()}
    return TinyVLM(TinyVLMConfig(vocab_size=40, **opts)).eval()


class TinyModelTest(unittest.TestCase):
    def test_default_size_is_a_few_million(self) -> None:
        n = TinyVLM(TinyVLMConfig(vocab_size=400)).num_parameters()
        self.assertTrue(2_000_000 < n < 6_000_000, n)

    def test_kv_cache_matches_full_pass(self) -> None:
        m = small()
        pix = torch.rand(2, 3, 32, 32)
        ids = torch.randint(0, 40, (2, 7))
        with torch.no_grad():
            full = m(pix, ids)
            cross = m.cross_kv(m.encode_image(pix))
            logits, past = m.decode(ids[:, :3], cross=cross)  # prompt in one go
            steps = [logits]
            for t in range(3, 7):
                logits, past = m.decode(ids[:, t : t + 1], cross=cross, past=past)
                steps.append(logits)
        self.assertLess((torch.cat(steps, 1) - full).abs().max().item(), 1e-5)

    def test_generate_stops_and_pads(self) -> None:
        m = small()
        mem = m.encode_image(torch.rand(3, 3, 32, 32))
        out = m.generate(mem, torch.tensor([[1, 3]] * 3), 12, eos_id=2, pad_id=0, temperature=1.0, top_p=0.9, top_k=5,
                         generator=torch.Generator().manual_seed(1))
        self.assertLessEqual(out.shape[1], 12)
        for row in out.tolist():
            if 2 in row:
                self.assertTrue(all(t == 0 for t in row[row.index(2) + 1 :]))
        g1 = m.generate(mem, torch.tensor([[1, 3]] * 3), 8, 2, 0, 1.0, 1.0, 0, torch.Generator().manual_seed(5))
        g2 = m.generate(mem, torch.tensor([[1, 3]] * 3), 8, 2, 0, 1.0, 1.0, 0, torch.Generator().manual_seed(5))
        self.assertTrue(torch.equal(g1, g2))  # seeded sampling repeats (resume relies on it)

    def test_kv_cache_and_export_with_coordinate_features(self) -> None:
        torch.manual_seed(0)
        m = TinyVLM(TinyVLMConfig(vocab_size=40, **helpers.TINY_OPTIONS, coord_offset=20, coord_bins=11)).eval()
        pix = torch.rand(2, 3, 32, 32)
        ids = torch.randint(0, 40, (2, 6))
        with torch.no_grad():
            full = m(pix, ids)
            cross = m.cross_kv(m.encode_image(pix))
            logits, past = m.decode(ids[:, :2], cross=cross)
            steps = [logits]
            for t in range(2, 6):
                logits, past = m.decode(ids[:, t : t + 1], cross=cross, past=past)
                steps.append(logits)
        self.assertLess((torch.cat(steps, 1) - full).abs().max().item(), 1e-5)
        with tempfile.TemporaryDirectory() as d:
            p = export_onnx(m, d, parity_ids=[1, 21, 25])
            self.assertEqual(p["memory"]["shape"], [1, 16, 32])
            onnx.checker.check_model(onnx.load(str(Path(d) / "encoder.onnx")))

    def test_coordinate_rows_share_a_smooth_component(self) -> None:
        torch.manual_seed(0)
        m = TinyVLM(TinyVLMConfig(vocab_size=40, **helpers.TINY_OPTIONS, coord_offset=20, coord_bins=11))
        e = m.embedding_matrix()
        self.assertEqual(tuple(e.shape), (40, 32))
        # Rows outside the coordinate range are the plain token embeddings.
        self.assertTrue(torch.equal(e[:20], m.tok_emb.weight[:20]) and torch.equal(e[31:], m.tok_emb.weight[31:]))
        # Inside it, neighbouring bins are closer to each other than far-apart ones (the Fourier part).
        extra = (e[20:31] - m.tok_emb.weight[20:31]).detach()
        self.assertLess(float((extra[5] - extra[6]).norm()), float((extra[0] - extra[10]).norm()))
        # The coordinate part learns: it has a gradient from the tied output head.
        m(torch.rand(1, 3, 32, 32), torch.tensor([[1, 22, 25]])).logsumexp(-1).sum().backward()
        self.assertGreater(float(m.coord_proj.weight.grad.abs().sum()), 0.0)

    def test_checkpoints_from_before_the_options_still_load(self) -> None:
        tok = SceneGraphTokenizer(helpers.CLASSES, helpers.PREDICATES, max_id=5, coord_bins=11)
        old = TinyAdapter(tok, {**helpers.TINY_OPTIONS, "patch_sincos": False, "coord_embedding": False})
        with tempfile.TemporaryDirectory() as d:
            old.save(Path(d))
            meta = json.loads((Path(d) / "model.json").read_text())
            for key in ("patch_sincos", "coord_offset", "coord_bins"):
                del meta["model_config"][key]  # what a checkpoint written before these options holds
            (Path(d) / "model.json").write_text(json.dumps(meta))
            loaded = load_tiny(Path(d))
        self.assertFalse(loaded.model_config.patch_sincos)
        self.assertEqual(loaded.model_config.coord_bins, 0)
        pix, ids = torch.rand(1, 3, 32, 32), torch.tensor([[1, 3, 5]])
        with torch.no_grad():
            self.assertTrue(torch.equal(old.model.eval()(pix, ids), loaded.model.eval()(pix, ids)))
        # New runs get both by default, with the tokenizer's coordinate range.
        new = TinyAdapter(tok, dict(helpers.TINY_OPTIONS))
        self.assertTrue(new.model_config.patch_sincos)
        self.assertEqual((new.model_config.coord_offset, new.model_config.coord_bins), (tok.coord_offset, 11))

    def test_position_tables(self) -> None:
        t = sincos_2d(4, 8)
        self.assertEqual(tuple(t.shape), (16, 8))
        self.assertEqual(len({tuple(r) for r in t.tolist()}), 16)  # every patch has its own code
        # Patches of one row share the y half; patches of one column share the x half.
        self.assertTrue(torch.allclose(t[0, 4:], t[3, 4:]) and torch.allclose(t[0, :4], t[12, :4]))
        f = fourier_1d(11, 4)
        self.assertEqual(tuple(f.shape), (11, 8))
        self.assertLess(float((f[3] - f[4]).norm()), float((f[0] - f[10]).norm()))

    def test_option_errors_name_the_option(self) -> None:
        with self.assertRaisesRegex(ValueError, "multiple of 4"):
            TinyVLMConfig(vocab_size=40, d_model=18, n_heads=3)
        with self.assertRaisesRegex(ValueError, "coord_offset"):
            TinyVLMConfig(vocab_size=40, coord_offset=35, coord_bins=11)

    def test_filters(self) -> None:
        # probs ∝ e^[3, 2, 1, 0] = 0.644, 0.237, 0.087, 0.032. top_k=2 keeps the first two;
        # top_p=0.7: mass before token 2 is 0.644 < 0.7 → kept; before token 3 0.881 >= 0.7 → dropped.
        logits = torch.tensor([[3.0, 2.0, 1.0, 0.0]])
        self.assertEqual(torch.isinf(filter_logits(logits, 1.0, 2)).tolist(), [[False, False, True, True]])
        self.assertEqual(torch.isinf(filter_logits(logits, 0.7, 0)).tolist(), [[False, False, True, True]])
        self.assertEqual(torch.isinf(filter_logits(logits, 0.5, 0)).tolist(), [[False, True, True, True]])
        self.assertEqual(torch.isinf(filter_logits(logits, 0.9, 0)).tolist(), [[False, False, False, True]])

    def test_onnx_export(self) -> None:
        m = small()
        with tempfile.TemporaryDirectory() as d:
            parity = export_onnx(m, d, parity_ids=[1, 5, 7, 9, 11])
            for name in ("encoder.onnx", "decoder.onnx"):
                model = onnx.load(str(Path(d) / name))
                onnx.checker.check_model(model)
                self.assertEqual(model.opset_import[0].version, 17)
            dec = onnx.load(str(Path(d) / "decoder.onnx"))
            self.assertEqual([i.name for i in dec.graph.input], ["input_ids", "memory"])
            dims = [x.dim_param or x.dim_value for x in dec.graph.input[0].type.tensor_type.shape.dim]
            self.assertEqual(dims, ["batch", "seq"])  # dynamic batch and sequence
            enc = onnx.load(str(Path(d) / "encoder.onnx"))
            self.assertEqual(enc.graph.input[0].type.tensor_type.shape.dim[0].dim_param, "batch")
            # The parity file carries the torch outputs for the TypeScript onnxruntime test.
            p = json.loads((Path(d) / "parity.json").read_text())
            self.assertEqual(p["logits"]["shape"], [1, 5, 40])
            with torch.no_grad():
                logits = m(parity_pixels(32), torch.tensor([[1, 5, 7, 9, 11]]))
            self.assertLess(max(abs(a - b) for a, b in zip(logits.flatten().tolist(), p["logits"]["values"])), 1e-6)
            self.assertEqual(parity["memory"]["shape"], [1, 16, 32])


if __name__ == "__main__":
    unittest.main()
