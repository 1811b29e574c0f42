"""The scene-graph tokenizer: decoded text is exactly the answer text the workbench parses."""

import unittest

import helpers  # noqa: F401
from sgg_trainer.data import sft_target_text
from sgg_trainer.tokenizer import SceneGraphTokenizer

OBJS = [{"id": "person.1", "bbox": [120, 200, 430, 930]}, {"id": "hat.12", "bbox": [0, 0, 1000, 50]}]
RELS = [{"subject": "person.1", "predicate": "wearing", "object": "hat.12"}]


class TokenizerTest(unittest.TestCase):
    def setUp(self) -> None:
        self.tok = SceneGraphTokenizer(["person", "hat", "street light"], ["wearing", "in front of"])

    def test_round_trip_exact(self) -> None:
        text = sft_target_text(OBJS, RELS, 1000, 1000)
        ids = self.tok.encode_answer(text, quantize=False)
        self.assertEqual(ids[-1], self.tok.eos_id)
        self.assertEqual(self.tok.decode(ids), text)
        # One token per class, dot, number; a box is 4 coordinates + 3 commas.
        self.assertLess(len(ids), 60)

    def test_think_wrapper_and_multiword_names(self) -> None:
        rels = [{"subject": "street light.3", "predicate": "in front of", "object": "person.1"}]
        objs = [{"id": "person.1", "bbox": [0, 10, 20, 30]}, {"id": "street light.3", "bbox": [500, 500, 600, 990]}]
        text = "<think></think><answer>" + sft_target_text(objs, rels, 1000, 1000) + "</answer>"
        self.assertEqual(self.tok.decode(self.tok.encode_answer(text, quantize=False)), text)

    def test_empty_graph(self) -> None:
        text = sft_target_text([], [], 1, 1)
        self.assertEqual(self.tok.decode(self.tok.encode_answer(text)), text)

    def test_quantize_snaps_to_bins(self) -> None:
        text = sft_target_text([{"id": "person.1", "bbox": [125, 200, 424, 933]}], [], 1000, 1000)
        out = self.tok.decode(self.tok.encode_answer(text, quantize=True))
        self.assertIn('"bbox": [130, 200, 420, 930]', out)  # 125 → 12.5 → bin 13 (halves up) → 130; 424 → 42.4 → 420
        with self.assertRaises(ValueError):
            self.tok.encode_answer(text, quantize=False)

    def test_rejections(self) -> None:
        for bad_id in ("dog.1", "person.0", "person.51", "person.01", "person"):
            with self.assertRaises(ValueError, msg=bad_id):
                self.tok.encode_graph([{"id": bad_id, "bbox": [0, 0, 10, 10]}], [])
        with self.assertRaises(ValueError):
            self.tok.encode_graph(OBJS, [{"subject": "person.1", "predicate": "eating", "object": "hat.12"}])
        with self.assertRaises(ValueError):
            self.tok.encode_answer('{"objects": [], "relationships": []}')  # not fenced
        with self.assertRaises(ValueError):
            self.tok.encode_answer("```json\n{\"objects\": [], \"relationships\": []}\n```\n")  # not the b.5 layout

    def test_decode_stops_at_eos_and_drops_specials(self) -> None:
        prompt = self.tok.encode_prompt("think", "open")
        ids = prompt + self.tok.encode_answer(sft_target_text([], [], 1, 1)) + [self.tok.id_of("<think>", "struct")]
        self.assertEqual(self.tok.decode(ids), sft_target_text([], [], 1, 1))

    def test_persistence(self) -> None:
        again = SceneGraphTokenizer.from_dict(self.tok.to_dict())
        self.assertEqual(again.tokens, self.tok.tokens)
        self.assertEqual(self.tok.vocab_size, 7 + 17 + 50 + 3 + 2 + 101)


if __name__ == "__main__":
    unittest.main()
