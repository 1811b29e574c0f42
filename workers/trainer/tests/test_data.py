"""SFT target text (b.5) and augmentation (e.2)."""

import random
import unittest

import helpers  # noqa: F401
from sgg_trainer.data import Record, augment, sft_example_text, sft_target_text, to_grid

# The worked example of method.md d.14: image 800 × 600.
OBJECTS = [
    {"id": "person.1", "bbox": [100, 120, 340, 560]},
    {"id": "bike.2", "bbox": [80, 300, 420, 590]},
    {"id": "helmet.3", "bbox": [160, 90, 260, 170]},
    {"id": "tree.4", "bbox": [500, 40, 780, 420]},
]
RELS = [
    {"subject": "person.1", "predicate": "riding", "object": "bike.2"},
    {"subject": "person.1", "predicate": "wearing", "object": "helmet.3"},
    {"subject": "tree.4", "predicate": "in front of", "object": "person.1"},
]

# Grid boxes by hand: x · 1000 / 800, y · 1000 / 600, truncated: 560 → 933.33 → 933, 590 → 983.33 → 983,
# 170 → 283.33 → 283, 40 → 66.67 → 66.
EXPECTED = (
    "```json\n{\n  \"objects\": [\n"
    "{\"id\": \"person.1\", \"bbox\": [125, 200, 425, 933]},\n"
    "{\"id\": \"bike.2\", \"bbox\": [100, 500, 525, 983]},\n"
    "{\"id\": \"helmet.3\", \"bbox\": [200, 150, 325, 283]},\n"
    "{\"id\": \"tree.4\", \"bbox\": [625, 66, 975, 700]}"
    "\n  ],\n  \"relationships\": [\n"
    "{\"subject\": \"person.1\", \"predicate\": \"riding\", \"object\": \"bike.2\"},\n"
    "{\"subject\": \"person.1\", \"predicate\": \"wearing\", \"object\": \"helmet.3\"},\n"
    "{\"subject\": \"tree.4\", \"predicate\": \"in front of\", \"object\": \"person.1\"}"
    "\n  ]\n}\n```\n"
)


class FakeRng:
    """random() returns a fixed value; shuffle reverses (so the expected order is known)."""

    def __init__(self, value: float) -> None:
        self.value = value

    def random(self) -> float:
        return self.value

    def shuffle(self, xs: list) -> None:
        xs.reverse()


class SftTargetTest(unittest.TestCase):
    def test_byte_exact(self) -> None:
        self.assertEqual(sft_target_text(OBJECTS, RELS, 800, 600), EXPECTED)

    def test_grid_truncates_toward_zero(self) -> None:
        self.assertEqual(to_grid(560, 600), 933)
        self.assertEqual(to_grid(599.9, 600), 999)
        self.assertEqual(to_grid(-0.5, 600), 0)  # trunc, not floor

    def test_empty_graph_and_non_ascii(self) -> None:
        self.assertEqual(sft_target_text([], [], 10, 10), "```json\n{\n  \"objects\": [\n\n  ],\n  \"relationships\": [\n\n  ]\n}\n```\n")
        text = sft_target_text([{"id": "café.1", "bbox": [0, 0, 5, 5]}], [], 10, 10)
        self.assertIn('{"id": "caf\\u00e9.1", "bbox": [0, 0, 500, 500]}', text)

    def test_extra_keys_dropped(self) -> None:
        text = sft_target_text([{"id": "a.1", "bbox": [0, 0, 1, 1], "name": "a"}], [], 1, 1)
        self.assertIn('{"id": "a.1", "bbox": [0, 0, 1000, 1000]}', text)


class AugmentationTest(unittest.TestCase):
    def test_renumber_and_rewrite(self) -> None:
        objs, rels = augment(OBJECTS, RELS, FakeRng(0.9))
        # Reversed order, renumbered 1..4 in the new order.
        self.assertEqual([o["id"] for o in objs], ["tree.1", "helmet.2", "bike.3", "person.4"])
        self.assertEqual(objs[0]["bbox"], [500, 40, 780, 420])
        # Relationships keep their order and follow the old → new map.
        self.assertEqual(rels, [
            {"subject": "person.4", "predicate": "riding", "object": "bike.3"},
            {"subject": "person.4", "predicate": "wearing", "object": "helmet.2"},
            {"subject": "tree.1", "predicate": "in front of", "object": "person.4"},
        ])
        self.assertEqual(OBJECTS[0]["id"], "person.1")  # the record itself is untouched

    def test_random_shuffle_keeps_graph(self) -> None:
        objs, rels = augment(OBJECTS, RELS, random.Random(3))
        by_id = {o["id"]: o["bbox"] for o in objs}
        orig = {o["id"]: o["bbox"] for o in OBJECTS}
        for r_new, r_old in zip(rels, RELS):
            self.assertEqual(by_id[r_new["subject"]], orig[r_old["subject"]])
            self.assertEqual(by_id[r_new["object"]], orig[r_old["object"]])
        self.assertEqual(sorted(int(o["id"].split(".")[1]) for o in objs), [1, 2, 3, 4])

    def test_when_augmentation_applies(self) -> None:
        rec = Record("x", 800, 600, OBJECTS, RELS, "x.npy")
        self.assertEqual(sft_example_text(rec, 1, FakeRng(0.99)), EXPECTED)  # first draw: never
        self.assertEqual(sft_example_text(rec, 2, FakeRng(0.5)), EXPECTED)  # strictly greater than 0.5
        self.assertNotEqual(sft_example_text(rec, 2, FakeRng(0.51)), EXPECTED)
        self.assertIn('"tree.1"', sft_example_text(rec, 3, FakeRng(0.51)))


if __name__ == "__main__":
    unittest.main()
