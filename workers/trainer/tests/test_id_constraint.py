"""The relationship-id decoding constraint (config.constrain_relation_ids)."""

from __future__ import annotations

import unittest

import helpers
import torch

from sgg_trainer.adapters import TinyAdapter, TinyBatch
from sgg_trainer.id_constraint import relation_id_keep, relation_id_mask
from sgg_trainer.tokenizer import DOT, REL_OBJ, REL_OPEN, REL_PRED, SceneGraphTokenizer


class RelationIdMaskTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tok = SceneGraphTokenizer(helpers.CLASSES, helpers.PREDICATES, max_id=5, coord_bins=11)
        objects = [{"id": "person.1", "bbox": [0, 0, 500, 1000]}, {"id": "hat.2", "bbox": [100, 0, 300, 200]}]
        graph = self.tok.encode_graph(objects, [{"subject": "person.1", "predicate": "wearing", "object": "hat.2"}], eos=False)
        # Everything up to and including the first relationship's opening token.
        self.prefix = graph[: graph.index(self.tok.id_of(REL_OPEN, "struct")) + 1]
        self.mask = relation_id_mask(self.tok)
        self.V = self.tok.vocab_size

    def allowed(self, seq: list[int]) -> set[int]:
        out = self.mask(torch.tensor([seq]), torch.zeros(1, self.V))
        return {i for i in range(self.V) if out[0, i] > float("-inf")}

    def test_ends_name_only_listed_objects(self) -> None:
        cls = self.tok.class_index
        num = lambda k: self.tok.id_offset + k - 1  # noqa: E731
        self.assertEqual(self.allowed(self.prefix), {cls["person"], cls["hat"]})
        self.assertEqual(self.allowed(self.prefix + [cls["person"], self.tok.id_of(DOT, "struct")]), {num(1)})
        self.assertEqual(self.allowed(self.prefix + [cls["hat"], self.tok.id_of(DOT, "struct")]), {num(2)})
        obj_start = self.prefix + [cls["person"], self.tok.id_of(DOT, "struct"), num(1), self.tok.id_of(REL_PRED, "struct"), self.tok.pred_index["wearing"], self.tok.id_of(REL_OBJ, "struct")]
        self.assertEqual(self.allowed(obj_start), {cls["person"], cls["hat"]})

    def test_other_positions_are_left_alone(self) -> None:
        everything = set(range(self.V))
        self.assertEqual(self.allowed(self.prefix[:-1]), everything)  # before the end opens
        self.assertEqual(self.allowed(self.prefix[:3]), everything)  # still listing objects
        logits = torch.randn(2, self.V)
        self.assertIs(self.mask(torch.tensor([self.prefix[:-1], self.prefix[:-1]]), logits), logits)

    def test_rows_are_masked_independently(self) -> None:
        logits = torch.randn(2, self.V)
        out = self.mask(torch.tensor([self.prefix, [self.tok.pad_id] * (len(self.prefix) - 1) + [self.prefix[0]]]), logits)
        self.assertTrue(torch.equal(out[1], logits[1]))
        self.assertEqual(int((out[0] > float("-inf")).sum()), 2)

    def test_keep_matches_the_sampling_rule_at_every_position(self) -> None:
        objects = [{"id": "person.1", "bbox": [0, 0, 500, 1000]}, {"id": "hat.2", "bbox": [100, 0, 300, 200]}]
        rels = [{"subject": "person.1", "predicate": "wearing", "object": "hat.2"}, {"subject": "hat.2", "predicate": "on", "object": "person.1"}]
        seq = self.tok.encode_graph(objects, rels)
        rows = torch.tensor([seq, seq[:5] + [self.tok.eos_id] + [self.tok.pad_id] * (len(seq) - 6)])
        keep = relation_id_keep(self.tok, rows)
        assert keep is not None
        restricted = 0
        for b in range(2):
            for t in range(len(seq)):
                expected = self.allowed(rows[b, :t].tolist()) if t else set(range(self.V))
                self.assertEqual({i for i in range(self.V) if keep[b, t, i]}, expected, (b, t))
                restricted += len(expected) < self.V
        self.assertEqual(restricted, 8)  # two ends of two relationships, class and number each; row 1 none
        self.assertIsNone(relation_id_keep(self.tok, rows[1:]))

    def test_log_probs_are_those_of_the_constrained_policy(self) -> None:
        torch.manual_seed(0)
        adapter = TinyAdapter(self.tok, dict(helpers.TINY_OPTIONS))
        objects = [{"id": "person.1", "bbox": [0, 0, 500, 1000]}, {"id": "hat.2", "bbox": [100, 0, 300, 200]}]
        comp = torch.tensor([self.tok.encode_graph(objects, [{"subject": "person.1", "predicate": "wearing", "object": "hat.2"}])])
        s = adapter.model_config.image_size
        batch = TinyBatch(torch.rand(1, 3, s, s), torch.tensor([self.tok.encode_prompt("think", "closed")]))
        free = adapter.completion_logprobs(batch, comp, 1.0)
        constrained = adapter.completion_logprobs(batch, comp, 1.0, constrain_ids=True)
        keep = relation_id_keep(self.tok, comp)
        assert keep is not None
        restricted = (~keep).any(-1)[0]
        # Unrestricted positions are unchanged; restricted ones renormalise over the allowed ids.
        self.assertTrue(torch.allclose(free[0, ~restricted], constrained[0, ~restricted]))
        self.assertTrue(bool((constrained[0, restricted] > free[0, restricted]).all()))
        self.assertTrue(torch.isfinite(constrained).all())


if __name__ == "__main__":
    unittest.main()
