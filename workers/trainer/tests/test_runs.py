"""Smoke runs of the tiny model: SFT and GRPO loops, events, checkpoints, resume, the CLI, DDP."""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import helpers
import torch
import torch.multiprocessing as mp

from sgg_trainer.__main__ import train
from sgg_trainer.adapters import TinyAdapter
from sgg_trainer.events import EventWriter

PKG_ROOT = Path(__file__).resolve().parents[1]


def run(cfg: Path, run_dir: Path, resume: bool = False, scorer=None) -> list:
    s = helpers.stream()
    train(cfg, run_dir, resume=resume, scorer=scorer, events=EventWriter(s))
    return helpers.parse_events(s.getvalue())


def weights(ckpt: Path) -> dict:
    return torch.load(ckpt / "model.pt", map_location="cpu")


class SftRunTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        helpers.make_records(self.tmp)

    def tearDown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_augmentation_can_be_switched_off(self) -> None:
        # 4 records, 2 per step: 6 steps are 3 epochs, so with augmentation the third draw of an example
        # reaches the target builder as visit 3; without it every draw is a first draw (record order).
        seen: list[int] = []
        real = TinyAdapter.sft_target

        def spy(self_, rec, visit, rng):
            seen.append(visit)
            return real(self_, rec, visit, rng)

        for augment, visits in ((True, {1, 2, 3}), (False, {1})):
            seen.clear()
            cfg = helpers.write_config(self.tmp, max_steps=6, checkpoint_every=0, augment=augment)
            with mock.patch.object(TinyAdapter, "sft_target", spy):
                evs = run(cfg, self.tmp / f"run-{augment}")
            self.assertEqual(evs[-1]["status"], "completed")
            self.assertEqual((len(seen), set(seen)), (12, visits))

    def test_think_prompt_share_teaches_the_tagged_layout(self) -> None:
        # With ratio 1 every draw is taught under the think prompt with the b.3 tags; with 0 none is.
        seen: list[tuple[str, bool]] = []
        real_prepare, real_loss = TinyAdapter.prepare, TinyAdapter.sft_loss

        def prepare(self_, recs, system, variant):
            seen.extend((s, False) for s in ([system] if isinstance(system, str) else system))
            return real_prepare(self_, recs, system, variant)

        def loss(self_, batch, targets):
            seen.extend(("target", t.startswith("<think></think><answer>```json") and t.endswith("```\n</answer>")) for t in targets)
            return real_loss(self_, batch, targets)

        for ratio, system, tagged in ((1.0, "think", True), (0.0, "plain", False)):
            seen.clear()
            cfg = helpers.write_config(self.tmp, max_steps=2, checkpoint_every=0, think_prompt_ratio=ratio)
            with mock.patch.object(TinyAdapter, "prepare", prepare), mock.patch.object(TinyAdapter, "sft_loss", loss):
                evs = run(cfg, self.tmp / f"run-{ratio}")
            self.assertEqual(evs[-1]["status"], "completed")
            self.assertEqual({s for s, _ in seen if s != "target"}, {system})
            self.assertEqual({t for s, t in seen if s == "target"}, {tagged})

    def test_three_steps_checkpoint_and_resume(self) -> None:
        cfg = helpers.write_config(self.tmp, max_steps=3, checkpoint_every=2, export_onnx=True)
        evs = run(cfg, self.tmp / "run")
        metrics = [e for e in evs if e["type"] == "metric"]
        self.assertEqual([m["step"] for m in metrics], [1, 2, 3])
        for key in ("loss", "lr", "grad_norm", "tokens", "samples_per_s"):
            self.assertIn(key, metrics[0]["values"])
        self.assertLess(metrics[2]["values"]["loss"], metrics[0]["values"]["loss"])  # lr 1e-3 on 4 records: it learns
        ckpts = [e for e in evs if e["type"] == "checkpoint"]
        self.assertEqual([c["step"] for c in ckpts], [2, 3])
        self.assertTrue((Path(ckpts[-1]["path"]) / "model.pt").is_file())
        self.assertEqual(evs[-1]["type"], "done")
        self.assertTrue((self.tmp / "run" / "onnx" / "decoder.onnx").is_file())
        generation = json.loads((self.tmp / "run" / "onnx" / "generation_config.json").read_text(encoding="utf-8"))
        self.assertEqual(generation, {"constrain_relation_ids": False})

        # An existing run needs --resume.
        with self.assertRaises(RuntimeError):
            run(cfg, self.tmp / "run")
        # Lose step 3, resume from step 2: the same weights come out (data order and augmentation
        # depend only on seed and step).
        final = self.tmp / "run" / "checkpoints" / "step-00000003"
        before = weights(final)
        shutil.rmtree(final)
        evs = run(cfg, self.tmp / "run", resume=True)
        self.assertEqual([e["step"] for e in evs if e["type"] == "metric"], [3])
        self.assertIn("resumed from step-00000002", evs[0]["message"])
        after = weights(final)
        for k in before:
            self.assertTrue(torch.allclose(before[k], after[k], atol=1e-6), k)


class GrpoRunTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp())
        helpers.make_records(self.tmp)

    def tearDown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_two_steps_with_stub_scorer(self) -> None:
        cfg = helpers.write_config(self.tmp, kind="grpo", max_steps=2, checkpoint_every=1, beta=0.04,
                                   reward={"preset": "hard_recall", "weights": {"format": 2.0}})
        scorer = helpers.StubScorer()
        evs = run(cfg, self.tmp / "run", scorer=scorer)
        metrics = [e for e in evs if e["type"] == "metric"]
        self.assertEqual([m["step"] for m in metrics], [1, 2])
        for key in ("reward/total_mean", "reward/total_std", "reward/format", "reward/edge_hard", "frac_reward_zero_std", "kl",
                    "clip_ratio", "completion_length", "failure_rate", "lr", "samples_per_s"):
            self.assertIn(key, metrics[0]["values"])
        self.assertEqual(metrics[0]["values"]["clip_ratio"], 0.0)  # ρ = 1: clipping never binds (e.1)
        self.assertLessEqual(metrics[0]["values"]["completion_length"], 40)
        # The service gets G completions per prompt with pixel ground truth and the grid box space.
        call = scorer.calls[0]
        self.assertEqual((call["preset"], call["weights"]), ("hard_recall", {"format": 2.0}))
        self.assertEqual(len(call["items"]), 2 * 4)
        self.assertEqual(call["items"][0]["box_scale"], [1000.0, 1000.0])
        self.assertEqual(call["items"][0]["image_size"], [64, 48])
        self.assertEqual(set(call["items"][0]["gt"]), {"objects", "relationships"})
        rollouts = [e for e in evs if e["type"] == "rollout"]
        self.assertEqual(len(rollouts), 2)
        self.assertEqual(len(rollouts[0]["completions"]), 4)
        self.assertAlmostEqual(sum(c["advantage"] for c in rollouts[0]["completions"]), 0.0, places=4)
        self.assertEqual([e["step"] for e in evs if e["type"] == "checkpoint"], [1, 2])

        # Resume after losing step 2: sampling is seeded by (seed, step, rank), so it repeats exactly.
        final = self.tmp / "run" / "checkpoints" / "step-00000002"
        before = weights(final)
        shutil.rmtree(final)
        evs = run(cfg, self.tmp / "run", resume=True, scorer=helpers.StubScorer())
        self.assertEqual([e["step"] for e in evs if e["type"] == "metric"], [2])
        after = weights(final)
        for k in before:
            self.assertTrue(torch.allclose(before[k], after[k], atol=1e-6), k)

    def test_starts_from_an_sft_checkpoint(self) -> None:
        sft_cfg = helpers.write_config(self.tmp, max_steps=1)
        run(sft_cfg, self.tmp / "sft")
        cfg = helpers.write_config(self.tmp, kind="grpo", max_steps=1, init_checkpoint="sft/checkpoints/step-00000001")
        evs = run(cfg, self.tmp / "grpo", scorer=helpers.StubScorer())
        self.assertEqual(evs[-1]["type"], "done")


class CliTest(unittest.TestCase):
    def test_bad_config_exits_2_with_events(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            cfg = Path(d) / "config.json"
            cfg.write_text(json.dumps({"kind": "sft", "data": {"train": ["x.jsonl"]}, "group_size": 0}))
            p = subprocess.run([sys.executable, "-m", "sgg_trainer", "--config", str(cfg), "--run-dir", str(Path(d) / "run")],
                               cwd=PKG_ROOT, capture_output=True, text=True, timeout=60)
            self.assertEqual(p.returncode, 2, p.stderr)
            evs = helpers.parse_events(p.stdout)
            self.assertEqual(evs[0]["field"], "group_size")
            self.assertEqual((evs[-1]["type"], evs[-1]["status"]), ("done", "failed"))

    def test_sft_run_from_the_command_line(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            helpers.make_records(Path(d))
            cfg = helpers.write_config(Path(d), max_steps=1)
            p = subprocess.run([sys.executable, "-m", "sgg_trainer", "--config", str(cfg), "--run-dir", str(Path(d) / "run")],
                               cwd=PKG_ROOT, capture_output=True, text=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr)
            evs = helpers.parse_events(p.stdout)  # stdout holds events only
            self.assertEqual([e["type"] for e in evs], ["log", "metric", "checkpoint", "done"])


def _ddp_worker(rank: int, world: int, port: int, folder: str) -> None:
    os.environ.update({"RANK": str(rank), "WORLD_SIZE": str(world), "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port),
                       "LOCAL_RANK": str(rank)})
    out = helpers.stream()
    cfg = Path(folder) / "config.json"
    ctx = train(cfg, Path(folder) / "run", scorer=helpers.StubScorer(), events=EventWriter(out))
    # Each rank reports its events and final weights for the parent to compare.
    (Path(folder) / f"events-{rank}.jsonl").write_text(out.getvalue())
    torch.save(ctx.adapter.model.state_dict(), Path(folder) / f"weights-{rank}.pt")
    torch.distributed.destroy_process_group()


class DdpTest(unittest.TestCase):
    def test_two_process_gloo_grpo(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            helpers.make_records(Path(d))
            helpers.write_config(Path(d), kind="grpo", max_steps=2, checkpoint_every=2, prompts_per_step=2, threads=1)
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            mp.spawn(_ddp_worker, args=(2, port, d), nprocs=2, join=True)
            ev0 = helpers.parse_events((Path(d) / "events-0.jsonl").read_text())
            self.assertEqual((Path(d) / "events-1.jsonl").read_text(), "")  # only rank 0 speaks
            self.assertIn("2 process(es)", ev0[0]["message"])
            metrics = [e for e in ev0 if e["type"] == "metric"]
            self.assertEqual([m["step"] for m in metrics], [1, 2])
            self.assertEqual(ev0[-1]["type"], "done")
            # Averaged gradients keep the replicas identical although each rank saw different prompts.
            w0, w1 = torch.load(Path(d) / "weights-0.pt"), torch.load(Path(d) / "weights-1.pt")
            for k in w0:
                self.assertTrue(torch.allclose(w0[k], w1[k], atol=1e-6), k)
            saved = weights(Path(d) / "run" / "checkpoints" / "step-00000002")
            self.assertTrue(all(torch.equal(saved[k], w0[k]) for k in w0))
            self.assertTrue((Path(d) / "run" / "checkpoints" / "step-00000002" / "model.pt").is_file())


if __name__ == "__main__":
    unittest.main()
