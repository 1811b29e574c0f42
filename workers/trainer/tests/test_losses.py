"""GRPO arithmetic checked against values worked out by hand (method.md e.1)."""

import math
import unittest

import helpers  # noqa: F401  (puts the package on sys.path)
import torch

from sgg_trainer.losses import aggregate, clipped_token_loss, completion_mask, group_advantages, kl_term


class AdvantageTest(unittest.TestCase):
    def test_group_of_four(self) -> None:
        # Group [1, 2, 3, 6]: mean 3, deviations -2, -1, 0, 3, squares sum 14,
        # Bessel variance 14 / 3 = 4.6667, std 2.1602469, + 1e-4 = 2.1603469.
        # A = -2 / 2.1603469 = -0.9257772, -1 / 2.1603469 = -0.4628886, 0, 3 / 2.1603469 = 1.3886659.
        # Second group [5, 5, 5, 5]: std 0, every advantage 0.
        a = group_advantages(torch.tensor([1.0, 2.0, 3.0, 6.0, 5.0, 5.0, 5.0, 5.0]), 4)
        expected = [-0.9257772, -0.4628886, 0.0, 1.3886659, 0.0, 0.0, 0.0, 0.0]
        for got, want in zip(a.tolist(), expected):
            self.assertAlmostEqual(got, want, places=6)

    def test_group_of_two(self) -> None:
        # [0, 1]: mean 0.5, Bessel std sqrt(0.5) = 0.7071068, A = ∓0.5 / 0.7072068 = ∓0.7070068.
        a = group_advantages(torch.tensor([0.0, 1.0]), 2)
        self.assertAlmostEqual(a[0].item(), -0.7070068, places=6)
        self.assertAlmostEqual(a[1].item(), 0.7070068, places=6)


class CompletionMaskTest(unittest.TestCase):
    def test_up_to_and_including_first_eos(self) -> None:
        eos = 2
        comp = torch.tensor([[5, 2, 7, 2], [5, 5, 5, 5], [2, 0, 0, 0]])
        # Row 0: EOS at 1 → tokens 0..1; row 1: no EOS → all; row 2: EOS first → only it.
        self.assertEqual(completion_mask(comp, eos).tolist(), [[1, 1, 0, 0], [1, 1, 1, 1], [1, 0, 0, 0]])


class ClippedLossTest(unittest.TestCase):
    def setUp(self) -> None:
        # Row 0 (A = +1): ratios 1.5, 0.5, 1.0 (third token masked).
        # Row 1 (A = -1): ratios 0.5, 1.5, 1.0.
        ratios = torch.tensor([[1.5, 0.5, 1.0], [0.5, 1.5, 1.0]])
        self.old = torch.zeros(2, 3)
        self.logp = torch.log(ratios)
        self.adv = torch.tensor([1.0, -1.0])
        self.mask = torch.tensor([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]])

    def test_token_losses_and_clipping(self) -> None:
        loss, clipped = clipped_token_loss(self.logp, self.old, self.adv, 0.2)
        # A=+1, ρ=1.5: −min(1.5, 1.2) = −1.2 (clipped); ρ=0.5: −min(0.5, 0.8) = −0.5; ρ=1: −1.
        # A=−1, ρ=0.5: −min(−0.5, −0.8) = 0.8 (clipped); ρ=1.5: −min(−1.5, −1.2) = 1.5; ρ=1: 1.
        want = [[-1.2, -0.5, -1.0], [0.8, 1.5, 1.0]]
        for g_row, w_row in zip(loss.tolist(), want):
            for g, w in zip(g_row, w_row):
                self.assertAlmostEqual(g, w, places=6)
        self.assertEqual(clipped.tolist(), [[1, 0, 0], [1, 0, 0]])

    def test_aggregations(self) -> None:
        loss, _ = clipped_token_loss(self.logp, self.old, self.adv, 0.2)
        # bnpo: (−1.2 − 0.5 + 0.8 + 1.5 + 1.0) / 5 = 1.6 / 5 = 0.32.
        self.assertAlmostEqual(aggregate(loss, self.mask, "bnpo").item(), 0.32, places=6)
        # grpo: row means −1.7 / 2 = −0.85 and 3.3 / 3 = 1.1 → (−0.85 + 1.1) / 2 = 0.125.
        self.assertAlmostEqual(aggregate(loss, self.mask, "grpo").item(), 0.125, places=6)
        # dr_grpo: 1.6 / (2 rows × 4) = 0.2.
        self.assertAlmostEqual(aggregate(loss, self.mask, "dr_grpo", 4).item(), 0.2, places=6)
        # An all-masked batch divides by max(1, 0) = 1, giving 0 rather than NaN.
        self.assertEqual(aggregate(loss, torch.zeros_like(self.mask), "bnpo").item(), 0.0)

    def test_gradient_with_detached_old(self) -> None:
        # ρ = exp(logp − logp.detach()) = 1, so ∂ℓ_t/∂logp_t = −A, and bnpo divides by Σ mask = 3:
        # row 0 (A = 2): −2/3 on unmasked tokens; row 1 (A = −1): +1/3 on its one token; masked tokens 0.
        logp = torch.tensor([[-1.0, -2.0], [-0.5, -0.1]], requires_grad=True)
        mask = torch.tensor([[1.0, 1.0], [1.0, 0.0]])
        loss, _ = clipped_token_loss(logp, logp.detach(), torch.tensor([2.0, -1.0]), 0.2)
        aggregate(loss, mask).backward()
        want = [[-2 / 3, -2 / 3], [1 / 3, 0.0]]
        for g_row, w_row in zip(logp.grad.tolist(), want):
            for g, w in zip(g_row, w_row):
                self.assertAlmostEqual(g, w, places=6)

    def test_kl(self) -> None:
        # d = ref − logp. d = 0 → e^0 − 0 − 1 = 0; d = ln 2 → 2 − 0.6931472 − 1 = 0.3068528.
        kl = kl_term(torch.tensor([0.0, 0.0]), torch.tensor([0.0, math.log(2)]))
        self.assertAlmostEqual(kl[0].item(), 0.0, places=7)
        self.assertAlmostEqual(kl[1].item(), 0.3068528, places=6)
        # With β = 0.5 the KL adds β·KL per token: ρ = 1, A = 0 → loss = 0.5 · 0.3068528.
        loss, _ = clipped_token_loss(torch.zeros(1, 1), torch.zeros(1, 1), torch.zeros(1), 0.2, 0.5, torch.full((1, 1), math.log(2)))
        self.assertAlmostEqual(loss.item(), 0.1534264, places=6)
        with self.assertRaises(ValueError):
            clipped_token_loss(torch.zeros(1, 1), torch.zeros(1, 1), torch.zeros(1), 0.2, 0.5, None)


if __name__ == "__main__":
    unittest.main()
