import { afterAll, beforeAll, describe, expect, it } from "vitest";
import golden from "../scene-graph/fixtures/golden/reward-cases.json";
import { generateSplit } from "../synthetic/generate-split";
import { startRewardServer } from "./create-reward-server";

let service: Awaited<ReturnType<typeof startRewardServer>>;
beforeAll(async () => {
  service = await startRewardServer();
});
afterAll(async () => {
  await service?.close();
});

const post = (body: unknown) => fetch(`${service.url}/score`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

describe("reward service", () => {
  it("scores a batch in order with the core's numbers", async () => {
    const cases = golden.cases.slice(0, 4);
    const res = await post({
      preset: "hard_recall",
      items: cases.map((c) => ({ completion: c.input.completion, gt: c.input.gt_pixels_xyxy, image_size: c.input.image_size, box_scale: c.input.box_scale })),
    });
    expect(res.status).toBe(200);
    const { rewards } = (await res.json()) as { rewards: { total: number; values: Record<string, number>; failed: boolean }[] };
    rewards.forEach((r, i) => {
      const out = cases[i]!.output as Record<string, number>;
      expect(r.values.edge_hard).toBeCloseTo(out.edge_hard_reward!, 12);
      expect(r.total).toBeCloseTo(out.total_hard_recall_pre0505_format!, 12);
      expect(r.failed).toBe(false);
    });
  });

  it("weights the preset's functions and flags failed answers", async () => {
    const c = golden.cases[0]!.input;
    const item = { completion: c.completion, gt: c.gt_pixels_xyxy, image_size: c.image_size, box_scale: c.box_scale };
    const res = await post({ preset: "hard_recall", weights: { edge_hard: 2 }, items: [item, { ...item, completion: '{"objects": [' }] });
    const { rewards } = (await res.json()) as { rewards: { total: number; failed: boolean }[] };
    expect(rewards[0]!.total).toBe(11);
    expect(rewards[1]).toMatchObject({ total: 0, failed: true });
  });

  it("names the bad field of a malformed request", async () => {
    const res = await post({ preset: "hard_recall", items: [{ completion: 3 }] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain("items.0.completion");
    expect((await post({ preset: "nope", items: [] })).status).toBe(400);
  });

  it("answers a 256-completion GRPO batch", async () => {
    const split = generateSplit({ images: 32, seed: 5 });
    const items = split.gt.flatMap((r, i) => Array.from({ length: 8 }, () => ({ completion: split.predictions[i]!.response, gt: { objects: r.objects, relationships: r.relationships }, image_size: [r.width, r.height], box_scale: [1000, 1000] })));
    const res = await post({ preset: "soft_recall", items });
    const { rewards } = (await res.json()) as { rewards: unknown[] };
    expect(rewards).toHaveLength(256);
  });
});
