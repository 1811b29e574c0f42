"""Checkpoint predictions (sgg_trainer.predict): the reference's prediction-file lines, greedy and
repeatable, the system prompt by checkpoint kind, limits and argument errors."""

import contextlib
import io
import json
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import helpers

from sgg_trainer import predict as predict_mod
from sgg_trainer.__main__ import train
from sgg_trainer.adapters import TinyAdapter
from sgg_trainer.config import load_config
from sgg_trainer.events import EventWriter

PKG_ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sgg_trainer.predict", *args], cwd=PKG_ROOT, capture_output=True, text=True, timeout=120)


class PredictTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = Path(tempfile.mkdtemp())
        helpers.make_records(cls.tmp, n=5)
        cls.sft_cfg = helpers.write_config(cls.tmp, max_steps=1)
        train(cls.sft_cfg, cls.tmp / "sft", events=EventWriter(helpers.stream()))
        cls.sft_ckpt = cls.tmp / "sft" / "checkpoints" / "step-00000001"
        grpo_dir = cls.tmp / "grpo-cfg"
        grpo_dir.mkdir()
        shutil.copy(cls.tmp / "train.jsonl", grpo_dir / "train.jsonl")
        for f in cls.tmp.glob("img*.npy"):
            shutil.copy(f, grpo_dir / f.name)
        cls.grpo_cfg = helpers.write_config(grpo_dir, kind="grpo", max_steps=1, init_checkpoint=str(cls.sft_ckpt))
        train(cls.grpo_cfg, cls.tmp / "grpo", scorer=helpers.StubScorer(), events=EventWriter(helpers.stream()))
        cls.grpo_ckpt = cls.tmp / "grpo" / "checkpoints" / "step-00000001"

    @classmethod
    def tearDownClass(cls) -> None:
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_writes_one_prediction_per_record_greedy_and_repeatable(self) -> None:
        out = self.tmp / "preds" / "a.jsonl"
        p = cli("--checkpoint", str(self.sft_ckpt), "--config", str(self.sft_cfg), "--records", str(self.tmp / "train.jsonl"), "--out", str(out))
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        self.assertEqual([x["image_id"] for x in lines], [f"img{i}" for i in range(5)])
        for x in lines:
            self.assertEqual(set(x), {"image_id", "response", "box_scale"})
            self.assertIsInstance(x["response"], str)
            self.assertEqual(x["box_scale"], [1000.0, 1000.0])  # the tiny model answers on the 0..1000 grid
        summary = json.loads(p.stdout.strip().splitlines()[-1])
        self.assertEqual((summary["images"], summary["system"]), (5, "plain"))
        self.assertFalse(out.with_name(out.name + ".tmp").exists())
        # Greedy: a second run writes the same bytes.
        out2 = self.tmp / "preds" / "b.jsonl"
        p = cli("--checkpoint", str(self.sft_ckpt), "--config", str(self.sft_cfg), "--records", str(self.tmp / "train.jsonl"), "--out", str(out2),
                "--batch-size", "2")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(out.read_bytes(), out2.read_bytes())

    def test_max_images(self) -> None:
        out = self.tmp / "preds" / "two.jsonl"
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            n = predict_mod.predict(self.sft_ckpt, self.sft_cfg, self.tmp / "train.jsonl", out, max_images=2)
        self.assertEqual(n, 2)
        self.assertEqual(len(out.read_text(encoding="utf-8").splitlines()), 2)

    def test_system_prompt_follows_the_checkpoint_kind(self) -> None:
        cfg = load_config(self.sft_cfg)  # an SFT config: the GRPO checkpoint's state.json must win
        self.assertEqual(predict_mod.system_prompt_for(self.sft_ckpt, cfg), "plain")
        self.assertEqual(predict_mod.system_prompt_for(self.grpo_ckpt, cfg), "think")
        seen = []
        real = TinyAdapter.prepare

        def spy(self_, records, system, variant):
            seen.append((system, variant))
            return real(self_, records, system, variant)

        with mock.patch.object(TinyAdapter, "prepare", spy), contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            predict_mod.predict(self.grpo_ckpt, self.grpo_cfg, self.tmp / "train.jsonl", self.tmp / "preds" / "g.jsonl", max_images=1)
        self.assertEqual(seen, [("think", "closed")])
        # --system overrides the kind: an SFT checkpoint under the prompt GRPO will train it with.
        seen.clear()
        with mock.patch.object(TinyAdapter, "prepare", spy), contextlib.redirect_stdout(io.StringIO()) as so, contextlib.redirect_stderr(io.StringIO()):
            predict_mod.predict(self.sft_ckpt, self.sft_cfg, self.tmp / "train.jsonl", self.tmp / "preds" / "s.jsonl", max_images=1, system="think")
        self.assertEqual(seen, [("think", "closed")])
        self.assertEqual(json.loads(so.getvalue().strip().splitlines()[-1])["system"], "think")

    def test_bad_arguments_exit_2_and_write_nothing(self) -> None:
        out = self.tmp / "preds" / "bad.jsonl"
        p = cli("--checkpoint", str(self.sft_ckpt), "--config", str(self.sft_cfg), "--records", str(self.tmp / "train.jsonl"), "--out", str(out), "--system", "chat")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--system", p.stderr)
        p = cli("--checkpoint", str(self.tmp / "nope"), "--config", str(self.sft_cfg), "--records", str(self.tmp / "train.jsonl"), "--out", str(out))
        self.assertEqual(p.returncode, 2)
        self.assertIn("not a checkpoint folder", p.stderr)
        p = cli("--checkpoint", str(self.sft_ckpt), "--config", str(self.sft_cfg), "--records", str(self.tmp / "missing.jsonl"), "--out", str(out))
        self.assertEqual(p.returncode, 2)
        self.assertIn("--records", p.stderr)
        bad = self.tmp / "bad.jsonl"
        bad.write_text('{"image_id": "x"}\n', encoding="utf-8")
        p = cli("--checkpoint", str(self.sft_ckpt), "--config", str(self.sft_cfg), "--records", str(bad), "--out", str(out))
        self.assertEqual(p.returncode, 2)
        self.assertIn("bad.jsonl:1", p.stderr)
        self.assertFalse(out.exists())


if __name__ == "__main__":
    unittest.main()
