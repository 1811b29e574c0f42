"""The tiny model: KV-cache decoding matches the full pass, sampling filters, ONNX export."""

import json
import tempfile
import unittest
from pathlib import Path

import helpers
import onnx
import torch

from sgg_trainer.models.tiny_vlm import TinyVLM, TinyVLMConfig, export_onnx, filter_logits, parity_pixels


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
