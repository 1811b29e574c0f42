"""Config validation (errors name the field) and the event schema."""

import io
import json
import unittest

import helpers  # noqa: F401
from sgg_trainer.config import ConfigError, parse_config
from sgg_trainer.events import EventWriter, validate_event

BASE = {"kind": "grpo", "data": {"train": ["a.jsonl"]}}


def cfg(**over):
    raw = json.loads(json.dumps(BASE))
    for k, v in over.items():
        raw[k] = v
    return raw


class ConfigTest(unittest.TestCase):
    def assertField(self, raw, field: str) -> None:
        with self.assertRaises(ConfigError) as cm:
            parse_config(raw)
        self.assertEqual(cm.exception.field, field)
        self.assertIn(f"config.{field}", str(cm.exception))

    def test_defaults_follow_the_reference(self) -> None:
        g = parse_config(cfg())
        self.assertEqual((g.group_size, g.beta, g.clip_eps, g.max_completion_length, g.seed), (8, 0.0, 0.2, 1024, 42))
        self.assertEqual((g.sampling.temperature, g.sampling.top_p, g.sampling.top_k), (1.0, 0.9, 50))
        self.assertEqual((g.lr, g.max_grad_norm, g.warmup_ratio, g.loss_aggregation), (6e-7, 1.0, 0.0, "bnpo"))
        s = parse_config(cfg(kind="sft"))
        self.assertEqual((s.lr, s.max_grad_norm, s.warmup_ratio, s.num_epochs), (1e-5, 0.3, 0.05, 3.0))
        self.assertEqual(parse_config(cfg(optimizer={"lr": 1e-4})).lr, 1e-4)
        self.assertEqual((s.augment, s.think_prompt_ratio), (True, 0.0))  # e.2 as the reference does it

    def test_errors_name_the_field(self) -> None:
        self.assertField(cfg(kind="ppo"), "kind")
        self.assertField(cfg(model="gpt"), "model")
        self.assertField(cfg(group_size=1), "group_size")
        self.assertField(cfg(group_size="8"), "group_size")
        self.assertField(cfg(group_size=True), "group_size")
        self.assertField(cfg(data={"train": []}), "data.train")
        self.assertField(cfg(data={"train": ["a"], "shards": 3}), "data.shards")
        self.assertField(cfg(reward={"preset": "best"}), "reward.preset")
        self.assertField(cfg(reward={"weights": {"edge": 1}}), "reward.weights.edge")
        self.assertField(cfg(reward={"weights": {"format": "1"}}), "reward.weights.format")
        self.assertField(cfg(optimizer={"betas": [0.9]}), "optimizer.betas")
        self.assertField(cfg(sampling={"temperature": 0}), "sampling.temperature")
        self.assertField(cfg(sampling={"top_p": 1.5}), "sampling.top_p")
        self.assertField(cfg(schema_version=2), "schema_version")
        self.assertField(cfg(eval={"every": 10}), "data.eval")
        self.assertField(cfg(lr=1), "lr")  # lr lives under optimizer
        self.assertField(cfg(loss_aggregation="sum"), "loss_aggregation")
        self.assertField(cfg(think_prompt_ratio=1.5), "think_prompt_ratio")
        self.assertField(cfg(augment="yes"), "augment")

    def test_not_an_object(self) -> None:
        with self.assertRaises(ConfigError):
            parse_config([1])


class EventTest(unittest.TestCase):
    def test_lines_are_valid_events(self) -> None:
        s = io.StringIO()
        w = EventWriter(s)
        w.metric(3, {"loss": 1.5, "nan": float("nan")})
        w.checkpoint(3, "/run/checkpoints/step-00000003")
        w.rollout(3, "img1", [{"text": "x", "reward": 1.0}], image_size=[10, 10])
        w.log("hello", level="warning")
        w.done(3, "completed")
        lines = s.getvalue().splitlines()
        self.assertEqual(len(lines), 5)
        evs = [json.loads(line) for line in lines]
        for ev in evs:
            validate_event(ev)
            self.assertEqual(ev["v"], 1)
        self.assertEqual([e["type"] for e in evs], ["metric", "checkpoint", "rollout", "log", "done"])
        self.assertIsNone(evs[0]["values"]["nan"])  # JSON has no NaN
        self.assertEqual(lines[1], '{"v":1,"type":"checkpoint","step":3,"path":"/run/checkpoints/step-00000003"}')

    def test_invalid_events_are_rejected(self) -> None:
        for ev in ({"v": 2, "type": "log", "level": "info", "message": "m"}, {"v": 1, "type": "x"},
                   {"v": 1, "type": "metric", "step": 1}, {"v": 1, "type": "metric", "step": "1", "values": {}},
                   {"v": 1, "type": "metric", "step": 1, "values": {"a": "b"}}, {"v": 1, "type": "done", "step": 1, "status": "ok"},
                   {"v": 1, "type": "log", "level": "debug", "message": "m"}):
            with self.assertRaises(ValueError, msg=str(ev)):
                validate_event(ev)

    def test_disabled_writer_is_silent(self) -> None:
        s = io.StringIO()
        EventWriter(s, enabled=False).log("x")
        self.assertEqual(s.getvalue(), "")


if __name__ == "__main__":
    unittest.main()
