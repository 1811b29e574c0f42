"""The relationship-id decoding constraint (config.constrain_relation_ids)."""

from __future__ import annotations

import unittest

import helpers
import torch

from sgg_trainer.id_constraint import relation_id_mask
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


if __name__ == "__main__":
    unittest.main()
